"""The follow-up indicators with known numbers: reports near meeting places, per 1,000
inhabitants, perceived unsafety after dark."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from trygg.geo.errors import ArgumentError
from trygg.layers.indicators import dark_share, meeting_places, near_meeting_places, per_inhabitants

CRS = "EPSG:3006"
T = "Europe/Stockholm"


def _reports(rows):
    return gpd.GeoDataFrame(
        {"kind": [r[0] for r in rows],
         "reported_at": [pd.Timestamp(r[1], tz=T) for r in rows]},
        geometry=[Point(r[2]) for r in rows], crs=CRS)


def test_meeting_places_by_name_and_by_layer():
    gaz = gpd.GeoDataFrame({"kind": ["place"] * 5 + ["address"],
                            "name": ["Björkåsskolan", "Busstationen, Strandvik", "Biblioteket",
                                     "Stationsgatan torg", "Parken", "Skolvägen 1"]},
                           geometry=[Point(i * 1000, 0) for i in range(6)], crs=CRS)
    found = meeting_places(gaz)
    assert dict(zip(found["name"], found["type"], strict=True)) == {
        "Björkåsskolan": "skola", "Busstationen": "busstation", "Biblioteket": "bibliotek"}
    layer = gpd.GeoDataFrame({"namn": ["WC Torget", "Kiosken"], "typ": ["Toalett", "kiosk"]},
                             geometry=[Point(0, 0), Point(1, 1)], crs=CRS)
    assert meeting_places(layer=layer)["type"].tolist() == ["toalett"]
    with pytest.raises(ArgumentError, match="typ"):
        meeting_places(layer=layer.drop(columns="typ"))


def test_reports_within_the_radius_by_year_one_place_with_two_entrances():
    places = gpd.GeoDataFrame({"name": ["Skolan", "Skolan", "Biblioteket"],
                               "type": ["skola", "skola", "bibliotek"]},
                              geometry=[Point(0, 0), Point(300, 0), Point(5000, 0)], crs=CRS)
    reports = _reports([("brott", "2024-05-01", (50, 0)), ("brott", "2025-05-01", (150, 0)),
                        ("brott", "2025-06-01", (290, 0)), ("brott", "2025-06-01", (800, 0)),
                        ("brott", "2025-06-01", (5100, 0))])
    out = near_meeting_places(reports, places, radius=200).set_index("name")
    # the report at x=150 is near both entrances of the school: counted once
    assert out.loc["Skolan", "total"] == 3 and out.loc["Skolan", "2025"] == 2
    assert out.loc["Biblioteket", "total"] == 1 and out.loc["Biblioteket", "2024"] == 0
    assert out.index[0] == "Skolan"
    with pytest.raises(ArgumentError, match="--radius"):
        near_meeting_places(reports, places, radius=0)


def test_per_1000_inhabitants():
    areas = gpd.GeoDataFrame({"name": ["A", "B"], "invanare": [2000, 500]},
                             geometry=[box(0, 0, 100, 100), box(200, 0, 300, 100)], crs=CRS)
    reports = _reports([("brott", "2025-01-01 12:00", (10, 10))] * 4
                       + [("brott", "2025-03-01 12:00", (250, 50))]
                       + [("brott", "2024-03-01 12:00", (900, 900))])
    out = per_inhabitants(reports, areas).set_index("name")
    assert out.loc["A", "2025"] == 4 and out.loc["A", "2025_per_1000"] == 2.0
    assert out.loc["B", "2025_per_1000"] == 2.0 and out.loc["B", "2024"] == 0
    with pytest.raises(ArgumentError, match="befolkning"):
        per_inhabitants(reports, areas, population="befolkning")


def test_perceived_unsafety_after_dark():
    stockholm = (674_000, 6_580_000)
    reports = _reports([("otrygghet", "2025-12-15 22:00", stockholm),   # dark
                        ("otrygghet", "2025-12-15 12:00", stockholm),   # daylight
                        ("otrygghet", "2025-06-15 21:30", stockholm),   # June: still light
                        ("otrygghet", "2026-01-10 02:00", stockholm),   # dark
                        ("brott", "2025-12-15 22:00", stockholm)])      # not unsafety
    out = dark_share(reports).set_index("year")
    assert out.loc["2025", "dark"] == 1 and out.loc["2025", "daylight"] == 2
    assert out.loc["2026", "share_dark"] == 1.0
    assert out.loc["all", "share_dark"] == 0.5


def test_the_klotter_rule_on_the_demo_equals_a_count_by_hand(demo):
    import pyogrio

    from trygg.layers.indicators import closed_within
    from trygg.layers.store import open_project

    r = pyogrio.read_dataframe(demo["project"], layer="reports", read_geometry=False)
    k = r[(r["category"] == "klotter") & r["closed_at"].notna()]
    hours = (pd.to_datetime(k["closed_at"], utc=True)
             - pd.to_datetime(k["reported_at"], utc=True)).dt.total_seconds() / 3600
    ind = closed_within(open_project(demo["project"]).read_reports())
    assert ind.n == len(k) > 50
    assert ind.within == int((hours <= 48).sum())
    assert ind.share == pytest.approx((hours <= 48).mean())

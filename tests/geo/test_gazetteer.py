import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from trygg.geo.errors import CrsError, UserError
from trygg.geo.gazetteer import GAZETTEER_COLUMNS, build_gazetteer

X0, Y0 = 600_000.0, 6_600_000.0  # EPSG:3006 metres


@pytest.fixture
def layers() -> dict[str, gpd.GeoDataFrame]:
    """A tiny invented town "Strandby": two crossing streets, one without addresses."""
    adr = [  # Storgatan along y = Y0 (addresses 5 m off), Kyrkogatan along x = X0 + 200
        ("Storgatan", 1, "", 0, 5), ("Storgatan", 2, "", 10, -5), ("Storgatan", 3, "", 100, 5),
        ("Storgatan", 4, "A", 120, -5), ("Storgatan", 4, "B", 130, -5),
        ("Kyrkogatan", 1, "", 205, 50), ("Kyrkogatan", 3, "", 205, 90),
    ]
    addresses = gpd.GeoDataFrame(
        {"gata": [a[0] for a in adr], "nummer": [a[1] for a in adr],
         "bokstav": [a[2] for a in adr], "postnummer": "999 99", "ort": "Strandby"},
        geometry=[Point(X0 + a[3], Y0 + a[4]) for a in adr], crs="EPSG:3006")
    streets = gpd.GeoDataFrame(
        {"namn": ["Storgatan", "Storgatan", "Kyrkogatan", "Parkvägen"],
         "ort": "Strandby", "typ": "gata"},
        geometry=[LineString([(X0, Y0), (X0 + 200, Y0)]),
                  LineString([(X0 + 200, Y0), (X0 + 400, Y0)]),
                  LineString([(X0 + 200, Y0 - 100), (X0 + 200, Y0 + 100)]),
                  LineString([(X0 + 500, Y0), (X0 + 500, Y0 + 300)])],
        crs="EPSG:3006")
    places = gpd.GeoDataFrame(
        {"namn": ["Busstationen", "Torget"], "typ": ["busstation", "torg"],
         "alias": ["Busstationen;Bussterminalen; Resecentrum", None], "ort": "Strandby"},
        geometry=[Point(X0 + 50, Y0 + 50), Point(X0 + 300, Y0 + 50)], crs="EPSG:3006")
    areas = gpd.GeoDataFrame({"namn": ["Strandby"]},
                             geometry=[box(X0 - 100, Y0 - 200, X0 + 600, Y0 + 400)],
                             crs="EPSG:3006")
    return {"addresses": addresses, "streets": streets, "places": places, "areas": areas}


def _one(g: gpd.GeoDataFrame, kind: str, key: str):
    rows = g[(g["kind"] == kind) & (g["key"] == key)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_columns_crs_and_kinds(layers):
    g = build_gazetteer(**layers)
    assert tuple(g.columns) == GAZETTEER_COLUMNS
    assert g.crs.to_epsg() == 3006
    assert str(g["number"].dtype) == "Int64"
    assert (g.geometry.geom_type == "Point").all()
    counts = g["kind"].value_counts().to_dict()
    assert counts == {"address": 7, "street": 3, "intersection": 1, "place": 4, "area": 1}


def test_address_entries(layers):
    g = build_gazetteer(**layers)
    row = _one(g, "address", "storgatan 4b")
    assert row["name"] == "Storgatan 4B, Strandby"
    assert (row["street"], row["number"], row["letter"]) == ("Storgatan", 4, "B")
    assert (row["postcode"], row["ort"]) == ("999 99", "Strandby")
    assert row.geometry.equals(Point(X0 + 130, Y0 - 5))
    assert _one(g, "address", "storgatan 1")["letter"] is None


def test_street_entry_is_the_address_nearest_the_median(layers):
    g = build_gazetteer(**layers)
    # Storgatan addresses: median x = X0 + 100, median y = Y0 - 5 -> number 3 at (100, 5)
    row = _one(g, "street", "storgatan")
    assert row["name"] == "Storgatan, Strandby"
    assert row.geometry.equals(Point(X0 + 100, Y0 + 5))
    assert row["number"] is pd.NA


def test_street_without_addresses_sits_halfway_along_its_line(layers):
    g = build_gazetteer(**layers)
    row = _one(g, "street", "parkvägen")
    assert row.geometry.equals(Point(X0 + 500, Y0 + 150))


def test_intersection_at_the_crossing_of_differently_named_streets(layers):
    g = build_gazetteer(**layers)
    row = _one(g, "intersection", "kyrkogatan/storgatan")
    assert row["name"] == "Kyrkogatan/Storgatan, Strandby"
    assert row.geometry.distance(Point(X0 + 200, Y0)) < 1e-6
    # the two Storgatan segments meet too, but share a name: no entry
    assert not (g["key"] == "storgatan/storgatan").any()


def test_streets_of_different_orter_make_no_intersection(layers):
    streets = layers["streets"].copy()
    streets.loc[2, "ort"] = "Åsby"
    g = build_gazetteer(streets=streets)
    assert not (g["kind"] == "intersection").any()


def test_places_one_entry_per_name_and_alias(layers):
    g = build_gazetteer(**layers)
    places = g[g["kind"] == "place"]
    assert sorted(places["key"]) == ["busstationen", "bussterminalen", "resecentrum", "torget"]
    alias = _one(g, "place", "resecentrum")
    assert alias["name"] == "Busstationen, Strandby"
    assert alias.geometry.equals(Point(X0 + 50, Y0 + 50))


def test_area_entry_inside_its_polygon(layers):
    g = build_gazetteer(**layers)
    row = _one(g, "area", "strandby")
    assert (row["name"], row["ort"]) == ("Strandby", "Strandby")
    assert layers["areas"].geometry.iloc[0].contains(row.geometry)


def test_english_column_names_and_other_crs(layers):
    adr = layers["addresses"].rename(columns={"gata": "street", "nummer": "number",
                                              "bokstav": "letter", "postnummer": "postcode"})
    places = layers["places"].rename(columns={"namn": "name", "alias": "aliases"})
    streets = layers["streets"].rename(columns={"namn": "name"}).to_crs("EPSG:4326")
    g = build_gazetteer(addresses=adr, places=places, streets=streets)
    assert (g["kind"] == "intersection").sum() == 1
    assert _one(g, "place", "bussterminalen")["ort"] == "Strandby"
    # the street line came in WGS84 and is back in SWEREF 99 TM
    assert _one(g, "intersection", "kyrkogatan/storgatan").geometry.distance(
        Point(X0 + 200, Y0)) < 0.01


def test_output_crs_can_be_chosen(layers):
    g = build_gazetteer(addresses=layers["addresses"], crs="EPSG:3011")
    assert g.crs.to_epsg() == 3011


def test_numbers_written_with_their_letter(layers):
    adr = layers["addresses"].drop(columns="bokstav")
    adr["nummer"] = ["1", "2", "3", "4A", "4 B", "1", "3"]
    g = build_gazetteer(addresses=adr)
    assert _one(g, "address", "storgatan 4b")["letter"] == "B"


def test_ort_from_the_areas_when_a_layer_has_none(layers):
    places = layers["places"].drop(columns="ort")
    g = build_gazetteer(places=places, areas=layers["areas"])
    assert set(g.loc[g["kind"] == "place", "ort"]) == {"Strandby"}


def test_missing_required_column_names_it_in_both_languages(layers):
    adr = layers["addresses"].drop(columns="nummer")
    with pytest.raises(UserError) as err:
        build_gazetteer(addresses=adr)
    assert "'nummer'" in err.value.text("sv") and "Lägg till" in err.value.text("sv")
    assert "'number'" in err.value.text("en") and "Add a column" in err.value.text("en")
    with pytest.raises(UserError, match="namn"):
        build_gazetteer(places=layers["places"].drop(columns="namn"))


def test_layer_without_crs_is_refused(layers):
    adr = layers["addresses"].set_crs(None, allow_override=True)
    with pytest.raises(CrsError, match="set_crs"):
        build_gazetteer(addresses=adr)


def test_empty_gazetteer():
    g = build_gazetteer()
    assert len(g) == 0 and tuple(g.columns) == GAZETTEER_COLUMNS
    assert np.isin(g["kind"], []).all()

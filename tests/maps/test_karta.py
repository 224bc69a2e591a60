import re

import pytest

from trygg.layers.ingest import ingest_file
from trygg.maps.assets import OfflineError, inline_assets
from trygg.maps.karta import report_map, write_map
from trygg.maps.page import render_map

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def filled(project, data_dir):
    ingest_file(project, data_dir / "tabell_cp1252.csv")
    return project


def test_map_is_one_file_with_no_external_resources(filled, tmp_path):
    out = write_map(filled, tmp_path / "karta.html")
    html = out.read_text("utf-8")
    assert not re.search(r'<script[^>]+src=', html)
    assert not re.search(r'<link[^>]+href=', html)
    assert "cdn.jsdelivr" not in html and "unpkg" not in html
    assert "L.map(" in html and "Leaflet" in html
    assert "<title>Testkommun</title>" in html


def test_report_text_never_appears_as_markup(filled):
    html = render_map(report_map(filled))
    assert XSS not in html
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in html


def test_only_located_reports_in_vocabulary_order(filled):
    import json

    html = render_map(report_map(filled, lang="en"))
    data = json.loads(re.search(r'id="trygg-data">(.*?)</script>', html, re.S).group(1))
    assert [c["code"] for c in data["categories"]] == ["klotter", "samlingsplats", "ovrigt"]
    assert [c["label"] for c in data["categories"]] == ["Graffiti",
                                                        "Gathering place / disorder", "Other"]
    assert len(data["reports"]) == 3
    lat, lon = data["reports"][0][:2]
    assert 59 < lat < 61 and 16 < lon < 18
    assert data["texts"]["legend"] == "Categories"


def test_unknown_external_script_is_refused():
    with pytest.raises(OfflineError):
        inline_assets('<script src="https://example.invalid/x.js"></script>')


def page_data(html: str) -> dict:
    import json

    return json.loads(re.search(r'id="trygg-data">(.*?)</script>', html, re.S).group(1))


def test_basemap_is_online_only_when_asked_for(filled):
    html = render_map(report_map(filled))
    assert "tile.openstreetmap.org" not in html and page_data(html)["basemap"] is None
    osm = page_data(render_map(report_map(filled, basemap="osm")))["basemap"]
    assert osm["url"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert "OpenStreetMap" in osm["attribution"]
    url = "https://maps.example.invalid/topowebb/{z}/{y}/{x}.png"
    own = page_data(render_map(report_map(filled, basemap=url, attribution="© Lantmäteriet")))
    assert own["basemap"] == {"url": url, "attribution": "© Lantmäteriet", "max_zoom": 19}


def test_bad_basemap_names_the_fix(filled):
    from trygg.geo.errors import ArgumentError

    with pytest.raises(ArgumentError, match="--basemap"):
        report_map(filled, basemap="google")
    with pytest.raises(ArgumentError, match="--attribution"):
        report_map(filled, basemap="https://x.invalid/{z}/{x}/{y}.png")


def test_above_max_points_the_map_shows_counts_per_cell(filled):
    import json

    html = render_map(report_map(filled, max_points=2))
    data = json.loads(re.search(r'id="trygg-data">(.*?)</script>', html, re.S).group(1))
    assert data["reports"] == []
    cells = [o for o in data["overlays"] if o["kind"] == "cells"]
    assert len(cells) == 1
    assert sum(f["properties"]["n"] for f in cells[0]["geojson"]["features"]) == 3
    assert any("för många för punkter" in line for line in data["subtitle"])
    assert "\\u003cimg" not in html  # no report text when aggregated


def test_change_trend_and_divergence_grids_become_class_layers(demo, tmp_path):
    import json
    import shutil

    from trygg.layers.hotspots.runs import run_hotspots
    from trygg.layers.store import open_project

    shutil.copy(demo["project"], tmp_path / "p.gpkg")
    store = open_project(tmp_path / "p.gpkg")
    run_hotspots(store, "divergence", name="div")
    run_hotspots(store, "emerging", name="trend", options={"period": "2M"})
    html = render_map(report_map(store, runs=["div", "trend", "gistar"]))
    data = json.loads(re.search(r'id="trygg-data">(.*?)</script>', html, re.S).group(1))
    names = [o["name"] for o in data["overlays"]]
    assert "Otrygghet och brott – div" in names
    assert "Hotspots (Gi*-analys, 300 m rutor)" in names
    div = next(o for o in data["overlays"] if o["name"].startswith("Otrygghet"))
    assert {f["properties"]["klass"] for f in div["geojson"]["features"]} <= {
        "both", "unsafe_not_crime", "crime_not_unsafe"}
    assert div["legend"] and all(len(entry) == 3 for entry in div["legend"])


def test_kde_surface_is_an_image_overlay_in_web_mercator(demo, tmp_path):
    import base64
    import json
    import shutil

    from trygg.layers.hotspots.runs import run_hotspots
    from trygg.layers.store import open_project

    shutil.copy(demo["project"], tmp_path / "p.gpkg")
    store = open_project(tmp_path / "p.gpkg")
    run_hotspots(store, "kde", name="tathet")
    html = render_map(report_map(store, runs=["tathet"]))
    data = json.loads(re.search(r'id="trygg-data">(.*?)</script>', html, re.S).group(1))
    image = next(o for o in data["overlays"] if o["kind"] == "image")
    assert image["url"].startswith("data:image/png;base64,")
    png = base64.b64decode(image["url"].split(",", 1)[1])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    (south, west), (north, east) = image["bounds"]
    assert 59.5 < south < north < 60.5 and 16.5 < west < east < 17.8
    assert "rapporter per km²" in image["legend"][1][1]


def test_a_camera_run_shows_its_view_polygons(demo, tmp_path):
    import shutil

    from trygg.layers.cameras.runs import run_cameras
    from trygg.layers.store import open_project

    shutil.copy(demo["project"], tmp_path / "p.gpkg")
    store = open_project(tmp_path / "p.gpkg")
    kommun = demo["data"] / "kommun.gpkg"
    run_cameras(store, k=3, name="kam", candidates=f"{kommun}:kamerakandidater",
                buildings=f"{kommun}:byggnader")
    data = page_data(render_map(report_map(store, runs=["kam"])))
    views = next(o for o in data["overlays"] if o["name"].startswith("Föreslagna kameror"))
    features = views["geojson"]["features"]
    assert [f["properties"]["rank"] for f in features] == [1, 2, 3]
    assert {f["geometry"]["type"] for f in features} <= {"Polygon", "MultiPolygon"}
    assert features[0]["properties"]["share"].endswith("\u00a0%")
    assert [f for f, _ in views["fields"]][:2] == ["site_id", "rank"]
    assert views["legend"] == [["camera_view", "Område en föreslagen kamera skulle se",
                                "#6a3d9a"]]

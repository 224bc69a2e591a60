"""What the maps carry to be readable without an online basemap: background layers
labelled and styled by kind, and street, place and town names as data."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, box

from trygg.layers.store import open_project
from trygg.maps.background import layer_kind, layer_label
from trygg.maps.names import ZOOMS, name_labels
from trygg.maps.page import background_layers


def element(html: str, element_id: str) -> dict | None:
    found = re.findall(rf'<script type="application/json" id="{element_id}">(.*?)</script>',
                       html, re.S)
    assert len(found) <= 1
    return json.loads(found[0]) if found else None


@pytest.fixture(scope="module")
def kommun(demo):
    return demo["data"] / "kommun.gpkg"


@pytest.fixture(scope="module")
def labels(demo, kommun):
    return name_labels(open_project(demo["project"]), background=[kommun])["labels"]


# -- background layers -------------------------------------------------------------------

def test_background_layers_have_swedish_labels_and_points_are_left_out(kommun):
    layers = background_layers(kommun)
    assert {b["name"]: b["label"] for b in layers} == {
        "kommun": "Kommungräns", "tatorter": "Tätorter", "gator": "Gator",
        "byggnader": "Byggnader", "detaljplan": "Detaljplaner"}
    assert [b["label"] for b in background_layers(kommun, lang="en")] == [
        "Urban areas", "Buildings", "Streets", "Detailed plans", "Municipal boundary"]


def test_each_kind_has_its_own_style_drawn_bottom_up(kommun):
    layers = {b["kind"]: b for b in background_layers(kommun)}
    styles = [json.dumps(b["style"], sort_keys=True) for b in layers.values()]
    assert len(set(styles)) == len(styles) == 5
    assert layers["boundary"]["style"]["fill"] is False and layers["boundary"]["style"][
        "dashArray"]
    street = layers["streets"]["style"]
    assert street["color"] == "#ffffff" and street["casing"]["weight"] > street["weight"]
    assert layers["plans"]["style"]["hatch"] is True
    assert layers["buildings"]["style"]["fillOpacity"] > 0.5
    # fills at the bottom, the boundary on top
    assert [b["kind"] for b in background_layers(kommun)] == [
        "urban", "buildings", "streets", "plans", "boundary"]


@pytest.mark.parametrize(("name", "polygon", "kind"), [
    ("gator", False, "streets"), ("Gator", False, "streets"), ("sample_vägar", False, "streets"),
    ("Byggnader 2025", True, "buildings"), ("Kommungräns", True, "boundary"),
    ("tätorter", True, "urban"), ("detaljplaner", True, "plans"),
    ("gator", True, "polygon"),  # streets as polygons: not drawn as lines
    ("kommun", False, "line"), ("ledningar", False, "line"), ("<b>x</b>", True, "polygon"),
])
def test_layer_kind_by_name_and_geometry(name, polygon, kind):
    assert layer_kind(name, polygon=polygon) == kind


def test_an_unknown_layer_keeps_its_own_name():
    assert layer_label("<img src=x onerror=alert(1)>", "polygon") == (
        "<img src=x onerror=alert(1)>")
    assert layer_label("gator", "streets", lang="en") == "Streets"


# -- names -------------------------------------------------------------------------------

def test_town_place_and_street_names_of_the_demo(labels, kommun):
    by_kind = {k: [n for n in labels if n["kind"] == k] for k in ZOOMS}
    assert [n["text"] for n in by_kind["town"]] == ["Strandvik", "Björkås", "Lillmora"]
    places = {n["text"] for n in by_kind["place"]}
    assert {"Torget", "Busstationen", "Strandviksskolan"} <= places
    assert not any(p.startswith("Stolpe ") for p in places)  # camera sites are not places
    streets = gpd.read_file(kommun, layer="gator")
    assert {n["text"] for n in by_kind["street"]} == set(streets["namn"])
    # towns first, then places, then streets: the page gives way in this order
    assert [n["kind"] for n in labels] == sorted((n["kind"] for n in labels),
                                                 key=["town", "place", "street"].index)


def test_labels_say_their_zooms_and_streets_their_direction(labels):
    for n in labels:
        low, high = ZOOMS[n["kind"]]
        assert low <= n["min"] <= n["max"] == high
        assert n["lat"] == round(n["lat"], 4) and n["lon"] == round(n["lon"], 4)
        assert -90 < n["angle"] <= 90
    streets = [n for n in labels if n["kind"] == "street"]
    assert len({n["angle"] for n in streets}) > 5  # along the lines, not all horizontal
    assert min(n["min"] for n in streets) > max(n["min"] for n in labels
                                                if n["kind"] == "town")


def test_a_street_label_lies_on_its_street_and_follows_it(tmp_path, project):
    path = tmp_path / "bg.gpkg"
    # one street due north-east in SWEREF 99 TM, 1 km long, in two parts
    line = gpd.GeoDataFrame({"namn": ["Diagonalen", "Diagonalen"]}, geometry=[
        LineString([(620_000, 6_650_000), (620_350, 6_650_350)]),
        LineString([(620_350, 6_650_350), (620_707, 6_650_707)])], crs="EPSG:3006")
    line.to_file(path, layer="gator", engine="pyogrio")
    found = name_labels(project, background=[path])["labels"]
    middle = [n for n in found if n["min"] < 16]
    assert [n["text"] for n in middle] == ["Diagonalen"]
    wgs = line.to_crs(4326).union_all()
    assert wgs.distance(Point(middle[0]["lon"], middle[0]["lat"])) < 2e-4
    assert -60 < middle[0]["angle"] < -30  # rising to the right on screen
    assert len(found) == 1  # 1 km: not long enough for repeated labels


def test_without_named_layers_the_gazetteer_names_the_map(tmp_path, project):
    from trygg.layers.geocoding import add_to_gazetteer

    path = tmp_path / "orter.gpkg"
    gpd.GeoDataFrame({"namn": ["Storgatan"]}, geometry=[
        LineString([(620_000, 6_650_000), (620_400, 6_650_000)])], crs="EPSG:3006").to_file(
        path, layer="gator", engine="pyogrio")
    gpd.GeoDataFrame({"namn": ["Torget"]}, geometry=[Point(620_200, 6_650_050)],
                     crs="EPSG:3006").to_file(path, layer="platser", engine="pyogrio")
    gpd.GeoDataFrame({"namn": ["Mellby"]}, geometry=[box(619_500, 6_649_500, 621_000,
                                                         6_650_500)],
                     crs="EPSG:3006").to_file(path, layer="tatorter", engine="pyogrio")
    add_to_gazetteer(project, path)
    found = name_labels(project)["labels"]
    assert [(n["kind"], n["text"]) for n in found] == [
        ("town", "Mellby"), ("place", "Torget"), ("street", "Storgatan")]


def test_maps_carry_the_names_only_without_an_online_basemap(demo, kommun, tmp_path):
    from trygg.maps.karta import write_map
    from trygg.maps.publik import write_public_map

    store = open_project(demo["project"])
    offline = write_map(store, tmp_path / "a.html", background=[kommun]).read_text("utf-8")
    online = write_map(store, tmp_path / "b.html", background=[kommun], basemap="osm"
                       ).read_text("utf-8")
    public = write_public_map(store, tmp_path / "c.html", background=[kommun]
                              ).read_text("utf-8")
    assert element(online, "trygg-names") is None
    for page in (offline, public):
        names = element(page, "trygg-names")
        assert names["label"] == "Gatu- och ortnamn"
        assert len(names["labels"]) > 100
    assert element(offline, "trygg-names")["labels"] == name_labels(
        store, background=[kommun])["labels"]

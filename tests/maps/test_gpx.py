"""The walk as GPX 1.1 (maps.gpx → rutt.gpx), read back with GDAL."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pyogrio
import shapely
from hostile import payloads
from walkfake import PLACES, fake_plan

from trygg.maps.gpx import GPX_NS, write_gpx

NS = {"g": GPX_NS}


def test_gdal_reads_waypoints_a_route_and_a_track_in_walking_order(tmp_path):
    plan = fake_plan()
    out = write_gpx(plan, tmp_path / "rutt.gpx")
    layers = dict(pyogrio.list_layers(out))
    assert layers["waypoints"] == "Point" and layers["routes"] == "LineString"
    assert layers["tracks"] == "MultiLineString"
    waypoints = pyogrio.read_dataframe(out, layer="waypoints")
    names = [f"{i}. {p}" for i, p in enumerate(PLACES, start=1)]
    assert list(waypoints["name"]) == names
    assert waypoints.crs.to_epsg() == 4326
    expected = plan.stops.to_crs(4326)
    assert np.allclose(waypoints.geometry.x, expected.geometry.x, atol=1e-6)
    assert np.allclose(waypoints.geometry.y, expected.geometry.y, atol=1e-6)
    assert 59 < waypoints.geometry.y.min() < waypoints.geometry.y.max() < 61
    assert waypoints["desc"].iloc[0] == "Bristande belysning 4, Upplevd otrygghet 2"
    assert waypoints["desc"].iloc[2] == "Klotter 5, Skadegörelse 2"
    route_points = pyogrio.read_dataframe(out, layer="route_points")
    assert list(route_points["name"]) == names
    assert list(route_points["route_point_id"]) == [0, 1, 2, 3]
    (track,) = pyogrio.read_dataframe(out, layer="tracks").geometry
    line = plan.route.to_crs(4326).geometry.iloc[0]
    assert np.allclose(shapely.get_coordinates(track), shapely.get_coordinates(line),
                       atol=1e-6)
    assert track.geoms[0].coords[0] == track.geoms[0].coords[-1]  # the loop comes back


def test_the_file_is_gpx_1_1_with_its_elements_in_schema_order(tmp_path):
    out = write_gpx(fake_plan(), tmp_path / "rutt.gpx", lang="en")
    root = ET.parse(out).getroot()
    assert root.tag == f"{{{GPX_NS}}}gpx" and root.get("version") == "1.1"
    order = [child.tag.split("}")[1] for child in root]
    assert order == ["metadata", "wpt", "wpt", "wpt", "wpt", "rte", "trk"]
    assert root.find("g:metadata/g:name", NS).text == "Safety walk Centrum"
    assert root.find("g:wpt/g:desc", NS).text == "Poor lighting 4, Perceived unsafety 2"


def test_hostile_place_names_are_escaped_and_unwritable_characters_left_out(tmp_path):
    marker = tmp_path / "PWNED"
    places = [*payloads(marker)[4:6], "Tunnel\x00\x07 \ufffe väst", "Torget & <Kiosken>"]
    out = write_gpx(fake_plan(places=places), tmp_path / "rutt.gpx")
    raw = out.read_text("utf-8")
    assert "<img" not in raw and "<Kiosken>" not in raw
    waypoints = pyogrio.read_dataframe(out, layer="waypoints")
    assert list(waypoints["name"]) == [f"1. {places[0]}", f"2. {places[1]}",
                                       "3. Tunnel  väst", "4. Torget & <Kiosken>"]


def test_written_atomically_replacing_an_older_file(tmp_path):
    out = tmp_path / "ny" / "rutt.gpx"
    write_gpx(fake_plan(walk_id="forsta"), out)
    write_gpx(fake_plan(walk_id="andra"), out)
    assert [p.name for p in out.parent.iterdir()] == ["rutt.gpx"]
    assert ET.parse(out).getroot().find("g:metadata/g:desc", NS).text == "Vandring andra"

"""A walk run and the open actions on the internal map; neither on the public one."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from hostile import payloads
from walkfake import PLACES, actions_frame, fake_plan, walk_project

from trygg.maps.export import layer_name
from trygg.maps.karta import write_map
from trygg.maps.publik import write_public_map

TODAY = datetime.date(2026, 6, 1)


def page_data(text: str) -> dict:
    found = re.findall(r'<script type="application/json" id="trygg-data">(.*?)</script>',
                       text, re.S)
    return json.loads(found[0])


@pytest.fixture
def store(tmp_path):
    return walk_project(tmp_path)


def overlays(store, tmp_path, **options) -> dict:
    out = write_map(store, tmp_path / "karta.html", today=TODAY, **options)
    return {o["kind"]: o for o in page_data(out.read_text("utf-8"))["overlays"]}


def test_a_walk_run_shows_its_route_and_numbered_stops(store, tmp_path):
    walk = overlays(store, tmp_path, runs=["kvall"])["walk"]
    assert walk["name"] == "Trygghetsvandring (stopp och rutt) – kvall"
    features = walk["geojson"]["features"]
    assert [f["geometry"]["type"] for f in features] == ["LineString"] + ["Point"] * 4
    stops = [f["properties"] for f in features[1:]]
    assert [(s["stop"], s["place_name"]) for s in stops] == list(enumerate(PLACES, start=1))
    assert stops[2]["n_reports"] == 7 and stops[2]["categories"] == "Klotter 5, Skadegörelse 2"
    assert stops[0]["origin_label"] == "Hotspotområde"
    assert [f for f, _ in walk["fields"]][:3] == ["stop", "place_name", "n_reports"]
    lon, lat = features[1]["geometry"]["coordinates"]
    assert 16.9 < lon < 17.0 and 60.1 < lat < 60.12
    assert "walk" not in overlays(store, tmp_path)  # only when asked for with --runs
    about = page_data((tmp_path / "karta.html").read_text("utf-8"))["about"]
    assert about[-1].startswith("Öppna åtgärder från trygghetsvandringar")


def test_open_actions_are_a_layer_with_overdue_marked(store, tmp_path):
    actions = overlays(store, tmp_path)["actions"]
    assert actions["name"] == "Öppna åtgärder"
    rows = [f["properties"] for f in actions["geojson"]["features"]]
    assert [r["action"] for r in rows] == ["Byt armatur vid entrén", "Röj buskarna"]  # not done
    assert [r["klass"] for r in rows] == ["overdue", "in_progress"]
    assert rows[0]["overdue_label"] == "Ja, passerat" and rows[1]["overdue_label"] == ""
    assert rows[0]["responsible_label"] == "Kommunen" and rows[0]["deadline"] == "2026-01-31"
    assert rows[1]["status_label"] == "Pågår"
    assert [k for k, _, _ in actions["legend"]] == ["in_progress", "overdue"]
    english = overlays(store, tmp_path, lang="en")["actions"]
    assert english["name"] == "Open actions"
    assert english["geojson"]["features"][0]["properties"]["responsible_label"] == (
        "The municipality")


def test_the_public_map_shows_neither_walks_nor_actions(store, tmp_path):
    text = write_public_map(store, tmp_path / "publik.html", runs=["kvall"]).read_text("utf-8")
    for word in ("Byt armatur", "Öppna åtgärder", "Trygghetsvandring", "Busstationen"):
        assert word not in text


def test_hostile_walk_and_action_texts_are_data(tmp_path):
    marker = tmp_path / "PWNED"
    hostile = list(payloads(marker))
    store = walk_project(tmp_path, plan=fake_plan(places=hostile[:4]),
                         actions=actions_frame(hostile[4:7]))
    text = write_map(store, tmp_path / "k.html", runs=["kvall"], today=TODAY).read_text("utf-8")
    assert not marker.exists() and "SSTI-49-END" not in text and "<img" not in text
    data = {o["kind"]: o for o in page_data(text)["overlays"]}
    assert [f["properties"]["place_name"] for f in data["walk"]["geojson"]["features"][1:]] == (
        hostile[:4])
    assert [f["properties"]["action"] for f in data["actions"]["geojson"]["features"]] == (
        hostile[4:6])


def test_exported_walk_layers_have_plain_names(store):
    assert layer_name(store, "walk_kvall_stops").name == "vandringsstopp"
    assert layer_name(store, "walk_kvall_route", lang="en").name == "walk_route"
    assert layer_name(store, "actions").title == "Åtgärdsregister från trygghetsvandringar"


def test_actions_without_deadlines_or_anything_open_are_handled(tmp_path):
    frame = actions_frame().drop(columns="deadline")
    store = walk_project(tmp_path, actions=frame)
    rows = [f["properties"] for f in overlays(store, tmp_path)["actions"]["geojson"]["features"]]
    assert [r["overdue_label"] for r in rows] == ["", ""] and rows[0]["deadline"] == ""
    closed = actions_frame().assign(action_status="done")
    other = walk_project(tmp_path / "b", actions=closed)
    assert "actions" not in overlays(other, tmp_path)

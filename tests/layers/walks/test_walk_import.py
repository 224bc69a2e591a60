"""Bringing a filled-in walk protocol back: findings become reports, actions go to the
register, and importing again updates instead of duplicating."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from walkproto import STOP1, STOP2, fill, protocol

from trygg.geo.errors import InputFileError
from trygg.layers.store import create_project
from trygg.layers.walks.actions import overdue, read_actions, set_action
from trygg.layers.walks.findings import import_protocol
from trygg.layers.walks.scores import read_scores

TODAY = "2025-10-20"


@pytest.fixture
def store(tmp_path):
    return create_project(tmp_path / "p.gpkg", name="Vandringar")


def _import(store, path, today=TODAY, **kw):
    with store.writing():
        return import_protocol(store, path, today=today, **kw)


def _walk_reports(store):
    r = store.read_reports()
    return r[r["source"] == "walk"].set_index("report_id")


def test_findings_become_reports_actions_and_scores(store, tmp_path):
    path = fill(protocol(tmp_path), {2: STOP1, 3: STOP2})
    result = _import(store, path)
    assert (result.reports_added, result.actions_added, result.skipped_empty) == (2, 2, 1)
    assert result.rejected == 0 and result.walks == ["v1"]
    reports = _walk_reports(store)
    assert sorted(reports.index) == ["walk:v1:1a", "walk:v1:2a"]
    first = reports.loc["walk:v1:1a"]
    assert first["category"] == "belysning" and first["description"] == STOP1["Observation"]
    assert first["place_text"] == "Torget" and first["status"] == "open"
    assert (first.geometry.x, first.geometry.y) == (674_000.0, 6_580_000.0)
    assert pd.Timestamp(first["reported_at"]).tz_convert("Europe/Stockholm").date().isoformat() \
        == "2025-10-15"
    actions = read_actions(store).set_index("action_id")
    a1, a2 = actions.loc["v1:1a"], actions.loc["v1:2a"]
    assert a1["action"] == "Byt armaturen" and a1["responsible"] == "kommun"
    assert a1["priority"] == "hog" and a1["deadline"] == "2026-04-15"  # six months on
    assert a2["responsible"] == "fastighetsagare" and a2["deadline"] == "2026-01-31"
    assert a1["action_status"] == "open" and a1["report_id"] == "walk:v1:1a"
    scores = read_scores(store).set_index("row_id")
    assert scores.loc["1a", "lighting"] == 0 and scores.loc["1a", "feeling"] == 1
    assert scores.loc["1a", "group"] == "kvinnor" and scores.loc["1a", "light"] == "morkt"
    assert pd.isna(scores.loc["1a", "openness"])
    ingest = store.read("ingests").iloc[-1]
    assert ingest["source"] == "walk" and ingest["rows_read"] == 2


def test_importing_again_adds_nothing_and_an_edit_updates_in_place(store, tmp_path):
    path = fill(protocol(tmp_path), {2: STOP1, 3: STOP2})
    _import(store, path)
    again = _import(store, path)
    assert (again.reports_added, again.reports_updated, again.unchanged) == (0, 0, 2)
    assert (again.actions_added, again.actions_updated) == (0, 0)
    assert store.count("reports") == 2 and len(read_actions(store)) == 2
    fill(path, {2: {"Status": "Klar", "Stängd datum": "2025-11-30"}})
    edited = _import(store, path)
    assert (edited.reports_updated, edited.actions_updated, edited.reports_added) == (1, 1, 0)
    assert store.count("reports") == 2
    a = read_actions(store).set_index("action_id").loc["v1:1a"]
    assert a["action_status"] == "done" and a["closed_at"] == "2025-11-30"
    report = _walk_reports(store).loc["walk:v1:1a"]
    assert report["status"] == "closed"


def test_rows_moved_and_a_second_observation_added(store, tmp_path):
    path = fill(protocol(tmp_path), {2: STOP1, 3: STOP2})
    _import(store, path)
    # the group sorted the sheet (stop 2 first) and added 2b
    moved = fill(path, {2: {**STOP2, "Rad-id": "2a", "Stopp": 2, "Plats": "Parkstigen"},
                        3: {**STOP1, "Rad-id": "1a", "Stopp": 1, "Plats": "Torget"}},
                 tmp_path / "sorterat.xlsx",
                 append=[{"Rad-id": "2b", "Vandring": "v1", "Stopp": 2, "Datum": "2025-10-15",
                          "Observation": "Klotter på elskåpet", "Kategori": "Klotter",
                          "X": 674_150.0, "Y": 6_580_080.0}])
    result = _import(store, moved)
    assert result.reports_added == 1 and result.rejected == 0
    assert store.count("reports") == 3
    assert _walk_reports(store).loc["walk:v1:2b", "category"] == "klotter"
    assert len(read_actions(store)) == 2  # 2b has no action


def test_a_closed_action_stays_closed_when_the_same_protocol_comes_again(store, tmp_path):
    path = fill(protocol(tmp_path), {2: STOP1})
    _import(store, path)
    with store.writing():
        set_action(store, "v1:1a", "done", date="2025-11-02", note="Armaturen bytt")
    _import(store, path)
    a = read_actions(store).set_index("action_id").loc["v1:1a"]
    assert a["action_status"] == "done" and a["closed_at"] == "2025-11-02"
    assert "Armaturen bytt" in a["note"]


@pytest.mark.parametrize(("values", "reason"), [
    ({"Kategori": "Trasiga gungor"}, "unknown_category"),
    ({"Belysning": 5}, "score_out_of_range"),
    ({"Känsla av trygghet": "bra"}, "score_out_of_range"),
    ({"Senast klart": "2025-01-01"}, "deadline_past"),
    ({"Prioritet": "Akut"}, "bad_value"),
    ({"Status": "Kanske"}, "unknown_status"),
    ({"Rad-id": None}, "missing_row_id"),
    ({"Vandring": None}, "unknown_walk"),
    ({"Datum": "igår"}, None),
])
def test_bad_rows_are_rejects_with_line_and_reason(store, tmp_path, values, reason):
    path = fill(protocol(tmp_path), {2: STOP2, 3: {**STOP1, **values}})
    result = _import(store, path)
    assert result.reports_added == 1 and result.rejected == 1
    rejects = store.read("rejects")
    assert len(rejects) == 1
    row = rejects.iloc[0]
    assert row["file"] == "protokoll.xlsx" and int(row["line"]) == 3
    if reason:
        assert row["reason"] == reason
    assert STOP1["Observation"] in json.loads(row["row"]).values()


def test_a_row_id_twice_is_rejected_once(store, tmp_path):
    path = fill(protocol(tmp_path), {2: STOP1, 3: {**STOP2, "Rad-id": "1a"}})
    result = _import(store, path)
    assert result.reports_added == 1 and result.rejected_by_reason == {"duplicate_row_id": 1}


def test_english_protocol_and_csv(store, tmp_path):
    en = protocol(tmp_path, lang="en")
    path = fill(en, {2: {"Observation": "Broken lamp", "Category": "Poor lighting",
                         "Light/dark": "Dark", "Group": "Women", "Lighting": 0,
                         "Proposed action": "Replace it", "Responsible": "The police",
                         "Priority": "High"}})
    assert _import(store, path).reports_added == 1
    a = read_actions(store).iloc[0]
    assert a["responsible"] == "polis" and a["priority"] == "hog"
    # the same columns as CSV (Swedish office style: ; and decimal comma)
    csv = tmp_path / "protokoll.csv"
    frame = pd.read_excel(path, dtype=str).fillna("")
    frame.loc[1, ["Observation", "Category"]] = ["Trash everywhere", "Litter"]
    frame.to_csv(csv, sep=";", index=False, encoding="utf-8-sig")
    result = _import(store, csv)
    assert result.reports_added == 1 and result.unchanged == 1, result
    assert _walk_reports(store).loc["walk:v1:2a", "category"] == "nedskrapning"


def test_a_file_that_is_no_protocol_is_refused(store, tmp_path):
    other = tmp_path / "annat.csv"
    other.write_text("namn;antal\nx;1\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="vandringsprotokoll"):
        _import(store, other)
    assert store.count("reports") == 0


def test_gpx_waypoints_from_a_phone(store, tmp_path):
    gpx = tmp_path / "telefon.gpx"
    gpx.write_text(
        '<?xml version="1.0"?><gpx version="1.1" creator="t" '
        'xmlns="http://www.topografix.com/GPX/1/1">'
        '<wpt lat="59.3293" lon="18.0686"><time>2025-10-15T19:05:00Z</time>'
        '<name>1. Torget</name><desc>Lampan trasig</desc><type>Bristande belysning</type></wpt>'
        '<wpt lat="59.3300" lon="18.0700"><time>2025-10-15T19:20:00Z</time>'
        '<name>2b</name><desc>Klotter</desc><type>Klotter</type></wpt></gpx>',
        encoding="utf-8")
    result = _import(store, gpx, walk="v1")
    assert result.reports_added == 2 and result.rejected == 0
    assert sorted(_walk_reports(store).index) == ["walk:v1:1a", "walk:v1:2b"]


def test_an_old_protocol_imported_late_gives_overdue_actions(store, tmp_path):
    path = fill(protocol(tmp_path), {2: STOP1})  # walked 2025-10-15, no deadline written
    result = _import(store, path, today="2026-12-03")
    assert result.rejected == 0 and result.actions_added == 1
    assert overdue(read_actions(store), "2026-12-03")["action_id"].tolist() == ["v1:1a"]

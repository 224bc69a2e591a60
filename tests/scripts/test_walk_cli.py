"""`trygg walk`, `trygg walk-import` and `trygg actions` on a copy of the demo project:
the organiser's round trip from the command line, and the mistakes users make."""

import re
import shutil

import pyogrio
import pytest
from openpyxl import load_workbook

from trygg.cli import main
from trygg.layers.store import open_project
from trygg.sample_sources import fill_walk_protocol


@pytest.fixture
def proj(demo, tmp_path):
    path = tmp_path / "demo.gpkg"
    shutil.copy(demo["project"], path)
    return path


@pytest.fixture
def kommun(demo):
    return demo["data"] / "kommun.gpkg"


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def _walk(capsys, proj, kommun, out, *extra):
    return run(capsys, "walk", proj, "--area", "Björkås", "--out", out, "--stops", "6",
               "--network", f"{kommun}:gator", "--date", "2025-10-15", "--name", "test",
               *extra)


def test_walk_writes_protocol_route_and_layers(proj, kommun, tmp_path, capsys):
    out = tmp_path / "vandring"
    code, stdout, err = _walk(capsys, proj, kommun, out)
    assert code == 0, err
    assert "Vandring test i Björkås: 6 stopp" in stdout
    assert "solnedgång" in stdout and "borgerlig skymning" in stdout
    for name in ("vandring.html", "protokoll.xlsx", "rutt.gpx", "platser.csv"):
        assert (out / name).is_file(), name
    layers = set(pyogrio.list_layers(proj)[:, 0])
    assert {"walk_test_stops", "walk_test_route"} <= layers
    stops = pyogrio.read_dataframe(proj, layer="walk_test_stops")
    assert stops["stop"].tolist() == list(range(1, 7))
    runs = open_project(proj).read("runs").set_index("run_id")
    assert runs.loc["test", "kind"] == "walk"
    code, stdout, _ = run(capsys, "runs", proj)
    assert "test" in stdout
    code, stdout, _ = run(capsys, "runs", proj, "remove", "test")
    assert code == 0 and "walk_test_stops" not in pyogrio.list_layers(proj)[:, 0]


def test_walk_in_english(proj, kommun, tmp_path, capsys):
    code, stdout, err = run(capsys, "--lang", "en", "walk", proj, "--area", "Björkås",
                            "--out", tmp_path / "walk", "--stops", "4", "--name", "en")
    assert code == 0, err
    assert "Walk en in Björkås: 4 stops" in stdout


def test_round_trip_import_update_and_actions(proj, kommun, tmp_path, capsys):
    out = tmp_path / "vandring"
    assert _walk(capsys, proj, kommun, out)[0] == 0
    before = open_project(proj).count("reports")
    filled = fill_walk_protocol(out / "protokoll.xlsx", tmp_path / "ifyllt.xlsx", closed=1)
    code, stdout, err = run(capsys, "walk-import", proj, filled, "--today", "2025-10-20")
    assert code == 0, err
    assert "6 nya och 0 uppdaterade fynd" in stdout
    assert "6 nya och 0 uppdaterade åtgärder" in stdout
    store = open_project(proj)
    assert store.count("reports") == before + 6
    walk = store.read_reports(["report_id", "source"])
    assert walk["report_id"].str.startswith("walk:test:").sum() == 6
    # again: nothing new
    code, stdout, _ = run(capsys, "walk-import", proj, filled, "--today", "2025-10-20")
    assert code == 0 and "0 nya och 0 uppdaterade fynd" in stdout
    assert open_project(proj).count("reports") == before + 6
    # the default deadline (six months after the walk) has passed by 2026-06-01
    code, stdout, _ = run(capsys, "actions", proj, "--today", "2026-06-01")
    assert code == 0 and "Försenade åtgärder" in stdout
    assert re.search(r"Andel klotter stängd inom 48 h: \d+\u00a0% \(\d+ av \d+ rapporter", stdout)
    # an updated status in the protocol updates the action
    wb = load_workbook(filled)
    ws = wb.worksheets[0]
    head = {c.value: c.column for c in ws[1]}
    ws.cell(row=3, column=head["Status"], value="Klar")
    ws.cell(row=3, column=head["Stängd datum"], value="2025-12-01")
    wb.save(filled)
    code, stdout, err = run(capsys, "walk-import", proj, filled, "--today", "2025-10-20")
    assert code == 0, err
    assert "1 uppdaterade åtgärder" in stdout
    actions = open_project(proj).read_layer("actions")
    actions = actions[actions["walk_id"] == "test"]  # the demo project has its own walk
    assert (actions["action_status"] == "done").sum() == 2
    # and the command closes one
    first_open = actions.loc[actions["action_status"] == "open", "action_id"].iloc[0]
    code, stdout, err = run(capsys, "actions", proj, "set", first_open, "--status", "done",
                            "--date", "2026-01-10")
    assert code == 0, err
    actions = open_project(proj).read_layer("actions").set_index("action_id")
    assert actions.loc[first_open, "action_status"] == "done"
    assert actions.loc[first_open, "closed_at"] == "2026-01-10"
    xlsx = tmp_path / "atgarder.xlsx"
    code, stdout, err = run(capsys, "actions", proj, "--out", xlsx, "--today", "2026-06-01")
    assert code == 0, err
    sheets = load_workbook(xlsx).sheetnames
    assert "Öppna åtgärder" in sheets and "Per ansvarig" in sheets
    assert "Klotter inom 48 h" in sheets


@pytest.mark.parametrize(("args", "words"), [
    (["--area", "Ingenstans"], "Ingenstans"),
    (["--area", "Björkås", "--date", "15/10"], "--date"),
    (["--area", "Björkås", "--max-km", "-1"], "--max-km"),
    (["--area", "Björkås", "--sites-only"], "--sites"),
    (["--area", "Björkås", "--network", "finns_inte.gpkg"], "finns_inte.gpkg"),
])
def test_walk_mistakes_are_one_line(proj, tmp_path, capsys, args, words):
    code, out, err = run(capsys, "walk", proj, "--out", tmp_path / "v", *args)
    assert code == 2, out
    assert words in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err


def test_import_and_action_mistakes(proj, tmp_path, capsys):
    code, _, err = run(capsys, "walk-import", proj, tmp_path / "saknas.xlsx")
    assert code == 2 and "saknas.xlsx" in err
    code, _, err = run(capsys, "actions", proj, "set", "nej:1.1", "--status", "done")
    assert code == 2 and "nej:1.1" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "actions", proj, "stäng")
    assert code == 2 and "list eller set" in err

"""`trygg hotspots` on the demo project: runs, filters, storage, exports, mistakes."""

import json
import shutil

import pyogrio
import pytest

from trygg.cli import main
from trygg.layers.store import open_project


@pytest.fixture
def proj(demo, tmp_path):
    path = tmp_path / "demo.gpkg"
    shutil.copy(demo["project"], path)
    return path


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_gistar_with_filters_is_stored_with_its_parameters(proj, capsys):
    code, out, err = run(capsys, "hotspots", proj, "--method", "gistar", "--name", "kväll",
                       "--kind", "brott", "--hours", "18-06", "--cell", "600", "--weights")
    assert code == 0 and "Körningen kvall" in out and "grid_kvall" in out, err
    runs = open_project(proj).read("runs").set_index("run_id")
    params = json.loads(runs.loc["kvall", "params"])
    assert params["selection"]["kinds"] == ["brott"] and params["selection"]["hours"] == [18, 6]
    assert params["cell"] == 600 and params["weights"] is True
    inputs = json.loads(runs.loc["kvall", "inputs"])
    assert 0 < inputs["selected"] < inputs["reports"]
    grid = pyogrio.read_dataframe(proj, layer="grid_kvall")
    assert {"cell_id", "n", "gistar", "pvalue", "padj", "klass"} <= set(grid.columns)


def test_kde_writes_a_geotiff_beside_the_project(proj, capsys):
    code, out, _ = run(capsys, "hotspots", proj, "--method", "kde", "--name", "tathet",
                       "--kernel", "gaussian", "--bandwidth", "150")
    assert code == 0 and (proj.parent / "demo_tathet_kde.tif").exists()


def test_a_kde_run_exports_as_geotiff_with_its_qgis_style(proj, tmp_path, capsys):
    run(capsys, "hotspots", proj, "--method", "kde", "--name", "yta")
    code, out, _ = run(capsys, "export", proj, "--layer", "grid_yta", "--out",
                       tmp_path / "yta.tif")
    assert code == 0 and (tmp_path / "yta.tif").exists() and (tmp_path / "yta.qml").exists()
    assert "yta.qml" in out


def test_result_layers_export_like_any_layer(proj, tmp_path, capsys):
    run(capsys, "hotspots", proj, "--method", "clusters", "--name", "omr")
    code, _, _ = run(capsys, "export", proj, "--layer", "hotspots_omr", "--out",
                     tmp_path / "omr.xlsx")
    assert code == 0 and (tmp_path / "omr.xlsx").exists()


@pytest.mark.parametrize("args, expected", [
    (["--method", "magic"], "Okänd metod"),
    (["--hours", "kväll"], "FRÅN-TILL"),
    (["--category", "graffiti"], "--category"),
    (["--grid", "saknas.gpkg"], "finns inte"),
    (["--since", "2099-01-01"], "Inga rapporter"),
    (["--method", "change", "--period-a", "1/1/2025:2025-06-30"], "FRÅN:TILL"),
    (["--method", "change", "--period-a", "2025-01", "--period-b", "2025-13"], "kalendern"),
    (["--since", "1/5/2025"], "ÅÅÅÅ-MM-DD"),
    (["--method", "gistar", "--bandwidth", "300"], "--bandwidth gäller inte metoden gistar"),
    (["--method", "kde", "--period", "3M"], "--period gäller inte metoden kde"),
    (["--method", "count", "--p-adjust", "fdr"], "count tar: --cell"),
    (["--method", "clusters", "--cell", "100"], "bara med --cluster-method gistar"),
    (["--method", "gistar", "--p-adjust", "holm"], "holm"),
])
def test_mistakes_are_one_line_and_leave_the_project_untouched(proj, capsys, args, expected):
    before = proj.read_bytes()
    code, _, err = run(capsys, "hotspots", proj, *args)
    assert code == 2 and expected in err and len(err.strip().splitlines()) == 1
    assert proj.read_bytes() == before


def test_a_run_name_is_used_once(proj, capsys):
    assert run(capsys, "hotspots", proj, "--method", "count", "--name", "x")[0] == 0
    code, _, err = run(capsys, "hotspots", proj, "--method", "count", "--name", "x")
    assert code == 2 and "--name" in err


def test_iso_weeks_months_quarters_select_whole_days(proj, capsys):
    code, out, _ = run(capsys, "hotspots", proj, "--method", "count", "--name", "q3",
                       "--since", "2025-Q3", "--until", "2025-09", "--cell", "250")
    assert code == 0
    reports = open_project(proj).read_reports()
    local = reports["reported_at"].dt.tz_convert("Europe/Stockholm")
    located = reports["precision"].isin(("exact", "address", "street", "intersection",
                                         "place"))
    expected = int((located & (local >= "2025-07-01") & (local < "2025-10-01")).sum())
    inputs = json.loads(open_project(proj).read("runs").set_index("run_id").loc["q3",
                                                                                "inputs"])
    assert inputs["selected"] == expected > 0
    assert f"Körningen q3: {expected} rapporter" in out


def test_change_periods_are_iso_ranges_with_both_ends_included(proj, capsys):
    code, out, err = run(capsys, "hotspots", proj, "--method", "change", "--name", "kv",
                         "--period-a", "2024-Q4", "--period-b", "2025-10:2025-12")
    assert code == 0, err
    params = json.loads(open_project(proj).read("runs").set_index("run_id").loc["kv",
                                                                                "params"])
    assert params["options"]["period_a"] == ["2024-10-01", "2025-01-01"]
    assert params["options"]["period_b"] == ["2025-10-01", "2026-01-01"]

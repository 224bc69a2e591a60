"""The real Memphis robberies (sfhotspot's example data) through `trygg`, end to end,
in a project whose working CRS is UTM 15N (EPSG:32615), with every hotspot method."""

import json

import pyogrio
import pytest

from trygg.cli import main
from trygg.layers.store import open_project

METHODS = [
    ["--method", "count"],
    ["--method", "kde"],
    ["--method", "gistar"],
    ["--method", "clusters"],
    ["--method", "clusters", "--cluster-method", "gistar"],
    ["--method", "change", "--period-a", "2019-01-01/2019-07-01",
     "--period-b", "2019-07-01/2020-01-01"],
    ["--method", "emerging", "--period", "1M"],
    ["--method", "gistar", "--grid", "hex", "--cell", "1300", "--hours", "18-06"],
]


@pytest.fixture(scope="module")
def memphis(tmp_path_factory, shared):
    folder = tmp_path_factory.mktemp("memphis")
    project = folder / "memphis.gpkg"
    profile = folder / "memphis.toml"
    profile.write_text('crs = "EPSG:32615"\n[columns]\nsource_id = "uid"\n'
                       'category = "offense_type"\nreported_at = "date"\n'
                       '[categories]\n"personal robbery" = "ran"\n', encoding="utf-8")
    assert main(["init", str(project), "--crs", "EPSG:32615", "--name", "Memphis"]) == 0
    assert main(["ingest", str(project), str(shared("memphis_robberies.csv")),
                 "--profile", str(profile)]) == 0
    return project


def test_every_robbery_is_a_report_in_utm(memphis):
    store = open_project(memphis)
    reports = store.read_reports()
    assert store.crs == "EPSG:32615"
    assert len(reports) == 2245 and (reports["category"] == "ran").all()
    assert 770_000 < reports.geometry.x.median() < 790_000


@pytest.mark.parametrize("args", METHODS, ids=lambda a: "_".join(a[1:4]))
def test_every_method_runs_and_is_stored(memphis, args, capsys):
    assert main(["hotspots", str(memphis), *args]) == 0
    out = capsys.readouterr().out
    assert "Körningen" in out and "rapporter" in out
    store = open_project(memphis)
    runs = store.read("runs")
    last = runs.sort_values("created_at").iloc[-1]
    assert last["kind"] == args[1]
    for layer in json.loads(last["layers"]):
        if layer.endswith(".tif"):
            assert (memphis.parent / layer).exists()
        else:
            assert pyogrio.read_info(memphis, layer=layer)["features"] > 0
            assert pyogrio.read_info(memphis, layer=layer)["crs"] == "EPSG:32615"


def test_divergence_needs_both_kinds_and_says_so(memphis, capsys):
    assert main(["hotspots", str(memphis), "--method", "divergence"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "otrygghet" in err


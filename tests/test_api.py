"""``import trygg`` for a notebook: the verbs resolve lazily and do the whole job.

Everything below uses only ``trygg.<verb>`` names (and the objects they return), as a
notebook would.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import trygg

#: Verb → the module that defines it (the layer it belongs to).
HOME = {
    "create_project": "trygg.layers.store", "open_project": "trygg.layers.store",
    "ingest_file": "trygg.layers.ingest", "hotspot_gistar": "trygg.layers.hotspots.gistar",
    "hotspot_kde": "trygg.layers.hotspots.kde", "run_hotspots": "trygg.layers.hotspots.runs",
    "write_map": "trygg.maps.karta", "write_public_map": "trygg.maps.publik",
    "render_map": "trygg.maps.page", "export_layer": "trygg.maps.export",
    "make_sample": "trygg.sample",
}


def test_all_lists_exactly_the_verbs_and_the_version():
    assert sorted(trygg.__all__) == sorted(["__version__", *trygg._VERBS])


def test_every_listed_name_resolves_to_a_function_with_a_docstring():
    for name in trygg.__all__:
        value = getattr(trygg, name)
        if name == "__version__":
            assert isinstance(value, str) and value
            continue
        assert callable(value) and value.__doc__, name
        assert value.__name__ == name


@pytest.mark.parametrize(("name", "module"), sorted(HOME.items()))
def test_a_verb_is_the_library_function(name, module):
    assert getattr(trygg, name).__module__ == module


def test_the_verbs_are_listed_by_dir():
    names = dir(trygg)
    assert {"hotspot_gistar", "hotspot_count", "hotspot_emerging", "ingest_file",
            "write_map", "write_public_map", "export_layer", "__version__"} <= set(names)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'hotspot_magic'"):
        trygg.hotspot_magic  # noqa: B018
    assert not hasattr(trygg, "hotspot_magic")


def test_import_trygg_is_cheap_and_a_verb_imports_its_module():
    code = """
import json, sys
import trygg
before = sorted(m for m in sys.modules if m.startswith(("trygg.", "geopandas", "numpy")))
trygg.hotspot_gistar
after = sorted(m for m in sys.modules if m.startswith(("trygg.", "geopandas", "numpy")))
print(json.dumps([before, after]))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    before, after = json.loads(done.stdout)
    assert before == []
    assert "trygg.layers.hotspots.gistar" in after and "trygg.maps.karta" not in after


def test_a_notebook_from_sample_to_map(tmp_path):
    sample = trygg.make_sample(tmp_path / "data")
    store = trygg.create_project(tmp_path / "nb.gpkg", name="Exempelby kommun",
                                 area=trygg.area_bounds(sample["kommun"], layer="kommun"))
    trygg.add_to_gazetteer(store, sample["kommun"])
    summary = trygg.ingest_file(store, sample["rapporter"], source="table")
    assert summary.reports_added > 1000 and summary.balanced

    reports = store.read_reports()
    cells = trygg.hotspot_gistar(reports, quiet=True)
    assert {"n", "gistar", "pvalue", "padj", "klass"} <= set(cells.columns)
    assert cells["n"].sum() == reports.geometry.notna().sum()
    assert ((cells["pvalue"].dropna() >= 0) & (cells["pvalue"].dropna() <= 1)).all()

    run = trygg.run_hotspots(store, "gistar", name="nb")
    assert [r.run_id for r in trygg.list_runs(store)] == [run.run_id] == ["nb"]
    out = trygg.write_map(store, tmp_path / "karta.html")
    assert out.read_text("utf-8").startswith("<!DOCTYPE html>")
    public = trygg.write_public_map(store, tmp_path / "publik.html")
    assert public.stat().st_size > 0
    exported = trygg.export_layer(store, "reports", tmp_path / "rapporter.geojson")
    assert exported.path.stat().st_size > 0

    again = trygg.open_project(tmp_path / "nb.gpkg")
    assert trygg.project_summary(again).reports == summary.reports_added

"""Runs of a project: listing, checking names, removing them with their layers and files."""

import shutil
import sqlite3

import pyogrio
import pytest

from trygg.geo.errors import ArgumentError
from trygg.layers.hotspots.catalog import list_runs, remove_runs, resolve_runs
from trygg.layers.hotspots.runs import run_hotspots
from trygg.layers.store import open_project, stale_copies


@pytest.fixture
def demo_copy(demo, tmp_path):
    path = tmp_path / "demo.gpkg"
    shutil.copy(demo["project"], path)
    return open_project(path)


def assert_valid_geopackage(path):
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    for name, _ in pyogrio.list_layers(path):
        pyogrio.read_info(path, layer=name)


def test_list_runs_of_the_demo(demo_copy):
    runs = {r.run_id: r for r in list_runs(demo_copy)}
    assert set(runs) == {"gistar", "clusters", "kameror", "bjorkas_hosten"}
    walk = runs["bjorkas_hosten"]
    assert walk.kind == "walk"
    assert walk.layers == ["walk_bjorkas_hosten_stops", "walk_bjorkas_hosten_route"]
    assert runs["kameror"].kind == "cameras"
    assert runs["kameror"].layers == ["camera_sites_kameror", "camera_views_kameror"]
    assert runs["gistar"].kind == "gistar" and runs["gistar"].layers == ["grid_gistar"]
    assert runs["clusters"].layers == ["hotspots_clusters"]
    assert runs["gistar"].created_at <= runs["clusters"].created_at


def test_resolve_runs_names_what_exists(demo_copy):
    assert resolve_runs(demo_copy, None) is None
    assert resolve_runs(demo_copy, ["gistar"]) == ["gistar"]
    with pytest.raises(ArgumentError) as info:
        resolve_runs(demo_copy, ["gistar", "gistar_20261124_101500"])
    text = info.value.text("sv")
    assert "ingen körning som heter gistar_20261124_101500" in text
    assert "gistar, clusters" in text
    assert "Runs that exist: gistar, clusters" in info.value.text("en")


def test_remove_runs_drops_layers_rows_and_geotiffs(demo_copy):
    kde = run_hotspots(demo_copy, "kde", name="tathet", cell=250)
    tif = kde.files[0]
    assert tif.is_file()
    size_before = demo_copy.path.stat().st_size
    removed = remove_runs(demo_copy, ["tathet", "gistar"])
    assert [r.run_id for r in removed] == ["tathet", "gistar"]
    names = [n for n, _ in pyogrio.list_layers(demo_copy.path)]
    assert "grid_tathet" not in names and "grid_gistar" not in names
    assert "hotspots_clusters" in names and "reports" in names
    assert list(demo_copy.read("runs")["run_id"]) == ["clusters", "kameror", "bjorkas_hosten"]
    assert not tif.exists()
    assert demo_copy.path.stat().st_size < size_before  # vacuumed: the grids' space is back
    assert_valid_geopackage(demo_copy.path)
    assert not stale_copies(demo_copy.path)
    # The project goes on working: a new run with a removed name.
    run_hotspots(demo_copy, "count", name="gistar", cell=250)
    assert "grid_gistar" in demo_copy.layers()


def test_remove_unknown_run_removes_nothing(demo_copy):
    before = demo_copy.path.read_bytes()
    with pytest.raises(ArgumentError, match="Körningar som finns: gistar, clusters"):
        remove_runs(demo_copy, ["clusters", "saknas"])
    assert demo_copy.path.read_bytes() == before


def test_a_layer_without_a_row_is_a_run_too(project):
    import geopandas as gpd
    import shapely

    with project.transaction() as tx:
        tx.replace("grid_egen", gpd.GeoDataFrame({"n": [1]}, geometry=[shapely.box(0, 0, 1, 1)],
                                                 crs=3006))
    (run,) = list_runs(project)
    assert run.run_id == "egen" and run.kind is None and run.layers == ["grid_egen"]
    remove_runs(project, ["egen"])
    assert list_runs(project) == [] and "grid_egen" not in project.layers()
    with pytest.raises(ArgumentError, match="inga körningar ännu"):
        resolve_runs(project, ["egen"])

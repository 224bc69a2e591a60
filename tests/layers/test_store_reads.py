"""The store's reads (columns, filters, points), rasters, staged transactions and
projects written before them (issue 9)."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from trygg.layers import schema
from trygg.layers import store as store_mod
from trygg.layers.ingest import ingest_file
from trygg.layers.store import Between, open_project

FORK = multiprocessing.get_context("fork")


@pytest.fixture
def filled(project, data_dir):
    ingest_file(project, data_dir / "tycktill_cp1252.csv", source="tycktill")
    ingest_file(project, data_dir / "tabell_cp1252.csv")
    return project


def test_columns_are_only_what_was_asked_with_model_dtypes(filled):
    full = filled.read_reports()
    some = filled.read_reports(["category", "reported_at"])
    assert list(some.columns) == ["category", "reported_at", "geometry"]
    assert some["category"].dtype == full["category"].dtype
    assert str(some["reported_at"].dt.tz) == schema.TIMEZONE
    pd.testing.assert_series_equal(some["category"], full["category"])
    pd.testing.assert_series_equal(some["reported_at"], full["reported_at"])
    assert some.geometry.equals(full.geometry)
    assert some.crs == full.crs


def test_a_filter_is_the_same_as_filtering_afterwards(filled):
    full = filled.read_reports()
    cat = full["category"].iloc[0]
    lo = full["reported_at"].sort_values().iloc[len(full) // 3]
    hi = full["reported_at"].sort_values().iloc[2 * len(full) // 3]
    got = filled.read_reports(["report_id"], where={"category": [cat],
                                                    "reported_at": Between(lo, hi)})
    want = full[(full["category"] == cat) & (full["reported_at"] >= lo)
                & (full["reported_at"] < hi)]
    assert sorted(got["report_id"]) == sorted(want["report_id"])
    assert len(filled.read_reports(["report_id"], where={"category": []})) == 0
    quoted = filled.read_reports(["report_id"], where={"category": ["o'hm"]})
    assert len(quoted) == 0


def test_points_are_the_located_reports_as_arrays(filled):
    full = filled.read_reports(["report_id", "source"])
    located = full[full.geometry.notna() & ~full.geometry.is_empty]
    points = filled.read_points(["report_id", "source"])
    assert len(points) == len(located) > 0
    assert list(points.attributes["report_id"]) == list(located["report_id"])
    np.testing.assert_array_equal(points.x, located.geometry.x.to_numpy())
    np.testing.assert_array_equal(points.y, located.geometry.y.to_numpy())
    back = points.to_geodataframe()
    assert back.crs == full.crs and back.geometry.equals(located.geometry.reset_index(drop=True))
    only = filled.read_points(where={"source": ["table"]})
    assert len(only) == int((located["source"] == "table").sum())
    assert list(only.attributes.columns) == []


def test_read_layer_and_count(filled):
    assert filled.read_layer("no_such_layer").empty
    assert filled.count("reports") == len(filled.read_reports(["report_id"]))
    assert filled.count("no_such_layer") == 0
    assert len(filled.read("ingests", where={"source": ["tycktill"]})) == 1


def test_rasters_live_where_the_store_says(project):
    name = project.raster_name("kde_x", "kde")
    assert project.raster_path(name) is None
    with project.store_raster(name) as tmp:
        tmp.write_bytes(b"II*\0")
    path = project.raster_path(name)
    assert path is not None and path.read_bytes() == b"II*\0"
    with pytest.raises(RuntimeError), project.store_raster(name) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("avbrott")
    assert path.read_bytes() == b"II*\0"  # a failed write leaves the raster as it was
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp.tif")]
    for bad in ("../x.tif", "other_kde.tif", f"{project.path.stem}_x.gpkg"):
        assert project.raster_path(bad) is None
        with pytest.raises(ValueError), project.store_raster(bad):
            pass
    project.remove_rasters([name, "../x.tif"])
    assert project.raster_path(name) is None
    assert project.local_files() == [project.path]


def _grid(n=50):
    cols = np.arange(n)
    return gpd.GeoDataFrame({"cell_id": [f"c{i}" for i in cols], "n": cols.astype(float)},
                            geometry=shapely.box(cols * 10.0 + 6e5, 6.6e6, cols * 10.0 + 6e5 + 10,
                                                 6.6e6 + 10), crs="EPSG:3006")


def _run_row(run_id):
    return pd.DataFrame([{"run_id": run_id, "kind": "count", "created_at": pd.Timestamp.now("UTC"),
                          "params": "{}", "inputs": "{}", "layers": f'["grid_{run_id}"]'}])


def test_a_staged_transaction_adds_a_valid_layer_without_copying(filled, monkeypatch):
    def no_copy(*args, **kwargs):
        raise AssertionError("a new layer and a run row must not copy the project")

    monkeypatch.setattr("trygg.layers.store.shutil.copy2", no_copy)
    with filled.transaction() as tx:
        tx.replace("grid_a", _grid())
        tx.append("grid_a", _grid(3))
        tx.append("runs", _run_row("a"))
    assert filled.count("grid_a") == 53
    runs = filled.read("runs")
    assert list(runs["run_id"]) == ["a"] and runs["created_at"].notna().all()
    with sqlite3.connect(filled.path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM rtree_grid_a_geom").fetchone() == (53,)
        kinds = dict(conn.execute("SELECT table_name, data_type FROM gpkg_contents"))
        assert kinds["grid_a"] == "features"
        count = conn.execute("SELECT feature_count FROM gpkg_ogr_contents WHERE "
                             "table_name = 'runs'").fetchone()
        assert count == (1,)
    info = pyogrio.read_info(filled.path, layer="grid_a")
    assert info["features"] == 53 and info["geometry_type"] == "Polygon"
    near = pyogrio.read_dataframe(filled.path, layer="grid_a",
                                  bbox=(6e5, 6.6e6, 6e5 + 15, 6.6e6 + 5))
    assert 1 <= len(near) <= 4  # the spatial index answers
    assert not store_mod.stale_copies(filled.path)


def test_a_transaction_that_must_copy_still_lands_what_was_staged(filled):
    with filled.transaction() as tx:
        tx.replace("grid_b", _grid())
        tx.append("runs", _run_row("b"))
        tx.replace("grid_b", _grid(5))  # replacing a staged layer stays staged
        tx.delete("rejects", "ingest_id", ["nothing"])  # needs the working copy
    assert filled.count("grid_b") == 5 and list(filled.read("runs")["run_id"]) == ["b"]
    with sqlite3.connect(filled.path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_failed_staged_transaction_changes_nothing(filled):
    before = filled.path.read_bytes()
    with pytest.raises(RuntimeError), filled.transaction() as tx:
        tx.replace("grid_c", _grid())
        tx.append("runs", _run_row("c"))
        raise RuntimeError("avbrott")
    assert filled.path.read_bytes() == before
    assert not store_mod.stale_copies(filled.path)


def _die_before_commit(path):
    """Kill this process inside the merge, after the rows went in, before COMMIT."""
    from trygg.layers import _store_gpkg

    real = _store_gpkg._copy_new_table

    def copy_then_die(conn, table, tables):
        real(conn, table, tables)
        os._exit(9)  # the exit code tells the test the rows were in

    _store_gpkg._copy_new_table = copy_then_die
    store = open_project(path)
    with store.transaction() as tx:
        tx.replace("grid_d", _grid(30_000))  # more than SQLite's page cache: it spills
        tx.append("runs", _run_row("d"))


def test_a_commit_killed_half_way_is_rolled_back(filled):
    reports = filled.count("reports")
    size = filled.path.stat().st_size
    child = FORK.Process(target=_die_before_commit, args=(filled.path,))
    child.start()
    child.join(timeout=120)
    assert child.exitcode == 9
    assert os.path.exists(f"{filled.path}-journal")  # a hot journal is left …
    assert filled.path.stat().st_size > size  # … and the project half written
    again = open_project(filled.path)  # rolls the hot journal back
    assert "grid_d" not in again.layers()
    assert again.count("reports") == reports and again.count("runs") == 0
    assert store_mod.damage(filled.path) is None
    assert filled.path.stat().st_size == size


def test_a_project_written_before_the_change_still_opens_and_runs(project, data_dir):
    """Projects from before issue 9 were written only through GDAL without Arrow
    (datetimes also spelt with milliseconds), every transaction a whole copy:
    reads, filters, runs with a KDE raster and their removal still work."""
    from trygg.layers.hotspots.catalog import list_runs, remove_runs
    from trygg.layers.hotspots.runs import run_hotspots
    from trygg.layers.hotspots.select import Selection

    ingest_file(project, data_dir / "tycktill_cp1252.csv", source="tycktill")
    reports = project.read_reports()
    old = project.path.with_name("gammal.gpkg")
    reports["reported_at"] += pd.Timedelta(milliseconds=123)  # GDAL then writes '.123Z'
    frame = reports.copy()
    for col, dtype in schema.COLUMNS.items():
        if dtype == "datetime":
            frame[col] = frame[col].dt.tz_convert("UTC")
    pyogrio.write_dataframe(frame, old, layer="reports", driver="GPKG", use_arrow=False,
                            geometry_type="Point", promote_to_multi=False)
    for table in ("rejects", "ingests", "runs", "links", "trygg_project"):
        pyogrio.write_dataframe(project.read(table), old, layer=table, driver="GPKG",
                                use_arrow=False, append=False)
    with sqlite3.connect(old) as conn:  # GDAL's other spelling, with milliseconds
        stamp = conn.execute("SELECT reported_at FROM reports LIMIT 1").fetchone()[0]
    assert stamp.endswith(".123Z")
    store = open_project(old)
    again = store.read_reports()
    pd.testing.assert_series_equal(again["report_id"], reports["report_id"])
    assert (again["reported_at"] == reports["reported_at"]).all()
    mid = reports["reported_at"].sort_values().iloc[len(reports) // 2]
    later = store.read_reports(["report_id"], where={"reported_at": Between(mid, None)})
    assert len(later) == int((reports["reported_at"] >= mid).sum())
    result = run_hotspots(store, "kde", name="gammal", selection=Selection(), cell=200)
    assert [p.name for p in result.files] == [store.raster_name("gammal", "kde")]
    assert result.files[0].is_file()
    runs = list_runs(store)
    assert [r.run_id for r in runs] == ["gammal"] and runs[0].files == result.files
    remove_runs(store, ["gammal"])
    assert store.raster_path(store.raster_name("gammal", "kde")) is None
    assert "grid_gammal" not in store.layers()

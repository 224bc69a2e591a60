"""The store's behaviour on both backends: a GeoPackage file and a PostGIS database.

Every test here takes ``any_project`` and runs twice, once per backend (the PostGIS
ones on the throwaway server ./scripts/test starts; see tests/conftest.py). The
tests at the end compare the two backends with each other on the same input.
"""

from __future__ import annotations

import multiprocessing
import os
import signal

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from trygg.geo.errors import ProjectError
from trygg.layers.ingest import ingest_file, undo_ingest
from trygg.layers.store import Between, open_project

FORK = multiprocessing.get_context("fork")


def _write_csv(path, prefix: str, n: int, seed: int = 0, source: str = "tycktill"):
    rnd = np.random.default_rng(seed)
    lines = ["Ärende-ID;Källa;Datum;Kategori;Beskrivning;Plats;X;Y"]
    lines += [f"{prefix}-{i};{source};2025-03-{1 + i % 28:02d} 12:00;Klotter;Text {i};Torget;"
              f"{620000 + int(rnd.integers(0, 3000))};{6655000 + int(rnd.integers(0, 3000))}"
              for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _reject(ingest_id="x"):
    return pd.DataFrame([{"ingest_id": ingest_id, "file": "f", "line": 1, "reason": "r",
                          "row": "{}"}])


def test_a_new_project_has_the_design_tables(any_project):
    assert {"reports", "rejects", "ingests", "runs", "links", "trygg_project"} <= set(
        any_project.layers())
    assert any_project.name == "Testkommun" and any_project.crs == "EPSG:3006"
    assert any_project.count() == 0
    again = open_project(any_project.location)
    assert again.meta()["name"] == "Testkommun"


def test_reports_round_trip_with_local_time_and_model_dtypes(any_project, data_dir):
    ingest_file(any_project, data_dir / "tabell_cp1252.csv")
    reports = any_project.read_reports().set_index("report_id")
    assert str(reports.loc["tycktill:TT-1", "reported_at"]) == "2025-03-14 21:35:00+01:00"
    assert str(reports.loc["est:E-1", "reported_at"]) == "2025-10-26 02:30:00+02:00"
    some = any_project.read_reports(["category", "reported_at"])
    assert list(some.columns) == ["category", "reported_at", "geometry"]
    assert some.crs == "EPSG:3006"


def test_a_failed_transaction_leaves_the_project_as_it_was(any_project, data_dir):
    ingest_file(any_project, data_dir / "tabell_cp1252.csv")
    before = any_project.counts()
    with pytest.raises(RuntimeError), any_project.transaction() as tx:
        tx.append("rejects", _reject())
        tx.delete("reports", "report_id", ["tycktill:TT-1"])
        tx.replace("ny_layer", pd.DataFrame({"a": [1, 2]}))
        raise RuntimeError("avbrott mitt i skrivningen")
    assert any_project.counts() == before
    assert "ny_layer" not in any_project.layers()


def test_reingesting_and_duplicates_add_nothing(any_project, data_dir, tmp_path):
    first = ingest_file(any_project, data_dir / "tabell_cp1252.csv")
    counts = any_project.counts()
    again = ingest_file(any_project, data_dir / "tabell_cp1252.csv")
    assert again.already_ingested == first.ingest_id and again.reports_added == 0
    copy = tmp_path / "kopia.csv"
    copy.write_bytes(data_dir.joinpath("tabell_cp1252.csv").read_bytes() + b"\r\n")
    dup = ingest_file(any_project, copy)
    assert (dup.reports_added, dup.duplicates) == (0, 4)
    assert any_project.counts()["reports"] == counts["reports"]


def test_filters_are_the_same_as_filtering_afterwards(any_project, data_dir):
    ingest_file(any_project, data_dir / "tycktill_cp1252.csv", source="tycktill")
    ingest_file(any_project, data_dir / "tabell_cp1252.csv")
    whole = any_project.read_reports()
    lo, hi = pd.Timestamp("2025-03-01", tz="UTC"), pd.Timestamp("2025-04-01", tz="UTC")
    where = {"category": ["klotter", "belysning"], "reported_at": Between(lo, hi)}
    got = any_project.read_reports(where=where)
    expected = whole[whole["category"].isin(["klotter", "belysning"])
                     & (whole["reported_at"] >= lo) & (whole["reported_at"] < hi)]
    assert list(got["report_id"]) == list(expected["report_id"])
    assert len(any_project.read_reports(where={"category": []})) == 0
    points = any_project.read_points(["category"])
    located = whole[whole.geometry.notna()]
    assert np.allclose(points.x, located.geometry.x) and np.allclose(points.y, located.geometry.y)
    assert list(points.attributes["category"]) == list(located["category"])


def test_layers_round_trip_with_their_types(any_project):
    grid = gpd.GeoDataFrame(
        {"cell": ["a", "b", None], "n": np.array([1, 2, 3], dtype="int64"),
         "z": [1.5, np.nan, -2.25], "hot": [True, False, True]},
        geometry=[shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 100),
                  shapely.Point(5, 5)], crs="EPSG:3006")
    plain = pd.DataFrame({"key": ["x", "y"], "value": [0.5, 1.0]})
    with any_project.transaction() as tx:
        tx.replace("grid_test", grid)
        tx.replace("plain_test", plain)
    back = any_project.read("grid_test")
    assert isinstance(back, gpd.GeoDataFrame) and back.crs == "EPSG:3006"
    assert list(back.columns) == ["cell", "n", "z", "hot", "geometry"]
    assert back["cell"].tolist()[:2] == ["a", "b"] and pd.isna(back["cell"].iloc[2])
    assert back["n"].tolist() == [1, 2, 3] and back["hot"].tolist() == [True, False, True]
    assert back["z"].iloc[0] == 1.5 and np.isnan(back["z"].iloc[1])
    assert back.geometry.geom_equals_exact(grid.geometry, 0).all()
    assert any_project.read("plain_test")["value"].tolist() == [0.5, 1.0]
    assert any_project.read_layer("no_such_layer").empty
    assert any_project.count("grid_test") == 3 and any_project.count("nothing") == 0
    with any_project.transaction() as tx:
        tx.replace("grid_test", grid.iloc[:1])
        tx.drop("plain_test")
    assert any_project.count("grid_test") == 1 and "plain_test" not in any_project.layers()
    with pytest.raises(ProjectError, match="inget lager 'plain_test'"):
        any_project.read("plain_test")


def test_records_are_the_rows_read_and_appended_as_frames(any_project):
    stamp = pd.Timestamp("2026-03-01 12:34:56.789123", tz="Europe/Stockholm")
    rows = [{"request_id": f"TK-{i}", "service_code": "klotter", "description": f"Text {i}",
             "lat": 59.5 + i, "lon": 18.1, "x": 650000.0, "y": 6610000.0, "status": "new",
             "received_at": stamp, "updated_at": stamp} for i in range(3)]
    with any_project.transaction(exclusive=False) as tx:
        tx.append_records("submissions", rows[:2])
    with any_project.transaction() as tx:
        tx.append("submissions", pd.DataFrame(rows[2:]))
    records = any_project.read_records("submissions", where={"request_id": ["TK-0", "TK-2"]})
    assert [r["request_id"] for r in records] == ["TK-0", "TK-2"]
    assert records[0]["received_at"] == stamp.floor("ms")
    assert str(records[0]["received_at"].tz) == "Europe/Stockholm"
    assert records[0]["contact"] is None and records[1]["lat"] == 61.5
    frame = any_project.read("submissions", where={"request_id": ["TK-0", "TK-2"]})
    assert frame.astype(object).where(frame.notna(), None).to_dict("records") == records
    assert any_project.read_records("submissions", ["status"]) == [{"status": "new"}] * 3
    with pytest.raises(ValueError, match="no column"), any_project.transaction() as tx:
        tx.append_records("submissions", [{"request_id": "TK-9", "colour": "red"}])
    assert any_project.count("submissions") == 3


def test_read_parts_gives_every_row_once_in_stored_order(any_project, data_dir):
    ingest_file(any_project, data_dir / "tabell_cp1252.csv")
    whole = any_project.read_reports()
    with any_project.transaction() as tx:
        assert tx.delete("reports", "report_id", whole.iloc[[1]]["report_id"]) == 1
    parts = list(any_project.read_parts("reports", rows=2))
    assert [len(p) for p in parts] == [2, 1]
    assert [r for p in parts for r in p["report_id"]] == list(whole.iloc[[0, 2, 3]]["report_id"])
    assert any_project.fields("rejects")[:3] == ["ingest_id", "file", "sheet"]


def test_rasters_are_kept_by_the_store(any_project):
    name = any_project.raster_name("r1", "kde")
    assert any_project.raster_path(name) is None
    with any_project.store_raster(name) as tif:
        tif.write_bytes(b"II*\x00fake tiff")
    path = any_project.raster_path(name)
    assert path is not None and path.read_bytes() == b"II*\x00fake tiff"
    any_project.remove_rasters([name])
    assert any_project.raster_path(name) is None


def test_a_second_writer_gets_a_busy_message(any_project):
    other = open_project(any_project.location)
    busy = pytest.raises(ProjectError, match="upptaget: ett annat trygg-kommando skriver")
    with any_project.writing(), busy, other.transaction(timeout=0.2) as tx:
        tx.append("rejects", _reject())
    assert any_project.counts()["rejects"] == 0
    with other.transaction(timeout=0.2) as tx:  # free again once the first is done
        tx.append("rejects", _reject())
    assert any_project.counts()["rejects"] == 1


def test_writing_is_reentrant_and_transactions_do_not_nest(any_project):
    nested = pytest.raises(RuntimeError, match="do not nest")
    with any_project.writing(), any_project.writing(), any_project.transaction(), nested, \
            any_project.transaction():
        pass


def test_undo_removes_one_ingest_and_what_came_from_it(any_project, tmp_path):
    from trygg.layers.hotspots.runs import run_hotspots

    ingest_file(any_project, _write_csv(tmp_path / "tt.csv", "T", 300, seed=3))
    second = ingest_file(any_project, _write_csv(tmp_path / "est.csv", "E", 200, seed=3,
                                                 source="est"))
    assert second.linked > 0
    run_hotspots(any_project, "count", name="efter", cell=250)
    undone = undo_ingest(any_project, second.ingest_id)
    assert (undone.reports, undone.links, undone.runs) == (200, second.linked, ["efter"])
    assert any_project.counts()["reports"] == 300 and "grid_efter" not in any_project.layers()


def _ingest_in_child(location, files, barrier, queue):
    barrier.wait()
    try:
        store = open_project(location)
        queue.put(("ok", sum(ingest_file(store, f).reports_added for f in files)))
    except BaseException as exc:  # reported to the parent, which fails the test
        queue.put(("error", repr(exc)))


def test_concurrent_ingests_lose_nothing(any_project, tmp_path, monkeypatch):
    monkeypatch.setenv("TRYGG_LOCK_TIMEOUT", "120")
    files = [_write_csv(tmp_path / f"fil{i}.csv", f"F{i}", 800, seed=i) for i in range(3)]
    barrier, queue = FORK.Barrier(3), FORK.Queue()
    procs = [FORK.Process(target=_ingest_in_child,
                          args=(any_project.location, [f], barrier, queue)) for f in files]
    for p in procs:
        p.start()
    results = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert sorted(results) == [("ok", 800)] * 3
    assert any_project.report_ids() == {f"tycktill:F{i}-{j}" for i in range(3)
                                        for j in range(800)}
    assert any_project.counts()["reports"] == 2400 and len(any_project.read("ingests")) == 3


def _write_and_hang(location, ready):
    store = open_project(location)
    with store.transaction() as tx:
        tx.append("rejects", _reject("killed"))
        tx.replace("half_written", pd.DataFrame({"a": range(1000)}))
        ready.set()
        signal.pause()  # killed here, before the transaction ends


def test_a_writer_killed_mid_transaction_leaves_the_project_as_it_was(any_project):
    before = any_project.counts()
    ready = FORK.Event()
    child = FORK.Process(target=_write_and_hang, args=(any_project.location, ready))
    child.start()
    assert ready.wait(60)
    os.kill(child.pid, signal.SIGKILL)
    child.join(30)
    again = open_project(any_project.location)
    assert again.counts() == before and "half_written" not in again.layers()
    with again.transaction(timeout=10) as tx:  # the lock died with the writer
        tx.append("rejects", _reject())
    assert again.counts()["rejects"] == before["rejects"] + 1


# -- the two backends give the same results ------------------------------------------
def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Two frames equal in columns, dtypes and values (geometries exactly)."""
    assert list(a.columns) == list(b.columns)
    assert a.dtypes.astype(str).to_dict() == b.dtypes.astype(str).to_dict()
    if isinstance(a, gpd.GeoDataFrame):
        ga, gb = a.geometry, b.geometry
        assert ((ga.isna() & gb.isna()) | ga.geom_equals_exact(gb, 0)).all()
        a, b = pd.DataFrame(a.drop(columns=a.geometry.name)), pd.DataFrame(
            b.drop(columns=b.geometry.name))
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))


def test_both_backends_store_and_analyse_alike(project, postgis_project, data_dir, tmp_path):
    from trygg.layers.hotspots.runs import run_hotspots

    files = [("tycktill_cp1252.csv", "tycktill"), ("est_lagesbild.xlsx", "est"),
             ("open311.json", "open311"), ("tabell_cp1252.csv", "table")]
    for store in (project, postgis_project):
        for name, source in files:
            ingest_file(store, data_dir / name, source=source)
    assert project.counts() == {k: v for k, v in postgis_project.counts().items()
                                if k != "trygg_project"} | {"trygg_project":
                                                            project.counts()["trygg_project"]}
    ignore = ["ingest_id"]
    _same(project.read_reports().drop(columns=ignore),
          postgis_project.read_reports().drop(columns=ignore))
    _same(project.read("rejects").drop(columns=ignore),
          postgis_project.read("rejects").drop(columns=ignore))
    many = _write_csv(tmp_path / "many.csv", "M", 600, seed=7)
    for store in (project, postgis_project):
        ingest_file(store, many)
    for method in ("count", "gistar", "kde"):
        a = run_hotspots(project, method, name=f"r_{method}", cell=1000)
        b = run_hotspots(postgis_project, method, name=f"r_{method}", cell=1000)
        _same(project.read(a.layers[0]), postgis_project.read(b.layers[0]))
        assert [p.read_bytes() for p in a.files] == [p.read_bytes() for p in b.files]
    runs_a, runs_b = project.read("runs"), postgis_project.read("runs")
    assert list(runs_a["run_id"]) == list(runs_b["run_id"])


def test_migrate_copies_a_project_to_postgis_and_back(project, postgis_url, tmp_path):
    from trygg.layers.hotspots.runs import run_hotspots
    from trygg.layers.migrate import migrate_project

    ingest_file(project, _write_csv(tmp_path / "a.csv", "A", 400, seed=1))
    run = run_hotspots(project, "kde", name="yta", cell=250)
    done = migrate_project(project, postgis_url)
    server = open_project(postgis_url)
    assert done.counts["reports"] == 400 and done.rasters == [run.files[0].name]
    assert {k: server.count(k) for k in done.counts} == done.counts
    _same(project.read_reports(), server.read_reports())
    _same(project.read("grid_yta"), server.read("grid_yta"))
    assert server.raster_path(run.files[0].name).read_bytes() == run.files[0].read_bytes()
    with pytest.raises(ProjectError, match="har redan ett projekt"):
        migrate_project(project, postgis_url)
    back = tmp_path / "tillbaka.gpkg"
    with pytest.raises(ProjectError, match="kan inte kopieras till en GeoPackage"):
        migrate_project(server, str(back))
    from trygg.layers.hotspots.catalog import remove_runs

    remove_runs(server, ["yta"])
    migrate_project(server, str(back), overwrite=True)
    _same(server.read_reports(), open_project(back).read_reports())


def test_a_project_of_a_newer_schema_is_refused(postgis_project):
    from trygg.layers import store_postgis

    with postgis_project.transaction() as tx:
        tx._sql("UPDATE trygg_project SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(ProjectError, match="schemaversion 99, nyare än denna trygg"):
        open_project(postgis_project.location)
    with postgis_project.transaction() as tx:  # a project of version 1 is brought up to date
        tx._sql("UPDATE trygg_project SET value = '1' WHERE key = 'schema_version'")
        tx._sql("DROP TABLE submissions, staff")
        tx._sql("DROP TRIGGER ingests_owner ON ingests")  # the rejects policy of 3
        tx._sql("ALTER TABLE rejects DISABLE ROW LEVEL SECURITY")
        tx._sql("DROP POLICY intern_reads ON rejects")
        tx._sql("DROP TABLE _ingest_owners")
    again = open_project(postgis_project.location)
    assert again.meta()["schema_version"] == str(store_postgis.SCHEMA_VERSION) == "3"
    assert {"submissions", "staff"} <= set(again.layers())
    on = again._execute("SELECT relrowsecurity FROM pg_class WHERE oid = "
                        "'trygg.rejects'::regclass").fetchone()[0]
    assert on and again._execute("SELECT count(*) FROM pg_policies WHERE tablename = "
                                 "'rejects'").fetchone()[0] == 2

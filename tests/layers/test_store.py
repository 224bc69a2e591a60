import shutil

import pytest

from trygg.geo.errors import ArgumentError, ProjectError
from trygg.layers.ingest import ingest_file
from trygg.layers.store import create_project, open_project


def test_new_project_has_the_design_tables(project):
    assert {"reports", "rejects", "ingests", "runs"} <= set(project.layers())
    assert project.crs == "EPSG:3006"
    assert project.name == "Testkommun"
    assert project.counts()["reports"] == 0


def test_a_new_project_is_geopackage_1_2_and_stays_so_after_writes(project, data_dir):
    """GDAL 3.6 (QGIS on Debian 12) warns about GeoPackage 1.4, GDAL's default."""
    import sqlite3

    def version():
        with sqlite3.connect(project.path) as conn:
            return (conn.execute("PRAGMA user_version").fetchone()[0],
                    conn.execute("PRAGMA application_id").fetchone()[0])

    assert version() == (10200, 0x47504B47)
    ingest_file(project, data_dir / "tabell_cp1252.csv")  # a working copy replaces the file
    assert version() == (10200, 0x47504B47)


def test_open_refuses_what_is_not_a_project(tmp_path, data_dir):
    with pytest.raises(ProjectError, match="trygg init"):
        open_project(tmp_path / "saknas.gpkg")
    fake = tmp_path / "fake.gpkg"
    shutil.copy(data_dir / "tabell_cp1252.csv", fake)
    with pytest.raises(ProjectError, match="ingen GeoPackage"):
        open_project(fake)
    with pytest.raises(ProjectError, match=".gpkg"):
        open_project(data_dir / "tabell_cp1252.csv")


def test_a_plain_geopackage_is_not_a_project(tmp_path):
    import geopandas as gpd
    import shapely

    other = tmp_path / "annat.gpkg"
    gpd.GeoDataFrame(geometry=[shapely.Point(0, 0)], crs=3006).to_file(other)
    with pytest.raises(ProjectError, match="inget Trygghetskartan-projekt"):
        open_project(other)


def test_create_refuses_to_overwrite_and_lonlat(tmp_path, project):
    with pytest.raises(ProjectError, match="--overwrite"):
        create_project(project.path)
    with pytest.raises(ProjectError, match="projicerat"):
        create_project(tmp_path / "ll.gpkg", crs="EPSG:4326")
    other = create_project(tmp_path / "memphis.gpkg", crs="EPSG:32615")
    assert other.crs == "EPSG:32615"


def test_failed_transaction_leaves_project_as_it_was(project, data_dir):
    before = project.path.read_bytes()
    with pytest.raises(RuntimeError), project.transaction() as tx:
        tx.append("rejects", __import__("pandas").DataFrame(
            [{"ingest_id": "x", "file": "f", "line": 1, "reason": "r", "row": "{}"}]))
        raise RuntimeError("avbrott mitt i skrivningen")
    assert project.path.read_bytes() == before
    assert project.counts()["rejects"] == 0
    assert not list(project.path.parent.glob(".*.tmp*"))


def test_interrupted_ingest_writes_nothing(project, data_dir, monkeypatch):
    before = project.path.read_bytes()

    def broken(*args, **kwargs):
        raise OSError("disken full")

    monkeypatch.setattr("trygg.layers.store.pyogrio.write_dataframe", broken)
    with pytest.raises(OSError):
        ingest_file(project, data_dir / "tabell_cp1252.csv")
    assert project.path.read_bytes() == before


def test_reingesting_the_same_file_adds_nothing(project, data_dir):
    first = ingest_file(project, data_dir / "tabell_cp1252.csv")
    counts = project.counts()
    again = ingest_file(project, data_dir / "tabell_cp1252.csv")
    assert again.already_ingested == first.ingest_id
    assert again.reports_added == 0
    assert project.counts() == counts


def test_same_rows_in_another_file_are_duplicates(project, data_dir, tmp_path):
    ingest_file(project, data_dir / "tabell_cp1252.csv")
    copy = tmp_path / "kopia.csv"
    copy.write_bytes(data_dir.joinpath("tabell_cp1252.csv").read_bytes() + b"\r\n")
    again = ingest_file(project, copy)
    assert again.reports_added == 0
    assert again.duplicates == 4
    assert again.balanced


def test_reports_round_trip_with_local_time(project, data_dir):
    ingest_file(project, data_dir / "tabell_cp1252.csv")
    reports = project.read_reports().set_index("report_id")
    when = reports.loc["tycktill:TT-1", "reported_at"]
    assert str(when) == "2025-03-14 21:35:00+01:00"
    # 02:30 on the night summer time ended exists twice; the first (summer) is taken.
    assert str(reports.loc["est:E-1", "reported_at"]) == "2025-10-26 02:30:00+02:00"


# -- one writer at a time, stale copies, disk errors (issue 8) -------------------------

import errno  # noqa: E402
import multiprocessing  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import sqlite3  # noqa: E402

import pyogrio  # noqa: E402

from trygg.layers import store as store_mod  # noqa: E402

FORK = multiprocessing.get_context("fork")


def write_csv(path, prefix: str, n: int, seed: int = 0, source: str = "tycktill"):
    """A table file of ``n`` located reports with ids ``PREFIX-i``."""
    rnd = random.Random(seed)
    lines = ["Ärende-ID;Källa;Datum;Kategori;Beskrivning;Plats;X;Y"]
    lines += [f"{prefix}-{i};{source};2025-03-{1 + i % 28:02d} 12:00;Klotter;Text {i};Torget;"
              f"{620000 + rnd.randint(0, 3000)};{6655000 + rnd.randint(0, 3000)}"
              for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _ingest_in_child(project_path, files, barrier, queue):
    barrier.wait()
    try:
        store = open_project(project_path)
        added = [ingest_file(store, f).reports_added for f in files]
        queue.put(("ok", sum(added)))
    except BaseException as exc:  # reported to the parent, which fails the test
        queue.put(("error", repr(exc)))


def _hotspots_in_child(project_path, barrier, queue):
    from trygg.layers.hotspots.runs import run_hotspots

    barrier.wait()
    try:
        store = open_project(project_path)
        queue.put(("ok", [run_hotspots(store, "count", name=f"samtidig_{i}", cell=250).run_id
                          for i in range(4)]))
    except BaseException as exc:
        queue.put(("error", repr(exc)))


def _run_children(targets):
    barrier = FORK.Barrier(len(targets))
    queue = FORK.Queue()
    procs = [FORK.Process(target=t, args=(*a, barrier, queue)) for t, a in targets]
    for p in procs:
        p.start()
    results = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=120)
    assert all(kind == "ok" for kind, _ in results), results
    return [value for _, value in results]


def test_concurrent_ingests_lose_nothing(project, tmp_path, monkeypatch):
    monkeypatch.setenv("TRYGG_LOCK_TIMEOUT", "120")
    files = [write_csv(tmp_path / f"fil{i}.csv", f"F{i}", 1500, seed=i) for i in range(3)]
    added = _run_children([(_ingest_in_child, (project.path, [f])) for f in files])
    assert sorted(added) == [1500, 1500, 1500]
    ids = project.report_ids()
    assert ids == {f"tycktill:F{i}-{j}" for i in range(3) for j in range(1500)}
    assert len(project.read("ingests")) == 3
    assert not store_mod.stale_copies(project.path)


def test_the_same_file_at_once_is_stored_once(project, tmp_path, monkeypatch):
    monkeypatch.setenv("TRYGG_LOCK_TIMEOUT", "120")
    same = write_csv(tmp_path / "samma.csv", "S", 1500)
    added = _run_children([(_ingest_in_child, (project.path, [same])) for _ in range(2)])
    assert sorted(added) == [0, 1500]  # the second one says "already ingested"
    assert len(project.report_ids()) == 1500 and project.counts()["reports"] == 1500
    assert len(project.read("ingests")) == 1


def test_concurrent_ingest_and_hotspots_lose_nothing(project, tmp_path, monkeypatch):
    monkeypatch.setenv("TRYGG_LOCK_TIMEOUT", "120")
    ingest_file(project, write_csv(tmp_path / "first.csv", "A", 500))
    files = [write_csv(tmp_path / f"fil{i}.csv", f"B{i}", 500, seed=i) for i in range(4)]
    runs = [f"samtidig_{i}" for i in range(4)]
    results = _run_children([(_ingest_in_child, (project.path, files)),
                             (_hotspots_in_child, (project.path,))])
    assert sorted(results, key=str) == [2000, runs]
    assert len(project.report_ids()) == 2500
    assert sorted(project.read("runs")["run_id"]) == runs
    assert {f"grid_{run}" for run in runs} <= set(project.layers())


def test_a_second_writer_gets_a_busy_message(project):
    other = open_project(project.path)
    before = project.path.read_bytes()
    busy = pytest.raises(ProjectError, match="upptaget: ett annat trygg-kommando skriver")
    with project.writing(), busy, other.transaction(timeout=0.2) as tx:
        tx.append("rejects", __import__("pandas").DataFrame(
            [{"ingest_id": "x", "file": "f", "line": 1, "reason": "r", "row": "{}"}]))
    assert project.path.read_bytes() == before
    with other.transaction(timeout=0.2):  # free again once the first writer is done
        pass


def test_the_lock_timeout_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("TRYGG_LOCK_TIMEOUT", "2.5")
    assert store_mod.lock_timeout() == 2.5
    assert store_mod.lock_timeout(0.1) == 0.1
    monkeypatch.setenv("TRYGG_LOCK_TIMEOUT", "inte ett tal")
    assert store_mod.lock_timeout() == store_mod.LOCK_TIMEOUT_S


def test_writing_is_reentrant_and_transactions_do_not_nest(project):
    nested = pytest.raises(RuntimeError, match="do not nest")
    with project.writing(), project.writing(), project.transaction(), nested, \
            project.transaction():
        pass


def test_stale_working_copies_are_removed_by_the_next_writer(project, tmp_path):
    stale = project.path.with_name(f".{project.path.name}.0123abcd.tmp.gpkg")
    legacy = project.path.with_name(f".{project.path.stem}.89abcdef.tmp.gpkg")
    journal = project.path.with_name(f".{project.path.name}.0123abcd.tmp.gpkg-journal")
    # Another project's copy in the same folder is left alone.
    other = project.path.with_name(".projekt2.gpkg.fedcba98.tmp.gpkg")
    for path in (stale, legacy, journal, other):
        path.write_bytes(project.path.read_bytes())
    assert set(store_mod.stale_copies(project.path)) == {stale, legacy, journal}
    with project.transaction():
        pass
    assert not stale.exists() and not legacy.exists() and not journal.exists()
    assert other.exists()


@pytest.mark.parametrize("where", ["copy", "write"])
@pytest.mark.parametrize("code, expected", [
    (errno.ENOSPC, "disken är full. Frigör utrymme"),
    (errno.EDQUOT, "disken är full. Frigör utrymme"),
    (errno.EACCES, "Kontrollera behörigheterna"),
    (errno.EROFS, "Kontrollera behörigheterna"),
])
def test_disk_errors_are_one_message_and_leave_the_project(project, data_dir, monkeypatch,
                                                          where, code, expected):
    before = project.path.read_bytes()

    def fail(*args, **kwargs):
        if where == "write":  # the copy exists, half written
            with open(args[1], "ab") as fh:
                fh.write(b"\0" * 4096)
        raise OSError(code, os.strerror(code))

    target = "trygg.layers.store.shutil.copy2" if where == "copy" else (
        "trygg.layers.store.pyogrio.write_dataframe")
    monkeypatch.setattr(target, fail)
    with pytest.raises(ProjectError, match=expected) as info:
        ingest_file(project, data_dir / "tabell_cp1252.csv")
    assert str(project.path) in info.value.text("sv")
    assert "the project is unchanged" in info.value.text("en")
    assert len(info.value.text("sv").splitlines()) == 1
    assert project.path.read_bytes() == before
    assert not store_mod.stale_copies(project.path)


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES, errno.EPERM])
def test_a_read_only_folder_is_a_message_at_the_lock(project, data_dir, monkeypatch, code):
    """In a read-only folder the lock file cannot be created: the first thing that fails."""
    real_open = os.open
    lock = str(store_mod.lock_path(project.path))

    def guarded(path, *args, **kwargs):
        if str(path) == lock:
            raise OSError(code, os.strerror(code), lock)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("trygg.layers.store.os.open", guarded)
    before = project.path.read_bytes()
    with pytest.raises(ProjectError, match="skrivskyddad. Kontrollera behörigheterna"):
        ingest_file(project, data_dir / "tabell_cp1252.csv")
    assert project.path.read_bytes() == before


def test_a_failing_rename_is_a_message_too(project, data_dir, monkeypatch):
    before = project.path.read_bytes()

    def fail(*args, **kwargs):
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))

    monkeypatch.setattr("trygg.layers.store.os.replace", fail)
    with pytest.raises(ProjectError, match="Projektet är oförändrat"):
        ingest_file(project, data_dir / "tabell_cp1252.csv")
    assert project.path.read_bytes() == before
    assert not store_mod.stale_copies(project.path)


def _ingest_with_file_size_limit(project_path, file, limit, queue):
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    try:
        ingest_file(open_project(project_path), file)
        queue.put(("ok", ""))
    except ProjectError as exc:
        queue.put(("ProjectError", exc.text("sv")))
    except BaseException as exc:
        queue.put((type(exc).__name__, repr(exc)))


def test_a_real_write_failure_in_gdal_is_the_disk_full_message(project, tmp_path):
    """A file-size limit makes SQLite's own writes fail the way a full disk does."""
    big = write_csv(tmp_path / "stor.csv", "S", 20000)
    before = project.path.read_bytes()
    queue = FORK.Queue()
    child = FORK.Process(target=_ingest_with_file_size_limit,
                         args=(project.path, big, len(before) + 64 * 1024, queue))
    child.start()
    kind, text = queue.get(timeout=120)
    child.join(timeout=60)
    assert kind == "ProjectError", text
    assert "disken är full" in text
    assert project.path.read_bytes() == before
    assert not store_mod.stale_copies(project.path)


def test_read_only_folder(tmp_path, data_dir):
    if os.geteuid() == 0:
        pytest.skip("root writes into a folder without write permission (chmod does not stop "
                    "it); the monkeypatched EACCES/EROFS cases above cover the message")
    path = tmp_path / "ro" / "p.gpkg"
    create_project(path)
    before = path.read_bytes()
    path.parent.chmod(0o555)
    try:
        with pytest.raises(ProjectError, match="Kontrollera behörigheterna"):
            ingest_file(open_project(path), data_dir / "tabell_cp1252.csv")
    finally:
        path.parent.chmod(0o755)
    assert path.read_bytes() == before


def test_drop_layer_leaves_a_valid_geopackage(project, tmp_path):
    import geopandas as gpd
    import shapely

    grid = gpd.GeoDataFrame({"n": [1, 2]}, geometry=[shapely.box(0, 0, 1, 1),
                                                      shapely.box(1, 0, 2, 1)], crs=3006)
    with project.transaction() as tx:
        tx.replace("grid_x", grid)
        tx.replace("hotspots_x", grid)
    with project.transaction() as tx:
        tx.drop("grid_x")
        with pytest.raises(ValueError, match="refusing"):
            tx.drop("reports")
    names = [n for n, _ in pyogrio.list_layers(project.path)]
    assert "grid_x" not in names and "hotspots_x" in names
    with sqlite3.connect(project.path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        left = conn.execute("SELECT name FROM sqlite_master WHERE name LIKE '%grid_x%'")
        assert left.fetchall() == []
        for table in ("gpkg_contents", "gpkg_geometry_columns", "gpkg_extensions",
                      "gpkg_ogr_contents"):
            rows = conn.execute(f"SELECT * FROM {table} WHERE table_name = 'grid_x'")
            assert rows.fetchall() == []
    for name in names:  # GDAL opens every layer that is left
        pyogrio.read_info(project.path, layer=name)
    assert len(pyogrio.read_dataframe(project.path, layer="hotspots_x")) == 2


# -- undo an ingest (issue 8) ----------------------------------------------------------

from trygg.layers.ingest import list_ingests, undo_ingest  # noqa: E402


def _contents(store):
    """What a project holds, as comparable values (not bytes)."""
    def rows(table, key):
        df = store.read(table).drop(columns="geometry", errors="ignore")
        return df.sort_values(key).astype(str).to_dict("records")
    reports = store.read_reports()
    return {"reports": sorted(zip(reports["report_id"], reports.geometry.to_wkt(),
                                  strict=True)),
            "rejects": rows("rejects", ["ingest_id", "line"]),
            "ingests": rows("ingests", "ingest_id"), "runs": rows("runs", "run_id"),
            "links": rows("links", ["report_id", "linked_id"]), "layers": store.layers()}


def test_undo_removes_one_ingest_and_what_came_from_it(project, tmp_path, data_dir):
    from trygg.layers.hotspots.runs import run_hotspots
    from trygg.layers.summary import project_summary

    first = ingest_file(project, write_csv(tmp_path / "tt.csv", "T", 300, seed=3))
    run_hotspots(project, "count", name="fore", cell=250)
    after_first = _contents(project)
    wrong = write_csv(tmp_path / "est.csv", "E", 200, seed=3, source="est")
    second = ingest_file(project, wrong)
    assert second.reports_added == 200 and second.linked > 0
    run_hotspots(project, "count", name="efter", cell=250)
    assert "grid_efter" in project.layers()
    undone = undo_ingest(project, second.ingest_id)
    assert (undone.reports, undone.rejects, undone.links) == (200, 0, second.linked)
    assert undone.runs == ["efter"]
    after = _contents(project)
    assert after == after_first
    assert project_summary(project).balanced
    with sqlite3.connect(project.path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        # The spatial index and GDAL's own count follow the deleted rows.
        assert conn.execute("SELECT count(*) FROM rtree_reports_geom").fetchone() == (300,)
    assert pyogrio.read_info(project.path, layer="reports")["features"] == 300
    again = ingest_file(project, wrong)  # the file can be ingested again
    assert again.already_ingested is None and again.reports_added == 200
    assert first.ingest_id in set(list_ingests(project)["ingest_id"])


def test_undo_removes_rejects_too(project, data_dir):
    summary = ingest_file(project, data_dir / "tabell_cp1252.csv")
    undone = undo_ingest(project, summary.ingest_id)
    assert (undone.reports, undone.rejects) == (4, 5)
    assert project.counts()["reports"] == 0 and project.counts()["rejects"] == 0
    assert project.counts()["ingests"] == 0


def test_undo_of_an_unknown_id_lists_the_ids(project, data_dir):
    summary = ingest_file(project, data_dir / "tabell_cp1252.csv")
    before = project.path.read_bytes()
    with pytest.raises(ArgumentError, match=f"Inläsningar: {summary.ingest_id}"):
        undo_ingest(project, "20250101T000000-deadbeef")
    assert project.path.read_bytes() == before


def test_undo_refuses_when_a_later_ingest_had_duplicates(project, tmp_path):
    first = ingest_file(project, write_csv(tmp_path / "a.csv", "A", 50))
    copy = tmp_path / "b.csv"
    copy.write_bytes((tmp_path / "a.csv").read_bytes() + b"\n")
    second = ingest_file(project, copy)
    assert second.duplicates == 50
    before = project.path.read_bytes()
    with pytest.raises(ArgumentError, match=f"senare inläsningar \\({second.ingest_id}\\)"):
        undo_ingest(project, first.ingest_id)
    assert project.path.read_bytes() == before
    undo_ingest(project, second.ingest_id)  # newest first works
    undo_ingest(project, first.ingest_id)
    assert project.counts()["reports"] == 0


def test_undo_is_all_or_nothing(project, tmp_path, monkeypatch):
    from trygg.layers.hotspots.runs import run_hotspots

    summary = ingest_file(project, write_csv(tmp_path / "a.csv", "A", 50))
    run_hotspots(project, "count", name="sen", cell=250)
    before = project.path.read_bytes()

    def broken(self, table):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("trygg.layers.store._Writer.drop", broken)
    with pytest.raises(OSError):
        undo_ingest(project, summary.ingest_id)
    assert project.path.read_bytes() == before
    assert not store_mod.stale_copies(project.path)


def test_read_parts_gives_every_row_once_in_stored_order_also_after_deletions(project,
                                                                              data_dir):
    ingest_file(project, data_dir / "tabell_cp1252.csv")
    whole = project.read_reports()
    reports = whole.iloc[[0, 2, 3]]  # a gap in the feature ids
    with project.transaction() as tx:
        tx.delete("reports", "report_id", whole.iloc[[1]]["report_id"])
    parts = list(project.read_parts("reports", rows=2))
    assert [len(p) for p in parts] == [2, 1]
    assert [r for p in parts for r in p["report_id"]] == list(reports["report_id"])
    assert list(parts[0].columns) == list(whole.columns)
    assert [len(p) for p in project.read_parts("rejects", rows=2, columns=["row"])] == [2, 2, 1]
    assert project.fields("rejects")[:3] == ["ingest_id", "file", "sheet"]

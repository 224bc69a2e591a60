import shutil

import pytest

from geo.errors import ProjectError
from layers.ingest import ingest_file
from layers.store import create_project, open_project


def test_new_project_has_the_design_tables(project):
    assert {"reports", "rejects", "ingests", "runs"} <= set(project.layers())
    assert project.crs == "EPSG:3006"
    assert project.name == "Testkommun"
    assert project.counts()["reports"] == 0


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

    monkeypatch.setattr("layers.store.pyogrio.write_dataframe", broken)
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

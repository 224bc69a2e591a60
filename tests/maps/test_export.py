import csv
import json

import pytest
from openpyxl import load_workbook

from trygg.geo.errors import ArgumentError
from trygg.layers.ingest import ingest_file
from trygg.maps.export import export_layer, neutralise


@pytest.fixture
def filled(project, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(
        "id;datum;kategori;beskrivning;x;y\n"
        '1;2025-04-01 20:00;Klotter;"=HYPERLINK(""http://example.invalid"",""klicka"")";'
        "621000;6650000\n"
        "2;2025-04-02 21:00;Klotter;+46 70 000 00 00;621010;6650010\n"
        "3;2025-04-03 22:00;Klotter;vanlig text;621020;6650020\n", encoding="utf-8")
    ingest_file(project, path)
    return project


def test_neutralise_prefixes_formula_starts_only():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("-5") == "'-5"
    assert neutralise("text") == "text"
    assert neutralise(-5.0) == -5.0


def test_csv_is_excel_swedish_and_formula_safe(filled, tmp_path):
    out = export_layer(filled, "reports", tmp_path / "r.csv").path
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    by_id = {r["source_id"]: r for r in rows}
    assert by_id["1"]["description"].startswith("'=HYPERLINK")
    assert by_id["2"]["description"] == "'+46 70 000 00 00"
    assert by_id["3"]["description"] == "vanlig text"
    assert by_id["1"]["x"] == "621000,0"
    assert by_id["1"]["reported_at"] == "2025-04-01 20:00:00"


def test_xlsx_cells_are_text_never_formulas(filled, tmp_path):
    out = export_layer(filled, "reports", tmp_path / "r.xlsx").path
    ws = load_workbook(out).active
    header = [c.value for c in ws[1]]
    col = header.index("description")
    values = [row[col].value for row in ws.iter_rows(min_row=2)]
    types = [row[col].data_type for row in ws.iter_rows(min_row=2)]
    assert "'=HYPERLINK(\"http://example.invalid\",\"klicka\")" in values
    assert "f" not in types


def test_geojson_is_wgs84_and_gpkg_keeps_project_crs(filled, tmp_path):
    import pyogrio

    gj = export_layer(filled, "reports", tmp_path / "r.geojson").path
    lon, lat = json.loads(gj.read_text("utf-8"))["features"][0]["geometry"]["coordinates"]
    assert 16 < lon < 18 and 59 < lat < 61
    gp = export_layer(filled, "reports", tmp_path / "r.gpkg").path
    assert pyogrio.read_info(gp)["crs"] == "EPSG:3006"


def test_unknown_suffix_and_layer_are_user_errors(filled, tmp_path):
    with pytest.raises(ArgumentError, match=".xlsx"):
        export_layer(filled, "reports", tmp_path / "r.pdf")
    from trygg.geo.errors import ProjectError
    with pytest.raises(ProjectError, match="reports"):
        export_layer(filled, "saknas", tmp_path / "r.csv")


# -- onto the project, existing files, characters a format cannot hold, CR in CSV ----------
def _sha(path):
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _with_descriptions(store, texts):
    """The store with the reports' descriptions replaced by ``texts`` (in order)."""
    reports = store.read_reports()
    reports = reports.iloc[:len(texts)].copy()
    reports["description"] = texts
    with store.transaction() as tx:
        tx.replace("reports", reports)
    return store


@pytest.mark.parametrize("spelling", ["same", "dotdot", "symlink", "hardlink"])
def test_export_never_writes_onto_the_project(filled, tmp_path, spelling):
    import os

    project = filled.path
    before = _sha(project)
    if spelling == "same":
        out = project
    elif spelling == "dotdot":
        (tmp_path / "sub").mkdir()
        out = tmp_path / "sub" / ".." / project.name
    elif spelling == "symlink":
        out = tmp_path / "lank.gpkg"
        out.symlink_to(project)
    elif spelling == "hardlink":
        out = tmp_path / "hard.gpkg"
        os.link(project, out)
    with pytest.raises(ArgumentError, match="samma fil som projektet"):
        export_layer(filled, "reports", out, force=True)
    assert _sha(project) == before
    assert len(filled.read_reports()) == 3


def test_an_existing_file_is_replaced_only_with_force(filled, tmp_path):
    out = tmp_path / "r.csv"
    out.write_text("mitt eget arbete", encoding="utf-8")
    with pytest.raises(ArgumentError, match="--force"):
        export_layer(filled, "reports", out)
    assert out.read_text(encoding="utf-8") == "mitt eget arbete"
    folder = tmp_path / "mapp.xlsx"
    folder.mkdir()
    with pytest.raises(ArgumentError, match="mapp"):
        export_layer(filled, "reports", folder, force=True)
    result = export_layer(filled, "reports", out, force=True)
    assert result.path == out and result.rows == 3 and "source_id" in out.read_text("utf-8-sig")


def test_xlsx_drops_characters_excel_cannot_hold_and_says_how_many(filled, tmp_path):
    _with_descriptions(filled, ["ESC\x1b[31mröd", "bell\x07 och \x0bvt", "vanlig\ttext\n"])
    result = export_layer(filled, "reports", tmp_path / "r.xlsx")
    assert result.removed == 3
    assert result.notes and result.notes[0][0].startswith("3 tecken som Excel inte kan lagra")
    ws = load_workbook(result.path).active
    col = [c.value for c in ws[1]].index("description")
    values = sorted(row[col].value for row in ws.iter_rows(min_row=2))
    assert values == sorted(["ESC[31mröd", "bell och vt", "vanlig\ttext\n"])


def test_csv_and_geojson_keep_the_control_characters_they_can_hold(filled, tmp_path):
    _with_descriptions(filled, ["ESC\x1b[0m", "c", "d"])
    result = export_layer(filled, "reports", tmp_path / "r.csv")
    assert result.removed == 0 and not result.notes
    assert "ESC\x1b[0m" in result.path.read_text("utf-8-sig")
    gj = json.loads(export_layer(filled, "reports", tmp_path / "r.geojson").path.read_text())
    assert "ESC\x1b[0m" in [f["properties"]["description"] for f in gj["features"]]


HOSTILE = ["rad ett\r=cmd|' /C calc'!A0", "rad två\n+46 70 000\r\n@SUM(1)",
           "\r-2+3;\"citat\""]


def test_csv_quotes_every_line_break_and_no_physical_line_starts_a_formula(filled, tmp_path):
    import re

    _with_descriptions(filled, HOSTILE)
    out = export_layer(filled, "reports", tmp_path / "r.csv").path
    raw = out.read_bytes().decode("utf-8-sig")
    for line in re.split(r"\r\n|\r|\n", raw):
        assert not line.startswith(("=", "+", "-", "@")), repr(line)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert len(rows) == 3
    got = sorted(r["description"] for r in rows)
    assert got == sorted(["rad ett\r'=cmd|' /C calc'!A0", "rad två\n'+46 70 000\r\n'@SUM(1)",
                          "'\r'-2+3;\"citat\""])
    assert all(r["x"].endswith(",0") for r in rows)  # the row did not split
    import pandas as pd

    frame = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig")
    assert len(frame) == 3 and sorted(frame["description"]) == got
    assert frame["x"].between(620_000, 622_000).all()


def test_neutralise_guards_every_line_of_a_cell():
    assert neutralise("ok\n=1+1") == "ok\n'=1+1"
    assert neutralise("ok\r@x\r\n-1") == "ok\r'@x\r\n'-1"
    assert neutralise("a - b\nc") == "a - b\nc"


def test_xlsx_cuts_text_longer_than_an_excel_cell_holds_and_says_so(filled, tmp_path):
    from trygg.maps.export import XLSX_CELL_LIMIT

    _with_descriptions(filled, ["x" * (XLSX_CELL_LIMIT + 10), "kort", "y" * XLSX_CELL_LIMIT])
    result = export_layer(filled, "reports", tmp_path / "r.xlsx")
    assert result.shortened == 1 and "kortades" in result.notes[0][0]
    ws = load_workbook(result.path).active
    col = [c.value for c in ws[1]].index("description")
    lengths = sorted(len(row[col].value) for row in ws.iter_rows(min_row=2))
    assert lengths == [4, XLSX_CELL_LIMIT, XLSX_CELL_LIMIT]


def test_write_errors_name_the_output_and_say_when_the_disk_is_full(tmp_path, monkeypatch):
    import errno
    from collections import namedtuple

    from pyogrio.errors import DataSourceError

    from trygg.geo.errors import InputFileError
    from trygg.maps.export import write_error

    out = tmp_path / "e.gpkg"
    full = write_error(out, OSError(errno.ENOSPC, "No space left on device"))
    assert isinstance(full, InputFileError) and full.sv.startswith(f"Disken är full: '{out}'")
    denied = write_error(out, OSError(errno.EACCES, "Permission denied"))
    assert f"Kan inte skriva '{out}'" in denied.sv and "Permission denied" in denied.sv
    gdal = write_error(out, DataSourceError("Failed to commit transaction"))
    assert "Failed to commit transaction" in gdal.sv  # the folder takes a test write
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr("trygg.maps.export.shutil.disk_usage", lambda _p: usage(1, 1, 0))
    gdal = write_error(out, DataSourceError("Failed to commit transaction"))
    assert gdal.en.startswith(f"The disk is full: '{out}' could not be written")
    assert write_error(out, ValueError("a bug")) is None
    assert list(tmp_path.iterdir()) == []  # the probe is gone


def test_an_export_that_fails_leaves_nothing(filled, tmp_path, monkeypatch):
    from pyogrio.errors import DataSourceError

    from trygg.geo.errors import InputFileError

    def broken(*args, **kwargs):
        raise DataSourceError("Failed to commit transaction")

    monkeypatch.setattr("trygg.maps.export.pyogrio.write_dataframe", broken)
    out = tmp_path / "ut" / "e.gpkg"
    out.parent.mkdir()
    with pytest.raises(InputFileError, match="e.gpkg"):
        export_layer(filled, "reports", out)
    assert list(out.parent.iterdir()) == []

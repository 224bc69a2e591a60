import csv
import json

import pytest
from openpyxl import load_workbook

from geo.errors import ArgumentError
from layers.ingest import ingest_file
from maps.export import export_layer, neutralise


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
    out = export_layer(filled, "reports", tmp_path / "r.csv")
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
    out = export_layer(filled, "reports", tmp_path / "r.xlsx")
    ws = load_workbook(out).active
    header = [c.value for c in ws[1]]
    col = header.index("description")
    values = [row[col].value for row in ws.iter_rows(min_row=2)]
    types = [row[col].data_type for row in ws.iter_rows(min_row=2)]
    assert "'=HYPERLINK(\"http://example.invalid\",\"klicka\")" in values
    assert "f" not in types


def test_geojson_is_wgs84_and_gpkg_keeps_project_crs(filled, tmp_path):
    import pyogrio

    gj = export_layer(filled, "reports", tmp_path / "r.geojson")
    lon, lat = json.loads(gj.read_text("utf-8"))["features"][0]["geometry"]["coordinates"]
    assert 16 < lon < 18 and 59 < lat < 61
    gp = export_layer(filled, "reports", tmp_path / "r.gpkg")
    assert pyogrio.read_info(gp)["crs"] == "EPSG:3006"


def test_unknown_suffix_and_layer_are_user_errors(filled, tmp_path):
    with pytest.raises(ArgumentError, match=".xlsx"):
        export_layer(filled, "reports", tmp_path / "r.pdf")
    from geo.errors import ProjectError
    with pytest.raises(ProjectError, match="reports"):
        export_layer(filled, "saknas", tmp_path / "r.csv")

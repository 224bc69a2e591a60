"""XLSX reading: formulas without values, merged cells, hidden sheets, size and row limits."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from trygg.geo.crs import crs_bounds
from trygg.geo.errors import InputFileError
from trygg.layers.sources import readers, table
from trygg.layers.sources.readers import read_options, read_raw

SWEDEN = crs_bounds("EPSG:3006")


def parse(path, **kw):
    return table.parse(read_raw(path, **kw), target_crs="EPSG:3006", area=SWEDEN)


def _workbook(path, rows, title="Blad1"):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return wb


HEADER = ["Datum", "Kategori", "Plats", "X", "Y"]


def test_formula_without_cached_value_is_a_reject_with_its_row(tmp_path):
    path = tmp_path / "formler.xlsx"
    _workbook(path, [HEADER,
                     ["2025-03-01", "klotter", "Torget", 674000, 6610000],
                     ["2025-03-02", "=B2", "Torget", 674000, 6610000],
                     ["2025-03-03", "klotter", "Torget", 674000, 6610000]])
    p = parse(path)
    assert (p.rows_read, len(p.reports), len(p.rejects)) == (3, 2, 1)
    rej = p.rejects.iloc[0]
    assert (rej["file"], rej["sheet"], rej["line"]) == ("formler.xlsx", "Blad1", 3)
    assert rej["reason"] == "formula_without_value"
    assert "B3" in rej["detail"]


def test_formula_only_row_is_counted_not_dropped(tmp_path):
    path = tmp_path / "formler.xlsx"
    _workbook(path, [HEADER, ["2025-03-01", "klotter", "Torget", 674000, 6610000],
                     ["=A2+1"]])
    p = parse(path)
    assert p.rows_read == 2 and list(p.rejects["line"]) == [3]


def test_formula_with_cached_value_is_read(tmp_path):
    path = tmp_path / "cachad.xlsx"
    _workbook(path, [HEADER, ["2025-03-01", "klotter", "Torget", 674000, 6610000]])
    # Put a cached value next to the formula, as Excel saves it.
    data = io.BytesIO(path.read_bytes())
    out = io.BytesIO()
    with zipfile.ZipFile(data) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b'<c r="B2" t="inlineStr"><is><t>klotter</t></is></c>',
                                    b'<c r="B2" t="str"><f>"klot"&amp;"ter"</f><v>klotter</v></c>')
                assert b"<f>" in body
            zout.writestr(info, body)
    path.write_bytes(out.getvalue())
    p = parse(path)
    assert len(p.reports) == 1 and p.reports.iloc[0]["category"] == "klotter"


def test_merged_cells_fill_every_row_of_the_range(tmp_path):
    path = tmp_path / "sammanfogad.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["2025-03-01", "klotter", "Stora torget", 674000, 6610000])
    ws.append([None, "nedskräpning", None, 674100, 6610100])
    ws.append([None, "belysning", None, 674200, 6610200])
    ws.append(["2025-03-04", "klotter", "Parken", 674300, 6610300])
    ws.merge_cells("A2:A4")
    ws.merge_cells("C2:C4")
    wb.save(path)
    raw = read_raw(path)
    assert list(raw.rows["Datum"]) == ["2025-03-01"] * 3 + ["2025-03-04"]
    assert list(raw.rows["Plats"]) == ["Stora torget"] * 3 + ["Parken"]
    assert any("sammanfogade" in sv for sv, _en in raw.notes)
    p = table.parse(raw, target_crs="EPSG:3006", area=SWEDEN)
    assert (len(p.reports), len(p.rejects)) == (4, 0)


def test_merged_cells_across_columns_fill_each_column(tmp_path):
    path = tmp_path / "bred.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["Datum", "Plats", "Beskrivning", "X", "Y"])
    ws.append(["2025-03-01", "Torget", None, 674000, 6610000])
    ws.merge_cells("B2:C2")
    wb.save(path)
    raw = read_raw(path)
    assert raw.rows.iloc[0]["Beskrivning"] == "Torget"


def test_hidden_sheets_are_skipped_unless_asked_for(tmp_path):
    path = tmp_path / "dolda.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "Synlig"
    ws.append(HEADER)
    ws.append(["2025-03-01", "klotter", "Torget", 674000, 6610000])
    for title, state in (("Dold", "hidden"), ("Mycket dold", "veryHidden")):
        h = wb.create_sheet(title)
        h.sheet_state = state
        h.append(HEADER)
        h.append(["2025-03-09", "brand", "Hemligt", 674000, 6610000])
    wb.save(path)
    with read_options() as notes:
        raw = read_raw(path)
    assert list(raw.sheets) == ["Synlig"]
    assert any("Dold" in sv and "Mycket dold" in sv and "--hidden-sheets" in sv
               for sv, _en in notes)
    with read_options(hidden_sheets=True):
        assert list(read_raw(path).sheets) == ["Synlig", "Dold", "Mycket dold"]
    assert list(read_raw(path, sheet="Dold").sheets) == ["Dold"]


def test_only_hidden_sheets_says_so(tmp_path):
    path = tmp_path / "alladolda.xlsx"
    wb = Workbook()
    wb.active.append(HEADER)
    h = wb.create_sheet("Data")
    h.append(HEADER)
    h.append(["2025-03-09", "brand", "Torget", 674000, 6610000])
    h.sheet_state = "hidden"
    wb.remove(wb.active)
    wb.create_sheet("Tom", 0)
    wb.save(path)
    with pytest.raises(InputFileError, match="--hidden-sheets"):
        read_raw(path)


def test_wrong_dimension_does_not_drop_rows(tmp_path):
    path = tmp_path / "dimension.xlsx"
    _workbook(path, [HEADER] + [["2025-03-01", "klotter", "Torget", 674000, 6610000]] * 5)
    _rewrite_sheet(path, lambda xml: xml.replace(b'<dimension ref="A1:E6"',
                                                 b'<dimension ref="A1:E2"'))
    assert len(read_raw(path).rows) == 5


def _rewrite_sheet(path, change):
    out = io.BytesIO()
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                new = change(body)
                assert new != body
                body = new
            zout.writestr(info, body)
    path.write_bytes(out.getvalue())


def _bomb(path, rows: int, *, dimension: bool = True) -> None:
    """A valid workbook whose one sheet has ``rows`` rows, written by hand: a few MB."""
    template = io.BytesIO()
    Workbook().save(template)
    head = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + (b'<dimension ref="A1:A%d"/>' % rows if dimension else b"") + b"<sheetData>")
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    with zipfile.ZipFile(template) as zin, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
        for info in zin.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with zout.open("xl/worksheets/sheet1.xml", "w") as fh:
                    fh.write(head)
                    block = row * 10_000
                    for _ in range(rows // 10_000):
                        fh.write(block)
                    fh.write(b"</sheetData></worksheet>")
            else:
                zout.writestr(info, zin.read(info))


def _no_openpyxl(monkeypatch):
    import openpyxl

    def fail(*_a, **_k):
        raise AssertionError("the workbook was parsed before the limit was checked")

    monkeypatch.setattr(openpyxl, "load_workbook", fail)


def test_four_million_rows_are_refused_before_parsing(tmp_path, monkeypatch):
    path = tmp_path / "bomb.xlsx"
    _bomb(path, 4_000_000, dimension=False)
    assert path.stat().st_size < 2_000_000
    _no_openpyxl(monkeypatch)
    with pytest.raises(InputFileError) as err:
        read_raw(path)
    text = err.value.text("sv")
    assert "1 000 000" in text and "--max-rows" in text and "\n" not in text
    assert "--max-rows" in err.value.text("en")


def test_expanded_size_is_refused_from_the_zip_directory(tmp_path, monkeypatch):
    path = tmp_path / "stor.xlsx"
    _bomb(path, 200_000)  # about 10 MB of XML
    _no_openpyxl(monkeypatch)
    with pytest.raises(InputFileError, match="MB") as err:
        read_raw(path, max_rows=500)  # 4 MB + 500 rows × 1000 bytes
    assert "--max-rows" in err.value.text("en") and " 0 MB" not in err.value.text("sv")


def test_max_rows_can_be_raised(tmp_path):
    path = tmp_path / "rader.xlsx"
    _workbook(path, [HEADER] + [["2025-03-01", "klotter", "Torget", 674000, 6610000]] * 30)
    with pytest.raises(InputFileError, match="--max-rows"), read_options(max_rows=29):
        read_raw(path)
    with read_options(max_rows=30):
        assert len(read_raw(path).rows) == 30


def test_csv_row_limit(tmp_path):
    path = tmp_path / "rader.csv"
    path.write_text("Datum;X;Y\n" + "2025-03-01;674000;6610000\n" * 12, "utf-8")
    with pytest.raises(InputFileError, match="--max-rows"):
        readers.read_csv(path, max_rows=11)
    assert len(readers.read_csv(path, max_rows=12).rows) == 12


def test_not_a_zip_is_a_message(tmp_path):
    path = tmp_path / "fel.xlsx"
    path.write_bytes(b"Datum;X;Y\n")
    with pytest.raises(InputFileError, match="XLSX"):
        read_raw(path)


def test_hostile_walk_template_every_row_a_report_or_a_reject(tmp_path):
    from trygg.layers.sources import walk

    base = ["2025-05-12", 1, "Torget", "Mörkt", "Belysning", "Ny lampa", "Gata", "Hög", "Öppen"]
    positions = [(59.76, 18.70), (59.77, 18.71), ("abc", 18.7), (None, None), ("59,76", "18,70"),
                 ("=1/0", 18.7), ("<script>", "{{7*7}}")]
    rows = [list(walk.TEMPLATE_COLUMNS)] + [base + list(p) for p in positions]
    rows.append(["=NOW()", 9, "Torget", "x", "Klotter", None, None, None, None, 59.76, 18.70])
    rows.append([None] * 11)  # an empty row is no row
    rows.append(base[:3] + ["x" * 40_000] + base[4:] + [59.76, 18.70])
    path = tmp_path / "vandring.xlsx"
    wb = _workbook(path, rows)
    ws = wb.active
    ws["A2"].value = "=TODAY()"  # formula without cached value in a date cell
    wb.save(path)
    p = walk.parse_file(path, target_crs="EPSG:3006", area=SWEDEN)
    assert p.rows_read == 9 and len(p.reports) + len(p.rejects) == 9
    reasons = p.rejects.set_index("line")["reason"].to_dict()
    assert reasons[2] == reasons[9] == "formula_without_value"
    assert reasons[4] == "bad_coordinates"
    assert len(p.reports) == 9 - len(reasons)
    # Excel holds at most 32,767 characters in a cell; the long text is kept whole.
    assert (p.reports["description"].str.len() > 30_000).sum() == 1


def test_walk_template_over_the_row_limit_is_refused(tmp_path, monkeypatch):
    from trygg.layers.sources import walk

    path = tmp_path / "vandring.xlsx"
    _bomb(path, 20_000)
    _no_openpyxl(monkeypatch)
    with pytest.raises(InputFileError, match="--max-rows"), read_options(max_rows=10_000):
        walk.parse_file(path, target_crs="EPSG:3006", area=SWEDEN)


def test_ingest_command_options_reach_the_readers(tmp_path, capsys):
    from trygg.cli import main

    path = tmp_path / "dolda.xlsx"
    wb = _workbook(path, [HEADER, ["2025-03-01", "klotter", "Torget", 674000, 6610000]])
    hidden = wb.create_sheet("Dolt")
    for row in [HEADER] + [["2025-03-02", "klotter", "Parken", 674100, 6610100]] * 3:
        hidden.append(row)
    hidden.sheet_state = "hidden"
    wb.save(path)

    def ingest(*options):
        project = tmp_path / f"p{len(list(tmp_path.glob('*.gpkg')))}.gpkg"
        assert main(["init", str(project)]) == 0
        capsys.readouterr()
        code = main(["ingest", str(project), str(path), *options])
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    code, out = ingest("--max-rows", "3")
    assert code == 0 and "Dolda blad hoppades över: 'Dolt'" in out and "Läste 1 rad " in out
    code, out = ingest("--hidden-sheets", "--max-rows", "3")
    assert code == 2 and "--max-rows" in out and "Traceback" not in out
    code, out = ingest("--hidden-sheets")
    assert code == 0 and "Läste 4 rader" in out

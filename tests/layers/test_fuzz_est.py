"""Property-based tests of the EST reader on generated hostile XLSX workbooks.

The workbooks are written by hand (a zip of a few XML parts, about 1 ms each),
so they can hold what real files hold and openpyxl would not write: formula
cells without a cached value, merged ranges, hidden and very hidden sheets, a
wrong ``<dimension>``, gaps between rows, error and boolean cells, date-styled
numbers, text with escapes. Every workbook is either refused with the
project's one-line message or read so that every data row of every visible
sheet is a report or a reject (``rows_read`` is that number of rows). A few
dozen go through a real ingest: ``added + duplicates + rejected == read``.

2,000 examples per property in CI (``CI`` set), 200 locally (or
``TRYGG_FUZZ_EXAMPLES``); derandomized.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fuzz_open311 import CI, EXAMPLES, NUMBER, TEXT, check, times

from trygg.geo.crs import crs_bounds
from trygg.geo.errors import UserError
from trygg.layers.sources import est

SWEDEN = crs_bounds("EPSG:3006")
# openpyxl warns about every broken cell it reads; the rows are what counts.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
settings.register_profile(
    "fuzz-xlsx", max_examples=EXAMPLES, deadline=None, derandomize=True,
    database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                          HealthCheck.large_base_example])
FUZZ = settings.get_profile("fuzz-xlsx")
STORE = settings(FUZZ, max_examples=30 if CI else 6)

#: Dates outside pandas' range ("3377-12-31", "-1", "99991231"): rejects, never a
#: crash, in the table-based readers (est, walk) too.
FAR_DATES_IN_TABLES = True
FAR_DATES = ["1677-01-01", "1677-09-21 00:12:43", "2262-04-12", "3377-12-31",
             "9999-12-31 23:59:59", "-0001-01-01", "31/12/3377", "01.01.0001", "-1",
             "99991231"]
TABLE_DATE = st.one_of(
    st.dates().filter(lambda d: 1678 <= d.year <= 2261).map(str),
    st.sampled_from(["2025-03-30 02:30", "2025-10-26 02:30", "2025-06-02T08:15:00Z",
                     "14/03/2025", "05.01.2025", "1/5/2025", "2025-02-30", "2025-13-01",
                     "0000-00-00", "+12345-01-01", "1e20", "45731.9", "79999", "99999",
                     "20250101", "2025-W37", "igår", ""]
                    + (FAR_DATES if FAR_DATES_IN_TABLES else [])))
#: Numbers a date-styled cell may hold (Excel serial days); see FAR_DATES_IN_TABLES.
#: Numbers in a date column: Excel serial days (openpyxl makes a date-styled
#: serial outside Excel's dates, 2958466 or 1e20, "#VALUE!"). -1 as a plain
#: number and 2958465 (9999-12-31) wait for FAR_DATES_IN_TABLES.
DATE_SERIAL = st.sampled_from([45731.9, 45000, 1, 0, 0.5, 60, 61, 79999.5, -700000,
                               2958466, 1e20] + ([-1, 2958465] if FAR_DATES_IN_TABLES else []))

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """Text as XML content: characters XML 1.0 cannot hold written as Excel's
    ``_xHHHH_`` escapes (as Excel does)."""
    return escape(_XML_BAD.sub(lambda m: f"_x{ord(m.group()):04X}_", text))


# Cells: (kind, value). Kinds: s text, n number, d date-styled number, b boolean,
# e error, f formula without value, fv formula with a cached value, raw XML text.
@dataclass
class Sheet:
    name: str
    state: str = "visible"
    rows: list[list[tuple[str, object]]] = field(default_factory=list)
    merges: list[str] = field(default_factory=list)
    gaps: list[int] = field(default_factory=list)  # empty <row> elements before each row
    dimension: str | None = None


def _col(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def _cell(ref: str, kind: str, value: object) -> str:
    if kind == "s":
        return (f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">'
                f"{_xml_text(str(value))}</t></is></c>")
    if kind == "n":
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if kind == "d":
        return f'<c r="{ref}" s="1"><v>{value!r}</v></c>'
    if kind == "b":
        return f'<c r="{ref}" t="b"><v>{int(bool(value))}</v></c>'
    if kind == "e":
        return f'<c r="{ref}" t="e"><v>{escape(str(value))}</v></c>'
    if kind == "f":
        return f'<c r="{ref}"><f>{escape(str(value))}</f></c>'
    if kind == "fv":
        return f'<c r="{ref}" t="str"><f>A1</f><v>{_xml_text(str(value))}</v></c>'
    return str(value)  # raw XML: may be broken on purpose


def xlsx_bytes(sheets: list[Sheet]) -> bytes:
    """A workbook of ``sheets`` as the bytes of an .xlsx file."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    types = ['<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
             'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats'
             '-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml"'
             ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles'
             '+xml"/>']
    book, links, parts = [], [], {}
    for i, sheet in enumerate(sheets, start=1):
        types.append(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application'
                     '/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
        state = "" if sheet.state == "visible" else f' state="{sheet.state}"'
        book.append(f'<sheet name={quoteattr(sheet.name)} sheetId="{i}"{state} r:id="rId{i}"/>')
        links.append(f'<Relationship Id="rId{i}" Type="{rel}/worksheet" '
                     f'Target="worksheets/sheet{i}.xml"/>')
        body, r = [], 0
        for k, row in enumerate(sheet.rows):
            for _ in range(sheet.gaps[k] if k < len(sheet.gaps) else 0):
                r += 1
                body.append(f'<row r="{r}"/>')
            r += 1
            cells = "".join(_cell(f"{_col(c)}{r}", kind, value)
                            for c, (kind, value) in enumerate(row) if kind != "none")
            body.append(f'<row r="{r}">{cells}</row>')
        merges = (f'<mergeCells count="{len(sheet.merges)}">'
                  + "".join(f'<mergeCell ref="{m}"/>' for m in sheet.merges)
                  + "</mergeCells>") if sheet.merges else ""
        dim = f'<dimension ref="{sheet.dimension}"/>' if sheet.dimension else ""
        parts[f"xl/worksheets/sheet{i}.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}">{dim}<sheetData>'
            + "".join(body) + f"</sheetData>{merges}</worksheet>")
    links.append(f'<Relationship Id="rIdS" Type="{rel}/styles" Target="styles.xml"/>')
    parts["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types">' + "".join(types) + "</Types>")
    parts["_rels/.rels"] = (f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
                            f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
                            "</Relationships>")
    parts["xl/workbook.xml"] = (f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
                                + "".join(book) + "</sheets></workbook>")
    parts["xl/_rels/workbook.xml.rels"] = (f'<Relationships xmlns="{pkg}">' + "".join(links)
                                           + "</Relationships>")
    parts["xl/styles.xml"] = (
        f'<styleSheet xmlns="{main}"><fonts count="1"><font/></fonts><fills count="1">'
        '<fill><patternFill patternType="none"/></fill>'
        '</fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/>'
        '</cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" '
        'applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" '
        'xfId="0" builtinId="0"/></cellStyles></styleSheet>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text.encode("utf-8", errors="surrogatepass"))
    return out.getvalue()


NUMBER_CELL = NUMBER.filter(lambda v: v == v and abs(v) != float("inf")).map(
    lambda v: ("n", v))
HOSTILE_CELL = st.one_of(
    st.just(("none", None)), *times(TEXT.map(lambda v: ("s", v)), 3), NUMBER_CELL,
    st.booleans().map(lambda v: ("b", v)),
    st.sampled_from(["#DIV/0!", "#N/A", "#REF!", "#VALUE!"]).map(lambda v: ("e", v)),
    TEXT.map(lambda v: ("fv", v)),
    st.sampled_from(["NOW()", "1/0", "A1&B1", 'HYPERLINK("http://x","y")']).map(
        lambda v: ("f", v)).filter(lambda _v: True) | st.just(("none", None)))
#: A date column's cells: date texts, date-styled serial numbers, or (once dates
#: out of range are rejects in tables, FAR_DATES_IN_TABLES) anything hostile.
DATE_CELL = st.one_of(
    *times(TABLE_DATE.map(lambda v: ("s", v)), 6), TABLE_DATE.map(lambda v: ("fv", v)),
    *times(DATE_SERIAL.map(lambda v: ("d", v)), 2), st.just(("none", None)),
    st.just(("f", "TODAY()")), st.just(("e", "#VALUE!")),
    *([HOSTILE_CELL] if FAR_DATES_IN_TABLES else []))
#: Extra header names (none that names a date field).
EXTRA_HEADER = st.sampled_from(["", " ", "Övrigt", "Kommentar 2", "{{ 7*7 }}", "<b>x</b>",
                                "=cmd|' /C calc'!A0", "Beskrivning", "a\x00b", "ö" * 40])


def cells(values: st.SearchStrategy) -> st.SearchStrategy:
    """One cell of a column whose values come from ``values``, or a hostile cell."""
    return st.one_of(*times(values.map(lambda v: ("s", v)), 6), HOSTILE_CELL)


@st.composite
def workbooks(draw, header: list[str], columns: dict[str, st.SearchStrategy],
              readable: bool = False) -> tuple[bytes, int | None]:
    """A workbook of sheets with ``header`` (extra hostile header names may follow)
    and rows whose first cell is never empty; ``columns``: header → cell strategy
    (default :func:`cells` of any text). Returns the bytes and the number of data
    rows in the visible sheets (``None`` when the file is damaged on purpose)."""
    n_sheets = draw(st.integers(1, 1 if readable else 3))
    names = draw(st.lists(st.sampled_from(["Blad1", "v.12", "Norr & Syd", "Å'ö\"", "x" * 31,
                                           "Data", "Dolt"]),
                          min_size=n_sheets, max_size=n_sheets, unique=True))
    sheets, expected = [], 0
    for name in names:
        extra = draw(st.lists(EXTRA_HEADER, max_size=2))
        head = header + extra
        some = readable or draw(st.sampled_from([True] * 7 + [False]))  # 1 in 8: no rows
        n_rows = draw(st.integers(1, 6)) if some else 0
        rows = [[("s", h) for h in head]]
        for i in range(n_rows):
            anchor = ("s", f"r{i}" + draw(TEXT))
            rest = [draw(columns.get(h, cells(TEXT))) for h in head[1:]]
            if draw(st.integers(0, 5)) == 0:
                rest.append(draw(cells(TEXT)))  # a cell past the header
            rows.append([anchor] + rest)
        merges = []
        if n_rows >= 2 and len(head) >= 2 and draw(st.integers(0, 3)) == 0:
            c1 = draw(st.integers(1, len(head) - 1))
            c2 = draw(st.integers(c1, len(head) - 1))
            r1 = draw(st.integers(2, n_rows + 1))
            r2 = draw(st.integers(r1, n_rows + 1))
            if (c1, r1) != (c2, r2):
                merges.append(f"{_col(c1)}{r1}:{_col(c2)}{r2}")
        state = "visible" if readable or name == names[0] else draw(
            st.sampled_from(["visible", "hidden", "veryHidden"]))
        gaps = [0] + draw(st.lists(st.integers(0, 2), min_size=n_rows, max_size=n_rows))
        if merges:
            gaps = [0] * (n_rows + 1)  # merges name rows by number
        dimension = draw(st.sampled_from([None, "A1", "A1:B2", "A1:ZZ9999"]))
        sheets.append(Sheet(name, state, rows, merges, gaps, dimension))
        if state == "visible":
            expected += n_rows
    data = xlsx_bytes(sheets)
    n: int | None = expected
    damage = "none" if readable else draw(st.sampled_from(["none"] * 12 + ["cut", "junk"]))
    if damage == "cut":
        data = data[:draw(st.integers(0, len(data) - 1))]
        n = None
    elif damage == "junk":
        data = draw(st.binary(max_size=64))
        n = None
    return data, n


EST_HEADER = ["Beskrivning", "Datum", "Tid", "Ort", "Plats", "Händelsetyp",
              "Rapportör/Organisation"]
EST_COLUMNS = {
    "Datum": DATE_CELL,
    "Tid": cells(st.sampled_from(["21:40", "21.40", "9:05", "25:00", "", "kväll", "00:00:60"])),
    "Ort": cells(st.sampled_from(["Strandvik", "", "Okänd", "{{ 7*7 }}"])),
    "Plats": cells(st.sampled_from(["Torget", "Storgatan 12", "", "<script>", "Busstationen"])),
    "Händelsetyp": cells(st.sampled_from(["Skadegörelse", "Klotter", "Okänd typ", "", "=cmd|"])),
    # Mostly plausible positions (a file of only hostile ones is refused as a whole:
    # its coordinate system cannot be told).
    "X": st.one_of(*times(st.floats(673_000, 676_000).map(lambda v: ("n", v)), 4),
                   cells(st.sampled_from(["674000", "674 000", "674000,5", "-", ""]))),
    "Y": st.one_of(*times(st.floats(6_609_000, 6_612_000).map(lambda v: ("n", v)), 4),
                   cells(st.sampled_from(["6610000", "6 610 000", "-", ""]))),
    "Latitud": st.one_of(*times(st.floats(59.5, 60).map(lambda v: ("n", v)), 4),
                         cells(st.sampled_from(["59.76", "59,76", "91", "-", ""]))),
    "Longitud": st.one_of(*times(st.floats(18.5, 19).map(lambda v: ("n", v)), 4),
                          cells(st.sampled_from(["18.70", "18,70", "181", "-", ""]))),
}


@st.composite
def est_workbooks(draw, readable: bool = False):
    coords = draw(st.sampled_from([[], ["X", "Y"], ["Latitud", "Longitud"]]))
    return draw(workbooks(EST_HEADER + coords, EST_COLUMNS, readable=readable))


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz_est")


def _parse(path):
    return est.parse_file(path, target_crs="EPSG:3006", area=SWEDEN)


@FUZZ
@given(est_workbooks())
def test_any_est_workbook_is_read_row_by_row_or_refused(folder, book):
    data, n = book
    path = folder / "lagesbild.xlsx"
    path.write_bytes(data)
    try:
        p = _parse(path)
    except UserError as exc:
        assert "\n" not in str(exc)
        return
    check(p, path.name, n, max_line=10_000)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    from trygg.layers.store import create_project

    return create_project(tmp_path_factory.mktemp("fuzz_est_store") / "p.gpkg", name="F")


@STORE
@given(est_workbooks(readable=True))
def test_ingest_accounts_for_every_row(project, folder, book):
    from trygg.layers.ingest import ingest_file

    data, _n = book
    path = folder / "ingest.xlsx"
    path.write_bytes(data)
    try:
        s = ingest_file(project, path, source="est")
    except UserError:
        return
    assert s.balanced and s.reports_added + s.duplicates + s.rejected == s.rows_read

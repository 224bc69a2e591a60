"""Look inside an XLSX file before openpyxl parses it: sizes, rows, merges, formulas.

An XLSX file is a zip of XML parts. A few kilobytes of zip can expand to
gigabytes of XML (one 3 MB file held 4,000,000 rows), so the reader first
checks the expanded sizes the zip's directory declares and counts the row
elements of each worksheet while streaming it in 1 MB pieces (memory stays at
a few MB whatever the size). The same pass finds what openpyxl's streaming mode
cannot give: merged ranges (``<mergeCell ref="A2:A5"/>``) and formula cells
without a cached value (``<f>…</f>`` with no ``<v>``, as a workbook written by
a program and never opened in Excel has them), which ``data_only`` reading
would return as empty cells.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from openpyxl.utils.cell import range_boundaries

_CHUNK = 1 << 20
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_P = rb"(?:[A-Za-z_][\w.-]*:)?"  # optional namespace prefix of an element
_ROW_START = re.compile(rb"<" + _P + rb"row[\s>/]")
_ROW_END = re.compile(rb"</" + _P + rb"row>")
_ROW = re.compile(rb"<" + _P + rb"row\b([^>]*?)(?:/>|>(.*?)</" + _P + rb"row>)", re.S)
_CELL = re.compile(rb"<" + _P + rb"c\b([^>]*?)(?:/>|>(.*?)</" + _P + rb"c>)", re.S)
_FORMULA = re.compile(rb"<" + _P + rb"f[\s>/]")
_VALUE = re.compile(rb"<" + _P + rb"v>([^<]+)</")
_MERGE = re.compile(rb"<" + _P + rb"mergeCell\b[^>]*?\bref=\"([A-Za-z]+\d+(?::[A-Za-z]+\d+)?)\"")
_ATTR_R = re.compile(rb"\br=\"([A-Za-z]*)(\d+)\"")
_ATTR_T = re.compile(rb"\bt=\"(\w+)\"")


@dataclass
class SheetInfo:
    """One sheet of a workbook as the workbook part describes it."""

    name: str
    state: str  # visible, hidden or veryHidden
    part: str | None  # zip member of the worksheet XML; None for chart sheets


@dataclass
class SheetScan:
    """What streaming one worksheet's XML found.

    Attributes
    ----------
    rows
        Number of ``<row>`` elements (header and empty rows included).
    merges
        Merged ranges as (min_col, min_row, max_col, max_row), 1-based.
    formulas
        Excel row → cell references of formula cells without a cached value.
    """

    rows: int = 0
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    formulas: dict[int, list[str]] = field(default_factory=dict)


def expanded_size(zf: zipfile.ZipFile) -> int:
    """Sum of the uncompressed sizes the zip directory declares, bytes."""
    return sum(info.file_size for info in zf.infolist())


def sheets(zf: zipfile.ZipFile) -> list[SheetInfo]:
    """The sheets of the workbook in order, with state and worksheet part.

    Returns an empty list when the workbook part cannot be read (openpyxl then
    gives its own error).
    """
    try:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError):
        return []
    targets = {}
    for rel in rels.iter(f"{_NS_PKG}Relationship"):
        target = rel.get("Target", "")
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
        targets[rel.get("Id")] = path if kind == "worksheet" else None
    out = []
    for sheet in book.iter(f"{_NS_MAIN}sheet"):
        out.append(SheetInfo(sheet.get("name", ""), sheet.get("state", "visible"),
                             targets.get(sheet.get(f"{_NS_REL}id"))))
    return out


def scan_sheet(zf: zipfile.ZipFile, part: str, *, stop_after: int | None = None) -> SheetScan:
    """Stream one worksheet part, counting rows and finding merges and formulas.

    Parameters
    ----------
    zf
        The open workbook.
    part
        Zip member of the worksheet, e.g. ``xl/worksheets/sheet1.xml``.
    stop_after
        Stop once more than this many rows were counted (the file is refused
        anyway); ``rows`` is then a lower bound.
    """
    scan = SheetScan()
    last_row = 0
    carry = b""
    with zf.open(part) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            buf = carry + chunk
            if not chunk:
                seg, carry = buf, b""
            else:
                ends = list(_ROW_END.finditer(buf, max(0, len(buf) - (4 << 20))))
                if ends:
                    cut = ends[-1].end()
                elif not _ROW_START.search(buf):
                    cut = buf.rfind(b">") + 1
                else:
                    cut = 0  # inside one long row: read on
                seg, carry = buf[:cut], buf[cut:]
            if seg:
                last_row = _scan_segment(seg, scan, last_row)
            if stop_after is not None and scan.rows > stop_after:
                break
            if not chunk:
                break
    return scan


def _scan_segment(seg: bytes, scan: SheetScan, last_row: int) -> int:
    """Count the rows of ``seg`` (whole rows only); returns the last row number."""
    if b"<f" in seg or b":f" in seg:
        for row in _ROW.finditer(seg):
            number = _ATTR_R.search(row.group(1))
            last_row = int(number.group(2)) if number else last_row + 1
            scan.rows += 1
            body = row.group(2)
            if body and _FORMULA.search(body):
                missing = _formulas_without_value(body)
                if missing:
                    scan.formulas.setdefault(last_row, []).extend(missing)
    else:
        starts = list(_ROW_START.finditer(seg)) if b":row" in seg else None
        count = (len(starts) if starts is not None
                 else seg.count(b"<row ") + seg.count(b"<row>") + seg.count(b"<row/>"))
        if count:
            scan.rows += count
            tail = seg[seg.rfind(b"<row" if starts is None else b"row"):]
            number = _ATTR_R.search(tail[:200].split(b">", 1)[0])
            last_row = int(number.group(2)) if number else last_row + count
    if b"mergeCell" in seg:
        for ref in _MERGE.finditer(seg):
            try:
                scan.merges.append(range_boundaries(ref.group(1).decode("ascii").upper()))
            except ValueError:
                continue
    return last_row


def _formulas_without_value(row: bytes) -> list[str]:
    """References of the formula cells of one row's XML that hold no cached value."""
    out = []
    for cell in _CELL.finditer(row):
        inner = cell.group(2)
        if not inner or not _FORMULA.search(inner):
            continue
        if _VALUE.search(inner):
            continue
        kind = _ATTR_T.search(cell.group(1))
        if kind and kind.group(1) == b"str" and b"<v" in inner:
            continue  # a formula whose result is the empty string
        ref = _ATTR_R.search(cell.group(1))
        out.append((ref.group(1) + ref.group(2)).decode("ascii") if ref else "?")
    return out


def open_zip(path: Path) -> zipfile.ZipFile | None:
    """The workbook as a zip, or ``None`` when it is not a zip file."""
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None

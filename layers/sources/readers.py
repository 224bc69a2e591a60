"""Read input files into raw rows, keeping the line (or feature) number of each.

CSV as Swedish offices write it (``;`` or ``,`` or tab, UTF-8 with or without
BOM, else Windows-1252), XLSX (every sheet or one), and any vector format GDAL
reads (GeoJSON, GeoPackage, Shapefile) through pyogrio.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from geo.errors import InputFileError

TABLE_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".fgb", ".gpx")


@dataclass
class RawTable:
    """Rows of one input file, all values as text.

    Attributes
    ----------
    path
        The file read.
    rows
        One row per input record; every value a ``str`` ('' when empty).
    lines
        Line number (CSV: physical line where the record starts; XLSX: Excel
        row number; vector: feature number) of each row, as ``int64``.
    sheets
        Sheet name per row for XLSX, else ``None``.
    problems
        Per row ``None`` or why the row cannot be read as a whole (e.g. more
        fields than the header); such rows become rejects.
    problem_codes
        Per row the reject reason code of ``problems`` (``bad_row`` when
        ``None``), e.g. ``unterminated_quote``.
    row_notes
        Per row ``None`` or what the reader changed (a line read as
        Windows-1252, control characters removed); kept in the report's extra.
    notes
        What the reader noticed about the whole file, as (Swedish, English).
    geometry
        Point geometries for vector files (in ``crs``), else ``None``.
    crs
        CRS of ``geometry``.
    """

    path: Path
    rows: pd.DataFrame
    lines: np.ndarray
    sheets: np.ndarray | None = None
    problems: np.ndarray | None = None
    geometry: gpd.GeoSeries | None = None
    crs: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)
    problem_codes: np.ndarray | None = None
    row_notes: np.ndarray | None = None

    def where(self, i: int) -> str:
        """Human reference to row ``i``: ``file:line`` or ``file:sheet:row``."""
        if self.sheets is not None:
            return f"{self.path.name}:{self.sheets[i]}:{self.lines[i]}"
        return f"{self.path.name}:{self.lines[i]}"


def read_raw(path: str | Path, *, sheet: str | None = None) -> RawTable:
    """Read any supported input file as text rows with line numbers.

    Raises
    ------
    InputFileError
        When the file is missing, empty or of an unsupported kind.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"Filen '{path}' finns inte. Kontrollera sökvägen.",
                             f"The file '{path}' does not exist. Check the path.")
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        return read_csv(path)
    if suffix in EXCEL_SUFFIXES:
        return read_xlsx(path, sheet=sheet)
    if suffix in VECTOR_SUFFIXES:
        return read_vector(path)
    raise InputFileError(
        f"Filtypen '{suffix}' i '{path.name}' stöds inte. Använd CSV, XLSX, GeoJSON, "
        "GeoPackage, Shapefile eller GPX.",
        f"The file type '{suffix}' of '{path.name}' is not supported. Use CSV, XLSX, "
        "GeoJSON, GeoPackage or Shapefile.")


#: Largest field read from a delimited text file, in characters (10 MiB of
#: text; Python's csv module stops at 128 KiB). A row with a longer field is
#: rejected as ``field_too_large``; the rest of the file is read as usual.
MAX_FIELD_CHARS = 10 * 1024 * 1024

#: Most columns a header may have; a first line with more is no header (a
#: file with another delimiter or without line ends) and the file is refused.
MAX_COLUMNS = 1000
#: Column names are cut to this many characters.
MAX_NAME_CHARS = 200

#: Characters removed from every value read: C0 controls except tab and line
#: feed, DEL, C1 controls and stray byte-order marks. A NUL or ESC in an id or
#: text would otherwise cut it short or break the writers.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]")


@dataclass
class _Decoded:
    """A text file decoded line by line (see :func:`_decode`)."""

    text: str
    encoding: str
    cp1252_lines: list[int]
    crlf: str  # "lf" (LF or CRLF line ends) or "cr" (old Mac: CR only)


def _decode(data: bytes) -> _Decoded:
    """Decode bytes as UTF-8 line by line, a line that is not UTF-8 as Windows-1252.

    A UTF-8 BOM is dropped. Line ends are LF or CRLF; a file without any LF
    but with CR uses CR line ends (old Mac) and is read so. Returns the text
    with ``\\n`` line ends (a CR that is not a line end stays in the text), the
    encoding (``utf-8``, ``cp1252`` or ``utf-8+cp1252`` for a mixed file) and
    the physical line numbers (1-based) decoded as Windows-1252.
    """
    if data[:3] == b"\xef\xbb\xbf":
        data = data[3:]
    ends = "lf"
    if b"\n" not in data and b"\r" in data:
        data = data.replace(b"\r", b"\n")
        ends = "cr"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _Decoded(text.replace("\r\n", "\n"), "utf-8", [], ends)
    lines = data.split(b"\n")
    cp1252 = []
    out = []
    for i, line in enumerate(lines, start=1):
        try:
            out.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            out.append(line.decode("cp1252", errors="replace"))
            cp1252.append(i)
    non_ascii = sum(1 for line in lines if not line.isascii())
    encoding = "cp1252" if len(cp1252) == non_ascii else "utf-8+cp1252"
    return _Decoded("\n".join(out).replace("\r\n", "\n"), encoding, cp1252, ends)


def _sniff_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ";"


class _Tokenizer:
    """Split text into records the way spreadsheets write CSV, line by line.

    Quoting as RFC 4180 and Excel (a field that starts with ``"`` runs to the
    next lone ``"``, ``""`` inside it is one quote, text after the closing quote
    is kept). What no reader agrees on is decided so:

    - A quote that never closes: the record is the physical line where the
      quote opened (rejected as ``unterminated_quote``); reading goes on at the
      next line, so no other row is lost. The same holds for a record that
      runs over line ends and comes out with more (non-empty) fields than the
      header: its quote closed only at a quote of a later row.
    - A CR that is not part of a CRLF line end does not end a record: inside a
      quoted field it is a line break (``\\n``), elsewhere a space.
    - A field longer than :data:`MAX_FIELD_CHARS` rejects its record
      (``field_too_large``).

    Finding a closing quote is a binary search over the runs of quotes of the
    file, so a file of unclosed quotes still reads in linear time.
    """

    def __init__(self, text: str, delimiter: str) -> None:
        self.text = text
        self.delimiter = delimiter
        self.stop = re.compile("[" + re.escape(delimiter) + "\n]")
        self.has_cr = "\r" in text
        self.width: int | None = None  # fields in the header, once known
        # Lines no longer than this have no field over either limit.
        self.short = min(MAX_FIELD_CHARS, csv.field_size_limit())
        self._runs: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def _closing_quote(self, p: int) -> int:
        """Index of the quote that closes the field opened at ``p``, or -1."""
        if self._runs is None:
            spans = np.array([m.span() for m in re.finditer('"+', self.text)],
                             dtype=np.int64).reshape(-1, 2)
            odd = (spans[:, 1] - spans[:, 0]) % 2 == 1
            self._runs = (spans[:, 0], spans[:, 1], spans[odd, 1])
        starts, ends, odd_ends = self._runs
        k = int(np.searchsorted(starts, p))
        run_end = int(ends[k])
        if (run_end - p - 1) % 2 == 1:  # the opener's own run closes it
            return run_end - 1
        j = int(np.searchsorted(odd_ends, run_end, side="right"))
        return int(odd_ends[j]) - 1 if j < len(odd_ends) else -1

    def records(self, pos: int = 0, line: int = 1):
        """Yield ``(line, fields, problem)`` per record from character ``pos``
        (physical ``line``); ``problem`` is ``None``, ``"unterminated_quote"`` or
        ``"field_too_large"``."""
        text, delim, stop = self.text, self.delimiter, self.stop
        n = len(text)
        while pos < n:
            start = pos
            nl = text.find("\n", pos)
            eol = n if nl < 0 else nl
            if text.find('"', pos, eol) < 0:
                fields = text[pos:eol].split(delim)
                if self.has_cr:
                    fields = [f.replace("\r", " ") for f in fields]
                yield line, fields, None
                pos, line = eol + 1, line + 1
                continue
            if eol - pos <= self.short and not (self.has_cr and text.find("\r", pos, eol) >= 0):
                # A line whose quotes all close on it: the csv module (strict, so
                # a quote left open or text after a closing quote is an error)
                # reads it exactly as the loop below would, ten times faster.
                try:
                    fields = next(csv.reader((text[pos:eol],), delimiter=delim, strict=True))
                except (csv.Error, StopIteration):
                    pass
                else:
                    yield line, fields, None
                    pos, line = eol + 1, line + 1
                    continue
            fields, problem = [], None
            while True:
                if pos < n and text[pos] == '"':
                    close = self._closing_quote(pos)
                    if close < 0:
                        problem = "unterminated_quote"
                        break
                    m = stop.search(text, close + 1)
                    end = m.start() if m else n
                    value = text[pos + 1:close].replace('""', '"')
                    if self.has_cr:
                        value = value.replace("\r", "\n")
                    tail = text[close + 1:end]
                    value += tail.replace("\r", " ") if self.has_cr else tail
                    if len(value) > MAX_FIELD_CHARS:
                        problem = "field_too_large"
                        value = value[:1000] + f"… ({len(value)} tecken)"
                else:
                    m = stop.search(text, pos)
                    end = m.start() if m else n
                    value = text[pos:end]
                    if self.has_cr:
                        value = value.replace("\r", " ")
                fields.append(value)
                if end < n and text[end] == delim:
                    pos = end + 1
                    continue
                break
            if (problem is None and self.width and len(fields) > self.width
                    and end > eol and any(f.strip() for f in fields[self.width:])):
                # A quoted field ran over line ends into later rows and came out
                # too wide: its quote did not close where the writer meant.
                problem = "unterminated_quote"
            if problem == "unterminated_quote":
                yield line, text[start:eol].replace("\r", " ").split(delim), problem
                pos, line = eol + 1, line + 1
                continue
            yield line, fields, problem
            line += text.count("\n", start, end) + 1
            pos = end + 1


def read_csv(path: Path) -> RawTable:
    """Read a delimited text file; the delimiter is taken from the header line.

    The header is the first line. Every physical line after it is accounted
    for: each record becomes a row with the line where it starts, or a row
    with a problem (a quote that never closes, a field over
    :data:`MAX_FIELD_CHARS`, more fields than the header) that becomes a
    reject. Lines are decoded one by one (UTF-8, else Windows-1252),
    control characters (:data:`CONTROL_CHARS`) are removed from the values;
    both are recorded per row in ``row_notes`` and for the file in ``notes``.
    Large clean files whose records are one line each go through pandas' C
    parser (fast, compact strings).
    """
    data = path.read_bytes()
    dec = _decode(data)
    text = dec.text
    if not text.strip():
        raise InputFileError(f"Filen '{path.name}' är tom.", f"The file '{path.name}' is empty.")
    first = text.split("\n", 1)[0]
    delimiter = _sniff_delimiter(first)
    if first.count(delimiter) >= MAX_COLUMNS:
        raise InputFileError(
            f"Första raden i '{path.name}' har {first.count(delimiter) + 1} kolumner (högst "
            f"{MAX_COLUMNS}); den är ingen rubrikrad. Kontrollera att filen är en tabell "
            "med en rubrikrad.",
            f"The first line of '{path.name}' has {first.count(delimiter) + 1} columns (at "
            f"most {MAX_COLUMNS}); it is no header. Check that the file is a table with a "
            "header line.")
    notes = []
    if dec.crlf == "cr":
        notes.append(("Filen har CR som radslut (äldre Mac) och lästes så.",
                      "The file has CR line ends (old Mac) and was read so."))
    if dec.encoding == "utf-8+cp1252":
        lines_text = ", ".join(str(i) for i in dec.cp1252_lines[:10])
        more = " …" if len(dec.cp1252_lines) > 10 else ""
        k = len(dec.cp1252_lines)
        notes.append((f"{k} {'rad var' if k == 1 else 'rader var'} inte UTF-8 och lästes som "
                      f"Windows-1252 (rad {lines_text}{more}).",
                      f"{k} {'line was' if k == 1 else 'lines were'} not UTF-8 and read as "
                      f"Windows-1252 (line {lines_text}{more})."))
    clean = CONTROL_CHARS.search(text) is None
    if clean and dec.encoding != "utf-8+cp1252":
        fast = _read_csv_fast(data, text, dec.encoding, delimiter)
        if fast is not None:
            frame, lines = fast
            return RawTable(path, frame, lines, encoding=dec.encoding, delimiter=delimiter,
                            problems=np.full(len(frame), None, dtype=object), notes=notes)
    del data
    # The header is the first physical line: a quote left open in it must not
    # turn the rows below into column names.
    nl = text.find("\n")
    first = text if nl < 0 else text[:nl]
    _, header, _ = next(_Tokenizer(first, delimiter).records(), (1, [""], None))
    tokenizer = _Tokenizer(text, delimiter)
    records = tokenizer.records(len(text) if nl < 0 else nl + 1, 2)
    header = [CONTROL_CHARS.sub("", h).strip()[:MAX_NAME_CHARS] for h in header]
    width = tokenizer.width = len(header)
    cp1252 = set(dec.cp1252_lines) if dec.encoding == "utf-8+cp1252" else set()
    rows, lines, problems, codes, row_notes = [], [], [], [], []
    removed_total = 0
    for line, record, problem in records:
        if problem is None and not any(v.strip() for v in record):
            continue  # an empty line is no row
        note = []
        if not clean:
            removed = sum(len(CONTROL_CHARS.findall(v)) for v in record)
            if removed:
                record = [CONTROL_CHARS.sub("", v) for v in record]
                removed_total += removed
                note.append(f"{removed} styrtecken borttagna")
        if cp1252:
            span = 1 + sum(v.count("\n") for v in record)
            if any(i in cp1252 for i in range(line, line + span)):
                note.append("Windows-1252")
        text_problem = None
        if problem == "unterminated_quote":
            text_problem = f"citattecken öppnat på rad {line} stängs aldrig"
        elif problem == "field_too_large":
            text_problem = f"ett fält är längre än {MAX_FIELD_CHARS} tecken"
        elif len(record) > width and any(v.strip() for v in record[width:]):
            problem = "bad_row"
            text_problem = f"{len(record)} fält, rubriken har {width}"
        record = (record + [""] * (width - len(record)))[:width]
        rows.append(record)
        lines.append(line)
        problems.append(text_problem)
        codes.append(problem)
        row_notes.append("; ".join(note) or None)
    if removed_total:
        notes.append((f"{removed_total} styrtecken (t.ex. NUL) togs bort ur värdena.",
                      f"{removed_total} control characters (e.g. NUL) were removed from "
                      "the values."))
    frame = pd.DataFrame(rows, columns=_unique(header), dtype=object)
    return RawTable(path, frame, np.asarray(lines, dtype="int64"), encoding=dec.encoding,
                    delimiter=delimiter, problems=np.asarray(problems, dtype=object),
                    notes=notes, problem_codes=np.asarray(codes, dtype=object),
                    row_notes=np.asarray(row_notes, dtype=object))


def _read_csv_fast(data: bytes, text: str, encoding: str,
                   delimiter: str) -> tuple[pd.DataFrame, np.ndarray] | None:
    """pandas' C parser when every record is exactly one line; else ``None``."""
    if '"' in text or "\r" in text:
        return None  # quoted fields may span lines: line numbers need the tokenizer
    try:
        with warnings.catch_warnings():
            # A first row wider than the header: pandas would drop its fields.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, na_filter=False,
                                keep_default_na=False, skip_blank_lines=False, index_col=False,
                                quoting=csv.QUOTE_NONE, engine="c")
    except (pd.errors.ParserError, pd.errors.ParserWarning, UnicodeDecodeError):
        return None
    n_lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if n_lines != len(frame) + 1:
        return None
    frame.columns = _unique([str(c).strip()[:MAX_NAME_CHARS] for c in frame.columns])
    frame = frame.fillna("")
    lines = np.arange(2, len(frame) + 2, dtype="int64")
    filled = np.zeros(len(frame), bool)
    for col in frame.columns:
        filled |= (frame[col].str.strip() != "").to_numpy()
    if not filled.all():
        frame = frame[filled].reset_index(drop=True)
        lines = lines[filled]
    return frame, lines


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx(path: Path, *, sheet: str | None = None) -> RawTable:
    """Read every sheet (or ``sheet``) of a workbook; the first non-empty row of a
    sheet is its header, and sheets with the same header are stacked."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a broken file
        raise InputFileError(f"'{path.name}' går inte att läsa som XLSX ({exc}).",
                             f"'{path.name}' cannot be read as XLSX ({exc}).") from None
    names = [sheet] if sheet else wb.sheetnames
    frames, lines, sheets = [], [], []
    header: list[str] | None = None
    for name in names:
        if name not in wb.sheetnames:
            raise InputFileError(f"Bladet '{name}' finns inte i '{path.name}'; finns: "
                                 f"{', '.join(wb.sheetnames)}.",
                                 f"Sheet '{name}' is not in '{path.name}'; available: "
                                 f"{', '.join(wb.sheetnames)}.")
        sheet_header = None
        for excel_row, values in enumerate(wb[name].iter_rows(values_only=True), start=1):
            texts = [_cell_text(v) for v in values]
            if not any(texts):
                continue
            if sheet_header is None:
                sheet_header = _unique([t for t in texts])
                header = header or sheet_header
                continue
            record = dict(zip(sheet_header, texts, strict=False))
            frames.append(record)
            lines.append(excel_row)
            sheets.append(name)
    wb.close()
    if header is None:
        raise InputFileError(f"Arbetsboken '{path.name}' är tom.",
                             f"The workbook '{path.name}' is empty.")
    frame = pd.DataFrame(frames, dtype=object).fillna("")
    return RawTable(path, frame, np.asarray(lines, dtype="int64"),
                    sheets=np.asarray(sheets, dtype=object))


def read_vector(path: Path) -> RawTable:
    """Read a vector file of points; attributes become text rows (GPX: waypoints)."""
    layer = "waypoints" if path.suffix.lower() == ".gpx" else None
    try:
        gdf = pyogrio.read_dataframe(path, layer=layer)
    except Exception as exc:  # pyogrio raises DataSourceError and others
        raise InputFileError(f"'{path.name}' går inte att läsa som geodata ({exc}).",
                             f"'{path.name}' cannot be read as vector data ({exc}).") from None
    geometry = gdf.geometry if isinstance(gdf, gpd.GeoDataFrame) else None
    attrs = pd.DataFrame(gdf.drop(columns="geometry", errors="ignore"))
    rows = pd.DataFrame({c: [_cell_text(v) if not (isinstance(v, float) and np.isnan(v))
                             else "" for v in attrs[c]] for c in attrs.columns}, dtype=object)
    crs = geometry.crs.to_string() if geometry is not None and geometry.crs else None
    return RawTable(path, rows, np.arange(1, len(rows) + 1, dtype="int64"),
                    geometry=geometry, crs=crs)


def _unique(names: list[str]) -> list[str]:
    """Make header names unique and non-empty (``kolumn3``, ``Plats_2``)."""
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names, start=1):
        name = name or f"kolumn{i}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 1
        out.append(name)
    return out


def read_bytes(path: str | Path) -> bytes:
    """The bytes of a file, gunzipped when gzip-compressed, without a UTF-8 BOM.

    Raises
    ------
    InputFileError
        When the file cannot be read or is a broken gzip file.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"Kan inte läsa '{path}': {exc.strerror}.",
                             f"Cannot read '{path}': {exc.strerror}.") from None
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise InputFileError(f"'{path.name}' är en trasig gzip-fil ({exc}).",
                                 f"'{path.name}' is a broken gzip file ({exc}).") from None
    if data[:3] == b"\xef\xbb\xbf":
        data = data[3:]
    return data

"""Read input files into raw rows, keeping the line (or feature) number of each.

CSV as Swedish offices write it (``;`` or ``,`` or tab, UTF-8 with or without
BOM, else Windows-1252), XLSX (every sheet or one), and any vector format GDAL
reads (GeoJSON, GeoPackage, Shapefile) through pyogrio.

Limits (documented, raised per ingest with ``--max-rows``): a file may hold at
most :data:`MAX_ROWS` data rows, and an XLSX file may expand to at most
:data:`MIN_EXPANDED_BYTES` plus :data:`MAX_BYTES_PER_ROW` bytes of XML per
allowed row (about 1 GB by default);
both are checked before the rows are parsed where the format allows it.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from trygg.geo.errors import InputFileError
from trygg.geo.text import number

TABLE_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".fgb", ".gpx")

#: Most data rows (records, features) one input file may hold. A million rows
#: take about 1–2 GB of memory while they are read; raise it with ``--max-rows``.
MAX_ROWS = 1_000_000
#: Largest expanded (unzipped) size of an XLSX file per allowed row, bytes:
#: 1 GB for the default :data:`MAX_ROWS`. A zip can hide gigabytes of XML in a
#: few megabytes; the sizes the zip declares are checked before it is opened.
MAX_BYTES_PER_ROW = 1000
#: Expanded size every XLSX file may have on top of that, bytes: the fixed parts
#: (styles, theme, workbook) of even a one-row workbook are tens of kilobytes.
MIN_EXPANDED_BYTES = 4_000_000
#: Most merged cells per allowed row (a merge covering a million rows and
#: fifty columns is no table).
MAX_MERGED_CELLS_PER_ROW = 50


@dataclass(frozen=True)
class ReadOptions:
    """Options of the readers that the ingest sets for every file it reads.

    Attributes
    ----------
    max_rows
        Most data rows per file (:data:`MAX_ROWS`).
    hidden_sheets
        Read hidden and very hidden XLSX sheets too.
    layer
        Layer of a multi-layer vector file (GeoPackage) to read.
    """

    max_rows: int = MAX_ROWS
    hidden_sheets: bool = False
    layer: str | None = None


_DEFAULT_OPTIONS = ReadOptions()
_OPTIONS: ContextVar[ReadOptions | None] = ContextVar("read_options", default=None)
_NOTES: ContextVar[list[tuple[str, str]] | None] = ContextVar("read_notes", default=None)


@contextmanager
def read_options(*, max_rows: int | None = None, hidden_sheets: bool | None = None,
                 layer: str | None = None) -> Iterator[list[tuple[str, str]]]:
    """Set reader options for every file read inside the ``with`` block.

    This is how ``trygg ingest --max-rows/--hidden-sheets/--layer`` reach the
    readers whichever source module reads the file. Options left ``None`` keep
    their current value.

    Yields
    ------
    list
        The notes (Swedish, English) the readers add while the block runs,
        e.g. which hidden sheets were skipped; for the ingest summary.
    """
    if max_rows is not None and max_rows < 1:
        raise InputFileError(f"--max-rows ska vara minst 1, inte {max_rows}.",
                             f"--max-rows must be at least 1, not {max_rows}.")
    changes = {k: v for k, v in (("max_rows", max_rows), ("hidden_sheets", hidden_sheets),
                                 ("layer", layer)) if v is not None}
    notes: list[tuple[str, str]] = []
    token = _OPTIONS.set(replace(_OPTIONS.get() or _DEFAULT_OPTIONS, **changes))
    token_notes = _NOTES.set(notes)
    try:
        yield notes
    finally:
        _NOTES.reset(token_notes)
        _OPTIONS.reset(token)


def _options(**explicit: object) -> ReadOptions:
    """The options in force, with the explicitly given (non-``None``) ones applied."""
    return replace(_OPTIONS.get() or _DEFAULT_OPTIONS,
                   **{k: v for k, v in explicit.items() if v is not None})


def selection(path: str | Path, *, sheet: str | None = None) -> dict[str, object]:
    """What of ``path`` the readers will read, checked against the file.

    The part of an ingest's identity besides the file's bytes: for XLSX the
    sheet (or every visible sheet, or with ``--hidden-sheets`` every sheet),
    for a vector file the layer (GPX: ``waypoints`` unless named), for text
    files nothing. Options come from the :func:`read_options` block in force.

    Returns
    -------
    dict
        ``sheet``, ``layer`` and ``hidden_sheets``, normalised (``None`` and
        ``False`` where they do not apply), plus ``max_rows``.

    Raises
    ------
    InputFileError
        When the sheet or layer is not in the file, or a multi-layer file has
        no layer named (the readers' own messages).
    """
    path = Path(path)
    opts = _options()
    suffix = path.suffix.lower()
    out: dict[str, object] = {"sheet": None, "layer": None, "hidden_sheets": False,
                              "max_rows": opts.max_rows}
    if suffix in EXCEL_SUFFIXES:
        if sheet:
            from trygg.layers.sources import xlsx_scan

            try:
                with zipfile.ZipFile(path) as zf:
                    names = [i.name for i in xlsx_scan.sheets(zf)]
            except (zipfile.BadZipFile, OSError):
                names = []  # read_xlsx says what is wrong with the file
            if names and sheet not in names:
                raise InputFileError(f"Bladet '{sheet}' finns inte i '{path.name}'; finns: "
                                     f"{', '.join(names)}.",
                                     f"Sheet '{sheet}' is not in '{path.name}'; available: "
                                     f"{', '.join(names)}.")
            out["sheet"] = sheet
        else:
            out["hidden_sheets"] = bool(opts.hidden_sheets)
    elif suffix in VECTOR_SUFFIXES:
        layer = opts.layer
        if suffix == ".gpx" and layer in (None, "waypoints"):
            out["layer"] = "waypoints"
            return out
        try:
            names = [str(n) for n, _g in pyogrio.list_layers(path)]
        except Exception:  # noqa: BLE001 - read_vector says what is wrong with the file
            return {**out, "layer": layer}
        if layer is None and len(names) > 1:
            raise InputFileError(
                f"'{path.name}' har {len(names)} lager: {', '.join(names)}. Ange vilket som "
                f"ska läsas med --layer NAMN, t.ex. --layer {names[0]}.",
                f"'{path.name}' has {len(names)} layers: {', '.join(names)}. Name the one to "
                f"read with --layer NAME, e.g. --layer {names[0]}.")
        if layer is not None and layer not in names:
            raise InputFileError(f"Lagret '{layer}' finns inte i '{path.name}'; finns: "
                                 f"{', '.join(names) or '(inga)'}.",
                                 f"Layer '{layer}' is not in '{path.name}'; available: "
                                 f"{', '.join(names) or '(none)'}.")
        out["layer"] = layer if layer is not None else (names[0] if names else None)
    return out


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
    reasons
        Per row the reject reason code of ``problems`` (``None``: ``bad_row``),
        e.g. ``unterminated_quote``, ``formula_without_value``, ``multipoint``.
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
    reasons: np.ndarray | None = None
    row_notes: np.ndarray | None = None
    skipped_sheets: list[tuple[str, str]] = field(default_factory=list)

    def note(self, sv: str, en: str) -> None:
        """Record a note (Swedish, English) about the reading, also in the notes of
        the :func:`read_options` block in force."""
        self.notes.append((sv, en))
        active = _NOTES.get()
        if active is not None:
            active.append((sv, en))

    def where(self, i: int) -> str:
        """Human reference to row ``i``: ``file:line`` or ``file:sheet:row``."""
        if self.sheets is not None:
            return f"{self.path.name}:{self.sheets[i]}:{self.lines[i]}"
        return f"{self.path.name}:{self.lines[i]}"


def read_raw(path: str | Path, *, sheet: str | None = None, max_rows: int | None = None,
             hidden_sheets: bool | None = None, layer: str | None = None) -> RawTable:
    """Read any supported input file as text rows with line numbers.

    Parameters
    ----------
    path
        CSV/TXT/TSV, XLSX/XLSM or a vector file.
    sheet
        XLSX: read only this sheet.
    max_rows, hidden_sheets, layer
        See :class:`ReadOptions`; ``None`` takes the value of the
        :func:`read_options` block in force (default :data:`MAX_ROWS`, no
        hidden sheets, the only layer).

    Raises
    ------
    InputFileError
        When the file is missing, empty, of an unsupported kind or over a limit.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"Filen '{path}' finns inte. Kontrollera sökvägen.",
                             f"The file '{path}' does not exist. Check the path.")
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        return read_csv(path, max_rows=max_rows)
    if suffix in EXCEL_SUFFIXES:
        return read_xlsx(path, sheet=sheet, max_rows=max_rows, hidden_sheets=hidden_sheets)
    if suffix in VECTOR_SUFFIXES:
        return read_vector(path, layer=layer, max_rows=max_rows)
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
    utf16 = _utf16(data)
    if utf16 is not None:
        text = utf16[1]
        ends = "cr" if "\n" not in text and "\r" in text else "lf"
        text = text.replace("\r", "\n") if ends == "cr" else text.replace("\r\n", "\n")
        return _Decoded(text, utf16[0], [], ends)
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


def _utf16(data: bytes) -> tuple[str, str] | None:
    """``(encoding, text)`` of UTF-16 text, else ``None``.

    UTF-16 is taken from a byte-order mark (``FF FE`` little-endian, as Excel's
    "Unicode text" writes it, ``FE FF`` big-endian) or, without one, from NUL
    bytes in every other position (most of the odd bytes NUL and few of the
    even ones: little-endian; the other way round: big-endian).

    Raises
    ------
    InputFileError
        When the bytes say UTF-16 but do not decode as it.
    """
    encoding = None
    if data[:2] == b"\xff\xfe":
        encoding, data = "utf-16-le", data[2:]
    elif data[:2] == b"\xfe\xff":
        encoding, data = "utf-16-be", data[2:]
    elif len(data) >= 4 and b"\x00" in data[:4096]:
        head = data[:4096]
        even, odd = head[0::2].count(0), head[1::2].count(0)
        half = len(head) // 2
        if odd > 0.6 * half and even < 0.1 * half:
            encoding = "utf-16-le"
        elif even > 0.6 * half and odd < 0.1 * half:
            encoding = "utf-16-be"
    if encoding is None:
        return None
    try:
        return encoding, data.decode(encoding)
    except UnicodeDecodeError as exc:
        name = encoding.upper()
        raise InputFileError(
            f"Filen ser ut att vara text i {name} men går inte att avkoda (byte {exc.start}). "
            "Spara den som CSV i UTF-8.",
            f"The file looks like {name} text but does not decode (byte {exc.start}). "
            "Save it as CSV in UTF-8.") from None


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


def csv_header(head: bytes) -> list[str]:
    """The column names in the first line of ``head``, the start of a CSV file, decoded
    and split as :func:`read_csv` does (UTF-8, else Windows-1252; ``;``, tab or ``,``)."""
    first = _decode(head).text.split("\n", 1)[0]
    return next(_Tokenizer(first, _sniff_delimiter(first)).records())[1]


def read_csv(path: Path, *, max_rows: int | None = None) -> RawTable:
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
            _check_rows(path.name, len(frame), _options(max_rows=max_rows).max_rows)
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
            text_problem = f"ett fält är längre än {number(MAX_FIELD_CHARS)} tecken"
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
    _check_rows(path.name, len(frame), _options(max_rows=max_rows).max_rows)
    return RawTable(path, frame, np.asarray(lines, dtype="int64"), encoding=dec.encoding,
                    delimiter=delimiter, problems=np.asarray(problems, dtype=object),
                    notes=notes, reasons=np.asarray(codes, dtype=object),
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
    if value is None or value is pd.NaT:
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


def size_mb(size: int, lang: str) -> str:
    """A byte count as megabytes for a message: two decimals below 10 MB, written as
    :func:`trygg.geo.text.number` writes numbers in ``lang`` ("0,03", "1 000")."""
    value = size / 1_000_000
    return number(value, 2 if value < 10 else 0, lang=lang)


def too_many_rows(name: str, rows: int, limit: int, *, at_least: bool = False) -> InputFileError:
    more = "minst " if at_least else ""
    more_en = "at least " if at_least else ""
    return InputFileError(
        f"'{name}' har {more}{number(rows)} rader, fler än gränsen {number(limit)} rader per "
        "fil. Dela filen, eller höj gränsen med --max-rows (t.ex. --max-rows "
        f"{rows if not at_least else 2 * limit}) om datorn har minne för det.",
        f"'{name}' has {more_en}{number(rows, lang='en')} rows, more than the limit of "
        f"{number(limit, lang='en')} rows per file. "
        "Split the file, or raise the limit with --max-rows (e.g. --max-rows "
        f"{rows if not at_least else 2 * limit}) if the computer has the memory for it.")


def _check_rows(name: str, rows: int, max_rows: int) -> None:
    if rows > max_rows:
        raise too_many_rows(name, rows, max_rows)


def read_xlsx(path: Path, *, sheet: str | None = None, max_rows: int | None = None,
              hidden_sheets: bool | None = None) -> RawTable:
    """Read every visible sheet (or ``sheet``) of a workbook, streaming.

    The first non-empty row of a sheet is its header; the rows of all sheets
    read are stacked (columns by header name).

    * Hidden and very hidden sheets are skipped (a note says which) unless
      ``hidden_sheets`` or the sheet is named with ``sheet``.
    * Every cell of a merged range gets the value of the range's top-left
      cell, so a place or date merged over several rows is in each row.
    * A row holding a formula cell without a cached value (a workbook written
      by a program and never opened in Excel) is rejected
      (``formula_without_value``, with the cells): its value is unknown.
    * Before anything is parsed, the expanded size of the zip parts and the
      number of rows of the sheets to read are checked against
      ``max_rows`` (default :data:`MAX_ROWS`; expanded size at most
      :data:`MIN_EXPANDED_BYTES` plus :data:`MAX_BYTES_PER_ROW` bytes per
      allowed row).

    Parameters
    ----------
    path
        The ``.xlsx``/``.xlsm`` file.
    sheet
        Read only this sheet (hidden or not).
    max_rows, hidden_sheets
        Default: the values of :func:`read_options` (``--max-rows``,
        ``--hidden-sheets``).

    Raises
    ------
    InputFileError
        When the file is no workbook, over a limit, empty, or lacks ``sheet``.
    """
    from openpyxl import load_workbook

    from trygg.layers.sources import xlsx_scan

    opts = _options(max_rows=max_rows, hidden_sheets=hidden_sheets)
    zf = xlsx_scan.open_zip(path)
    if zf is None:
        raise InputFileError(f"'{path.name}' går inte att läsa som XLSX (inte en zip-fil).",
                             f"'{path.name}' cannot be read as XLSX (not a zip file).")
    with zf:
        size = xlsx_scan.expanded_size(zf)
        limit = MIN_EXPANDED_BYTES + opts.max_rows * MAX_BYTES_PER_ROW
        if size > limit:
            raise InputFileError(
                f"'{path.name}' packas upp till {size_mb(size, 'sv')} MB, mer än gränsen "
                f"{size_mb(limit, 'sv')} MB (4 MB och {MAX_BYTES_PER_ROW} byte per tillåten rad, "
                f"{number(opts.max_rows)} rader). Dela filen, eller höj gränsen med --max-rows.",
                f"'{path.name}' expands to {size_mb(size, 'en')} MB, more than the limit of "
                f"{size_mb(limit, 'en')} MB (4 MB and {MAX_BYTES_PER_ROW} bytes per allowed row, "
                f"{number(opts.max_rows, lang='en')} rows). Split the file, or raise the limit "
                "with --max-rows.")
        infos = xlsx_scan.sheets(zf)
        wanted = [i for i in infos if i.part and (
            i.name == sheet if sheet else (opts.hidden_sheets or i.state == "visible"))]
        scans: dict[str, xlsx_scan.SheetScan] = {}
        total = 0
        for info in wanted:
            try:
                scan = xlsx_scan.scan_sheet(zf, info.part, stop_after=opts.max_rows - total + 1)
            except (KeyError, zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
                raise InputFileError(f"'{path.name}' går inte att läsa som XLSX ({exc}).",
                                     f"'{path.name}' cannot be read as XLSX ({exc}).") from None
            scans[info.name] = scan
            total += max(scan.rows - 1, 0)  # the header row is not a data row
            if total > opts.max_rows:
                raise too_many_rows(path.name, total, opts.max_rows, at_least=True)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a broken file
        raise InputFileError(f"'{path.name}' går inte att läsa som XLSX ({exc}).",
                             f"'{path.name}' cannot be read as XLSX ({exc}).") from None
    table = RawTable(path, pd.DataFrame(), np.zeros(0, "int64"))
    try:
        frames, lines, sheets, problems, reasons = _xlsx_rows(wb, path, sheet, opts, scans,
                                                              table)
    except InputFileError:
        raise
    except Exception as exc:  # a part openpyxl cannot parse while streaming
        raise InputFileError(f"'{path.name}' går inte att läsa som XLSX ({exc}).",
                             f"'{path.name}' cannot be read as XLSX ({exc}).") from None
    finally:
        wb.close()
    if not frames:
        skipped = [n for n, _s in table.skipped_sheets]
        hint_sv = (f" Dolda blad hoppades över ({', '.join(skipped)}); läs dem med "
                   "--hidden-sheets." if skipped else "")
        hint_en = (f" Hidden sheets were skipped ({', '.join(skipped)}); read them with "
                   "--hidden-sheets." if skipped else "")
        raise InputFileError(f"Arbetsboken '{path.name}' är tom.{hint_sv}",
                             f"The workbook '{path.name}' is empty.{hint_en}")
    frame = pd.DataFrame(frames, dtype=object).fillna("")
    _check_rows(path.name, len(frame), opts.max_rows)
    table.rows = frame
    table.lines = np.asarray(lines, dtype="int64")
    table.sheets = np.asarray(sheets, dtype=object)
    table.problems = np.asarray(problems, dtype=object)
    table.reasons = np.asarray(reasons, dtype=object)
    return table


def _xlsx_rows(wb, path: Path, sheet: str | None, opts: ReadOptions, scans: dict,
               table: RawTable) -> tuple[list, list, list, list, list]:
    """Rows of the sheets to read, with merged cells filled and formula rows marked."""
    names = wb.sheetnames
    if sheet and sheet not in names:
        raise InputFileError(f"Bladet '{sheet}' finns inte i '{path.name}'; finns: "
                             f"{', '.join(names)}.",
                             f"Sheet '{sheet}' is not in '{path.name}'; available: "
                             f"{', '.join(names)}.")
    frames: list[dict] = []
    lines: list[int] = []
    sheets: list[str] = []
    problems: list[str | None] = []
    reasons: list[str | None] = []
    for name in [sheet] if sheet else names:
        ws = wb[name]
        state = getattr(ws, "sheet_state", "visible")
        if not sheet and state != "visible" and not opts.hidden_sheets:
            table.skipped_sheets.append((name, state))
            continue
        if not hasattr(ws, "iter_rows"):
            continue  # a chart sheet holds no cells
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # read every row, not only those a wrong <dimension> names
        scan = scans.get(name)
        merges = sorted(scan.merges, key=lambda m: m[1]) if scan else []
        formulas = scan.formulas if scan else {}
        covered = sum((m[2] - m[0] + 1) * (min(m[3], scan.rows + 1) - m[1] + 1)
                      for m in merges if m[3] >= m[1])
        if covered > MAX_MERGED_CELLS_PER_ROW * max(opts.max_rows, 1):
            raise InputFileError(
                f"Bladet '{name}' i '{path.name}' har {number(covered)} sammanfogade celler, "
                "fler än vad en tabell rimligen har. Ta bort sammanfogningen i Excel.",
                f"Sheet '{name}' of '{path.name}' has {number(covered, lang='en')} merged cells, "
                "more than a table plausibly has. Unmerge the cells in Excel.")
        if merges:
            table.note(f"Bladet '{name}': {len(merges)} sammanfogade områden; varje cell fick "
                       "värdet i områdets övre vänstra cell.",
                       f"Sheet '{name}': {len(merges)} merged ranges; every cell got the "
                       "value of the range's top-left cell.")
        active: list[list] = []  # [min_col, max_col, max_row, value]
        nxt = 0
        header: list[str] | None = None
        for excel_row, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if merges:
                values = list(values)
                while nxt < len(merges) and merges[nxt][1] <= excel_row:
                    c1, r1, c2, r2 = merges[nxt]
                    nxt += 1
                    if r1 == excel_row and c1 <= c2 and r1 <= r2:
                        top_left = values[c1 - 1] if c1 <= len(values) else None
                        active.append([c1, c2, r2, top_left])
                active = [m for m in active if m[2] >= excel_row]
                for c1, c2, _r2, value in active:
                    if len(values) < c2:
                        values.extend([None] * (c2 - len(values)))
                    values[c1 - 1:c2] = [value] * (c2 - c1 + 1)
            texts = [_cell_text(v) for v in values]
            missing = formulas.get(excel_row)
            if not any(texts) and not missing:
                continue
            if header is None and any(texts):
                header = _unique(texts)
                continue
            frames.append(dict(zip(header or [], texts, strict=False)))
            lines.append(excel_row)
            sheets.append(name)
            if missing:
                problems.append(f"formel utan sparat värde i {', '.join(missing[:5])}"
                                + (" …" if len(missing) > 5 else "")
                                + " (öppna och spara filen i Excel så att värdena beräknas)")
                reasons.append("formula_without_value")
            else:
                problems.append(None)
                reasons.append(None)
    if table.skipped_sheets:
        skipped = ", ".join(f"'{n}'" for n, _s in table.skipped_sheets)
        table.note(f"Dolda blad hoppades över: {skipped} (läs dem med --hidden-sheets).",
                   f"Hidden sheets were skipped: {skipped} (read them with --hidden-sheets).")
    return frames, lines, sheets, problems, reasons


def read_vector(path: Path, *, layer: str | None = None,
                max_rows: int | None = None) -> RawTable:
    """Read a vector file of points; attributes become text rows (GPX: waypoints,
    read by :func:`layers.sources.gpx.read_gpx`).

    Point geometries are kept; a MultiPoint of one point becomes that point.
    Other geometries become rejects: a MultiPoint of several points
    (``multipoint``: which one is meant cannot be told), lines, polygons and
    collections (``not_a_point``). Features without a geometry (or an empty
    one) keep no point, as a table row without coordinates (placed by the
    geocoder from a place text, else rejected).

    Parameters
    ----------
    path
        GeoJSON, GeoPackage, Shapefile, FlatGeobuf or GPX.
    layer
        The layer to read; required when the file has several (a GeoPackage).
        GPX: ``waypoints`` unless named. Default: the value of :func:`read_options`.
    max_rows
        Most features read (default :func:`read_options`, :data:`MAX_ROWS`);
        counted before the features are read.

    Raises
    ------
    InputFileError
        When the file cannot be read, has several layers and none is named,
        lacks ``layer``, or holds more than ``max_rows`` features.
    """
    opts = _options(max_rows=max_rows, layer=layer)
    layer = opts.layer

    def unreadable(exc: Exception) -> InputFileError:
        text = " ".join(str(exc).split())[:300]
        return InputFileError(f"'{path.name}' går inte att läsa som geodata ({text}).",
                              f"'{path.name}' cannot be read as vector data ({text}).")

    if path.suffix.lower() == ".gpx" and layer in (None, "waypoints"):
        from trygg.layers.sources.gpx import read_gpx

        return read_gpx(path, max_rows=opts.max_rows,
                        max_bytes=MIN_EXPANDED_BYTES + opts.max_rows * MAX_BYTES_PER_ROW)
    try:
        names = [str(n) for n, _g in pyogrio.list_layers(path)]
    except Exception as exc:  # pyogrio raises DataSourceError and others
        raise unreadable(exc) from None
    if layer is None and len(names) > 1:
        raise InputFileError(
            f"'{path.name}' har {len(names)} lager: {', '.join(names)}. Ange vilket som ska "
            f"läsas med --layer NAMN, t.ex. --layer {names[0]}.",
            f"'{path.name}' has {len(names)} layers: {', '.join(names)}. Name the one to read "
            f"with --layer NAME, e.g. --layer {names[0]}.")
    if layer is not None and layer not in names:
        raise InputFileError(f"Lagret '{layer}' finns inte i '{path.name}'; finns: "
                             f"{', '.join(names) or '(inga)'}.",
                             f"Layer '{layer}' is not in '{path.name}'; available: "
                             f"{', '.join(names) or '(none)'}.")
    try:
        count = pyogrio.read_info(path, layer=layer, force_feature_count=True)["features"]
        if count > opts.max_rows:
            raise too_many_rows(path.name, int(count), opts.max_rows)
        gdf = pyogrio.read_dataframe(path, layer=layer)
    except InputFileError:
        raise
    except Exception as exc:  # pyogrio raises DataSourceError and others
        raise unreadable(exc) from None
    _check_rows(path.name, len(gdf), opts.max_rows)
    n = len(gdf)
    geometry = gdf.geometry if isinstance(gdf, gpd.GeoDataFrame) else None
    problems = np.full(n, None, dtype=object)
    reasons = np.full(n, None, dtype=object)
    if geometry is not None and n:
        geometry, problems, reasons = _points_only(geometry.reset_index(drop=True))
    attrs = pd.DataFrame(gdf.drop(columns="geometry", errors="ignore"))
    rows = pd.DataFrame({c: [_cell_text(v) if not (isinstance(v, float) and np.isnan(v))
                             else "" for v in attrs[c]] for c in attrs.columns}, dtype=object)
    rows.index = pd.RangeIndex(n)
    crs = geometry.crs.to_string() if geometry is not None and geometry.crs else None
    return RawTable(path, rows, np.arange(1, n + 1, dtype="int64"), geometry=geometry,
                    crs=crs, problems=problems, reasons=reasons)


def _points_only(geom: gpd.GeoSeries) -> tuple[gpd.GeoSeries, np.ndarray, np.ndarray]:
    """Points kept, single-point MultiPoints unpacked, other geometries dropped with
    a reason (``multipoint``, ``not_a_point``) and a detail text per row."""
    import shapely

    values = geom.to_numpy(dtype=object).copy()
    n = len(values)
    problems = np.full(n, None, dtype=object)
    reasons = np.full(n, None, dtype=object)
    kinds = shapely.get_type_id(values)  # -1 missing, 0 point, 4 multipoint
    empty = shapely.is_empty(values) | (kinds < 0)
    multi = (kinds == 4) & ~empty
    parts = shapely.get_num_geometries(values)
    one = multi & (parts == 1)
    values[one] = shapely.get_geometry(values[one], 0)
    several = multi & (parts > 1)
    problems[several] = [f"MultiPoint med {k} punkter" for k in parts[several]]
    reasons[several] = "multipoint"
    other = ~empty & (kinds != 0) & (kinds != 4)
    problems[other] = ["geometri " + str(g.geom_type) for g in values[other]]
    reasons[other] = "not_a_point"
    points = ~empty & ((kinds == 0) | one)
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    x[points], y[points] = shapely.get_x(values[points]), shapely.get_y(values[points])
    bad = points & ~(np.isfinite(x) & np.isfinite(y))
    if geom.crs is not None and geom.crs.is_geographic:
        bad |= points & ((np.abs(x) > 180) | (np.abs(y) > 90))
    problems[bad] = [f"punkt ({a}, {b})" for a, b in zip(x[bad], y[bad], strict=True)]
    reasons[bad] = "bad_coordinates"
    values[several | other | bad | empty] = None  # an empty geometry is no point
    return gpd.GeoSeries(values, crs=geom.crs), problems, reasons


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


def read_bytes(path: str | Path, *, limit: int | None = None) -> bytes:
    """The bytes of a file, gunzipped when gzip-compressed, without a UTF-8 BOM.

    Parameters
    ----------
    limit
        Read only the first ``limit`` bytes (of the content, after gunzipping),
        e.g. to look at a file's head without reading all of it.

    Raises
    ------
    InputFileError
        When the file cannot be read or is a broken gzip file.
    """
    path = Path(path)
    size = -1 if limit is None else limit
    try:
        with open(path, "rb") as fh:
            gzipped = fh.read(2) == b"\x1f\x8b"
            fh.seek(0)
            if gzipped:
                with gzip.GzipFile(fileobj=fh) as gz:
                    data = gz.read(size)
            else:
                data = fh.read(size)
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise InputFileError(f"'{path.name}' är en trasig gzip-fil ({exc}).",
                             f"'{path.name}' is a broken gzip file ({exc}).") from None
    except OSError as exc:
        raise InputFileError(f"Kan inte läsa '{path}': {exc.strerror}.",
                             f"Cannot read '{path}': {exc.strerror}.") from None
    if data[:3] == b"\xef\xbb\xbf":
        data = data[3:]
    return data

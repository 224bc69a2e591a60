"""Read input files into raw rows, keeping the line (or feature) number of each.

CSV as Swedish offices write it (``;`` or ``,`` or tab, UTF-8 with or without
BOM, else Windows-1252), XLSX (every sheet or one), and any vector format GDAL
reads (GeoJSON, GeoPackage, Shapefile) through pyogrio.
"""

from __future__ import annotations

import csv
import gzip
import io
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
    notes: list[str] = field(default_factory=list)

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


def _decode(data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), else Windows-1252."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def _sniff_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ";"


def read_csv(path: Path) -> RawTable:
    """Read a delimited text file; the delimiter is taken from the header line.

    Large files whose records are one line each go through pandas' C parser
    (fast, compact strings); files with quoted line breaks or broken rows are
    read with the csv module, which knows each record's first line.
    """
    data = path.read_bytes()
    text, encoding = _decode(data)
    if not text.strip():
        raise InputFileError(f"Filen '{path.name}' är tom.", f"The file '{path.name}' is empty.")
    delimiter = _sniff_delimiter(text.split("\n", 1)[0])
    fast = _read_csv_fast(data, text, encoding, delimiter)
    del data
    if fast is not None:
        frame, lines = fast
        return RawTable(path, frame, lines, encoding=encoding, delimiter=delimiter,
                        problems=np.full(len(frame), None, dtype=object))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip() for h in next(reader)]
    rows, lines, problems = [], [], []
    start = reader.line_num + 1
    width = len(header)
    for record in reader:
        if any(v.strip() for v in record):
            problem = None
            if len(record) > width and any(v.strip() for v in record[width:]):
                problem = f"{len(record)} fält, rubriken har {width}"
            record = (record + [""] * (width - len(record)))[:width]
            rows.append(record)
            lines.append(start)
            problems.append(problem)
        start = reader.line_num + 1
    frame = pd.DataFrame(rows, columns=_unique(header), dtype=object)
    return RawTable(path, frame, np.asarray(lines, dtype="int64"), encoding=encoding,
                    delimiter=delimiter, problems=np.asarray(problems, dtype=object))


def _read_csv_fast(data: bytes, text: str, encoding: str,
                   delimiter: str) -> tuple[pd.DataFrame, np.ndarray] | None:
    """pandas' C parser when every record is exactly one line; else ``None``."""
    if '"' in text or "\r" in text.replace("\r\n", "\n"):
        return None  # quoted fields may span lines: line numbers need the csv module
    try:
        frame = pd.read_csv(io.BytesIO(data), sep=delimiter, dtype=str, na_filter=False,
                            keep_default_na=False, skip_blank_lines=False, quoting=csv.QUOTE_NONE,
                            encoding="utf-8-sig" if encoding == "utf-8" else encoding,
                            engine="c")
    except (pd.errors.ParserError, UnicodeDecodeError):
        return None
    n_lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if n_lines != len(frame) + 1:
        return None
    frame.columns = _unique([str(c).strip() for c in frame.columns])
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

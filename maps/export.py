"""Export a project layer to a file, chosen by suffix: .gpkg .geojson .csv .xlsx .tif.

Spreadsheets (.csv, .xlsx) are for people: by default (``columns="sv"``)
Swedish headers and labels instead of codes (English with ``lang="en"``),
coordinates as X/Y (project CRS, metres) and lat/lon (WGS 84) instead of a
geometry, JSON fields expanded into columns or left out (:mod:`maps.tables`);
``columns="codes"`` keeps the stored names and codes. GeoPackage and GeoJSON
keep the codes (the QGIS styles show the labels).

- **XLSX**: a frozen, bold header row with a filter, column widths that fit the
  text, dates as real Excel dates shown ÅÅÅÅ-MM-DD HH:MM, numbers as numbers.
  Text is always a text cell, never a formula; text that starts with ``=``,
  ``+``, ``-``, ``@``, tab or CR also gets Excel's "quote prefix" style, so it
  stays text when someone edits the cell, with nothing added to what the
  reader sees.
- **CSV** as Swedish offices read it in Excel: UTF-8 with BOM, CRLF, ``;``
  between fields and a decimal comma (``,`` and a decimal point with
  ``lang="en"``), local time. Every field holding a line break (CR, LF or
  both) is quoted, so a bare CR cannot split a row. CSV has no cell types, so
  the only defence against formula injection is in the text itself: text that
  starts with ``=``, ``+``, ``-``, ``@``, tab or CR, at the start of a field or
  after a line break inside it, gets a leading ``'`` (which stays visible).
- **GeoPackage** (project CRS) written as GeoPackage 1.2, which every GDAL
  since 2.2 (QGIS on Debian 12 has 3.6) opens without a warning, with QGIS
  styles in ``layer_styles`` (:mod:`maps.qgis`).
- **GeoJSON** is WGS84 as RFC 7946 requires.
- **GeoTIFF** (.tif): the KDE surface of a KDE run, with a QGIS style beside it
  (same name, ``.qml``).

Exported layers are named for what they hold (:func:`layer_name`:
``rapporter``, ``avvisade``, ``gistar``, ``hotspots`` …), never after a file or
a run's time stamp; the run and the project go into the layer's description.

An export never writes onto the project (also not through a symlink, a hard
link or another spelling of the path) and never replaces an existing file
unless asked to (``force``). Characters a format cannot hold are removed and
counted: the XML control characters Excel refuses (openpyxl's
``ILLEGAL_CHARACTERS_RE``) in XLSX. CSV, GeoJSON (escaped) and GeoPackage hold
every character a project can (GDAL already ends stored text at NUL).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from trygg.geo import text
from trygg.geo.errors import ArgumentError, InputFileError
from trygg.layers.store import GeoPackageStore
from trygg.maps.tables import COLUMN_SETS, Table, readable

SUFFIXES = (".gpkg", ".geojson", ".csv", ".xlsx", ".tif")
#: Suffixes whose exports keep the stored codes (``columns`` is always ``codes``).
CODED = (".gpkg", ".geojson", ".tif")
#: What a spreadsheet reads as the start of a formula (such text gets a quote prefix or
#: a leading ``'``).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_CHARS = frozenset(FORMULA_START)
# A formula start at the beginning of the text or right after a line break.
_FORMULA_LINE = re.compile(r"(^|\r\n|\r|\n)(?=[=+\-@\t\r])")
#: Characters each format cannot hold; they are removed on export.
UNSTORABLE = {".xlsx": ILLEGAL_CHARACTERS_RE}
#: Most characters an Excel cell holds; longer text is cut on export to .xlsx.
XLSX_CELL_LIMIT = 32_767
#: Rows of an Excel sheet (the header included).
XLSX_ROW_LIMIT = 1_048_576
#: The GeoPackage version exports are written as (GDAL's VERSION option).
GPKG_VERSION = "1.2"
#: Widest column of an XLSX export (characters).
XLSX_MAX_WIDTH = 60

#: Names of the project's tables in an export: table → (Swedish, English).
LAYER_NAMES = {
    "reports": ("rapporter", "reports"), "rejects": ("avvisade", "rejects"),
    "ingests": ("inläsningar", "ingests"), "runs": ("körningar", "runs"),
    "links": ("kopplingar", "links"), "gazetteer": ("ortsregister", "gazetteer"),
    "trygg_project": ("projekt", "project"), "cameras": ("kameraforteckning", "camera_register"),
    "actions": ("atgarder", "actions"), "walk_scores": ("vandringsbedomningar", "walk_scores"),
}
#: Names of a run's grid in an export, by method: (Swedish, English).
GRID_NAMES = {
    "count": ("antal", "count"), "kde": ("kde", "kde"), "gistar": ("gistar", "gistar"),
    "change": ("förändring", "change"), "emerging": ("trender", "emerging"),
    "divergence": ("otrygghet_brott", "divergence"),
}
#: Layers of a camera run and their names in an export: (Swedish, English).
CAMERA_PREFIXES = ("camera_sites_", "camera_views_")
CAMERA_NAMES = {"camera_sites": ("kameraplatser", "camera_sites"),
                "camera_views": ("bevakningsomraden", "camera_views")}
#: Layers of a walk run (``walk_<id>_stops``, ``walk_<id>_route``): (Swedish, English).
WALK_SUFFIXES = ("_stops", "_route")
WALK_NAMES = {"walk_stops": ("vandringsstopp", "walk_stops"),
              "walk_route": ("vandringsrutt", "walk_route")}
#: What each layer holds, for the title and description: name → (Swedish, English).
TITLES = {
    "camera_sites": ("Föreslagna kameraplatser", "Proposed camera sites"),
    "camera_views": ("Bevakningsområden för föreslagna kameror",
                     "Areas the proposed cameras would watch"),
    "reports": ("Rapporter", "Reports"), "rejects": ("Avvisade rader", "Rejected rows"),
    "ingests": ("Inläsningar", "Ingests"), "runs": ("Hotspotkörningar", "Hotspot runs"),
    "links": ("Kopplade rapporter", "Linked reports"),
    "gazetteer": ("Ortsregister", "Gazetteer"), "trygg_project": ("Projektet", "The project"),
    "cameras": ("Förteckning över kamerabevakning", "Register of camera surveillance"),
    "actions": ("Åtgärdsregister från trygghetsvandringar", "Action register of safety walks"),
    "walk_scores": ("Bedömningar från trygghetsvandringar", "Ratings from safety walks"),
    "walk_stops": ("Stopp på en trygghetsvandring", "Stops of a safety walk"),
    "walk_route": ("Rutt för en trygghetsvandring", "Route of a safety walk"),
    "count": ("Rapporter per ruta", "Reports per cell"),
    "kde": ("Täthet (KDE) per ruta", "Density (KDE) per cell"),
    "gistar": ("Gi*-hotspots per ruta", "Gi* hot spots per cell"),
    "change": ("Förändring per ruta", "Change per cell"),
    "emerging": ("Trender per ruta", "Trends per cell"),
    "divergence": ("Otrygghet och brott per ruta", "Unsafety and crime per cell"),
    "grid": ("Rutnät", "Grid"), "hotspots": ("Hotspotområden", "Hotspot areas"),
}


@dataclass
class ExportResult:
    """What an export wrote.

    Attributes
    ----------
    path
        The file written.
    rows
        Rows written.
    removed
        Characters removed because the format cannot hold them.
    shortened
        XLSX cells cut to :data:`XLSX_CELL_LIMIT` characters.
    notes
        ``(Swedish, English)`` notes for the user, e.g. about removed characters.
    layer
        The name of the layer (or sheet) in the file.
    files
        Files written beside ``path`` (the ``.qml`` style of a GeoTIFF).
    """

    path: Path
    rows: int = 0
    removed: int = 0
    shortened: int = 0
    notes: list[tuple[str, str]] = field(default_factory=list)
    layer: str = ""
    files: list[Path] = field(default_factory=list)


@dataclass
class LayerName:
    """How an exported layer is called: ``name`` (the table, sheet or GeoJSON name),
    ``title`` (GeoPackage identifier) and ``description`` (run, project, time)."""

    name: str
    title: str
    description: str


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet would read as a formula with ``'``: at the start
    of the text and after every line break inside it (CR, LF or CRLF). For CSV,
    which has no text cells."""
    if isinstance(value, str):
        return _FORMULA_LINE.sub(r"\1'", value)
    return value


def _neutralise_series(series: pd.Series) -> pd.Series:
    """:func:`neutralise` on the text of ``series`` (only the cells that need it)."""
    values = series.tolist()
    hits = [i for i, v in enumerate(values) if type(v) is str and v
            and (v[0] in _FORMULA_CHARS or "\n" in v or "\r" in v)]
    if not hits:
        return series
    for i in hits:
        values[i] = neutralise(values[i])
    return pd.Series(values, index=series.index, dtype=object)


def _clean(df: pd.DataFrame, pattern: re.Pattern) -> tuple[pd.DataFrame, int]:
    """``df`` with ``pattern`` removed from every text cell and column name, and the
    number of characters removed."""
    removed = 0

    def strip(value: object) -> object:
        nonlocal removed
        if isinstance(value, str):
            clean, n = pattern.subn("", value)
            removed += n
            return clean
        return value

    out = df.copy()
    for col in out.columns:
        if col != "geometry" and (out[col].dtype == object
                                  or pd.api.types.is_string_dtype(out[col])):
            out[col] = out[col].astype(object).map(strip)
    out.columns = [strip(c) for c in out.columns]
    return out, removed


def _shorten(df: pd.DataFrame, limit: int) -> tuple[pd.DataFrame, int]:
    """``df`` with every text cell cut to ``limit`` characters, and how many were cut."""
    cut = 0

    def shorten(value: object) -> object:
        nonlocal cut
        if isinstance(value, str) and len(value) > limit:
            cut += 1
            return value[:limit]
        return value

    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].astype(object).map(shorten)
    return out, cut


# -- layer names --------------------------------------------------------------------------
def _run_row(store: GeoPackageStore, run_id: str) -> dict | None:
    if "runs" not in store.layers():
        return None
    runs = store.read("runs")
    rows = runs[runs["run_id"].astype(str) == run_id]
    return rows.iloc[-1].to_dict() if len(rows) else None


def layer_name(store: GeoPackageStore, layer: str, *, lang: str = "sv") -> LayerName:
    """The name an exported layer gets: the project's tables by :data:`LAYER_NAMES`, a
    run's grid by its method (:data:`GRID_NAMES`), a run's hotspot areas
    ``hotspots``; any other layer keeps its name. The run id, when it was made and
    the project go into the description."""
    en = lang == "en"
    now = text.datetime(datetime.now(UTC).astimezone())
    project = store.name
    run_id = None
    if layer in LAYER_NAMES:
        name, key = LAYER_NAMES[layer][en], layer
    elif layer.startswith("hotspots_") and len(layer) > len("hotspots_"):
        name, key, run_id = "hotspots", "hotspots", layer[len("hotspots_"):]
    elif layer.startswith(CAMERA_PREFIXES):
        prefix = next(p for p in CAMERA_PREFIXES if layer.startswith(p))
        key, run_id = prefix.rstrip("_"), layer[len(prefix):]
        name = CAMERA_NAMES[key][en]
    elif (layer.startswith("walk_") and layer.endswith(WALK_SUFFIXES)
          and len(layer) > len("walk_") + len("_stops")):
        suffix = next(x for x in WALK_SUFFIXES if layer.endswith(x))
        key, run_id = "walk" + suffix, layer[len("walk_"):-len(suffix)]
        name = WALK_NAMES[key][en]
    elif layer.startswith("grid_") and len(layer) > len("grid_"):
        run_id = layer[len("grid_"):]
        run = _run_row(store, run_id)
        kind = str(run["kind"]) if run else run_id.split("_")[0]
        key = kind if kind in GRID_NAMES else "grid"
        name = GRID_NAMES[kind][en] if kind in GRID_NAMES else ("rutnät" if not en else "grid")
    else:
        return LayerName(layer, layer, text.pick(f"Lagret {layer} ur {project}, exporterat "
                                                 f"{now}.", f"The layer {layer} of {project}, "
                                                 f"exported {now}.", lang))
    title = TITLES[key][en]
    if run_id is None:
        description = text.pick(f"{title} ur {project}, exporterade {now}.",
                                f"{title} of {project}, exported {now}.", lang)
    else:
        row = _run_row(store, run_id)
        made = (text.datetime(pd.Timestamp(row["created_at"]).to_pydatetime().astimezone())
                if row and pd.notna(row.get("created_at")) else "")
        when = f" ({made})" if made else ""
        description = text.pick(f"{title} ur {project}: körningen {run_id}{when}, "
                                f"exporterad {now}.",
                                f"{title} of {project}: the run {run_id}{when}, "
                                f"exported {now}.", lang)
    return LayerName(name, title, description)


# -- XLSX ---------------------------------------------------------------------------------
def _width(header: str, series: pd.Series, fmt: str | None) -> float:
    """A column width (characters) that fits the header and most of the values."""
    sample = series.iloc[:2000].dropna()
    if fmt:
        longest = len("2025-04-01 20:00") if "yy" in fmt else 5
    elif len(sample):
        lengths = sample.astype(str).map(lambda v: max(len(line) for line in
                                                       v.splitlines() or [""]))
        longest = int(lengths.quantile(0.95))
    else:
        longest = 0
    return round(min(max(len(header) * 1.1 + 2, longest + 2, 6), XLSX_MAX_WIDTH), 1)


def _cell_maker(ws, fmt: str | None):
    """A function from a value to what the sheet ``ws`` gets: a plain value, or a cell
    with its number format ``fmt`` or its text settings."""
    from openpyxl.cell import WriteOnlyCell

    def missing(value: object) -> bool:
        return value is None or value is pd.NaT or value is pd.NA or (
            isinstance(value, float) and value != value)

    def text_cell(value: str):
        if value.startswith(FORMULA_START):
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type = "s"  # never a formula, whatever the text
            cell.quotePrefix = True  # and still text when the cell is edited
            return cell
        return value

    def formatted(value: object):
        if isinstance(value, pd.Timestamp):
            value = value.to_pydatetime()
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = fmt
        return cell

    def convert(value: object):
        if missing(value):
            return None
        if isinstance(value, str):
            return text_cell(value) if value else None
        if fmt:
            return formatted(value)
        if isinstance(value, pd.Timestamp):
            return value.to_pydatetime()
        return value
    return convert


def _write_xlsx(table: Table, path: Path, sheet: str, title: str = "") -> None:
    _write_sheets({sheet: table}, path, title)


def _write_sheets(tables: dict[str, Table], path: Path, title: str = "") -> None:
    """One workbook with a sheet per table: bold frozen header, filter, widths."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    wb.properties.title = title or next(iter(tables), "data")
    for sheet, table in tables.items():
        _add_sheet(wb, table, sheet)
    wb.save(path)


def _add_sheet(wb, table: Table, sheet: str) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    frame = table.frame
    ws = wb.create_sheet(re.sub(r"[\[\]:*?/\\]", "_", sheet)[:31] or "data")
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    headers = [str(h) for h in frame.columns]
    for i, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = _width(
            header, frame.iloc[:, i - 1], table.formats.get(header))
    bold = Font(bold=True)
    head = []
    for header in headers:
        cell = WriteOnlyCell(ws, value=header)
        cell.data_type = "s"
        cell.font = bold
        cell.quotePrefix = header.startswith(FORMULA_START)
        head.append(cell)
    ws.append(head)
    makers = [_cell_maker(ws, table.formats.get(h)) for h in headers]
    columns = [frame.iloc[:, i].tolist() for i in range(len(headers))]
    for values in zip(*columns, strict=True):
        ws.append([make(v) for make, v in zip(makers, values, strict=True)])
    if headers:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(frame) + 1}"


# -- CSV ----------------------------------------------------------------------------------
#: Rows read, made readable and written at a time by a CSV export.
CSV_CHUNK_ROWS = 100_000


def _decimals(series: pd.Series, decimal: str) -> pd.Series:
    """A float column as text with ``decimal`` (shortest round-trip digits; empty when
    missing), formatted by Arrow: much faster than pandas' ``decimal=`` option."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text_ = pc.cast(pa.array(series.to_numpy(dtype="float64"), from_pandas=True), pa.string())
    if decimal != ".":
        text_ = pc.replace_substring(text_, ".", decimal)
    return pd.Series(text_.to_pylist(), index=series.index, dtype=object)


def _write_csv(table: Table, fh, *, columns: str, lang: str, header: bool = True) -> None:
    """Write ``table`` to the open text file ``fh`` as CSV for Excel in ``lang``'s
    locale (see the module docstring); ``header`` with the header row."""
    frame = table.frame.copy()
    sep, decimal = (",", ".") if lang == "en" else (";", ",")
    for i in range(frame.shape[1]):
        col = frame.iloc[:, i]
        if col.dtype == object or pd.api.types.is_string_dtype(col):
            frame.isetitem(i, _neutralise_series(col).to_numpy(dtype=object))
        elif pd.api.types.is_float_dtype(col):
            frame.isetitem(i, _decimals(col, decimal).to_numpy(dtype=object))
    frame.columns = [neutralise(str(c)) for c in frame.columns]
    # CRLF as the line end makes the csv module quote every field holding CR or
    # LF (with "\n" alone, a bare CR is written unquoted and splits the row).
    frame.to_csv(fh, sep=sep, index=False, header=header,
                 date_format="%Y-%m-%d %H:%M" if columns == "sv" else "%Y-%m-%d %H:%M:%S",
                 lineterminator="\r\n")


def _export_csv(store: GeoPackageStore, layer: str, path: Path, *, columns: str,
                lang: str) -> int:
    """Write ``layer`` to ``path`` as CSV, :data:`CSV_CHUNK_ROWS` rows at a time (the
    JSON keys gathered first, so every part has the same columns); returns the rows."""
    from trygg.maps.tables import JSON_FIELDS, json_keys

    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        if store.count(layer) <= CSV_CHUNK_ROWS:
            df = store.read(layer)
            _write_csv(readable(df, columns=columns, lang=lang), fh, columns=columns,
                       lang=lang)
            return len(df)
        json_columns = [f for f in store.fields(layer)
                        if JSON_FIELDS.get(f) in ("keys", "counts")]
        keys: dict[str, list[str]] = {}
        if columns == "sv" and json_columns:
            seen: dict[str, dict[str, None]] = {}
            for part in store.read_parts(layer, CSV_CHUNK_ROWS, columns=json_columns):
                keys = json_keys(part, seen=seen)
        rows = 0
        for part in store.read_parts(layer, CSV_CHUNK_ROWS):
            _write_csv(readable(part, columns=columns, lang=lang, keys=keys), fh,
                       columns=columns, lang=lang, header=rows == 0)
            rows += len(part)
        return rows


_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
#: Bytes of the test write that tells a full disk from other GDAL write failures.
_PROBE_BYTES = 1 << 20


def _disk_full(folder: Path) -> bool:
    """True when ``folder`` takes no :data:`_PROBE_BYTES` test write (removed at once)."""
    probe = folder / f".trygg-probe.{uuid.uuid4().hex[:8]}.tmp"
    try:
        with open(probe, "xb") as fh:
            fh.write(bytes(_PROBE_BYTES))
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        return exc.errno in _FULL
    finally:
        probe.unlink(missing_ok=True)
    try:
        return shutil.disk_usage(folder).free < _PROBE_BYTES * 16
    except OSError:
        return False


def write_error(out: str | Path, exc: BaseException) -> InputFileError | None:
    """The one-line message for a failure while writing the output file ``out`` (not
    the project), naming ``out``; ``None`` when ``exc`` is no file or GDAL error.

    Parameters
    ----------
    out
        The file being written (an export, a map).
    exc
        The ``OSError`` or GDAL (pyogrio) error raised while writing it.
    """
    from pyogrio.errors import DataLayerError, DataSourceError

    out = Path(out)
    if isinstance(exc, OSError):
        full = exc.errno in _FULL
        reason = exc.strerror or str(exc).strip() or type(exc).__name__
    elif isinstance(exc, (DataSourceError, DataLayerError)):
        text = str(exc).strip()
        reason = text.splitlines()[0] if text else type(exc).__name__
        low = text.lower()
        full = ("disk is full" in low or "no space" in low or "too large" in low
                or _disk_full(out.parent))
    else:
        return None
    if full:
        return InputFileError(f"Disken är full: '{out}' kunde inte skrivas. Frigör utrymme i "
                              f"'{out.parent}' och försök igen; inget skrevs.",
                              f"The disk is full: '{out}' could not be written. Free up space "
                              f"in '{out.parent}' and try again; nothing was written.")
    return InputFileError(f"Kan inte skriva '{out}' i mappen '{out.parent}': {reason}. "
                          "Välj en annan plats.",
                          f"Cannot write '{out}' in the folder '{out.parent}': {reason}. "
                          "Choose another place.")


def _same_file(a: Path, b: Path) -> bool:
    """True when ``a`` and ``b`` name the same file (symlinks, hard links and other
    spellings included)."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist: compare the resolved spellings
        return a.resolve() == b.resolve()


def check_target(out: Path, reads: list[Path], *, force: bool = False,
                 option: str = "--out") -> None:
    """Refuse to write ``out`` onto a file the command reads, onto a folder or onto an
    existing file (unless ``force``).

    Parameters
    ----------
    out
        The file to write.
    reads
        Files the command reads, the project first.
    force
        Allow replacing an existing file that is not one of ``reads``.
    option
        The option naming ``out``, for messages.

    Raises
    ------
    geo.errors.ArgumentError
        With a one-line message naming the file and the fix.
    """
    for i, path in enumerate(reads):
        if _same_file(out, Path(path)):
            what_sv, what_en = ("projektet", "the project") if i == 0 else ("filen", "the file")
            example = Path(path).with_name(Path(path).stem + "_export" + out.suffix).name
            raise ArgumentError(
                f"{option} '{out}' är samma fil som {what_sv} '{path}' som läses; den skulle "
                f"skrivas över. Ange en annan fil, t.ex. {example}.",
                f"{option} '{out}' is the same file as {what_en} '{path}' being read; it "
                f"would be overwritten. Give another file, e.g. {example}.")
    if out.is_dir():
        raise ArgumentError(f"{option} '{out}' är en mapp. Ange en fil, t.ex. "
                            f"{out / ('rapporter' + (out.suffix or '.xlsx'))}.",
                            f"{option} '{out}' is a folder. Give a file, e.g. "
                            f"{out / ('reports' + (out.suffix or '.xlsx'))}.")
    if (out.exists() or out.is_symlink()) and not force:
        raise ArgumentError(f"{option} '{out}' finns redan. Välj ett annat namn eller ange "
                            "--force för att ersätta filen.",
                            f"{option} '{out}' already exists. Choose another name or pass "
                            "--force to replace it.")


def _columns_for(suffix: str, columns: str | None) -> str:
    """The column set of an export to ``suffix`` (``sv`` for spreadsheets by default)."""
    if columns is None:
        return "codes" if suffix in CODED else "sv"
    if columns not in COLUMN_SETS:
        raise ArgumentError(f"--columns ska vara sv eller codes, inte '{columns}'.",
                            f"--columns must be sv or codes, not '{columns}'.")
    if suffix in CODED and columns != "codes":
        raise ArgumentError(
            f"--columns {columns} gäller bara .csv och .xlsx: {suffix} behåller koderna "
            "(QGIS-stilarna visar etiketterna). Ange --columns codes eller ingenting.",
            f"--columns {columns} applies to .csv and .xlsx only: {suffix} keeps the codes "
            "(the QGIS styles show the labels). Pass --columns codes or nothing.")
    return columns


@contextmanager
def replacing(out: str | Path) -> Iterator[Path]:
    """Write a file atomically: yields a temporary path beside ``out`` (its folder made
    if needed) that replaces ``out`` when the block ends; on an error nothing is left
    behind and an :class:`OSError` becomes :func:`write_error`'s one-line message."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        yield tmp
        os.replace(tmp, out)
    except OSError as exc:
        raise write_error(out, exc) from exc
    finally:
        tmp.unlink(missing_ok=True)


def _tmp_path(out: Path) -> Path:
    """A temporary file beside ``out`` (checked to be creatable, then removed)."""
    tmp = out.with_name(f".{out.stem}.{uuid.uuid4().hex[:8]}.tmp{out.suffix.lower()}")
    tmp.open("xb").close()  # a folder that takes no files fails here, with its OSError
    tmp.unlink()
    return tmp


def _write_gpkg(df: pd.DataFrame, path: Path, name: LayerName, lang: str) -> None:
    from trygg.maps.qgis import layer_style, write_layer_styles

    pyogrio.write_dataframe(df, path, layer=name.name, driver="GPKG",
                            dataset_options={"VERSION": GPKG_VERSION},
                            layer_options={"IDENTIFIER": name.title,
                                           "DESCRIPTION": name.description})
    style = layer_style(df, name.name, lang=lang)
    if style is not None:
        geometry = pyogrio.read_info(path, layer=name.name).get("geometry_name") or "geom"
        write_layer_styles(path, [(name.name, geometry, style)])


def _raster(store: GeoPackageStore, layer: str) -> Path:
    """The KDE GeoTIFF of ``layer`` (``grid_<run>``, the run id or the raster's name)."""
    from trygg.layers.hotspots.catalog import list_runs

    run_id = layer[len("grid_"):] if layer.startswith("grid_") else layer
    for run in list_runs(store):
        if run.run_id == run_id or any(p.name == layer for p in run.files):
            tifs = [p for p in run.files if p.suffix.lower() == ".tif"]
            if tifs:
                return tifs[0]
    raise ArgumentError(
        f"'{layer}' har ingen rasteryta: .tif finns bara för KDE-körningar "
        "(trygg hotspots --method kde). Ange KDE-körningens lager, t.ex. grid_kde, eller "
        "exportera till .gpkg.",
        f"'{layer}' has no raster surface: .tif exists only for KDE runs "
        "(trygg hotspots --method kde). Give the KDE run's layer, e.g. grid_kde, or "
        "export to .gpkg.")


def _export_raster(store: GeoPackageStore, layer: str, out: Path, *, force: bool,
                   lang: str) -> ExportResult:
    """Copy a KDE run's GeoTIFF to ``out`` with its QGIS style in ``out`` + ``.qml``."""
    import rasterio

    from trygg.maps.qgis import raster_qml

    source = _raster(store, layer)
    qml = out.with_suffix(".qml")
    check_target(qml, store.local_files(), force=force)
    with rasterio.open(source) as src:
        band = src.read(1, masked=True)
        peak = float(band.max()) if band.count() else 0.0
    tmp, tmp_qml = _tmp_path(out), _tmp_path(qml)
    try:
        shutil.copyfile(source, tmp)
        tmp_qml.write_text(raster_qml(peak, lang=lang), encoding="utf-8")
        os.replace(tmp_qml, qml)
        os.replace(tmp, out)
    except OSError as exc:
        raise write_error(out, exc) from exc
    finally:
        tmp.unlink(missing_ok=True)
        tmp_qml.unlink(missing_ok=True)
    result = ExportResult(path=out, layer=source.name, files=[qml])
    result.notes.append((f"QGIS-stilen ligger i {qml.name} (QGIS läser den själv).",
                         f"The QGIS style is in {qml.name} (QGIS reads it by itself)."))
    return result


def export_layer(store: GeoPackageStore, layer: str, out: str | Path, *,
                 force: bool = False, columns: str | None = None,
                 lang: str = "sv") -> ExportResult:
    """Write ``layer`` of the project to ``out``; the suffix picks the format.

    Parameters
    ----------
    store
        The open project.
    layer
        A table or layer of the project, e.g. ``reports``, ``rejects``, ``ingests``,
        ``grid_<run>``; for .tif a KDE run's layer (or run id).
    out
        Target file ending in .gpkg, .geojson, .csv, .xlsx or .tif. Never the project.
    force
        Replace ``out`` if it exists (otherwise an existing file is an error).
    columns
        ``sv`` (headers and labels people read, in ``lang``) or ``codes`` (the
        stored names and codes); ``None`` picks ``sv`` for .csv and .xlsx and
        ``codes`` for .gpkg, .geojson and .tif, which always keep the codes.
    lang
        Language of headers, labels, layer descriptions and QGIS legends (``sv``
        or ``en``); CSV in ``en`` uses ``,`` and a decimal point.

    Returns
    -------
    ExportResult
        The file written, rows, and the characters removed (with a note).

    Raises
    ------
    geo.errors.ArgumentError
        For an unsupported suffix or ``columns``, ``out`` being the project or a
        folder, an existing ``out`` without ``force``, or more rows than a sheet
        holds.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        raise ArgumentError(
            f"Kan inte exportera till '{out.name}': använd en av {', '.join(SUFFIXES)}.",
            f"Cannot export to '{out.name}': use one of {', '.join(SUFFIXES)}.")
    columns = _columns_for(suffix, columns)
    check_target(out, store.local_files(), force=force)
    if suffix == ".tif":
        return _export_raster(store, layer, out, force=force, lang=lang)
    if layer not in store.layers():
        store.read(layer)  # the project's message naming the layers it has
    rows = store.count(layer)
    if suffix == ".xlsx" and rows >= XLSX_ROW_LIMIT:
        raise ArgumentError(
            f"Lagret {layer} har {text.number(rows)} rader; ett Excelblad rymmer "
            f"{text.number(XLSX_ROW_LIMIT - 1)}. Exportera till .csv i stället.",
            f"The layer {layer} has {text.number(rows, lang='en')} rows; an Excel sheet "
            f"holds {text.number(XLSX_ROW_LIMIT - 1, lang='en')}. Export to .csv instead.")
    name = layer_name(store, layer, lang=lang)
    removed = shortened = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_path(out)
    try:
        if suffix == ".gpkg":
            _write_gpkg(store.read(layer), tmp, name, lang)
        elif suffix == ".geojson":
            df = store.read(layer)
            frame = (df.to_crs("EPSG:4326") if isinstance(df, gpd.GeoDataFrame) else
                     gpd.GeoDataFrame(df, geometry=np.full(len(df), None, dtype=object),
                                      crs="EPSG:4326"))
            pyogrio.write_dataframe(frame, tmp, layer=name.name, driver="GeoJSON",
                                    layer_options={"RFC7946": "YES",
                                                   "DESCRIPTION": name.description})
        elif suffix == ".csv":
            rows = _export_csv(store, layer, tmp, columns=columns, lang=lang)
        else:
            table = readable(store.read(layer), columns=columns, lang=lang)
            table.frame, removed = _clean(table.frame, UNSTORABLE[suffix])
            table.formats = {_clean_header(h): f for h, f in table.formats.items()}
            table.frame, shortened = _shorten(table.frame, XLSX_CELL_LIMIT)
            _write_xlsx(table, tmp, name.name, name.description)
        os.replace(tmp, out)
    except (OSError, pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise write_error(out, exc) from exc
    finally:
        tmp.unlink(missing_ok=True)
    result = ExportResult(path=out, rows=rows, removed=removed, shortened=shortened,
                          layer=name.name)
    if removed:
        result.notes.append((f"{removed} tecken som Excel inte kan lagra togs bort "
                             "(styrtecken).",
                             f"{removed} characters that Excel cannot store were removed "
                             "(control characters)."))
    if shortened:
        result.notes.append((f"{shortened} celler med mer än {text.number(XLSX_CELL_LIMIT)} "
                             "tecken kortades till Excels gräns.",
                             f"{shortened} cells with more than "
                             f"{text.number(XLSX_CELL_LIMIT, lang='en')} characters were cut "
                             "to Excel's limit."))
    return result


def write_frame(df: pd.DataFrame, out: str | Path, *, lang: str = "sv", sheet: str = "data",
                title: str = "") -> Path:
    """Write a table the library made (not a project layer) as .xlsx or .csv, with the
    same readable headers, labels, formats and formula guard as :func:`export_layer`
    (``columns="sv"``), atomically.

    Raises
    ------
    geo.errors.ArgumentError
        For a suffix other than .xlsx or .csv.
    """
    return write_frames({sheet: df}, out, lang=lang, title=title)


def write_frames(frames: dict[str, pd.DataFrame], out: str | Path, *, lang: str = "sv",
                 title: str = "") -> Path:
    """Write several tables as the sheets of one .xlsx (sheet name → table, in order),
    or the first of them as .csv, as :func:`write_frame` does for one.

    Raises
    ------
    geo.errors.ArgumentError
        For a suffix other than .xlsx or .csv, or no table at all.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ArgumentError(f"Tabellen kan skrivas som .xlsx eller .csv, inte '{out.name}'.",
                            f"The table can be written as .xlsx or .csv, not '{out.name}'.")
    if not frames:
        raise ArgumentError("Det finns ingen tabell att skriva.", "There is no table to write.")
    tables = {sheet: readable(df, columns="sv", lang=lang) for sheet, df in frames.items()}
    with replacing(out) as tmp:
        if suffix == ".xlsx":
            for table in tables.values():
                table.frame, _ = _clean(table.frame, UNSTORABLE[suffix])
                table.formats = {_clean_header(h): f for h, f in table.formats.items()}
            _write_sheets(tables, tmp, title)
        else:
            with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
                _write_csv(next(iter(tables.values())), fh, columns="sv", lang=lang)
    return out


def _clean_header(header: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", header)

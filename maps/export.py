"""Export a project layer to a file, chosen by suffix: .gpkg .geojson .csv .xlsx.

CSV is written the way Swedish offices read it in Excel: ``;`` between fields,
decimal comma, UTF-8 with BOM, CRLF line ends, local time. Every field holding
a line break (CR, LF or both) is quoted, so a bare CR cannot split a row. Text
that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return, at the
start of a cell or after a line break inside it, gets a leading ``'`` in CSV
and XLSX so a spreadsheet never runs report text as a formula. GeoJSON is
WGS84 as RFC 7946 requires; GeoPackage keeps the project CRS.

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
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from trygg.geo.errors import ArgumentError, InputFileError
from trygg.layers.store import GeoPackageStore

SUFFIXES = (".gpkg", ".geojson", ".csv", ".xlsx")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A formula start at the beginning of the text or right after a line break.
_FORMULA_LINE = re.compile(r"(^|\r\n|\r|\n)(?=[=+\-@\t\r])")
#: Characters each format cannot hold; they are removed on export.
UNSTORABLE = {".xlsx": ILLEGAL_CHARACTERS_RE}
#: Most characters an Excel cell holds; longer text is cut on export to .xlsx.
XLSX_CELL_LIMIT = 32_767


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
    """

    path: Path
    rows: int = 0
    removed: int = 0
    shortened: int = 0
    notes: list[tuple[str, str]] = field(default_factory=list)


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet would read as a formula with ``'``: at the start
    of the text and after every line break inside it (CR, LF or CRLF)."""
    if isinstance(value, str):
        return _FORMULA_LINE.sub(r"\1'", value)
    return value


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


def _tabular(df: pd.DataFrame) -> pd.DataFrame:
    """A plain table for CSV/XLSX: points as x/y (project CRS) and lat/lon, local
    naive datetimes, formula-safe text."""
    out = pd.DataFrame(df.drop(columns="geometry", errors="ignore")).copy()
    if isinstance(df, gpd.GeoDataFrame) and df.geometry.notna().any():
        geom = df.geometry
        points = geom.notna() & (geom.geom_type == "Point")
        if points.all():
            out["x"] = geom.x.round(2)
            out["y"] = geom.y.round(2)
            wgs = geom.to_crs("EPSG:4326")
            out["lat"] = wgs.y.round(6)
            out["lon"] = wgs.x.round(6)
        else:
            out["wkt"] = geom.to_wkt()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].dt.tz_convert("Europe/Stockholm").dt.tz_localize(None)
        elif out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].astype(object).map(neutralise)
    out.columns = [neutralise(c) for c in out.columns]
    return out


def _write_xlsx(df: pd.DataFrame, path: Path, sheet: str) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(re.sub(r"[\[\]:*?/\\]", "_", sheet)[:31] or "data")
    ws.append(list(df.columns))
    for row in df.itertuples(index=False):
        cells = []
        for value in row:
            if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
                cells.append(None)
                continue
            if isinstance(value, pd.Timestamp):
                value = value.to_pydatetime()
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            cells.append(cell)
        ws.append(cells)
    wb.save(path)


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


def export_layer(store: GeoPackageStore, layer: str, out: str | Path, *,
                 force: bool = False) -> ExportResult:
    """Write ``layer`` of the project to ``out``; the suffix picks the format.

    Parameters
    ----------
    store
        The open project.
    layer
        A table or layer of the project, e.g. ``reports``, ``rejects``, ``ingests``.
    out
        Target file ending in .gpkg, .geojson, .csv or .xlsx. Never the project.
    force
        Replace ``out`` if it exists (otherwise an existing file is an error).

    Returns
    -------
    ExportResult
        The file written, rows, and the characters removed (with a note).

    Raises
    ------
    geo.errors.ArgumentError
        For an unsupported suffix, ``out`` being the project or a folder, or an
        existing ``out`` without ``force``.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        raise ArgumentError(
            f"Kan inte exportera till '{out.name}': använd en av {', '.join(SUFFIXES)}.",
            f"Cannot export to '{out.name}': use one of {', '.join(SUFFIXES)}.")
    check_target(out, store.local_files(), force=force)
    df = store.read(layer)
    removed = shortened = 0
    if suffix in UNSTORABLE:
        df, removed = _clean(df, UNSTORABLE[suffix])
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.stem}.{uuid.uuid4().hex[:8]}.tmp{suffix}")
    tmp.open("xb").close()  # a folder that takes no files fails here, with its OSError
    tmp.unlink()
    try:
        if suffix == ".gpkg":
            pyogrio.write_dataframe(df, tmp, layer=layer, driver="GPKG")
        elif suffix == ".geojson":
            frame = df.to_crs("EPSG:4326") if isinstance(df, gpd.GeoDataFrame) else df
            pyogrio.write_dataframe(frame, tmp, driver="GeoJSON",
                                    layer_options={"RFC7946": "YES"})
        elif suffix == ".csv":
            # CRLF as the line end makes the csv module quote every field holding CR or
            # LF (with "\n" alone, a bare CR is written unquoted and splits the row).
            _tabular(df).to_csv(tmp, sep=";", decimal=",", index=False, encoding="utf-8-sig",
                                date_format="%Y-%m-%d %H:%M:%S", lineterminator="\r\n")
        else:
            table, shortened = _shorten(_tabular(df), XLSX_CELL_LIMIT)
            _write_xlsx(table, tmp, layer)
        os.replace(tmp, out)
    except (OSError, pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise write_error(out, exc) from exc
    finally:
        tmp.unlink(missing_ok=True)
    result = ExportResult(path=out, rows=len(df), removed=removed, shortened=shortened)
    if removed:
        result.notes.append((f"{removed} tecken som Excel inte kan lagra togs bort "
                             "(styrtecken).",
                             f"{removed} characters that Excel cannot store were removed "
                             "(control characters)."))
    if shortened:
        result.notes.append((f"{shortened} celler med mer än {XLSX_CELL_LIMIT:,} tecken "
                             "kortades till Excels gräns.".replace(",", "\u00a0"),
                             f"{shortened} cells with more than {XLSX_CELL_LIMIT:,} characters "
                             "were cut to Excel's limit."))
    return result

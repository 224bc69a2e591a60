"""Export a project layer to a file, chosen by suffix: .gpkg .geojson .csv .xlsx.

CSV is written the way Swedish offices read it in Excel: ``;`` between fields,
decimal comma, UTF-8 with BOM, local time. Text cells that start with ``=``,
``+``, ``-``, ``@``, tab or carriage return get a leading ``'`` in CSV and XLSX
so a spreadsheet never runs report text as a formula. GeoJSON is WGS84 as RFC
7946 requires; GeoPackage keeps the project CRS.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.errors import ArgumentError
from layers.store import GeoPackageStore

SUFFIXES = (".gpkg", ".geojson", ".csv", ".xlsx")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet would read as a formula with ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


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
    return out


def _write_xlsx(df: pd.DataFrame, path: Path, sheet: str) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet[:31])
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


def export_layer(store: GeoPackageStore, layer: str, out: str | Path) -> Path:
    """Write ``layer`` of the project to ``out``; the suffix picks the format.

    Parameters
    ----------
    store
        The open project.
    layer
        A table or layer of the project, e.g. ``reports``, ``rejects``, ``ingests``.
    out
        Target file ending in .gpkg, .geojson, .csv or .xlsx; replaced if it exists.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    geo.errors.ArgumentError
        For an unsupported suffix.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        raise ArgumentError(
            f"Kan inte exportera till '{out.name}': använd en av {', '.join(SUFFIXES)}.",
            f"Cannot export to '{out.name}': use one of {', '.join(SUFFIXES)}.")
    df = store.read(layer)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.stem}.{uuid.uuid4().hex[:8]}.tmp{suffix}")
    try:
        if suffix == ".gpkg":
            pyogrio.write_dataframe(df, tmp, layer=layer, driver="GPKG")
        elif suffix == ".geojson":
            frame = df.to_crs("EPSG:4326") if isinstance(df, gpd.GeoDataFrame) else df
            pyogrio.write_dataframe(frame, tmp, driver="GeoJSON",
                                    layer_options={"RFC7946": "YES"})
        elif suffix == ".csv":
            _tabular(df).to_csv(tmp, sep=";", decimal=",", index=False, encoding="utf-8-sig",
                                date_format="%Y-%m-%d %H:%M:%S")
        else:
            _write_xlsx(_tabular(df), tmp, layer)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out

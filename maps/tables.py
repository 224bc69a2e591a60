"""A project layer as a table people read in a spreadsheet (CSV, XLSX).

Two column sets, ``columns``:

``sv`` (the default for .csv and .xlsx)
    Headers as users read them (:func:`layers.labels.column_label`, English with
    ``lang="en"``), codes as their labels (:func:`layers.labels.label`: category,
    source, kind, precision, status, visibility, reason, klass, change, pattern,
    divergence), JSON fields made readable (see :data:`JSON_FIELDS`).
``codes``
    The stored column names and codes; JSON fields as the stored text.

Either way the geometry becomes coordinate columns instead of WKT: ``x``/``y`` in
the layer's CRS (the project CRS, metres) and ``lat``/``lon`` (WGS 84). A point
gives its own coordinates; a polygon (a grid cell, a hotspot area) the
coordinates of its centre (the centroid, or a point inside the polygon when
the centroid lies outside it). Datetimes are local time (Europe/Stockholm)
without a zone, as a spreadsheet shows them.

The JSON fields (:data:`JSON_FIELDS`) in ``sv``:

- ``extra`` (the source's own columns a report keeps) and ``row`` (a rejected
  row as it was): one column per key, headed by the source's own column name
  (the keys the readers add, ``_rad``, ``_blad`` …, by their labels); at most
  :data:`MAX_KEYS` keys, the rest as ``key: value; …`` text in one column.
- ``by_category`` and ``by_source`` (of a hotspot area): one column per category
  or source present, headed by its label and "(antal)", with the count (0 when
  the area has none).
- ``weekday_hour`` (168 counts per weekday and hour; ``busiest`` names the
  busiest hour), ``params``, ``summary`` and ``inputs`` (an ingest's or a
  run's bookkeeping) are left out.
- ``layers`` (of a run) is a comma-separated list.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from trygg.layers import labels as codes
from trygg.layers.schema import CATEGORIES, SOURCES, TIMEZONE

COLUMN_SETS = ("sv", "codes")
#: Fields shown by their labels in ``sv``.
LABELLED = ("category", "source", "kind", "precision", "status", "visibility", "reason",
            "klass", "change", "pattern", "divergence", "camera_status", "area", "period")
#: What ``sv`` does with each JSON field (see the module docstring).
JSON_FIELDS = {"extra": "keys", "row": "keys", "by_year": "keys", "privacy": "keys",
               "by_category": "counts",
               "by_source": "counts", "weekday_hour": "drop", "params": "drop",
               "summary": "drop", "inputs": "drop", "layers": "list"}
#: Most keys of one JSON field given columns of their own.
MAX_KEYS = 100
#: Excel number formats by kind of column (dates as ÅÅÅÅ-MM-DD HH:MM).
DATE_FORMAT = "yyyy-mm-dd hh:mm"
SHARE_FORMAT = "0%"
_COUNT_ORDER = {"by_category": ("category", list(CATEGORIES)),
                "by_source": ("source", list(SOURCES))}


@dataclass
class Table:
    """A layer as a readable table.

    Attributes
    ----------
    frame
        The rows, with the final headers; text as text, numbers as numbers,
        datetimes naive local time.
    formats
        Excel number format per header (dates, shares), for XLSX.
    """

    frame: pd.DataFrame
    formats: dict[str, str] = field(default_factory=dict)


def check_columns(columns: str) -> str:
    """``columns`` when it is one of :data:`COLUMN_SETS`, else a ``ValueError``."""
    if columns not in COLUMN_SETS:
        raise ValueError(columns)
    return columns


def _is_text(series: pd.Series) -> bool:
    return series.dtype == object or pd.api.types.is_string_dtype(series)


def _centres(geom: gpd.GeoSeries) -> gpd.GeoSeries:
    """Each geometry's point: a point itself, a polygon's centroid (or a point inside
    when the centroid lies outside)."""
    values = np.asarray(geom.values, dtype=object)
    out = values.copy()
    present = ~shapely.is_missing(values) & ~shapely.is_empty(values)
    areal = present & ~np.isin(shapely.get_type_id(values), (0,))
    if areal.any():
        centre = shapely.centroid(values[areal])
        inside = shapely.within(centre, values[areal])
        centre[~inside] = shapely.point_on_surface(values[areal][~inside])
        out[areal] = centre
    return gpd.GeoSeries(out, index=geom.index, crs=geom.crs)


def _coordinates(df: pd.DataFrame) -> dict[str, pd.Series]:
    """``x``, ``y`` (the layer's CRS, 0.01) and ``lat``, ``lon`` (WGS 84, 1e-6) of each
    row's geometry; nothing for a table without geometry."""
    if not isinstance(df, gpd.GeoDataFrame) or "geometry" not in df.columns:
        return {}
    geom = df.geometry
    if not geom.notna().any():
        return {}
    centres = _centres(geom)
    out = {"x": centres.x.round(2), "y": centres.y.round(2)}
    if centres.crs is not None:
        wgs = centres.to_crs("EPSG:4326")
        out |= {"lat": wgs.y.round(6), "lon": wgs.x.round(6)}
    return out


def _local(series: pd.Series) -> pd.Series:
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        return series.dt.tz_convert(TIMEZONE).dt.tz_localize(None)
    return series


def _loads(value: object) -> object:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return json.loads(value)
    except ValueError:
        return value


def _plain(value: object) -> object:
    """A JSON value as a cell: scalars as they are, lists and objects as short text."""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _key_header(key: str, lang: str) -> str:
    """A key's header: the source's own column name, or the label of a key a reader
    added (``_rad`` …)."""
    if not key.startswith("_"):
        return key
    label = codes.column_label(key, lang=lang)
    return label if label != key else (key.lstrip("_") or key)


def _parse(series: pd.Series) -> list[object]:
    """The JSON values of ``series`` (``None`` for empty cells, the text itself where it
    is no JSON), parsed in one call when every cell is JSON."""
    values = series.tolist()
    texts = [v for v in values if isinstance(v, str) and v.strip()]
    try:
        parsed = iter(json.loads("[" + ",".join(texts) + "]"))
    except ValueError:
        return [_loads(v) for v in values]
    return [next(parsed) if isinstance(v, str) and v.strip() else None for v in values]


def json_keys(df: pd.DataFrame, *, seen: dict[str, dict[str, None]] | None = None
              ) -> dict[str, list[str]]:
    """The keys (``extra``, ``row``) or codes (``by_category``, ``by_source``) of each
    JSON field of ``df`` that ``sv`` gives columns of their own: keys in the order
    first seen, codes in vocabulary order. Pass them to :func:`readable` so that
    every part of a large layer gets the same columns.

    Parameters
    ----------
    df
        The layer, or its JSON columns.
    seen
        Keys gathered so far: give the same dict for each part of a layer read in
        parts; the result then covers every part read.
    """
    seen = {} if seen is None else seen
    for name in df.columns:
        if JSON_FIELDS.get(str(name)) in ("keys", "counts") and _is_text(df[name]):
            found = seen.setdefault(str(name), {})
            for value in _parse(df[name]):
                if isinstance(value, dict):
                    found.update(dict.fromkeys(map(str, value)))
    out = {}
    for name, found in seen.items():
        if JSON_FIELDS[name] == "counts":
            order = _COUNT_ORDER[name][1]
            out[name] = [c for c in order if c in found] + sorted(set(found) - set(order))
        else:
            out[name] = list(found)
    return out


def _keys(name: str, series: pd.Series, lang: str, keys: list[str]) -> dict[str, pd.Series]:
    """One column per key of the JSON objects in ``series`` (see :data:`MAX_KEYS`)."""
    parsed = _parse(series)
    keys = keys[:MAX_KEYS]
    out: dict[str, pd.Series] = {}
    for key in keys:
        values = [v.get(key) if type(v) is dict else None for v in parsed]
        if any(isinstance(v, (dict, list)) for v in values):
            values = [_plain(v) for v in values]
        column = pd.Series(values, index=series.index, dtype=object)
        if key == "_rad":  # a line number: a number, also where a reader kept it as text
            numbers = pd.to_numeric(column, errors="coerce")
            if numbers.notna().sum() == column.notna().sum():
                column = numbers.astype("Int64")
        out[_key_header(key, lang)] = column
    kept = set(keys)
    odd = any(v is not None and type(v) is not dict for v in parsed)
    extra = any(type(v) is dict and not kept.issuperset(map(str, v)) for v in parsed)
    if odd or extra:
        rest = []
        for value in parsed:
            if type(value) is dict:
                more = [f"{k}: {_plain(v)}" for k, v in value.items() if str(k) not in kept]
                rest.append("; ".join(more) if more else None)
            else:
                rest.append(None if value is None else str(_plain(value)))
        out[codes.column_label(name, lang=lang)] = pd.Series(rest, index=series.index,
                                                             dtype=object)
    return out


def _counts(name: str, series: pd.Series, lang: str, present: list[str]
            ) -> dict[str, pd.Series]:
    """One count column per code in ``present`` from the JSON objects of ``series``."""
    field_name, _order = _COUNT_ORDER[name]
    parsed = [v if type(v) is dict else {} for v in _parse(series)]
    unit = "antal" if lang != "en" else "count"
    out = {}
    for code in present:
        header = f"{codes.label(field_name, code, lang=lang)} ({unit})"
        out[header] = pd.Series([int(v.get(code, 0) or 0) for v in parsed],
                                index=series.index, dtype="int64")
    return out


def _listed(series: pd.Series) -> pd.Series:
    def join(value: object) -> object:
        parsed = _loads(value)
        if isinstance(parsed, list):
            return ", ".join(str(v) for v in parsed)
        return parsed
    return series.map(join)


def _labelled(column: str, series: pd.Series, lang: str) -> pd.Series:
    uniques = pd.unique(series.dropna())
    mapping = {u: codes.label(column, u, lang=lang) for u in uniques}
    return series.map(mapping).astype(object).where(series.notna(), None)


def _unique(headers: list[str]) -> list[str]:
    """Headers made unique: a repeated one gets " (2)", " (3)" …"""
    seen: dict[str, int] = {}
    out = []
    for header in headers:
        n = seen.get(header, 0) + 1
        seen[header] = n
        out.append(header if n == 1 else f"{header} ({n})")
    return out


def readable(df: pd.DataFrame, *, columns: str = "sv", lang: str = "sv",
             keys: dict[str, list[str]] | None = None) -> Table:
    """``df`` (a project layer as stored) as a table for CSV or XLSX.

    Parameters
    ----------
    df
        The layer, as :meth:`layers.store.GeoPackageStore.read` returns it.
    columns
        ``sv``: headers and labels users read (English with ``lang="en"``), JSON
        fields readable; ``codes``: the stored names, codes and JSON text.
    lang
        ``sv`` or ``en``.
    keys
        The JSON keys to give columns (:func:`json_keys`; of ``df`` itself when
        ``None``).

    Returns
    -------
    Table
        The rows with their headers, and the Excel number format of date and
        share columns.
    """
    check_columns(columns)
    labelled = columns == "sv"
    if labelled and keys is None:
        keys = json_keys(df)
    grid = "cell_id" in df.columns
    parts: list[tuple[str, pd.Series]] = []
    for name in df.columns:
        if name == "geometry":
            continue
        series = _local(df[name])
        policy = JSON_FIELDS.get(name) if labelled and _is_text(series) else None
        if policy == "drop":
            continue
        if policy == "keys":
            parts += list(_keys(name, series, lang, (keys or {}).get(name, [])).items())
            continue
        if policy == "counts":
            parts += list(_counts(name, series, lang, (keys or {}).get(name, [])).items())
            continue
        if policy == "list":
            series = _listed(series)
        elif labelled and name in LABELLED and _is_text(series):
            series = _labelled(name, series, lang)
        header = name
        if labelled:
            header = codes.column_label("grid_row" if grid and name == "row" else name,
                                        lang=lang)
        parts.append((header, series))
    for name, series in _coordinates(df).items():
        parts.append((codes.column_label(name, lang=lang) if labelled else name, series))
    headers = _unique([h for h, _ in parts])
    frame = pd.DataFrame({h: s.reset_index(drop=True) for h, (_, s) in
                          zip(headers, parts, strict=True)}, index=pd.RangeIndex(len(df)))
    formats = {}
    for header, (_, series) in zip(headers, parts, strict=True):
        if pd.api.types.is_datetime64_any_dtype(series):
            formats[header] = DATE_FORMAT
    if labelled:
        for name in ("share_dark", "share_night"):
            header = codes.column_label(name, lang=lang)
            if header in frame.columns and pd.api.types.is_numeric_dtype(frame[header]):
                formats[header] = SHARE_FORMAT
    return Table(frame=frame, formats=formats)

"""Steps every source shares: numbers, dates, categories, coordinates, ids, rejects.

Each function works on whole columns (pandas/numpy), so a million rows take
seconds, and returns what failed with a reason instead of raising, so that
every input row ends as a report or a reject.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.schema import CATEGORIES, TIMEZONE

#: Reasons a row is rejected: code → (Swedish, English).
REJECT_REASONS = {
    "missing_coordinates": ("saknar koordinater", "no coordinates"),
    "bad_coordinates": ("ogiltiga koordinater", "invalid coordinates"),
    "multipoint": ("flera punkter i en geometri", "several points in one geometry"),
    "not_a_point": ("geometrin är ingen punkt", "the geometry is not a point"),
    "formula_without_value": ("formel utan sparat värde", "formula without a stored value"),
    "date_out_of_range": ("datum utanför giltigt intervall", "date out of the supported range"),
    "outside_area": ("utanför projektområdet", "outside the project area"),
    "missing_date": ("saknar datum", "no date"),
    "bad_date": ("ogiltigt datum", "invalid date"),
    "unknown_source": ("okänd källa", "unknown source"),
    "bad_row": ("trasig rad", "broken row"),
}

@dataclass
class Parsed:
    """What a source made of a file (every source module's ``parse_file`` returns it).

    ``reports`` follows the report model except ``ingest_id`` (set by the
    ingest); ``rejects`` has ``line``, ``reason``, ``detail`` and ``row``;
    ``unmapped`` counts raw categories that fell to ``ovrigt``; ``rows_read``
    is the number of input records, each of which must be in ``reports`` or
    ``rejects``. ``ort`` gives each report's town where the file names it.
    """

    reports: gpd.GeoDataFrame
    rejects: pd.DataFrame
    rows_read: int
    unmapped: dict[str, int] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    crs: str | None = None
    ort: np.ndarray | None = None  # ort (town) per report, context for the geocoder


_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")
_OFFSET = re.compile(r"(?:Z|[+-]\d\d:?\d\d)$")


def normalise_label(value: str) -> str:
    """Lower-case, trim and collapse spaces: the key used to match labels."""
    return _SPACES.sub(" ", str(value)).strip().lower()


def normalise_labels(values: pd.Series) -> pd.Series:
    """:func:`normalise_label` of every value, computed once per distinct value."""
    values = values.fillna("").astype(str)
    uniques = pd.unique(values.to_numpy(object))
    return values.map({u: normalise_label(u) for u in uniques}).astype(object)


def parse_numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Parse numbers written the Swedish way or the English way.

    Accepts ``6612345,4``, ``6 612 345,4``, ``6612345.4`` and ``18.07``.

    Returns
    -------
    (numbers, bad)
        Float array (NaN where empty or invalid) and a boolean array that is
        True where a non-empty value could not be parsed.
    """
    text = values.astype(str).str.replace(_SPACES, "", regex=True)
    text = text.where(~(text.str.contains(",", regex=False) & ~text.str.contains(".", regex=False)),
                      text.str.replace(",", ".", regex=False))
    nums = pd.to_numeric(text, errors="coerce").to_numpy(dtype="float64", copy=True)
    empty = (text == "").to_numpy()
    bad = np.isnan(nums) & ~empty
    nums[~np.isfinite(nums)] = np.nan
    return nums, bad


_DAYFIRST_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y", "%d.%m.%Y %H:%M", "%d.%m.%Y",
                     "%d-%m-%Y %H:%M", "%d-%m-%Y", "%Y%m%d")


def parse_datetimes(values: pd.Series, *, tz: str = TIMEZONE) -> tuple[pd.Series, np.ndarray]:
    """Parse date/time text into timezone-aware datetimes.

    Text without a zone is local time in ``tz`` (default Europe/Stockholm); an
    hour repeated when summer time ends is taken as the first (summer-time)
    one, a skipped hour is moved forward. ISO 8601 (``2025-03-14 21:35``,
    ``2025-03-14T21:35:00+01:00``, hours with or without a leading zero) and
    day-first forms (``14/03/2025``, ``14.03.2025``) and Excel serial day
    numbers (``45731.9``, as an export writes a date cell without its format)
    are read.

    Returns
    -------
    (datetimes, bad)
        A tz-aware Series in ``tz`` (NaT where empty or invalid) and a boolean
        array that is True where a non-empty value could not be parsed.
    """
    text = values.astype(str).str.strip()
    out = pd.Series(pd.NaT, index=values.index, dtype=f"datetime64[ns, {tz}]")
    empty = (text == "").to_numpy()
    aware = text.str.contains(_OFFSET) & ~pd.Series(empty, index=values.index)
    if aware.any():
        parsed = pd.to_datetime(text[aware], format="ISO8601", utc=True, errors="coerce")
        out[aware] = parsed.dt.tz_convert(tz)
    naive = ~aware & ~pd.Series(empty, index=values.index)
    serial = text.str.fullmatch(r"[2-7]\d{4}([.,]\d+)?") & naive
    if serial.any():
        # Excel serial day numbers (days since 1899-12-30), local time.
        days = pd.to_numeric(text[serial].str.replace(",", ".", regex=False))
        local = pd.Timestamp("1899-12-30") + pd.to_timedelta(days, unit="D").dt.round("s")
        out[serial] = local.dt.tz_localize(tz, ambiguous=np.ones(len(local), bool),
                                           nonexistent="shift_forward")
        naive = naive & ~serial
    if naive.any():
        local = pd.to_datetime(text[naive], format="ISO8601", errors="coerce")
        for fmt in _DAYFIRST_FORMATS:
            missing = local.isna()
            if not missing.any():
                break
            local[missing] = pd.to_datetime(text[naive][missing], format=fmt, errors="coerce")
        out[naive] = local.dt.tz_localize(tz, ambiguous=np.ones(len(local), bool),
                                          nonexistent="shift_forward")
    bad = out.isna().to_numpy() & ~empty
    return out, bad


_CLOCK = re.compile(r"^\s*(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*$")


def add_time_of_day(dates: pd.Series, clock: pd.Series) -> pd.Series:
    """Put a separate time-of-day column (``21:40``, ``21.40``) onto dates.

    Only dates at local midnight (a date without a time) get the time; the
    result stays timezone-aware in the dates' zone.
    """
    parts = clock.astype(str).str.extract(_CLOCK).astype(float)
    offset = (pd.to_timedelta(parts[0], unit="h") + pd.to_timedelta(parts[1], unit="m")
              + pd.to_timedelta(parts[2].fillna(0), unit="s"))
    local = dates.dt.tz_localize(None)
    midnight = local.notna() & (local == local.dt.normalize())
    use = midnight & offset.notna() & (parts[0] < 24)
    if not use.any():
        return dates
    out = dates.copy()
    moved = (local[use] + offset[use]).dt.tz_localize(
        dates.dt.tz, ambiguous=np.ones(int(use.sum()), bool), nonexistent="shift_forward")
    out[use] = moved
    return out


@cache
def _packaged_categories() -> dict[str, dict[str, str]]:
    text = resources.files("layers.sources").joinpath("categories.toml").read_text("utf-8")
    return tomllib.loads(text)


def category_mapping(source: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The raw label → code mapping for ``source``.

    Built from the packaged ``categories.toml`` (section ``[common]`` and the
    source's own section), then ``extra`` (e.g. a profile's ``[categories]``).
    Keys are normalised with :func:`normalise_label`.
    """
    packaged = _packaged_categories()
    mapping: dict[str, str] = {}
    for section in ("common", source):
        mapping.update({normalise_label(k): v for k, v in packaged.get(section, {}).items()})
    mapping.update({normalise_label(k): v for k, v in (extra or {}).items()})
    return mapping


def map_categories(raw: pd.Series, mapping: dict[str, str]) -> pd.Series:
    """Map raw category labels to codes (``ovrigt`` where nothing matched)."""
    keys = normalise_labels(raw)
    direct = keys.where(keys.isin(CATEGORIES.keys()))
    return direct.fillna(keys.map(mapping)).fillna("ovrigt").astype(object)


def unmapped_labels(raw: pd.Series, codes: pd.Series) -> dict[str, int]:
    """Count the raw labels that fell to ``ovrigt`` without being written as
    "Övrigt" (labels as written in the file, ``(tom)`` for empty)."""
    keys = normalise_labels(raw)
    fell = (codes == "ovrigt") & ~keys.isin(("ovrigt", "övrigt"))
    labels = raw[fell].fillna("").astype(str).str.strip().replace("", "(tom)")
    counts = labels.value_counts()
    return {str(k): int(counts[k]) for k in sorted(counts.index, key=lambda k: (-counts[k], k))}


def content_ids(rows: pd.DataFrame) -> np.ndarray:
    """A stable content hash (16 hex digits) per row, for rows without a source id."""
    columns = [rows[c].astype(str).to_numpy(object) for c in rows.columns]
    sha1 = hashlib.sha1
    return np.array([sha1("\x1f".join(values).encode("utf-8")).hexdigest()[:16]
                     for values in zip(*columns, strict=True)], dtype=object)


def rows_as_json(rows: pd.DataFrame) -> np.ndarray:
    """Each row as a JSON object (column → text), keeping Swedish letters.

    Built column by column: each distinct value is encoded once, then the
    pieces are joined, so a million rows take about a second.
    """
    encode = json.JSONEncoder(ensure_ascii=False).encode
    if rows.empty or not len(rows.columns):
        return np.full(len(rows), "{}", dtype=object)
    out = None
    for i, name in enumerate(rows.columns):
        values = rows[name].fillna("").astype(str)
        uniques = pd.unique(values.to_numpy(object))
        encoded = values.map({u: encode(u) for u in uniques}).astype("str")
        piece = ("{" if i == 0 else ", ") + encode(str(name)) + ": " + encoded
        out = piece if out is None else out + piece
    return (out + "}").to_numpy(object)


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file's bytes (hex)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def locate(x: np.ndarray, y: np.ndarray, *, crs: str | None, target_crs: str,
           area: tuple[float, float, float, float], column_x: str = "x",
           column_y: str = "y") -> tuple[np.ndarray, np.ndarray, np.ndarray, str]:
    """Put coordinates into the project CRS and check them against the project area.

    Parameters
    ----------
    x, y
        Values from the columns mapped to ``x``/``y`` (NaN where missing).
    crs
        The input CRS when the user named it (``--crs``); detected otherwise
        (WGS84, also swapped, SWEREF 99 TM, RT 90 2.5 gon V). In WGS84, single
        rows with latitude and longitude the other way round are swapped back.
    target_crs
        The project CRS, e.g. ``"EPSG:3006"``.
    area
        Project area (min x, min y, max x, max y) in ``target_crs``.

    Returns
    -------
    (px, py, outside, used_crs)
        Coordinates in ``target_crs`` (NaN where missing), a boolean array of
        points outside ``area``, and the input CRS that was used.

    Raises
    ------
    geo.errors.CrsError
        When no CRS was named and the values do not tell it.
    """
    from geo.crs import WGS84, detect_crs, parse_crs, swap_stray_lonlat, transform_xy

    if crs is None:
        used, swapped = detect_crs(x, y, column_x=column_x, column_y=column_y)
    else:
        used, swapped = parse_crs(crs).to_string(), False
    if swapped:
        x, y = y, x
    if used == WGS84:
        # A row typed with latitude and longitude the other way round.
        x, y = swap_stray_lonlat(x, y)
    px, py = transform_xy(x, y, used, target_crs)
    ok = np.isfinite(px) & np.isfinite(py)
    outside = ok & ~((px >= area[0]) & (px <= area[2]) & (py >= area[1]) & (py <= area[3]))
    return px, py, outside, used

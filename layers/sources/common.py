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
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from trygg.layers.schema import CATEGORIES, TIMEZONE

#: Reasons a row is rejected: code → (Swedish, English).
REJECT_REASONS = {
    "missing_coordinates": ("saknar koordinater", "no coordinates"),
    "bad_coordinates": ("ogiltiga koordinater", "invalid coordinates"),
    "multipoint": ("flera punkter i en geometri", "several points in one geometry"),
    "not_a_point": ("geometrin är ingen punkt", "the geometry is not a point"),
    "formula_without_value": ("formel utan sparat värde", "formula without a stored value"),
    "outside_area": ("utanför projektområdet", "outside the project area"),
    "missing_date": ("saknar datum", "no date"),
    "bad_date": ("ogiltigt datum", "invalid date"),
    "date_out_of_range": ("datum utanför åren 1678–2261", "date outside the years 1678–2261"),
    "ambiguous_date": ("tvetydigt datum: skriv datum som ÅÅÅÅ-MM-DD eller ange --dayfirst",
                       "ambiguous date: write dates as YYYY-MM-DD or give --dayfirst"),
    "no_location": ("varken användbara koordinater eller plats",
                    "neither usable coordinates nor a place"),
    "unterminated_quote": ("citattecken som aldrig stängs", "quote that never closes"),
    "field_too_large": ("för stort fält", "field too large"),
    "unknown_source": ("okänd källa", "unknown source"),
    "bad_row": ("trasig rad", "broken row"),
    # walk protocols (layers.walks.findings)
    "unknown_category": ("okänd kategori: välj en ur listan i protokollet",
                         "unknown category: choose one from the protocol's list"),
    "score_out_of_range": ("poäng utanför 0–3", "score outside 0–3"),
    "deadline_past": ("sista datum har redan passerat för en ny åtgärd",
                      "deadline already passed for a new action"),
    "missing_row_id": ("saknar rad-id: skriv t.ex. 3b för en andra iakttagelse vid stopp 3",
                       "no row id: write e.g. 3b for a second observation at stop 3"),
    "duplicate_row_id": ("samma rad-id som en tidigare rad i filen",
                         "the same row id as an earlier row of the file"),
    "unknown_status": ("okänd status: Öppen, Pågår, Klar eller Avslagen",
                       "unknown status: Open, In progress, Done or Declined"),
    "bad_value": ("ogiltigt värde", "invalid value"),
    "unknown_walk": ("okänd vandring: fyll i Vandring eller ange --walk",
                     "unknown walk: fill in Walk or give --walk"),
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
    notes: list[tuple[str, str]] = field(default_factory=list)  # (Swedish, English)


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


#: Dates a report may carry: inside pandas' nanosecond range with a day to spare
#: for the time-zone shift (1677-09-21 … 2262-04-11), as whole years.
DATE_YEARS = (1678, 2261)

#: Excel serial day numbers read as dates (1954-10-03 … 2119-01-11); other bare
#: numbers in a date column are rejected as ``date_out_of_range``.
EXCEL_SERIALS = (20000.0, 80000.0)

_YEAR_FIRST = re.compile(r"^(\d{4})(?:[-/.T ]|$)")
_YEAR_FIRST_SLASH = re.compile(
    r"^(?P<y>\d{4})(?P<s>[/.])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})"
    r"(?:[ T]+(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}))?)?$")
_BIG_YEAR = re.compile(r"^[+-]?\d{5,}-\d|^[+-]\d{4}-\d")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$")
_COMPACT = re.compile(r"^\d{8}$")
_BARE_YEAR = re.compile(r"^\d{4}$")  # ISO 8601 for 1 January
_DAY_FIRST = re.compile(
    r"^(?P<a>\d{1,2})(?P<s>[/.-])(?P<b>\d{1,2})(?P=s)(?P<y>\d{4})"
    r"(?:[ T]+(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}))?)?$")


def read_datetimes(values: pd.Series, *, tz: str = TIMEZONE,
                   dayfirst: bool = False) -> tuple[pd.Series, np.ndarray]:
    """Parse date/time text into timezone-aware datetimes, with a reason per failure.

    Text without a zone is local time in ``tz`` (default Europe/Stockholm); an
    hour repeated when summer time ends is taken as the first (summer-time)
    one, a skipped hour is moved forward. Read are:

    - ISO 8601 (``2025-03-14 21:35``, ``2025-03-14T21:35:00+01:00``, hours with
      or without a leading zero, ``20250314``) and year-first ``2025/03/14``;
    - Excel serial day numbers (``45731.9``, as an export writes a date cell
      without its format) between :data:`EXCEL_SERIALS`;
    - day-first forms (``14/03/2025``, ``5.1.2025``, ``05-01-2025 21:30``) when
      ``dayfirst`` is true, or when the first number cannot be a month (> 12)
      or both readings give the same day. Otherwise they are ``ambiguous_date``:
      US order (month first) is never assumed.

    Years outside :data:`DATE_YEARS` (what pandas can hold) and other numbers
    are ``date_out_of_range``; anything else that is not empty is ``bad_date``.

    Returns
    -------
    (datetimes, reasons)
        A tz-aware Series in ``tz`` (NaT where empty or not read) and an object
        array with ``None`` or the reject reason code per value.
    """
    text = values.fillna("").astype(str).str.strip()
    codes, uniq = pd.factorize(text)
    u = [str(v) for v in uniq]
    m = len(u)
    lo, hi = DATE_YEARS
    naive = np.full(m, np.datetime64("NaT"), dtype="datetime64[ns]")
    aware = np.full(m, np.datetime64("NaT"), dtype="datetime64[ns]")  # UTC
    why = np.full(m, None, dtype=object)
    groups: dict[str, list[int]] = {}
    parts: dict[int, re.Match] = {}
    for i, s in enumerate(u):
        if not s:
            continue
        if _BIG_YEAR.search(s):
            why[i] = "date_out_of_range"
            continue
        if _COMPACT.match(s):
            kind = "compact"
        elif _NUMBER.match(s) and not _BARE_YEAR.match(s):
            kind = "number"
        elif (hit := _YEAR_FIRST_SLASH.match(s)) or (hit := _DAY_FIRST.match(s)):
            parts[i] = hit
            kind = "parts"
        elif hit := _YEAR_FIRST.match(s):
            year = int(hit.group(1))
            if not lo <= year <= hi:
                why[i] = "date_out_of_range"
                continue
            kind = "aware" if _OFFSET.search(s) else "iso"
        else:
            why[i] = "bad_date"
            continue
        groups.setdefault(kind, []).append(i)

    def strings(idx: list[int]) -> pd.Series:
        return pd.Series([u[i] for i in idx], dtype=object)

    if idx := groups.get("compact"):
        years = np.array([int(u[i][:4]) for i in idx])
        ok = (years >= lo) & (years <= hi)
        sel = np.asarray(idx)
        naive[sel[ok]] = pd.to_datetime(strings(list(sel[ok])), format="%Y%m%d",
                                        errors="coerce").to_numpy()
        why[sel[~ok]] = "date_out_of_range"
    if idx := groups.get("number"):
        sel = np.asarray(idx)
        days = pd.to_numeric(strings(idx).str.replace(",", ".", regex=False), errors="coerce")
        serial = days.between(*EXCEL_SERIALS, inclusive="left").to_numpy()
        naive[sel[serial]] = (pd.Timestamp("1899-12-30") + pd.to_timedelta(
            days[serial], unit="D").dt.round("s")).to_numpy()
        why[sel[~serial]] = "date_out_of_range"
    if idx := groups.get("parts"):
        rows = []
        for i in idx:
            g = parts[i].groupdict()
            y = int(g["y"])
            if "a" in g:  # day-first family
                a, b = int(g["a"]), int(g["b"])
                if not lo <= y <= hi:
                    why[i] = "date_out_of_range"
                    continue
                if not (dayfirst or a > 12 or a == b):
                    # Month first (1/14/2025) is not read: as day-first it is no date.
                    why[i] = "bad_date" if b > 12 else "ambiguous_date"
                    continue
                day, month = a, b
            else:
                if not lo <= y <= hi:
                    why[i] = "date_out_of_range"
                    continue
                day, month = int(g["d"]), int(g["m"])
            rows.append((i, y, month, day, int(g["H"] or 0), int(g["M"] or 0),
                         int(g["S"] or 0)))
        if rows:
            frame = pd.DataFrame(rows, columns=["i", "year", "month", "day", "hour",
                                                "minute", "second"])
            naive[frame["i"].to_numpy()] = pd.to_datetime(frame.drop(columns="i"),
                                                          errors="coerce").to_numpy()
    if idx := groups.get("iso"):
        naive[idx] = pd.to_datetime(strings(idx), format="ISO8601", errors="coerce").to_numpy()
    if idx := groups.get("aware"):
        aware[idx] = pd.to_datetime(strings(idx), format="ISO8601", utc=True,
                                    errors="coerce").dt.tz_localize(None).to_numpy()

    local = pd.Series(naive).dt.tz_localize(tz, ambiguous=np.ones(m, bool),
                                            nonexistent="shift_forward")
    parsed = local.where(local.notna(), pd.Series(aware).dt.tz_localize("UTC").dt.tz_convert(tz))
    failed = parsed.isna().to_numpy() & (why == None)  # noqa: E711 - elementwise
    failed &= np.array([bool(s) for s in u], dtype=bool)
    why[failed] = "bad_date"
    out = pd.Series(parsed.array.take(codes), index=values.index)
    return out, why[codes]


def parse_datetimes(values: pd.Series, *, tz: str = TIMEZONE,
                    dayfirst: bool = False) -> tuple[pd.Series, np.ndarray]:
    """:func:`read_datetimes` with a boolean ``bad`` array instead of reasons.

    Returns
    -------
    (datetimes, bad)
        A tz-aware Series in ``tz`` (NaT where empty or invalid) and a boolean
        array that is True where a non-empty value could not be read.
    """
    out, why = read_datetimes(values, tz=tz, dayfirst=dayfirst)
    return out, why != None  # noqa: E711 - elementwise


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
    text = resources.files("trygg.layers.sources").joinpath("categories.toml").read_text("utf-8")
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


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff]")
_ISO_STAMP = re.compile(
    r"^(\d{4}-\d\d-\d\d)(?:[T ](\d\d?):(\d\d)(?::(\d\d)(?:\.\d+)?)?)?$")
_CLOCK_TEXT = re.compile(r"^(\d\d?):(\d\d)(?::(\d\d))?$")
_DECIMAL = re.compile(r"^([+-]?\d+)(?:[.,](\d+))?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?: \d{3})+(?:[.,]\d+)?$")


def normalise_value(value: str) -> str:
    """The form of a cell value that a content hash is computed from.

    The same row written by different programs hashes the same: spaces trimmed
    and collapsed, control characters removed, Unicode NFC (``å`` as one
    character), ISO dates without a zero time (``2025-01-14 00:00:00`` →
    ``2025-01-14``, ``T`` or space, seconds only when not zero), clock times
    as ``HH:MM`` (``21:40:00`` → ``21:40``) and decimal numbers with a point and
    no trailing zeros or digit-group spaces (``1,50`` → ``1.5``, ``3.0`` → ``3``,
    ``6 612 345,4`` → ``6612345.4``).
    """
    text = unicodedata.normalize("NFC", _CONTROL.sub("", str(value)))
    text = _SPACES.sub(" ", text).strip()
    if not text or len(text) > 40 or not text[0].isdigit() and text[0] not in "+-":
        return text
    m = _ISO_STAMP.match(text)
    if m:
        day, hh, mm, ss = m.groups()
        if hh is None or (int(hh), int(mm), int(ss or 0)) == (0, 0, 0):
            return day
        return f"{day} {int(hh):02d}:{mm}" + (f":{ss}" if ss and ss != "00" else "")
    m = _CLOCK_TEXT.match(text)
    if m:
        hh, mm, ss = m.groups()
        return f"{int(hh):02d}:{mm}" + (f":{ss}" if ss and ss != "00" else "")
    m = _DECIMAL.match(text.replace(" ", "") if _GROUPED.match(text) else text)
    if m:
        whole, frac = m.groups()
        frac = (frac or "").rstrip("0")
        return whole + ("." + frac if frac else "")
    return text


def content_ids(rows: pd.DataFrame) -> np.ndarray:
    """A stable content hash (16 hex digits) per row, for rows without a source id.

    Computed from :func:`normalise_value` of each cell, in column order, so
    the same rows as CSV (UTF-8 or Windows-1252) and as XLSX with real date
    cells get the same ids.
    """
    columns = []
    for c in rows.columns:
        values = rows[c].fillna("").astype(str)
        if len(rows) < 200:  # small tables: plain Python is faster than pandas' map
            columns.append([normalise_value(v) for v in values.tolist()])
            continue
        uniques = pd.unique(values.to_numpy(object))
        columns.append(values.map({u: normalise_value(u) for u in uniques}).to_numpy(object))
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
    if len(rows) < 200:  # small tables: plain Python is faster than pandas' per-column work
        keys = [encode(str(name)) + ": " for name in rows.columns]
        values = [rows[c].fillna("").astype(str).tolist() for c in rows.columns]
        return np.array(["{" + ", ".join(k + encode(v) for k, v in zip(keys, row, strict=True))
                         + "}" for row in zip(*values, strict=True)], dtype=object)
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
    from trygg.geo.crs import WGS84, detect_crs, parse_crs, swap_stray_lonlat, transform_xy

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
    if crs is not None:
        _check_named_crs(x, y, px, py, used, column_x=column_x, column_y=column_y)
    ok = np.isfinite(px) & np.isfinite(py)
    outside = ok & ~((px >= area[0]) & (px <= area[2]) & (py >= area[1]) & (py <= area[3]))
    return px, py, outside, used


#: Share of the coordinates that the named CRS cannot hold from which the CRS
#: is taken to be the wrong one and the file refused.
MISFIT_SHARE = 0.9


def _check_named_crs(x: np.ndarray, y: np.ndarray, px: np.ndarray, py: np.ndarray, crs: str,
                     *, column_x: str, column_y: str) -> None:
    """Refuse coordinates that (nearly) all lie outside the valid range of the
    CRS the user named (``--crs EPSG:4326`` for SWEREF 99 TM metres), naming
    the CRS they look like; else they would silently become no position.

    Out of range is: beyond ±180° longitude or ±90° latitude in a geographic
    CRS, or not transformable to the project CRS (``px``/``py`` not finite).
    Points merely outside the project area stay ``outside_area`` rejects.

    Raises
    ------
    geo.errors.CrsError
        When at least :data:`MISFIT_SHARE` of the finite points are out of range.
    """
    import pyproj

    from trygg.geo.crs import detect_crs
    from trygg.geo.errors import CrsError

    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        return
    misfit = ok & ~(np.isfinite(px) & np.isfinite(py))
    if pyproj.CRS.from_user_input(crs).is_geographic:
        misfit |= ok & ((np.abs(x) > 180) | (np.abs(y) > 90))
    share_bad = int(misfit.sum())
    if share_bad == 0 or share_bad < MISFIT_SHARE * int(ok.sum()):
        return
    xs, ys = x[ok], y[ok]
    try:
        likely, swapped = detect_crs(xs, ys, column_x=column_x, column_y=column_y)
    except Exception:  # noqa: BLE001 - no CRS fits: say so below
        likely, swapped = None, False
    if likely is None or likely == crs:
        hint_sv = hint_en = ""
    else:
        hint_sv = (f" De ser ut som {likely}" + (" med x och y bytta" if swapped else "")
                   + f"; ange --crs {likely}.")
        hint_en = (f" They look like {likely}" + (" with x and y swapped" if swapped else "")
                   + f"; give --crs {likely}.")
    example = f"({x[misfit][0]:g}, {y[misfit][0]:g})"
    raise CrsError(
        f"{share_bad} av {int(ok.sum())} koordinater ({column_x}, {column_y}) passar inte det "
        f"angivna koordinatsystemet {crs}, t.ex. {example}.{hint_sv}",
        f"{share_bad} of {int(ok.sum())} coordinates ({column_x}, {column_y}) do not fit the "
        f"named CRS {crs}, e.g. {example}.{hint_en}")

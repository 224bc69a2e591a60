"""Coordinate reference systems used in Sweden: detection and transforms.

The working CRS of a project is SWEREF 99 TM (EPSG:3006) unless the project was
created with another projected CRS. Input coordinates come as WGS84 latitude and
longitude (EPSG:4326, sometimes with the two swapped), SWEREF 99 TM, one of the
SWEREF 99 local zones (EPSG:3007-3018, only when named with ``--crs``) or RT 90
2.5 gon V (EPSG:3021).
"""

from __future__ import annotations

import functools
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
import pyproj
from pyproj import Transformer

from trygg.geo.errors import CrsError

WORKING_CRS = "EPSG:3006"
WGS84 = "EPSG:4326"
SWEREF99_TM = "EPSG:3006"
RT90_25_GON_V = "EPSG:3021"

FloatArray: TypeAlias = npt.NDArray[np.float64]
#: SWEREF 99 local zones, by the name Swedish offices use.
SWEREF99_ZONES = {
    "12 00": "EPSG:3007", "13 30": "EPSG:3008", "15 00": "EPSG:3009",
    "16 30": "EPSG:3010", "18 00": "EPSG:3011", "14 15": "EPSG:3012",
    "15 45": "EPSG:3013", "17 15": "EPSG:3014", "18 45": "EPSG:3015",
    "20 15": "EPSG:3016", "21 45": "EPSG:3017", "23 15": "EPSG:3018",
}

# Sweden with a margin, per coordinate system (min x, min y, max x, max y).
_SWEDEN_LONLAT = (10.0, 55.0, 24.5, 69.2)
_SWEDEN_SWEREF99TM = (180_000.0, 6_090_000.0, 1_090_000.0, 7_700_000.0)
# RT 90 as written in Sweden: X is northing, Y is easting (x = column "X").
_SWEDEN_RT90_XN = (6_090_000.0, 1_180_000.0, 7_700_000.0, 1_920_000.0)


def parse_crs(value: str | int) -> pyproj.CRS:
    """Parse a CRS given by a user: ``EPSG:3006``, ``3006``, or ``SWEREF 99 18 00``.

    Raises
    ------
    CrsError
        When the value names no known CRS.
    """
    text = str(value).strip()
    upper = text.upper().replace("SWEREF99", "SWEREF 99")
    if upper.startswith("SWEREF 99 ") and upper[10:].strip() in SWEREF99_ZONES:
        text = SWEREF99_ZONES[upper[10:].strip()]
    elif upper in ("SWEREF 99 TM", "SWEREF99TM"):
        text = SWEREF99_TM
    elif upper in ("RT 90", "RT90", "RT 90 2.5 GON V"):
        text = RT90_25_GON_V
    elif upper in ("WGS84", "WGS 84"):
        text = WGS84
    elif text.isdigit():
        text = f"EPSG:{text}"
    try:
        return pyproj.CRS.from_user_input(text)
    except pyproj.exceptions.CRSError:
        raise CrsError(
            f"Okänt koordinatsystem '{value}'. Ange t.ex. --crs EPSG:3006 (SWEREF 99 TM) "
            "eller --crs EPSG:4326 (WGS84).",
            f"Unknown coordinate system '{value}'. Give e.g. --crs EPSG:3006 (SWEREF 99 TM) "
            "or --crs EPSG:4326 (WGS84).",
        ) from None


def _share_inside(x: FloatArray, y: FloatArray,
                  box: tuple[float, float, float, float]) -> float:
    return float(np.mean((x >= box[0]) & (x <= box[2]) & (y >= box[1]) & (y <= box[3])))


def detect_crs(x: npt.ArrayLike, y: npt.ArrayLike, *, column_x: str = "x",
               column_y: str = "y", min_share: float = 0.5) -> tuple[str, bool]:
    """Tell which Swedish CRS a set of coordinates is in.

    Parameters
    ----------
    x, y
        Coordinate values as read from the columns mapped to ``x`` (easting or
        longitude) and ``y`` (northing or latitude); NaN values are ignored.
    column_x, column_y
        Column names, used only in the error message.
    min_share
        Share of the points that must fall in Sweden in the best-fitting CRS
        for it to be chosen (default 0.5), so a few stray points do not hide
        the CRS; they are rejected later as outside the project area.

    Returns
    -------
    (crs, swapped)
        The EPSG code as ``"EPSG:n"`` and whether the two columns must be swapped
        to get (easting, northing) / (longitude, latitude).

    Raises
    ------
    CrsError
        When the values fit none or more than one of WGS84, SWEREF 99 TM and
        RT 90 2.5 gon V over Sweden (for ``min_share`` of the points); the
        message asks for ``--crs``.
    """
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = np.asarray(x, float)[ok], np.asarray(y, float)[ok]
    if x.size == 0:
        raise CrsError(
            f"Inga giltiga koordinater i kolumnerna '{column_x}' och '{column_y}'.",
            f"No valid coordinates in columns '{column_x}' and '{column_y}'.",
        )
    tests = {
        (WGS84, False): (x, y, _SWEDEN_LONLAT),
        (WGS84, True): (y, x, _SWEDEN_LONLAT),
        (SWEREF99_TM, False): (x, y, _SWEDEN_SWEREF99TM),
        (SWEREF99_TM, True): (y, x, _SWEDEN_SWEREF99TM),
        (RT90_25_GON_V, True): (x, y, _SWEDEN_RT90_XN),
        (RT90_25_GON_V, False): (y, x, _SWEDEN_RT90_XN),
    }
    share = {key: _share_inside(*args) for key, args in tests.items()}
    best = max(share.values())
    candidates = [key for key, value in share.items() if value == best and value > 0]
    if len(candidates) == 1 and best >= min_share:
        return candidates[0]
    what = "passar flera" if candidates else "passar inget"
    what_en = "fit several" if candidates else "fit none"
    raise CrsError(
        f"Koordinaterna i '{column_x}'/'{column_y}' {what} av WGS84, SWEREF 99 TM och "
        "RT 90 över Sverige. Ange koordinatsystemet med --crs, t.ex. --crs EPSG:3011 "
        "(SWEREF 99 18 00).",
        f"The coordinates in '{column_x}'/'{column_y}' {what_en} of WGS84, SWEREF 99 TM and "
        "RT 90 over Sweden. Name the coordinate system with --crs, e.g. --crs EPSG:3011 "
        "(SWEREF 99 18 00).",
    )


def swap_stray_lonlat(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Swap back single WGS84 points whose latitude and longitude were typed the
    other way round: those outside Sweden as (lon, lat) but inside as (lat, lon).

    Returns new (longitude, latitude) arrays in degrees.
    """
    lon, lat = np.asarray(lon, float).copy(), np.asarray(lat, float).copy()
    box = _SWEDEN_LONLAT

    def inside(a: FloatArray, b: FloatArray) -> npt.NDArray[np.bool_]:
        return (a >= box[0]) & (a <= box[2]) & (b >= box[1]) & (b <= box[3])

    flip = ~inside(lon, lat) & inside(lat, lon)
    lon[flip], lat[flip] = lat[flip], lon[flip].copy()
    return lon, lat


@functools.lru_cache(maxsize=32)
def _transformer(src: str, dst: str) -> Transformer:
    """A transformer (x, y order) per CRS pair: building one takes milliseconds."""
    return Transformer.from_crs(src, dst, always_xy=True)


def transform_xy(x: npt.ArrayLike, y: npt.ArrayLike, src: str | pyproj.CRS,
                 dst: str | pyproj.CRS = WORKING_CRS) -> tuple[FloatArray, FloatArray]:
    """Transform coordinates from ``src`` to ``dst`` (default EPSG:3006).

    Input and output are in each CRS's (easting, northing) or (longitude,
    latitude) order regardless of the CRS's axis order. Returns two float arrays.
    """
    if isinstance(src, str) and isinstance(dst, str):
        tr = _transformer(src, dst)
    else:
        tr = Transformer.from_crs(src, dst, always_xy=True)
    ox, oy = tr.transform(np.asarray(x, float), np.asarray(y, float))
    return np.asarray(ox, float), np.asarray(oy, float)


def crs_bounds(crs: str | pyproj.CRS) -> tuple[float, float, float, float]:
    """Area of use of ``crs`` in its own coordinates (min x, min y, max x, max y).

    For EPSG:3006 this is Sweden. Used as the default project area.
    """
    crs = pyproj.CRS.from_user_input(crs)
    area = crs.area_of_use
    if area is None:
        return (-np.inf, -np.inf, np.inf, np.inf)
    tr = Transformer.from_crs(WGS84, crs, always_xy=True)
    x0, y0, x1, y1 = tr.transform_bounds(*area.bounds, densify_pts=21)
    return (float(x0), float(y0), float(x1), float(y1))

"""Sun position: how high the sun stands, and whether it is dark, at a time and place.

Uses NOAA's solar position algorithm (the equations of NOAA's "Solar
Calculator" spreadsheets, after Meeus, *Astronomical Algorithms*): the sun's
declination and the equation of time from the Julian century, then the hour
angle at the given longitude. Accurate to about 0.1° for years 1900–2100,
far better than needed to tell day from night. Vectorised: a million
instants take well under a second.

Darkness follows **civil twilight**: it is dark when the centre of the sun is
more than 6° below the horizon. That is the usual line for when outdoor
lighting is needed (street lights switch on around civil dusk) and for when
faces and colours are hard to make out, which is what matters for perceived
safety. Note that Stockholm (59.3° N) is just south of the line where civil
twilight lasts all night: around midsummer the sun dips to about −7° at solar
midnight (≈ 00:50 CEST), so a few midnight hours count as dark under this
rule although the sky is not black; from about 60.6° N (Gävle, Falun and
northwards) June nights are never dark. Pass ``threshold=-12`` (nautical
twilight) for a stricter notion of darkness.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd

from trygg.geo.errors import ArgumentError

__all__ = ["CIVIL_TWILIGHT", "SUNSET", "is_dark", "sun_elevation", "sun_times"]

#: Sun elevation (degrees) below which it counts as dark: civil twilight.
CIVIL_TWILIGHT = -6.0
#: Geometric elevation (degrees) of the sun's centre at sunset and sunrise as almanacs
#: give them: the upper limb on the horizon, with standard refraction (34′) and the
#: sun's radius (16′).
SUNSET = -0.833

_J2000 = 2451545.0  # Julian day of 2000-01-01 12:00 TT (UTC is close enough here)
_UNIX_EPOCH_JD = 2440587.5  # Julian day of 1970-01-01 00:00 UTC

#: What the functions take as times: a Series or Index of timestamps, one timestamp, or a
#: sequence or array of them.
Times: TypeAlias = ("pd.Series[Any] | pd.Index[Any] | dt.datetime | Sequence[dt.datetime]"
                    " | npt.NDArray[Any]")


def _utc_seconds(times: Times) -> npt.NDArray[np.float64]:
    """Seconds since 1970-01-01 UTC as a 1-D float array (NaN for missing times).

    Raises
    ------
    ArgumentError
        When the times carry no time zone.
    """
    values: pd.Series[Any] | pd.Index[Any] | list[Any]
    if isinstance(times, (pd.Series, pd.Index)):
        values = times
    else:
        values = list(np.atleast_1d(np.asarray(times, dtype=object)))
    index: pd.DatetimeIndex | None
    try:
        index = pd.DatetimeIndex(values)
        aware = index.tz is not None
    except (TypeError, ValueError):  # several zones: each must be aware
        aware = all(getattr(v, "tzinfo", None) is not None for v in values if pd.notna(v))
        index = pd.DatetimeIndex(pd.to_datetime(values, utc=True)) if aware else None
    if index is None or not aware:
        raise ArgumentError(
            "Tidpunkterna saknar tidszon. Ange den, t.ex. med "
            "tz_localize('Europe/Stockholm').",
            "The times carry no time zone. Set one, e.g. with "
            "tz_localize('Europe/Stockholm').")
    utc = index.tz_convert("UTC")
    seconds = utc.as_unit("ns").asi8.astype(float) / 1e9
    seconds[np.asarray(utc.isna())] = np.nan
    return seconds


def sun_elevation(times: Times, lon: npt.ArrayLike, lat: npt.ArrayLike
                  ) -> npt.NDArray[np.float64]:
    """Elevation of the sun's centre above the horizon, in degrees.

    Geometric elevation (no atmospheric refraction, which lifts the sun by
    about 0.5° at the horizon and by less than 0.1° at −6°).

    Parameters
    ----------
    times
        Timezone-aware instants, in any zone: a ``pandas.Series``,
        ``DatetimeIndex``, array of ``Timestamp`` or one ``Timestamp``.
        Missing values (``NaT``) give ``NaN``.
    lon, lat
        Longitude and latitude in degrees (WGS84, east and north positive):
        scalars or arrays broadcastable against ``times``.

    Returns
    -------
    numpy.ndarray
        Elevation in degrees, from −90 to 90: one value per time (1-D, a
        single time gives one value), broadcast with ``lon`` and ``lat``.

    Raises
    ------
    ArgumentError
        When ``times`` has no time zone.
    """
    seconds = _utc_seconds(times)
    lon_deg = np.asarray(lon, dtype=float)
    lat_deg = np.asarray(lat, dtype=float)
    jd = seconds / 86400.0 + _UNIX_EPOCH_JD
    t = (jd - _J2000) / 36525.0  # Julian centuries since J2000

    mean_long = np.mod(280.46646 + t * (36000.76983 + t * 0.0003032), 360.0)
    mean_anom = np.radians(357.52911 + t * (35999.05029 - 0.0001537 * t))
    ecc = 0.016708634 - t * (0.000042037 + 0.0000001267 * t)
    centre = (np.sin(mean_anom) * (1.914602 - t * (0.004817 + 0.000014 * t))
              + np.sin(2 * mean_anom) * (0.019993 - 0.000101 * t)
              + np.sin(3 * mean_anom) * 0.000289)
    omega = np.radians(125.04 - 1934.136 * t)
    app_long = np.radians(mean_long + centre - 0.00569 - 0.00478 * np.sin(omega))
    mean_obliq = 23.0 + (26.0 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60.0
                         ) / 60.0
    obliq = np.radians(mean_obliq + 0.00256 * np.cos(omega))
    declination = np.arcsin(np.sin(obliq) * np.sin(app_long))

    y = np.tan(obliq / 2.0) ** 2
    l0 = np.radians(mean_long)
    eq_time = 4.0 * np.degrees(  # minutes
        y * np.sin(2 * l0) - 2 * ecc * np.sin(mean_anom)
        + 4 * ecc * y * np.sin(mean_anom) * np.cos(2 * l0)
        - 0.5 * y * y * np.sin(4 * l0) - 1.25 * ecc * ecc * np.sin(2 * mean_anom))

    minutes_utc = np.mod(seconds, 86400.0) / 60.0
    true_solar = minutes_utc + eq_time + 4.0 * lon_deg  # minutes
    hour_angle = np.radians(true_solar / 4.0 - 180.0)
    phi = np.radians(lat_deg)
    cos_zenith = (np.sin(phi) * np.sin(declination)
                  + np.cos(phi) * np.cos(declination) * np.cos(hour_angle))
    elevation: npt.NDArray[np.float64] = 90.0 - np.degrees(
        np.arccos(np.clip(cos_zenith, -1.0, 1.0)))
    return elevation


def is_dark(times: Times, lon: npt.ArrayLike, lat: npt.ArrayLike, *,
            threshold: float = CIVIL_TWILIGHT) -> npt.NDArray[np.bool_]:
    """Whether it is dark: the sun more than ``-threshold`` degrees below the horizon.

    Parameters
    ----------
    times, lon, lat
        As for :func:`sun_elevation`.
    threshold
        Sun elevation in degrees below which it counts as dark; default −6°,
        the end of civil twilight (see the module text for why). −12° is
        nautical and −18° astronomical twilight.

    Returns
    -------
    numpy.ndarray
        Booleans; ``False`` where the time is missing.
    """
    elevation = sun_elevation(times, lon, lat)
    with np.errstate(invalid="ignore"):
        return np.asarray(elevation < threshold)


def _evening_crossing(day: dt.date, lon: float, lat: float, threshold: float,
                      tz: str) -> pd.Timestamp | None:
    """First minute after local noon of ``day`` (up to 14 hours on) at which the sun
    goes below ``threshold``, interpolated between the minutes; ``None`` if it does not."""
    noon = pd.Timestamp(dt.datetime.combine(day, dt.time(12, 0))).tz_localize(tz)
    times = pd.date_range(noon, periods=14 * 60 + 1, freq="min")
    elev = sun_elevation(times, lon, lat)
    below = np.flatnonzero((elev[:-1] >= threshold) & (elev[1:] < threshold))
    if len(below) == 0:
        return None
    i = int(below[0])
    frac = (elev[i] - threshold) / (elev[i] - elev[i + 1])
    return (times[i] + pd.Timedelta(seconds=round(60 * float(frac)))).floor("s")


def sun_times(day: dt.date | str, lon: float, lat: float, *, tz: str = "Europe/Stockholm"
              ) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """Sunset and the end of civil twilight on the evening of ``day``.

    Parameters
    ----------
    day
        The date (or ``YYYY-MM-DD``), local.
    lon, lat
        Degrees, WGS84.
    tz
        The zone of the results (default Europe/Stockholm).

    Returns
    -------
    sunset, dusk
        Timezone-aware times, to the second (the solar algorithm is good to about a
        minute): ``sunset`` when the sun's upper limb sets (:data:`SUNSET`), ``dusk``
        when its centre passes :data:`CIVIL_TWILIGHT` (−6°), from when it counts as
        dark. Either is ``None`` when it does not happen that evening (the midnight sun;
        the light summer nights of the north), up to 14 hours after noon.
    """
    date = pd.Timestamp(day).date()
    return (_evening_crossing(date, lon, lat, SUNSET, tz),
            _evening_crossing(date, lon, lat, CIVIL_TWILIGHT, tz))

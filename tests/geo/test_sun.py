"""Sun position (geo.sun): known values, an independent formula, darkness."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from trygg.geo.errors import ArgumentError
from trygg.geo.sun import is_dark, sun_elevation

TZ = "Europe/Stockholm"
STOCKHOLM = (18.07, 59.33)  # lon, lat
KIRUNA = (20.23, 67.86)
UMEA = (20.26, 63.83)


def almanac_elevation(times: pd.DatetimeIndex, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Textbook sun elevation from the Astronomical Almanac's low-precision formulas
    for the Sun (mean longitude and anomaly, ecliptic longitude, right ascension,
    sidereal time; 0.01° accurate 1950–2050). Written independently of geo.sun,
    which follows NOAA's algorithm (equation of time, true solar time)."""
    utc = times.tz_convert("UTC")
    d = utc.as_unit("ns").asi8 / 86400e9 + 2440587.5 - 2451545.0  # days since J2000
    mean_long = 280.460 + 0.9856474 * d
    g = np.radians(357.528 + 0.9856003 * d)
    ecl_long = np.radians(mean_long + 1.915 * np.sin(g) + 0.020 * np.sin(2 * g))
    obliquity = np.radians(23.439 - 0.0000004 * d)
    right_asc = np.arctan2(np.cos(obliquity) * np.sin(ecl_long), np.cos(ecl_long))
    decl = np.arcsin(np.sin(obliquity) * np.sin(ecl_long))
    gmst_deg = 15.0 * (18.697374558 + 24.06570982441908 * d)
    hour_angle = np.radians(gmst_deg + lon) - right_asc
    phi = np.radians(lat)
    sin_el = np.sin(phi) * np.sin(decl) + np.cos(phi) * np.cos(decl) * np.cos(hour_angle)
    return np.degrees(np.arcsin(sin_el))


# check inputs --------------------------------------------------------------------------


def test_naive_times_are_refused():
    with pytest.raises(ArgumentError, match="tidszon"):
        sun_elevation(pd.Timestamp("2024-06-21 12:00"), *STOCKHOLM)
    with pytest.raises(ArgumentError):
        is_dark(pd.date_range("2024-01-01", periods=3, freq="h"), *STOCKHOLM)


def test_missing_times_give_nan_and_not_dark():
    times = pd.Series(pd.to_datetime(["2024-12-21T22:00:00Z", None], utc=True))
    elevation = sun_elevation(times, *STOCKHOLM)
    assert elevation.shape == (2,)
    assert elevation[0] < -6 and np.isnan(elevation[1])
    assert is_dark(times, *STOCKHOLM).tolist() == [True, False]


# check outputs -------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "expected", "noon"), [("2024-06-20", 54.1, "12:49"),
                                                      ("2024-12-21", 7.2, "11:46")])
def test_stockholm_solar_noon_at_the_solstices(day, expected, noon):
    # 90° − 59.33° ± 23.44° (the sun's declination at the solstices)
    minutes = pd.date_range(f"{day} 10:00", f"{day} 15:00", freq="1min", tz=TZ)
    elevation = sun_elevation(minutes, *STOCKHOLM)
    assert elevation.max() == pytest.approx(expected, abs=0.1)
    # solar noon: 12:00 local mean time at 15° E, minus 4 min per degree further
    # east (18.07° → 12 min), minus the equation of time, plus summer time
    highest = minutes[elevation.argmax()]
    assert abs(highest - pd.Timestamp(f"{day} {noon}", tz=TZ)) <= pd.Timedelta("2min")


def test_sun_overhead_at_the_equator_at_the_march_equinox():
    # equinox 2024-03-20 03:06 UTC; the sun stands over the equator where it is
    # solar noon: 12:00 − 3:06 = 8:54 h east of Greenwich, plus the equation of
    # time (−7.4 min) → 135.4° E
    at = pd.Timestamp("2024-03-20 03:06", tz="UTC")
    assert sun_elevation(at, 135.4, 0.0)[0] == pytest.approx(90.0, abs=0.3)


def test_agrees_with_an_independent_textbook_formula():
    rng = np.random.default_rng(5)
    n = 2000
    seconds = rng.uniform(pd.Timestamp("2015-01-01", tz="UTC").timestamp(),
                          pd.Timestamp("2030-01-01", tz="UTC").timestamp(), n)
    times = pd.DatetimeIndex(pd.to_datetime(seconds, unit="s", utc=True)).tz_convert(TZ)
    lon = rng.uniform(10.0, 24.5, n)
    lat = rng.uniform(55.0, 69.0, n)
    ours = sun_elevation(times, lon, lat)
    assert_allclose(ours, almanac_elevation(times, lon, lat), atol=0.02)


def test_any_time_zone_gives_the_same_answer():
    stockholm = pd.date_range("2024-03-01", periods=48, freq="37min", tz=TZ)
    assert_allclose(sun_elevation(stockholm, *STOCKHOLM),
                    sun_elevation(stockholm.tz_convert("America/Chicago"), *STOCKHOLM))
    assert_allclose(sun_elevation(pd.Series(stockholm), *STOCKHOLM),
                    sun_elevation(list(stockholm), *STOCKHOLM))


def test_midnight_sun_and_polar_night_in_kiruna():
    assert sun_elevation(pd.Timestamp("2024-06-21 00:00", tz=TZ), *KIRUNA)[0] > 0
    assert sun_elevation(pd.Timestamp("2024-12-21 12:00", tz=TZ), *KIRUNA)[0] < 0


def test_december_midnight_is_dark_and_june_noon_is_not():
    assert is_dark(pd.Timestamp("2024-12-15 00:00", tz=TZ), *STOCKHOLM)[0]
    assert is_dark(pd.Timestamp("2024-12-15 16:30", tz=TZ), *STOCKHOLM)[0]
    assert not is_dark(pd.Timestamp("2024-06-15 12:00", tz=TZ), *STOCKHOLM)[0]
    assert not is_dark(pd.Timestamp("2024-12-15 12:00", tz=TZ), *STOCKHOLM)[0]


def test_june_nights_under_civil_twilight():
    # North of ~60.6° N civil twilight lasts all night around midsummer: never dark.
    june_night = pd.date_range("2024-06-20 21:00", "2024-06-21 05:00", freq="5min", tz=TZ)
    assert not is_dark(june_night, *UMEA).any()
    # Stockholm (59.3° N) lies just south of that line: at midnight the sun is
    # 6.6° below the horizon, so a short spell around solar midnight (≈ 00:50)
    # counts as dark under civil twilight, though not under nautical twilight.
    midnight = pd.Timestamp("2024-06-21 00:00", tz=TZ)
    assert sun_elevation(midnight, *STOCKHOLM)[0] == pytest.approx(-6.6, abs=0.2)
    dark = is_dark(june_night, *STOCKHOLM)
    assert 0 < dark.sum() * 5 <= 150  # minutes of darkness: about two hours
    assert not is_dark(june_night, *STOCKHOLM, threshold=-12).any()
    assert not is_dark(pd.Timestamp("2024-06-20 22:00", tz=TZ), *STOCKHOLM)[0]


def test_vectorised_over_places():
    at = pd.DatetimeIndex([pd.Timestamp("2024-12-21 12:00", tz=TZ)] * 3)
    elevation = sun_elevation(at, [18.07, 18.07, 18.07], [55.0, 59.33, 69.0])
    assert elevation[0] > elevation[1] > 0 > elevation[2]


@pytest.mark.parametrize(("day", "lon", "lat", "sunset", "dusk"), [
    # almanac values for Stockholm (SMHI / timeanddate: sunset 22:08 and 14:48)
    ("2025-06-21", 18.07, 59.33, "22:08", "23:40"),
    ("2025-12-21", 18.07, 59.33, "14:48", "15:44"),
])
def test_sunset_and_dusk_match_the_almanac(day, lon, lat, sunset, dusk):
    from trygg.geo.sun import sun_times

    got_sunset, got_dusk = sun_times(day, lon, lat)
    for got, want in ((got_sunset, sunset), (got_dusk, dusk)):
        want_t = pd.Timestamp(f"{day} {want}").tz_localize("Europe/Stockholm")
        assert abs((got - want_t).total_seconds()) <= 120, (got, want)


def test_no_sunset_under_the_midnight_sun():
    from trygg.geo.sun import sun_times

    assert sun_times("2025-06-21", 20.23, 67.86) == (None, None)  # Kiruna


def test_dusk_is_where_the_sun_is_six_degrees_down():
    from trygg.geo.sun import CIVIL_TWILIGHT, sun_elevation, sun_times

    _, dusk = sun_times("2025-10-15", 18.07, 59.33)
    assert sun_elevation(dusk, 18.07, 59.33)[0] == pytest.approx(CIVIL_TWILIGHT, abs=0.05)

import numpy as np
import pytest
from numpy.testing import assert_allclose

from trygg.geo.crs import crs_bounds, detect_crs, parse_crs, transform_xy
from trygg.geo.errors import CrsError

# Stockholm's Sergels torg in WGS84, SWEREF 99 TM and RT 90 2.5 gon V
# (RT 90 values from the same PROJ transformation, rounded to the metre).
LON, LAT = 18.0649, 59.3326
E_TM, N_TM = transform_xy([LON], [LAT], "EPSG:4326", "EPSG:3006")
E_RT, N_RT = transform_xy([LON], [LAT], "EPSG:4326", "EPSG:3021")


def test_detects_wgs84_and_swapped_wgs84():
    x = np.array([18.06, 17.5, 16.2])
    y = np.array([59.33, 60.1, 58.9])
    assert detect_crs(x, y) == ("EPSG:4326", False)
    assert detect_crs(y, x) == ("EPSG:4326", True)


def test_detects_sweref99tm_with_x_as_northing_too():
    x = np.array([674000.0, 620000.0])
    y = np.array([6580000.0, 6650000.0])
    assert detect_crs(x, y) == ("EPSG:3006", False)
    assert detect_crs(y, x) == ("EPSG:3006", True)


def test_detects_rt90_written_with_x_as_northing():
    assert detect_crs(N_RT, E_RT) == ("EPSG:3021", True)


def test_a_few_stray_points_do_not_hide_the_crs():
    x = np.array([674000.0, 620000.0, 9_999_999.0])
    y = np.array([6580000.0, 6650000.0, 6650000.0])
    assert detect_crs(x, y) == ("EPSG:3006", False)


def test_values_that_fit_nothing_ask_for_crs():
    with pytest.raises(CrsError, match="--crs"):
        detect_crs(np.array([150000.0, 160000.0]), np.array([150000.0, 170000.0]))


def test_transform_round_trip_is_centimetre_exact():
    e, n = transform_xy([LON], [LAT], "EPSG:4326", "EPSG:3006")
    lon, lat = transform_xy(e, n, "EPSG:3006", "EPSG:4326")
    assert_allclose([lon[0], lat[0]], [LON, LAT], atol=1e-7)
    assert 670_000 < e[0] < 680_000 and 6_575_000 < n[0] < 6_585_000


@pytest.mark.parametrize("text, epsg", [
    ("EPSG:3006", 3006), ("3006", 3006), ("SWEREF 99 18 00", 3011), ("sweref99 18 00", 3011),
    ("RT 90", 3021), ("WGS84", 4326), ("SWEREF 99 TM", 3006)])
def test_parse_crs_names_swedish_offices_use(text, epsg):
    assert parse_crs(text).to_epsg() == epsg


def test_parse_crs_rejects_nonsense_with_a_hint():
    with pytest.raises(CrsError, match="EPSG:3006"):
        parse_crs("SWEREF 77")


def test_crs_bounds_of_sweref99tm_cover_sweden():
    minx, miny, maxx, maxy = crs_bounds("EPSG:3006")
    assert minx < E_TM[0] < maxx and miny < N_TM[0] < maxy

"""View polygons: the range disk minus the buildings' shadows (geo.sight)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from trygg.geo.errors import ArgumentError
from trygg.geo.sight import NUDGE_M, bearings, sector, surface_limits, view_polygons

BOX = shapely.box(10, -5, 20, 5)


def seen_by_rays(site, targets, buildings):
    """Reference: a target is seen when the segment to it crosses no building's inside."""
    lines = shapely.linestrings([[site, t] for t in targets])
    blocked = np.zeros(len(targets), dtype=bool)
    for b in buildings:
        inter = shapely.intersection(lines, b)
        blocked |= shapely.length(inter) > 1e-6
    return ~blocked


def test_a_building_hides_what_is_behind_it():
    view = view_polygons(np.array([[0.0, 0.0]]), np.array([BOX]), range_m=40)[0]
    seen = shapely.contains(view, shapely.points([(-10, 0), (9, 0), (15, 0), (25, 0),
                                                  (30, 12), (30, 18), (0, 39)]))
    # behind the box: |y| < x/2 beyond x = 10 (the rays through its near corners)
    assert list(seen) == [True, True, False, False, False, True, True]
    assert view.area < np.pi * 40**2


def test_nothing_in_the_way_gives_the_range_disk():
    view = view_polygons(np.array([[5.0, 5.0]]), None, range_m=40)[0]
    assert view.area == pytest.approx(np.pi * 40**2, rel=0.005)
    far = view_polygons(np.array([[0.0, 0.0]]), np.array([shapely.box(100, 0, 110, 10)]))[0]
    assert far.area == pytest.approx(view.area)


def test_a_camera_on_a_facade_sees_the_half_away_from_the_wall():
    view = view_polygons(np.array([[10.0, 0.0]]), np.array([BOX]), range_m=40)[0]
    assert view.area == pytest.approx(np.pi * 40**2 / 2, rel=0.02)
    assert view.contains(shapely.Point(5, 0)) and view.contains(shapely.Point(10 - NUDGE_M * 2,
                                                                              30))
    assert not view.contains(shapely.Point(15, 0))
    inside = view_polygons(np.array([[11.0, 0.0]]), np.array([BOX]), range_m=40)[0]
    assert inside.area == pytest.approx(view.area, rel=0.02)  # moved out to the wall


def test_field_of_view_and_blind_spot():
    view = view_polygons(np.array([[0.0, 0.0]]), None, range_m=40, fov_deg=90,
                         direction_deg=90.0, min_dist_m=5)[0]
    assert view.area == pytest.approx((np.pi * 40**2 - np.pi * 5**2) / 4, rel=0.01)
    inside = shapely.contains(view, shapely.points([(30, 0), (0, 30), (3, 0), (20, 19),
                                                    (20, 21)]))
    assert list(inside) == [True, False, False, True, False]
    assert bearings(np.array([0, 0]), np.array([[0, 1], [1, 0], [0, -1], [-1, 0]])).tolist() \
        == [0, 90, 180, 270]
    s = sector(np.array([[0.0, 0.0]]), 0.0, 60, 10)[0]
    assert s.contains(shapely.Point(0, 9.99)) and not s.contains(shapely.Point(9, 0))


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(st.lists(st.tuples(st.floats(-35, 30), st.floats(-35, 30), st.floats(2, 12),
                          st.floats(2, 12)), min_size=1, max_size=6))
def test_shadows_agree_with_casting_a_segment_to_each_point(boxes):
    buildings = np.array([shapely.box(x, y, x + w, y + h) for x, y, w, h in boxes])
    if shapely.intersects(shapely.union_all(buildings).buffer(0.5), shapely.Point(0, 0)):
        return  # the nudged site is tested above
    view = view_polygons(np.array([[0.0, 0.0]]), buildings, range_m=40)[0]
    rng = np.random.default_rng(len(boxes))
    r, a = 39 * np.sqrt(rng.random(400)), rng.random(400) * 2 * np.pi
    targets = np.c_[r * np.sin(a), r * np.cos(a)]
    outside = ~shapely.intersects(shapely.union_all(buildings), shapely.points(targets))
    expect = seen_by_rays((0.0, 0.0), targets, buildings) & outside
    got = shapely.contains(view, shapely.points(targets))
    # points within a few centimetres of a shadow's edge may go either way
    with np.errstate(divide="ignore"):  # GEOS on a zero-length boundary piece
        edge = shapely.distance(shapely.boundary(view), shapely.points(targets)) < 0.05
    assert (got == expect)[~edge].all()


def test_bad_input_is_refused_with_a_message():
    with pytest.raises(ArgumentError, match="polygoner"):
        view_polygons(np.array([[0.0, 0.0]]), np.array([shapely.Point(1, 1)]))
    with pytest.raises(ArgumentError, match="riktning"):
        view_polygons(np.array([[0.0, 0.0]]), None, fov_deg=90)
    with pytest.raises(ArgumentError, match="Räckvidden"):
        view_polygons(np.array([[0.0, 0.0]]), None, range_m=0)
    with pytest.raises(ArgumentError, match="koordinater"):
        view_polygons(np.array([[np.nan, 0.0]]), None)


def hedge_surface():
    """Flat ground at 10 m with a 3 m high hedge 10–12 m east of the origin (1 m cells)."""
    z = np.full((100, 100), 10.0)
    centres = np.arange(100) - 50 + 0.5
    z[:, (centres >= 10) & (centres < 12)] = 13.0
    return z, (1.0, 0.0, -50.0, 0.0, -1.0, 50.0)


def test_a_hedge_hides_what_is_behind_it_from_a_low_camera():
    z, transform = hedge_surface()
    low = surface_limits(np.array([[0.0, 0.0]]), z, transform, height_m=2.0)[0]
    seen = shapely.contains(low, shapely.points([(5, 0), (9, 0), (15, 0), (30, 0), (-30, 0),
                                                 (0, 30)]))
    assert list(seen) == [True, True, False, False, True, True]


def test_a_high_camera_sees_over_the_hedge_but_not_right_behind_it():
    z, transform = hedge_surface()
    high = surface_limits(np.array([[0.0, 0.0]]), z, transform, height_m=8.0)[0]
    # eye at 18 m; a head (11.5 m) 13 m out is under the line over the hedge's top
    # (18 − 6.5·12/13 = 12.0 < 13); one 30 m out is above it (18 − 6.5·12/30 = 15.4)
    assert not high.contains(shapely.Point(13, 0))
    assert high.contains(shapely.Point(30, 0))
    outside = surface_limits(np.array([[500.0, 500.0]]), z, transform)[0]
    assert outside.area == pytest.approx(np.pi * 40**2, rel=0.01)  # no data: nothing blocks
    with pytest.raises(ArgumentError, match="norrorienterad"):
        surface_limits(np.array([[0.0, 0.0]]), z, (1.0, 0.1, 0.0, 0.0, -1.0, 0.0))

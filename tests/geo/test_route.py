"""Walking routes: every stop once, never longer than nearest neighbour, along streets."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString

from trygg.geo.errors import ArgumentError
from trygg.geo.route import (
    euclidean,
    nearest_neighbour_tour,
    network_distances,
    network_graph,
    order_stops,
    route_line,
    tour_length,
    two_opt,
    walking_minutes,
)

points = st.lists(st.tuples(st.floats(0, 2000), st.floats(0, 2000)), min_size=1, max_size=14)


@settings(max_examples=150, deadline=None)
@given(points, st.booleans())
def test_the_tour_visits_each_stop_once_and_is_no_longer_than_nearest_neighbour(xy, loop):
    d = euclidean(xy)
    nn = nearest_neighbour_tour(d)
    tour = order_stops(d, loop=loop)
    assert sorted(tour) == list(range(len(xy))) and tour[0] == 0
    assert tour_length(tour, d, loop=loop) <= tour_length(nn, d, loop=loop) + 1e-6


@pytest.mark.parametrize("seed", range(8))
def test_two_opt_is_near_the_brute_force_optimum_on_small_walks(seed):
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 1000, (7, 2))
    d = euclidean(xy)
    best = min(tour_length([0, *p], d) for p in itertools.permutations(range(1, 7)))
    got = tour_length(order_stops(d), d)
    assert got <= best * 1.10  # 2-opt is a local optimum; on 7 points it is rarely off


def test_two_opt_removes_a_crossing():
    # a square walked corner to corner crosses itself; 2-opt walks round it
    xy = [(0, 0), (100, 100), (100, 0), (0, 100)]
    d = euclidean(xy)
    assert tour_length([0, 1, 2, 3], d) > 400
    assert tour_length(two_opt([0, 1, 2, 3], d), d) == pytest.approx(400)


def test_the_network_route_follows_the_streets_around_a_block():
    # an L of streets: from (0,0) to (100,100) one must walk 200 m, not 141 m
    net = network_graph([LineString([(0, 0), (100, 0)]), LineString([(100, 0), (100, 100)])])
    dist, paths = network_distances(net, [(0, 0), (100, 100)])
    assert dist[0, 1] == pytest.approx(200)
    line = route_line([(0, 0), (100, 100)], [0, 1], loop=False, net=net, paths=paths)
    assert line.length == pytest.approx(200)
    assert (100, 0) in list(line.coords)


def test_a_stop_far_from_the_network_is_a_clear_message():
    net = network_graph([LineString([(0, 0), (100, 0)])])
    with pytest.raises(ArgumentError, match="--network"):
        network_distances(net, [(0, 0), (0, 5000)])


def test_unconnected_parts_fall_back_to_a_detour():
    net = network_graph([LineString([(0, 0), (10, 0)]), LineString([(100, 0), (110, 0)])])
    dist, paths = network_distances(net, [(0, 0), (110, 0)])
    assert dist[0, 1] == pytest.approx(165) and (0, 1) not in paths


def test_walking_time():
    assert walking_minutes(3000, 0) == pytest.approx(60)
    assert walking_minutes(1500, 4, speed_kmh=3.0, stop_minutes=10) == pytest.approx(70)

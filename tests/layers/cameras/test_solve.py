"""Weighted maximal coverage: the lazy greedy and the exact integer program agree."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import sparse

from trygg.geo.errors import ArgumentError
from trygg.layers.cameras.solve import compare, exact, greedy, reduce_instance


def brute_force(cover, w, k, backup=0.0, cost=None, penalty=0.0):
    a = cover.toarray()
    best = -1.0
    for r in range(0, k + 1):
        for sites in itertools.combinations(range(a.shape[0]), r):
            c = a[list(sites)].sum(axis=0) if sites else np.zeros(a.shape[1])
            value = w[c >= 1].sum() + backup * w[c >= 2].sum()
            if cost is not None:
                value -= penalty * cost[list(sites)].sum()
            best = max(best, value)
    return best


def matrix(rows):
    return sparse.csr_array(np.array(rows, dtype=np.int8))


def test_two_sites_on_the_same_cluster_only_one_is_chosen():
    # sites 0 and 1 see the same incidents; site 2 sees other ones
    cover = matrix([[1, 1, 1, 0, 0], [1, 1, 1, 0, 0], [0, 0, 0, 1, 1]])
    w = np.array([3.0, 3.0, 3.0, 1.0, 1.0])
    for solve in (greedy, exact):
        sol = solve(cover, w, k=2)
        assert sorted(sol.sites) in ([0, 2], [1, 2])
        assert sol.objective == pytest.approx(11.0)


def test_greedy_is_not_optimal_and_the_exact_solver_says_by_how_much():
    # the classic trap: the big middle set first, then only one side fits
    cover = matrix([[1, 1, 1, 1, 0, 0], [1, 1, 0, 0, 0, 0], [0, 0, 1, 1, 0, 0],
                    [0, 0, 0, 0, 1, 1]])
    cover = matrix([[0, 1, 1, 1, 1, 0], [1, 1, 1, 0, 0, 0], [0, 0, 0, 1, 1, 1]])
    w = np.ones(6)
    g, e = compare(cover, w, k=2)
    assert g.sites[0] == 0 and g.objective == 5
    assert e.optimal and e.objective == 6 and sorted(e.sites) == [1, 2]
    assert g.gap == pytest.approx(1 / 6)


@pytest.mark.parametrize("seed", range(8))
def test_exact_equals_brute_force_and_greedy_is_close(seed):
    rng = np.random.default_rng(seed)
    cover = sparse.csr_array((rng.random((7, 30)) < 0.25).astype(np.int8))
    w = rng.exponential(1.0, 30)
    cost = rng.integers(0, 4, 7).astype(float)
    for k, backup, penalty in ((1, 0, 0), (3, 0, 0), (3, 0.5, 0), (3, 0, 0.4)):
        opts = dict(backup=backup, privacy=cost, privacy_penalty=penalty)
        best = brute_force(cover, w, k, backup, cost, penalty)
        e = exact(cover, w, k=k, **opts)
        g = greedy(cover, w, k=k, **opts)
        assert e.optimal and e.objective == pytest.approx(best)
        assert g.objective <= best + 1e-9
        assert g.objective >= (1 - 1 / np.e) * best - 1e-9


def test_weights_change_the_answer():
    cover = matrix([[1, 1, 0], [0, 0, 1]])
    assert greedy(cover, np.array([1.0, 1.0, 1.5]), k=1).sites == [0]
    assert greedy(cover, np.array([1.0, 1.0, 2.5]), k=1).sites == [1]
    # relevance "none" weighs nothing: a site seeing only such incidents is never chosen
    sol = greedy(cover, np.array([1.0, 1.0, 0.0]), k=2)
    assert sol.sites == [0] and sol.share == 1.0


def test_existing_cameras_count_as_covered():
    cover = matrix([[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 0]])
    w = np.array([5.0, 5.0, 1.0, 1.0])
    g = greedy(cover, w, k=1, existing=np.array([0]))
    e = exact(cover, w, k=1, existing=np.array([0]))
    assert g.sites == e.sites == [2]
    assert g.covered == e.covered == 11.0


def test_fewest_cameras_for_a_target_share():
    cover = matrix([[1, 1, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 1, 0], [0, 0, 0, 0, 1],
                    [0, 0, 1, 1, 1]])
    w = np.array([2.0, 2.0, 2.0, 2.0, 2.0])
    g, e = compare(cover, w, target=0.6)
    assert len(g.sites) == len(e.sites) == 1 and g.share >= 0.6
    g, e = compare(cover, w, target=1.0)
    assert len(e.sites) == 2 and g.share == 1.0
    with pytest.raises(ArgumentError, match="går inte att nå"):
        exact(matrix([[1, 0]]), np.array([1.0, 1.0]), target=0.9)
    assert "target_not_reached" in greedy(matrix([[1, 0]]), np.array([1.0, 1.0]),
                                          target=0.9).notes


def test_merging_identical_incidents_keeps_every_objective():
    rng = np.random.default_rng(4)
    cover = sparse.csr_array((rng.random((6, 200)) < 0.2).astype(np.int8))
    w = rng.random(200)
    reduced, rw = reduce_instance(cover, w)
    assert reduced.shape[1] < 200
    for sites in itertools.combinations(range(6), 3):
        full = w[cover.toarray()[list(sites)].sum(axis=0) > 0].sum()
        small = rw[reduced.toarray()[list(sites)].sum(axis=0) > 0].sum()
        assert small == pytest.approx(full)


def test_bad_arguments():
    cover = matrix([[1, 0], [0, 1]])
    with pytest.raises(ArgumentError, match="--k 3"):
        greedy(cover, np.ones(2), k=3)
    with pytest.raises(ArgumentError, match="inte båda"):
        greedy(cover, np.ones(2), k=1, target=0.5)
    with pytest.raises(ArgumentError, match="andel"):
        greedy(cover, np.ones(2), target=1.5)
    with pytest.raises(ArgumentError, match="vikt"):
        greedy(cover, -np.ones(2), k=1)

"""Which sites to choose: weighted maximal coverage, greedy and exact.

The instance is a sparse 0/1 matrix ``cover`` (sites × incidents: site j sees
incident i), the incidents' weights and optionally each site's privacy cost.
:func:`greedy` picks sites one at a time by their marginal weighted coverage,
re-evaluating lazily (a site's gain can only fall as others are chosen, so the
best stale gain that is still the best after re-evaluation is the true best: the
"lazy greedy" of Minoux, 1978); it is within 1 − 1/e of the optimum in theory and
far closer in practice. :func:`exact` solves the same problem as an integer
program with HiGHS (through :func:`scipy.optimize.milp`) and reports its proven
gap; :func:`compare` runs both and reports how far the greedy answer is from the
optimum.

Backup coverage (``backup > 0``): an incident seen by a second chosen camera
adds ``backup`` times its weight once more. Privacy (``privacy_penalty > 0``): a
site's gain is reduced by penalty × its privacy cost. Existing cameras count as
chosen from the start and are not part of ``k``.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from trygg.geo.errors import ArgumentError

__all__ = ["Solution", "compare", "exact", "greedy", "reduce_instance"]

#: Largest instance (sites × distinct incident groups) :func:`compare` gives the exact
#: solver by default.
EXACT_MAX_NONZEROS = 2_000_000


@dataclass
class Solution:
    """Chosen sites and what they cover.

    Attributes
    ----------
    sites
        Indices of the chosen sites, in the order chosen (greedy) or by gain (exact).
    marginal
        Weighted coverage each site added when it was chosen (greedy order).
    objective
        Weighted coverage (with backup and minus privacy penalty) of the whole set.
    covered
        Weighted coverage of the chosen set, incidents counted once.
    total
        Total weight of all incidents.
    method
        ``"greedy"`` or ``"exact"``.
    optimal
        The exact solver proved optimality (``None`` for greedy).
    bound
        The best upper bound on the objective (exact: HiGHS's dual bound).
    gap
        Relative gap to the optimum or to the proven bound (``(bound − objective) /
        bound``), or ``None`` when not known.
    """

    sites: list[int]
    marginal: list[float]
    objective: float
    covered: float
    total: float
    method: str
    optimal: bool | None = None
    bound: float | None = None
    gap: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        """Share of the total incident weight the chosen sites cover (0–1)."""
        return self.covered / self.total if self.total > 0 else 0.0


def _check(cover: sparse.csr_array, weights: NDArray[np.float64], k: int | None,
           target: float | None, privacy: NDArray[np.float64] | None,
           existing: NDArray[np.intp] | None) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    n_sites = cover.shape[0]
    if weights.shape != (cover.shape[1],) or (weights < 0).any() or \
            not np.isfinite(weights).all():
        raise ArgumentError("Vikterna måste vara en icke-negativ vikt per händelse.",
                            "The weights must be one non-negative weight per incident.")
    if (k is None) == (target is None):
        raise ArgumentError("Ange antingen antalet kameror (--k) eller en täckningsgrad "
                            "(--target-coverage), inte båda.",
                            "Give either the number of cameras (--k) or a coverage share "
                            "(--target-coverage), not both.")
    ex = np.unique(np.asarray(existing if existing is not None else [], dtype=np.intp))
    free = n_sites - len(ex)
    if k is not None and not 1 <= k <= free:
        raise ArgumentError(
            f"--k {k} går inte: det finns {free} möjliga kameraplatser. Välj ett tal från 1 "
            f"till {free}, eller ge fler platser med --candidates.",
            f"--k {k} is not possible: there are {free} candidate sites. Choose a number "
            f"from 1 to {free}, or give more sites with --candidates.")
    if target is not None and not 0 < target <= 1:
        raise ArgumentError(f"--target-coverage ska vara en andel mellan 0 och 1, inte {target}.",
                            f"--target-coverage must be a share between 0 and 1, not {target}.")
    cost = np.zeros(n_sites) if privacy is None else np.asarray(privacy, dtype=float)
    if cost.shape != (n_sites,) or (cost < 0).any():
        raise ArgumentError("Integritetskostnaden måste vara ett icke-negativt tal per plats.",
                            "The privacy cost must be one non-negative number per site.")
    return cost, ex


def reduce_instance(cover: sparse.csr_array, weights: NDArray[np.float64]
                    ) -> tuple[sparse.csr_array, NDArray[np.float64]]:
    """The same instance with incidents that the same sites see merged into one
    (their weights summed) and incidents no site sees dropped.

    The objective of every set of sites is unchanged; the exact solver gets far
    fewer variables (incidents at one address are seen by the same cameras).
    """
    csc = sparse.csc_array(cover)
    csc.sort_indices()
    groups: dict[bytes, int] = {}
    group_of = np.full(csc.shape[1], -1, dtype=np.intp)
    ptr, idx = csc.indptr, csc.indices
    for i in range(csc.shape[1]):
        lo, hi = ptr[i], ptr[i + 1]
        if lo == hi or weights[i] == 0:
            continue
        key = idx[lo:hi].tobytes()
        group_of[i] = groups.setdefault(key, len(groups))
    keep = group_of >= 0
    w = np.bincount(group_of[keep], weights=weights[keep], minlength=len(groups))
    rows, cols = [], []
    for key, g in groups.items():
        members = np.frombuffer(key, dtype=idx.dtype)
        rows.append(members)
        cols.append(np.full(len(members), g))
    if not rows:
        return sparse.csr_array((cover.shape[0], 0)), np.zeros(0)
    r, c = np.concatenate(rows), np.concatenate(cols)
    reduced = sparse.csr_array((np.ones(len(r), dtype=np.int8), (r, c)),
                               shape=(cover.shape[0], len(groups)))
    return reduced, w


def greedy(cover: sparse.csr_array, weights: NDArray[np.float64], *, k: int | None = None,
           target: float | None = None, backup: float = 0.0,
           privacy: NDArray[np.float64] | None = None, privacy_penalty: float = 0.0,
           existing: NDArray[np.intp] | None = None) -> Solution:
    """Lazy greedy: ``k`` sites (or the fewest reaching ``target`` of the total weight).

    Parameters
    ----------
    cover
        ``(sites, incidents)`` sparse 0/1 matrix: which site sees which incident.
    weights
        Weight of each incident (relevance × recency × night factor).
    k
        Number of new cameras; or ``target``: the share (0–1) of the total weight to
        cover with as few new cameras as possible.
    backup
        Extra weight (0–1) for an incident seen by a second camera (default 0: none).
    privacy, privacy_penalty
        Per-site privacy cost and how much weight one unit of it costs (default 0).
    existing
        Indices of sites that already have a camera: counted as chosen, not in ``k``.

    Returns
    -------
    Solution
        ``method="greedy"``; a site with no positive net gain is never chosen, so fewer
        than ``k`` sites come back when nothing more can be gained.
    """
    cover = sparse.csr_array(cover)
    weights = np.asarray(weights, dtype=float)
    cost, ex = _check(cover, weights, k, target, privacy, existing)
    total = float(weights.sum())
    count = np.zeros(cover.shape[1], dtype=np.int32)
    ptr, idx = cover.indptr, cover.indices
    for j in ex:
        count[idx[ptr[j]:ptr[j + 1]]] += 1

    def gain(j: int) -> float:
        c = count[idx[ptr[j]:ptr[j + 1]]]
        w = weights[idx[ptr[j]:ptr[j + 1]]]
        return float(w[c == 0].sum() + backup * w[c == 1].sum()
                     - privacy_penalty * cost[j])

    chosen, marginal = [], []
    taken = np.zeros(cover.shape[0], dtype=bool)
    taken[ex] = True
    heap = [(-gain(j), j) for j in range(cover.shape[0]) if not taken[j]]
    heapq.heapify(heap)
    goal = None if target is None else target * total
    covered = float(weights[count > 0].sum())
    while heap:
        if k is not None and len(chosen) >= k:
            break
        if goal is not None and covered >= goal * (1 - 1e-12):
            break
        neg, j = heapq.heappop(heap)
        g = gain(j)
        if heap and g < -heap[0][0] - 1e-12 * max(total, 1.0):
            heapq.heappush(heap, (-g, j))  # stale: re-queue with its true gain
            continue
        if g <= 0:
            break
        chosen.append(j)
        marginal.append(g)
        taken[j] = True
        seen = idx[ptr[j]:ptr[j + 1]]
        covered += float(weights[seen[count[seen] == 0]].sum())
        count[seen] += 1
    notes = []
    if goal is not None and covered < goal * (1 - 1e-12):
        notes.append("target_not_reached")
    objective = _objective(cover, weights, np.r_[ex, chosen].astype(np.intp), backup,
                           cost, privacy_penalty)
    return Solution(sites=chosen, marginal=marginal, objective=objective, covered=covered,
                    total=total, method="greedy", notes=notes)


def _objective(cover: sparse.csr_array, weights: NDArray[np.float64],
               sites: NDArray[np.intp], backup: float, cost: NDArray[np.float64],
               penalty: float) -> float:
    count = np.asarray(cover[sites].sum(axis=0)).ravel() if len(sites) else \
        np.zeros(cover.shape[1])
    return float(weights[count >= 1].sum() + backup * weights[count >= 2].sum()
                 - penalty * cost[sites].sum())


def exact(cover: sparse.csr_array, weights: NDArray[np.float64], *, k: int | None = None,
          target: float | None = None, backup: float = 0.0,
          privacy: NDArray[np.float64] | None = None, privacy_penalty: float = 0.0,
          existing: NDArray[np.intp] | None = None, time_limit_s: float = 60.0,
          mip_rel_gap: float = 1e-6) -> Solution:
    """The same problem as :func:`greedy`, solved as an integer program (HiGHS).

    Maximal coverage: maximise Σ wᵢ·yᵢ (+ backup · Σ wᵢ·zᵢ) − penalty · Σ costⱼ·xⱼ with
    yᵢ + zᵢ ≤ Σⱼ aⱼᵢ·xⱼ, Σ xⱼ ≤ k (a site that adds nothing is left out, as in
    :func:`greedy`), xⱼ ∈ {0, 1}, yᵢ, zᵢ ∈
    [0, 1]. Set covering (``target``): minimise Σ xⱼ with Σ wᵢ·yᵢ ≥ target · Σ wᵢ.
    Incidents seen by the same sites are merged first (:func:`reduce_instance`).

    Returns
    -------
    Solution
        ``method="exact"``, ``optimal`` when HiGHS proved it within ``time_limit_s``
        seconds, ``bound`` and ``gap`` (the proven relative gap) otherwise too.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    cover = sparse.csr_array(cover)
    weights = np.asarray(weights, dtype=float)
    cost, ex = _check(cover, weights, k, target, privacy, existing)
    total = float(weights.sum())
    a, w = reduce_instance(cover, weights)
    n, m = a.shape
    use_z = backup > 0 and target is None
    nz = m if use_z else 0
    # variables: x (n sites), y (m groups), z (nz groups)
    lower = np.zeros(n + m + nz)
    upper = np.ones(n + m + nz)
    lower[ex] = 1.0
    integrality = np.r_[np.ones(n), np.zeros(m + nz)]
    at = sparse.csr_array(a.T, dtype=float)
    ident = sparse.eye_array(m, format="csr")
    blocks = [-at, ident] + ([ident] if use_z else [])
    cover_rows = sparse.hstack(blocks, format="csr")  # y + z − Aᵀx ≤ 0
    constraints = [LinearConstraint(cover_rows, -np.inf, 0.0)]
    free = np.ones(n)
    free[ex] = 0.0
    if target is None:
        count_row = sparse.csr_array(np.r_[free, np.zeros(m + nz)][None, :])
        constraints.append(LinearConstraint(count_row, 0.0, float(k)))
        c = -np.r_[-privacy_penalty * cost, w, backup * w if use_z else []]
    else:
        goal_row = sparse.csr_array(np.r_[np.zeros(n), w][None, :])
        constraints.append(LinearConstraint(goal_row, target * total * (1 - 1e-9), np.inf))
        c = np.r_[free, np.zeros(m)]
    res = milp(c, integrality=integrality, bounds=Bounds(lower, upper),
               constraints=constraints,
               options={"time_limit": time_limit_s, "mip_rel_gap": mip_rel_gap,
                        "presolve": True})
    if res.x is None:
        if target is not None:
            reach = _objective(cover, weights, np.arange(n, dtype=np.intp), 0.0, cost, 0.0)
            share = reach / total if total else 0.0
            raise ArgumentError(
                f"Täckningsgraden {target:.0%} går inte att nå: alla platser tillsammans "
                f"täcker {share:.0%}. Välj en lägre --target-coverage.".replace(".", ","),
                f"The coverage share {target:.0%} cannot be reached: all sites together "
                f"cover {share:.0%}. Choose a lower --target-coverage.")
        raise ArgumentError(f"Heltalsprogrammet löstes inte: {res.message}",
                            f"The integer program was not solved: {res.message}")
    x = res.x[:n] > 0.5
    chosen = [int(j) for j in np.flatnonzero(x) if j not in set(ex.tolist())]
    sites = np.r_[ex, chosen].astype(np.intp)
    objective = _objective(cover, weights, sites, backup if use_z else 0.0, cost,
                           privacy_penalty if target is None else 0.0)
    count = np.asarray(cover[sites].sum(axis=0)).ravel() if len(sites) else \
        np.zeros(cover.shape[1])
    covered = float(weights[count >= 1].sum())
    # marginal gains in the order of decreasing gain, as a report reads them
    order, marginal = _order_by_gain(cover, weights, ex, chosen)
    optimal = res.status == 0
    bound = None
    if target is None and res.get("mip_dual_bound") is not None:
        bound = float(-res.mip_dual_bound)
    gap = float(res.mip_gap) if res.get("mip_gap") is not None else None
    return Solution(sites=order, marginal=marginal, objective=objective, covered=covered,
                    total=total, method="exact", optimal=optimal, bound=bound, gap=gap)


def _order_by_gain(cover: sparse.csr_array, weights: NDArray[np.float64],
                   existing: NDArray[np.intp], chosen: list[int]
                   ) -> tuple[list[int], list[float]]:
    """The chosen sites in greedy order among themselves (the largest new coverage
    first, after the existing cameras), with the weight each adds."""
    seen = np.zeros(cover.shape[1], dtype=bool)
    for j in existing:
        seen[cover.indices[cover.indptr[j]:cover.indptr[j + 1]]] = True
    left, order, marginal = list(chosen), [], []
    while left:
        gains = [float(weights[cols][~seen[cols]].sum()) for cols in
                 (cover.indices[cover.indptr[j]:cover.indptr[j + 1]] for j in left)]
        best = int(np.argmax(gains))
        j = left.pop(best)
        order.append(j)
        marginal.append(gains[best])
        seen[cover.indices[cover.indptr[j]:cover.indptr[j + 1]]] = True
    return order, marginal


def compare(cover: sparse.csr_array, weights: NDArray[np.float64], *, k: int | None = None,
            target: float | None = None, exact_max_nonzeros: int = EXACT_MAX_NONZEROS,
            time_limit_s: float = 60.0, **options: object) -> tuple[Solution, Solution | None]:
    """Greedy, and the exact solver when the merged instance has at most
    ``exact_max_nonzeros`` site–incident pairs; the greedy solution's ``gap`` is then
    set to its distance from the exact optimum (or the proven bound).

    Returns
    -------
    (Solution, Solution or None)
        The greedy and the exact solution (``None`` when the instance is too large).
    """
    g = greedy(cover, weights, k=k, target=target, **options)  # type: ignore[arg-type]
    reduced, _ = reduce_instance(sparse.csr_array(cover), np.asarray(weights, dtype=float))
    if reduced.nnz > exact_max_nonzeros:
        g.notes.append("exact_skipped_too_large")
        return g, None
    e = exact(cover, weights, k=k, target=target, time_limit_s=time_limit_s,
              **options)  # type: ignore[arg-type]
    if target is None:
        best = max(e.objective, g.objective)
        ref = e.bound if (e.bound is not None and not e.optimal) else best
        g.bound = ref
        g.gap = (ref - g.objective) / ref if ref and ref > 0 else 0.0
    else:
        g.bound = float(len(e.sites))
        g.gap = (len(g.sites) - len(e.sites)) / len(e.sites) if e.sites else 0.0
    return g, e

"""What each candidate camera would see: weights, the coverage matrix, directions, hours.

An incident's weight says how much a camera watching it would be worth:
its category's camera relevance (BRÅ 2018, :data:`RELEVANCE`), halved every
``half_life_days`` of age, times ``night_factor`` when it happened at night.
:func:`coverage` intersects the view polygons with the incidents (a sparse
sites × incidents matrix); for cameras with a field of view below 360° it first
picks each site's best direction among the allowed ones.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray
from scipy import sparse

from trygg.geo.errors import ArgumentError
from trygg.geo.sight import bearings
from trygg.layers.schema import CATEGORIES, TIMEZONE

__all__ = ["NIGHT", "RELEVANCE", "best_directions", "coverage", "hour_ranges", "hour_window",
           "hours_profile", "incident_weights", "proposed_hours"]

#: Weight of each camera relevance (DESIGN.md §4): cameras do nothing for a broken lamp.
RELEVANCE = {"none": 0.0, "low": 0.25, "medium": 0.5, "high": 1.0}
#: Night is from 22:00 to 06:00 local time (as for hotspots).
NIGHT = (22, 6)


def incident_weights(points: pd.DataFrame, *, half_life_days: float | None = 365.0,
                     night_factor: float = 1.0, until: pd.Timestamp | None = None,
                     relevance: dict[str, float] | None = None) -> NDArray[np.float64]:
    """Weight of each incident for camera siting.

    Parameters
    ----------
    points
        Reports with ``category`` and ``reported_at`` (time zone aware).
    half_life_days
        Age in days at which an incident counts half (default 365); ``None``: age does
        not matter.
    night_factor
        Multiplies the weight of incidents between 22:00 and 06:00 local time (default 1).
    until
        The date ages are counted from (default: the latest report).
    relevance
        Weight per camera relevance (default :data:`RELEVANCE`).

    Returns
    -------
    numpy.ndarray
        One non-negative weight per row of ``points``.
    """
    if half_life_days is not None and not half_life_days > 0:
        raise ArgumentError(f"Halveringstiden måste vara fler än 0 dagar, inte {half_life_days}.",
                            f"The half-life must be more than 0 days, not {half_life_days}.")
    if not night_factor >= 0:
        raise ArgumentError(f"Nattfaktorn måste vara 0 eller mer, inte {night_factor}.",
                            f"The night factor must be 0 or more, not {night_factor}.")
    rel = RELEVANCE if relevance is None else relevance
    by_code = {c: rel[cat.camera] for c, cat in CATEGORIES.items()}
    w = points["category"].map(by_code).fillna(0.0).to_numpy(dtype=float)
    when = pd.to_datetime(points["reported_at"])
    if half_life_days is not None and len(points):
        end = when.max() if until is None else pd.Timestamp(until)
        age = ((end - when).dt.total_seconds() / 86_400).clip(lower=0).to_numpy(dtype=float)
        w = w * np.power(0.5, np.nan_to_num(age, nan=0.0) / half_life_days)
    if night_factor != 1.0 and len(points):
        hour = _local_hours(when)
        night = (hour >= NIGHT[0]) | (hour < NIGHT[1])
        w = np.where(night, w * night_factor, w)
    return w


def _local_hours(when: pd.Series) -> NDArray[np.int64]:
    local = when.dt.tz_convert(TIMEZONE) if when.dt.tz is not None else when
    return local.dt.hour.fillna(-1).to_numpy(dtype=np.int64)


def coverage(views: NDArray[np.object_], points_xy: NDArray[np.float64]) -> sparse.csr_array:
    """Which view polygon holds which incident: a ``(sites, incidents)`` 0/1 matrix
    (an incident on the edge of a view counts as seen)."""
    pts = shapely.points(np.asarray(points_xy, dtype=float).reshape(-1, 2))
    n, m = len(views), len(pts)
    if n == 0 or m == 0:
        return sparse.csr_array((n, m), dtype=np.int8)
    tree = shapely.STRtree(pts)
    site, incident = tree.query(np.asarray(views, dtype=object), predicate="intersects")
    return sparse.csr_array((np.ones(len(site), dtype=np.int8), (site, incident)), shape=(n, m))


def best_directions(sites_xy: NDArray[np.float64], cover360: sparse.csr_array,
                    points_xy: NDArray[np.float64], weights: NDArray[np.float64],
                    fov_deg: float, *, allowed: list[list[float]] | None = None,
                    step_deg: float = 5.0) -> tuple[NDArray[np.float64], sparse.csr_array]:
    """The bearing each directional camera should face, and what it then sees.

    For each site the direction (among ``allowed[site]``, or every ``step_deg``
    degrees when that is empty or ``None``) whose ``fov_deg`` sector holds the most
    weight of what the 360° view (``cover360``) sees; of equal ones, the one with
    that weight nearest the middle of its view.

    Returns
    -------
    (numpy.ndarray, scipy.sparse.csr_array)
        Bearings in degrees (0 = north, clockwise) and the coverage matrix of the
        sectors.
    """
    cover360 = sparse.csr_array(cover360)
    xy, pts = np.asarray(sites_xy, float), np.asarray(points_xy, float)
    half = fov_deg / 2.0
    out = np.zeros(len(xy))
    rows, cols = [], []
    ptr, idx = cover360.indptr, cover360.indices
    for j in range(len(xy)):
        seen = idx[ptr[j]:ptr[j + 1]]
        choices = np.asarray(allowed[j] if allowed and allowed[j] else
                             np.arange(0.0, 360.0, step_deg), dtype=float) % 360.0
        if len(seen) == 0:
            out[j] = choices[0]
            continue
        ang = bearings(xy[j][None, :], pts[seen])
        off = np.abs((ang[None, :] - choices[:, None] + 180.0) % 360.0 - 180.0)
        inside = off <= half + 1e-9
        score = inside @ weights[seen]
        # of the directions that see the most, the one with the weight nearest its centre
        spread = (inside * off) @ weights[seen]
        top = np.flatnonzero(score >= score.max() * (1 - 1e-9))
        best = int(top[np.argmin(spread[top])])
        out[j] = choices[best]
        keep = seen[inside[best]]
        rows.append(np.full(len(keep), j))
        cols.append(keep)
    r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.intp)
    c = np.concatenate(cols) if cols else np.zeros(0, dtype=np.intp)
    return out, sparse.csr_array((np.ones(len(r), dtype=np.int8), (r, c)),
                                 shape=cover360.shape)


def hours_profile(when: pd.Series, weights: NDArray[np.float64] | None = None
                  ) -> NDArray[np.float64]:
    """Weighted weekday × hour counts (7 × 24: Monday first, local time)."""
    times = pd.to_datetime(when)
    local = times.dt.tz_convert(TIMEZONE) if times.dt.tz is not None else times
    ok = local.notna().to_numpy()
    w = np.ones(len(times)) if weights is None else np.asarray(weights, dtype=float)
    day = local.dt.day_of_week.to_numpy()[ok].astype(int)
    hour = local.dt.hour.to_numpy()[ok].astype(int)
    grid = np.zeros((7, 24))
    np.add.at(grid, (day, hour), w[ok])
    return grid


def proposed_hours(profile: NDArray[np.float64], share: float = 0.8) -> list[int]:
    """The fewest hours of the day (0–23) that hold at least ``share`` of the weight.

    ``profile`` is a 24-vector or a 7 × 24 weekday × hour grid (summed over days).
    Taking the hours by falling weight gives the fewest (ties: the earlier hour);
    the result is sorted. Empty when there is no weight.
    """
    if not 0 < share <= 1:
        raise ArgumentError(f"Andelen timmar måste ligga mellan 0 och 1, inte {share}.",
                            f"The share of hours must lie between 0 and 1, not {share}.")
    by_hour = np.asarray(profile, dtype=float).reshape(-1, 24).sum(axis=0)
    total = by_hour.sum()
    if total <= 0:
        return []
    order = np.argsort(-by_hour, kind="stable")
    cum = np.cumsum(by_hour[order])
    n = int(np.searchsorted(cum, share * total * (1 - 1e-12))) + 1
    return sorted(int(h) for h in order[:n])


def hour_window(profile: NDArray[np.float64], share: float = 0.8) -> tuple[int, int] | None:
    """The shortest run of consecutive hours (wrapping past midnight) holding at least
    ``share`` of the weight, as ``(start, end)`` with end exclusive (``(18, 4)`` is
    18:00–04:00); of equally short runs the one holding the most. ``None`` without
    weight. A time limit for surveillance is written this way ("kl. 18–04").
    """
    by_hour = np.asarray(profile, dtype=float).reshape(-1, 24).sum(axis=0)
    total = by_hour.sum()
    if total <= 0:
        return None
    twice = np.r_[by_hour, by_hour]
    sums = np.cumsum(np.r_[0.0, twice])
    for length in range(1, 25):
        held = sums[length:length + 24] - sums[:24]
        best = int(np.argmax(held))
        if held[best] >= share * total * (1 - 1e-12):
            return best, (best + length) % 24 if length < 24 else best
    return 0, 0


def hour_ranges(hours: list[int]) -> list[tuple[int, int]]:
    """Hours as ``(start, end)`` ranges, end exclusive, wrapping past midnight:
    ``[0, 1, 22, 23]`` → ``[(22, 2)]``; all 24 hours → ``[(0, 24)]``."""
    hs = sorted(set(int(h) % 24 for h in hours))
    if not hs:
        return []
    if len(hs) == 24:
        return [(0, 24)]
    runs: list[list[int]] = []
    for h in hs:
        if runs and h == runs[-1][1]:
            runs[-1][1] = h + 1
        else:
            runs.append([h, h + 1])
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][1] == 24:
        runs[0][0] = runs[-1][0]
        runs.pop()
    return [(a, b % 24) for a, b in runs]

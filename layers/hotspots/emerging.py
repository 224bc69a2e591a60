"""Emerging hot spots: how Gi* hot and cold spots change over time
(``trygg hotspots --method emerging``).

As ArcGIS Pro's Emerging Hot Spot Analysis: time is cut into consecutive
periods, Gi* is computed per period on one grid, each period's p-values are
corrected with Benjamini–Hochberg (FDR), and a Mann-Kendall test on each cell's
series of Gi* z-scores says whether the clustering intensifies or diminishes.
The cell's pattern then follows Esri's published definitions ("How Emerging Hot
Spot Analysis works"; hot shown, cold mirrored):

- new: significant hot in the final period and never before;
- consecutive: a single uninterrupted run of at least two significant hot
  periods at the end, never hot before the run, under 90 % of periods hot;
- intensifying / persistent / diminishing: hot in at least 90 % of periods
  including the final one, with a significant upward / no / a significant
  downward trend in Gi*;
- sporadic: hot in the final period, under 90 % of periods hot, never
  significantly cold;
- oscillating: hot in the final period, under 90 % of periods hot, and
  significantly cold in some period;
- historical: not hot in the final period, but hot in at least 90 % of periods.

Where definitions overlap, the first in this list wins, and patterns set by the
final period's state win over ``historical``. Deviations from ArcGIS: Gi* uses
spatial neighbours only (ArcGIS adds neighbouring time steps), and the trend
counts as significant at p < 0.05.
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd

from trygg.geo import text
from trygg.geo.errors import ArgumentError
from trygg.geo.grid import KINDS, auto_cell_size, check_grid_size
from trygg.layers.hotspots._validate import check_cell, point_xy
from trygg.layers.hotspots.change import data_span, point_times
from trygg.layers.hotspots.count import grid_for
from trygg.layers.hotspots.gistar import (
    NOT_TESTED,
    adjust_pvalues,
    check_nb_dist,
    gistar_cell,
    gistar_on,
    tested_cells,
    two_sided_p,
)

#: A period's Gi* is significant when its FDR-adjusted p-value is below this (90 %).
ALPHA_BIN = 0.10
#: A Mann-Kendall trend is significant below this p-value.
ALPHA_TREND = 0.05
MIN_PERIODS = 10
MAX_PERIODS = 500
_UNITS = {"D": ("days", 1), "W": ("weeks", 1), "M": ("months", 1), "Q": ("months", 3),
          "Y": ("years", 1)}
#: The period units as words, (one, many): Swedish and English.
_UNIT_SV = {"D": ("dag", "dagar"), "W": ("vecka", "veckor"), "M": ("månad", "månader"),
            "Q": ("kvartal", "kvartal"), "Y": ("år", "år")}
_UNIT_EN = {"D": ("day", "days"), "W": ("week", "weeks"), "M": ("month", "months"),
            "Q": ("quarter", "quarters"), "Y": ("year", "years")}


def hotspot_emerging(points: gpd.GeoDataFrame, *, time_column: str = "reported_at",
                     period: str = "3M", cell: float | None = None,
                     grid: str | gpd.GeoDataFrame = "square", nb_dist: float | None = None,
                     weights: str | np.ndarray | None = None,
                     quiet: bool = False) -> gpd.GeoDataFrame:
    """Classify each cell's hot/cold spot history into ArcGIS's emerging patterns.

    Parameters
    ----------
    points
        Points in a projected CRS (metres) with a time column.
    time_column
        Column of timestamps (datetimes or ISO text); aware times are read as
        Swedish local time.
    period
        Length of each time step: a number and a unit, ``D`` (days), ``W``
        (weeks), ``M`` (months), ``Q`` (quarters) or ``Y`` (years), e.g.
        ``"3M"``. The last period ends where the latest report's day, week,
        month, quarter or year ends; periods run back from there until the
        first report is covered. At least 10 periods are needed.
    cell, grid, nb_dist, weights
        As for :func:`layers.hotspots.gistar.hotspot_gistar`; one grid, built
        over all points, serves every period.
    quiet
        Leave out the notes about chosen defaults.

    Returns
    -------
    GeoDataFrame
        The grid with ``cell_id``, ``n`` (weighted count over all periods),
        ``trend_z`` and ``trend_p`` (Mann-Kendall on the cell's Gi* z-scores),
        ``n_periods_hot``, ``n_periods_cold`` (significant at 90 % after FDR),
        ``final_z`` (Gi* z of the final period) and ``pattern`` (e.g.
        ``intensifying_hot``, ``new_cold`` or ``no_pattern``; ``not_tested``, with
        no z or trend, for cells not wholly inside the points' convex hull, as
        in :func:`layers.hotspots.gistar.hotspot_gistar`). ``attrs`` holds
        ``params`` (with the periods) and ``notes``.
    """
    check_cell(cell)
    check_nb_dist(nb_dist, cell)
    count, unit = parse_period(period)
    x, y, w = point_xy(points, weights=weights)
    t, warnings = point_times(points, time_column)
    edges = period_edges(t, count, unit)
    n_periods = len(edges) - 1
    first, last = data_span(t)
    if n_periods < MIN_PERIODS:
        hint = _shorter_period(t)
        raise ArgumentError(
            f"Perioden {period} ger bara {n_periods} tidssteg mellan {first:%Y-%m-%d} och "
            f"{last:%Y-%m-%d}; trendtestet kräver minst {MIN_PERIODS}. Använd en kortare "
            f"period (--period), t.ex. {hint}.",
            f"The period {period} gives only {n_periods} time steps between {first:%Y-%m-%d} "
            f"and {last:%Y-%m-%d}; the trend test needs at least {MIN_PERIODS}. Use a shorter "
            f"--period, e.g. {hint}.")
    if n_periods > MAX_PERIODS:
        raise ArgumentError(
            f"Perioden {period} ger {n_periods} tidssteg, fler än {MAX_PERIODS}. Använd en "
            "längre period (--period).",
            f"The period {period} gives {n_periods} time steps, more than {MAX_PERIODS}. Use a "
            "longer --period.")
    timed = ~np.isnat(t)
    step = np.searchsorted(edges.to_numpy(), t[timed], side="right") - 1
    cell, cell_notes = gistar_cell(cell, grid, x[timed], y[timed], nb_dist=nb_dist,
                                   crs=points.crs, reports=timed.sum() / n_periods,
                                   per=" per period", refuse=False)
    if isinstance(grid, str) and grid in KINDS and timed.any():
        xt, yt = x[timed], y[timed]
        check_grid_size((xt.min(), yt.min(), xt.max(), yt.max()),
                        cell if cell is not None else auto_cell_size(xt, yt), grid,
                        periods=n_periods)
    cells, index, params, notes = grid_for(points, x[timed], y[timed], cell=cell, grid=grid)
    notes = [*cell_notes, *notes]
    inside = index >= 0
    size = len(cells)
    counts = np.bincount(index[inside] * n_periods + step[inside], weights=w[timed][inside],
                         minlength=size * n_periods).reshape(size, n_periods)
    tested, edge_note = tested_cells(cells, params, x[timed], y[timed])
    z, nb_note = gistar_on(cells, params, counts, tested, nb_dist)
    padj = np.column_stack([adjust_pvalues(two_sided_p(z[:, k]), "fdr")
                            for k in range(n_periods)])
    sig = padj < ALPHA_BIN
    hot, cold = sig & (z > 0), sig & (z < 0)
    trend_z, trend_p = np.full(size, np.nan), np.full(size, np.nan)
    if tested.any():
        _, _, tz, tp = mann_kendall(z[tested])
        trend_z[tested], trend_p[tested] = tz, tp
    out = cells.copy()
    out["n"] = counts.sum(axis=1)
    out["trend_z"] = trend_z
    out["trend_p"] = trend_p
    out["n_periods_hot"] = hot.sum(axis=1)
    out["n_periods_cold"] = cold.sum(axis=1)
    out["final_z"] = z[:, -1]
    pattern = classify_patterns(hot, cold, trend_z, trend_p)
    pattern[~tested] = NOT_TESTED
    out["pattern"] = pattern
    periods = [[a.isoformat(), b.isoformat()] for a, b in zip(edges[:-1], edges[1:],
                                                              strict=True)]
    out.attrs["params"] = {**params, "time_column": time_column, "period": period,
                           "n_periods": n_periods, "periods": periods, "nb_dist": nb_dist,
                           "alpha_bin": ALPHA_BIN, "alpha_trend": ALPHA_TREND}
    steps_sv = f"{text.count(n_periods, 'tidssteg', 'tidssteg')} om " + text.count(
        count, *_UNIT_SV[unit])
    steps_en = f"{text.count(n_periods, 'time step', 'time steps', lang='en')} of " + text.count(
        count, *_UNIT_EN[unit], lang="en")
    notes = [*notes, nb_note, *([edge_note] if edge_note else []), (
        f"{steps_sv}, från {edges[0]:%Y-%m-%d} till "
        f"{edges[-1]:%Y-%m-%d} (slutdagen ej inräknad).",
        f"{steps_en}, from {edges[0]:%Y-%m-%d} to "
        f"{edges[-1]:%Y-%m-%d} (end day excluded)."), (
        "Gi* per tidssteg är signifikant på 90 %-nivån efter FDR-justering; trenden "
        "(Mann-Kendall) på 95 %-nivån.",
        "Gi* per time step is significant at the 90 % level after FDR adjustment; the trend "
        "(Mann-Kendall) at the 95 % level.")]
    if edges[0] < first.normalize():
        warnings.append((
            f"Första tidssteget börjar {edges[0]:%Y-%m-%d}, före den första rapporten "
            f"({first:%Y-%m-%d}).",
            f"The first time step starts {edges[0]:%Y-%m-%d}, before the first report "
            f"({first:%Y-%m-%d})."))
    out.attrs["notes"] = warnings if quiet else [*notes, *warnings]
    return out


# -- Mann-Kendall -----------------------------------------------------------------------------
def mann_kendall(series: np.ndarray, *, continuity: bool = True
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Mann-Kendall trend test for many series at once.

    Parameters
    ----------
    series
        Shape ``(m, t)``: one series per row, in time order (a 1-D array is one
        series).
    continuity
        Apply the continuity correction (``S ∓ 1``) to the z-score.

    Returns
    -------
    (s, var, z, p)
        The statistic ``S = Σ_{i<j} sign(x_j − x_i)``, its variance under no
        trend with the tie correction
        ``(t(t−1)(2t+5) − Σ_g g(g−1)(2g+5)) / 18`` over groups of ``g`` tied
        values, the z-score and its two-sided normal p-value (z = 0, p = 1 when
        the variance is 0).
    """
    x = np.atleast_2d(np.asarray(series, dtype=float))
    t = x.shape[1]
    s = np.zeros(x.shape[0])
    ties = np.zeros(x.shape[0])
    for i in range(t):
        s += np.sign(x[:, i + 1:] - x[:, i:i + 1]).sum(axis=1)
        same = (x == x[:, i:i + 1]).sum(axis=1)  # size of the tie group holding x_i
        ties += (same - 1) * (2 * same + 5)
    var = (t * (t - 1) * (2 * t + 5) - ties) / 18.0
    num = s - np.sign(s) if continuity else s
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(var > 0, num / np.sqrt(np.where(var > 0, var, 1.0)), 0.0)
    p = two_sided_p(z)
    if np.ndim(series) == 1:
        return s[0], var[0], z[0], p[0]
    return s, var, z, p


# -- patterns ---------------------------------------------------------------------------------
def classify_patterns(hot: np.ndarray, cold: np.ndarray, trend_z: np.ndarray,
                      trend_p: np.ndarray) -> np.ndarray:
    """ArcGIS's emerging hot/cold spot pattern of each cell.

    ``hot``/``cold`` are ``(cells, periods)`` booleans of significant Gi* per
    period, in time order; ``trend_z``/``trend_p`` the Mann-Kendall result on
    the cell's Gi* z-scores. See the module docstring for the definitions.
    """
    t = hot.shape[1]
    up = (trend_p < ALPHA_TREND) & (trend_z > 0)
    down = (trend_p < ALPHA_TREND) & (trend_z < 0)
    conditions, names = [], []
    for side, flags, other, stronger, weaker in (("hot", hot, cold, up, down),
                                                 ("cold", cold, hot, down, up)):
        n = flags.sum(axis=1)
        final = flags[:, -1]
        run = np.cumprod(flags[:, ::-1], axis=1).sum(axis=1)  # trailing run length
        most = n * 10 >= 9 * t  # at least 90 % of the periods
        never_other = other.sum(axis=1) == 0
        conditions += [final & (n == 1),
                       final & (run >= 2) & (n == run) & ~most,
                       final & most & stronger,
                       final & most & ~stronger & ~weaker,
                       final & most & weaker,
                       final & ~most & never_other,
                       final & ~most & ~never_other]
        names += [f"{p}_{side}" for p in ("new", "consecutive", "intensifying", "persistent",
                                          "diminishing", "sporadic", "oscillating")]
    for side, flags in (("hot", hot), ("cold", cold)):
        conditions.append(~flags[:, -1] & (flags.sum(axis=1) * 10 >= 9 * t))
        names.append(f"historical_{side}")
    return np.select(conditions, names, default="no_pattern").astype(object)


# -- time steps -------------------------------------------------------------------------------
def parse_period(period: str) -> tuple[int, str]:
    """``"3M"`` → ``(3, "M")``; units D, W, M, Q, Y (pandas' ME/QE/YE/A also read)."""
    m = re.fullmatch(r"\s*(\d*)\s*([DWMQYA])[ES]?\s*", str(period).upper())
    count = int(m.group(1) or 1) if m else 0
    if not m or count < 1:
        raise ArgumentError(
            f"Perioden '{period}' förstås inte. Ange ett antal och en enhet: D (dagar), "
            "W (veckor), M (månader), Q (kvartal) eller Y (år), t.ex. 3M.",
            f"The period '{period}' is not understood. Give a number and a unit: D (days), "
            "W (weeks), M (months), Q (quarters) or Y (years), e.g. 3M.")
    unit = "Y" if m.group(2) == "A" else m.group(2)
    return count, unit


def period_edges(t: np.ndarray, count: int, unit: str) -> pd.DatetimeIndex:
    """Edges of consecutive periods of ``count`` units covering the times.

    The last edge is the end of the calendar unit (day, Monday-start week,
    month, quarter, year) holding the latest time; earlier edges step back by
    ``count`` units until the first time is covered.
    """
    first, last = data_span(t)
    day = last.normalize()
    start = {"D": day,
             "W": day - pd.Timedelta(days=day.weekday()),
             "M": day.replace(day=1),
             "Q": day.replace(day=1, month=3 * ((day.month - 1) // 3) + 1),
             "Y": day.replace(day=1, month=1)}[unit]
    name, mult = _UNITS[unit]
    end = start + pd.DateOffset(**{name: mult})
    edges = [end]
    k = 0
    while edges[-1] > first and k <= MAX_PERIODS:
        k += 1
        edges.append(end - pd.DateOffset(**{name: mult * count * k}))
    return pd.DatetimeIndex(edges[::-1])


def _shorter_period(t: np.ndarray) -> str:
    for candidate in ("1M", "2W", "1W", "1D"):
        count, unit = parse_period(candidate)
        if len(period_edges(t, count, unit)) - 1 >= MIN_PERIODS:
            return candidate
    return "1D"

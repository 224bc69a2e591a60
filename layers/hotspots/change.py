"""Change in report counts per cell between two periods (``trygg hotspots --method change``).

Each cell's counts in period A (before) and B (after) are compared with an
exact conditional binomial test: if the rate did not change, then given the
cell's total ``n_a + n_b`` the number in B is binomial with probability
``len(B) / (len(A) + len(B))``. The test needs no model of the cell's level,
only its two counts, so a cell with 3 → 12 reports and one with 300 → 312
are judged on their own evidence. p-values are adjusted with Benjamini–Hochberg.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy import stats

from trygg.geo.errors import ArgumentError
from trygg.geo.text import count
from trygg.layers.hotspots._validate import check_cell, point_xy
from trygg.layers.hotspots.count import grid_for
from trygg.layers.hotspots.gistar import adjust_pvalues
from trygg.layers.schema import TIMEZONE

#: Adjusted p-value below which a cell counts as changed.
ALPHA = 0.05

Period = tuple[str | pd.Timestamp, str | pd.Timestamp]


def hotspot_change(points: gpd.GeoDataFrame, *, time_column: str = "reported_at",
                   period_a: Period | None = None, period_b: Period | None = None,
                   same_period_last_year: bool = False, cell: float | None = None,
                   grid: str | gpd.GeoDataFrame = "square",
                   weights: str | np.ndarray | None = None,
                   quiet: bool = False) -> gpd.GeoDataFrame:
    """Compare report counts per cell between period A (before) and B (after).

    Parameters
    ----------
    points
        Points in a projected CRS (metres) with a time column.
    time_column
        Column of timestamps (datetimes or ISO text). Time-zone-aware times are
        read as Swedish local time (Europe/Stockholm).
    period_a, period_b
        ``(start, end)`` of each period as dates or date strings, the end
        excluded. Give both or neither. Default: B is the last 12 months of the
        data (up to and including the day of the latest report), A the 12 months
        before.
    same_period_last_year
        B is the latest full calendar quarter in the data and A the same quarter
        a year earlier (seasons cancel out), instead of the default.
    cell
        Cell size in metres; chosen automatically and announced when ``None``.
    grid
        ``"square"``, ``"hex"`` or a user's own polygon grid; one grid, built over
        the points of both periods, serves both.
    weights
        Column name or array of weights. The test needs whole numbers, so it
        then uses the rounded weighted counts (announced in a note).
    quiet
        Leave out the notes about chosen defaults (warnings about periods the
        data do not cover are kept).

    Returns
    -------
    GeoDataFrame
        The grid with ``cell_id``, ``n_a``, ``n_b`` (weighted counts), ``diff``
        (``n_b − n_a``), ``ratio`` (``n_b / n_a``; NaN when ``n_a`` is 0; not
        corrected for unequal period lengths), ``pvalue`` (two-sided exact
        binomial test; NaN when both counts are 0), ``padj`` (Benjamini–Hochberg)
        and ``change`` (``increase``/``decrease`` when ``padj`` < 0.05 and the
        rate per day rose/fell, else ``no_change``).
    """
    check_cell(cell)
    if same_period_last_year and (period_a is not None or period_b is not None):
        raise ArgumentError("Ange antingen perioderna (period_a, period_b) eller "
                            "same_period_last_year, inte båda.",
                            "Give either the periods (period_a, period_b) or "
                            "same_period_last_year, not both.")
    if (period_a is None) != (period_b is None):
        raise ArgumentError("Ange både period_a och period_b, eller ingen av dem.",
                            "Give both period_a and period_b, or neither.")
    a = _parse_period(period_a, "period_a") if period_a is not None else None
    b = _parse_period(period_b, "period_b") if period_b is not None else None
    if a is not None and a[0] < b[1] and b[0] < a[1]:
        raise ArgumentError("Perioderna A och B överlappar. Välj perioder som inte gör det.",
                            "Periods A and B overlap. Choose periods that do not.")
    x, y, w = point_xy(points, weights=weights)
    t, warnings = point_times(points, time_column)
    notes: list[tuple[str, str]] = []
    if a is None:
        a, b, chosen = _default_periods(t, same_period_last_year)
        notes.append(chosen)
    else:
        notes.append((f"Jämför period B: {_fmt(b[0])} till {_fmt(b[1])}, med period A: "
                      f"{_fmt(a[0])} till {_fmt(a[1])} (slutet ej inräknat).",
                      f"Comparing period B: {_fmt(b[0])} to {_fmt(b[1])}, with period A: "
                      f"{_fmt(a[0])} to {_fmt(a[1])} (end excluded)."))
    warnings += _coverage_warnings(t, a, b)
    in_a = (t >= a[0]) & (t < a[1])
    in_b = (t >= b[0]) & (t < b[1])
    for name, hit, (start, end) in (("A", in_a, a), ("B", in_b, b)):
        if not hit.any():
            raise ArgumentError(f"Period {name} ({_fmt(start)} till {_fmt(end)}) har inga "
                                "rapporter. Välj andra perioder.",
                                f"Period {name} ({_fmt(start)} to {_fmt(end)}) has no "
                                "reports. Choose other periods.")
    used = in_a | in_b
    cells, index, params, grid_notes = grid_for(points, x[used], y[used], cell=cell, grid=grid)
    wu, bu = w[used], in_b[used]
    inside = index >= 0
    size = len(cells)
    n_a = np.bincount(index[inside & ~bu], weights=wu[inside & ~bu], minlength=size)
    n_b = np.bincount(index[inside & bu], weights=wu[inside & bu], minlength=size)
    share_b = _length(b) / (_length(a) + _length(b))
    if weights is not None:
        notes.append(("Testet använder de viktade antalen avrundade till heltal.",
                      "The test uses the weighted counts rounded to whole numbers."))
    pvalue = binomial_pvalues(np.rint(n_b), np.rint(n_a) + np.rint(n_b), share_b)
    padj = adjust_pvalues(pvalue, "fdr")
    out = cells.copy()
    out["n_a"] = n_a
    out["n_b"] = n_b
    out["diff"] = n_b - n_a
    with np.errstate(divide="ignore", invalid="ignore"):
        out["ratio"] = np.where(n_a > 0, n_b / np.where(n_a > 0, n_a, 1.0), np.nan)
    out["pvalue"] = pvalue
    out["padj"] = padj
    expected_b = (n_a + n_b) * share_b
    sig = padj < ALPHA
    out["change"] = np.where(sig & (n_b > expected_b), "increase",
                             np.where(sig & (n_b < expected_b), "decrease",
                                      "no_change")).astype(object)
    out.attrs["params"] = {**params, "time_column": time_column,
                           "period_a": [a[0].isoformat(), a[1].isoformat()],
                           "period_b": [b[0].isoformat(), b[1].isoformat()],
                           "share_b": share_b, "p_adjust": "fdr"}
    notes = [*grid_notes, *notes,
             ("p-värdena är justerade för att många celler testas (Benjamini–Hochberg, FDR).",
              "p-values are adjusted for testing many cells (Benjamini–Hochberg, FDR).")]
    out.attrs["notes"] = warnings if quiet else [*notes, *warnings]
    return out


def binomial_pvalues(k: np.ndarray, n: np.ndarray, p: float) -> np.ndarray:
    """Two-sided exact binomial p-values (``scipy.stats.binomtest``) per cell.

    Cells share few distinct ``(k, n)`` pairs, so each pair is tested once.
    NaN where ``n`` is 0.
    """
    k = np.asarray(k, dtype=np.int64)
    n = np.asarray(n, dtype=np.int64)
    out = np.full(k.shape, np.nan)
    tested = n > 0
    pairs, inverse = np.unique(np.stack([k[tested], n[tested]], axis=1), axis=0,
                               return_inverse=True)
    pv = np.array([stats.binomtest(int(kk), int(nn), p).pvalue for kk, nn in pairs])
    out[tested] = pv[inverse.ravel()] if len(pairs) else []
    return out


# -- time -------------------------------------------------------------------------------------
def point_times(points: gpd.GeoDataFrame, time_column: str
                ) -> tuple[np.ndarray, list[tuple[str, str]]]:
    """Timestamps of the rows :func:`point_xy` keeps (those with a point).

    Returns ``(times, warnings)``: naive local times (``datetime64[ns]``, NaT
    where missing or unreadable) and (Swedish, English) warnings.
    """
    if time_column not in points.columns:
        cols = ", ".join(str(c) for c in points.columns if c != points.geometry.name)
        raise ArgumentError(f"Kolumnen '{time_column}' med tidpunkter saknas. Ange den med "
                            f"time_column; kolumnerna är: {cols}.",
                            f"The time column '{time_column}' is missing. Name it with "
                            f"time_column; the columns are: {cols}.")
    geom = points.geometry
    present = (geom.notna() & ~geom.is_empty).to_numpy()  # the rows point_xy keeps
    t = to_local_times(points[time_column]).to_numpy()[present]
    missing = int(np.isnat(t).sum())
    if missing == len(t):
        raise ArgumentError(f"Ingen rad har en läsbar tidpunkt i '{time_column}'. Använd "
                            "ISO-format, t.ex. 2024-05-17 14:30.",
                            f"No row has a readable time in '{time_column}'. Use ISO format, "
                            "e.g. 2024-05-17 14:30.")
    warnings = []
    if missing:
        warnings.append((f"{count(missing, 'rapport', 'rapporter')} utan läsbar tidpunkt i "
                         f"'{time_column}' lämnades utanför.",
                         f"{count(missing, 'report', 'reports', lang='en')} without a readable "
                         f"time in '{time_column}' {'was' if missing == 1 else 'were'} left out."))
    return t, warnings


def to_local_times(values: pd.Series) -> pd.Series:
    """Naive local times from datetimes or text; aware times become Europe/Stockholm."""
    s = pd.Series(values)
    if not pd.api.types.is_datetime64_any_dtype(s):
        try:
            s = pd.to_datetime(s, errors="coerce", format="mixed")
        except (ValueError, TypeError):  # mixed time zones
            s = pd.to_datetime(s, errors="coerce", format="mixed", utc=True)
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        s = s.dt.tz_convert(TIMEZONE).dt.tz_localize(None)
    return s.astype("datetime64[ns]")


def _parse_period(period: Period, name: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    try:
        start, end = period
        start, end = (to_local_times(pd.Series([v])).iloc[0] for v in (start, end))
    except (TypeError, ValueError):
        start = end = pd.NaT
    if pd.isna(start) or pd.isna(end):
        raise ArgumentError(f"`{name}` måste vara (start, slut) med datum, t.ex. "
                            f"('2024-01-01', '2024-07-01'), inte {period!r}.",
                            f"`{name}` must be (start, end) dates, e.g. "
                            f"('2024-01-01', '2024-07-01'), not {period!r}.")
    if not start < end:
        raise ArgumentError(f"`{name}` slutar ({_fmt(end)}) innan den börjar ({_fmt(start)}).",
                            f"`{name}` ends ({_fmt(end)}) before it starts ({_fmt(start)}).")
    return start, end


def _default_periods(t: np.ndarray, same_period_last_year: bool):
    """Periods A and B from the data, and the note announcing them."""
    first, last = data_span(t)
    data_end = last.normalize() + pd.Timedelta(days=1)
    if same_period_last_year:
        b_end = pd.Timestamp(year=data_end.year, month=3 * ((data_end.month - 1) // 3) + 1,
                             day=1)
        b = (b_end - pd.DateOffset(months=3), b_end)
        if first > b[0]:
            raise ArgumentError("Data täcker inget helt kvartal. Ange perioderna med period_a "
                                "och period_b.",
                                "The data cover no full quarter. Give the periods with "
                                "period_a and period_b.")
        a = (b[0] - pd.DateOffset(years=1), b[1] - pd.DateOffset(years=1))
        quarter = f"{b[0].year} Q{(b[0].month - 1) // 3 + 1}"
        note = (f"Jämför senaste hela kvartalet {quarter} ({_fmt(b[0])} till {_fmt(b[1])}) "
                f"med samma kvartal året innan ({_fmt(a[0])} till {_fmt(a[1])}).",
                f"Comparing the latest full quarter {quarter} ({_fmt(b[0])} to {_fmt(b[1])}) "
                f"with the same quarter a year earlier ({_fmt(a[0])} to {_fmt(a[1])}).")
        return a, b, note
    b = (data_end - pd.DateOffset(months=12), data_end)
    a = (b[0] - pd.DateOffset(months=12), b[0])
    note = (f"Jämför de sista 12 månaderna i data, B: {_fmt(b[0])} till {_fmt(b[1])}, med de "
            f"12 före, A: {_fmt(a[0])} till {_fmt(a[1])} (slutdagen ej inräknad).",
            f"Comparing the last 12 months of the data, B: {_fmt(b[0])} to {_fmt(b[1])}, with "
            f"the 12 before, A: {_fmt(a[0])} to {_fmt(a[1])} (end day excluded).")
    return a, b, note


def _coverage_warnings(t: np.ndarray, a, b) -> list[tuple[str, str]]:
    first, last = data_span(t)
    out = []
    for name, (start, end) in (("A", a), ("B", b)):
        if start < first.normalize() or end > last.normalize() + pd.Timedelta(days=1):
            out.append((f"Varning: data ({_fmt(first)} till {_fmt(last)}) täcker inte hela "
                        f"period {name} ({_fmt(start)} till {_fmt(end)}); antalen där blir för "
                        "låga.",
                        f"Warning: the data ({_fmt(first)} to {_fmt(last)}) do not cover all "
                        f"of period {name} ({_fmt(start)} to {_fmt(end)}); its counts will be "
                        "too low."))
    return out


def data_span(t: np.ndarray) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last timestamp, NaT left out."""
    ok = t[~np.isnat(t)]
    return pd.Timestamp(ok.min()), pd.Timestamp(ok.max())


def _length(period) -> float:
    return (period[1] - period[0]).total_seconds()


def _fmt(ts: pd.Timestamp) -> str:
    ts = pd.Timestamp(ts)
    return ts.strftime("%Y-%m-%d") if ts == ts.normalize() else ts.strftime("%Y-%m-%d %H:%M")

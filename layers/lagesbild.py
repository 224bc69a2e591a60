"""The EST situation picture (lägesbild) of a week, month or quarter.

:func:`situation` counts what was reported in a period by area and category, compares
it with the period just before and with the same period a year earlier, says whether
a change is more than chance, finds the new, persisting and ended Gi* hot spots, the
ten places with most reports and the weekday × hour profile. :mod:`maps.lagesbild`
writes it as ``lagesbild.html`` and ``lagesbild.xlsx``.

Whether a change is more than chance: two counts of reports over two periods are
taken as Poisson counts, and given their sum the count of the period is binomial
with the share of the days that are the period's (the conditional, or "exact",
Poisson test; :func:`scipy.stats.binomtest`, two-sided). ``p < 0.05`` is called more
than chance; with many areas and categories some changes pass that by chance alone,
which the report says.

The ``publik`` version follows the public map's rules (:mod:`layers.public`): only
reports marked ``publik`` with a real point, no count below ``min_count`` (shown as
"färre än k"), places only by the gazetteer's named places and streets, never by a
report's text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy import stats

from trygg.geo.errors import ArgumentError
from trygg.layers.periods import Span, previous_span, year_before
from trygg.layers.schema import CATEGORIES, TIMEZONE

__all__ = ["ALPHA", "FOLDED", "HOT", "OUTSIDE", "Situation", "WHOLE", "change_test",
           "default_areas", "situation"]

#: The significance level of "more than chance".
ALPHA = 0.05
#: Gi* classes that count as a hot spot.
HOT = ("hot_99", "hot_95")
#: Places in the top list.
TOP_PLACES = 10
#: Area names for reports in no area, for the whole project (no areas) and for the
#: areas folded together in the public version (:func:`layers.public.fold_rows`).
OUTSIDE, WHOLE, FOLDED = "_outside", "_all", "_other"
#: How far a report may lie from the named place it is counted at (metres).
PLACE_REACH_M = 150.0
_COLUMNS = ["report_id", "category", "kind", "reported_at", "closed_at", "visibility",
            "precision", "source", "place_text"]


def change_test(n: int, m: int, days_n: float = 1.0, days_m: float = 1.0) -> float:
    """Two-sided p-value that ``n`` reports in ``days_n`` days and ``m`` in ``days_m``
    come from one and the same rate (conditional Poisson test); NaN when both are 0."""
    if n + m == 0:
        return float("nan")
    share = days_n / (days_n + days_m)
    return float(stats.binomtest(int(n), int(n + m), share).pvalue)


@dataclass
class Situation:
    """A situation picture. Counts are numbers of reports; ``p_previous`` and
    ``p_year`` the :func:`change_test` against the period before and a year earlier.

    ``by_area`` and ``by_category``: one row per area (category) with ``n``,
    ``previous``, ``year``, ``p_previous``, ``p_year``; ``area_category``: areas ×
    categories (``n``); ``hotspots``: cells hot now or before with ``status``
    (``new``, ``persisting``, ``ended``), ``n``, ``previous``, ``place`` and the cell;
    ``places``: ``place``, ``n``, ``top_category``; ``weekday_hour``: 7 × 24 counts
    (Monday first, local time).
    """

    period: Span
    previous: Span
    year: Span
    audience: str
    min_count: int
    n: int
    n_previous: int
    n_year: int
    by_area: pd.DataFrame
    by_category: pd.DataFrame
    area_category: pd.DataFrame
    hotspots: gpd.GeoDataFrame
    places: pd.DataFrame
    weekday_hour: np.ndarray
    areas_from: str
    cell: float | None = None
    klotter: object = None
    dark: pd.DataFrame | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def p_previous(self) -> float:
        """:func:`change_test` of all reports against the period before (NaN without
        reports then)."""
        if not self.n_previous:
            return float("nan")
        return change_test(self.n, self.n_previous, _days(self.period), _days(self.previous))

    @property
    def p_year(self) -> float:
        """:func:`change_test` of all reports against a year earlier (NaN without
        reports then)."""
        if not self.n_year:
            return float("nan")
        return change_test(self.n, self.n_year, _days(self.period), _days(self.year))


def _days(span: Span) -> int:
    return (span.last - span.first).days + 1


def _in(times: pd.Series, span: Span) -> np.ndarray:
    return ((times >= span.start) & (times < span.end)).to_numpy(bool)


def default_areas(store) -> tuple[gpd.GeoDataFrame | None, str]:
    """The project's towns (``areas`` rows from a layer called tätorter), or ``None``."""
    from trygg.layers.geocoding import AREAS

    if AREAS not in store.layers():
        return None, ""
    areas = store.read_layer(AREAS)
    towns = areas[areas["layer"].astype(str).str.lower().str.contains("tatort|tätort")]
    if towns.empty:
        return None, ""
    return towns[["name", "geometry"]].reset_index(drop=True), "tatorter"


def _areas_of(points: gpd.GeoDataFrame, areas: gpd.GeoDataFrame | None,
              outside: str) -> np.ndarray:
    """The area name of each point (the first area holding it), ``outside`` else."""
    out = np.full(len(points), outside, dtype=object)
    if areas is None or areas.empty or points.empty:
        return out
    has = points.geometry.notna() & ~points.geometry.is_empty
    pts = points[has.to_numpy(bool)]
    hit = gpd.sjoin(pts[["geometry"]], areas[["name", "geometry"]], how="left",
                    predicate="within")
    hit = hit[~hit.index.duplicated(keep="first")]
    names = hit["name"].reindex(pts.index)
    pos = np.flatnonzero(has.to_numpy(bool))
    out[pos] = np.where(names.notna(), names.astype(object), outside)
    return out


def _places(points: gpd.GeoDataFrame, gazetteer: gpd.GeoDataFrame | None, *,
            reach: tuple[float, float] = (PLACE_REACH_M, 60.0)) -> np.ndarray:
    """The place each point is counted at: the nearest named place within ``reach[0]``
    metres, else its street (from the nearest address or intersection within
    ``reach[1]``, the number left out), else ``None``."""
    from scipy.spatial import cKDTree

    out = np.full(len(points), None, dtype=object)
    if gazetteer is None or gazetteer.empty or points.empty:
        return out
    xy = np.column_stack([points.geometry.x.to_numpy(), points.geometry.y.to_numpy()])
    todo = np.isfinite(xy).all(axis=1)
    for kinds, far in ((("place",), reach[0]), (("address", "intersection"), reach[1])):
        near = gazetteer[gazetteer["kind"].isin(kinds)]
        if near.empty or not todo.any():
            continue
        tree = cKDTree(np.column_stack([near.geometry.x, near.geometry.y]))
        d, j = tree.query(xy[todo], distance_upper_bound=far)
        found = np.isfinite(d)
        names = near["name"].astype(str).to_numpy()
        if kinds != ("place",):
            column = "street" if "street" in near else "name"
            names = near[column].fillna(near["name"]).astype(str).to_numpy()
        idx = np.flatnonzero(todo)[found]
        out[idx] = [str(names[k]).split(",")[0].strip() for k in j[found]]
        todo[idx] = False
    return out


def _counts(frame: pd.DataFrame, key: str, spans: dict[str, np.ndarray],
            order: list[str] | None = None) -> pd.DataFrame:
    rows = pd.DataFrame({name: frame.loc[mask, key].value_counts()
                         for name, mask in spans.items()}).fillna(0).astype("int64")
    if order is not None:
        rows = rows.reindex([k for k in order if k in rows.index]
                            + [k for k in rows.index if k not in order])
    return rows.rename_axis(key).reset_index()


def _hot(points: gpd.GeoDataFrame, cell: float, area) -> tuple[set[str], gpd.GeoDataFrame | None]:
    from trygg.layers.hotspots.gistar import hotspot_gistar

    if len(points) < 3:
        return set(), None
    cells = hotspot_gistar(points, cell=cell, area=area, quiet=True)
    return set(cells.loc[cells["klass"].isin(HOT), "cell_id"]), cells


def _hot_cell(now: gpd.GeoDataFrame, before: gpd.GeoDataFrame, cell: float | None):
    """One cell size and study area for both periods (so their cells are the same):
    ``cell`` or the smallest that gives the smaller period enough reports per
    neighbourhood over the hull of both; ``(None, None)`` with too few reports."""
    from trygg.geo.grid import auto_cell_size, convex_hull
    from trygg.layers.hotspots.gistar import gistar_cell

    both = pd.concat([now.geometry, before.geometry])
    if min(len(now), len(before)) < 3 or len(both) < 3:
        return None, None
    x, y = both.x.to_numpy(), both.y.to_numpy()
    hull = convex_hull(x, y)
    if cell is None:
        cell = gistar_cell(None, "square", x, y, area=hull, crs=now.crs,
                           reports=min(len(now), len(before)))[0] or auto_cell_size(x, y)
    return float(cell), hull


def situation(store, period: Span, *, areas: gpd.GeoDataFrame | None = None,
              audience: str = "intern", min_count: int = 3, cell: float | None = None
              ) -> Situation:
    """The situation picture of ``period``.

    Parameters
    ----------
    store
        The open project.
    period
        The days of the picture (:func:`layers.periods.parse_range`: ``2025-Q3``,
        ``2025-W37``, ``2025-09`` or ``FROM:TO``).
    areas
        Polygons with a ``name`` column (project CRS) to count by, e.g. områdesgrupper
        or DeSO; default the project's towns (tätorter), else the whole project.
    audience
        ``intern`` (every report) or ``publik`` (see the module text).
    min_count
        k: the smallest count the ``publik`` version shows (default 3).
    cell
        Side of the Gi* cells in metres; default the smallest that gives both periods
        enough reports per neighbourhood (:func:`layers.hotspots.gistar.gistar_cell`).

    Returns
    -------
    Situation

    Raises
    ------
    ArgumentError
        A bad audience or k, areas without a name column, a period without reports.
    """
    from trygg.layers.geocoding import read_gazetteer
    from trygg.layers.public import fold_rows, publishable

    if audience not in ("intern", "publik"):
        raise ArgumentError(f"--audience ska vara intern eller publik, inte '{audience}'.",
                            f"--audience must be intern or publik, not '{audience}'.")
    if min_count < 1:
        raise ArgumentError("--min-count ska vara minst 1.", "--min-count must be at least 1.")
    previous, year = previous_span(period), year_before(period)
    first = min(previous.start, year.start)
    from trygg.layers.store import Between

    reports = store.read_reports(_COLUMNS,
                                 where={"reported_at": Between(first, period.end)})
    if audience == "publik":
        reports = publishable(reports)
    times = pd.to_datetime(reports["reported_at"], utc=True).dt.tz_convert(TIMEZONE)
    masks = {"n": _in(times, period), "previous": _in(times, previous), "year": _in(times, year)}
    if not masks["n"].any():
        raise ArgumentError(
            f"Inga rapporter {period.first}–{period.last}"
            + (" som får visas publikt" if audience == "publik" else "")
            + ". Välj en annan --period (trygg info visar projektets period).",
            f"No reports {period.first}–{period.last}"
            + (" that may be shown publicly" if audience == "publik" else "")
            + ". Choose another --period (trygg info shows the project's period).")
    areas_from = "file"
    if areas is None:
        areas, areas_from = default_areas(store)
    elif "name" not in areas.columns:
        raise ArgumentError("--areas behöver en kolumn name (eller namn) med områdenas namn.",
                            "--areas needs a column name (or namn) with the areas' names.")
    if areas is not None and areas.crs is not None and str(areas.crs) != str(store.crs):
        areas = areas.to_crs(store.crs)
    outside = OUTSIDE
    if areas is None:
        outside, areas_from = WHOLE, "none"
    frame = pd.DataFrame({"category": reports["category"].astype(str).to_numpy(),
                          "area": _areas_of(reports, areas, outside)})
    order_areas = ([] if areas is None else list(areas["name"].astype(str))) + [outside]
    by_area = _counts(frame, "area", masks, order_areas)
    by_category = _counts(frame, "category", masks, list(CATEGORIES))
    if audience == "publik":  # no small count, and none to work out from the total
        by_area = fold_rows(by_area, "area", ["n", "previous", "year"], min_count, FOLDED)
        by_category = fold_rows(by_category, "category", ["n", "previous", "year"],
                                min_count)
    # a comparison period without any report is one the project has no data for
    has_previous, has_year = masks["previous"].any(), masks["year"].any()
    for table in (by_area, by_category):
        table["p_previous"] = [change_test(a, b, _days(period), _days(previous))
                               if has_previous else np.nan
                               for a, b in zip(table["n"], table["previous"], strict=True)]
        table["p_year"] = [change_test(a, b, _days(period), _days(year)) if has_year
                           else np.nan
                           for a, b in zip(table["n"], table["year"], strict=True)]
    now = frame[masks["n"]]
    area_category = pd.crosstab(now["area"], now["category"])
    area_category = area_category.reindex(
        index=[a for a in order_areas if a in area_category.index],
        columns=[c for c in CATEGORIES if c in area_category.columns]).fillna(0).astype("int64")
    # hot spots now and in the period before, on the same fixed grid
    located = reports.geometry.notna().to_numpy(bool) & ~reports.geometry.is_empty.to_numpy(bool)
    pts_now = reports[masks["n"] & located]
    pts_before = reports[masks["previous"] & located]
    size, hull = _hot_cell(pts_now, pts_before, cell)
    hot_now, cells_now, hot_before, cells_before = set(), None, set(), None
    if size is not None:
        hot_now, cells_now = _hot(pts_now, size, hull)
        hot_before, cells_before = _hot(pts_before, size, hull)
    gazetteer = read_gazetteer(store)
    status = ([(c, "new") for c in sorted(hot_now - hot_before)]
              + [(c, "persisting") for c in sorted(hot_now & hot_before)]
              + [(c, "ended") for c in sorted(hot_before - hot_now)])
    hotspots = _hotspot_rows(status, cells_now, cells_before, gazetteer, store.crs,
                             reach=(max(PLACE_REACH_M, size or 0.0), (size or 120.0) / 2))
    # the places with most reports
    place = _places(reports[masks["n"]], gazetteer)
    if audience == "intern":
        text = reports.loc[masks["n"], "place_text"].fillna("").astype(str).str.strip()
        place = np.where(pd.isna(place) & (text != "").to_numpy(), text.to_numpy(), place)
    named = pd.DataFrame({"place": place, "category": now["category"].to_numpy()}).dropna()
    places = pd.DataFrame(columns=["place", "n", "top_category"])
    if len(named):
        counts = named.groupby("place")["category"].agg(
            n="size", top_category=lambda s: s.value_counts().index[0])
        places = counts.sort_values(["n"], ascending=False, kind="stable").head(
            TOP_PLACES).reset_index()
    hours = times[masks["n"]]
    weekday_hour = np.zeros((7, 24), dtype=np.int64)
    np.add.at(weekday_hour, (hours.dt.day_of_week.to_numpy(), hours.dt.hour.to_numpy()), 1)
    result = Situation(period=period, previous=previous, year=year, audience=audience,
                       min_count=min_count, n=int(masks["n"].sum()),
                       n_previous=int(masks["previous"].sum()), n_year=int(masks["year"].sum()),
                       by_area=by_area, by_category=by_category, area_category=area_category,
                       hotspots=hotspots, places=places, weekday_hour=weekday_hour,
                       areas_from=areas_from, cell=size)
    from trygg.layers.indicators import closed_within, dark_share

    period_reports = reports[masks["n"]]
    result.klotter = closed_within(period_reports)
    result.dark = dark_share(period_reports)
    if not masks["year"].any():
        result.notes.append(("Projektet har inga rapporter från samma period förra året.",
                             "The project has no reports from the same period last year."))
    return result


def _hotspot_rows(status, cells_now, cells_before, gazetteer, crs, *,
                  reach: tuple[float, float]) -> gpd.GeoDataFrame:
    rows = []
    for cell_id, kind in status:
        now = _cell(cells_now, cell_id)
        before = _cell(cells_before, cell_id)
        geom = (now if now is not None else before)["geometry"]
        rows.append({"cell_id": cell_id, "status": kind,
                     "n": 0 if now is None else int(now["n"]),
                     "previous": 0 if before is None else int(before["n"]),
                     "geometry": geom})
    out = gpd.GeoDataFrame(rows or {"cell_id": [], "status": [], "n": [], "previous": []},
                           geometry="geometry" if rows else gpd.GeoSeries([], crs=crs),
                           crs=crs)
    if len(out):
        centres = gpd.GeoDataFrame(geometry=out.geometry.centroid, crs=crs)
        out["place"] = _places(centres, gazetteer, reach=reach)
    else:
        out["place"] = pd.Series(dtype=object)
    return out


def _cell(cells, cell_id):
    if cells is None:
        return None
    hit = cells[cells["cell_id"] == cell_id]
    return None if hit.empty else hit.iloc[0]

"""Hotspot polygons: clusters of reports, named and described (``--method clusters``).

Three ways to find the clusters:

``dbscan``
    DBSCAN: a *core* report has at least ``min_samples`` reports (itself
    included) within ``eps`` metres; cores within ``eps`` of each other form
    one hotspot, together with the reports within ``eps`` of its cores.
    Computed by :func:`dbscan_labels`, an exact grid-based DBSCAN that gives
    the same clusters as :class:`sklearn.cluster.DBSCAN` (checked in the
    tests) in linear memory and a fraction of the time on large selections.
``hdbscan``
    :class:`sklearn.cluster.HDBSCAN` with ``min_cluster_size = min_samples``:
    finds clusters of varying density and draws their extent. HDBSCAN also
    cuts an even background into pieces, so a cluster is kept only when at
    least one of its reports is a DBSCAN core at ``eps`` (``min_samples``
    reports within ``eps``): it must hold a spot as crowded as a DBSCAN hotspot.
    Its polygons are wider than DBSCAN's: a cluster reaches out to where it
    stops standing out from the reports around it.
``gistar``
    The significant hot cells of a Gi* result (``klass`` starting with
    "hot"), dissolved into connected areas: cells that share an edge or a
    corner (queen contiguity) form one hotspot. The reports inside describe
    it; an area holding no report is left out.

Defaults, stated in ``attrs["notes"]`` when chosen:

- ``min_samples = max(5, round(0.5 % of the reports))``: a hotspot holds at
  least 1 report in 200 of the selection, and never fewer than 5.
- ``eps`` from the density around the typical report. Let ``d`` be the
  median distance from a report to its ``(min_samples − 1)``-th nearest other
  report (a report is a core exactly when its own distance is at most
  ``eps``). ``eps = d / √R``: a core needs reports at least ``R`` times as
  dense as around the typical report. ``R = 4`` (``eps = d / 2``), raised
  when there are few reports, so that a report in an area of typical density
  is a core by pure chance (Poisson) with probability at most ``0.1 / N``
  (``N`` reports): chance alone is unlikely to make a hotspot. ``eps`` is at
  least 25 m. ``d`` is computed on at most 5,000 reports drawn with a fixed
  seed (queried against all reports).

A point cluster's polygon is the concave hull (:func:`shapely.concave_hull`,
ratio 0.3) of its reports, buffered by 25 m, about the precision of a
geocoded address (a hotspot of reports at one address is a 25 m disc).
For speed the hull is taken over the reports snapped to a 5 m grid; the
buffer still covers every report.
"""

from __future__ import annotations

import hashlib
import json
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from trygg.geo.errors import ArgumentError
from trygg.geo.text import count, number
from trygg.layers.hotspots._validate import point_xy
from trygg.layers.hotspots.dbscan import dbscan_labels, renumber
from trygg.layers.schema import CATEGORIES, SOURCES, TIMEZONE

__all__ = ["COLUMNS", "METHODS", "dbscan_labels", "default_eps", "hotspot_clusters"]

METHODS = ("dbscan", "hdbscan", "gistar")
#: Output columns, in order (``geometry`` last).
COLUMNS = ("hotspot_id", "name", "n", "by_category", "by_source", "share_night", "share_dark",
           "busiest", "weekday_hour", "first", "last", "score", "rank", "area_m2", "geometry")

MIN_SAMPLES_SHARE = 0.005  #: default min_samples as a share of the reports …
MIN_SAMPLES_FLOOR = 5  #: … but at least this many
DENSITY_RATIO = 4.0  #: a core is at least this many times as dense as the typical report
CHANCE = 0.1  #: expected chance cores among the reports at typical density
MIN_EPS = 25.0  #: metres; the smallest default eps
KDIST_SAMPLE = 5000  #: reports used to measure the typical density
MARGIN = 25.0  #: metres around a point cluster's hull
CONCAVE_RATIO = 0.3  #: shapely.concave_hull ratio (1 = convex hull)
HULL_SNAP = 5.0  #: metres; grid the hull is computed on (within MARGIN)
ID_SNAP = 200.0  #: metres; a new hotspot's id comes from its centroid snapped to this
NAME_AT = 50.0  #: metres; a place this close to a hotspot names it ("Busstationen, X")
NAME_NEAR = 500.0  #: metres; a place this close gives "Område nära …"
NIGHT = (22, 6)  #: night is from 22:00 to 06:00 local time
DARK_BELOW = -6.0  #: degrees; sun elevation below which it is dark (civil twilight)
WEEKDAYS = ("mån", "tis", "ons", "tor", "fre", "lör", "sön")


def hotspot_clusters(points: gpd.GeoDataFrame, *, method: str = "dbscan",
                     eps: float | None = None, min_samples: int | None = None,
                     gistar: gpd.GeoDataFrame | None = None,
                     places: gpd.GeoDataFrame | None = None,
                     previous: gpd.GeoDataFrame | None = None,
                     quiet: bool = False) -> gpd.GeoDataFrame:
    """Hotspot polygons with a stable id, a name and what happens there.

    Parameters
    ----------
    points
        Reports as points in a projected CRS (metres), e.g. the project's
        ``reports``. Used when present: ``weight`` (score), ``category``,
        ``source``, and the time of each report: ``occurred_at`` where known,
        else ``reported_at`` (timezone-aware; naive times are read as
        Europe/Stockholm). Plain points work too; then those columns are null.
    method
        ``"dbscan"`` (default), ``"hdbscan"`` or ``"gistar"`` (see the module
        text).
    eps
        Neighbourhood radius in metres for ``dbscan`` and for the density test
        of ``hdbscan``; chosen from the data when ``None`` (module text).
        Not used by ``gistar``.
    min_samples
        Reports (the report itself included) within ``eps`` that make a core;
        for ``hdbscan`` also the smallest cluster. Default
        ``max(5, round(0.005 × reports))``. Not used by ``gistar``.
    gistar
        For ``method="gistar"``: a Gi* result, polygon cells with a ``klass``
        column (``hotspot_gistar``'s output).
    places
        A gazetteer (:func:`geo.gazetteer.build_gazetteer`); its ``kind ==
        "place"`` rows name the hotspots. Any GeoDataFrame with a ``name``
        column works (all rows used when it has no ``kind``).
    previous
        This function's output from an earlier run. A hotspot that overlaps
        an earlier one keeps the earlier id (largest overlap first; no id is
        used twice).
    quiet
        Leave out the notes about chosen defaults.

    Returns
    -------
    GeoDataFrame
        One row per hotspot in ``points``' CRS, ordered by ``rank``:

        - ``hotspot_id``: "HS-" and 8 hex digits from the centroid snapped to
          200 m, or the id of the earlier hotspot it overlaps most.
        - ``name``: the named place at the hotspot (within 50 m; nearest the
          hotspot's reports' centre), "Område nära <place>" (within 500 m) or
          "Område vid <lat>° N, <lon>° Ö"; " (2)", " (3)" … when a name recurs.
        - ``n``: reports in the hotspot.
        - ``by_category``, ``by_source``: JSON counts, keys in the vocabulary's
          order (unknown codes last, alphabetically), e.g.
          ``{"klotter": 12, "ran": 3}``; null without the column.
        - ``share_night``: share of the timed reports between 22:00 and 06:00
          local time; ``share_dark``: share made while the sun was more than 6°
          below the horizon there (:func:`geo.sun.is_dark`). Null without times.
        - ``busiest``: weekday and hour with the most reports, e.g.
          "fre 22–23"; tied slots are listed (up to three, else null).
        - ``first``, ``last``: earliest and latest report time (Europe/Stockholm).
        - ``score``: the sum of the reports' ``weight`` (each report counts 1
          without the column); ``rank`` 1 is the highest score (ties: more
          reports first).
        - ``area_m2``: area of the polygon in square metres.

        ``attrs["params"]`` holds the parameters used, ``attrs["notes"]``
        (Swedish, English) pairs announcing defaults.

    Raises
    ------
    ArgumentError
        For an unknown method, bad ``eps``/``min_samples``, a missing or
        malformed ``gistar``/``places``/``previous``, and every problem
        :func:`layers.hotspots._validate.point_xy` finds with ``points``.
    """
    if method not in METHODS:
        raise ArgumentError(f"Okänd metod '{method}'; välj {', '.join(METHODS)}.",
                            f"Unknown method '{method}'; choose {', '.join(METHODS)}.")
    if eps is not None and (not np.isfinite(eps) or eps <= 0):
        raise ArgumentError(f"eps måste vara ett positivt antal meter, inte {eps}.",
                            f"eps must be a positive number of metres, not {eps}.")
    if min_samples is not None and (int(min_samples) != min_samples or min_samples < 2):
        raise ArgumentError(f"min_samples måste vara ett heltal från 2 och uppåt, inte "
                            f"{min_samples}.",
                            f"min_samples must be a whole number of at least 2, not "
                            f"{min_samples}.")
    if method == "gistar" and gistar is None:
        raise ArgumentError("Metoden gistar behöver ett Gi*-resultat: kör hotspot_gistar "
                            "först och skicka det som gistar=.",
                            "The gistar method needs a Gi* result: run hotspot_gistar "
                            "first and pass it as gistar=.")
    if method != "gistar" and gistar is not None:
        raise ArgumentError(f"gistar= används bara med method='gistar', inte med '{method}'.",
                            f"gistar= is only used with method='gistar', not with '{method}'.")
    has_weight = isinstance(points, pd.DataFrame) and "weight" in points.columns
    x, y, w = point_xy(points, weights="weight" if has_weight else None)
    geom = points.geometry
    rows = np.flatnonzero((geom.notna() & ~geom.is_empty).to_numpy())
    crs = points.crs
    n_points = len(x)
    notes: list[tuple[str, str]] = []
    params: dict[str, object] = {"method": method, "points": n_points}

    if method == "gistar":
        polygons, labels = _gistar_areas(gistar, crs, x, y)
        params["hot_cells"] = int(_hot_mask(gistar).sum())
    else:
        m = min_samples
        if m is None:
            m = _default_min_samples(n_points)
            notes.append((f"min_samples satt automatiskt till {m} (0,5 % av {_sv(n_points)} "
                          f"rapporter, minst {MIN_SAMPLES_FLOOR}).",
                          f"min_samples set to {m} automatically (0.5 % of "
                          f"{number(n_points, lang='en')} reports, at least "
                          f"{MIN_SAMPLES_FLOOR})."))
        m = int(m)
        params["min_samples"] = m
        if n_points < m:
            labels = np.full(n_points, -1)
            polygons = []
            notes.append((f"Bara {count(n_points, 'rapport', 'rapporter')}: färre än "
                          f"min_samples ({m}), så ingen hotspot kan bildas.",
                          f"Only {count(n_points, 'report', 'reports', lang='en')}: fewer than "
                          f"min_samples ({m}), so no hotspot can form."))
        else:
            xy = np.column_stack([x, y])
            if eps is None:
                eps, ratio, typical = default_eps(xy, m)
                params.update({"density_ratio": round(ratio, 2), "typical_distance":
                               round(typical, 1)})
                notes.append(_eps_note(eps, ratio, typical, m))
            params["eps"] = float(eps)
            if method == "dbscan":
                labels = dbscan_labels(xy, float(eps), m)[0]
            else:
                labels = _hdbscan(xy, float(eps), m)
                params["min_cluster_size"] = m
            order = np.argsort(labels, kind="stable")
            starts = np.searchsorted(labels[order], np.arange(labels.max() + 2))
            polygons = [_hull(xy[order[starts[c]:starts[c + 1]]])
                        for c in range(labels.max() + 1)]
        params.update({"hull": f"concave {CONCAVE_RATIO} + {MARGIN:g} m", "margin": MARGIN})
    params.update({"score": "sum of weight" if has_weight else "count",
                   "dark_below": DARK_BELOW, "night": f"{NIGHT[0]:02d}-{NIGHT[1]:02d}"})

    out = _describe(points.iloc[rows].reset_index(drop=True), x, y, w, labels, polygons, crs)
    out["name"] = _names(out, places, crs)
    out["hotspot_id"] = _ids(out.geometry.values, previous, crs)
    out = gpd.GeoDataFrame(out[list(COLUMNS)], geometry="geometry", crs=crs)
    params.update({"hotspots": len(out), "clustered": int(out["n"].sum())})
    if not len(out):
        notes.append(("Inga hotspots hittades med de här inställningarna.",
                      "No hotspots were found with these settings."))
    out.attrs["params"] = params
    out.attrs["notes"] = [] if quiet else notes
    return out


# --- defaults ---------------------------------------------------------------------------


def _default_min_samples(n: int) -> int:
    return max(MIN_SAMPLES_FLOOR, int(round(MIN_SAMPLES_SHARE * n)))


def default_eps(xy: np.ndarray, min_samples: int) -> tuple[float, float, float]:
    """The default DBSCAN radius for reports at ``xy`` (metres); see the module text.

    Returns
    -------
    (eps, ratio, typical)
        ``eps`` in metres, the density ratio ``R`` a core must reach, and the
        typical (median) distance to the ``(min_samples − 1)``-th nearest report.
    """
    from scipy.spatial import cKDTree

    n = len(xy)
    k = min_samples - 1
    sample = xy
    if n > KDIST_SAMPLE:
        pick = np.sort(np.random.default_rng(0).choice(n, KDIST_SAMPLE, replace=False))
        sample = xy[pick]
    dist, _ = cKDTree(xy).query(sample, k=min_samples, workers=-1)
    typical = float(np.median(dist[:, -1]))
    lam = min(k / DENSITY_RATIO, _chance_mean(k, CHANCE / n))
    ratio = k / lam
    eps = max(MIN_EPS, typical / math.sqrt(ratio))
    return float(eps), float(ratio), typical


def _chance_mean(k: int, p: float) -> float:
    """The largest Poisson mean λ with P(X ≥ k) ≤ p (P(X ≥ k) is gammainc(k, λ))."""
    from scipy.optimize import brentq
    from scipy.special import gammainc

    high = k + 20.0 * math.sqrt(k) + 20.0
    return float(brentq(lambda lam: gammainc(k, lam) - p, 1e-12, high, xtol=1e-9))


def _eps_note(eps: float, ratio: float, typical: float, m: int) -> tuple[str, str]:
    return (f"eps satt automatiskt till {_sv(eps, 0)} m: en hotspot kräver minst "
            f"{_sv(ratio, 1)} gånger så tätt mellan rapporterna som kring en typisk rapport "
            f"(medianavståndet till den {_ordinal_sv(m - 1)} närmaste rapporten är "
            f"{_sv(typical, 0)} m).",
            f"eps set to {number(eps, lang='en')} m automatically: a hotspot needs reports "
            f"at least {number(ratio, 1, lang='en')} times as dense as around a typical report "
            f"(the median distance to the {_ordinal(m - 1)} nearest report is "
            f"{number(typical, lang='en')} m).")


# --- clustering -------------------------------------------------------------------------


def _hdbscan(xy: np.ndarray, eps: float, m: int) -> np.ndarray:
    """HDBSCAN labels, keeping only clusters that hold a DBSCAN core at ``eps``."""
    from scipy.spatial import cKDTree
    from sklearn.cluster import HDBSCAN

    labels = HDBSCAN(min_cluster_size=m, min_samples=m, copy=True).fit_predict(xy)
    core = cKDTree(xy).query_ball_point(xy, eps, return_length=True, workers=-1) >= m
    keep = np.unique(labels[core & (labels >= 0)])
    return renumber(np.where(np.isin(labels, keep), labels, -1))


def _hull(xy: np.ndarray) -> shapely.Geometry:
    """Concave hull (ratio 0.3) of points on a 5 m grid, buffered by 25 m."""
    snapped = np.unique(np.round(xy / HULL_SNAP) * HULL_SNAP, axis=0)
    hull = shapely.concave_hull(shapely.multipoints(snapped), ratio=CONCAVE_RATIO)
    return shapely.buffer(hull, MARGIN, quad_segs=8)


def _hot_mask(gistar: gpd.GeoDataFrame) -> np.ndarray:
    return gistar["klass"].astype("str").str.startswith("hot").fillna(False).to_numpy(bool)


def _gistar_areas(gistar: gpd.GeoDataFrame, crs, x: np.ndarray, y: np.ndarray
                  ) -> tuple[list, np.ndarray]:
    """Connected areas (queen) of hot cells and the area of each point (-1 outside)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if not isinstance(gistar, gpd.GeoDataFrame) or "klass" not in gistar.columns:
        raise ArgumentError("`gistar` måste vara resultatet av hotspot_gistar: en "
                            "GeoDataFrame med celler och kolumnen 'klass'.",
                            "`gistar` must be the result of hotspot_gistar: a GeoDataFrame "
                            "of cells with the column 'klass'.")
    if gistar.crs is None:
        raise ArgumentError("`gistar` saknar koordinatsystem. Ange det med set_crs.",
                            "`gistar` has no coordinate system. Set it with set_crs.")
    hot = gistar[_hot_mask(gistar)]
    hot = hot[hot.geometry.notna() & ~hot.geometry.is_empty]
    kinds = set(hot.geom_type)
    if kinds - {"Polygon", "MultiPolygon"}:
        raise ArgumentError(f"Cellerna i `gistar` måste vara polygoner, inte "
                            f"{', '.join(sorted(kinds))}.",
                            f"The cells of `gistar` must be polygons, not "
                            f"{', '.join(sorted(kinds))}.")
    labels = np.full(len(x), -1, dtype=np.int64)
    if not len(hot):
        return [], labels
    cells = hot.to_crs(crs).geometry.values
    size = math.sqrt(float(np.median(shapely.area(cells))))
    tree = shapely.STRtree(cells)
    # touching cells, with a tolerance for the rounding of shared corners
    left, right = tree.query(cells, predicate="dwithin", distance=size * 1e-6)
    graph = coo_matrix((np.ones(len(left)), (left, right)), shape=(len(cells),) * 2)
    count, component = connected_components(graph, directed=False)
    grid = size * 1e-6
    polygons = [shapely.union_all(cells[component == c], grid_size=grid) for c in range(count)]
    pts = shapely.points(x, y)
    hit_pt, hit_area = shapely.STRtree(polygons).query(pts, predicate="intersects")
    first = np.unique(hit_pt, return_index=True)[1]
    labels[hit_pt[first]] = hit_area[first]
    return polygons, labels


# --- description ------------------------------------------------------------------------


def _describe(frame: pd.DataFrame, x: np.ndarray, y: np.ndarray, w: np.ndarray,
              labels: np.ndarray, polygons: list, crs) -> gpd.GeoDataFrame:
    """One row per cluster with every column but the id and the name, ranked."""
    k = len(polygons)
    inside = labels >= 0
    lab = labels[inside]
    n = np.bincount(lab, minlength=k).astype(np.int64)
    out = pd.DataFrame({"n": n, "score": np.bincount(lab, weights=w[inside], minlength=k)})
    out["by_category"] = _counts_json(frame, "category", lab, inside, k,
                                      list(CATEGORIES))
    out["by_source"] = _counts_json(frame, "source", lab, inside, k, list(SOURCES))
    times = _event_times(frame)
    if times is None:
        out["share_night"] = np.nan
        out["share_dark"] = np.nan
        out["busiest"] = None
        out["weekday_hour"] = None
        empty = pd.Series(pd.NaT, index=range(k), dtype=f"datetime64[ns, {TIMEZONE}]")
        out["first"], out["last"] = empty, empty.copy()
    else:
        _time_columns(out, times[inside].reset_index(drop=True), lab, x[inside], y[inside],
                      k, crs)
    geoms = np.asarray(polygons, dtype=object) if k else np.array([], dtype=object)
    out["area_m2"] = shapely.area(geoms) if k else np.array([], dtype=float)
    centre_x = np.bincount(lab, weights=x[inside], minlength=k) / np.maximum(n, 1)
    centre_y = np.bincount(lab, weights=y[inside], minlength=k) / np.maximum(n, 1)
    out["_cx"], out["_cy"] = centre_x, centre_y
    out["_label"] = np.arange(k)
    out = gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(list(geoms), crs=crs).values, crs=crs)
    out = out[out["n"] > 0]  # a Gi* area without reports is no hotspot
    out = out.sort_values(["score", "n", "_cx", "_cy"], ascending=[False, False, True, True],
                          kind="stable").reset_index(drop=True)
    out["rank"] = np.arange(1, len(out) + 1)
    return out


def _counts_json(frame: pd.DataFrame, column: str, lab: np.ndarray, inside: np.ndarray,
                 k: int, order: list[str]) -> list[str | None]:
    """Per cluster, JSON counts of ``column``'s values (vocabulary order, then a–z)."""
    if column not in frame.columns:
        return [None] * k
    values = frame[column].to_numpy(dtype=object)[inside]
    present = pd.notna(values)
    table = pd.crosstab(lab[present], values[present].astype(str)) if present.any() else None
    known = [c for c in order if table is not None and c in table.columns]
    rest = sorted(c for c in (table.columns if table is not None else []) if c not in order)
    result = []
    for c in range(k):
        if table is None or c not in table.index:
            result.append("{}")
            continue
        row = table.loc[c]
        result.append(json.dumps({key: int(row[key]) for key in known + rest if row[key] > 0},
                                 ensure_ascii=False))
    return result


def _event_times(frame: pd.DataFrame) -> pd.Series | None:
    """Time of each report in Europe/Stockholm: occurred_at where known, else reported_at."""
    columns = [c for c in ("occurred_at", "reported_at") if c in frame.columns]
    if not columns:
        return None
    times = None
    for column in columns:
        local = _local(frame[column])
        times = local if times is None else times.fillna(local)
    return times


def _local(values: pd.Series) -> pd.Series:
    if not pd.api.types.is_datetime64_any_dtype(values):
        values = pd.to_datetime(values, errors="coerce", utc=True, format="ISO8601")
    if values.dt.tz is None:
        values = values.dt.tz_localize(TIMEZONE, ambiguous="NaT", nonexistent="shift_forward")
    return values.dt.tz_convert(TIMEZONE).astype(f"datetime64[ns, {TIMEZONE}]")


def _time_columns(out: pd.DataFrame, times: pd.Series, lab: np.ndarray, x: np.ndarray,
                  y: np.ndarray, k: int, crs) -> None:
    """share_night, share_dark, busiest, first and last, from each report's time."""
    from pyproj import Transformer

    from trygg.geo.sun import is_dark

    timed = times.notna().to_numpy()
    t, tl = times[timed], lab[timed]
    n_timed = np.bincount(tl, minlength=k)
    hour = t.dt.hour.to_numpy()
    night = (hour >= NIGHT[0]) | (hour < NIGHT[1])
    lon, lat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(
        x[timed], y[timed])
    dark = is_dark(t, lon, lat, threshold=DARK_BELOW)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share_night"] = np.bincount(tl, weights=night, minlength=k) / n_timed
        out["share_dark"] = np.bincount(tl, weights=dark, minlength=k) / n_timed
    slot = t.dt.day_of_week.to_numpy() * 24 + hour
    per_slot = np.zeros((k, 168), dtype=np.int64)
    np.add.at(per_slot, (tl, slot), 1)
    out["busiest"] = [_busiest(row) for row in per_slot]
    # 168 counts, Monday 00–01 first: the weekday×hour chart of the map's popup.
    out["weekday_hour"] = [json.dumps(row.tolist()) for row in per_slot]
    grouped = pd.Series(t.array, index=tl).groupby(level=0)
    out["first"] = grouped.min().reindex(range(k)).array
    out["last"] = grouped.max().reindex(range(k)).array


def _busiest(per_slot: np.ndarray) -> str | None:
    """"fre 22–23" for the weekday×hour with most reports; ties listed up to three."""
    top = per_slot.max()
    if top == 0:
        return None
    slots = np.flatnonzero(per_slot == top)
    if len(slots) > 3:
        return None
    return ", ".join(f"{WEEKDAYS[s // 24]} {s % 24:02d}–{s % 24 + 1:02d}" for s in slots)


# --- names and ids ----------------------------------------------------------------------


def _names(out: gpd.GeoDataFrame, places: gpd.GeoDataFrame | None, crs) -> list[str]:
    """A human name per hotspot (see :func:`hotspot_clusters`), unique by rank."""
    k = len(out)
    names: list[str | None] = [None] * k
    if k and places is not None:
        place_names, geoms = _place_points(places, crs)
        if len(geoms):
            polys = out.geometry.values
            centres = shapely.points(out["_cx"].to_numpy(), out["_cy"].to_numpy())
            tree = shapely.STRtree(geoms)
            at_hot, at_place = tree.query(polys, predicate="dwithin", distance=NAME_AT)
            dist = shapely.distance(centres[at_hot], geoms[at_place])
            order = np.lexsort((place_names[at_place], dist, at_hot))
            for i, j in zip(at_hot[order], at_place[order], strict=True):
                if names[i] is None:
                    names[i] = str(place_names[j])
            rest = np.array([i for i in range(k) if names[i] is None], dtype=np.int64)
            if len(rest):
                near_hot, near_place = tree.query_nearest(polys[rest], max_distance=NAME_NEAR,
                                                          all_matches=True)
                order = np.lexsort((place_names[near_place], near_hot))
                for i, j in zip(near_hot[order], near_place[order], strict=True):
                    if names[rest[i]] is None:
                        names[rest[i]] = f"Område nära {place_names[j]}"
    missing = [i for i in range(k) if names[i] is None]
    if missing:
        from pyproj import Transformer

        lon, lat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(
            out["_cx"].to_numpy()[missing], out["_cy"].to_numpy()[missing])
        for i, lo, la in zip(missing, lon, lat, strict=True):
            names[i] = (f"Område vid {_sv(abs(la), 4)}° {'N' if la >= 0 else 'S'}, "
                        f"{_sv(abs(lo), 4)}° {'Ö' if lo >= 0 else 'V'}")
    seen: dict[str, int] = {}
    for i in range(k):  # rows are in rank order
        seen[names[i]] = seen.get(names[i], 0) + 1
        if seen[names[i]] > 1:
            names[i] = f"{names[i]} ({seen[names[i]]})"
    return names


def _place_points(places: gpd.GeoDataFrame, crs) -> tuple[np.ndarray, np.ndarray]:
    """Names and geometries (in ``crs``) of the named places of a gazetteer."""
    if not isinstance(places, gpd.GeoDataFrame) or "name" not in places.columns:
        raise ArgumentError("`places` måste vara en ortnamnslista (gazetteer) eller en "
                            "GeoDataFrame med kolumnen 'name'.",
                            "`places` must be a gazetteer or a GeoDataFrame with the "
                            "column 'name'.")
    if places.crs is None:
        raise ArgumentError("`places` saknar koordinatsystem. Ange det med set_crs.",
                            "`places` has no coordinate system. Set it with set_crs.")
    chosen = places[places["kind"] == "place"] if "kind" in places.columns else places
    chosen = chosen[chosen.geometry.notna() & ~chosen.geometry.is_empty
                    & chosen["name"].notna()]
    chosen = chosen.to_crs(crs)
    names = chosen["name"].astype(str).str.strip().to_numpy(dtype=str)
    keep = names != ""
    return names[keep], chosen.geometry.values[keep]


def _base_id(geom: shapely.Geometry, salt: int = 0) -> str:
    c = shapely.centroid(geom)
    key = f"{round(c.x / ID_SNAP)}:{round(c.y / ID_SNAP)}" + (f":{salt}" if salt else "")
    return "HS-" + hashlib.sha1(key.encode()).hexdigest()[:8].upper()


def _ids(polys: np.ndarray, previous: gpd.GeoDataFrame | None, crs) -> list[str]:
    """Stable ids: an earlier hotspot's id by largest overlap, else from the centroid."""
    k = len(polys)
    ids: list[str | None] = [None] * k
    used: set[str] = set()
    if previous is not None:
        if not isinstance(previous, gpd.GeoDataFrame) or "hotspot_id" not in previous:
            raise ArgumentError("`previous` måste vara en tidigare körning av "
                                "hotspot_clusters (med kolumnen 'hotspot_id').",
                                "`previous` must be an earlier output of hotspot_clusters "
                                "(with the column 'hotspot_id').")
        if previous.crs is None:
            raise ArgumentError("`previous` saknar koordinatsystem. Ange det med set_crs.",
                                "`previous` has no coordinate system. Set it with set_crs.")
        prev = previous[previous.geometry.notna()].to_crs(crs)
        prev_ids = prev["hotspot_id"].astype(str).to_numpy(dtype=object)
        used.update(prev_ids)
        if k and len(prev):
            geoms = prev.geometry.values
            new, old = shapely.STRtree(geoms).query(polys, predicate="intersects")
            overlap = shapely.area(shapely.intersection(polys[new], geoms[old]))
            taken: set[str] = set()
            for p in np.lexsort((old, new, -overlap)):
                if overlap[p] <= 0 or ids[new[p]] is not None or prev_ids[old[p]] in taken:
                    continue
                ids[new[p]] = prev_ids[old[p]]
                taken.add(prev_ids[old[p]])
    used.update(i for i in ids if i is not None)
    for i in range(k):  # rank order: the higher-ranked hotspot gets the plain id
        if ids[i] is None:
            salt = 0
            while (candidate := _base_id(polys[i], salt)) in used:
                salt += 1
            ids[i] = candidate
            used.add(candidate)
    return ids


# --- text -------------------------------------------------------------------------------


def _sv(value: float, decimals: int = 0) -> str:
    """A number as Swedes write it: 2 245, 12,5 (:func:`trygg.geo.text.number`)."""
    return number(value, decimals)


def _ordinal_sv(n: int) -> str:
    """1:a, 2:a, 3:e … 11:e, 12:e … 21:a, 22:a."""
    return f"{n}:a" if n % 10 in (1, 2) and n % 100 not in (11, 12) else f"{n}:e"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"

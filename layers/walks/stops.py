"""Which places a safety walk should stop at, and what is known about each.

Candidates inside the walk's area come from four sources (the stop's ``origin``):

- ``hotspot`` — the hotspot areas of the latest clusters run and the hot cells
  (Gi* 95 % and 99 %) of the latest Gi* run;
- ``reports`` — groups of open reports (DBSCAN, 50 m, at least two reports);
- ``finding`` — earlier walk findings (reports with source ``walk``) and open actions;
- ``site`` — the organiser's own places (``--sites``), always kept.

Every candidate is ranked the same way: the reports within :data:`RADIUS_M` of it,
each weighing ``0.5 ** (age / HALF_LIFE_DAYS)``, twice as much while open, plus
:data:`ACTION_WEIGHT` per open action there (a walk should see whether what was
promised was done). Candidates closer than :data:`MERGE_M` to a better one are
merged into it.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from trygg.layers.walks.checklist import topics_for

__all__ = ["ACTION_WEIGHT", "HALF_LIFE_DAYS", "MERGE_M", "RADIUS_M", "candidates",
           "describe_stops", "rank"]

#: Reports within this many metres of a stop belong to it.
RADIUS_M = 75.0
#: Candidates closer than this (metres) to a better one are the same stop.
MERGE_M = 60.0
#: A report's weight halves every this many days.
HALF_LIFE_DAYS = 365.0
#: Weight of one open action at a stop, in reports.
ACTION_WEIGHT = 3.0
#: Most recent report texts kept per stop (intern use only).
RECENT = 5
#: Longest text kept per recent report (characters).
TEXT_CHARS = 120
_OPEN_ACTION = ("open", "in_progress")


def _xy(geoms) -> np.ndarray:
    return shapely.get_coordinates(np.asarray(geoms, dtype=object)).reshape(-1, 2)


def _open(status: pd.Series) -> np.ndarray:
    return ~status.fillna("").astype(str).str.lower().eq("closed").to_numpy()


def candidates(reports: gpd.GeoDataFrame, area, *, hotspots: gpd.GeoDataFrame | None = None,
               hot_cells: gpd.GeoDataFrame | None = None,
               actions: gpd.GeoDataFrame | None = None,
               sites: gpd.GeoDataFrame | None = None, sites_only: bool = False
               ) -> gpd.GeoDataFrame:
    """Candidate stops inside ``area`` (a polygon in the reports' CRS).

    Parameters
    ----------
    reports
        Located reports (``category``, ``status``, ``source``, ``reported_at``).
    area
        The walk's area (shapely polygon, project CRS).
    hotspots, hot_cells
        The latest hotspot areas and Gi* grid (``klass``), or ``None``.
    actions
        The action register (``action_status``), or ``None``.
    sites
        The organiser's own places (points with ``place_name``), or ``None``.
    sites_only
        Only ``sites``.

    Returns
    -------
    GeoDataFrame
        ``origin``, ``place_name`` (may be empty), ``geometry`` (points).
    """
    crs = reports.crs
    rows: list[tuple[str, str, object]] = []
    if sites is not None:
        rows += [("site", str(n), g) for n, g in zip(sites["place_name"], sites.geometry,
                                                    strict=True)]
    if not sites_only:
        if hotspots is not None and len(hotspots):
            for name, poly in zip(hotspots.get("name", [""] * len(hotspots)),
                                  hotspots.geometry, strict=True):
                part = poly.intersection(area)
                if not part.is_empty:
                    rows.append(("hotspot", str(name or "").split(",")[0],
                                 part.point_on_surface()))
        if hot_cells is not None and len(hot_cells):
            hot = hot_cells[hot_cells["klass"].astype(str).str.startswith("hot")]
            for cell in hot.geometry:
                if area.contains(cell.centroid):
                    rows.append(("hotspot", "", cell.centroid))
        inside = reports[reports.geometry.within(area)] if len(reports) else reports
        walk = inside["source"].astype(str).eq("walk").to_numpy() if len(inside) else []
        rows += [("finding", "", g) for g in inside.geometry[walk]]
        if actions is not None and len(actions):
            open_ = actions[actions["action_status"].astype(str).isin(_OPEN_ACTION)]
            rows += [("finding", str(p or ""), g) for p, g in
                     zip(open_["place_text"], open_.geometry, strict=True)
                     if g is not None and area.contains(g)]
        open_reports = inside[_open(inside["status"]) & ~np.asarray(walk, dtype=bool)] \
            if len(inside) else inside
        if len(open_reports) >= 2:
            from sklearn.cluster import DBSCAN

            xy = _xy(open_reports.geometry)
            labels = DBSCAN(eps=50.0, min_samples=2).fit_predict(xy)
            for k in sorted(set(labels) - {-1}):
                centre = xy[labels == k].mean(axis=0)
                rows.append(("reports", "", shapely.Point(centre)))
    if not rows:
        return gpd.GeoDataFrame({"origin": [], "place_name": []}, geometry=[], crs=crs)
    origin, names, geoms = zip(*rows, strict=True)
    return gpd.GeoDataFrame({"origin": list(origin), "place_name": list(names)},
                            geometry=list(geoms), crs=crs)


def _weights(reports: gpd.GeoDataFrame, now: pd.Timestamp) -> np.ndarray:
    when = pd.to_datetime(reports["reported_at"], utc=True)
    age = ((now - when).dt.total_seconds() / 86400.0).fillna(HALF_LIFE_DAYS * 3).clip(lower=0)
    weight = np.power(0.5, age.to_numpy() / HALF_LIFE_DAYS)
    return weight * np.where(_open(reports["status"]), 2.0, 1.0)


def rank(cands: gpd.GeoDataFrame, reports: gpd.GeoDataFrame, *,
         actions: gpd.GeoDataFrame | None = None, now: pd.Timestamp | None = None
         ) -> gpd.GeoDataFrame:
    """``cands`` with ``rank_score`` (see the module text), best first, merged: a
    candidate within :data:`MERGE_M` of a better one is dropped (own sites are never
    dropped, and win ties)."""
    if cands.empty:
        return cands.assign(rank_score=pd.Series(dtype=float))
    now = now or pd.Timestamp.now(tz="UTC")
    xy = _xy(cands.geometry)
    score = np.zeros(len(cands))
    if len(reports):
        tree = cKDTree(_xy(reports.geometry))
        w = _weights(reports, now)
        for i, near in enumerate(tree.query_ball_point(xy, RADIUS_M)):
            score[i] = float(w[near].sum())
    if actions is not None and len(actions):
        open_ = actions[actions["action_status"].astype(str).isin(_OPEN_ACTION)]
        pts = [g for g in open_.geometry if g is not None]
        if pts:
            tree = cKDTree(_xy(pts))
            score += ACTION_WEIGHT * np.array([len(n) for n in
                                               tree.query_ball_point(xy, RADIUS_M)])
    out = cands.assign(rank_score=score)
    site = out["origin"].eq("site").to_numpy()
    order = np.lexsort((-score, ~site))  # own sites first, then by score
    kept: list[int] = []
    for i in order:
        if site[i] or all(np.hypot(*(xy[i] - xy[j])) >= MERGE_M for j in kept):
            kept.append(int(i))
    return out.iloc[kept].reset_index(drop=True)


def _place_name(gazetteer: gpd.GeoDataFrame | None, point, fallback: str,
                taken: set[str] = frozenset()) -> str:
    """The nearest named place (150 m), intersection or address (60 m) of ``point``
    whose name is not ``taken`` by an earlier stop; ``fallback`` when there is none."""
    if gazetteer is None or gazetteer.empty:
        return fallback
    for kinds, reach in ((("place",), 150.0), (("intersection", "address"), 60.0)):
        near = gazetteer[gazetteer["kind"].isin(kinds)]
        if near.empty:
            continue
        d = near.geometry.distance(point)
        for j in d[d <= reach].sort_values(kind="stable").index:
            name = str(near.loc[j, "name"]).split(",")[0].strip()
            name = name if kinds == ("place",) or not name else f"vid {name}"
            if name and name not in taken:
                return name
    return fallback


def _unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name (2)``, ``name (3)`` … when an earlier stop has it."""
    k, out = 2, name
    while out in taken:
        out, k = f"{name} ({k})", k + 1
    return out


def describe_stops(stops: gpd.GeoDataFrame, reports: gpd.GeoDataFrame, *,
                   gazetteer: gpd.GeoDataFrame | None = None,
                   actions: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """What is known at each stop: ``place_name`` (kept when given, else from the
    gazetteer), ``n_reports``, ``by_category``, ``by_kind`` (JSON counts), ``recent``
    (the :data:`RECENT` newest texts, JSON; intern use only), ``findings`` (earlier walk
    findings and their actions, JSON) and ``topics`` (checklist topics, JSON)."""
    out = stops.copy()
    xy = _xy(out.geometry)
    tree = cKDTree(_xy(reports.geometry)) if len(reports) else None
    acts = None
    if actions is not None and len(actions):
        acts = actions.set_index("report_id")
    names, n, by_cat, by_kind, recent, findings, topics = [], [], [], [], [], [], []
    for i, point in enumerate(out.geometry):
        near = reports.iloc[tree.query_ball_point(xy[i], RADIUS_M)] if tree is not None \
            else reports.iloc[:0]
        cats = near["category"].astype(str).value_counts()
        kinds = near["kind"].astype(str).value_counts() if "kind" in near else pd.Series()
        given = str(out["place_name"].iloc[i] or "")
        taken = set(names)
        names.append(_unique(given or _place_name(gazetteer, point, f"Stopp {i + 1}", taken),
                             taken))
        n.append(len(near))
        by_cat.append(json.dumps({str(k): int(v) for k, v in cats.items()},
                                 ensure_ascii=False))
        by_kind.append(json.dumps({str(k): int(v) for k, v in kinds.items()},
                                  ensure_ascii=False))
        newest = near.sort_values("reported_at", ascending=False).head(RECENT)
        recent.append(json.dumps([
            {"date": pd.Timestamp(r.reported_at).tz_convert("Europe/Stockholm").strftime(
                "%Y-%m-%d") if pd.notna(r.reported_at) else "",
             "category": str(r.category),
             "text": (str(r.description)[:TEXT_CHARS] if isinstance(r.description, str)
                      else "")}
            for r in newest.itertuples(index=False)], ensure_ascii=False))
        walk = near[near["source"].astype(str) == "walk"]
        items = []
        for r in walk.itertuples(index=False):
            act = acts.loc[r.report_id] if acts is not None and r.report_id in acts.index \
                else None
            if isinstance(act, pd.DataFrame):
                act = act.iloc[0]
            items.append({
                "report_id": str(r.report_id),
                "date": pd.Timestamp(r.reported_at).strftime("%Y-%m-%d")
                if pd.notna(r.reported_at) else "",
                "category": str(r.category), "status": str(r.status or ""),
                "action": "" if act is None else str(act["action"] or ""),
                "action_status": "" if act is None else str(act["action_status"] or "")})
        findings.append(json.dumps(items, ensure_ascii=False))
        topics.append(json.dumps(topics_for(cats.index), ensure_ascii=False))
    return out.assign(place_name=names, n_reports=np.asarray(n, dtype=np.int64),
                      by_category=by_cat, by_kind=by_kind, recent=recent, findings=findings,
                      topics=topics)

"""The facts about one proposed camera site, for its written basis (kameraunderlag).

:func:`site_facts` gathers what a decision needs to see about a site of a stored
camera run: the site and its view polygon, the incidents inside the view (the
kinds cameras can affect, by category and year, by weekday and hour, after
dark), how dense they are against the municipality as a whole, the privacy
features in view and the hours that hold most of it. It computes; the document
is drawn by :mod:`maps.camera_basis`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from trygg.geo.errors import ArgumentError
from trygg.layers.cameras import coverage as cov
from trygg.layers.schema import CATEGORIES

__all__ = ["SiteFacts", "site_facts"]

#: Metres of surroundings shown around the view in the basis' map.
MARGIN_M = 60.0


@dataclass
class SiteFacts:
    """What :func:`site_facts` found (counts are of reports with a point).

    Attributes
    ----------
    site
        The site's row of ``camera_sites_<run>`` (rank, site_id, direction …) and its
        ``x``, ``y``.
    view
        Its view polygon (project CRS).
    params
        The run's parameters (``plan`` of the run record).
    counts
        Reports inside the view by ``category`` (rows, vocabulary order) and year
        (columns).
    profile
        7 × 24 weekday × hour counts (Monday first, local time).
    n, n_dark
        Reports inside the view, and how many of them after dark.
    period
        First and last day of the reports counted (``YYYY-MM-DD``).
    density_site, density_all
        Reports per km² inside the view and over the area all the project's reports
        cover (their convex hull), of the same categories.
    hours, window, window_share
        The fewest hours (0–23) holding the run's ``hours_share``, the shortest run of
        consecutive hours that does (``(start, end)``) and the share that run holds.
    nearby
        The counted reports within the map's extent, with ``inside`` (in the view).
    buildings
        Building footprints within the map's extent (empty when the run had none, or
        its file is gone).
    bbox
        The map's extent (min x, min y, max x, max y), metres.
    """

    site: dict
    view: shapely.Geometry
    params: dict
    counts: pd.DataFrame
    profile: np.ndarray
    n: int
    n_dark: int
    period: tuple[str, str]
    density_site: float
    density_all: float
    hours: list[int]
    window: tuple[int, int] | None
    window_share: float
    privacy: dict[str, int]
    nearby: gpd.GeoDataFrame
    buildings: gpd.GeoSeries
    bbox: tuple[float, float, float, float]
    synthetic: bool = False
    run_id: str = ""
    chosen: int = 0
    project: str = ""
    crs: str = ""
    categories: list[str] = field(default_factory=list)


def _run_record(store, run_id: str) -> dict:
    runs = store.read("runs") if "runs" in store.layers() else pd.DataFrame()
    rows = runs[runs["run_id"] == run_id] if len(runs) else runs
    if len(rows) == 0 or str(rows.iloc[0]["kind"]) != "cameras":
        known = [str(r) for r, k in zip(runs.get("run_id", []), runs.get("kind", []),
                                        strict=True) if k == "cameras"]
        raise ArgumentError(
            f"Projektet har ingen kamerakörning som heter {run_id}"
            + (f" (finns: {', '.join(known)})." if known else "; gör en med trygg cameras."),
            f"The project has no camera run called {run_id}"
            + (f" (there are: {', '.join(known)})." if known else "; make one with trygg "
               "cameras."))
    return json.loads(rows.iloc[0]["params"])


def site_facts(store, run_id: str, site_id: str) -> SiteFacts:
    """The facts about site ``site_id`` of the camera run ``run_id``.

    Raises
    ------
    ArgumentError
        The run or the site does not exist (the message lists what does).
    """
    record = _run_record(store, run_id)
    params = record.get("plan", {})
    sites = store.read_layer(f"camera_sites_{run_id}")
    views = store.read_layer(f"camera_views_{run_id}")
    hit = sites[sites["site_id"].astype(str) == str(site_id)]
    if hit.empty:
        listed = ", ".join(sites["site_id"].astype(str).tolist()[:20])
        raise ArgumentError(f"Körningen {run_id} har ingen vald plats {site_id} (valda: "
                            f"{listed}).",
                            f"The run {run_id} has no chosen site {site_id} (chosen: "
                            f"{listed}).")
    site = hit.iloc[0]
    view = views[views["site_id"].astype(str) == str(site_id)].geometry.iloc[0]
    chosen = (record.get("selection") or {}).get("categories") or \
        [c for c, cat in CATEGORIES.items() if cat.camera != "none"]
    cats = [c for c in chosen if CATEGORIES.get(c) and CATEGORIES[c].camera != "none"] or \
        list(chosen)
    points = store.read_points(["category", "reported_at"]).to_geodataframe()
    points = points[points["category"].isin(cats)]
    geoms = points.geometry.to_numpy()
    inside = np.asarray(shapely.intersects(view, geoms), dtype=bool)
    here = points[inside]
    when = pd.to_datetime(here["reported_at"])
    years = when.dt.year
    counts = pd.crosstab(here["category"], years) if len(here) else pd.DataFrame()
    counts = counts.reindex([c for c in CATEGORIES if c in counts.index])
    profile = cov.hours_profile(when) if len(here) else np.zeros((7, 24))
    n_dark = 0
    if len(here):
        from trygg.geo.sun import is_dark

        wgs = here.geometry.to_crs("EPSG:4326")
        n_dark = int(np.asarray(is_dark(when, wgs.x.to_numpy(), wgs.y.to_numpy(),
                                        threshold=-6.0)).sum())
    share = float(params.get("hours_share") or 0.8)
    hours = cov.proposed_hours(profile, share) if len(here) else []
    window = cov.hour_window(profile, share) if len(here) else None
    held = 0.0
    if window is not None:
        start, end = window
        span = [(start + i) % 24 for i in range(((end - start) % 24) or 24)]
        held = float(profile.sum(axis=0)[span].sum() / profile.sum())
    hull = shapely.convex_hull(shapely.multipoints(shapely.get_coordinates(geoms))) \
        if len(points) >= 3 else None
    all_area = float(hull.area) if hull is not None else 0.0
    density_site = len(here) / (view.area / 1e6) if view.area > 0 else float("nan")
    density_all = len(points) / (all_area / 1e6) if all_area > 0 else float("nan")
    x0, y0, x1, y1 = shapely.buffer(view, MARGIN_M).bounds
    box = shapely.box(x0, y0, x1, y1)
    near = np.asarray(shapely.intersects(box, geoms), dtype=bool)
    nearby = gpd.GeoDataFrame({"category": points["category"].to_numpy()[near],
                               "inside": inside[near]},
                              geometry=list(geoms[near]), crs=store.crs)
    buildings = _buildings(record.get("buildings"), store.crs, box)
    return SiteFacts(
        site={**{k: (v.item() if hasattr(v, "item") else v) for k, v in site.items()
                 if k != "geometry"}, "x": float(site.geometry.x), "y": float(site.geometry.y)},
        view=view, params=params, counts=counts, profile=profile, n=int(len(here)),
        n_dark=n_dark,
        period=(when.min().strftime("%Y-%m-%d"), when.max().strftime("%Y-%m-%d"))
        if len(here) else ("", ""),
        density_site=density_site, density_all=density_all, hours=hours, window=window,
        window_share=held, privacy=json.loads(site.get("privacy") or "{}"), nearby=nearby,
        buildings=buildings, bbox=(x0, y0, x1, y1), synthetic=store.synthetic,
        run_id=run_id, chosen=len(sites),
        project=store.name, crs=store.crs, categories=cats)


def _buildings(spec: str | None, crs: str, box: shapely.Geometry) -> gpd.GeoSeries:
    """The run's building footprints inside ``box``; none when the file is gone."""
    empty = gpd.GeoSeries([], crs=crs)
    if not spec:
        return empty
    from trygg.layers.areas import read_layer, split_layer

    if not split_layer(spec)[0].is_file():
        return empty
    try:
        frame = read_layer(spec, option="--buildings", polygons=True)
    except (ArgumentError, OSError):
        return empty
    geoms = frame.geometry.to_crs(crs)
    return geoms[geoms.intersects(box)].reset_index(drop=True)

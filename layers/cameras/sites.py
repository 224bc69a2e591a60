"""``camera_sites``: the k sites where cameras would see the most of what has happened.

One call does the job: the incidents (reports in the project CRS), the candidate
sites, and optionally buildings that block sight, existing cameras and layers
whose presence in a view is a privacy cost. It computes each site's view polygon
(:mod:`geo.sight`), weighs the incidents (:func:`coverage.incident_weights`),
chooses the sites (:mod:`solve`: greedy for any size, the exact integer program
when the instance is small enough, with the greedy answer's gap) and describes
each chosen site: what it would cover by category and year, the share after
dark, the hours that hold most of it, and its privacy cost.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

from trygg.geo.errors import ArgumentError
from trygg.geo.sight import view_polygons
from trygg.layers.cameras import coverage as cov
from trygg.layers.cameras.solve import Solution, compare, greedy
from trygg.layers.schema import CATEGORIES

__all__ = ["CameraPlan", "SITE_COLUMNS", "camera_sites"]

#: Columns of the chosen sites, in order (``geometry`` last).
SITE_COLUMNS = ("rank", "site_id", "direction", "marginal", "cumulative", "share",
                "n", "by_category", "by_year", "share_dark", "hours", "hours_window",
                "privacy_cost",
                "privacy", "geometry")
DARK_BELOW = -6.0  #: degrees of sun elevation (civil twilight), as for hotspots


@dataclass
class CameraPlan:
    """The chosen camera sites and how they were chosen.

    Attributes
    ----------
    sites
        One row per chosen site, in rank order (:data:`SITE_COLUMNS`): ``marginal``
        and ``cumulative`` weighted coverage; ``share`` the cumulative share of the
        total weight; ``n`` the incidents of kinds cameras can affect that the site
        sees, ``by_category`` and ``by_year`` of them (JSON); ``privacy`` the privacy
        layers' features in view (JSON); ``hours`` the fewest hours holding
        ``hours_share`` of the weight as ``"22-02"`` ranges; ``hours_window`` the
        shortest run of consecutive hours that does; ``direction`` the bearing (NaN
        for 360° domes).
    views
        The chosen sites' view polygons (``rank``, ``site_id``, ``geometry``).
    greedy, exact
        The solutions (``exact`` is ``None`` when the instance was too large).
    params
        Every parameter used, for the run record.
    """

    sites: gpd.GeoDataFrame
    views: gpd.GeoDataFrame
    greedy: Solution
    exact: Solution | None
    params: dict
    notes: list[str] = field(default_factory=list)


def camera_sites(incidents: gpd.GeoDataFrame, candidates: gpd.GeoDataFrame, *,
                 k: int | None = 10, target_coverage: float | None = None,
                 range_m: float = 40.0, fov_deg: float = 360.0, min_dist_m: float = 0.0,
                 buildings: gpd.GeoSeries | gpd.GeoDataFrame | None = None,
                 surface: str | Path | None = None, height_m: float = 4.0,
                 existing: gpd.GeoDataFrame | None = None,
                 half_life_days: float | None = 365.0, night_factor: float = 1.0,
                 backup: float = 0.0, privacy: dict[str, gpd.GeoSeries] | None = None,
                 privacy_penalty: float = 0.0, hours_share: float = 0.8,
                 exact: bool | None = None, time_limit_s: float = 60.0) -> CameraPlan:
    """Choose camera sites by weighted maximal coverage.

    Parameters
    ----------
    incidents
        Reports (points, a projected CRS in metres) with ``category`` and
        ``reported_at``; rows without a point are left out.
    candidates
        Candidate sites (points, the same CRS); optional columns ``site_id`` and
        ``directions`` (allowed bearings, e.g. ``"90;180"``, for ``fov_deg < 360``).
    k
        Cameras to place (default 10); or ``target_coverage``: the share (0–1) of the
        total weight to cover with as few cameras as possible (then ``k=None``).
    range_m, fov_deg, min_dist_m
        Camera model: range (default 40 m), horizontal field of view (default 360°, a
        dome; e.g. 90 for a fixed camera, pointed the best allowed way), blind spot.
    buildings
        Footprints that block sight (polygons).
    surface
        A surface model raster (GeoTIFF, metres, the project CRS: terrain, trees,
        hedges) that blocks sight too (:func:`geo.sight.surface_limits`).
    height_m
        Mounting height above the surface, metres (default 4), unless the candidates
        have a ``height`` column.
    existing
        Cameras already installed (points, same model): what they see counts as
        covered already.
    half_life_days, night_factor
        Weighting of the incidents (:func:`coverage.incident_weights`).
    backup
        Extra weight (0–1) for an incident seen by a second camera (default 0).
    privacy, privacy_penalty
        Layers (name → geometries: address points, residential buildings, schools,
        playgrounds …) whose features inside a view count as its privacy cost, and
        the weight one such feature costs in the objective (default 0: reported only).
    hours_share
        Share of a site's covered weight its proposed hours hold (default 0.8).
    exact
        Also solve exactly: ``None`` (default) when the instance is small enough,
        ``True`` always, ``False`` never.
    time_limit_s
        Seconds the exact solver may take (default 60).

    Returns
    -------
    CameraPlan
    """
    crs = _check_crs(incidents, candidates)
    if target_coverage is not None:
        k = None
    if not 0 <= backup <= 1:
        raise ArgumentError(f"--backup ska ligga mellan 0 och 1, inte {backup}.",
                            f"--backup must lie between 0 and 1, not {backup}.")
    if len(candidates) == 0:
        raise ArgumentError("Det finns inga kameraplatser att välja bland: filen med "
                            "kandidater är tom.",
                            "There are no camera sites to choose from: the candidate file "
                            "is empty.")
    located = incidents[incidents.geometry.notna() & ~incidents.geometry.is_empty]
    pts = shapely.get_coordinates(located.geometry.to_numpy())
    weights = cov.incident_weights(located, half_life_days=half_life_days,
                                   night_factor=night_factor)
    cand = candidates.reset_index(drop=True)
    ids = (cand["site_id"].astype(str) if "site_id" in cand
           else pd.Series([f"K{i + 1}" for i in range(len(cand))]))
    n_new = len(cand)
    ex = None
    sites_xy = _point_xy(cand, "candidates")
    if existing is not None and len(existing):
        ex_xy = _point_xy(existing.to_crs(crs) if existing.crs != crs else existing,
                          "existing")
        sites_xy = np.vstack([sites_xy, ex_xy])
        ex = np.arange(n_new, n_new + len(ex_xy))
    blockers = None if buildings is None else _geoms(buildings, crs)
    over = None
    if surface is not None:
        heights = np.full(len(sites_xy), float(height_m))
        if "height" in cand:
            given = pd.to_numeric(cand["height"], errors="coerce").to_numpy(dtype=float)
            heights[:n_new] = np.where(np.isfinite(given), given, height_m)
        over = _surface_views(surface, crs, sites_xy, heights, range_m)

    def seen(fov: float = 360.0, towards: NDArray[np.float64] | None = None
             ) -> NDArray[np.object_]:
        v = view_polygons(sites_xy, blockers, range_m=range_m, min_dist_m=min_dist_m,
                          fov_deg=fov, direction_deg=towards)
        return v if over is None else np.asarray(shapely.intersection(v, over), dtype=object)

    views = seen()
    matrix = cov.coverage(views, pts)
    direction = np.full(len(sites_xy), np.nan)
    if fov_deg < 360:
        allowed = _allowed(cand, len(sites_xy))
        direction, matrix = cov.best_directions(sites_xy, matrix, pts, weights, fov_deg,
                                                allowed=allowed)
        views = seen(fov_deg, direction)
    cost, privacy_counts = _privacy(views, privacy, crs)
    options = dict(backup=backup, privacy=cost, privacy_penalty=privacy_penalty, existing=ex)
    if exact is False:
        g, e = greedy(matrix, weights, k=k, target=target_coverage, **options), None
    else:
        g, e = compare(matrix, weights, k=k, target=target_coverage,
                       exact_max_nonzeros=(np.iinfo(np.int64).max if exact
                                           else 2_000_000),
                       time_limit_s=time_limit_s, **options)
    chosen = e if e is not None and e.objective > g.objective + 1e-9 else g
    notes = list(g.notes)
    if chosen is e and target_coverage is None:
        notes.append("exact_better_than_greedy")
    table = _describe(chosen, matrix, located, weights, sites_xy, ids, direction, cost,
                      privacy_counts, hours_share, crs)
    rank_views = gpd.GeoDataFrame(
        {"rank": table["rank"].to_numpy(), "site_id": table["site_id"].to_numpy()},
        geometry=list(views[chosen.sites]), crs=crs)
    params = {"k": k, "target_coverage": target_coverage, "range_m": range_m,
              "fov_deg": fov_deg, "min_dist_m": min_dist_m, "half_life_days": half_life_days,
              "night_factor": night_factor, "backup": backup,
              "privacy_penalty": privacy_penalty, "hours_share": hours_share,
              "candidates": n_new, "existing": 0 if ex is None else len(ex),
              "incidents": len(located), "weight_total": round(float(weights.sum()), 6),
              "relevance": cov.RELEVANCE, "greedy_objective": g.objective,
              "exact_objective": None if e is None else e.objective,
              "exact_optimal": None if e is None else e.optimal,
              "greedy_gap": g.gap, "method": chosen.method}
    return CameraPlan(sites=table, views=rank_views, greedy=g, exact=e, params=params,
                      notes=notes)


def _surface_views(path: str | Path, crs, sites_xy: NDArray[np.float64],
                   heights: NDArray[np.float64], range_m: float) -> NDArray[np.object_]:
    import pyproj
    import rasterio

    from trygg.geo.errors import InputFileError
    from trygg.geo.sight import surface_limits

    try:
        with rasterio.open(path) as src:
            if src.crs is None or pyproj.CRS.from_user_input(src.crs.to_wkt()) != \
                    pyproj.CRS.from_user_input(crs):
                raise InputFileError(
                    f"Höjdmodellen {Path(path).name} har ett annat koordinatsystem "
                    f"({src.crs}) än projektet ({crs}); transformera den först (t.ex. "
                    "gdalwarp -t_srs).",
                    f"The surface model {Path(path).name} is in another CRS ({src.crs}) "
                    f"than the project ({crs}); transform it first (e.g. gdalwarp -t_srs).")
            band = src.read(1, masked=True).astype(float).filled(np.nan)
            transform = tuple(src.transform)[:6]
    except rasterio.errors.RasterioIOError as exc:
        raise InputFileError(f"Höjdmodellen {Path(path).name} kunde inte läsas: {exc}",
                             f"The surface model {Path(path).name} could not be read: "
                             f"{exc}") from exc
    return surface_limits(sites_xy, band, transform, range_m=range_m,  # type: ignore[arg-type]
                          height_m=heights)


def _check_crs(incidents: gpd.GeoDataFrame, candidates: gpd.GeoDataFrame):
    crs = incidents.crs
    if crs is None or not crs.is_projected:
        raise ArgumentError("Händelserna måste ha ett projicerat koordinatsystem i meter "
                            "(projektets, t.ex. EPSG:3006).",
                            "The incidents must be in a projected CRS in metres (the "
                            "project's, e.g. EPSG:3006).")
    if candidates.crs is not None and candidates.crs != crs:
        raise ArgumentError(
            f"Kameraplatserna har ett annat koordinatsystem ({candidates.crs.to_string()}) "
            f"än projektet ({crs.to_string()}); transformera dem först.",
            f"The camera sites are in another CRS ({candidates.crs.to_string()}) than the "
            f"project ({crs.to_string()}); transform them first.")
    return crs


def _point_xy(frame: gpd.GeoDataFrame, what: str) -> NDArray[np.float64]:
    geom = frame.geometry
    if geom.isna().any() or geom.is_empty.any() or (geom.geom_type != "Point").any():
        sv = {"candidates": "kameraplatserna", "existing": "de befintliga kamerorna"}[what]
        raise ArgumentError(f"Alla {sv} måste vara punkter med koordinater.",
                            f"All the {what} must be points with coordinates.")
    return shapely.get_coordinates(geom.to_numpy())


def _allowed(cand: pd.DataFrame, n: int) -> list[list[float]]:
    out: list[list[float]] = [[] for _ in range(n)]
    if "directions" not in cand:
        return out
    for i, value in enumerate(cand["directions"]):
        if value is None or (isinstance(value, float) and np.isnan(value)):
            continue
        try:
            out[i] = [float(v) for v in str(value).replace(",", ";").split(";") if v.strip()]
        except ValueError:
            raise ArgumentError(
                f"Riktningarna för kameraplats {i + 1} ('{value}') ska vara grader skilda "
                "med semikolon, t.ex. 90;180.",
                f"The directions of camera site {i + 1} ('{value}') must be degrees "
                "separated by semicolons, e.g. 90;180.") from None
    return out


def _geoms(layer: gpd.GeoSeries | gpd.GeoDataFrame, crs) -> NDArray[np.object_]:
    """The layer's geometries in ``crs`` (a layer without a CRS is taken as in it),
    missing ones left out."""
    series = layer.geometry if isinstance(layer, gpd.GeoDataFrame) else layer
    if series.crs is not None and series.crs != crs:
        series = series.to_crs(crs)
    arr = np.asarray(series, dtype=object)
    return arr[~shapely.is_missing(arr) & ~shapely.is_empty(arr)]


def _privacy(views: NDArray[np.object_], layers: dict[str, gpd.GeoSeries] | None, crs
             ) -> tuple[NDArray[np.float64], list[dict[str, int]]]:
    counts: list[dict[str, int]] = [{} for _ in range(len(views))]
    cost = np.zeros(len(views))
    for name, layer in (layers or {}).items():
        arr = _geoms(layer, crs)
        if len(arr) == 0:
            continue
        site, _ = shapely.STRtree(arr).query(np.asarray(views, dtype=object),
                                             predicate="intersects")
        per = np.bincount(site, minlength=len(views))
        cost += per
        for j in np.flatnonzero(per):
            counts[j][name] = int(per[j])
    return cost, counts


def _describe(sol: Solution, matrix, located: gpd.GeoDataFrame, weights, sites_xy, ids,
              direction, cost, privacy_counts, hours_share, crs) -> gpd.GeoDataFrame:
    from trygg.geo.sun import is_dark

    rows = []
    cumulative = 0.0
    when = pd.to_datetime(located["reported_at"])
    wgs = located.geometry.to_crs("EPSG:4326")
    dark = np.asarray(is_dark(when, wgs.x.to_numpy(), wgs.y.to_numpy(),
                              threshold=DARK_BELOW), dtype=float) if len(located) else \
        np.zeros(0)
    # what a site "sees" in the table: the incidents cameras can affect (relevance
    # other than none), whatever their age
    relevant = located["category"].map(
        lambda c: c in CATEGORIES and CATEGORIES[c].camera != "none").to_numpy(dtype=bool)
    for rank, (j, gain) in enumerate(zip(sol.sites, sol.marginal, strict=True), start=1):
        cols = matrix.indices[matrix.indptr[j]:matrix.indptr[j + 1]]
        cols = cols[relevant[cols]]
        cumulative += gain
        sub = located.iloc[cols]
        cats = sub["category"].value_counts()
        years = when.iloc[cols].dt.year.value_counts().sort_index()
        profile = cov.hours_profile(when.iloc[cols], weights[cols])
        hours = cov.proposed_hours(profile, hours_share) if len(cols) else []
        window = cov.hour_window(profile, hours_share) if len(cols) else None
        rows.append({
            "rank": rank, "site_id": ids.iloc[j],
            "direction": float(direction[j]), "marginal": round(float(gain), 6),
            "cumulative": round(cumulative, 6),
            "share": round(cumulative / sol.total, 6) if sol.total else 0.0,
            "n": int(len(cols)),
            "by_category": json.dumps({c: int(cats[c]) for c in CATEGORIES if c in cats},
                                      ensure_ascii=False),
            "by_year": json.dumps({str(y): int(v) for y, v in years.items()}),
            "share_dark": round(float(dark[cols].mean()), 4) if len(cols) else float("nan"),
            "hours": ",".join(f"{a:02d}-{b:02d}" for a, b in cov.hour_ranges(hours)),
            "hours_window": "" if window is None else f"{window[0]:02d}-{window[1]:02d}",
            "privacy_cost": float(cost[j]),
            "privacy": json.dumps(privacy_counts[j], ensure_ascii=False),
        })
    frame = pd.DataFrame(rows, columns=[c for c in SITE_COLUMNS if c != "geometry"])
    geometry = shapely.points(sites_xy[sol.sites]) if len(frame) else []
    return gpd.GeoDataFrame(frame, geometry=list(geometry), crs=crs)

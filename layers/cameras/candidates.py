"""Candidate camera sites when the municipality has no list of poles and facades.

Points every ``spacing_m`` metres along the streets (or, without a street layer,
on a square grid), outside buildings, kept only where a camera at that point
would have relevant incidents within its range; at most ``max_sites``, those
with the most weight in range first.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import NDArray

from trygg.geo.errors import ArgumentError

__all__ = ["generate_candidates"]


def generate_candidates(incidents_xy: NDArray[np.float64], weights: NDArray[np.float64], *,
                        crs: object, streets: gpd.GeoSeries | None = None,
                        buildings: gpd.GeoSeries | None = None, spacing_m: float = 20.0,
                        range_m: float = 40.0, max_sites: int = 2_000) -> gpd.GeoDataFrame:
    """Candidate sites near the incidents that count.

    Parameters
    ----------
    incidents_xy, weights
        The incidents' coordinates (metres, ``crs``) and camera weights; only those
        with a positive weight attract candidates.
    crs
        The CRS of the coordinates (the project's).
    streets
        Street and path centre lines; without them a square grid is used.
    buildings
        Footprints; no candidate is placed inside one.
    spacing_m
        Distance between candidates along a street or in the grid, metres (default 20).
    range_m
        The camera range, metres (default 40): a candidate needs weight within it.
    max_sites
        At most this many candidates (default 2,000).

    Returns
    -------
    geopandas.GeoDataFrame
        ``site_id`` (``G1`` …), ``weight_in_range`` and point geometry, best first.
    """
    if not spacing_m > 0:
        raise ArgumentError(f"Avståndet mellan platserna måste vara över 0 m, inte {spacing_m}.",
                            f"The spacing of the sites must be over 0 m, not {spacing_m}.")
    xy = np.asarray(incidents_xy, dtype=float).reshape(-1, 2)
    w = np.asarray(weights, dtype=float)
    xy, w = xy[w > 0], w[w > 0]
    empty = gpd.GeoDataFrame({"site_id": [], "weight_in_range": []}, geometry=[], crs=crs)
    if len(xy) == 0:
        return empty
    pts = shapely.points(xy)
    if streets is not None and len(streets):
        lines = shapely.segmentize(np.asarray(streets.geometry if isinstance(
            streets, gpd.GeoDataFrame) else streets, dtype=object), spacing_m)
        tree = shapely.STRtree(pts)
        near = np.unique(tree.query(lines, predicate="dwithin", distance=range_m)[0])
        coords = shapely.get_coordinates(lines[near]) if len(near) else np.zeros((0, 2))
        coords = np.unique(np.round(coords / 0.5) * 0.5, axis=0)
    else:
        lo = np.floor(xy.min(axis=0) / spacing_m) * spacing_m - range_m
        hi = xy.max(axis=0) + range_m
        gx, gy = np.meshgrid(np.arange(lo[0], hi[0], spacing_m),
                             np.arange(lo[1], hi[1], spacing_m))
        coords = np.c_[gx.ravel(), gy.ravel()]
    if len(coords) == 0:
        return empty
    cand = shapely.points(coords)
    if buildings is not None and len(buildings):
        geoms = np.asarray(buildings.geometry if isinstance(buildings, gpd.GeoDataFrame)
                           else buildings, dtype=object)
        inside = shapely.STRtree(geoms).query(cand, predicate="intersects")[0]
        keep = np.ones(len(cand), dtype=bool)
        keep[inside] = False
        cand, coords = cand[keep], coords[keep]
    site, incident = shapely.STRtree(pts).query(cand, predicate="dwithin", distance=range_m)
    score = np.bincount(site, weights=w[incident], minlength=len(cand))
    order = np.argsort(-score, kind="stable")
    order = order[score[order] > 0][:max_sites]
    return gpd.GeoDataFrame({"site_id": [f"G{i + 1}" for i in range(len(order))],
                             "weight_in_range": np.round(score[order], 6)},
                            geometry=list(cand[order]), crs=crs)

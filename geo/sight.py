"""Line of sight: what a camera at a point can see past the buildings around it.

A view polygon is the disk of the camera's range minus every building's shadow
(the region behind the building as seen from the camera), optionally cut to the
camera's field of view and with its blind spot (minimum distance) removed. The
shadows are exact polygons, built for all sites at once with shapely's vectorised
functions: for each building edge near a site, the area between the edge and
the rays through its end points, out to twice the range. No ray sampling, so a
narrow gap between two buildings is seen exactly as wide as it is.

Directions are compass bearings in degrees: 0 = north, 90 = east, clockwise.
Coordinates are those of a projected CRS in metres (the project's, EPSG:3006 by
default).
"""

from __future__ import annotations

import numpy as np
import shapely
from numpy.typing import NDArray

from trygg.geo.errors import ArgumentError

__all__ = ["NUDGE_M", "bearings", "sector", "surface_limits", "view_polygons"]

#: Metres; a site inside or on a building's outline is moved this far out of it
#: (a camera on a facade looks away from the wall, not through it).
NUDGE_M = 0.05
#: Segments per quarter circle of the range disk (about 0.3 % short of the true area).
QUAD_SEGS = 16


def view_polygons(sites: NDArray[np.float64], buildings: NDArray[np.object_] | None = None,
                  *, range_m: float = 40.0, min_dist_m: float = 0.0, fov_deg: float = 360.0,
                  direction_deg: NDArray[np.float64] | float | None = None
                  ) -> NDArray[np.object_]:
    """The area each site can see: its range disk minus the buildings' shadows.

    Parameters
    ----------
    sites
        ``(n, 2)`` site coordinates, metres (a projected CRS).
    buildings
        Building footprints (shapely Polygons or MultiPolygons, same CRS) that block
        sight; ``None`` or empty: nothing blocks.
    range_m
        How far a camera sees, metres (default 40).
    min_dist_m
        The blind spot right under the camera, metres (default 0: none).
    fov_deg
        Horizontal field of view in degrees: 360 (default) for a dome camera, e.g. 90
        for a fixed one, which then needs ``direction_deg``.
    direction_deg
        The compass bearing each camera looks towards (one value or one per site);
        only used when ``fov_deg < 360``.

    Returns
    -------
    numpy.ndarray of shapely geometries
        One (Multi)Polygon per site, possibly empty (a site walled in).
    """
    xy = np.asarray(sites, dtype=float).reshape(-1, 2)
    if not np.isfinite(xy).all():
        raise ArgumentError("Kameraplatserna måste ha koordinater (inga tomma värden).",
                            "The camera sites must have coordinates (no missing values).")
    if not range_m > 0:
        raise ArgumentError(f"Räckvidden måste vara större än 0 meter, inte {range_m}.",
                            f"The range must be more than 0 metres, not {range_m}.")
    if not 0 <= min_dist_m < range_m:
        raise ArgumentError(
            f"Minsta avståndet ({min_dist_m} m) måste ligga mellan 0 och räckvidden "
            f"({range_m} m).",
            f"The minimum distance ({min_dist_m} m) must lie between 0 and the range "
            f"({range_m} m).")
    if not 0 < fov_deg <= 360:
        raise ArgumentError(f"Synfältet måste vara mellan 1 och 360 grader, inte {fov_deg}.",
                            f"The field of view must be between 1 and 360 degrees, not "
                            f"{fov_deg}.")
    blockers = _polygons(buildings)
    if len(blockers):
        xy = _nudged_out(xy, blockers)
    points = np.asarray(shapely.points(xy), dtype=object)
    view = np.asarray(shapely.buffer(points, range_m, quad_segs=QUAD_SEGS), dtype=object)
    if len(blockers) and len(xy):
        view = _minus_shadows(xy, view, blockers, range_m)
    if fov_deg < 360:
        if direction_deg is None:
            raise ArgumentError("Ett synfält under 360 grader behöver en riktning per kamera.",
                                "A field of view below 360 degrees needs a direction per "
                                "camera.")
        view = np.asarray(shapely.intersection(
            view, sector(xy, direction_deg, fov_deg, range_m * 1.01)), dtype=object)
    if min_dist_m > 0:
        view = np.asarray(shapely.difference(
            view, shapely.buffer(points, min_dist_m, quad_segs=QUAD_SEGS)), dtype=object)
    return np.asarray(view, dtype=object)


def surface_limits(sites: NDArray[np.float64], surface: NDArray[np.float64],
                   transform: tuple[float, float, float, float, float, float], *,
                   range_m: float = 40.0, height_m: float | NDArray[np.float64] = 4.0,
                   target_height_m: float = 1.5, n_rays: int = 360, step_m: float = 1.0,
                   chunk: int = 200) -> NDArray[np.object_]:
    """What each camera sees over a surface model (terrain, trees, hedges): the range
    disk minus the places hidden by the surface, to intersect with
    :func:`view_polygons`.

    Along each of ``n_rays`` rays a person (``target_height_m`` above the surface) at
    distance d is seen when the line from the camera (``height_m`` above the surface
    at the site) to them passes over every surface sample before d (the classic
    viewshed along rays: a running maximum of elevation angles), so a camera sees
    over a low hedge to the ground behind it but not right behind it. Rays sample
    the raster's nearest cells every ``step_m`` metres; outside the raster nothing
    blocks. Each hidden run of a ray becomes an annular wedge ``360 / n_rays``
    degrees wide.

    Parameters
    ----------
    sites
        ``(n, 2)`` coordinates, metres, in the raster's CRS.
    surface
        2-D array of surface heights, metres (NaN: no data, blocks nothing).
    transform
        The raster's affine transform ``(a, b, c, d, e, f)`` (rasterio/GDAL order:
        x = a·col + b·row + c, y = d·col + e·row + f), north-up.
    range_m, height_m, target_height_m
        Camera range, mounting height above the surface (one value or one per site)
        and the height of what must be seen, metres.

    Returns
    -------
    numpy.ndarray of shapely Polygons
    """
    a, b, c, d, e, f = transform
    if b != 0 or d != 0 or a <= 0 or e >= 0:
        raise ArgumentError("Höjdmodellen måste vara norrorienterad (utan rotation).",
                            "The surface model must be north-up (no rotation).")
    xy = np.asarray(sites, dtype=float).reshape(-1, 2)
    heights = np.broadcast_to(np.asarray(height_m, dtype=float), (len(xy),))
    z = np.asarray(surface, dtype=float)
    dist = np.arange(step_m, range_m + step_m / 2, step_m)
    angles = np.linspace(0, 2 * np.pi, n_rays, endpoint=False)
    sin, cos = np.sin(angles), np.cos(angles)

    def sample(px: NDArray[np.float64], py: NDArray[np.float64]) -> NDArray[np.float64]:
        col = np.floor((px - c) / a).astype(np.int64)
        row = np.floor((py - f) / e).astype(np.int64)
        ok = (row >= 0) & (row < z.shape[0]) & (col >= 0) & (col < z.shape[1])
        out = np.full(px.shape, np.nan)
        out[ok] = z[row[ok], col[ok]]
        return out

    polys = []
    for lo in range(0, len(xy), chunk):
        p = xy[lo:lo + chunk]
        ground = sample(p[:, 0], p[:, 1])
        eye = np.where(np.isnan(ground), 0.0, ground) + heights[lo:lo + chunk]
        px = p[:, 0, None, None] + dist[None, None, :] * sin[None, :, None]
        py = p[:, 1, None, None] + dist[None, None, :] * cos[None, :, None]
        h = sample(px, py)
        surf = np.where(np.isnan(h), -np.inf, h)
        slope_block = (surf - eye[:, None, None]) / dist  # elevation of each sample
        # the highest obstacle before each distance (not the sample itself)
        before = np.maximum.accumulate(slope_block, axis=2)
        before = np.concatenate([np.full(before.shape[:2] + (1,), -np.inf),
                                 before[:, :, :-1]], axis=2)
        person = np.where(np.isnan(h), eye[:, None, None] - target_height_m, h)
        seen = (person + target_height_m - eye[:, None, None]) / dist >= before - 1e-9
        polys.extend(_minus_hidden(p, ~seen, dist, angles, step_m, range_m))
    return np.asarray(polys, dtype=object)


def _minus_hidden(p: NDArray[np.float64], hidden: NDArray[np.bool_],
                  dist: NDArray[np.float64], angles: NDArray[np.float64], step_m: float,
                  range_m: float) -> list[shapely.Geometry]:
    """The range disk of each site minus the wedges of its hidden runs."""
    pad = np.zeros(hidden.shape[:2] + (1,), dtype=bool)
    prev = np.concatenate([pad, hidden[:, :, :-1]], axis=2)
    nxt = np.concatenate([hidden[:, :, 1:], pad], axis=2)
    s_site, s_ray, s_i = np.nonzero(hidden & ~prev)
    e_i = np.nonzero(hidden & ~nxt)[2]
    half = np.pi / len(angles) * 1.001
    r0 = np.maximum(dist[s_i] - step_m / 2, 0.0)
    r1 = np.minimum(dist[e_i] + step_m / 2, range_m * 1.02)
    corners = []
    for r, a in ((r0, -half), (r1, -half), (r1, 0.0), (r1, half), (r0, half), (r0, 0.0)):
        t = angles[s_ray] + a
        corners.append(np.c_[p[s_site, 0] + r * np.sin(t), p[s_site, 1] + r * np.cos(t)])
    ring = np.stack(corners + corners[:1], axis=1)
    wedges = np.asarray(shapely.make_valid(shapely.polygons(ring)), dtype=object)
    disks = np.asarray(shapely.buffer(shapely.points(p), range_m, quad_segs=QUAD_SEGS),
                       dtype=object)
    out = list(disks)
    if len(s_site) == 0:
        return out
    bounds = np.flatnonzero(np.diff(np.r_[-1, s_site]) != 0)
    for lo, hi in zip(bounds, np.r_[bounds[1:], len(s_site)], strict=True):
        j = s_site[lo]
        out[j] = shapely.difference(disks[j], shapely.union_all(wedges[lo:hi]))
    return out


def sector(sites: NDArray[np.float64], direction_deg: NDArray[np.float64] | float,
           fov_deg: float, radius_m: float, *, step_deg: float = 2.0) -> NDArray[np.object_]:
    """Circular sectors (pie slices) of ``fov_deg`` degrees around each bearing.

    The arc is drawn outside the circle of ``radius_m`` (its chords touch it), so the
    sector holds every point within the radius and the angle.
    """
    xy = np.asarray(sites, dtype=float).reshape(-1, 2)
    d = np.broadcast_to(np.asarray(direction_deg, dtype=float), (len(xy),))
    steps = max(int(np.ceil(fov_deg / step_deg)), 1)
    half = np.radians(fov_deg / steps) / 2
    r = radius_m / np.cos(half)
    angles = np.radians(d)[:, None] + np.radians(np.linspace(-fov_deg / 2, fov_deg / 2,
                                                             steps + 1))[None, :]
    arc = np.stack([xy[:, :1] + r * np.sin(angles), xy[:, 1:] + r * np.cos(angles)], axis=-1)
    ring = np.concatenate([xy[:, None, :], arc, xy[:, None, :]], axis=1)
    return np.asarray(shapely.polygons(ring), dtype=object)


def bearings(origin: NDArray[np.float64], targets: NDArray[np.float64]) -> NDArray[np.float64]:
    """Compass bearing (degrees, 0 = north, clockwise, in [0, 360)) from each origin row to
    the matching target row."""
    d = np.asarray(targets, dtype=float) - np.asarray(origin, dtype=float)
    return np.asarray(np.degrees(np.arctan2(d[..., 0], d[..., 1])) % 360.0, dtype=float)


def _polygons(buildings: NDArray[np.object_] | None) -> NDArray[np.object_]:
    if buildings is None:
        return np.empty(0, dtype=object)
    geoms = np.asarray(buildings, dtype=object).ravel()
    if len(geoms) == 0:
        return geoms
    kinds = shapely.get_type_id(geoms)
    bad = ~np.isin(kinds, (3, 6))  # Polygon, MultiPolygon
    if bad.any():
        raise ArgumentError(
            "Byggnaderna måste vara ytor (polygoner); "
            f"{int(bad.sum())} är det inte (t.ex. {_type_name(geoms[bad][0])}).",
            f"The buildings must be areas (polygons); {int(bad.sum())} are not "
            f"(e.g. {_type_name(geoms[bad][0])}).")
    parts = shapely.get_parts(geoms[~shapely.is_empty(geoms)])
    return np.asarray(shapely.make_valid(parts), dtype=object) if len(parts) else parts


def _type_name(geom: object) -> str:
    return str(getattr(geom, "geom_type", type(geom).__name__))


def _nudged_out(xy: NDArray[np.float64], blockers: NDArray[np.object_]
                ) -> NDArray[np.float64]:
    """Sites inside or on a building moved ``NUDGE_M`` out of its nearest outline.

    Of the points on a small circle round the nearest outline point, the one
    farthest from the building(s): straight out from a wall, diagonally out of a
    corner.
    """
    points = np.asarray(shapely.points(xy), dtype=object)
    tree = shapely.STRtree(blockers)
    inside, hit = tree.query(points, predicate="intersects")
    if len(inside) == 0:
        return xy
    out = xy.copy()
    circle = np.linspace(0, 2 * np.pi, 32, endpoint=False)
    ring = np.c_[np.cos(circle), np.sin(circle)]
    for i in np.unique(inside):
        # all buildings touching the site (a facade between two houses touches both)
        near = shapely.union_all(blockers[hit[inside == i]])
        line = np.asarray(shapely.shortest_line(points[i], shapely.boundary(near)),
                          dtype=object)
        nearest = shapely.get_coordinates(line)[-1]
        for step in (NUDGE_M, 5 * NUDGE_M, 0.5, 2.0):
            cand = nearest + step * ring
            gap = np.asarray(shapely.distance(near, shapely.points(cand)), dtype=float)
            if gap.max() > 0:
                out[i] = cand[int(np.argmax(gap))]
                break
    return out


def _minus_shadows(xy: NDArray[np.float64], view: NDArray[np.object_],
                   blockers: NDArray[np.object_], range_m: float) -> NDArray[np.object_]:
    """``view`` minus the shadow every nearby building edge casts from its site."""
    tree = shapely.STRtree(blockers)
    site_of, building_of = tree.query(view, predicate="intersects")
    if len(site_of) == 0:
        return view
    by_site = np.lexsort((building_of, site_of))
    site_of, building_of = site_of[by_site], building_of[by_site]
    start, end, edge_building = _edges(blockers)
    order = np.argsort(edge_building, kind="stable")
    start, end, edge_building = start[order], end[order], edge_building[order]
    first = np.searchsorted(edge_building, np.arange(len(blockers)))
    count = np.searchsorted(edge_building, np.arange(len(blockers)), side="right") - first
    n_edges = count[building_of]
    pair_site = np.repeat(site_of, n_edges)
    offsets = np.repeat(first[building_of] - np.cumsum(n_edges) + n_edges, n_edges)
    edge = np.arange(int(n_edges.sum())) + offsets
    p, a, b = xy[pair_site], start[edge], end[edge]
    ua, ub = a - p, b - p
    la, lb = np.hypot(*ua.T), np.hypot(*ub.T)
    # an edge seen end-on (in line with the site) casts no shadow of its own: its
    # neighbours' shadows cover what it hides
    cross = ua[:, 0] * ub[:, 1] - ua[:, 1] * ub[:, 0]
    keep = np.abs(cross) > 1e-9 * np.maximum(la * lb, 1e-12)
    p, a, b, ua, ub, la, lb, pair_site = (v[keep] for v in (p, a, b, ua, ub, la, lb,
                                                             pair_site))
    if len(pair_site) == 0:
        return view
    far = 2.0 * range_m + la.max() + lb.max()
    ua, ub = ua / la[:, None], ub / lb[:, None]
    mid = ua + ub  # the bisector: the far side of the shadow has three corners, so it
    mid = mid / np.hypot(*mid.T)[:, None]  # reaches beyond the range however wide the edge
    ring = np.stack([a, b, p + far * ub, p + far * mid, p + far * ua, a], axis=1)
    shadows = np.asarray(shapely.make_valid(shapely.polygons(ring)), dtype=object)
    cuts = np.empty(len(view), dtype=object)
    cuts[:] = None
    bounds = np.flatnonzero(np.diff(np.r_[-1, pair_site]) != 0)
    for lo, hi in zip(bounds, np.r_[bounds[1:], len(pair_site)], strict=True):
        cuts[pair_site[lo]] = shapely.union_all(shadows[lo:hi])
    has = np.array([c is not None for c in cuts])
    out = view.copy()
    out[has] = shapely.difference(view[has], np.asarray(list(cuts[has]), dtype=object))
    return out


def _edges(blockers: NDArray[np.object_]
           ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.intp]]:
    """Start and end points of every ring segment of the polygons, and its polygon."""
    rings = shapely.get_rings(blockers)
    ring_counts = shapely.get_num_interior_rings(blockers) + 1
    ring_building = np.repeat(np.arange(len(blockers)), ring_counts)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    same = ring_of[1:] == ring_of[:-1]
    return coords[:-1][same], coords[1:][same], ring_building[ring_of[:-1][same]]

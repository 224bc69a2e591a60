"""Grids of square or hexagonal cells anchored to a fixed origin.

Cells sit at multiples of the cell size in the working CRS (metres), so the
same place falls in the same cell from run to run and project to project.
Every cell has a stable ``cell_id`` built from its integer position
(``"s100_6215_66560"`` for a 100 m square at column 6215, row 66560).

Points are assigned to cells arithmetically (no geometry operations), which is
what makes counting a million points fast.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import shapely

from geo.errors import ArgumentError

KINDS = ("square", "hex")
_SQRT3 = math.sqrt(3.0)


def auto_cell_size(x: np.ndarray, y: np.ndarray) -> float:
    """Cell size for points spread over an area: the shorter side of their
    bounding box divided by 50, rounded to a readable number (10, 20, 25, 50,
    100, 200, 250, 500 … metres), as sfhotspot chooses it.

    Returns the size in the units of the coordinates (metres).
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    side = min(np.nanmax(x) - np.nanmin(x), np.nanmax(y) - np.nanmin(y)) / 50.0
    if not np.isfinite(side) or side <= 0:
        return 100.0
    nice = np.array([1, 2, 2.5, 5])
    magnitude = 10.0 ** math.floor(math.log10(side))
    candidates = np.concatenate([nice * magnitude, [10 * magnitude]])
    return float(candidates[np.argmin(np.abs(candidates - side))])


def square_index(x: np.ndarray, y: np.ndarray, cell: float) -> tuple[np.ndarray, np.ndarray]:
    """Column and row of the square cell holding each point (``floor(x / cell)``)."""
    return (np.floor(np.asarray(x, float) / cell).astype(np.int64),
            np.floor(np.asarray(y, float) / cell).astype(np.int64))


def hex_index(x: np.ndarray, y: np.ndarray, cell: float) -> tuple[np.ndarray, np.ndarray]:
    """Axial coordinates (q, r) of the flat-topped hexagon holding each point.

    ``cell`` is the distance between the centres of neighbouring hexagons
    (= the hexagon's width across flats), in metres.
    """
    size = cell / _SQRT3  # centre-to-corner radius
    x, y = np.asarray(x, float), np.asarray(y, float)
    q = (2.0 / 3.0) * x / size
    r = (-1.0 / 3.0) * x / size + (_SQRT3 / 3.0) * y / size
    # Cube rounding.
    cx, cz = q, r
    cy = -cx - cz
    rx, ry, rz = np.round(cx), np.round(cy), np.round(cz)
    dx, dy, dz = np.abs(rx - cx), np.abs(ry - cy), np.abs(rz - cz)
    fix_x = (dx > dy) & (dx > dz)
    fix_y = ~fix_x & (dy > dz)
    rx = np.where(fix_x, -ry - rz, rx)
    ry = np.where(fix_y, -rx - rz, ry)
    rz = np.where(~fix_x & ~fix_y, -rx - ry, rz)
    return rx.astype(np.int64), rz.astype(np.int64)


def hex_centres(q: np.ndarray, r: np.ndarray, cell: float) -> tuple[np.ndarray, np.ndarray]:
    """Centres (x, y) of hexagons at axial coordinates (q, r); see :func:`hex_index`."""
    size = cell / _SQRT3
    return size * 1.5 * q, size * _SQRT3 * (r + q / 2.0)


def _hex_polygons(cx: np.ndarray, cy: np.ndarray, cell: float) -> np.ndarray:
    size = cell / _SQRT3
    angles = np.deg2rad(np.arange(0, 360, 60))
    ring = np.stack([np.cos(angles), np.sin(angles)], axis=1) * size
    coords = np.stack([cx, cy], axis=1)[:, None, :] + ring[None, :, :]
    return shapely.polygons(coords)


def _convex_hull(x: np.ndarray, y: np.ndarray) -> shapely.Geometry:
    """Convex hull of points: Akl–Toussaint filtering, then scipy's Qhull.

    Points strictly inside the polygon of the eight extreme points (min/max of
    x, y, x+y and x−y) cannot be hull vertices and are dropped first, which
    makes a million points take milliseconds; the hull itself is exact.
    """
    from scipy.spatial import ConvexHull, QhullError

    xy = np.stack([x, y], axis=1)
    if len(xy) > 64:
        keys = (x, y, x + y, x - y)
        idx = [int(k.argmin()) for k in keys] + [int(k.argmax()) for k in keys]
        octagon = shapely.convex_hull(shapely.multipoints(xy[idx]))
        if octagon.geom_type == "Polygon":
            ring = np.asarray(shapely.orient_polygons(octagon).exterior.coords)  # CCW
            inside = np.ones(len(xy), bool)
            for (ax, ay), (bx, by) in zip(ring[:-1], ring[1:], strict=True):
                inside &= (bx - ax) * (y - ay) - (by - ay) * (x - ax) > 1e-9 * (
                    abs(bx - ax) + abs(by - ay))
            xy = xy[~inside]
    if len(xy) < 10:
        xy = np.unique(xy, axis=0)
    try:
        hull = ConvexHull(xy)
    except (QhullError, ValueError):  # fewer than 3 points, or all on a line
        return shapely.convex_hull(shapely.multipoints(xy))
    return shapely.Polygon(xy[hull.vertices])


def make_grid(x: np.ndarray, y: np.ndarray, *, cell: float, kind: str = "square",
              crs: str = "EPSG:3006", clip: bool = True) -> gpd.GeoDataFrame:
    """The cells covering a set of points.

    Parameters
    ----------
    x, y
        Point coordinates in ``crs`` (metres).
    cell
        Cell size in metres: the side of a square, or the distance between
        neighbouring hexagon centres.
    kind
        ``square`` (default) or ``hex``.
    crs
        The projected CRS of the coordinates (default EPSG:3006).
    clip
        Keep only cells that touch the convex hull of the points buffered by
        half a cell (as sfhotspot does), instead of the whole bounding box.

    Returns
    -------
    GeoDataFrame
        ``cell_id`` (stable text id), ``col`` and ``row`` (integer position:
        column/row for squares, axial q/r for hexagons) and the cell polygon,
        ordered by row then column.
    """
    if kind not in KINDS:
        raise ArgumentError(f"Rutnätet ska vara square eller hex, inte '{kind}'.",
                            f"The grid must be square or hex, not '{kind}'.")
    if not cell or cell <= 0:
        raise ArgumentError(f"Cellstorleken måste vara större än 0 meter, inte {cell}.",
                            f"The cell size must be greater than 0 metres, not {cell}.")
    x, y = np.asarray(x, float), np.asarray(y, float)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if x.size == 0:
        raise ArgumentError("Det finns inga punkter att lägga ett rutnät över.",
                            "There are no points to lay a grid over.")
    pad = cell
    if kind == "square":
        c0, r0 = square_index([x.min() - pad], [y.min() - pad], cell)
        c1, r1 = square_index([x.max() + pad], [y.max() + pad], cell)
        cols, rows = np.meshgrid(np.arange(c0[0], c1[0] + 1), np.arange(r0[0], r1[0] + 1))
        cols, rows = cols.ravel(), rows.ravel()
        geoms = shapely.box(cols * cell, rows * cell, (cols + 1) * cell, (rows + 1) * cell)
        prefix = "s"
    else:
        size = cell / _SQRT3
        q0 = int(math.floor((x.min() - pad) / (1.5 * size))) - 1
        q1 = int(math.ceil((x.max() + pad) / (1.5 * size))) + 1
        qs = np.arange(q0, q1 + 1)
        r_lo = np.floor((y.min() - pad) / (size * _SQRT3) - qs / 2.0).astype(int) - 1
        r_hi = np.ceil((y.max() + pad) / (size * _SQRT3) - qs / 2.0).astype(int) + 1
        cols = np.concatenate([np.full(h - lo + 1, q) for q, lo, h in zip(qs, r_lo, r_hi,
                                                                            strict=True)])
        rows = np.concatenate([np.arange(lo, h + 1) for lo, h in zip(r_lo, r_hi, strict=True)])
        cx, cy = hex_centres(cols, rows, cell)
        geoms = _hex_polygons(cx, cy, cell)
        prefix = "h"
    if clip:
        zone = shapely.buffer(_convex_hull(x, y), cell / 2.0)
        shapely.prepare(zone)
        keep = shapely.intersects(zone, geoms)
        cols, rows, geoms = cols[keep], rows[keep], geoms[keep]
    order = np.lexsort((cols, rows))
    cols, rows, geoms = cols[order], rows[order], geoms[order]
    size_text = f"{cell:g}".replace(".", "p")
    ids = np.char.add(np.char.add(np.char.add(f"{prefix}{size_text}_", cols.astype(str)), "_"),
                      rows.astype(str))
    return gpd.GeoDataFrame({"cell_id": ids.astype(object), "col": cols, "row": rows},
                            geometry=geoms, crs=crs)


def assign(grid: gpd.GeoDataFrame, x: np.ndarray, y: np.ndarray, *, cell: float,
           kind: str = "square") -> np.ndarray:
    """Row number in ``grid`` of the cell holding each point, or -1 when none.

    ``grid`` must come from :func:`make_grid` with the same ``cell`` and ``kind``.
    """
    col, row = (square_index if kind == "square" else hex_index)(x, y, cell)
    keys = grid["col"].to_numpy(np.int64) * 1_000_003 + grid["row"].to_numpy(np.int64)
    order = np.argsort(keys)
    sorted_keys = keys[order]
    wanted = col * 1_000_003 + row
    pos = np.searchsorted(sorted_keys, wanted)
    pos = np.clip(pos, 0, len(sorted_keys) - 1)
    hit = sorted_keys[pos] == wanted
    return np.where(hit, order[pos], -1)

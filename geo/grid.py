"""Grids of square or hexagonal cells anchored to a fixed origin.

Cells sit at multiples of the cell size in the working CRS (metres), so the
same place falls in the same cell from run to run and project to project.
Every cell has a stable ``cell_id`` built from its integer position
(``"s100_6215_66560"`` for a 100 m square at column 6215, row 66560).

Points are assigned to cells arithmetically (no geometry operations), which is
what makes counting a million points fast.

Every point counts in exactly one cell. Square cells are half-open: a point
belongs to the cell whose ``[min x, max x) × [min y, max y)`` holds it, so a
point on a shared edge goes to the cell on its right (east) or above it
(north), a point on a corner to the cell up and to the right. Hexagon edges lie
at irrational coordinates; a point on one goes to one of the touching hexagons
by cube rounding (deterministic). Users' own polygons (:func:`assign_polygons`)
follow the same rule: a point covered by several cells goes to the one that
holds it when nudged a hair to the east (and half as far north), which is the
half-open rule for squares, and to the lowest-numbered of them when that does
not decide.

Before a grid is built, :func:`check_grid_size` estimates how many cells it
will have and refuses a grid that would not fit in memory (see
:data:`BYTES_PER_CELL`, :data:`MAX_CELLS`), naming a cell size that fits.
"""

from __future__ import annotations

import math
import os
from typing import TypeAlias

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import shapely

from trygg.geo.errors import ArgumentError
from trygg.geo.text import number

KINDS = ("square", "hex")
_SQRT2_HALF = math.sqrt(2.0) / 2.0  # half a square cell's diagonal, in cells

FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.int64]
#: An array of shapely geometries.
GeomArray: TypeAlias = npt.NDArray[np.object_]
_SQRT3 = math.sqrt(3.0)

#: Memory a run needs per cell of the grid's bounding box, in bytes. Measured on
#: 4,000,000 cells of 50 m (``/usr/bin/time``-style peak RSS, Python 3, shapely 2):
#: about 840 bytes for ``count`` and 960 for ``gistar`` including writing the grid
#: to a GeoPackage; rounded up for the copies a run makes.
BYTES_PER_CELL = 1200
#: The most cells a grid may have, whatever the memory (about 12 GB at
#: :data:`BYTES_PER_CELL`; a 10,000,000-row layer is also slow to store and draw).
MAX_CELLS = 10_000_000
#: Memory per cell and period for ``emerging`` (counts, z, p-values, classes and the
#: convolution rasters: about 12 float64 arrays of cells × periods), in bytes.
BYTES_PER_CELL_PERIOD = 100
#: The most cells × periods an ``emerging`` run may have (about 20 GB at
#: :data:`BYTES_PER_CELL_PERIOD`; far beyond what a municipality needs).
MAX_CELL_PERIODS = 200_000_000
#: Share of the memory available (``MemAvailable``) that a grid may take.
MEMORY_SHARE = 0.8


def auto_cell_size(x: npt.ArrayLike, y: npt.ArrayLike) -> float:
    """Cell size for points spread over an area, by sfhotspot's rule.

    sfhotspot (``set_cell_size``) divides the shorter side of the points'
    bounding box by 50 and rounds that down to a multiple of 100 metres; where
    that would give 0 (a shorter side under 5 km) it uses the side / 50
    unrounded. We follow it from 100 m up; below 100 m we round down to 1, 2,
    2.5 or 5 × 10^k metres instead (e.g. 80 → 50), so cells stay anchored to
    round multiples and their ids readable. Rounding down keeps at least 50
    cells along the shorter side, as sfhotspot intends. A 39 km × 45 km extent
    gets 700 m, 10 km gets 200 m, 4 km gets 50 m.

    Returns the size in the units of the coordinates (metres); 100 when the
    points do not span an area (all on one line or in one place).
    """
    xs, ys = np.asarray(x, float), np.asarray(y, float)
    side = float(min(np.nanmax(xs) - np.nanmin(xs), np.nanmax(ys) - np.nanmin(ys))) / 50.0
    if not np.isfinite(side) or side <= 0:
        return 100.0
    if side >= 100.0:
        return float(math.floor(side / 100.0) * 100.0)
    return _nice_floor(side)


def nice_cell_ceil(v: float) -> float:
    """Round a cell size up the way :func:`auto_cell_size` rounds down: to a
    multiple of 100 m from 100 m, to 1, 2, 2.5 or 5 × 10^k m below."""
    if not math.isfinite(v) or v <= 0:
        raise ValueError(f"cell size must be positive and finite, not {v}")
    if v > 100.0:
        return float(math.ceil(v / 100.0 * (1 - 1e-12)) * 100.0)
    return _nice_ceil(v)


def _nice_floor(v: float) -> float:
    """The largest of 1, 2, 2.5, 5 × 10^k that is ≤ ``v`` (``v`` > 0)."""
    magnitude = 10.0 ** math.floor(math.log10(v))
    for step in (10, 5, 2.5, 2, 1):
        if step * magnitude <= v * (1 + 1e-12):
            return float(step * magnitude)
    return float(magnitude)  # pragma: no cover


def _nice_ceil(v: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k that is ≥ ``v`` (``v`` > 0)."""
    magnitude = 10.0 ** math.floor(math.log10(v))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= v * (1 - 1e-12):
            return float(step * magnitude)
    return float(10 * magnitude)  # pragma: no cover


# -- resource guard ---------------------------------------------------------------------------
def available_memory() -> int | None:
    """Bytes of memory available to a new allocation, or ``None`` when unknown.

    ``MemAvailable`` from ``/proc/meminfo`` (Linux), else the free physical
    pages from ``os.sysconf``.
    """
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, OSError, ValueError):
        return None


def cell_limit(bytes_per_cell: float = BYTES_PER_CELL, max_cells: int | None = None) -> int:
    """The most cells that fit: :data:`MAX_CELLS`, or fewer when the memory
    available (times :data:`MEMORY_SHARE`) holds fewer at ``bytes_per_cell``."""
    limit = MAX_CELLS if max_cells is None else max_cells
    free = available_memory()
    if free is not None:
        limit = min(limit, int(free * MEMORY_SHARE / bytes_per_cell))
    return max(limit, 1)


def estimate_cells(bounds: tuple[float, float, float, float], cell: float,
                   kind: str = "square") -> int:
    """Number of cells :func:`make_grid` builds over ``bounds`` (before clipping).

    Parameters
    ----------
    bounds
        ``(min x, min y, max x, max y)`` of the points, in metres.
    cell
        Cell size in metres (see :func:`make_grid`).
    kind
        ``square`` or ``hex``.

    Returns
    -------
    int
        The cells of the padded bounding box that the grid starts from; no
        array is allocated.
    """
    xmin, ymin, xmax, ymax = (float(b) for b in bounds)
    pad = cell
    if kind == "square":
        cols = (xmax - xmin + 2 * pad) / cell
        rows = (ymax - ymin + 2 * pad) / cell
        if not cols * rows < 1e15:  # tiny cells: no exact count needed (and no overflow)
            return _HUGE
        cols = math.floor((xmax + pad) / cell) - math.floor((xmin - pad) / cell) + 1
        rows = math.floor((ymax + pad) / cell) - math.floor((ymin - pad) / cell) + 1
        return int(cols) * int(rows)
    size = cell / _SQRT3
    qs = (xmax - xmin + 2 * pad) / (1.5 * size) + 3
    rs = (ymax - ymin + 2 * pad) / (size * _SQRT3) + 4
    if not qs * rs < 1e15:
        return _HUGE
    qs = math.ceil((xmax + pad) / (1.5 * size)) - math.floor((xmin - pad) / (1.5 * size)) + 3
    return int(qs) * int(math.ceil(rs))


_HUGE = 10**15  # what estimate_cells says for grids far beyond any limit


def check_grid_size(bounds: tuple[float, float, float, float], cell: float,
                    kind: str = "square", *, max_cells: int | None = None,
                    periods: int = 0) -> int:
    """Refuse a grid that would not fit in memory, naming a cell size that does.

    The limit is :func:`cell_limit`: at most :data:`MAX_CELLS` cells (or
    ``max_cells``), and no more than :data:`MEMORY_SHARE` of the memory
    available at :data:`BYTES_PER_CELL` each. With ``periods`` (``emerging``:
    one count, z, p and class per cell and period), each cell needs
    :data:`BYTES_PER_CELL_PERIOD` more per period and cells × periods may not
    pass :data:`MAX_CELL_PERIODS`.

    Returns
    -------
    int
        The estimated number of cells (see :func:`estimate_cells`).

    Raises
    ------
    ArgumentError
        Over the limit; the message names the smallest round cell size (1, 2,
        2.5, 5 × 10^k m) that fits.
    """
    if not (math.isfinite(cell) and cell > 0):
        raise ArgumentError(f"Cellstorleken måste vara ett positivt antal meter, inte {cell}.",
                            f"The cell size must be a positive number of metres, not {cell}.")
    cells = estimate_cells(bounds, cell, kind)
    limit = cell_limit(BYTES_PER_CELL + periods * BYTES_PER_CELL_PERIOD, max_cells=max_cells)
    if periods:
        limit = max(1, min(limit, MAX_CELL_PERIODS // periods))
    if cells <= limit:
        return cells
    xmin, ymin, xmax, ymax = (float(b) for b in bounds)
    # A cell holding the extent in about `limit` cells, then up until it fits.
    fits = _nice_ceil(max(cell * math.sqrt(cells / limit),
                          math.sqrt(max((xmax - xmin) * (ymax - ymin), 1.0) / limit)))
    while (more := estimate_cells(bounds, fits, kind)) > limit:
        fits = _nice_ceil(fits * max(1.01, math.sqrt(more / limit)))
    if cells >= _HUGE:
        cells_sv, cells_en = "mer än 10^15", "more than 10^15"
    else:
        cells_sv, cells_en = f"ungefär {number(cells)}", f"about {number(cells, lang='en')}"
    limit_sv, limit_en = number(limit), number(limit, lang="en")
    cap = MAX_CELLS if max_cells is None else max_cells
    if limit < cap:
        why_sv = f"mer än minnet räcker till (högst {limit_sv} här)"
        why_en = f"more than the memory holds (at most {limit_en} here)"
    else:
        why_sv = f"fler än gränsen på {limit_sv} rutor"
        why_en = f"more than the limit of {limit_en} cells"
    raise ArgumentError(
        f"--cell {cell:g} ger {cells_sv} rutor, {why_sv}. Välj --cell {fits:g} eller "
        "större.",
        f"--cell {cell:g} gives {cells_en} cells, {why_en}. Choose --cell {fits:g} or "
        "larger.")


def square_index(x: npt.ArrayLike, y: npt.ArrayLike, cell: float) -> tuple[IntArray, IntArray]:
    """Column and row of the square cell holding each point (``floor(x / cell)``)."""
    return (np.floor(np.asarray(x, float) / cell).astype(np.int64),
            np.floor(np.asarray(y, float) / cell).astype(np.int64))


def hex_index(x: npt.ArrayLike, y: npt.ArrayLike, cell: float) -> tuple[IntArray, IntArray]:
    """Axial coordinates (q, r) of the flat-topped hexagon holding each point.

    ``cell`` is the distance between the centres of neighbouring hexagons
    (= the hexagon's width across flats), in metres.
    """
    size = cell / _SQRT3  # centre-to-corner radius
    xs, ys = np.asarray(x, float), np.asarray(y, float)
    q = (2.0 / 3.0) * xs / size
    r = (-1.0 / 3.0) * xs / size + (_SQRT3 / 3.0) * ys / size
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


def hex_centres(q: npt.ArrayLike, r: npt.ArrayLike, cell: float) -> tuple[FloatArray, FloatArray]:
    """Centres (x, y) of hexagons at axial coordinates (q, r); see :func:`hex_index`."""
    size = cell / _SQRT3
    qf, rf = np.asarray(q, np.float64), np.asarray(r, np.float64)
    return size * 1.5 * qf, size * _SQRT3 * (rf + qf / 2.0)


def _hex_polygons(cx: FloatArray, cy: FloatArray, cell: float) -> GeomArray:
    size = cell / _SQRT3
    angles = np.deg2rad(np.arange(0, 360, 60))
    ring = np.stack([np.cos(angles), np.sin(angles)], axis=1) * size
    coords = np.stack([cx, cy], axis=1)[:, None, :] + ring[None, :, :]
    return np.asarray(shapely.polygons(coords), dtype=object)


_HULLS: dict[tuple[int, int, int], shapely.Geometry] = {}
_HULLS_KEPT = 4


def convex_hull(x: npt.ArrayLike, y: npt.ArrayLike) -> shapely.Geometry:
    """Convex hull of points: Akl–Toussaint filtering, then GEOS (shapely).

    Points strictly inside the polygon of the eight extreme points (min/max of
    x, y, x+y and x−y) cannot be hull vertices and are dropped first, which
    makes a million points take milliseconds; the hull itself is exact. The
    last few hulls are remembered by the coordinates' content, since one
    analysis asks for the same hull several times (cell size, grid, tests).
    """
    xs, ys = np.ascontiguousarray(x, float), np.ascontiguousarray(y, float)
    key = (len(xs), hash(xs.tobytes()), hash(ys.tobytes()))
    hull = _HULLS.get(key)
    if hull is None:
        hull = _convex_hull(xs, ys)
        if len(_HULLS) >= _HULLS_KEPT:
            _HULLS.pop(next(iter(_HULLS)))
        _HULLS[key] = hull
    return hull


def _convex_hull(x: FloatArray, y: FloatArray) -> shapely.Geometry:
    xy = np.stack([x, y], axis=1)
    if len(xy) > 64:
        keys = (x, y, x + y, x - y)
        idx = [int(k.argmin()) for k in keys] + [int(k.argmax()) for k in keys]
        octagon = shapely.MultiPoint(xy[idx]).convex_hull
        if isinstance(octagon, shapely.Polygon):
            ring = np.asarray(shapely.orient_polygons(octagon).exterior.coords)  # CCW
            inside = np.ones(len(xy), bool)
            for (ax, ay), (bx, by) in zip(ring[:-1], ring[1:], strict=True):
                inside &= (bx - ax) * (y - ay) - (by - ay) * (x - ax) > 1e-9 * (
                    abs(bx - ax) + abs(by - ay))
            xy = xy[~inside]
    return shapely.MultiPoint(np.unique(xy, axis=0)).convex_hull


def make_grid(x: npt.ArrayLike, y: npt.ArrayLike, *, cell: float, kind: str = "square",
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

    Raises
    ------
    ArgumentError
        A bad ``kind`` or ``cell``, or a grid too large for the memory
        (:func:`check_grid_size`, checked before anything is built).
    """
    if kind not in KINDS:
        raise ArgumentError(f"Rutnätet ska vara square eller hex, inte '{kind}'.",
                            f"The grid must be square or hex, not '{kind}'.")
    if not cell or cell <= 0:
        raise ArgumentError(f"Cellstorleken måste vara större än 0 meter, inte {cell}.",
                            f"The cell size must be greater than 0 metres, not {cell}.")
    xs, ys = np.asarray(x, float), np.asarray(y, float)
    ok = np.isfinite(xs) & np.isfinite(ys)
    xs, ys = xs[ok], ys[ok]
    if xs.size == 0:
        raise ArgumentError("Det finns inga punkter att lägga ett rutnät över.",
                            "There are no points to lay a grid over.")
    check_grid_size((xs.min(), ys.min(), xs.max(), ys.max()), cell, kind)
    pad = cell
    if kind == "square":
        c0, r0 = square_index([xs.min() - pad], [ys.min() - pad], cell)
        c1, r1 = square_index([xs.max() + pad], [ys.max() + pad], cell)
        col_grid, row_grid = np.meshgrid(np.arange(c0[0], c1[0] + 1),
                                         np.arange(r0[0], r1[0] + 1))
        cols, rows = col_grid.ravel(), row_grid.ravel()
        if clip:  # cells whose centre is far from the hull cannot touch it: no box for them
            # (2 % extra: a polygonal buffer falls up to 0.5 % short of the true one)
            near = shapely.buffer(convex_hull(xs, ys), cell * (0.5 + _SQRT2_HALF) * 1.02)
            shapely.prepare(near)
            maybe = shapely.intersects_xy(near, (cols + 0.5) * cell, (rows + 0.5) * cell)
            cols, rows = cols[maybe], rows[maybe]
        geoms = shapely.box(cols * cell, rows * cell, (cols + 1) * cell, (rows + 1) * cell)
        prefix = "s"
    else:
        size = cell / _SQRT3
        q0 = int(math.floor((xs.min() - pad) / (1.5 * size))) - 1
        q1 = int(math.ceil((xs.max() + pad) / (1.5 * size))) + 1
        qs = np.arange(q0, q1 + 1)
        r_lo = np.floor((ys.min() - pad) / (size * _SQRT3) - qs / 2.0).astype(int) - 1
        r_hi = np.ceil((ys.max() + pad) / (size * _SQRT3) - qs / 2.0).astype(int) + 1
        cols = np.concatenate([np.full(h - lo + 1, q) for q, lo, h in zip(qs, r_lo, r_hi,
                                                                            strict=True)])
        rows = np.concatenate([np.arange(lo, h + 1) for lo, h in zip(r_lo, r_hi, strict=True)])
        cx, cy = hex_centres(cols, rows, cell)
        geoms = _hex_polygons(cx, cy, cell)
        prefix = "h"
    if clip:
        zone = shapely.buffer(convex_hull(xs, ys), cell / 2.0)
        shapely.prepare(zone)
        keep = shapely.intersects(zone, geoms)
        cols, rows, geoms = cols[keep], rows[keep], geoms[keep]
    order = np.lexsort((cols, rows))
    cols, rows, geoms = cols[order], rows[order], geoms[order]
    size_text = f"{cell:g}".replace(".", "p")
    head = f"{prefix}{size_text}_"
    ids = np.array([f"{head}{c}_{r}" for c, r in zip(cols.tolist(), rows.tolist(), strict=True)],
                   dtype=object)
    return gpd.GeoDataFrame({"cell_id": ids, "col": cols, "row": rows},
                            geometry=geoms, crs=crs)


def assign(grid: gpd.GeoDataFrame, x: npt.ArrayLike, y: npt.ArrayLike, *, cell: float,
           kind: str = "square") -> IntArray:
    """Row number in ``grid`` of the cell holding each point, or -1 when none.

    ``grid`` must come from :func:`make_grid` with the same ``cell`` and ``kind``.
    """
    col, row = (square_index if kind == "square" else hex_index)(x, y, cell)
    gcol, grow = grid["col"].to_numpy(np.int64), grid["row"].to_numpy(np.int64)
    if len(gcol) == 0:
        return np.full(len(col), -1, dtype=np.int64)
    c0, r0 = int(gcol.min()), int(grow.min())
    width, height = int(gcol.max()) - c0 + 1, int(grow.max()) - r0 + 1
    if width * height <= 4 * len(gcol) + 1024:  # a dense lookup table: one step per point
        table = np.full(width * height, -1, dtype=np.int64)
        table[(grow - r0) * width + (gcol - c0)] = np.arange(len(gcol))
        inside = (col >= c0) & (col < c0 + width) & (row >= r0) & (row < r0 + height)
        out = np.full(len(col), -1, dtype=np.int64)
        out[inside] = table[(row[inside] - r0) * width + (col[inside] - c0)]
        return out
    keys = gcol * 1_000_003 + grow
    order = np.argsort(keys)
    sorted_keys = keys[order]
    wanted = col * 1_000_003 + row
    pos = np.searchsorted(sorted_keys, wanted)
    pos = np.clip(pos, 0, len(sorted_keys) - 1)
    hit = sorted_keys[pos] == wanted
    return np.where(hit, order[pos], -1)


def assign_polygons(geoms: npt.ArrayLike, x: npt.ArrayLike, y: npt.ArrayLike) -> IntArray:
    """Index in ``geoms`` of the polygon holding each point, or -1 when none does.

    Each point counts exactly once, by this rule:

    1. the polygons that cover the point (interior or boundary) are candidates;
       if none does, those within 10⁻⁷ of the typical cell width (a crack
       between cells whose shared corners were computed apart); none: -1
       (outside the grid);
    2. one candidate: that polygon (also on the grid's outer edge);
    3. several (the point is on a shared edge or corner): the candidate that
       covers the point moved a hair to the east and half as far north
       (10⁻⁷ of the typical cell width). On squares this is the half-open rule
       of :func:`square_index`: a point belongs to the cell whose
       ``[min x, max x) × [min y, max y)`` holds it;
    4. if that still leaves none or several (overlapping polygons, an edge
       running exactly in that direction): the candidate with the lowest index.

    Parameters
    ----------
    geoms
        Polygons (shapely), in the CRS of the points.
    x, y
        Point coordinates (metres).

    Returns
    -------
    numpy.ndarray
        ``int64`` index per point.
    """
    geoms = np.asarray(geoms, dtype=object)
    x, y = np.asarray(x, float), np.asarray(y, float)
    out = np.full(x.shape, -1, dtype=np.int64)
    if x.size == 0 or geoms.size == 0:
        return out
    pts = np.asarray(shapely.points(x, y), dtype=object)
    tree = shapely.STRtree(geoms)
    areas = shapely.area(geoms)
    scale = float(np.sqrt(np.median(areas[areas > 0]))) if (areas > 0).any() else 1.0
    step = 1e-7 * scale
    pi, ci = tree.query(pts, predicate="intersects")
    # Points in a crack between cells that should touch (vertices computed apart).
    lost = np.setdiff1d(np.arange(x.size), pi)
    if lost.size:
        li, lc = tree.query(pts[lost], predicate="dwithin", distance=step)
        pi, ci = np.r_[pi, lost[li]], np.r_[ci, lc]
    if pi.size == 0:
        return out
    hits = np.bincount(pi, minlength=x.size)
    single = hits[pi] == 1
    out[pi[single]] = ci[single]
    tied = ~single
    if tied.any():
        tp, tc = pi[tied], ci[tied]
        nudged = shapely.points(x[tp] + step, y[tp] + step / 2.0)
        holds = shapely.covers(geoms[tc], nudged)
        # Per point: does exactly one candidate hold the nudged point?
        n_hold = np.bincount(tp, weights=holds, minlength=x.size)[tp]
        decided = holds & (n_hold == 1)
        lowest = np.full(x.size, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(lowest, tp, tc)
        points = np.unique(tp)
        out[points] = lowest[points]
        out[tp[decided]] = tc[decided]  # at most one per point
    return out

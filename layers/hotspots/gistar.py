"""Getis-Ord Gi* hot and cold spots per grid cell (``trygg hotspots --method gistar``).

Gi* (Getis & Ord 1992; Ord & Getis 1995) compares the sum of the counts in a
cell's neighbourhood (the cell included: the "star") with what the mean count
of the whole grid predicts for a neighbourhood of that size. For cell *i* with
weights *w_ij* (binary here, *w_ii* = 1), *n* cells, mean *x̄* and standard
deviation *s* of all cells (population form, denominator *n*)::

    W_i  = Σ_j w_ij          S1_i = Σ_j w_ij²
    z_i  = (Σ_j w_ij x_j − x̄ W_i) / (s √((n S1_i − W_i²) / (n − 1)))

This is the analytic z-score that esda's ``G_Local(y, w, star=True,
transform="B")`` reports as ``Zs`` and that spdep's ``localG`` and sfhotspot
report; p-values are two-sided from the standard normal distribution.

On the generated grids the neighbour sums are convolutions of the 2-D array of
counts with a small kernel (:func:`correlate`), which takes milliseconds for a
quarter of a million cells. User grids use a sparse neighbour matrix (queen
contiguity plus self).

Edges of the study area. Gi* compares every cell with the mean of the cells
tested, so a cell that lies partly outside the area where reports can occur
has too few reports by construction: on uniform noise such cells come out as
hundreds of "cold spots" along the edge, they lower the mean and so push inner
cells towards "hot", and the many false discoveries loosen the FDR threshold
for the rest. So only cells lying wholly inside the study area are tested:

- the study area is ``area`` when given (e.g. the municipality), otherwise the
  convex hull of the points for generated grids, and the user's grid itself
  (every cell) for a user's grid;
- cells not wholly inside it get ``klass = "not_tested"`` and no z or p-value
  (their ``n`` is still counted); they are no one's neighbours, and count
  neither in *n*, *x̄*, *s* nor in any *W_i*: the grid is the cells inside the
  study area;
- the FDR adjustment (Benjamini–Hochberg, as ``scipy.stats.false_discovery_control``)
  runs over the tested cells only.

The run notes say how many cells were left untested and why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import shapely
from scipy.special import ndtr

from trygg.geo.errors import ArgumentError
from trygg.geo.grid import auto_cell_size, convex_hull, hex_centres, nice_cell_ceil
from trygg.geo.text import number
from trygg.layers.hotspots._validate import check_cell, point_xy
from trygg.layers.hotspots.count import grid_for

if TYPE_CHECKING:  # scipy.sparse only for user grids: not imported for generated ones
    from scipy import sparse

P_ADJUST = ("fdr", "bonferroni", "none")
#: Class of cells not wholly inside the study area (see the module docstring).
NOT_TESTED = "not_tested"
#: Significance levels of the classes, strictest last (later ones overwrite).
LEVELS = ((0.10, "90"), (0.05, "95"), (0.01, "99"))
_TOL = 1e-9  # relative tolerance when comparing distances between cell centres
#: The fewest reports a tested neighbourhood must expect on average (cells in the
#: neighbourhood × reports × cell area / study area). Gi*'s z is a normal approximation
#: of a sum of counts; with a handful of reports per neighbourhood it is far from normal
#: and uniform noise gives "hot spots". Chosen by experiment (uniform points, 200 to
#: 20,000 on a 5 km square, 12 seeds each, exact cell for the value, queen squares): at
#: 10 expected reports 4, 3, 7 and 7 of 12 runs had significant cells (FDR, 90 %); at
#: 20: 1, 1, 3 and 2 of 12 (≈ the 10 % the 90 % level allows, under one false cell a
#: run); at 40: 2, 0, 3, 1. Cells are rounded up, so the automatic cell gives more.
MIN_PER_NEIGHBOURHOOD = 20
#: The farthest a neighbourhood may reach, in cells (a kernel of at most 101 × 101 cells).
MAX_NB_CELLS = 50


# -- the formula ------------------------------------------------------------------------------
def gistar_z(values: np.ndarray, neighbours: sparse.sparray | sparse.spmatrix) -> np.ndarray:
    """Gi* z-scores from values and any (sparse) weights matrix.

    Parameters
    ----------
    values
        One value per cell (e.g. counts), shape ``(n,)``, or one column per
        period, shape ``(n, t)`` (each column is scored on its own).
    neighbours
        ``n × n`` weights; row *i* holds *w_ij*, the diagonal the self-weight
        (1 for Gi*). Binary in this package, but any weights work.

    Returns
    -------
    numpy.ndarray
        z-scores with the shape of ``values``; 0 where the values are all equal
        or a neighbourhood covers every cell.
    """
    from scipy import sparse
    a = sparse.csr_array(neighbours, dtype=float)
    x = np.asarray(values, dtype=float)
    w_sum = np.asarray(a.sum(axis=1)).ravel()
    s1 = np.asarray((a * a).sum(axis=1)).ravel()
    return _z_from_sums(x, a @ x, w_sum, s1)


def _z_from_sums(x: np.ndarray, lag: np.ndarray, w_sum: np.ndarray,
                 s1: np.ndarray) -> np.ndarray:
    """The Gi* z-score from the neighbour sums; columns of 2-D ``x`` are separate runs."""
    n = x.shape[0]
    if n < 2:
        return np.zeros_like(x, dtype=float)
    mean = x.mean(axis=0)
    # Population standard deviation, as esda: E[x²] − E[x]² (here computed the stable way).
    sd = x.std(axis=0)
    flat = sd <= 1e-12 * np.maximum(np.abs(x).max(axis=0), 1e-300)
    spread = (n * s1 - w_sum**2) / (n - 1)
    if x.ndim == 2:
        w_sum, spread = w_sum[:, None], spread[:, None]
    den = np.where(flat, 1.0, sd) * np.sqrt(np.clip(spread, 0.0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (lag - mean * w_sum) / den
    z = np.where((den > 0) & np.isfinite(z), z, 0.0)
    if np.ndim(flat):
        z[:, flat] = 0.0
    elif flat:
        z[:] = 0.0
    return z


# -- neighbourhoods ---------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Neighbourhood:
    """Which cells are neighbours, and Gi* over them.

    Build it with :func:`neighbourhood`. Generated grids carry a kernel
    (``kernel[dr + R, dc + R] = 1`` when the cell ``dc`` columns and ``dr`` rows
    away is a neighbour) and use convolutions; user grids carry a sparse matrix.
    """

    n: int
    kernel: np.ndarray | None = None
    shape: tuple[int, int] | None = None
    flat: np.ndarray | None = None
    matrix: sparse.csr_array | None = None
    note: tuple[str, str] = ("", "")

    def gistar(self, values: np.ndarray) -> np.ndarray:
        """Gi* z-scores of ``values`` (shape ``(n,)`` or ``(n, periods)``)."""
        x = np.asarray(values, dtype=float)
        if self.matrix is not None:
            return gistar_z(x, self.matrix)
        mask = np.zeros(self.shape)
        mask.ravel()[self.flat] = 1.0
        w_sum = self._correlate(mask)
        s1 = w_sum if np.all((self.kernel == 0) | (self.kernel == 1)) else \
            self._correlate(mask, self.kernel**2)
        if x.ndim == 1:
            lag = self._correlate(self._raster(x))
        else:
            lag = np.stack([self._correlate(self._raster(col)) for col in x.T], axis=1)
        return _z_from_sums(x, lag, w_sum, s1)

    def sparse(self) -> sparse.csr_array:
        """The same neighbours as an ``n × n`` sparse 0/1 matrix (self included)."""
        if self.matrix is not None:
            return self.matrix
        index = np.full(self.shape, -1, dtype=np.int64)
        index.ravel()[self.flat] = np.arange(self.n)
        rows, cols = np.divmod(self.flat, self.shape[1])
        radius = self.kernel.shape[0] // 2
        src, dst, val = [], [], []
        for dr, dc in zip(*np.nonzero(self.kernel), strict=True):
            r, c = rows + dr - radius, cols + dc - radius
            ok = (r >= 0) & (r < self.shape[0]) & (c >= 0) & (c < self.shape[1])
            j = np.full(self.n, -1, dtype=np.int64)
            j[ok] = index[r[ok], c[ok]]
            hit = j >= 0
            src.append(np.nonzero(hit)[0])
            dst.append(j[hit])
            val.append(np.full(hit.sum(), self.kernel[dr, dc], dtype=float))
        from scipy import sparse
        return sparse.csr_array((np.concatenate(val), (np.concatenate(src),
                                                       np.concatenate(dst))),
                                shape=(self.n, self.n))

    def _raster(self, values: np.ndarray) -> np.ndarray:
        out = np.zeros(self.shape)
        out.ravel()[self.flat] = values
        return out

    def _correlate(self, raster: np.ndarray, kernel: np.ndarray | None = None) -> np.ndarray:
        k = self.kernel if kernel is None else kernel
        return correlate(raster, k).ravel()[self.flat]


def correlate(raster: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """``scipy.ndimage.correlate(raster, kernel, mode="constant", cval=0)`` for an odd,
    square kernel: a sum of shifted copies, one per non-zero weight (a few for the
    usual neighbourhoods; importing ``scipy.ndimage`` alone takes longer)."""
    r = kernel.shape[0] // 2
    padded = np.pad(np.asarray(raster, dtype=float), r)
    rows, cols = raster.shape
    out = np.zeros((rows, cols))
    for dr, dc in zip(*np.nonzero(kernel), strict=True):
        out += kernel[dr, dc] * padded[dr:dr + rows, dc:dc + cols]
    return out


def neighbour_kernel(kind: str, cell: float, nb_dist: float | None = None) -> np.ndarray:
    """0/1 kernel of the cells whose centres lie within ``nb_dist`` metres.

    Rows of the kernel are grid rows (axial *r* for hexagons), columns grid
    columns (axial *q*). Without ``nb_dist``: the cell and its 8 neighbours for
    squares (queen, within cell·√2), its 6 neighbours for hexagons (within cell).
    """
    dist = nb_dist if nb_dist is not None else (cell * math.sqrt(2.0) if kind == "square"
                                                else cell)
    if dist / cell > MAX_NB_CELLS:
        raise ArgumentError(
            f"Grannskapsavståndet {dist:g} m är mer än {MAX_NB_CELLS} celler ({cell:g} m) "
            f"långt. Välj --nb-dist {MAX_NB_CELLS * cell:g} eller kortare, eller större celler.",
            f"The neighbourhood distance {dist:g} m is more than {MAX_NB_CELLS} cells "
            f"({cell:g} m). Choose --nb-dist {MAX_NB_CELLS * cell:g} or shorter, or larger "
            "cells.")
    # A hexagon k steps away lies at least k·cell·√3/2 away.
    radius = int(math.floor(dist / cell * (1.0 if kind == "square" else 2 / math.sqrt(3))
                            + _TOL)) + 1
    dr, dc = np.mgrid[-radius:radius + 1, -radius:radius + 1]
    if kind == "square":
        dx, dy = dc * cell, dr * cell
    else:
        dx, dy = hex_centres(dc, dr, cell)
    kernel = (np.hypot(dx, dy) <= dist * (1 + _TOL)).astype(float)
    keep = np.nonzero(kernel.any(axis=0) | kernel.any(axis=1))[0]
    trim = min(keep.min(), kernel.shape[0] - 1 - keep.max())
    return kernel[trim:kernel.shape[0] - trim, trim:kernel.shape[1] - trim]


def polygon_neighbours(cells: gpd.GeoDataFrame, nb_dist: float | None = None
                       ) -> sparse.csr_array:
    """Neighbours among user polygons, self included: polygons that touch (queen
    contiguity), or, with ``nb_dist``, polygons whose centroids lie within that
    many metres of each other."""
    geoms = cells.geometry.to_numpy()
    n = len(geoms)
    if nb_dist is None:
        tree = shapely.STRtree(geoms)
        src, dst = tree.query(geoms, predicate="intersects")
    else:
        from scipy.spatial import cKDTree

        c = shapely.centroid(geoms)
        xy = np.stack([shapely.get_x(c), shapely.get_y(c)], axis=1)
        pairs = cKDTree(xy).query_pairs(nb_dist * (1 + _TOL), output_type="ndarray")
        src = np.concatenate([pairs[:, 0], pairs[:, 1], np.arange(n)])
        dst = np.concatenate([pairs[:, 1], pairs[:, 0], np.arange(n)])
    from scipy import sparse
    m = sparse.csr_array((np.ones(len(src)), (src, dst)), shape=(n, n))
    m.data[:] = 1.0  # duplicates summed → back to 0/1
    return m


def neighbourhood(cells: gpd.GeoDataFrame, params: dict,
                  nb_dist: float | None = None) -> Neighbourhood:
    """The neighbourhood for the grid returned by ``grid_for`` (its ``params``)."""
    n = len(cells)
    kind = params["grid"]
    if kind == "user":
        matrix = polygon_neighbours(cells, nb_dist)
        if nb_dist is None:
            note = ("Grannskap: cellen själv och polygonerna som rör vid den (queen), "
                    "binära vikter.",
                    "Neighbourhood: the cell itself and the polygons that touch it (queen), "
                    "binary weights.")
        else:
            note = (f"Grannskap: cellen och alla celler vars mittpunkt ligger inom {nb_dist:g} "
                    "meter, binära vikter.",
                    f"Neighbourhood: the cell and all cells whose centres lie within "
                    f"{nb_dist:g} metres, binary weights.")
        return Neighbourhood(n=n, matrix=matrix, note=note)
    cell = params["cell"]
    check_nb_dist(nb_dist, cell)
    kernel = neighbour_kernel(kind, cell, nb_dist)
    col = cells["col"].to_numpy(np.int64)
    row = cells["row"].to_numpy(np.int64)
    c0, r0 = col.min(), row.min()
    shape = (int(row.max() - r0 + 1), int(col.max() - c0 + 1))
    flat = (row - r0) * shape[1] + (col - c0)
    k = int(kernel.sum()) - 1
    if nb_dist is None:
        what = ("8 grannar (queen)", "8 neighbours (queen)") if kind == "square" else \
            ("6 grannar", "6 neighbours")
        note = (f"Grannskap: cellen och dess {what[0]}, binära vikter.",
                f"Neighbourhood: the cell and its {what[1]}, binary weights.")
    else:
        note = (f"Grannskap: cellen och de {k} celler vars mittpunkt ligger inom {nb_dist:g} "
                "meter, binära vikter.",
                f"Neighbourhood: the cell and the {k} cells whose centres lie within "
                f"{nb_dist:g} metres, binary weights.")
    return Neighbourhood(n=n, kernel=kernel, shape=shape, flat=flat, note=note)


# -- p-values and classes ---------------------------------------------------------------------
def adjust_pvalues(p: np.ndarray, method: str = "fdr") -> np.ndarray:
    """p-values adjusted for testing many cells at once.

    ``fdr`` is Benjamini–Hochberg (as ``scipy.stats.false_discovery_control``
    and R's ``p.adjust(method = "BH")``), ``bonferroni`` multiplies by the number
    of tests, ``none`` leaves them. NaN p-values (cells not tested) stay NaN and
    do not count as tests.
    """
    check_p_adjust(method)
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    q = p[ok]
    m = q.size
    if method == "none" or m == 0:
        out[ok] = q
    elif method == "bonferroni":
        out[ok] = np.minimum(q * m, 1.0)
    else:
        order = np.argsort(q, kind="stable")[::-1]  # largest first
        scaled = q[order] * m / np.arange(m, 0, -1)
        adj = np.empty(m)
        adj[order] = np.minimum(np.minimum.accumulate(scaled), 1.0)
        out[ok] = adj
    return out


def classify(z: np.ndarray, padj: np.ndarray) -> np.ndarray:
    """``hot_99``/``hot_95``/``hot_90``, ``cold_…`` or ``none`` from z and adjusted p."""
    out = np.full(np.shape(z), "none", dtype=object)
    for level, tag in LEVELS:
        sig = np.asarray(padj) < level
        out[sig & (z > 0)] = f"hot_{tag}"
        out[sig & (z < 0)] = f"cold_{tag}"
    return out


def two_sided_p(z: np.ndarray) -> np.ndarray:
    """Two-sided p-value of a standard normal z-score."""
    return 2.0 * ndtr(-np.abs(z))  # = 2 · scipy.stats.norm.sf(|z|)


def check_p_adjust(method: str) -> None:
    if method not in P_ADJUST:
        raise ArgumentError(f"p_adjust måste vara fdr, bonferroni eller none, inte '{method}'.",
                            f"p_adjust must be fdr, bonferroni or none, not '{method}'.")


def check_nb_dist(nb_dist: float | None, cell: float | None = None) -> None:
    if nb_dist is None:
        return
    if not np.isfinite(nb_dist) or nb_dist <= 0:
        raise ArgumentError(f"Grannskapsavståndet (nb_dist) måste vara ett positivt antal "
                            f"meter, inte {nb_dist}.",
                            f"The neighbourhood distance (nb_dist) must be a positive number of "
                            f"metres, not {nb_dist}.")
    if cell is not None and nb_dist < cell * (1 - _TOL):
        raise ArgumentError(f"Grannskapsavståndet {nb_dist:g} m är kortare än cellstorleken "
                            f"{cell:g} m, så ingen cell får några grannar. Välj minst {cell:g} m.",
                            f"The neighbourhood distance {nb_dist:g} m is shorter than the cell "
                            f"size {cell:g} m, so no cell gets neighbours. Choose at least "
                            f"{cell:g} m.")


# -- enough reports per neighbourhood ---------------------------------------------------------
def _amount(v: float, lang: str = "sv") -> str:
    """A count of reports for a message: whole, or two decimals for a weighted or an
    expected count below 10 ("2,35"; "1 234")."""
    return number(v, 0 if v >= 10 or float(v).is_integer() else 2, lang=lang)


def gistar_cell(cell: float | None, grid, x: np.ndarray, y: np.ndarray, *,
                nb_dist: float | None = None, area: AreaLike | None = None, crs=None,
                reports: float | None = None, per: str = "", refuse: bool = True
                ) -> tuple[float | None, list[tuple[str, str]]]:
    """The cell size Gi* uses, so that a neighbourhood expects enough reports.

    The expected count of a tested neighbourhood is ``k × N × a / A``: ``k``
    cells in the neighbourhood (9 for queen squares, 7 for hexagons, the
    kernel's cells with ``nb_dist``), ``N`` reports (``reports``, default the
    points), ``a`` the cell's area, ``A`` the study area's (``area``, else the
    points' convex hull). It must be at least :data:`MIN_PER_NEIGHBOURHOOD`.

    ``cell=None``: the larger of sfhotspot's rule and the smallest cell that
    meets the minimum, rounded up like :func:`geo.grid.nice_cell_ceil`, with a
    note; ``None`` is returned when sfhotspot's rule already meets it (its own
    note follows). An explicit ``cell`` (or ``nb_dist``) that does not meet it
    is refused, naming the smallest that does (``refuse=False``: a note says
    so instead; ``emerging`` uses this, since its per-period counts are
    compared with published results at a given cell). User grids are left alone.

    Returns
    -------
    (cell, notes)
        Cell size in metres (or ``None``) and the notes to add.
    """
    if isinstance(grid, gpd.GeoDataFrame) or len(x) < 3:
        return cell, []
    kind = grid
    zone = study_area(area, crs, x, y) if area is not None else convex_hull(x, y)
    total = float(zone.area)
    n_rep = float(len(x) if reports is None else reports)
    if not (total > 0 and n_rep > 0):
        return cell, []
    shape = 1.0 if kind == "square" else math.sqrt(3.0) / 2.0  # cell area / cell²

    def expected(c: float) -> float:
        k = int(neighbour_kernel(kind, c, nb_dist).sum()) if nb_dist is not None else \
            (9 if kind == "square" else 7)
        return k * n_rep * shape * c * c / total

    m = MIN_PER_NEIGHBOURHOOD
    n_sv, n_en = _amount(n_rep), _amount(n_rep, "en")
    if nb_dist is not None:
        need = math.sqrt(m * total / (math.pi * n_rep))
        if refuse and n_rep * math.pi * nb_dist**2 / total < m * (1 - 1e-9) and (
                cell is None or expected(cell) < m):
            fits = nice_cell_ceil(need)
            e = n_rep * math.pi * nb_dist**2 / total
            raise ArgumentError(
                f"Med {n_sv} rapporter{per} och --nb-dist {nb_dist:g} har ett grannskap i snitt "
                f"{_amount(e)} rapporter; Gi* behöver minst {m}. Välj --nb-dist {fits:g} eller "
                "större.",
                f"With {n_en} reports{per} and --nb-dist {nb_dist:g} a neighbourhood holds "
                f"{_amount(e, 'en')} reports on average; Gi* needs at least {m}. Choose "
                f"--nb-dist {fits:g} or larger.")
    k0 = 9 if kind == "square" else 7
    smallest = math.sqrt(m * total / (k0 * n_rep * shape))
    if cell is not None:
        e = expected(cell)
        if e >= m * (1 - 1e-9):
            return cell, []
        fits = nice_cell_ceil(smallest)
        while expected(fits) < m:
            fits = nice_cell_ceil(fits * 1.01)
        sv = (f"Med {n_sv} rapporter{per} och --cell {cell:g} har ett grannskap i snitt "
              f"{_amount(e)} rapporter; Gi* behöver minst {m}. Välj --cell {fits:g} eller "
              "större.")
        en = (f"With {n_en} reports{per} and --cell {cell:g} a neighbourhood holds "
              f"{_amount(e, 'en')} reports on average; Gi* needs at least {m}. Choose --cell "
              f"{fits:g} or larger.")
        if refuse:
            raise ArgumentError(sv, en)
        return cell, [("VARNING: " + sv.replace("Välj", "Räkna med falska hotspots; välj"),
                       "WARNING: " + en.replace("Choose", "Expect false hot spots; choose"))]
    rule = auto_cell_size(x, y)
    if expected(rule) >= m:
        return None, []
    fits = nice_cell_ceil(smallest)
    while expected(fits) < m:
        fits = nice_cell_ceil(fits * 1.01)
    return fits, [(
        f"Cellstorlek satt automatiskt till {fits:g} meter, så att varje grannskap i snitt har "
        f"minst {m} rapporter{per} (sfhotspots regel, kortaste sidan / 50, gav {rule:g} m).",
        f"Cell size set to {fits:g} metres automatically, so that every neighbourhood holds at "
        f"least {m} reports{per} on average (sfhotspot's rule, shorter side / 50, gave "
        f"{rule:g} m).")]


# -- the study area ---------------------------------------------------------------------------
AreaLike = shapely.Geometry | gpd.GeoDataFrame | gpd.GeoSeries | tuple[float, float, float, float]


def study_area(area: AreaLike | None, crs, x: np.ndarray, y: np.ndarray
               ) -> shapely.Geometry:
    """The study area as one polygon in ``crs``: ``area`` (a polygon in ``crs``,
    a GeoDataFrame/GeoSeries in any CRS, or ``(min x, min y, max x, max y)`` in
    ``crs``), else the convex hull of the points."""
    if area is None:
        return convex_hull(np.asarray(x, float), np.asarray(y, float))
    if isinstance(area, (gpd.GeoDataFrame, gpd.GeoSeries)):
        frame = area if area.crs is None else area.to_crs(crs)
        geom = shapely.union_all(frame.geometry.to_numpy() if isinstance(frame, gpd.GeoDataFrame)
                                 else frame.to_numpy())
    elif isinstance(area, shapely.Geometry):
        geom = area
    else:
        try:
            geom = shapely.box(*(float(v) for v in area))
        except (TypeError, ValueError):
            geom = None
    if geom is None or geom.is_empty or geom.area <= 0:
        raise ArgumentError("Studieområdet (area) måste vara en polygon, en GeoDataFrame med "
                            "polygoner eller (min x, min y, max x, max y) i meter.",
                            "The study area (area) must be a polygon, a GeoDataFrame of "
                            "polygons or (min x, min y, max x, max y) in metres.")
    return geom


def tested_cells(cells: gpd.GeoDataFrame, params: dict, x: np.ndarray, y: np.ndarray,
                 area: AreaLike | None = None) -> tuple[np.ndarray, tuple[str, str] | None]:
    """Which cells Gi* tests: those wholly inside the study area.

    Returns the boolean mask and a note (``None`` when every cell is tested).
    """
    n = len(cells)
    if params["grid"] == "user" and area is None:
        return np.ones(n, bool), None
    zone = study_area(area, cells.crs, x, y)
    shapely.prepare(zone)
    if area is None and params["grid"] == "square" and {"col", "row"} <= set(cells.columns):
        # The hull is convex: it covers a square exactly when it holds its four corners.
        c = params["cell"]
        col, row = cells["col"].to_numpy(float), cells["row"].to_numpy(float)
        inside = np.ones(n, bool)
        for dc, dr in ((0, 0), (1, 0), (1, 1), (0, 1)):
            inside &= shapely.intersects_xy(zone, (col + dc) * c, (row + dr) * c)
    else:
        inside = shapely.covers(zone, cells.geometry.to_numpy())
    left = int(n - inside.sum())
    if not left:
        return inside, None
    where_sv, where_en = (("punkternas konvexa hölje", "the points' convex hull")
                          if area is None else ("det angivna området", "the area given"))
    from trygg.layers.labels import label

    return inside, (
        f"{number(left)} av {number(n)} celler ligger delvis eller helt utanför studieområdet "
        f"({where_sv}) och testades inte (klass {label('klass', NOT_TESTED)}); Gi* och FDR "
        f"räknas på de {number(n - left)} cellerna helt innanför.",
        f"{number(left, lang='en')} of {number(n, lang='en')} cells lie partly or wholly "
        f"outside the study area ({where_en}) and were not tested (class "
        f"{label('klass', NOT_TESTED, lang='en')}); Gi* and the FDR use the "
        f"{number(n - left, lang='en')} cells wholly inside.")


def gistar_on(cells: gpd.GeoDataFrame, params: dict, values: np.ndarray, tested: np.ndarray,
              nb_dist: float | None = None) -> tuple[np.ndarray, tuple[str, str]]:
    """Gi* z-scores over the tested cells only (NaN elsewhere) and the neighbourhood note.

    ``values`` has one row per cell of ``cells`` (one column per period when 2-D).
    """
    values = np.asarray(values, dtype=float)
    z = np.full(values.shape, np.nan)
    sub = cells[tested]
    nb = neighbourhood(sub, params, nb_dist) if len(sub) else \
        neighbourhood(cells.iloc[:1], params, nb_dist)  # for its note
    if len(sub):
        z[tested] = nb.gistar(values[tested])
    return z, nb.note


# -- the user-facing verb ---------------------------------------------------------------------
def hotspot_gistar(points: gpd.GeoDataFrame, *, cell: float | None = None,
                   grid: str | gpd.GeoDataFrame = "square", nb_dist: float | None = None,
                   p_adjust: str = "fdr", weights: str | np.ndarray | None = None,
                   area: AreaLike | None = None, quiet: bool = False) -> gpd.GeoDataFrame:
    """Getis-Ord Gi* hot and cold spots of point counts on a grid.

    Only cells wholly inside the study area are tested (see the module
    docstring): the others get ``klass = "not_tested"``.

    Parameters
    ----------
    points
        Points in a projected CRS (metres), e.g. the project's reports.
    cell
        Cell size in metres; chosen automatically and announced when ``None``.
    grid
        ``"square"`` or ``"hex"`` (anchored to a fixed origin, clipped to the
        points' hull), or a user's own polygon grid used as given.
    nb_dist
        Neighbourhood radius in metres: every cell whose centre lies within it
        (the cell itself included). ``None``: the cell and its 8 neighbours
        (queen) on squares, its 6 neighbours on hexagons, the polygons that
        touch it on a user grid. Weights are binary.
    p_adjust
        Correction for testing every cell: ``"fdr"`` (Benjamini–Hochberg,
        default), ``"bonferroni"`` or ``"none"``.
    weights
        Column name or array of weights; every point counts 1 when ``None``.
    area
        The study area: a polygon or ``(min x, min y, max x, max y)`` in the
        points' CRS, or a GeoDataFrame of polygons. ``None``: the points'
        convex hull on generated grids, every cell on a user's grid.
    quiet
        Leave out the notes about chosen defaults (the note on untested cells
        stays out too; ``klass`` says it).

    Returns
    -------
    GeoDataFrame
        The grid with ``cell_id``, ``n`` (weighted count), ``gistar`` (z-score),
        ``pvalue`` (two-sided, normal), ``padj`` (adjusted over the tested cells)
        and ``klass`` (``hot_99``, ``hot_95``, ``hot_90``, ``cold_…``, ``none``,
        decided on ``padj``, or ``not_tested``, with NaN z and p); ``attrs``
        holds ``params`` (with ``tested``, the number of cells tested) and
        ``notes``.
    """
    check_cell(cell)
    check_p_adjust(p_adjust)
    check_nb_dist(nb_dist, cell)
    x, y, w = point_xy(points, weights=weights)
    cell, cell_notes = gistar_cell(cell, grid, x, y, nb_dist=nb_dist, area=area,
                                   crs=points.crs)
    cells, index, params, notes = grid_for(points, x, y, cell=cell, grid=grid)
    notes = [*cell_notes, *notes]
    inside = index >= 0
    n = np.bincount(index[inside], weights=w[inside], minlength=len(cells))
    tested, edge_note = tested_cells(cells, params, x, y, area)
    z, nb_note = gistar_on(cells, params, n, tested, nb_dist)
    p = two_sided_p(z)
    padj = adjust_pvalues(p, p_adjust)
    out = cells.copy()
    out["n"] = n
    out["gistar"] = z
    out["pvalue"] = p
    out["padj"] = padj
    klass = classify(z, padj)
    klass[~tested] = NOT_TESTED
    out["klass"] = klass
    notes = [*notes, nb_note, _adjust_note(p_adjust)]
    if edge_note:
        notes.append(edge_note)
    out.attrs["params"] = {**params, "nb_dist": nb_dist, "p_adjust": p_adjust,
                           "tested": int(tested.sum()), "study_area": (
                               "hull" if area is None and params["grid"] != "user" else
                               "grid" if area is None else "area")}
    out.attrs["notes"] = [] if quiet else notes
    return out


def _adjust_note(method: str) -> tuple[str, str]:
    return {
        "fdr": ("p-värdena är justerade för att många celler testas (Benjamini–Hochberg, FDR).",
                "p-values are adjusted for testing many cells (Benjamini–Hochberg, FDR)."),
        "bonferroni": ("p-värdena är justerade för att många celler testas (Bonferroni).",
                       "p-values are adjusted for testing many cells (Bonferroni)."),
        "none": ("p-värdena är inte justerade för att många celler testas: räkna med falska "
                 "hotspots.",
                 "p-values are not adjusted for testing many cells: expect false hot spots."),
    }[method]

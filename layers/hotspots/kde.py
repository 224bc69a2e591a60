"""Kernel density of reports per grid cell and as a raster (``trygg hotspots --method kde``).

Densities are in reports per km² (weighted), evaluated at cell centres:

- ``quartic`` (biweight, the default, as in sfhotspot/SpatialKDE, QGIS and ArcGIS):
  ``K(d) = 3 / (π h²) · (1 − (d/h)²)²`` for ``d < h``, zero beyond; ``h`` is the
  search radius in metres.
- ``gaussian``: ``K(d) = 1 / (2π h²) · exp(−d² / 2h²)``; ``h`` is the standard
  deviation in metres. Contributions beyond ``6 h`` (below 1.5e-8 of the kernel's
  peak) are left out.

Automatic bandwidth (when ``bandwidth=None``) follows sfhotspot: the rule of thumb
of R's ``MASS::bandwidth.nrd``, ``4 · 1.06 · min(sd, IQR / 1.34) · n^(−1/5)``, on the
x and on the y coordinates, averaged (arithmetic mean), rounded to whole metres.
That is the quartic radius. For the gaussian kernel the standard deviation is a
quarter of it, the convention of ``MASS::kde2d`` for which the rule was made.
(sfhotspot's own R code writes ``mean(bx, by)``, which R evaluates as ``bx``
alone; we use the mean it documents.)

:func:`hotspot_kde` sums the kernel exactly over point–centre pairs (a KD-tree finds
the pairs) unless there are more than :data:`EXACT_PAIR_LIMIT` pairs; then it
uses the raster method. :func:`kde_raster` bins the points linearly onto the
raster's cell centres and convolves with the kernel sampled on the same lattice
(FFT), which is exact for points lying on cell centres and otherwise off by the
binning error (second order in resolution / bandwidth, see ``scripts/bench_kde.py``).
"""

from __future__ import annotations

import math
import os
import uuid
from pathlib import Path

import geopandas as gpd
import numpy as np
from affine import Affine

from trygg.geo.errors import ArgumentError
from trygg.geo.grid import hex_centres
from trygg.geo.text import number
from trygg.layers.hotspots._validate import check_cell, point_xy
from trygg.layers.hotspots.count import grid_for

KERNELS = ("quartic", "gaussian")
GAUSS_CUTOFF = 6.0  # gaussian contributions beyond this many standard deviations are dropped
EXACT_PAIR_LIMIT = 50_000_000  # above this many point–centre pairs, hotspot_kde uses a raster
PER_KM2 = 1e6  # m² per km²
_CHUNK_PAIRS = 4_000_000  # pairs handled at once in the exact sum (memory ≈ 24 bytes each)
_MAX_CELLS = 100_000_000  # largest padded raster we agree to allocate
#: Memory the raster method needs per cell of the padded raster, in bytes: measured peak
#: 33 bytes on 16,000,000 cells (float64 binning, the two real FFT spectra, the inverse),
#: rounded up. The raster is refused when it would take more than
#: ``geo.grid.MEMORY_SHARE`` of the memory available.
KDE_BYTES_PER_CELL = 48
BAND_DESCRIPTION = "kde (rapporter per km²)"


# -- arguments -------------------------------------------------------------------------

def _check_kernel(kernel: str) -> None:
    if kernel not in KERNELS:
        raise ArgumentError(f"Kärnan ska vara quartic eller gaussian, inte '{kernel}'.",
                            f"The kernel must be quartic or gaussian, not '{kernel}'.")


def _check_bandwidth(bandwidth: float | None) -> None:
    if bandwidth is None:
        return
    try:
        ok = math.isfinite(float(bandwidth)) and float(bandwidth) > 0
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ArgumentError(
            f"Bandbredden måste vara ett positivt antal meter, inte {bandwidth}. Utelämna den "
            "för att välja den automatiskt.",
            f"The bandwidth must be a positive number of metres, not {bandwidth}. Leave it out "
            "to choose it automatically.")


#: A bandwidth must lie between this share of the cell size and :data:`BANDWIDTH_MAX_EXTENT`
#: times the points' extent (the diagonal of their bounding box, at least one cell): below,
#: the density is the points of the cell itself and the raster it needs is enormous; above,
#: the surface is flat over the whole area.
BANDWIDTH_MIN_CELL = 0.5
BANDWIDTH_MAX_EXTENT = 10.0


def _check_bandwidth_range(h: float, side: float, x: np.ndarray, y: np.ndarray,
                           kernel: str) -> None:
    """Refuse a bandwidth outside [cell × BANDWIDTH_MIN_CELL, extent × BANDWIDTH_MAX_EXTENT],
    naming one that works (the automatic one when it lies inside, else the bound)."""
    extent = max(float(math.hypot(np.ptp(x), np.ptp(y))) if len(x) else 0.0, side)
    low, high = side * BANDWIDTH_MIN_CELL, extent * BANDWIDTH_MAX_EXTENT
    if low <= h <= high:
        return
    try:
        good = auto_bandwidth(x, y, kernel)
    except ArgumentError:
        good = low
    good = float(min(max(good, low), high))
    good_text = f"{good:.0f}" if good >= 10 else f"{good:.3g}"
    if h < low:
        sv = f"mindre än halva cellstorleken ({side:g} m)"
        en = f"less than half the cell size ({side:g} m)"
    else:
        sv = f"mer än tio gånger punkternas utbredning ({extent:.0f} m)"
        en = f"more than ten times the points' extent ({extent:.0f} m)"
    raise ArgumentError(
        f"Bandbredden {h:g} m är {sv}. Välj t.ex. --bandwidth {good_text}.",
        f"The bandwidth {h:g} m is {en}. Choose e.g. --bandwidth {good_text}.")


def _support(bandwidth: float, kernel: str) -> float:
    """Distance (metres) beyond which the kernel is zero (or dropped)."""
    return bandwidth if kernel == "quartic" else GAUSS_CUTOFF * bandwidth


def _nrd(v: np.ndarray) -> float:
    """``MASS::bandwidth.nrd`` of one coordinate (falls back to the sd when the IQR is 0)."""
    if v.size < 2:
        return 0.0
    sd = float(np.std(v, ddof=1))
    q1, q3 = np.quantile(v, [0.25, 0.75])  # R's default quantile type 7
    spread = min(sd, (q3 - q1) / 1.34) or sd
    return 4 * 1.06 * spread * v.size ** (-0.2)


def auto_bandwidth(x: np.ndarray, y: np.ndarray, kernel: str = "quartic") -> float:
    """Bandwidth in metres by sfhotspot's rule of thumb (see the module docstring).

    Returns the quartic radius, or for ``gaussian`` the standard deviation (a
    quarter of it), rounded to whole metres (to 3 significant digits below 10 m).
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    h = (_nrd(x) + _nrd(y)) / 2.0
    if kernel == "gaussian":
        h /= 4.0
    if not np.isfinite(h) or h <= 0:
        raise ArgumentError(
            "Bandbredden kan inte väljas automatiskt: punkterna ligger på samma plats. "
            "Ange `bandwidth` i meter.",
            "The bandwidth cannot be chosen automatically: the points are all in one place. "
            "Give `bandwidth` in metres.")
    return float(round(h)) if h >= 10 else float(f"{h:.3g}")


def _bandwidth_note(h: float, kernel: str) -> tuple[str, str]:
    what_sv = "radie" if kernel == "quartic" else "standardavvikelse"
    what_en = "radius" if kernel == "quartic" else "standard deviation"
    return (f"Bandbredd satt automatiskt till {number(h)} meter ({what_sv}; tumregel "
            "MASS::bandwidth.nrd, medel av x och y).",
            f"Bandwidth set to {number(h, lang='en')} metres automatically ({what_en}; rule of "
            "thumb "
            "MASS::bandwidth.nrd, mean of x and y).")


def _points(points: gpd.GeoDataFrame | np.ndarray, weights
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, object]:
    """(x, y, w, crs) from a GeoDataFrame or an (n, 2) array of metres."""
    if isinstance(points, gpd.GeoDataFrame):
        x, y, w = point_xy(points, weights=weights)
        return x, y, w, points.crs
    xy = np.asarray(points, float)
    if xy.ndim != 2 or xy.shape[1] != 2 or xy.shape[0] == 0:
        raise ArgumentError("`points` måste vara en GeoDataFrame eller en (n, 2)-matris "
                            "med x och y i meter, och inte vara tom.",
                            "`points` must be a GeoDataFrame or a non-empty (n, 2) array "
                            "of x and y in metres.")
    if not np.isfinite(xy).all():
        raise ArgumentError("`points` har koordinater som inte är tal (NaN/inf).",
                            "`points` has coordinates that are not numbers (NaN/inf).")
    if isinstance(weights, str):
        raise ArgumentError("`weights` kan bara vara ett kolumnnamn när `points` är en "
                            "GeoDataFrame.",
                            "`weights` can only be a column name when `points` is a "
                            "GeoDataFrame.")
    w = np.ones(len(xy)) if weights is None else np.asarray(weights, float)
    if w.shape != (len(xy),) or not np.isfinite(w).all() or (w < 0).any():
        raise ArgumentError("`weights` måste ha en vikt ≥ 0 per punkt.",
                            "`weights` must have one weight ≥ 0 per point.")
    return xy[:, 0], xy[:, 1], w, None


# -- exact sum -------------------------------------------------------------------------

def _kernel_values(d2: np.ndarray, h: float, kernel: str) -> np.ndarray:
    """Kernel density (per m²) at squared distances ``d2`` (m²)."""
    if kernel == "quartic":
        u2 = d2 / (h * h)
        return np.where(u2 < 1.0, 3.0 / (math.pi * h * h) * (1.0 - u2) ** 2, 0.0)
    out = np.exp(-d2 / (2.0 * h * h)) / (2.0 * math.pi * h * h)
    return np.where(d2 <= (GAUSS_CUTOFF * h) ** 2, out, 0.0)


def kde_exact(x: np.ndarray, y: np.ndarray, qx: np.ndarray, qy: np.ndarray, *,
              bandwidth: float, kernel: str = "quartic",
              weights: np.ndarray | None = None) -> np.ndarray:
    """Kernel sum at query locations, exactly (every point within the kernel's reach).

    Parameters
    ----------
    x, y
        Point coordinates in metres.
    qx, qy
        Where to evaluate, in metres.
    bandwidth
        Quartic radius or gaussian standard deviation, in metres.
    kernel
        ``quartic`` or ``gaussian``.
    weights
        One weight per point; 1 each when ``None``.

    Returns
    -------
    ndarray
        Density in reports per km² at each query location.
    """
    from scipy.spatial import cKDTree

    _check_kernel(kernel)
    _check_bandwidth(bandwidth)
    h = float(bandwidth)
    w = np.ones(len(x)) if weights is None else np.asarray(weights, float)
    q = np.column_stack([np.asarray(qx, float), np.asarray(qy, float)])
    out = np.zeros(len(q))
    if len(q) == 0 or len(x) == 0:
        return out
    reach = _support(h, kernel)
    tree = cKDTree(np.column_stack([np.asarray(x, float), np.asarray(y, float)]))
    counts = tree.query_ball_point(q, reach, return_length=True)
    # Chunks of query locations holding about _CHUNK_PAIRS pairs each.
    ends = np.searchsorted(np.cumsum(counts), np.arange(_CHUNK_PAIRS, counts.sum(),
                                                        _CHUNK_PAIRS))
    bounds = np.unique(np.concatenate([[0], ends + 1, [len(q)]]).clip(0, len(q)))
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        pairs = cKDTree(q[a:b]).sparse_distance_matrix(tree, reach, output_type="ndarray")
        if len(pairs) == 0:
            continue
        k = _kernel_values(pairs["v"] ** 2, h, kernel) * w[pairs["j"]]
        out[a:b] = np.bincount(pairs["i"], weights=k, minlength=b - a)
    return out * PER_KM2


# -- raster ----------------------------------------------------------------------------

def _nice_ceil(v: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k that is ≥ v."""
    magnitude = 10.0 ** math.floor(math.log10(v))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= v * (1 - 1e-12):
            return step * magnitude
    return 10 * magnitude  # pragma: no cover


def _raster_geometry(x, y, *, bounds, resolution, shape, pad
                     ) -> tuple[float, float, float, float, int, int]:
    """(left, top, dx, dy, rows, cols) of the raster."""
    if resolution is not None and shape is not None:
        raise ArgumentError("Ange antingen `resolution` eller `shape`, inte båda.",
                            "Give either `resolution` or `shape`, not both.")
    if bounds is None:
        bounds = (x.min() - pad, y.min() - pad, x.max() + pad, y.max() + pad)
    try:
        xmin, ymin, xmax, ymax = (float(b) for b in bounds)
        ok = all(map(math.isfinite, (xmin, ymin, xmax, ymax))) and xmin < xmax and ymin < ymax
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ArgumentError(f"`bounds` ska vara (xmin, ymin, xmax, ymax) i meter med xmin < "
                            f"xmax och ymin < ymax, inte {bounds}.",
                            f"`bounds` must be (xmin, ymin, xmax, ymax) in metres with xmin < "
                            f"xmax and ymin < ymax, not {bounds}.")
    if shape is not None:
        try:
            rows, cols = (int(s) for s in shape)
            ok = rows > 0 and cols > 0
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise ArgumentError(f"`shape` ska vara (rader, kolumner) > 0, inte {shape}.",
                                f"`shape` must be (rows, columns) > 0, not {shape}.")
        return xmin, ymax, (xmax - xmin) / cols, (ymax - ymin) / rows, rows, cols
    if resolution is None:
        resolution = _nice_ceil(max(xmax - xmin, ymax - ymin) / 1000.0)
    elif not np.isfinite(resolution) or resolution <= 0:
        raise ArgumentError(f"Upplösningen måste vara ett positivt antal meter, inte "
                            f"{resolution}.",
                            f"The resolution must be a positive number of metres, not "
                            f"{resolution}.")
    res = float(resolution)
    # Anchored to multiples of the resolution, like geo.grid's cells.
    left, right = math.floor(xmin / res) * res, math.ceil(xmax / res) * res
    bottom, top = math.floor(ymin / res) * res, math.ceil(ymax / res) * res
    cols, rows = max(1, round((right - left) / res)), max(1, round((top - bottom) / res))
    return left, top, res, res, rows, cols


def _check_raster_size(cells: int, res: float) -> None:
    """Refuse a raster of ``cells`` cells (padded, kernel included) at ``res`` metres
    that would not fit: over ``_MAX_CELLS`` or the memory available at
    :data:`KDE_BYTES_PER_CELL`; the message names a resolution that fits."""
    from trygg.geo.grid import cell_limit

    limit = cell_limit(KDE_BYTES_PER_CELL, max_cells=_MAX_CELLS)
    if cells <= limit:
        return
    fits = _nice_ceil(res * math.sqrt(cells / limit) * 1.05)
    raise ArgumentError(
        f"KDE-rastret med upplösningen {res:g} m blir ungefär {number(cells)} celler (med "
        f"bandbreddens marginal), mer än minnet räcker till. Välj en upplösning på "
        f"{fits:g} m eller grövre, eller en mindre bandbredd.",
        f"The KDE raster at a resolution of {res:g} m would have about "
        f"{number(cells, lang='en')} cells (with the bandwidth's margin), more than the memory "
        "holds. Choose a resolution of "
        f"{fits:g} m or coarser, or a smaller bandwidth.")


def _density_on_lattice(x, y, w, *, left, top, dx, dy, rows, cols, h, kernel) -> np.ndarray:
    """Density (per km²) at the cell centres of a north-up raster: linear binning to the
    centres, then FFT convolution with the kernel sampled at the same spacing."""
    from scipy import fft  # (scipy.signal would add a second of import time)

    reach = _support(h, kernel)
    kx, ky = int(reach // dx), int(reach // dy)
    prow, pcol = rows + 2 * ky, cols + 2 * kx
    _check_raster_size(prow * pcol + (2 * ky + 1) * (2 * kx + 1), max(dx, dy))
    # Continuous lattice position of each point in the padded raster (node = cell centre).
    u = (x - left) / dx - 0.5 + kx
    v = (top - y) / dy - 0.5 + ky
    keep = (u > -1) & (u < pcol) & (v > -1) & (v < prow)
    u, v, w = u[keep], v[keep], w[keep]
    c0, r0 = np.floor(u).astype(np.int64), np.floor(v).astype(np.int64)
    fx, fy = u - c0, v - r0
    binned = np.zeros(prow * pcol)
    for dr, dc, share in ((0, 0, (1 - fy) * (1 - fx)), (0, 1, (1 - fy) * fx),
                          (1, 0, fy * (1 - fx)), (1, 1, fy * fx)):
        r, c = r0 + dr, c0 + dc
        ok = (r >= 0) & (r < prow) & (c >= 0) & (c < pcol)
        binned += np.bincount(r[ok] * pcol + c[ok], weights=(w * share)[ok],
                              minlength=prow * pcol)
    binned = binned.reshape(prow, pcol)
    oy, ox = np.meshgrid(np.arange(-ky, ky + 1) * dy, np.arange(-kx, kx + 1) * dx,
                         indexing="ij")
    kern = _kernel_values(ox ** 2 + oy ** 2, h, kernel)
    # "Valid" convolution by FFT: a transform as long as the padded raster is enough,
    # as the wrapped-around part falls outside the rows and columns we keep.
    size = (fft.next_fast_len(prow, real=True), fft.next_fast_len(pcol, real=True))
    spectrum = fft.rfft2(binned, size, workers=-1) * fft.rfft2(kern, size, workers=-1)
    out = fft.irfft2(spectrum, size, workers=-1)[2 * ky:prow, 2 * kx:pcol]
    np.maximum(out, 0.0, out=out)  # FFT round-off can leave -1e-17 where there is nothing
    return out * PER_KM2


def kde_raster(points: gpd.GeoDataFrame | np.ndarray, *,
               bounds: tuple[float, float, float, float] | None = None,
               resolution: float | None = None, shape: tuple[int, int] | None = None,
               bandwidth: float | None = None, kernel: str = "quartic",
               weights: str | np.ndarray | None = None
               ) -> tuple[np.ndarray, Affine, dict]:
    """Kernel density on a north-up raster, fast (a million points in about a second).

    Parameters
    ----------
    points
        Points in a projected CRS (metres), or an (n, 2) array of x, y in metres.
    bounds
        ``(xmin, ymin, xmax, ymax)`` in metres; by default the points' bounding box
        widened by the kernel's reach (quartic: the radius; gaussian: 3 sd).
    resolution
        Cell size in metres; the raster is then anchored to multiples of it. By
        default the smallest of 1, 2, 2.5, 5 × 10^k metres giving at most 1000
        cells along the longer side.
    shape
        ``(rows, cols)`` instead of ``resolution``: the raster fills ``bounds``
        exactly (cells may then be rectangular).
    bandwidth
        Quartic radius or gaussian standard deviation in metres; by sfhotspot's rule
        of thumb when ``None`` (see :func:`auto_bandwidth`).
    kernel
        ``quartic`` (default) or ``gaussian``.
    weights
        Column name or array of weights; every point counts 1 when ``None``.

    Returns
    -------
    (array, transform, params)
        ``array``: float64 ``[rows, cols]``, row 0 to the north, density in reports
        per km² at each cell centre. ``transform``: the affine transform of the
        cells' corners. ``params``: bandwidth, kernel, resolution, crs and notes.

    Notes
    -----
    Points are binned linearly onto the cell centres and the binned counts are
    convolved with the kernel sampled on the same lattice. For points lying on cell
    centres the result equals the exact kernel sum (to round-off, ~1e-13 of the
    peak). Other points are smeared over their 4 nearest centres; the error of
    that is of order (resolution / bandwidth)²; ``scripts/bench_kde.py`` measures it.
    """
    _check_kernel(kernel)
    _check_bandwidth(bandwidth)
    x, y, w, crs = _points(points, weights)
    notes: list[tuple[str, str]] = []
    rule = "user"
    if bandwidth is None:
        bandwidth = auto_bandwidth(x, y, kernel)
        rule = "nrd"
        notes.append(_bandwidth_note(bandwidth, kernel))
    h = float(bandwidth)
    pad = h if kernel == "quartic" else 3.0 * h
    left, top, dx, dy, rows, cols = _raster_geometry(x, y, bounds=bounds,
                                                     resolution=resolution, shape=shape,
                                                     pad=pad)
    array = _density_on_lattice(x, y, w, left=left, top=top, dx=dx, dy=dy, rows=rows,
                                cols=cols, h=h, kernel=kernel)
    transform = Affine(dx, 0.0, left, 0.0, -dy, top)
    params = {"bandwidth": h, "bandwidth_rule": rule, "kernel": kernel,
              "resolution": (dx, dy), "shape": (rows, cols),
              "bounds": (left, top - rows * dy, left + cols * dx, top),
              "crs": None if crs is None else crs.to_string(),
              "units": "rapporter per km²", "notes": notes}
    return array, transform, params


def write_geotiff(array: np.ndarray, transform: Affine, crs, path: str | Path) -> Path:
    """Write a density raster as a GeoTIFF (float32, LZW, no nodata), atomically.

    Parameters
    ----------
    array
        ``[rows, cols]`` densities, row 0 to the north (from :func:`kde_raster`).
    transform
        The affine transform from :func:`kde_raster` (north-up: negative y step).
    crs
        The raster's CRS, anything rasterio accepts (``"EPSG:3006"``, a pyproj CRS).
    path
        Where to write; the file appears complete or not at all.

    Returns
    -------
    Path
        ``path``.
    """
    import rasterio

    array = np.asarray(array)
    if array.ndim != 2:
        raise ArgumentError(f"Rastret måste vara tvådimensionellt, inte {array.ndim}-dim.",
                            f"The raster must be two-dimensional, not {array.ndim}-D.")
    if not (transform.b == 0 and transform.d == 0 and transform.e < 0 < transform.a):
        raise ArgumentError("Rastret måste vara norrorienterat (rad 0 i norr, utan rotation).",
                            "The raster must be north-up (row 0 to the north, no rotation).")
    if hasattr(crs, "to_wkt"):
        crs = crs.to_wkt()
    path = Path(path)
    tmp = path.with_name(f".{path.stem}-{uuid.uuid4().hex[:8]}.tif")
    try:
        with rasterio.open(tmp, "w", driver="GTiff", width=array.shape[1],
                           height=array.shape[0], count=1, dtype="float32", crs=crs,
                           transform=transform, compress="lzw", nodata=None) as dst:
            dst.write(array.astype(np.float32), 1)
            dst.set_band_description(1, BAND_DESCRIPTION)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


# -- per cell --------------------------------------------------------------------------

def _centres(cells: gpd.GeoDataFrame, params: dict) -> tuple[np.ndarray, np.ndarray, float]:
    """Cell centres (metres) and a typical cell side (metres)."""
    if params["grid"] == "square":
        cell = params["cell"]
        return ((cells["col"].to_numpy(float) + 0.5) * cell,
                (cells["row"].to_numpy(float) + 0.5) * cell, cell)
    if params["grid"] == "hex":
        cell = params["cell"]
        cx, cy = hex_centres(cells["col"].to_numpy(float), cells["row"].to_numpy(float), cell)
        return cx, cy, cell * math.sqrt(math.sqrt(3) / 2)
    centroids = cells.geometry.centroid
    side = float(np.sqrt(np.median(cells.geometry.area))) if len(cells) else 1.0
    return centroids.x.to_numpy(float), centroids.y.to_numpy(float), side


def _via_raster(x, y, w, qx, qy, *, side, h, kernel) -> np.ndarray:
    """Density at arbitrary locations from a fine raster (linear binning, bilinear
    interpolation); exact at cell centres of generated square grids up to binning."""
    from scipy.ndimage import map_coordinates

    k = max(1, math.ceil(side / (h / 20.0)))
    k += 1 - k % 2  # odd: square-grid centres fall on raster cell centres
    span = max(qx.max() - qx.min(), qy.max() - qy.min()) + 2 * side
    while k > 1 and (span / (side / k)) ** 2 > 16_000_000:
        k -= 2
    res = side / k
    left, top, dx, dy, rows, cols = _raster_geometry(
        qx, qy, bounds=(qx.min() - res, qy.min() - res, qx.max() + res, qy.max() + res),
        resolution=res, shape=None, pad=0.0)
    grid = _density_on_lattice(x, y, w, left=left, top=top, dx=dx, dy=dy, rows=rows,
                               cols=cols, h=h, kernel=kernel)
    coords = np.vstack([(top - qy) / dy - 0.5, (qx - left) / dx - 0.5])
    return np.maximum(map_coordinates(grid, coords, order=1, mode="nearest"), 0.0)


def hotspot_kde(points: gpd.GeoDataFrame, *, cell: float | None = None,
                grid: str | gpd.GeoDataFrame = "square", bandwidth: float | None = None,
                kernel: str = "quartic", weights: str | np.ndarray | None = None,
                quiet: bool = False) -> gpd.GeoDataFrame:
    """Kernel density of points at the centre of each cell of a grid.

    Parameters
    ----------
    points
        Points in a projected CRS (metres), e.g. the project's reports.
    cell
        Cell size in metres; chosen with :func:`geo.grid.auto_cell_size` and
        announced in ``attrs["notes"]`` when ``None``.
    grid
        ``"square"`` or ``"hex"`` (anchored to a fixed origin), or a user's own
        polygon grid (density at each polygon's centroid).
    bandwidth
        Quartic radius or gaussian standard deviation in metres; when ``None``, by
        sfhotspot's rule of thumb (``MASS::bandwidth.nrd`` on x and y, averaged;
        a quarter of it as the gaussian sd) and announced in ``attrs["notes"]``.
    kernel
        ``quartic`` (default; biweight) or ``gaussian``.
    weights
        Column name or array of weights; every point counts 1 when ``None``.
    quiet
        Leave out the notes about chosen defaults.

    Returns
    -------
    GeoDataFrame
        The grid with ``cell_id``, ``n`` (weighted count) and ``kde`` (density at
        the cell centre, reports per km², weighted); ``attrs`` holds ``params``
        (cell, grid, bandwidth, kernel, method) and ``notes`` ((Swedish, English)
        pairs).

    Notes
    -----
    The density is the exact kernel sum at each centre (method ``exact``) unless
    there would be more than :data:`EXACT_PAIR_LIMIT` point–centre pairs; then it
    comes from a raster of about 20 cells per bandwidth (method ``raster``,
    announced), with a binning error of order (resolution / bandwidth)².
    """
    check_cell(cell)
    _check_kernel(kernel)
    _check_bandwidth(bandwidth)
    x, y, w = point_xy(points, weights=weights)
    cells, index, params, notes = grid_for(points, x, y, cell=cell, grid=grid)
    inside = index >= 0
    n = np.bincount(index[inside], weights=w[inside], minlength=len(cells))
    rule = "user"
    if bandwidth is None:
        bandwidth = auto_bandwidth(x, y, kernel)
        rule = "nrd"
        notes.append(_bandwidth_note(bandwidth, kernel))
    h = float(bandwidth)
    qx, qy, side = _centres(cells, params)
    _check_bandwidth_range(h, side, x, y, kernel)
    reach = _support(h, kernel)
    pairs = len(x) * math.pi * reach ** 2 / side ** 2
    method = "exact" if pairs <= EXACT_PAIR_LIMIT else "raster"
    if method == "exact":
        kde = kde_exact(x, y, qx, qy, bandwidth=h, kernel=kernel, weights=w)
    else:
        kde = _via_raster(x, y, w, qx, qy, side=side, h=h, kernel=kernel)
        notes.append(("Tätheten beräknades på ett fint raster (många punkter och stor "
                      "bandbredd); felet är litet men inte noll.",
                      "The density was computed on a fine raster (many points and a large "
                      "bandwidth); the error is small but not zero."))
    out = cells.copy()
    out["n"] = n
    out["kde"] = kde
    out.attrs["params"] = {**params, "bandwidth": h, "bandwidth_rule": rule,
                           "kernel": kernel, "method": method,
                           "units": "rapporter per km²"}
    out.attrs["notes"] = [] if quiet else notes
    return out

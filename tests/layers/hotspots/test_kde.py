"""hotspot_kde, kde_raster and write_geotiff: inputs first, then outputs against
independent brute-force kernel sums."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from numpy.testing import assert_allclose

import trygg.layers.hotspots.kde as kde_module
from trygg.geo.errors import ArgumentError
from trygg.geo.text import number
from trygg.layers.hotspots.kde import hotspot_kde, kde_raster, write_geotiff

ORIGIN = np.array([674_000.0, 6_580_000.0])  # Stockholm-ish, EPSG:3006


def _points(xy: np.ndarray, crs: str = "EPSG:3006", **columns) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=crs)


@pytest.fixture
def xy() -> np.ndarray:
    """200 points: a cluster of 60 plus 140 spread over 3 × 2 km."""
    rng = np.random.default_rng(42)
    cluster = rng.normal([1800, 700], 120, size=(60, 2))
    spread = rng.random((140, 2)) * [3000, 2000]
    return np.concatenate([cluster, spread]) + ORIGIN


def brute_force(px, py, w, qx, qy, h, kernel) -> np.ndarray:
    """Every point against every location, no tree, no truncation; per km²."""
    d2 = (qx[:, None] - px[None, :]) ** 2 + (qy[:, None] - py[None, :]) ** 2
    if kernel == "quartic":
        u2 = d2 / h**2
        k = np.where(u2 < 1, 3 / (math.pi * h**2) * (1 - u2) ** 2, 0.0)
    else:
        k = np.exp(-d2 / (2 * h**2)) / (2 * math.pi * h**2)
    return (k * w[None, :]).sum(axis=1) * 1e6


def centres(array: np.ndarray, transform) -> tuple[np.ndarray, np.ndarray]:
    """x and y (metres) of every cell centre of a north-up raster, row by row."""
    rows, cols = np.indices(array.shape)
    return (transform.c + (cols.ravel() + 0.5) * transform.a,
            transform.f + (rows.ravel() + 0.5) * transform.e)


def nrd(v: np.ndarray) -> float:
    """R's MASS::bandwidth.nrd, written out again."""
    q1, q3 = np.percentile(v, [25, 75])
    return 4 * 1.06 * min(np.std(v, ddof=1), (q3 - q1) / 1.34) * len(v) ** -0.2


# -- check inputs ----------------------------------------------------------------------

def test_lonlat_points_are_refused(xy):
    pts = _points(np.array([[18.06, 59.33], [18.07, 59.34]]), crs="EPSG:4326")
    with pytest.raises(ArgumentError, match="longitud/latitud"):
        hotspot_kde(pts)
    with pytest.raises(ArgumentError, match="projicerat"):
        kde_raster(pts)


def test_empty_points_are_refused():
    empty = gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs="EPSG:3006"))
    with pytest.raises(ArgumentError, match="inga rader"):
        hotspot_kde(empty)
    with pytest.raises(ArgumentError, match="inga rader"):
        kde_raster(empty)
    with pytest.raises(ArgumentError, match="tom"):
        kde_raster(np.empty((0, 2)))


@pytest.mark.parametrize("kernel", ["epanechnikov", "Quartic", ""])
def test_unknown_kernel_is_refused(xy, kernel):
    with pytest.raises(ArgumentError, match="quartic eller gaussian") as err:
        hotspot_kde(_points(xy), kernel=kernel)
    assert kernel in err.value.en
    with pytest.raises(ArgumentError, match="quartic eller gaussian"):
        kde_raster(xy, kernel=kernel)


@pytest.mark.parametrize("bandwidth", [-100, 0, float("nan"), float("inf"), "wide"])
def test_bad_bandwidth_is_refused(xy, bandwidth):
    with pytest.raises(ArgumentError, match="Bandbredden måste vara ett positivt"):
        hotspot_kde(_points(xy), bandwidth=bandwidth)
    with pytest.raises(ArgumentError) as err:
        kde_raster(xy, bandwidth=bandwidth)
    assert "positive number of metres" in err.value.en


def test_bad_cell_and_raster_arguments_are_refused(xy):
    with pytest.raises(ArgumentError, match="Cellstorleken"):
        hotspot_kde(_points(xy), cell=-5)
    with pytest.raises(ArgumentError, match="inte båda"):
        kde_raster(xy, resolution=10, shape=(10, 10))
    with pytest.raises(ArgumentError, match="bounds"):
        kde_raster(xy, bounds=(10, 0, 0, 10))
    with pytest.raises(ArgumentError, match="Upplösningen"):
        kde_raster(xy, resolution=-1)
    with pytest.raises(ArgumentError, match="shape"):
        kde_raster(xy, shape=(0, 10))
    with pytest.raises(ArgumentError, match="weights"):
        kde_raster(xy, weights=np.ones(3))


def test_points_in_one_place_need_a_bandwidth():
    pts = _points(np.repeat(ORIGIN[None, :], 5, axis=0))
    with pytest.raises(ArgumentError, match="samma plats"):
        hotspot_kde(pts)
    assert hotspot_kde(pts, bandwidth=100, cell=50)["kde"].max() > 0


# -- check outputs: hotspot_kde ----------------------------------------------------------

def test_output_columns_types_and_ranges(xy):
    out = hotspot_kde(_points(xy))
    assert isinstance(out, gpd.GeoDataFrame)
    assert {"cell_id", "n", "kde", "geometry"} <= set(out.columns)
    assert out["kde"].dtype == np.float64
    assert (out["kde"] >= 0).all() and out["kde"].max() > 0
    assert out["n"].sum() == len(xy)
    assert out.crs == "EPSG:3006"
    params = out.attrs["params"]
    assert params["kernel"] == "quartic" and params["method"] == "exact"
    assert params["bandwidth_rule"] == "nrd"


def test_automatic_bandwidth_is_sfhotspots_rule_and_announced(xy):
    out = hotspot_kde(_points(xy))
    expected = (nrd(xy[:, 0]) + nrd(xy[:, 1])) / 2
    h = out.attrs["params"]["bandwidth"]
    assert h == round(expected)
    sv, en = out.attrs["notes"][-1]
    assert sv.startswith(f"Bandbredd satt automatiskt till {number(h)} meter")
    assert en.startswith(f"Bandwidth set to {number(h, lang='en')} metres automatically")
    gauss = hotspot_kde(_points(xy), kernel="gaussian")
    assert gauss.attrs["params"]["bandwidth"] == round(expected / 4)
    assert "standardavvikelse" in gauss.attrs["notes"][-1][0]


def test_quiet_and_given_bandwidth_announce_nothing(xy):
    assert hotspot_kde(_points(xy), quiet=True).attrs["notes"] == []
    out = hotspot_kde(_points(xy), cell=100, bandwidth=400)
    assert out.attrs["notes"] == []
    assert out.attrs["params"]["bandwidth_rule"] == "user"


@pytest.mark.parametrize("kernel", ["quartic", "gaussian"])
@pytest.mark.parametrize("grid", ["square", "hex"])
def test_cells_equal_brute_force_kernel_sum(xy, kernel, grid):
    w = np.random.default_rng(3).uniform(0.5, 3, len(xy))
    h = 350.0 if kernel == "quartic" else 120.0
    out = hotspot_kde(_points(xy, weight=w), cell=100, grid=grid, bandwidth=h,
                      kernel=kernel, weights="weight")
    centres = out.geometry.centroid
    expected = brute_force(xy[:, 0], xy[:, 1], w, centres.x.to_numpy(), centres.y.to_numpy(),
                           h, kernel)
    assert out.attrs["params"]["method"] == "exact"
    assert_allclose(out["kde"], expected, rtol=0, atol=1e-7 * expected.max())
    assert_allclose(out["n"].sum(), w.sum())


def test_user_grid_uses_polygon_centroids(xy):
    boxes = [shapely.box(*(ORIGIN + [i * 700, j * 500]), *(ORIGIN + [i * 700 + 700,
                                                                     j * 500 + 500]))
             for i in range(4) for j in range(4)]
    grid = gpd.GeoDataFrame({"cell_id": [f"b{i}" for i in range(16)]}, geometry=boxes,
                            crs="EPSG:3006")
    out = hotspot_kde(_points(xy), grid=grid, bandwidth=600)
    c = grid.geometry.centroid
    expected = brute_force(xy[:, 0], xy[:, 1], np.ones(len(xy)), c.x.to_numpy(),
                           c.y.to_numpy(), 600.0, "quartic")
    assert_allclose(out["kde"], expected, atol=1e-9 * expected.max())
    assert list(out["cell_id"]) == list(grid["cell_id"])


@pytest.mark.parametrize("kernel", ["quartic", "gaussian"])
@pytest.mark.parametrize("grid", ["square", "hex"])
def test_raster_method_is_close_to_exact(xy, kernel, grid, monkeypatch):
    h = 400.0 if kernel == "quartic" else 150.0
    exact = hotspot_kde(_points(xy), cell=100, grid=grid, bandwidth=h, kernel=kernel)
    monkeypatch.setattr(kde_module, "EXACT_PAIR_LIMIT", 0)
    approx = hotspot_kde(_points(xy), cell=100, grid=grid, bandwidth=h, kernel=kernel)
    assert approx.attrs["params"]["method"] == "raster"
    assert any("raster" in en for _, en in approx.attrs["notes"])
    assert (approx["kde"] >= 0).all()
    # About 20 raster cells per bandwidth: measured 0.02–0.3 % of the peak.
    assert_allclose(approx["kde"], exact["kde"], atol=5e-3 * exact["kde"].max())


def test_planted_cluster_has_the_peak():
    rng = np.random.default_rng(9)
    noise = rng.random((400, 2)) * 5000
    cluster = rng.normal([3700, 1200], 60, size=(40, 2))
    xy = np.concatenate([noise, cluster]) + ORIGIN
    for kernel in ("quartic", "gaussian"):
        out = hotspot_kde(_points(xy), cell=100, kernel=kernel)
        top = out.loc[out["kde"].idxmax()].geometry.centroid
        assert math.dist((top.x, top.y), ORIGIN + [3700, 1200]) < 150


# -- check outputs: kde_raster -----------------------------------------------------------

@pytest.mark.parametrize("kernel", ["quartic", "gaussian"])
def test_raster_integrates_to_the_weighted_count(xy, kernel):
    w = np.random.default_rng(5).uniform(0, 2, len(xy))
    h = 300.0 if kernel == "quartic" else 100.0
    array, transform, params = kde_raster(_points(xy), resolution=10, bandwidth=h,
                                          kernel=kernel, weights=w)
    cell_km2 = transform.a * -transform.e / 1e6
    assert (array >= 0).all()
    assert params["resolution"] == (10.0, 10.0)
    # Densities are per km²: summing density × cell area (km²) gives the reports.
    assert array.sum() * cell_km2 == pytest.approx(w.sum(), rel=2e-3)


@pytest.mark.parametrize("kernel", ["quartic", "gaussian"])
def test_raster_is_exact_for_points_on_cell_centres(xy, kernel):
    h = 300.0 if kernel == "quartic" else 100.0
    res = 20.0
    snapped = (np.floor(xy / res) + 0.5) * res
    array, transform, _ = kde_raster(snapped, resolution=res, bandwidth=h, kernel=kernel)
    cx, cy = centres(array, transform)
    expected = brute_force(snapped[:, 0], snapped[:, 1], np.ones(len(xy)), cx, cy, h,
                           kernel).reshape(array.shape)
    assert_allclose(array, expected, rtol=0, atol=1e-6 * expected.max())
    # Points as they are: off by linear binning only, second order in res / h.
    array, transform, _ = kde_raster(xy, resolution=res, bandwidth=h, kernel=kernel)
    cx, cy = centres(array, transform)
    expected = brute_force(xy[:, 0], xy[:, 1], np.ones(len(xy)), cx, cy, h,
                           kernel).reshape(array.shape)
    assert np.abs(array - expected).max() < 1e-2 * expected.max()


def test_raster_geometry_defaults_and_shape(xy):
    array, transform, params = kde_raster(xy, bandwidth=300)
    assert params["resolution"][0] in (5.0, 10.0)  # 3.6 km / 1000 → 5 m
    assert max(array.shape) <= 1000
    assert transform.c % transform.a == 0 and transform.f % transform.a == 0  # anchored
    left, bottom, right, top = params["bounds"]
    assert left <= xy[:, 0].min() - 300 and top >= xy[:, 1].max() + 300
    array, transform, params = kde_raster(xy, bounds=(*ORIGIN, *(ORIGIN + [3000, 2000])),
                                          shape=(40, 60), bandwidth=300)
    assert array.shape == (40, 60)
    assert (transform.a, transform.e) == (50.0, -50.0)
    assert (transform.c, transform.f) == (ORIGIN[0], ORIGIN[1] + 2000)


def test_geotiff_round_trip(xy, tmp_path):
    import rasterio

    array, transform, params = kde_raster(_points(xy), resolution=25, bandwidth=300)
    path = write_geotiff(array, transform, "EPSG:3006", tmp_path / "kde.tif")
    assert path == tmp_path / "kde.tif"
    assert [p.name for p in tmp_path.iterdir()] == ["kde.tif"]  # no temp file left
    with rasterio.open(path) as src:
        assert src.crs.to_epsg() == 3006
        assert src.transform == transform
        assert src.dtypes == ("float32",)
        assert src.nodata is None
        assert src.compression.name.lower() == "lzw"
        assert src.descriptions == ("kde (rapporter per km²)",)
        assert_allclose(src.read(1), array, rtol=1e-6, atol=1e-6 * array.max())
    with pytest.raises(ArgumentError, match="norrorienterat"):
        write_geotiff(array, transform @ transform.scale(1, -1), "EPSG:3006",
                      tmp_path / "upside_down.tif")
    assert [p.name for p in tmp_path.iterdir()] == ["kde.tif"]


# -- real data ---------------------------------------------------------------------------

def test_memphis_robberies_with_defaults(shared):
    df = pd.read_csv(shared("memphis_robberies.csv"))
    pts = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["x"], df["y"]),
                           crs="EPSG:32615")
    out = hotspot_kde(pts)
    params = out.attrs["params"]
    assert params["bandwidth"] == round((nrd(df["x"].to_numpy()) + nrd(df["y"].to_numpy()))
                                        / 2)
    assert [en.split(" ")[0] for _, en in out.attrs["notes"]] == ["Cell", "Bandwidth"]
    assert out["n"].sum() == len(df)
    assert (out["kde"] >= 0).all()
    # The grid covers the points' hull; most of the density mass falls on it.
    mass = (out["kde"] * params["cell"] ** 2 / 1e6).sum()
    assert 0.85 * len(df) < mass <= len(df)
    # The peak cell holds robberies.
    assert out.loc[out["kde"].idxmax(), "n"] > 0


# -- resource guards --------------------------------------------------------------------------
def test_a_kde_raster_too_large_for_the_memory_is_refused_with_a_resolution_that_fits(
        monkeypatch):
    from trygg.geo import grid as geo_grid

    rng = np.random.default_rng(3)
    pts_xy = np.c_[rng.uniform(600_000, 610_000, 500), rng.uniform(6_600_000, 6_608_000, 500)]
    # Pretend 40 MB are free: room for about 670,000 raster cells at 48 bytes.
    monkeypatch.setattr(geo_grid, "available_memory", lambda: 40_000_000)
    with pytest.raises(ArgumentError,
                       match="upplösningen 1 m blir ungefär 10\\d\xa0\\d+\xa0\\d+ celler") as err:
        kde_raster(pts_xy, resolution=1, bandwidth=300)
    fits = float(err.value.sv.split("upplösning på ")[1].split()[0])
    assert "or coarser" in err.value.en
    array, _, _ = kde_raster(pts_xy, resolution=fits, bandwidth=300)
    assert array.size * kde_module.KDE_BYTES_PER_CELL <= 40_000_000


def test_kde_on_a_grid_too_fine_names_a_cell_size_that_fits(monkeypatch):
    from trygg.geo import grid as geo_grid

    rng = np.random.default_rng(4)
    pts_xy = np.c_[rng.uniform(600_000, 610_000, 500), rng.uniform(6_600_000, 6_608_000, 500)]
    monkeypatch.setattr(geo_grid, "available_memory", lambda: 40_000_000)
    with pytest.raises(ArgumentError, match="--cell 5 ger ungefär 3\xa01\\d\\d\xa0\\d+ rutor, "
                       r"mer än minnet räcker till.*Välj --cell 100"):
        hotspot_kde(_points(pts_xy), cell=5, bandwidth=300)

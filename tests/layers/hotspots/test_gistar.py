import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from numpy.testing import assert_allclose
from scipy import sparse, stats
from scipy.spatial import cKDTree

from trygg.geo.errors import ArgumentError
from trygg.geo.text import number
from trygg.layers.hotspots import hotspot_gistar
from trygg.layers.hotspots.gistar import (
    MIN_PER_NEIGHBOURHOOD,
    adjust_pvalues,
    gistar_z,
    neighbourhood,
)

CLASSES = {"hot_99", "hot_95", "hot_90", "cold_99", "cold_95", "cold_90", "none"}


def pts(x, y, crs=3006, **cols):
    return gpd.GeoDataFrame(cols, geometry=gpd.points_from_xy(x, y), crs=crs)


def esda_z(values, matrix):
    from esda.getisord import G_Local
    from libpysal.weights import W

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return G_Local(values, W.from_sparse(sparse.csr_matrix(matrix)), star=True,
                       transform="B", permutations=0).Zs


@pytest.fixture
def uniform():
    rng = np.random.default_rng(0)
    return pts(rng.uniform(600_000, 605_000, 3000), rng.uniform(6_600_000, 6_604_000, 3000))


@pytest.fixture
def planted():
    """Uniform noise plus 150 points inside the 100 m cell at (602 000, 6 601 500)."""
    rng = np.random.default_rng(5)
    x = np.r_[rng.uniform(600_000, 604_000, 4000), rng.uniform(602_010, 602_090, 150)]
    y = np.r_[rng.uniform(6_600_000, 6_603_000, 4000), rng.uniform(6_601_510, 6_601_590, 150)]
    return pts(x, y)


@pytest.fixture
def wedge():
    """Points in a triangle: the clipped grid is an irregular mask."""
    rng = np.random.default_rng(2)
    u, v = rng.uniform(0, 1, (2, 2500))
    flip = u + v > 1
    u[flip], v[flip] = 1 - u[flip], 1 - v[flip]
    x, y = 600_000 + 3000 * u + 800 * v, 6_600_000 + 2500 * v
    x = np.r_[x, rng.normal(600_900, 60, 120)]
    y = np.r_[y, rng.normal(6_600_400, 60, 120)]
    return pts(x, y)


# -- check inputs -----------------------------------------------------------------------------
def test_lonlat_points_are_refused_with_the_fix():
    with pytest.raises(ArgumentError, match="projicerat"):
        hotspot_gistar(pts([18.0], [59.3], crs=4326))


def test_empty_non_point_and_zero_input():
    with pytest.raises(ArgumentError, match="inga rader"):
        hotspot_gistar(pts([], []))
    lines = gpd.GeoDataFrame(geometry=[shapely.LineString([(0, 1), (1, 2)])], crs=3006)
    with pytest.raises(ArgumentError, match="punkter"):
        hotspot_gistar(lines)
    with pytest.raises(ArgumentError, match=r"\(0, 0\)"):
        hotspot_gistar(pts([0.0, 600_000.0], [0.0, 6_600_000.0]))


def test_bad_options_are_refused(uniform):
    with pytest.raises(ArgumentError, match="positivt"):
        hotspot_gistar(uniform, cell=-5)
    with pytest.raises(ArgumentError, match="fdr, bonferroni eller none") as err:
        hotspot_gistar(uniform, p_adjust="holm")
    assert "holm" in err.value.en
    with pytest.raises(ArgumentError, match="nb_dist"):
        hotspot_gistar(uniform, nb_dist=-100)
    with pytest.raises(ArgumentError, match="kortare än cellstorleken"):
        hotspot_gistar(uniform, cell=250, nb_dist=100)
    with pytest.raises(ArgumentError, match="square eller hex"):
        hotspot_gistar(uniform, grid="triangle")


def test_users_grid_must_overlap(uniform):
    far = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 10, 10)], crs=3006)
    with pytest.raises(ArgumentError, match="överlappar inte"):
        hotspot_gistar(uniform, grid=far)


# -- the formula ------------------------------------------------------------------------------
def test_formula_on_a_hand_computed_line_of_three_cells():
    # Cells 0-1-2 in a row, neighbours incl. self; x = 0, 0, 3 → x̄ = 1, s = √2.
    m = sparse.csr_array(np.array([[1, 1, 0], [1, 1, 1], [0, 1, 1]], float))
    z = gistar_z(np.array([0.0, 0.0, 3.0]), m)
    # cell 0: (0 − 2)/(√2 · √((3·2 − 4)/2)) ; cell 2: (3 − 2)/√2 ; cell 1 sees every cell: 0
    assert_allclose(z, [-2 / np.sqrt(2), 0.0, 1 / np.sqrt(2)], rtol=1e-12)


def test_formula_matches_esdas_documented_example():
    # esda's G_Local docstring: DistanceBand(threshold=15), star=True, binary.
    xy = np.array([(10, 10), (20, 10), (40, 10), (15, 20), (30, 20), (30, 30)], float)
    pairs = cKDTree(xy).sparse_distance_matrix(cKDTree(xy), 15).tocsr()
    m = (pairs > 0).astype(float) + sparse.eye(6)
    y = np.array([2, 3, 3.2, 5, 8, 7])
    assert_allclose(gistar_z(y, m), [-1.39727626, -0.28917762, 0.65064964, -0.28917762,
                                     1.23452088, 2.02424331], rtol=1e-7)


def test_equal_values_give_z_zero_and_p_one():
    path = sparse.csr_array(np.eye(4) + np.eye(4, k=1) + np.eye(4, k=-1))
    assert_allclose(gistar_z(np.full(4, 0.1), path), 0.0)
    assert_allclose(gistar_z(np.zeros((4, 2)), path), 0.0)
    own = gpd.GeoDataFrame(geometry=[shapely.box(600_000 + i * 100, 6_600_000,
                                                 600_100 + i * 100, 6_600_100)
                                     for i in range(3)], crs=3006)
    out = hotspot_gistar(pts([600_050, 600_150, 600_250], [6_600_050] * 3), grid=own)
    assert_allclose(out["gistar"], 0.0)
    assert_allclose(out["pvalue"], 1.0)
    assert set(out["klass"]) == {"none"}


# -- neighbourhoods ---------------------------------------------------------------------------
@pytest.mark.parametrize(("kind", "nb_dist", "reach", "size"), [
    ("square", None, 100 * np.sqrt(2), 9), ("hex", None, 100, 7),
    ("square", 250, 250, 21), ("hex", 250, 250, 19)])
def test_neighbours_are_the_cells_whose_centres_lie_within_reach(wedge, kind, nb_dist, reach,
                                                                 size):
    out = hotspot_gistar(wedge, cell=100, grid=kind, nb_dist=nb_dist, quiet=True)
    nb = neighbourhood(out, out.attrs["params"], nb_dist)
    assert nb.kernel.sum() == size
    c = out.geometry.centroid
    xy = np.stack([c.x, c.y], axis=1)
    tree = cKDTree(xy)
    direct = (tree.sparse_distance_matrix(tree, reach * 1.000001).tocsr() > 0).astype(float)
    direct = direct + sparse.eye(len(out))  # self (distance 0 is not stored)
    assert abs(nb.sparse() - direct).sum() == 0
    # Cells outside the clipped grid are no neighbours: edge cells have fewer.
    assert nb.sparse().sum(axis=1).min() < size


@pytest.mark.parametrize(("kind", "nb_dist"), [("square", None), ("hex", None),
                                               ("square", 300), ("hex", 300)])
def test_grid_path_sparse_path_and_esda_agree(wedge, kind, nb_dist):
    out = hotspot_gistar(wedge, cell=100, grid=kind, nb_dist=nb_dist)
    # Gi* runs on the cells inside the study area (the points' hull) as the whole grid.
    tested = out[out["klass"] != "not_tested"]
    assert 0 < len(tested) < len(out)
    nb = neighbourhood(tested, out.attrs["params"], nb_dist)
    n = tested["n"].to_numpy()
    assert_allclose(tested["gistar"], gistar_z(n, nb.sparse()), rtol=1e-12, atol=1e-12)
    assert_allclose(tested["gistar"], esda_z(n, nb.sparse()), rtol=1e-9)


def test_users_polygons_use_queen_contiguity_plus_self():
    from libpysal.weights import Queen

    boxes = [shapely.box(600_000 + c * 500, 6_600_000 + r * 500, 600_500 + c * 500,
                         6_600_500 + r * 500) for r in range(6) for c in range(7)]
    own = gpd.GeoDataFrame({"ruta": [f"R{i}" for i in range(len(boxes))]}, geometry=boxes,
                           crs=3006)
    rng = np.random.default_rng(4)
    x = np.r_[rng.uniform(600_000, 603_500, 600), rng.normal(601_250, 150, 100)]
    y = np.r_[rng.uniform(6_600_000, 6_603_000, 600), rng.normal(6_601_250, 150, 100)]
    out = hotspot_gistar(pts(x, y), grid=own)
    assert list(out["ruta"]) == list(own["ruta"])
    nb = neighbourhood(out, out.attrs["params"])
    assert nb.sparse().sum(axis=1)[[0, 8]].tolist() == [4, 9]  # corner, inner
    # Independently: libpysal's Queen weights; esda adds the self weight.
    from esda.getisord import G_Local

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = Queen.from_dataframe(own, use_index=False)
        ref = G_Local(out["n"].to_numpy(), w, star=True, transform="B", permutations=0).Zs
    assert_allclose(out["gistar"], ref, rtol=1e-9)


# -- p-values and classes ---------------------------------------------------------------------
def test_benjamini_hochberg_equals_scipy():
    rng = np.random.default_rng(9)
    p = np.r_[rng.uniform(0, 1, 500), rng.uniform(0, 0.001, 30), [0.2, 0.2, 0.2]]
    assert_allclose(adjust_pvalues(p, "fdr"), stats.false_discovery_control(p, method="bh"),
                    rtol=1e-12)
    assert_allclose(adjust_pvalues(p, "bonferroni"), np.minimum(p * p.size, 1))
    assert_allclose(adjust_pvalues(p, "none"), p)
    with_nan = adjust_pvalues(np.r_[np.nan, p], "fdr")
    assert np.isnan(with_nan[0])
    assert_allclose(with_nan[1:], stats.false_discovery_control(p))


def test_outputs_have_fixed_names_types_and_ranges(planted):
    out = hotspot_gistar(planted, cell=100)
    assert list(out.columns[:3]) == ["cell_id", "col", "row"]
    for col in ("n", "gistar", "pvalue", "padj", "klass"):
        assert col in out
    assert out["n"].sum() == len(planted)
    untested = (out["klass"] == "not_tested").to_numpy()
    assert out.loc[untested, ["gistar", "pvalue", "padj"]].isna().all().all()
    out = out[~untested]
    assert ((out["pvalue"] >= 0) & (out["pvalue"] <= 1)).all()
    assert (out["padj"] >= out["pvalue"] - 1e-15).all() and (out["padj"] <= 1).all()
    assert_allclose(out["pvalue"], 2 * stats.norm.sf(np.abs(out["gistar"])))
    # Benjamini–Hochberg over the tested cells only.
    assert_allclose(out["padj"], stats.false_discovery_control(out["pvalue"]))
    assert set(out["klass"]) <= CLASSES
    hot99 = out["klass"] == "hot_99"
    assert (out.loc[hot99, "padj"] < 0.01).all() and (out.loc[hot99, "gistar"] > 0).all()


def test_a_planted_cluster_is_found_where_it_was_planted(planted):
    out = hotspot_gistar(planted, cell=100)
    assert out.set_index("cell_id").loc["s100_6020_66015", "klass"] == "hot_99"
    hot = out[out["klass"] == "hot_99"]
    c = hot.geometry.centroid
    # Only the plant's cell and its queen neighbours.
    assert (np.hypot(c.x - 602_050, c.y - 6_601_550) <= 100 * np.sqrt(2) + 1).all()
    assert len(hot) == 9


@pytest.mark.parametrize("kind", ["square", "hex"])
def test_uniform_noise_gives_no_significant_cells_after_fdr(uniform, kind):
    out = hotspot_gistar(uniform, cell=250, grid=kind)
    assert out["klass"].isin(["none", "not_tested"]).all()
    raw = hotspot_gistar(uniform, cell=250, grid=kind, p_adjust="none")
    assert_allclose(raw["padj"], raw["pvalue"])
    assert (raw["pvalue"] < 0.05).any()  # without the correction, noise "finds" spots


def test_p_adjust_options_and_weights(planted):
    fdr = hotspot_gistar(planted, cell=100)
    bonf = hotspot_gistar(planted, cell=100, p_adjust="bonferroni")
    assert (bonf["padj"] >= fdr["padj"] - 1e-15).sum() == fdr["padj"].notna().sum() > 0
    assert bonf.attrs["params"]["p_adjust"] == "bonferroni"
    doubled = hotspot_gistar(planted, cell=100, weights=np.full(len(planted), 2.0))
    assert_allclose(doubled["n"], 2 * fdr["n"])
    assert_allclose(doubled["gistar"], fdr["gistar"])  # Gi* does not depend on scale
    assert (doubled["klass"] == fdr["klass"]).all()


def test_defaults_are_announced(planted):
    out = hotspot_gistar(planted)
    sv = [s for s, _ in out.attrs["notes"]]
    assert any("automatiskt" in s for s in sv)
    assert any("8 grannar" in s for s in sv) and any("Benjamini" in s for s in sv)
    assert hotspot_gistar(planted, quiet=True).attrs["notes"] == []
    hexes = hotspot_gistar(planted, grid="hex", cell=100)
    assert any("6 neighbours" in en for _, en in hexes.attrs["notes"])


# -- real data --------------------------------------------------------------------------------
def test_memphis_robberies_are_hot_downtown(shared):
    df = pd.read_csv(shared("memphis_robberies.csv"))
    out = hotspot_gistar(pts(df["x"], df["y"], crs=32615), cell=900)
    assert out["n"].sum() == len(df)
    assert out["klass"].notna().all() and set(out["klass"]) <= CLASSES | {"not_tested"}
    hot = out[out["klass"].str.startswith("hot")]
    assert 0 < len(hot) < 0.25 * len(out)
    # Downtown Memphis (Court Square, about 35.145 N, 90.05 W) in UTM 15N.
    c = hot.geometry.centroid
    assert (np.hypot(c.x - 768_757, c.y - 3_893_108) < 2_000).sum() >= 5


# -- edges of the study area and the FDR under the null --------------------------------------
SIGNIFICANT_05 = ["hot_99", "hot_95", "cold_99", "cold_95"]


@pytest.mark.parametrize(("seed", "given"), [(1, False), (2, True)])
def test_a_million_uniform_points_give_no_more_hot_spots_than_the_fdr_allows(seed, given):
    # The issue: 1,000,000 uniform points at 250 m gave 1,545 cold cells along the edge of
    # the data and 47 hot ones inside. All nulls are true here, so with BH at 0.05 the
    # chance of any significant cell is at most about 5 %: a handful at the very most.
    rng = np.random.default_rng(seed)
    box = (600_000, 6_600_000, 650_000, 6_650_000)
    x, y = rng.uniform(box[0], box[2], 1_000_000), rng.uniform(box[1], box[3], 1_000_000)
    out = hotspot_gistar(pts(x, y), cell=250, area=box if given else None)
    klass = out["klass"]
    assert klass.isin(SIGNIFICANT_05).sum() <= 2
    assert klass.str.startswith(("hot", "cold")).sum() <= 3
    untested = (klass == "not_tested").to_numpy()
    c = out.geometry.centroid
    edge = ((c.x < box[0] + 250) | (c.x > box[2] - 250) | (c.y < box[1] + 250) |
            (c.y > box[3] - 250)).to_numpy()
    assert (untested == (~out.geometry.within(shapely.box(*box)).to_numpy())).all() if given \
        else untested[edge].all() and not untested[~edge].any()
    assert out["n"].sum() == len(x)
    sv = " ".join(s for s, _ in out.attrs["notes"])
    assert f"{number(untested.sum())} av {number(len(out))} celler" in sv
    assert "testades inte (klass Inte testad)" in sv
    tested = ~untested
    assert_allclose(out.loc[tested, "padj"],
                    stats.false_discovery_control(out.loc[tested, "pvalue"]), rtol=1e-12)


@pytest.mark.parametrize("kind", ["square", "hex"])
def test_family_wise_rate_under_the_null_is_about_alpha(kind):
    # 200 seeds of Poisson counts (mean 100) on a 100 × 100 block of cells, all inside the
    # study area: with every null true, BH at 0.05 rejects anything in about 5 % of runs.
    from trygg.layers.hotspots.gistar import Neighbourhood, neighbour_kernel, two_sided_p

    nb = Neighbourhood(n=10_000, kernel=neighbour_kernel(kind, 250), shape=(100, 100),
                       flat=np.arange(10_000))
    runs = any_bh = any_raw = 0
    for seed in range(200):
        z = nb.gistar(np.random.default_rng(seed).poisson(100, 10_000).astype(float))
        p = two_sided_p(z)
        runs += 1
        any_bh += (adjust_pvalues(p, "fdr") < 0.05).any()
        any_raw += (p < 0.001).any()  # esda's fdr() falls back to p < 0.001
    assert any_bh / runs <= 0.08
    assert any_raw / runs > 0.9  # that fallback would "find" spots in noise almost always


# -- sparse data: enough reports per neighbourhood --------------------------------------------
def _uniform_square(n, seed, side=5_000.0):
    rng = np.random.default_rng(seed)
    return pts(500_000 + rng.uniform(0, side, n), 6_500_000 + rng.uniform(0, side, n))


@pytest.mark.parametrize("n", [300, 2_000, 20_000])
def test_sparse_uniform_points_with_the_automatic_cell_give_about_alpha(n):
    # Before the density rule: 300 points got 50 m cells and 230-300 hot cells per seed.
    runs_with_sig, total = 0, 0
    for seed in range(6):
        out = hotspot_gistar(_uniform_square(n, seed))
        p = out.attrs["params"]
        expected = 9 * n * p["cell"] ** 2 / _convex_hull_area(out)
        assert expected >= MIN_PER_NEIGHBOURHOOD
        sig = int(out["klass"].str.startswith(("hot", "cold")).sum())
        runs_with_sig += sig > 0
        total += sig
    # FDR at 10 % under the null: about 1 run in 10 has any significant cell.
    assert runs_with_sig <= 2 and total <= 6


def _convex_hull_area(out):
    from trygg.geo.grid import convex_hull

    c = out.geometry.centroid  # not the points, but the hull of the grid's centres is close
    return convex_hull(c.x.to_numpy(), c.y.to_numpy()).area


def test_the_automatic_cell_is_announced_with_the_density_rule():
    out = hotspot_gistar(_uniform_square(500, 0))
    assert out.attrs["params"]["cell"] == 400
    sv = " ".join(s for s, _ in out.attrs["notes"])
    assert "Cellstorlek satt automatiskt till 400 meter" in sv and "minst 20 rapporter" in sv


def test_a_too_small_explicit_cell_or_nb_dist_is_refused_naming_one_that_fits():
    points = _uniform_square(2_000, 1)
    with pytest.raises(ArgumentError, match=r"--cell 10 .*0,07 rapporter.*Välj --cell 200 "):
        hotspot_gistar(points, cell=10)
    with pytest.raises(ArgumentError, match=r"--nb-dist 100 .*Välj --nb-dist 300 "):
        hotspot_gistar(points, cell=100, nb_dist=100)
    assert hotspot_gistar(points, cell=200, quiet=True)["klass"].notna().all()


def test_clusters_with_gistar_on_uniform_points_find_no_areas():
    from trygg.layers.hotspots.clusters import hotspot_clusters

    for n, seed in [(500, 0), (2_000, 1), (20_000, 2)]:
        points = _uniform_square(n, seed)
        areas = hotspot_clusters(points, method="gistar", gistar=hotspot_gistar(points))
        assert len(areas) == 0


@pytest.mark.parametrize("seed", range(5))
def test_the_corner_rule_for_tested_squares_equals_covers(seed):
    """On generated square grids the tested cells are found from their four corners (the
    hull is convex); that must be exactly the cells the hull covers."""
    import shapely

    from trygg.geo.grid import convex_hull, make_grid
    from trygg.layers.hotspots.gistar import tested_cells

    rng = np.random.default_rng(seed)
    x = rng.normal(600_000, 1_000, 5000)
    y = rng.normal(6_600_000, 700, 5000)
    cell = float(rng.choice([50.0, 100.0, 137.5]))
    cells = make_grid(x, y, cell=cell)
    tested, _ = tested_cells(cells, {"grid": "square", "cell": cell}, x, y)
    covered = shapely.covers(convex_hull(x, y), cells.geometry.to_numpy())
    assert tested.any() and (tested == covered).all()

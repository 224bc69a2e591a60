import geopandas as gpd
import numpy as np
import pytest
import shapely

from trygg.geo.errors import ArgumentError
from trygg.layers.hotspots import hotspot_count


def pts(x, y, crs=3006):
    return gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=crs)


@pytest.fixture
def uniform():
    rng = np.random.default_rng(11)
    return pts(rng.uniform(600_000, 605_000, 3000), rng.uniform(6_600_000, 6_604_000, 3000))


# -- check inputs -----------------------------------------------------------
def test_lonlat_points_are_refused_with_the_fix():
    with pytest.raises(ArgumentError, match="projicerat"):
        hotspot_count(pts([18.0], [59.3], crs=4326))


def test_empty_and_non_point_input():
    with pytest.raises(ArgumentError, match="inga rader"):
        hotspot_count(pts([], []))
    lines = gpd.GeoDataFrame(geometry=[shapely.LineString([(0, 1), (1, 2)])], crs=3006)
    with pytest.raises(ArgumentError, match="punkter"):
        hotspot_count(lines)
    with pytest.raises(ArgumentError, match=r"\(0, 0\)"):
        hotspot_count(pts([0.0, 600_000.0], [0.0, 6_600_000.0]))
    with pytest.raises(ArgumentError, match="positivt"):
        hotspot_count(pts([600_000.0], [6_600_000.0]), cell=-5)


# -- check outputs ----------------------------------------------------------
def test_counts_equal_a_direct_count(uniform):
    out = hotspot_count(uniform, cell=500)
    assert out["n"].sum() == len(uniform)
    joined = gpd.sjoin(uniform, out[["cell_id", "geometry"]], predicate="within")
    direct = joined["cell_id"].value_counts()
    assert (out.set_index("cell_id").loc[direct.index, "n"] == direct).all()
    assert list(out.columns[:2]) == ["cell_id", "col"] and "n" in out


def test_weights_and_automatic_cell_size_are_announced(uniform):
    out = hotspot_count(uniform, weights=np.full(len(uniform), 2.0))
    assert out["n"].sum() == pytest.approx(2 * len(uniform))
    assert out.attrs["params"]["cell"] == 50.0  # 4 km / 50 = 80 m, rounded down
    assert "automatiskt" in out.attrs["notes"][0][0]
    assert hotspot_count(uniform, quiet=True).attrs["notes"] == []


def test_users_own_grid_is_used_as_given(uniform):
    own = gpd.GeoDataFrame({"ruta": ["A", "B"]}, geometry=[
        shapely.box(600_000, 6_600_000, 602_500, 6_604_000),
        shapely.box(602_500, 6_600_000, 605_000, 6_604_000)], crs=3006)
    out = hotspot_count(uniform, grid=own)
    assert list(out["ruta"]) == ["A", "B"] and out["n"].sum() == len(uniform)
    far = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 10, 10)], crs=3006)
    with pytest.raises(ArgumentError, match="överlappar inte"):
        hotspot_count(uniform, grid=far)


@pytest.mark.parametrize("method", ["count", "gistar", "kde"])
def test_points_on_the_edges_of_a_users_250_m_squares_are_counted_once(method):
    from trygg.layers import hotspots

    # SCB-style 250 m squares and whole-metre coordinates: some points on edges, corners.
    boxes = [shapely.box(620_000 + c * 250, 6_650_000 + r * 250, 620_250 + c * 250,
                         6_650_250 + r * 250) for r in range(8) for c in range(10)]
    own = gpd.GeoDataFrame({"rut_id": [f"R{i}" for i in range(len(boxes))]}, geometry=boxes,
                           crs=3006)
    rng = np.random.default_rng(12)
    x = np.r_[rng.integers(620_000, 622_500, 3000), 620_000 + 250 * np.arange(10),
              [620_250] * 5, [619_000]].astype(float)
    y = np.r_[rng.integers(6_650_000, 6_652_000, 3000), [6_650_500] * 10,
              6_650_000 + 250 * np.arange(1, 6), [6_650_100]].astype(float)
    out = getattr(hotspots, f"hotspot_{method}")(pts(x, y), grid=own)
    assert out["n"].sum() == len(x) - 1  # the one at x = 619 000 lies outside the grid
    # The half-open rule: (620 250, 6 650 500) is the corner of four squares → the NE one.
    ne = own.index[(own.bounds.minx == 620_250) & (own.bounds.miny == 6_650_500)][0]
    direct = ((x >= 620_250) & (x < 620_500) & (y >= 6_650_500) & (y < 6_650_750)).sum()
    assert out.loc[ne, "n"] == direct
    sv = [s for s, _ in out.attrs["notes"]]
    assert any("1 av 3016 punkter ligger utanför" in s for s in sv)

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from trygg.geo.errors import ArgumentError
from trygg.layers.hotspots import hotspot_emerging
from trygg.layers.hotspots.emerging import classify_patterns, mann_kendall, period_edges

SIDES = ("new", "consecutive", "intensifying", "persistent", "diminishing", "sporadic",
         "oscillating", "historical")
PATTERNS = {f"{p}_{s}" for p in SIDES for s in ("hot", "cold")} | {"no_pattern", "not_tested"}


def pts(x, y, crs=3006, **cols):
    return gpd.GeoDataFrame(cols, geometry=gpd.points_from_xy(x, y), crs=crs)


def synthetic(seed=0):
    """12 months of uniform noise (1500 a month over 4 × 4 km), a cluster in the 200 m
    cell at (601 000, 6 601 000) growing from 25 to 80 a month, and 60 reports in the
    cell at (602 000, 6 603 000) in the final month only."""
    rng = np.random.default_rng(seed)
    xs, ys, ts = [], [], []

    def add(n, x0, y0, width, month):
        xs.append(rng.uniform(x0, x0 + width, n))
        ys.append(rng.uniform(y0, y0 + width, n))
        ts.append(np.asarray(month + pd.to_timedelta(rng.uniform(0, 28, n), unit="D")))

    for k, month in enumerate(pd.date_range("2023-01-01", periods=12, freq="MS")):
        add(1500, 600_000, 6_600_000, 4000, month)
        add(25 + 5 * k, 601_020, 6_601_020, 160, month)
        if k == 11:
            add(60, 602_020, 6_603_020, 160, month)
    return pts(np.concatenate(xs), np.concatenate(ys), reported_at=np.concatenate(ts))


# -- check inputs -----------------------------------------------------------------------------
def test_bad_input_is_refused_with_the_fix():
    with pytest.raises(ArgumentError, match="projicerat"):
        hotspot_emerging(pts([18.0], [59.3], crs=4326, reported_at=["2024-01-01"]))
    with pytest.raises(ArgumentError, match="inga rader"):
        hotspot_emerging(pts([], [], reported_at=[]))
    with pytest.raises(ArgumentError, match="reported_at.*saknas"):
        hotspot_emerging(pts([600_000.0], [6_600_000.0]))
    with pytest.raises(ArgumentError, match="förstås inte"):
        hotspot_emerging(synthetic(), period="3 fortnights")
    with pytest.raises(ArgumentError, match="förstås inte"):
        hotspot_emerging(synthetic(), period="0M")


def test_too_few_periods_names_a_shorter_period():
    with pytest.raises(ArgumentError, match="minst 10") as err:
        hotspot_emerging(synthetic(), period="3M")
    assert "shorter --period, e.g. 1M" in err.value.en
    three_years = pts([600_000.0, 601_000.0], [6_600_000.0, 6_601_000.0],
                      reported_at=["2021-01-01", "2024-01-01"])
    with pytest.raises(ArgumentError, match="längre period"):
        hotspot_emerging(three_years, period="1D")


# -- Mann-Kendall -----------------------------------------------------------------------------
def test_mann_kendall_by_hand():
    # Pairs of [1, 3, 2, 2, 5]: S = 4 − 1 + 1 + 1 = 5; one tie of two:
    # var = (5·4·15 − 2·1·9) / 18 = 282 / 18; z = (5 − 1) / √var.
    s, var, z, p = mann_kendall(np.array([1.0, 3, 2, 2, 5]))
    assert s == 5 and var == pytest.approx(282 / 18)
    assert z == pytest.approx(4 / np.sqrt(282 / 18))
    assert p == pytest.approx(2 * stats.norm.sf(4 / np.sqrt(282 / 18)))
    s, var, z, p = mann_kendall(np.array([[2.0, 2, 2, 2], [4, 3, 2, 1]]))
    assert_allclose(s, [0, -6]) and assert_allclose(var, [0, 4 * 3 * 13 / 18])
    assert z[0] == 0 and p[0] == 1 and z[1] == pytest.approx(-5 / np.sqrt(26 / 3))


def test_mann_kendall_equals_kendalls_tau_on_untied_data():
    rng = np.random.default_rng(3)
    series = rng.normal(size=(40, 15)) + np.linspace(0, 1, 15) * rng.uniform(-3, 3, (40, 1))
    s, _, z, p = mann_kendall(series, continuity=False)
    time = np.arange(15)
    for row, si, pi in zip(series, s, p, strict=True):
        ref = stats.kendalltau(time, row, method="asymptotic")
        assert si == pytest.approx(ref.statistic * 15 * 14 / 2)
        assert pi == pytest.approx(ref.pvalue, rel=1e-9)
    # The continuity correction only shrinks |z|.
    assert (np.abs(mann_kendall(series)[2]) <= np.abs(z) + 1e-12).all()


# -- patterns ---------------------------------------------------------------------------------
def _flags(t, *steps):
    out = np.zeros(t, bool)
    out[list(steps)] = True
    return out


@pytest.mark.parametrize(("hot", "cold", "trend_z", "trend_p", "expected"), [
    ([9], [], 0, 1, "new_hot"),
    ([7, 8, 9], [], 2, 0.04, "consecutive_hot"),
    (range(10), [], 3, 0.001, "intensifying_hot"),
    (range(1, 10), [], 0.5, 0.6, "persistent_hot"),
    (range(10), [], -3, 0.001, "diminishing_hot"),
    ([2, 5, 9], [], 0, 1, "sporadic_hot"),
    ([5, 8, 9], [], 0, 1, "sporadic_hot"),  # a final run, but hot before it
    ([4, 9], [1], 0, 1, "oscillating_hot"),
    ([9], [1], 0, 1, "new_hot"),  # never hot before: new comes first in Esri's list
    (range(9), [], 0, 1, "historical_hot"),
    ([], [9], 0, 1, "new_cold"),
    ([], [8, 9], 0, 1, "consecutive_cold"),
    ([], range(10), -3, 0.001, "intensifying_cold"),
    ([], range(10), 0, 0.5, "persistent_cold"),
    ([], range(10), 3, 0.001, "diminishing_cold"),
    ([], [0, 3, 9], 0, 1, "sporadic_cold"),
    ([3], [0, 9], 0, 1, "oscillating_cold"),
    ([], range(1, 10), 0, 1, "persistent_cold"),
    ([], range(9), 0, 1, "historical_cold"),
    ([], [], 0, 1, "no_pattern"),
    ([3, 4], [6], 0, 1, "no_pattern"),
])
def test_patterns_follow_esris_definitions(hot, cold, trend_z, trend_p, expected):
    got = classify_patterns(_flags(10, *hot)[None], _flags(10, *cold)[None],
                            np.array([trend_z]), np.array([trend_p]))
    assert got[0] == expected


# -- time steps -------------------------------------------------------------------------------
@pytest.mark.parametrize(("period", "first_edge", "last_edge", "steps"), [
    ((3, "M"), "2022-12-01", "2024-06-01", 6),
    ((1, "Q"), "2023-01-01", "2024-07-01", 6),
    ((1, "W"), "2023-02-06", "2024-05-20", 67),
    ((1, "Y"), "2023-01-01", "2025-01-01", 2),
    ((10, "D"), "2023-02-03", "2024-05-18", 47),  # 463 days back to 2023-02-10
])
def test_periods_end_where_the_latest_reports_unit_ends(period, first_edge, last_edge, steps):
    t = pd.to_datetime(["2024-05-17 13:00", "2023-02-10 08:00", "2023-09-01 00:00"]).to_numpy()
    edges = period_edges(t, *period)
    assert edges[0] == pd.Timestamp(first_edge) and edges[-1] == pd.Timestamp(last_edge)
    assert len(edges) - 1 == steps
    assert edges[0] <= t.min() and edges[1] > t.min()


# -- check outputs ----------------------------------------------------------------------------
def test_planted_intensifying_and_new_hot_spots_are_found():
    points = synthetic()
    out = hotspot_emerging(points, period="1M", cell=200)
    for col in ("cell_id", "n", "trend_z", "trend_p", "n_periods_hot", "n_periods_cold",
                "final_z", "pattern"):
        assert col in out
    assert out["n"].sum() == len(points)
    assert set(out["pattern"]) <= PATTERNS and out["pattern"].notna().all()
    # Cells not wholly inside the points' hull are not tested, as in hotspot_gistar.
    edge = out["pattern"] == "not_tested"
    assert edge.any() and out.loc[edge, ["trend_z", "final_z"]].isna().all().all()
    assert any("testades inte" in sv for sv, _ in out.attrs["notes"])
    cells = out.set_index("cell_id")
    grow = cells.loc["s200_3005_33005"]
    assert grow["pattern"] == "intensifying_hot"
    assert grow["trend_z"] > 0 and grow["trend_p"] < 0.05 and grow["n_periods_hot"] >= 11
    new = cells.loc["s200_3010_33015"]
    # (z is 2.85: the mean is now over the cells inside the hull, without the empty edge)
    assert new["pattern"] == "new_hot" and new["n_periods_hot"] == 1 and new["final_z"] > 2.5
    # Only the plants and their neighbours have a pattern.
    c = out[~out["pattern"].isin(["no_pattern", "not_tested"])].geometry.centroid
    near = np.minimum(np.hypot(c.x - 601_100, c.y - 6_601_100),
                      np.hypot(c.x - 602_100, c.y - 6_603_100))
    assert (near <= 200 * np.sqrt(2) + 1).all()
    params = out.attrs["params"]
    assert params["n_periods"] == 12
    assert params["periods"][0] == ["2023-01-01T00:00:00", "2023-02-01T00:00:00"]
    assert params["periods"][-1][1] == "2024-01-01T00:00:00"
    assert any("12 tidssteg" in sv for sv, _ in out.attrs["notes"])


def test_rows_without_time_are_left_out_and_said_so():
    points = synthetic()
    points.loc[:9, "reported_at"] = pd.NaT
    out = hotspot_emerging(points, period="1M", cell=200, quiet=True)
    assert out["n"].sum() == len(points) - 10
    assert out.attrs["notes"] and "10 reports" in out.attrs["notes"][0][1]


# -- real data --------------------------------------------------------------------------------
def test_memphis_robberies_by_month(shared):
    df = pd.read_csv(shared("memphis_robberies.csv"))
    points = pts(df["x"], df["y"], crs=32615, date=df["date"])
    with pytest.raises(ArgumentError, match="1M"):
        hotspot_emerging(points, time_column="date")  # 2019 only: 4 quarters
    out = hotspot_emerging(points, time_column="date", period="1M", cell=500)
    assert out.attrs["params"]["n_periods"] >= 12
    assert out["n"].sum() == len(df)
    assert out["pattern"].notna().all() and set(out["pattern"]) <= PATTERNS
    tested = out["pattern"] != "not_tested"  # cells reaching outside the robberies' hull
    assert tested.sum() > 0.5 * len(out) and out.loc[~tested, "trend_p"].isna().all()
    assert ((out.loc[tested, "trend_p"] >= 0) & (out.loc[tested, "trend_p"] <= 1)).all()
    hot = out[out["pattern"].str.endswith("_hot")]
    assert 0 < len(hot) < 0.25 * len(out)
    c = hot.geometry.centroid
    assert (np.hypot(c.x - 768_757, c.y - 3_893_108) < 2_000).sum() >= 3  # downtown

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from trygg.geo.errors import ArgumentError
from trygg.layers.hotspots import hotspot_change
from trygg.layers.hotspots.change import binomial_pvalues, to_local_times

A = ("2023-01-01", "2024-01-01")
B = ("2024-01-01", "2025-01-01")


def pts(x, y, crs=3006, **cols):
    return gpd.GeoDataFrame(cols, geometry=gpd.points_from_xy(x, y), crs=crs)


def _times(rng, start, end, n):
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    return np.asarray(s + (e - s) * rng.uniform(0, 1, n))


@pytest.fixture
def planted():
    """1000 uniform reports a year in 2023 and 2024 over 4 × 4 km; the 200 m cell at
    (601 000, 6 601 000) goes from 5 to 40 reports, the one at (603 000, 6 603 000)
    from 40 to 5."""
    rng = np.random.default_rng(8)
    parts = []
    for (start, end), n_up, n_down in ((A, 5, 40), (B, 40, 5)):
        x = np.r_[rng.uniform(600_000, 604_000, 1000), rng.uniform(601_020, 601_180, n_up),
                  rng.uniform(603_020, 603_180, n_down)]
        y = np.r_[rng.uniform(6_600_000, 6_604_000, 1000),
                  rng.uniform(6_601_020, 6_601_180, n_up),
                  rng.uniform(6_603_020, 6_603_180, n_down)]
        parts.append(pts(x, y, reported_at=_times(rng, start, end, x.size)))
    return pd.concat(parts, ignore_index=True)


# -- check inputs -----------------------------------------------------------------------------
def test_bad_points_and_time_column_are_refused():
    with pytest.raises(ArgumentError, match="projicerat"):
        hotspot_change(pts([18.0], [59.3], crs=4326, reported_at=["2024-01-01"]))
    with pytest.raises(ArgumentError, match="inga rader"):
        hotspot_change(pts([], [], reported_at=[]))
    with pytest.raises(ArgumentError, match="'datum'.*saknas") as err:
        hotspot_change(pts([600_000.0], [6_600_000.0], reported_at=["2024-01-01"]),
                       time_column="datum")
    assert "reported_at" in err.value.en  # the columns there are listed
    with pytest.raises(ArgumentError, match="läsbar"):
        hotspot_change(pts([600_000.0], [6_600_000.0], reported_at=["igår"]))


def test_bad_periods_are_refused(planted):
    with pytest.raises(ArgumentError, match="inte båda"):
        hotspot_change(planted, period_a=A, period_b=B, same_period_last_year=True)
    with pytest.raises(ArgumentError, match="både period_a och period_b"):
        hotspot_change(planted, period_a=A)
    with pytest.raises(ArgumentError, match=r"måste vara \(start, slut\)"):
        hotspot_change(planted, period_a="2023", period_b=B)
    with pytest.raises(ArgumentError, match=r"måste vara \(start, slut\)"):
        hotspot_change(planted, period_a=("förra året", "i år"), period_b=B)
    with pytest.raises(ArgumentError, match="slutar"):
        hotspot_change(planted, period_a=(A[1], A[0]), period_b=B)
    with pytest.raises(ArgumentError, match="överlappar"):
        hotspot_change(planted, period_a=A, period_b=("2023-06-01", "2024-06-01"))
    with pytest.raises(ArgumentError, match="Period A .* har inga rapporter"):
        hotspot_change(planted, period_a=("2020-01-01", "2021-01-01"), period_b=B)
    t = planted["reported_at"]
    late = planted[(t >= pd.Timestamp("2024-02-01")) & (t < pd.Timestamp("2024-05-17"))]
    with pytest.raises(ArgumentError, match="inget helt kvartal"):
        hotspot_change(late, same_period_last_year=True)


# -- check outputs ----------------------------------------------------------------------------
def test_a_planted_increase_and_decrease_are_found(planted):
    out = hotspot_change(planted, period_a=A, period_b=B, cell=200)
    for col in ("cell_id", "n_a", "n_b", "diff", "ratio", "pvalue", "padj", "change"):
        assert col in out
    cells = out.set_index("cell_id")
    up, down = cells.loc["s200_3005_33005"], cells.loc["s200_3015_33015"]
    assert up["change"] == "increase" and down["change"] == "decrease"
    assert up["n_b"] - up["n_a"] == up["diff"] and up["ratio"] == up["n_b"] / up["n_a"]
    assert set(out["change"]) == {"increase", "decrease", "no_change"}
    assert (out["change"] != "no_change").sum() == 2  # the noise does not change
    assert out["n_a"].sum() + out["n_b"].sum() == len(planted)
    assert any("period A: 2023-01-01 to 2024-01-01" in en for _, en in out.attrs["notes"])


def test_pvalues_are_exact_binomial_tests_with_bh(planted):
    out = hotspot_change(planted, period_a=A, period_b=B, cell=200)
    share = out.attrs["params"]["share_b"]
    assert share == pytest.approx(366 / 731)  # 2024 is a leap year
    for _, row in out.sample(25, random_state=1).iterrows():
        n = int(row["n_a"] + row["n_b"])
        if n:
            ref = stats.binomtest(int(row["n_b"]), n, share).pvalue
            assert row["pvalue"] == pytest.approx(ref, rel=1e-12)
    tested = out["pvalue"].notna()
    assert_allclose(out.loc[tested, "padj"],
                    stats.false_discovery_control(out.loc[tested, "pvalue"]))
    empty = (out["n_a"] == 0) & (out["n_b"] == 0)
    assert out.loc[empty, "pvalue"].isna().all() and out.loc[empty, "padj"].isna().all()
    assert out.loc[out["n_a"] == 0, "ratio"].isna().all()
    assert (out.loc[empty, "change"] == "no_change").all()


def test_binomial_pvalues_by_hand():
    # n = 4, p = 1/2: P(k) = 1, 4, 6, 4, 1 over 16; k = 0 → p = 2/16.
    assert_allclose(binomial_pvalues(np.array([0, 2, 4, 0]), np.array([4, 4, 4, 0]), 0.5),
                    [2 / 16, 1.0, 2 / 16, np.nan])


def test_default_periods_are_the_last_12_months_against_the_12_before(planted):
    planted.loc[0, "reported_at"] = pd.Timestamp("2024-12-31 12:00")
    out = hotspot_change(planted, cell=200)
    assert out.attrs["params"]["period_b"] == ["2024-01-01T00:00:00", "2025-01-01T00:00:00"]
    assert out.attrs["params"]["period_a"] == ["2023-01-01T00:00:00", "2024-01-01T00:00:00"]
    assert any("sista 12 månaderna" in sv for sv, _ in out.attrs["notes"])


def test_same_period_last_year_uses_the_latest_full_quarter(planted):
    data = planted[planted["reported_at"] < pd.Timestamp("2024-05-17 18:00")].copy()
    out = hotspot_change(data, same_period_last_year=True, cell=200)
    assert out.attrs["params"]["period_b"] == ["2024-01-01T00:00:00", "2024-04-01T00:00:00"]
    assert out.attrs["params"]["period_a"] == ["2023-01-01T00:00:00", "2023-04-01T00:00:00"]
    assert any("2024 Q1" in sv for sv, _ in out.attrs["notes"])
    # Data up to the last day of a quarter make that quarter full.
    data.loc[0, "reported_at"] = pd.Timestamp("2024-06-30 21:00")
    data = data[data["reported_at"] < pd.Timestamp("2024-07-01")]
    out = hotspot_change(data, same_period_last_year=True, cell=200)
    assert out.attrs["params"]["period_b"][0] == "2024-04-01T00:00:00"


def test_weights_are_rounded_for_the_test_and_said_so(planted):
    out = hotspot_change(planted, period_a=A, period_b=B, cell=200,
                         weights=np.full(len(planted), 1.5))
    assert out["n_a"].sum() + out["n_b"].sum() == pytest.approx(1.5 * len(planted))
    assert any("avrundade" in sv for sv, _ in out.attrs["notes"])


def test_periods_the_data_do_not_cover_are_warned_about_even_when_quiet(planted):
    out = hotspot_change(planted, period_a=("2022-01-01", "2024-01-01"), period_b=B,
                         cell=200, quiet=True)
    assert len(out.attrs["notes"]) == 1 and "period A" in out.attrs["notes"][0][1]


def test_aware_times_are_read_as_swedish_local_time():
    utc = pd.Series(pd.to_datetime(["2024-03-31T22:30:00Z", "2024-01-15T12:00:00Z"]))
    assert list(to_local_times(utc)) == [pd.Timestamp("2024-04-01 00:30"),
                                         pd.Timestamp("2024-01-15 13:00")]
    assert to_local_times(pd.Series(["2024-05-01 08:00", None])).isna().tolist() == [False,
                                                                                      True]


# -- real data --------------------------------------------------------------------------------
def test_memphis_first_against_second_half_of_2019(shared):
    df = pd.read_csv(shared("memphis_robberies.csv"))
    points = pts(df["x"], df["y"], crs=32615, date=df["date"])
    with pytest.raises(ArgumentError, match="har inga rapporter"):
        hotspot_change(points, time_column="date")  # one year of data: no A
    out = hotspot_change(points, time_column="date", period_a=("2019-01-01", "2019-07-01"),
                         period_b=("2019-07-01", "2020-01-01"), cell=500)
    assert out["n_a"].sum() + out["n_b"].sum() == len(df)
    assert out["change"].notna().all()
    assert set(out["change"]) <= {"increase", "decrease", "no_change"}
    tested = out["pvalue"].notna()
    assert ((out.loc[tested, "pvalue"] > 0) & (out.loc[tested, "pvalue"] <= 1)).all()
    # Robbery counts per cell are small: few cells, if any, change significantly.
    assert (out["change"] != "no_change").mean() < 0.05

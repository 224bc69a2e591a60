import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from trygg.geo.errors import ArgumentError
from trygg.layers.hotspots import hotspot_divergence, hotspot_gistar

CLASSES = {"unsafe_not_crime", "crime_not_unsafe", "both", "neither"}


def pts(x, y, crs=3006, **cols):
    return gpd.GeoDataFrame(cols, geometry=gpd.points_from_xy(x, y), crs=crs)


@pytest.fixture
def reports():
    """Uniform reports of each kind over 4 × 4 km, plus 60 unsafety reports in the 200 m
    cell at (601 000, 6 601 000), 60 crimes in the one at (603 000, 6 601 000) and
    60 of both in the one at (602 000, 6 603 000); 30 reports of another kind."""
    rng = np.random.default_rng(12)
    frames = []

    def add(kind, n, x0=600_000, y0=6_600_000, width=4000):
        frames.append(pts(rng.uniform(x0, x0 + width, n), rng.uniform(y0, y0 + width, n),
                          kind=[kind] * n))

    add("otrygghet", 700)
    add("brist", 500)
    add("brott", 1200)
    add("otrygghet", 40, 601_020, 6_601_020, 160)
    add("brist", 20, 601_020, 6_601_020, 160)
    add("brott", 60, 603_020, 6_601_020, 160)
    add("Otrygghet ", 60, 602_020, 6_603_020, 160)  # spelling as typed in a spreadsheet
    add("brott", 60, 602_020, 6_603_020, 160)
    add("ovrigt", 30)
    return pd.concat(frames, ignore_index=True)


# -- check inputs -----------------------------------------------------------------------------
def test_bad_input_is_refused_with_the_fix(reports):
    with pytest.raises(ArgumentError, match="projicerat"):
        hotspot_divergence(pts([18.0], [59.3], crs=4326, kind=["brott"]))
    with pytest.raises(ArgumentError, match="inga rader"):
        hotspot_divergence(pts([], [], kind=[]))
    with pytest.raises(ArgumentError, match="'typ'.*saknas"):
        hotspot_divergence(reports, kind_column="typ")
    with pytest.raises(ArgumentError, match="typen brott"):
        hotspot_divergence(reports[reports["kind"] != "brott"])
    with pytest.raises(ArgumentError, match="typen otrygghet/brist"):
        hotspot_divergence(reports[reports["kind"] == "brott"])
    with pytest.raises(ArgumentError, match="kortare än cellstorleken"):
        hotspot_divergence(reports, cell=200, nb_dist=50)


# -- check outputs ----------------------------------------------------------------------------
def test_planted_places_get_their_classes(reports):
    out = hotspot_divergence(reports, cell=200)
    for col in ("cell_id", "n_unsafe", "n_crime", "z_unsafe", "z_crime", "divergence"):
        assert col in out
    assert set(out["divergence"]) == CLASSES | {"not_tested"}
    cells = out.set_index("cell_id")
    assert cells.loc["s200_3005_33005", "divergence"] == "unsafe_not_crime"
    assert cells.loc["s200_3015_33005", "divergence"] == "crime_not_unsafe"
    assert cells.loc["s200_3010_33015", "divergence"] == "both"
    assert out["n_unsafe"].sum() == 700 + 500 + 40 + 20 + 60
    assert out["n_crime"].sum() == 1200 + 60 + 60
    # Classes only at the plants and their neighbours.
    c = out[~out["divergence"].isin(["neither", "not_tested"])].geometry.centroid
    plants = np.array([(601_100, 6_601_100), (603_100, 6_601_100), (602_100, 6_603_100)])
    near = np.min(np.hypot(c.x.to_numpy()[:, None] - plants[:, 0],
                           c.y.to_numpy()[:, None] - plants[:, 1]), axis=1)
    assert (near <= 200 * np.sqrt(2) + 1).all()
    assert any("30 reports of another" in en for _, en in out.attrs["notes"])


def test_each_side_is_the_gistar_of_its_reports_on_the_shared_grid(reports):
    out = hotspot_divergence(reports, cell=200, nb_dist=400)
    # The cells inside the reports' hull, as a user's grid (every cell of which is tested).
    out = out[out["divergence"] != "not_tested"].reset_index(drop=True)
    grid = out[["cell_id", "geometry"]]
    kind = reports["kind"].str.strip().str.lower()
    unsafe = hotspot_gistar(reports[kind.isin(["otrygghet", "brist"])], grid=grid,
                            nb_dist=400)
    crime = hotspot_gistar(reports[kind == "brott"], grid=grid, nb_dist=400)
    assert_allclose(out["z_unsafe"], unsafe["gistar"], rtol=1e-9, atol=1e-12)
    assert_allclose(out["z_crime"], crime["gistar"], rtol=1e-9, atol=1e-12)
    assert_allclose(out["padj_unsafe"], unsafe["padj"], rtol=1e-9)
    hot_u = unsafe["klass"].isin(["hot_99", "hot_95"]).to_numpy()
    hot_c = crime["klass"].isin(["hot_99", "hot_95"]).to_numpy()
    assert ((out["divergence"] == "both").to_numpy() == (hot_u & hot_c)).all()
    assert ((out["divergence"] == "unsafe_not_crime").to_numpy() == (hot_u & ~hot_c)).all()


def test_notes_and_quiet(reports):
    out = hotspot_divergence(reports)
    assert any("automatiskt" in sv for sv, _ in out.attrs["notes"])
    quiet = hotspot_divergence(reports, quiet=True).attrs["notes"]
    assert len(quiet) == 1 and "another" in quiet[0][1]  # what was left out is always said


def test_uniform_noise_of_both_kinds_gives_no_divergence():
    # 300,000 uniform reports, half crime: before the study-area edge was handled, the
    # empty cells along the edge lowered the mean and cells came out hot for one side.
    rng = np.random.default_rng(0)
    n = 300_000
    kind = np.where(rng.random(n) < 0.5, "otrygghet", "brott")
    out = hotspot_divergence(pts(rng.uniform(600_000, 630_000, n),
                                 rng.uniform(6_600_000, 6_630_000, n), kind=kind), cell=250)
    assert set(out["divergence"]) == {"neither", "not_tested"}
    assert any("testades inte" in sv for sv, _ in out.attrs["notes"])

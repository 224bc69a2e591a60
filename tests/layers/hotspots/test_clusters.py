import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from sklearn.cluster import DBSCAN

from trygg.geo.errors import ArgumentError
from trygg.geo.gazetteer import build_gazetteer
from trygg.layers.hotspots.clusters import COLUMNS, hotspot_clusters
from trygg.layers.hotspots.dbscan import dbscan_labels
from trygg.layers.schema import CATEGORIES

TZ = "Europe/Stockholm"
PLANTS = np.array([[671_500.0, 6_581_500.0], [673_500.0, 6_583_000.0]])
FAR = np.array([[679_000.0, 6_588_000.0]])  # outside the noise box


def pts(x, y, crs=3006, **columns):
    return gpd.GeoDataFrame(columns, geometry=gpd.points_from_xy(x, y), crs=crs)


def planted(seed=3, noise=800, size=100, sd=40.0, centres=PLANTS):
    """Uniform noise over 5 km × 5 km plus ``size`` points around each centre."""
    rng = np.random.default_rng(seed)
    xy = [rng.uniform([670_000, 6_580_000], [675_000, 6_585_000], (noise, 2))]
    xy += [rng.normal(c, sd, (size, 2)) for c in centres]
    xy = np.vstack(xy)
    return xy, np.repeat(np.arange(-1, len(centres)), [noise] + [size] * len(centres))


@pytest.fixture
def plants():
    xy, truth = planted()
    return pts(xy[:, 0], xy[:, 1]), truth


def nearest_plant(out, centres=PLANTS):
    c = out.geometry.centroid
    d = np.hypot(c.x.to_numpy()[:, None] - centres[None, :, 0],
                 c.y.to_numpy()[:, None] - centres[None, :, 1])
    return d.argmin(axis=1), d.min(axis=1)


# -- check inputs -----------------------------------------------------------
def test_lonlat_and_empty_points_are_refused():
    with pytest.raises(ArgumentError, match="projicerat"):
        hotspot_clusters(pts([18.0], [59.3], crs=4326))
    with pytest.raises(ArgumentError, match="inga rader"):
        hotspot_clusters(pts([], []))


def test_bad_method_and_parameters():
    p = pts([671_000.0], [6_581_000.0])
    with pytest.raises(ArgumentError, match="Okänd metod 'kmeans'"):
        hotspot_clusters(p, method="kmeans")
    with pytest.raises(ArgumentError, match="eps"):
        hotspot_clusters(p, eps=-10)
    with pytest.raises(ArgumentError, match="min_samples"):
        hotspot_clusters(p, min_samples=1)
    with pytest.raises(ArgumentError, match="min_samples"):
        hotspot_clusters(p, min_samples=2.5)


def test_gistar_method_needs_a_gistar_result():
    p = pts([671_000.0], [6_581_000.0])
    with pytest.raises(ArgumentError, match="hotspot_gistar"):
        hotspot_clusters(p, method="gistar")
    cells = gpd.GeoDataFrame({"n": [1]}, geometry=[shapely.box(0, 0, 1, 1)], crs=3006)
    with pytest.raises(ArgumentError, match="klass"):
        hotspot_clusters(p, method="gistar", gistar=cells)
    cells["klass"] = "hot99"
    with pytest.raises(ArgumentError, match="method='gistar'"):
        hotspot_clusters(p, gistar=cells)


def test_bad_places_and_previous(plants):
    p, _ = plants
    with pytest.raises(ArgumentError, match="'name'"):
        hotspot_clusters(p, places=gpd.GeoDataFrame(geometry=[shapely.Point(1, 1)], crs=3006))
    with pytest.raises(ArgumentError, match="hotspot_id"):
        hotspot_clusters(p, previous=gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1)],
                                                      crs=3006))


# -- check outputs ----------------------------------------------------------
@pytest.mark.parametrize("method", ["dbscan", "hdbscan"])
def test_two_planted_clusters_are_found_and_noise_is_left_out(plants, method):
    p, truth = plants
    out = hotspot_clusters(p, method=method)
    assert isinstance(out, gpd.GeoDataFrame) and out.crs == p.crs
    assert list(out.columns) == list(COLUMNS)
    assert len(out) == 2
    which, dist = nearest_plant(out)
    assert sorted(which) == [0, 1]
    assert shapely.contains_xy(out.geometry.values, *PLANTS[which].T).all()
    # DBSCAN keeps to the dense core; HDBSCAN reaches out to where the cluster stops
    # standing out from the noise around it, so its polygon is wider
    assert (dist < (30 if method == "dbscan" else 250)).all()
    planted_in = [int(shapely.contains_xy(out.geometry.iloc[i], *p.get_coordinates()
                                          .to_numpy()[truth == which[i]].T).sum())
                  for i in range(2)]
    assert min(planted_in) >= 95  # of the 100 planted points
    assert (out["n"] >= 95).all() and (out["n"] <= 150).all()
    assert out["rank"].tolist() == [1, 2] and out["score"].is_monotonic_decreasing
    assert out.geom_type.isin(["Polygon", "MultiPolygon"]).all() and out.is_valid.all()
    assert np.allclose(out["area_m2"], out.area)
    assert all(re.fullmatch(r"HS-[0-9A-F]{8}", i) for i in out["hotspot_id"])
    assert out["name"].str.startswith("Område vid ").all()  # no places given
    # plain points: the report columns are null
    assert out["by_category"].isna().all() and out["by_source"].isna().all()
    assert out["share_dark"].isna().all() and out["busiest"].isna().all()
    assert out["first"].isna().all() and str(out["first"].dtype).endswith(f"{TZ}]")


def test_defaults_are_announced_and_quiet_is_quiet(plants):
    p, _ = plants
    out = hotspot_clusters(p)
    params = out.attrs["params"]
    assert params["min_samples"] == 5  # max(5, round(0.005 * 1000))
    assert 25 <= params["eps"] < 100 and params["density_ratio"] >= 4
    text = " ".join(sv for sv, _ in out.attrs["notes"])
    assert "min_samples satt automatiskt till 5" in text and "eps satt automatiskt" in text
    assert all(isinstance(en, str) and en for _, en in out.attrs["notes"])
    assert hotspot_clusters(p, quiet=True).attrs["notes"] == []
    given = hotspot_clusters(p, eps=60, min_samples=8)
    assert given.attrs["notes"] == [] and given.attrs["params"]["eps"] == 60


def test_uniform_noise_alone_gives_no_hotspot():
    rng = np.random.default_rng(8)
    xy = rng.uniform([670_000, 6_580_000], [675_000, 6_585_000], (1500, 2))
    out = hotspot_clusters(pts(xy[:, 0], xy[:, 1]))
    assert len(out) == 0 and list(out.columns) == list(COLUMNS)
    assert any("Inga hotspots" in sv for sv, _ in out.attrs["notes"])


def same_as_sklearn(xy, eps, min_samples):
    """dbscan_labels against sklearn: the same cores, the same noise, and the same
    clusters of cores (a border point within eps of two clusters may go to either)."""
    labels, core = dbscan_labels(xy, eps, min_samples)
    ref = DBSCAN(eps=eps, min_samples=min_samples).fit(xy)
    ref_core = np.zeros(len(xy), bool)
    ref_core[ref.core_sample_indices_] = True
    assert (core == ref_core).all()
    assert ((labels >= 0) == (ref.labels_ >= 0)).all()
    pairs = set(zip(labels[core], ref.labels_[core], strict=True))
    assert len(pairs) == len(set(labels[core])) == len(set(ref.labels_[core]))
    # every border point lies within eps of a core of its own cluster
    border = np.flatnonzero(~core & (labels >= 0))
    for i in border[:200]:
        mates = core & (labels == labels[i])
        assert np.hypot(*(xy[mates] - xy[i]).T).min() <= eps
    return labels


@pytest.mark.parametrize("seed", range(6))
def test_dbscan_labels_equal_sklearn(seed):
    rng = np.random.default_rng(seed)
    n = 1500
    if seed % 3 == 0:  # clusters, noise and exact duplicates (geocoded reports)
        xy, _ = planted(seed=seed, noise=700, size=300)
        xy = np.vstack([xy, np.repeat(xy[:60], 4, axis=0)])
    elif seed % 3 == 1:  # a lattice: many distances exactly eps, many duplicates
        xy = rng.integers(0, 40, (n, 2)) * 5.0 + [670_000, 6_580_000]
    else:  # dense blobs where whole grid cells are cores
        centres = rng.uniform(670_000, 673_000, (4, 2))
        xy = np.vstack([centres[rng.integers(0, 4, n)] + rng.normal(0, 20, (n, 2)),
                        rng.uniform(670_000, 673_000, (500, 2))])
    for eps, min_samples in ((10.0, 3), (25.0, 8), (60.0, 20), (150.0, 40)):
        same_as_sklearn(xy, eps, min_samples)


def test_dbscan_hotspots_are_sklearns_clusters_with_duplicates():
    xy, _ = planted(seed=4)
    xy = np.vstack([xy, np.repeat(xy[:40], 3, axis=0)])
    out = hotspot_clusters(pts(xy[:, 0], xy[:, 1]), eps=70, min_samples=6)
    labels = DBSCAN(eps=70, min_samples=6).fit_predict(xy)
    assert len(out) == labels.max() + 1 and out["n"].sum() == (labels >= 0).sum()


def test_names_come_from_the_nearest_named_place(plants):
    p, _ = plants
    places = gpd.GeoDataFrame(
        {"namn": ["Busstationen", "Torget", "Skolan", "Ängen"],
         "alias": ["Bussen", "", "", ""], "ort": "Strandvik"},
        geometry=[shapely.Point(PLANTS[0] + [10, -5]),   # in the first hotspot
                  shapely.Point(PLANTS[0] + [60, 40]),   # also in it, farther from its centre
                  shapely.Point(PLANTS[1] + [0, 300]),   # 300 m north of the second
                  shapely.Point(PLANTS[1] + [0, -900])],  # too far to name anything
        crs=3006)
    gazetteer = build_gazetteer(places=places)
    out = hotspot_clusters(p, places=gazetteer)
    which, _ = nearest_plant(out)
    names = dict(zip(which, out["name"], strict=True))
    assert names[0] == "Busstationen, Strandvik"
    assert names[1] == "Område nära Skolan, Strandvik"
    # without a place within 500 m: coordinates
    far = gazetteer[gazetteer["name"].str.startswith("Ängen")]
    alone = hotspot_clusters(p, places=far)
    assert alone["name"].str.match(r"Område vid 59,\d{4}° N, 1\d,\d{4}° Ö").all()
    assert alone["name"].is_unique
    # rows of other kinds (addresses) do not name hotspots
    address = gazetteer.iloc[:1].assign(kind="address", name="Storgatan 1, Strandvik")
    mixed = pd.concat([address, gazetteer.iloc[1:]], ignore_index=True)
    assert "Storgatan 1, Strandvik" not in set(hotspot_clusters(p, places=mixed)["name"])


def test_share_dark_and_night_from_the_report_times(plants):
    p, _ = plants
    december = p.assign(reported_at=pd.Timestamp("2024-12-12 23:00", tz=TZ))
    out = hotspot_clusters(december)
    assert (out["share_dark"] == 1.0).all() and (out["share_night"] == 1.0).all()
    assert (out["busiest"] == "tor 23–24").all()
    june = p.assign(reported_at=pd.Timestamp("2024-06-14 12:00", tz=TZ).tz_convert("UTC"))
    out = hotspot_clusters(june)
    assert (out["share_dark"] == 0.0).all() and (out["share_night"] == 0.0).all()
    assert (out["busiest"] == "fre 12–13").all()
    assert (out["first"] == pd.Timestamp("2024-06-14 12:00", tz=TZ)).all()
    assert str(out["first"].dtype) == f"datetime64[ns, {TZ}]"


def test_occurred_at_is_preferred_to_reported_at(plants):
    p, _ = plants
    occurred = pd.Series(pd.Timestamp("2024-12-12 23:00", tz=TZ), index=p.index)
    occurred[::2] = pd.NaT
    both = p.assign(reported_at=pd.Timestamp("2024-12-13 12:00", tz=TZ), occurred_at=occurred)
    out = hotspot_clusters(both)
    assert out["share_night"].between(0.3, 0.7).all()
    assert out["first"].eq(pd.Timestamp("2024-12-12 23:00", tz=TZ)).all()
    assert out["last"].eq(pd.Timestamp("2024-12-13 12:00", tz=TZ)).all()


def test_busiest_weekday_and_hour(plants):
    p, truth = plants
    rng = np.random.default_rng(1)
    base = pd.Timestamp("2024-03-01 00:00")  # a Friday; wall-clock times across DST
    times = base + pd.to_timedelta(rng.integers(0, 24 * 7 * 20, len(p)), unit="h")
    friday_night = base + pd.Timedelta(hours=22, minutes=15) + pd.to_timedelta(
        7 * rng.integers(0, 20, len(p)), unit="D")
    times = pd.Series(times).where(rng.random(len(p)) > 0.4, pd.Series(friday_night))
    out = hotspot_clusters(p.assign(reported_at=times.dt.tz_localize(TZ).to_numpy()))
    assert (out["busiest"] == "fre 22–23").all()
    # a tie is shown as both slots
    spot = pts(np.full(6, 671_000.0) + np.arange(6), np.full(6, 6_581_000.0),
               reported_at=pd.to_datetime(["2024-03-04 08:30"] * 3 + ["2024-03-06 17:10"] * 3)
               .tz_localize(TZ))  # Monday, Wednesday
    tied = hotspot_clusters(spot, eps=50, min_samples=5)
    assert tied["busiest"].tolist() == ["mån 08–09, ons 17–18"]
    assert tied["n"].tolist() == [6]


def test_categories_sources_score_and_rank(plants):
    p, truth = plants
    category = np.where(np.arange(len(p)) % 3 == 0, "klotter", "skadegorelse").astype(object)
    category[truth == 1] = "belysning"
    category[5::50] = None
    weight = np.where(p.geometry.x > 673_000, 3.0, 1.0)  # the second plant and around
    source = np.where(np.arange(len(p)) % 2 == 0, "tycktill", "est")
    out = hotspot_clusters(p.assign(category=category, source=source, weight=weight))
    which, _ = nearest_plant(out)
    assert which[0] == 1  # weights 3 outrank the same count at weight 1
    first, second = out.iloc[0], out.iloc[1]
    assert first["score"] == pytest.approx(3 * first["n"])
    assert second["score"] == pytest.approx(second["n"])
    vocabulary = list(CATEGORIES)
    counts = json.loads(first["by_category"])
    assert counts["belysning"] >= 95 and sum(counts.values()) <= first["n"]
    assert list(counts) == sorted(counts, key=vocabulary.index)
    counts = json.loads(second["by_category"])
    assert list(counts) == ["klotter", "skadegorelse"]  # the vocabulary's order
    assert sum(counts.values()) <= second["n"]
    sources = json.loads(second["by_source"])
    assert list(sources) == ["est", "tycktill"] and sum(sources.values()) == second["n"]


def test_ids_are_stable_across_runs(plants):
    p, _ = plants
    first = hotspot_clusters(p)
    assert hotspot_clusters(p)["hotspot_id"].tolist() == first["hotspot_id"].tolist()
    rng = np.random.default_rng(2)
    xy = p.get_coordinates().to_numpy() + rng.uniform(-4, 4, (len(p), 2))
    extra = rng.normal(FAR[0], 30, (120, 2))
    xy = np.vstack([xy, extra])
    again = hotspot_clusters(pts(xy[:, 0], xy[:, 1]), previous=first)
    assert len(again) == 3
    which, _ = nearest_plant(again, np.vstack([PLANTS, FAR]))
    ids = dict(zip(which, again["hotspot_id"], strict=True))
    old = dict(zip(nearest_plant(first)[0], first["hotspot_id"], strict=True))
    assert ids[0] == old[0] and ids[1] == old[1]
    assert ids[2] not in set(first["hotspot_id"]) and again["hotspot_id"].is_unique


def test_largest_overlap_keeps_the_id_and_no_id_is_used_twice(plants):
    p, _ = plants
    # one earlier hotspot covering the whole first plant and the edge of the second
    big = shapely.box(*(PLANTS[0] - 300), *(PLANTS[1] - [0, 150]))
    previous = gpd.GeoDataFrame({"hotspot_id": ["HS-0000000A", "HS-0000000B"]},
                                geometry=[big, shapely.box(0, 0, 10, 10)], crs=3006)
    out = hotspot_clusters(p, previous=previous)
    which, _ = nearest_plant(out)
    ids = dict(zip(which, out["hotspot_id"], strict=True))
    assert ids[0] == "HS-0000000A"
    assert ids[1] not in {"HS-0000000A", "HS-0000000B"}


def test_gistar_cells_are_dissolved_into_connected_hotspots():
    x0, y0 = 671_000.0, 6_581_000.0
    boxes, klass = [], []
    for col in range(6):
        for row in range(6):
            boxes.append(shapely.box(x0 + 100 * col, y0 + 100 * row,
                                     x0 + 100 * (col + 1), y0 + 100 * (row + 1)))
            klass.append("ns")
    at = {(c, r): i for i, (c, r) in enumerate((c, r) for c in range(6) for r in range(6))}
    klass[at[1, 1]], klass[at[2, 1]] = "hot99", "hot95"  # two cells sharing an edge
    klass[at[4, 4]], klass[at[5, 5]] = "hot90", "hot95"  # two cells sharing a corner
    klass[at[0, 5]] = "hot95"  # a hot cell without reports
    klass[at[3, 3]] = "cold99"
    gistar = gpd.GeoDataFrame({"klass": klass}, geometry=boxes, crs=3006)
    rng = np.random.default_rng(0)
    xy = np.vstack([rng.uniform([x0 + 100, y0 + 100], [x0 + 300, y0 + 200], (30, 2)),
                    rng.uniform([x0 + 400, y0 + 400], [x0 + 600, y0 + 600], (20, 2)),
                    rng.uniform([x0, y0], [x0 + 600, y0 + 600], (50, 2))])
    p = pts(xy[:, 0], xy[:, 1])
    out = hotspot_clusters(p, method="gistar", gistar=gistar)
    assert len(out) == 2
    edge = out[out.geometry.intersects(shapely.Point(x0 + 200, y0 + 150))]
    assert len(edge) == 1 and edge["area_m2"].iloc[0] == pytest.approx(20_000)
    assert edge.geom_type.iloc[0] == "Polygon"
    assert edge.geometry.iloc[0].equals(shapely.box(x0 + 100, y0 + 100, x0 + 300, y0 + 200))
    corner = out[out.geometry.intersects(shapely.Point(x0 + 500, y0 + 500))]
    assert len(corner) == 1 and corner["area_m2"].iloc[0] == pytest.approx(20_000)
    inside = shapely.contains_xy(shapely.union_all(out.geometry.values), xy[:, 0], xy[:, 1])
    assert out["n"].sum() == inside.sum()
    assert out.attrs["params"]["method"] == "gistar" and out.attrs["params"]["hot_cells"] == 5
    none_hot = gistar.assign(klass="ns")
    assert len(hotspot_clusters(p, method="gistar", gistar=none_hot)) == 0


def test_gistar_hexagons_that_touch_make_one_polygon():
    from trygg.geo.grid import make_grid

    rng = np.random.default_rng(1)
    xy = rng.uniform([671_000, 6_581_000], [672_000, 6_582_000], (300, 2))
    grid = make_grid(xy[:, 0], xy[:, 1], cell=100, kind="hex", crs="EPSG:3006")
    first = grid.index[grid.geometry.contains(shapely.Point(671_500, 6_581_500))][0]
    touching = grid.index[grid.geometry.touches(grid.geometry[first])]
    assert len(touching) == 6  # a hexagon's neighbours share an edge
    gistar = grid.assign(klass="none")
    gistar.loc[[first, touching[0], touching[3]], "klass"] = "hot_99"
    out = hotspot_clusters(pts(xy[:, 0], xy[:, 1]), method="gistar", gistar=gistar)
    assert len(out) == 1 and out.geom_type.iloc[0] == "Polygon"
    assert out["area_m2"].iloc[0] == pytest.approx(gistar.loc[[first, touching[0],
                                                               touching[3]]].area.sum())


def memphis(shared):
    df = pd.read_csv(shared("memphis_robberies.csv"))
    return pts(df["x"], df["y"], crs=32615,
               reported_at=pd.to_datetime(df["date"], utc=True), category="ran")


@pytest.mark.parametrize("method", ["dbscan", "hdbscan"])
def test_memphis_robberies_with_defaults(shared, method):
    p = memphis(shared)
    out = hotspot_clusters(p, method=method)
    params = out.attrs["params"]
    assert params["min_samples"] == 11 and 200 < params["eps"] < 400
    assert 5 <= len(out) <= 40 and out["hotspot_id"].is_unique
    assert (out["n"] >= 11).all() and out["n"].sum() < len(p)
    assert out["rank"].tolist() == list(range(1, len(out) + 1))
    for column in ("share_night", "share_dark"):
        assert out[column].between(0, 1).all()
    assert (out["first"] <= out["last"]).all()
    assert all(json.loads(t) == {"ran": n}
               for t, n in zip(out["by_category"], out["n"], strict=True))
    xy = p.get_coordinates().to_numpy()
    covered = shapely.contains_xy(shapely.union_all(out.geometry.values), xy[:, 0], xy[:, 1])
    assert covered.sum() >= out["n"].sum()
    if method == "dbscan":
        labels = same_as_sklearn(xy, params["eps"], 11)
        assert len(out) == labels.max() + 1 and out["n"].sum() == (labels >= 0).sum()


def test_memphis_robberies_from_a_gistar_result(shared):
    from trygg.layers.hotspots import hotspot_gistar

    p = memphis(shared)
    gistar = hotspot_gistar(p, quiet=True)
    out = hotspot_clusters(p, method="gistar", gistar=gistar)
    hot = gistar[gistar["klass"].str.startswith("hot")]
    assert 1 <= len(out) <= len(hot) and out["hotspot_id"].is_unique
    assert out["area_m2"].sum() <= hot.area.sum() + 1
    assert out.geometry.union_all().difference(hot.union_all()).area < 1
    xy = p.get_coordinates().to_numpy()
    inside = shapely.contains_xy(hot.union_all(), xy[:, 0], xy[:, 1])
    assert out["n"].sum() <= len(p) and out["n"].sum() >= inside.sum()

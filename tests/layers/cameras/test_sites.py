"""camera_sites on hand-checkable instances: what a planner can verify on a sketch."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from trygg.geo.errors import ArgumentError
from trygg.layers.cameras.coverage import hour_ranges, hours_profile, proposed_hours
from trygg.layers.cameras.sites import camera_sites

CRS = "EPSG:3006"
X0, Y0 = 674_000.0, 6_580_000.0  # Stockholm-ish, so sun and time zone are Swedish


def cluster(x, y, n, category, *, start="2025-03-01 21:00", freq="3D", spread=3.0, seed=0):
    rng = np.random.default_rng(seed)
    xy = rng.normal([X0 + x, Y0 + y], spread, (n, 2))
    when = pd.date_range(start, periods=n, freq=freq, tz="Europe/Stockholm")
    return gpd.GeoDataFrame({"category": category, "reported_at": when},
                            geometry=shapely.points(xy), crs=CRS)


def sites(*pairs, **columns):
    return gpd.GeoDataFrame({"site_id": [p[0] for p in pairs], **columns},
                            geometry=[shapely.Point(X0 + p[1], Y0 + p[2]) for p in pairs],
                            crs=CRS)


def incidents(*frames):
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=CRS)


def test_a_building_hides_a_cluster_from_one_candidate_so_another_is_chosen():
    car_park = cluster(0, 0, 20, "fordon")
    cands = sites(("vägg", -30, 0), ("stolpe", 0, 30))
    alone = camera_sites(car_park, cands, k=1)
    assert alone.sites["site_id"].tolist() == ["vägg"]  # nearer on average: both see all
    house = gpd.GeoSeries([shapely.box(X0 - 20, Y0 - 10, X0 - 12, Y0 + 10)], crs=CRS)
    plan = camera_sites(car_park, cands, k=1, buildings=house)
    assert plan.sites["site_id"].tolist() == ["stolpe"]
    assert plan.sites["n"].iloc[0] == 20
    assert not plan.views.geometry.iloc[0].contains(shapely.Point(X0 - 16, Y0))


def test_two_candidates_on_the_same_cluster_only_one_is_chosen():
    inc = incidents(cluster(0, 0, 20, "fordon"), cluster(150, 0, 8, "stold_inbrott", seed=1))
    cands = sites(("A", 0, 10), ("B", 0, -10), ("C", 150, 10))
    plan = camera_sites(inc, cands, k=2)
    chosen = plan.sites["site_id"].tolist()
    assert chosen[1] == "C" and chosen[0] in ("A", "B")
    assert plan.sites["share"].iloc[-1] == pytest.approx(1.0)
    assert plan.exact is not None and plan.exact.optimal and plan.greedy.gap == 0


def test_camera_relevance_changes_the_answer():
    # more reports of broken lighting than of car crime: cameras go to the car crime
    inc = incidents(cluster(0, 0, 40, "belysning"), cluster(200, 0, 5, "fordon", seed=2))
    plan = camera_sites(inc, sites(("lampor", 0, 5), ("bilar", 200, 5)), k=1)
    assert plan.sites["site_id"].tolist() == ["bilar"]
    assert json.loads(plan.sites["by_category"].iloc[0]) == {"fordon": 5}
    # violence counts low, drug crime high (BRÅ 2018)
    inc = incidents(cluster(0, 0, 12, "vald_hot"), cluster(200, 0, 5, "narkotika", seed=3))
    plan = camera_sites(inc, sites(("våld", 0, 5), ("narkotika", 200, 5)), k=1)
    assert plan.sites["site_id"].tolist() == ["narkotika"]


def test_recency_and_night_factor_weigh_in():
    old = cluster(0, 0, 10, "fordon", start="2020-01-01 12:00")
    new = cluster(200, 0, 6, "fordon", start="2025-06-01 12:00", seed=4)
    cands = sites(("gammalt", 0, 5), ("nytt", 200, 5))
    assert camera_sites(incidents(old, new), cands, k=1).sites["site_id"].tolist() == ["nytt"]
    assert camera_sites(incidents(old, new), cands, k=1, half_life_days=None
                        ).sites["site_id"].tolist() == ["gammalt"]
    day = cluster(0, 0, 10, "fordon", start="2025-06-01 12:00")
    night = cluster(200, 0, 6, "fordon", start="2025-06-01 23:30", seed=5)
    assert camera_sites(incidents(day, night), cands, k=1, half_life_days=None,
                        night_factor=2.0).sites["site_id"].tolist() == ["nytt"]


def test_a_fixed_camera_faces_the_cluster():
    inc = cluster(30, 0, 15, "skadegorelse")  # east of the site
    plan = camera_sites(inc, sites(("fasad", 0, 0)), k=1, fov_deg=60)
    assert plan.sites["direction"].iloc[0] == pytest.approx(90, abs=10)
    assert plan.sites["n"].iloc[0] == 15
    west = camera_sites(inc, sites(("fasad", 0, 0), directions=["270;0"]), k=1, fov_deg=60)
    assert west.sites.empty  # allowed only west or north: sees nothing worth a camera


def test_proposed_hours_hold_the_stated_share():
    evenings = cluster(0, 0, 30, "fordon", start="2025-01-06 21:00", freq="1D")
    mornings = cluster(0, 0, 6, "fordon", start="2025-01-06 09:00", freq="1D", seed=6)
    plan = camera_sites(incidents(evenings, mornings), sites(("P", 0, 5)), k=1,
                        half_life_days=None, hours_share=0.8)
    assert plan.sites["hours"].iloc[0] == "21-22"  # 30 of 36 = 83 % at 21:00
    profile = hours_profile(incidents(evenings, mornings)["reported_at"])
    assert profile.sum() == 36 and profile[:, 21].sum() == 30
    for share in (0.5, 0.8, 0.9, 1.0):
        hours = proposed_hours(profile, share)
        held = profile.sum(axis=0)[hours].sum() / profile.sum()
        assert held >= share
        # no smaller set holds it: dropping the weakest hour falls below the share
        weakest = min(hours, key=lambda h: profile.sum(axis=0)[h])
        assert held - profile.sum(axis=0)[weakest] / profile.sum() < share
    assert hour_ranges([0, 1, 22, 23]) == [(22, 2)]
    assert hour_ranges([5, 6, 9]) == [(5, 7), (9, 10)]
    assert hour_ranges(list(range(24))) == [(0, 24)]


def test_existing_cameras_count_as_covered():
    inc = incidents(cluster(0, 0, 20, "fordon"), cluster(150, 0, 15, "fordon", seed=7))
    cands = sites(("A", 0, 5), ("B", 150, 5))
    assert camera_sites(inc, cands, k=1).sites["site_id"].tolist() == ["A"]
    existing = sites(("gammal", 0, -5))
    assert camera_sites(inc, cands, k=1, existing=existing).sites["site_id"].tolist() == ["B"]


def test_privacy_cost_is_reported_and_can_change_the_answer():
    # A sees more incidents but also 19 homes' entrances; B sees fewer and no homes
    inc = incidents(cluster(0, 0, 10, "fordon"), cluster(150, 0, 8, "fordon", seed=7))
    cands = sites(("A", 0, 5), ("B", 150, 5))
    homes = gpd.GeoSeries(shapely.points([(X0 + d, Y0 + 20) for d in range(-9, 10)]), crs=CRS)
    plain = camera_sites(inc, cands, k=1, half_life_days=None, privacy={"adresser": homes})
    assert plain.sites["site_id"].tolist() == ["A"]
    assert plain.sites["privacy_cost"].iloc[0] == 19
    assert json.loads(plain.sites["privacy"].iloc[0]) == {"adresser": 19}
    penalised = camera_sites(inc, cands, k=1, half_life_days=None,
                             privacy={"adresser": homes}, privacy_penalty=0.5)
    assert penalised.sites["site_id"].tolist() == ["B"]  # 10 − 0.5·19 < 8 − 0
    assert penalised.exact is not None and penalised.exact.sites == [1]


def test_fewest_cameras_for_a_target_share():
    inc = incidents(*(cluster(200 * i, 0, 10, "fordon", seed=i) for i in range(4)))
    cands = sites(*((f"S{i}", 200 * i, 5) for i in range(4)))
    plan = camera_sites(inc, cands, k=None, target_coverage=0.7)
    assert len(plan.sites) == 3 and plan.sites["share"].iloc[-1] >= 0.7


def test_bad_input_is_refused_with_a_clear_message():
    inc = cluster(0, 0, 5, "fordon")
    with pytest.raises(ArgumentError, match="tom"):
        camera_sites(inc, sites()[:0], k=1)
    with pytest.raises(ArgumentError, match="--k 5"):
        camera_sites(inc, sites(("A", 0, 0)), k=5)
    with pytest.raises(ArgumentError, match="koordinatsystem"):
        camera_sites(inc, sites(("A", 0, 0)).to_crs(4326), k=1)
    with pytest.raises(ArgumentError, match="polygoner"):
        camera_sites(inc, sites(("A", 0, 0)), k=1,
                     buildings=gpd.GeoSeries([shapely.Point(X0, Y0)], crs=CRS))
    with pytest.raises(ArgumentError, match="grader"):
        camera_sites(inc, sites(("A", 0, 0), directions=["norr"]), k=1, fov_deg=90)


def test_generated_candidates_lie_on_streets_near_relevant_incidents():
    from trygg.layers.cameras.candidates import generate_candidates

    inc = incidents(cluster(0, 0, 20, "fordon"), cluster(500, 0, 30, "belysning", seed=8))
    xy = shapely.get_coordinates(inc.geometry.to_numpy())
    from trygg.layers.cameras.coverage import incident_weights

    w = incident_weights(inc)
    street = gpd.GeoSeries([shapely.LineString([(X0 - 300, Y0 + 15), (X0 + 800, Y0 + 15)])],
                           crs=CRS)
    house = gpd.GeoSeries([shapely.box(X0 - 10, Y0 + 10, X0 + 10, Y0 + 20)], crs=CRS)
    cands = generate_candidates(xy, w, crs=CRS, streets=street, buildings=house)
    cx = cands.geometry.x.to_numpy() - X0
    assert len(cands) > 0 and np.allclose(cands.geometry.y, Y0 + 15)
    assert (np.abs(cx) <= 45).all()  # near the car crime, not near the broken lamps
    assert not (np.abs(cx) < 10).any()  # none inside the house
    grid = generate_candidates(xy, w, crs=CRS, spacing_m=10)
    assert len(grid) > 0 and (np.hypot(grid.geometry.x - X0, grid.geometry.y - Y0) < 60).all()
    plan = camera_sites(inc, cands, k=1, buildings=house)
    assert plan.sites["n"].iloc[0] >= 15


def test_a_surface_model_hides_a_cluster_behind_a_hedge(tmp_path):
    import rasterio
    from rasterio.transform import from_origin

    z = np.full((200, 200), 10.0, dtype="float32")  # 1 m cells round the origin
    z[:, 112:114] = 14.0  # a 4 m hedge 12–14 m east of the site at the origin
    path = tmp_path / "dsm.tif"
    with rasterio.open(path, "w", driver="GTiff", width=200, height=200, count=1,
                       dtype="float32", crs=CRS,
                       transform=from_origin(X0 - 100, Y0 + 100, 1, 1)) as dst:
        dst.write(z, 1)
    inc = incidents(cluster(25, 0, 20, "fordon"))  # behind the hedge
    cands = sites(("låg", 0, 0), ("hög", 0, 0), height=[2.0, 12.0])
    assert camera_sites(inc, cands, k=1).sites["site_id"].tolist() == ["låg"]  # tie: first
    plan = camera_sites(inc, cands, k=1, surface=path)
    assert plan.sites["site_id"].tolist() == ["hög"]
    low_only = camera_sites(inc, cands.iloc[:1], k=1, surface=path)
    assert low_only.sites.empty
    with rasterio.open(path) as src, rasterio.open(
            tmp_path / "wgs.tif", "w", **{**src.profile, "crs": "EPSG:4326"}) as dst:
        dst.write(src.read())
    with pytest.raises(Exception, match="koordinatsystem"):
        camera_sites(inc, cands, k=1, surface=tmp_path / "wgs.tif")


def test_the_shortest_window_of_hours():
    from trygg.layers.cameras.coverage import hour_window

    profile = np.zeros(24)
    profile[[22, 23, 0, 1, 2]] = [3, 4, 5, 4, 3]  # a night problem
    profile[12] = 1
    assert hour_window(profile, 0.8) == (22, 2)  # 16 of 20 in 22:00–02:00
    start, end = hour_window(profile, 1.0)
    assert (end - start) % 24 == 15  # 12:00 and the night: 15 hours either way round
    flat = np.ones(24)
    assert hour_window(flat, 0.5) == (0, 12)
    assert hour_window(np.zeros(24)) is None

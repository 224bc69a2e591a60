"""Planning a walk on the demo project: which stops, in which order, how long, when dark."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from shapely.geometry import box

from trygg.geo.errors import ArgumentError
from trygg.geo.route import euclidean, nearest_neighbour_tour, tour_length
from trygg.layers.store import open_project
from trygg.layers.walks.checklist import TOPICS
from trygg.layers.walks.plan import plan_walk, read_walk


@pytest.fixture
def store(demo, tmp_path):
    path = tmp_path / "demo.gpkg"
    shutil.copy(demo["project"], path)
    return open_project(path)


def _plan(store, **kw):
    with store.writing():
        return plan_walk(store, "Björkås", **kw)


def test_stops_are_distinct_ranked_and_described(store):
    plan = _plan(store, stops=8, name="a")
    s = plan.stops
    assert s["stop"].tolist() == list(range(1, 9))
    assert s["stop_id"].tolist() == [f"a-{i:02d}" for i in range(1, 9)]
    xy = {(round(g.x), round(g.y)) for g in s.geometry}
    assert len(xy) == 8  # no place twice
    assert s["place_name"].is_unique  # nor a name: the walk group must tell stops apart
    area = plan.area
    assert all(area.buffer(1).contains(g) for g in s.geometry)
    for row in s.itertuples():
        counts = json.loads(row.by_category)
        assert sum(counts.values()) == row.n_reports
        topics = json.loads(row.topics)
        assert {"belysning", "tydlighet"} <= set(topics) <= set(TOPICS)
        assert len(json.loads(row.recent)) <= 5
        assert row.place_name
    assert s["cum_m"].iloc[-1] == pytest.approx(s["leg_m"].sum(), abs=1)
    assert s["cum_m"].is_monotonic_increasing and s["cum_m"].iloc[-1] <= plan.length_m


def test_route_is_no_longer_than_the_nearest_neighbour_tour(store):
    plan = _plan(store, stops=10, name="b")
    xy = np.array([[g.x, g.y] for g in plan.stops.geometry])
    d = euclidean(xy)  # stop 1 is where the walk starts (no --start given)
    nn = tour_length(nearest_neighbour_tour(d, start=0), d, loop=True)
    assert plan.length_m <= nn + 1e-6
    assert plan.length_m == pytest.approx(tour_length(range(len(xy)), d, loop=True), abs=0.5)
    assert plan.length_m == pytest.approx(plan.route["length_m"].iloc[0], abs=0.1)


def test_network_route_follows_the_streets_and_is_longer(store, demo):
    straight = _plan(store, stops=6, name="rak")
    street = _plan(store, stops=6, name="gata", network=f"{demo['data'] / 'kommun.gpkg'}:gator")
    assert street.length_m >= straight.length_m * 0.999
    assert street.route.geometry.iloc[0].length == pytest.approx(street.length_m, rel=1e-3)


def test_date_gives_sunset_and_dusk_in_swedish_time(store):
    plan = _plan(store, stops=4, name="kvall", date="2025-10-15")
    assert str(plan.sunset.tz) == "Europe/Stockholm"
    assert 17 <= plan.sunset.hour <= 18 and plan.dusk > plan.sunset
    assert (plan.dusk - plan.sunset).total_seconds() / 60 == pytest.approx(40, abs=10)


def test_max_km_limits_the_route(store):
    plan = _plan(store, max_km=1.0, name="kort")
    assert plan.length_m <= 1000 + 1e-6
    assert len(plan.stops) >= 1


def test_the_walk_is_stored_and_read_back(store):
    plan = _plan(store, stops=5, name="spar", date="2025-10-15", loop=False)
    back = read_walk(store, "spar")
    assert back.stops["stop_id"].tolist() == plan.stops["stop_id"].tolist()
    assert back.length_m == pytest.approx(plan.length_m, abs=0.1)
    assert back.date == plan.date and back.dusk == plan.dusk
    assert {"walk_spar_stops", "walk_spar_route"} <= set(store.layers())
    run = store.read("runs").set_index("run_id").loc["spar"]
    params = json.loads(run["params"])
    assert run["kind"] == "walk" and params["stops"] == 5 and params["loop"] is False


def test_own_sites_are_kept(store, tmp_path):
    import geopandas as gpd
    from shapely.geometry import Point

    first = _plan(store, stops=3, name="x").stops.geometry.iloc[0]
    own = gpd.GeoDataFrame({"namn": ["Min plats"]},
                           geometry=[Point(first.x + 40, first.y + 40)], crs=store.crs)
    plan = _plan(store, stops=3, sites=own, sites_mode="only", name="egen")
    assert plan.stops["place_name"].tolist() == ["Min plats"]
    assert plan.stops["origin"].tolist() == ["site"]


def test_mistakes_are_refused(store, tmp_path):
    import geopandas as gpd

    with pytest.raises(ArgumentError, match="Ingenstans"):
        _plan_named(store, "Ingenstans")
    empty = tmp_path / "tom.geojson"
    gpd.GeoDataFrame(geometry=[box(0, 0, 10, 10)], crs=store.crs).to_file(empty)
    with pytest.raises(ArgumentError, match="inga rapporter"):
        _plan_named(store, str(empty))
    _plan(store, stops=2, name="dubbel")
    with pytest.raises(ArgumentError, match="dubbel"):
        _plan(store, stops=2, name="dubbel")
    with pytest.raises(ArgumentError, match="--stops"):
        _plan(store, stops=0)


def _plan_named(store, area):
    with store.writing():
        return plan_walk(store, area, stops=3)


def test_a_detaljplan_by_its_code_or_name(store):
    with store.writing():
        plan = plan_walk(store, "dp 2026:5", stops=3, name="plan")
    assert plan.area_name == "Detaljplan för Björkåsskolan med omgivning"
    assert all(plan.area.buffer(1).contains(g) for g in plan.stops.geometry)
    with pytest.raises(ArgumentError, match="Menar du: .*Björkås"):
        _plan_named(store, "Björkas")


def test_the_walk_starts_where_asked(store):
    by_name = _plan(store, stops=4, name="fran_hallplatsen", start="Björkås busshållplats")
    assert by_name.start[2].startswith("Björkås busshållplats")
    first = by_name.stops.iloc[0]
    assert first["leg_m"] > 0  # the first leg runs from the start to stop 1
    x, y = by_name.start[0] + 10, by_name.start[1] - 10
    by_xy = _plan(store, stops=4, name="fran_xy", start=f"{x},{y}")
    assert by_xy.start[:2] == pytest.approx((x, y))
    with pytest.raises(ArgumentError, match="--start"):
        _plan(store, stops=4, name="ingenstans", start="Atlantis 99")

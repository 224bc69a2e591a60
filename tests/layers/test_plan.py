"""Safety input for a plan area on the demo project: counts that an independent count of
the reports gives, per BoTryggt2030 aspect, and the files planners paste from."""

from __future__ import annotations

import shutil

import pandas as pd
import pyogrio
import pytest

from trygg.geo.errors import ArgumentError
from trygg.layers.plan import ASPECTS, CATEGORY_ASPECTS, plan_input
from trygg.layers.store import open_project
from trygg.maps.plan import FILES, write_plan

PLAN_ID = "DP 2026:5"


@pytest.fixture(scope="module")
def store(demo, tmp_path_factory):
    path = tmp_path_factory.mktemp("plan") / "demo.gpkg"
    shutil.copy(demo["project"], path)
    return open_project(path)


@pytest.fixture(scope="module")
def plan_area(demo):
    plans = pyogrio.read_dataframe(demo["data"] / "kommun.gpkg", layer="detaljplan")
    row = plans[plans["planid"] == PLAN_ID].iloc[0]
    return row.geometry, row["namn"]


def _independent(demo, geometry, buffer, years=3):
    r = pyogrio.read_dataframe(demo["project"], layer="reports")
    t = pd.to_datetime(r["reported_at"], utc=True)
    r = r[t >= max(t.max() - pd.DateOffset(years=years), t.min())]
    inside = r[r.geometry.within(geometry)]
    zone = r[r.geometry.within(geometry.buffer(buffer))]
    return inside, zone


def test_counts_inside_and_around_match_an_independent_count(store, demo, plan_area):
    geometry, name = plan_area
    p = plan_input(store, geometry, name, buffer=250)
    inside, zone = _independent(demo, geometry, 250)
    assert p.comparison["n_inside"] == len(inside) > 0
    assert p.comparison["n_zone"] == len(zone)
    cats = p.by_category.set_index("category")
    assert cats["inside"].to_dict() == {k: v for k, v in inside["category"].value_counts()
                                        .to_dict().items()} | {
        c: 0 for c in cats.index if c not in set(inside["category"])}
    assert p.by_year[["inside", "buffer"]].to_numpy().sum() == len(zone)
    assert p.by_time[["inside", "buffer"]].to_numpy().sum() == len(zone)
    assert p.comparison["per_km2"] == pytest.approx(len(inside) / (geometry.area / 1e6))


def test_each_aspect_counts_the_reports_of_its_categories(store, demo, plan_area):
    geometry, name = plan_area
    p = plan_input(store, geometry, name)
    _, zone = _independent(demo, geometry, 250)
    aspects = p.aspects.set_index("aspect")
    assert list(aspects.index) == list(ASPECTS)
    for aspect in ASPECTS:
        cats = {c for c, a in CATEGORY_ASPECTS.items() if aspect in a}
        assert aspects.loc[aspect, "n"] == zone["category"].isin(cats).sum(), aspect
    assert aspects.loc["belysning", "n"] >= (zone["category"] == "belysning").sum()


def test_hotspots_walks_and_population(store, demo, plan_area):
    geometry, name = plan_area
    towns = pyogrio.read_dataframe(demo["data"] / "kommun.gpkg", layer="tatorter")
    p = plan_input(store, geometry, name, population=towns)
    assert len(p.hotspots) >= 1  # the demo's Björkåsskolan hot spot area
    assert all(g.intersects(p.zone) for g in p.hotspots.geometry)
    assert len(p.findings) == (p.reports["source"] == "walk").sum()
    town = towns[towns["namn"] == "Björkås"].iloc[0]
    share = town.geometry.intersection(geometry).area / town.geometry.area
    assert p.comparison["inhabitants"] == pytest.approx(3100 * share)
    assert p.comparison["inhabitants_kommun"] == pytest.approx(towns["invanare"].sum(),
                                                               rel=1e-6)


def test_the_files(store, plan_area, tmp_path):
    geometry, name = plan_area
    p = plan_input(store, geometry, name)
    files = write_plan(store, p, tmp_path)
    assert [f.name for f in files] == list(FILES)
    assert (tmp_path / "karta.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    sub = open_project(tmp_path / "trygghetsunderlag.gpkg")
    assert sub.count("reports") == p.comparison["n_zone"]
    assert "plan_area" in sub.layers()
    page = (tmp_path / "trygghetsunderlag.html").read_text(encoding="utf-8")
    for words in ("Social kontroll", "Förvaltning", "Skalskydd", name):
        assert words in page


def test_mistakes(store, plan_area):
    geometry, name = plan_area
    with pytest.raises(ArgumentError, match="--buffer"):
        plan_input(store, geometry, name, buffer=-1)
    with pytest.raises(ArgumentError, match="--years"):
        plan_input(store, geometry, name, years=0)



def test_an_area_with_no_reports_says_so(store, plan_area, tmp_path):
    from shapely import affinity

    geometry, _ = plan_area
    empty = affinity.translate(geometry, xoff=-60_000)  # far out of the municipality
    p = plan_input(store, empty, "Tomt", buffer=0)
    assert p.comparison["n_zone"] == 0 and p.reports.empty
    assert any("Inga rapporter" in sv for sv, _ in p.notes)
    files = write_plan(store, p, tmp_path)
    assert "karta.html" not in [f.name for f in files]  # nothing to show on a map

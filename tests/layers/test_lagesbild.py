"""The situation picture on the demo project: counts that add up to what an independent
count of the reports gives, the change test against scipy, the public version's k-rule."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from scipy import stats

from trygg.geo.errors import ArgumentError
from trygg.layers.lagesbild import OUTSIDE, change_test, situation
from trygg.layers.periods import parse_range
from trygg.layers.store import open_project
from trygg.maps.lagesbild import write_lagesbild

Q4 = "2025-Q4"


@pytest.fixture(scope="module")
def store(demo):
    return open_project(demo["project"])


@pytest.fixture(scope="module")
def reports(demo):
    """The demo's reports counted without trygg: local time and town by plain pandas."""
    r = pyogrio.read_dataframe(demo["project"], layer="reports")
    r["local"] = pd.to_datetime(r["reported_at"], utc=True).dt.tz_convert("Europe/Stockholm")
    towns = pyogrio.read_dataframe(demo["data"] / "kommun.gpkg", layer="tatorter")
    hit = gpd.sjoin(r[["geometry"]], towns[["namn", "geometry"]], predicate="within")
    r["town"] = hit["namn"].groupby(level=0).first().reindex(r.index).fillna(OUTSIDE)
    return r


def _count(reports, first, end, key):
    t = reports["local"]
    mine = reports[(t >= pd.Timestamp(first, tz="Europe/Stockholm"))
                   & (t < pd.Timestamp(end, tz="Europe/Stockholm"))]
    return mine[key].value_counts()


def test_counts_by_town_and_category_match_an_independent_count(store, reports):
    s = situation(store, parse_range(Q4))
    towns = _count(reports, "2025-10-01", "2026-01-01", "town")
    assert s.n == towns.sum()
    by_area = s.by_area.set_index("area")
    for town, n in towns.items():
        assert by_area.loc[town, "n"] == n, town
    before = _count(reports, "2025-07-01", "2025-10-01", "town")
    year = _count(reports, "2024-10-01", "2025-01-01", "town")
    assert by_area["previous"].sum() == before.sum() == s.n_previous
    assert by_area["year"].sum() == year.sum() == s.n_year
    cats = _count(reports, "2025-10-01", "2026-01-01", "category")
    by_cat = s.by_category.set_index("category")
    assert all(by_cat.loc[c, "n"] == n for c, n in cats.items())
    assert s.area_category.to_numpy().sum() == s.n
    assert s.weekday_hour.sum() == s.n


def test_the_change_test_is_the_conditional_poisson_test(store):
    s = situation(store, parse_range(Q4))
    row = s.by_category.set_index("category").loc["belysning"]
    days = 92  # Q4 and Q3 have 92 days each
    expected = stats.binomtest(int(row["n"]), int(row["n"] + row["previous"]), 0.5).pvalue
    assert row["p_previous"] == pytest.approx(expected)
    assert change_test(10, 10) == 1.0
    assert change_test(30, 10, 7, 7) < 0.01 and change_test(30, 10, 30, 10) > 0.9
    assert np.isnan(change_test(0, 0))
    assert s.p_previous == pytest.approx(
        stats.binomtest(s.n, s.n + s.n_previous, days / (days + days)).pvalue)


def test_hotspots_new_persisting_ended_on_one_grid(store):
    s = situation(store, parse_range(Q4))
    assert s.cell is not None and s.cell > 0
    assert set(s.hotspots["status"]) <= {"new", "persisting", "ended"}
    assert s.hotspots["cell_id"].is_unique
    assert all(cid.startswith(f"s{s.cell:g}_") for cid in s.hotspots["cell_id"])
    ended = s.hotspots[s.hotspots["status"] == "ended"]
    assert (ended["previous"] > 0).all()


def test_top_places_are_ranked(store):
    s = situation(store, parse_range(Q4))
    assert 1 <= len(s.places) <= 10
    assert s.places["n"].is_monotonic_decreasing


def test_the_public_version_shows_no_small_number(store, tmp_path):
    s = situation(store, parse_range("2025-W47"), audience="publik", min_count=3)
    for table in (s.by_area, s.by_category):
        v = table[["n", "previous", "year"]].to_numpy()
        assert ((v == 0) | (v >= 3)).all()
    html, _xlsx = write_lagesbild(s, tmp_path)
    doc = json.loads(re.search(r'<script type="application/json" id="trygg-doc">(.*?)</script>',
                               html.read_text(encoding="utf-8"), re.S).group(1))
    for block in doc["blocks"]:
        for row in block.get("table", {}).get("rows", []):
            for cell in row[1:]:
                if re.fullmatch(r"\d+", str(cell)):
                    assert int(cell) == 0 or int(cell) >= 3, (block, row)
    texts = set(store.read_reports(["description"])["description"].dropna())
    page = html.read_text(encoding="utf-8")
    assert not any(t in page for t in texts if len(t) > 12)


def test_own_areas_and_mistakes(store, demo):
    plans = pyogrio.read_dataframe(demo["data"] / "kommun.gpkg", layer="detaljplan")
    plans = plans.rename(columns={"namn": "name"}) if "namn" in plans else plans
    s = situation(store, parse_range(Q4), areas=plans)
    assert s.areas_from == "file"
    assert s.by_area["n"].sum() == s.n and OUTSIDE in set(s.by_area["area"])
    with pytest.raises(ArgumentError, match="Inga rapporter"):
        situation(store, parse_range("2019-Q1"))
    with pytest.raises(ArgumentError, match="name"):
        situation(store, parse_range(Q4), areas=plans.drop(columns="name"))
    with pytest.raises(ArgumentError, match="--audience"):
        situation(store, parse_range(Q4), audience="alla")

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from trygg.geo.errors import ArgumentError
from trygg.layers import schema
from trygg.layers.hotspots.select import Selection, parse_hours, report_weights, select_reports


@pytest.fixture
def reports():
    times = pd.to_datetime(["2025-01-10 23:30", "2025-01-11 12:00", "2025-06-01 03:00",
                            "2025-06-02 19:00"]).tz_localize("Europe/Stockholm")
    return schema.conform(gpd.GeoDataFrame({
        "report_id": ["a", "b", "c", "d"], "source": ["est", "tycktill", "est", "polisen"],
        "reported_at": times, "category": ["klotter", "belysning", "vald_hot", "ran"],
        "precision": ["exact", "address", "place", "kommun"], "visibility": "intern",
        "ingest_id": "x"}, geometry=[shapely.Point(600_000 + i, 6_600_000) for i in range(4)],
        crs=3006))


def test_area_level_points_are_left_out_by_default(reports):
    assert list(select_reports(reports)["report_id"]) == ["a", "b", "c"]


def test_filters_combine(reports):
    sel = Selection(kinds=["brott"], hours=(18, 6))
    assert list(select_reports(reports, sel)["report_id"]) == ["c"]
    assert list(select_reports(reports, Selection(since="2025-06-01"))["report_id"]) == ["c"]
    assert list(select_reports(reports, Selection(until="2025-01-10"))["report_id"]) == ["a"]
    assert list(select_reports(reports, Selection(sources=["tycktill"]))["report_id"]) == ["b"]


def test_bad_values_name_the_fix(reports):
    with pytest.raises(ArgumentError, match="--category"):
        select_reports(reports, Selection(categories=["graffiti"]))
    with pytest.raises(ArgumentError, match="--since"):
        select_reports(reports, Selection(since="igår"))
    with pytest.raises(ArgumentError, match="18-06"):
        parse_hours("kväll")
    assert parse_hours("18-06") == (18, 6)
    assert parse_hours("0-24") == (0, 0)  # all day


def test_weights_by_category_and_half_life(reports):
    w = report_weights(reports)
    assert list(w) == [1.0, 1.0, 3.0, 3.0]
    decayed = report_weights(reports, half_life_days=30, now=reports["reported_at"].max())
    assert decayed[3] == pytest.approx(3.0)
    assert decayed[2] == pytest.approx(3.0 * 0.5 ** ((40 / 24) / 30), rel=1e-6)  # 40 h older
    assert np.all(decayed <= w)


def test_until_includes_its_day_and_units_cover_their_days(reports):
    ids = lambda **kw: list(select_reports(reports, Selection(**kw))["report_id"])  # noqa: E731
    assert ids(until="2025-01-11") == ["a", "b"]  # the whole of 11 January
    assert ids(since="2025-01", until="2025-01") == ["a", "b"]
    assert ids(since="2025-W02", until="2025-W02") == ["a", "b"]  # 6-12 January
    assert ids(since="2025-Q2") == ["c"]
    assert ids(until="2025-Q1") == ["a", "b"]
    assert ids(since="2025-06-01", until="2025-06-01") == ["c"]


@pytest.mark.parametrize("text", ["1/5/2025", "05.01.2025", "5 jan 2025", "2025/01/05",
                                  "2025-1-5", "2025-01-05T10:00"])
def test_dates_in_any_other_form_are_refused_with_the_iso_forms(reports, text):
    with pytest.raises(ArgumentError) as err:
        select_reports(reports, Selection(since=text))
    assert err.value.text() == ("--since ska vara ett datum som ÅÅÅÅ-MM-DD (eller vecka "
                                f"2025-W37, månad 2025-09, kvartal 2025-Q3), inte '{text}'.")


def test_until_before_since_is_a_mistake(reports):
    with pytest.raises(ArgumentError, match="före --since"):
        select_reports(reports, Selection(since="2025-06", until="2025-05"))

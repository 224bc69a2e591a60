"""The walk scores aggregated, the action register followed up, and the klotter rule."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from scipy import stats
from shapely.geometry import Point

from trygg.geo.errors import ArgumentError
from trygg.layers.indicators import closed_within
from trygg.layers.walks.actions import by_responsible, open_actions, overdue, typed
from trygg.layers.walks.scores import MIN_PAIRS, SCORE_COLUMNS, score_summary


def _scores(rows):
    frame = pd.DataFrame(rows)
    for c in SCORE_COLUMNS:
        if c not in frame:
            frame[c] = np.nan if c not in ("walk_id", "row_id", "group", "light", "date") \
                else ""
    return frame[list(SCORE_COLUMNS)]


def test_means_by_group_and_light_and_the_link_to_felt_safety():
    lighting = [0, 1, 1, 2, 3, 3]
    feeling = [0, 1, 2, 2, 3, 2]
    rows = [{"walk_id": "v", "row_id": f"{i}a", "group": g, "light": lt, "lighting": a,
             "feeling": f}
            for i, (g, lt, a, f) in enumerate(zip(
                ["kvinnor", "kvinnor", "unga", "unga", "unga", "man"],
                ["morkt", "morkt", "morkt", "ljust", "ljust", "ljust"], lighting, feeling,
                strict=True))]
    s = score_summary(_scores(rows))
    g = s.by_group.set_index("group")
    assert g.loc["kvinnor", "n"] == 2 and g.loc["kvinnor", "lighting"] == 0.5
    assert g.loc["unga", "feeling"] == pytest.approx(7 / 3)
    light = s.by_light.set_index("light")
    assert light.loc["morkt", "lighting"] == pytest.approx(2 / 3)
    assert light.loc["ljust", "lighting"] == pytest.approx(8 / 3)
    f = s.feeling.set_index("parameter")
    expected = stats.spearmanr(lighting, feeling)
    assert f.loc["lighting", "rho"] == pytest.approx(expected.statistic)
    assert f.loc["lighting", "p"] == pytest.approx(expected.pvalue)
    assert f.loc["lighting", "n"] == 6
    assert np.isnan(f.loc["openness", "rho"]) and f.loc["openness", "n"] == 0
    tables = s.tables("sv")
    assert list(tables) == ["Poäng per grupp", "Poäng ljust-mörkt", "Samband med trygghet"]
    assert "Kvinnor" in tables["Poäng per grupp"]["Grupp"].tolist()
    assert list(s.tables("en"))[0] == "Scores by group"


def test_too_few_pairs_give_no_correlation():
    rows = [{"walk_id": "v", "row_id": f"{i}a", "lighting": i % 4, "feeling": (i + 1) % 4}
            for i in range(MIN_PAIRS - 1)]
    s = score_summary(_scores(rows))
    assert np.isnan(s.feeling.set_index("parameter").loc["lighting", "rho"])
    assert score_summary(_scores([])).tables() == {}


def _actions():
    rows = [("v:1a", "kommun", "2026-01-31", "open", ""),
            ("v:2a", "kommun", "2026-06-30", "in_progress", ""),
            ("v:3a", "polis", "2025-12-01", "open", ""),
            ("v:4a", "polis", "2025-12-01", "done", "2025-11-20"),
            ("v:5a", "Bostadsbolaget", "2026-03-01", "declined", "2025-11-01")]
    frame = pd.DataFrame(rows, columns=["action_id", "responsible", "deadline",
                                        "action_status", "closed_at"])
    frame["geometry"] = [Point(0, 0)] * len(frame)
    return typed(gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:3006"), "EPSG:3006")


def test_open_and_overdue_actions_per_responsible():
    a = _actions()
    assert sorted(open_actions(a, "2026-02-15")["action_id"]) == ["v:1a", "v:2a", "v:3a"]
    assert overdue(a, "2026-02-15")["action_id"].tolist() == ["v:3a", "v:1a"]
    assert overdue(a, "2025-11-30").empty
    table = by_responsible(a, "2026-02-15").set_index("responsible")
    assert table.loc["kommun"].to_dict() == {"open": 2, "overdue": 1, "done": 0, "declined": 0,
                                             "total": 2}
    assert table.loc["polis", "done"] == 1 and table.loc["Bostadsbolaget", "declined"] == 1
    assert table.index[0] in ("kommun", "polis")  # overdue first


def test_klotter_closed_within_48_hours_by_year():
    t = pd.Timestamp
    reports = pd.DataFrame({
        "category": ["klotter"] * 5 + ["belysning"],
        "reported_at": [t("2024-05-01 10:00", tz="Europe/Stockholm"),
                        t("2024-06-01 10:00", tz="Europe/Stockholm"),
                        t("2025-03-01 10:00", tz="Europe/Stockholm"),
                        t("2025-03-02 10:00", tz="Europe/Stockholm"),
                        t("2025-03-03 10:00", tz="Europe/Stockholm"),
                        t("2025-03-03 10:00", tz="Europe/Stockholm")],
        "closed_at": [t("2024-05-03 10:00", tz="Europe/Stockholm"),  # exactly 48 h
                      t("2024-06-04 10:00", tz="Europe/Stockholm"),  # 72 h
                      t("2025-03-01 12:00", tz="Europe/Stockholm"),
                      pd.NaT,  # no close time: not counted
                      t("2025-03-03 11:00", tz="Europe/Stockholm"),
                      t("2025-03-03 11:00", tz="Europe/Stockholm")]})
    ind = closed_within(reports)
    assert (ind.n, ind.within, ind.without) == (4, 3, 1) and ind.share == 0.75
    years = ind.by_year.set_index("year")
    assert years.loc[2024, "share"] == 0.5 and years.loc[2025, "share"] == 1.0
    table = ind.table("sv")
    assert table.iloc[-1].tolist() == ["Alla år", 4, 3, "75\u00a0%"]
    assert "Andel klotter stängd inom 48 h" in table.columns
    assert closed_within(reports.iloc[[5]]).table().empty
    with pytest.raises(ArgumentError, match="kategori"):
        closed_within(reports, category="graffiti")

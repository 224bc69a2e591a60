"""Before/after evaluation of an installed camera: RES, WDQ and honest notes."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from trygg.geo.errors import ArgumentError
from trygg.layers.cameras.evaluate import evaluate_camera, relative_effect, wdq

CRS = "EPSG:3006"
INSTALLED = pd.Timestamp("2025-01-01", tz="Europe/Stockholm")
WATCHED = shapely.Point(0, 0).buffer(40)


def reports(spec, category="fordon", seed=0):
    """``spec``: (x, n before, n after) per place; times spread evenly over a year."""
    rng = np.random.default_rng(seed)
    rows = []
    for x, n_before, n_after in spec:
        for n, sign in ((n_before, -1), (n_after, 1)):
            days = rng.uniform(2, 364, n)
            for d in days:
                rows.append((x + rng.uniform(-5, 5), rng.uniform(-5, 5),
                             INSTALLED + sign * pd.Timedelta(days=float(d))))
    x, y, t = zip(*rows, strict=True)
    return gpd.GeoDataFrame({"category": category, "reported_at": list(t)},
                            geometry=shapely.points(np.c_[x, y]), crs=CRS)


def test_the_measures_by_hand():
    assert relative_effect(40, 20, 400, 400)[0] == pytest.approx(2.0)
    res, lo, hi = relative_effect(40, 20, 400, 400)
    se = math.sqrt(1 / 40 + 1 / 20 + 2 / 400)
    assert lo == pytest.approx(2 * math.exp(-1.96 * se)) and hi > 2 > lo
    assert wdq(40, 20, 30, 36, 400, 400) == pytest.approx(-0.3)  # some displacement
    assert wdq(40, 20, 30, 15, 400, 400) == pytest.approx(0.75)  # benefits spread
    assert math.isnan(wdq(20, 40, 30, 36, 400, 400))  # the treated area got worse


def test_a_camera_that_halved_car_crime_with_some_displacement():
    data = reports([(0, 40, 20), (100, 30, 36), (1000, 400, 400)])
    ev = evaluate_camera(data, WATCHED, INSTALLED, buffer_m=100, months=12)
    assert ev.totals["treated"] == {"before": 40, "after": 20}
    assert ev.totals["buffer"] == {"before": 30, "after": 36}
    assert ev.totals["control"] == {"before": 400, "after": 400}
    assert ev.res == pytest.approx(2.0) and ev.res_low > 1  # an improvement beyond chance
    assert ev.wdq == pytest.approx(-0.3)
    assert ev.notes == []
    lengths = [(end - start).days for start, end in (ev.before, ev.after)]
    assert lengths in ([365, 365], [366, 365], [365, 366])


def test_small_counts_are_called_weak_and_the_interval_says_why():
    data = reports([(0, 6, 3), (100, 2, 2), (1000, 50, 50)])
    ev = evaluate_camera(data, WATCHED, INSTALLED, months=12)
    assert "few_incidents" in ev.notes
    assert ev.res_low < 1 < ev.res_high  # cannot tell it from chance


def test_categories_a_camera_cannot_affect_are_left_out():
    lamps = reports([(0, 30, 5), (1000, 100, 100)], category="belysning")
    cars = reports([(0, 10, 10), (1000, 100, 100)], seed=1)
    both = gpd.GeoDataFrame(pd.concat([lamps, cars], ignore_index=True), crs=CRS)
    ev = evaluate_camera(both, WATCHED, INSTALLED, months=12)
    assert set(ev.counts["category"]) == {"fordon"}
    assert ev.totals["treated"] == {"before": 10, "after": 10}
    assert "no_improvement" in ev.notes


def test_bad_dates():
    data = reports([(0, 5, 5)])
    with pytest.raises(ArgumentError, match="Installationsdagen"):
        evaluate_camera(data, WATCHED, "2030-01-01")
    with pytest.raises(ArgumentError, match="kategori"):
        evaluate_camera(data, WATCHED, INSTALLED, categories=["bilar"])

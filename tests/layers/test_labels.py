"""Every code users can meet has a Swedish and an English label (layers.labels)."""

from __future__ import annotations

import doctest

import numpy as np
import pytest

from trygg.layers import labels, schema
from trygg.layers.hotspots.emerging import classify_patterns
from trygg.layers.hotspots.gistar import NOT_TESTED, classify
from trygg.layers.hotspots.runs import METHODS
from trygg.layers.labels import column_label, label
from trygg.layers.sources.common import REJECT_REASONS


def test_doctests():
    assert doctest.testmod(labels).failed == 0


@pytest.mark.parametrize(("field", "codes"), [
    ("category", list(schema.CATEGORIES)), ("source", schema.SOURCES),
    ("kind", schema.KINDS), ("precision", schema.PRECISIONS),
    ("status", schema.STATUSES), ("visibility", schema.VISIBILITIES),
    ("camera", schema.CAMERA_RELEVANCE), ("reason", list(REJECT_REASONS)),
    ("change", ["increase", "decrease", "no_change", "not_tested"]),
    ("divergence", ["unsafe_not_crime", "crime_not_unsafe", "both", "neither", "not_tested"]),
    ("method", list(METHODS)),
])
def test_every_stored_code_has_a_label_in_both_languages(field, codes):
    for code in codes:
        sv, en = label(field, code), label(field, code, lang="en")
        assert sv and en
        assert "_" not in sv and "_" not in en, (field, code)
        if code not in ("est", "open311"):  # names that are the same in every language
            assert sv != code, (field, code)


def test_every_class_the_analyses_produce_has_a_label():
    z = np.array([4.0, 2.2, 1.8, 0.1, -1.8, -2.2, -4.0])
    p = np.array([0.0001, 0.03, 0.08, 0.9, 0.08, 0.03, 0.0001])
    produced = set(classify(z, p)) | {NOT_TESTED}
    assert set(labels.LABELS["klass"]) == produced
    rng = np.random.default_rng(1)
    hot, cold = rng.random((5000, 12)) < 0.5, np.zeros((5000, 12), bool)
    cold[:2500], hot[:2500] = hot[:2500], False
    patterns = set(classify_patterns(hot, cold, rng.normal(0, 3, 5000),
                                     rng.random(5000)))
    assert patterns <= set(labels.LABELS["pattern"])
    assert len(patterns) > 8  # the sample reaches most patterns
    for code in produced | patterns:
        assert "_" not in label("klass" if code in produced else "pattern", code)


def test_unknown_and_missing_codes():
    assert label("status", "paused") == "paused"
    assert label("status", None) == label("status", float("nan")) == ""
    assert label("nosuchfield", "x") == "x"


def test_every_report_column_has_a_header():
    for column in schema.COLUMNS:
        assert column_label(column) != column
        assert column_label(column, lang="en") != column
    assert column_label("not_a_column") == "not_a_column"
    assert labels.labels("status", lang="en") == {"open": "Open", "closed": "Closed"}

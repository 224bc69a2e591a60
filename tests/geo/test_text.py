"""Numbers, dates and counted nouns as users read them (geo.text)."""

from __future__ import annotations

import datetime as dt
import doctest
import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.geo import text
from trygg.geo.text import NBSP, count, date, datetime, number, p_value, percent, signed


def test_doctests():
    assert doctest.testmod(text).failed == 0


@pytest.mark.parametrize(("value", "decimals", "sv", "en"), [
    (0, 0, "0", "0"),
    (999, 0, "999", "999"),
    (1000, 0, "1\u00a0000", "1,000"),
    (1234567, 0, "1\u00a0234\u00a0567", "1,234,567"),
    (3.14159, 2, "3,14", "3.14"),
    (0.0571, 3, "0,057", "0.057"),
    (-2.5, 1, "-2,5", "-2.5"),
    (-0.0004, 2, "0,00", "0.00"),  # no "-0,00"
    (2.5, None, "2,5", "2.5"),
    (12_000.25, None, "12\u00a0000,25", "12,000.25"),
    (7, None, "7", "7"),
])
def test_number_in_both_languages(value, decimals, sv, en):
    assert number(value, decimals) == sv
    assert number(value, decimals, lang="en") == en


@pytest.mark.parametrize("missing", [None, math.nan, math.inf])
def test_missing_numbers_are_a_dash(missing):
    assert number(missing) == percent(missing) == p_value(missing) == signed(missing) == "–"


@given(st.floats(-1e12, 1e12, allow_nan=False), st.integers(0, 4))
def test_swedish_number_reads_back_as_the_rounded_value(value, decimals):
    sv = number(value, decimals)
    assert "." not in sv and " " not in sv  # no decimal point, only no-break spaces
    back = float(sv.replace(NBSP, "").replace(",", "."))
    assert back == pytest.approx(round(value, decimals), abs=10 ** -decimals)
    assert number(value, decimals, lang="en").replace(",", "") == sv.replace(
        NBSP, "").replace(",", ".")


def test_signed_percent_and_p_values():
    assert signed(2.576) == "+2,58"
    assert signed(-1.2) == "\u22121,20"
    assert signed(-1.2, lang="en") == "-1.20"
    assert signed(0.0) == "0,00"
    assert percent(0.057, 1) == "5,7\u00a0%"
    assert percent(0.5, lang="en") == "50%"
    assert p_value(0.0571) == "0,057"
    assert p_value(0.00001) == "< 0,001"
    assert p_value(0.00001, lang="en") == "< 0.001"


def test_count_picks_singular_or_plural():
    assert count(1, "rad", "rader") == "1 rad"
    assert count(0, "rad", "rader") == "0 rader"
    assert count(24, "tidssteg", "tidssteg") == "24 tidssteg"
    assert count(1, "manuellt läge", "manuella lägen") == "1 manuellt läge"
    assert count(2500, "row", "rows", lang="en") == "2,500 rows"
    assert count(2500, "rad", "rader") == "2\u00a0500 rader"


def test_dates_are_iso_in_both_languages():
    assert date(dt.date(2025, 9, 4)) == "2025-09-04"
    assert date(pd.Timestamp("2025-09-04 23:30", tz="Europe/Stockholm")) == "2025-09-04"
    assert date("2025-09-04T10:00") == "2025-09-04"
    assert date(None) == date(pd.NaT) == datetime(pd.NaT) == "–"
    assert datetime(dt.datetime(2025, 3, 30, 2, 5)) == "2025-03-30 02:05"

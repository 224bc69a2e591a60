"""ISO 8601 dates, weeks, months, quarters and periods from the command line."""

from datetime import date

import pytest

from trygg.geo.errors import ArgumentError
from trygg.layers.periods import Span, parse_range, parse_since, parse_span, parse_until


@pytest.mark.parametrize("text, first, last", [
    ("2025-01-05", date(2025, 1, 5), date(2025, 1, 5)),
    ("20250105", date(2025, 1, 5), date(2025, 1, 5)),
    ("2025-W37", date(2025, 9, 8), date(2025, 9, 14)),
    ("2025-w01", date(2024, 12, 30), date(2025, 1, 5)),  # ISO week 1 starts in December
    ("2020-W53", date(2020, 12, 28), date(2021, 1, 3)),
    ("2025-W37-3", date(2025, 9, 10), date(2025, 9, 10)),
    ("2025-09", date(2025, 9, 1), date(2025, 9, 30)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2025-Q3", date(2025, 7, 1), date(2025, 9, 30)),
    ("2025-q4", date(2025, 10, 1), date(2025, 12, 31)),
    ("2025", date(2025, 1, 1), date(2025, 12, 31)),
])
def test_each_form_is_a_span_of_days(text, first, last):
    assert parse_span(text) == Span(first, last)
    assert parse_since(text) == first and parse_until(text) == last


@pytest.mark.parametrize("text", ["1/5/2025", "05.01.2025", "5/1/2025", "2025/01/05",
                                  "jan 2025", "2025-1-5", "25-01-05", "", "2025-01-05 10:00",
                                  "2025-0105"])
def test_other_forms_are_refused_naming_the_option_and_the_value(text):
    with pytest.raises(ArgumentError) as err:
        parse_since(text, "--since")
    assert err.value.text() == (
        "--since ska vara ett datum som ÅÅÅÅ-MM-DD (eller vecka 2025-W37, månad 2025-09, "
        f"kvartal 2025-Q3), inte '{text}'.")
    assert "YYYY-MM-DD" in err.value.text("en")


@pytest.mark.parametrize("text", ["2025-02-30", "2025-13", "2025-W53", "2025-Q5", "2025-W00"])
def test_days_the_calendar_lacks_are_named(text):
    with pytest.raises(ArgumentError, match="finns inte i kalendern"):
        parse_until(text)


def test_ranges_run_from_the_first_day_of_from_to_the_last_day_of_to():
    assert parse_range("2025-01:2025-06") == Span(date(2025, 1, 1), date(2025, 6, 30))
    # FROM/TO is an ISO 8601 interval of instants: TO's day is not included
    assert parse_range("2025-01-01/2025-07-01") == Span(date(2025, 1, 1), date(2025, 6, 30))
    assert parse_range("2019-01-01/2019-07-01").half_open() == ("2019-01-01", "2019-07-01")
    with pytest.raises(ArgumentError, match="slutar innan den börjar"):
        parse_range("2025-01-01/2025-01-01", "--period-a")
    assert parse_range("2025-Q3") == Span(date(2025, 7, 1), date(2025, 9, 30))
    assert parse_range("2025-W37:2025-W38").half_open() == ("2025-09-08", "2025-09-22")
    with pytest.raises(ArgumentError, match="slutar innan den börjar"):
        parse_range("2025-06:2025-01", "--period-a")
    with pytest.raises(ArgumentError, match="--period-a skrivs FRÅN:TILL"):
        parse_range("2025-01-01:", "--period-a")
    with pytest.raises(ArgumentError, match="inte '1/5/2025:2025-06-01'"):
        parse_range("1/5/2025:2025-06-01", "--period-a")


@pytest.mark.parametrize(("text", "previous", "year"), [
    ("2025-Q3", ("2025-04-01", "2025-06-30"), ("2024-07-01", "2024-09-30")),
    ("2025-03", ("2025-02-01", "2025-02-28"), ("2024-03-01", "2024-03-31")),
    ("2025-01", ("2024-12-01", "2024-12-31"), ("2024-01-01", "2024-01-31")),
    ("2025-W37", ("2025-09-01", "2025-09-07"), ("2024-09-09", "2024-09-15")),
    ("2026-W53", ("2026-12-21", "2026-12-27"), ("2025-12-22", "2025-12-28")),
    ("2025-01-10:2025-01-20", ("2024-12-30", "2025-01-09"), ("2024-01-10", "2024-01-20")),
    ("2024-02-29", ("2024-02-28", "2024-02-28"), ("2023-02-28", "2023-02-28")),
])
def test_the_period_before_and_a_year_earlier(text, previous, year):
    from trygg.layers.periods import parse_range, previous_span, year_before

    span = parse_range(text)
    before, earlier = previous_span(span), year_before(span)
    assert (before.first.isoformat(), before.last.isoformat()) == previous
    assert (earlier.first.isoformat(), earlier.last.isoformat()) == year
    assert before.last < span.first

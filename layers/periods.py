"""Dates and periods written on the command line: ISO 8601 only.

``--since``, ``--until``, the change method's ``--period-a/--period-b`` (and
every later date option) read the same forms, with the standard library and
no guessing:

- a day ``2025-01-05`` (anything :meth:`datetime.date.fromisoformat` reads,
  e.g. also ``20250105``),
- an ISO week ``2025-W37`` (Monday to Sunday),
- a month ``2025-09``, a quarter ``2025-Q3``, a year ``2025``.

Each stands for a span of whole local days (Europe/Stockholm): as a start
(``--since``) it means its first day, as an end (``--until``) its last day,
both included. A period is ``FROM:TO``, from the first day of FROM to the last
day of TO, or one unit alone: ``2025-Q3``. ``FROM/TO`` is an ISO 8601 interval
between two instants, each the start of its day, so TO is not included:
``2025-01-01/2025-07-01`` ends with 30 June. Forms such as ``1/5/2025`` or
``05.01.2025`` are refused, since nobody can tell 1 May from 5 January.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from trygg.geo.errors import ArgumentError
from trygg.layers.schema import TIMEZONE

_WEEK = re.compile(r"(\d{4})-W(\d{2})", re.IGNORECASE)
_QUARTER = re.compile(r"(\d{4})-Q(\d)", re.IGNORECASE)
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_YEAR = re.compile(r"\d{4}")
_FORMS_SV = "ÅÅÅÅ-MM-DD (eller vecka 2025-W37, månad 2025-09, kvartal 2025-Q3)"
_FORMS_EN = "YYYY-MM-DD (or week 2025-W37, month 2025-09, quarter 2025-Q3)"


@dataclass(frozen=True)
class Span:
    """Whole local days from ``first`` to ``last``, both included."""

    first: date
    last: date

    @property
    def start(self) -> pd.Timestamp:
        """Local midnight (Europe/Stockholm) at the start of ``first``."""
        return pd.Timestamp(self.first).tz_localize(TIMEZONE)

    @property
    def end(self) -> pd.Timestamp:
        """Local midnight after ``last`` (the exclusive end)."""
        return pd.Timestamp(self.last + timedelta(days=1)).tz_localize(TIMEZONE)

    def half_open(self) -> tuple[str, str]:
        """``(first, day after last)`` as ISO dates, the end excluded."""
        return self.first.isoformat(), (self.last + timedelta(days=1)).isoformat()


def _bad(option: str, text: str) -> ArgumentError:
    return ArgumentError(f"{option} ska vara ett datum som {_FORMS_SV}, inte '{text}'.",
                         f"{option} must be a date like {_FORMS_EN}, not '{text}'.")


def _not_in_calendar(option: str, text: str) -> ArgumentError:
    return ArgumentError(f"{option}: '{text}' finns inte i kalendern.",
                         f"{option}: '{text}' is not in the calendar.")


def parse_span(text: str, option: str = "--since") -> Span:
    """The days one ISO 8601 date, week, month, quarter or year stands for.

    Parameters
    ----------
    text
        ``2025-01-05``, ``2025-W37``, ``2025-09``, ``2025-Q3`` or ``2025``.
    option
        The option the value came from, for messages.

    Raises
    ------
    ArgumentError
        For any other form (``1/5/2025``, ``05.01.2025``) or a day the calendar
        does not have (``2025-02-30``, ``2025-W53``).
    """
    value = str(text).strip()
    try:
        if m := _WEEK.fullmatch(value):
            first = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return Span(first, first + timedelta(days=6))
        if m := _QUARTER.fullmatch(value):
            year, quarter = int(m[1]), int(m[2])
            if not 1 <= quarter <= 4:
                raise ValueError(value)
            return _months(year, 3 * quarter - 2, 3)
        if m := _MONTH.fullmatch(value):
            return _months(int(m[1]), int(m[2]), 1)
        if _YEAR.fullmatch(value):
            return Span(date(int(value), 1, 1), date(int(value), 12, 31))
    except ValueError:
        raise _not_in_calendar(option, value) from None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d{8}|\d{4}-W\d{2}-\d|\d{4}W\d{3}", value,
                        re.IGNORECASE):
        raise _bad(option, value)
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise _not_in_calendar(option, value) from None
    return Span(day, day)


def _months(year: int, month: int, count: int) -> Span:
    first = date(year, month, 1)
    after = date(year + (month + count - 1) // 12, (month + count - 1) % 12 + 1, 1)
    return Span(first, after - timedelta(days=1))


def parse_since(text: str, option: str = "--since") -> date:
    """The first day of ``text`` (a date, week, month, quarter or year)."""
    return parse_span(text, option).first


def parse_until(text: str, option: str = "--until") -> date:
    """The last day of ``text`` (a date, week, month, quarter or year), included."""
    return parse_span(text, option).last


def parse_range(text: str, option: str = "--period") -> Span:
    """A period ``FROM:TO`` or ``FROM/TO``, or one date, week, month or quarter.

    ``2025-01:2025-06`` is 1 January to 30 June 2025, both included;
    ``2025-Q3`` is July to September; ``2025-01-01/2025-07-01`` (an ISO 8601
    interval, its end excluded) is 1 January to 30 June.

    Raises
    ------
    ArgumentError
        For a form that is not ISO 8601 or a period that ends before it starts.
    """
    value = str(text).strip()
    parts = re.split(r"[:/]", value)
    if len(parts) == 1:
        return parse_span(value, option)
    if len(parts) != 2 or not all(p.strip() for p in parts):
        raise ArgumentError(
            f"{option} skrivs FRÅN:TILL med datum som {_FORMS_SV}, t.ex. "
            f"2025-01-01:2025-06-30 eller bara 2025-Q3, inte '{value}'.",
            f"{option} is written FROM:TO with dates like {_FORMS_EN}, e.g. "
            f"2025-01-01:2025-06-30 or just 2025-Q3, not '{value}'.")
    first = parse_span(parts[0], option).first
    if "/" in value:
        last = parse_span(parts[1], option).first - timedelta(days=1)
    else:
        last = parse_span(parts[1], option).last
    if last < first:
        raise ArgumentError(f"{option}: perioden '{value}' slutar innan den börjar.",
                            f"{option}: the period '{value}' ends before it starts.")
    return Span(first, last)


def _month_run(span: Span) -> int | None:
    """How many whole calendar months ``span`` is, when it starts on a month's first day
    and ends on a month's last day (else ``None``)."""
    after = span.last + timedelta(days=1)
    if span.first.day != 1 or after.day != 1:
        return None
    return (after.year - span.first.year) * 12 + after.month - span.first.month


def _add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after (or before) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def previous_span(span: Span) -> Span:
    """The period just before ``span``, of the same kind: the month before a month, the
    quarter before a quarter (whole months shift by months), else as many days as
    ``span`` has (a week: the week before)."""
    months = _month_run(span)
    if months:
        first = _add_months(span.first, -months)
        return Span(first, span.first - timedelta(days=1))
    days = (span.last - span.first).days + 1
    return Span(span.first - timedelta(days=days), span.first - timedelta(days=1))


def year_before(span: Span) -> Span:
    """The same period a year earlier: the same months, the same ISO weeks (week 53 of
    a year without one: week 52), else the same dates (29 February: the 28th)."""
    months = _month_run(span)
    if months:
        first = _add_months(span.first, -12)
        return _months(first.year, first.month, months)
    days = (span.last - span.first).days + 1
    if span.first.isoweekday() == 1 and days % 7 == 0:
        year, week, _ = span.first.isocalendar()
        week = min(week, date(year - 1, 12, 28).isocalendar()[1])
        first = date.fromisocalendar(year - 1, week, 1)
        return Span(first, first + timedelta(days=days - 1))

    def back(day: date) -> date:
        try:
            return day.replace(year=day.year - 1)
        except ValueError:  # 29 February
            return day.replace(year=day.year - 1, day=28)

    return Span(back(span.first), back(span.last))

"""Guards of the JSON sources (Open311, police events) against hostile values.

* JSON nested deeper than Python's recursion limit makes ``json.loads`` raise
  ``RecursionError``; a record nested deeper than :data:`MAX_JSON_DEPTH` is
  no event and would make every later ``json.dumps`` of it fail: both become
  a message or a reject.
* A ``\\ud800`` escape without its pair is valid JSON but gives a string
  that cannot be written as UTF-8 (every later step fails on it):
  :func:`without_lone_surrogates` replaces such characters with U+FFFD.
* Dates outside what pandas can hold (nanoseconds since 1970: years
  1677–2262) make the date parser raise; :func:`parse_datetimes_checked`
  turns them into rejects (``date_out_of_range``).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from trygg.layers.sources import common

#: Deepest nesting of arrays and objects kept in one JSON record (an Open311
#: request or a police event is 2–3 levels deep).
MAX_JSON_DEPTH = 64
#: Years a date in a file may have (pandas holds 1677-09-21 … 2262-04-11).
FIRST_YEAR, LAST_YEAR = 1678, 2261

_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONE = re.compile("[\ud800-\udfff]")

_ISO_YEAR = re.compile(r"^\s*([+-]?\d+)-\d{1,2}-\d{1,2}")
_DAYFIRST_YEAR = re.compile(r"^\s*\d{1,2}[./-]\d{1,2}[./-]([+-]?\d+)\b")


def too_deep(value: object, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when ``value`` nests lists/dicts more than ``limit`` levels (iterative)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children
                     if isinstance(child, (dict, list)))
    return False


def has_surrogate_escapes(data: bytes) -> bool:
    """True when JSON text holds a ``\\uD800``–``\\uDFFF`` escape (paired or not)."""
    return _SURROGATE_ESCAPE.search(data) is not None


def without_lone_surrogates(value: object) -> object:
    """``value`` (parsed JSON) with every lone surrogate in its strings and keys
    replaced by U+FFFD; lists and dicts are changed in place (iterative)."""

    def fix(text: str) -> str:
        return _LONE.sub("\ufffd", text)

    if isinstance(value, str):
        return fix(value)
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            for i, child in enumerate(item):
                if isinstance(child, str):
                    item[i] = fix(child)
                elif isinstance(child, (list, dict)):
                    stack.append(child)
        elif isinstance(item, dict):
            for key in list(item):
                child = item[key]
                if isinstance(child, str):
                    child = fix(child)
                elif isinstance(child, (list, dict)):
                    stack.append(child)
                if isinstance(key, str) and _LONE.search(key):
                    del item[key]
                    item[fix(key)] = child
                else:
                    item[key] = child
    return value


def _years_out_of_range(text: pd.Series) -> np.ndarray:
    """True where the text is a date whose year is outside FIRST_YEAR–LAST_YEAR."""
    year = text.str.extract(_ISO_YEAR, expand=False)
    year = year.fillna(text.str.extract(_DAYFIRST_YEAR, expand=False))
    number = pd.to_numeric(year, errors="coerce").to_numpy("float64")
    return np.isfinite(number) & ((number < FIRST_YEAR) | (number > LAST_YEAR))


def parse_datetimes_checked(values: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """:func:`layers.sources.common.parse_datetimes` that never raises on a value.

    Returns
    -------
    (datetimes, bad, out_of_range)
        As ``parse_datetimes`` (NaT where empty, invalid or out of range), a
        boolean array of values that cannot be read, and one of dates outside
        the supported years (:data:`FIRST_YEAR`–:data:`LAST_YEAR`, or any value
        the parser finds out of bounds); ``bad`` and ``out_of_range`` do not
        overlap.
    """
    text = values.fillna("").astype(str)
    out_of_range = _years_out_of_range(text)
    text = text.where(~out_of_range, "")
    parsed, bad = _parse_isolating(text, out_of_range)
    bad = np.asarray(bad, bool) & ~out_of_range
    return parsed, bad, out_of_range


def _parse_isolating(text: pd.Series, out_of_range: np.ndarray) -> tuple[pd.Series, np.ndarray]:
    """Parse; when the parser raises, halve the values until the raising ones are
    found (marked in ``out_of_range``, or bad), so one value costs log(n) passes."""
    try:
        return common.parse_datetimes(text)
    except (ValueError, OverflowError) as exc:
        if len(text) == 1:
            empty = pd.Series([""], index=text.index)
            parsed, bad = common.parse_datetimes(empty)
            if isinstance(exc, (pd.errors.OutOfBoundsDatetime, OverflowError)):
                out_of_range[0] = True
                return parsed, np.zeros(1, bool)
            return parsed, np.ones(1, bool)
    half = len(text) // 2
    left_range = out_of_range[:half].copy()
    right_range = out_of_range[half:].copy()
    left, left_bad = _parse_isolating(text.iloc[:half], left_range)
    right, right_bad = _parse_isolating(text.iloc[half:], right_range)
    out_of_range[:half] = left_range
    out_of_range[half:] = right_range
    return pd.concat([left, right]), np.concatenate([left_bad, right_bad])

"""Numbers, dates and counted nouns as users read them, one function each.

Every number, date and "N things" a user reads — in the command's messages, on a
map, in a report or an exported spreadsheet's notes — is written by these
functions, so that Swedish text has a decimal comma, a no-break space between
thousands and the right plural everywhere, and English text its own habits:

>>> number(1234567.891, 2)
'1\\xa0234\\xa0567,89'
>>> number(1234567.891, 2, lang="en")
'1,234,567.89'
>>> count(1, "rad", "rader"), count(3, "rad", "rader")
('1 rad', '3 rader')
>>> percent(0.057, 1)
'5,7\\xa0%'

Dates are ISO 8601 (ÅÅÅÅ-MM-DD) in both languages, as Swedish authorities write them.
"""

from __future__ import annotations

import datetime as _dt
import math

__all__ = ["LANGS", "MINUS", "NBSP", "count", "date", "datetime", "lang_of", "number",
           "p_value", "percent", "pick", "signed"]

#: The languages of every user-facing text: Swedish (the default) and English.
LANGS = ("sv", "en")
#: The thousands separator of Swedish numbers (and the space before "%").
NBSP = "\u00a0"
#: The minus sign of Swedish typography (U+2212), used by :func:`signed`.
MINUS = "\u2212"


def lang_of(lang: str | None) -> str:
    """``"en"`` for English, else ``"sv"`` (the default for anything else or None)."""
    return "en" if lang == "en" else "sv"


def pick(sv: str, en: str, lang: str | None = "sv") -> str:
    """The Swedish or the English text, by ``lang``."""
    return en if lang == "en" else sv


def number(value: float | int | None, decimals: int | None = 0, *,
           lang: str | None = "sv") -> str:
    """``value`` for reading: thousands separated, ``decimals`` places.

    Parameters
    ----------
    value
        The number; ``None`` and NaN give ``"–"``.
    decimals
        Places after the decimal separator (default 0: rounded to a whole number);
        ``None`` keeps as many as needed, up to six, without trailing zeros.
    lang
        ``"sv"`` (default): no-break space between thousands, decimal comma
        ("1 234,5"); ``"en"``: comma between thousands, decimal point ("1,234.5").

    Returns
    -------
    str
        The text; negative numbers start with a hyphen-minus (see :func:`signed`).
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if decimals is None:
        text = f"{value:,.6f}".rstrip("0").rstrip(".") if isinstance(value, float) \
            else f"{value:,}"
    else:
        text = f"{value:,.{decimals}f}"
    if text in ("-0", "-0." + "0" * (decimals or 0)):
        text = text[1:]
    if lang == "en":
        return text
    return text.replace(",", NBSP).replace(".", ",")


def signed(value: float | None, decimals: int = 2, *, lang: str | None = "sv") -> str:
    """``value`` with its sign always written ("+2,58", "−1,20"; U+2212 in Swedish)."""
    if value is None or not math.isfinite(value):
        return "–"
    text = number(abs(value), decimals, lang=lang)
    if text.strip("0,." + NBSP) == "":
        return text
    minus = "-" if lang == "en" else MINUS
    return ("+" if value > 0 else minus) + text


def percent(share: float | None, decimals: int = 0, *, lang: str | None = "sv") -> str:
    """A share (0–1) as a percentage: ``"5,7 %"`` (no-break space) or ``"5.7%"``."""
    if share is None or not math.isfinite(share):
        return "–"
    text = number(share * 100, decimals, lang=lang)
    return text + ("%" if lang == "en" else NBSP + "%")


def p_value(p: float | None, *, lang: str | None = "sv") -> str:
    """A p-value as statisticians write it: three decimals, ``"< 0,001"`` below that."""
    if p is None or not math.isfinite(p):
        return "–"
    if p < 0.001:
        return "< " + number(0.001, 3, lang=lang)
    return number(p, 3, lang=lang)


def count(n: int, one: str, many: str, *, lang: str | None = "sv") -> str:
    """``n`` and the noun in the right number: ``count(1, "rad", "rader")`` → ``"1 rad"``.

    The caller gives the noun in the language of the text (``one``/``many``);
    ``lang`` decides the thousands separator of ``n`` only.
    """
    return f"{number(n, lang=lang)} {one if abs(n) == 1 else many}"


def date(value: _dt.date | _dt.datetime | str | None) -> str:
    """A date as ÅÅÅÅ-MM-DD (both languages); ``None`` or NaT gives ``"–"``."""
    if value is None or (not isinstance(value, str) and value != value):
        return "–"
    if isinstance(value, str):
        return value[:10]
    return value.strftime("%Y-%m-%d")


def datetime(value: _dt.datetime | None) -> str:
    """A time as ÅÅÅÅ-MM-DD HH:MM (24-hour clock, the value's own time zone)."""
    if value is None or value != value:
        return "–"
    return value.strftime("%Y-%m-%d %H:%M")

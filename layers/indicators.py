"""Follow-up indicators the municipal plans name, computed from the reports.

:func:`closed_within` is the klotter rule ("klotter ska vara borttaget inom 48
timmar"): of the reports of a category that have a close time, the share closed
within a number of hours of being reported, overall and by year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from trygg.geo.errors import ArgumentError
from trygg.geo.text import percent, pick
from trygg.layers.labels import label
from trygg.layers.schema import CATEGORIES, TIMEZONE

__all__ = ["Indicator", "closed_within"]


@dataclass
class Indicator:
    """A share and what it rests on.

    ``share`` is ``within / n`` (NaN when ``n`` is 0); ``n`` the reports with a close
    time, ``without`` those of the category without one (not counted);
    ``by_year``: year (of the report), ``n``, ``within``, ``share``.
    """

    name: tuple[str, str]
    share: float
    n: int
    within: int
    without: int
    by_year: pd.DataFrame

    def table(self, lang: str = "sv") -> pd.DataFrame:
        """The indicator by year and in all, with readable headers (empty when no
        report has a close time)."""
        if self.n == 0:
            return pd.DataFrame()
        rows = self.by_year.copy()
        rows["year"] = rows["year"].astype(str)
        total = pd.DataFrame([{"year": pick("Alla år", "All years", lang), "n": self.n,
                               "within": self.within, "share": self.share}])
        rows = pd.concat([rows, total], ignore_index=True)
        rows["share"] = [percent(s, 0, lang=lang) for s in rows["share"]]
        name = self.name[1] if lang == "en" else self.name[0]
        return rows.rename(columns={
            "year": pick("År", "Year", lang),
            "n": pick("Rapporter med stängningstid", "Reports with a close time", lang),
            "within": pick("Inom tidsgränsen", "Within the limit", lang),
            "share": name})


def closed_within(reports: pd.DataFrame, category: str = "klotter", hours: float = 48
                  ) -> Indicator:
    """The share of ``category`` reports with a close time that were closed within
    ``hours`` of being reported.

    Parameters
    ----------
    reports
        Reports with ``category``, ``reported_at`` and ``closed_at`` (tz-aware; a
        missing ``closed_at`` means no close time).
    category
        A category code of the vocabulary (default ``klotter``).
    hours
        The limit in hours (default 48, the municipal rule for klotter).

    Returns
    -------
    Indicator
    """
    if category not in CATEGORIES:
        raise ArgumentError(f"Okänd kategori '{category}' (category).",
                            f"Unknown category '{category}' (category).")
    if not hours > 0:
        raise ArgumentError("hours måste vara större än 0.", "hours must be above 0.")
    mine = reports[reports["category"] == category]
    closed = pd.to_datetime(mine["closed_at"], utc=True)
    opened = pd.to_datetime(mine["reported_at"], utc=True)
    has = closed.notna().to_numpy() & opened.notna().to_numpy()
    took = (closed - opened).dt.total_seconds().to_numpy() / 3600.0
    ok = has & (took <= hours)
    year = opened.dt.tz_convert(TIMEZONE).dt.year
    frame = pd.DataFrame({"year": year[has].astype(int), "ok": ok[has]})
    by_year = frame.groupby("year").agg(n=("ok", "size"), within=("ok", "sum")).reset_index()
    by_year["within"] = by_year["within"].astype(int)
    by_year["share"] = by_year["within"] / by_year["n"]
    n, within = int(has.sum()), int(ok.sum())
    cat = (label("category", category), label("category", category, lang="en"))
    h = f"{hours:g}"
    return Indicator(name=(f"Andel {cat[0].lower()} stängd inom {h} h",
                           f"Share of {cat[1].lower()} closed within {h} h"),
                     share=within / n if n else np.nan, n=n, within=within,
                     without=int(len(mine) - n), by_year=by_year)

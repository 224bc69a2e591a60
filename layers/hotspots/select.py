"""Which reports an analysis uses, and how much each weighs.

``trygg hotspots --category … --source … --kind … --since … --until …
--hours 18-06 --weights`` all end here. Reports placed only to an area
(police events at the municipality centroid: precision ``kommun``; a town:
``area``) or not at all (``none``) are left out of point analyses: their
point says nothing about where it happened.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from trygg.geo.errors import ArgumentError
from trygg.layers import schema
from trygg.layers.periods import parse_since, parse_until

#: Precisions whose points are real locations (used by point analyses).
POINT_PRECISIONS = ("exact", "address", "street", "intersection", "place")


@dataclass
class Selection:
    """A filter over reports; every field ``None`` means "all".

    Attributes
    ----------
    categories, sources, kinds
        Allowed category codes, source codes, kinds.
    since, until
        Local days in ISO 8601 (see :mod:`layers.periods`): a date
        ``"2025-01-01"``, a week ``"2025-W37"``, a month ``"2025-09"`` or a
        quarter ``"2025-Q3"``. ``since`` is its first day, ``until`` its last
        day, both included.
    hours
        Time of day as ``(start, end)`` hours, wrapping midnight when start >
        end: ``(18, 6)`` is 18:00–05:59.
    precisions
        Allowed location precisions (default: real point locations only).
    """

    categories: list[str] | None = None
    sources: list[str] | None = None
    kinds: list[str] | None = None
    since: str | None = None
    until: str | None = None
    hours: tuple[int, int] | None = None
    precisions: tuple[str, ...] = field(default_factory=lambda: POINT_PRECISIONS)

    def describe(self) -> dict:
        """The filter as plain values (stored with each run)."""
        return {"categories": self.categories, "sources": self.sources, "kinds": self.kinds,
                "since": self.since, "until": self.until,
                "hours": list(self.hours) if self.hours else None,
                "precisions": list(self.precisions)}


def parse_hours(text: str | None) -> tuple[int, int] | None:
    """``"18-06"`` → ``(18, 6)``; ``None`` stays ``None``."""
    if text is None:
        return None
    try:
        start, end = (int(part) for part in text.replace("–", "-").split("-"))
    except ValueError:
        raise ArgumentError(f"--hours ska skrivas som FRÅN-TILL i hela timmar, t.ex. 18-06, "
                            f"inte '{text}'.",
                            f"--hours must be written FROM-TO in whole hours, e.g. 18-06, "
                            f"not '{text}'.") from None
    if not (0 <= start <= 24 and 0 <= end <= 24) or start == end:
        raise ArgumentError(f"--hours: timmarna ska ligga mellan 0 och 24 och skilja sig åt "
                            f"('{text}').",
                            f"--hours: the hours must lie between 0 and 24 and differ "
                            f"('{text}').")
    return start % 24, end % 24


def _check_codes(values: list[str] | None, allowed, option: str) -> None:
    bad = [v for v in values or [] if v not in allowed]
    if bad:
        raise ArgumentError(f"Okänt värde för {option}: {', '.join(bad)}. Möjliga: "
                            f"{', '.join(allowed)}.",
                            f"Unknown value for {option}: {', '.join(bad)}. Possible: "
                            f"{', '.join(allowed)}.")


def select_reports(reports: gpd.GeoDataFrame, selection: Selection | None = None
                   ) -> gpd.GeoDataFrame:
    """The reports that pass ``selection`` (default: all with a real point).

    Raises
    ------
    ArgumentError
        For unknown category, source or kind codes, or a date that is not one.
    """
    sel = _checked(selection)
    keep = reports["precision"].isin(sel.precisions).to_numpy(copy=True)
    keep &= (reports.geometry.notna() & ~reports.geometry.is_empty).to_numpy()
    if sel.categories:
        keep &= reports["category"].isin(sel.categories).to_numpy()
    if sel.sources:
        keep &= reports["source"].isin(sel.sources).to_numpy()
    if sel.kinds:
        keep &= reports["kind"].isin(sel.kinds).to_numpy()
    since, until = _period_bounds(sel)
    if since is not None:
        keep &= (reports["reported_at"] >= since).to_numpy()
    if until is not None:
        keep &= (reports["reported_at"] < until).to_numpy()
    if sel.hours:
        keep &= _in_hours(reports["reported_at"], sel.hours)
    return reports[keep]


def _checked(selection: Selection | None) -> Selection:
    """``selection`` (or the default one) after checking its category, source and kind
    codes."""
    sel = selection or Selection()
    _check_codes(sel.categories, list(schema.CATEGORIES), "--category")
    _check_codes(sel.sources, list(schema.SOURCES), "--source")
    _check_codes(sel.kinds, list(schema.KINDS), "--kind")
    return sel


def _in_hours(reported_at: pd.Series, hours: tuple[int, int]) -> np.ndarray:
    """Which times fall in the local hours ``[start, end)`` (wrapping past midnight)."""
    hour = reported_at.dt.tz_convert(schema.TIMEZONE).dt.hour.to_numpy()
    start, end = hours
    return ((hour >= start) & (hour < end)) if start < end else ((hour >= start) | (hour < end))


def selection_where(selection: Selection | None = None) -> tuple[dict, list[str]]:
    """The part of ``selection`` the store can filter in the database, and the report
    columns the rest of it needs (see :func:`select_points`).

    Returns
    -------
    (where, columns)
        ``where`` for :meth:`layers.store.GeoPackageStore.read_points` (precision,
        category, source, kind and the period as a ``reported_at`` range);
        ``columns``: ``["reported_at"]`` when ``hours`` must still be applied.

    Raises
    ------
    ArgumentError
        As :func:`select_reports`.
    """
    from trygg.layers.store import Between

    sel = _checked(selection)
    where: dict = {"precision": list(sel.precisions)}
    for column, values in (("category", sel.categories), ("source", sel.sources),
                           ("kind", sel.kinds)):
        if values:
            where[column] = list(values)
    since, until = _period_bounds(sel)
    if since is not None or until is not None:
        where["reported_at"] = Between(since, until)
    return where, (["reported_at"] if sel.hours else [])


def _period_bounds(sel: Selection) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """``since`` (first instant) and ``until`` (first instant after) of a selection."""
    since = parse_since(sel.since, "--since") if sel.since else None
    until = parse_until(sel.until, "--until") if sel.until else None
    if since and until and until < since:
        raise ArgumentError(f"--until ({sel.until}) ligger före --since ({sel.since}).",
                            f"--until ({sel.until}) lies before --since ({sel.since}).")
    lo = pd.Timestamp(since).tz_localize(schema.TIMEZONE) if since else None
    hi = (pd.Timestamp(until) + pd.Timedelta(days=1)).tz_localize(schema.TIMEZONE) \
        if until else None
    return lo, hi


def select_points(points, selection: Selection | None = None):
    """The points of :meth:`layers.store.GeoPackageStore.read_points`, read with
    :func:`selection_where`, that also pass what the database did not filter
    (``hours``)."""
    sel = selection or Selection()
    if not sel.hours:
        return points
    from trygg.layers.store import ReportPoints

    keep = _in_hours(points.attributes["reported_at"], sel.hours)
    return ReportPoints(x=points.x[keep], y=points.y[keep],
                        attributes=points.attributes[keep].reset_index(drop=True),
                        crs=points.crs)


def report_weights(reports: gpd.GeoDataFrame, *, use_weights: bool = True,
                   half_life_days: float | None = None,
                   now: pd.Timestamp | None = None) -> np.ndarray:
    """Weight of each report: its category weight (``weight`` column) times a
    recency factor ``0.5 ** (age / half_life_days)`` when a half-life is given.

    Parameters
    ----------
    use_weights
        Use the ``weight`` column; every report weighs 1 otherwise.
    half_life_days
        Days after which a report counts half (``None``: no decay).
    now
        The reference time for ages (default: the latest report).
    """
    w = (reports["weight"].fillna(1.0).to_numpy(float) if use_weights
         else np.ones(len(reports)))
    if half_life_days:
        if half_life_days <= 0:
            raise ArgumentError("Halveringstiden måste vara fler än 0 dagar.",
                                "The half-life must be more than 0 days.")
        times = reports["reported_at"]
        ref = now if now is not None else times.max()
        age = (ref - times).dt.total_seconds().to_numpy() / 86_400.0
        w = w * 0.5 ** (np.clip(age, 0, None) / half_life_days)
    return w

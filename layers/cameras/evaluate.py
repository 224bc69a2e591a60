"""Did an installed camera help? Before and after, with displacement and a control area.

For a camera's watched area (its view polygon), a displacement buffer around it
and a comparison area, the incidents in equal periods before and after the
installation date are counted by category. Two measures, both standard in the
evaluation of situational crime prevention:

- the **relative effect size** of the Campbell reviews of CCTV (Welsh &
  Farrington 2009): RES = (Tb · Ca) / (Ta · Cb) for the treated (T) and control
  (C) areas before (b) and after (a); above 1 the treated area improved relative
  to the control. Its 95 % interval from Var(log RES) = 1/Tb + 1/Ta + 1/Cb + 1/Ca;
- the **weighted displacement quotient** (Bowers & Johnson 2003):
  WDQ = (Da/Ca − Db/Cb) / (Ta/Ca − Tb/Cb) for the buffer (D); meaningful only when
  the treated area improved (the denominator is negative). Above 0: benefits
  spread to the buffer; between 0 and −1: some displacement, less than the gain;
  below −1: more displaced than gained.

Small counts give wide intervals: :attr:`Evaluation.notes` says so plainly, and
the interval is reported beside every estimate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from trygg.geo.errors import ArgumentError
from trygg.layers.schema import CATEGORIES

__all__ = ["AREAS", "Evaluation", "evaluate_camera", "relative_effect", "wdq"]

#: The areas compared: the watched area, the displacement buffer, the control.
AREAS = ("treated", "buffer", "control")
#: Below this many incidents in any of the four cells, the estimate is called weak.
FEW = 20


@dataclass
class Evaluation:
    """The before/after comparison of one camera.

    Attributes
    ----------
    counts
        Incidents per ``area`` (:data:`AREAS`), ``period`` (``before``/``after``) and
        ``category``.
    before, after
        The compared periods as (start, end) timestamps (end exclusive), equally long.
    res, res_low, res_high
        Relative effect size and its 95 % interval (NaN when a count is 0).
    wdq
        Weighted displacement quotient (NaN when the treated area did not improve).
    notes
        Codes of what limits the conclusions (``few_incidents``, ``no_improvement``,
        ``short_period``).
    """

    counts: pd.DataFrame
    before: tuple[pd.Timestamp, pd.Timestamp]
    after: tuple[pd.Timestamp, pd.Timestamp]
    res: float
    res_low: float
    res_high: float
    wdq: float
    totals: dict[str, dict[str, int]]
    notes: list[str] = field(default_factory=list)


def relative_effect(tb: float, ta: float, cb: float, ca: float) -> tuple[float, float, float]:
    """RES = (Tb·Ca)/(Ta·Cb) and its 95 % interval (log-normal); NaN with a zero count."""
    if min(tb, ta, cb, ca) <= 0:
        return math.nan, math.nan, math.nan
    res = (tb * ca) / (ta * cb)
    se = math.sqrt(1 / tb + 1 / ta + 1 / cb + 1 / ca)
    return res, res * math.exp(-1.96 * se), res * math.exp(1.96 * se)


def wdq(tb: float, ta: float, db: float, da: float, cb: float, ca: float) -> float:
    """Bowers & Johnson's weighted displacement quotient; NaN when the treated area did
    not improve relative to the control (or a control count is 0)."""
    if cb <= 0 or ca <= 0:
        return math.nan
    success = ta / ca - tb / cb
    if success >= 0:
        return math.nan
    return (da / ca - db / cb) / success


def _in_zone(value: str | pd.Timestamp, tz) -> pd.Timestamp:
    ts = pd.Timestamp(value)
    return ts.tz_localize(tz) if tz is not None and ts.tzinfo is None else ts


def evaluate_camera(incidents: gpd.GeoDataFrame, watched: shapely.Geometry,
                    installed: str | pd.Timestamp, *, buffer_m: float = 100.0,
                    control: shapely.Geometry | None = None, months: int | None = None,
                    categories: list[str] | None = None,
                    until: str | pd.Timestamp | None = None) -> Evaluation:
    """Compare equal periods before and after a camera was installed.

    Parameters
    ----------
    incidents
        Reports (points, projected CRS) with ``category`` and ``reported_at``.
    watched
        The area the camera watches (its view polygon), same CRS.
    installed
        The installation date; the day itself belongs to neither period.
    buffer_m
        Width of the displacement buffer around the watched area, metres (default 100).
    control
        The comparison area; default: everything outside the watched area and its buffer
        (the rest of the project).
    months
        Length of each period; default the longest that fits on both sides in the data
        (at most 24 months).
    categories
        Categories counted; default those a camera can affect (camera relevance other
        than ``none``).
    until
        The end of the data (default: the latest report).

    Returns
    -------
    Evaluation
    """
    if len(incidents) == 0:
        raise ArgumentError("Det finns inga rapporter att jämföra.",
                            "There are no reports to compare.")
    when = pd.to_datetime(incidents["reported_at"])
    t0 = _in_zone(installed, when.dt.tz)
    first = when.min()
    last = when.max() if until is None else _in_zone(until, when.dt.tz)
    if not first < t0 < last:
        raise ArgumentError(
            f"Installationsdagen {t0.date()} måste ligga inom rapporternas period "
            f"({first.date()} – {last.date()}).",
            f"The installation date {t0.date()} must lie within the reports' period "
            f"({first.date()} – {last.date()}).")
    day = pd.Timedelta(days=1)
    if months is None:
        span = min(t0 - first, last - (t0 + day))
        months = max(1, min(24, int(span.days // 30.44)))
    length = pd.DateOffset(months=months)
    before = (t0 - length, t0)
    after = (t0 + day, t0 + day + length)
    cats = categories or [c for c, cat in CATEGORIES.items() if cat.camera != "none"]
    unknown = sorted(set(cats) - set(CATEGORIES))
    if unknown:
        raise ArgumentError(f"Okänd kategori: {unknown[0]}.", f"Unknown category: {unknown[0]}.")
    buffer = shapely.difference(shapely.buffer(watched, buffer_m), watched)
    outside = control if control is not None else None
    geom = incidents.geometry.to_numpy()
    in_t = shapely.intersects(watched, geom)
    in_d = shapely.intersects(buffer, geom) & ~in_t
    if outside is None:
        in_c = ~(in_t | in_d) & ~shapely.is_missing(geom)
    else:
        in_c = shapely.intersects(outside, geom) & ~in_t & ~in_d
    period = np.full(len(incidents), "", dtype=object)
    period[((when >= before[0]) & (when < before[1])).to_numpy()] = "before"
    period[((when >= after[0]) & (when < after[1])).to_numpy()] = "after"
    area = np.select([in_t, in_d, in_c], list(AREAS), default="")
    keep = (area != "") & (period != "") & incidents["category"].isin(cats).to_numpy()
    frame = pd.DataFrame({"area": area[keep], "period": period[keep],
                          "category": incidents["category"].to_numpy()[keep]})
    counts = (frame.groupby(["area", "period", "category"]).size().rename("n").reset_index())
    totals = {a: {p: int(((frame["area"] == a) & (frame["period"] == p)).sum())
                  for p in ("before", "after")} for a in AREAS}
    t, d, c = totals["treated"], totals["buffer"], totals["control"]
    res, lo, hi = relative_effect(t["before"], t["after"], c["before"], c["after"])
    q = wdq(t["before"], t["after"], d["before"], d["after"], c["before"], c["after"])
    notes = []
    if min(t["before"], t["after"]) < FEW:
        notes.append("few_incidents")
    if math.isnan(q):
        notes.append("no_improvement")
    if months < 6:
        notes.append("short_period")
    return Evaluation(counts=counts, before=before, after=after, res=res, res_low=lo,
                      res_high=hi, wdq=q, totals=totals, notes=notes)


@dataclass
class CameraCase:
    """One installed camera to evaluate: its id, where it watches and since when."""

    camera_id: str
    watched: shapely.Geometry
    installed: pd.Timestamp
    place: str = ""
    source: str = ""


def registered_cases(store, site: str) -> list[CameraCase]:
    """The camera ``site`` of the register (its camera id, or the site id it was proposed
    as), watching its run's view polygon (or a ``range_m`` circle), installed when the
    register says."""
    from trygg.layers.cameras.register import read_register

    reg = read_register(store)
    hit = reg[(reg["camera_id"].astype(str) == site) | (reg["site_id"].astype(str) == site)]
    if hit.empty:
        listed = ", ".join(reg["camera_id"].astype(str)) or "inga"
        raise ArgumentError(f"Registret har ingen kamera {site} (finns: {listed}). Lägg till "
                            "den med trygg cameras-register.",
                            f"The register has no camera {site} (there are: "
                            f"{listed.replace('inga', 'none')}). Add it with trygg "
                            "cameras-register.")
    row = hit.iloc[0]
    if not isinstance(row["installed_at"], str) or not row["installed_at"]:
        raise ArgumentError(f"Kameran {row['camera_id']} är inte installerad enligt registret; "
                            "ange installationsdagen med trygg cameras-register … set "
                            f"{row['camera_id']} --status installed --date ÅÅÅÅ-MM-DD.",
                            f"The camera {row['camera_id']} is not installed according to the "
                            "register; give the installation date with trygg "
                            f"cameras-register … set {row['camera_id']} --status installed "
                            "--date YYYY-MM-DD.")
    watched = None
    run, site_id = str(row.get("run_id") or ""), str(row.get("site_id") or "")
    if run and f"camera_views_{run}" in store.layers():
        views = store.read_layer(f"camera_views_{run}")
        match = views[views["site_id"].astype(str) == site_id]
        if len(match):
            watched = match.geometry.iloc[0]
    if watched is None:
        watched = row.geometry.buffer(float(row["range_m"] or 40.0))
    return [CameraCase(str(row["camera_id"]), watched, pd.Timestamp(row["installed_at"]),
                       str(row.get("place_text") or ""), "register")]


def file_cases(spec: str, crs: str, *, range_m: float = 40.0) -> list[CameraCase]:
    """Installed cameras from a point file with an id and an installation date
    (columns ``id``/``kamera_id``/``camera_id`` and ``installed``/``installerad``/
    ``datum``), watching a ``range_m`` circle (or the file's ``range``/``räckvidd``)."""
    from trygg.layers.areas import read_layer

    gdf = read_layer(spec, option="--installed",
                     what=("Filen med installerade kameror", "The installed camera file"))
    if set(gdf.geometry.dropna().geom_type) - {"Point"}:
        raise ArgumentError("--installed ska vara en fil med punkter.",
                            "--installed must be a file of points.")
    gdf = gdf.to_crs(crs)
    lower = {str(c).lower(): c for c in gdf.columns}
    id_col = next((lower[c] for c in ("id", "kamera_id", "camera_id", "namn", "name")
                   if c in lower), None)
    date_col = next((lower[c] for c in ("installed", "installerad", "installed_at", "datum",
                                        "date") if c in lower), None)
    range_col = next((lower[c] for c in ("range", "range_m", "räckvidd", "rackvidd")
                      if c in lower), None)
    if date_col is None:
        raise ArgumentError("Filen med installerade kameror behöver en kolumn med "
                            "installationsdag (installerad eller installed).",
                            "The installed camera file needs a column with the installation "
                            "day (installed or installerad).")
    cases = []
    for i, row in enumerate(gdf.itertuples(index=False)):
        when = pd.to_datetime(getattr(row, date_col), errors="coerce")
        name = str(getattr(row, id_col)) if id_col else f"{i + 1}"
        if pd.isna(when):
            raise ArgumentError(f"Kamera {name}: installationsdagen '{getattr(row, date_col)}' "
                                "är inget datum (skriv ÅÅÅÅ-MM-DD).",
                                f"Camera {name}: the installation day "
                                f"'{getattr(row, date_col)}' is not a date (write YYYY-MM-DD).")
        r = float(getattr(row, range_col)) if range_col else range_m
        cases.append(CameraCase(name, row.geometry.buffer(r), pd.Timestamp(when), "", "file"))
    return cases

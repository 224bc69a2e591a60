"""Safety input for a detaljplan or program area (SKA-verktyget, BoTryggt2030).

:func:`plan_input` gathers what the project knows about one area and its surroundings
(``buffer`` metres around it) over the last ``years`` years: reports by category, kind,
year and time of day, the trend, the comparison with the municipality as a whole (per
km², and per 1,000 inhabitants with a population layer), the same reports grouped by the
nine BoTryggt2030 aspects (a category counts for each aspect it concerns, see
:data:`CATEGORY_ASPECTS`), hot spot areas and emerging-trend cells that touch the area,
walk findings and open actions, and camera coverage. :mod:`maps.plan` writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from trygg.geo.errors import ArgumentError
from trygg.layers.lagesbild import change_test
from trygg.layers.schema import CATEGORIES, TIMEZONE

__all__ = ["ASPECTS", "CATEGORY_ASPECTS", "TIMES_OF_DAY", "PlanInput", "plan_input"]

#: The BoTryggt2030 aspects, in the order the handbook gives them.
ASPECTS = ("gestaltning", "mix_funktioner", "mix_manniskor", "tydlighet", "social_kontroll",
           "belysning", "skalskydd", "forvaltning", "information")
#: Which aspects a category of report concerns (a report counts for each).
CATEGORY_ASPECTS: dict[str, tuple[str, ...]] = {
    "belysning": ("belysning",),
    "sikt_vegetation": ("gestaltning", "social_kontroll", "forvaltning"),
    "klotter": ("forvaltning", "social_kontroll"),
    "skadegorelse": ("forvaltning", "skalskydd", "social_kontroll"),
    "nedskrapning": ("forvaltning",),
    "samlingsplats": ("mix_funktioner", "mix_manniskor", "social_kontroll"),
    "narkotika": ("social_kontroll", "mix_funktioner"),
    "vald_hot": ("social_kontroll", "belysning", "mix_funktioner"),
    "ran": ("social_kontroll", "belysning", "tydlighet"),
    "stold_inbrott": ("skalskydd", "social_kontroll"),
    "fordon": ("skalskydd", "social_kontroll", "belysning"),
    "brand": ("skalskydd", "forvaltning"),
    "trafik": ("gestaltning", "tydlighet"),
    "ordningsstorning": ("mix_funktioner", "social_kontroll"),
    "otrygg_plats": ("tydlighet", "belysning", "gestaltning", "information"),
    "ovrigt": (),
}
#: Times of day (local hours, start inclusive): night, morning, day, evening.
TIMES_OF_DAY = (("natt", 0, 6), ("morgon", 6, 10), ("dag", 10, 18), ("kvall", 18, 22),
                ("natt", 22, 24))
_COLUMNS = ["report_id", "source", "category", "kind", "reported_at", "closed_at"]


@dataclass
class PlanInput:
    """What :func:`plan_input` found for one area (see the module text).

    ``zone`` of a report is ``inside`` or ``buffer``. Tables: ``by_category``
    (category, inside, buffer), ``by_kind``, ``by_year`` (year, inside, buffer),
    ``by_time`` (time of day, inside, buffer), ``aspects`` (aspect, n, top categories),
    ``hotspots`` (hot spot areas touching), ``emerging`` (pattern, cells),
    ``findings`` (walk findings inside or in the buffer), ``actions`` (open ones),
    ``cameras`` (proposed and registered sites with ``kind``); ``comparison`` the
    numbers set against the municipality's.
    """

    name: str
    area: object
    zone: object
    buffer_m: float
    first: pd.Timestamp
    last: pd.Timestamp
    reports: gpd.GeoDataFrame
    by_category: pd.DataFrame
    by_kind: pd.DataFrame
    by_year: pd.DataFrame
    by_time: pd.DataFrame
    trend: dict
    comparison: dict
    aspects: pd.DataFrame
    hotspots: gpd.GeoDataFrame
    emerging: pd.DataFrame
    findings: gpd.GeoDataFrame
    actions: gpd.GeoDataFrame
    cameras: gpd.GeoDataFrame
    camera_cover: float | None
    klotter: object = None
    dark: pd.DataFrame | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)


def _time_of_day(hours: np.ndarray) -> np.ndarray:
    out = np.empty(len(hours), dtype=object)
    for name, lo, hi in TIMES_OF_DAY:
        out[(hours >= lo) & (hours < hi)] = name
    return out


def _zone_table(frame: pd.DataFrame, key: str, order: list | None = None) -> pd.DataFrame:
    table = pd.crosstab(frame[key], frame["zone"]).reindex(columns=["inside", "buffer"],
                                                            fill_value=0)
    if order is not None:
        table = table.reindex([k for k in order if k in table.index])
    return table.rename_axis(key).reset_index()


def _population_in(population: gpd.GeoDataFrame, polygon, column: str) -> float:
    """Inhabitants of ``polygon``: each population polygon's by the share of its area
    inside."""
    inter = population.geometry.intersection(polygon).area
    share = np.where(population.geometry.area > 0, inter / population.geometry.area, 0.0)
    return float((pd.to_numeric(population[column], errors="coerce").fillna(0) * share).sum())


def plan_input(store, area, name: str, *, buffer: float = 250.0, years: int = 3,
               population: gpd.GeoDataFrame | None = None,
               population_column: str = "invanare", municipality=None) -> PlanInput:
    """The safety input for one plan area.

    Parameters
    ----------
    store
        The open project.
    area
        The plan area: a (Multi)Polygon in the project CRS.
    name
        What the area is called (the plan's name).
    buffer
        Metres around the area that count too (default 250).
    years
        How many years back from the latest report (default 3).
    population
        Polygons with inhabitants in ``population_column`` (project CRS).
    municipality
        The municipality's polygon, for the comparison; default the project's
        ``kommun`` area, else its bounds.

    Returns
    -------
    PlanInput
    """
    if buffer < 0:
        raise ArgumentError(f"--buffer ska vara 0 eller mer, inte {buffer}.",
                            f"--buffer must be 0 or more, not {buffer}.")
    if years < 1:
        raise ArgumentError(f"--years ska vara minst 1, inte {years}.",
                            f"--years must be at least 1, not {years}.")
    area = shapely.make_valid(area)
    zone = area.buffer(buffer) if buffer else area
    reports = store.read_reports(_COLUMNS)
    times = pd.to_datetime(reports["reported_at"], utc=True).dt.tz_convert(TIMEZONE)
    if times.notna().sum() == 0:
        raise ArgumentError("Projektet har inga rapporter.", "The project has no reports.")
    last = times.max()
    first = max(last - pd.DateOffset(years=years), times.min())
    recent = (times >= first).to_numpy(bool)
    located = reports.geometry.notna().to_numpy(bool) & ~reports.geometry.is_empty.to_numpy(bool)
    all_recent = reports[recent & located]
    in_zone = all_recent.geometry.within(zone).to_numpy(bool)
    mine = all_recent[in_zone].copy()
    mine["zone"] = np.where(mine.geometry.within(area).to_numpy(bool), "inside", "buffer")
    t = pd.to_datetime(mine["reported_at"], utc=True).dt.tz_convert(TIMEZONE)
    mine["year"] = t.dt.year.to_numpy()
    mine["time_of_day"] = _time_of_day(t.dt.hour.to_numpy())
    notes: list[tuple[str, str]] = []
    if mine.empty:
        notes.append((f"Inga rapporter i området eller inom {buffer:g} m de senaste {years} "
                      "åren.",
                      f"No reports in the area or within {buffer:g} m in the last {years} "
                      "years."))
    by_category = _zone_table(mine, "category", list(CATEGORIES))
    by_kind = _zone_table(mine, "kind", ["brott", "otrygghet", "brist"])
    by_year = _zone_table(mine, "year")
    by_time = _zone_table(mine, "time_of_day", ["natt", "morgon", "dag", "kvall"])
    # trend: the last twelve months against the twelve before, in the zone
    year_ago, two_ago = last - pd.DateOffset(years=1), last - pd.DateOffset(years=2)
    tz = pd.to_datetime(mine["reported_at"], utc=True).dt.tz_convert(TIMEZONE)
    n_last = int((tz > year_ago).sum())
    n_before = int(((tz > two_ago) & (tz <= year_ago)).sum())
    trend = {"last_12": n_last, "before_12": n_before,
             "p": change_test(n_last, n_before) if years >= 2 else float("nan")}
    # the municipality as a whole
    if municipality is None:
        from trygg.layers.geocoding import AREAS

        municipality = shapely.box(*store.area())
        if AREAS in store.layers():
            areas = store.read_layer(AREAS)
            kommun = areas[areas["layer"].astype(str).str.lower() == "kommun"]
            if len(kommun):
                municipality = shapely.union_all(kommun.geometry.to_numpy())
    n_kommun = int(all_recent.geometry.within(municipality).sum())
    km2_area, km2_kommun = area.area / 1e6, municipality.area / 1e6
    comparison = {"n_inside": int((mine["zone"] == "inside").sum()), "n_zone": len(mine),
                  "km2": km2_area, "n_kommun": n_kommun, "km2_kommun": km2_kommun,
                  "per_km2": (mine["zone"] == "inside").sum() / km2_area if km2_area else np.nan,
                  "per_km2_kommun": n_kommun / km2_kommun if km2_kommun else np.nan,
                  "inhabitants": None, "inhabitants_kommun": None}
    if population is not None:
        comparison["inhabitants"] = _population_in(population, area, population_column)
        comparison["inhabitants_kommun"] = _population_in(population, municipality,
                                                          population_column)
    # BoTryggt2030 aspects
    rows = []
    for aspect in ASPECTS:
        cats = [c for c, a in CATEGORY_ASPECTS.items() if aspect in a]
        hit = mine[mine["category"].isin(cats)]
        top = hit["category"].value_counts().head(3)
        rows.append({"aspect": aspect, "n": len(hit),
                     "inside": int((hit["zone"] == "inside").sum()),
                     "top": [str(c) for c in top.index]})
    aspects = pd.DataFrame(rows)
    # hot spots and trends touching the area
    from trygg.layers.hotspots.catalog import latest_layer

    hotspots = latest_layer(store, "hotspots_", "clusters")
    hotspots = (hotspots[hotspots.geometry.intersects(zone)].reset_index(drop=True)
                if hotspots is not None else gpd.GeoDataFrame(geometry=[], crs=store.crs))
    grid = latest_layer(store, "grid_", "emerging")
    emerging = pd.DataFrame(columns=["pattern", "cells"])
    if grid is not None:
        touching = grid[grid.geometry.intersects(zone)]
        counts = touching["pattern"].astype(str).value_counts()
        emerging = counts.rename_axis("pattern").reset_index(name="cells")
    # walks and actions
    findings = mine[mine["source"] == "walk"]
    from trygg.layers.walks.actions import open_actions, read_actions

    acts = read_actions(store)
    acts = acts[acts.geometry.notna()]
    acts = open_actions(acts[acts.geometry.within(zone)]) if len(acts) else acts
    # cameras: registered and proposed, and the share of the area a proposed view covers
    from trygg.layers.cameras.register import read_register

    register = read_register(store)
    register = register[register.geometry.notna()]
    register = register[register.geometry.within(zone)].assign(kind="register")
    sites = latest_layer(store, "camera_sites_", "cameras")
    views = latest_layer(store, "camera_views_", "cameras")
    proposed = (sites[sites.geometry.within(zone)].assign(kind="proposed")
                if sites is not None else gpd.GeoDataFrame(geometry=[], crs=store.crs))
    cover = None
    if views is not None and len(views):
        seen = shapely.union_all(views.geometry.to_numpy()).intersection(area)
        cover = float(seen.area / area.area) if area.area else None
    cameras = pd.concat([register, proposed], ignore_index=True)
    cameras = gpd.GeoDataFrame(cameras, geometry="geometry", crs=store.crs) \
        if len(cameras) else gpd.GeoDataFrame({"kind": []}, geometry=[], crs=store.crs)
    from trygg.layers.indicators import closed_within, dark_share

    return PlanInput(klotter=closed_within(mine), dark=dark_share(mine), name=name,
                     area=area, zone=zone, buffer_m=float(buffer), first=first,
                     last=last, reports=mine, by_category=by_category, by_kind=by_kind,
                     by_year=by_year, by_time=by_time, trend=trend, comparison=comparison,
                     aspects=aspects, hotspots=hotspots, emerging=emerging,
                     findings=findings, actions=acts, cameras=cameras, camera_cover=cover,
                     notes=notes)

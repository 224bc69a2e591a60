"""Follow-up indicators the municipal plans name, computed from the reports.

:func:`closed_within` is the klotter rule ("klotter ska vara borttaget inom 48
timmar"): of the reports of a category that have a close time, the share closed
within a number of hours of being reported, overall and by year.

:func:`near_meeting_places` counts reports within a radius of public meeting places
(bus stations, libraries, public toilets, schools); :func:`per_inhabitants` gives
reports per 1,000 inhabitants by area; :func:`dark_share` the share of reports of
perceived unsafety made after dark against those in daylight. Each by year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from trygg.geo.errors import ArgumentError
from trygg.geo.text import percent, pick
from trygg.layers.labels import label
from trygg.layers.schema import CATEGORIES, TIMEZONE

__all__ = ["MEETING_PLACES", "Indicator", "Indicators", "closed_within", "dark_share",
           "follow_up", "meeting_places",
           "near_meeting_places", "per_inhabitants"]

#: Meeting-place types and the words that name them (in a place's name or type).
MEETING_PLACES: dict[str, tuple[str, ...]] = {
    "busstation": ("busstation", "bussterminal", "resecentrum", "busshållplats", "station"),
    "bibliotek": ("bibliotek",),
    "toalett": ("toalett", "offentlig toalett", "wc"),
    "skola": ("skola", "skolan", "gymnasium", "förskola"),
}


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


def _year(times: pd.Series) -> pd.Series:
    return pd.to_datetime(times, utc=True).dt.tz_convert(TIMEZONE).dt.year


def meeting_places(gazetteer: pd.DataFrame | None = None, layer: pd.DataFrame | None = None,
                   types: dict[str, tuple[str, ...]] = MEETING_PLACES) -> pd.DataFrame:
    """Public meeting places: ``name``, ``type`` (a key of ``types``) and a point.

    From ``layer`` (points with a ``name``/``namn`` and a ``typ``/``type`` column; the
    type is matched to ``types`` by its words) when given, else from the gazetteer's
    named places whose name holds one of the words (``Björkåsskolan`` is a school).
    """
    import re

    import geopandas as gpd

    # a word ending in the type's word, with or without the definite ending
    # ("Björkåsskolan", "Busstationen", "Biblioteket"; not "Stationsgatan")
    patterns = {k: re.compile(r"(" + "|".join(map(re.escape, words)) + r")(en|et|n)?\b",
                              re.IGNORECASE) for k, words in types.items()}

    def type_of(text: str) -> str | None:
        return next((k for k, rx in patterns.items() if rx.search(str(text))), None)

    if layer is not None:
        cols = {c.lower(): c for c in layer.columns}
        name = cols.get("name") or cols.get("namn")
        kind = cols.get("typ") or cols.get("type")
        if name is None or kind is None:
            raise ArgumentError("Lagret med mötesplatser behöver kolumnerna namn och typ.",
                                "The meeting-place layer needs the columns name and type.")
        found = [type_of(t) for t in layer[kind]]
        frame = gpd.GeoDataFrame({"name": layer[name].astype(str), "type": found},
                                 geometry=layer.geometry.to_numpy(), crs=layer.crs)
    elif gazetteer is not None and len(gazetteer):
        places = gazetteer[gazetteer["kind"] == "place"]
        names = places["name"].astype(str).str.split(",").str[0].str.strip()
        frame = gpd.GeoDataFrame({"name": names.to_numpy(),
                                  "type": [type_of(n) for n in names]},
                                 geometry=places.geometry.to_numpy(), crs=places.crs)
    else:
        return gpd.GeoDataFrame({"name": [], "type": []}, geometry=[])
    return frame[frame["type"].notna()].reset_index(drop=True)


def _by_place(places: pd.DataFrame) -> list[tuple[str, str, np.ndarray]]:
    """(name, type, points) per named place: a place's entrances and aliases are one."""
    out = []
    for (name, kind), group in places.groupby(["name", "type"], sort=False):
        out.append((str(name), str(kind),
                    np.column_stack([group.geometry.x, group.geometry.y])))
    return out


def near_meeting_places(reports: pd.DataFrame, places: pd.DataFrame, *,
                        radius: float = 200.0) -> pd.DataFrame:
    """Reports within ``radius`` metres of each meeting place, by year.

    Parameters
    ----------
    reports
        Points (projected CRS, metres) with ``reported_at``.
    places
        :func:`meeting_places`.
    radius
        Metres (default 200).

    Returns
    -------
    DataFrame
        ``name``, ``type``, one column per year (reports within the radius of any of
        the place's points; a report near two places counts at both) and ``total``,
        most reports first.
    """
    from scipy.spatial import cKDTree

    if not radius > 0:
        raise ArgumentError("--radius ska vara större än 0 meter.",
                            "--radius must be more than 0 metres.")
    located = reports[reports.geometry.notna() & ~reports.geometry.is_empty]
    years = _year(located["reported_at"]).to_numpy()
    all_years = sorted({int(y) for y in years if y == y})
    rows = []
    if len(located) and len(places):
        tree = cKDTree(np.column_stack([located.geometry.x, located.geometry.y]))
        for name, kind, points in _by_place(places):
            hit = sorted(set().union(*tree.query_ball_point(points, radius)))
            ys = pd.Series(years[hit]).value_counts()
            rows.append({"name": name, "type": kind,
                         **{str(y): int(ys.get(y, 0)) for y in all_years},
                         "total": len(hit)})
    out = pd.DataFrame(rows, columns=["name", "type", *map(str, all_years), "total"])
    return out.sort_values(["total", "name"], ascending=[False, True],
                           kind="stable").reset_index(drop=True)


def per_inhabitants(reports: pd.DataFrame, areas: pd.DataFrame, *,
                    population: str = "invanare") -> pd.DataFrame:
    """Reports per 1,000 inhabitants by area and year.

    Parameters
    ----------
    reports
        Points with ``reported_at`` (the areas' CRS).
    areas
        Polygons with ``name`` and the inhabitants in ``population``.
    population
        The column with the number of inhabitants.

    Returns
    -------
    DataFrame
        ``name``, ``inhabitants``, per year the reports and the reports per 1,000
        inhabitants (``<year>`` and ``<year>_per_1000``).
    """
    import geopandas as gpd

    if population not in areas.columns:
        raise ArgumentError(f"Områdena har ingen kolumn {population} med antal invånare.",
                            f"The areas have no column {population} with inhabitants.")
    located = reports[reports.geometry.notna() & ~reports.geometry.is_empty]
    hit = gpd.sjoin(located[["reported_at", "geometry"]], areas[["name", "geometry"]],
                    predicate="within")
    hit["year"] = _year(hit["reported_at"])
    counts = hit.groupby(["name", "year"]).size().unstack(fill_value=0)
    years = sorted(int(y) for y in _year(located["reported_at"]).dropna().unique())
    out = pd.DataFrame({"name": areas["name"].astype(str),
                        "inhabitants": pd.to_numeric(areas[population], errors="coerce")})
    for y in years:
        n = counts[y].reindex(out["name"]).fillna(0).astype(int).to_numpy() \
            if y in counts.columns else np.zeros(len(out), int)
        out[str(y)] = n
        with np.errstate(divide="ignore", invalid="ignore"):
            out[f"{y}_per_1000"] = np.where(out["inhabitants"] > 0,
                                            1000.0 * n / out["inhabitants"], np.nan)
    return out.reset_index(drop=True)


def dark_share(reports: pd.DataFrame, *, kind: str = "otrygghet") -> pd.DataFrame:
    """Reports of ``kind`` (default perceived unsafety) made after dark (the sun more
    than 6° below the horizon where the report was made) against in daylight, by year.

    Returns
    -------
    DataFrame
        ``year``, ``dark``, ``daylight``, ``share_dark`` (0–1); a last row ``all``.
    """
    from trygg.geo.sun import is_dark

    mine = reports[(reports["kind"] == kind) & reports.geometry.notna()
                   & ~reports.geometry.is_empty]
    times = pd.to_datetime(mine["reported_at"], utc=True)
    timed = times.notna().to_numpy()
    mine, times = mine[timed], times[timed]
    if mine.empty:
        return pd.DataFrame(columns=["year", "dark", "daylight", "share_dark"])
    wgs = mine.geometry.to_crs("EPSG:4326")
    dark = is_dark(times, wgs.x.to_numpy(), wgs.y.to_numpy())
    frame = pd.DataFrame({"year": times.dt.tz_convert(TIMEZONE).dt.year.astype(str).to_numpy(),
                          "dark": dark})
    rows = [{"year": y, "dark": int(g["dark"].sum()), "daylight": int((~g["dark"]).sum())}
            for y, g in frame.groupby("year", sort=True)]
    rows.append({"year": "all", "dark": int(dark.sum()), "daylight": int((~dark).sum())})
    out = pd.DataFrame(rows)
    out["share_dark"] = out["dark"] / (out["dark"] + out["daylight"])
    return out


@dataclass
class Indicators:
    """What :func:`write_indicators` shows: the klotter rule, reports near meeting places
    (``radius`` metres; ``places_from`` the layer's name, or ``None`` for the
    gazetteer), reports per 1,000 inhabitants (``None`` without a population layer)
    and perceived unsafety after dark; ``period`` the first and last report's time."""

    klotter: Indicator
    places: pd.DataFrame
    radius: float
    places_from: str | None
    population: pd.DataFrame | None
    dark: pd.DataFrame
    period: tuple[pd.Timestamp, pd.Timestamp] | None = None


def follow_up(store, *, radius: float = 200.0, places: pd.DataFrame | None = None,
              places_from: str | None = None, population: pd.DataFrame | None = None,
              population_column: str = "invanare") -> Indicators:
    """Every indicator of the project.

    Parameters
    ----------
    store
        The open project.
    radius
        Metres around a meeting place (default 200).
    places
        A point layer of meeting places (:func:`meeting_places`); default the
        gazetteer's places by name. ``places_from`` names it in the report.
    population
        Polygons with ``name`` and inhabitants in ``population_column`` (project CRS).

    Returns
    -------
    Indicators
    """
    from trygg.layers.geocoding import read_gazetteer

    reports = store.read_reports(["category", "kind", "reported_at", "closed_at"])
    found = meeting_places(read_gazetteer(store), layer=places)
    if found.crs is not None and str(found.crs) != str(store.crs):
        found = found.to_crs(store.crs)
    per = None
    if population is not None:
        per = per_inhabitants(reports, population.to_crs(store.crs),
                              population=population_column)
    times = pd.to_datetime(reports["reported_at"], utc=True).dt.tz_convert(TIMEZONE)
    period = (times.min(), times.max()) if times.notna().any() else None
    return Indicators(klotter=closed_within(reports), radius=radius, period=period,
                      places=near_meeting_places(reports, found, radius=radius),
                      places_from=places_from, population=per, dark=dark_share(reports))

"""The region view: reports per municipality of a county (or any group of
municipalities), by category and year, per 1,000 inhabitants when a population table
is given.

The municipal boundaries ship with the package (``layers/data/``, simplified from
Valmyndigheten's, free to reuse; see the README there). A report belongs to a
municipality by its place name first — police events name the municipality they
concern (``location.name``) and carry only its centroid — and otherwise by its point;
events that name a county (``Stockholms län``) belong to none and are counted apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from trygg.geo.errors import ArgumentError, InputFileError
from trygg.layers.schema import CATEGORIES, TIMEZONE

__all__ = ["MUNICIPALITIES", "REGIONS", "Region", "municipalities", "read_population",
           "region_view"]

DATA = Path(__file__).parent / "data"
MUNICIPALITIES = DATA / "sweden_municipalities.geojson"
REGIONS = DATA / "sweden_regions.geojson"


def _key(name: object) -> str:
    """A place name compared loosely: lower case, without ``kommun``/``stad``."""
    text = re.sub(r"\s+(kommun|stad)$", "", str(name).strip().lower())
    return re.sub(r"\s+", " ", text)


@lru_cache(maxsize=1)
def _shipped() -> gpd.GeoDataFrame:
    """The shipped boundaries as read (once per process)."""
    munis = gpd.read_file(MUNICIPALITIES, engine="pyogrio")
    return gpd.GeoDataFrame({"kommunkod": munis["id"].astype(str),
                             "name": munis["kom_namn"].astype(str),
                             "lan_code": munis["lan_code"].astype(str)},
                            geometry=munis.geometry.to_numpy(), crs=munis.crs)


def municipalities(*, lan: str | None = None, codes: list[str] | None = None,
                   crs: str = "EPSG:3006") -> gpd.GeoDataFrame:
    """The shipped municipal boundaries: ``kommunkod``, ``name``, ``lan_code`` and the
    polygon in ``crs``, for one county (``lan="01"``), some municipalities
    (``codes``) or all 290."""
    munis = _shipped().copy()
    if lan is not None:
        code = str(lan).zfill(2)
        munis = munis[munis["lan_code"] == code]
        if munis.empty:
            raise ArgumentError(f"--lan '{lan}' är ingen länskod (01 Stockholm … 25 "
                                "Norrbotten).",
                                f"--lan '{lan}' is no county code (01 Stockholm … 25 "
                                "Norrbotten).")
    if codes is not None:
        wanted = [str(c).zfill(4) for c in codes]
        unknown = sorted(set(wanted) - set(munis["kommunkod"]))
        if unknown:
            raise ArgumentError(f"Okända kommunkoder: {', '.join(unknown)}.",
                                f"Unknown municipality codes: {', '.join(unknown)}.")
        munis = munis[munis["kommunkod"].isin(wanted)]
    return munis.to_crs(crs).sort_values("name", kind="stable").reset_index(drop=True)


def county_name(code: str) -> str:
    """The county's name (``01`` → ``Stockholm``), from the shipped regions."""
    regions = gpd.read_file(REGIONS, engine="pyogrio", columns=["name", "l_id"])
    hit = regions[regions["l_id"].astype(int) == int(code)]
    return str(hit["name"].iloc[0]) if len(hit) else str(code)


def read_population(path: str | Path) -> pd.DataFrame:
    """A population table (CSV or XLSX as SCB gives it): a column with the municipality
    (code or name) and one with the inhabitants. Columns are found by name
    (``kommun``/``kommunkod``/``kod``/``namn`` and ``invanare``/``invånare``/
    ``folkmängd``/``befolkning``/``population``), else the first text and the first
    number column. Returns ``kommun`` (as written) and ``inhabitants``."""
    from trygg.layers.sources.readers import read_raw

    path = Path(path)
    raw = read_raw(path).rows  # CSV as Swedish offices write it, or XLSX: all text
    cols = {c.strip().lower(): c for c in raw.columns}
    place = next((cols[c] for c in ("kommunkod", "kommun", "kod", "namn", "name", "region")
                  if c in cols), None)
    number = next((cols[c] for c in ("invanare", "invånare", "folkmängd", "folkmangd",
                                     "befolkning", "population") if c in cols), None)
    values = raw.apply(lambda s: pd.to_numeric(
        s.astype(str).str.replace(r"[\s\u00a0]", "", regex=True), errors="coerce"))
    if number is None:
        numeric = [c for c in raw.columns if values[c].notna().mean() > 0.9 and c != place]
        number = numeric[-1] if numeric else None
    if place is None:
        texts = [c for c in raw.columns if c != number]
        place = texts[0] if texts else None
    if place is None or number is None:
        raise InputFileError(
            f"'{path.name}' behöver en kolumn med kommunen (kod eller namn) och en med "
            "antal invånare (t.ex. kommun;invanare).",
            f"'{path.name}' needs a column with the municipality (code or name) and one "
            "with the number of inhabitants (e.g. kommun;invanare).")
    return pd.DataFrame({"kommun": raw[place].astype(str).str.strip(),
                         "inhabitants": values[number]}).dropna()


@dataclass
class Region:
    """Reports per municipality. ``by_municipality``: ``kommunkod``, ``name``, ``n``,
    ``inhabitants`` and ``per_1000`` (NaN without a population table);
    ``by_category`` and ``by_year``: municipalities × categories (years) counts;
    ``unassigned``: reports naming no municipality of the region (place → count)."""

    name: str
    municipalities: gpd.GeoDataFrame
    by_municipality: pd.DataFrame
    by_category: pd.DataFrame
    by_year: pd.DataFrame
    unassigned: pd.Series
    n: int
    notes: list[tuple[str, str]] = field(default_factory=list)


def _assign(reports: gpd.GeoDataFrame, munis: gpd.GeoDataFrame) -> np.ndarray:
    """The ``kommunkod`` of each report, or ``None``: by place name, else by point
    (reports located better than the municipality)."""
    by_name = {_key(n): c for n, c in zip(munis["name"], munis["kommunkod"], strict=True)}
    out = np.array([by_name.get(_key(t)) if isinstance(t, str) else None
                    for t in reports["place_text"]], dtype=object)
    todo = pd.isna(out) & (reports["precision"].astype(str) != "kommun").to_numpy() \
        & reports.geometry.notna().to_numpy() & ~reports.geometry.is_empty.to_numpy()
    if todo.any():
        pts = reports[todo]
        hit = gpd.sjoin(pts[["geometry"]], munis[["kommunkod", "geometry"]], how="left",
                        predicate="within")
        hit = hit[~hit.index.duplicated(keep="first")]["kommunkod"].reindex(pts.index)
        out[np.flatnonzero(todo)] = hit.where(hit.notna(), None).to_numpy(object)
    return out


def region_view(store, *, lan: str | None = None, codes: list[str] | None = None,
                population: pd.DataFrame | None = None) -> Region:
    """Reports per municipality of a county.

    Parameters
    ----------
    store
        The open project.
    lan
        The county code (``01`` Stockholm … ``25`` Norrbotten); default the county
        with most reports.
    codes
        Instead of a county: these municipality codes (``0188``, ``0180`` …).
    population
        :func:`read_population`; municipalities are matched by code or name.

    Returns
    -------
    Region
    """
    reports = store.read_reports(["category", "reported_at", "place_text", "precision"])
    everyone = municipalities(crs=store.crs)
    if lan is None and codes is None:
        kom = pd.Series(_assign(reports, everyone)).dropna()
        if kom.empty:
            raise ArgumentError(
                "Inga rapporter kan knytas till en kommun. Ange --lan eller --kommuner.",
                "No report can be tied to a municipality. Give --lan or --kommuner.")
        lan = everyone.set_index("kommunkod").loc[kom, "lan_code"].value_counts().index[0]
    munis = municipalities(lan=lan, codes=codes, crs=store.crs)
    code = _assign(reports, munis)
    mine = reports[pd.notna(code)].assign(kommunkod=code[pd.notna(code)])
    rest = reports[pd.isna(code)]
    unassigned = rest["place_text"].fillna("").astype(str).value_counts()
    n = mine.groupby("kommunkod").size()
    by = munis[["kommunkod", "name"]].copy()
    by["n"] = n.reindex(by["kommunkod"]).fillna(0).astype("int64").to_numpy()
    by["inhabitants"] = np.nan
    notes: list[tuple[str, str]] = []
    if population is not None:
        key = {**{c: c for c in munis["kommunkod"]},
               **{_key(nm): c for nm, c in zip(munis["name"], munis["kommunkod"],
                                               strict=True)}}
        pop = {}
        for kommun, inhabitants in zip(population["kommun"], population["inhabitants"],
                                       strict=True):
            text = str(kommun)
            hit = key.get(text.zfill(4) if text.isdigit() else _key(text))
            if hit is None and re.match(r"^\d{4}\s", text):  # "0188 Norrtälje"
                hit = key.get(text[:4])
            if hit is not None:
                pop[hit] = float(inhabitants)
        by["inhabitants"] = by["kommunkod"].map(pop)
        missing = by.loc[by["inhabitants"].isna(), "name"].tolist()
        if missing:
            notes.append((f"Befolkning saknas för: {', '.join(missing)}.",
                          f"No population for: {', '.join(missing)}."))
    with np.errstate(divide="ignore", invalid="ignore"):
        by["per_1000"] = np.where(by["inhabitants"] > 0, 1000.0 * by["n"] / by["inhabitants"],
                                  np.nan)
    cats = pd.crosstab(mine["kommunkod"], mine["category"])
    cats = cats.reindex(index=munis["kommunkod"], columns=[c for c in CATEGORIES
                                                           if c in cats.columns]).fillna(0)
    years = pd.to_datetime(mine["reported_at"], utc=True).dt.tz_convert(TIMEZONE).dt.year
    per_year = pd.crosstab(mine["kommunkod"], years).reindex(index=munis["kommunkod"]).fillna(0)
    if len(unassigned):
        notes.append((f"{int(unassigned.sum())} rapporter anger ingen av regionens kommuner "
                      "(t.ex. hela länet) och räknas för sig.",
                      f"{int(unassigned.sum())} reports name none of the region's "
                      "municipalities (e.g. the whole county) and are counted apart."))
    name = county_name(lan) if codes is None else ", ".join(munis["name"])
    return Region(name=name, municipalities=munis, by_municipality=by,
                  by_category=cats.astype("int64"), by_year=per_year.astype("int64"),
                  unassigned=unassigned, n=int(by["n"].sum()), notes=notes)

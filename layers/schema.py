"""The report model: columns, category vocabulary and validation.

One row per report, whatever the source. The vocabulary follows DESIGN.md §4:
codes are stable; labels are Swedish first. Camera relevance follows BRÅ's
review of camera surveillance (2018): cameras reduce vehicle, property and drug
crime, not violence or disorder.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from trygg.geo.errors import UserError
from trygg.geo.text import count

TIMEZONE = "Europe/Stockholm"
SOURCES = ("est", "tycktill", "walk", "open311", "polisen", "table")
KINDS = ("brott", "otrygghet", "brist")
PRECISIONS = ("exact", "address", "street", "intersection", "place", "area", "kommun", "none")
VISIBILITIES = ("intern", "publik")
STATUSES = ("open", "closed")
CAMERA_RELEVANCE = ("none", "low", "medium", "high")

SOURCE_LABELS = {
    "est": ("EST", "EST"),
    "tycktill": ("Tyck till", "Tyck till"),
    "walk": ("Trygghetsvandring", "Safety walk"),
    "open311": ("Open311", "Open311"),
    "polisen": ("Polisens händelser", "Police events"),
    "table": ("Tabell", "Table"),
}
KIND_LABELS = {
    "brott": ("Brott och händelser", "Crime and incidents"),
    "otrygghet": ("Upplevd otrygghet", "Perceived unsafety"),
    "brist": ("Fysiska brister", "Physical defects"),
}


@dataclass(frozen=True)
class Category:
    """One category of the vocabulary.

    Attributes
    ----------
    code
        Stable code stored in ``reports.category``.
    sv, en
        Labels in Swedish and English.
    kind
        ``brott``, ``otrygghet``, ``brist`` or ``None`` (for ``ovrigt``).
    aspects
        BoTryggt2030 aspects the category bears on.
    camera
        Camera relevance per BRÅ 2018: ``none``, ``low``, ``medium``, ``high``.
    weight
        Default severity weight used by analyses.
    colour
        Map colour (hex).
    """

    code: str
    sv: str
    en: str
    kind: str | None
    aspects: tuple[str, ...]
    camera: str
    weight: float
    colour: str

    def label(self, lang: str = "sv") -> str:
        """Return the label in ``lang``."""
        return self.en if lang == "en" else self.sv


_ALL_ASPECTS = ("Belysning", "Social kontroll", "Tydlighet", "Förvaltning", "Skalskydd",
                "Mix av funktioner", "Mix av människor", "Gestaltning")

CATEGORIES: dict[str, Category] = {c.code: c for c in (
    Category("belysning", "Bristande belysning", "Poor lighting", "brist",
             ("Belysning",), "none", 1.0, "#f2c200"),
    Category("sikt_vegetation", "Dålig sikt / skymmande vegetation",
             "Poor sightlines / obscuring vegetation", "brist",
             ("Social kontroll", "Tydlighet"), "none", 1.0, "#4f9d2d"),
    Category("klotter", "Klotter", "Graffiti", "brist",
             ("Förvaltning",), "medium", 1.0, "#9b59b6"),
    Category("skadegorelse", "Skadegörelse", "Vandalism", "brott",
             ("Förvaltning", "Skalskydd"), "high", 1.5, "#c0392b"),
    Category("nedskrapning", "Nedskräpning", "Litter", "brist",
             ("Förvaltning",), "none", 0.5, "#8d6e63"),
    Category("samlingsplats", "Samlingsplats / stök", "Gathering place / disorder",
             "otrygghet", ("Mix av funktioner", "Social kontroll"), "low", 1.0, "#e67e22"),
    Category("narkotika", "Narkotika", "Drugs", "brott",
             ("Social kontroll",), "high", 2.0, "#1abc9c"),
    Category("vald_hot", "Våld och hot", "Violence and threats", "brott",
             ("Social kontroll",), "low", 3.0, "#7b1020"),
    Category("ran", "Rån", "Robbery", "brott",
             ("Social kontroll",), "medium", 3.0, "#e74c3c"),
    Category("stold_inbrott", "Stöld / inbrott", "Theft / burglary", "brott",
             ("Skalskydd",), "high", 2.0, "#2c3e50"),
    Category("fordon", "Brott mot fordon", "Vehicle crime", "brott",
             ("Skalskydd",), "high", 1.5, "#34495e"),
    Category("brand", "Brand / anlagd brand", "Fire / arson", "brott",
             ("Förvaltning",), "medium", 2.0, "#ff5722"),
    Category("trafik", "Buskörning / trafik", "Reckless driving / traffic", "otrygghet",
             ("Gestaltning",), "low", 1.0, "#3498db"),
    Category("ordningsstorning", "Ordningsstörning / fylleri", "Public disorder / drunkenness",
             "otrygghet", ("Mix av människor",), "low", 1.0, "#d35400"),
    Category("otrygg_plats", "Upplevd otrygghet", "Perceived unsafety", "otrygghet",
             _ALL_ASPECTS, "low", 1.0, "#e84393"),
    Category("ovrigt", "Övrigt", "Other", None, (), "none", 0.5, "#95a5a6"),
)}

#: Columns of the ``reports`` table in order, with their pandas dtype.
#: ``geometry`` (Point, the project CRS, NULL when not geocoded) comes last.
COLUMNS: dict[str, str] = {
    "report_id": "str",
    "source": "str",
    "source_id": "str",
    "reported_at": "datetime",
    "occurred_at": "datetime",
    "category": "str",
    "raw_category": "str",
    "kind": "str",
    "description": "str",
    "place_text": "str",
    "precision": "str",
    "geocode_score": "float",
    "status": "str",
    "closed_at": "datetime",
    "organisation": "str",
    "visibility": "str",
    "weight": "float",
    "ingest_id": "str",
    "extra": "str",
}
REQUIRED = ("report_id", "source", "reported_at", "category", "precision", "visibility",
            "weight", "ingest_id")


class SchemaError(UserError, ValueError):
    """A report table does not follow the report model."""


def empty_reports(crs: str = "EPSG:3006") -> gpd.GeoDataFrame:
    """Return an empty report table with every column and dtype, in ``crs``."""
    return conform({}, crs=crs)


def conform(data: dict | pd.DataFrame, *, crs: str = "EPSG:3006",
            columns: list[str] | None = None) -> gpd.GeoDataFrame:
    """Build a report table with exactly the model's columns, order and dtypes.

    Missing optional columns are filled with nulls; ``kind`` and ``weight`` are
    filled from the category when absent. Text columns use pandas' compact
    ``str`` dtype (missing values are NaN); datetimes become timezone-aware in
    Europe/Stockholm. Does not validate; see :func:`validate`.

    Parameters
    ----------
    data
        The rows; a GeoDataFrame's geometry (or a ``geometry`` column) is kept.
    crs
        The CRS of the points (default EPSG:3006).
    columns
        Build only these model columns, in this order (all when ``None``); the
        fills from the category happen only when ``category`` is among them.
    """
    df = pd.DataFrame(data) if not isinstance(data, pd.DataFrame) else data
    n = len(df)
    wanted = list(COLUMNS) if columns is None else list(columns)
    unknown = [c for c in wanted if c not in COLUMNS]
    if unknown:
        raise KeyError(f"not report columns: {', '.join(unknown)}")
    out: dict[str, object] = {}
    for col in wanted:
        dtype = COLUMNS[col]
        values = df[col] if col in df else pd.Series([None] * n, index=df.index, dtype=object)
        if dtype == "datetime":
            out[col] = pd.to_datetime(values, utc=True).dt.tz_convert(TIMEZONE).array
        elif dtype == "float":
            out[col] = pd.to_numeric(values, errors="coerce").to_numpy("float64", copy=True)
        elif values.dtype == "str":
            out[col] = values.array.copy()  # already compact text (an Arrow read)
        else:
            out[col] = pd.Series(values.to_numpy(), dtype="str").array  # compact text
    frame = pd.DataFrame(out, index=pd.RangeIndex(n))
    if n and "category" in frame:
        category = frame["category"]
        if "kind" in frame:
            kind = category.map({c: v.kind for c, v in CATEGORIES.items()})
            frame["kind"] = frame["kind"].fillna(kind).astype("str")
        if "weight" in frame:
            weight = category.map({c: v.weight for c, v in CATEGORIES.items()}).astype(float)
            frame["weight"] = frame["weight"].fillna(weight)
    geometry = df.geometry.to_numpy() if isinstance(df, gpd.GeoDataFrame) else (
        df["geometry"].to_numpy() if "geometry" in df else np.full(n, None, dtype=object))
    geoms = gpd.array.from_shapely(np.asarray(geometry, dtype=object), crs=crs)
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=crs)


def validate(reports: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Check a report table against the model before it enters the store.

    Returns the table unchanged when it is valid.

    Raises
    ------
    SchemaError
        Naming the first offending column, the number of bad rows and the fix.
    """
    missing = [c for c in COLUMNS if c not in reports.columns]
    if missing:
        raise SchemaError(f"Rapporttabellen saknar kolumnerna {', '.join(missing)}.",
                          f"The report table lacks the columns {', '.join(missing)}.")
    checks = {
        "source": SOURCES, "category": tuple(CATEGORIES), "precision": PRECISIONS,
        "visibility": VISIBILITIES,
    }
    for col, allowed in checks.items():
        bad = reports[col].notna() & ~reports[col].isin(allowed)
        if bad.any():
            value = reports.loc[bad, col].iloc[0]
            raise SchemaError(
                f"Ogiltigt värde '{value}' i '{col}' ({count(int(bad.sum()), 'rad', 'rader')}); "
                f"tillåtna: {', '.join(allowed)}.",
                f"Invalid value '{value}' in '{col}' "
                f"({count(int(bad.sum()), 'row', 'rows', lang='en')}); "
                f"allowed: {', '.join(allowed)}.")
    for col in REQUIRED:
        bad = reports[col].isna()
        if bad.any():
            n = int(bad.sum())
            raise SchemaError(f"{count(n, 'rapport', 'rapporter')} saknar värde i '{col}'.",
                              f"{count(n, 'report', 'reports', lang='en')} "
                              f"{'has' if n == 1 else 'have'} no value in '{col}'.")
    for col, allowed in (("kind", KINDS), ("status", STATUSES)):
        bad = reports[col].notna() & ~reports[col].isin(allowed)
        if bad.any():
            raise SchemaError(f"Ogiltigt värde i '{col}': {reports.loc[bad, col].iloc[0]}.",
                              f"Invalid value in '{col}': {reports.loc[bad, col].iloc[0]}.")
    if reports["report_id"].duplicated().any():
        dup = reports.loc[reports["report_id"].duplicated(), "report_id"].iloc[0]
        raise SchemaError(f"report_id '{dup}' förekommer flera gånger.",
                          f"report_id '{dup}' occurs more than once.")
    score = reports["geocode_score"]
    if ((score < 0) | (score > 1)).any():
        raise SchemaError("geocode_score måste ligga mellan 0 och 1.",
                          "geocode_score must lie between 0 and 1.")
    geom = reports.geometry
    located = geom.notna() & ~geom.is_empty
    if located.any() and not (geom[located].geom_type == "Point").all():
        raise SchemaError("Rapporternas geometri måste vara punkter.",
                          "Report geometries must be points.")
    no_geom = ~located & (reports["precision"] != "none")
    if no_geom.any():
        n = int(no_geom.sum())
        raise SchemaError(f"{count(n, 'rapport', 'rapporter')} utan punkt har precision "
                          "skild från 'none'.",
                          f"{count(n, 'report', 'reports', lang='en')} without a point "
                          f"{'has' if n == 1 else 'have'} a precision other than 'none'.")
    for text in reports["extra"].dropna().iloc[:100]:  # a sample: sources write JSON
        json.loads(text)
    return reports


def category_label(code: str, lang: str = "sv") -> str:
    """Return the label of a category code, or the code itself if unknown."""
    cat = CATEGORIES.get(code)
    return cat.label(lang) if cat else code


def source_label(code: str, lang: str = "sv") -> str:
    """Return the label of a source code, or the code itself if unknown."""
    sv, en = SOURCE_LABELS.get(code, (code, code))
    return en if lang == "en" else sv

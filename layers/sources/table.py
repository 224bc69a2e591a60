"""Source ``table``: any CSV/XLSX/GeoJSON/GeoPackage/Shapefile of points.

Columns are found by their usual Swedish or English names (``Datum``,
``Kategori``, ``Beskrivning``, ``Plats``, ``X``/``Y``, ``Latitud``/``Longitud`` …)
or named with a mapping (``--map reported_at=Skapad``). A column mapped to
``source`` may hold the source of each row (``est``, ``tycktill``, ``walk`` …),
for tables that combine several sources; otherwise every row is ``table``.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from trygg.geo.errors import InputFileError
from trygg.layers import schema
from trygg.layers.sources import common
from trygg.layers.sources.common import Parsed
from trygg.layers.sources.readers import RawTable, read_raw

#: Report fields a table column can be mapped to, with the header names
#: recognised without a mapping (compared lower-case, '-' and '_' as spaces).
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "source_id": ("id", "ärende id", "ärendeid", "ärendenummer", "ärendenr", "source id",
                  "nr", "löpnummer", "objektid"),
    "source": ("källa", "source"),
    "reported_at": ("datum", "date", "skapad", "registrerad", "reported at", "tidpunkt",
                    "inkom", "rapporterad", "datum och tid", "skapad datum", "registreringsdatum"),
    "time": ("tid", "klockslag", "time", "kl"),
    "ort": ("ort", "område", "stadsdel", "kommundel", "postort"),
    "occurred_at": ("händelsedatum", "inträffade", "occurred at"),
    "category": ("kategori", "category", "händelsetyp", "ärendetyp", "typ", "huvudkategori"),
    "subcategory": ("underkategori", "subcategory", "undertyp"),
    "description": ("beskrivning", "description", "text", "kommentar", "observation"),
    "place_text": ("plats", "adress", "place", "address", "place text", "platsbeskrivning"),
    "organisation": ("organisation", "organization", "rapportör"),
    "status": ("status",),
    "closed_at": ("avslutad", "closed at", "stängd", "åtgärdad datum"),
    "visibility": ("synlighet", "visibility"),
    "x": ("x", "easting", "e", "östkoordinat", "x koordinat", "x koord"),
    "y": ("y", "northing", "n", "nordkoordinat", "y koordinat", "y koord"),
    "lon": ("lon", "long", "longitud", "longitude", "lng"),
    "lat": ("lat", "latitud", "latitude"),
}

#: Largest absolute coordinate value taken as a position (metres or degrees).
COORDINATE_LIMIT = 1e7
_NONFINITE = r"(?i)[+-]?(?:nan|inf|infinity)"

_STATUS = {
    "öppen": "open", "open": "open", "ny": "open", "pågående": "open", "påbörjad": "open",
    "registrerad": "open", "under utredning": "open", "mottagen": "open",
    "avslutad": "closed", "avslutat": "closed", "stängd": "closed", "closed": "closed",
    "åtgärdad": "closed", "klar": "closed", "löst": "closed",
}
_SOURCES = {"est": "est", "tycktill": "tycktill", "tyck till": "tycktill", "walk": "walk",
            "trygghetsvandring": "walk", "open311": "open311", "polisen": "polisen",
            "table": "table", "tabell": "table"}


def _key(name: str) -> str:
    return common.normalise_label(name).replace("-", " ").replace("_", " ")


def resolve_columns(header: list[str], mapping: dict[str, str] | None = None,
                    aliases: dict[str, tuple[str, ...]] | None = None) -> dict[str, str]:
    """Decide which file column feeds which report field.

    Parameters
    ----------
    header
        Column names of the file.
    mapping
        Explicit ``field → column`` pairs; they win over recognised names.
    aliases
        Header names recognised per field (default :data:`FIELD_ALIASES`).

    Returns
    -------
    dict
        ``field → column`` for every field found.

    Raises
    ------
    InputFileError
        When a mapped column is not in the file, or a field name is unknown.
    """
    aliases = aliases or FIELD_ALIASES
    mapping = dict(mapping or {})
    for fld, col in mapping.items():
        if fld not in aliases:
            raise InputFileError(
                f"Okänt fält '{fld}' i kolumnmappningen. Möjliga fält: {', '.join(aliases)}.",
                f"Unknown field '{fld}' in the column mapping. Possible fields: "
                f"{', '.join(aliases)}.")
        if col not in header:
            raise InputFileError(
                f"Kolumnen '{col}' (för {fld}) finns inte i filen. Kolumner i filen: "
                f"{', '.join(header)}.",
                f"Column '{col}' (for {fld}) is not in the file. Columns in the file: "
                f"{', '.join(header)}.")
    by_key = {_key(h): h for h in reversed(header)}
    taken = set(mapping.values())
    for fld, names in aliases.items():
        if fld in mapping:
            continue
        for alias in names:
            col = by_key.get(alias)
            if col is not None and col not in taken:
                mapping[fld] = col
                taken.add(col)
                break
    if "x" not in mapping and "lon" in mapping:
        mapping["x"] = mapping.pop("lon")
    if "y" not in mapping and "lat" in mapping:
        mapping["y"] = mapping.pop("lat")
    mapping.pop("lon", None)
    mapping.pop("lat", None)
    return mapping


def parse(raw: RawTable, *, target_crs: str, area: tuple[float, float, float, float],
          mapping: dict[str, str] | None = None, categories: dict[str, str] | None = None,
          crs: str | None = None, source: str = "table",
          aliases: dict[str, tuple[str, ...]] | None = None,
          defaults: dict[str, str] | None = None, dayfirst: bool = False) -> Parsed:
    """Map the rows of a table onto the report model.

    Rows with coordinates are placed (precision ``exact``); rows without
    coordinates but with a place text become reports with no point and
    precision ``none``, for the geocoder; rows with neither, or with
    coordinates that cannot be read, become rejects.

    Parameters
    ----------
    raw
        The file as read by :func:`layers.sources.readers.read_raw`.
    target_crs
        The project CRS (e.g. ``"EPSG:3006"``); points are transformed to it.
    area
        Project area bounds in ``target_crs``; points outside are rejected.
    mapping
        Explicit ``field → column`` pairs (see :data:`FIELD_ALIASES`).
    categories
        Extra raw label → category code pairs.
    crs
        CRS of the coordinate columns; detected when ``None``.
    source
        Source code for rows without a mapped ``source`` column.
    aliases
        Header names recognised per field (default :data:`FIELD_ALIASES`);
        source modules pass their own.
    defaults
        Values for fields the file does not have, e.g. ``{"organisation":
        "Polisen"}``.
    dayfirst
        Read ``5/1/2025`` and ``05.01.2025`` as 5 January (a profile's
        ``dayfirst = true`` or ``--dayfirst``); without it such dates are
        rejected as ``ambiguous_date`` (see :func:`common.read_datetimes`).

    Returns
    -------
    Parsed

    Raises
    ------
    InputFileError
        When no column of the file can be used, or there are neither
        coordinates nor place texts.
    """
    header = list(raw.rows.columns)
    cols = resolve_columns(header, mapping, aliases)
    defaults = defaults or {}
    where = raw.path.name
    if not cols:
        raise InputFileError(
            f"Ingen kolumn i '{where}' känns igen ({', '.join(header)}). Ange kolumner med "
            "--map, t.ex. --map reported_at=Datum --map x=E --map y=N.",
            f"No column of '{where}' is recognised ({', '.join(header)}). Name columns with "
            "--map, e.g. --map reported_at=Date --map x=E --map y=N.")
    spatial = raw.geometry is not None
    has_xy = "x" in cols and "y" in cols
    if not spatial and not has_xy and "place_text" not in cols:
        raise InputFileError(
            f"Hittar varken koordinat- eller platskolumner i '{where}' (kolumner: "
            f"{', '.join(header)}). Ange dem med --map x=KOLUMN --map y=KOLUMN eller "
            "--map place_text=KOLUMN.",
            f"No coordinate or place columns found in '{where}' (columns: "
            f"{', '.join(header)}). Name them with --map x=COLUMN --map y=COLUMN or "
            "--map place_text=COLUMN.")
    if "reported_at" not in cols:
        raise InputFileError(
            f"Hittar ingen datumkolumn i '{where}' (kolumner: {', '.join(header)}). "
            "Ange den med --map reported_at=KOLUMN.",
            f"No date column found in '{where}' (columns: {', '.join(header)}). "
            "Name it with --map reported_at=COLUMN.")

    rows = raw.rows
    n = len(rows)
    reason = np.full(n, None, dtype=object)
    detail = np.full(n, None, dtype=object)

    def flag(mask: np.ndarray, code: str, text: pd.Series | np.ndarray) -> None:
        new = mask & (reason == None)  # noqa: E711 - elementwise
        reason[new] = code
        detail[new] = np.asarray(text, dtype=object)[new]

    def col(fld: str) -> pd.Series:
        if fld in cols:
            return rows[cols[fld]].astype(str)
        return pd.Series([defaults.get(fld, "")] * n, index=rows.index, dtype=object)

    place = col("place_text").str.strip()
    has_place = ((place != "") | (col("ort").str.strip() != "")).to_numpy()

    if raw.problems is not None:
        broken = pd.notna(raw.problems)
        codes = (raw.reasons if raw.reasons is not None
                 else np.full(n, None, dtype=object))
        codes = np.where(pd.isna(codes), "bad_row", codes)
        for code in pd.unique(codes[broken]):
            flag(broken & (codes == code), str(code), raw.problems)

    # Source per row.
    if "source" in cols:
        keys = common.normalise_labels(col("source"))
        src = keys.map(_SOURCES)
        # An empty cell is no claim: the row takes the file's source (--source).
        flag((src.isna() & (keys != "")).to_numpy(), "unknown_source",
             cols["source"] + "='" + col("source") + "'")
        src = src.fillna(source)
    else:
        src = pd.Series([source] * n, index=rows.index)

    # Coordinates.
    used_crs = raw.crs
    if spatial:
        geom = raw.geometry.reset_index(drop=True)
        has = geom.notna().to_numpy() & ~geom.is_empty.to_numpy()
        pts = has & (geom.geom_type == "Point").to_numpy()
        x = np.where(pts, geom.x.where(pts), np.nan).astype(float) if n else np.zeros(0)
        y = np.where(pts, geom.y.where(pts), np.nan).astype(float) if n else np.zeros(0)
        flag(has & ~pts, "bad_coordinates", np.array(["geometri " + str(t) for t in
                                                       geom.geom_type], dtype=object))
        missing = ~has
        crs = crs or raw.crs
    elif has_xy:
        x, xbad = common.parse_numbers(col("x"))
        y, ybad = common.parse_numbers(col("y"))
        # 'nan', 'inf' are numbers to a computer but no position: like 1e308 below.
        word = (col("x").str.strip().str.fullmatch(_NONFINITE).to_numpy(bool)
                | col("y").str.strip().str.fullmatch(_NONFINITE).to_numpy(bool))
        flag(xbad & ~word, "bad_coordinates", cols["x"] + "='" + col("x") + "'")
        flag(ybad & ~word, "bad_coordinates", cols["y"] + "='" + col("y") + "'")
        x[word] = y[word] = np.inf
        missing = np.isnan(x) | np.isnan(y)
    else:
        x = y = np.full(n, np.nan)
        missing = np.ones(n, bool)
    # Values that parse as numbers but cannot be a position anywhere (1e308; no
    # CRS used in Sweden has coordinates beyond 10,000 km) are not coordinates.
    absurd = ~missing & ~((np.abs(x) <= COORDINATE_LIMIT) & (np.abs(y) <= COORDINATE_LIMIT))
    flag(absurd & ~has_place, "no_location",
         "(" + col("x") + ", " + col("y") + ")"
         if has_xy else np.full(n, "geometri", dtype=object))
    missing = missing | absurd
    flag(missing & ~has_place, "missing_coordinates",
         np.full(n, "varken koordinater eller plats", dtype=object))
    usable = (reason == None) & ~missing  # noqa: E711
    px = np.full(n, np.nan)
    py = np.full(n, np.nan)
    if usable.any():
        px_u, py_u, outside, used_crs = common.locate(
            x[usable], y[usable], crs=crs, target_crs=target_crs, area=area,
            column_x=cols.get("x", "geometry"), column_y=cols.get("y", "geometry"))
        px[usable], py[usable] = px_u, py_u
        out_mask = np.zeros(n, bool)
        out_mask[usable] = outside
        where_text = np.full(n, None, dtype=object)
        where_text[out_mask] = [f"({a:.0f}, {b:.0f}) {target_crs}"
                                for a, b in zip(px[out_mask], py[out_mask], strict=True)]
        flag(out_mask, "outside_area", where_text)
        # Coordinates that the transformation cannot place (inf, NaN) leave a
        # row for the geocoder when it names a place, else it is rejected.
        lost = usable & ~(np.isfinite(px) & np.isfinite(py))
        flag(lost & ~has_place, "no_location", np.full(n, "koordinaterna går inte att "
                                                           "omvandla", dtype=object))

    # Dates.
    reported, rwhy = common.read_datetimes(col("reported_at"), dayfirst=dayfirst)
    if "time" in cols:
        reported = common.add_time_of_day(reported, col("time"))
    rtext = cols["reported_at"] + "='" + col("reported_at") + "'"
    for code in ("date_out_of_range", "ambiguous_date", "bad_date"):
        flag(rwhy == code, code, rtext)
    flag(reported.isna().to_numpy(), "missing_date",
         np.full(n, f"{cols['reported_at']} tom", dtype=object))
    others = {}
    for fld in ("occurred_at", "closed_at"):
        if fld not in cols:
            others[fld] = pd.Series(pd.NaT, index=rows.index)
            continue
        # A value that cannot be read stays empty, as before; one that is out of
        # range or ambiguous rejects the row like a bad report date does.
        others[fld], why = common.read_datetimes(col(fld), dayfirst=dayfirst)
        for code in ("date_out_of_range", "ambiguous_date"):
            flag(why == code, code, cols[fld] + "='" + col(fld) + "'")
    occurred, closed = others["occurred_at"], others["closed_at"]

    # Categories.
    raw_cat = col("category").str.strip()
    cat_mapping = common.category_mapping(source, categories)
    if "subcategory" in cols:
        sub = col("subcategory").str.strip()
        both = (raw_cat != "") & (sub != "")
        raw_cat = raw_cat.where(~both, raw_cat + " - " + sub).where(raw_cat != "", sub)
        codes = common.map_categories(raw_cat, cat_mapping)
        for part in (sub, col("category").str.strip()):
            fallback = common.map_categories(part, cat_mapping)
            codes = codes.where((codes != "ovrigt") | (fallback == "ovrigt"), fallback)
    else:
        codes = common.map_categories(raw_cat, cat_mapping)

    ok = reason == None  # noqa: E711
    ids = col("source_id").astype(str).str.strip()
    no_id = (ids == "").to_numpy()
    if no_id.any():
        ids = ids.astype(object)
        hashed = rows[no_id]
        if spatial:
            # The point is part of the row: two features alike but for where they
            # are must not collide (coordinates as a CSV would write them).
            hashed = hashed.assign(**_point_columns(x[no_id], y[no_id], raw.geometry.crs,
                                                    hashed.columns))
        ids[no_id] = "h" + common.content_ids(hashed)
    mapped_cols = set(cols.values())
    extra_cols = [c for c in header if c not in mapped_cols]
    extra = rows[extra_cols].copy()
    extra.insert(0, "_rad", raw.lines.astype(str))
    if raw.sheets is not None:
        extra.insert(1, "_blad", raw.sheets)
    if "ort" in cols:
        extra["_ort"] = col("ort").str.strip()
    if raw.row_notes is not None and pd.notna(raw.row_notes).any():
        extra["_inläsning"] = pd.Series(raw.row_notes, index=rows.index).fillna("")
    status_key = common.normalise_labels(col("status"))
    status = status_key.map(_STATUS)
    if "status" in cols:
        extra.insert(1, "_status", col("status"))
    vis = common.normalise_labels(col("visibility")).map(
        {"publik": "publik", "public": "publik", "offentlig": "publik"}).fillna("intern")

    def text(fld: str) -> pd.Series:
        s = col(fld).str.strip().astype("str")
        return s.where(s != "")

    located = np.isfinite(px) & np.isfinite(py)

    data = {
        "report_id": (src.astype("str") + ":" + ids.astype("str")).array,
        "source": src.astype("str").array,
        "source_id": text("source_id").array,
        "reported_at": reported.array,
        "occurred_at": occurred.array,
        "category": codes.astype("str").array,
        "raw_category": raw_cat.where(raw_cat != "", None).astype("str").array,
        "description": text("description").array,
        "place_text": text("place_text").array,
        "precision": np.where(located, "exact", "none").astype(object),
        "geocode_score": np.where(located, 1.0, np.nan),
        "status": status.astype("str").array,
        "closed_at": closed.array,
        "organisation": text("organisation").array,
        "visibility": vis.astype("str").array,
        "extra": common.rows_as_json(extra),
        "geometry": np.where(located, gpd.points_from_xy(px, py), None),
    }
    frame = pd.DataFrame({k: (v.array if isinstance(v, pd.Series) else v)
                          for k, v in data.items()})
    kept = frame[ok].reset_index(drop=True)
    unmapped = common.unmapped_labels(raw_cat[ok], codes[ok])
    ort = col("ort").str.strip().to_numpy(object)[ok] if "ort" in cols else None
    reports = schema.conform(gpd.GeoDataFrame(kept, geometry="geometry", crs=target_crs),
                             crs=target_crs)
    rej = ~ok
    rejects = pd.DataFrame({
        "file": raw.path.name,
        "line": raw.lines[rej],
        "sheet": raw.sheets[rej] if raw.sheets is not None else None,
        "reason": reason[rej],
        "detail": detail[rej],
        "row": common.rows_as_json(rows[rej]),
    })
    return Parsed(reports, rejects, n, unmapped, cols, used_crs, ort, notes=list(raw.notes))


def _point_columns(x: np.ndarray, y: np.ndarray, crs, taken) -> dict[str, np.ndarray]:
    """Coordinates of vector features as text for the content hash.

    Rounded to 0.01 m in a projected CRS and to 1e-7 degrees (about 1 cm) in a
    geographic one, in the file's CRS, so the same point read from a
    GeoPackage and from a CSV with x/y columns (the last two columns) gives the
    same text. Rows without a point get empty text.
    """
    geographic = bool(getattr(crs, "is_geographic", False)) if crs is not None else bool(
        len(x) and np.nanmax(np.abs(np.r_[x, y, 0.0])) <= 180)
    digits = 7 if geographic else 2

    def text(values: np.ndarray) -> np.ndarray:
        out = np.full(len(values), "", dtype=object)
        ok = np.isfinite(values)
        out[ok] = [f"{v:.{digits}f}" for v in np.round(values[ok], digits)]
        return out

    names = ["x", "y"]
    while any(n in taken for n in names):
        names = ["_" + n for n in names]
    return {names[0]: text(np.asarray(x, float)), names[1]: text(np.asarray(y, float))}


def parse_file(path: str | Path, *, target_crs: str, area: tuple[float, float, float, float],
               mapping: dict[str, str] | None = None, categories: dict[str, str] | None = None,
               crs: str | None = None, sheet: str | None = None,
               source: str = "table", dayfirst: bool = False) -> Parsed:
    """Read ``path`` (CSV, XLSX, GeoJSON, GeoPackage, Shapefile, GPX) and :func:`parse` it."""
    return parse(read_raw(path, sheet=sheet), target_crs=target_crs, area=area,
                 mapping=mapping, categories=categories, crs=crs, source=source,
                 dayfirst=dayfirst)

"""The gazetteer: every findable name of a municipality as one point layer.

Built from the municipality's address points, named places (with aliases),
street centre lines and urban areas (tätorter). Each row is one lookup entry
with a normalised key (see :mod:`geo.normalize`) and a point; the geocoder
(:mod:`geo.geocode`) searches it.

Entry kinds
-----------
``address``
    One per address point (street, number, letter, ort).
``street``
    One per (street, ort): the address point nearest the median of the
    street's addresses, or the midpoint along the street's lines when it
    has no addresses.
``intersection``
    One per crossing point of two differently named streets of the same ort
    (or where one of them has no ort, e.g. a country road).
``place``
    One per place name and one per alias (``name`` is the place's name).
``area``
    One per tätort, at a point inside its polygon.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyproj
import shapely

from trygg.geo.crs import WORKING_CRS
from trygg.geo.errors import CrsError, UserError
from trygg.geo.normalize import normalize

__all__ = ["GAZETTEER_COLUMNS", "KINDS", "build_gazetteer"]

ObjectArray: TypeAlias = npt.NDArray[np.object_]
#: One column of :func:`_frame`: values per row, or one text (or None) for every row.
_Column: TypeAlias = "Sequence[Any] | npt.NDArray[Any] | pd.Series[Any] | str | None"

#: Output columns, in order (``geometry`` last).
GAZETTEER_COLUMNS = ("kind", "name", "key", "street", "number", "letter", "postcode", "ort",
                     "geometry")
#: Entry kinds, most precise first.
KINDS = ("address", "street", "intersection", "place", "area")

# Accepted input column names per role (first = the name used in messages);
# compared case-insensitively.
_ADDRESS_COLUMNS = {
    "street": ("gata", "street", "gatunamn", "adressomrade", "adressområde"),
    "number": ("nummer", "number", "husnummer", "adressplatsnummer", "nr"),
    "letter": ("bokstav", "letter", "bokstavstillagg", "bokstavstillägg"),
    "postcode": ("postnummer", "postcode", "postnr", "zip"),
    "ort": ("ort", "postort", "tatort", "tätort", "city", "town"),
}
_PLACE_COLUMNS = {
    "name": ("namn", "name"),
    "alias": ("alias", "aliases", "alias_namn"),
    "ort": _ADDRESS_COLUMNS["ort"],
}
_STREET_COLUMNS = {
    "name": ("namn", "name", "gata", "street", "gatunamn"),
    "ort": _ADDRESS_COLUMNS["ort"],
}
_AREA_COLUMNS = {"name": ("namn", "name", "tatort", "tätort", "ort")}

_WHAT_SV = {"street": "gatunamnet", "number": "husnumret", "name": "namnet"}
_LAYER_SV = {"addresses": "adresser", "places": "platser", "streets": "gator",
             "areas": "tätorter"}


def _column(gdf: pd.DataFrame, layer: str, role: str, names: Sequence[str],
            required: bool) -> str | None:
    """Find the column of ``role`` in ``gdf`` among ``names`` (case-insensitive).

    Raises
    ------
    UserError
        When ``required`` and no such column exists; names the column and the fix.
    """
    lower: dict[str, str] = {str(c).lower(): c for c in gdf.columns}
    for name in names:
        if name in lower:
            return lower[name]
    if not required:
        return None
    sv_layer = _LAYER_SV.get(layer, layer)
    raise UserError(
        f"Kolumnen '{names[0]}' saknas i lagret '{sv_layer}'. Lägg till en kolumn "
        f"'{names[0]}' (eller '{names[1]}') med {_WHAT_SV.get(role, role)}. "
        f"Kolumner som finns: {', '.join(map(str, gdf.columns))}.",
        f"The column '{names[1]}' is missing in the '{layer}' layer. Add a column "
        f"'{names[1]}' (or '{names[0]}') holding the {role}. "
        f"Existing columns: {', '.join(map(str, gdf.columns))}.",
    )


def _text(values: pd.Series[Any]) -> ObjectArray:
    """Strings with surrounding white space removed; missing values become ``""``."""
    out = values.astype(object).where(values.notna(), "")
    return np.array([str(v).strip() for v in out], dtype=object)


def _in_crs(gdf: gpd.GeoDataFrame, layer: str, crs: pyproj.CRS) -> gpd.GeoDataFrame:
    """``gdf`` without empty geometries, transformed to ``crs``."""
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise UserError(
            f"Lagret '{_LAYER_SV.get(layer, layer)}' måste vara en GeoDataFrame med geometri.",
            f"The '{layer}' layer must be a GeoDataFrame with geometries.",
        )
    if gdf.crs is None:
        raise CrsError(
            f"Lagret '{_LAYER_SV.get(layer, layer)}' saknar koordinatsystem. Sätt det, "
            "t.ex. med gdf.set_crs('EPSG:3006').",
            f"The '{layer}' layer has no coordinate system. Set it, "
            "e.g. with gdf.set_crs('EPSG:3006').",
        )
    gdf = gdf[~(gdf.geometry.isna() | gdf.geometry.is_empty)]
    return gdf.to_crs(crs) if not pyproj.CRS(gdf.crs).equals(crs) else gdf


def _points(geoms: gpd.GeoSeries) -> ObjectArray:
    """Points of any geometries: points as they are, others their representative point."""
    values = np.asarray(geoms.values, dtype=object)
    is_point = shapely.get_type_id(values) == 0
    return np.where(is_point, values, shapely.point_on_surface(values))


def _ort_of(gdf: gpd.GeoDataFrame, layer: str, col: str | None,
            areas: gpd.GeoDataFrame | None) -> ObjectArray:
    """Ort per row: the ort column, else the tätort the row's point lies in, else ``""``."""
    if col is not None:
        return _text(gdf[col])
    ort = np.full(len(gdf), "", dtype=object)
    if areas is not None and len(areas) and len(gdf):
        tree = shapely.STRtree(np.asarray(areas.geometry.values, dtype=object))
        pts = _points(gdf.geometry)
        left, right = tree.query(pts, predicate="within")
        first = ~pd.Series(left).duplicated().to_numpy()
        ort[left[first]] = areas["_name"].to_numpy()[right[first]]
    return ort


def _frame(kind: str, name: _Column, key: _Column, street: _Column,
           number: npt.NDArray[Any] | None,
           letter: _Column, postcode: _Column, ort: _Column,
           geometry: Sequence[Any] | npt.NDArray[np.object_]) -> pd.DataFrame:
    """One block of gazetteer rows (geometry as an array of shapely Points)."""
    n = len(geometry)

    def col(v: _Column) -> Sequence[Any] | npt.NDArray[Any] | pd.Series[Any]:
        return np.full(n, v, dtype=object) if v is None or isinstance(v, str) else v

    return pd.DataFrame({
        "kind": np.full(n, kind, dtype=object), "name": col(name), "key": col(key),
        "street": col(street), "number": pd.array(
            np.full(n, pd.NA) if number is None else number, dtype="Int64"),
        "letter": col(letter), "postcode": col(postcode), "ort": col(ort),
        "geometry": np.asarray(geometry, dtype=object),
    })


def _display(base: npt.NDArray[Any], ort: npt.NDArray[Any]) -> ObjectArray:
    """Display names "<base>, <ort>" ("<base>" when the ort is empty)."""
    base = base.astype(object)
    return np.where(ort == "", base, base + ", " + ort.astype(object))


def _none_if_empty(values: pd.Series[Any]) -> ObjectArray:
    """The texts of ``values`` with None for the empty ones."""
    texts = values.to_numpy(dtype=object)
    out = texts.copy()
    out[texts == ""] = None
    return out


def _xy_points(x: pd.Series[float], y: pd.Series[float]) -> ObjectArray:
    """Shapely points from coordinate columns."""
    return np.asarray(shapely.points(x.to_numpy(), y.to_numpy()), dtype=object)


def _keys(values: npt.NDArray[Any]) -> ObjectArray:
    """:func:`normalize` of each value, computed once per distinct value."""
    uniq, inv = np.unique(values.astype(str), return_inverse=True)
    return np.array([normalize(u) for u in uniq], dtype=object)[inv.ravel()]


def _prepare_addresses(addresses: gpd.GeoDataFrame, crs: pyproj.CRS,
                       areas: gpd.GeoDataFrame | None) -> pd.DataFrame:
    """Address rows with clean street/number/letter/postcode/ort and x/y in ``crs``."""
    gdf = _in_crs(addresses, "addresses", crs)
    c = {role: _column(gdf, "addresses", role, names, role in ("street", "number"))
         for role, names in _ADDRESS_COLUMNS.items()}
    raw_number = gdf[c["number"]]
    number = pd.to_numeric(raw_number, errors="coerce")
    letter = _text(gdf[c["letter"]]) if c["letter"] else np.full(len(gdf), "", dtype=object)
    if number.isna().any():  # numbers written with their letter, "12B"
        parts = raw_number.astype(str).str.extract(r"^\s*(\d+)\s*([A-Za-z]?)\s*$")
        number = number.fillna(pd.to_numeric(parts[0], errors="coerce"))
        letter = np.where((letter == "") & parts[1].notna().to_numpy(),
                          parts[1].fillna("").to_numpy(dtype=object), letter)
    pts = _points(gdf.geometry)
    df = pd.DataFrame({
        "street": _text(gdf[c["street"]]),
        "number": number.to_numpy(dtype=float),
        "letter": np.array([str(s).upper() for s in letter], dtype=object),
        "postcode": _text(gdf[c["postcode"]]) if c["postcode"] else "",
        "ort": _ort_of(gdf, "addresses", c["ort"], areas),
        "x": shapely.get_x(pts), "y": shapely.get_y(pts),
    })
    keep = (df["street"] != "").to_numpy() & np.isfinite(df["number"].to_numpy())
    kept: pd.DataFrame = df.loc[keep].drop_duplicates(["street", "number", "letter", "ort"])
    kept["number"] = kept["number"].astype("int64")
    kept["skey"] = _keys(kept["street"].to_numpy())
    return kept.reset_index(drop=True)


def _address_entries(adr: pd.DataFrame) -> pd.DataFrame:
    """One ``address`` entry per address row."""
    num = adr["number"].astype(str).to_numpy(dtype=object)
    base = adr["street"].to_numpy(dtype=object) + " " + num + adr["letter"].to_numpy(dtype=object)
    key = adr["skey"].to_numpy(dtype=object) + " " + num + np.array(
        [s.lower() for s in adr["letter"]], dtype=object)
    ort = adr["ort"].to_numpy(dtype=object)
    return _frame("address", _display(base, ort), key, adr["street"].to_numpy(dtype=object),
                  adr["number"].to_numpy(), _none_if_empty(adr["letter"]),
                  _none_if_empty(adr["postcode"]), ort,
                  _xy_points(adr["x"], adr["y"]))


def _street_points_from_addresses(adr: pd.DataFrame) -> pd.DataFrame:
    """Per (street key, ort): the address nearest the median of the street's addresses."""
    grp = adr.groupby(["skey", "ort"], sort=False)
    mx = grp["x"].transform("median").to_numpy()
    my = grp["y"].transform("median").to_numpy()
    d2 = (adr["x"].to_numpy() - mx) ** 2 + (adr["y"].to_numpy() - my) ** 2
    best = pd.Series(d2, index=adr.index).groupby([adr["skey"], adr["ort"]], sort=False).idxmin()
    rows = adr.loc[best.to_numpy()]
    return rows[["skey", "ort", "street", "postcode", "x", "y"]].reset_index(drop=True)


def _prepare_streets(streets: gpd.GeoDataFrame, crs: pyproj.CRS,
                     areas: gpd.GeoDataFrame | None) -> pd.DataFrame:
    """Street line parts (one row per LineString) with name, key, ort and geometry."""
    gdf = _in_crs(streets, "streets", crs)
    ncol = _column(gdf, "streets", "name", _STREET_COLUMNS["name"], True)
    ocol = _column(gdf, "streets", "ort", _STREET_COLUMNS["ort"], False)
    df = pd.DataFrame({
        "street": _text(gdf[ncol]), "ort": _ort_of(gdf, "streets", ocol, areas),
        "geometry": np.asarray(gdf.geometry.values, dtype=object),
    })
    df = df[df["street"] != ""]
    parts, idx = shapely.get_parts(df["geometry"].to_numpy(), return_index=True)
    is_line = np.isin(shapely.get_type_id(parts), (1, 2))
    out = df.iloc[idx[is_line]][["street", "ort"]].reset_index(drop=True)
    out["geometry"] = parts[is_line]
    out["skey"] = _keys(out["street"].to_numpy())
    return out


def _street_midpoints(lines: pd.DataFrame) -> pd.DataFrame:
    """Per (street key, ort): the point halfway along the street's line parts.

    The parts are taken in input order; the point lies on the part where the
    cumulative length passes half the street's total length.
    """
    length = shapely.length(lines["geometry"].to_numpy())
    keys = [lines["skey"], lines["ort"]]
    cum = pd.Series(length).groupby(keys, sort=False).cumsum().to_numpy()
    total = pd.Series(length).groupby(keys, sort=False).transform("sum").to_numpy()
    before = cum - length
    half = total / 2.0
    hit = (before <= half) & (half <= cum)
    first = hit & ~pd.Series(hit).groupby(keys, sort=False).cumsum().gt(1).to_numpy()
    sel = lines[first].copy()
    pts = shapely.line_interpolate_point(sel["geometry"].to_numpy(), (half - before)[first])
    sel["x"], sel["y"] = shapely.get_x(pts), shapely.get_y(pts)
    sel["postcode"] = ""
    return sel[["skey", "ort", "street", "postcode", "x", "y"]].reset_index(drop=True)


def _street_entries(adr: pd.DataFrame | None, lines: pd.DataFrame | None) -> pd.DataFrame:
    """One ``street`` entry per (street, ort) of the addresses and the street lines."""
    blocks = []
    if adr is not None and len(adr):
        blocks.append(_street_points_from_addresses(adr))
    if lines is not None and len(lines):
        mids = _street_midpoints(lines)
        if blocks:
            have = pd.MultiIndex.from_frame(blocks[0][["skey", "ort"]])
            mids = mids[~pd.MultiIndex.from_frame(mids[["skey", "ort"]]).isin(have)]
        blocks.append(mids)
    if not blocks:
        return _frame("street", [], [], [], None, None, None, [], [])
    s = pd.concat(blocks, ignore_index=True)
    ort = s["ort"].to_numpy(dtype=object)
    return _frame("street", _display(s["street"].to_numpy(dtype=object), ort),
                  s["skey"].to_numpy(dtype=object), s["street"].to_numpy(dtype=object), None,
                  None, _none_if_empty(s["postcode"]), ort,
                  _xy_points(s["x"], s["y"]))


def _intersection_entries(lines: pd.DataFrame) -> pd.DataFrame:
    """One ``intersection`` entry per distinct crossing point of two street names.

    Two line parts count when their names differ and their orter are equal
    or one of them is empty; the entry gets the non-empty ort. Where two
    lines overlap along a stretch, the middle of the shared stretch is used.
    """
    empty = _frame("intersection", [], [], [], None, None, None, [], [])
    if lines is None or len(lines) < 2:
        return empty
    geoms = lines["geometry"].to_numpy()
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    skey = lines["skey"].to_numpy(dtype=object)
    ort = lines["ort"].to_numpy(dtype=object)
    keep = ((left < right) & (skey[left] != skey[right])
            & ((ort[left] == ort[right]) | (ort[left] == "") | (ort[right] == "")))
    left, right = left[keep], right[keep]
    if left.size == 0:
        return empty
    inter = shapely.intersection(geoms[left], geoms[right])
    parts, pair = shapely.get_parts(inter, return_index=True)
    tid = shapely.get_type_id(parts)
    pts = np.where(tid == 0, parts, shapely.point_on_surface(parts))
    line_part = np.isin(tid, (1, 2))
    if line_part.any():
        pts[line_part] = shapely.line_interpolate_point(parts[line_part], 0.5, normalized=True)
    a, b = left[pair], right[pair]
    swap = skey[a] > skey[b]
    a, b = np.where(swap, b, a), np.where(swap, a, b)
    df = pd.DataFrame({
        "key": skey[a] + "/" + skey[b],
        "street": lines["street"].to_numpy(dtype=object)[a] + "/"
        + lines["street"].to_numpy(dtype=object)[b],
        "ort": np.where(ort[a] == "", ort[b], ort[a]),
        "x": shapely.get_x(pts), "y": shapely.get_y(pts),
    })
    df["rx"], df["ry"] = np.round(df["x"], 1), np.round(df["y"], 1)
    df = df.drop_duplicates(["key", "ort", "rx", "ry"]).reset_index(drop=True)
    o = df["ort"].to_numpy(dtype=object)
    return _frame("intersection", _display(df["street"].to_numpy(dtype=object), o),
                  df["key"].to_numpy(dtype=object), df["street"].to_numpy(dtype=object), None,
                  None, None, o, _xy_points(df["x"], df["y"]))


def _place_entries(places: gpd.GeoDataFrame, crs: pyproj.CRS,
                   areas: gpd.GeoDataFrame | None) -> pd.DataFrame:
    """One ``place`` entry per place name and one per (different) alias."""
    gdf = _in_crs(places, "places", crs)
    ncol = _column(gdf, "places", "name", _PLACE_COLUMNS["name"], True)
    acol = _column(gdf, "places", "alias", _PLACE_COLUMNS["alias"], False)
    ocol = _column(gdf, "places", "ort", _PLACE_COLUMNS["ort"], False)
    name = _text(gdf[ncol])
    df = pd.DataFrame({
        "name": name, "ort": _ort_of(gdf, "places", ocol, areas),
        "alias": _text(gdf[acol]) if acol else "",
        "geometry": _points(gdf.geometry),
    })
    df = df[df["name"] != ""]
    # one row per alias; the name itself comes first
    df["variant"] = (df["name"] + ";" + df["alias"].astype(str)).str.replace("|", ";")
    long = df.assign(variant=df["variant"].str.split(";")).explode("variant")
    long["variant"] = long["variant"].str.strip()
    long = long[long["variant"] != ""]
    long["key"] = _keys(long["variant"].to_numpy(dtype=object))
    long = long[long["key"] != ""].drop_duplicates(["key", "ort", "name"])
    ort = long["ort"].to_numpy(dtype=object)
    return _frame("place", _display(long["name"].to_numpy(dtype=object), ort),
                  long["key"].to_numpy(dtype=object), None, None, None, None, ort,
                  long["geometry"].to_numpy())


def _prepare_areas(areas: gpd.GeoDataFrame, crs: pyproj.CRS) -> gpd.GeoDataFrame:
    """Area polygons in ``crs`` with their name in column ``_name``."""
    gdf = _in_crs(areas, "areas", crs)
    ncol = _column(gdf, "areas", "name", _AREA_COLUMNS["name"], True)
    gdf = gdf.assign(_name=_text(gdf[ncol]))
    return gdf[gdf["_name"] != ""]


def _area_entries(areas: gpd.GeoDataFrame) -> pd.DataFrame:
    """One ``area`` entry per tätort name, at a point inside its polygon."""
    geoms = areas.geometry.values
    merged = pd.Series(list(geoms), index=areas["_name"].to_numpy()).groupby(level=0, sort=False)
    names = np.array(list(merged.groups.keys()), dtype=object)
    union = [shapely.union_all(list(g)) for _, g in merged]
    pts = shapely.point_on_surface(np.asarray(union, dtype=object))
    return _frame("area", names, _keys(names), None, None, None, None, names, pts)


def build_gazetteer(addresses: gpd.GeoDataFrame | None = None,
                    places: gpd.GeoDataFrame | None = None,
                    streets: gpd.GeoDataFrame | None = None,
                    areas: gpd.GeoDataFrame | None = None, *,
                    crs: str | pyproj.CRS = WORKING_CRS) -> gpd.GeoDataFrame:
    """Build the gazetteer of a municipality.

    Parameters
    ----------
    addresses
        Address points with columns ``gata``/``street``, ``nummer``/``number``
        (an integer, or text such as "12B"), optionally ``bokstav``/``letter``,
        ``postnummer``/``postcode`` and ``ort``.
    places
        Named places (points or polygons) with ``namn``/``name``, optionally
        ``alias``/``aliases`` (several separated by ";") and ``ort``.
    streets
        Street centre lines (LineString/MultiLineString) with ``namn``/``name``
        and optionally ``ort``.
    areas
        Urban area polygons (tätorter) with ``namn``/``name``.
    crs
        CRS of the output (default EPSG:3006, SWEREF 99 TM). Inputs may be in
        any CRS; each is transformed.

    Any layer may be ``None``. A layer without an ``ort`` column gets the ort
    from the tätort its points lie in (when ``areas`` is given), else ``""``.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``kind`` (``address``, ``street``, ``intersection``, ``place``,
        ``area``), ``name`` (display text, e.g. "Storgatan 12B, Strandvik"),
        ``key`` (:func:`geo.normalize.normalize` of the entry's own text, e.g.
        "storgatan 12b"; "a/b" for an intersection, names sorted), ``street``
        (for intersections "A/B"), ``number`` (Int64), ``letter``,
        ``postcode``, ``ort`` (``""`` when unknown) and ``geometry`` (Point, in
        ``crs``). Rows are ordered by kind as listed.

    Raises
    ------
    UserError
        When a layer lacks a required column (the message names it and how
        to fix it) or is not a GeoDataFrame.
    CrsError
        When a layer has no CRS.
    """
    crs = pyproj.CRS.from_user_input(crs)
    area_gdf = _prepare_areas(areas, crs) if areas is not None else None
    adr = _prepare_addresses(addresses, crs, area_gdf) if addresses is not None else None
    lines = _prepare_streets(streets, crs, area_gdf) if streets is not None else None
    blocks = [_frame("address", [], [], [], None, None, None, [], [])]
    if adr is not None:
        blocks.append(_address_entries(adr))
    blocks.append(_street_entries(adr, lines))
    if lines is not None:
        blocks.append(_intersection_entries(lines))
    if places is not None:
        blocks.append(_place_entries(places, crs, area_gdf))
    if area_gdf is not None and len(area_gdf):
        blocks.append(_area_entries(area_gdf))
    df = pd.concat([b for b in blocks if len(b)] or blocks[:1], ignore_index=True)
    df["number"] = df["number"].astype("Int64")
    for col in ("street", "letter", "postcode"):
        values = df[col].astype(object)
        df[col] = values.where(values.notna() & (values != ""), None)
    return gpd.GeoDataFrame(df[list(GAZETTEER_COLUMNS)], geometry="geometry", crs=crs)

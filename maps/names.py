"""Street, place and town names drawn on the maps from the project's own data.

A map without an online basemap has no names of its own; these labels give it
them: tätort names from the background's urban-area layer (else the gazetteer's
areas), place names from the gazetteer's places, street names along the
background's named street lines (else at the gazetteer's street points). Each
label says from which zoom to which it is shown; the page script
(``readable.js``) shows them by zoom and hides a label that would overlap one
before it in the list (towns first, then places, then streets, longest first).

The names travel as JSON data (:func:`maps.html.data_script`) and reach the page
with ``textContent``: a name is never markup. The gazetteer is read through the
store (:func:`layers.geocoding.read_gazetteer`); background files are the user's
own files, read here like :func:`maps.page.background_layers` reads them.
Positions are rounded to 1e-4° (about 10 m): a label needs no more, and on the
public map no label sits exactly on a report geocoded to the same street or place.
"""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import Transformer

from trygg.layers.geocoding import read_gazetteer
from trygg.layers.store import GeoPackageStore
from trygg.maps.background import layer_kind, plain_name

__all__ = ["ZOOMS", "name_labels"]

WGS84 = "EPSG:4326"
MERCATOR = "EPSG:3857"
#: Kind → (first zoom, last zoom) at which its labels are shown.
ZOOMS = {"town": (9, 15), "place": (14, 19), "street": (14, 19)}
#: Zoom from which a street is named where its length is not known (gazetteer points).
STREET_ZOOM = 15
#: Zoom from which a part of a place ("Busstationen, norra väggen") is named.
DETAIL_ZOOM = 17
#: Metres between the labels along a long street, and the zoom they are shown from.
REPEAT, REPEAT_ZOOM = 600.0, 16
#: Columns that may hold a name (first found wins), compared case-insensitively.
NAME_COLUMNS = ("namn", "name", "gatunamn", "gata", "street", "tatort", "tätort")
#: Names of point layers of the background that hold named places (lower case, no
#: diacritics): their names are used instead of the gazetteer's places, which may also
#: hold every point the gazetteer was fed (camera sites, lamp posts …).
PLACE_LAYERS = ("platser", "plats", "places", "ortnamn", "namn", "poi")
#: Layer-control label of the names layer.
LAYER_LABEL = ("Gatu- och ortnamn", "Street and place names")
#: Degrees of the rounding of every label position.
DECIMALS = 4


def _name_column(gdf: gpd.GeoDataFrame) -> str | None:
    lower = {str(c).lower(): c for c in gdf.columns}
    return next((lower[n] for n in NAME_COLUMNS if n in lower), None)


def _label(text: str, kind: str, lon: float, lat: float, *, angle: float = 0.0,
           first: int | None = None) -> dict:
    low, high = ZOOMS[kind]
    return {"text": text, "kind": kind, "lat": round(float(lat), DECIMALS),
            "lon": round(float(lon), DECIMALS), "angle": round(float(angle), 1),
            "min": int(first if first is not None else low), "max": int(high)}


def _kind(name: str, geom_type: object) -> str | None:
    """``places`` for a point layer named like :data:`PLACE_LAYERS`, else the
    background kind (:func:`maps.background.layer_kind`) of a line or polygon layer."""
    if not geom_type:
        return None
    if "Point" in str(geom_type):
        return "places" if plain_name(name) in PLACE_LAYERS else None
    return layer_kind(name, polygon="Polygon" in str(geom_type))


def _named_layers(paths: list[Path], kinds: set[str]) -> list[gpd.GeoDataFrame]:
    """The layers of ``paths`` of one of ``kinds`` (see :func:`_kind`) that have a name
    column, each with that column as ``_name`` (empty names dropped)."""
    out = []
    for path in paths:
        for name, geom_type in pyogrio.list_layers(path):
            if _kind(str(name), geom_type) not in kinds:
                continue
            gdf = gpd.read_file(path, layer=name, engine="pyogrio")
            column = _name_column(gdf) if not gdf.empty and gdf.crs is not None else None
            if column is None:
                continue
            names = gdf[column].astype(object).where(gdf[column].notna(), "")
            gdf = gdf.assign(_name=[str(v).strip() for v in names])
            out.append(gdf[(gdf["_name"] != "") & gdf.geometry.notna()
                           & ~gdf.geometry.is_empty])
    return out


def _angle(line: shapely.LineString, at: float) -> float:
    """Screen angle (degrees clockwise, −90…90) of ``line`` (Web Mercator) at ``at``
    metres along it, so that text along it reads left to right."""
    step = min(30.0, line.length / 4)
    a = line.interpolate(max(at - step, 0.0))
    b = line.interpolate(min(at + step, line.length))
    degrees = math.degrees(math.atan2(-(b.y - a.y), b.x - a.x))
    if degrees > 90:
        degrees -= 180
    elif degrees <= -90:
        degrees += 180
    return degrees


def street_labels(lines: gpd.GeoDataFrame) -> list[dict]:
    """Labels along named street lines (column ``_name``): one at the middle of each
    street's longest connected run, and on streets longer than twice :data:`REPEAT`
    one more every :data:`REPEAT` metres from zoom :data:`REPEAT_ZOOM`.

    Longer streets come first (they win where labels would overlap) and are shown
    from a zoom earlier.
    """
    merc = lines.to_crs(MERCATOR)
    to_wgs = Transformer.from_crs(MERCATOR, WGS84, always_xy=True).transform
    found = []
    for name, group in merc.groupby("_name", sort=True):
        merged = shapely.line_merge(shapely.union_all(group.geometry.values))
        parts = list(getattr(merged, "geoms", [merged]))
        parts = [p for p in parts if isinstance(p, shapely.LineString) and p.length > 0]
        if not parts:
            continue
        line = max(parts, key=lambda p: p.length)
        lat = to_wgs(line.centroid.x, line.centroid.y)[1]
        metres = line.length * math.cos(math.radians(lat))  # Mercator stretches by 1/cos
        found.append((metres, str(name), line))
    labels = []
    for metres, name, line in sorted(found, key=lambda f: (-f[0], f[1])):
        first = 14 if metres >= 800 else 15 if metres >= 250 else 16
        spots = [(0.5, first)]
        if metres >= 2 * REPEAT:  # more along long streets, for the closer zooms
            n = int(metres // REPEAT)
            spots += [((i + 0.5) / n, REPEAT_ZOOM) for i in range(n)
                      if abs((i + 0.5) / n - 0.5) * metres > REPEAT / 2]
        for share, zoom in spots:
            at = line.length * share
            point = line.interpolate(at)
            lon, lat = to_wgs(point.x, point.y)
            labels.append(_label(name, "street", lon, lat, angle=_angle(line, at),
                                 first=zoom))
    return labels


def _points_wgs(gdf: gpd.GeoDataFrame) -> gpd.GeoSeries:
    points = gdf.geometry.representative_point() if len(gdf) else gdf.geometry
    return gpd.GeoSeries(points.values, crs=gdf.crs).to_crs(WGS84)


def _bare(name: str, ort: object) -> str:
    """``"Torget, Strandvik"`` → ``"Torget"`` (the gazetteer's display name without
    its ort)."""
    ort = "" if ort is None or (isinstance(ort, float) and math.isnan(ort)) else str(ort)
    suffix = f", {ort}"
    return name[: -len(suffix)] if ort and name.endswith(suffix) else name


def _gazetteer_labels(gazetteer: gpd.GeoDataFrame, kind: str, label_kind: str,
                      skip: set[str], first: int | None = None) -> list[dict]:
    rows = gazetteer[gazetteer["kind"] == kind]
    if rows.empty:
        return []
    column = "street" if kind == "street" else "name"
    texts = [_bare(str(t), o) if kind == "place" else str(t)
             for t, o in zip(rows[column], rows.get("ort", [None] * len(rows)), strict=True)]
    wgs = _points_wgs(rows)
    seen: set[str] = set(skip)
    labels = []
    for text, lon, lat in sorted(zip(texts, wgs.x, wgs.y, strict=True)):
        if not text or text in ("nan", "None") or text.lower() in seen:
            continue
        seen.add(text.lower())
        labels.append(_label(text, label_kind, lon, lat, first=first))
    return labels


def name_labels(store: GeoPackageStore, *, background: list[str | Path] | None = None,
                lang: str = "sv") -> dict:
    """Every name label of a map, in the order the page gives way (first wins).

    Parameters
    ----------
    store
        The open project (its gazetteer: places, streets, areas).
    background
        The map's background files: a named urban-area layer gives the tätort
        names, named street lines the street names.
    lang
        ``sv`` or ``en`` (the names layer's label in the layer control).

    Returns
    -------
    dict
        ``label`` (the layer's name in the layer control) and ``labels``: per
        label ``text``, ``kind`` (``town``, ``place``, ``street``), ``lat``/``lon``
        (WGS84, 1e-4°), ``angle`` (degrees clockwise on screen) and ``min``/``max``
        (the zooms it is shown at, see :data:`ZOOMS`).
    """
    paths = [Path(p) for p in background or []]
    gazetteer = read_gazetteer(store)
    if "kind" not in gazetteer:
        gazetteer = gazetteer.assign(kind=np.array([], dtype=object))
    towns = [t for layer in _named_layers(paths, {"urban"}) for t in _area_labels(layer)]
    if not towns:
        towns = _gazetteer_labels(gazetteer, "area", "town", set())
    skip = {t["text"].lower() for t in towns}
    places = [p for layer in _named_layers(paths, {"places"}) for p in _point_labels(layer)
              if p["text"].lower() not in skip]
    places = _details_later(places or _gazetteer_labels(gazetteer, "place", "place", skip))
    lines = _named_layers(paths, {"streets"})
    streets = street_labels(gpd.GeoDataFrame(
        pd.concat([g.to_crs(WGS84)[["_name", "geometry"]] for g in lines]),
        geometry="geometry", crs=WGS84)) if lines else []
    streets += _gazetteer_labels(gazetteer, "street", "street",
                                 {s["text"].lower() for s in streets}, first=STREET_ZOOM)
    return {"label": LAYER_LABEL[lang == "en"], "labels": towns + places + streets}


def _point_labels(points: gpd.GeoDataFrame) -> list[dict]:
    """One place label per name (column ``_name``), at its first point."""
    first = points.sort_values("_name", kind="stable").drop_duplicates("_name")
    wgs = _points_wgs(first)
    return [_label(name, "place", lon, lat)
            for name, lon, lat in zip(first["_name"], wgs.x, wgs.y, strict=True)]


def _details_later(places: list[dict]) -> list[dict]:
    """Places named as a part of another place ("Busstationen, norra väggen") shown
    only from zoom :data:`DETAIL_ZOOM`, after every other place."""
    names = {p["text"] for p in places}
    main, details = [], []
    for p in places:
        head = p["text"].split(", ", 1)[0]
        if head != p["text"] and head in names:
            details.append({**p, "min": max(p["min"], DETAIL_ZOOM)})
        else:
            main.append(p)
    return main + details


def _area_labels(areas: gpd.GeoDataFrame) -> list[dict]:
    """One town label per name, at a point inside its largest polygon; larger
    towns first."""
    merc = areas.to_crs(MERCATOR)
    best = merc.assign(_area=merc.geometry.area).sort_values(
        ["_area", "_name"], ascending=[False, True]).drop_duplicates("_name")
    wgs = _points_wgs(best)
    return [_label(name, "town", lon, lat)
            for name, lon, lat in zip(best["_name"], wgs.x, wgs.y, strict=True)]

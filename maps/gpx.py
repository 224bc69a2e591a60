"""A planned walk as GPX 1.1 (``rutt.gpx``) for phones and GPS units.

One waypoint per stop (named ``"<stop>. <place>"``, its description the stop's
largest report categories), a route (``<rte>``) through the stops in walking order,
and a track (``<trk>``) along the route line, all in WGS84 degrees. Written with
:mod:`xml.etree.ElementTree`, so every name is escaped; characters XML 1.0 cannot
hold are left out.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import shapely

from trygg.geo import text
from trygg.layers.labels import label
from trygg.maps.export import replacing

__all__ = ["GPX_NS", "write_gpx"]

GPX_NS = "http://www.topografix.com/GPX/1/1"
WGS84 = "EPSG:4326"
#: Decimals of a coordinate in degrees (about 1 cm).
DECIMALS = 7
#: Report categories named in a waypoint's description.
TOP_CATEGORIES = 3
#: Characters XML 1.0 does not allow (control characters, lone surrogates, U+FFFE/F).
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(value: object) -> str:
    return _NOT_XML.sub("", "" if value is None else str(value))


def _sub(parent: ET.Element, tag: str, value: object | None = None, **attrs: str) -> ET.Element:
    e = ET.SubElement(parent, f"{{{GPX_NS}}}{tag}", attrs)
    if value is not None:
        e.text = _clean(value)
    return e


def _categories(value: Any, lang: str) -> str:
    try:
        counts = value if isinstance(value, dict) else json.loads(value or "{}")
    except (TypeError, ValueError):
        return ""
    if not isinstance(counts, dict):
        return ""
    pairs = sorted(((str(k), v) for k, v in counts.items() if isinstance(v, (int, float))),
                   key=lambda kv: -kv[1])[:TOP_CATEGORIES]
    return ", ".join(f"{label('category', k, lang=lang)} {text.number(v, lang=lang)}"
                     for k, v in pairs)


def _lat_lon(point) -> dict[str, str]:
    return {"lat": f"{point.y:.{DECIMALS}f}", "lon": f"{point.x:.{DECIMALS}f}"}


def _lines(geometry) -> list:
    """The parts of a (multi)line, as lines."""
    if geometry is None or geometry.is_empty:
        return []
    if geometry.geom_type == "LineString":
        return [geometry]
    if geometry.geom_type == "MultiLineString":
        return list(geometry.geoms)
    return [g for g in getattr(geometry, "geoms", []) if g.geom_type == "LineString"]


def gpx_tree(plan: Any, *, lang: str = "sv") -> ET.ElementTree:
    """The GPX document of ``plan`` (see :func:`write_gpx`)."""
    ET.register_namespace("", GPX_NS)
    # (a literal tag: tests/maps/test_html_safety.py allows template-like calls only those)
    root = ET.Element("{http://www.topografix.com/GPX/1/1}gpx",
                      {"version": "1.1", "creator": "Trygghetskartan"})
    area = str(getattr(plan, "area_name", "") or "")
    name = text.pick(f"Trygghetsvandring {area}", f"Safety walk {area}", lang).strip()
    meta = _sub(root, "metadata")
    _sub(meta, "name", name)
    _sub(meta, "desc", text.pick(f"Vandring {plan.walk_id}", f"Walk {plan.walk_id}", lang))
    stops = plan.stops.sort_values("stop")
    wgs = stops.to_crs(WGS84) if stops.crs is not None else stops
    names = [f"{int(s)}. {p if p is not None else ''}" for s, p in
             zip(wgs["stop"], wgs.get("place_name", [""] * len(wgs)), strict=True)]
    descs = [_categories(v, lang) for v in wgs.get("by_category", [None] * len(wgs))]
    for point, n, desc in zip(wgs.geometry, names, descs, strict=True):
        wpt = _sub(root, "wpt", **_lat_lon(point))
        _sub(wpt, "name", n)
        if desc:
            _sub(wpt, "desc", desc)
        _sub(wpt, "type", text.pick("Stopp", "Stop", lang))
    rte = _sub(root, "rte")
    _sub(rte, "name", name)
    for point, n in zip(wgs.geometry, names, strict=True):
        _sub(_sub(rte, "rtept", **_lat_lon(point)), "name", n)
    route = getattr(plan, "route", None)
    if route is not None and len(route):
        lines = route.to_crs(WGS84) if route.crs is not None else route
        trk = _sub(root, "trk")
        _sub(trk, "name", name)
        for line in (part for g in lines.geometry for part in _lines(g)):
            seg = _sub(trk, "trkseg")
            for x, y in shapely.get_coordinates(line):
                _sub(seg, "trkpt", lat=f"{y:.{DECIMALS}f}", lon=f"{x:.{DECIMALS}f}")
    ET.indent(root)
    return ET.ElementTree(root)


def write_gpx(plan: Any, out: str | Path, *, lang: str = "sv") -> Path:
    """Write ``plan`` as GPX 1.1 to ``out`` (atomically).

    Parameters
    ----------
    plan
        A :class:`layers.walks.plan.WalkPlan` or any object with ``walk_id``,
        ``area_name``, ``stops`` (GeoDataFrame with ``stop``, ``place_name``,
        ``by_category`` and point geometries in a known CRS) and ``route``
        (GeoDataFrame of a line, or ``None``).
    out
        The file to write (``rutt.gpx``).
    lang
        ``sv`` (default) or ``en`` for the names of the route and the category
        labels in the waypoints' descriptions.

    Returns
    -------
    Path
        The file written.
    """
    tree = gpx_tree(plan, lang=lang)
    out = Path(out)
    with replacing(out) as tmp:
        tree.write(tmp, encoding="UTF-8", xml_declaration=True)
    return out


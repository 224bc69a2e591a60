"""The printed protocol of a safety walk (vandring.html), a printable A4 document.

Draws a planned walk (:class:`layers.walks.plan.WalkPlan`, or any object with the same
attributes) as a :mod:`maps.document`: the facts of the walk (stops, length, time,
start, sunset and the end of civil twilight), an overview map with the numbered
route, who walked and whether it was light or dark, and one section per stop with
what has been reported there, earlier findings and their status, what to look at
(:data:`maps.i18n.WALK_CHECKLIST`) and empty fields to fill in on the spot:
observation, category, the nine scores 0–3, proposed action, responsible, priority
and photo reference. The recent report texts are printed only for an internal
audience.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from trygg.geo import text
from trygg.layers.labels import label
from trygg.maps.document import write_document
from trygg.maps.i18n import WALK_CHECKLIST, WALK_PROTOCOL, texts
from trygg.maps.page import tool_version

__all__ = ["AUDIENCES", "RESPONSIBLE", "SCORES", "places_frame", "protocol_blocks",
           "write_places", "write_walk_protocol"]

#: Who the protocol is for: ``intern`` prints the recent report texts, ``publik`` not.
AUDIENCES = ("intern", "publik")
#: The parties an action can be given to, unless the organiser configures others.
RESPONSIBLE = ("kommun", "fastighetsagare", "polis", "annan")
#: The safety-audit parameters rated 0–3 at each stop (``layers.walks.protocol``).
SCORES = ("lighting", "openness", "visibility", "people", "security", "walk_path",
          "transport", "diversity", "feeling")
#: Who walked, and when (``layers.walks.protocol`` GROUPS and LIGHT).
GROUPS = ("kvinnor", "man", "unga", "aldre", "funktionsnedsattning", "blandad", "annan")
LIGHT = ("ljust", "morkt")
PRIORITIES = ("hog", "medel", "lag")
#: Topics every stop is checked for, when a stop names none.
DEFAULT_TOPICS = ("belysning", "tydlighet")
#: Colours of the overview map.
ROUTE_COLOUR = "#7b1f4b"
#: Margin around the route on the overview map (share of its extent, and at least metres).
MAP_MARGIN, MAP_MARGIN_MIN = 0.08, 60.0


def _t(key: str, lang: str, **fields: object) -> str:
    sv, en = WALK_PROTOCOL[key]
    return (en if lang == "en" else sv).format(**fields)


def _json(value: Any, default: Any) -> Any:
    """A JSON column's value: parsed text, or the value if it already is a list/dict."""
    if isinstance(value, (list, dict)):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return json.loads(value)
        except ValueError:
            return default
    return default


def _pair(note: Any, lang: str) -> str:
    """A note: plain text, or a (Swedish, English) pair."""
    if isinstance(note, (tuple, list)) and len(note) == 2:
        return text.pick(str(note[0]), str(note[1]), lang)
    return str(note)


def _metres(value: Any, lang: str) -> str:
    """A distance: whole metres below a kilometre, else kilometres with one decimal."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    v = float(value)
    return (f"{text.number(v, lang=lang)} m" if v < 1000 else
            _t("km", lang, km=text.number(v / 1000, 1, lang=lang)))


def _int(value: Any) -> int:
    """A count as a whole number; missing (None, NaN) as 0."""
    try:
        return 0 if value is None or pd.isna(value) else int(value)
    except (TypeError, ValueError):
        return 0


def _duration(minutes: Any, lang: str) -> str:
    if minutes is None or (isinstance(minutes, float) and not math.isfinite(minutes)):
        return "–"
    whole = int(round(float(minutes)))
    if whole < 60:
        return _t("minutes", lang, m=text.number(whole, lang=lang))
    return _t("hours", lang, h=text.number(whole // 60, lang=lang),
              m=text.number(whole % 60, lang=lang))


def _clock(value: Any) -> str | None:
    """A time of day (HH:MM, 24-hour clock, the value's own zone), or ``None``."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    return text.datetime(pd.Timestamp(value)).split(" ")[-1]


def _start_text(start: Any, lang: str) -> str:
    """The start as people read it: its label, else its coordinates."""
    if start is None:
        return "–"
    if isinstance(start, str):
        return start
    if isinstance(start, shapely.Point):
        return f"{text.number(start.x, lang=lang)}, {text.number(start.y, lang=lang)}"
    items = list(start) if isinstance(start, (tuple, list)) else [start]
    if len(items) >= 3 and items[2]:
        return str(items[2])
    if len(items) >= 2:
        return f"{text.number(items[0], lang=lang)}, {text.number(items[1], lang=lang)}"
    return str(items[0])


def _geojson(geoms: Iterable, **properties: list) -> dict:
    frame = gpd.GeoDataFrame(properties, geometry=gpd.GeoSeries(list(geoms)))
    return json.loads(frame.to_json(drop_id=True))


def _area_geometry(area: Any):
    if area is None:
        return None
    if isinstance(area, (gpd.GeoSeries, gpd.GeoDataFrame)):
        geoms = area.geometry if isinstance(area, gpd.GeoDataFrame) else area
        return shapely.union_all(list(geoms)) if len(geoms) else None
    return area if isinstance(area, shapely.Geometry) else None


def _bbox(stops: gpd.GeoDataFrame, route: gpd.GeoDataFrame | None,
          start_point) -> list[float]:
    geoms = list(stops.geometry) + (list(route.geometry) if route is not None else [])
    if start_point is not None:
        geoms.append(start_point)
    x0, y0, x1, y1 = shapely.GeometryCollection([g for g in geoms if g is not None]).bounds
    pad = max(MAP_MARGIN * max(x1 - x0, y1 - y0), MAP_MARGIN_MIN)
    return [x0 - pad, y0 - pad, x1 + pad, y1 + pad]


def _start_point(start: Any):
    if isinstance(start, shapely.Point):
        return start
    if isinstance(start, (tuple, list)) and len(start) >= 2:
        try:
            return shapely.Point(float(start[0]), float(start[1]))
        except (TypeError, ValueError):
            return None
    return None


def overview_map(plan: Any, *, lang: str = "sv") -> dict:
    """The overview ``map`` block: the area, the route line, the start and the stops
    numbered in walking order (projected metres of the plan's CRS)."""
    stops, route = plan.stops, getattr(plan, "route", None)
    start = _start_point(getattr(plan, "start", None))
    layers = []
    area = _area_geometry(getattr(plan, "area", None))
    if area is not None and not area.is_empty:
        layers.append({"geojson": _geojson([area]), "label": _t("map_area", lang),
                       "style": {"fill": "#e8e4da", "stroke": "#9c978c", "weight": 1,
                                 "dash": "4 3"}})
    if route is not None and len(route):
        layers.append({"geojson": _geojson(route.geometry), "label": _t("map_route", lang),
                       "style": {"stroke": ROUTE_COLOUR, "weight": 2.5}})
    if start is not None:
        layers.append({"geojson": _geojson([start], mark=["S"]), "label": _t("map_start", lang),
                       "text": "mark", "style": {"fill": "#111111", "stroke": "#ffffff",
                                                 "weight": 1.2, "radius": 7}})
    layers.append({"geojson": _geojson(stops.geometry, stop=[int(s) for s in stops["stop"]]),
                   "label": _t("map_stops", lang), "text": "stop",
                   "style": {"fill": ROUTE_COLOUR, "stroke": "#ffffff", "weight": 1.2,
                             "radius": 8}})
    return {"map": {"layers": layers, "bbox": _bbox(stops, route, start),
                    "caption": _t("map_caption", lang)}}


def _facts(plan: Any, lang: str) -> list[dict]:
    stops = plan.stops
    rows = [[_t("n_stops", lang), text.number(len(stops), lang=lang)],
            [_t("length", lang), _metres(getattr(plan, "length_m", None), lang)],
            [_t("time", lang), _duration(getattr(plan, "minutes", None), lang)],
            [_t("start", lang), _start_text(getattr(plan, "start", None), lang)]]
    date = getattr(plan, "date", None)
    if date is not None:
        rows.append([_t("date", lang), text.date(date)])
    sunset, dusk = _clock(getattr(plan, "sunset", None)), _clock(getattr(plan, "dusk", None))
    if sunset:
        rows.append([_t("sunset", lang), sunset])
    if dusk:
        rows.append([_t("dusk", lang), dusk])
    blocks: list[dict] = [{"h": _t("h_facts", lang)},
                          {"table": {"columns": [_t("fact", lang), _t("value", lang)],
                                     "rows": rows, "align": "ll"}},
                          {"note": _t("dark_note", lang, dusk=dusk) if dusk
                           else _t("dark_note_nodate", lang)}]
    blocks += [{"p": _pair(n, lang)} for n in getattr(plan, "notes", None) or []]
    return blocks


def _stop_list(stops: gpd.GeoDataFrame, lang: str) -> dict:
    rows = []
    for _, s in stops.iterrows():
        rows.append([text.number(int(s["stop"]), lang=lang), str(s.get("place_name") or ""),
                     text.number(_int(s.get("n_reports")), lang=lang),
                     _metres(s.get("leg_m"), lang), label("stop_origin", s.get("origin"),
                                                          lang=lang)])
    return {"table": {"columns": [_t("col_stop", lang), _t("col_place", lang),
                                  _t("col_reports", lang), _t("col_leg", lang),
                                  _t("col_origin", lang)], "rows": rows, "align": "rlrrl"}}


def _walked(lang: str) -> list[dict]:
    return [{"h": _t("h_walked", lang)}, {"p": _t("walked_intro", lang)},
            {"choices": [{"label": _t("group", lang),
                          "options": [label("walk_group", g, lang=lang) for g in GROUPS]},
                         {"label": _t("light", lang),
                          "options": [label("light", x, lang=lang) for x in LIGHT]}]},
            {"fields": _t("walked_fields", lang).split("|")}]


def _counts(counts: dict, field: str, lang: str) -> list[tuple[str, int]]:
    pairs = [(str(k), int(v)) for k, v in counts.items() if isinstance(v, (int, float))]
    return [(label(field, k, lang=lang), v) for k, v in sorted(pairs, key=lambda kv: -kv[1])]


def _reported(s: pd.Series, lang: str) -> list[dict]:
    blocks: list[dict] = [{"h3": _t("h3_reported", lang)}]
    n = _int(s.get("n_reports"))
    if not n:
        return [*blocks, {"p": _t("no_reports", lang)}]
    blocks.append({"p": _t("reported", lang, n=text.count(
        n, _t("report_one", lang), _t("report_many", lang), lang=lang))})
    by_category = _counts(_json(s.get("by_category"), {}), "category", lang)
    if by_category:
        blocks.append({"table": {"columns": [_t("category", lang), _t("count", lang)],
                                 "rows": [[c, text.number(v, lang=lang)]
                                          for c, v in by_category], "align": "lr"}})
    by_kind = _counts(_json(s.get("by_kind"), {}), "kind", lang)
    if by_kind:
        blocks.append({"p": _t("kinds", lang, kinds=", ".join(
            f"{k} {text.number(v, lang=lang)}" for k, v in by_kind))})
    return blocks


def _recent(s: pd.Series, lang: str) -> list[dict]:
    recent = [r for r in _json(s.get("recent"), []) if isinstance(r, dict)]
    if not recent:
        return []
    return [{"h3": _t("h3_recent", lang)}, {"note": _t("recent_note", lang)},
            {"table": {"columns": [_t("col_date", lang), _t("category", lang),
                                   _t("col_text", lang)],
                       "rows": [[text.date(r.get("date")),
                                 label("category", r.get("category"), lang=lang),
                                 str(r.get("text") or "")] for r in recent], "align": "lll"}}]


def _findings(s: pd.Series, lang: str) -> list[dict]:
    found = [f for f in _json(s.get("findings"), []) if isinstance(f, dict)]
    if not found:
        return []
    return [{"h3": _t("h3_findings", lang)},
            {"table": {"columns": [_t("col_date", lang), _t("category", lang),
                                   _t("col_status", lang), _t("col_action", lang),
                                   _t("col_action_status", lang)],
                       "rows": [[text.date(f.get("date")),
                                 label("category", f.get("category"), lang=lang),
                                 label("status", f.get("status"), lang=lang),
                                 str(f.get("action") or ""),
                                 label("action_status", f.get("action_status"), lang=lang)]
                                for f in found], "align": "lllll"}}]


def _checklist(s: pd.Series, lang: str) -> list[dict]:
    topics = [t for t in _json(s.get("topics"), []) if t in WALK_CHECKLIST]
    blocks: list[dict] = [{"h3": _t("h3_checklist", lang)}]
    for topic in topics or list(DEFAULT_TOPICS):
        blocks.append({"p": label("topic", topic, lang=lang)})
        blocks.append({"checklist": [{"text": q, "line": False}
                                     for q in WALK_CHECKLIST[topic][text.lang_of(lang)]]})
    return blocks


def _to_fill(lang: str, responsible: Iterable[str]) -> list[dict]:
    return [{"h3": _t("h3_notes", lang)},
            {"fields": [{"label": _t("observation", lang), "lines": 4},
                        _t("category_field", lang)]},
            {"h3": _t("h3_scores", lang)},
            {"boxes": {"corner": _t("parameter", lang),
                       "rows": [label("score", p, lang=lang) for p in SCORES],
                       "cols": [text.number(i, lang=lang) for i in range(4)],
                       "caption": _t("scores_caption", lang)}},
            {"fields": [{"label": _t("action", lang), "lines": 3}]},
            {"choices": [{"label": _t("responsible", lang),
                          "options": [label("responsible", r, lang=lang) for r in responsible]},
                         {"label": _t("priority", lang),
                          "options": [label("priority", p, lang=lang) for p in PRIORITIES]}]},
            {"fields": [_t("photo", lang)]}]


def _stop_blocks(s: pd.Series, previous: str, *, lang: str, audience: str,
                 responsible: Iterable[str]) -> list[dict]:
    blocks: list[dict] = [{"pagebreak": True},
                          {"h": _t("h_stop", lang, stop=int(s["stop"]),
                                   place=str(s.get("place_name") or ""))}]
    line = (_t("leg", lang, leg=_metres(s.get("leg_m"), lang), previous=previous,
               cum=_metres(s.get("cum_m"), lang)) if previous else
            _t("leg_first", lang, leg=_metres(s.get("leg_m"), lang)))
    if s.get("origin"):
        line += " " + _t("origin", lang, origin=label("stop_origin", s["origin"], lang=lang))
    blocks.append({"p": line})
    blocks += _reported(s, lang)
    if audience == "intern":
        blocks += _recent(s, lang)
    blocks += _findings(s, lang)
    blocks += _checklist(s, lang)
    blocks += _to_fill(lang, responsible)
    return blocks


def protocol_blocks(plan: Any, *, lang: str = "sv", audience: str = "intern",
                    responsible: Iterable[str] = RESPONSIBLE) -> tuple[str, str, list[dict]]:
    """Title, subtitle and blocks of the protocol of ``plan`` (see
    :func:`write_walk_protocol`)."""
    stops = plan.stops.sort_values("stop")
    area, date = str(getattr(plan, "area_name", "") or ""), getattr(plan, "date", None)
    title = (_t("title_date", lang, area=area, date=text.date(date)) if date is not None
             else _t("title", lang, area=area))
    subtitle = _t("subtitle", lang, walk=str(getattr(plan, "walk_id", "")),
                  stops=text.count(len(stops), _t("stop_one", lang), _t("stop_many", lang),
                                   lang=lang),
                  km=text.number((getattr(plan, "length_m", 0) or 0) / 1000, 1, lang=lang))
    blocks = _facts(plan, lang)
    blocks.append(overview_map(plan, lang=lang))
    blocks.append(_stop_list(stops, lang))
    blocks += _walked(lang)
    responsible = list(responsible)
    for i, (_, s) in enumerate(stops.iterrows()):
        previous = "" if i == 0 else _t("leg_stop", lang, n=int(stops["stop"].iloc[i - 1]))
        blocks += _stop_blocks(s, previous, lang=lang, audience=audience,
                               responsible=responsible)
    return title, subtitle, blocks


def write_walk_protocol(plan: Any, out: str | Path, *, lang: str = "sv",
                        audience: str = "intern",
                        responsible: Iterable[str] = RESPONSIBLE,
                        synthetic: bool | None = None) -> Path:
    """Write the printable protocol of a planned walk (``vandring.html``).

    Parameters
    ----------
    plan
        A :class:`layers.walks.plan.WalkPlan` or any object with its attributes:
        ``walk_id``, ``area_name``, ``stops`` (GeoDataFrame in route order, projected
        metres, columns ``stop``, ``place_name``, ``origin``, ``n_reports``,
        ``by_category``, ``by_kind``, ``recent``, ``findings``, ``topics`` (JSON text),
        ``leg_m``, ``cum_m``), ``route`` (GeoDataFrame, a line), ``start`` (x, y,
        label), ``length_m``, ``minutes``, ``date``, ``sunset``, ``dusk`` and ``notes``;
        ``area`` and ``synthetic`` are read when present.
    out
        The file to write (atomically).
    lang
        ``sv`` (default) or ``en``.
    audience
        ``intern`` (default) prints the recent report texts per stop, marked as
        internal; ``publik`` leaves them out (for participants outside the
        municipality).
    responsible
        The parties to tick for an action: codes with a label (``kommun``,
        ``fastighetsagare``, ``polis``, ``annan``) or any other text, printed as given.
    synthetic
        Mark the protocol as made from synthetic data; default: the plan's
        ``synthetic`` attribute, else no.

    Returns
    -------
    Path
        The file written.
    """

    from trygg.geo.errors import ArgumentError

    if audience not in AUDIENCES:
        raise ArgumentError(f"--audience ska vara intern eller publik, inte '{audience}'.",
                            f"--audience must be intern or publik, not '{audience}'.")
    title, subtitle, blocks = protocol_blocks(plan, lang=lang, audience=audience,
                                              responsible=responsible)
    banners = [{"text": _t(f"banner_{audience}", lang), "kind": audience}]
    if synthetic if synthetic is not None else bool(getattr(plan, "synthetic", False)):
        banners.insert(0, {"text": texts(lang)["synthetic"], "kind": "synthetic"})
    return write_document(out, title, blocks, lang=lang, subtitle=subtitle, banners=banners,
                          footer=_t("footer", lang, version=tool_version()))



#: The columns of ``platser.csv``, in order (a stop's JSON lists become text).
PLACE_COLUMNS = ("stop", "stop_id", "place_name", "origin", "n_reports", "by_category",
                 "topics", "leg_m", "cum_m")


def places_frame(plan: Any, *, lang: str = "sv") -> gpd.GeoDataFrame:
    """The stops of ``plan`` in walking order as a table for people: origin and
    topics as labels, distances in whole metres (``by_category`` stays JSON, which
    :func:`maps.export.write_frame` turns into a column per category)."""
    stops = plan.stops.sort_values("stop")
    frame = stops[[c for c in PLACE_COLUMNS if c in stops] + ["geometry"]].copy()
    if "origin" in frame:
        frame["origin"] = [label("stop_origin", o, lang=lang) for o in frame["origin"]]
    if "topics" in frame:
        frame["topics"] = [", ".join(label("topic", t, lang=lang) for t in _json(v, []))
                           for v in frame["topics"]]
    for col in ("leg_m", "cum_m"):
        if col in frame:
            frame[col] = frame[col].round(0).astype("Int64")
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=stops.crs)


def write_places(plan: Any, out: str | Path, *, lang: str = "sv") -> Path:
    """Write the stops of ``plan`` as ``platser.csv`` (or .xlsx) with readable headers,
    X/Y in the project CRS and lat/lon (WGS84), through :func:`maps.export.write_frame`."""
    from trygg.maps.export import write_frame

    return write_frame(places_frame(plan, lang=lang), out, lang=lang,
                       sheet=text.pick("Platser", "Places", lang),
                       title=text.pick(f"Stopp på vandringen {plan.walk_id}",
                                       f"Stops of the walk {plan.walk_id}", lang))

"""Plan a safety walk: the area, its stops, the route, the time it takes and when it is dark.

:func:`plan_walk` chooses the stops (:mod:`layers.walks.stops`), orders them into a
walkable loop or line (:mod:`geo.route`: nearest neighbour + 2-opt, along a street
network when one is given), times it, and stores it in the project as a run of kind
``walk``: layers ``walk_<id>_stops`` (points, in route order) and ``walk_<id>_route``
(the line), and a row in ``runs``. :func:`read_walk` reads it back for the outputs.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from trygg.geo.crs import transform_xy
from trygg.geo.errors import ArgumentError
from trygg.geo.route import (
    euclidean,
    network_distances,
    network_graph,
    order_stops,
    route_line,
    tour_length,
    walking_minutes,
)
from trygg.geo.sun import sun_times
from trygg.layers.areas import read_layer, split_layer
from trygg.layers.hotspots.runs import run_name
from trygg.layers.schema import TIMEZONE
from trygg.layers.walks import stops as stop_model

__all__ = ["DEFAULT_STOPS", "MAX_STOPS", "WalkPlan", "plan_walk", "read_walk", "resolve_area"]

#: Stops when neither ``stops`` nor ``max_km`` is given, and the most ever.
DEFAULT_STOPS = 12
MAX_STOPS = 60
STOP_COLUMNS = ("walk_id", "stop", "stop_id", "place_name", "origin", "rank_score",
                "n_reports", "by_category", "by_kind", "recent", "findings", "topics", "leg_m",
                "cum_m", "geometry")


@dataclass
class WalkPlan:
    """A planned walk: its stops (route order) and route, and when it is dark that day.

    ``sunset`` and ``dusk`` (end of civil twilight) are Europe/Stockholm times, or
    ``None`` without a ``date`` or when it does not happen that evening. ``notes`` are
    (Swedish, English) pairs. Lengths in metres, times in minutes.
    """

    walk_id: str
    area_name: str
    area: object
    stops: gpd.GeoDataFrame
    route: gpd.GeoDataFrame
    start: tuple[float, float, str]
    length_m: float
    minutes: float
    date: dt.date | None = None
    sunset: pd.Timestamp | None = None
    dusk: pd.Timestamp | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)
    layers: list[str] = field(default_factory=list)
    crs: str = "EPSG:3006"


def resolve_area(store, spec: str | Path) -> tuple[str, object]:
    """The walk's area: ``(name, polygon)`` in the project CRS.

    ``spec`` is a polygon file (``FILE`` or ``FILE:LAYER``; all its polygons make
    one area), or the name (or code, such as a plan's id) of an area in the project's
    ``areas`` layer (filled by ``trygg gazetteer`` from named polygons: towns,
    districts, detailed plans), compared without regard to case.

    Raises
    ------
    ArgumentError
        An unknown name (with the closest names), or a file without polygons.
    """
    from trygg.layers.geocoding import AREAS

    path, _layer = split_layer(spec)
    if path.is_file():
        frame = read_layer(spec, option="--area")
        polys = frame[frame.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
        if polys.empty:
            raise ArgumentError(f"--area '{spec}' innehåller inga ytor (polygoner).",
                                f"--area '{spec}' holds no polygons.")
        cols = {c.lower(): c for c in polys.columns}
        col = cols.get("namn", cols.get("name"))
        name = (", ".join(polys[col].astype(str).unique()[:3]) if col else path.stem)
        return name, shapely.union_all(polys.to_crs(store.crs).geometry.make_valid().to_numpy())
    areas = store.read_layer(AREAS) if AREAS in store.layers() else None
    text = str(spec).strip().lower()
    if areas is not None and len(areas):
        hit = areas[(areas["name"].str.lower() == text) | (areas["code"].str.lower() == text)]
        if len(hit):
            return str(hit["name"].iloc[0]), shapely.union_all(hit.geometry.to_numpy())
        from rapidfuzz import process

        close = [c for c, score, _ in process.extract(str(spec), areas["name"].tolist(),
                                                      limit=3) if score >= 60]
        known = ", ".join(close or areas["name"].tolist()[:8])
        raise ArgumentError(f"--area '{spec}' är varken en fil eller ett område i projektet. "
                            f"Menar du: {known}?",
                            f"--area '{spec}' is neither a file nor an area of the project. "
                            f"Did you mean: {known}?")
    raise ArgumentError(f"--area '{spec}' är ingen fil, och projektet har inga namngivna "
                        "områden. Ge en polygonfil, eller läs in tätorter och detaljplaner "
                        "med trygg gazetteer PROJEKT FIL.",
                        f"--area '{spec}' is not a file, and the project has no named areas. "
                        "Give a polygon file, or load towns and detailed plans with trygg "
                        "gazetteer PROJECT FILE.")


def _start_point(store, text: str, crs: str) -> tuple[float, float, str]:
    """``X,Y`` (project CRS), ``LAT,LON`` (WGS84, in Sweden) or a place the offline
    geocoder finds."""
    numbers = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*[,; ]\s*(-?\d+(?:\.\d+)?)\s*", text)
    if numbers:
        a, b = float(numbers.group(1)), float(numbers.group(2))
        if 54 <= a <= 70 and 10 <= b <= 25:  # latitude, longitude
            x, y = transform_xy(np.array([b]), np.array([a]), "EPSG:4326", crs)
            return float(x[0]), float(y[0]), text.strip()
        return a, b, text.strip()
    from trygg.layers.geocoding import geocoder_for

    geocoder = geocoder_for(store)
    found = geocoder.geocode([text]) if geocoder is not None else None
    if found is None or found["precision"].iloc[0] == "none":
        raise ArgumentError(f"--start '{text}' hittas inte i ortsregistret. Skriv en adress, "
                            "ett platsnamn eller X,Y i projektets koordinatsystem.",
                            f"--start '{text}' is not found in the gazetteer. Write an "
                            "address, a place name or X,Y in the project's coordinate "
                            "system.")
    return float(found["x"].iloc[0]), float(found["y"].iloc[0]), str(found["matched"].iloc[0])


def _sites(spec: str | Path | gpd.GeoDataFrame, crs: str, area) -> gpd.GeoDataFrame:
    frame = spec if isinstance(spec, gpd.GeoDataFrame) else read_layer(
        spec, option="--sites", what=("Filen med egna platser", "The file of own sites"))
    frame = frame[frame.geometry.notna()].to_crs(crs)
    pts = frame[frame.geometry.geom_type == "Point"]
    if pts.empty:
        raise ArgumentError("--sites innehåller inga punkter.", "--sites holds no points.")
    cols = {c.lower(): c for c in pts.columns}
    col = next((cols[c] for c in ("namn", "name", "plats", "place") if c in cols), None)
    names = pts[col].astype(str) if col else pd.Series([""] * len(pts), index=pts.index)
    return gpd.GeoDataFrame({"place_name": names.to_numpy()}, geometry=pts.geometry.to_numpy(),
                            crs=crs)


def _distances(xy: np.ndarray, network, option: str = "--network"):
    if network is None:
        return euclidean(xy), None, None
    net = network
    dist, paths = network_distances(net, xy, option=option)
    return dist, net, paths


def _fit(xy: np.ndarray, dist_of, n_max: int, max_m: float | None, keep: int, loop: bool
         ) -> int:
    """How many of the ranked candidates (the first ``keep`` always) make a route of
    at most ``max_m`` metres (all ``n_max`` without a limit)."""
    if max_m is None:
        return n_max
    count = max(keep, 1)
    for k in range(count + 1, n_max + 1):
        d = dist_of(k)
        if tour_length(order_stops(d, loop=loop), d, loop=loop) > max_m:
            break
        count = k
    return count


def plan_walk(store, area: str | Path, *, stops: int | None = None,
              max_km: float | None = None, sites: str | Path | gpd.GeoDataFrame | None = None,
              sites_mode: str = "mix", start: str | None = None,
              network: str | Path | None = None, date: str | dt.date | None = None,
              loop: bool = True, speed_kmh: float = 3.0, stop_minutes: float = 8.0,
              name: str | None = None, since: str | None = None) -> WalkPlan:
    """Plan a walk in ``area`` and store it in the project.

    Parameters
    ----------
    store
        The open project.
    area
        A polygon file or the name of an area (see :func:`resolve_area`).
    stops
        At most this many stops (default :data:`DEFAULT_STOPS`, or as many as fit
        ``max_km``).
    max_km
        Longest route, kilometres.
    sites, sites_mode
        The organiser's own places (point file or GeoDataFrame, with a name column);
        ``mix`` keeps them and adds the best other stops, ``only`` uses just them.
    start
        Where the walk starts: ``X,Y`` (project CRS, metres), ``LAT,LON`` or a place
        or address; default the best stop.
    network
        Street and path lines to walk along (file or ``FILE:LAYER``); default straight
        lines.
    date
        The day (for sunset and the end of civil twilight).
    loop
        Walk back to the start (default) or end at the last stop.
    speed_kmh, stop_minutes
        Walking speed of the group and minutes spent at each stop.
    name
        The walk's id (default ``walk_<UTC time>``).
    since
        Count only reports from this day (YYYY-MM-DD) on.

    Returns
    -------
    WalkPlan

    Raises
    ------
    ArgumentError
        An unknown area, an area with nothing to visit, a taken name, bad options.
    """
    if sites_mode not in ("mix", "only"):
        raise ArgumentError(f"sites_mode ska vara mix eller only, inte '{sites_mode}'.",
                            f"sites_mode must be mix or only, not '{sites_mode}'.")
    if stops is not None and not 1 <= stops <= MAX_STOPS:
        raise ArgumentError(f"--stops ska vara 1–{MAX_STOPS}, inte {stops}.",
                            f"--stops must be 1–{MAX_STOPS}, not {stops}.")
    if max_km is not None and max_km <= 0:
        raise ArgumentError(f"--max-km ska vara större än 0, inte {max_km}.",
                            f"--max-km must be more than 0, not {max_km}.")
    crs = store.crs
    walk_id = run_name("walk", name)
    layer_stops, layer_route = f"walk_{walk_id}_stops", f"walk_{walk_id}_route"
    if {layer_stops, layer_route} & set(store.layers()):
        raise ArgumentError(f"Det finns redan en vandring som heter '{walk_id}'. Välj ett "
                            "annat --name (eller ta bort den med trygg runs PROJEKT remove).",
                            f"A walk called '{walk_id}' already exists. Choose another "
                            "--name (or remove it with trygg runs PROJECT remove).")
    area_name, polygon = resolve_area(store, area)
    day = None if date is None else pd.Timestamp(date).date()
    from trygg.layers.geocoding import read_gazetteer
    from trygg.layers.hotspots.catalog import latest_layer
    from trygg.layers.walks.actions import read_actions

    reports = store.read_reports(["report_id", "source", "category", "kind", "status",
                                  "reported_at", "description"])
    reports = reports[reports.geometry.notna() & ~reports.geometry.is_empty]
    if since is not None:
        first = pd.Timestamp(since).tz_localize(TIMEZONE)
        reports = reports[pd.to_datetime(reports["reported_at"], utc=True) >= first]
    inside = reports[reports.geometry.within(polygon)]
    actions = read_actions(store)
    own = None if sites is None else _sites(sites, crs, polygon)
    cands = stop_model.candidates(
        reports, polygon, hotspots=latest_layer(store, "hotspots_"),
        hot_cells=latest_layer(store, "grid_", "gistar"), actions=actions, sites=own,
        sites_only=sites_mode == "only")
    ranked = stop_model.rank(cands, inside, actions=actions)
    if ranked.empty:
        raise ArgumentError(
            f"Området {area_name} har inga rapporter, hotspots eller tidigare fynd att "
            "besöka. Välj ett annat område, vidga --since eller ge egna platser med --sites.",
            f"The area {area_name} has no reports, hot spots or earlier findings to visit. "
            "Choose another area, widen --since or give your own sites with --sites.")
    keep = int(ranked["origin"].eq("site").sum())
    n_max = min(len(ranked), max(keep, stops or (MAX_STOPS if max_km else DEFAULT_STOPS)))
    net = None
    if network is not None:
        lines = read_layer(network, option="--network",
                           what=("Filen med gator och gångvägar", "The street and path file"))
        net = network_graph(lines.to_crs(crs).geometry.to_numpy())
    begin = _start_point(store, start, crs) if start else None
    pts = np.array([[g.x, g.y] for g in ranked.geometry])
    head = np.array([begin[:2]]) if begin else np.empty((0, 2))

    def dist_of(k: int):
        return _distances(np.vstack([head, pts[:k]]), net)[0]

    n = _fit(pts, dist_of, n_max, None if max_km is None else max_km * 1000.0, keep, loop)
    chosen = ranked.iloc[:n].reset_index(drop=True)
    xy = np.vstack([head, pts[:n]])
    dist, net_used, paths = _distances(xy, net)
    order = order_stops(dist, loop=loop)
    line = route_line(xy, order, loop=loop, net=net_used, paths=paths)
    visit = [i - len(head) for i in order if i >= len(head)]
    stops_frame = chosen.iloc[visit].reset_index(drop=True)
    legs = [float(dist[a, b]) for a, b in zip(order[:-1], order[1:], strict=True)]
    leg_m = ([0.0] if not begin else []) + legs
    length = tour_length(order, dist, loop=loop)
    minutes = walking_minutes(length, len(stops_frame), speed_kmh=speed_kmh,
                              stop_minutes=stop_minutes)
    gazetteer = read_gazetteer(store)
    described = stop_model.describe_stops(stops_frame, reports, gazetteer=gazetteer,
                                          actions=actions)
    described["walk_id"] = walk_id
    described["stop"] = np.arange(1, len(described) + 1, dtype=np.int64)
    described["stop_id"] = [f"{walk_id}-{k:02d}" for k in described["stop"]]
    described["leg_m"] = np.round(leg_m[:len(described)], 1)
    described["cum_m"] = np.round(np.cumsum(leg_m[:len(described)]), 1)
    stops_gdf = gpd.GeoDataFrame(described[list(STOP_COLUMNS)], geometry="geometry", crs=crs)
    start_xy = begin or (float(pts[visit[0]][0]), float(pts[visit[0]][1]),
                         str(stops_gdf["place_name"].iloc[0]))
    route = gpd.GeoDataFrame({"walk_id": [walk_id], "length_m": [round(length, 1)],
                              "minutes": [round(minutes, 1)], "loop": [bool(loop)]},
                             geometry=[line], crs=crs)
    sunset = dusk = None
    if day is not None:
        c = polygon.centroid
        lon, lat = transform_xy(np.array([c.x]), np.array([c.y]), crs, "EPSG:4326")
        sunset, dusk = sun_times(day, float(lon[0]), float(lat[0]))
    notes: list[tuple[str, str]] = []
    if n < n_max:
        notes.append((f"{n} stopp ryms inom {max_km} km.", f"{n} stops fit within {max_km} km."))
    if len(chosen) < (stops or 0):
        notes.append((f"Området har bara {len(chosen)} platser att besöka.",
                      f"The area has only {len(chosen)} places to visit."))
    plan = WalkPlan(walk_id=walk_id, area_name=area_name, area=polygon, stops=stops_gdf,
                    route=route, start=start_xy, length_m=float(length),
                    minutes=float(minutes), date=day, sunset=sunset, dusk=dusk, notes=notes,
                    layers=[layer_stops, layer_route], crs=crs)
    _store(store, plan, network=network, speed_kmh=speed_kmh, stop_minutes=stop_minutes,
           sites=sites, sites_mode=sites_mode, since=since)
    return plan


def _iso(value) -> str | None:
    return None if value is None else value.isoformat()


def _store(store, plan: WalkPlan, **options) -> None:
    params = {"area": plan.area_name, "date": None if plan.date is None else str(plan.date),
              "start": list(plan.start), "sunset": _iso(plan.sunset), "dusk": _iso(plan.dusk),
              "stops": len(plan.stops), "length_m": round(plan.length_m, 1),
              "minutes": round(plan.minutes, 1),
              "loop": bool(plan.route["loop"].iloc[0]),
              "network": None if options["network"] is None else str(options["network"]),
              "speed_kmh": options["speed_kmh"],
              "stop_minutes": options["stop_minutes"],
              "sites": None if options["sites"] is None or isinstance(
                  options["sites"], gpd.GeoDataFrame) else str(options["sites"]),
              "sites_mode": options["sites_mode"], "since": options["since"],
              "area_wkt": shapely.to_wkt(plan.area, rounding_precision=1),
              "notes": plan.notes}
    record = pd.DataFrame([{
        "run_id": plan.walk_id, "kind": "walk", "created_at": datetime.now(UTC),
        "params": json.dumps(params, ensure_ascii=False),
        "inputs": json.dumps({"reports": store.count("reports")}),
        "layers": json.dumps(plan.layers)}])
    with store.transaction() as tx:
        tx.replace(plan.layers[0], plan.stops)
        tx.replace(plan.layers[1], plan.route)
        tx.append("runs", record)


def read_walk(store, walk_id: str) -> WalkPlan:
    """A walk stored by :func:`plan_walk`, read back.

    Raises
    ------
    ArgumentError
        When the project has no walk ``walk_id``.
    """
    runs = store.read("runs")
    row = runs[(runs["run_id"] == walk_id) & (runs["kind"] == "walk")]
    layer_stops, layer_route = f"walk_{walk_id}_stops", f"walk_{walk_id}_route"
    if row.empty or layer_stops not in store.layers():
        known = ", ".join(runs.loc[runs["kind"] == "walk", "run_id"].astype(str)) or "inga"
        raise ArgumentError(f"Projektet har ingen vandring {walk_id} (finns: {known}).",
                            f"The project has no walk {walk_id} (there are: "
                            f"{known.replace('inga', 'none')}).")
    p = json.loads(row.iloc[-1]["params"])
    stops = store.read_layer(layer_stops).sort_values("stop").reset_index(drop=True)
    route = store.read_layer(layer_route)

    def when(value):
        return None if not value else pd.Timestamp(value).tz_convert(TIMEZONE)

    start = p.get("start") or [stops.geometry.iloc[0].x, stops.geometry.iloc[0].y, ""]
    return WalkPlan(walk_id=walk_id, area_name=p.get("area", ""),
                    area=shapely.from_wkt(p["area_wkt"]) if p.get("area_wkt") else None,
                    stops=stops, route=route,
                    start=(float(start[0]), float(start[1]), str(start[2])),
                    length_m=float(p.get("length_m", 0.0)), minutes=float(p.get("minutes", 0)),
                    date=None if not p.get("date") else pd.Timestamp(p["date"]).date(),
                    sunset=when(p.get("sunset")), dusk=when(p.get("dusk")),
                    notes=[tuple(n) for n in p.get("notes", [])],
                    layers=[layer_stops, layer_route], crs=store.crs)

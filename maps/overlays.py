"""Analysis layers on the map: the Gi* grid by class and hotspot areas by rank.

Reads the layers a hotspot run stored (``grid_<run>``, ``hotspots_<run>``);
computes nothing. Each overlay travels to the page as GeoJSON (WGS84) with a
whitelist of properties, and the page builds its popups with ``textContent``.
"""

from __future__ import annotations

import datetime
import json
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from trygg.geo import text
from trygg.layers.labels import label
from trygg.layers.store import GeoPackageStore

WGS84 = "EPSG:4326"
#: Gi* classes and their colours (ColorBrewer RdBu), hot first.
GISTAR_CLASSES = {
    "hot_99": "#b2182b", "hot_95": "#ef8a62", "hot_90": "#fddbc7",
    "cold_90": "#d1e5f0", "cold_95": "#67a9cf", "cold_99": "#2166ac",
}
#: Class columns of the other grid methods: column → {class: (colour, sv, en)};
#: classes not listed (no_change, no_pattern, neither) are not drawn.
CLASS_OVERLAYS = {
    "change": {
        "increase": ("#d73027", "Ökning", "Increase"),
        "decrease": ("#4575b4", "Minskning", "Decrease"),
    },
    "pattern": {
        **{f"{p}_hot": (c, f"{sv} hotspot", f"{en} hot spot") for p, c, sv, en in (
            ("new", "#fee090", "Ny", "New"), ("consecutive", "#fdae61", "Sammanhängande",
                                                "Consecutive"),
            ("intensifying", "#a50026", "Förstärkt", "Intensifying"),
            ("persistent", "#d73027", "Bestående", "Persistent"),
            ("diminishing", "#f46d43", "Avtagande", "Diminishing"),
            ("sporadic", "#fdd0a2", "Sporadisk", "Sporadic"),
            ("oscillating", "#e7d4e8", "Växlande", "Oscillating"),
            ("historical", "#bdbdbd", "Historisk", "Historical"))},
        **{f"{p}_cold": (c, f"{sv} coldspot", f"{en} cold spot") for p, c, sv, en in (
            ("new", "#e0f3f8", "Ny", "New"), ("consecutive", "#abd9e9", "Sammanhängande",
                                                "Consecutive"),
            ("intensifying", "#313695", "Förstärkt", "Intensifying"),
            ("persistent", "#4575b4", "Bestående", "Persistent"),
            ("diminishing", "#74add1", "Avtagande", "Diminishing"),
            ("sporadic", "#c6dbef", "Sporadisk", "Sporadic"),
            ("oscillating", "#d9d9d9", "Växlande", "Oscillating"),
            ("historical", "#969696", "Historisk", "Historical"))},
    },
    "divergence": {
        "unsafe_not_crime": ("#1b9e77", "Otrygghet utan brott (belysning, utformning)",
                             "Unsafety without crime (lighting, design)"),
        "crime_not_unsafe": ("#d95f02", "Brott utan upplevd otrygghet (polisiärt)",
                             "Crime without perceived unsafety (policing)"),
        "both": ("#7570b3", "Både otrygghet och brott", "Both unsafety and crime"),
    },
}
CLASS_NAMES = {"change": ("Förändring mellan två perioder", "Change between two periods"),
               "pattern": ("Trender över tid", "Trends over time"),
               "divergence": ("Otrygghet och brott", "Unsafety and crime")}
#: The hotspot method that writes each class column (its runs' default name).
_COLUMN_METHODS = {"change": "change", "pattern": "emerging", "divergence": "divergence"}

#: Popup fields per overlay kind: (property, Swedish label, English label), in plain
#: words (the page's "Om kartan" panel explains z-values, p and FDR).
FIELDS = {
    "gistar": [("n", "Rapporter i rutan", "Reports in the cell"),
               ("gistar", "Avvikelse från det väntade (z-värde)",
                "Departure from the expected (z-score)"),
               ("padj", "Sannolikhet att det är slumpen (p, justerat för många test)",
                "Probability that it is chance (p, adjusted for many tests)"),
               ("klass_label", "Resultat", "Result")],
    "cells": [("n", "Rapporter i rutan", "Reports in the cell")],
    "classes": [("klass_label", "Resultat", "Result"),
                ("n", "Rapporter i rutan", "Reports in the cell"),
                ("n_a", "Period A", "Period A"), ("n_b", "Period B", "Period B"),
                ("n_unsafe", "Otrygghet/brist", "Unsafety/defects"),
                ("n_crime", "Brott", "Crime"),
                ("trend_z", "Trendens styrka (z-värde)", "Strength of the trend (z-score)")],
    "hotspots": [("name", "Plats", "Place"), ("rank", "Rang", "Rank"),
                 ("n", "Rapporter", "Reports"), ("period", "Period", "Period"),
                 ("share_dark", "Andel i mörker", "Share after dark"),
                 ("share_night", "Andel natt (22–06)", "Share at night (22–06)"),
                 ("busiest", "Flest rapporter (veckodag, timme)",
                  "Most reports (weekday, hour)"),
                 ("categories", "Kategorier", "Categories"),
                 ("sources", "Källor", "Sources")],
}


def kde_images(store: GeoPackageStore, runs: list[str] | None) -> list[tuple[str, Path]]:
    """(run, GeoTIFF) of the named KDE runs (where the store keeps their rasters)."""
    if not runs:
        return []
    table = store.read("runs")
    paths = []
    for run in runs:
        rows = table[table["run_id"] == run]
        for name in (json.loads(rows.iloc[0]["layers"]) if len(rows) else []):
            path = store.raster_path(name) if name.endswith(".tif") else None
            if path is not None:
                paths.append((run, path))
    return paths


#: Colours of the density image, low to high (ColorBrewer YlOrRd).
KDE_COLOURS = np.array([[255, 255, 178], [254, 204, 92], [253, 141, 60], [240, 59, 32],
                        [189, 0, 38]], dtype=float)


def kde_overlay(path: Path, *, run: str, lang: str = "sv") -> dict:
    """A KDE GeoTIFF as a transparent PNG image overlay in Web Mercator.

    The raster is reprojected (bilinear) to EPSG:3857, the map's own
    projection, so it lines up with the other layers; densities below 2 % of
    the peak are left transparent.
    """
    import base64

    import rasterio
    from rasterio.errors import NotGeoreferencedWarning
    from rasterio.io import MemoryFile
    from rasterio.transform import array_bounds
    from rasterio.warp import (
        Resampling,
        calculate_default_transform,
        reproject,
        transform_bounds,
    )

    with rasterio.open(path) as src:
        transform, width, height = calculate_default_transform(
            src.crs, "EPSG:3857", src.width, src.height, *src.bounds)
        image = np.zeros((height, width), dtype="float32")
        reproject(rasterio.band(src, 1), image, dst_transform=transform, dst_crs="EPSG:3857",
                  resampling=Resampling.bilinear)
    peak = float(np.nanmax(image)) if image.size else 0.0
    scaled = np.clip(image / peak, 0, 1) if peak > 0 else np.zeros_like(image)
    pos = scaled * (len(KDE_COLOURS) - 1)
    low = np.floor(pos).astype(int).clip(0, len(KDE_COLOURS) - 2)
    frac = (pos - low)[..., None]
    rgb = KDE_COLOURS[low] * (1 - frac) + KDE_COLOURS[low + 1] * frac
    alpha = np.where(scaled < 0.02, 0, 90 + 150 * scaled)
    rgba = np.concatenate([rgb, alpha[..., None]], axis=2).round().astype("uint8")
    with warnings.catch_warnings():  # a plain PNG has no georeferencing, by design
        warnings.simplefilter("ignore", NotGeoreferencedWarning)
        with MemoryFile() as mem:
            with mem.open(driver="PNG", width=width, height=height, count=4,
                          dtype="uint8") as dst:
                dst.write(np.moveaxis(rgba, 2, 0))
            png = mem.read()
    west, south, east, north = transform_bounds(
        "EPSG:3857", "EPSG:4326", *array_bounds(height, width, transform))
    en = lang == "en"
    unit = "reports per km²" if en else "rapporter per km²"
    return {
        "kind": "image", "name": ("Täthet av rapporter (utjämnad yta)" if not en else
                                  "Density of reports (smoothed surface)")
        + _run_suffix(run, "kde"),
        "url": "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
        "bounds": [[south, west], [north, east]], "fields": [], "colours": {},
        "legend": [["low", f"0 {unit}", "#ffffb2"],
                   ["high", f"{text.number(peak, lang=lang)} {unit}", "#bd0026"]],
    }


def run_layers(store: GeoPackageStore, runs: list[str] | None = None) -> list[str]:
    """Map-ready layers of the given runs, or of the latest Gi* and clusters runs
    (change, emerging and divergence grids are shown when named in ``runs``)."""
    available = store.layers()
    if runs:
        return [name for run in runs for name in (f"grid_{run}", f"hotspots_{run}",
                                                  f"camera_views_{run}", f"walk_{run}_stops")
                if name in available]
    table = store.read("runs")
    chosen: list[str] = []
    for kind in ("gistar", "clusters"):
        rows = table[table["kind"] == kind].sort_values("created_at")
        if len(rows):
            chosen += [n for n in json.loads(rows.iloc[-1]["layers"]) if n in available]
    return list(dict.fromkeys(chosen))


def _rounded(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    for col in frame.columns:
        if col != "geometry" and frame[col].dtype.kind == "f":
            frame[col] = frame[col].replace([np.inf, -np.inf], np.nan).round(2)
    return frame


def _geojson(frame: gpd.GeoDataFrame) -> dict:
    wgs = frame.to_crs(WGS84)
    wgs = wgs.set_geometry(wgs.geometry.set_precision(1e-6))
    return json.loads(wgs.to_json(drop_id=True))


def _run_suffix(run: str, default: str) -> str:
    """`` – run`` after a layer's name, unless the run has the method's own name."""
    return "" if run == default else f" – {run}"


def _cell_size(store: GeoPackageStore, layer: str) -> float | None:
    """The cell size (metres) the run of ``layer`` chose, or ``None`` if not recorded."""
    if "runs" not in store.layers():
        return None
    for params in store.read("runs")["params"]:
        try:
            cell = json.loads(params or "{}").get("chosen", {}).get(layer, {}).get("cell")
        except (AttributeError, TypeError, ValueError):
            continue
        if isinstance(cell, (int, float)) and cell > 0:
            return float(cell)
    return None


def _texts(values: pd.Series, write) -> list[str]:
    """``write(value)`` of each value, ``""`` where the value is missing."""
    return [write(float(v)) if pd.notna(v) else "" for v in values]


#: English of the weekdays in ``busiest`` ("lör 21–22"), which the layers write in Swedish.
WEEKDAYS_EN = {"mån": "Mon", "tis": "Tue", "ons": "Wed", "tor": "Thu", "fre": "Fri",
               "lör": "Sat", "sön": "Sun"}


def busiest_text(busiest: object, lang: str = "sv") -> str | None:
    """The busiest weekday and hour ("lör 21–22") in ``lang``; ``None`` if missing."""
    if not isinstance(busiest, str):
        return None
    if lang != "en":
        return busiest
    return " ".join(WEEKDAYS_EN.get(word, word) for word in busiest.split(" "))


#: Count columns of the grids: whole numbers, or weighted sums (``--weights``, half-life).
_COUNTS = ("n", "n_a", "n_b", "n_unsafe", "n_crime")


def _whole_or_text(frame: pd.DataFrame, lang: str) -> None:
    """Counts as whole numbers (the page writes their thousands), weighted sums as text
    with one decimal (:func:`geo.text.number`), in place."""
    for col in _COUNTS:
        if col not in frame or frame[col].dtype.kind not in "fiu":
            continue
        values = frame[col]
        if values.dropna().mod(1).eq(0).all():
            frame[col] = values.astype("Int64")
        else:
            frame[col] = _texts(values, lambda v: text.number(v, 1, lang=lang))


def overlay(store: GeoPackageStore, layer: str, *, lang: str = "sv") -> dict | None:
    """One analysis layer as an overlay for the page, or ``None`` if it has nothing to show.

    Gi* grids keep only significant cells; hotspot areas keep every polygon. Names,
    fields and classes are in plain words (classes from :mod:`layers.labels`); decimals,
    p-values and shares reach the page written for ``lang`` (:mod:`geo.text`), counts
    as numbers.
    """
    from trygg.layers import schema

    en = lang == "en"
    if layer.startswith("camera_views_"):
        return camera_views(store, layer, lang=lang)
    if layer.startswith("walk_") and layer.endswith("_stops"):
        return walk_overlay(store, layer[len("walk_"):-len("_stops")], lang=lang)
    run = layer.split("_", 1)[1]
    frame = store.read_layer(layer)
    if "klass" in frame:
        frame = frame[frame["klass"].isin(GISTAR_CLASSES)].copy()
        if frame.empty:
            return None
        frame["klass_label"] = frame["klass"].map(lambda k: label("klass", k, lang=lang))
        frame["gistar"] = _texts(frame["gistar"], lambda z: text.number(z, 2, lang=lang))
        frame["padj"] = _texts(frame["padj"], lambda p: text.p_value(p, lang=lang))
        _whole_or_text(frame, lang)
        cell = _cell_size(store, layer)
        size = text.number(cell, None, lang=lang) if cell else None
        name = (text.pick(f"Hotspots (Gi*-analys, {size} m rutor)",
                          f"Hot spots (Gi* analysis, {size} m cells)", lang) if size else
                text.pick("Hotspots (Gi*-analys)", "Hot spots (Gi* analysis)", lang))
        kind, name = "gistar", name + _run_suffix(run, "gistar")
        keep = ["n", "gistar", "padj", "klass", "klass_label"]
    elif "hotspot_id" in frame:
        kind, name = "hotspots", text.pick(
            "Hotspotområden (täta samlingar av rapporter)",
            "Hot spot areas (dense groups of reports)", lang) + _run_suffix(run, "clusters")
        frame = frame.sort_values("rank").copy()
        if "by_category" in frame:
            frame["categories"] = [
                ", ".join(f"{schema.category_label(c, lang)} {v}" for c, v in
                          sorted(json.loads(t).items(), key=lambda kv: -kv[1])[:5])
                if isinstance(t, str) and t else "" for t in frame["by_category"]]
        if "by_source" in frame:
            frame["sources"] = [
                ", ".join(f"{schema.source_label(c, lang)} {v}" for c, v in
                          sorted(json.loads(t).items(), key=lambda kv: -kv[1]))
                if isinstance(t, str) and t else "" for t in frame["by_source"]]
        if "busiest" in frame:
            frame["busiest"] = [busiest_text(b, lang) for b in frame["busiest"]]
        for col in ("share_dark", "share_night"):
            if col in frame:
                frame[col] = _texts(frame[col], lambda v: text.percent(v, lang=lang))
        if "first" in frame and "last" in frame:
            first = pd.to_datetime(frame["first"], utc=True).dt.tz_convert(schema.TIMEZONE)
            last = pd.to_datetime(frame["last"], utc=True).dt.tz_convert(schema.TIMEZONE)
            frame["period"] = (first.dt.strftime("%Y-%m-%d") + " – "
                               + last.dt.strftime("%Y-%m-%d")).fillna("")
        keep = [f for f, _, _ in FIELDS["hotspots"] if f in frame] + ["hotspot_id",
                                                                       "weekday_hour"]
    elif (column := next((c for c in CLASS_OVERLAYS if c in frame), None)) is not None:
        classes = CLASS_OVERLAYS[column]
        frame = frame[frame[column].isin(classes)].copy()
        if frame.empty:
            return None
        frame["klass"] = frame[column]
        frame["klass_label"] = frame[column].map(lambda k: label(column, k, lang=lang))
        _whole_or_text(frame, lang)
        if "trend_z" in frame:
            frame["trend_z"] = _texts(frame["trend_z"], lambda z: text.number(z, 2, lang=lang))
        kind, name = "classes", CLASS_NAMES[column][en]
        keep = ["klass", "klass_label"] + [f for f, _, _ in FIELDS["classes"][1:] if f in frame]
        present = set(frame["klass"])
        return {
            "kind": "gistar", "name": name + _run_suffix(run, _COLUMN_METHODS[column]),
            "fields": [[f, en_l if en else sv_l] for f, sv_l, en_l in FIELDS["classes"]
                       if f in keep],
            "colours": {k: v[0] for k, v in classes.items()},
            "legend": [[k, label(column, k, lang=lang), v[0]] for k, v in classes.items()
                       if k in present],
            "geojson": _geojson(_rounded(gpd.GeoDataFrame(
                frame[keep + ["geometry"]], geometry="geometry", crs=frame.crs))),
        }
    else:
        return None
    frame = gpd.GeoDataFrame(frame[[c for c in keep if c in frame] + ["geometry"]],
                             geometry="geometry", crs=frame.crs)
    for col in frame.columns:
        if col != "geometry" and frame[col].dtype.kind == "f":
            frame[col] = frame[col].replace([np.inf, -np.inf], np.nan).round(3)
    return {
        "kind": kind, "name": name,
        "fields": [[f, en_l if en else sv_l] for f, sv_l, en_l in FIELDS[kind]],
        "colours": GISTAR_CLASSES,
        "chart": ("Rapporter per veckodag och timme" if not en else
                  "Reports by weekday and hour"),
        "weekdays": (["mån", "tis", "ons", "tor", "fre", "lör", "sön"] if not en else
                     ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]),
        "legend": ([[k, label("klass", k, lang=lang), c] for k, c in GISTAR_CLASSES.items()
                    if k in set(frame["klass"])] if kind == "gistar" else
                   [["area", text.pick("Hotspotområde, numrerat efter antal rapporter",
                                       "Hot spot area, numbered by its reports", lang),
                     "outline"]]),
        "geojson": _geojson(frame),
    }


#: Colour of the areas proposed cameras would watch.
CAMERA_COLOUR = "#6a3d9a"
#: Popup fields of a camera view: (property, Swedish, English).
CAMERA_FIELDS = [("site_id", "Kameraplats", "Camera site"), ("rank", "Rang", "Rank"),
                 ("n", "Rapporter den skulle se", "Reports it would see"),
                 ("share", "Sammanlagd täckning", "Cumulative coverage"),
                 ("hours_window", "Tider som rymmer de flesta", "Hours holding most"),
                 ("privacy_cost", "Integritetskostnad", "Privacy cost")]


def camera_views(store: GeoPackageStore, layer: str, *, lang: str = "sv") -> dict | None:
    """The areas a camera run's chosen sites would watch (``camera_views_<run>``), with
    each site's rank, coverage, hours and privacy cost in its popup."""
    run = layer[len("camera_views_"):]
    views = store.read_layer(layer)
    if views.empty:
        return None
    sites = store.read_layer(f"camera_sites_{run}")
    frame = views.merge(sites.drop(columns="geometry").drop(columns="rank", errors="ignore"),
                        on="site_id", how="left").sort_values("rank")
    frame["klass"] = "camera_view"
    frame["share"] = _texts(frame["share"], lambda v: text.percent(v, 1, lang=lang))
    frame["hours_window"] = frame["hours_window"].fillna("").str.replace("-", "–")
    frame["privacy_cost"] = frame["privacy_cost"].fillna(0).round(0).astype(int)
    frame["n"] = frame["n"].fillna(0).astype(int)
    keep = [f for f, _, _ in CAMERA_FIELDS]
    name = text.pick("Föreslagna kameror (bevakningsområden)",
                     "Proposed cameras (areas watched)", lang) + _run_suffix(run, "cameras")
    return {
        "kind": "gistar", "name": name,
        "fields": [[f, en_l if lang == "en" else sv_l] for f, sv_l, en_l in CAMERA_FIELDS],
        "colours": {"camera_view": CAMERA_COLOUR},
        "legend": [["camera_view", text.pick("Område en föreslagen kamera skulle se",
                                             "Area a proposed camera would see", lang),
                    CAMERA_COLOUR]],
        "geojson": _geojson(gpd.GeoDataFrame(frame[keep + ["klass", "geometry"]],
                                             geometry="geometry", crs=views.crs)),
    }


#: Sequential colours for report counts per cell (ColorBrewer YlOrRd, 5 classes).
COUNT_COLOURS = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")


def count_cells(cells: gpd.GeoDataFrame, *, lang: str = "sv", name: str | None = None) -> dict:
    """Report counts per cell (from ``layers.hotspots.hotspot_count``) as an overlay:
    empty cells left out, five quantile classes."""
    en = lang == "en"
    frame = cells[cells["n"] > 0].copy()
    edges = np.unique(np.quantile(frame["n"], [0.2, 0.4, 0.6, 0.8])) if len(frame) else []
    klass = np.searchsorted(edges, frame["n"].to_numpy(), side="right")
    frame["klass"] = [f"c{k}" for k in klass]
    frame["n"] = frame["n"].round(0).astype(int)
    bounds = [frame["n"].min(), *[int(e) for e in edges], frame["n"].max()] if len(frame) else []
    legend = [[f"c{i}", f"{text.number(int(bounds[i]), lang=lang)}–"
               f"{text.number(int(bounds[i + 1]), lang=lang)}", COUNT_COLOURS[i]]
              for i in range(len(bounds) - 1)]
    return {
        "kind": "cells",
        "name": name or ("Rapporter per ruta" if not en else "Reports per cell"),
        "fields": [[f, en_l if en else sv_l] for f, sv_l, en_l in FIELDS["cells"]],
        "colours": {f"c{i}": c for i, c in enumerate(COUNT_COLOURS)},
        "legend": legend,
        "geojson": _geojson(gpd.GeoDataFrame(frame[["n", "klass", "geometry"]],
                                             geometry="geometry", crs=cells.crs)),
    }


#: Colour of a safety walk's route and stops.
WALK_COLOUR = "#7b1f4b"
#: Popup fields of a walk's stop: (property, Swedish, English).
WALK_FIELDS = [("stop", "Stopp", "Stop"), ("place_name", "Plats", "Place"),
               ("n_reports", "Rapporter inom stoppets radie", "Reports within the stop's radius"),
               ("categories", "Kategorier", "Categories"), ("kinds", "Slag", "Kinds"),
               ("origin_label", "Valt som", "Chosen as"),
               ("leg", "Från föregående stopp", "From the previous stop")]


def _counts_text(value: object, field: str, lang: str, top: int = 5) -> str:
    """``{"klotter": 5, …}`` (JSON text) as "Klotter 5, …", largest first."""
    try:
        counts = json.loads(value) if isinstance(value, str) and value else {}
    except ValueError:
        return ""
    if not isinstance(counts, dict):
        return ""
    pairs = sorted(((str(k), v) for k, v in counts.items() if isinstance(v, (int, float))),
                   key=lambda kv: -kv[1])[:top]
    return ", ".join(f"{label(field, k, lang=lang)} {text.number(v, lang=lang)}"
                     for k, v in pairs)


def walk_overlay(store: GeoPackageStore, walk_id: str, *, lang: str = "sv") -> dict | None:
    """A safety walk (``walk_<id>_stops`` and ``walk_<id>_route``) as one overlay: the
    route line and the stops, numbered in walking order, each with its place and what
    has been reported there in its popup."""
    stops = store.read_layer(f"walk_{walk_id}_stops")
    if stops.empty:
        return None
    stops = stops.sort_values("stop").copy()
    stops["stop"] = stops["stop"].astype(int)
    stops["n_reports"] = stops.get("n_reports", pd.Series(0, index=stops.index)).fillna(0)
    stops["n_reports"] = stops["n_reports"].astype(int)
    stops["categories"] = [_counts_text(v, "category", lang) for v in
                           stops.get("by_category", pd.Series("", index=stops.index))]
    stops["kinds"] = [_counts_text(v, "kind", lang) for v in
                      stops.get("by_kind", pd.Series("", index=stops.index))]
    stops["origin_label"] = [label("stop_origin", v, lang=lang) for v in
                             stops.get("origin", pd.Series("", index=stops.index))]
    stops["leg"] = [f"{text.number(v, lang=lang)} m" if pd.notna(v) else "" for v in
                    stops.get("leg_m", pd.Series(float("nan"), index=stops.index))]
    stops["klass"] = "walk_stop"
    keep = [f for f, _, _ in WALK_FIELDS] + ["klass"]
    frame = gpd.GeoDataFrame(stops[keep + ["geometry"]], geometry="geometry", crs=stops.crs)
    route_layer = f"walk_{walk_id}_route"
    if route_layer in store.layers():
        route = store.read_layer(route_layer)
        if len(route):
            lines = gpd.GeoDataFrame({"klass": ["walk_route"] * len(route)},
                                     geometry=route.geometry.values, crs=route.crs)
            frame = pd.concat([lines.to_crs(frame.crs), frame], ignore_index=True)
            for col in ("stop", "n_reports"):  # whole numbers; the route has none
                frame[col] = frame[col].astype("Int64")
    return {
        "kind": "walk",
        "name": text.pick("Trygghetsvandring (stopp och rutt)", "Safety walk (stops and route)",
                          lang) + _run_suffix(walk_id, ""),
        "fields": [[f, en_l if lang == "en" else sv_l] for f, sv_l, en_l in WALK_FIELDS],
        "colours": {"walk_stop": WALK_COLOUR, "walk_route": WALK_COLOUR},
        "legend": [["walk_stop", text.pick("Stopp, numrerade i gångordning",
                                           "Stops, numbered in walking order", lang),
                    WALK_COLOUR]],
        "geojson": _geojson(frame),
    }


#: Open actions on the map: status → colour; an overdue action is drawn in red.
ACTION_COLOURS = {"open": "#d97706", "in_progress": "#2563eb", "overdue": "#b91c1c"}
#: Statuses of an action still to be done.
OPEN_STATUSES = ("open", "in_progress")
#: Popup fields of an action: (property, Swedish, English).
ACTION_FIELDS = [("action", "Åtgärd", "Action"), ("place_text", "Plats", "Place"),
                 ("category_label", "Kategori", "Category"),
                 ("responsible_label", "Ansvarig", "Responsible"),
                 ("priority_label", "Prioritet", "Priority"),
                 ("deadline", "Senast klart", "Deadline"),
                 ("status_label", "Status", "Status"), ("overdue_label", "Försenad", "Overdue"),
                 ("walk_id", "Vandring", "Walk")]


def actions_overlay(store: GeoPackageStore, *, lang: str = "sv",
                    today: datetime.date | None = None) -> dict | None:
    """The open actions of the project's ``actions`` layer (status open or in
    progress), overdue ones (deadline before ``today``) marked; ``None`` when there is
    no such layer or nothing open. For the internal map only."""
    if "actions" not in store.layers():
        return None
    actions = store.read_layer("actions")
    if actions.empty or "action_status" not in actions:
        return None
    frame = actions[actions["action_status"].isin(OPEN_STATUSES)
                    & actions.geometry.notna() & ~actions.geometry.is_empty].copy()
    if frame.empty:
        return None
    today = today or datetime.date.today()
    deadline = pd.to_datetime(frame["deadline"] if "deadline" in frame else
                              pd.Series(None, index=frame.index, dtype=object),
                              errors="coerce")
    late = [pd.notna(d) and d.date() < today for d in deadline]
    frame["deadline"] = [text.date(d) if pd.notna(d) else "" for d in deadline]
    for col in ("action", "place_text", "walk_id", "category", "responsible", "priority"):
        frame[col] = frame[col].fillna("").astype(str) if col in frame else ""
    frame["category_label"] = [label("category", c, lang=lang) for c in frame["category"]]
    frame["responsible_label"] = [label("responsible", c, lang=lang)
                                  for c in frame["responsible"]]
    frame["priority_label"] = [label("priority", c, lang=lang) for c in frame["priority"]]
    frame["status_label"] = [label("action_status", c, lang=lang)
                             for c in frame["action_status"]]
    frame["overdue_label"] = [text.pick("Ja, passerat", "Yes, past", lang) if x else ""
                              for x in late]
    frame["klass"] = ["overdue" if x else s for x, s in
                      zip(late, frame["action_status"], strict=True)]
    keep = [f for f, _, _ in ACTION_FIELDS] + ["klass"]
    present = set(frame["klass"])
    names = {"open": ("Öppen", "Open"), "in_progress": ("Pågår", "In progress"),
             "overdue": ("Försenad (senast klart har passerat)", "Overdue (deadline passed)")}
    return {
        "kind": "actions", "name": text.pick("Öppna åtgärder", "Open actions", lang),
        "fields": [[f, en_l if lang == "en" else sv_l] for f, sv_l, en_l in ACTION_FIELDS],
        "colours": ACTION_COLOURS,
        "legend": [[k, text.pick(*names[k], lang), c] for k, c in ACTION_COLOURS.items()
                   if k in present],
        "geojson": _geojson(gpd.GeoDataFrame(frame[keep + ["geometry"]], geometry="geometry",
                                             crs=actions.crs)),
    }

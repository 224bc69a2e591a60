"""The public map (``--audience publik``): aggregates only, one offline HTML file.

What the page holds comes from :mod:`layers.public` alone: reports per grid
cell (cells with fewer than k reports removed, category counts below k
folded into "Övrigt") and the hotspot areas of the latest clusters run,
generalised to those cells. No report's point, text, id or time finer than a
month reaches the file; reports with ``visibility == "intern"`` are not
counted. The page is built like the internal map (:mod:`maps.karta`): Leaflet
inlined, the data as JSON in ``<script type="application/json">``, every text
put on the page with ``textContent`` by ``maps/publik.js``.
"""

from __future__ import annotations

import json
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np

from trygg.layers import schema
from trygg.layers.public import public_aggregate, public_hotspots
from trygg.layers.store import GeoPackageStore
from trygg.maps import i18n
from trygg.maps.html import PageScript, data_script
from trygg.maps.names import name_labels
from trygg.maps.overlays import run_layers
from trygg.maps.page import (
    WGS84,
    base_map,
    fit_view,
    package_text,
    render_map,
    write_html,
)

#: Sequential colours for the cell classes (ColorBrewer YlOrRd, 5 classes).
COLOURS = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
#: Outline colour of the hotspot areas.
HOTSPOT_COLOUR = "#5b1a8a"
#: Report columns the public map reads: no text, no id.
COLUMNS = ["category", "reported_at", "occurred_at", "precision", "visibility"]
_WEEKDAYS_EN = {"mån": "Mon", "tis": "Tue", "ons": "Wed", "tor": "Thu", "fre": "Fri",
                "lör": "Sat", "sön": "Sun"}
#: Page texts; ``{k}`` is the smallest published count, ``{cell}`` the cell size (m).
TEXTS: dict[str, dict[str, str]] = {
    "sv": {
        "publik": "Publik — sammanställda uppgifter, k ≥ {k}",
        "cells_layer": "Rapporter per ruta", "hotspots_layer": "Hotspotområden",
        "cell": "Ruta, {cell} m", "reports": "Rapporter", "categories": "Kategorier",
        "period": "Period", "rank": "Rang", "share_dark": "Andel i mörker",
        "busiest": "Mest rapporter", "cells": "Rutor", "legend": "Rapporter per ruta ({cell} m)",
        "summary": "{n} rapporter i {cells} rutor om {cell} m",
        "suppressed": "Rutor med färre än {k} rapporter visas inte. Kategorier med färre "
                      "än {k} rapporter räknas till Övrigt. Bara rapporter som får "
                      "publiceras räknas.",
        "data_until": "Data t.o.m.", "no_cells": "Inga rutor med minst {k} rapporter att visa.",
        "hotspot_note": "Hotspotområde, visat som sina rutor",
    },
    "en": {
        "publik": "Public — aggregated figures, k ≥ {k}",
        "cells_layer": "Reports per cell", "hotspots_layer": "Hotspot areas",
        "cell": "Cell, {cell} m", "reports": "Reports", "categories": "Categories",
        "period": "Period", "rank": "Rank", "share_dark": "Share after dark",
        "busiest": "Busiest", "cells": "Cells", "legend": "Reports per cell ({cell} m)",
        "summary": "{n} reports in {cells} cells of {cell} m",
        "suppressed": "Cells with fewer than {k} reports are not shown. Categories with "
                      "fewer than {k} reports are counted as Other. Only reports cleared "
                      "for publication are counted.",
        "data_until": "Data up to", "no_cells": "No cells with at least {k} reports to show.",
        "hotspot_note": "Hotspot area, shown as its cells",
    },
}
_CSS = """
.trygg-banner .trygg-publik { background: #1d4ed8; }
.trygg-outline { display: inline-block; width: 12px; height: 12px; margin-right: 6px;
  vertical-align: -2px; box-sizing: border-box; border: 2px solid #5b1a8a; }
.trygg-note { font-size: 11px; color: #555 !important; max-width: 300px; }
"""


def _texts(lang: str, *, k: int, cell: float) -> dict[str, str]:
    """The page's texts for ``lang``, with k and the cell size filled in.

    Only the keys the public page uses: the internal map's texts (among them
    the "Intern" banner) are never copied in.
    """
    base = TEXTS["en" if lang == "en" else "sv"]
    out = {key: value.replace("{k}", str(k)).replace("{cell}", f"{cell:g}")
           for key, value in base.items()}
    shared = i18n.texts(lang)
    out.update({"synthetic": shared["synthetic"], "background": shared["background"],
                "thousands": shared["thousands"]})
    return out


def _number(n: int, lang: str) -> str:
    return f"{int(n):,}".replace(",", "," if lang == "en" else "\u00a0")


def _period(first: str | None, last: str | None) -> str:
    if not first or not last:
        return ""
    return first if first == last else f"{first} – {last}"


def _cats(text: str, lang: str) -> list[list]:
    """``[[label, count], …]`` from a published ``by_category`` JSON text."""
    return [[schema.category_label(code, lang), int(v)]
            for code, v in json.loads(text or "{}").items()]


def cell_classes(n: np.ndarray, min_count: int = 3, classes: int = 5) -> list[int]:
    """Lower bounds of the colour classes of the cells' counts.

    Geometric breaks from ``min_count`` to the largest count (report counts
    per cell are strongly skewed: many cells with a few reports, a few with
    very many), rounded up to whole reports. Fewer classes when the counts do
    not spread enough.

    Parameters
    ----------
    n
        Reports per published cell.
    min_count
        k, where the first class starts.
    classes
        The most classes wanted (default 5).

    Returns
    -------
    list of int
        Increasing lower bounds, at most ``classes`` of them.
    """
    n = np.asarray(n, float)
    lo = float(min_count)
    if n.size == 0 or n.max() <= lo:
        return [int(min_count)]
    ratio = (n.max() / lo) ** (1.0 / classes)
    bounds = [int(np.ceil(lo * ratio ** i - 1e-9)) for i in range(classes)]
    return sorted(set(bounds))


def _legend(lows: list[int], top: int, lang: str) -> list[list[str]]:
    """``[[label, colour], …]`` per class; colours spread over :data:`COLOURS`."""
    picks = np.round(np.linspace(0, len(COLOURS) - 1, len(lows))).astype(int) if len(
        lows) > 1 else [len(COLOURS) // 2]
    out = []
    for i, lo in enumerate(lows):
        hi = lows[i + 1] - 1 if i + 1 < len(lows) else top
        label = f"{_number(lo, lang)}–{_number(hi, lang)}" if hi > lo else _number(lo, lang)
        out.append([label, COLOURS[picks[i]]])
    return out


def _geojson(frame: gpd.GeoDataFrame, properties: list[str]) -> dict:
    """``frame`` as GeoJSON in WGS84 (1e-6°) with only ``properties``."""
    wgs = frame[[*properties, "geometry"]].to_crs(WGS84)
    wgs = wgs.set_geometry(wgs.geometry.set_precision(1e-6))
    return json.loads(wgs.to_json(drop_id=True, na="null"))


def _hotspot_layer(store: GeoPackageStore, runs: list[str] | None) -> str | None:
    """The one hotspots layer to publish: the first of ``runs``, else the latest
    clusters run. Only one, so that no two areas' figures can be subtracted."""
    if not runs and "runs" not in store.layers():
        return None
    names = [n for n in run_layers(store, runs) if n.startswith("hotspots_")]
    return names[0] if names else None


def public_payload(store: GeoPackageStore, *, lang: str = "sv", min_count: int = 3,
                   cell: float = 250.0, runs: list[str] | None = None) -> dict:
    """Everything the public page shows, as plain data.

    Parameters
    ----------
    store
        The open project.
    lang
        ``sv`` or ``en``.
    min_count
        k: the smallest number published (cells, categories, hotspot areas).
    cell
        Hexagon size in metres (distance between neighbouring centres).
    runs
        Hotspot runs to take the areas from (the first with a hotspots layer);
        default the latest clusters run.

    Returns
    -------
    dict
        ``cells`` (GeoJSON, WGS84; properties ``n``, ``klass``, ``cats``
        ``[[label, count], …]``, ``period``), ``hotspots`` (GeoJSON of the
        areas' outlines, or ``None``), ``legend`` ``[[label, colour], …]``,
        ``colours`` per class, ``total`` (reports in the published cells),
        ``first``/``last`` month and ``bounds`` ``[[s, w], [n, e]]`` (or
        ``None`` without cells).
    """
    reports = store.read_reports(COLUMNS)
    agg = public_aggregate(reports, cell=cell, grid="hex", min_count=min_count)
    payload: dict = {"cells": None, "hotspots": None, "legend": [], "colours": [],
                     "total": int(agg["n"].sum()) if len(agg) else 0, "cell_count": len(agg),
                     "first": None, "last": None, "bounds": None}
    if agg.empty:
        return payload
    lows = cell_classes(agg["n"].to_numpy(), min_count)
    legend = _legend(lows, int(agg["n"].max()), lang)
    cells = agg.copy()
    cells["klass"] = np.searchsorted(lows, cells["n"].to_numpy(), side="right") - 1
    cells["cats"] = [_cats(t, lang) for t in cells["by_category"]]
    cells["period"] = [_period(f, la) for f, la in zip(cells["first"], cells["last"],
                                                      strict=True)]
    payload.update({
        "cells": _geojson(cells, ["n", "klass", "cats", "period"]),
        "legend": legend, "colours": [c for _, c in legend],
        "first": min(f for f in agg["first"] if f), "last": max(x for x in agg["last"] if x),
    })
    minx, miny, maxx, maxy = agg.to_crs(WGS84).total_bounds
    payload["bounds"] = [[round(miny, 6), round(minx, 6)], [round(maxy, 6), round(maxx, 6)]]
    layer = _hotspot_layer(store, runs)
    if layer:
        areas = store.read_layer(layer)
        hot = public_hotspots(areas, reports, cell=cell, grid="hex", min_count=min_count)
        if len(hot):
            hot = hot.copy()
            hot["cats"] = [_cats(t, lang) for t in hot["by_category"]]
            hot["period"] = [_period(f, la) for f, la in zip(hot["first"], hot["last"],
                                                            strict=True)]
            hot["share_dark"] = [f"{v:.0%}".replace("%", " %") if v is not None
                                 and np.isfinite(v) else None for v in hot["share_dark"]]
            hot["busiest"] = [None if not isinstance(b, str) else (
                b if lang != "en" else " ".join(_WEEKDAYS_EN.get(w, w) for w in b.split(" ")))
                for b in hot["busiest"]]
            # Outlines only: the cells beneath stay visible and clickable.
            hot = hot.set_geometry(hot.geometry.boundary)
            payload["hotspots"] = _geojson(hot, ["name", "rank", "n", "cats", "share_dark",
                                                 "busiest", "period", "cells"])
    return payload


def public_map(store: GeoPackageStore, *, lang: str = "sv", min_count: int = 3,
               cell: float = 250.0, background: list[str | Path] | None = None,
               runs: list[str] | None = None) -> folium.Map:
    """Build the public map of a project: aggregates only.

    Parameters
    ----------
    store
        The open project.
    lang
        ``sv`` (default) or ``en`` for every text on the map.
    min_count
        k (default 3): cells with fewer reports are not shown and no figure
        below k is published (see :mod:`layers.public`).
    cell
        Hexagon size in metres (default 250).
    background
        Vector files (streets, buildings …) drawn beneath the cells in the style
        of their kind (:mod:`maps.background`); read offline, attributes not
        included but the names of streets, places and towns (:mod:`maps.names`).
    runs
        Hotspot runs to take the areas from (default: the latest clusters run).

    Returns
    -------
    folium.Map
        Call :func:`maps.page.render_map` for the self-contained HTML.
    """
    texts = _texts(lang, k=min_count, cell=cell)
    payload = public_payload(store, lang=lang, min_count=min_count, cell=cell, runs=runs)
    m, layers = base_map(store, background=background, css=_CSS, lang=lang)
    fit_view(m, store, payload["bounds"] or None)
    subtitle = []
    if payload["cell_count"]:
        subtitle.append(texts["summary"].replace("{n}", _number(payload["total"], lang))
                        .replace("{cells}", _number(payload["cell_count"], lang)))
        subtitle.append(f"{texts['period']}: {_period(payload['first'], payload['last'])}")
        subtitle.append(f"{texts['data_until']} {payload['last']}")
    else:
        subtitle.append(texts["no_cells"])
    data = {
        "map": m.get_name(), "texts": texts, "title": store.name, "subtitle": subtitle,
        "note": texts["suppressed"], "synthetic": store.synthetic, "min_count": min_count,
        "background": layers, "cells": payload["cells"], "hotspots": payload["hotspots"],
        "legend": payload["legend"], "colours": payload["colours"],
        "hotspot_colour": HOTSPOT_COLOUR,
    }
    m.get_root().html.add_child(data_script("trygg-data", data))
    m.get_root().html.add_child(data_script("trygg-names", name_labels(
        store, background=background, lang=lang)))
    PageScript(package_text("readable.js"), "TryggReadable").add_to(m)
    PageScript(package_text("publik.js"), "TryggPublic").add_to(m)
    return m


def write_public_map(store: GeoPackageStore, out: str | Path, *, lang: str = "sv",
                     min_count: int = 3, cell: float = 250.0,
                     background: list[str | Path] | None = None,
                     runs: list[str] | None = None) -> Path:
    """Write the public map of ``store`` to ``out`` (HTML), atomically.

    Parameters are those of :func:`public_map`.

    Returns
    -------
    Path
        The file written.
    """
    return write_html(render_map(public_map(store, lang=lang, min_count=min_count, cell=cell,
                                            background=background, runs=runs)), out)


__all__ = ["COLOURS", "cell_classes", "public_map", "public_payload",
           "write_public_map"]

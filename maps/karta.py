"""The report map: one self-contained HTML file that works without a network.

Reports are drawn by category (colour per category, a layer per category in
the layer control, a legend), popups show the report's source, date, place
and text. All report text, names and options travel as JSON inside ``<script
type="application/json">`` (:func:`maps.html.data_script`) and reach the page only
through ``textContent``: nothing in a report, a place name, a layer name or the
project's name is ever template source or markup, so none of it can run.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import folium
import geopandas as gpd

from trygg.geo import text
from trygg.layers import schema
from trygg.layers.store import GeoPackageStore
from trygg.maps import i18n
from trygg.maps.html import PageScript, data_script
from trygg.maps.names import name_labels
from trygg.maps.overlays import (
    actions_overlay,
    count_cells,
    kde_images,
    kde_overlay,
    overlay,
    run_layers,
)
from trygg.maps.page import (
    WGS84,
    base_map,
    fit_view,
    package_text,
    render_map,
    write_html,
)

#: Map symbol of each category (drawn in white on the coloured marker from zoom 14,
#: and beside the category in the filter panel). Characters every common system font
#: carries (DejaVu Sans, Segoe UI Symbol, Apple Symbols).
ICONS = {
    "belysning": "☀", "sikt_vegetation": "♣", "klotter": "✎", "skadegorelse": "✖",
    "nedskrapning": "♻", "samlingsplats": "⚑", "narkotika": "⚕", "vald_hot": "⚡",
    "ran": "¤", "stold_inbrott": "⌂", "fordon": "⚙", "brand": "♨", "trafik": "➤",
    "ordningsstorning": "♪", "otrygg_plats": "!", "ovrigt": "•",
}
#: Reports passing the filter above which the map clusters them when zoomed out.
CLUSTER_MIN = 5_000
#: Default largest number of reports drawn as points (above: counts per cell).
MAX_POINTS = 200_000
#: Precisions that locate a report only to an area (e.g. police events at the
#: municipality centroid): never drawn as points.
AREA_PRECISIONS = ("kommun",)


def report_payload(reports: gpd.GeoDataFrame, *, lang: str = "sv") -> dict:
    """The reports as compact rows for the page.

    Returns
    -------
    dict
        ``categories`` and ``sources`` (code, label, colour) present in the
        data, in vocabulary order, and ``reports`` as rows
        ``[lat, lon, category index, source index, "YYYY-MM-DD HH:MM", place,
        description, report_id]`` (WGS84 degrees, local time).
    """
    located = reports[reports.geometry.notna() & ~reports.geometry.is_empty
                      & ~reports["precision"].isin(AREA_PRECISIONS)]
    wgs = located.to_crs(WGS84)
    cats = [c for c in schema.CATEGORIES if c in set(wgs["category"])]
    srcs = [s for s in schema.SOURCES if s in set(wgs["source"])]
    cat_index = {c: i for i, c in enumerate(cats)}
    src_index = {s: i for i, s in enumerate(srcs)}
    when = wgs["reported_at"].dt.strftime("%Y-%m-%d %H:%M")
    rows = [
        [round(lat, 6), round(lon, 6), cat_index[c], src_index[s], w, p, d, rid]
        for lat, lon, c, s, w, p, d, rid in zip(
            wgs.geometry.y, wgs.geometry.x, wgs["category"], wgs["source"], when,
            wgs["place_text"], wgs["description"], wgs["report_id"], strict=True)
    ]
    return {
        "categories": [{"code": c, "label": schema.category_label(c, lang),
                        "colour": schema.CATEGORIES[c].colour,
                        "icon": ICONS.get(c, "•"),
                        "kind": schema.CATEGORIES[c].kind} for c in cats],
        "kinds": [{"code": k, "label": schema.KIND_LABELS[k][lang == "en"]}
                  for k in schema.KINDS if k in {schema.CATEGORIES[c].kind for c in cats}],
        "sources": [{"code": s, "label": schema.source_label(s, lang)} for s in srcs],
        "reports": rows,
    }


OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
#: Characters a basemap URL may hold: RFC 3986's unreserved and reserved ones without
#: the quote ``'`` (so no space, quote, ``<``, ``>``, backslash or control character),
#: plus ``%`` escapes and the braces of Leaflet's placeholders.
_URL_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#@!$&()*+,;=%{}]+\Z")
#: Leaflet's URL placeholders (any other ``{name}`` makes Leaflet throw on every tile).
_PLACEHOLDERS = {"z", "x", "y", "-y", "s", "r"}


def basemap_url(basemap: str) -> str:
    """``basemap`` if it is a plain http(s) XYZ/WMTS URL template, else an error.

    Allowed: ``http``/``https`` with a host and no user name or password, only the
    characters of :data:`_URL_CHARS`, ``%`` followed by two hex digits, and the
    placeholders ``{z}``, ``{x}``, ``{y}`` (all three; ``{-y}`` may stand for
    ``{y}``), ``{s}`` and ``{r}``.

    Raises
    ------
    ArgumentError
        Naming what the URL must look like.
    """
    from urllib.parse import urlsplit

    from trygg.geo.errors import ArgumentError

    text = str(basemap)
    try:
        parts = urlsplit(text)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and (
            parts.username is None and parts.password is None)
    except ValueError:
        ok = False
    names = set(re.findall(r"\{([^{}]*)\}", text))
    ok = (ok and _URL_CHARS.match(text) is not None
          and not re.search(r"[{}]", re.sub(r"\{[^{}]*\}", "", text))
          and names <= _PLACEHOLDERS and {"z", "x"} <= names and bool({"y", "-y"} & names)
          and re.search(r"%(?![0-9A-Fa-f]{2})", text) is None)
    if ok:
        return text
    shown = text[:120].encode("unicode_escape").decode("ascii")
    raise ArgumentError(
        "--basemap ska vara none, osm eller en http(s)-adress med {z}, {x} och {y} (andra "
        "platshållare: {s}, {r}, {-y}; inget användarnamn, inga mellanslag, citattecken "
        f"eller <>), inte '{shown}'.",
        "--basemap must be none, osm or an http(s) URL with {z}, {x} and {y} (other "
        "placeholders: {s}, {r}, {-y}; no user name, no spaces, quotes or <>), not "
        f"'{shown}'.")


def basemap_layer(basemap: str, attribution: str | None, lang: str) -> dict | None:
    """The online background map for the page script, only when asked for (``osm`` or
    a URL template); ``None`` for ``none``.

    Returns
    -------
    dict or None
        ``url`` (checked by :func:`basemap_url`), ``attribution`` (plain text: the
        page escapes it, Leaflet shows attributions as HTML) and ``max_zoom``.
        Travels as data: folium's TileLayer would put both into a template.
    """
    from trygg.geo.errors import ArgumentError

    if basemap in (None, "", "none"):
        return None
    if basemap == "osm":
        url = OSM_URL
        attribution = attribution or ("© OpenStreetMap-bidragsgivare" if lang != "en"
                                      else "© OpenStreetMap contributors")
    else:
        url = basemap_url(basemap)
        if not attribution:
            raise ArgumentError("Ange --attribution för bakgrundskartan (t.ex. "
                                "\"© Lantmäteriet\").",
                                "Give --attribution for the basemap (e.g. "
                                "\"© Lantmäteriet\").")
    return {"url": url, "attribution": str(attribution), "max_zoom": 19}


def report_map(store: GeoPackageStore, *, lang: str = "sv",
               background: list[str | Path] | None = None,
               runs: list[str] | None = None, basemap: str = "none",
               attribution: str | None = None,
               max_points: int = MAX_POINTS,
               cluster_min: int = CLUSTER_MIN,
               today: datetime.date | None = None) -> folium.Map:
    """Build the map of a project's reports.

    Parameters
    ----------
    store
        The open project.
    lang
        ``sv`` (default) or ``en`` for every text on the map.
    background
        Vector files (e.g. the municipality's streets and buildings) drawn
        beneath the reports in the style of their kind (:mod:`maps.background`);
        read offline, attributes not included but the names of streets, places
        and towns, which label the map when there is no ``basemap``
        (:mod:`maps.names`).
    runs
        Hotspot, camera and walk runs whose layers to show (default: the latest
        Gi* and clusters runs); a walk run shows its route and numbered stops.
    basemap
        ``none`` (default: the map needs no network), ``osm``
        (OpenStreetMap tiles, online) or an XYZ/WMTS URL template with
        ``{z}``, ``{x}`` and ``{y}`` (online; give ``attribution``).
    attribution
        Attribution text shown for a basemap URL.
    max_points
        Above this many located reports the map shows counts per hexagon
        instead of points (with a message), so it still opens quickly.
    cluster_min
        When more reports than this pass the filter, they are clustered (one
        bubble with a count per 60 screen pixels) below zoom 15.
    today
        The day against which open actions (the project's ``actions`` layer, drawn
        as "Öppna åtgärder") count as overdue; default: today.

    Returns
    -------
    folium.Map
        Call :func:`render_map` for the self-contained HTML.
    """
    texts = i18n.texts(lang)
    reports = store.read_reports(["report_id", "source", "reported_at", "category",
                                  "description", "place_text", "precision"])
    point_rows = (reports.geometry.notna() & ~reports.geometry.is_empty
                  & ~reports["precision"].isin(AREA_PRECISIONS))
    aggregated = int(point_rows.sum()) > max_points
    payload = report_payload(reports.iloc[:0] if aggregated else reports, lang=lang)
    m, layers = base_map(store, background=background, lang=lang)
    tiles = basemap_layer(basemap, attribution, lang)
    located = reports[reports.geometry.notna() & ~reports["precision"].isin(AREA_PRECISIONS)]
    if len(located):
        minx, miny, maxx, maxy = located.to_crs(WGS84).total_bounds
        fit_view(m, store, [[miny, minx], [maxy, maxx]])
    else:
        fit_view(m, store, None)
    dates = reports["reported_at"].dropna()
    subtitle = [text.count(len(payload["reports"]), texts["report_one"], texts["reports"],
                           lang=lang)]
    unplaced = 0 if aggregated else len(reports) - len(payload["reports"])
    if aggregated:
        subtitle.append(texts["aggregated"].format(n=text.number(int(point_rows.sum()),
                                                                 lang=lang)))
    if unplaced:
        subtitle.append(f"{text.count(unplaced, texts['report_one'], texts['reports'], lang=lang)}"
                        f" {texts['not_drawn']}")
    if payload["sources"]:
        subtitle.append(f"{texts['sources_line']}: "
                        + ", ".join(src["label"] for src in payload["sources"]))
    if len(dates):
        subtitle.append(f"{texts['period']}: {dates.min():%Y-%m-%d} – {dates.max():%Y-%m-%d}")
        subtitle.append(f"{texts['data_until']} {dates.max():%Y-%m-%d}")
    overlays = (([_aggregate(reports[point_rows], lang)] if aggregated else [])
                + [kde_overlay(path, run=run, lang=lang) for run, path in kde_images(store, runs)]
                + [o for o in (overlay(store, name, lang=lang)
                               for name in run_layers(store, runs)) if o]
                + [o for o in [actions_overlay(store, lang=lang, today=today)] if o])
    data = {
        "map": m.get_name(), "texts": texts, "title": store.name, "subtitle": subtitle,
        "about": about_paragraphs(payload, dates, overlays, lang=lang),
        "synthetic": store.synthetic, "intern": True, "collapsed": False,
        "background": layers, "basemap": tiles, **payload,
        "cluster_min": cluster_min,
        "first_day": f"{dates.min():%Y-%m-%d}" if len(dates) else "",
        "last_day": f"{dates.max():%Y-%m-%d}" if len(dates) else "",
        "overlays": overlays,
    }
    m.get_root().html.add_child(data_script("trygg-data", data))
    if tiles is None:  # an online basemap has names of its own
        m.get_root().html.add_child(data_script("trygg-names", name_labels(
            store, background=background, lang=lang)))
    PageScript(package_text("readable.js"), "TryggReadable").add_to(m)
    PageScript(package_text("reports.js"), "TryggReports").add_to(m)
    return m


def about_paragraphs(payload: dict, dates, overlays: list[dict], *,
                     lang: str = "sv") -> list[str]:
    """The "Om kartan" panel's paragraphs: what the map shows (sources, period) and, for
    the analysis layers on it, what Gi*, FDR and a hotspot area mean, in plain words."""
    words = i18n.about(lang)
    sources = ", ".join(s["label"] for s in payload["sources"])
    period = (f" {text.pick('från', 'from', lang)} {dates.min():%Y-%m-%d} "
              f"{text.pick('till', 'to', lang)} {dates.max():%Y-%m-%d}" if len(dates) else "")
    out = [words["reports"].replace("{sources}", f" ({sources})" if sources else "")
           .replace("{period}", period)]
    kinds = {o["kind"] for o in overlays}
    if "gistar" in kinds:
        out += [words["gistar"], words["fdr"]]
    if "hotspots" in kinds:
        out.append(words["hotspots"])
    out += [words[kind] for kind in ("walk", "actions") if kind in kinds]
    return out


def _aggregate(points: gpd.GeoDataFrame, lang: str) -> dict:
    """Counts per hexagon of the reports, for maps with too many points."""
    from trygg.layers.hotspots import hotspot_count

    return count_cells(hotspot_count(points, grid="hex", quiet=True), lang=lang)


def write_map(store: GeoPackageStore, out: str | Path, *, lang: str = "sv",
              background: list[str | Path] | None = None,
              runs: list[str] | None = None, basemap: str = "none",
              attribution: str | None = None, max_points: int = MAX_POINTS,
              cluster_min: int = CLUSTER_MIN, today: datetime.date | None = None) -> Path:
    """Write the report map of ``store`` to ``out`` (HTML), atomically.

    Returns
    -------
    Path
        The file written.
    """
    return write_html(render_map(report_map(
        store, lang=lang, background=background, runs=runs, basemap=basemap,
        attribution=attribution, max_points=max_points, cluster_min=cluster_min,
        today=today)), out)

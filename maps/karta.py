"""The report map: one self-contained HTML file that works without a network.

Reports are drawn by category (colour per category, a layer per category in
the layer control, a legend), popups show the report's source, date, place
and text. All report text travels as JSON inside ``<script
type="application/json">`` and reaches the page only through ``textContent``,
so nothing in a report can run as code.
"""

from __future__ import annotations

import json
import os
import uuid
from importlib import resources
from pathlib import Path

import folium
import geopandas as gpd
import pyogrio
from branca.element import Element, MacroElement
from jinja2 import Template

from layers import schema
from layers.store import GeoPackageStore
from maps import i18n
from maps.assets import VERSIONS, inline_assets
from maps.overlays import count_cells, kde_images, kde_overlay, overlay, run_layers

WGS84 = "EPSG:4326"
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


def _script_json(obj: object) -> str:
    """JSON safe to place inside a ``<script>`` element (no ``<``, ``>``, ``&``)."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _escape(text: str) -> str:
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def _package_text(name: str) -> str:
    return resources.files("maps").joinpath(name).read_text("utf-8")


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


def _add_basemap(m: folium.Map, basemap: str, attribution: str | None, lang: str) -> None:
    """An online background map, only when asked for (``osm`` or a URL template)."""
    from geo.errors import ArgumentError

    if basemap in (None, "", "none"):
        return
    if basemap == "osm":
        url = OSM_URL
        attribution = attribution or ("© OpenStreetMap-bidragsgivare" if lang != "en"
                                      else "© OpenStreetMap contributors")
    elif basemap.startswith(("https://", "http://")) and all(
            part in basemap for part in ("{z}", "{x}", "{y}")):
        url = basemap
        if not attribution:
            raise ArgumentError("Ange --attribution för bakgrundskartan (t.ex. "
                                "\"© Lantmäteriet\").",
                                "Give --attribution for the basemap (e.g. "
                                "\"© Lantmäteriet\").")
    else:
        raise ArgumentError(f"--basemap ska vara none, osm eller en adress med {{z}}, {{x}} "
                            f"och {{y}}, inte '{basemap}'.",
                            f"--basemap must be none, osm or a URL with {{z}}, {{x}} and "
                            f"{{y}}, not '{basemap}'.")
    folium.TileLayer(url, attr=_escape(attribution), name="Bakgrundskarta" if lang != "en"
                     else "Basemap", max_zoom=19, control=False).add_to(m)


class ReportScript(MacroElement):
    """The page script (maps/reports.js) that draws the reports, the layer control,
    legend, title and banners; rendered after the map and its other layers."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.code }}{% endmacro %}")

    def __init__(self) -> None:
        super().__init__()
        self._name = "TryggReports"
        self.code = _package_text("reports.js")


def _add_background(m: folium.Map, path: Path) -> list[dict]:
    """Draw the line and polygon layers of ``path`` in grey; attributes are left out."""
    added = []
    for name, geom_type in pyogrio.list_layers(path):
        if not geom_type or "Point" in str(geom_type):
            continue
        gdf = gpd.read_file(path, layer=name, engine="pyogrio")
        if gdf.empty or gdf.crs is None:
            continue
        geoms = gdf.geometry.simplify(1.0) if gdf.crs.is_projected else gdf.geometry
        shapes = gpd.GeoDataFrame(geometry=geoms.to_crs(WGS84).set_precision(1e-6))
        polygon = "Polygon" in str(geom_type)
        style = ({"color": "#8a8a8a", "weight": 1, "fillColor": "#bdbdbd",
                  "fillOpacity": 0.25} if polygon else {"color": "#9e9e9e", "weight": 2})
        layer = folium.GeoJson(shapes.__geo_interface__, name=name, control=False,
                               style_function=lambda _f, s=style: s)
        layer.add_to(m)
        added.append({"variable": layer.get_name(), "name": name})
    return added


def base_map(store: GeoPackageStore, *, background: list[str | Path] | None = None,
             css: str = "") -> tuple[folium.Map, list[dict]]:
    """The page every map starts from: Leaflet inlined offline, the project's name as
    title, the styles (``karta.css`` + ``css``) and the grey background layers.

    Returns the map and the background layers (for the page script's layer control).
    """
    m = folium.Map(location=None, tiles=None, prefer_canvas=True, control_scale=True,
                   zoom_start=12)
    m.default_js = [("leaflet", "leaflet.js")]
    m.default_css = [("leaflet_css", "leaflet.css")]
    root = m.get_root()
    root.header.add_child(Element(f"<title>{_escape(store.name)}</title>"))
    root.header.add_child(Element(f"<style>{_package_text('karta.css')}{css}</style>"))
    root.header.add_child(Element(
        '<meta name="generator" content="Trygghetskartan; '
        + _escape(", ".join(f"{k} {v}" for k, v in VERSIONS.items())) + '">'))
    layers = []
    for path in background or []:
        layers += _add_background(m, Path(path))
    return m, layers


def fit_view(m: folium.Map, store: GeoPackageStore, bounds: list | None) -> None:
    """Fit the view to ``[[south, west], [north, east]]`` (WGS84), or to the project
    area when ``None``."""
    if bounds is None:
        area = store.area()
        box = gpd.GeoSeries.from_xy([area[0], area[2]], [area[1], area[3]],
                                    crs=store.crs).to_crs(WGS84).total_bounds
        bounds = [[box[1], box[0]], [box[3], box[2]]]
    m.fit_bounds(bounds)


def report_map(store: GeoPackageStore, *, lang: str = "sv",
               background: list[str | Path] | None = None,
               runs: list[str] | None = None, basemap: str = "none",
               attribution: str | None = None,
               max_points: int = MAX_POINTS,
               cluster_min: int = CLUSTER_MIN) -> folium.Map:
    """Build the map of a project's reports.

    Parameters
    ----------
    store
        The open project.
    lang
        ``sv`` (default) or ``en`` for every text on the map.
    background
        Vector files (e.g. the municipality's streets and buildings) drawn in
        grey beneath the reports; read offline, attributes not included.
    runs
        Hotspot runs whose layers to show (default: the latest Gi* and
        clusters runs).
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
    m, layers = base_map(store, background=background)
    _add_basemap(m, basemap, attribution, lang)
    located = reports[reports.geometry.notna() & ~reports["precision"].isin(AREA_PRECISIONS)]
    if len(located):
        minx, miny, maxx, maxy = located.to_crs(WGS84).total_bounds
        fit_view(m, store, [[miny, minx], [maxy, maxx]])
    else:
        fit_view(m, store, None)
    dates = reports["reported_at"].dropna()
    count = f"{len(payload['reports']):,}".replace(",", "\u00a0" if lang != "en" else ",")
    subtitle = [f"{count} {texts['reports']}"]
    unplaced = 0 if aggregated else len(reports) - len(payload["reports"])
    if aggregated:
        n = f"{int(point_rows.sum()):,}".replace(",", "\u00a0" if lang != "en" else ",")
        subtitle.append(texts["aggregated"].format(n=n))
    if unplaced:
        n = f"{unplaced:,}".replace(",", "\u00a0" if lang != "en" else ",")
        subtitle.append(f"{n} {texts['not_drawn']}")
    if payload["sources"]:
        subtitle.append(f"{texts['sources_line']}: "
                        + ", ".join(src["label"] for src in payload["sources"]))
    if len(dates):
        subtitle.append(f"{texts['period']}: {dates.min():%Y-%m-%d} – {dates.max():%Y-%m-%d}")
        subtitle.append(f"{texts['data_until']} {dates.max():%Y-%m-%d}")
    data = {
        "map": m.get_name(), "texts": texts, "title": store.name, "subtitle": subtitle,
        "synthetic": store.synthetic, "intern": True, "collapsed": False,
        "background": layers, **payload,
        "cluster_min": cluster_min,
        "first_day": f"{dates.min():%Y-%m-%d}" if len(dates) else "",
        "last_day": f"{dates.max():%Y-%m-%d}" if len(dates) else "",
        "overlays": ([_aggregate(reports[point_rows], lang)] if aggregated else [])
        + [kde_overlay(path, run=run, lang=lang) for run, path in kde_images(store, runs)]
        + [o for o in (overlay(store, name, lang=lang) for name in run_layers(store, runs))
           if o],
    }
    m.get_root().html.add_child(Element(
        f'<script type="application/json" id="trygg-data">{_script_json(data)}</script>'))
    ReportScript().add_to(m)
    return m


def _aggregate(points: gpd.GeoDataFrame, lang: str) -> dict:
    """Counts per hexagon of the reports, for maps with too many points."""
    from layers.hotspots import hotspot_count

    return count_cells(hotspot_count(points, grid="hex", quiet=True), lang=lang)


def render_map(m: folium.Map) -> str:
    """The map as one self-contained HTML page (assets inlined, no network)."""
    return inline_assets(m.get_root().render())


def write_map(store: GeoPackageStore, out: str | Path, *, lang: str = "sv",
              background: list[str | Path] | None = None,
              runs: list[str] | None = None, basemap: str = "none",
              attribution: str | None = None, max_points: int = MAX_POINTS,
              cluster_min: int = CLUSTER_MIN) -> Path:
    """Write the report map of ``store`` to ``out`` (HTML), atomically.

    Returns
    -------
    Path
        The file written.
    """
    return write_html(render_map(report_map(
        store, lang=lang, background=background, runs=runs, basemap=basemap,
        attribution=attribution, max_points=max_points, cluster_min=cluster_min)), out)


def write_html(html: str, out: str | Path) -> Path:
    """Write a page atomically (a temporary file beside ``out``, then a rename)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        tmp.write_text(html, encoding="utf-8")
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out

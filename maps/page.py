"""What every map page shares: the offline base map, the view, rendering and writing.

The report map (:mod:`maps.karta`) and the public map (:mod:`maps.publik`) both start
from :func:`base_map` (Leaflet inlined, the project's name as title, ``karta.css``, the
background layers styled by kind, see :mod:`maps.background`), fit the view with
:func:`fit_view`, turn the map into one self-contained page with :func:`render_map` and
write it atomically with :func:`write_html`. Data reaches the page only through :mod:`maps.html`.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import folium
import geopandas as gpd
import pyogrio

from trygg.geo import text
from trygg.layers.store import GeoPackageStore
from trygg.maps.assets import VERSIONS, inline_assets
from trygg.maps.background import DRAW_ORDER, layer_kind, layer_label, layer_style
from trygg.maps.html import PageScript, meta, style, title

__all__ = ["WGS84", "background_layers", "base_map", "fit_view", "package_text",
           "render_map", "write_html"]

#: The CRS of every page's coordinates (Leaflet's degrees).
WGS84 = "EPSG:4326"


def package_text(name: str) -> str:
    """A text file shipped with ``trygg.maps`` (``karta.css``, ``reports.js`` …), UTF-8."""
    return resources.files("trygg.maps").joinpath(name).read_text("utf-8")


def tool_version() -> str:
    """The installed version of Trygghetskartan, for the footers of the documents."""
    from importlib.metadata import version

    return version("trygghetskartan")


def background_layers(path: Path, *, lang: str = "sv") -> list[dict]:
    """The line and polygon layers of ``path``, for the page script to draw beneath
    everything else, each in the style of its kind (:mod:`maps.background`).

    Returns
    -------
    list of dict
        Per layer, bottom first (:data:`maps.background.DRAW_ORDER`): ``name`` (as the
        file names it: not to be trusted, so it travels as data and is shown with
        ``textContent``), ``kind`` (``boundary``, ``urban``, ``streets``, ``buildings``,
        ``plans``, else ``polygon`` or ``line``), ``label`` (Swedish or English for a
        known kind, else ``name``), ``geojson`` (WGS84, 1e-6°, geometry only: attributes
        are left out) and ``style`` (Leaflet path options).
    """
    added = []
    for name, geom_type in pyogrio.list_layers(path):
        if not geom_type or "Point" in str(geom_type):
            continue
        gdf = gpd.read_file(path, layer=name, engine="pyogrio")
        if gdf.empty or gdf.crs is None:
            continue
        geoms = gdf.geometry.simplify(1.0) if gdf.crs.is_projected else gdf.geometry
        shapes = gpd.GeoDataFrame(geometry=geoms.to_crs(WGS84).set_precision(1e-6))
        kind = layer_kind(str(name), polygon="Polygon" in str(geom_type))
        added.append({"name": str(name), "kind": kind,
                      "label": layer_label(str(name), kind, lang=lang),
                      "style": layer_style(kind),
                      "geojson": json.loads(shapes.to_json(drop_id=True))})
    return sorted(added, key=lambda b: DRAW_ORDER.index(b["kind"]))


def base_map(store: GeoPackageStore, *, background: list[str | Path] | None = None,
             css: str = "", lang: str = "sv") -> tuple[folium.Map, list[dict]]:
    """The page every map starts from: Leaflet inlined offline, the project's name as
    title, the styles (``karta.css``, ``readable.css`` + ``css``), the page's language
    (``lang``, written as ``<html lang=…>`` by :func:`render_map`) and the shared page
    furniture (``ui.js``: folding panels, banner strip, metric scale, print view).

    Returns the map and the background layers (:func:`background_layers`), which the
    page script draws beneath everything else.
    """
    # No folium scale: it is Leaflet's default, in miles and feet too; ui.js adds a
    # metric one.
    m = folium.Map(location=None, tiles=None, prefer_canvas=True, control_scale=False,
                   zoom_start=12)
    m.default_js = [("leaflet", "leaflet.js")]
    m.default_css = [("leaflet_css", "leaflet.css")]
    root = m.get_root()
    root.trygg_lang = text.lang_of(lang)
    root.header.add_child(title(store.name))
    root.header.add_child(style(package_text("karta.css") + package_text("readable.css")
                                + css))
    root.header.add_child(meta("generator", "Trygghetskartan; " + ", ".join(
        f"{k} {v}" for k, v in VERSIONS.items())))
    PageScript(package_text("ui.js"), "TryggUI").add_to(m)
    layers = []
    for path in background or []:
        layers += background_layers(Path(path), lang=lang)
    return m, sorted(layers, key=lambda b: DRAW_ORDER.index(b["kind"]))


def fit_view(m: folium.Map, store: GeoPackageStore, bounds: list | None) -> None:
    """Fit the view to ``[[south, west], [north, east]]`` (WGS84), or to the project
    area when ``None``."""
    if bounds is None:
        area = store.area()
        box = gpd.GeoSeries.from_xy([area[0], area[2]], [area[1], area[3]],
                                    crs=store.crs).to_crs(WGS84).total_bounds
        bounds = [[box[1], box[0]], [box[3], box[2]]]
    m.fit_bounds(bounds)


def render_map(m: folium.Map) -> str:
    """The map as one self-contained HTML page (assets inlined, no network), its
    ``<html>`` element naming the page's language (``sv`` or ``en``, from
    :func:`base_map`)."""
    lang = text.lang_of(getattr(m.get_root(), "trygg_lang", "sv"))
    page = m.get_root().render()
    return inline_assets(page.replace("<html>", '<html lang="' + lang + '">', 1))


def write_html(html: str, out: str | Path) -> Path:
    """Write a page atomically (a temporary file beside ``out``, then a rename).

    Raises
    ------
    geo.errors.InputFileError
        The page could not be written (a full disk, no permission), naming ``out``;
        nothing is left behind.
    """
    from trygg.maps.export import replacing

    with replacing(out) as tmp:
        tmp.write_text(html, encoding="utf-8")
    return Path(out)

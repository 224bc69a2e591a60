"""QGIS styles for exported layers, so a layer opens in QGIS looking like the HTML map.

A GeoPackage export gets a ``layer_styles`` table, the convention QGIS itself
uses to keep styles in a GeoPackage (one row per style: ``f_table_name``,
``styleName``, ``styleQML``, ``styleSLD``, ``useAsDefault`` …); QGIS applies
the default style when the layer is added. A KDE GeoTIFF export gets a
``.qml`` file beside it (same name), which QGIS loads as the raster's style.

Styles, with the colours of the HTML map (:mod:`maps.overlays`,
:data:`layers.schema.CATEGORIES`):

- reports: a categorized renderer on ``category``, one circle per category
  present, labelled in the export's language;
- Gi* grids (``klass``) and the other class grids (``change``, ``pattern``,
  ``divergence``): a categorized fill per class; classes the map does not draw
  (not significant, not tested) are listed but switched off;
- hotspot areas (``hotspot_id``): an outline with a faint fill;
- count and KDE grids (``n``, ``kde``): five quantile classes of the cells with
  reports (YlOrRd, as the map's counts per cell); empty cells are not drawn;
- the KDE GeoTIFF: a pseudocolour ramp (YlOrRd) from 0 to the highest density.

Every vector style also names the fields in the export's language (QGIS
"aliases") and shows the labels of coded fields in the attribute table (a
"value map"), while the stored values stay the codes.

The QML is written by hand with :mod:`xml.etree.ElementTree` in the format
QGIS 3.22 (Debian 12) and later read: symbol layer properties both as
``<Option type="Map">`` (QGIS ≥ 3.26) and as ``<prop k v>`` (older). The SLD is
SLD 1.1.0 with Symbology Encoding, as QGIS exports it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio

from trygg.geo.text import number
from trygg.layers import labels as codes
from trygg.layers.schema import CATEGORIES
from trygg.maps.overlays import CLASS_OVERLAYS, COUNT_COLOURS, GISTAR_CLASSES, KDE_COLOURS

#: The QGIS version written into the QML (Debian 12's QGIS; later ones read it too).
QGIS_VERSION = "3.22.16-Białowieża"
#: Colour of reports whose category is not in the vocabulary.
OTHER_COLOUR = "#999999"
#: Hotspot areas: outline and fill (as on the HTML map).
HOTSPOT_OUTLINE, HOTSPOT_FILL = "#5b1a8a", "#8e44ad"
#: Class columns with their colours, and the classes listed but not drawn.
CLASS_COLUMNS: dict[str, dict[str, str]] = {
    "klass": dict(GISTAR_CLASSES),
    **{col: {code: v[0] for code, v in classes.items()}
       for col, classes in CLASS_OVERLAYS.items()},
}
#: Fields whose codes get a value map (labels in QGIS's attribute table).
VALUE_MAP_FIELDS = ("category", "source", "kind", "precision", "status", "visibility",
                    "reason", "klass", "change", "pattern", "divergence")
_SLD_NS = {"": "http://www.opengis.net/sld", "ogc": "http://www.opengis.net/ogc",
           "se": "http://www.opengis.net/se", "xlink": "http://www.w3.org/1999/xlink",
           "xsi": "http://www.w3.org/2001/XMLSchema-instance"}


@dataclass
class Style:
    """A QGIS style for one layer: its name, QML and SLD text, and a description."""

    name: str
    qml: str
    sld: str
    description: str


# -- colours and symbols -----------------------------------------------------------------
def _rgba(colour: str, alpha: float = 1.0) -> str:
    """``"#b2182b"`` → ``"178,24,43,255"`` (QGIS's colour notation)."""
    value = colour.lstrip("#")
    r, g, b = (int(value[i:i + 2], 16) for i in (0, 2, 4))
    return f"{r},{g},{b},{round(alpha * 255)}"


def _symbol_layer(parent: ET.Element, cls: str, props: dict[str, str]) -> None:
    layer = ET.SubElement(parent, "layer", {"class": cls, "enabled": "1", "locked": "0",
                                            "pass": "0"})
    options = ET.SubElement(layer, "Option", type="Map")
    for key, value in props.items():
        ET.SubElement(options, "Option", name=key, type="QString", value=value)
    for key, value in props.items():
        ET.SubElement(layer, "prop", k=key, v=value)


def _marker(parent: ET.Element, name: str, colour: str) -> None:
    """A report: a filled circle with a dark outline (radius 6 px on the HTML map)."""
    symbol = ET.SubElement(parent, "symbol", {"type": "marker", "name": name, "alpha": "1",
                                              "clip_to_extent": "1", "force_rhr": "0"})
    _symbol_layer(symbol, "SimpleMarker", {
        "name": "circle", "color": _rgba(colour, 0.85), "outline_color": "34,34,34,255",
        "outline_style": "solid", "outline_width": "0.26", "outline_width_unit": "MM",
        "size": "3.2", "size_unit": "MM", "angle": "0", "joinstyle": "bevel",
        "scale_method": "diameter", "offset": "0,0", "offset_unit": "MM",
        "horizontal_anchor_point": "1", "vertical_anchor_point": "1"})


def _fill(parent: ET.Element, name: str, colour: str, *, alpha: float,
          outline: str | None = None, outline_width: float = 0.0) -> None:
    symbol = ET.SubElement(parent, "symbol", {"type": "fill", "name": name, "alpha": "1",
                                              "clip_to_extent": "1", "force_rhr": "0"})
    _symbol_layer(symbol, "SimpleFill", {
        "color": _rgba(colour, alpha), "style": "solid" if alpha > 0 else "no",
        "outline_color": _rgba(outline or colour), "outline_style":
            "solid" if outline else "no", "outline_width": f"{outline_width:g}",
        "outline_width_unit": "MM", "joinstyle": "bevel", "offset": "0,0",
        "offset_unit": "MM"})


# -- the QML ------------------------------------------------------------------------------
def _root(kind: str = "vector") -> ET.Element:
    root = ET.Element("qgis", version=QGIS_VERSION, styleCategories="AllStyleCategories")
    if kind == "vector":
        root.set("hasScaleBasedVisibilityFlag", "0")
    return root


def _text(root: ET.Element) -> str:
    ET.indent(root)
    return ("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
            + ET.tostring(root, encoding="unicode") + "\n")


def _categorized(root: ET.Element, attr: str, entries: list[tuple[str, str, str, bool]],
                 symbol: str, **fill) -> None:
    """A categorized renderer on ``attr``: (value, label, colour, drawn) per category."""
    renderer = ET.SubElement(root, "renderer-v2", {
        "type": "categorizedSymbol", "attr": attr, "symbollevels": "0", "forceraster": "0",
        "enableorderby": "0", "referencescale": "-1"})
    cats = ET.SubElement(renderer, "categories")
    for i, (value, text, _colour, drawn) in enumerate(entries):
        ET.SubElement(cats, "category", {"value": value, "label": text, "symbol": str(i),
                                         "render": "true" if drawn else "false",
                                         "type": "string"})
    symbols = ET.SubElement(renderer, "symbols")
    for i, (_value, _label, colour, _drawn) in enumerate(entries):
        if symbol == "marker":
            _marker(symbols, str(i), colour)
        else:
            _fill(symbols, str(i), colour, **fill)
    ET.SubElement(renderer, "rotation")
    ET.SubElement(renderer, "sizescale")


def _single_fill(root: ET.Element, colour: str, *, alpha: float, outline: str,
                 outline_width: float) -> None:
    renderer = ET.SubElement(root, "renderer-v2", {
        "type": "singleSymbol", "symbollevels": "0", "forceraster": "0",
        "enableorderby": "0", "referencescale": "-1"})
    symbols = ET.SubElement(renderer, "symbols")
    _fill(symbols, "0", colour, alpha=alpha, outline=outline, outline_width=outline_width)
    ET.SubElement(renderer, "rotation")
    ET.SubElement(renderer, "sizescale")


def _graduated(root: ET.Element, attr: str, values: pd.Series, lang: str
               ) -> list[tuple[float, float, str, str]]:
    """A graduated renderer on ``attr``: five quantile classes of the positive values
    (as the HTML map draws counts per cell), empty cells not drawn. Returns
    (lower, upper, colour, label) per class."""
    positive = pd.to_numeric(values, errors="coerce").dropna()
    positive = positive[positive > 0].to_numpy(dtype=float)
    ranges: list[tuple[float, float, str, str]] = []
    if len(positive):
        edges = np.unique(np.quantile(positive, [0.2, 0.4, 0.6, 0.8]))
        bounds = [float(positive.min()), *map(float, edges), float(positive.max())]
        bounds = [b for i, b in enumerate(bounds) if i == 0 or b > bounds[i - 1]]
        if len(bounds) == 1:
            bounds.append(bounds[0])
        for i in range(len(bounds) - 1):
            label = f"{number(bounds[i], 0, lang=lang)}–{number(bounds[i + 1], 0, lang=lang)}"
            ranges.append((bounds[i], bounds[i + 1], COUNT_COLOURS[i], label))
    renderer = ET.SubElement(root, "renderer-v2", {
        "type": "graduatedSymbol", "attr": attr, "graduatedMethod": "GraduatedColor",
        "symbollevels": "0", "forceraster": "0", "enableorderby": "0",
        "referencescale": "-1"})
    element = ET.SubElement(renderer, "ranges")
    for i, (lower, upper, _colour, label) in enumerate(ranges):
        ET.SubElement(element, "range", {"lower": repr(lower), "upper": repr(upper),
                                         "symbol": str(i), "label": label, "render": "true"})
    symbols = ET.SubElement(renderer, "symbols")
    for i, (_lower, _upper, colour, _label) in enumerate(ranges):
        _fill(symbols, str(i), colour, alpha=0.55)
    ET.SubElement(renderer, "mode", name="quantile")
    ET.SubElement(renderer, "rotation")
    ET.SubElement(renderer, "sizescale")
    ET.SubElement(renderer, "labelformat", format="%1 – %2", decimalplaces="0",
                  trimtrailingzeroes="true")
    return ranges


def _fields(root: ET.Element, fields: list[str], present: dict[str, list[str]],
            lang: str) -> None:
    """Aliases (headers in ``lang``) for ``fields`` and a value map for the coded ones."""
    config = ET.SubElement(root, "fieldConfiguration")
    for name in fields:
        field = ET.SubElement(config, "field", name=name, configurationFlags="None")
        if name in present:
            widget = ET.SubElement(field, "editWidget", type="ValueMap")
            options = ET.SubElement(ET.SubElement(widget, "config"), "Option", type="Map")
            mapping = ET.SubElement(options, "Option", name="map", type="List")
            for code in present[name]:
                entry = ET.SubElement(mapping, "Option", type="Map")
                ET.SubElement(entry, "Option", name=codes.label(name, code, lang=lang),
                              type="QString", value=code)
        else:
            ET.SubElement(field, "editWidget", type="TextEdit")
    aliases = ET.SubElement(root, "aliases")
    for i, name in enumerate(fields):
        header = codes.column_label("grid_row" if name == "row" and "cell_id" in fields
                                    else name, lang=lang)
        ET.SubElement(aliases, "alias", field=name, index=str(i),
                      name=header if header != name else "")


def _present(df: pd.DataFrame, column: str, order: list[str]) -> list[str]:
    """The codes of ``column`` in ``df``: vocabulary order first, then the others."""
    values = {str(v) for v in pd.unique(df[column].dropna())}
    return [c for c in order if c in values] + sorted(values - set(order))


# -- the SLD ------------------------------------------------------------------------------
def _sld(layer: str, title: str, rules: list[dict]) -> str:
    """SLD 1.1.0 text: one rule per entry (``name``, ``filter`` (attr, value) or
    ``None``, ``kind`` point/polygon, ``fill``, ``fill_opacity``, ``stroke``)."""
    root = ET.Element("StyledLayerDescriptor", {
        "version": "1.1.0", **{f"xmlns:{p}" if p else "xmlns": uri
                               for p, uri in _SLD_NS.items()},
        "xsi:schemaLocation": "http://www.opengis.net/sld "
        "http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd"})
    named = ET.SubElement(root, "NamedLayer")
    ET.SubElement(named, "se:Name").text = layer
    user = ET.SubElement(named, "UserStyle")
    ET.SubElement(user, "se:Name").text = layer
    ET.SubElement(ET.SubElement(user, "se:Description"), "se:Title").text = title
    fts = ET.SubElement(user, "se:FeatureTypeStyle")

    def params(parent: ET.Element, items: dict[str, str]) -> None:
        for key, value in items.items():
            ET.SubElement(parent, "se:SvgParameter", name=key).text = value

    for rule in rules:
        r = ET.SubElement(fts, "se:Rule")
        ET.SubElement(r, "se:Name").text = rule["name"]
        ET.SubElement(ET.SubElement(r, "se:Description"), "se:Title").text = rule["name"]
        if rule.get("filter"):
            attr, value = rule["filter"]
            eq = ET.SubElement(ET.SubElement(r, "ogc:Filter"), "ogc:PropertyIsEqualTo")
            ET.SubElement(eq, "ogc:PropertyName").text = attr
            ET.SubElement(eq, "ogc:Literal").text = value
        elif rule.get("range"):
            attr, lower, upper = rule["range"]
            both = ET.SubElement(ET.SubElement(r, "ogc:Filter"), "ogc:And")
            for op, bound in (("GreaterThanOrEqualTo", lower), ("LessThanOrEqualTo", upper)):
                cmp = ET.SubElement(both, f"ogc:PropertyIs{op}")
                ET.SubElement(cmp, "ogc:PropertyName").text = attr
                ET.SubElement(cmp, "ogc:Literal").text = repr(bound)
        fill = {"fill": rule["fill"], "fill-opacity": f"{rule['fill_opacity']:g}"}
        if rule["kind"] == "point":
            graphic = ET.SubElement(ET.SubElement(r, "se:PointSymbolizer"), "se:Graphic")
            mark = ET.SubElement(graphic, "se:Mark")
            ET.SubElement(mark, "se:WellKnownName").text = "circle"
            params(ET.SubElement(mark, "se:Fill"), fill)
            params(ET.SubElement(mark, "se:Stroke"), {"stroke": rule["stroke"],
                                                      "stroke-width": "1"})
            ET.SubElement(graphic, "se:Size").text = "12"
        else:
            sym = ET.SubElement(r, "se:PolygonSymbolizer")
            params(ET.SubElement(sym, "se:Fill"), fill)
            if rule.get("stroke"):
                params(ET.SubElement(sym, "se:Stroke"), {"stroke": rule["stroke"],
                                                         "stroke-width": "2.5"})
    ET.indent(root)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(root, encoding="unicode") + "\n")


# -- the styles per layer -----------------------------------------------------------------
def layer_style(df: pd.DataFrame, layer: str, *, lang: str = "sv") -> Style | None:
    """The QGIS style for an exported layer, chosen by its columns; ``None`` for a
    layer without one (rejects, ingests …).

    Parameters
    ----------
    df
        The layer as exported (stored codes, geometry ``geometry``).
    layer
        Its name in the export (the SLD names it).
    lang
        Language of the legend and the field names (``sv`` or ``en``).
    """
    en = lang == "en"
    fields = [str(c) for c in df.columns if c != "geometry"]
    coded = {f: _present(df, f, list(codes.LABELS.get(f, {}))) for f in VALUE_MAP_FIELDS
             if f in df.columns}
    geom = getattr(df, "geometry", None) if "geometry" in df.columns else None
    if geom is None or not geom.notna().any():
        return None
    types = set(geom.dropna().geom_type)
    root = _root()
    if "category" in df.columns and types <= {"Point", "MultiPoint"}:
        entries = [(c, codes.label("category", c, lang=lang),
                    CATEGORIES[c].colour if c in CATEGORIES else OTHER_COLOUR, True)
                   for c in coded["category"]]
        _categorized(root, "category", entries, "marker")
        title = "Rapporter per kategori" if not en else "Reports by category"
        rules = [{"name": t, "filter": ("category", v), "kind": "point", "fill": c,
                  "fill_opacity": 0.85, "stroke": "#222222"} for v, t, c, _ in entries]
    elif (column := next((c for c in CLASS_COLUMNS if c in df.columns), None)) is not None:
        colours = CLASS_COLUMNS[column]
        present = coded.get(column, [])
        listed = [c for c in codes.LABELS.get(column, {}) if c in colours or c in present]
        entries = [(c, codes.label(column, c, lang=lang), colours.get(c, "#bdbdbd"),
                    c in colours) for c in listed]
        entries += [(c, c, "#bdbdbd", False) for c in present if c not in listed]
        _categorized(root, column, entries, "fill", alpha=0.55)
        title = {"klass": ("Gi*-hotspots per klass", "Gi* hot spots by class"),
                 "change": ("Förändring per ruta", "Change by cell"),
                 "pattern": ("Trender per ruta", "Trends by cell"),
                 "divergence": ("Otrygghet och brott per ruta",
                                "Unsafety and crime by cell")}[column][en]
        rules = [{"name": t, "filter": (column, v), "kind": "polygon", "fill": c,
                  "fill_opacity": 0.55} for v, t, c, drawn in entries if drawn]
    elif "cell_id" in df.columns and (attr := "kde" if "kde" in df.columns else
                                       "n" if "n" in df.columns else None):
        ranges = _graduated(root, attr, df[attr], lang)
        title = ("Täthet (KDE) per ruta" if attr == "kde" else "Rapporter per ruta",
                 "Density (KDE) per cell" if attr == "kde" else "Reports per cell")[en]
        rules = [{"name": label, "range": (attr, lo, hi), "kind": "polygon", "fill": colour,
                  "fill_opacity": 0.55} for lo, hi, colour, label in ranges]
    elif "hotspot_id" in df.columns:
        _single_fill(root, HOTSPOT_FILL, alpha=0.12, outline=HOTSPOT_OUTLINE,
                     outline_width=0.66)
        title = "Hotspotområden" if not en else "Hotspot areas"
        rules = [{"name": title, "filter": None, "kind": "polygon", "fill": HOTSPOT_FILL,
                  "fill_opacity": 0.12, "stroke": HOTSPOT_OUTLINE}]
    else:
        return None
    _fields(root, fields, coded, lang)
    ET.SubElement(root, "layerGeometryType").text = "0" if "Point" in "".join(types) else "2"
    return Style(name=title, qml=_text(root), sld=_sld(layer, title, rules),
                 description=title)


def write_layer_styles(path: str | Path, styles: list[tuple[str, str, Style]]) -> None:
    """Add the ``layer_styles`` table QGIS reads to the GeoPackage ``path``.

    Parameters
    ----------
    path
        A GeoPackage just written (GDAL registers the table in ``gpkg_contents``
        as attributes, with ``id`` as its key).
    styles
        (table, geometry column, style) per styled layer; each becomes the
        layer's default style.
    """
    now = pd.Timestamp(datetime.now(UTC))
    rows = pd.DataFrame({
        "f_table_catalog": "", "f_table_schema": "",
        "f_table_name": [t for t, _, _ in styles],
        "f_geometry_column": [g for _, g, _ in styles],
        "styleName": [s.name for _, _, s in styles], "styleQML": [s.qml for _, _, s in styles],
        "styleSLD": [s.sld for _, _, s in styles], "useAsDefault": True,
        "description": [s.description for _, _, s in styles], "owner": "", "ui": None,
        "update_time": now,
    })
    pyogrio.write_dataframe(rows, path, layer="layer_styles", driver="GPKG",
                            layer_options={"FID": "id", "DESCRIPTION": "QGIS layer styles"})


# -- KDE rasters ------------------------------------------------------------------------
def raster_qml(peak: float, *, lang: str = "sv") -> str:
    """A QML pseudocolour style for a KDE GeoTIFF (band 1, reports per km²): the map's
    ramp (YlOrRd) from 0 to ``peak``, transparent below 2 % of the peak."""
    en = lang == "en"
    peak = float(peak) if np.isfinite(peak) and peak > 0 else 1.0
    unit = "rapporter per km²" if not en else "reports per km²"
    stops = [(0.0, 0), (0.02, 90)] + [(f, round(90 + 150 * f)) for f in (0.25, 0.5, 0.75, 1.0)]
    colours = KDE_COLOURS.astype(int).tolist()
    root = _root("raster")
    pipe = ET.SubElement(root, "pipe")
    renderer = ET.SubElement(pipe, "rasterrenderer", {
        "type": "singlebandpseudocolor", "band": "1", "opacity": "1", "alphaBand": "-1",
        "classificationMin": "0", "classificationMax": repr(peak), "nodataColor": ""})
    ET.SubElement(renderer, "rasterTransparency")
    minmax = ET.SubElement(renderer, "minMaxOrigin")
    for tag, text in (("limits", "None"), ("extent", "WholeRaster"),
                      ("statAccuracy", "Estimated"), ("cumulativeCutLower", "0.02"),
                      ("cumulativeCutUpper", "0.98"), ("stdDevFactor", "2")):
        ET.SubElement(minmax, tag).text = text
    shader = ET.SubElement(ET.SubElement(renderer, "rastershader"), "colorrampshader", {
        "colorRampType": "INTERPOLATED", "classificationMode": "1", "clip": "0",
        "minimumValue": "0", "maximumValue": repr(peak), "labelPrecision": "0"})
    for fraction, alpha in stops:
        pos = fraction * (len(colours) - 1)
        low = min(int(pos), len(colours) - 2)
        rgb = [round(a + (b - a) * (pos - low)) for a, b in zip(colours[low], colours[low + 1],
                                                                  strict=True)]
        value = peak * fraction
        ET.SubElement(shader, "item", {
            "value": repr(value), "alpha": str(alpha),
            "color": "#{:02x}{:02x}{:02x}".format(*rgb),
            "label": f"{number(value, 0, lang=lang)} {unit}"})
    ET.SubElement(pipe, "brightnesscontrast", brightness="0", contrast="0", gamma="1")
    ET.SubElement(pipe, "huesaturation", saturation="0", grayscaleMode="0",
                  colorizeOn="0", colorizeRed="255", colorizeGreen="128", colorizeBlue="128",
                  colorizeStrength="100")
    ET.SubElement(pipe, "rasterresampler", maxOversampling="2")
    ET.SubElement(root, "blendMode").text = "0"
    return _text(root)

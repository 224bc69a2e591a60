"""How the background layers (the municipality's own map files) look on the maps.

A background layer is recognised by its name (``kommun``, ``tatorter``, ``gator``,
``byggnader``, ``detaljplan`` and their usual variants, Swedish or English): it gets
a Swedish (or English) label and a style of its kind — the municipal boundary
dashed, urban areas and buildings filled light, streets white with a grey casing,
detailed plans outlined and hatched. A layer of any other name keeps its own name
(shown as data, never markup) and the plain grey style.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["DRAW_ORDER", "KINDS", "LABELS", "STYLES", "layer_kind", "layer_label",
           "layer_style", "plain_name"]

#: Kind → the layer names (lower case, without diacritics) that mean it.
KINDS: dict[str, tuple[str, ...]] = {
    "boundary": ("kommun", "kommuner", "kommungrans", "kommungranser", "kommunyta",
                 "kommunomrade", "municipality", "municipalities", "boundary", "boundaries"),
    "urban": ("tatort", "tatorter", "ort", "orter", "urban", "urban_areas", "towns"),
    "streets": ("gator", "gata", "gatunat", "vagar", "vag", "vagnat", "vaglinjer",
                "streets", "roads"),
    "buildings": ("byggnader", "byggnad", "byggnadsytor", "hus", "buildings"),
    "plans": ("detaljplan", "detaljplaner", "planer", "plan", "plans"),
}
#: Kind → (Swedish, English) label in the layer control and the legend.
LABELS: dict[str, tuple[str, str]] = {
    "boundary": ("Kommungräns", "Municipal boundary"),
    "urban": ("Tätorter", "Urban areas"),
    "streets": ("Gator", "Streets"),
    "buildings": ("Byggnader", "Buildings"),
    "plans": ("Detaljplaner", "Detailed plans"),
}
#: Kind → Leaflet path options. ``casing`` (streets) is drawn beneath the line, wider;
#: ``hatch`` fills the area with thin diagonal lines of ``color``. Widths are those at
#: zoom 15; the page scales them with the zoom.
STYLES: dict[str, dict] = {
    "boundary": {"color": "#4a4a4a", "weight": 2, "opacity": 0.9, "dashArray": "10 4 2 4",
                 "fill": False},
    "urban": {"color": "#d3c9b5", "weight": 1, "fillColor": "#ebe4d3", "fillOpacity": 0.7},
    "streets": {"color": "#ffffff", "weight": 4, "opacity": 1,
                "casing": {"color": "#a8a8a8", "weight": 6, "opacity": 1}},
    "buildings": {"color": "#b4ab9d", "weight": 0.6, "fillColor": "#d9d1c4",
                  "fillOpacity": 0.9},
    "plans": {"color": "#2b6f8f", "weight": 1.5, "dashArray": "6 3", "fillColor": "#2b6f8f",
              "fillOpacity": 0.35, "hatch": True},
    "polygon": {"color": "#8a8a8a", "weight": 1, "fillColor": "#bdbdbd", "fillOpacity": 0.25},
    "line": {"color": "#9e9e9e", "weight": 2},
}
#: Kinds from the bottom up: fills first, then streets, plans and the boundary on top.
DRAW_ORDER = ("urban", "polygon", "buildings", "line", "streets", "plans", "boundary")


def plain_name(name: str) -> str:
    """``name`` in lower case without diacritics, runs of other characters as ``_``."""
    text = unicodedata.normalize("NFKD", str(name).lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def layer_kind(name: str, polygon: bool) -> str:
    """The kind of background layer ``name`` (see :data:`KINDS`); ``polygon`` or
    ``line`` (by geometry) when the name is not one of them.

    Matches the whole name or one of its parts (``sample_gator``, ``Byggnader 2025``).
    Streets must be lines and the other kinds polygons, else the plain style is used.
    """
    plain = plain_name(name)
    parts = {plain, *plain.split("_")}
    for kind, names in KINDS.items():
        if parts & set(names) and (kind == "streets") != polygon:
            return kind
    return "polygon" if polygon else "line"


def layer_label(name: str, kind: str, *, lang: str = "sv") -> str:
    """What users read for the layer: the kind's label, or ``name`` as it is."""
    if kind in LABELS:
        return LABELS[kind][lang == "en"]
    return str(name)


def layer_style(kind: str) -> dict:
    """A copy of the Leaflet path options of ``kind`` (:data:`STYLES`)."""
    style = dict(STYLES[kind])
    if "casing" in style:
        style["casing"] = dict(style["casing"])
    return style

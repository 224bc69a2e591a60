"""User-facing text of the maps, Swedish first, English with ``lang="en"``."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "sv": {
        "source": "Källa", "date": "Datum", "place": "Plats", "description": "Beskrivning",
        "id": "Ärende", "reports": "rapporter", "legend": "Kategorier",
        "data_until": "Data t.o.m.", "period": "Period",
        "synthetic": "SYNTETISKA DATA — demonstration, platserna och rapporterna finns inte",
        "intern": "Intern — innehåller personuppgifter",
        "background": "Bakgrund", "layers": "Lager", "no_reports": "Inga rapporter",
        "made_with": "Gjord med Trygghetskartan",
        "not_drawn": "utan exakt läge visas inte som punkter",
        "thousands": "\u00a0", "reports_layer": "Rapporter", "filter": "Filter",
        "categories": "Kategori", "sources": "Källa", "kinds": "Typ", "from": "från",
        "to": "till", "time_of_day": "Tid på dygnet", "reset": "Visa alla",
        "showing": "Visar {n} av {total} rapporter",
        "aggregated": "{n} rapporter: för många för punkter, visas som antal per ruta",
        "show_reports": "Visa rapporterna här", "in_hotspot": "i hotspot {id}",
        "analyses": "Analyser", "reports_group": "Rapporter", "hotspot": "Hotspotområde",
        "rank": "rang", "sources_line": "Källor",
    },
    "en": {
        "source": "Source", "date": "Date", "place": "Place", "description": "Description",
        "id": "Case", "reports": "reports", "legend": "Categories",
        "data_until": "Data up to", "period": "Period",
        "synthetic": "SYNTHETIC DATA — demonstration, the places and reports do not exist",
        "intern": "Internal — contains personal data",
        "background": "Background", "layers": "Layers", "no_reports": "No reports",
        "made_with": "Made with Trygghetskartan",
        "not_drawn": "without an exact location are not drawn as points",
        "thousands": ",", "reports_layer": "Reports", "filter": "Filter",
        "categories": "Category", "sources": "Source", "kinds": "Kind", "from": "from",
        "to": "to", "time_of_day": "Time of day", "reset": "Show all",
        "showing": "Showing {n} of {total} reports",
        "aggregated": "{n} reports: too many for points, shown as counts per cell",
        "show_reports": "Show the reports here", "in_hotspot": "in hot spot {id}",
        "analyses": "Analyses", "reports_group": "Reports", "hotspot": "Hot spot area",
        "rank": "rank", "sources_line": "Sources",
    },
}


def texts(lang: str = "sv") -> dict[str, str]:
    """The UI texts for ``lang`` (``sv`` or ``en``)."""
    return TEXTS["en" if lang == "en" else "sv"]

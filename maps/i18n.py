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
        "show_reports": "Visa rapporterna här", "in_hotspot": "i hotspotområdet {name}",
        "analyses": "Analyser", "reports_group": "Rapporter", "hotspot": "Hotspotområde",
        "rank": "rang", "sources_line": "Källor",
        "report_one": "rapport", "showing_one": "Visar {n} av {total} rapport",
        "zoom_in": "Zooma in", "zoom_out": "Zooma ut", "north": "Norr är uppåt",
        "north_letter": "N", "legend_toggle": "Teckenförklaring", "about": "Om kartan",
        "banners": "Om uppgifterna (tryck för hela texten)", "key": "Kategorier",
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
        "show_reports": "Show the reports here", "in_hotspot": "in the hot spot area {name}",
        "analyses": "Analyses", "reports_group": "Reports", "hotspot": "Hot spot area",
        "rank": "rank", "sources_line": "Sources",
        "report_one": "report", "showing_one": "Showing {n} of {total} report",
        "zoom_in": "Zoom in", "zoom_out": "Zoom out", "north": "North is up",
        "north_letter": "N", "legend_toggle": "Legend", "about": "About the map",
        "banners": "About the data (tap for the whole text)", "key": "Categories",
    },
}


#: What the analyses mean, in plain words, for the "Om kartan" panel.
ABOUT: dict[str, dict[str, str]] = {
    "sv": {
        "reports": "Kartan visar rapporter om otrygghet, brott och fysiska brister{sources}"
                   "{period}. Varje punkt är en rapport; färgen och symbolen visar "
                   "kategorin (se filtret).",
        "gistar": "Hotspots (Gi*-analys): kartan delas in i rutor. För varje ruta jämförs "
                  "antalet rapporter i rutan och dess grannar med vad som vore väntat om "
                  "rapporterna låg jämnt utspridda. Avvikelsen är ett z-värde: ju högre, "
                  "desto fler rapporter än väntat.",
        "fdr": "Sannolikheten att det är slumpen (p) är justerad för att många rutor testas "
               "på en gång (FDR, Benjamini–Hochberg): av rutorna märkta ”Hotspot 95 %” "
               "väntas högst var tjugonde vara falskt larm, av ”99 %” högst var hundrade.",
        "hotspots": "Hotspotområde: en plats där rapporterna ligger mycket tätare än runt "
                    "en vanlig rapport. Områdena numreras efter antalet rapporter (rang 1 "
                    "har flest); klicka på ett område för siffror och tider.",
        "cells": "Kartan visar hur många rapporter som finns i varje sexkantig ruta om "
                 "{cell} m{period}. Rutor med färre än {k} rapporter visas inte, så att "
                 "ingen enskild rapport kan pekas ut.",
    },
    "en": {
        "reports": "The map shows reports of unsafety, crime and physical defects{sources}"
                   "{period}. Each point is a report; its colour and symbol show the "
                   "category (see the filter).",
        "gistar": "Hot spots (Gi* analysis): the map is divided into cells. For each cell "
                  "the reports in the cell and its neighbours are compared with what would "
                  "be expected if the reports were spread evenly. The difference is a "
                  "z-score: the higher, the more reports than expected.",
        "fdr": "The probability that it is chance (p) is adjusted for testing many cells at "
               "once (FDR, Benjamini–Hochberg): of the cells marked “Hot spot 95%” at most "
               "one in twenty is expected to be a false alarm, of “99%” one in a hundred.",
        "hotspots": "Hot spot area: a place where the reports lie much closer together than "
                    "around a typical report. The areas are numbered by their number of "
                    "reports (rank 1 has the most); click an area for figures and times.",
        "cells": "The map shows how many reports lie in each hexagonal cell of {cell} m"
                 "{period}. Cells with fewer than {k} reports are not shown, so that no "
                 "single report can be singled out.",
    },
}


def about(lang: str = "sv") -> dict[str, str]:
    """The paragraphs of the "Om kartan" panel for ``lang`` (placeholders unfilled)."""
    return ABOUT["en" if lang == "en" else "sv"]


def texts(lang: str = "sv") -> dict[str, str]:
    """The UI texts for ``lang`` (``sv`` or ``en``)."""
    return TEXTS["en" if lang == "en" else "sv"]

"""Write the XLSX test fixtures (run from the repo root: python tests/data/make_fixtures.py).

The files are committed; this script documents how they were made.
"""

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent


def est_workbook() -> None:
    """EST lägesbild: two weekly sheets, dates as Excel serial numbers and as dates."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Vecka 41"
    ws.append(["Datum", "Tid", "Ort", "Plats", "Händelsetyp", "Beskrivning",
               "Rapportör/organisation"])
    # 45943 = 2025-10-13 (Excel serial day number, written as a plain number cell)
    ws.append([45943, "21:40", "Strandvik", "Busstationen", "Ungdomar samlas/stök",
               "Grupp om 15 ungdomar, kast av föremål", "Fältgruppen"])
    ws.append([45944.5, None, "Strandvik", "Storgatan 12", "Skadegörelse",
               "Krossad ruta i trapphus", "Bostadsbolaget Exempelbo"])
    ws.append([datetime(2025, 10, 15), "23:05", "Björkås", "Björkåsskolan", "Brand",
               "Brand i papperskorg vid skolan", "Räddningstjänsten"])
    ws2 = wb.create_sheet("Vecka 42")
    ws2.append(["Datum", "Tid", "Ort", "Plats", "Händelsetyp", "Beskrivning",
                "Rapportör/organisation"])
    ws2.append([datetime(2025, 10, 20, 0, 0), "02:15", "Strandvik", "Torget",
                "Fylleri/ordningsstörning", "Bråk efter krogstängning", "Polisen"])
    ws2.append([datetime(2025, 10, 21), "19:00", "Strandvik", "", "Narkotika",
                "Uppgifter om försäljning", "Socialtjänsten"])
    ws2.append(["nästa vecka", "19:00", "Strandvik", "Torget", "Klotter/Graffiti",
                "Datum saknas", "Skolan"])
    wb.save(HERE / "est_lagesbild.xlsx")


def walk_protocol() -> None:
    """A filled-in walk protocol in the tool's template, with coordinates."""
    from trygg.layers.sources.walk import TEMPLATE_COLUMNS

    wb = Workbook()
    ws = wb.active
    ws.title = "Protokoll"
    ws.append(list(TEMPLATE_COLUMNS))
    ws.append([datetime(2026, 3, 11, 18, 30), 1, "Björkåsskolan", "Mörkt på skolgården",
               "Belysning", "Byt armatur", "Fastighetsförvaltningen", "Hög", "Öppen",
               60.1091, 16.9372])
    ws.append([datetime(2026, 3, 11, 18, 45), 2, "Lindvägen 16", "Skymmande häck",
               "Vegetation/sikt", "Klipp häcken", "Gatuenheten", "Medel", "Åtgärdad",
               60.1083, 16.9517])
    ws.append([datetime(2026, 3, 11, 19, 0), 3, "Centrum Björkås", "Klotter på busskur",
               "Klotter", "Sanera inom 48 h", "Bostadsbolaget", "Låg", "Öppen", None, None])
    wb.save(HERE / "walk_protokoll.xlsx")


if __name__ == "__main__":
    est_workbook()
    walk_protocol()

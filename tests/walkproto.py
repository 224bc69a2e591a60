"""A small walk's protocol for the import tests: three stops of walk ``v1`` (SWEREF 99
TM), written by ``maps.walk_xlsx.write_protocol``, and a way to fill it in as a walk
group would."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
from openpyxl import load_workbook
from shapely.geometry import Point

from trygg.maps.walk_xlsx import write_protocol

XY = [(674_000.0, 6_580_000.0), (674_150.0, 6_580_080.0), (674_260.0, 6_579_930.0)]
PLACES = ["Torget", "Parkstigen", "Gångtunneln"]
WALK_DATE = dt.date(2025, 10, 15)


def stops(walk_id: str = "v1") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"walk_id": walk_id, "stop": [1, 2, 3], "place_name": PLACES},
                            geometry=[Point(xy) for xy in XY], crs="EPSG:3006")


def protocol(folder: Path, *, lang: str = "sv", walk_id: str = "v1") -> Path:
    return write_protocol(stops(walk_id), folder / "protokoll.xlsx", lang=lang,
                          date=WALK_DATE)


def fill(path: Path, rows: dict[int, dict[str, object]], out: Path | None = None,
         *, append: list[dict[str, object]] = ()) -> Path:
    """Put values into ``path``'s first sheet by header: ``rows`` maps a sheet row (2 =
    the first stop) to {header: value}; ``append`` adds rows below the last one.
    Saved as ``out`` (default: in place)."""
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    head = {str(c.value): c.column for c in ws[1] if c.value is not None}
    last = max(r for r in range(1, ws.max_row + 1)
               if ws.cell(row=r, column=1).value not in (None, ""))
    for row, values in [*rows.items(), *((last + 1 + i, v) for i, v in enumerate(append))]:
        for name, value in values.items():
            ws.cell(row=row, column=head[name]).value = value  # None clears the cell
    out = out or path
    wb.save(out)
    return out


#: What the group wrote at stop 1 and 2 (Swedish headers).
STOP1 = {"Observation": "Trasig lampa vid entrén", "Kategori": "Bristande belysning",
         "Ljus/mörker": "Mörkt", "Grupp": "Kvinnor", "Belysning": 0, "Känsla av trygghet": 1,
         "Åtgärdsförslag": "Byt armaturen", "Ansvarig": "Kommunen", "Prioritet": "Hög"}
STOP2 = {"Observation": "Buskarna skymmer stigen", "Kategori": "Upplevd otrygghet",
         "Ljus/mörker": "Mörkt", "Grupp": "Unga", "Öppenhet": 1, "Synlighet": 1,
         "Känsla av trygghet": 2, "Åtgärdsförslag": "Gallra buskarna",
         "Ansvarig": "Fastighetsägare", "Senast klart": "2026-01-31"}

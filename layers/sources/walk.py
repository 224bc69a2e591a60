"""Source ``walk``: safety-walk (trygghetsvandring) protocols.

Three shapes: the tool's own XLSX protocol template (columns Datum, Stopp,
Plats, Observation, Kategori, Åtgärdsförslag, Ansvarig, Prioritet, Status and
optionally Latitud/Longitud or X/Y), GPX waypoints recorded on a phone (name,
desc, time, type), and GeoJSON points. Proposed action, responsible party and
priority are kept in ``extra`` so actions can be followed up.
"""

from __future__ import annotations

from pathlib import Path

from trygg.layers.sources import table
from trygg.layers.sources.common import Parsed
from trygg.layers.sources.readers import read_raw

#: Columns of the protocol template, in order (``trygg walk`` writes the same).
TEMPLATE_COLUMNS = ("Datum", "Stopp", "Plats", "Observation", "Kategori", "Åtgärdsförslag",
                    "Ansvarig", "Prioritet", "Status", "Latitud", "Longitud")

#: Header names recognised per report field in walk protocols and GPX waypoints.
ALIASES: dict[str, tuple[str, ...]] = {
    **{k: v for k, v in table.FIELD_ALIASES.items() if k != "source"},
    "source_id": ("id", "löpnummer"),
    "reported_at": ("datum", "date", "time", "tidpunkt"),
    "description": ("observation", "iakttagelse", "beskrivning", "desc", "cmt", "kommentar"),
    "place_text": ("plats", "name", "namn", "adress"),
    "category": ("kategori", "type", "typ", "sym"),
    "organisation": ("organisation", "grupp", "deltagare"),
}


def parse_file(path: str | Path, *, target_crs: str, area: tuple[float, float, float, float],
               mapping: dict[str, str] | None = None, categories: dict[str, str] | None = None,
               crs: str | None = None, sheet: str | None = None, source: str = "walk",
               dayfirst: bool = False) -> Parsed:
    """Read a walk protocol (XLSX/CSV template, GPX waypoints or GeoJSON) into reports.

    Parameters are those of :func:`layers.sources.table.parse`. Walk
    observations are the municipality's own: visibility ``publik`` (they may
    count in public aggregates) unless the file says otherwise.
    """
    return table.parse(read_raw(path, sheet=sheet), target_crs=target_crs, area=area,
                       mapping=mapping, categories=categories, crs=crs, source="walk",
                       aliases=ALIASES,
                       defaults={"organisation": "Trygghetsvandring", "visibility": "publik"},
                       dayfirst=dayfirst)

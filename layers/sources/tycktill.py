"""Source ``tycktill``: Tyck till / felanmälan exports (CSV or XLSX).

Residents' reports with a map pin, a category (often main + sub category), free
text and a status. Column names differ per municipality; the built-in profile
below recognises the common ones (Ärendenummer / Ärende-ID, Skapad /
Registrerad, Kategori + Underkategori, Beskrivning, Adress / Plats, Latitud /
Longitud or X / Y, Status, Avslutad). Other headers are mapped with
``--profile FILE.toml`` (section ``[columns]``) or ``--map``.
"""

from __future__ import annotations

from pathlib import Path

from trygg.layers.sources import table
from trygg.layers.sources.common import Parsed
from trygg.layers.sources.readers import read_raw

#: The built-in profile: header names recognised per report field.
ALIASES: dict[str, tuple[str, ...]] = {
    **{k: v for k, v in table.FIELD_ALIASES.items() if k != "source"},
    "source_id": ("ärendenummer", "ärende id", "ärendeid", "ärendenr", "id", "nr"),
    "reported_at": ("skapad", "registrerad", "skapad datum", "registreringsdatum", "datum",
                    "inkom", "date"),
    "description": ("beskrivning", "ärendebeskrivning", "text", "meddelande", "kommentar"),
    "place_text": ("adress", "plats", "platsbeskrivning", "gatuadress"),
}


def parse_file(path: str | Path, *, target_crs: str, area: tuple[float, float, float, float],
               mapping: dict[str, str] | None = None, categories: dict[str, str] | None = None,
               crs: str | None = None, sheet: str | None = None,
               source: str = "tycktill",
               dayfirst: bool = False) -> Parsed:
    """Read a Tyck till export and map it onto the report model.

    Parameters are those of :func:`layers.sources.table.parse`; every row gets
    source ``tycktill``, organisation ``Invånare`` and visibility ``publik``
    (residents' reports may count in public aggregates; their text is never
    published) unless the file says otherwise.
    """
    return table.parse(read_raw(path, sheet=sheet), target_crs=target_crs, area=area,
                       mapping=mapping, categories=categories, crs=crs, source="tycktill",
                       aliases=ALIASES,
                       defaults={"organisation": "Invånare", "visibility": "publik"},
                       dayfirst=dayfirst)

"""Source ``est``: EST lägesbild sheets (Effektiv samordning för trygghet).

One row per observation — datum, tid, ort, plats, händelsetyp, beskrivning,
rapportör/organisation — in CSV or XLSX, often one sheet per week or area
(all sheets are read and stacked). Places are usually names or addresses, not
coordinates: such rows are kept with precision ``none`` and placed by the
geocoder, with the ort as context. EST observations are shared among the
partners in confidence: visibility ``intern`` unless the file says otherwise.
"""

from __future__ import annotations

from pathlib import Path

from trygg.layers.sources import table
from trygg.layers.sources.common import Parsed
from trygg.layers.sources.readers import read_raw

#: Header names recognised per report field in EST sheets.
ALIASES: dict[str, tuple[str, ...]] = {
    **{k: v for k, v in table.FIELD_ALIASES.items() if k != "source"},
    "source_id": ("id", "löpnummer", "nr", "händelse id", "rapport id"),
    "reported_at": ("datum", "händelsedatum", "date", "dag"),
    "time": ("tid", "klockslag", "kl", "tidpunkt"),
    "category": ("händelsetyp", "händelse", "typ", "kategori", "typ av händelse"),
    "description": ("beskrivning", "händelsebeskrivning", "kommentar", "övrigt", "text"),
    "place_text": ("plats", "adress", "platsbeskrivning", "var"),
    "organisation": ("rapportör/organisation", "rapportör", "organisation", "rapporterad av",
                     "aktör"),
}


def parse_file(path: str | Path, *, target_crs: str, area: tuple[float, float, float, float],
               mapping: dict[str, str] | None = None, categories: dict[str, str] | None = None,
               crs: str | None = None, sheet: str | None = None, source: str = "est",
               dayfirst: bool = False) -> Parsed:
    """Read an EST sheet (every sheet of a workbook unless ``sheet``) into reports.

    Parameters are those of :func:`layers.sources.table.parse`.
    """
    return table.parse(read_raw(path, sheet=sheet), target_crs=target_crs, area=area,
                       mapping=mapping, categories=categories, crs=crs, source="est",
                       aliases=ALIASES,
                       dayfirst=dayfirst)

"""Tell from a file's column names which source it most likely comes from.

Before an ingest the header of the file (CSV: first line; XLSX: the first
non-empty row of each sheet; vector files: attribute names; JSON: the keys of
the first objects) is scored against every source: one point per column that
is typical of that source's exports and of no other source (the
:data:`SIGNATURES` below, taken from the column names each source module
recognises: ``tycktill.ALIASES``, ``est.ALIASES``, ``walk.TEMPLATE_COLUMNS``,
the Open311 and police field names). Columns every source knows (Datum,
Kategori, Plats, X/Y …) score for none. The ``table`` source is the generic one
and has no signature.

A file *clearly* matches source S when it has at least :data:`MIN_HITS` of S's
signature columns and at least :data:`MARGIN` more than of the named source's;
:func:`check_source` then refuses the ingest (``--force`` overrides).
"""

from __future__ import annotations

import re
from pathlib import Path

from trygg.geo.errors import InputFileError
from trygg.layers.sources.common import normalise_label

#: Columns (normalised: lower case, '-' and '_' as spaces) typical of one source.
SIGNATURES: dict[str, frozenset[str]] = {
    "tycktill": frozenset({
        "ärendenummer", "ärende id", "ärendeid", "ärendenr", "skapad", "skapad datum",
        "registrerad", "registreringsdatum", "inkom", "underkategori", "avslutad",
        "ärendebeskrivning", "meddelande", "gatuadress", "ärendetyp", "huvudkategori"}),
    "est": frozenset({
        "rapportör/organisation", "rapportör", "rapporterad av", "aktör", "händelsetyp",
        "typ av händelse", "händelse", "händelsebeskrivning", "händelse id", "rapport id",
        "löpnummer", "klockslag", "händelsedatum"}),
    "walk": frozenset({
        "stopp", "observation", "iakttagelse", "åtgärdsförslag", "ansvarig", "prioritet",
        "deltagare", "grupp"}),
    "open311": frozenset({
        "service request id", "service name", "service code", "requested datetime",
        "updated datetime", "status notes", "agency responsible", "service notice",
        "expected datetime", "media url", "service requests"}),
    "polisen": frozenset({"summary", "url", "gps"}),
}

#: Signature columns a file needs to be taken as clearly from a source.
MIN_HITS = 2
#: ... except where the signature words are common elsewhere (``summary``, ``url``).
MIN_HITS_BY_SOURCE = {"polisen": 3}
#: How many more signature columns than the named source's that takes.
MARGIN = 2

#: How each source's files are called in the refusal message (Swedish, English).
DESCRIPTIONS = {
    "tycktill": ("en Tyck till-export", "a Tyck till export"),
    "est": ("en EST-lägesbild", "an EST lägesbild"),
    "walk": ("ett trygghetsvandringsprotokoll", "a safety-walk protocol"),
    "open311": ("en Open311-export", "an Open311 export"),
    "polisen": ("Polisens händelser", "police events"),
}

_JSON_KEY = re.compile(r'"([^"\\\n]{1,60})"\s*:')


def _key(name: str) -> str:
    return normalise_label(name).replace("-", " ").replace("_", " ")


def header_names(path: str | Path, *, sheet: str | None = None) -> list[str]:
    """The column names of a file, read cheaply (header rows only).

    Returns an empty list when the file cannot be read that way; the reader
    then gives the real error.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt", ".tsv"):
            from trygg.layers.sources.readers import csv_header

            with open(path, "rb") as fh:
                return csv_header(fh.read(1 << 16))
        if suffix in (".xlsx", ".xlsm"):
            return _xlsx_headers(path, sheet)
        if suffix in (".json", ".jsonl", ".geojson", ".gz"):
            from trygg.layers.sources.readers import read_bytes

            head = read_bytes(path, limit=1 << 16).decode("utf-8", errors="replace")
            return list(dict.fromkeys(_JSON_KEY.findall(head)))
        if suffix in (".gpkg", ".shp", ".fgb", ".gpx"):
            import pyogrio

            from trygg.layers.sources.readers import selection

            layer = selection(path)["layer"]  # the layer the ingest reads
            return [str(f) for f in pyogrio.read_info(path, layer=layer)["fields"]]
    except Exception:  # noqa: BLE001 - sniffing never replaces the reader's own message
        return []
    return []


def _xlsx_headers(path: Path, sheet: str | None) -> list[str]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        names = [sheet] if sheet in wb.sheetnames else wb.sheetnames
        out: list[str] = []
        for name in names:
            for values in wb[name].iter_rows(values_only=True, max_row=20):
                texts = [str(v).strip() for v in values if v is not None and str(v).strip()]
                if texts:
                    out += texts
                    break
        return list(dict.fromkeys(out))
    finally:
        wb.close()


def score_sources(header: list[str]) -> dict[str, int]:
    """Number of each source's signature columns among ``header``."""
    keys = {_key(h) for h in header}
    return {src: len(keys & sig) for src, sig in SIGNATURES.items()}


def likely_source(header: list[str], named: str) -> str | None:
    """The source ``header`` clearly comes from when that is not ``named``, else ``None``."""
    scores = score_sources(header)
    best = max(scores, key=lambda s: (scores[s], s == named))
    own = scores.get(named, 0)
    need = MIN_HITS_BY_SOURCE.get(best, MIN_HITS)
    if best != named and scores[best] >= need and scores[best] >= own + MARGIN:
        return best
    return None


def check_source(path: str | Path, source: str, *, sheet: str | None = None) -> None:
    """Refuse a file that clearly comes from another source than ``source``.

    Raises
    ------
    InputFileError
        Naming the likely source and the two ways on (``--source``, ``--force``).
    """
    other = likely_source(header_names(path, sheet=sheet), source)
    if other is None:
        return
    sv, en = DESCRIPTIONS[other]
    raise InputFileError(
        f"Filen '{Path(path).name}' ser ut som {sv} (källa {other}), inte {source}. "
        f"Ange --source {other}, eller --force om du är säker.",
        f"The file '{Path(path).name}' looks like {en} (source {other}), not {source}. "
        f"Use --source {other}, or --force if you are sure.")

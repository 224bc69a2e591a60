"""Ingest one file into a project: read, map, locate, deduplicate, store, account.

Every row read ends as a report, a duplicate of a report already stored, or a
reject with file, line and reason; :class:`IngestSummary` adds them up and is
stored in the ``ingests`` table. Re-ingesting the same file (same SHA-256)
adds nothing.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from geo.errors import ArgumentError, InputFileError
from layers.geocoding import geocoder_for, place_reports
from layers.links import LINKS, find_links
from layers.schema import SOURCES
from layers.sources import PARSERS, common
from layers.sources.sniff import check_source
from layers.store import GeoPackageStore

#: Sources read through :func:`layers.sources.table.parse` (they take ``dayfirst``).
_TABLE_SOURCES = ("table", "tycktill", "est", "walk")


@dataclass
class IngestSummary:
    """Counts of one ingest; ``rows_read == reports_added + duplicates + rejected``."""

    ingest_id: str
    file: str
    source: str
    rows_read: int = 0
    reports_added: int = 0
    duplicates: int = 0
    rejected: int = 0
    rejected_by_reason: dict[str, int] = field(default_factory=dict)
    by_precision: dict[str, int] = field(default_factory=dict)
    by_source: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    unmapped: dict[str, int] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    crs: str | None = None
    linked: int = 0
    ungeocoded: dict[str, int] = field(default_factory=dict)
    already_ingested: str | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)  # reader's, (sv, en)

    @property
    def balanced(self) -> bool:
        """True when every row read is accounted for."""
        return self.rows_read == self.reports_added + self.duplicates + self.rejected


def load_profile(path: str | Path) -> dict:
    """Read a column/category profile (TOML).

    The file may hold ``[columns]`` (field = "Column name"), ``[categories]``
    ("raw label" = "code"), ``crs = "EPSG:n"`` and ``dayfirst = true`` (dates
    such as ``5/1/2025`` are 5 January; without it they are rejected as
    ambiguous).

    Raises
    ------
    InputFileError
        When the file is missing or not valid TOML.
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise InputFileError(f"Profilen '{path}' finns inte.",
                             f"The profile '{path}' does not exist.") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError(f"Profilen '{path}' är inte giltig TOML: {exc}.",
                             f"The profile '{path}' is not valid TOML: {exc}.") from None
    dayfirst = data.get("dayfirst", False)
    if not isinstance(dayfirst, bool):
        raise InputFileError(f"I profilen '{path}' ska dayfirst vara true eller false.",
                             f"In the profile '{path}', dayfirst must be true or false.")
    return {"columns": dict(data.get("columns", {})),
            "categories": dict(data.get("categories", {})), "crs": data.get("crs"),
            "dayfirst": dayfirst}


def ingest_file(store: GeoPackageStore, path: str | Path, *, source: str = "table",
                mapping: dict[str, str] | None = None, profile: str | Path | None = None,
                crs: str | None = None, sheet: str | None = None,
                on_step: Callable[[str], None] | None = None, force: bool = False,
                dayfirst: bool | None = None) -> IngestSummary:
    """Ingest one file into the project, all or nothing.

    Parameters
    ----------
    store
        The open project.
    path
        Input file (CSV, XLSX, GeoJSON, GeoPackage, Shapefile).
    source
        Source kind; so far ``table``.
    mapping
        ``field → column`` pairs overriding recognised column names.
    profile
        TOML file with ``[columns]``, ``[categories]`` and ``crs``.
    crs
        CRS of the input coordinates (detected when ``None``), e.g. ``EPSG:3011``.
    sheet
        For XLSX: read only this sheet.
    on_step
        Called with the name of each step as it starts (``read``, ``parse``,
        ``geocode``, ``deduplicate``, ``write``), e.g. to drive a progress bar.
    force
        Ingest even when the file's columns clearly belong to another source
        (see :mod:`layers.sources.sniff`).
    dayfirst
        Read ``5/1/2025`` and ``05.01.2025`` as 5 January (overrides the
        profile's ``dayfirst``); without it such dates are rejected as
        ``ambiguous_date``. Only for the table-based sources.

    Returns
    -------
    IngestSummary
        With ``already_ingested`` set (and nothing written) when the same file
        was ingested before.

    Raises
    ------
    InputFileError
        Also when the file clearly comes from another source than ``source``
        and ``force`` is not given.
    """
    if source not in SOURCES:
        raise ArgumentError(f"Okänd källa '{source}'. Välj en av: {', '.join(SOURCES)}.",
                            f"Unknown source '{source}'. Choose one of: {', '.join(SOURCES)}.")
    if source not in PARSERS:
        raise ArgumentError(
            f"Källan '{source}' är inte införd ännu. Använd --source table med --map för "
            "kolumnerna.",
            f"The source '{source}' is not implemented yet. Use --source table with --map "
            "for the columns.")
    path = Path(path)
    prof = load_profile(profile) if profile else {"columns": {}, "categories": {}, "crs": None,
                                                  "dayfirst": False}
    step = on_step or (lambda _name: None)
    if not path.is_file():
        raise InputFileError(f"Filen '{path}' finns inte. Kontrollera sökvägen.",
                             f"The file '{path}' does not exist. Check the path.")
    if not force:
        check_source(path, source, sheet=sheet)
    step("read")
    sha = common.file_sha256(path)
    now = datetime.now(UTC)
    ingest_id = f"{now:%Y%m%dT%H%M%S}-{sha[:8]}"
    summary = IngestSummary(ingest_id=ingest_id, file=path.name, source=source)
    earlier = store.find_ingest(sha)
    if earlier is not None:
        summary.already_ingested = str(earlier["ingest_id"])
        summary.rows_read = int(earlier["rows_read"])
        summary.duplicates = summary.rows_read
        return summary

    cols = {**prof["columns"], **(mapping or {})}
    dayfirst = prof.get("dayfirst", False) if dayfirst is None else dayfirst
    options = {"dayfirst": dayfirst} if source in _TABLE_SOURCES else {}
    step("parse")
    parsed = PARSERS[source].parse_file(path, target_crs=store.crs, area=store.area(),
                                        mapping=cols, categories=prof["categories"],
                                        crs=crs or prof["crs"], sheet=sheet, source=source,
                                        **options)
    step("geocode")
    reports = place_reports(parsed.reports, geocoder_for(store), parsed.ort)
    reports["ingest_id"] = ingest_id
    step("deduplicate")
    existing = store.report_ids()
    dup = reports["report_id"].isin(existing) | reports["report_id"].duplicated()
    new = reports[~dup].reset_index(drop=True)
    links = find_links(new, store.read_reports(["report_id", "source", "category",
                                                "reported_at", "precision"])
                       if existing else None)
    rejects = parsed.rejects.assign(ingest_id=ingest_id)

    summary.rows_read = parsed.rows_read
    if parsed.rows_read != len(reports) + len(rejects):
        raise RuntimeError(f"{source}: {parsed.rows_read} rows read but {len(reports)} reports "
                           f"and {len(rejects)} rejects; a row was lost")
    summary.reports_added = len(new)
    summary.duplicates = int(dup.sum())
    summary.rejected = len(rejects)
    summary.rejected_by_reason = _counts(rejects["reason"])
    summary.by_precision = _counts(new["precision"])
    summary.by_source = _counts(new["source"])
    summary.by_category = _counts(new["category"])
    summary.unmapped = parsed.unmapped
    summary.linked = len(links)
    summary.ungeocoded = _counts(new.loc[new["precision"] == "none", "place_text"].fillna("-"))
    summary.columns = parsed.columns
    summary.notes = list(parsed.notes)
    summary.crs = parsed.crs
    params = {"source": source, "mapping": cols, "profile": str(profile) if profile else None,
              "crs": crs, "sheet": sheet, "input_crs": parsed.crs, "dayfirst": dayfirst,
              "force": force}
    record = pd.DataFrame([{
        "ingest_id": ingest_id, "file": str(path.resolve()), "sha256": sha, "source": source,
        "ingested_at": now, "rows_read": summary.rows_read,
        "reports_added": summary.reports_added, "duplicates": summary.duplicates,
        "rejected": summary.rejected, "params": json.dumps(params, ensure_ascii=False),
        "summary": json.dumps(asdict(summary), ensure_ascii=False),
    }])
    step("write")
    with store.transaction() as tx:
        tx.append("reports", new)
        tx.append("rejects", rejects)
        if len(links):
            tx.append(LINKS, links)
        tx.append("ingests", record)
    return summary


def _counts(values: pd.Series) -> dict[str, int]:
    """Counts per value, largest first, ties by value (stable output)."""
    counts = values.value_counts()
    return {str(k): int(counts[k]) for k in sorted(counts.index, key=lambda k: (-counts[k], k))}

"""Ingest one file into a project: read, map, locate, deduplicate, store, account.

Every row read ends as a report, a duplicate of a report already stored, or a
reject with file, line and reason; :class:`IngestSummary` adds them up and is
stored in the ``ingests`` table. Re-ingesting the same file (same SHA-256)
with the same selection (sheet, layer, hidden sheets) adds nothing; another
sheet or layer of it is read (its rows deduplicated as usual).
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from trygg.geo.errors import ArgumentError, InputFileError
from trygg.layers.geocoding import geocoder_for, place_reports
from trygg.layers.links import LINKS, find_links
from trygg.layers.schema import SOURCES
from trygg.layers.sources import PARSERS, common
from trygg.layers.sources.readers import selection
from trygg.layers.sources.sniff import check_source
from trygg.layers.store import GeoPackageStore

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
        When the file is missing, not valid TOML, or a value has the wrong type
        (the message names the table and shows a correct line).
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise InputFileError(f"Profilen '{path}' finns inte.",
                             f"The profile '{path}' does not exist.") from None
    except IsADirectoryError:
        raise InputFileError(f"Profilen '{path}' är en mapp. Ange en TOML-fil.",
                             f"The profile '{path}' is a folder. Give a TOML file.") from None
    except UnicodeDecodeError:
        raise InputFileError(f"Profilen '{path}' är inte text i UTF-8.",
                             f"The profile '{path}' is not UTF-8 text.") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError(f"Profilen '{path}' är inte giltig TOML: {exc}.",
                             f"The profile '{path}' is not valid TOML: {exc}.") from None
    for table, example in (("columns", 'reported_at = "Skapad"'),
                           ("categories", '"Lyse" = "belysning"')):
        value = data.get(table, {})
        if not isinstance(value, dict):
            raise InputFileError(
                f"Profilen '{path}': [{table}] ska vara en tabell med rader som {example}, "
                f"inte {type(value).__name__} {value!r}.",
                f"The profile '{path}': [{table}] must be a table of lines like {example}, "
                f"not {type(value).__name__} {value!r}.")
        bad = [k for k, v in value.items() if not isinstance(v, str)]
        if bad:
            raise InputFileError(
                f"Profilen '{path}': i [{table}] ska värdet för '{bad[0]}' vara text inom "
                f"citattecken, som {example}.",
                f"The profile '{path}': in [{table}] the value of '{bad[0]}' must be quoted "
                f"text, like {example}.")
    if "crs" in data and not isinstance(data["crs"], str):
        raise InputFileError(f"Profilen '{path}': crs ska vara text, t.ex. crs = \"EPSG:3006\".",
                             f"The profile '{path}': crs must be text, e.g. "
                             'crs = "EPSG:3006".')
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
    chosen = selection(path, sheet=sheet)  # a sheet or layer that is not there: say so
    if not force:
        check_source(path, source, sheet=sheet)
    step("read")
    sha = common.file_sha256(path)
    now = datetime.now(UTC)
    ingest_id = f"{now:%Y%m%dT%H%M%S}-{sha[:8]}"
    summary = IngestSummary(ingest_id=ingest_id, file=path.name, source=source)
    earlier = _find_ingest(store, sha, chosen)
    if earlier is not None:
        return _already(summary, earlier)

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
    # Decide and write under the write lock: another writer cannot add the same
    # file or the same reports between the reads below and the transaction.
    with store.writing():
        earlier = _find_ingest(store, sha, chosen)
        if earlier is not None:  # the same file, ingested while this one was parsed
            return _already(summary, earlier)
        existing = store.report_ids()
        dup = reports["report_id"].isin(existing) | reports["report_id"].duplicated()
        new = reports[~dup].reset_index(drop=True)
        links = find_links(new, store.read_reports(["report_id", "source", "category",
                                                    "reported_at", "precision"])
                           if existing else None)
        rejects = parsed.rejects.assign(ingest_id=ingest_id)

        summary.rows_read = parsed.rows_read
        if parsed.rows_read != len(reports) + len(rejects):
            raise RuntimeError(f"{source}: {parsed.rows_read} rows read but {len(reports)} "
                               f"reports and {len(rejects)} rejects; a row was lost")
        summary.reports_added = len(new)
        summary.duplicates = int(dup.sum())
        summary.rejected = len(rejects)
        summary.rejected_by_reason = _counts(rejects["reason"])
        summary.by_precision = _counts(new["precision"])
        summary.by_source = _counts(new["source"])
        summary.by_category = _counts(new["category"])
        summary.unmapped = parsed.unmapped
        summary.linked = len(links)
        summary.ungeocoded = _counts(new.loc[new["precision"] == "none",
                                             "place_text"].fillna("-"))
        summary.columns = parsed.columns
        summary.notes = list(parsed.notes)
        summary.crs = parsed.crs
        params = {"source": source, "mapping": cols,
                  "profile": str(profile) if profile else None,
                  "crs": crs, "sheet": sheet, "input_crs": parsed.crs, "dayfirst": dayfirst,
                  "force": force, "layer": chosen["layer"],
                  "hidden_sheets": chosen["hidden_sheets"], "max_rows": chosen["max_rows"]}
        record = pd.DataFrame([{
            "ingest_id": ingest_id, "file": str(path.resolve()), "sha256": sha,
            "source": source, "ingested_at": now, "rows_read": summary.rows_read,
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


#: The parts of an ingest's params that, with the file's SHA-256, say what was read.
_SELECTION = ("sheet", "layer", "hidden_sheets")


def _find_ingest(store: GeoPackageStore, sha: str, chosen: dict) -> dict | None:
    """The earlier ingest of the same file with the same selection (sheet, layer,
    hidden sheets), or ``None``: another sheet or layer of a file is read.

    Ingests recorded before the selection was stored count as the default
    selection (every visible sheet, the only layer) or their ``sheet``.
    """
    ingests = store.read("ingests")
    hits = ingests[ingests["sha256"] == sha]
    want = tuple(chosen[k] for k in _SELECTION)
    for _, row in hits.iterrows():
        try:
            params = json.loads(row.get("params") or "{}")
        except (TypeError, ValueError):
            params = {}
        had = {"sheet": params.get("sheet"), "layer": params.get("layer"),
               "hidden_sheets": bool(params.get("hidden_sheets", False))}
        if "layer" not in params and chosen["layer"] is not None:
            had["layer"] = chosen["layer"]  # recorded before layers were: the one read
        if had["sheet"]:
            had["hidden_sheets"] = False
        if tuple(had[k] for k in _SELECTION) == want:
            return row.to_dict()
    return None


def _already(summary: IngestSummary, earlier: dict) -> IngestSummary:
    """``summary`` of a file ingested before: nothing added, every row a duplicate."""
    summary.already_ingested = str(earlier["ingest_id"])
    summary.rows_read = int(earlier["rows_read"])
    summary.duplicates = summary.rows_read
    return summary


def _counts(values: pd.Series) -> dict[str, int]:
    """Counts per value, largest first, ties by value (stable output)."""
    counts = values.value_counts()
    return {str(k): int(counts[k]) for k in sorted(counts.index, key=lambda k: (-counts[k], k))}


@dataclass
class UndoSummary:
    """What :func:`undo_ingest` removed."""

    ingest_id: str
    file: str
    reports: int = 0
    rejects: int = 0
    links: int = 0
    runs: list[str] = field(default_factory=list)


def list_ingests(store: GeoPackageStore) -> pd.DataFrame:
    """The project's ingests, oldest first: ``ingest_id``, ``file`` (name only),
    ``source``, ``ingested_at`` (local time), ``rows_read``, ``reports_added``,
    ``duplicates``, ``rejected``."""
    cols = ["ingest_id", "file", "source", "ingested_at", "rows_read", "reports_added",
            "duplicates", "rejected"]
    table = store.read("ingests", columns=[c for c in cols if c != "ingest_id"] + ["ingest_id"])
    table = table[cols].sort_values("ingested_at", kind="stable").reset_index(drop=True)
    table["file"] = [Path(str(f)).name for f in table["file"]]
    return table


def undo_ingest(store: GeoPackageStore, ingest_id: str) -> UndoSummary:
    """Remove one ingest and everything derived from it, all or nothing
    (``trygg ingest PROJECT --undo ID``).

    Removed: the reports it added, its rejects, the links that touch those
    reports, its row in ``ingests`` and the hotspot runs made after it, when it
    added reports (those runs counted its reports; they are removed with their
    layers and GeoTIFFs rather than kept as stale results, so no map or export
    shows numbers from data that is gone; make them again with ``trygg
    hotspots``). Runs made before it are kept. After the undo the same file
    can be ingested again.

    Everything is read and written under the project's write lock.

    Raises
    ------
    ArgumentError
        When ``ingest_id`` is not an ingest of the project (the message lists
        the ids), or when a later ingest counted duplicates: those rows may be
        stored only as this ingest's reports and would vanish with it, so the
        later ingests must be undone first (newest first).
    """
    from trygg.layers.hotspots.catalog import drop_runs, list_runs

    with store.writing():
        ingests = list_ingests(store)
        hit = ingests[ingests["ingest_id"] == ingest_id]
        if hit.empty:
            ids = ", ".join(ingests["ingest_id"]) or "inga"
            ids_en = ", ".join(ingests["ingest_id"]) or "none"
            raise ArgumentError(
                f"Projektet har ingen inläsning '{ingest_id}'. Inläsningar: {ids} "
                "(se trygg info PROJEKT).",
                f"The project has no ingest '{ingest_id}'. Ingests: {ids_en} "
                "(see trygg info PROJECT).")
        row = hit.iloc[0]
        when = row["ingested_at"]
        later = ingests[(ingests["ingested_at"] > when) & (ingests["duplicates"] > 0)]
        if len(later):
            names = ", ".join(later["ingest_id"].iloc[::-1])
            raise ArgumentError(
                f"Inläsningen {ingest_id} kan inte ångras ensam: senare inläsningar ({names}) "
                "hade dubbletter som kan vara sparade bara som dess rapporter. Ångra dem "
                "först, senaste först, och läs sedan in deras filer igen.",
                f"The ingest {ingest_id} cannot be undone alone: later ingests ({names}) had "
                "duplicates that may be stored only as its reports. Undo them first, newest "
                "first, then ingest their files again.")
        reports = store.read_reports(["report_id", "ingest_id"])
        ids = set(reports.loc[reports["ingest_id"] == ingest_id, "report_id"].astype(str))
        links = store.read(LINKS) if LINKS in store.layers() else pd.DataFrame()
        touching = (links["report_id"].isin(ids) | links["linked_id"].isin(ids)) if len(
            links) else pd.Series([], dtype=bool)
        stale = [r for r in list_runs(store)
                 if ids and r.created_at is not None and r.created_at >= when]
        summary = UndoSummary(ingest_id=ingest_id, file=str(row["file"]),
                              links=int(touching.sum()), runs=[r.run_id for r in stale])
        with store.transaction() as tx:
            summary.reports = tx.delete("reports", "ingest_id", [ingest_id])
            summary.rejects = tx.delete("rejects", "ingest_id", [ingest_id])
            if summary.links:
                tx.delete(LINKS, "report_id", ids)
                tx.delete(LINKS, "linked_id", ids)
            tx.delete("ingests", "ingest_id", [ingest_id])
            files = drop_runs(tx, store, stale)
            if stale:
                tx.vacuum()
        store.remove_rasters([p.name for p in files])
    return summary

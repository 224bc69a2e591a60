"""Bring a filled-in walk protocol back: findings become reports, actions go to the register.

:func:`import_protocol` reads ``protokoll.xlsx`` as ``trygg walk`` wrote it and the
walk group filled it in (or the same columns as CSV, or GPX waypoints from a phone).
Each row is keyed by its walk and row id (``Vandring`` + ``Rad-id``: ``3a``, ``3b`` …),
never by its position, so rows may be sorted, moved or added in any order:

- a row with an observation or a proposed action becomes a report (``source`` walk,
  ``report_id`` ``walk:<walk>:<row>``); one with an action also an action in the
  register (:mod:`layers.walks.actions`), and its scores a row of ``walk_scores``;
- an empty row (neither observation nor action) is counted and left;
- a row that cannot be used is a reject with file, line and reason.

Importing the same file again changes nothing; an edited file updates the rows that
changed, in place. What the register learnt in between (an action closed with
``trygg actions set``) stays unless the protocol's row itself changed. Rows missing
from a later file keep what an earlier import brought. One transaction: all or nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from trygg.geo.errors import InputFileError
from trygg.layers.schema import CATEGORIES, TIMEZONE
from trygg.layers.sources import common, table
from trygg.layers.sources.readers import read_raw
from trygg.layers.walks import actions as register
from trygg.layers.walks.protocol import (
    CLOSED,
    HEADERS,
    SCORE_PARAMETERS,
    SCORE_RANGE,
    code_of,
    column_key,
)
from trygg.layers.walks.scores import SCORES, read_scores

__all__ = ["WalkImport", "import_protocol"]

#: Fields the report model takes from the protocol (the rest stay in ``extra``).
_REPORT_FIELDS = ("reported_at", "description", "category", "place_text", "x", "y")
_FROM_PROTOCOL = {"reported_at": "date", "description": "observation", "category": "category",
                  "place_text": "place_text", "x": "x", "y": "y"}
#: GPX waypoint fields as protocol fields.
_GPX = {"desc": "observation", "cmt": "observation", "type": "category", "time": "date",
        "name": "name"}
_STATUS_WORDS = {"avslutad": "done", "stängd": "done", "åtgärdad": "done", "ny": "open",
                 "pågående": "in_progress", "påbörjad": "in_progress"}
_OTHER = {"övrigt", "ovrigt", "other"}


@dataclass
class WalkImport:
    """What one import did. ``rows_read`` = reports added + updated + unchanged +
    empty rows + rejected."""

    file: str
    ingest_id: str
    rows_read: int = 0
    reports_added: int = 0
    reports_updated: int = 0
    unchanged: int = 0
    actions_added: int = 0
    actions_updated: int = 0
    skipped_empty: int = 0
    rejected: int = 0
    rejected_by_reason: dict[str, int] = field(default_factory=dict)
    walks: list[str] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)


def _first_sheet(path: Path) -> str | None:
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return None
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        return wb.worksheets[0].title
    finally:
        wb.close()


def _fields(header: list[str], gpx: bool) -> dict[str, str]:
    """Protocol field → the file's column."""
    found: dict[str, str] = {}
    for col in header:
        f = (_GPX.get(col) if gpx else None) or HEADERS.get(column_key(col))
        if f and f not in found:
            found[f] = col
    return found


def _subset(raw, keep: np.ndarray):
    from dataclasses import replace

    def part(values):
        return None if values is None else np.asarray(values)[keep]

    return replace(raw, rows=raw.rows[keep].reset_index(drop=True), lines=raw.lines[keep],
                   sheets=part(raw.sheets), problems=part(raw.problems),
                   reasons=part(raw.reasons), row_notes=part(raw.row_notes),
                   geometry=None if raw.geometry is None else
                   raw.geometry[keep].reset_index(drop=True))


def _category_labels() -> dict[str, str]:
    """Every category's code and labels (both languages) → code, for the mapping."""
    out: dict[str, str] = {}
    for c in CATEGORIES.values():
        for text in (c.code, c.sv, c.en):
            out[common.normalise_label(text)] = c.code
    return out


def _date(text: str) -> str | None:
    """YYYY-MM-DD of a date as written (ISO, or an Excel date read as text)."""
    when, why = common.read_datetimes(pd.Series([text]))
    if pd.isna(when.iloc[0]):
        return None
    return pd.Timestamp(when.iloc[0]).tz_convert(TIMEZONE).strftime("%Y-%m-%d")


def _score(text: str) -> float | None:
    """A 0–3 score, NaN for blank, ``None`` when it is not one."""
    t = text.strip().replace(",", ".")
    if t == "":
        return np.nan
    try:
        v = float(t)
    except ValueError:
        return None
    if v != int(v) or not SCORE_RANGE[0] <= v <= SCORE_RANGE[1]:
        return None
    return v


def _row_hash(values: dict[str, object]) -> str:
    text = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _gpx_row(name: str) -> tuple[str, str]:
    """Stop and row id from a waypoint name: ``"3. Torget"`` → ("3", "3a"), ``"3b"`` →
    ("3", "3b")."""
    m = re.match(r"\s*(\d+)\s*([a-z]?)", name.lower())
    if not m:
        return "", ""
    return m.group(1), m.group(1) + (m.group(2) or "a")


def import_protocol(store, path: str | Path, *, today: str | None = None,
                    walk: str | None = None) -> WalkImport:
    """Import a filled-in walk protocol into the project (see the module text).

    Parameters
    ----------
    store
        The open project (call inside ``store.writing()``).
    path
        ``protokoll.xlsx`` (its first sheet), a CSV with the same columns, or GPX.
    today
        The day the import counts as (YYYY-MM-DD, default today): a new open action
        whose deadline is before it is rejected (``deadline_past``).
    walk
        The walk, for files without a ``Vandring`` column (GPX from a phone).

    Returns
    -------
    WalkImport

    Raises
    ------
    InputFileError
        When the file is not a walk protocol.
    """
    path = Path(path)
    day = register.today_of(today)
    raw = read_raw(path, sheet=_first_sheet(path))
    gpx = path.suffix.lower() == ".gpx"
    fields = _fields(list(raw.rows.columns), gpx)
    if "observation" not in fields and "action" not in fields:
        raise InputFileError(
            f"'{path.name}' ser inte ut som ett vandringsprotokoll: ingen kolumn Observation "
            "eller Åtgärdsförslag. Använd protokoll.xlsx som trygg walk skriver.",
            f"'{path.name}' does not look like a walk protocol: no Observation or Proposed "
            "action column. Use the protokoll.xlsx trygg walk writes.")
    sha = common.file_sha256(path)
    now = datetime.now(UTC)
    result = WalkImport(file=path.name, ingest_id=f"{now:%Y%m%dT%H%M%S}-{sha[:8]}",
                        rows_read=len(raw.rows))

    def col(f: str) -> pd.Series:
        return raw.rows[fields[f]].astype(str).str.strip() if f in fields else \
            pd.Series([""] * len(raw.rows), index=raw.rows.index)

    filled = ((col("observation") != "") | (col("action") != "")).to_numpy()
    broken = pd.notna(raw.problems) if raw.problems is not None else np.zeros(len(filled), bool)
    keep = filled | broken
    result.skipped_empty = int((~keep).sum())
    sub = _subset(raw, keep)
    mapping = {r: fields[p] for r, p in _FROM_PROTOCOL.items() if p in fields and not gpx}
    if gpx:
        mapping = {r: fields[p] for r, p in (("reported_at", "date"),
                                             ("description", "observation"),
                                             ("category", "category")) if p in fields}
    if "reported_at" not in mapping:
        raise InputFileError(f"'{path.name}' har ingen kolumn Datum.",
                             f"'{path.name}' has no Date column.")
    parsed = table.parse(sub, target_crs=store.crs, area=store.area(), mapping=mapping,
                         categories=_category_labels(), source="walk",
                         aliases={f: () for f in (*_REPORT_FIELDS, "organisation")},
                         defaults={"organisation": "Trygghetsvandring",
                                   "visibility": "publik"})
    whole = dict(zip((int(n) for n in sub.lines), common.rows_as_json(sub.rows), strict=True))
    reports, rejects = _check_rows(parsed, fields, gpx=gpx, day=day, walk=walk,
                                   actions=register.read_actions(store), rows=whole)
    rejects = pd.concat([parsed.rejects, rejects], ignore_index=True)
    return _write(store, reports, rejects, result, sha=sha, day=day, now=now)


def _value(ex: dict, fields: dict[str, str], f: str) -> str:
    col = fields.get(f)
    return "" if col is None else str(ex.get(col, "") or "").strip()


def _check_rows(parsed, fields: dict[str, str], *, gpx: bool, day: str, walk: str | None,
                actions: gpd.GeoDataFrame, rows: dict[int, str]
                ) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """The parsed rows as findings (report columns plus the protocol's fields), and the
    rows rejected by the protocol's own rules (``rows``: line → the row as JSON)."""
    whole = rows
    reports = parsed.reports.reset_index(drop=True)
    known_actions = set(actions["action_id"])
    bad: list[dict] = []
    rows: list[dict] = []
    seen: set[str] = set()
    keep = np.zeros(len(reports), bool)

    def reject(i: int, reason: str, detail: str, ex: dict) -> None:
        line = int(ex.get("_rad", 0) or 0)
        bad.append({"file": None, "line": line, "sheet": ex.get("_blad"), "reason": reason,
                    "detail": detail, "row": whole.get(line) or json.dumps(
                        {k: v for k, v in ex.items() if not k.startswith("_")},
                        ensure_ascii=False)})

    for i, r in enumerate(reports.itertuples(index=False)):
        ex = json.loads(r.extra or "{}")
        v = {f: _value(ex, fields, f) for f in ("walk_id", "row_id", "stop", "light", "group",
                                                 "action", "responsible", "priority",
                                                 "deadline", "action_status", "closed_at",
                                                 "photo", *SCORE_PARAMETERS)}
        if gpx:
            v["stop"], v["row_id"] = _gpx_row(_value(ex, fields, "name"))
        v["walk_id"] = v["walk_id"] or (walk or "")
        if not v["walk_id"]:
            reject(i, "unknown_walk", "Vandring tom", ex)
            continue
        if not v["row_id"]:
            reject(i, "missing_row_id", f"Stopp {v['stop'] or '?'}", ex)
            continue
        key = f"{v['walk_id']}:{v['row_id']}"
        if key in seen:
            reject(i, "duplicate_row_id", f"Rad-id {v['row_id']}", ex)
            continue
        raw_cat = str(r.raw_category or "").strip()
        if raw_cat and r.category == "ovrigt" and common.normalise_label(raw_cat) not in _OTHER:
            reject(i, "unknown_category", f"Kategori='{raw_cat}'", ex)
            continue
        scores = {p: _score(v[p]) for p in SCORE_PARAMETERS}
        wrong = [p for p, s in scores.items() if s is None]
        if wrong:
            reject(i, "score_out_of_range", f"{fields[wrong[0]]}='{v[wrong[0]]}'", ex)
            continue
        coded = {}
        for f, label_field in (("light", "light"), ("priority", "priority")):
            coded[f] = code_of(label_field, v[f]) if v[f] else ""
        if any(v[f] and coded[f] is None for f in coded):
            f = next(f for f in coded if v[f] and coded[f] is None)
            reject(i, "bad_value", f"{fields[f]}='{v[f]}'", ex)
            continue
        status = code_of("action_status", v["action_status"], extra=_STATUS_WORDS) \
            if v["action_status"] else "open"
        if status is None:
            reject(i, "unknown_status", f"{fields['action_status']}='{v['action_status']}'",
                   ex)
            continue
        dates = {}
        for f in ("deadline", "closed_at"):
            dates[f] = _date(v[f]) if v[f] else ""
            if dates[f] is None:
                break
        if any(d is None for d in dates.values()):
            f = next(f for f, d in dates.items() if d is None)
            reject(i, "bad_value", f"{fields[f]}='{v[f]}'", ex)
            continue
        walked = pd.Timestamp(r.reported_at).tz_convert(TIMEZONE)
        if v["action"] and not dates["deadline"]:
            dates["deadline"] = (walked + pd.DateOffset(months=register.DEADLINE_MONTHS)
                                 ).strftime("%Y-%m-%d")
        closed = status in CLOSED
        if closed and not dates["closed_at"]:
            dates["closed_at"] = day
        # a deadline written in the past is a mistake; the default one (six months after
        # the walk) may have passed when an old protocol comes in late: overdue, not wrong
        if (v["action"] and v["deadline"] and key not in known_actions and not closed
                and dates["deadline"] < day):
            reject(i, "deadline_past", f"{fields.get('deadline', 'Senast klart')}="
                   f"'{dates['deadline']}'", ex)
            continue
        seen.add(key)
        keep[i] = True
        group = code_of("walk_group", v["group"]) or v["group"]
        rows.append({
            "walk_id": v["walk_id"], "row_id": v["row_id"],
            "stop": int(v["stop"]) if v["stop"].isdigit() else None, "light": coded["light"],
            "group": group, "action": v["action"],
            "responsible": code_of("responsible", v["responsible"]) or v["responsible"],
            "priority": coded["priority"], "deadline": dates["deadline"],
            "action_status": status if v["action"] else "", "closed_at": dates["closed_at"],
            "photo": v["photo"], "scores": scores,
            "hash": _row_hash({**v, "category": r.category, "observation": r.description,
                               "place": r.place_text, "date": str(r.reported_at),
                               "xy": None if r.geometry is None else
                               (round(r.geometry.x, 1), round(r.geometry.y, 1))})})
    found = reports[keep].reset_index(drop=True)
    return gpd.GeoDataFrame(found.assign(_protocol=rows) if len(found) else
                            found.assign(_protocol=pd.Series(dtype=object)),
                            geometry="geometry", crs=reports.crs), pd.DataFrame(bad)


def _as_reports(found: gpd.GeoDataFrame, ingest_id: str) -> gpd.GeoDataFrame:
    out = found.drop(columns="_protocol").copy()
    p = found["_protocol"].tolist()
    out["report_id"] = [f"walk:{x['walk_id']}:{x['row_id']}" for x in p]
    out["source_id"] = [f"{x['walk_id']}:{x['row_id']}" for x in p]
    out["organisation"] = [x["group"] or "Trygghetsvandring" for x in p]
    out["status"] = [("closed" if x["action_status"] in CLOSED else "open")
                     if x["action"] else s for x, s in zip(p, out["status"], strict=True)]
    out["closed_at"] = pd.Series([pd.Timestamp(x["closed_at"]).tz_localize(TIMEZONE)
                                  if x["closed_at"] else pd.NaT for x in p],
                                 index=out.index, dtype=f"datetime64[ns, {TIMEZONE}]")
    extras = []
    for x, e in zip(p, out["extra"], strict=True):
        ex = json.loads(e or "{}")
        ex["_hash"] = x["hash"]
        extras.append(json.dumps(ex, ensure_ascii=False))
    out["extra"] = extras
    out["ingest_id"] = ingest_id
    return out


def _write(store, found: gpd.GeoDataFrame, rejects: pd.DataFrame, result: WalkImport, *,
           sha: str, day: str, now: datetime) -> WalkImport:
    from trygg.layers.geocoding import geocoder_for, place_reports

    reports = _as_reports(found, result.ingest_id)
    reports = place_reports(reports, geocoder_for(store))
    ids = reports["report_id"].tolist()
    old = store.read_reports(["report_id", "extra"], where={"report_id": ids}) if ids else \
        pd.DataFrame({"report_id": [], "extra": []})
    old_hash = {rid: json.loads(e or "{}").get("_hash") for rid, e in
                zip(old["report_id"], old["extra"], strict=True)}
    new_hash = [x["hash"] for x in found["_protocol"]] if len(found) else []
    is_old = np.array([rid in old_hash for rid in ids], dtype=bool)
    same = np.array([old_hash.get(rid) == h for rid, h in zip(ids, new_hash, strict=True)],
                    dtype=bool)
    changed = reports[~same].reset_index(drop=True)
    result.reports_added = int((~is_old).sum())
    result.reports_updated = int((is_old & ~same).sum())
    result.unchanged = int(same.sum())
    acts, added, updated = _merge_actions(store, found, reports, same, day)
    result.actions_added, result.actions_updated = added, updated
    scores = _merge_scores(store, found, reports)
    result.walks = sorted({x["walk_id"] for x in found["_protocol"]}) if len(found) else []
    rejects = rejects.assign(file=result.file, ingest_id=result.ingest_id)
    again = sha in set(store.read("ingests")["sha256"])
    result.rejected = len(rejects)
    result.rejected_by_reason = {str(k): int(v) for k, v in
                                 rejects["reason"].value_counts().items()} if len(rejects) \
        else {}
    total = (result.reports_added + result.reports_updated + result.unchanged
             + result.skipped_empty + result.rejected)
    if total != result.rows_read:
        raise RuntimeError(f"walk import: {result.rows_read} rows read but {total} "
                           "accounted for; a row was lost")
    record = pd.DataFrame([{
        "ingest_id": result.ingest_id, "file": str(Path(result.file).resolve()),
        # as every ingest counts: rows read = added + already there + rejected (rows
        # already there are unchanged or updated in place; empty rows are not data)
        "sha256": sha, "source": "walk", "ingested_at": now,
        "rows_read": result.rows_read - result.skipped_empty,
        "reports_added": result.reports_added,
        "duplicates": result.unchanged + result.reports_updated,
        "rejected": result.rejected,
        "params": json.dumps({"kind": "walk_protocol", "today": day}, ensure_ascii=False),
        "summary": json.dumps(asdict(result), ensure_ascii=False)}])
    with store.transaction() as tx:
        if len(changed):
            gone = changed.loc[is_old[~same], "report_id"]
            if len(gone):
                tx.delete("reports", "report_id", gone)
            tx.append("reports", changed)
        if len(rejects) and not again:
            tx.append("rejects", rejects)
        if added or updated:
            tx.replace(register.TABLE, acts)
        if scores is not None:
            tx.replace(SCORES, scores)
        tx.append("ingests", record)
    return result


def _merge_actions(store, found: gpd.GeoDataFrame, reports: gpd.GeoDataFrame,
                   same: np.ndarray, day: str) -> tuple[gpd.GeoDataFrame, int, int]:
    """The register with the protocol's actions added or, where their row changed,
    updated; (register, added, updated)."""
    current = register.read_actions(store)
    by_id = {a: i for i, a in enumerate(current["action_id"])}
    rows = current.to_dict("records")
    added = updated = 0
    for j, x in enumerate(found["_protocol"] if len(found) else []):
        if not x["action"]:
            continue
        action_id = f"{x['walk_id']}:{x['row_id']}"
        rep = reports.iloc[j]
        row = {"action_id": action_id, "walk_id": x["walk_id"], "report_id": rep["report_id"],
               "stop": x["stop"], "place_text": rep["place_text"] or "",
               "category": rep["category"], "action": x["action"],
               "responsible": x["responsible"], "priority": x["priority"],
               "deadline": x["deadline"], "action_status": x["action_status"],
               "closed_at": x["closed_at"], "photo": x["photo"], "geometry": rep.geometry,
               "updated_at": day}
        if action_id in by_id:
            if same[j] and rows[by_id[action_id]].get("action"):
                continue  # the row did not change: keep what the register learnt since
            old = rows[by_id[action_id]]
            row["created_at"], row["note"] = old.get("created_at") or day, old.get("note", "")
            rows[by_id[action_id]] = row
            updated += 1
        else:
            row["created_at"], row["note"] = day, ""
            by_id[action_id] = len(rows)
            rows.append(row)
            added += 1
    frame = pd.DataFrame(rows) if rows else current
    return register.typed(frame, store.crs), added, updated


def _merge_scores(store, found: gpd.GeoDataFrame, reports: gpd.GeoDataFrame
                  ) -> pd.DataFrame | None:
    """``walk_scores`` with the rows of this protocol that have a score put in."""
    new = []
    for j, x in enumerate(found["_protocol"] if len(found) else []):
        s = x["scores"]
        if all(np.isnan(v) for v in s.values()):
            continue
        when = pd.Timestamp(reports.iloc[j]["reported_at"]).tz_convert(TIMEZONE)
        new.append({"walk_id": x["walk_id"], "row_id": x["row_id"], "stop": x["stop"],
                    "date": when.strftime("%Y-%m-%d"), "group": x["group"],
                    "light": x["light"], **s})
    if not new:
        return None
    fresh = pd.DataFrame(new)
    old = read_scores(store)
    if len(old):
        keys = set(zip(fresh["walk_id"], fresh["row_id"], strict=True))
        old = old[[k not in keys for k in zip(old["walk_id"], old["row_id"], strict=True)]]
        fresh = pd.concat([old, fresh], ignore_index=True)
    fresh["stop"] = pd.to_numeric(fresh["stop"], errors="coerce").astype("Int64")
    return fresh

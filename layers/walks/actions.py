"""The action register: every action a safety walk proposed, followed until it is done.

The project layer ``actions`` holds one row per proposed action (a point, where the
finding was made): what is to be done, who is responsible, by when, its status
(``open`` → ``in_progress`` → ``done`` or ``declined``) and the day it was closed.
Actions come from imported protocols (:func:`layers.walks.findings.import_protocol`);
:func:`set_action` changes one from the command line. The follow-up meeting reads
:func:`by_responsible` and :func:`overdue`.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from trygg.geo.errors import ArgumentError
from trygg.layers.schema import TIMEZONE
from trygg.layers.walks.protocol import ACTION_STATUSES, CLOSED

__all__ = ["COLUMNS", "DEADLINE_MONTHS", "TABLE", "by_responsible", "open_actions",
           "overdue", "read_actions", "set_action", "today_of"]

TABLE = "actions"
#: Months from the walk to an action's deadline when the protocol gives none.
DEADLINE_MONTHS = 6
COLUMNS = ("action_id", "walk_id", "report_id", "stop", "place_text", "category", "action",
           "responsible", "priority", "deadline", "action_status", "closed_at", "created_at",
           "updated_at", "photo", "note", "geometry")
_TEXT = [c for c in COLUMNS if c not in ("stop", "geometry")]


def today_of(today: str | pd.Timestamp | None = None) -> str:
    """``today`` (default: today in Sweden) as YYYY-MM-DD."""
    if today is None:
        return pd.Timestamp.now(tz=TIMEZONE).strftime("%Y-%m-%d")
    return pd.Timestamp(today).strftime("%Y-%m-%d")


def typed(frame: pd.DataFrame, crs: str) -> gpd.GeoDataFrame:
    """``frame`` with the register's columns and types (text as text, stop as integer)."""
    out = frame.copy()
    for col in COLUMNS:
        if col not in out:
            out[col] = None
    for col in _TEXT:
        out[col] = out[col].map(lambda v: "" if v is None or v != v else str(v))
    out["stop"] = pd.to_numeric(out["stop"], errors="coerce").astype("Int64")
    return gpd.GeoDataFrame(out[list(COLUMNS)], geometry="geometry", crs=crs)


def read_actions(store) -> gpd.GeoDataFrame:
    """The register (empty, with its columns, when the project has none yet)."""
    if TABLE in store.layers():
        return typed(store.read_layer(TABLE), store.crs)
    return typed(pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS
                               if c != "geometry"}).assign(geometry=None), store.crs)


def open_actions(actions: pd.DataFrame, today: str | None = None) -> pd.DataFrame:
    """Actions not yet done or declined, with ``overdue`` (deadline before ``today``)."""
    day = today_of(today)
    open_ = actions[~actions["action_status"].isin(CLOSED)].copy()
    open_["overdue"] = (open_["deadline"] != "") & (open_["deadline"] < day)
    return open_


def overdue(actions: pd.DataFrame, today: str | None = None) -> pd.DataFrame:
    """Open actions whose deadline has passed, the oldest deadline first."""
    open_ = open_actions(actions, today)
    return open_[open_["overdue"]].sort_values(["deadline", "action_id"], kind="stable")


def by_responsible(actions: pd.DataFrame, today: str | None = None) -> pd.DataFrame:
    """Per responsible party: open, of them overdue, done, declined and all actions."""
    if actions.empty:
        return pd.DataFrame({c: pd.Series(dtype=object if c == "responsible" else "int64")
                             for c in ("responsible", "open", "overdue", "done", "declined",
                                       "total")})
    open_ = open_actions(actions, today)
    rows = []
    for who, group in actions.groupby("responsible", sort=True):
        mine = open_[open_["responsible"] == who]
        rows.append({"responsible": who, "open": len(mine), "overdue": int(mine["overdue"].sum()),
                     "done": int((group["action_status"] == "done").sum()),
                     "declined": int((group["action_status"] == "declined").sum()),
                     "total": len(group)})
    return pd.DataFrame(rows).sort_values(["overdue", "open", "responsible"],
                                          ascending=[False, False, True], kind="stable"
                                          ).reset_index(drop=True)


def set_action(store, action_id: str, status: str, *, date: str | None = None,
               note: str | None = None) -> None:
    """Set the status of one action (``done``/``declined`` close it on ``date``,
    default today; ``open``/``in_progress`` reopen it). Call inside
    ``store.writing()``.

    Raises
    ------
    ArgumentError
        An unknown action or status.
    """
    if status not in ACTION_STATUSES:
        raise ArgumentError(f"Okänd status '{status}': välj {', '.join(ACTION_STATUSES)}.",
                            f"Unknown status '{status}': choose {', '.join(ACTION_STATUSES)}.")
    register = read_actions(store)
    hit = register.index[register["action_id"] == action_id]
    if len(hit) == 0:
        known = ", ".join(register["action_id"].head(8)) or "inga"
        raise ArgumentError(f"Registret har ingen åtgärd {action_id} (t.ex.: {known}; se "
                            "trygg actions).",
                            f"The register has no action {action_id} (e.g.: "
                            f"{known.replace('inga', 'none')}; see trygg actions).")
    i = hit[0]
    day = today_of(date)
    register.at[i, "action_status"] = status
    register.at[i, "closed_at"] = day if status in CLOSED else ""
    register.at[i, "updated_at"] = today_of()
    if note:
        old = register.at[i, "note"]
        register.at[i, "note"] = f"{old}\n{day}: {note}" if old else f"{day}: {note}"
    report = None
    if register.at[i, "report_id"]:
        report = store.read_reports(where={"report_id": [register.at[i, "report_id"]]})
        closed = status in CLOSED
        report["status"] = "closed" if closed else "open"
        report["closed_at"] = pd.Timestamp(day).tz_localize(TIMEZONE) if closed else pd.NaT
    with store.transaction() as tx:
        tx.replace(TABLE, typed(register, store.crs))
        if report is not None and len(report):
            tx.delete("reports", "report_id", report["report_id"])
            tx.append("reports", report)

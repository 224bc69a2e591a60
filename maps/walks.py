"""A walk's files, and the action list for the follow-up meeting.

:func:`write_walk` writes everything an organiser takes on a safety walk, from a
walk stored in the project (:func:`layers.walks.plan.read_walk`):

- ``vandring.html`` — the printable protocol (:mod:`maps.walk_protocol`);
- ``protokoll.xlsx`` — the common action protocol, also the import format
  (:mod:`maps.walk_xlsx`);
- ``rutt.gpx`` — waypoints, route and track for phones (:mod:`maps.gpx`);
- ``platser.csv`` — the stops as a table (:func:`maps.export.write_frame`).

:func:`write_action_list` writes the follow-up meeting's workbook: every
action, the overdue ones, counts per responsible party, the walk scores by group
and by light or dark, and the share of klotter reports closed within 48 hours.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from trygg.geo.text import pick
from trygg.layers.labels import label
from trygg.layers.walks.protocol import RESPONSIBLE
from trygg.maps.export import write_frames

__all__ = ["FILES", "write_action_list", "write_walk"]

#: The files :func:`write_walk` writes, in order.
FILES = ("vandring.html", "protokoll.xlsx", "rutt.gpx", "platser.csv")

def write_walk(store, walk_id: str, out: str | Path, *, lang: str = "sv",
               responsible: tuple[str, ...] = RESPONSIBLE, audience: str = "intern"
               ) -> list[Path]:
    """Write a stored walk's protocol, action protocol, GPX and stop list into ``out``.

    Parameters
    ----------
    store
        The open project.
    walk_id
        The walk (run id).
    out
        Folder (created when missing).
    lang
        ``sv`` or ``en``.
    responsible
        Who can be responsible for an action (the protocol's drop-down list).
    audience
        ``intern`` shows the reports' recent texts in the protocol; ``publik`` never.

    Returns
    -------
    list of Path
        The files written, in the order of :data:`FILES`.
    """
    from trygg.layers.walks.plan import read_walk
    from trygg.maps.gpx import write_gpx
    from trygg.maps.walk_protocol import write_places, write_walk_protocol
    from trygg.maps.walk_xlsx import write_protocol

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    plan = read_walk(store, walk_id)
    return [
        write_walk_protocol(plan, out / FILES[0], lang=lang, audience=audience,
                            responsible=responsible, synthetic=store.synthetic),
        write_protocol(plan.stops, out / FILES[1], lang=lang, responsible=responsible,
                       date=plan.date, walk_id=walk_id),
        write_gpx(plan, out / FILES[2], lang=lang),
        write_places(plan, out / FILES[3], lang=lang),
    ]


def _labelled(frame: pd.DataFrame, fields: dict[str, str], lang: str) -> pd.DataFrame:
    frame = frame.copy()
    for column, field in fields.items():
        if column in frame:
            frame[column] = [label(field, str(v), lang=lang) if isinstance(v, str) and v
                             else v for v in frame[column]]
    return frame


def action_sheets(store, *, lang: str = "sv", today=None,
                  responsible: str | None = None) -> dict[str, pd.DataFrame]:
    """The follow-up meeting's tables (sheet name → table), in order: open actions,
    overdue actions, counts per responsible party, every action, the walk scores
    and the klotter rule. Sheets without rows are left out."""
    from trygg.layers.indicators import closed_within
    from trygg.layers.walks import actions as act
    from trygg.layers.walks.scores import read_scores, score_summary

    actions = act.read_actions(store)
    if responsible is not None:
        actions = actions[actions["responsible"].astype(str) == responsible]
    fields = {"action_status": "action_status", "priority": "priority",
              "responsible": "responsible", "category": "category"}
    show = [c for c in act.COLUMNS if c not in ("created_at", "updated_at")]
    sheets = {
        pick("Öppna åtgärder", "Open actions", lang): act.open_actions(actions, today=today),
        pick("Försenade", "Overdue", lang): act.overdue(actions, today=today),
        pick("Per ansvarig", "By responsible", lang): act.by_responsible(actions, today=today),
        pick("Alla åtgärder", "All actions", lang): actions,
    }
    sheets = {name: _labelled(frame[[c for c in show if c in frame]] if "action_id" in frame
                              else frame, fields, lang) for name, frame in sheets.items()}
    summary = score_summary(read_scores(store))
    for name, frame in summary.tables(lang=lang).items():
        sheets[name] = frame
    rule = closed_within(store.read_reports(["report_id", "category", "reported_at",
                                              "closed_at"]), category="klotter", hours=48)
    sheets[pick("Klotter inom 48 h", "Klotter within 48 h", lang)] = rule.table(lang=lang)
    return {name: frame for name, frame in sheets.items() if len(frame)}


def write_action_list(store, out: str | Path, *, lang: str = "sv", today=None,
                      responsible: str | None = None) -> Path:
    """Write :func:`action_sheets` as one workbook (``.xlsx``) or the open actions as
    ``.csv``; returns the path."""
    sheets = action_sheets(store, lang=lang, today=today, responsible=responsible)
    if not sheets:
        sheets = {pick("Öppna åtgärder", "Open actions", lang): pd.DataFrame(
            {label("action_status", "open", lang=lang): []})}
    return write_frames(sheets, out, lang=lang,
                        title=pick("Åtgärder från trygghetsvandringar",
                                   "Actions from safety walks", lang))


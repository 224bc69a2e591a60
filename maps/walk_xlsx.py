"""``protokoll.xlsx``: the common action protocol (gemensamt åtgärdsprotokoll) of a walk.

One row per stop, pre-filled with what the walk already knows (row id, walk, stop,
place, date, X/Y); the walk group fills in the rest, choosing category, light/dark,
group, the nine scores, responsible, priority and status from drop-down lists. The
same sheet is the import format (:func:`layers.walks.findings.import_protocol`): the
rows may be sorted, moved or added to (``3b`` for a second observation at stop 3), as
the ``Instruktion`` sheet tells.

Cells are written as the exports write them (:mod:`maps.export`): text is always a text
cell, and text that a spreadsheet would read as a formula gets the quote prefix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from trygg.layers.labels import label, labels
from trygg.layers.schema import CATEGORIES
from trygg.layers.walks.protocol import (
    ACTION_STATUSES,
    COLUMNS,
    GROUPS,
    LIGHT,
    PRIORITIES,
    RESPONSIBLE,
    SCORE_PARAMETERS,
    SCORE_RANGE,
    header,
)
from trygg.maps.export import FORMULA_START, replacing

__all__ = ["SHEETS", "write_protocol"]

#: The workbook's sheets (sv, en): the protocol, the drop-down lists, the instructions.
SHEETS = {"protocol": ("Protokoll", "Protocol"), "lists": ("Listor", "Lists"),
          "instructions": ("Instruktion", "Instructions")}
#: Rows with drop-down lists below the pre-filled ones (for added observations).
SPARE_ROWS = 200
_WIDTHS = {"observation": 40, "action": 40, "place_text": 28, "category": 26,
           "responsible": 22, "walk_id": 18, "photo": 16, "deadline": 13, "closed_at": 13,
           "date": 12, "group": 22}

_INSTRUCTIONS = {
    "sv": [
        "Så fyller ni i protokollet",
        "En rad per iakttagelse. Raderna är förifyllda med ett stopp var (Rad-id 1a, 2a …).",
        "Fler iakttagelser vid samma stopp: lägg till en rad med nästa bokstav (3b, 3c …) "
        "och samma Vandring och Stopp.",
        "Kategori, Ljus/mörker, Grupp, poängen, Ansvarig, Prioritet och Status väljs i "
        "listorna (bladet Listor).",
        "Poäng 0–3: 0 = dåligt, 3 = bra. Trygghetskänsla är hur trygg platsen känns.",
        "Grupp: vilka som gick (t.ex. kvinnor, unga) — skriv inga namn.",
        "Senast klart: lämnas den tom blir den sex månader efter vandringen.",
        "Status Klar eller Avslagen behöver ett Stängd datum.",
        "Rader utan observation och åtgärdsförslag läses inte in. Raderna får sorteras; "
        "Rad-id och Vandring får inte ändras.",
        "Läs in: trygg walk-import PROJEKT protokoll.xlsx (samma fil igen uppdaterar, "
        "ingenting dubbleras).",
    ],
    "en": [
        "How to fill in the protocol",
        "One row per observation. The rows are pre-filled with one stop each (Row id 1a, "
        "2a …).",
        "More observations at the same stop: add a row with the next letter (3b, 3c …) and "
        "the same Walk and Stop.",
        "Category, Light/dark, Group, the scores, Responsible, Priority and Status are "
        "chosen from the lists (sheet Lists).",
        "Scores 0–3: 0 = poor, 3 = good. Feeling of safety is how safe the place feels.",
        "Group: who walked (e.g. women, young people) — write no names.",
        "Deadline: left empty, it becomes six months after the walk.",
        "Status Done or Declined needs a Closed date.",
        "Rows with neither observation nor proposed action are not imported. Rows may be "
        "sorted; Row id and Walk must not be changed.",
        "Import: trygg walk-import PROJECT protokoll.xlsx (the same file again updates, "
        "nothing is duplicated).",
    ],
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def _lists(lang: str, responsible: Sequence[str]) -> dict[str, list[str]]:
    """Field → the values its drop-down offers, in ``lang``."""
    codes = set(labels("responsible", lang=lang))
    return {
        "category": [_pick((c.sv, c.en), lang) for c in CATEGORIES.values()],
        "light": [label("light", c, lang=lang) for c in LIGHT],
        "group": [label("walk_group", c, lang=lang) for c in GROUPS],
        "score": [str(s) for s in range(SCORE_RANGE[0], SCORE_RANGE[1] + 1)],
        "responsible": [label("responsible", r, lang=lang) if r in codes else r
                        for r in responsible],
        "priority": [label("priority", c, lang=lang) for c in PRIORITIES],
        "action_status": [label("action_status", c, lang=lang) for c in ACTION_STATUSES],
    }


def _text(ws, row: int, column: int, value: object) -> None:
    """Write ``value``: text always as a text cell (with the quote prefix when a
    spreadsheet would read it as a formula), dates as dates, numbers as numbers."""
    if value is None or (isinstance(value, float) and value != value) or value == "":
        return
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        cell.quotePrefix = value.startswith(FORMULA_START)
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"


def write_protocol(stops: pd.DataFrame, out: str | Path, *, lang: str = "sv",
                   responsible: Sequence[str] = RESPONSIBLE,
                   date: dt.date | None = None, walk_id: str | None = None) -> Path:
    """Write ``protokoll.xlsx`` for the stops of a walk.

    Parameters
    ----------
    stops
        The walk's stops in route order (the ``walk_<id>_stops`` layer or
        :attr:`WalkPlan.stops`): ``stop``, ``place_name``, ``walk_id`` and a point
        geometry in the project CRS (its X/Y, metres, go into the protocol).
    out
        The file to write (replaced atomically).
    lang
        ``sv`` (default) or ``en``: headers, lists and instructions.
    responsible
        The drop-down list of who can be responsible: the default codes (shown with
        their labels) or the organiser's own names, written as given.
    date
        The walk's date, pre-filled on every row (blank when ``None``).
    walk_id
        The walk, when ``stops`` has no ``walk_id`` column.

    Returns
    -------
    Path
        ``out``.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    if lang not in ("sv", "en"):
        raise ValueError(f"lang must be 'sv' or 'en', not {lang!r}")
    if not len(responsible):
        raise ValueError("responsible must name at least one party, e.g. ('kommun',)")
    fields = list(COLUMNS)
    position = {f: i + 1 for i, f in enumerate(fields)}
    wb = Workbook()
    ws = wb.active
    ws.title = _pick(SHEETS["protocol"], lang)
    wb.properties.title = ws.title
    bold = Font(bold=True)
    for f, i in position.items():
        cell = ws.cell(row=1, column=i, value=header(f, lang))
        cell.data_type = "s"
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(i)].width = _WIDTHS.get(
            f, max(len(header(f, lang)) + 2, 8))
    ws.freeze_panes = "D2"
    ws.print_title_rows = "1:1"

    ordered = stops.sort_values("stop") if "stop" in stops else stops
    for r, stop in enumerate(ordered.itertuples(index=False), start=2):
        geom = getattr(stop, "geometry", None)
        n = int(stop.stop)
        values = {"row_id": f"{n}a", "walk_id": getattr(stop, "walk_id", None) or walk_id,
                  "stop": n, "place_text": getattr(stop, "place_name", None),
                  "date": date,
                  "x": round(float(geom.x), 1) if geom is not None and not geom.is_empty
                  else None,
                  "y": round(float(geom.y), 1) if geom is not None and not geom.is_empty
                  else None}
        for f, value in values.items():
            _text(ws, r, position[f], value)
    last = max(ws.max_row, 1) + SPARE_ROWS
    ws.auto_filter.ref = f"A1:{get_column_letter(len(fields))}{last}"

    lists = wb.create_sheet(_pick(SHEETS["lists"], lang))
    sheet = quote_sheetname(lists.title)
    refs: dict[str, str] = {}
    for c, (name, values) in enumerate(_lists(lang, responsible).items(), start=1):
        letter = get_column_letter(c)
        title = header(name, lang) if name in COLUMNS else _pick(("Poäng", "Score"), lang)
        lists.cell(row=1, column=c, value=title).font = bold
        for r, value in enumerate(values, start=2):
            _text(lists, r, c, value)
        lists.column_dimensions[letter].width = max(len(v) for v in [title, *values]) + 2
        refs[name] = f"{sheet}!${letter}$2:${letter}${len(values) + 1}"

    prompt = _pick(("Välj i listan", "Choose from the list"), lang)
    error = _pick(("Värdet finns inte i listan. Välj ett av listans värden.",
                   "The value is not in the list. Choose one of the list's values."), lang)
    for name, ref in refs.items():
        targets = SCORE_PARAMETERS if name == "score" else (name,)
        # custom names for responsible are allowed: a warning, not a stop
        dv = DataValidation(type="list", formula1=ref, allow_blank=True,
                            showErrorMessage=True,
                            errorStyle="warning" if name == "responsible" else "stop",
                            error=error, errorTitle=ws.title, prompt=prompt)
        for f in targets:
            letter = get_column_letter(position[f])
            dv.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(dv)
    for f in ("deadline", "closed_at", "date"):
        dv = DataValidation(type="date", operator="greaterThan", formula1="36526",
                            allow_blank=True, showErrorMessage=True, errorStyle="warning",
                            error=_pick(("Skriv ett datum ÅÅÅÅ-MM-DD.",
                                         "Write a date YYYY-MM-DD."), lang))
        letter = get_column_letter(position[f])
        dv.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(dv)
        for r in range(2, last + 1):
            ws.cell(row=r, column=position[f]).number_format = "yyyy-mm-dd"

    info = wb.create_sheet(_pick(SHEETS["instructions"], lang))
    info.column_dimensions["A"].width = 110
    for r, line in enumerate(_INSTRUCTIONS[lang], start=1):
        cell = info.cell(row=r, column=1, value=line)
        cell.alignment = Alignment(wrap_text=True)
        if r == 1:
            cell.font = Font(bold=True, size=13)

    with replacing(out) as tmp:
        wb.save(tmp)
    return Path(out)

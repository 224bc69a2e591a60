"""The walk protocol: its codes, and its columns in the order ``protokoll.xlsx`` has them.

The same columns are the import format (:mod:`layers.walks.findings`): headers are
matched in Swedish or English, ignoring case and spaces; values may be the codes
below or their labels (:mod:`layers.labels`) in either language.

The nine scores follow the safety audit used internationally (Women's Safety Audit,
Toronto METRAC, and its Safetipin app): each 0 (poor) to 3 (good); ``feeling`` is
how safe the place feels.
"""

from __future__ import annotations

import re

from trygg.layers.labels import LABELS

__all__ = ["ACTION_STATUSES", "CLOSED", "COLUMNS", "GROUPS", "LIGHT", "PRIORITIES",
           "RESPONSIBLE", "SCORE_PARAMETERS", "SCORE_RANGE", "STOP_ORIGINS", "column_key",
           "code_of", "header"]

SCORE_PARAMETERS = ("lighting", "openness", "visibility", "people", "security", "walk_path",
                    "transport", "diversity", "feeling")
#: Lowest and highest score.
SCORE_RANGE = (0, 3)
GROUPS = ("kvinnor", "man", "unga", "aldre", "funktionsnedsattning", "blandad", "annan")
LIGHT = ("ljust", "morkt")
#: Who can be responsible for an action, unless the organiser names others.
RESPONSIBLE = ("kommun", "fastighetsagare", "polis", "annan")
PRIORITIES = ("hog", "medel", "lag")
ACTION_STATUSES = ("open", "in_progress", "done", "declined")
#: Statuses that close an action (they set ``closed_at``).
CLOSED = ("done", "declined")
STOP_ORIGINS = ("hotspot", "reports", "finding", "site", "start")

#: The protocol's columns: field → (Swedish header, English header). Scores are headed
#: by their labels (``LABELS["score"]``).
COLUMNS: dict[str, tuple[str, str]] = {
    "row_id": ("Rad-id", "Row id"),
    "walk_id": ("Vandring", "Walk"),
    "stop": ("Stopp", "Stop"),
    "place_text": ("Plats", "Place"),
    "date": ("Datum", "Date"),
    "light": ("Ljus/mörker", "Light/dark"),
    "group": ("Grupp", "Group"),
    "observation": ("Observation", "Observation"),
    "category": ("Kategori", "Category"),
    **{p: LABELS["score"][p] for p in SCORE_PARAMETERS},
    "action": ("Åtgärdsförslag", "Proposed action"),
    "responsible": ("Ansvarig", "Responsible"),
    "priority": ("Prioritet", "Priority"),
    "deadline": ("Senast klart", "Deadline"),
    "action_status": ("Status", "Status"),
    "closed_at": ("Stängd datum", "Closed date"),
    "photo": ("Fotoreferens", "Photo reference"),
    "x": ("X", "X"),
    "y": ("Y", "Y"),
}


def column_key(text: object) -> str:
    """A header or value compared loosely: lower case, without spaces, ``-``, ``_``,
    ``/`` and ``.``."""
    return re.sub(r"[\s\-_/.:()]+", "", str(text).strip().lower())


def header(field: str, lang: str = "sv") -> str:
    """The protocol's header of ``field`` in ``lang``."""
    sv, en = COLUMNS[field]
    return en if lang == "en" else sv


#: Loose header → field, both languages (and a few spellings people write).
HEADERS: dict[str, str] = {
    **{column_key(h): f for f, pair in COLUMNS.items() for h in pair},
    **{column_key(p): p for p in SCORE_PARAMETERS},
    "id": "row_id", "radid": "row_id", "stoppnr": "stop", "deadline": "deadline",
    "sistadatum": "deadline", "klartsenast": "deadline", "stängd": "closed_at",
    "closed": "closed_at", "foto": "photo", "bild": "photo", "åtgärd": "action",
}


def code_of(field: str, value: object, *, extra: dict[str, str] | None = None) -> str | None:
    """The code of ``value`` for the label field ``field`` (``priority``, ``light`` …):
    the code itself or its label in either language, loosely compared; ``None`` when
    it is none of them."""
    key = column_key(value)
    for code, pair in LABELS.get(field, {}).items():
        if key in (column_key(code), column_key(pair[0]), column_key(pair[1])):
            return code
    if extra:
        return extra.get(key)
    return None

"""Property-based test of the walk protocol import: the protocol ``trygg walk`` writes,
filled in with generated values (hostile text, numbers, dates, labels in either
language, rows cleared, moved or added), is imported so that every filled-in row is a
finding or a reject with its line, importing it again adds nothing, and nothing else
breaks (30 examples in CI, 6 locally; derandomized)."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from walkproto import fill, protocol

from trygg.geo.errors import UserError
from trygg.layers.store import create_project
from trygg.layers.walks.actions import read_actions
from trygg.layers.walks.findings import import_protocol
from trygg.layers.walks.protocol import COLUMNS, header

CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")
WALK = settings(max_examples=30 if CI else 6, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

#: What a spreadsheet cell can hold (openpyxl refuses the XML control characters).
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t"),
               max_size=40)
HOSTILE = st.sampled_from(["=HYPERLINK(\"http://x\")", "+1", "-", "@SUM(A1)", "<script>",
                           "\r\n", " ", "ÅÄÖ", "3,5", "NaN", "1e309", "9999-99-99"])
VALUES = {
    "row_id": st.sampled_from(["1a", "2a", "3a", "2b", "", "x", "1.1", "10a"]),
    "walk_id": st.sampled_from(["v1", "v2", "", "V1"]),
    "stop": st.sampled_from([1, 2, 3, 99, "", "två"]),
    "date": st.sampled_from(["2025-10-15", "15/10/2025", "", "igår", 45945, "2025-13-01"]),
    "light": st.sampled_from(["Mörkt", "ljust", "Dark", "grått", ""]),
    "group": st.sampled_from(["Kvinnor", "Unga", "Women", "Lärare", ""]),
    "observation": st.one_of(TEXT, HOSTILE, st.just("")),
    "category": st.sampled_from(["Klotter", "Graffiti", "Bristande belysning", "Okänt",
                                 "", "ovrigt"]),
    "score": st.sampled_from([0, 1, 2, 3, 4, -1, 1.5, "", "2", "bra"]),
    "action": st.one_of(TEXT, HOSTILE, st.just("")),
    "responsible": st.sampled_from(["Kommunen", "polis", "Bostadsbolaget", ""]),
    "priority": st.sampled_from(["Hög", "low", "akut", ""]),
    "deadline": st.sampled_from(["2026-04-30", "2024-01-01", "", "snart"]),
    "action_status": st.sampled_from(["Öppen", "Klar", "Done", "Pågår", "kanske", ""]),
    "closed_at": st.sampled_from(["2025-11-30", "", "aldrig"]),
    "x": st.sampled_from([674_000.0, "", "abc", 1e12]),
}
SCORES = [f for f in COLUMNS if f not in VALUES and f not in ("place_text", "photo", "y")]
FIELDS = [*(f for f in VALUES if f != "score"), *SCORES]


@st.composite
def filled_rows(draw):
    n = draw(st.integers(1, 5))
    rows = []
    for _ in range(n):
        fields = draw(st.lists(st.sampled_from(FIELDS), max_size=8, unique=True))
        rows.append({header(f): draw(VALUES["score"] if f in SCORES else VALUES[f])
                     for f in fields})
    return rows


@WALK
@given(rows=filled_rows())
def test_every_filled_row_is_a_finding_or_a_reject(tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("walk")
    path = protocol(folder)
    fill(path, {2 + i: r for i, r in enumerate(rows[:3])}, append=rows[3:])
    store = create_project(folder / "p.gpkg", name="Fuzz")
    try:
        with store.writing():
            first = import_protocol(store, path, today="2025-10-20")
    except UserError:
        return  # refused with the project's one-line message
    assert first.rows_read == (first.reports_added + first.reports_updated + first.unchanged
                               + first.skipped_empty + first.rejected)
    assert store.count("reports") == first.reports_added
    assert len(store.read("rejects")) == first.rejected
    assert set(store.read("rejects")["line"].astype(int)) <= set(range(2, 2 + len(rows) + 3))
    actions = len(read_actions(store))
    with store.writing():
        again = import_protocol(store, path, today="2025-10-20")
    assert (again.reports_added, again.reports_updated, again.actions_added) == (0, 0, 0)
    assert again.unchanged == first.reports_added
    assert store.count("reports") == first.reports_added
    assert len(read_actions(store)) == actions

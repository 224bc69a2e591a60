"""Property-based tests of the tycktill, est (CSV) and table readers (issue 8).

Generated files draw their headers from the real column aliases of each reader
plus junk, and their values from ordinary and hostile ones: quotes (closed,
doubled, never closed), CR/LF/CRLF and lone CRs, NUL and other control
characters, Windows-1252 and UTF-8 mixed per line, huge and tiny numbers, dates
out of range or ambiguous, formulas, very long fields. Asserted: no unhandled
exception (a :class:`geo.errors.UserError` for a file that cannot be read at all
is fine), every row read is a report or a reject, and, for a sample ingested
into a real project, added + duplicates + rejected = read.

Profiles: ``fuzz-ci`` (the ``CI`` environment variable set, as in ``.ci/run``)
runs 2,000 files per reader; ``fuzz-dev`` (otherwise) 200; ``FUZZ_EXAMPLES=N``
sets any other number. Both are derandomized and keep no example database, so
every run draws the same files; ``deadline=None`` (a shared machine's timing
says nothing about the code).
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trygg.geo.errors import UserError
from trygg.layers.ingest import ingest_file
from trygg.layers.sources import est, table, tycktill
from trygg.layers.store import create_project

_COMMON = {"deadline": None, "derandomize": True, "database": None,
           "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.filter_too_much,
                                     HealthCheck.function_scoped_fixture]}
settings.register_profile("fuzz-ci", max_examples=2000, **_COMMON)
settings.register_profile("fuzz-dev", max_examples=200, **_COMMON)


def _fuzz_settings(share: float = 1.0) -> settings:
    """The profile for this run; ``share`` of its examples (for the store tests)."""
    ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    chosen = settings.get_profile("fuzz-ci" if ci else "fuzz-dev")
    n = int(os.environ.get("FUZZ_EXAMPLES", chosen.max_examples))
    return settings(chosen, max_examples=max(1, int(n * share)))


AREA = (181896.0, 6101648.0, 1086427.0, 7689478.0)  # Sweden in EPSG:3006
READERS = {"tycktill": tycktill, "est": est, "table": table}

_ALIASES = {
    "tycktill": sorted({a for names in tycktill.ALIASES.values() for a in names}),
    "est": sorted({a for names in est.ALIASES.values() for a in names}),
    "table": sorted({a for names in table.FIELD_ALIASES.values() for a in names}),
}

HOSTILE = [
    "", " ", '"', '""', '"öppet', 'slut"', 'a "citat" b', "\r", "\n", "\r\n", "a\rb",
    "\x00", "id\x00x", "\x1b[31m", "\x7f", "\ufeff", "\u0085", "=cmd|' /C calc'!A0",
    "@SUM(1+1)", "+1", "-1", "0", "1e308", "-1e308", "1e-320", "nan", "inf", "-inf",
    "60 01 53", "99999999999999999999", "3377-12-31", "1677-09-21", "2262-04-12",
    "0001-01-01", "5/1/2025", "05.01.2025", "1/14/2025", "2025-02-30", "45731,5", "-1,5",
    "2025-01-14", "2025-01-14 00:00:00", "2025-01-14T21:40:00+01:00", "21:40", "25:61",
    "60,03141", "17,15722", "6655123,7", "621345,2", "Belysning", "Klotter", "Torget",
    "Storgatan 1, Strandvik", "Öppen", "Avslutad", "intern", "publik", "est", "tycktill",
    "åäö ÅÄÖ é ü", "A\u030a", "\U0001f600", "x" * 300, ";", ",", "\t", "'", "\\",
]

_value = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20),
    st.text(st.sampled_from(list('aåÄ1;,\t"\r\n\x00 ')), max_size=12),
    st.integers(-10**12, 10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(lambda f: str(f).replace(".", ",")),
)
_long = st.integers(1, 3).map(lambda k: "lång text; " * (14_000 * k))  # 150–450 kB


_RECENT = st.datetimes(datetime(2015, 1, 1), datetime(2030, 12, 31)).map(
    lambda d: d.strftime(d.second % 3 and "%Y-%m-%d %H:%M" or "%Y-%m-%d"))
_DATES = st.one_of(
    _RECENT, _RECENT, _RECENT,
    st.sampled_from(["2025-01-14", "2025-01-14 00:00:00", "2025-01-14 17:42",
                     "2025-01-14T21:40:00+01:00", "14/01/2025 21:30", "5/1/2025", "05.01.2025",
                     "1/14/2025", "3377-12-31", "1677-09-21", "2262-04-12", "-1", "45731,5",
                     "99999", "2025-02-30", "igår", "20250114", "2025", ""]),
    st.datetimes().map(lambda d: d.isoformat(sep=" ")),
    st.floats(-1e6, 1e6).map(lambda f: f"{f:.3f}".replace(".", ",")),
)
_LAT = st.one_of(st.floats(59.5, 60.5).map(lambda f: f"{f:.5f}".replace(".", ",")),
                 st.floats(6.5e6, 6.7e6).map(lambda f: f"{f:.1f}"))
_LON = st.one_of(st.floats(16.5, 18.0).map(lambda f: f"{f:.5f}"),
                 st.floats(5e5, 7e5).map(lambda f: f"{f:.1f}".replace(".", ",")))


@st.composite
def csv_files(draw, reader: str) -> bytes:
    """Bytes of a delimited text file for ``reader``: a header that the reader
    mostly recognises (a date column, a place and/or coordinate columns, other
    aliases and junk, in any order) and rows of typed and hostile values."""
    aliases = READERS[reader].ALIASES if reader != "table" else table.FIELD_ALIASES
    cols: list[tuple[str, st.SearchStrategy[str]]] = [
        (draw(st.sampled_from(aliases["reported_at"])), _DATES)]
    place = st.one_of(st.sampled_from(["Torget", "Storgatan 1, Strandvik", "Ån", "Parken"]),
                      _value)
    where = draw(st.sampled_from(["place", "xy", "latlon", "both", "none"]))
    if where in ("place", "both"):
        cols.append((draw(st.sampled_from(aliases["place_text"])), place))
    if where in ("xy", "both"):
        cols += [(draw(st.sampled_from(aliases["x"])), _LON),
                 (draw(st.sampled_from(aliases["y"])), _LAT)]
    if where == "latlon":
        cols += [(draw(st.sampled_from(aliases["lat"])), _LAT),
                 (draw(st.sampled_from(aliases["lon"])), _LON)]
    for _ in range(draw(st.integers(0, 4))):
        cols.append((draw(st.one_of(st.sampled_from(_ALIASES[reader]), _value)), _value))
    cols = draw(st.permutations(cols))
    names = [draw(st.sampled_from([n, n.upper(), n.title(), f" {n} "])) for n, _ in cols]
    delim = draw(st.sampled_from([";", ",", "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    rows = []
    for _ in range(draw(st.integers(0, 8))):
        values = [draw(_long) if draw(st.integers(0, 400)) == 0 else
                  draw(_value) if draw(st.integers(0, 5)) == 0 else draw(kind)
                  for _, kind in cols]
        extra = draw(st.integers(-2, 2)) if draw(st.integers(0, 4)) == 0 else 0
        values = values[:len(values) + extra] if extra < 0 else values + [
            draw(_value) for _ in range(extra)]
        rows.append(values)

    def field(v: str, hostile: int) -> str:
        mode = draw(st.integers(0, hostile))
        if mode == 0 or any(c in v for c in (delim, '"', "\n", "\r")) and mode < 3:
            return '"' + v.replace('"', '""') + '"'
        if mode == 1:
            return '"' + v  # a quote that never closes
        return v

    lines = [delim.join(field(v, 40) for v in names)]
    lines += [delim.join(field(v, 30) for v in r) for r in rows]
    enc = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "mixed"]))
    out = []
    for line in lines:
        line_enc = enc if enc != "mixed" else draw(st.sampled_from(["utf-8", "cp1252"]))
        out.append(line.encode("cp1252", errors="replace") if line_enc == "cp1252"
                   else line.encode("utf-8", errors="surrogatepass"))
    data = newline.encode().join(out) + (newline.encode() if draw(st.booleans()) else b"")
    return (b"\xef\xbb\xbf" if enc == "utf-8-sig" else b"") + data


def _parse(reader: str, path: Path):
    """Parse, letting a clear project error for an unreadable file through as None."""
    try:
        return READERS[reader].parse_file(path, target_crs="EPSG:3006", area=AREA)
    except UserError:
        return None


@pytest.mark.parametrize("reader", list(READERS))
def test_generated_files_parse_and_every_row_is_accounted_for(reader, tmp_path):
    path = tmp_path / "fil.csv"

    @_fuzz_settings()
    @given(csv_files(reader))
    def check(data: bytes) -> None:
        path.write_bytes(data)
        parsed = _parse(reader, path)
        if parsed is None:
            return
        assert parsed.rows_read == len(parsed.reports) + len(parsed.rejects)
        assert parsed.rejects["reason"].notna().all()
        if len(parsed.reports):
            assert parsed.reports["report_id"].notna().all()

    check()


@pytest.mark.parametrize("reader", list(READERS))
def test_generated_files_ingest_into_a_project_balanced(reader, tmp_path):
    project = create_project(tmp_path / "projekt.gpkg", name="Fuzz")
    path = tmp_path / "fil.csv"
    counter = iter(range(10**9))

    @_fuzz_settings(share=0.03)  # 60 per reader in CI
    @given(csv_files(reader))
    def check(data: bytes) -> None:
        p = path.with_name(f"fil{next(counter)}.csv")
        p.write_bytes(data)
        before = project.counts()
        try:
            s = ingest_file(project, p, source=reader)
        except UserError:
            assert project.counts() == before
            return
        assert s.rows_read == s.reports_added + s.duplicates + s.rejected
        after = project.counts()
        if not s.already_ingested:
            assert after["reports"] == before["reports"] + s.reports_added
            assert after["rejects"] == before["rejects"] + s.rejected

    check()

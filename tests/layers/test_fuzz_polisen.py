"""Property-based tests of the police events reader: generated hostile JSON arrays and
JSON Lines files (plain or gzip).

Every generated file is either refused with the project's one-line message or
read so that every event is a report or a reject: ``rows_read == reports +
rejects``, and ``rows_read`` is the number of events of an array or the number
of non-blank lines of a JSON Lines file. A few dozen go through a real ingest,
where ``added + duplicates + rejected == read``.

2,000 examples per property in CI (``CI`` set), 200 locally (or
``TRYGG_FUZZ_EXAMPLES``); derandomized.
"""

from __future__ import annotations

import gzip
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_fuzz_open311 import CI, DATE, DEEP, FUZZ, JSON, NUMBER, SCALAR, TEXT, check

from trygg.geo.crs import crs_bounds
from trygg.geo.errors import UserError
from trygg.layers.sources import polisen

SWEDEN = crs_bounds("EPSG:3006")
STORE = settings(FUZZ, max_examples=30 if CI else 6)

POLICE_DATE = st.one_of(DATE, st.sampled_from([
    "2025-01-05 10:04:05 +01:00", "2025-01-05 3:04:05 +01:00", "2025-07-05 23:59:59 +02:00",
    "2025-03-30 02:30:00 +01:00", "2025-01-05 10:04:05", "2025-01-05 25:61:00 +01:00",
    "1677-01-01 10:00:00 +01:00", "2262-05-01 10:00:00 +01:00", "9999-12-31 23:59:59 +14:00",
    "2025-01-05 10:04:05 +99:00"]))
NAME = st.one_of(TEXT, st.builds(
    lambda d, m, h, mi, rest: f"{d} {m} {h}:{mi}, {rest}",
    st.sampled_from(["1", "5", "31", "0", "99", "29"]),
    st.sampled_from(["januari", "februari", "december", "Mars", "smarch"]),
    st.sampled_from(["09", "9", "23", "24", "99"]), st.sampled_from(["40", "00", "61", "5"]),
    st.sampled_from(["Brand, Norrtälje", "Rån, Uppsala län", "", "{{ 7*7 }}, <b>"])))
GPS = st.one_of(TEXT, st.builds(lambda a, b: f"{a},{b}", NUMBER, NUMBER),
                st.sampled_from(["59.759584,18.701358", "59.76, 18.70", "59,76,18,70", ",",
                                 "59.76", "nan,nan", "inf,18.7", "1e308,1e308"]))
LOCATION = st.one_of(st.fixed_dictionaries({}, optional={"name": TEXT, "gps": GPS}),
                     st.fixed_dictionaries({"name": st.just("Norrtälje"), "gps": GPS}), JSON)
FIELDS = {"id": st.one_of(st.integers(-(10**20), 10**20), TEXT, st.sampled_from([1, 1, 2])),
          "datetime": st.one_of(POLICE_DATE, SCALAR), "name": NAME, "summary": TEXT,
          "url": TEXT, "type": st.one_of(TEXT, st.sampled_from(["Brand", "Rån", "Skadegörelse"])),
          "location": LOCATION, "extra": st.one_of(JSON, st.just(DEEP))}
GOOD = {"id": 7, "datetime": "2025-01-05 10:04:05 +01:00", "name": "5 januari 09:40, Brand, A",
        "summary": "s", "url": "/u", "type": "Brand",
        "location": {"name": "Norrtälje", "gps": "59.759584,18.701358"}}
EVENT = st.one_of(st.fixed_dictionaries({}, optional=FIELDS),
                  st.fixed_dictionaries({}, optional=FIELDS).map(lambda e: {**GOOD, **e}),
                  JSON, st.just(DEEP))
BROKEN_LINE = st.one_of(st.text(st.characters(blacklist_characters="\n"), max_size=30),
                        st.binary(max_size=12), st.sampled_from(
                            ["", " ", "\r", "{", "[1, 2]", '{"id": 8, "datetime": "2024-01-05',
                             "[" * 100_000, '{"a": ' * 20_000, "\ufeff{}", "null", "1e999"]))


def _deep(text: str, depth: int) -> str:
    return text.replace(json.dumps(DEEP), "[" * depth + "]" * depth)


def _non_blank_lines(data: bytes) -> int:
    return sum(1 for line in data.split(b"\n") if line.decode("utf-8", "replace").strip())


@st.composite
def event_files(draw, readable: bool = False) -> tuple[bytes, int | None]:
    """A police events file as bytes and the number of events it holds (``None`` when
    that is not defined, e.g. a file cut off in the middle)."""
    # For an ingest: mostly good events (ids repeat, so some are duplicates).
    usual = st.builds(lambda i, text: {**GOOD, "id": i, "summary": text},
                      st.integers(0, 40), TEXT)
    mostly = st.sampled_from([True, True, False]).flatmap(lambda ok: usual if ok else EVENT)
    events = draw(st.lists(mostly if readable else EVENT, min_size=int(readable),
                           max_size=6))
    depth = draw(st.sampled_from([1, 64, 65, 500, 5_000, 100_000]))
    ascii_only = draw(st.booleans())
    n: int | None
    if draw(st.booleans()):  # one JSON array
        data = _deep(json.dumps(events, ensure_ascii=ascii_only), depth).encode(
            "utf-8", errors="surrogatepass")
        n = len(events)
        if not readable and draw(st.integers(0, 9)) == 0:
            data = data[:draw(st.integers(0, max(len(data) - 1, 0)))]
            n = None
    else:  # JSON Lines, with blank and broken lines among the events
        lines: list[bytes] = []
        for event in events:
            text = _deep(json.dumps(event, ensure_ascii=ascii_only), depth)
            lines.append(text.encode("utf-8", errors="surrogatepass"))
            if not readable and draw(st.integers(0, 3)) == 0:
                broken = draw(BROKEN_LINE)
                lines.append(broken if isinstance(broken, bytes) else
                             broken.encode("utf-8", errors="surrogatepass"))
        eol = draw(st.sampled_from([b"\n", b"\r\n"]))
        data = eol.join(lines) + draw(st.sampled_from([b"", eol, eol * 3]))
        n = _non_blank_lines(data)
        first = data.lstrip().split(b"\n", 1)[0]
        try:
            json.loads(first)
        except (ValueError, RecursionError):
            n = None  # a first line that is no JSON may start one pretty-printed event
        if data.lstrip()[:1] == b"[":
            n = None  # read as one JSON array (or refused as a broken one)
    if draw(st.integers(0, 7)) == 0:
        data = gzip.compress(data, mtime=0)
    return data, n


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz_polisen")


@FUZZ
@given(event_files())
def test_any_events_file_is_read_event_by_event_or_refused(folder, file):
    data, n = file
    path = folder / "events.json"
    path.write_bytes(data)
    try:
        p = polisen.parse_file(path, target_crs="EPSG:3006", area=SWEDEN)
    except UserError as exc:
        assert "\n" not in str(exc)
        return
    plain = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    check(p, path.name, n, max_line=max(p.rows_read, plain.count(b"\n") + 1))


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    from trygg.layers.store import create_project

    return create_project(tmp_path_factory.mktemp("fuzz_polisen_store") / "p.gpkg", name="F")


@STORE
@given(event_files(readable=True))
def test_ingest_accounts_for_every_event(project, folder, file):
    from trygg.layers.ingest import ingest_file

    data, _n = file
    path = folder / "ingest.jsonl"
    path.write_bytes(data)
    try:
        s = ingest_file(project, path, source="polisen")
    except UserError:
        return
    assert s.balanced and s.reports_added + s.duplicates + s.rejected == s.rows_read

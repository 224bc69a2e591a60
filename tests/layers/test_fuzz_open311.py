"""Property-based tests of the Open311 reader: generated hostile ``requests.json`` files.

Every generated file is either refused with the project's one-line message
(:class:`geo.errors.UserError`) or read so that every request is a report or a
reject: ``rows_read == reports + rejects`` and ``rows_read`` is the number of
requests in the file. A few dozen go through a real ingest, where
``added + duplicates + rejected == read``.

In CI (``CI`` set) each property runs 2,000 examples, 200 locally (or
``TRYGG_FUZZ_EXAMPLES``); ``derandomize`` makes every run test the same files.
"""

from __future__ import annotations

import gzip
import json
import os
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trygg.geo.crs import crs_bounds
from trygg.geo.errors import UserError
from trygg.layers.sources import common, open311

CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
#: Generated files per reader: 2,000 in CI, 200 locally; TRYGG_FUZZ_EXAMPLES overrides.
EXAMPLES = int(os.environ.get("TRYGG_FUZZ_EXAMPLES") or (2000 if CI else 200))
settings.register_profile(
    "fuzz-open311", max_examples=EXAMPLES, deadline=None, derandomize=True,
    database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                          HealthCheck.large_base_example])
FUZZ = settings.get_profile("fuzz-open311")
STORE = settings(FUZZ, max_examples=30 if CI else 6)
SWEDEN = crs_bounds("EPSG:3006")
DEEP = "\x00DEEP\x00"  # replaced by deep nesting in the file's text



def times(strategy: st.SearchStrategy, k: int) -> list[st.SearchStrategy]:
    """``k`` copies of ``strategy`` for ``st.one_of`` to weight it ``k`` times
    (``one_of`` counts the same strategy object given twice only once)."""
    return [strategy.map(lambda v: v) for _ in range(k)]


HOSTILE_TEXT = st.sampled_from([
    "", " ", "\t", "{{ 7*7 }}", "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "</script><script>alert(1)</script>", "=cmd|' /C calc'!A0", "\x00", "a\x00b", "\x1b[31m",
    "\r", "a\rb", "\r\n", "\ufeff", "\ud800", "x\udfffy", "null", "NaN", "Infinity", "1e308",
    "-0", "0", "ö" * 40, "x" * 3000, "Graffiti", "GRAFFITI  ", "Klotter", "open", "closed",
    "Stängd", "59,76", "18.70", "59.76,18.70"])
TEXT = st.one_of(HOSTILE_TEXT, st.text(max_size=20))
NUMBER = st.one_of(
    st.sampled_from([59.76, 18.70, 0, 0.0, -0.0, 90, 90.000001, -180, 180.1, 1e308, -1e308]),
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**30), 10**30))
DATE = st.one_of(
    st.datetimes(min_value=datetime(1678, 1, 1), max_value=datetime(2261, 12, 31)).map(
        lambda d: d.isoformat(timespec="seconds")),
    st.sampled_from([
        "2025-03-30T02:30:00", "2025-10-26T02:30:00+01:00", "2025-06-02T08:15:00Z",
        "2025-06-02 08:15", "1677-01-01T00:00:00Z", "1677-09-21T00:12:43", "2262-04-12T00:00:00",
        "3377-12-31", "9999-12-31T23:59:59+01:00", "-0001-01-01", "0000-00-00", "+12345-01-01",
        "2025-02-30", "2025-13-01", "31/12/3377", "14/03/2025", "1e20", "-1", "45731.9",
        "99999", "2025-06-02T08:15:00+25:00", "2025-W37", "igår"]))
SCALAR = st.one_of(st.none(), st.booleans(), NUMBER, TEXT, DATE)
JSON = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(TEXT, inner, max_size=3), max_leaves=6)
FIELDS = {
    "service_request_id": st.one_of(TEXT, NUMBER, st.sampled_from(["SR-1", "SR-1", "SR-2"])),
    "status": TEXT, "service_name": TEXT, "service_code": st.one_of(TEXT, NUMBER),
    "description": st.one_of(TEXT, JSON), "address": TEXT, "agency_responsible": TEXT,
    "requested_datetime": st.one_of(DATE, SCALAR), "updated_datetime": st.one_of(DATE, SCALAR),
    "lat": st.one_of(NUMBER, NUMBER.map(str), TEXT), "long": st.one_of(NUMBER, NUMBER.map(str),
                                                                        TEXT),
    "media_url": st.one_of(TEXT, JSON, st.just(DEEP)),
}
GOOD = {"service_request_id": "SR-9", "requested_datetime": "2025-03-01T10:00:00Z",
        "lat": 59.76, "long": 18.70, "service_name": "Graffiti"}
REQUEST = st.one_of(
    st.fixed_dictionaries({}, optional=FIELDS),
    st.fixed_dictionaries({}, optional=FIELDS).map(lambda extra: {**GOOD, **extra}),
    st.dictionaries(TEXT, JSON, max_size=3), JSON, st.just(DEEP))


@st.composite
def request_files(draw, readable: bool = False) -> tuple[bytes, int | None]:
    """A requests.json file as bytes, and the number of requests it holds (``None``
    when the file need not be readable); ``readable``: at least one request, no damage."""
    # For an ingest: mostly good requests (ids repeat, so some are duplicates).
    usual = st.builds(lambda i, text: {**GOOD, "service_request_id": f"SR-{i}",
                                       "description": text}, st.integers(0, 40), TEXT)
    mostly = st.sampled_from([True, True, False]).flatmap(lambda ok: usual if ok else REQUEST)
    records = draw(st.lists(mostly if readable else REQUEST, min_size=int(readable),
                            max_size=6))
    shape = draw(st.sampled_from(["array", "array", "array", "wrapped", "request", "single"]))
    value: object = records
    n: int | None = len(records)
    if shape == "wrapped":
        value = {"service_requests": records}
    elif shape == "request":
        value = {"service_requests": {"request": records}}
    elif shape == "single":
        value = {**GOOD, "description": draw(TEXT)}
        n = 1
    text = json.dumps(value, ensure_ascii=draw(st.booleans()), allow_nan=True)
    depth = draw(st.sampled_from([1, 63, 64, 65, 500, 5_000, 100_000]))
    text = text.replace(json.dumps(DEEP), "[" * depth + "]" * depth)
    damage = draw(st.sampled_from(["none"] * 6 + ["cut", "bytes", "bom", "gzip", "latin1"]))
    if readable:
        damage = "none"
    data = text.encode("utf-8", errors="surrogatepass")
    if damage == "cut":
        data = data[:draw(st.integers(0, max(len(data) - 1, 0)))]
        n = None
    elif damage == "bytes":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
        n = None
    elif damage == "bom":
        data = b"\xef\xbb\xbf" + data
    elif damage == "gzip":
        data = gzip.compress(data, mtime=0)
    elif damage == "latin1":
        data = text.encode("latin-1", errors="replace")
        n = None
    return data, n


def check(p, name: str, n: int | None, max_line: int | None = None) -> None:
    """Every record a report or a reject, with a known reason and its own line (at most
    ``max_line``, default ``rows_read``: the record's position)."""
    assert p.rows_read == len(p.reports) + len(p.rejects)
    if n is not None:
        assert p.rows_read == n
    assert set(p.rejects["reason"]) <= set(common.REJECT_REASONS)
    assert set(p.rejects["file"]) <= {name}
    lines = list(p.rejects["line"])
    top = p.rows_read if max_line is None else max_line
    assert all(1 <= x <= top for x in lines)
    keys = list(zip(p.rejects["sheet"].fillna(""), lines, strict=True))
    assert len(set(keys)) == len(keys)  # one reject per record (per sheet and line)
    assert p.reports["report_id"].notna().all()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz_open311")


@FUZZ
@given(request_files())
def test_any_requests_file_is_read_row_by_row_or_refused(folder, file):
    data, n = file
    path = folder / "requests.json"
    path.write_bytes(data)
    try:
        p = open311.parse_file(path, target_crs="EPSG:3006", area=SWEDEN)
    except UserError as exc:
        assert "\n" not in str(exc)
        return
    check(p, path.name, n)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    from trygg.layers.store import create_project

    return create_project(tmp_path_factory.mktemp("fuzz_open311_store") / "p.gpkg", name="F")


@STORE
@given(request_files(readable=True))
def test_ingest_accounts_for_every_request(project, folder, file):
    from trygg.layers.ingest import ingest_file

    data, _n = file
    path = folder / "ingest.json"
    path.write_bytes(data)
    try:
        s = ingest_file(project, path, source="open311")
    except UserError:
        return
    assert s.balanced and s.reports_added + s.duplicates + s.rejected == s.rows_read

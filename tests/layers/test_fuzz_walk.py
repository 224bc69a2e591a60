"""Property-based tests of the safety-walk reader: generated hostile protocol
workbooks (the XLSX template), GPX waypoint files and GeoJSON point files.

Every generated file is either refused with the project's one-line message or
read so that every data row, ``<wpt>`` or feature is a report or a reject
(``rows_read`` is their number). A few dozen go through a real ingest, where
``added + duplicates + rejected == read``.

2,000 examples per property in CI (``CI`` set), 200 locally (or
``TRYGG_FUZZ_EXAMPLES``); derandomized. The formats share the examples (about
a third each).
"""

from __future__ import annotations

import json
import re
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_fuzz_est import (
    DATE_CELL,
    DATE_SERIAL,
    EXTRA_HEADER,
    FUZZ,
    NUMBER_CELL,
    STORE,
    TABLE_DATE,
    cells,
    workbooks,
)
from test_fuzz_open311 import DEEP, JSON, NUMBER, TEXT, check, times

from trygg.geo.crs import crs_bounds
from trygg.geo.errors import UserError
from trygg.layers.sources import walk

SWEDEN = crs_bounds("EPSG:3006")
# GDAL warns about every broken GeoJSON coordinate it reads; the rows are what counts.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")

# -- the XLSX protocol template ------------------------------------------------------

#: The template's columns, "Stopp" first (the generated rows never leave it empty).
TEMPLATE = ["Stopp"] + [c for c in walk.TEMPLATE_COLUMNS if c != "Stopp"]
TEMPLATE_CELLS = {
    "Datum": DATE_CELL,
    "Kategori": cells(st.sampled_from(["Belysning", "Klotter", "Nedskräpning", "Okänd", ""])),
    "Prioritet": cells(st.sampled_from(["Hög", "Låg", "1", ""])),
    "Status": cells(st.sampled_from(["Öppen", "Åtgärdad", "Stängd", "closed", "?"])),
    "Latitud": st.one_of(*times(st.floats(59.5, 60).map(lambda v: ("n", v)), 4),
                         cells(st.sampled_from(["59.76", "59,76", "91", "-", ""])), NUMBER_CELL),
    "Longitud": st.one_of(*times(st.floats(18.5, 19).map(lambda v: ("n", v)), 4),
                          cells(st.sampled_from(["18.70", "18,70", "181", "-", ""])),
                          NUMBER_CELL),
}

# -- GPX -----------------------------------------------------------------------------

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
NAMESPACES = ['xmlns="http://www.topografix.com/GPX/1/1"', 'xmlns="http://www.topografix.com/GPX/1/0"',
              ""]
POSITION = st.one_of(
    *times(st.builds(lambda a, b: f'lat="{a}" lon="{b}"', st.floats(59.5, 60),
                     st.floats(18.5, 19)), 4),
    st.builds(lambda a, b: f"lat={quoteattr(a)} lon={quoteattr(b)}",
              st.one_of(NUMBER.map(str), TEXT.map(lambda t: _XML_BAD.sub("", t))),
              st.one_of(NUMBER.map(str), TEXT.map(lambda t: _XML_BAD.sub("", t)))),
    st.sampled_from(['lon="18.70"', 'lat="59.76"', "", 'lat="" lon=""', 'lat="59,76" lon="18,70"',
                     'lat="1e308" lon="18.7"', 'lat="nan" lon="18.7"', 'lat="-90.1" lon="0"']))
TIME = st.one_of(TABLE_DATE, st.sampled_from(["2025-03-01T19:00:00Z", "2025-03-01T19:00:00.123Z",
                                              "2025-03-01T19:00:00+01:00", ""]))


def _text(value: str) -> str:
    return escape(_XML_BAD.sub("", value))


@st.composite
def waypoint(draw) -> str:
    parts = []
    for tag, values in (("name", TEXT), ("desc", TEXT), ("cmt", TEXT), ("time", TIME),
                        ("type", st.sampled_from(["belysning", "klotter", "Okänd", ""])),
                        ("sym", TEXT), ("ele", NUMBER.map(str))):
        if draw(st.booleans()):
            parts.append(f"<{tag}>{_text(draw(values))}</{tag}>")
    if draw(st.integers(0, 4)) == 0:
        parts.append(f"<link href={quoteattr(_XML_BAD.sub('', draw(TEXT)))}><text>"
                     f"{_text(draw(TEXT))}</text></link>")
    if draw(st.integers(0, 3)) == 0:
        depth = draw(st.sampled_from([1, 2, 50, 20_000]))
        wide = draw(st.sampled_from([1, 3, 150]))
        leaf = "".join(f"<e{i}>{_text(draw(TEXT))}</e{i}>" for i in range(wide))
        parts.append("<extensions>" + "<a>" * depth + leaf + "</a>" * depth + "</extensions>")
    if draw(st.integers(0, 6)) == 0:
        parts.append(draw(st.sampled_from(["<!-- kommentar -->", "<![CDATA[<b>x</b>]]>",
                                           "<?pi x?>", "text directly in wpt"])))
    return f"<wpt {draw(POSITION)}>" + "".join(parts) + "</wpt>"


@st.composite
def gpx_files(draw, readable: bool = False) -> tuple[str, bytes, int | None]:
    points = draw(st.lists(waypoint(), min_size=int(readable), max_size=6))
    noise = draw(st.lists(st.sampled_from([
        "<metadata><name>Vandring</name></metadata>",
        '<trk><trkseg><trkpt lat="59.7" lon="18.7"/></trkseg></trk>',
        '<rte><rtept lat="59.7" lon="18.7"><name>r</name></rtept></rte>',
        '<extensions><wpt lat="59.7" lon="18.7"/></extensions>']), max_size=2))
    body = points + noise
    order = draw(st.permutations(range(len(body))))
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<gpx version="1.1" creator="fuzz" {draw(st.sampled_from(NAMESPACES))}>\n'
            + "\n".join(body[i] for i in order) + "\n</gpx>\n")
    n: int | None = len(points)
    damage = "none" if readable else draw(
        st.sampled_from(["none"] * 10 + ["cut", "raw", "doctype"]))
    data = text.encode("utf-8")
    if damage == "cut":
        data = data[:draw(st.integers(0, len(data) - 1))]
        n = None
    elif damage == "raw":  # a character XML cannot hold, or bytes that are no UTF-8
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\x01", b"\xff\xfe", b"&", b"<"])) + data[at:]
        n = None
    elif damage == "doctype":
        data = data.replace(b"?>\n", b'?>\n<!DOCTYPE gpx [<!ENTITY a "aaaa">]>\n', 1)
        n = None
    return "vandring.gpx", data, n


# -- GeoJSON -------------------------------------------------------------------------

COORD = st.one_of(*times(st.tuples(st.floats(18.5, 19), st.floats(59.5, 60)).map(list), 4),
                  st.lists(NUMBER, max_size=4), st.lists(TEXT, max_size=2),
                  st.just([18.7, 59.7, 12.0]))
GEOMETRY = st.one_of(
    *times(COORD.map(lambda c: {"type": "Point", "coordinates": c}), 4),
    st.lists(COORD, max_size=3).map(lambda c: {"type": "MultiPoint", "coordinates": c}),
    st.lists(COORD, min_size=2, max_size=3).map(lambda c: {"type": "LineString",
                                                           "coordinates": c}),
    st.just({"type": "Polygon", "coordinates": [[[18.7, 59.7], [18.8, 59.7], [18.8, 59.8],
                                                 [18.7, 59.7]]]}),
    st.just({"type": "GeometryCollection", "geometries": []}), st.none(),
    st.just({"type": "Point", "coordinates": []}), st.just({"type": "Nonsense"}))
PROPERTY = st.one_of(TEXT, NUMBER, st.none(), st.booleans(), JSON, st.just(DEEP))
DATE_PROPERTY = st.one_of(TABLE_DATE, DATE_SERIAL, st.none())


@st.composite
def geojson_files(draw, readable: bool = False) -> tuple[str, bytes, int | None]:
    features = []
    for _ in range(draw(st.integers(int(readable), 6))):
        props = {k: draw(PROPERTY) for k in draw(st.lists(st.sampled_from(
            ["Stopp", "Plats", "Observation", "Kategori", "Åtgärdsförslag", "Status"]),
            unique=True, max_size=6))}
        if draw(st.booleans()):
            props["Datum"] = draw(DATE_PROPERTY)
        if draw(st.integers(0, 5)) == 0:
            props[draw(EXTRA_HEADER)] = draw(PROPERTY)
        feature = {"type": "Feature", "geometry": draw(GEOMETRY), "properties": props}
        if draw(st.integers(0, 7)) == 0:
            feature["id"] = draw(st.one_of(TEXT, NUMBER))
        features.append(feature)
    text = json.dumps({"type": "FeatureCollection", "features": features},
                      ensure_ascii=draw(st.booleans()))
    depth = draw(st.sampled_from([1, 20, 200, 5_000]))
    text = text.replace(json.dumps(DEEP), "[" * depth + "]" * depth)
    return "punkter.geojson", text.encode("utf-8", errors="surrogatepass"), len(features)


@st.composite
def walk_files(draw, readable: bool = False, kinds: tuple[str, ...] = ("xlsx", "gpx", "geojson")
               ) -> tuple[str, bytes, int | None]:
    kind = draw(st.sampled_from(kinds))
    if kind == "xlsx":
        data, n = draw(workbooks(TEMPLATE, TEMPLATE_CELLS, readable=readable))
        return "protokoll.xlsx", data, n
    if kind == "gpx":
        return draw(gpx_files(readable=readable))
    return draw(geojson_files(readable=readable))


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz_walk")


def _parse_or_refuse(folder, file):
    name, data, n = file
    path = folder / name
    path.write_bytes(data)
    try:
        p = walk.parse_file(path, target_crs="EPSG:3006", area=SWEDEN)
    except UserError as exc:
        assert "\n" not in str(exc)
        return
    check(p, path.name, n, max_line=data.count(b"\n") + 10_000)


@FUZZ
@given(walk_files(kinds=("xlsx", "geojson")))
def test_any_walk_protocol_is_read_row_by_row_or_refused(folder, file):
    """The protocol template (XLSX) and GeoJSON points: EXAMPLES files."""
    _parse_or_refuse(folder, file)


@FUZZ
@given(walk_files(kinds=("gpx",)))
def test_any_gpx_file_is_read_waypoint_by_waypoint_or_refused(folder, file):
    """GPX waypoints from a phone: EXAMPLES files of their own."""
    _parse_or_refuse(folder, file)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    from trygg.layers.store import create_project

    return create_project(tmp_path_factory.mktemp("fuzz_walk_store") / "p.gpkg", name="F")


@STORE
@given(walk_files(readable=True))
def test_ingest_accounts_for_every_row(project, folder, file):
    from trygg.layers.ingest import ingest_file

    name, data, _n = file
    path = folder / f"ingest_{name}"
    path.write_bytes(data)
    try:
        s = ingest_file(project, path, source="walk")
    except UserError:
        return
    assert s.balanced and s.reports_added + s.duplicates + s.rejected == s.rows_read

"""Report text, names and options reach a page only as escaped data, never as template
source: payloads in every user-controlled field are shown literally, none runs."""

from __future__ import annotations

import ast
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import geopandas as gpd
import pytest
from hostile import payloads, place_name, street_name

from trygg.maps.html import data_script, script_json
from trygg.maps.karta import write_map
from trygg.maps.publik import write_public_map

ROOT = Path(__file__).resolve().parents[2]
BASEMAP = "https://tiles.example.invalid/topowebb/{z}/{y}/{x}.png"


def page_data(text: str) -> dict:
    found = re.findall(r'<script type="application/json" id="trygg-data">(.*?)</script>',
                       text, re.S)
    assert len(found) == 1
    return json.loads(found[0])


class _Tags(HTMLParser):
    """The tags of a page and the text of its scripts, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def assert_nothing_ran(hostile, text: str) -> _Tags:
    assert not hostile["marker"].exists(), "a template in the data ran a shell command"
    assert "SSTI-49-END" not in text
    tags = _Tags()
    tags.feed(text)
    assert "img" not in tags.tags
    assert not [s for s in tags.scripts if s.strip() == "alert(1)"]
    assert tags.scripts.count("") == 0
    return tags


def hotspot_names(hostile) -> list[str]:
    store = hostile["store"]
    areas = gpd.read_file(store.path, layer=hostile["run"].layers[0], engine="pyogrio")
    return list(areas.sort_values("rank")["name"])


def test_the_hostile_project_holds_every_payload(hostile):
    reports = hostile["store"].read_reports()
    for text in hostile["payloads"]:
        assert (reports["description"] == text).sum() == 8 + 1 + 1  # table, Open311, GPX
        assert (reports["place_text"] == text).sum() == 10
        assert f"open311:{text}" in set(reports["report_id"])
    assert sorted(hotspot_names(hostile)) == sorted(
        place_name(i, t) for i, t in enumerate(hostile["payloads"]))


def test_internal_map_shows_every_payload_as_data(hostile, tmp_path):
    store = hostile["store"]
    out = write_map(store, tmp_path / "karta.html", background=hostile["background"],
                    basemap=BASEMAP, attribution=hostile["everything"])
    text = out.read_text("utf-8")
    assert_nothing_ran(hostile, text)
    data = page_data(text)
    assert data["title"] == store.name == hostile["everything"]
    assert f"<title>{html.escape(store.name)}</title>" in text
    reports = store.read_reports()
    assert sorted((r[7], r[5], r[6]) for r in data["reports"]) == sorted(zip(
        reports["report_id"], reports["place_text"], reports["description"], strict=True))
    assert [b["name"] for b in data["background"]] == list(hostile["payloads"])
    (areas,) = [o for o in data["overlays"] if o["kind"] == "hotspots"]
    assert [f["properties"]["name"] for f in areas["geojson"]["features"]] == hotspot_names(
        hostile)
    assert areas["name"] == ("Hotspotområden (täta samlingar av rapporter) – "
                             f"{hostile['run'].run_id}")
    assert data["basemap"] == {"url": BASEMAP, "attribution": hostile["everything"],
                               "max_zoom": 19}


def test_public_map_shows_every_payload_as_data(hostile, tmp_path):
    store = hostile["store"]
    out = write_public_map(store, tmp_path / "publik.html", background=hostile["background"])
    text = out.read_text("utf-8")
    assert_nothing_ran(hostile, text)
    data = page_data(text)
    assert data["title"] == hostile["everything"]
    assert f"<title>{html.escape(store.name)}</title>" in text
    assert [b["name"] for b in data["background"]] == list(hostile["payloads"])
    assert sorted(f["properties"]["name"] for f in data["hotspots"]["features"]) == sorted(
        hotspot_names(hostile))
    for text_ in hostile["payloads"]:  # the public map holds no report text or id
        assert f"open311:{text_}" not in json.dumps(data, ensure_ascii=False)


def names_data(text: str) -> dict:
    found = re.findall(r'<script type="application/json" id="trygg-names">(.*?)</script>',
                       text, re.S)
    assert len(found) == 1
    return json.loads(found[0])


@pytest.mark.parametrize("audience", ["intern", "publik"])
def test_hostile_street_and_place_names_are_data(hostile, tmp_path, audience):
    """Street names along the background's street lines and the gazetteer's place names
    reach the page as JSON data only, literally."""
    store = hostile["store"]
    background = [*hostile["background"], hostile["streets"]]
    out = (write_map(store, tmp_path / "k.html", background=background) if audience ==
           "intern" else write_public_map(store, tmp_path / "p.html", background=background))
    text = out.read_text("utf-8")
    assert_nothing_ran(hostile, text)
    labels = names_data(text)["labels"]
    streets = {label["text"] for label in labels if label["kind"] == "street"}
    places = {label["text"] for label in labels if label["kind"] == "place"}
    texts = hostile["payloads"]
    assert streets == {street_name(i, t) for i, t in enumerate(texts)}
    assert places == {place_name(i, t) for i, t in enumerate(texts)}
    for t in texts:
        if "<" in t:
            assert street_name(texts.index(t), t) not in text  # only as escaped JSON
    # the streets' file is named gator: drawn as streets, labelled in Swedish
    assert "Gator" in [b["label"] for b in page_data(text)["background"]]


@pytest.mark.parametrize("i", range(len(payloads(Path("MARKER")))))
def test_each_payload_alone_as_name_and_text(tmp_path, i):
    """One payload at a time (a broken template would hide the others): as project name,
    report text, place, id and basemap attribution."""
    import csv

    from trygg.layers.ingest import ingest_file
    from trygg.layers.store import create_project

    marker = tmp_path / "PWNED"
    text = payloads(marker)[i]
    store = create_project(tmp_path / "p.gpkg", name=text)
    empty = write_map(store, tmp_path / "tom.html").read_text("utf-8")  # only the name
    assert page_data(empty)["title"] == text
    table = tmp_path / "t.csv"
    with table.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";").writerows([
            ["Ärende-ID", "Datum", "Kategori", "Beskrivning", "Plats", "Synlighet", "X", "Y"],
            *[[f"{text}{j}", "2025-03-14 21:35", "Klotter", text, text, "publik",
               f"{621345 + j}", "6655123"] for j in range(3)]])
    assert ingest_file(store, table).reports_added == 3
    intern = write_map(store, tmp_path / "k.html", basemap=BASEMAP,
                       attribution=text).read_text("utf-8")
    publik = write_public_map(store, tmp_path / "p.html").read_text("utf-8")
    assert not marker.exists(), "a template in the data ran a shell command"
    for page in (empty, intern, publik):
        assert "SSTI-49-END" not in page
        assert page_data(page)["title"] == text
    assert {(r[5], r[6], r[7]) for r in page_data(intern)["reports"]} == {
        (text, text, f"table:{text}{j}") for j in range(3)}


@pytest.mark.parametrize("audience", ["intern", "publik"])
def test_trygg_map_with_payloads_succeeds(hostile, tmp_path, audience):
    from trygg.cli import main

    out = tmp_path / f"{audience}.html"
    args = ["map", str(hostile["store"].path), "--out", str(out), "--audience", audience]
    for path in hostile["background"]:
        args += ["--background", str(path)]
    if audience == "intern":
        args += ["--basemap", BASEMAP, "--attribution", hostile["everything"]]
    assert main(args) == 0
    assert_nothing_ran(hostile, out.read_text("utf-8"))
    assert page_data(out.read_text("utf-8"))["title"] == hostile["everything"]


@pytest.mark.parametrize("url", [
    "https://x.invalid/{z}/{x}/{y}.png?q={{ 7*7 }}",
    "https://x.invalid/{z}/{x}/{y}.png\"><script>alert(1)</script>",
    "https://x.invalid/{z}/{x}/{y}.png'",
    "https://x.invalid/{z}/{x}/{y}.png <b>",
    "https://x.invalid/{z}/{x}/{y}.png\n",
    "https://x.invalid/{z}/{x}/{y}/{foo}.png",
    "https://x.invalid/{z}/{x}/{y}.png\u2028",
    "javascript:alert(1)//{z}/{x}/{y}",
    "https:///{z}/{x}/{y}.png",
    "https://user:pw@x.invalid/{z}/{x}/{y}.png",
])
def test_a_hostile_basemap_url_is_refused_with_a_message(project, url):
    from trygg.geo.errors import ArgumentError
    from trygg.maps.karta import report_map

    with pytest.raises(ArgumentError, match="--basemap"):
        report_map(project, basemap=url, attribution="© x")


@pytest.mark.parametrize("url", [
    "https://x.invalid/{z}/{x}/{y}.png",
    "http://x.invalid:8080/wmts/{z}/{y}/{x}?layer=topo&style=default",
    "https://{s}.tile.example.invalid/{z}/{x}/{-y}{r}.png",
])
def test_ordinary_basemap_urls_pass(project, url):
    from trygg.maps.karta import report_map
    from trygg.maps.page import render_map

    text = render_map(report_map(project, basemap=url, attribution="© x"))
    assert page_data(text)["basemap"]["url"] == url


# -- the primitive ------------------------------------------------------------------------

def test_data_script_round_trips_any_text_and_cannot_be_closed():
    texts = ["</script><script>alert(1)</script>", "<!--", "<\u2028\u2029>", "&amp;",
             "{{ 7*7 }}", "{% raw %}", "{{\"", "\ud800 lone", "]]>"]
    element = data_script("trygg-data", {"t": texts, "nan": float("nan"),
                                         "inf": [float("inf")]})
    text = element.render()
    assert text.startswith('<script type="application/json" id="trygg-data">')
    body = text.removeprefix('<script type="application/json" id="trygg-data">')
    body = body.removesuffix("</script>")
    assert not set(body) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(body) == {"t": texts, "nan": None, "inf": [None]}
    text.encode("utf-8")  # no lone surrogate left
    assert script_json("ä") == '"ä"'  # readable, not \\u escapes


@pytest.mark.parametrize("bad", ['x" onload="alert(1)', "1x", "", "a b", "a>"])
def test_data_script_refuses_an_unsafe_id(bad):
    with pytest.raises(ValueError):
        data_script(bad, {})


def test_header_elements_escape_their_text():
    from trygg.maps.html import PageScript, meta, style, title

    assert title("{{ 7*7 }}</title><script>").render() == (
        "<title>{{ 7*7 }}&lt;/title&gt;&lt;script&gt;</title>")
    assert meta("generator", '"><x>').render() == (
        '<meta name="generator" content="&quot;&gt;&lt;x&gt;">')
    with pytest.raises(ValueError):
        style("a{} </style><script>")
    with pytest.raises(ValueError):
        PageScript("var a = '</script>';")


# -- the guard: no template source from data, now or later --------------------------------

#: Calls whose first argument (or ``template=``/``source=`` …) branca, folium or Jinja2
#: compile or emit as HTML.
TEMPLATE_CALLS = {"Element", "MacroElement", "Template", "Html", "Div", "IFrame", "Popup",
                  "Tooltip", "DivIcon", "from_string", "Markup", "Environment"}
TEMPLATE_KEYWORDS = {"template", "source", "html", "popup", "tooltip"}
#: The functions that make a value safe inside markup: maps.html's, and maps.assets's
#: ``asset_text`` (files of the asset packages only, ``</script`` neutralised).
SAFE_IN_MARKUP = {"escape", "script_json", "check_code", "asset_text"}


def _literal(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, (str, type(None)))


def template_misuse(source: str, filename: str = "<string>") -> list[str]:
    """Places in ``source`` that could make data template source.

    - a template-making call (:data:`TEMPLATE_CALLS`) given anything but a string
      literal (an f-string, a concatenation, a variable);
    - ``super().__init__(x)`` with a non-literal in a class built on a branca, folium
      or Jinja2 class;
    - any folium element but ``folium.Map`` (branca's ``MacroElement.render`` compiles
      every element's rendered script again as a template, so no data may go into one),
      and ``folium.Map`` with options that are not literals;
    - an f-string holding HTML tags that puts in anything but a call of
      :data:`SAFE_IN_MARKUP`, so text cannot become markup on a page written without a
      template engine either.
    """
    tree = ast.parse(source, filename)
    engine = {alias.asname or alias.name for node in ast.walk(tree)
              if isinstance(node, ast.ImportFrom) and node.module
              and node.module.split(".")[0] in ("branca", "folium", "jinja2")
              for alias in node.names}
    found = []

    def report(node, name, arg):
        found.append(f"{filename}:{node.lineno}: {name}(…) given "
                     f"{ast.unparse(arg)[:60]!r}, not a literal")

    engine_classes = [node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
                      and any((b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", ""))
                              in engine | TEMPLATE_CALLS for b in node.bases)]
    in_engine_class = {id(n) for c in engine_classes for n in ast.walk(c)}
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            markup = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            for v in node.values:
                if isinstance(v, ast.FormattedValue) and re.search(r"<[A-Za-z/!]", markup) and not (
                        isinstance(v.value, ast.Call) and getattr(v.value.func, "id", "")
                        in SAFE_IN_MARKUP):
                    found.append(f"{filename}:{node.lineno}: {ast.unparse(v.value)[:60]!r} "
                                 "put into HTML unescaped; use maps.html")
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        args = [] if name not in TEMPLATE_CALLS else node.args[:1]
        args += [k.value for k in node.keywords if k.arg in TEMPLATE_KEYWORDS]
        if name == "__init__" and id(node) in in_engine_class:
            args += node.args[:1]
        for arg in args:
            if not _literal(arg):
                report(node, name, arg)
        from_folium = (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                       and func.value.id == "folium") or (
            isinstance(func, ast.Name) and func.id in engine and func.id not in TEMPLATE_CALLS)
        if from_folium and name != "Map":
            found.append(f"{filename}:{node.lineno}: {name}(…): no folium element but "
                         "folium.Map; pass the data in maps.html.data_script")
        elif from_folium:
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                if not isinstance(arg, ast.Constant):
                    report(node, name, arg)
    return found


def html_modules() -> list[Path]:
    """Every module of maps/, and any other project module that uses branca, folium or
    Jinja2."""
    paths = sorted((ROOT / "maps").glob("*.py"))
    for folder in ("layers", "geo", "scripts"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if re.search(r"^\s*(from|import)\s+(branca|folium|jinja2)\b",
                         path.read_text("utf-8"), re.M):
                paths.append(path)
    return paths


def test_the_guard_finds_template_source_built_from_data():
    bad = '''
from branca.element import Element
Element(f"<p>{text}</p>")
Element("<p>" + text + "</p>")
Element(template=text)
Template(source)
env.from_string(text)
folium.Popup(description)
folium.Marker(loc, popup=text)
class X(Element):
    def __init__(self, t):
        super().__init__(t)
'''
    assert len(template_misuse(bad)) == 11  # Popup, Marker as folium elements; f"<p>{text}"
    folium_data = '''
import folium
from folium import GeoJson
folium.TileLayer(url, attr=attribution)
folium.GeoJson(areas, name=name)
GeoJson(areas)
folium.Map(location=centre)
'''
    assert len(template_misuse(folium_data)) == 4
    markup = '''
row = f"<tr><td>{report.description}</td></tr>"
head = f'<h1 class="{cls}">' + escape(name) + "</h1>"
ok = f"<td>{escape(text)}</td>" + f"{n} rapporter" + f"a < {b}"
'''
    assert len(template_misuse(markup)) == 2
    good = '''
import folium
Element("<p></p>")
Template("{{ this.markup }}")
Element()
folium.Map(location=None, tiles=None, zoom_start=12)
m.fit_bounds(bounds)
class Error(RuntimeError):
    def __init__(self, text):
        super().__init__(text)
'''
    assert template_misuse(good) == []


#: Modules allowed folium elements, and why.
FOLIUM_ALLOWED = {
    "scripts/bench_map.py": "folium's own MarkerCluster as the speed reference of the map "
                            "benchmark; it is given coordinates only, no text",
}


def test_no_module_hands_a_template_engine_anything_but_a_literal():
    modules = html_modules()
    assert ROOT / "maps" / "karta.py" in modules and ROOT / "maps" / "html.py" in modules
    found = []
    for path in modules:
        name = str(path.relative_to(ROOT))
        found += [m for m in template_misuse(path.read_text("utf-8"), name)
                  if not (name in FOLIUM_ALLOWED and "no folium element" in m)]
    assert found == []

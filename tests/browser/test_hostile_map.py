"""Maps of a project with template and script payloads in every text, in a real browser:
the payloads show literally, nothing runs, the page script draws everything; and the
internal map's URL hash takes any input without stopping the script."""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from pathlib import Path

import pytest

from trygg.maps.karta import write_map
from trygg.maps.publik import write_public_map

pytestmark = pytest.mark.browser
BASEMAP = "https://tiles.example.invalid/{z}/{x}/{y}.png"


def _hostile_module():
    """tests/maps/hostile.py (the same module the map tests use)."""
    if "hostile" in sys.modules:
        return sys.modules["hostile"]
    spec = importlib.util.spec_from_file_location(
        "hostile", Path(__file__).resolve().parents[1] / "maps" / "hostile.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["hostile"] = module
    spec.loader.exec_module(module)
    return module


hostile_module = _hostile_module()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fientlig_webb")
    h = hostile_module.build_hostile_project(folder)
    h["intern"] = write_map(h["store"], folder / "karta.html", background=h["background"],
                            basemap=BASEMAP, attribution=h["everything"])
    h["publik"] = write_public_map(h["store"], folder / "publik.html",
                                   background=h["background"])
    return h


def open_map(page, path: Path, fragment: str = "", timeout: int = 30_000) -> None:
    page.goto(path.resolve().as_uri() + fragment)
    page.wait_for_function("document.documentElement.dataset.tryggReady === '1'",
                           timeout=timeout)


def page_errors(page) -> list[str]:
    """Errors but the tile requests the test blocks (the basemap is online).

    Popups fade out: the newest popup is the last ``.leaflet-popup-content``."""
    return [e for e in page.log.errors if "Failed to load resource" not in e]


def drawn(page) -> int:
    return page.evaluate("""() => Object.values(window.trygg.layers)
        .filter(l => window.trygg.map.hasLayer(l))
        .reduce((n, l) => n + l.getLayers().length, 0)""")


def nothing_ran(page, hostile) -> None:
    page.wait_for_timeout(300)
    assert page.log.dialogs == []
    assert page_errors(page) == []
    assert page.evaluate("() => document.querySelectorAll('img:not(.leaflet-tile)').length") == 0
    assert not hostile["marker"].exists()


def test_internal_map_shows_every_payload_literally(page, hostile):
    store, texts = hostile["store"], hostile["payloads"]
    open_map(page, hostile["intern"])
    assert drawn(page) == len(store.read_reports()) == 70
    assert page.title() == hostile["everything"]
    assert page.locator(".trygg-filter h1").text_content() == hostile["everything"]
    assert hostile["everything"] in page.locator(".leaflet-control-attribution").text_content()
    assert any(u.startswith("https://tiles.example.invalid/") for u in page.log.blocked)
    labels = page.locator(".leaflet-control-layers-overlays label").all_text_contents()
    legend = page.locator(".trygg-legend").text_content()
    for text in texts:
        assert any(label.strip() == text for label in labels)
        assert text in legend
    reports = store.read_reports()
    for text in texts:
        for rid in reports.loc[reports["description"] == text, "report_id"].iloc[[0, -1]]:
            shown = page.evaluate("""id => {
                const m = window.trygg.markers[id];
                m.fire("click", {latlng: m.getLatLng()}, true);
                const box = [...document.querySelectorAll(".leaflet-popup-content")].pop();
                return [box.textContent, box.querySelectorAll("*:not(div,dl,dt,dd,span)")
                        .length];
            }""", rid)
            assert shown[1] == 0
            assert text in shown[0] and rid in shown[0]
    names = page.evaluate("""() => {
        const layer = Object.entries(window.trygg.overlays)
            .find(([n]) => n.startsWith("Hotspotområden"))[1];
        return layer.getLayers().map(l => {
            l.openPopup(l.getBounds().getCenter());
            return [...document.querySelectorAll(".leaflet-popup-content .trygg-popup-title")]
                .pop().nextSibling.textContent;
        });
    }""")
    for i, text in enumerate(texts):
        assert any(hostile_module.place_name(i, text) in n for n in names)
    nothing_ran(page, hostile)


def test_public_map_shows_every_payload_literally(page, hostile):
    open_map(page, hostile["publik"])
    assert page.evaluate("() => window.trygg.layers.cells.getLayers().length") >= 7
    assert page.title() == hostile["everything"]
    assert page.locator(".trygg-title h1").text_content() == hostile["everything"]
    labels = page.locator(".leaflet-control-layers-overlays label").all_text_contents()
    titles = page.evaluate("""() => window.trygg.layers.hotspots.getLayers().map(l => {
        l.openPopup(l.getBounds().getCenter());
        return [...document.querySelectorAll(".leaflet-popup-content .trygg-popup-title")]
            .pop().textContent;
    })""")
    for i, text in enumerate(hostile["payloads"]):
        assert any(label.strip() == f"Bakgrund: {text}" for label in labels)
        assert hostile_module.place_name(i, text) in titles
    nothing_ran(page, hostile)


#: URL fragments a link may carry; none may stop the page script. The first ones are
#: opened as links (the script reads the hash at start), all of them are then typed in
#: after load (the script reads the hash again on ``hashchange``).
OPENED = ["#from=%", "#hs=__proto__", "#cat=constructor", "#z=abc&x=1e999",
          "#c=1e999,5&z=3"]
FRAGMENTS = OPENED + [
    "#hs=toString&src=__proto__,constructor&kind=hasOwnProperty", "#z=99&c=91,181",
    "#z=3&c=NaN,Infinity", "#%E0%A4%A", "#&&==&=&%", "#=%zz", "#h=99-99&from=2025-13-45&to=%ZZ",
    "#__proto__=1&constructor=2", "#hs=%F0%9F%92%A5&cat=%00", "#" + "&".join(["z=1"] * 2000)]
_rnd = random.Random(8)
FRAGMENTS += ["#" + "".join(_rnd.choice("%&=,#:-._~?/aZ09\u00e5\u2028\"'<>{}") for _ in
                            range(_rnd.randint(1, 60))) for _ in range(20)]


def test_any_url_fragment_leaves_the_map_working(page, hostile):
    total = len(hostile["store"].read_reports())
    for fragment in OPENED:
        page.goto("about:blank")
        open_map(page, hostile["intern"], fragment, timeout=10_000)
        assert page_errors(page) == [], fragment
        state = page.evaluate("() => window.trygg.state()")
        assert state["area"] == "", fragment
        assert all(isinstance(v, list) for v in (state["cat"], state["src"], state["kind"]))
        assert drawn(page) == (0 if "cat=" in fragment else total), fragment
        assert page.evaluate("() => window.trygg.map.getZoom()") <= 22
    for fragment in FRAGMENTS:  # typed into the address bar of the open map
        after = page.evaluate("""f => new Promise(done => {
            const report = () => done([window.location.hash, window.trygg.state().area]);
            window.addEventListener("hashchange", () => setTimeout(report, 0), {once: true});
            setTimeout(report, 1000);
            window.location.hash = f;
        })""", fragment)
        assert page_errors(page) == [], fragment
        assert after[1] == "", fragment
        # the script ran to the end: it wrote the view back into the hash
        assert re.search(r"[#&]z=\d+&c=[-\d.]+,[-\d.]+$", after[0]), fragment
    page.evaluate("() => { window.location.hash = 'z=12&c=60.0,17.2'; }")
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.trygg.map.getZoom()") == 12
    page.locator(".trygg-reset").click()
    assert drawn(page) == total
    assert page.log.dialogs == []


def test_hostile_street_and_place_names_are_shown_literally(page, hostile, tmp_path):
    """Names from the gazetteer and the background's streets, on both maps: literal
    text at their points, nothing run."""
    texts = hostile["payloads"]
    intern = write_map(hostile["store"], tmp_path / "namn.html",
                       background=[*hostile["background"], hostile["streets"]])
    for path in (intern, hostile["publik"]):
        open_map(page, path)
        shown = set()
        for i in range(len(texts)):
            centre = page.evaluate("""i => {
                const names = JSON.parse(document.getElementById("trygg-names").textContent);
                const place = names.labels.find(l => l.kind === "place" &&
                                                     l.text.startsWith("Plats " + i + " "));
                return [place.lat, place.lon];
            }""", i)
            page.evaluate("c => { window.trygg.map.setView(c, 17, {animate: false}); }",
                          centre)
            page.wait_for_timeout(100)
            shown |= set(page.locator(".trygg-name-text").all_text_contents())
        for i, text in enumerate(texts):
            assert hostile_module.place_name(i, text) in shown
            assert hostile_module.street_name(i, text) in shown
        assert page.locator(".trygg-name *").count() == page.locator(
            ".trygg-name .trygg-name-text").count()  # no element but the text's own
        nothing_ran(page, hostile)

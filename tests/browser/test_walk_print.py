"""The walk protocol (vandring.html) and a walk on the map, in a real browser, offline."""

from __future__ import annotations

import datetime
import importlib.util
import sys
from pathlib import Path

import pytest

from trygg.maps.karta import write_map
from trygg.maps.walk_protocol import write_walk_protocol

pytestmark = pytest.mark.browser
MAPS_TESTS = Path(__file__).resolve().parents[1] / "maps"
HOSTILE = '<img src=x onerror=alert(1)>'


def _module(name: str):
    """A helper module of tests/maps (walkfake.py, hostile.py), as the map tests use it."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, MAPS_TESTS / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


walkfake = _module("walkfake")

#: Elements of the page that stick out to the right of the page body.
OVERFLOWING = """() => {
    const right = document.getElementById("trygg-document").getBoundingClientRect().right;
    return [...document.querySelectorAll("#trygg-document *")]
        .filter(e => e.getBoundingClientRect().right > right + 1)
        .map(e => e.tagName + "." + (e.getAttribute("class") || "") + ": " +
                  (e.textContent || "").slice(0, 40));
}"""


def open_document(page, path):
    page.goto(path.resolve().as_uri())
    page.wait_for_selector("html[data-ready]")


def test_the_protocol_draws_the_numbered_route_offline_and_prints_on_a4(page, tmp_path):
    from pypdf import PdfReader

    out = write_walk_protocol(walkfake.fake_plan(), tmp_path / "vandring.html")
    open_document(page, out)
    assert page.log.errors == [] and page.log.blocked == []
    assert all(u.startswith(("file:", "data:")) for u in page.log.requests)
    svg = page.locator(".trygg-map-svg")
    assert svg.count() == 1
    assert svg.locator("text.trygg-map-label").all_text_contents() == ["S", "1", "2", "3", "4"]
    route = svg.locator("path[stroke='#7b1f4b']")
    assert route.count() == 1 and route.get_attribute("d").count("L") == 5  # start, 4, back
    assert svg.locator("path.trygg-north").count() == 1
    assert page.locator(".trygg-boxes").count() == 4
    assert page.locator(".trygg-boxes").first.locator(".trygg-box").count() == 9 * 4
    page.emulate_media(media="print")
    assert page.evaluate(OVERFLOWING) == []
    pdf = tmp_path / "vandring.pdf"
    page.pdf(path=str(pdf), format="A4")
    reader = PdfReader(str(pdf))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert 4 <= len(reader.pages) <= 12
    for words in ("Trygghetsvandring: Centrum, 2026-10-14", "Borgerlig skymning slutar",
                  "Stopp 1: Busstationen", "Stopp 4: Torget", "Syns ansikten på 4 meters",
                  "Känsla av trygghet", "Fotoreferens", "Fastighetsägare", "Mörkt"):
        assert words in text, words
    # each stop starts on a page of its own
    starts = [i for i, p in enumerate(reader.pages) if "Stopp 1: Busstationen" in
              p.extract_text()]
    assert starts and reader.pages[starts[0]].extract_text().lstrip().split("\n")[0] in (
        "Stopp 1: Busstationen", "Internt — innehåller rapporttexter, sprid inte")


def test_hostile_names_in_the_protocol_show_literally_and_run_nothing(page, tmp_path):
    plan = walkfake.fake_plan(places=[HOSTILE, "{{ 7*7 }}", "</script>", "\"'"],
                              texts=[HOSTILE] * 4)
    plan.area_name = HOSTILE
    open_document(page, write_walk_protocol(plan, tmp_path / "vandring.html"))
    assert page.locator("img").count() == 0 and page.log.dialogs == []
    assert page.locator("h1").text_content().startswith(f"Trygghetsvandring: {HOSTILE}")
    assert page.locator("h2", has_text="Stopp 1:").text_content() == f"Stopp 1: {HOSTILE}"
    assert page.log.errors == [] and page.log.blocked == []


def test_long_names_and_texts_stay_on_the_page(page, tmp_path):
    plan = walkfake.fake_plan(places=["Å" * 200, "b", "c", "d"], texts=["T" * 300] * 4)
    open_document(page, write_walk_protocol(plan, tmp_path / "vandring.html"))
    page.emulate_media(media="print")
    assert page.evaluate(OVERFLOWING) == []


def test_the_map_with_a_walk_run_shows_the_numbered_stops_and_open_actions(page, tmp_path):
    store = walkfake.walk_project(tmp_path)
    out = write_map(store, tmp_path / "karta.html", runs=["kvall"],
                    today=datetime.date(2026, 6, 1))
    page.goto(out.resolve().as_uri())
    page.wait_for_function("document.documentElement.dataset.tryggReady === '1'",
                           timeout=30_000)
    assert page.log.errors == [] and page.log.blocked == []
    labels = page.locator(".leaflet-control-layers-overlays label").all_text_contents()
    assert any("Trygghetsvandring (stopp och rutt) – kvall" in t for t in labels)
    assert any("Öppna åtgärder" in t for t in labels)
    page.evaluate("""() => window.trygg.map.fitBounds(
        window.trygg.overlays["Trygghetsvandring (stopp och rutt) – kvall"].getBounds(),
        {animate: false})""")
    page.wait_for_timeout(300)
    numbers = page.locator(".leaflet-tooltip.trygg-stop")
    assert numbers.all_text_contents() == ["1", "2", "3", "4"]
    box = numbers.first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5_000)
    text = popup.inner_text()
    assert "Busstationen" in text and "Bristande belysning 4" in text
    assert page.locator("img:not(.leaflet-tile)").count() == 0  # circles, no marker images

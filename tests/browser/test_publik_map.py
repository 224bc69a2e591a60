"""The public map in a real browser, offline: cells drawn, popups with figures ≥ k,
no report markers, nothing loaded from the network."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trygg.layers.store import open_project
from trygg.maps.publik import write_public_map

pytestmark = pytest.mark.browser
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def public_html(demo, mixed_demo, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("publik_browser")
    store = open_project(mixed_demo)
    return write_public_map(store, folder / "karta_publik.html",
                            background=[demo["data"] / "kommun.gpkg"])


def open_map(page, path: Path) -> None:
    page.goto(path.resolve().as_uri())
    page.wait_for_function("document.documentElement.dataset.tryggReady === '1'",
                           timeout=30_000)


def numbers(text: str) -> list[int]:
    return [int(n.replace("\u00a0", "")) for n in re.findall(r"\d[\d\u00a0]*", text)]


def test_cells_are_drawn_offline_without_markers(page, public_html):
    open_map(page, public_html)
    assert page.log.errors == []
    assert page.log.blocked == []
    assert all(u.startswith(("file:", "data:", "blob:")) for u in page.log.requests)
    cells = page.evaluate("() => window.trygg.layers.cells.getLayers().length")
    assert cells > 20
    assert page.evaluate("() => window.trygg.map.hasLayer(window.trygg.layers.cells)")
    markers = page.evaluate("""() => {
        let n = 0;
        window.trygg.map.eachLayer(l => {
            if (l instanceof L.Marker || l instanceof L.CircleMarker) { n += 1; }
        });
        return n;
    }""")
    assert markers == 0
    assert page.locator(".leaflet-marker-icon").count() == 0
    assert page.locator("canvas.leaflet-zoom-animated").count() >= 1
    assert page.locator(".trygg-publik").inner_text() == (
        "Publik — sammanställda uppgifter, k ≥ 3")
    assert page.locator(".trygg-synthetic").inner_text().startswith("SYNTETISKA DATA")
    assert page.locator(".trygg-intern").count() == 0
    assert page.locator(".trygg-legend .trygg-swatch").count() >= 3
    labels = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert any("Rapporter per ruta" in t for t in labels)
    assert any("Hotspotområden" in t for t in labels)


def test_a_cell_popup_opens_on_click_with_counts_of_at_least_k(page, public_html):
    open_map(page, public_html)
    # The busiest cell; zoom there and click its centre with the mouse.
    x, y = page.evaluate("""() => {
        const map = window.trygg.map;
        const cells = window.trygg.layers.cells.getLayers();
        const top = cells.reduce((a, b) => b.feature.properties.n > a.feature.properties.n
                                 ? b : a);
        const c = top.getBounds().getCenter();
        map.setView(c, 17, {animate: false});
        const p = map.latLngToContainerPoint(c);
        const r = map.getContainer().getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    }""")
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5_000)
    text = popup.inner_text()
    assert "Rapporter" in text and "Kategorier" in text
    counts = numbers(text.split("Period")[0])
    assert counts and min(counts) >= 3
    figures = page.locator(".leaflet-popup-content dd").all_inner_texts()
    cats = [int(t.replace("\u00a0", "")) for t in figures[2:]]
    assert cats and all(c >= 3 for c in cats)
    assert sum(cats) == numbers(figures[0])[0]
    assert page.log.errors == []


def test_a_hotspot_popup_shows_figures_of_at_least_k(page, public_html):
    open_map(page, public_html)
    page.evaluate("""() => {
        const first = window.trygg.layers.hotspots.getLayers()[0];
        window.trygg.map.fitBounds(first.getBounds(), {animate: false});
        first.openPopup(first.getBounds().getCenter());
    }""")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5_000)
    text = popup.inner_text()
    assert "Rang" in text and "Rapporter" in text
    dds = page.locator(".leaflet-popup-content dd").all_inner_texts()
    dts = page.locator(".leaflet-popup-content dt").all_inner_texts()
    n = int(dds[dts.index("Rapporter")].replace("\u00a0", ""))
    assert n >= 3
    assert page.log.errors == [] and page.log.dialogs == []

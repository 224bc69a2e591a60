"""The maps on a phone, on a desktop and on paper: panels fold away and keep the map
visible, nothing overlaps, the printed page explains itself, and the Swedish map shows no
English words."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pytest

from trygg.layers.store import open_project
from trygg.maps.publik import write_public_map

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 900}
#: Every control, panel and banner drawn over the map.
CONTROLS = ".leaflet-control, .trygg-banner span"
#: English words that must not appear on the Swedish map (whole words).
ENGLISH = re.compile(r"\b(Zoom|Layers|Reports?|Hot ?spots? areas?|Hot spots?|Class|Show|"
                     r"Legend|About|Source|Rank|ft|mi)\b")


@pytest.fixture(scope="module")
def maps(demo, mixed_demo, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("layout")
    public = write_public_map(open_project(mixed_demo), folder / "karta_publik.html",
                              background=[demo["data"] / "kommun.gpkg"])
    return {"intern": demo["map"], "publik": public}


def open_map(page, path: Path, viewport: dict) -> None:
    page.set_viewport_size(viewport)
    page.goto(path.resolve().as_uri())
    page.wait_for_function("document.documentElement.dataset.tryggReady === '1'",
                           timeout=30_000)


BOXES = """sel => [...document.querySelectorAll(sel)]
    .filter(e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
                   return r.width > 0 && r.height > 0 && s.display !== "none"
                          && s.visibility !== "hidden"; })
    .map(e => { const r = e.getBoundingClientRect();
                return {name: e.className, left: r.left, top: r.top, right: r.right,
                        bottom: r.bottom}; })"""


def boxes(page, selector: str = CONTROLS) -> list[dict]:
    return page.evaluate(BOXES, selector)


def overlaps(found: list[dict], tolerance: float = 0.5) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(found):
        for b in found[i + 1:]:
            w = min(a["right"], b["right"]) - max(a["left"], b["left"])
            h = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            if w > tolerance and h > tolerance:
                out.append((a["name"], b["name"]))
    return out


def covered_share(page) -> float:
    """The share of the map container under a visible control, panel or banner (the
    union of their boxes, on a 2-pixel raster)."""
    return page.evaluate("""sel => {
        const m = window.trygg.map.getContainer().getBoundingClientRect();
        const W = Math.ceil(m.width / 2), H = Math.ceil(m.height / 2);
        const grid = new Uint8Array(W * H);
        const els = [...document.querySelectorAll(sel + ", .trygg-banner")];
        els.forEach(e => {
            const r = e.getBoundingClientRect(), s = getComputedStyle(e);
            if (!r.width || !r.height || s.display === "none") { return; }
            const x0 = Math.max(0, Math.floor((r.left - m.left) / 2));
            const x1 = Math.min(W, Math.ceil((r.right - m.left) / 2));
            const y0 = Math.max(0, Math.floor((r.top - m.top) / 2));
            const y1 = Math.min(H, Math.ceil((r.bottom - m.top) / 2));
            for (let y = y0; y < y1; y += 1) { grid.fill(1, y * W + x0, y * W + x1); }
        });
        return grid.reduce((a, b) => a + b, 0) / (W * H);
    }""", CONTROLS)


PANELS = {"intern": ["Filter", "Lager", "Teckenförklaring", "Om kartan"],
          "publik": ["Detaljer", "Lager", "Teckenförklaring", "Om kartan"]}


def toggles(page):
    return page.locator(".trygg-toggle:visible")


def content_visible(page, label: str) -> bool:
    """Whether the panel of the toggle ``label`` shows more than its button."""
    return page.evaluate("""label => {
        const t = [...document.querySelectorAll(".trygg-toggle")]
            .find(b => b.textContent === label);
        const panel = t.closest(".trygg-panel");
        return [...panel.children].some(c => !c.classList.contains("trygg-toggle")
            && !c.classList.contains("trygg-keep") && c.getBoundingClientRect().height > 0);
    }""", label)


@pytest.mark.parametrize("kind", ["intern", "publik"])
def test_on_a_phone_the_map_keeps_most_of_the_screen(page, maps, kind):
    open_map(page, maps[kind], PHONE)
    assert page.log.errors == []
    assert sorted(toggles(page).all_inner_texts()) == sorted(PANELS[kind])
    assert not [label for label in PANELS[kind] if content_visible(page, label)]
    share = covered_share(page)
    assert share <= 0.40, f"{share:.0%} of the map is covered on opening"
    # the banners are one line each and start below no control: the top controls below them
    strip = boxes(page, ".trygg-banner")[0]
    assert strip["bottom"] - strip["top"] <= 50
    assert overlaps(boxes(page)) == []


@pytest.mark.parametrize("kind", ["intern", "publik"])
def test_on_a_phone_every_panel_opens_and_closes(page, maps, kind):
    open_map(page, maps[kind], PHONE)
    for label in PANELS[kind]:
        button = page.locator(".trygg-toggle", has_text=label)
        button.click()
        assert button.get_attribute("aria-expanded") == "true"
        assert content_visible(page, label), f"{label} did not open"
        button.click()
        assert button.get_attribute("aria-expanded") == "false"
        assert not content_visible(page, label), f"{label} did not close"
    banner = page.locator(".trygg-banner")
    one_line = banner.bounding_box()["height"]
    banner.click()
    assert banner.get_attribute("aria-expanded") == "true"
    assert banner.bounding_box()["height"] > one_line
    banner.click()
    assert banner.get_attribute("aria-expanded") == "false"
    assert banner.bounding_box()["height"] == one_line
    assert page.log.errors == []


@pytest.mark.parametrize("kind", ["intern", "publik"])
def test_on_a_phone_touch_targets_are_44_pixels(page, maps, kind):
    open_map(page, maps[kind], PHONE)
    selector = (".trygg-toggle, .leaflet-control-zoom a, .trygg-banner span, "
                ".trygg-filter label:not(.trygg-inline), .trygg-filter select, "
                ".trygg-reset, .leaflet-control-layers-overlays label")
    targets = boxes(page, selector)
    for label in PANELS[kind]:  # what each panel holds, opened one at a time
        button = page.locator(".trygg-toggle", has_text=label)
        button.click()
        targets += boxes(page, selector)
        button.click()
    assert len(targets) >= 40
    small = {(t["name"], round(t["right"] - t["left"]), round(t["bottom"] - t["top"]))
             for t in targets if t["bottom"] - t["top"] < 44 or t["right"] - t["left"] < 44}
    assert small == set()


@pytest.mark.parametrize("viewport", [DESKTOP, {"width": 1024, "height": 768}])
@pytest.mark.parametrize("kind", ["intern", "publik"])
def test_on_a_desktop_nothing_overlaps(page, maps, kind, viewport):
    open_map(page, maps[kind], viewport)
    assert [label for label in PANELS[kind] if content_visible(page, label)] == \
        PANELS[kind][:3]
    assert overlaps(boxes(page)) == []
    page.locator(".trygg-toggle", has_text="Om kartan").click()
    assert content_visible(page, "Om kartan")
    assert overlaps(boxes(page)) == []
    assert page.log.errors == []


@pytest.mark.parametrize("viewport", [{"width": 768, "height": 1024},
                                      {"width": 844, "height": 390},
                                      {"width": 360, "height": 640}])
@pytest.mark.parametrize("kind", ["intern", "publik"])
def test_tablets_and_phones_on_their_side_open_folded(page, maps, kind, viewport):
    open_map(page, maps[kind], viewport)
    assert not [label for label in PANELS[kind] if content_visible(page, label)]
    assert overlaps(boxes(page)) == []
    assert covered_share(page) <= 0.40


def test_the_hotspot_popup_is_not_hidden_under_the_banner_or_a_panel(page, maps):
    for viewport in (DESKTOP, PHONE):
        open_map(page, maps["intern"], viewport)
        page.evaluate("""() => {
            const l = Object.entries(window.trygg.overlays)
                .find(([n]) => n.startsWith("Hotspotområden"))[1];
            const f = l.getLayers().find(x => x.feature.properties.rank === 1);
            const map = window.trygg.map, c = f.getBounds().getCenter();
            map.setView(c, 16, {animate: false});
            map.panBy([0, map.getSize().y / 2 - 15], {animate: false});  // near the top
            f.openPopup(c);
        }""")
        page.wait_for_timeout(600)
        popup = page.locator(".leaflet-popup").bounding_box()
        banner = max(b["bottom"] for b in boxes(page, ".trygg-banner span"))
        assert popup["y"] >= banner, viewport
        under = [pair for pair in overlaps(boxes(page, ".leaflet-popup") + boxes(page))
                 if "leaflet-popup" in pair[0]]
        assert under == [], viewport


def print_view(page) -> None:
    page.emulate_media(media="print")
    page.wait_for_function("() => window.TryggUI.printed !== undefined")
    page.wait_for_timeout(200)


def pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in reader.pages))
    return " ".join(text.split())  # NFKC: the ligature "ﬁ" is "fi"


def test_the_printed_map_stands_alone(page, maps, demo):
    store = open_project(demo["project"])
    open_map(page, maps["intern"], DESKTOP)
    categories = page.evaluate("() => JSON.parse(document.getElementById('trygg-data')"
                               ".textContent).categories.map(c => c.label)")
    print_view(page)
    found = boxes(page)
    names = " ".join(b["name"] for b in found)
    for part in ("trygg-filter", "trygg-print-key", "trygg-legend", "leaflet-control-scale",
                 "trygg-north", "trygg-synthetic", "trygg-intern"):
        assert part in names
    assert "leaflet-control-layers" not in names and "leaflet-control-zoom" not in names
    assert overlaps(found) == []
    # no report lies under the title, the key, a legend or the scale
    hidden = page.evaluate("""sel => {
        const map = window.trygg.map, m = map.getContainer().getBoundingClientRect();
        const rects = [...document.querySelectorAll(sel)].map(e => e.getBoundingClientRect())
            .filter(r => r.width > 0 && r.height > 0);
        let n = 0, under = 0;
        Object.values(window.trygg.layers).forEach(g => g.eachLayer(mk => {
            const p = map.latLngToContainerPoint(mk.getLatLng());
            const x = m.left + p.x, y = m.top + p.y;
            n += 1;
            if (rects.some(r => x >= r.left && x <= r.right && y >= r.top && y <= r.bottom)) {
                under += 1;
            }
        }));
        return [n, under];
    }""", CONTROLS)
    assert hidden[0] > 1000 and hidden[1] == 0
    text = pdf_text(page.pdf(format="A4", landscape=True))
    assert store.name in text
    assert "Period: 2024-10-01 – 2026-09-30" in text
    assert "SYNTETISKA DATA" in text and "Intern" in text
    assert "Kategorier" in text
    missing = [c for c in categories if " ".join(c.split()) not in text]
    assert missing == []
    assert "Hotspots (Gi*-analys, 300 m rutor)" in text
    assert re.search(r"\b\d+ k?m\b", text)
    assert not re.search(r"\b\d+ (mi|ft)\b", text)


def test_the_printed_public_map_stands_alone(page, maps):
    open_map(page, maps["publik"], DESKTOP)
    print_view(page)
    found = boxes(page)
    names = " ".join(b["name"] for b in found)
    for part in ("trygg-title", "trygg-legend", "leaflet-control-scale", "trygg-north",
                 "trygg-publik"):
        assert part in names
    assert overlaps(found) == []
    text = pdf_text(page.pdf(format="A4", landscape=True))
    assert "Rapporter per ruta (250 m)" in text and "Publik" in text
    assert "Period:" in text


def visible_text_with_everything_open(page) -> str:
    for i in range(toggles(page).count()):
        button = toggles(page).nth(i)
        if button.get_attribute("aria-expanded") == "false":
            button.click()
    page.locator(".trygg-banner").click()
    texts = [page.evaluate("() => document.body.innerText")]
    popups = """kind => {
        const o = Object.entries(window.trygg.overlays || {})
            .find(([n, l]) => l.getLayers && l.getLayers()[0]
                  && JSON.parse(document.getElementById('trygg-data').textContent)
                      .overlays.find(x => x.name === n && x.kind === kind));
        if (!o) { return false; }
        const f = o[1].getLayers()[0];
        window.trygg.map.closePopup();
        window.trygg.map.fitBounds(f.getBounds(), {animate: false});
        f.openPopup(f.getBounds().getCenter());
        return true;
    }"""
    for kind in ("gistar", "hotspots"):
        if page.evaluate(popups, kind):
            page.wait_for_timeout(400)  # a closed popup fades out for 200 ms
            texts.append(page.locator(".leaflet-popup-content").inner_text())
    texts += [page.evaluate(
        "() => [...document.querySelectorAll('[title], [aria-label]')].map(e => "
        "(e.getAttribute('title') || '') + ' ' + (e.getAttribute('aria-label') || ''))"
        ".join(' ')")]
    return "\n".join(texts)


def test_the_swedish_map_shows_no_english_words(page, maps, demo, tmp_path):
    from trygg.maps.karta import write_map

    open_map(page, maps["intern"], DESKTOP)
    report = open_project(demo["project"]).read_reports().dropna(
        subset=["description"]).iloc[0]["report_id"]
    page.evaluate("""id => {
        const m = window.trygg.markers[id];
        window.trygg.map.setView(m.getLatLng(), 19, {animate: false});
        m.fire("click", {latlng: m.getLatLng()}, true);
    }""", report)
    page.wait_for_timeout(300)
    popup = page.locator(".leaflet-popup-content").inner_text()
    assert "Källa" in popup
    text = popup + "\n" + visible_text_with_everything_open(page)
    assert "Sannolikhet att det är slumpen" in text and "Om kartan" in text
    assert ENGLISH.findall(text) == []
    assert page.evaluate("() => document.documentElement.lang") == "sv"
    assert page.locator(".leaflet-control-zoom-in").get_attribute("title") == "Zooma in"
    # the same words are found on the English map: the check can fail
    english = write_map(open_project(demo["project"]), tmp_path / "en.html", lang="en")
    open_map(page, english, DESKTOP)
    found = set(ENGLISH.findall(visible_text_with_everything_open(page)))
    assert {"Layers", "Show", "About", "Legend"} <= found


def test_the_swedish_public_map_shows_no_english_words(page, maps):
    open_map(page, maps["publik"], DESKTOP)
    text = visible_text_with_everything_open(page)
    assert ENGLISH.findall(text) == []
    assert page.evaluate("() => document.documentElement.lang") == "sv"

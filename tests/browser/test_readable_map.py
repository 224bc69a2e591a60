"""The demo maps are readable at every zoom, in a real browser: no two labels overlap,
reports are small and faded when zoomed out and full at street level, analysis fills
let the streets show through, and street, place and town names appear at their zooms."""

from __future__ import annotations

import pytest

from trygg.layers.store import open_project

pytestmark = pytest.mark.browser

#: Visible labels (hotspot ranks and names) inside the map, as
#: [class, text, left, top, right, bottom] in CSS pixels.
VISIBLE_LABELS = """() => {
    const view = window.trygg.map.getContainer().getBoundingClientRect();
    return [...document.querySelectorAll(".leaflet-tooltip.trygg-rank, .trygg-name-text")]
        .filter(e => getComputedStyle(e).visibility !== "hidden")
        .map(e => [e.closest(".trygg-name") ? e.closest(".trygg-name").className
                   : "trygg-rank", e.textContent, ...(r => [r.left, r.top, r.right,
                   r.bottom])(e.getBoundingClientRect())])
        .filter(b => b[4] > view.left && b[2] < view.right && b[5] > view.top &&
                     b[3] < view.bottom && b[4] > b[2]);
}"""
#: Radius and fill opacity of every report marker on the map.
MARKERS = """() => Object.values(window.trygg.layers)
    .filter(l => window.trygg.map.hasLayer(l))
    .flatMap(l => l.getLayers().map(m => [m.options.radius, m.options.fillOpacity,
                                          m.options.weight]))"""


#: Town names not shown, each with whether a panel, legend or banner covers its point.
HIDDEN_TOWNS = """() => [...document.querySelectorAll(".trygg-name-town .trygg-name-text")]
    .filter(e => getComputedStyle(e).visibility === "hidden")
    .map(e => { const r = e.getBoundingClientRect();
        return [e.textContent, [...document.querySelectorAll(
            ".leaflet-control, .trygg-banner > *")].some(c => {
                const b = c.getBoundingClientRect();
                return r.left < b.right && b.left < r.right && r.top < b.bottom &&
                    b.top < r.bottom; })]; })"""


#: Boxes of the panels, legends and banners on the map, as VISIBLE_LABELS gives them.
CONTROLS = """() => [...document.querySelectorAll(".leaflet-control, .trygg-banner > *")]
    .map(e => ["control", e.className, ...(r => [r.left, r.top, r.right, r.bottom])(
        e.getBoundingClientRect())]).filter(b => b[4] > b[2])"""


def open_map(page, path):
    page.goto(path.resolve().as_uri())
    page.wait_for_function("document.documentElement.dataset.tryggReady === '1'",
                           timeout=30_000)


def settle(page, before: int) -> None:
    """Wait for a collision pass after ``before`` passes."""
    page.wait_for_function(f"window.trygg.declutterPasses > {before}", timeout=5_000)


def view(page, centre, zoom: int) -> None:
    before = page.evaluate("() => window.trygg.declutterPasses")
    page.evaluate("([c, z]) => { window.trygg.map.setView(c, z, {animate: false}); }",
                  [centre, zoom])
    settle(page, before)


def overlapping(boxes) -> list:
    pairs = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a[2] < b[4] and b[2] < a[4] and a[3] < b[5] and b[3] < a[5]:
                pairs.append((a[1], b[1]))
    return pairs


@pytest.fixture(scope="module")
def centres(demo):
    """WGS84 [lat, lon] of the rank-1 hotspot and of Strandvik's centre."""
    import geopandas as gpd

    store = open_project(demo["project"])
    areas = store.read_layer("hotspots_clusters").to_crs(4326)
    first = areas.sort_values("rank").geometry.iloc[0].centroid
    town = gpd.read_file(demo["data"] / "kommun.gpkg", layer="tatorter").to_crs(4326)
    middle = town[town["namn"] == "Strandvik"].geometry.iloc[0].centroid
    return {"hotspot": [first.y, first.x], "strandvik": [middle.y, middle.x]}


def test_at_the_opening_zoom_no_labels_overlap_and_towns_are_named(page, demo):
    open_map(page, demo["map"])
    zoom = page.evaluate("() => window.trygg.map.getZoom()")
    assert zoom <= 12, "the demo opens on the whole municipality"
    boxes = page.evaluate(VISIBLE_LABELS)
    assert overlapping(boxes) == []
    controls = page.evaluate(CONTROLS)
    assert len(controls) >= 4
    assert [(b[1], c[1]) for b in boxes for c in controls if overlapping([b, c])] == []
    texts = [b[1] for b in boxes]
    assert "Strandvik" in texts
    hidden = page.evaluate(HIDDEN_TOWNS)  # only beneath a panel (Björkås at 1280 px)
    assert {"Strandvik", "Björkås", "Lillmora"} <= set(texts) | {t for t, _ in hidden}
    assert all(covered for _, covered in hidden), hidden
    assert "1" in texts  # the first hotspot's rank is never the one given up
    ranks = page.locator(".trygg-rank").count()
    assert 1 <= sum(1 for b in boxes if b[0] == "trygg-rank") < ranks  # some gave way
    # no street names at this zoom
    assert page.locator(".trygg-name-street").count() == 0
    assert page.log.errors == []


def test_markers_are_small_and_faded_zoomed_out_and_full_at_street_level(page, demo,
                                                                         centres):
    open_map(page, demo["map"])
    markers = page.evaluate(MARKERS)
    assert len(markers) > 1000
    assert all(r < 6 and o < 0.85 for r, o, _ in markers)
    view(page, centres["hotspot"], 16)
    markers = page.evaluate(MARKERS)
    assert len(markers) > 1000
    assert all(r == 6 and o == 0.85 and w == 1 for r, o, w in markers)
    view(page, centres["hotspot"], 11)
    assert all(r < 6 for r, _, _ in page.evaluate(MARKERS))


def test_street_and_place_names_appear_at_street_level_without_overlap(page, demo,
                                                                       centres):
    import geopandas as gpd

    streets = set(gpd.read_file(demo["data"] / "kommun.gpkg", layer="gator")["namn"])
    open_map(page, demo["map"])
    for zoom in (14, 15, 16, 17):
        view(page, centres["strandvik"], zoom)
        boxes = page.evaluate(VISIBLE_LABELS)
        assert overlapping(boxes) == [], zoom
        shown = {b[1] for b in boxes if "trygg-name-street" in b[0]}
        assert shown and shown <= streets, zoom
        assert any("trygg-name-place" in b[0] for b in boxes), zoom
    # towns give way to streets and places once zoomed in close
    assert not any("trygg-name-town" in b[0] for b in page.evaluate(VISIBLE_LABELS))
    # street names follow their street: some are turned
    turned = page.evaluate("""() => [...document.querySelectorAll(
        ".trygg-name-street .trygg-name-text")].filter(e => /rotate/.test(e.style.transform))
        .length""")
    assert turned > 0
    assert page.log.errors == []


def test_names_layer_can_be_turned_off(page, demo, centres):
    open_map(page, demo["map"])
    view(page, centres["strandvik"], 16)
    box = page.locator(".leaflet-control-layers-overlays label",
                       has_text="Gatu- och ortnamn").locator("input")
    box.uncheck()
    assert page.locator(".trygg-name-text").count() == 0
    box.check()
    page.wait_for_timeout(100)
    assert page.locator(".trygg-name-text").count() > 0


def test_analysis_fills_thin_out_at_street_level(page, demo, centres):
    gistar = """() => {
        const layer = Object.entries(window.trygg.overlays)
            .find(([n]) => n.startsWith("Gi*"))[1];
        return layer.getLayers().map(l => [l.options.fillOpacity, l.options.stroke]);
    }"""
    open_map(page, demo["map"])
    assert all(o == 0.55 and s is False for o, s in page.evaluate(gistar))
    view(page, centres["hotspot"], 17)
    assert all(o < 0.1 and s is True for o, s in page.evaluate(gistar))
    view(page, centres["hotspot"], 12)
    assert all(o == 0.55 and s is False for o, s in page.evaluate(gistar))


def test_background_layers_show_swedish_names_and_their_own_styles(page, demo):
    open_map(page, demo["map"])
    labels = [t.strip() for t in
              page.locator(".leaflet-control-layers-overlays label").all_text_contents()]
    assert {"Kommungräns", "Tätorter", "Gator", "Byggnader", "Detaljplaner",
            "Gatu- och ortnamn"} <= set(labels)
    assert not {"kommun", "gator", "adresser", "platser"} & set(labels)
    swatches = page.evaluate("""() => [...document.querySelectorAll(".trygg-legend li")]
        .filter(li => li.querySelector(".trygg-bg-swatch"))
        .map(li => { const s = getComputedStyle(li.querySelector(".trygg-swatch"));
                     return [li.textContent, s.backgroundColor + s.backgroundImage +
                             s.borderStyle + s.borderColor + s.height]; })""")
    assert [s[0] for s in swatches] == ["Tätorter", "Byggnader", "Gator", "Detaljplaner",
                                        "Kommungräns"]
    assert len({s[1] for s in swatches}) == 5  # five different looks
    # streets: a grey casing beneath a white line
    colours = page.evaluate("""() => { const seen = [];
        window.trygg.map.eachLayer(l => { if (l.options && l.options.color) {
            seen.push(l.options.color); } });
        return seen; }""")
    assert colours.count("#ffffff") == colours.count("#a8a8a8") > 100


def test_public_map_is_readable_too(page, demo, centres):
    open_map(page, demo["map_publik"])
    boxes = page.evaluate(VISIBLE_LABELS)
    assert overlapping(boxes) == []
    hidden = page.evaluate(HIDDEN_TOWNS)
    assert {"Strandvik", "Björkås", "Lillmora"} <= {b[1] for b in boxes} | {
        t for t, covered in hidden if covered}
    cells = "() => window.trygg.layers.cells.getLayers().map(l => l.options.fillOpacity)"
    full = page.evaluate(cells)
    view(page, centres["strandvik"], 16)
    boxes = page.evaluate(VISIBLE_LABELS)
    assert overlapping(boxes) == []
    assert any("trygg-name-street" in b[0] for b in boxes)
    assert all(o < f for o, f in zip(page.evaluate(cells), full, strict=True))
    labels = page.locator(".leaflet-control-layers-overlays label").all_text_contents()
    assert any(t.strip() == "Bakgrund: Gator" for t in labels)
    assert page.log.errors == []

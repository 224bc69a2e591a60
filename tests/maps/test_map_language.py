"""The maps speak Swedish (English with lang="en") in everything they put on the page:
the page's language, Leaflet's own controls, the scale, numbers, labels and grammar."""

from __future__ import annotations

import json
import re

import pytest

from trygg.layers import labels
from trygg.layers.ingest import ingest_file
from trygg.layers.store import open_project
from trygg.maps.karta import report_map
from trygg.maps.page import render_map
from trygg.maps.publik import public_map

#: Jargon the pages used to show, and the run ids that were part of layer names.
JARGON = ("Gi* (z)", "p (justerat)", "p (adjusted)", "(gistar)", "(clusters)", "Gi*-hotspots")


def page_data(html: str) -> dict:
    return json.loads(re.search(r'id="trygg-data">(.*?)</script>', html, re.S).group(1))


@pytest.fixture(scope="module")
def demo_pages(demo):
    store = open_project(demo["project"])
    return {(kind, lang): render_map(make(store, lang=lang))
            for kind, make in (("intern", report_map), ("publik", public_map))
            for lang in ("sv", "en")}


@pytest.mark.parametrize("kind", ["intern", "publik"])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_page_names_its_language(demo_pages, kind, lang):
    html = demo_pages[kind, lang]
    assert re.search(r"<html[^>]*>", html).group() == f'<html lang="{lang}">'


@pytest.mark.parametrize("kind", ["intern", "publik"])
def test_leaflet_controls_in_swedish_and_a_metric_scale_only(demo_pages, kind):
    html = demo_pages[kind, "sv"]
    texts = page_data(html)["texts"]
    assert (texts["zoom_in"], texts["zoom_out"]) == ("Zooma in", "Zooma ut")
    assert texts["layers"] == "Lager"
    shown = json.dumps(page_data(html), ensure_ascii=False)
    assert not re.search(r"Zoom (in|out)|\b(ft|mi|feet|miles)\b", shown)
    # folium's scale (miles and feet beside metres) is gone; ui.js adds the metric one
    assert "L.control.scale()" not in html
    assert "L.control.scale({ metric: true, imperial: false" in html
    en = page_data(demo_pages[kind, "en"])["texts"]
    assert (en["zoom_in"], en["zoom_out"]) == ("Zoom in", "Zoom out")


def overlays(html: str) -> dict[str, dict]:
    return {o["kind"]: o for o in page_data(html)["overlays"]}


def test_numbers_in_popups_have_a_decimal_comma(demo_pages):
    sv, en = overlays(demo_pages["intern", "sv"]), overlays(demo_pages["intern", "en"])
    cells = [f["properties"] for f in sv["gistar"]["geojson"]["features"]]
    assert cells
    for p in cells:
        assert re.fullmatch(r"-?\d+,\d\d", p["gistar"]), p["gistar"]
        assert re.fullmatch(r"(< )?0,\d{3}", p["padj"]), p["padj"]
        assert isinstance(p["n"], int)
    for p in (f["properties"] for f in en["gistar"]["geojson"]["features"]):
        assert re.fullmatch(r"-?\d+\.\d\d", p["gistar"]) and "," not in p["padj"]
    areas = [f["properties"] for f in sv["hotspots"]["geojson"]["features"]]
    assert all(re.fullmatch(r"\d{1,3}\u00a0%", p["share_dark"]) for p in areas)


def test_labels_not_codes_in_the_page_data(demo_pages):
    for lang in ("sv", "en"):
        data = page_data(demo_pages["intern", lang])
        klass = labels.labels("klass", lang=lang)
        for o in data["overlays"]:
            shown = [f for f, _ in o["fields"]]
            assert "klass" not in shown and "hotspot_id" not in shown  # codes stay hidden
            for entry in o["legend"]:
                assert entry[1] not in klass  # a label, not a code
            if o["kind"] == "gistar":
                for f in o["geojson"]["features"]:
                    assert f["properties"]["klass_label"] == klass[f["properties"]["klass"]]
            text = json.dumps([o["name"], o["fields"], o["legend"]], ensure_ascii=False)
            assert not [j for j in JARGON if j in text], text
    names = [o["name"] for o in page_data(demo_pages["intern", "sv"])["overlays"]]
    assert "Hotspots (Gi*-analys, 300 m rutor)" in names
    assert "Hotspotområden (täta samlingar av rapporter)" in names


def test_om_kartan_explains_gistar_fdr_and_hotspot_areas(demo_pages):
    about = " ".join(page_data(demo_pages["intern", "sv"])["about"])
    assert "Gi*" in about and "FDR" in about and "Hotspotområde" in about
    assert "2024-10-01" in about and "Tyck till" in about
    public = " ".join(page_data(demo_pages["publik", "sv"])["about"])
    assert "250 m" in public and "färre än 3 rapporter" in public


def test_one_report_is_one_rapport(project, tmp_path):
    one = tmp_path / "en.csv"
    one.write_text("Ärende-ID;Källa;Datum;Kategori;Beskrivning;Plats;Organisation;Status;X;Y\n"
                   "TT-1;tycktill;2025-03-14 21:35;Klotter;Klotter;Storgatan 1;Invånare;"
                   "Öppen;621345,2;6655123,7\n", encoding="utf-8")
    ingest_file(project, one)
    data = page_data(render_map(report_map(project)))
    assert data["subtitle"][0] == "1 rapport"
    assert data["texts"]["showing_one"] == "Visar {n} av {total} rapport"
    assert page_data(render_map(report_map(project, lang="en")))["subtitle"][0] == "1 report"


def test_public_summary_counts_in_words(demo_pages):
    line = page_data(demo_pages["publik", "sv"])["subtitle"][0]
    assert re.fullmatch(r"[\d\u00a0]+ rapporter i \d+ rutor om 250 m", line), line


def test_weekdays_in_the_pages_language(demo_pages):
    def busiest(html, kind):
        data = page_data(html)
        features = (overlays(html)["hotspots"]["geojson"]["features"] if kind == "intern"
                    else data["hotspots"]["features"])
        return [f["properties"]["busiest"] for f in features if f["properties"]["busiest"]]

    for kind in ("intern", "publik"):
        sv, en = busiest(demo_pages[kind, "sv"], kind), busiest(demo_pages[kind, "en"], kind)
        assert sv and all(re.match(r"(mån|tis|ons|tor|fre|lör|sön) ", b) for b in sv)
        assert en and all(re.match(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) ", b) for b in en)

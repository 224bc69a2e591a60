"""A printable document in a real browser: drawn from data, offline, prints to A4."""

from __future__ import annotations

import shutil

import pytest

from trygg.layers.cameras.basis import site_facts
from trygg.layers.cameras.runs import run_cameras
from trygg.layers.store import open_project
from trygg.maps.camera_basis import write_camera_basis
from trygg.maps.document import write_document

pytestmark = pytest.mark.browser
HOSTILE = '<img src=x onerror=alert(1)>'


def test_a_document_shows_hostile_text_literally_and_runs_nothing(page, tmp_path):
    out = write_document(tmp_path / "d.html", HOSTILE, [
        {"h": HOSTILE}, {"p": HOSTILE}, {"table": {"columns": ["A"], "rows": [[HOSTILE]]}},
        {"map": {"layers": [{"label": HOSTILE, "geojson": {"type": "FeatureCollection",
                                                           "features": []}}],
                 "bbox": [0, 0, 100, 100]}}])
    page.goto(out.as_uri())
    page.wait_for_selector("html[data-ready]")
    assert page.locator("img").count() == 0 and page.log.dialogs == []
    assert page.locator("h1").text_content() == HOSTILE
    assert page.locator("td").first.text_content() == HOSTILE
    assert page.log.errors == [] and page.log.blocked == []


def test_the_camera_basis_prints_on_a4_with_its_map_and_checklist(page, demo, tmp_path):
    from pypdf import PdfReader

    path = tmp_path / "demo.gpkg"
    shutil.copy(demo["project"], path)
    store = open_project(path)
    kommun = demo["data"] / "kommun.gpkg"
    run = run_cameras(store, k=2, name="tryck", candidates=f"{kommun}:kamerakandidater",
                      buildings=f"{kommun}:byggnader")
    site = run.plan.sites.iloc[0]["site_id"]
    out = write_camera_basis(site_facts(store, "tryck", site), tmp_path / "underlag.html")
    page.goto(out.as_uri())
    page.wait_for_selector("html[data-ready]")
    assert page.locator(".trygg-map-svg").count() == 1
    assert page.locator(".trygg-map-svg path.trygg-north").count() == 1
    assert page.locator(".trygg-checklist li").count() == 8
    pdf = tmp_path / "underlag.pdf"
    page.pdf(path=str(pdf), format="A4")
    reader = PdfReader(str(pdf))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert 2 <= len(reader.pages) <= 6
    for words in (f"Kameraunderlag: {site}", "Intresseavvägningen steg för steg",
                  "Beslutsfattare", "Bevakningsområde", "N"):
        assert words in text, words
    assert page.log.errors == [] and page.log.blocked == []


def test_the_lagesbild_opens_offline_and_prints(page, demo, tmp_path):
    from pypdf import PdfReader

    from trygg.layers.lagesbild import situation
    from trygg.layers.periods import parse_range
    from trygg.maps.lagesbild import write_lagesbild

    store = open_project(demo["project"])
    html, _ = write_lagesbild(situation(store, parse_range("2025-Q4")), tmp_path,
                              project=store.name, period_name="2025-Q4", synthetic=True)
    page.goto(html.as_uri())
    page.wait_for_selector("html[data-ready]")
    assert page.locator("svg").count() >= 3  # bars by area, by category, weekday × hour
    assert all(u.startswith(("file:", "data:", "blob:")) for u in page.log.requests)
    assert page.log.errors == [] and page.log.blocked == []
    pdf = tmp_path / "lagesbild.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = " ".join(p.extract_text() for p in PdfReader(str(pdf)).pages)
    for words in ("Lägesbild 2025-Q4", "Per område", "Per kategori", "Veckodag och timme",
                  "De tio platserna"):
        assert words in text, words


def test_the_plan_input_opens_offline(page, demo, tmp_path):
    import pyogrio

    from trygg.layers.plan import plan_input
    from trygg.maps.plan import write_plan

    path = tmp_path / "demo.gpkg"
    shutil.copy(demo["project"], path)
    store = open_project(path)
    plans = pyogrio.read_dataframe(demo["data"] / "kommun.gpkg", layer="detaljplan")
    p = plan_input(store, plans.geometry.iloc[1], plans["namn"].iloc[1])
    html = write_plan(store, p, tmp_path / "plan")[0]
    page.goto(html.as_uri())
    page.wait_for_selector("html[data-ready]")
    assert page.locator(".trygg-map-svg").count() == 1
    assert page.locator(".trygg-checklist li").count() == 18  # two questions per aspect
    assert all(u.startswith(("file:", "data:", "blob:")) for u in page.log.requests)
    assert page.log.errors == [] and page.log.blocked == []


@pytest.mark.parametrize("name", ["indikatorer", "region"])
def test_the_indicators_and_the_region_open_offline(page, demo, name):
    html = demo[{"indikatorer": "indicators_0", "region": "region_0"}[name]]
    page.goto(html.as_uri())
    page.wait_for_selector("html[data-ready]")
    assert page.locator("table").count() >= 3
    if name == "region":
        assert page.locator(".trygg-map-svg path").count() >= 26  # Stockholm county
    assert all(u.startswith(("file:", "data:", "blob:")) for u in page.log.requests)
    assert page.log.errors == [] and page.log.blocked == []

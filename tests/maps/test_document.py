"""Printable documents (maps.document) and the camera basis (maps.camera_basis)."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from trygg.layers.cameras.basis import site_facts
from trygg.layers.cameras.runs import run_cameras
from trygg.layers.store import open_project
from trygg.maps.camera_basis import write_camera_basis
from trygg.maps.document import render_document

HOSTILE = '<img src=x onerror=alert(1)></script><!--{{ 7*7 }}'


def page_data(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="trygg-doc">(.*?)</script>', html,
                      re.S)
    return json.loads(found.group(1))


def test_every_text_travels_as_data():
    blocks = [{"h": HOSTILE}, {"p": HOSTILE},
              {"table": {"columns": [HOSTILE], "rows": [[HOSTILE]]}},
              {"bars": {"labels": [HOSTILE], "values": [1]}},
              {"checklist": [{"text": HOSTILE, "help": HOSTILE}]}, {"fields": [HOSTILE]}]
    html = render_document(HOSTILE, blocks, subtitle=HOSTILE,
                           banners=[{"text": HOSTILE, "kind": "intern"}])
    assert "<img" not in html
    assert html.count("</script>") == 2  # the data element and the page script
    data = page_data(html)
    assert data["title"] == HOSTILE and data["blocks"][0]["h"] == HOSTILE
    assert '<html lang="sv">' in html
    assert '<html lang="en">' in render_document("T", [], lang="en")
    with pytest.raises(ValueError, match="exactly one"):
        render_document("T", [{"p": "a", "h": "b"}])


@pytest.fixture(scope="module")
def basis_project(demo, tmp_path_factory):
    path = tmp_path_factory.mktemp("basis") / "demo.gpkg"
    shutil.copy(demo["project"], path)
    store = open_project(path)
    kommun = demo["data"] / "kommun.gpkg"
    run = run_cameras(store, k=3, name="underlag", candidates=f"{kommun}:kamerakandidater",
                      buildings=f"{kommun}:byggnader", privacy=[f"{kommun}:adresser"])
    return store, run


def test_the_facts_add_up(basis_project):
    store, run = basis_project
    site = run.plan.sites.iloc[0]
    facts = site_facts(store, "underlag", site["site_id"])
    assert facts.n == site["n"] == int(facts.counts.to_numpy().sum())
    assert facts.profile.sum() == facts.n and 0 <= facts.n_dark <= facts.n
    assert facts.density_site > facts.density_all > 0  # the first site is a hot place
    assert facts.window is not None and facts.window_share >= 0.8
    assert facts.nearby["inside"].sum() == facts.n and len(facts.buildings) > 0
    with pytest.raises(Exception, match="ingen vald plats"):
        site_facts(store, "underlag", "K99")
    with pytest.raises(Exception, match="ingen kamerakörning"):
        site_facts(store, "saknas", "K01")


def test_the_basis_documents_the_balancing_of_interests(basis_project, tmp_path):
    store, run = basis_project
    site = run.plan.sites.iloc[0]
    out = write_camera_basis(site_facts(store, "underlag", site["site_id"]),
                             tmp_path / "kameraunderlag.html")
    data = page_data(out.read_text("utf-8"))
    headings = [b["h"] for b in data["blocks"] if "h" in b]
    assert headings == ["Platsen och bevakningsområdet", "Vad har hänt här",
                        "Vad forskningen säger om kameror mot dessa problem",
                        "Andra åtgärder mot samma problem", "Integritet", "Tider",
                        "Intresseavvägningen steg för steg", "Beslut"]
    assert "tar inte ställning till om kamerabevakning är tillåten" in data["blocks"][0]["note"]
    checklist = next(b["checklist"] for b in data["blocks"] if "checklist" in b)
    assert len(checklist) == 8 and checklist[0]["text"] == "Vad har hänt på platsen?"
    assert [b["kind"] for b in data["banners"]] == ["synthetic", "intern"]
    text = json.dumps(data, ensure_ascii=False)
    assert "lagligt" not in text and "motiverad." not in text.replace("motiverad:", "")
    english = write_camera_basis(site_facts(store, "underlag", site["site_id"]),
                                 tmp_path / "camera_basis.html", lang="en")
    data_en = page_data(english.read_text("utf-8"))
    assert data_en["blocks"][1]["h"] == "The place and the area watched"

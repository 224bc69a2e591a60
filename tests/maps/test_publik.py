"""The public map's HTML source: aggregates only, nothing of a single report.

Besides the demo itself, the tests use ``mixed_demo`` (tests/conftest.py): a copy
of the demo project where the EST reports, every other Tyck till report and the
XSS report are ``publik`` and the rest ``intern``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from trygg.geo.grid import hex_index
from trygg.layers.public import REAL_POINT
from trygg.layers.store import open_project
from trygg.maps.publik import public_payload, write_public_map

XSS = "<img src=x onerror=alert(1)>"


def page_data(html: str) -> dict:
    return json.loads(re.search(r'id="trygg-data">(.*?)</script>', html, re.S).group(1))


@pytest.fixture(scope="module")
def mixed(mixed_demo) -> Path:
    return mixed_demo


@pytest.fixture(scope="module")
def mixed_html(mixed, demo) -> str:
    out = write_public_map(open_project(mixed), mixed.parent / "karta_publik.html",
                           background=[demo["data"] / "kommun.gpkg"])
    return out.read_text("utf-8")


def test_no_report_text_or_id_in_the_source(mixed, mixed_html):
    reports = open_project(mixed).read_reports()
    assert (reports["visibility"] == "publik").sum() > 1000
    texts = [d for d in reports["description"].dropna() if len(d) > 12]
    assert len(texts) > 2000
    for text in texts:
        assert text not in mixed_html
        assert json.dumps(text, ensure_ascii=False)[1:-1] not in mixed_html
        for line in text.splitlines():
            if len(line) > 12:
                assert line not in mixed_html
    assert XSS not in mixed_html
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" not in mixed_html
    for rid in reports["report_id"]:
        assert rid not in mixed_html
    for sid in reports["source_id"].dropna():
        assert sid not in mixed_html
    for place in reports["place_text"].dropna():
        if re.search(r"\d", place):  # addresses: never on the public map
            assert place not in mixed_html


def test_no_report_point_in_the_source(mixed, mixed_html, demo):
    from trygg.maps.page import background_layers

    # The background is the municipality's own map (a report at a street corner shares
    # its vertex): it must be exactly the file's layers; every other byte is searched.
    data = page_data(mixed_html)
    assert data.pop("background") == background_layers(demo["data"] / "kommun.gpkg")
    rest = mixed_html.replace(re.search(r'id="trygg-data">(.*?)</script>', mixed_html,
                                        re.S).group(1), json.dumps(data))
    wgs = open_project(mixed).read_reports().dropna(subset=["geometry"]).to_crs(4326)
    for lon, lat in zip(wgs.geometry.x, wgs.geometry.y, strict=True):
        for text in (f"{lon:.6f},{lat:.6f}", f"{lon:.6f}, {lat:.6f}"):
            assert text.replace(".000000", "") not in rest
        assert f"[{round(lon, 6)},{round(lat, 6)}]" not in rest
        assert f"[{round(lon, 6)}, {round(lat, 6)}]" not in rest


def test_public_banner_not_the_intern_one(mixed_html):
    assert "Intern" not in mixed_html
    assert "personuppgifter" not in mixed_html and "Internal" not in mixed_html
    data = page_data(mixed_html)
    assert data["texts"]["publik"] == "Publik — sammanställda uppgifter, k ≥ 3"
    assert data["synthetic"] is True and "intern" not in data
    assert not re.search(r"<script[^>]+src=", mixed_html)
    assert not re.search(r"<link[^>]+href=", mixed_html)


def test_cells_hold_at_least_k_publik_reports(mixed, mixed_html):
    data = page_data(mixed_html)
    cells = data["cells"]["features"]
    assert len(cells) > 20
    for f in cells:
        p = f["properties"]
        assert set(p) == {"n", "klass", "cats", "period"}
        assert p["n"] >= 3
        assert all(c[1] >= 3 for c in p["cats"]) and sum(c[1] for c in p["cats"]) == p["n"]
        assert re.fullmatch(r"\d{4}-\d{2}( – \d{4}-\d{2})?", p["period"])
    # An independent count: publik reports with a real point per 250 m hexagon.
    reports = open_project(mixed).read_reports()
    pub = reports[(reports["visibility"] == "publik") & reports["precision"].isin(REAL_POINT)]
    q, r = hex_index(pub.geometry.x.to_numpy(), pub.geometry.y.to_numpy(), 250.0)
    counts = np.unique(np.stack([q, r], axis=1), axis=0, return_counts=True)[1]
    assert sorted(f["properties"]["n"] for f in cells) == sorted(counts[counts >= 3])
    assert (counts < 3).any(), "the test data must hold cells that are suppressed"
    assert sum(f["properties"]["n"] for f in cells) < len(pub) < len(reports)


def test_hotspots_are_cells_with_k_reports(mixed_html):
    data = page_data(mixed_html)
    assert data["hotspots"]["features"]
    total = sum(f["properties"]["n"] for f in data["cells"]["features"])
    assert sum(f["properties"]["n"] for f in data["hotspots"]["features"]) <= total
    for f in data["hotspots"]["features"]:
        p = f["properties"]
        assert set(p) <= {"name", "rank", "n", "cats", "share_dark", "busiest", "period",
                          "cells"}
        assert p["n"] >= 3 and all(c[1] >= 3 for c in p["cats"])
        assert f["geometry"]["type"] in ("LineString", "MultiLineString")
        assert p["share_dark"] is None or re.fullmatch(r"\d{1,3}0\u00a0%", p["share_dark"])


def test_the_demo_public_map_counts_only_publik_reports(demo, tmp_path):
    store = open_project(demo["project"])
    reports = store.read_reports()
    html = write_public_map(store, tmp_path / "karta_publik.html").read_text("utf-8")
    data = page_data(html)
    cells = data["cells"]["features"]
    assert cells and all(f["properties"]["n"] >= 3 for f in cells)
    publik = (reports["visibility"] == "publik").sum()
    assert 0 < sum(f["properties"]["n"] for f in cells) <= publik < len(reports)
    for text in reports["description"].dropna():
        if len(text) > 12:
            assert text not in html
    assert [p.name for p in tmp_path.iterdir()] == ["karta_publik.html"]  # no temp file


def test_english_and_a_higher_k(mixed):
    store = open_project(mixed)
    payload = public_payload(store, lang="en", min_count=5)
    assert all(f["properties"]["n"] >= 5 for f in payload["cells"]["features"])
    assert all(c[1] >= 5 for f in payload["cells"]["features"] for c in f["properties"]["cats"])
    html = (write_public_map(store, mixed.parent / "en.html", lang="en", min_count=5)
            .read_text("utf-8"))
    data = page_data(html)
    assert data["texts"]["publik"] == "Public — aggregated figures, k ≥ 5"
    assert data["subtitle"][0].endswith("cells of 250 m")
    assert "Internal" not in html and "Intern" not in html

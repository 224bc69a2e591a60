"""The printed protocol of a safety walk (maps.walk_protocol → vandring.html)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hostile import payloads
from walkfake import fake_plan

from trygg.layers.labels import label
from trygg.maps.document import render_document
from trygg.maps.i18n import WALK_CHECKLIST
from trygg.maps.walk_protocol import SCORES, write_walk_protocol

TOPICS = ("belysning", "sikt_vegetation", "skotsel", "klotter", "tydlighet", "trafik",
          "tillganglighet")


def page_data(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="trygg-doc">(.*?)</script>', html,
                      re.S)
    return json.loads(found.group(1))


def written(tmp_path: Path, plan=None, **options) -> dict:
    out = write_walk_protocol(plan or fake_plan(), tmp_path / "vandring.html", **options)
    return page_data(out.read_text("utf-8"))


def kinds(data: dict, kind: str) -> list:
    return [b[kind] for b in data["blocks"] if kind in b]


def stop_section(data: dict, stop: int) -> list[dict]:
    """The blocks of one stop's section (from its heading to the next stop's)."""
    blocks = data["blocks"]
    start = next(i for i, b in enumerate(blocks) if b.get("h", "").startswith(
        (f"Stopp {stop}:", f"Stop {stop}:")))
    end = next((i for i, b in enumerate(blocks) if i > start and "h" in b), len(blocks))
    return blocks[start:end]


def test_the_checklist_has_concrete_questions_for_every_topic_in_both_languages():
    assert set(WALK_CHECKLIST) == set(TOPICS)
    for topic, questions in WALK_CHECKLIST.items():
        assert 3 <= len(questions["sv"]) == len(questions["en"]) <= 5, topic
        assert all(q.endswith("?") for q in questions["sv"] + questions["en"]), topic
        assert label("topic", topic) != topic and label("topic", topic, lang="en") != topic
    assert "Syns ansikten på 4 meters avstånd?" in WALK_CHECKLIST["belysning"]["sv"]


def test_the_protocol_holds_the_walk_its_map_and_every_stop(tmp_path):
    data = written(tmp_path)
    assert data["title"] == "Trygghetsvandring: Centrum, 2026-10-14"
    assert data["subtitle"] == "Vandring kvall · 4 stopp · 1,3 km"
    assert [b["kind"] for b in data["banners"]] == ["intern"]
    headings = kinds(data, "h")
    assert headings[:3] == ["Vandringen", "Vilka gick och när", "Stopp 1: Busstationen"]
    assert headings[3:] == ["Stopp 2: Parkstigen", "Stopp 3: Gångtunneln", "Stopp 4: Torget"]
    facts = dict(kinds(data, "table")[0]["rows"])
    assert facts["Antal stopp"] == "4" and facts["Längd"] == "1,3 km"
    assert facts["Tid (gång och stopp)"] == "58 min" and facts["Start"] == "Stationen"
    assert facts["Solnedgång"] == "17:52" and facts["Borgerlig skymning slutar"] == "18:31"
    assert "börja efter 18:31" in kinds(data, "note")[0]
    # the overview map: the route and the stops numbered in walking order
    (overview,) = kinds(data, "map")
    layers = {layer["label"]: layer for layer in overview["layers"]}
    assert layers["Rutt"]["geojson"]["features"][0]["geometry"]["type"] == "LineString"
    stops = layers["Stopp i ordning"]
    assert stops["text"] == "stop"
    assert [f["properties"]["stop"] for f in stops["geojson"]["features"]] == [1, 2, 3, 4]
    assert stops["geojson"]["features"][0]["geometry"]["coordinates"] == [608000.0, 6665500.0]
    x0, y0, x1, y1 = overview["bbox"]
    assert x0 < 607_900 and x1 > 608_420 and y0 < 6_665_250 and y1 > 6_665_620
    # who walked, light or dark: groups without names
    walked = kinds(data, "choices")[0]
    assert walked[0]["options"][:2] == ["Kvinnor", "Män"]
    assert walked[1] == {"label": "Ljus/mörker", "options": ["Ljust", "Mörkt"]}


def test_each_stop_has_its_reports_findings_questions_and_fields_to_fill(tmp_path):
    data = written(tmp_path)
    third = stop_section(data, 3)
    texts = json.dumps(third, ensure_ascii=False)
    assert "7 rapporter inom stoppets radie." in texts
    table = next(b["table"] for b in third if "table" in b)
    assert table["rows"] == [["Klotter", "5"], ["Skadegörelse", "2"]]
    assert "Per slag: Fysiska brister 7." in texts
    assert "Nytt klotter på väggen" in texts  # the recent text, intern
    assert "Senaste rapporterna (internt)" in texts
    findings = next(b["table"] for b in third if "table" in b and
                    "Åtgärdens status" in b["table"]["columns"])
    assert findings["rows"] == [["2026-04-20", "Klotter", "Öppen", "Nytt klotter på väggen",
                                 "Pågår"]]
    questions = [item["text"] for b in third if "checklist" in b for item in b["checklist"]]
    for topic in ("klotter", "skotsel", "belysning", "tydlighet"):
        assert set(WALK_CHECKLIST[topic]["sv"]) <= set(questions), topic
    assert not set(WALK_CHECKLIST["trafik"]["sv"]) & set(questions)
    (scores,) = [b["boxes"] for b in third if "boxes" in b]
    assert scores["rows"] == [label("score", p) for p in SCORES] and len(SCORES) == 9
    assert scores["cols"] == ["0", "1", "2", "3"]
    fields = [f if isinstance(f, str) else f["label"] for b in third if "fields" in b
              for f in b["fields"]]
    assert fields == ["Observation", "Kategori", "Åtgärdsförslag", "Fotoreferens"]
    (choices,) = [b["choices"] for b in third if "choices" in b]
    assert choices == [{"label": "Ansvarig", "options": ["Kommunen", "Fastighetsägare",
                                                         "Polisen", "Annan"]},
                       {"label": "Prioritet", "options": ["Hög", "Medel", "Låg"]}]
    assert third[0] == {"h": "Stopp 3: Gångtunneln"}
    assert {"pagebreak": True} in stop_section(data, 2)  # each stop starts a new page


def test_the_protocol_in_english(tmp_path):
    data = written(tmp_path, lang="en")
    text = json.dumps(data, ensure_ascii=False)
    assert data["title"] == "Safety walk: Centrum, 2026-10-14" and data["lang"] == "en"
    assert kinds(data, "h")[:3] == ["The walk", "Who walked and when", "Stop 1: Busstationen"]
    assert "Can you see faces at 4 metres?" in text
    assert "Syns ansikten" not in text and "Kommunen" not in text
    assert "The municipality" in text and "Feeling of safety" in text
    assert dict(kinds(data, "table")[0]["rows"])["Length"] == "1.3 km"


def test_the_public_protocol_leaves_out_the_report_texts(tmp_path):
    plan = fake_plan()
    intern = written(tmp_path, plan)
    publik = written(tmp_path, plan, audience="publik")
    html = (tmp_path / "vandring.html").read_text("utf-8")
    for report_text in ("Lampan vid entrén är trasig", "Mörkt och buskigt längs stigen",
                        "Ungdomar samlas sent"):
        assert report_text in json.dumps(intern, ensure_ascii=False)
        assert report_text not in html
    assert "Senaste rapporterna (internt)" not in html
    assert [b["kind"] for b in publik["banners"]] == ["publik"]
    assert len(kinds(publik, "boxes")) == 4  # the fields to fill stay
    with pytest.raises(Exception, match="--audience"):
        written(tmp_path, plan, audience="alla")


def test_responsible_parties_are_configurable_and_a_synthetic_plan_says_so(tmp_path):
    data = written(tmp_path, responsible=("kommun", "Bostadsbolaget AB"), synthetic=True)
    responsible = kinds(data, "choices")[1][0]
    assert responsible == {"label": "Ansvarig", "options": ["Kommunen", "Bostadsbolaget AB"]}
    assert [b["kind"] for b in data["banners"]] == ["synthetic", "intern"]


def test_without_a_date_there_is_no_sunset_and_the_note_says_why(tmp_path):
    data = written(tmp_path, fake_plan(dated=False))
    assert data["title"] == "Trygghetsvandring: Centrum"
    facts = dict(kinds(data, "table")[0]["rows"])
    assert "Solnedgång" not in facts and "Datum" not in facts
    assert "ange datum" in kinds(data, "note")[0]


def test_hostile_place_names_and_texts_stay_text(tmp_path):
    marker = tmp_path / "PWNED"
    hostile = list(payloads(marker))[:4]
    texts = list(payloads(marker))[3:7]
    plan = fake_plan(places=hostile, texts=texts)
    plan.area_name = hostile[0]
    out = write_walk_protocol(plan, tmp_path / "vandring.html")
    html = out.read_text("utf-8")
    assert not marker.exists() and "SSTI-49-END" not in html
    assert "<img" not in html and html.count("</script>") == 2
    data = page_data(html)
    assert data["title"].startswith(f"Trygghetsvandring: {hostile[0]}")
    assert [h for h in kinds(data, "h") if h.startswith("Stopp ")] == [
        f"Stopp {i}: {p}" for i, p in enumerate(hostile, start=1)]
    recent = [row[2] for b in data["blocks"] if "table" in b
              and b["table"]["columns"][-1] == "Text" for row in b["table"]["rows"]]
    assert recent == texts


def test_the_document_knows_the_new_blocks():
    html = render_document("T", [{"choices": [{"label": "A", "options": ["x"]}]},
                                 {"boxes": {"rows": ["r"], "cols": ["0"]}},
                                 {"fields": [{"label": "Observation", "lines": 4}]}])
    assert len(page_data(html)["blocks"]) == 3


def test_platser_csv_lists_the_stops_for_people(tmp_path):
    import csv

    from trygg.maps.walk_protocol import write_places

    plan = fake_plan(places=["=HYPERLINK(\"http://x\")", "b", "c", "d"])
    out = write_places(plan, tmp_path / "platser.csv")
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig"), delimiter=";"))
    assert [r["Stopp"] for r in rows] == ["1", "2", "3", "4"]
    assert rows[0]["Plats"] == "'=HYPERLINK(\"http://x\")"  # the formula guard
    assert rows[0]["Valt som"] == "Hotspotområde" and rows[2]["Klotter (antal)"] == "5"
    assert rows[0]["Titta efter"] == "Belysning, Tydlighet och orientering"
    assert rows[0]["X (öst, meter)"] == "608000" and rows[0]["Latitud (WGS 84)"].startswith("60,1")


def test_a_plan_with_gaps_still_prints(tmp_path):
    """A stop without counts, texts or topics, a start given as a point, no route time."""
    import numpy as np
    import shapely

    plan = fake_plan()
    plan.stops.loc[1, ["n_reports", "leg_m"]] = np.nan
    plan.stops.loc[1, ["by_category", "recent", "findings", "topics"]] = None
    plan.start, plan.minutes, plan.notes = shapely.Point(607_900, 6_665_420), None, []
    data = written(tmp_path, plan)
    second = json.dumps(stop_section(data, 2), ensure_ascii=False)
    assert "Inga rapporter inom stoppets radie." in second
    assert WALK_CHECKLIST["belysning"]["sv"][0] in second  # the default topics
    facts = dict(kinds(data, "table")[0]["rows"])
    assert facts["Start"] == "607\u00a0900, 6\u00a0665\u00a0420" and facts[
        "Tid (gång och stopp)"] == "–"

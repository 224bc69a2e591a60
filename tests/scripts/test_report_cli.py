"""`trygg lagesbild`, `indikatorer` and `region`: the files, the public version, mistakes."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from trygg.cli import main


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_lagesbild_writes_html_and_xlsx(demo, tmp_path, capsys):
    code, out, err = run(capsys, "lagesbild", demo["project"], "--period", "2025-Q4",
                         "--out", tmp_path / "lb")
    assert code == 0, err
    assert "Lägesbild 2025-Q4:" in out and "rapporter" in out
    assert (tmp_path / "lb" / "lagesbild.html").is_file()
    sheets = load_workbook(tmp_path / "lb" / "lagesbild.xlsx").sheetnames
    assert sheets[:3] == ["Sammanfattning", "Områden", "Kategorier"]
    assert "Veckodag och timme" in sheets


def test_public_and_english(demo, tmp_path, capsys):
    code, _, err = run(capsys, "--lang", "en", "lagesbild", demo["project"], "--period",
                       "2025-W47", "--audience", "publik", "--areas",
                       f"{demo['data'] / 'kommun.gpkg'}:tatorter", "--out", tmp_path / "p")
    assert code == 0, err
    sheets = load_workbook(tmp_path / "p" / "lagesbild.xlsx").sheetnames
    assert "Summary" in sheets and "Area and category" not in sheets  # small cells


@pytest.mark.parametrize(("args", "words"), [
    (["--period", "2025/13"], "--period"),
    (["--period", "2019-Q1"], "Inga rapporter"),
    (["--period", "2025-Q4", "--audience", "alla"], "--audience"),
    (["--period", "2025-Q4", "--areas", "saknas.gpkg"], "saknas.gpkg"),
    (["--period", "2025-Q4", "--cell", "-5"], "--cell"),
])
def test_mistakes_are_one_line(demo, tmp_path, capsys, args, words):
    code, out, err = run(capsys, "lagesbild", demo["project"], "--out", tmp_path / "x", *args)
    assert code == 2, out
    assert words in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err


def test_indikatorer_writes_html_and_xlsx(demo, tmp_path, capsys):
    code, out, err = run(capsys, "indikatorer", demo["project"], "--out", tmp_path / "ind",
                         "--population", f"{demo['data'] / 'kommun.gpkg'}:tatorter")
    assert code == 0, err
    assert "Klotter stängt inom 48 h:" in out
    sheets = load_workbook(tmp_path / "ind" / "indikatorer.xlsx").sheetnames
    assert sheets == ["Klotter 48 h", "Mötesplatser", "Per 1000 invånare", "Otrygghet mörker"]
    code, _, err = run(capsys, "indikatorer", demo["project"], "--out", tmp_path / "x",
                       "--population", f"{demo['data'] / 'kommun.gpkg'}:tatorter",
                       "--population-column", "folk")
    assert code == 2 and "folk" in err and len(err.strip().splitlines()) == 1


def test_region_on_real_police_events(shared, tmp_path, capsys):
    import gzip
    import json

    events = tmp_path / "norrtalje.jsonl"
    with gzip.open(shared("polisen_events_2022_2026.jsonl.gz"), "rt", encoding="utf-8") as fh, \
            events.open("w", encoding="utf-8") as out:
        for line in fh:
            if json.loads(line)["location"]["name"] in ("Norrtälje", "Stockholms län"):
                out.write(line)
    project = tmp_path / "p.gpkg"
    assert run(capsys, "init", project)[0] == 0
    assert run(capsys, "ingest", project, events, "--source", "polisen")[0] == 0
    pop = tmp_path / "folk.csv"
    pop.write_text("kommunkod;folkmängd\n0188;64 000\n", encoding="utf-8")
    code, out, err = run(capsys, "region", project, "--out", tmp_path / "r",
                         "--population", pop)
    assert code == 0, err
    assert out.startswith("Regionen Stockholm: 246 rapporter i 26 kommuner;")
    assert (tmp_path / "r" / "region.html").is_file()
    code, _, err = run(capsys, "region", project, "--out", tmp_path / "x", "--kommuner", "nej")
    assert code == 2 and "--kommuner" in err and len(err.strip().splitlines()) == 1


def test_plan_writes_one_input_per_polygon(demo, tmp_path, capsys):
    kommun = demo["data"] / "kommun.gpkg"
    code, out, err = run(capsys, "plan", demo["project"], "--area", f"{kommun}:detaljplan",
                         "--out", tmp_path / "plan", "--buffer", "100")
    assert code == 0, err
    assert "Detaljplan för Stationsområdet:" in out and "med 100 m omkring" in out
    for sub in ("DP_2026_3", "DP_2026_5"):
        for name in ("trygghetsunderlag.html", "trygghetsunderlag.xlsx", "karta.png",
                     "trygghetsunderlag.gpkg"):
            assert (tmp_path / "plan" / sub / name).is_file(), (sub, name)
    code, _, err = run(capsys, "plan", demo["project"], "--area", f"{kommun}:gator",
                       "--out", tmp_path / "x")
    assert code == 2 and "polygon" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "plan", demo["project"], "--area", f"{kommun}:detaljplan",
                       "--out", tmp_path / "x", "--buffer", "-5")
    assert code == 2 and "--buffer" in err

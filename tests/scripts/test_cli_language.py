"""The command speaks Swedish throughout (English with --lang en): the help of the app
and of every subcommand, the parser's own mistakes, and the summaries' numbers, plurals
and labels.

The parser (typer, with its own copy of click) writes English only; trygg.usage and
trygg.texts put its words in Swedish. These tests render what users see and grep it
for the parser's English words.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from trygg.cli import main
from trygg.printing import Ui, print_run

#: What typer and click write in English; none of it may reach Swedish output.
ENGLISH = ("Usage", "Options", "Commands", "Arguments", "Show this message", "No such",
           "Try", "Error", "Invalid value", "Missing", "required", "default", "Aborted",
           "Did you mean", "unexpected", "Possible options", "requires", "does not",
           "is not", "Input should", "valid integer", "valid number")
_ENGLISH = re.compile(r"\b(" + "|".join(map(re.escape, ENGLISH)) + r")\b", re.IGNORECASE)
COMMANDS = ("init", "migrate", "ingest", "gazetteer", "geocode", "hotspots", "cameras",
            "cameras-register", "cameras-evaluate", "walk", "walk-import", "actions",
            "lagesbild", "indikatorer", "region", "serve", "staff", "users", "plan", "map",
            "export",
            "info",
            "runs", "demo")


def english_in(text: str) -> list[str]:
    """The parser's English words found in ``text``."""
    return _ENGLISH.findall(text)


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_english_word_check_can_fail():
    assert english_in("Usage: trygg [OPTIONS]\n  --help  Show this message and exit.") == [
        "Usage", "OPTIONS", "Show this message"]
    assert english_in("Användning: trygg [FLAGGOR]\n  --help  Visa den här hjälpen.") == []


@pytest.mark.parametrize("argv", [["--help"], *([c, "--help"] for c in COMMANDS)],
                         ids=["trygg", *COMMANDS])
def test_every_help_is_swedish(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 0 and err == ""
    assert out.startswith(f"Användning: {' '.join(['trygg', *argv[:-1]])} [FLAGGOR]")
    assert "Flaggor:" in out and "Visa den här hjälpen och avsluta." in out
    assert english_in(out) == [], out
    assert not re.search(r"<(str|int|float|path|Path|list\[[^]]*\])>", out), out


@pytest.mark.parametrize("argv", [["--help"], *([c, "--help"] for c in COMMANDS)],
                         ids=["trygg", *COMMANDS])
def test_every_help_is_english_with_lang_en(capsys, argv):
    code, out, err = run(capsys, "--lang", "en", *argv)
    assert code == 0 and err == ""
    assert out.startswith("Usage: trygg") and "Options:" in out
    assert "Show this message and exit." in out
    for swedish in ("Användning", "Flaggor", "Argument:", "Kommandon", "krävs", "standard:",
                    "Visa den här", "<sökväg>", "<heltal>", "<tal>"):
        assert swedish not in out, (swedish, out)


def test_the_help_marks_required_arguments_and_defaults_in_swedish(capsys):
    _, out, _ = run(capsys, "map", "--help")
    text = re.sub(r"[ \n]+", " ", out)  # the lines joined; no-break spaces kept
    assert ("Argument: PROJEKT <sökväg> Projektet: en GeoPackage-fil (.gpkg) eller en "
            "PostGIS- databas (postgresql://ANVÄNDARE@VÄRD/DATABAS). [krävs]") in text
    assert "[standard: karta.html]" in text
    assert "--max-points <heltal>" in text and "[standard: 200\u00a0000]" in text
    _, out, _ = run(capsys, "init", "--help")
    assert "--margin <tal>" in out and "[standard: 2\u00a0000]" in out
    _, out, _ = run(capsys, "--lang", "en", "init", "--help")
    assert "PROJECT <path>" in out and "[required]" in out and "[default: 2,000]" in out
    assert "--margin <number>" in out and "<float>" not in out


def test_the_command_list_gives_each_command_a_whole_sentence(capsys):
    _, out, _ = run(capsys, "--help")
    listed = dict(line.split(None, 1) for line in out.split("Kommandon:\n")[1].splitlines()
                  if line.strip())
    assert set(listed) == set(COMMANDS)
    for command, short in listed.items():
        assert short.endswith(".") and not short.endswith(("t.ex.", "...")), (command, short)
    assert listed["geocode"] == "Geokoda rapporter som ännu saknar läge."


def test_trygg_alone_prints_the_help_as_help_does(capsys):
    code, out, err = run(capsys)
    assert code == 0 and err == ""
    _, help_out, _ = run(capsys, "--help")
    assert out == help_out and len(out.splitlines()) > 15
    code, out, err = run(capsys, "--lang", "en")
    assert code == 0 and err == "" and out.startswith("Usage: trygg [OPTIONS] COMMAND")
    code, _, err = run(capsys, "--lang", "fi")
    assert code == 2 and err.strip() == "Fel: --lang ska vara sv eller en, inte 'fi'."


@pytest.fixture
def proj(tmp_path, capsys):
    path = tmp_path / "kommun.gpkg"
    assert run(capsys, "init", path, "--name", "Testkommun")[0] == 0
    return path


# (id, arguments with {p} for a project and {d} for its folder, Swedish, English)
MISTAKES = [
    ("unknown command", ["rita", "{p}"],
     "Det finns inget kommando 'rita'. Se trygg --help.",
     "There is no command 'rita'. See trygg --help."),
    ("command misspelt", ["hotspotz", "{p}"],
     "Det finns inget kommando 'hotspotz'. Menade du hotspots? Se trygg --help.",
     "There is no command 'hotspotz'. Did you mean hotspots? See trygg --help."),
    ("unknown option", ["init", "{d}/ny.gpkg", "--namn", "X"],
     "Det finns ingen flagga --namn. Menade du --name? Se trygg init --help.",
     "There is no option --namn. Did you mean --name? See trygg init --help."),
    ("unknown option of trygg", ["--sprak", "en", "info", "{p}"],
     "Det finns ingen flagga --sprak. Se trygg --help.",
     "There is no option --sprak. See trygg --help."),
    ("missing argument", ["info"],
     "Argumentet PROJEKT saknas. Se trygg info --help.",
     "The argument PROJECT is missing. See trygg info --help."),
    ("missing file of the gazetteer", ["gazetteer", "{p}"],
     "Argumentet FIL saknas. Se trygg gazetteer --help.",
     "The argument FILE is missing. See trygg gazetteer --help."),
    ("not a whole number", ["map", "{p}", "--max-points", "många"],
     "--max-points: 'många' är inget heltal. Se trygg map --help.",
     "--max-points: 'många' is not a whole number. See trygg map --help."),
    ("a fraction for a whole number", ["map", "{p}", "--min-count", "2.5"],
     "--min-count: '2.5' är inget heltal.", "--min-count: '2.5' is not a whole number."),
    ("decimal comma", ["hotspots", "{p}", "--cell", "2,5"],
     "--cell: '2,5' är inget tal (decimaler skrivs med punkt, t.ex. 2.5). "
     "Se trygg hotspots --help.",
     "--cell: '2,5' is not a number (e.g. 2.5). See trygg hotspots --help."),
    ("below the least", ["map", "{p}", "--min-count", "0"],
     "--min-count: ska vara 1 eller mer, inte 0.", "--min-count: must be 1 or more, not 0."),
    ("option without its value", ["map", "{p}", "--out"],
     "--out behöver ett värde. Se trygg map --help.", "--out needs a value. See trygg map --help."),
    ("flag with a value", ["ingest", "{p}", "x.csv", "--force=ja"],
     "--force tar inget värde. Se trygg ingest --help.",
     "--force takes no value. See trygg ingest --help."),
    ("one argument too many", ["info", "{p}", "extra"],
     "Ett argument för mycket: extra. Se trygg info --help.",
     "One argument too many: extra. See trygg info --help."),
    ("arguments too many", ["init", "{d}/ny.gpkg", "a", "b"],
     "För många argument: a b. Se trygg init --help.",
     "Too many arguments: a b. See trygg init --help."),
    ("bad choice", ["map", "{p}", "--out", "{d}/k.html", "--audience", "alla"],
     "--audience ska vara intern eller publik, inte 'alla'.",
     "--audience must be intern or publik, not 'alla'."),
]


@pytest.mark.parametrize("args, sv, en", [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES])
def test_a_mistake_on_the_command_line_is_one_swedish_line(proj, capsys, args, sv, en):
    argv = [a.format(p=proj, d=proj.parent) for a in args]
    code, out, err = run(capsys, *argv)
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2 and out == "" and len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith("Fel: ") and sv in lines[0], lines[0]
    assert english_in(lines[0].replace(str(proj.parent), "")) == [], lines[0]


@pytest.mark.parametrize("args, sv, en", [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES])
def test_a_mistake_on_the_command_line_is_one_english_line_with_lang_en(proj, capsys, args, sv,
                                                                        en):
    argv = [a.format(p=proj, d=proj.parent) for a in args]
    code, out, err = run(capsys, "--lang", "en", *argv)
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith("Error: ") and en in lines[0], lines[0]


def test_there_is_a_mistake_of_each_kind():
    assert len(MISTAKES) >= 12


# -- numbers, plurals and labels in the summaries ------------------------------------------
def test_numbers_are_written_the_swedish_way():
    assert Ui("sv").number(1234567) == "1\u00a0234\u00a0567"
    assert Ui("en").number(1234567) == "1,234,567"
    assert Ui("sv").count(1, ("rad", "rader"), ("row", "rows")) == "1 rad"
    assert Ui("sv").count(1200, ("rad", "rader"), ("row", "rows")) == "1\u00a0200 rader"
    assert Ui("en").count(1, ("rad", "rader"), ("row", "rows")) == "1 row"


def test_one_row_one_report_one_manual_location(proj, tmp_path, capsys):
    one = tmp_path / "en.csv"
    one.write_text("id;datum;kategori;beskrivning;x;y\n"
                   "1;2025-04-01 20:00;Klotter;en rapport;621000;6650000\n", encoding="utf-8")
    code, out, err = run(capsys, "ingest", proj, one)
    assert code == 0, err
    assert "Läste 1 rad från en.csv (källa: Tabell" in out
    assert "Lägesprecision: Exakt läge 1" in out and "exact" not in out
    assert english_in(out) == [], out
    code, out, _ = run(capsys, "info", proj)
    assert code == 0
    assert "Summa: 1 lästa = 1 rapport + 0 dubbletter + 0 avvisade ✓" in out
    assert "Tabell" in out and "Klotter" in out and english_in(out) == []
    over = tmp_path / "lagen.csv"
    over.write_text("plats;x;y\nGamla kvarnen;620100;6656000\n", encoding="utf-8")
    code, out, _ = run(capsys, "geocode", proj, "--overrides", over)
    assert code == 0 and "Projektet har 1 manuellt läge." in out
    assert "Lägesprecision före: Exakt läge 1; efter: Exakt läge 1." in out
    code, out, _ = run(capsys, "--lang", "en", "geocode", proj, "--overrides", over)
    assert "The project has 1 manual location." in out
    assert "Location precision before: Exact location 1; after: Exact location 1." in out


def test_a_run_summary_shows_labels_and_counts(capsys):
    result = SimpleNamespace(notes=[], run_id="gistar_1", n_input=1, files=[], summary={
        "hotspots_gistar_1": {"rows": 1234, "klass": {"hot_99": 1, "none": 1233}}})
    print_run(Ui("sv"), result)
    out = capsys.readouterr().out
    assert "Körningen gistar_1: 1 rapport." in out
    assert ("hotspots_gistar_1 (1\u00a0234 rader) — Klass: Hotspot 99 % 1, "
            "Inte signifikant 1\u00a0233") in out
    print_run(Ui("en"), result)
    out = capsys.readouterr().out
    assert "Run gistar_1: 1 report." in out
    assert "(1,234 rows) — Class: Hot spot 99% 1, Not significant 1,233" in out


def test_the_runs_list_shows_the_method_by_its_label(proj, data_dir, capsys):
    assert run(capsys, "ingest", proj, data_dir / "tabell_cp1252.csv")[0] == 0
    assert run(capsys, "hotspots", proj, "--method", "count", "--name", "rakning")[0] == 0
    code, out, _ = run(capsys, "runs", proj)
    assert code == 0 and "rakning" in out and "Antal per ruta" in out
    assert not re.search(r"\bcount\b", out)
    code, out, _ = run(capsys, "--lang", "en", "runs", proj)
    assert "Counts per cell" in out


def test_trends_count_their_steps_in_words():
    import geopandas as gpd

    from trygg.layers.hotspots.emerging import hotspot_emerging

    rng = np.random.default_rng(3)
    n = 1500
    times = pd.Timestamp("2024-01-01", tz="Europe/Stockholm") + pd.to_timedelta(
        rng.uniform(0, 730, n), unit="D")
    points = gpd.GeoDataFrame({"reported_at": times}, geometry=gpd.points_from_xy(
        rng.uniform(620_000, 622_000, n), rng.uniform(6_650_000, 6_652_000, n)), crs=3006)
    notes = hotspot_emerging(points, period="1M").attrs["notes"]
    sv = next(s for s, _ in notes if "tidssteg om" in s)
    en = next(e for _, e in notes if "time steps of" in e)
    assert re.match(r"\d+ tidssteg om 1 månad, från", sv), sv
    assert re.match(r"\d+ time steps of 1 month, from", en), en


def test_an_abort_is_one_swedish_line_and_exit_1(proj, capsys, monkeypatch):
    import typer

    from trygg.layers import summary as layers_summary

    def abort(_store):
        raise typer.Abort()

    monkeypatch.setattr(layers_summary, "project_summary", abort)
    code, _, err = run(capsys, "info", proj)
    assert code == 1 and err.strip() == "Avbrutet."
    code, _, err = run(capsys, "--lang", "en", "info", proj)
    assert code == 1 and err.strip() == "Aborted."


def test_a_refused_choice_names_the_choices():
    from typing import Literal

    import typer
    from pydantic import TypeAdapter, ValidationError

    from trygg.usage import mistake

    option = SimpleNamespace(opts=["--kernel"], param_type_name="option", metavar=None,
                             name="kernel")
    try:
        try:
            TypeAdapter(Literal["quartic", "gaussian"]).validate_python("box")
        except ValidationError as exc:
            raise typer.BadParameter("refused", param=option) from exc
    except typer.BadParameter as exc:
        assert mistake(exc) == "--kernel: 'box' är inte ett av quartic eller gaussian."
        assert mistake(exc, "en") == "--kernel: 'box' is not one of quartic or gaussian."

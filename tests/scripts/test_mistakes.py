"""Mistakes with files, paths, dates and options, run through `trygg` in-process.

Each one must end with exit code 2 and exactly one line on stderr (no traceback),
and leave every file in the working folder byte-identical (the project above all;
no stray working copies either).
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from trygg.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(folder: Path) -> dict[str, str]:
    """SHA-256 of every file below ``folder`` (symlinks by their target's bytes); a
    writer's lock file (``.NAME.gpkg.lock``, empty, left by design) is not data."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix != ".lock"}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A small project with reports, made once (the tests work on copies)."""
    path = tmp_path_factory.mktemp("mall") / "kommun.gpkg"
    assert main(["init", str(path), "--name", "Testkommun"]) == 0
    assert main(["ingest", str(path), str(DATA / "tabell_cp1252.csv")]) == 0
    return path


@pytest.fixture
def world(template, tmp_path):
    """The project and every kind of wrong file a user can give, in one folder."""
    w = tmp_path / "arbete"
    w.mkdir()
    p = w / "kommun.gpkg"
    shutil.copy2(template, p)
    raw = p.read_bytes()
    (w / "trasig.gpkg").write_bytes(raw[:len(raw) // 2])  # truncated (a broken copy)
    zeroed = bytearray(raw)
    zeroed[3 * 4096:6 * 4096] = bytes(3 * 4096)
    (w / "nollad.gpkg").write_bytes(bytes(zeroed))  # pages overwritten
    pyogrio.write_dataframe(pd.DataFrame({"key": ["name", "crs"],
                                          "value": ["Halvt", "EPSG:3006"]}),
                            w / "utan_reports.gpkg", layer="trygg_project", driver="GPKG")
    pyogrio.write_dataframe(gpd.GeoDataFrame({"namn": ["Storgatan"]},
                                             geometry=[shapely.LineString([(0, 0), (1, 1)])],
                                             crs=3006), w / "vagar.gpkg", driver="GPKG")
    (w / "text.gpkg").write_text("hej, jag är ingen GeoPackage\n", encoding="utf-8")
    (w / "tom.gpkg").write_bytes(b"")
    (w / "bild.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (w / "mapp").mkdir()
    (w / "mapp.gpkg").mkdir()
    (w / "mapp.xlsx").mkdir()
    (w / "profil_mapp.toml").mkdir()
    (w / "sub").mkdir()
    (w / "finns.xlsx").write_bytes(b"mitt arbete")
    (w / "lank.gpkg").symlink_to(p)
    (w / "lank.html").symlink_to(p)
    profiles = {
        "trasig": "[columns\n",
        "kolumner_text": 'columns = "Skapad"\n',
        "kolumn_tal": "[columns]\nreported_at = 5\n",
        "kategorier_lista": "categories = [1, 2]\n",
        "crs_tal": "crs = 3006\n",
    }
    for name, text in profiles.items():
        (w / f"{name}.toml").write_text(text, encoding="utf-8")
    shutil.copy2(DATA / "tycktill_cp1252.csv", w / "tycktill_export.csv")
    (w / "egna_lagen.csv").write_text("namn;beskrivning\nGamla kvarnen;vid ån\n",
                                      encoding="utf-8")
    pyogrio.write_dataframe(gpd.GeoDataFrame({"namn": ["Torget"]},
                                             geometry=[shapely.Point(620000, 6650000)],
                                             crs=3006), w / "punkt.gpkg", driver="GPKG")
    (w / "gammal.html").write_text("<!DOCTYPE html><html><body>förra veckan</body></html>",
                                   encoding="utf-8")
    (w / "anteckning.html").write_text("mina anteckningar, ingen karta\n", encoding="utf-8")
    (w / "latin1.toml").write_bytes('[columns]\nreported_at = "Skapad här"\n'.encode("cp1252"))
    return w


# (id, arguments with {w} for the working folder, text the message must hold)
MISTAKES = [
    # the project
    ("truncated project", ["info", "{w}/trasig.gpkg"], "är skadat"),
    ("truncated project, ingest", ["ingest", "{w}/trasig.gpkg", "{data}/tabell_cp1252.csv"],
     "är skadat"),
    ("overwritten pages", ["hotspots", "{w}/nollad.gpkg", "--method", "count"], "är skadat"),
    ("overwritten pages, map", ["map", "{w}/nollad.gpkg", "--out", "{w}/mapp/k.html"],
     "är skadat"),
    ("project without reports", ["map", "{w}/utan_reports.gpkg", "--out", "{w}/mapp/k.html"],
     "saknar reports"),
    ("project without reports, export", ["export", "{w}/utan_reports.gpkg", "--out",
                                         "{w}/mapp/r.csv"], "saknar reports"),
    ("foreign GeoPackage", ["info", "{w}/vagar.gpkg"], "inget Trygghetskartan-projekt"),
    ("project is a folder", ["info", "{w}/mapp.gpkg"], "ingen GeoPackage"),
    ("project is text", ["ingest", "{w}/text.gpkg", "{data}/tabell_cp1252.csv"],
     "ingen GeoPackage"),
    ("project is empty", ["info", "{w}/tom.gpkg"], "ingen GeoPackage"),
    ("new project under a file", ["init", "{w}/kommun.gpkg/ny.gpkg"], "är en fil, inte en mapp"),
    ("new project where nothing can be written", ["init", "/proc/ny.gpkg"], "Kan inte skriva"),
    ("area that is not vector data", ["init", "{w}/mapp/ny.gpkg", "--area", "{w}/text.gpkg"],
     "går inte att läsa som geodata"),
    ("area that is a folder", ["init", "{w}/mapp/ny.gpkg", "--area", "{w}/mapp"], "är en mapp"),
    ("area a CSV without geometry", ["init", "{w}/mapp/ny.gpkg", "--area",
                                     "{w}/egna_lagen.csv"], "(--area) har inga lager med geometri"),
    ("margin negative", ["init", "{w}/mapp/ny.gpkg", "--area", "{w}/vagar.gpkg", "--margin",
                         "-1e6"], "--margin ska vara ett ändligt antal meter, 0 eller mer"),
    ("margin nan", ["init", "{w}/mapp/ny.gpkg", "--area", "{w}/vagar.gpkg", "--margin", "nan"],
     "--margin ska vara ett ändligt antal meter"),
    ("margin infinite", ["init", "{w}/mapp/ny.gpkg", "--area", "{w}/vagar.gpkg", "--margin",
                         "inf"], "inte inf"),
    ("margin negative without area", ["init", "{w}/mapp/ny.gpkg", "--margin", "-1"],
     "--margin ska vara"),
    ("area without extent", ["init", "{w}/mapp/ny.gpkg", "--area", "{w}/punkt.gpkg",
                             "--margin", "0"], "har ingen utbredning"),
    # ingest and profiles
    ("input is a folder", ["ingest", "{w}/kommun.gpkg", "{w}/mapp"], "är en mapp"),
    ("profile is a folder", ["ingest", "{w}/kommun.gpkg", "{data}/tabell_cp1252.csv",
                             "--profile", "{w}/profil_mapp.toml"], "är en mapp"),
    ("profile is no TOML", ["ingest", "{w}/kommun.gpkg", "{data}/tabell_cp1252.csv",
                            "--profile", "{w}/trasig.toml"], "inte giltig TOML"),
    ("profile columns not a table", ["ingest", "{w}/kommun.gpkg", "{data}/tabell_cp1252.csv",
                                     "--profile", "{w}/kolumner_text.toml"],
     "[columns] ska vara en tabell"),
    ("profile column not text", ["ingest", "{w}/kommun.gpkg", "{data}/tabell_cp1252.csv",
                                 "--profile", "{w}/kolumn_tal.toml"],
     "värdet för 'reported_at' vara text"),
    ("profile categories a list", ["ingest", "{w}/kommun.gpkg", "{data}/tabell_cp1252.csv",
                                   "--profile", "{w}/kategorier_lista.toml"],
     "[categories] ska vara en tabell"),
    ("profile crs a number", ["ingest", "{w}/kommun.gpkg", "{data}/tabell_cp1252.csv",
                              "--profile", "{w}/crs_tal.toml"], "crs ska vara text"),
    ("profile not UTF-8", ["ingest", "{w}/kommun.gpkg", "{data}/tabell_cp1252.csv",
                           "--profile", "{w}/latin1.toml"], "UTF-8"),
    # gazetteer and geocode
    ("gazetteer not vector data", ["gazetteer", "{w}/kommun.gpkg", "{w}/text.gpkg"],
     "går inte att läsa som geodata"),
    ("gazetteer a picture", ["gazetteer", "{w}/kommun.gpkg", "{w}/bild.png"],
     "går inte att läsa som geodata"),
    ("gazetteer layer missing", ["gazetteer", "{w}/kommun.gpkg", "{w}/vagar.gpkg", "--layer",
                                 "gator"], "har inget lager 'gator'; finns: vagar"),
    ("gazetteer a folder", ["gazetteer", "{w}/kommun.gpkg", "{w}/mapp"], "är en mapp"),
    ("gazetteer a cp1252 CSV", ["gazetteer", "{w}/kommun.gpkg", "{w}/tycktill_export.csv"],
     "har inga lager med geometri; ortsregistret behöver punkter, linjer eller ytor "
     "(GeoPackage, GeoJSON, Shapefile)"),
    ("gazetteer a CSV without geometry", ["gazetteer", "{w}/kommun.gpkg",
                                          "{w}/egna_lagen.csv"],
     "har inga lager med geometri; ortsregistret behöver"),
    ("gazetteer a layer without geometry", ["gazetteer", "{w}/kommun.gpkg", "{w}/kommun.gpkg",
                                            "--layer", "rejects"], "har ingen geometri"),
    ("overrides a folder", ["geocode", "{w}/kommun.gpkg", "--overrides", "{w}/mapp"],
     "är en mapp"),
    # map
    ("map onto the project", ["map", "{w}/kommun.gpkg", "--out", "{w}/kommun.gpkg"],
     "samma fil som projektet"),
    ("map onto the project by a symlink", ["map", "{w}/kommun.gpkg", "--out", "{w}/lank.html"],
     "samma fil som projektet"),
    ("map onto its background", ["map", "{w}/kommun.gpkg", "--background", "{w}/vagar.gpkg",
                                 "--out", "{w}/vagar.gpkg"], "samma fil som filen"),
    ("map out a folder", ["map", "{w}/kommun.gpkg", "--out", "{w}/mapp"], "är en mapp"),
    ("map out under a file", ["map", "{w}/kommun.gpkg", "--out", "{w}/kommun.gpkg/k.html"],
     "är en fil, inte en mapp"),
    ("map out unwritable", ["map", "{w}/kommun.gpkg", "--out", "/proc/karta.html"],
     "Kan inte skriva '/proc/karta.html'"),
    ("background not vector data", ["map", "{w}/kommun.gpkg", "--out", "{w}/mapp/k.html",
                                    "--background", "{w}/text.gpkg"],
     "går inte att läsa som geodata"),
    ("background a picture", ["map", "{w}/kommun.gpkg", "--out", "{w}/mapp/k.html",
                              "--background", "{w}/bild.png"], "går inte att läsa som geodata"),
    ("background a folder", ["map", "{w}/kommun.gpkg", "--out", "{w}/mapp/k.html",
                             "--background", "{w}/mapp"], "är en mapp"),
    ("background missing", ["map", "{w}/kommun.gpkg", "--out", "{w}/mapp/k.html",
                            "--background", "{w}/saknas.gpkg"], "finns inte"),
    ("background a CSV without geometry", ["map", "{w}/kommun.gpkg", "--out",
                                           "{w}/mapp/k.html", "--background",
                                           "{w}/egna_lagen.csv"],
     "(--background) har inga lager med geometri"),
    ("map out a CSV", ["map", "{w}/kommun.gpkg", "--out", "{w}/egna_lagen.csv"],
     "ska sluta på .html eller .htm, t.ex. egna_lagen.html"),
    ("map out an existing spreadsheet", ["map", "{w}/kommun.gpkg", "--out", "{w}/finns.xlsx"],
     "ska sluta på .html eller .htm"),
    ("map out an existing file that is no page", ["map", "{w}/kommun.gpkg", "--out",
                                                  "{w}/anteckning.html"],
     "finns redan och är ingen HTML-sida"),
    ("map out in a missing folder", ["map", "{w}/kommun.gpkg", "--out",
                                     "{w}/saknas/djup/k.html"],
     "Mappen '{w}/saknas/djup' för '{w}/saknas/djup/k.html' finns inte"),
    ("map max points negative", ["map", "{w}/kommun.gpkg", "--out", "{w}/mapp/k.html",
                                 "--max-points", "-1"], "--max-points ska vara 0 eller mer"),
    ("map cluster min negative", ["map", "{w}/kommun.gpkg", "--out", "{w}/mapp/k.html",
                                  "--cluster-min", "-5"], "--cluster-min ska vara 0 eller mer"),
    # export
    ("export onto the project", ["export", "{w}/kommun.gpkg", "--out", "{w}/kommun.gpkg"],
     "samma fil som projektet"),
    ("export onto the project, forced", ["export", "{w}/kommun.gpkg", "--out",
                                         "{w}/kommun.gpkg", "--force"],
     "samma fil som projektet"),
    ("export onto the project spelt otherwise", ["export", "{w}/kommun.gpkg", "--out",
                                                 "{w}/sub/../kommun.gpkg", "--force"],
     "samma fil som projektet"),
    ("export onto the project by a symlink", ["export", "{w}/kommun.gpkg", "--out",
                                              "{w}/lank.gpkg", "--force"],
     "samma fil som projektet"),
    ("export onto an existing file", ["export", "{w}/kommun.gpkg", "--out", "{w}/finns.xlsx"],
     "--force"),
    ("export out a folder", ["export", "{w}/kommun.gpkg", "--out", "{w}/mapp.xlsx", "--force"],
     "är en mapp"),
    ("export out under a file", ["export", "{w}/kommun.gpkg", "--out",
                                 "{w}/kommun.gpkg/r.csv"], "är en fil, inte en mapp"),
    ("export out unwritable", ["export", "{w}/kommun.gpkg", "--out", "/proc/r.xlsx"],
     "Kan inte skriva '/proc/r.xlsx'"),
    ("export out unwritable gpkg", ["export", "{w}/kommun.gpkg", "--out", "/proc/r.gpkg"],
     "Kan inte skriva '/proc/r.gpkg'"),
    ("export unknown format", ["export", "{w}/kommun.gpkg", "--out", "{w}/r.pdf"], ".xlsx"),
    ("export unknown layer", ["export", "{w}/kommun.gpkg", "--layer", "saknas", "--out",
                              "{w}/r.csv"], "inget lager 'saknas'"),
    # dates and options
    ("US date", ["hotspots", "{w}/kommun.gpkg", "--since", "1/5/2025"],
     "--since ska vara ett datum som ÅÅÅÅ-MM-DD (eller vecka 2025-W37, månad 2025-09, "
     "kvartal 2025-Q3), inte '1/5/2025'."),
    ("German date", ["hotspots", "{w}/kommun.gpkg", "--until", "05.01.2025"],
     "--until ska vara ett datum som ÅÅÅÅ-MM-DD"),
    ("day not in the calendar", ["hotspots", "{w}/kommun.gpkg", "--method", "change",
                                 "--period-a", "2025-02-30:2025-03", "--period-b", "2025-Q2"],
     "finns inte i kalendern"),
    ("period backwards", ["hotspots", "{w}/kommun.gpkg", "--method", "change",
                          "--period-a", "2025-06:2025-01", "--period-b", "2025-Q3"],
     "slutar innan den börjar"),
    ("bandwidth for gistar", ["hotspots", "{w}/kommun.gpkg", "--method", "gistar",
                              "--bandwidth", "300"],
     "--bandwidth gäller inte metoden gistar. gistar tar: --cell, --grid"),
    ("period for kde", ["hotspots", "{w}/kommun.gpkg", "--method", "kde", "--period", "3M"],
     "--period gäller inte metoden kde. kde tar: --cell, --grid, --weights, --half-life, "
     "--bandwidth, --kernel"),
    ("kernel for count", ["hotspots", "{w}/kommun.gpkg", "--method", "count", "--kernel",
                          "gaussian"], "--kernel gäller inte metoden count"),
    ("weights for divergence", ["hotspots", "{w}/kommun.gpkg", "--method", "divergence",
                                "--weights"], "--weights gäller inte metoden divergence"),
    ("grid not vector data", ["hotspots", "{w}/kommun.gpkg", "--method", "count", "--grid",
                              "{w}/text.gpkg"], "går inte att läsa som geodata"),
    ("grid a folder", ["hotspots", "{w}/kommun.gpkg", "--method", "count", "--grid",
                       "{w}/mapp"], "är en mapp"),
    ("grid a CSV without geometry", ["hotspots", "{w}/kommun.gpkg", "--method", "count",
                                     "--grid", "{w}/egna_lagen.csv"],
     "(--grid) har inga lager med geometri"),
    ("demo into a file", ["demo", "--out", "{w}/finns.xlsx"], "är en fil"),
]


@pytest.mark.parametrize("args, expected", [m[1:] for m in MISTAKES],
                         ids=[m[0] for m in MISTAKES])
def test_a_mistake_is_one_line_exit_2_and_changes_nothing(world, capsys, args, expected):
    argv = [a.format(w=world, data=DATA) for a in args]
    before = snapshot(world)
    code, _out, err = run(capsys, *argv)
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2, err
    assert len(lines) == 1 and "Traceback" not in err, err
    expected = expected.format(w=world)
    assert lines[0].startswith("Fel: ") and expected in lines[0], lines[0]
    assert snapshot(world) == before


def test_there_are_at_least_thirty_mistakes():
    assert len(MISTAKES) >= 30


def test_the_messages_are_english_with_lang_en(world, capsys):
    code, _, err = run(capsys, "--lang", "en", "export", world / "kommun.gpkg", "--out",
                       world / "kommun.gpkg")
    assert code == 2 and err.startswith("Error: --out") and "same file as the project" in err
    code, _, err = run(capsys, "--lang", "en", "hotspots", world / "kommun.gpkg", "--since",
                       "05.01.2025")
    assert code == 2 and err.strip() == (
        "Error: --since must be a date like YYYY-MM-DD (or week 2025-W37, month 2025-09, "
        "quarter 2025-Q3), not '05.01.2025'.")


# -- read-only folders and files: chmod does not bind root, the immutable flag does ---------
@pytest.fixture
def read_only(tmp_path):
    """Make a path read-only even for root (chattr +i); undone afterwards."""
    made: list[Path] = []

    def apply(path: Path) -> None:
        if os.geteuid() != 0:
            path.chmod(0o555 if path.is_dir() else 0o444)
        else:
            done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
            if done.returncode != 0:
                pytest.skip(f"cannot make {path} read-only as root here: {done.stderr!r}")
        made.append(path)

    yield apply
    for path in made:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=False)
        else:
            path.chmod(0o755 if path.is_dir() else 0o644)


@pytest.mark.parametrize("what", ["folder", "file"])
def test_a_read_only_project_is_a_message_and_stays_as_it_was(world, read_only, tmp_path,
                                                              capsys, what):
    project = world / "kommun.gpkg"
    new = tmp_path / "ny.csv"
    new.write_text("id;datum;kategori;beskrivning;x;y\n"
                   "1;2025-04-01 20:00;Klotter;ny rapport;621000;6650000\n", encoding="utf-8")
    read_only(world if what == "folder" else project)
    before = snapshot(world)
    for argv in (["ingest", project, new],
                 ["hotspots", project, "--method", "count"]):
        code, _, err = run(capsys, *argv)
        lines = [line for line in err.splitlines() if line.strip()]
        assert code == 2 and len(lines) == 1 and "Traceback" not in err, err
        assert "skriv" in lines[0] and "kommun.gpkg" in lines[0], lines[0]
        assert snapshot(world) == before


def test_an_export_into_a_read_only_folder_names_the_file(world, read_only, tmp_path, capsys):
    folder = tmp_path / "skrivskyddad"
    folder.mkdir()
    read_only(folder)
    before = snapshot(world)
    code, _, err = run(capsys, "export", world / "kommun.gpkg", "--out", folder / "r.csv")
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert f"Kan inte skriva '{folder / 'r.csv'}'" in err
    assert snapshot(world) == before and not list(folder.iterdir())


# -- the last resort and what it must not hide ---------------------------------------------
def test_a_file_error_deep_below_a_command_still_names_the_file(world, capsys, monkeypatch):
    from trygg.layers import summary as layers_summary

    def denied(_store):
        raise PermissionError(errno.EACCES, "Permission denied", "/srv/delad/kommun.gpkg")

    monkeypatch.setattr(layers_summary, "project_summary", denied)
    code, _, err = run(capsys, "info", world / "kommun.gpkg")
    assert code == 2 and err.strip() == (
        "Fel: Behörighet saknas till '/srv/delad/kommun.gpkg' (skrivskyddad fil eller mapp?). "
        "Välj en annan plats eller ändra behörigheten.")


def test_a_bug_is_not_turned_into_a_message(world, capsys, monkeypatch):
    from trygg.layers import summary as layers_summary

    def bug(_store):
        return 1 / 0

    monkeypatch.setattr(layers_summary, "project_summary", bug)
    with pytest.raises(ZeroDivisionError):
        main(["info", str(world / "kommun.gpkg")])

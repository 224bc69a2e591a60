"""The `trygg` command run in-process: exit codes, one-line messages, outputs."""

import pytest

from trygg.cli import main


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def proj(tmp_path, capsys):
    path = tmp_path / "kommun.gpkg"
    assert run(capsys, "init", path, "--name", "Testkommun")[0] == 0
    return path


def test_init_ingest_info_map_export(proj, data_dir, tmp_path, capsys):
    code, out, _ = run(capsys, "ingest", proj, data_dir / "tabell_cp1252.csv")
    assert code == 0
    assert "Läste 9 rader" in out
    assert "Summa: 4 + 0 + 5 = 9 ✓" in out
    assert "Hundbajs 1" in out
    code, out, _ = run(capsys, "info", proj)
    assert code == 0
    assert "Summa: 9 lästa = 4 rapporter + 0 dubbletter + 5 avvisade ✓" in out
    code, out, _ = run(capsys, "map", proj, "--out", tmp_path / "k.html")
    assert code == 0 and (tmp_path / "k.html").stat().st_size > 100_000
    code, out, _ = run(capsys, "export", proj, "--layer", "rejects", "--out",
                       tmp_path / "avvisade.xlsx")
    assert code == 0 and (tmp_path / "avvisade.xlsx").exists()


def test_export_columns_sv_by_default_codes_on_request_english_with_lang(proj, data_dir,
                                                                          tmp_path, capsys):
    run(capsys, "ingest", proj, data_dir / "tabell_cp1252.csv")

    def header(path, sep=";"):
        return path.read_text("utf-8-sig").splitlines()[0].split(sep)

    assert run(capsys, "export", proj, "--out", tmp_path / "sv.csv")[0] == 0
    assert {"Rapport-id", "Kategori", "X (öst, meter)"} <= set(header(tmp_path / "sv.csv"))
    assert run(capsys, "export", proj, "--out", tmp_path / "c.csv", "--columns", "codes")[0] == 0
    assert {"report_id", "category", "x", "lat"} <= set(header(tmp_path / "c.csv"))
    code, _, _ = run(capsys, "--lang", "en", "export", proj, "--out", tmp_path / "en.csv")
    assert code == 0 and "Report id" in header(tmp_path / "en.csv", ",")
    code, _, err = run(capsys, "export", proj, "--out", tmp_path / "x.csv", "--columns", "koder")
    assert code == 2 and "sv eller codes" in one_line_error(err)
    code, _, err = run(capsys, "export", proj, "--out", tmp_path / "x.gpkg", "--columns", "sv")
    assert code == 2 and "gäller bara .csv och .xlsx" in one_line_error(err)
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "x.gpkg").exists()


def test_reingest_says_so_and_adds_nothing(proj, data_dir, capsys):
    run(capsys, "ingest", proj, data_dir / "tabell_cp1252.csv")
    code, out, _ = run(capsys, "ingest", proj, data_dir / "tabell_cp1252.csv")
    assert code == 0 and "redan inläst" in out


@pytest.mark.parametrize("args, expected", [
    (["--source", "foo"], "Okänd källa 'foo'"),
    (["--map", "x"], "FÄLT=KOLUMN"),
    (["--map", "x=Östlig"], "Kolumnen 'Östlig'"),
    (["--crs", "EPSG:99999999"], "Okänt koordinatsystem"),
])
def test_bad_ingest_options_exit_2_and_leave_the_project_untouched(
        proj, data_dir, capsys, args, expected):
    before = proj.read_bytes()
    code, _, err = run(capsys, "ingest", proj, data_dir / "tabell_cp1252.csv", *args)
    assert code == 2
    assert expected in one_line_error(err)
    assert proj.read_bytes() == before


def test_missing_file_and_unmappable_file(proj, tmp_path, capsys):
    before = proj.read_bytes()
    code, _, err = run(capsys, "ingest", proj, tmp_path / "saknas.csv")
    assert code == 2 and "finns inte" in one_line_error(err)
    odd = tmp_path / "udda.csv"
    odd.write_text("a;b\n1;2\n", encoding="utf-8")
    code, _, err = run(capsys, "ingest", proj, odd)
    assert code == 2 and "--map" in one_line_error(err)
    assert proj.read_bytes() == before


def test_project_that_is_not_a_geopackage(tmp_path, data_dir, capsys):
    fake = tmp_path / "fake.gpkg"
    fake.write_text("inte en databas", encoding="utf-8")
    code, _, err = run(capsys, "ingest", fake, data_dir / "tabell_cp1252.csv")
    assert code == 2 and "ingen GeoPackage" in one_line_error(err)
    assert fake.read_text(encoding="utf-8") == "inte en databas"
    code, _, err = run(capsys, "info", data_dir / "tabell_cp1252.csv")
    assert code == 2 and ".gpkg" in one_line_error(err)


def test_usage_errors_are_one_line_too(capsys):
    code, _, err = run(capsys, "ingest")
    assert code == 2 and "trygg ingest --help" in one_line_error(err)
    code, _, err = run(capsys, "--lang", "fi", "info", "x.gpkg")
    assert code == 2 and "--lang" in one_line_error(err)


def test_english_messages(proj, capsys):
    code, _, err = run(capsys, "--lang", "en", "ingest", proj, "missing.csv")
    assert code == 2 and one_line_error(err) == (
        "Error: The file 'missing.csv' does not exist. Check the path.")
    code, out, _ = run(capsys, "--lang", "en", "--help")
    assert code == 0 and "Make an interactive map" in out


def test_init_refuses_overwrite(proj, capsys):
    code, _, err = run(capsys, "init", proj)
    assert code == 2 and "--overwrite" in one_line_error(err)


def test_gazetteer_and_geocode_commands(proj, tmp_path, capsys):
    from trygg.sample import make_sample

    sample = make_sample(tmp_path / "sample")
    code, out, _ = run(capsys, "gazetteer", proj, sample["kommun"])
    assert code == 0 and "adresser" in out and "platser" in out
    est = tmp_path / "est.csv"
    est.write_text("Datum;Tid;Ort;Plats;Händelsetyp\n"
                   "2025-06-01;22:00;Strandvik;Busstationen;Skadegörelse\n"
                   "2025-06-01;22:30;Strandvik;Gamla kvarnen;Skadegörelse\n", encoding="utf-8")
    code, out, _ = run(capsys, "ingest", proj, est, "--source", "est")
    assert code == 0 and "Utan läge" in out and "'Gamla kvarnen'" in out
    over = tmp_path / "lagen.csv"
    over.write_text("plats;lat;lon\nGamla kvarnen;60,0312;17,1501\n", encoding="utf-8")
    code, out, _ = run(capsys, "geocode", proj, "--overrides", over)
    assert code == 0 and "efter: " in out and "none" not in out.split("efter: ")[1]
    code, _, err = run(capsys, "gazetteer", proj, tmp_path / "saknas.gpkg")
    assert code == 2 and "finns inte" in one_line_error(err)


def test_profile_maps_other_headers_and_categories(proj, tmp_path, capsys):
    data = tmp_path / "annan_kommun.csv"
    data.write_text("Löpnr,Inrapporterad,Ärendekategori,Text,N,E\n"
                    "A1,2025-02-01 10:00,Lyse,Mörkt vid skolan,6656000,620100\n",
                    encoding="utf-8")
    profile = tmp_path / "profil.toml"
    profile.write_text('crs = "EPSG:3006"\n[columns]\nsource_id = "Löpnr"\n'
                       'reported_at = "Inrapporterad"\ncategory = "Ärendekategori"\n'
                       'description = "Text"\nx = "E"\ny = "N"\n'
                       '[categories]\n"Lyse" = "belysning"\n', encoding="utf-8")
    code, out, _ = run(capsys, "ingest", proj, data, "--source", "tycktill",
                       "--profile", profile)
    assert code == 0 and "Tillagda rapporter: 1" in out
    from trygg.layers.store import open_project
    r = open_project(proj).read_reports().iloc[0]
    assert (r["report_id"], r["category"], r.geometry.x) == ("tycktill:A1", "belysning", 620100)
    bad = tmp_path / "trasig.toml"
    bad.write_text("[columns\n", encoding="utf-8")
    code, _, err = run(capsys, "ingest", proj, data, "--source", "tycktill", "--profile", bad)
    assert code == 2 and "TOML" in one_line_error(err)


def test_export_needs_force_for_an_existing_file_and_notes_what_excel_cannot_hold(
        proj, data_dir, tmp_path, capsys):
    from trygg.layers.store import open_project

    run(capsys, "ingest", proj, data_dir / "tabell_cp1252.csv")
    store = open_project(proj)
    reports = store.read_reports()
    reports.loc[0, "description"] = "färg\x1b[31m röd"
    with store.transaction() as tx:
        tx.replace("reports", reports)
    out = tmp_path / "rapporter.xlsx"
    out.write_bytes(b"gammal")
    code, _, err = run(capsys, "export", proj, "--out", out)
    assert code == 2 and "--force" in one_line_error(err) and out.read_bytes() == b"gammal"
    code, text, _ = run(capsys, "export", proj, "--out", out, "--force")
    assert code == 0
    assert "1 tecken som Excel inte kan lagra togs bort" in text and "Skrev" in text
    before = proj.read_bytes()
    code, _, err = run(capsys, "export", proj, "--out", proj, "--force")
    assert code == 2 and "samma fil som projektet" in one_line_error(err)
    assert proj.read_bytes() == before


# -- issue 8: one writer at a time, undo, info/runs with ids, --runs that do not exist ----

def test_ingest_undo_info_and_runs(proj, data_dir, capsys):
    from trygg.layers.store import open_project

    assert run(capsys, "ingest", proj, data_dir / "tabell_cp1252.csv")[0] == 0
    code, out, _ = run(capsys, "hotspots", proj, "--method", "count", "--name", "rakning",
                       "--cell", "250")
    assert code == 0
    ingest_id = open_project(proj).read("ingests")["ingest_id"].iloc[0]
    code, out, _ = run(capsys, "info", proj)
    assert code == 0 and ingest_id in out and "--undo ID" in out
    assert "rakning" in out and "grid_rakning" in out and "Antal per ruta" in out
    code, out, _ = run(capsys, "runs", proj)
    assert code == 0 and "rakning" in out
    code, _, err = run(capsys, "ingest", proj, "--undo", "fel-id")
    assert code == 2 and f"Inläsningar: {ingest_id}" in one_line_error(err)
    code, _, err = run(capsys, "ingest", proj, data_dir / "tabell_cp1252.csv", "--undo",
                       ingest_id)
    assert code == 2 and "--undo tar ingen fil" in one_line_error(err)
    code, _, err = run(capsys, "ingest", proj)
    assert code == 2 and "Ange filen" in one_line_error(err)
    code, out, _ = run(capsys, "ingest", proj, "--undo", ingest_id)
    assert code == 0
    assert f"Ångrade inläsningen {ingest_id} (tabell_cp1252.csv): 4 rapporter, 5 " in out
    assert "togs bort: rakning" in out
    store = open_project(proj)
    assert store.counts()["reports"] == 0 and "grid_rakning" not in store.layers()
    code, out, _ = run(capsys, "runs", proj)
    assert code == 0 and "Inga körningar ännu" in out
    code, out, _ = run(capsys, "ingest", proj, data_dir / "tabell_cp1252.csv")
    assert code == 0 and "Tillagda rapporter: 4" in out


def test_runs_remove(proj, data_dir, capsys):
    from trygg.layers.store import open_project

    run(capsys, "ingest", proj, data_dir / "tabell_cp1252.csv")
    for name in ("a", "b"):
        assert run(capsys, "hotspots", proj, "--method", "count", "--name", name)[0] == 0
    before = proj.read_bytes()
    code, _, err = run(capsys, "runs", proj, "remove", "a", "saknas")
    assert code == 2 and "Körningar som finns: a, b" in one_line_error(err)
    code, _, err = run(capsys, "runs", proj, "ta-bort", "a")
    assert code == 2 and "remove" in one_line_error(err)
    code, _, err = run(capsys, "runs", proj, "remove")
    assert code == 2 and "utan namn" in one_line_error(err)
    assert proj.read_bytes() == before
    code, out, _ = run(capsys, "runs", proj, "remove", "a")
    assert code == 0 and "Tog bort körningen a (grid_a)." in out
    assert list(open_project(proj).read("runs")["run_id"]) == ["b"]


def test_map_with_a_run_that_does_not_exist(proj, data_dir, tmp_path, capsys):
    run(capsys, "ingest", proj, data_dir / "tabell_cp1252.csv")
    run(capsys, "hotspots", proj, "--method", "count", "--name", "finns")
    out_file = tmp_path / "k.html"
    code, _, err = run(capsys, "map", proj, "--out", out_file, "--runs",
                       "gistar_20261124_101500")
    line = one_line_error(err)
    assert code == 2 and "ingen körning som heter gistar_20261124_101500" in line
    assert "Körningar som finns: finns" in line and not out_file.exists()
    code, _, err = run(capsys, "map", proj, "--out", out_file, "--runs", "finns",
                       "--audience", "publik", "--runs", "saknas")
    assert code == 2 and "saknas" in one_line_error(err)
    assert run(capsys, "map", proj, "--out", out_file, "--runs", "finns")[0] == 0


def test_a_busy_project_is_one_line_and_untouched(proj, data_dir, capsys, monkeypatch):
    from trygg.layers.store import open_project

    monkeypatch.setenv("TRYGG_LOCK_TIMEOUT", "0.2")
    before = proj.read_bytes()
    with open_project(proj).writing():
        for args in (["ingest", proj, data_dir / "tabell_cp1252.csv"],
                     ["hotspots", proj, "--method", "count"], ["runs", proj, "remove", "x"],
                     ["ingest", proj, "--undo", "x"]):
            code, _, err = run(capsys, *args)
            assert code == 2 and "är upptaget: ett annat trygg-kommando skriver i det" in (
                one_line_error(err)), args
    assert proj.read_bytes() == before
    code, _, err = run(capsys, "--lang", "en", "ingest", proj, data_dir / "tabell_cp1252.csv")
    assert code == 0


def test_a_full_disk_is_one_line_and_untouched(proj, data_dir, capsys, monkeypatch):
    import errno
    import os

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("trygg.layers.store.shutil.copy2", full)
    before = proj.read_bytes()
    code, _, err = run(capsys, "ingest", proj, data_dir / "tabell_cp1252.csv")
    line = one_line_error(err)
    assert code == 2 and "disken är full. Frigör utrymme" in line and str(proj) in line
    code, _, err = run(capsys, "--lang", "en", "ingest", proj, data_dir / "tabell_cp1252.csv")
    assert code == 2 and "the disk is full. Free up space" in one_line_error(err)
    assert proj.read_bytes() == before


def test_paths_and_names_that_look_like_rich_markup_are_printed_as_they_are(tmp_path, capsys):
    folder = tmp_path / "a[/bold]b"
    folder.mkdir(parents=True)
    proj = folder / "p.gpkg"
    code, out, err = run(capsys, "init", proj, "--name", "[/x]Kommun[red]")
    assert code == 0 and f"{proj}" in out and "[/x]Kommun[red]" in out, err
    code, out, _ = run(capsys, "info", proj)
    assert code == 0 and "[/x]Kommun[red]" in out


# -- writing outputs: the message names the file written, never the project -----------------
@pytest.fixture
def filled(proj, data_dir, capsys):
    assert run(capsys, "ingest", proj, data_dir / "tabell_cp1252.csv")[0] == 0
    return proj


def test_a_gpkg_export_on_a_full_disk_is_one_line_naming_the_export(filled, tmp_path, capsys,
                                                                   monkeypatch):
    from collections import namedtuple

    from pyogrio.errors import DataSourceError

    def full(*args, **kwargs):  # what GDAL says when SQLite finds the disk full
        raise DataSourceError("Failed to commit transaction")

    out = tmp_path / "e.gpkg"
    before = filled.read_bytes()
    monkeypatch.setattr("trygg.maps.export.pyogrio.write_dataframe", full)
    code, _, err = run(capsys, "export", filled, "--out", out)
    line = one_line_error(err)  # the probe finds room: the writer's reason, naming the file
    assert code == 2 and f"Kan inte skriva '{out}'" in line and "commit" in line, line
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr("trygg.maps.export.shutil.disk_usage", lambda _p: usage(1, 1, 0))
    code, _, err = run(capsys, "export", filled, "--out", out)
    line = one_line_error(err)
    assert code == 2 and line == (f"Fel: Disken är full: '{out}' kunde inte skrivas. Frigör "
                                  f"utrymme i '{tmp_path}' och försök igen; inget skrevs."), line
    assert filled.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".lock") == ["kommun.gpkg"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".geojson"])
def test_an_export_on_a_full_disk_names_the_export_not_the_project(filled, tmp_path, capsys,
                                                                   monkeypatch, suffix):
    import errno
    import os

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("trygg.maps.export.pd.DataFrame.to_csv", full)
    monkeypatch.setattr("trygg.maps.export._write_xlsx", full)
    monkeypatch.setattr("trygg.maps.export.pyogrio.write_dataframe", full)
    out = tmp_path / f"e{suffix}"
    code, _, err = run(capsys, "--lang", "en", "export", filled, "--out", out)
    line = one_line_error(err)
    assert code == 2 and f"The disk is full: '{out}' could not be written" in line, line
    assert "kommun.gpkg" not in line
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".lock") == ["kommun.gpkg"]


def test_a_map_on_a_full_disk_names_the_map(filled, tmp_path, capsys, monkeypatch):
    import errno
    import os
    from pathlib import Path

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    out = tmp_path / "karta.html"
    monkeypatch.setattr(Path, "write_text", full)
    code, _, err = run(capsys, "map", filled, "--out", out)
    line = one_line_error(err)
    assert code == 2 and f"Disken är full: '{out}' kunde inte skrivas" in line, line
    assert "kommun.gpkg" not in line
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".lock") == ["kommun.gpkg"]


def test_an_existing_map_is_replaced(filled, tmp_path, capsys):
    out = tmp_path / "karta.htm"
    out.write_text("<!doctype html>\n<html><body>förra veckans karta</body></html>",
                   encoding="utf-8")
    code, _, err = run(capsys, "map", filled, "--out", out)
    assert code == 0, err
    assert "förra veckans" not in out.read_text(encoding="utf-8")
    code, _, err = run(capsys, "map", filled, "--out", out)  # and again, from our own page
    assert code == 0, err


# -- printed commands, empty results, help ------------------------------------------------
def test_the_rejects_hint_quotes_the_project_path_for_the_shell(tmp_path, data_dir, capsys):
    import shlex

    folder = tmp_path / "mina projekt $(id) 'x'"
    folder.mkdir()
    proj = folder / "kommun.gpkg"
    assert run(capsys, "init", proj)[0] == 0
    code, out, _ = run(capsys, "ingest", proj, data_dir / "tabell_cp1252.csv")
    hint = next(line for line in out.splitlines() if "--layer rejects" in line)
    command = hint.split("med: ", 1)[1]
    assert shlex.split(command) == ["trygg", "export", str(proj), "--layer", "rejects",
                                    "--out", "avvisade.xlsx"]


def test_the_undo_hint_quotes_the_project_path(tmp_path, capsys):
    import shlex

    proj = tmp_path / "a b.gpkg"
    code, _, err = run(capsys, "ingest", proj, proj, "--undo", "x y")
    line = one_line_error(err)
    command = line.split("--undo tar ingen fil: ", 1)[1].rstrip(".")
    assert shlex.split(command) == ["trygg", "ingest", str(proj), "--undo", "x y"]


def test_geocode_on_an_empty_project_says_there_are_no_reports(proj, tmp_path, capsys):
    overrides = tmp_path / "lagen.csv"
    overrides.write_text("plats;x;y\nGamla kvarnen;620100;6656000\n", encoding="utf-8")
    code, out, err = run(capsys, "geocode", proj, "--overrides", overrides)
    assert code == 0, err
    assert "Lägesprecision före: inga rapporter; efter: inga rapporter." in out
    code, out, err = run(capsys, "--lang", "en", "geocode", proj)
    assert "Location precision before: no reports; after: no reports." in out


def test_the_ingest_help_names_every_source_as_there(capsys):
    from trygg.layers.ingest import SOURCES

    code, out, _ = run(capsys, "ingest", "--help")
    text = " ".join(out.split())
    assert code == 0 and "kommer" not in text
    for source in SOURCES:
        assert source in text
    code, out, _ = run(capsys, "--lang", "en", "ingest", "--help")
    assert "are coming" not in " ".join(out.split())

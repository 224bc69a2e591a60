"""Source sniffing: a file that clearly comes from another source is refused (issue 8)."""

import shutil

import pytest

from trygg.cli import main
from trygg.geo.errors import InputFileError
from trygg.layers.ingest import ingest_file
from trygg.layers.sources import est, sniff, tycktill, walk


def test_est_workbook_ingested_as_tycktill_is_refused(project, data_dir):
    with pytest.raises(InputFileError) as info:
        ingest_file(project, data_dir / "est_lagesbild.xlsx", source="tycktill")
    assert info.value.sv.startswith("Filen 'est_lagesbild.xlsx' ser ut som en EST-lägesbild "
                                    "(källa est), inte tycktill. Ange --source est, eller "
                                    "--force om du är säker.")
    assert project.counts()["reports"] == 0
    s = ingest_file(project, data_dir / "est_lagesbild.xlsx", source="tycktill", force=True)
    assert s.reports_added == 5


def test_est_csv_as_tycktill_and_tycktill_as_est_are_refused_on_the_command_line(
        tmp_path, data_dir, capsys):
    path = tmp_path / "est.csv"
    path.write_text("Datum;Tid;Ort;Plats;Händelsetyp;Beskrivning;Rapportör/organisation\n"
                    "2025-10-13;21:40;Strandvik;Busstationen;Stök;Grupp;Fältgruppen\n", "utf-8")
    gpkg = tmp_path / "k.gpkg"
    assert main(["init", str(gpkg), "--name", "K"]) == 0
    capsys.readouterr()
    assert main(["ingest", str(gpkg), str(path), "--source", "tycktill"]) == 2
    err = capsys.readouterr().err
    assert "källa est" in err and "--force" in err and "Traceback" not in err
    assert main(["ingest", str(gpkg), str(data_dir / "tycktill_cp1252.csv"),
                 "--source", "est"]) == 2
    assert "Tyck till-export (källa tycktill)" in capsys.readouterr().err
    assert main(["ingest", str(gpkg), str(path), "--source", "tycktill", "--force"]) == 0


FIXTURES = [("tycktill_cp1252.csv", "tycktill"), ("est_lagesbild.xlsx", "est"),
            ("walk_protokoll.xlsx", "walk"), ("walk_waypoints.gpx", "walk"),
            ("open311.json", "open311"), ("polisen_array.json", "polisen"),
            ("polisen_slice.jsonl", "polisen"), ("tabell_cp1252.csv", "table")]


@pytest.mark.parametrize("name, source", FIXTURES)
def test_every_fixture_is_taken_for_its_own_source(data_dir, name, source):
    header = sniff.header_names(data_dir / name)
    assert header, name
    assert sniff.likely_source(header, source) is None
    if source != "table":
        # ... and would be refused under a specific other source (not for walk's GPX,
        # whose name/desc/time columns belong to no source).
        others = [s for s in ("tycktill", "est", "walk", "open311", "polisen") if s != source]
        refused = [s for s in others if sniff.likely_source(header, s) == source]
        assert refused or name.endswith(".gpx")


@pytest.mark.parametrize("name, source", FIXTURES)
def test_every_fixture_still_ingests_with_its_own_source(project, data_dir, name, source):
    s = ingest_file(project, data_dir / name, source=source)
    assert s.balanced and s.rows_read > 0


def test_signatures_are_disjoint_and_known_to_their_source():
    seen = {}
    for src, sig in sniff.SIGNATURES.items():
        for col in sig:
            assert col not in seen, (col, src, seen.get(col))
            seen[col] = src
    for src, module in (("tycktill", tycktill), ("est", est)):
        known = {a for names in module.ALIASES.values() for a in names}
        assert len(sniff.SIGNATURES[src] & known) >= 5, src
    assert {sniff._key(c) for c in walk.TEMPLATE_COLUMNS} >= {"stopp", "åtgärdsförslag"}


def test_unreadable_file_is_left_to_the_reader(project, tmp_path, data_dir):
    bad = tmp_path / "trasig.xlsx"
    shutil.copy(data_dir / "tycktill_cp1252.csv", bad)  # not a workbook
    assert sniff.header_names(bad) == []
    with pytest.raises(InputFileError, match="XLSX"):
        ingest_file(project, bad, source="tycktill")


def test_generic_names_do_not_refuse_a_table():
    assert sniff.likely_source(["Datum", "Kategori", "Plats", "X", "Y", "Status"], "table") is None
    assert sniff.likely_source(["id", "summary", "url", "lat", "lon"], "table") is None
    assert sniff.likely_source(["Ärendenummer", "Skapad", "Underkategori"], "table") == "tycktill"

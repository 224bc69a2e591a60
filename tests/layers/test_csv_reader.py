"""The CSV reader accounts for every physical line: broken quotes, stray CRs, mixed
encodings, control characters and huge fields (issue 8)."""

import csv
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trygg.layers.ingest import ingest_file
from trygg.layers.sources import readers, tycktill

HEADER = "Ärendenummer;Skapad;Kategori;Beskrivning;Adress;Latitud;Longitud"


def _row(i: int, text: str = "Trasig lampa") -> str:
    return f"T-{i};2025-01-{10 + i:02d} 17:42;Belysning;{text};Storgatan {i};60,03141;17,15722"


def _parse(path, project):
    return tycktill.parse_file(path, target_crs=project.crs, area=project.area())


def test_unterminated_quote_rejects_its_line_and_reads_the_rest(project, tmp_path):
    rows = [_row(i) for i in range(1, 10)]
    rows[1] = _row(2, '"Trasig lampa, mörkt')  # line 3: the quote never closes
    path = tmp_path / "t.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", "utf-8")
    p = _parse(path, project)
    assert p.rows_read == 9
    assert len(p.reports) == 8
    assert list(p.rejects["line"]) == [3]
    assert list(p.rejects["reason"]) == ["unterminated_quote"]
    assert "rad 3" in p.rejects["detail"][0]
    s = ingest_file(project, path, source="tycktill")
    assert (s.rows_read, s.reports_added, s.rejected) == (9, 8, 1) and s.balanced


def test_quote_closed_only_by_a_later_rows_quote_does_not_swallow_rows(project, tmp_path):
    rows = [_row(i) for i in range(1, 10)]
    rows[1] = _row(2, '"Trasig lampa, mörkt')
    rows[5] = _row(6, '"Klotter; stort"')  # a proper quoted field four lines later
    path = tmp_path / "t.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", "utf-8")
    p = _parse(path, project)
    assert p.rows_read == 9
    assert list(p.rejects["line"]) == [3]
    assert list(p.rejects["reason"]) == ["unterminated_quote"]
    assert "Klotter; stort" in set(p.reports["description"])


def test_quoted_line_breaks_still_make_one_row_with_its_first_line(project, tmp_path):
    rows = [_row(1), _row(2, '"Rad ett\r\nrad två; ""citat"""'), _row(3)]
    path = tmp_path / "t.csv"
    path.write_bytes(("\r\n".join([HEADER, *rows]) + "\r\n").encode("utf-8"))
    raw = readers.read_raw(path)
    assert list(raw.lines) == [2, 3, 5]
    assert raw.rows["Beskrivning"][1] == 'Rad ett\nrad två; "citat"'


def test_stray_cr_inside_a_row_does_not_split_it(project, tmp_path):
    rows = [_row(1), _row(2, "Trasig\rlampa"), _row(3)]
    path = tmp_path / "t.csv"
    path.write_bytes(("\n".join([HEADER, *rows]) + "\n").encode("utf-8"))
    p = _parse(path, project)
    assert (p.rows_read, len(p.reports), len(p.rejects)) == (3, 3, 0)
    assert p.reports["description"][1] == "Trasig lampa"
    # A CR inside quotes is a line break.
    rows[1] = _row(2, '"Trasig\rlampa"')
    path.write_bytes(("\n".join([HEADER, *rows]) + "\n").encode("utf-8"))
    p = _parse(path, project)
    assert (p.rows_read, len(p.reports)) == (3, 3)
    assert p.reports["description"][1] == "Trasig\nlampa"


def test_file_with_old_mac_cr_line_ends(project, tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(("\r".join([HEADER, _row(1), _row(2), _row(3)]) + "\r").encode("cp1252"))
    raw = readers.read_raw(path)
    assert list(raw.lines) == [2, 3, 4]
    assert any("CR" in sv for sv, _en in raw.notes)
    p = _parse(path, project)
    assert (p.rows_read, len(p.reports)) == (3, 3)


def test_utf8_file_with_one_cp1252_row_is_decoded_per_line(project, tmp_path):
    lines = [HEADER, _row(1, "Mörkt på gångvägen"), _row(2, "Skräp vid ån"), _row(3, "Öde")]
    data = [line.encode("utf-8") for line in lines]
    data[2] = lines[2].encode("cp1252")
    path = tmp_path / "blandad.csv"
    path.write_bytes(b"\n".join(data) + b"\n")
    s = ingest_file(project, path, source="tycktill")
    assert s.reports_added == 3 and s.balanced
    assert s.columns["source_id"] == "Ärendenummer"  # the UTF-8 header is recognised
    r = project.read_reports().set_index("source_id")
    assert r.loc["T-1", "description"] == "Mörkt på gångvägen"
    assert r.loc["T-2", "description"] == "Skräp vid ån"
    assert json.loads(r.loc["T-2", "extra"])["_inläsning"] == "Windows-1252"
    assert json.loads(r.loc["T-1", "extra"])["_inläsning"] == ""
    assert any("rad 3" in sv for sv, _en in s.notes)
    # Next week's clean UTF-8 export of the same rows adds nothing.
    clean = tmp_path / "ren.csv"
    clean.write_text("\n".join(lines) + "\n", "utf-8")
    s2 = ingest_file(project, clean, source="tycktill")
    assert (s2.reports_added, s2.duplicates) == (0, 3)


def test_nul_and_control_characters_are_removed_and_counted(project, tmp_path):
    rows = [_row(1, "Lampan\x00 är trasig\x1b[31m"), _row(2)]
    rows[0] = rows[0].replace("T-1", "T-1\x00a")
    rows[1] = rows[1].replace("T-2", "T-1\x00b")  # the same id up to the NUL
    path = tmp_path / "nul.csv"
    path.write_bytes(("\n".join([HEADER, *rows]) + "\n").encode("utf-8"))
    s = ingest_file(project, path, source="tycktill")
    assert (s.reports_added, s.duplicates) == (2, 0)
    r = project.read_reports().set_index("source_id")
    assert set(r.index) == {"T-1a", "T-1b"}
    assert r.loc["T-1a", "description"] == "Lampan är trasig[31m"
    assert any("4 styrtecken" in sv for sv, _en in s.notes)
    assert "styrtecken" in json.loads(r.loc["T-1a", "extra"])["_inläsning"]


def test_quoted_field_over_128_kb_is_read(project, tmp_path):
    long = "lång text " * 20_000  # 200 kB
    path = tmp_path / "lang.csv"
    path.write_text("\n".join([HEADER, _row(1, f'"{long}"'), _row(2)]) + "\n", "utf-8")
    s = ingest_file(project, path, source="tycktill")
    assert (s.rows_read, s.reports_added) == (2, 2)
    r = project.read_reports().set_index("source_id")
    assert r.loc["T-1", "description"] == long.strip()


def test_field_over_the_cap_rejects_only_its_row(project, tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_FIELD_CHARS", 1000)
    path = tmp_path / "lang.csv"
    path.write_text("\n".join([HEADER, _row(1, '"' + "x" * 5000 + '"'), _row(2)]) + "\n",
                    "utf-8")
    p = _parse(path, project)
    assert p.rows_read == 2 and len(p.reports) == 1
    assert list(p.rejects["reason"]) == ["field_too_large"]


def test_more_fields_than_the_header_is_still_a_broken_row(project, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("\n".join([HEADER, _row(1) + ";extra;fält", _row(2)]) + "\n", "utf-8")
    p = _parse(path, project)
    assert list(p.rejects["reason"]) == ["bad_row"]


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(
    ['"', ";", ",", "\n", "\t", " ", "å"]), max_size=12)


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(st.lists(st.lists(_TEXT, min_size=3, max_size=3), min_size=1, max_size=6))
def test_well_formed_csv_reads_as_the_csv_module_reads_it(tmp_path_factory, table):
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\n")
    writer.writerow(["a", "b", "c"])
    writer.writerows(table)
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    path.write_text(buf.getvalue(), "utf-8")
    expected = [r for r in csv.reader(io.StringIO(buf.getvalue(), newline=""), delimiter=";")
                ][1:]
    expected = [r for r in expected if any(v.strip() for v in r)]
    raw = readers.read_csv(path)
    assert raw.rows.values.tolist() == [[*r, "", "", ""][:3] for r in expected]
    assert (raw.problems == None).all()  # noqa: E711


def test_empty_first_line_is_an_unrecognised_header_not_a_crash(project, tmp_path):
    from trygg.geo.errors import InputFileError

    path = tmp_path / "t.csv"
    path.write_bytes(b'\n\tregistreringsdatum\r\n"@SUM(1+1)"\t45731,5\r\n')  # found by fuzzing
    with pytest.raises(InputFileError, match="känns igen"):
        _parse(path, project)


def test_first_line_with_thousands_of_columns_is_refused_not_a_memory_error(project, tmp_path):
    from trygg.geo.errors import InputFileError

    path = tmp_path / "t.csv"
    # Found by fuzzing: CR line ends with one LF, so the "header" was the whole file.
    path.write_bytes(b'plats;datum\r' + b'l\xc3\xa5ng text; ' * 5000 + b'\r\n1;2\n')
    with pytest.raises(InputFileError, match="rubrikrad"):
        _parse(path, project)

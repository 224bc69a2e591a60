"""Dates in files: out-of-range values are rejects, never crashes; day-first forms
only with ``dayfirst`` (profile or --dayfirst); US order never (issue 8)."""

import pandas as pd
import pytest

from trygg.cli import main
from trygg.layers.ingest import ingest_file
from trygg.layers.sources import common, open311, table, tycktill

HEADER = "Ärendenummer;Skapad;Kategori;Beskrivning;Adress;Latitud;Longitud;Avslutad"


def _file(tmp_path, dates, closed=None, name="t.csv"):
    closed = closed or [""] * len(dates)
    lines = [HEADER] + [f"T-{i};{d};Belysning;Trasig;Storgatan {i};60,03141;17,15722;{c}"
                        for i, (d, c) in enumerate(zip(dates, closed, strict=True))]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


@pytest.mark.parametrize("value", [
    "1677-09-21", "1677-09-22 00:10", "2262-04-11 23:00", "2262-04-12", "3377-12-31",
    "0001-01-01", "3377-12-31T00:00:00Z", "1677-01-01T00:00:00+01:00", "-1", "0",
    "99999999", "1e9", "3000000", "+12025-01-01"])
def test_out_of_range_dates_are_a_reason_not_a_crash(value):
    out, why = common.read_datetimes(pd.Series([value, "2025-01-14"]))
    assert list(why) == ["date_out_of_range", None]
    assert pd.isna(out[0]) and str(out[1]) == "2025-01-14 00:00:00+01:00"
    _, bad = common.parse_datetimes(pd.Series([value]))  # open311, polisen
    assert list(bad) == [True]


def test_day_first_forms_need_dayfirst_and_us_order_is_never_read():
    values = pd.Series(["5/1/2025", "05.01.2025", "5.1.2025", "05-01-2025 21:30",
                        "14/01/2025", "1/14/2025", "2025-01-05", "20250105", "2025/01/05"])
    out, why = common.read_datetimes(values)
    assert list(why) == ["ambiguous_date"] * 4 + [None, "bad_date", None, None, None]
    assert str(out[4]) == "2025-01-14 00:00:00+01:00"  # 14 cannot be a month
    out, why = common.read_datetimes(values, dayfirst=True)
    assert [str(t)[:16] for t in out[:4]] == ["2025-01-05 00:00"] * 3 + ["2025-01-05 21:30"]
    assert why[5] == "bad_date"  # month 14 as day-first: still no date


def test_tycktill_file_with_hostile_dates_rejects_rows_instead_of_crashing(project, tmp_path):
    dates = ["2025-01-14 17:42", "3377-12-31", "1677-09-21", "-1", "5/1/2025", "igår",
             "2025-01-15", "2025-01-16"]
    closed = ["", "", "", "", "", "", "9999-01-01", "1/2/2025"]
    s = ingest_file(project, _file(tmp_path, dates, closed), source="tycktill")
    assert s.balanced and s.rows_read == 8 and s.reports_added == 1
    assert s.rejected_by_reason == {"date_out_of_range": 4, "ambiguous_date": 2, "bad_date": 1}
    rejects = project.read("rejects").set_index("line")
    assert "ÅÅÅÅ-MM-DD" in common.REJECT_REASONS["ambiguous_date"][0]
    assert rejects.loc[6, "detail"] == "Skapad='5/1/2025'"


def test_excel_serials_out_of_range_in_a_table_file(project, tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("Datum;Plats\n45731,5;Torget\n-1;Torget\n99999999999;Torget\n", "utf-8")
    p = table.parse_file(path, target_crs=project.crs, area=project.area())
    assert p.rows_read == 3 and len(p.reports) == 1
    assert list(p.rejects["reason"]) == ["date_out_of_range"] * 2


def test_dayfirst_from_the_profile_or_the_command_line(project, tmp_path, capsys):
    path = _file(tmp_path, ["5/1/2025 21:30", "05.01.2025"])
    p = tycktill.parse_file(path, target_crs=project.crs, area=project.area())
    assert list(p.rejects["reason"]) == ["ambiguous_date"] * 2
    prof = tmp_path / "p.toml"
    prof.write_text("dayfirst = true\n", "utf-8")
    s = ingest_file(project, path, source="tycktill", profile=prof)
    assert s.reports_added == 2
    r = project.read_reports().sort_values("source_id")
    assert [str(t) for t in r["reported_at"]] == ["2025-01-05 21:30:00+01:00",
                                                   "2025-01-05 00:00:00+01:00"]
    prof.write_text('dayfirst = "ja"\n', "utf-8")
    with pytest.raises(Exception, match="dayfirst"):
        ingest_file(project, path, source="tycktill", profile=prof)
    gpkg = tmp_path / "k.gpkg"
    assert main(["init", str(gpkg), "--name", "K"]) == 0
    other = _file(tmp_path, ["5/1/2025 21:30", "05.01.2025"], name="u.csv")
    assert main(["ingest", str(gpkg), str(other), "--source", "tycktill"]) == 0
    assert "tvetydigt datum" in capsys.readouterr().out
    third = _file(tmp_path, ["6/1/2025", "06.01.2025"], name="v.csv")
    assert main(["ingest", str(gpkg), str(third), "--source", "tycktill", "--dayfirst"]) == 0
    out = capsys.readouterr().out
    assert "Summa: 2 + 0 + 0 = 2" in out


def test_open311_out_of_range_dates_do_not_crash(project, tmp_path):
    path = tmp_path / "o.json"
    path.write_text('[{"service_request_id": "1", "requested_datetime": "3377-12-31T00:00:00Z",'
                    ' "service_name": "Klotter", "lat": 60.03, "long": 17.15},'
                    '{"service_request_id": "2", "requested_datetime": "2025-01-14T10:00:00Z",'
                    ' "service_name": "Klotter", "lat": 60.03, "long": 17.15}]', "utf-8")
    p = open311.parse_file(path, target_crs=project.crs, area=project.area())
    assert p.rows_read == 2 and len(p.reports) == 1 and len(p.rejects) == 1

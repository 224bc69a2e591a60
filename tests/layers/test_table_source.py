import json

import geopandas as gpd
import pytest
import shapely

from trygg.geo.errors import CrsError, InputFileError
from trygg.layers.ingest import ingest_file
from trygg.layers.sources import common


def test_swedish_office_csv_is_read_and_every_row_accounted_for(project, data_dir):
    s = ingest_file(project, data_dir / "tabell_cp1252.csv")
    assert s.rows_read == 9
    assert s.reports_added == 4
    assert s.rejected == 5
    assert s.balanced
    assert s.rejected_by_reason == {"bad_coordinates": 1, "missing_date": 1,
                                    "outside_area": 1, "bad_date": 1,
                                    "bad_row": 1}
    assert s.unmapped == {"Hundbajs": 1}
    assert s.by_source == {"est": 2, "tycktill": 2}
    assert s.by_precision == {"exact": 3, "none": 1}
    assert s.crs == "EPSG:3006"


def test_rejects_keep_file_line_reason_and_the_original_row(project, data_dir):
    ingest_file(project, data_dir / "tabell_cp1252.csv")
    rejects = project.read("rejects").set_index("line")
    # The description of the first row spans lines 2-3, so TT-3 starts on line 5.
    assert rejects.loc[5, "reason"] == "bad_coordinates"
    assert rejects.loc[5, "detail"] == "X='abc'"
    assert rejects.loc[5, "file"] == "tabell_cp1252.csv"
    row = json.loads(rejects.loc[5, "row"])
    assert row["Ärende-ID"] == "TT-3" and row["Beskrivning"].startswith("=HYPERLINK")
    assert set(rejects.index) == {5, 7, 8, 9, 11}
    assert rejects.loc[11, "reason"] == "bad_row"
    assert rejects.loc[11, "detail"] == "11 fält, rubriken har 10"


def test_windows1252_text_decimal_commas_and_quoting(project, data_dir):
    ingest_file(project, data_dir / "tabell_cp1252.csv")
    r = project.read_reports().set_index("report_id")
    assert r.loc["tycktill:TT-1", "description"] == (
        'Nytt klotter på elskåpet; "stort"\nsyns från vägen')  # CRLF in quotes read as LF
    assert r.loc["tycktill:TT-1", "place_text"] == "Storgatan 1, Strandvik"
    assert r.loc["tycktill:TT-1", "geometry"].equals_exact(
        shapely.Point(621345.2, 6655123.7), 1e-6)
    assert r.loc["tycktill:TT-2", "geometry"].x == pytest.approx(621400.0)
    assert r.loc["tycktill:TT-2", "category"] == "ovrigt"
    assert r.loc["tycktill:TT-2", "raw_category"] == "Hundbajs"
    assert r.loc["tycktill:TT-1", "status"] == "open"
    assert r.loc["tycktill:TT-2", "status"] == "closed"
    assert r.loc["est:E-1", "category"] == "samlingsplats"
    assert r.loc["est:E-1", "kind"] == "otrygghet"
    extra = json.loads(r.loc["tycktill:TT-1", "extra"])
    assert extra["_rad"] == "2" and extra["_status"] == "Öppen"


def test_wgs84_xlsx_with_other_headers_and_a_mapping(project, tmp_path):
    from datetime import datetime

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Vecka 12"
    ws.append(["Nr", "Skapad", "Typ av ärende", "Lat", "Long", "Vad"])
    ws.append([1, datetime(2025, 3, 20, 18, 5), "Graffiti", 59.95, 17.55, "Tag på muren"])
    ws.append([2, datetime(2025, 3, 21, 22, 40), "Misshandel", 59.951, 17.552, "Bråk"])
    path = tmp_path / "vecka12.xlsx"
    wb.save(path)
    s = ingest_file(project, path, mapping={"category": "Typ av ärende",
                                            "description": "Vad"})
    assert s.reports_added == 2 and s.crs == "EPSG:4326"
    r = project.read_reports().set_index("source_id")
    assert r.loc["1", "category"] == "klotter"
    assert r.loc["2", "category"] == "vald_hot"
    assert r.loc["1", "report_id"] == "table:1"
    assert str(r.loc["1", "reported_at"]) == "2025-03-20 18:05:00+01:00"
    assert 600_000 < r.loc["1", "geometry"].x < 700_000


def test_row_without_coordinates_keeps_its_place_for_the_geocoder(project, data_dir):
    ingest_file(project, data_dir / "tabell_cp1252.csv")
    r = project.read_reports().set_index("report_id")
    assert r.loc["est:E-5", "geometry"] is None
    assert r.loc["est:E-5", "precision"] == "none"
    assert r.loc["est:E-5", "place_text"] == "Torget"


def test_row_with_neither_coordinates_nor_place_is_rejected(project, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("datum;plats;x;y\n2025-01-01;;;\n2025-01-02;Torget;;\n", encoding="utf-8")
    s = ingest_file(project, path)
    assert (s.reports_added, s.rejected_by_reason) == (1, {"missing_coordinates": 1})


def test_unusable_coordinates_without_a_place_are_rejected_as_no_location(project, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "Id;Datum;Plats;Latitud;Longitud\n"
        "1;2025-01-14;;60,03141;17,15722\n"
        "2;2025-01-14;;1e308;17,15722\n"
        "3;2025-01-14;;60 01 53;17 09 22\n"
        "4;2025-01-14;;nan;nan\n"
        "5;2025-01-14;;inf;-inf\n"
        "6;2025-01-14;Torget;1e308;1e308\n"
        "7;2025-01-14;Torget;nan;17,1\n"
        "8;2025-01-14;;60,0318;17,1465\n", encoding="utf-8")
    s = ingest_file(project, path)
    assert s.balanced and s.rows_read == 8
    assert s.rejected_by_reason == {"no_location": 4}
    r = project.read_reports().set_index("source_id")
    assert list(r.index.sort_values()) == ["1", "6", "7", "8"]
    # A place text the geocoder can try later keeps the row, without a point.
    assert r.loc["6", "precision"] == r.loc["7", "precision"] == "none"
    assert r.loc["1", "precision"] == "exact"


def test_date_and_time_columns_and_subcategories(project, tmp_path):
    path = tmp_path / "est.csv"
    path.write_text("Datum;Tid;Ort;Plats;Kategori;Underkategori\n"
                    "2025-06-01;22.15;Strandvik;Torget;Skadegörelse;Klotter\n"
                    "2025-06-02;;Strandvik;Torget;Belysning;Okänd lampa\n", encoding="utf-8")
    s = ingest_file(project, path)
    r = project.read_reports().sort_values("reported_at")
    assert s.reports_added == 2
    assert str(r.iloc[0]["reported_at"]) == "2025-06-01 22:15:00+02:00"
    assert r.iloc[0]["raw_category"] == "Skadegörelse - Klotter"
    assert r.iloc[0]["category"] == "klotter"
    assert r.iloc[1]["category"] == "belysning"
    assert '"_ort": "Strandvik"' in r.iloc[0]["extra"]


def test_geojson_points_need_no_coordinate_columns(project, tmp_path):
    path = tmp_path / "punkter.geojson"
    gpd.GeoDataFrame({"datum": ["2025-05-01 12:00", "2025-05-02 13:00"],
                      "kategori": ["Nedskräpning", "Klotter"]},
                     geometry=[shapely.Point(17.6, 59.9), None], crs=4326).to_file(path)
    s = ingest_file(project, path)
    assert (s.reports_added, s.rejected) == (1, 1)
    assert s.rejected_by_reason == {"missing_coordinates": 1}


def test_file_without_any_known_column_names_the_fix(project, tmp_path):
    path = tmp_path / "konstig.csv"
    path.write_text("a;b;c\n1;2;3\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="--map"):
        ingest_file(project, path)
    assert project.counts()["ingests"] == 0


def test_mapping_to_a_missing_column_lists_the_columns(project, data_dir):
    with pytest.raises(InputFileError, match="Kolumner i filen: Ärende-ID"):
        ingest_file(project, data_dir / "tabell_cp1252.csv", mapping={"x": "Östlig"})


def test_ambiguous_coordinates_ask_for_crs(project, tmp_path):
    path = tmp_path / "lokal.csv"
    path.write_text("datum;x;y\n2025-01-01;150000;150000\n", encoding="utf-8")
    with pytest.raises(CrsError, match="--crs"):
        ingest_file(project, path)
    s = ingest_file(project, path, crs="EPSG:3011")  # SWEREF 99 18 00
    assert s.reports_added == 1 or s.rejected_by_reason == {"outside_area": 1}


def test_parse_numbers_swedish_and_english():
    import pandas as pd

    nums, bad = common.parse_numbers(pd.Series(["6612345,4", "6 612 345,4", "18.07", "", "x"]))
    assert list(nums[:3]) == [6612345.4, 6612345.4, 18.07]
    assert list(bad) == [False, False, False, False, True]


def test_parse_datetimes_local_iso_offsets_and_dayfirst():
    import pandas as pd

    out, bad = common.parse_datetimes(pd.Series([
        "2023-03-21 9:48:48 +01:00", "2025-07-01 12:00", "14/03/2025", "igår", "",
        "45731.75", "45731,5"]))
    assert str(out[0]) == "2023-03-21 09:48:48+01:00"
    assert str(out[1]) == "2025-07-01 12:00:00+02:00"
    assert str(out[2]) == "2025-03-14 00:00:00+01:00"
    assert list(bad) == [False, False, False, True, False, False, False]
    assert str(out[5]) == "2025-03-15 18:00:00+01:00"  # Excel serial day number
    assert str(out[6]) == "2025-03-15 12:00:00+01:00"

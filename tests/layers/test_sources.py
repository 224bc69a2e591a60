"""The tycktill, est and walk sources on realistic fixtures (see tests/data/README.md)."""

import json

import pytest

from trygg.layers.ingest import ingest_file


def test_tycktill_windows1252_wgs84_decimal_commas(project, data_dir):
    s = ingest_file(project, data_dir / "tycktill_cp1252.csv", source="tycktill")
    assert s.rows_read == 7 and s.balanced
    assert s.reports_added == 6
    assert s.rejected_by_reason == {"missing_coordinates": 1}
    assert s.crs == "EPSG:4326"
    assert s.unmapped == {"Snöröjning - Ej plogat": 1}
    r = project.read_reports().set_index("source_id")
    assert r.loc["2025-001234", "category"] == "belysning"
    assert r.loc["2025-001234", "raw_category"] == "Belysning - Trasig gatubelysning"
    assert r.loc["2025-001234", "status"] == "closed"
    assert str(r.loc["2025-001234", "closed_at"]) == "2025-01-20 09:10:00+01:00"
    assert r.loc["2025-001240", "category"] == "klotter"
    assert r.loc["2025-001251", "category"] == "otrygg_plats"
    assert str(r.loc["2025-001251", "reported_at"]) == "2025-01-14 21:30:00+01:00"
    assert r.loc["2025-001260", "category"] == "nedskrapning"
    assert r.loc["2025-001234", "organisation"] == "Invånare"
    assert (r["source"] == "tycktill").all()
    # Latitude and longitude swapped in one row are still placed in Strandvik.
    assert abs(r.loc["2025-001260", "geometry"].x - r.loc["2025-001234", "geometry"].x) < 200
    assert r.loc["2025-001270", "precision"] == "none"


def test_est_workbook_all_sheets_serial_dates_and_time_column(project, data_dir):
    s = ingest_file(project, data_dir / "est_lagesbild.xlsx", source="est")
    assert s.rows_read == 6 and s.balanced
    assert s.reports_added == 5
    assert s.rejected_by_reason == {"bad_date": 1}
    assert s.by_precision == {"none": 5}  # names, not coordinates: for the geocoder
    r = project.read_reports().sort_values("reported_at").reset_index(drop=True)
    assert [str(t) for t in r["reported_at"]] == [
        "2025-10-13 21:40:00+02:00", "2025-10-14 12:00:00+02:00",
        "2025-10-15 23:05:00+02:00", "2025-10-20 02:15:00+02:00",
        "2025-10-21 19:00:00+02:00"]
    assert list(r["category"]) == ["samlingsplats", "skadegorelse", "brand",
                                   "ordningsstorning", "narkotika"]
    assert r.loc[0, "organisation"] == "Fältgruppen"
    extra = json.loads(r.loc[2, "extra"])
    assert extra["_blad"] == "Vecka 41" and extra["_ort"] == "Björkås"
    rejects = project.read("rejects")
    assert rejects.loc[0, "sheet"] == "Vecka 42" and rejects.loc[0, "line"] == 4


def test_walk_protocol_template_keeps_actions(project, data_dir):
    s = ingest_file(project, data_dir / "walk_protokoll.xlsx", source="walk")
    assert (s.rows_read, s.reports_added, s.rejected) == (3, 3, 0)
    r = project.read_reports().sort_values("reported_at").reset_index(drop=True)
    assert list(r["category"]) == ["belysning", "sikt_vegetation", "klotter"]
    assert list(r["status"]) == ["open", "closed", "open"]
    assert list(r["precision"]) == ["exact", "exact", "none"]
    extra = json.loads(r.loc[0, "extra"])
    assert extra["Åtgärdsförslag"] == "Byt armatur"
    assert extra["Ansvarig"] == "Fastighetsförvaltningen"
    assert extra["Prioritet"] == "Hög"
    assert r.loc[0, "organisation"] == "Trygghetsvandring"


def test_walk_gpx_waypoints(project, data_dir):
    s = ingest_file(project, data_dir / "walk_waypoints.gpx", source="walk")
    assert (s.rows_read, s.reports_added, s.rejected) == (4, 4, 0)
    r = project.read_reports().sort_values("reported_at").reset_index(drop=True)
    assert list(r["category"]) == ["belysning", "sikt_vegetation", "klotter", "otrygg_plats"]
    assert str(r.loc[0, "reported_at"]) == "2025-10-14 18:05:00+02:00"
    assert r.loc[0, "place_text"] == "Stopp 1 Busstationen"
    assert r.loc[2, "description"] == "Klotter på elskåpet <b>fetstil</b>"
    assert (r["precision"] == "exact").all()


@pytest.mark.parametrize("name, source", [("tycktill_cp1252.csv", "tycktill"),
                                          ("est_lagesbild.xlsx", "est"),
                                          ("walk_waypoints.gpx", "walk")])
def test_each_source_is_idempotent(project, data_dir, name, source):
    ingest_file(project, data_dir / name, source=source)
    counts = project.counts()
    assert ingest_file(project, data_dir / name, source=source).already_ingested
    assert project.counts() == counts


def test_same_est_rows_as_csv_and_xlsx_are_stored_once(project, tmp_path):
    from datetime import datetime, time

    from openpyxl import Workbook

    header = ["Datum", "Tid", "Ort", "Plats", "Händelsetyp", "Beskrivning",
              "Rapportör/organisation", "Antal"]
    rows = [[datetime(2025, 1, 14), time(21, 40), "Strandvik", "Busstationen",
             "Ungdomar samlas/stök", "Grupp om 15 ungdomar", "Fältgruppen", 1.5],
            [datetime(2025, 1, 15), time(2, 15), "Björkås", "Torget", "Skadegörelse",
             "Krossad ruta  vid kiosken", "Polisen", 3],
            [datetime(2025, 1, 16), time(0, 5), "Strandvik", "Ån", "Brand",
             "Brand i papperskorg", "Räddningstjänsten", 2]]

    def csv_text(date_fmt: str) -> str:
        lines = [";".join(header)]
        for r in rows:
            lines.append(";".join([r[0].strftime(date_fmt), r[1].strftime("%H:%M"), *r[2:7],
                                   str(r[7]).replace(".", ",")]))
        return "\n".join(lines) + "\n"

    utf8 = tmp_path / "est_utf8.csv"
    utf8.write_text(csv_text("%Y-%m-%d"), "utf-8")
    cp1252 = tmp_path / "est_cp1252.csv"
    cp1252.write_bytes(csv_text("%Y-%m-%d 00:00:00").replace("\n", "\r\n").encode("cp1252"))
    xlsx = tmp_path / "est.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(xlsx)
    first = ingest_file(project, utf8, source="est")
    assert first.reports_added == 3
    for path in (cp1252, xlsx):
        s = ingest_file(project, path, source="est")
        assert (s.reports_added, s.duplicates) == (0, 3), path.name
    assert project.counts()["reports"] == 3

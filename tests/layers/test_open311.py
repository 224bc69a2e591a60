"""Source ``open311``: GeoReport v2 service requests (requests.json)."""

import json

import numpy as np
import pandas as pd
import pytest

from trygg.geo.crs import crs_bounds, transform_xy
from trygg.geo.errors import InputFileError
from trygg.layers import schema
from trygg.layers.sources import common, open311

SWEDEN = crs_bounds("EPSG:3006")


def parse(path, **kw):
    kw.setdefault("area", SWEDEN)
    return open311.parse_file(path, target_crs="EPSG:3006", **kw)


def test_every_request_is_a_report_or_a_reject(data_dir):
    p = parse(data_dir / "open311.json")
    assert (p.rows_read, len(p.reports), len(p.rejects)) == (8, 7, 1)
    rej = p.rejects.iloc[0]
    assert (rej["line"], rej["reason"]) == (6, "missing_coordinates")
    assert json.loads(rej["row"])["service_request_id"] == "SR-2025-0106"
    r = p.reports.copy()
    r["ingest_id"] = "test"
    schema.validate(r)
    assert p.unmapped == {"Hundbajs": 1}
    assert p.crs == "EPSG:4326"


def test_fields_of_a_closed_request(data_dir):
    r = parse(data_dir / "open311.json").reports.set_index("report_id")
    e = r.loc["open311:SR-2025-0102"]
    assert e["source"] == "open311" and e["source_id"] == "SR-2025-0102"
    assert e["raw_category"] == "Graffiti" and e["category"] == "klotter"
    assert e["status"] == "closed"
    assert str(e["reported_at"]) == "2025-03-30 01:30:00+01:00"
    assert str(e["closed_at"]) == "2025-03-31 10:15:00+02:00"
    assert e["place_text"] == "Torggatan 3, Strandvik"
    assert e["organisation"] == "Strandviks kommun, gatuenheten"
    assert e["precision"] == "exact" and e["geocode_score"] == 1.0
    assert e["visibility"] == "publik"
    x, y = transform_xy(np.array([18.7003]), np.array([59.7598]), "EPSG:4326", "EPSG:3006")
    assert e["geometry"].x == pytest.approx(x[0]) and e["geometry"].y == pytest.approx(y[0])
    extra = json.loads(e["extra"])
    assert extra["status_notes"] == "Klottret sanerat."
    assert extra["service_code"] == "KLO" and extra["zipcode"] == "761 91"
    assert extra["updated_datetime"] == "2025-03-31T10:15:00+02:00"
    assert "media_url" in extra and extra["_rad"] == 2


def test_open_request_has_no_closed_at_and_utc_z_is_converted(data_dir):
    r = parse(data_dir / "open311.json").reports.set_index("report_id")
    e = r.loc["open311:SR-2025-0103"]
    assert e["status"] == "open" and pd.isna(e["closed_at"])
    assert str(e["reported_at"]) == "2025-06-02 10:15:00+02:00"  # 08:15Z in summer
    assert str(e["reported_at"].tz) == "Europe/Stockholm"


def test_categories_english_and_swedish(data_dir):
    r = parse(data_dir / "open311.json").reports.set_index("report_id")
    cats = r["category"].to_dict()
    assert cats["open311:SR-2025-0101"] == "belysning"       # Gatubelysning
    assert cats["open311:SR-2025-0103"] == "nedskrapning"    # Nedskräpning
    assert cats["open311:SR-2025-0104"] == "sikt_vegetation"  # Overgrown vegetation
    assert cats["open311:SR-2025-0105"] == "skadegorelse"    # Skadegörelse
    assert cats["open311:SR-2025-0108"] == "ovrigt"          # Hundbajs


@pytest.mark.parametrize(("name", "code"), [
    ("Streetlight out", "belysning"), ("Gatubelysning", "belysning"), ("Graffiti", "klotter"),
    ("Litter", "nedskrapning"), ("Nedskräpning", "nedskrapning"),
    ("Vandalism", "skadegorelse"), ("Skadegörelse", "skadegorelse"),
    ("Overgrown vegetation", "sikt_vegetation"), ("Växtlighet", "sikt_vegetation"),
    ("  STREETLIGHT   OUT ", "belysning"),
])
def test_service_names(name, code):
    assert common.map_categories(pd.Series([name]), open311.service_mapping())[0] == code


def test_every_mapped_code_is_in_the_vocabulary():
    assert set(open311.SERVICE_NAMES.values()) <= set(schema.CATEGORIES)


def test_profile_categories_override(data_dir):
    p = parse(data_dir / "open311.json", categories={"Hundbajs": "nedskrapning"})
    r = p.reports.set_index("report_id")
    assert r.loc["open311:SR-2025-0108", "category"] == "nedskrapning"
    assert p.unmapped == {}


def test_request_with_only_an_address_waits_for_the_geocoder(data_dir):
    r = parse(data_dir / "open311.json").reports.set_index("report_id")
    e = r.loc["open311:SR-2025-0105"]
    assert e["geometry"] is None
    assert e["precision"] == "none"
    assert e["place_text"] == "Sjögatan 4, Strandvik"


def test_request_without_id_gets_a_stable_content_hash_and_service_code(data_dir):
    a = parse(data_dir / "open311.json").reports
    b = parse(data_dir / "open311.json").reports
    hashed = a[a["source_id"].isna()]
    assert len(hashed) == 1
    rid = hashed["report_id"].iloc[0]
    assert rid.startswith("open311:h") and rid in set(b["report_id"])
    assert hashed["raw_category"].iloc[0] == "Vandalism"  # service_code, no service_name
    assert hashed["category"].iloc[0] == "skadegorelse"
    assert json.loads(hashed["extra"].iloc[0])["token"] == "b7c1e9f2-tt-0107"


def test_script_in_description_is_kept_as_text(data_dir):
    r = parse(data_dir / "open311.json").reports.set_index("report_id")
    # Stored verbatim; escaping is the job of every output that shows it.
    assert r.loc["open311:SR-2025-0103", "description"] == (
        "Mycket skräp vid grillplatsen <script>alert(1)</script>")


def test_small_area_rejects_requests_outside(data_dir):
    x, y = transform_xy(np.array([18.7041]), np.array([59.7612]), "EPSG:4326", "EPSG:3006")
    area = (x[0] - 100, y[0] - 100, x[0] + 100, y[0] + 100)
    p = parse(data_dir / "open311.json", area=area)
    assert p.rows_read == len(p.reports) + len(p.rejects)
    assert dict(p.rejects["reason"].value_counts()) == {"outside_area": 5,
                                                         "missing_coordinates": 1}
    # Kept: the request inside the area and the one that has only an address.
    assert set(p.reports["report_id"]) == {"open311:SR-2025-0101", "open311:SR-2025-0105"}


def test_wrapper_object_zero_coordinates_and_bad_values(tmp_path):
    requests = [
        {"service_request_id": 1, "status": "Open", "service_name": "Graffiti",
         "requested_datetime": "2025-02-01T10:00:00+01:00", "lat": 59.76, "long": 18.70},
        {"service_request_id": 2, "status": "closed", "service_name": "Litter",
         "requested_datetime": "2025-02-01T11:00:00+01:00", "lat": 0, "long": 0,
         "address": "Storgatan 1"},
        {"service_request_id": 3, "service_name": "Litter",
         "requested_datetime": "2025-02-01T11:00:00+01:00", "lat": "abc", "long": 18.7},
        {"service_request_id": 4, "service_name": "Litter",
         "requested_datetime": "igår", "lat": 59.76, "long": 18.70},
        {"service_request_id": 5, "service_name": "Litter", "lat": 59.76, "long": 18.70},
        "not an object",
    ]
    path = tmp_path / "requests.json"
    path.write_text(json.dumps({"service_requests": requests}), encoding="utf-8")
    p = parse(path)
    assert p.rows_read == 6 and len(p.reports) + len(p.rejects) == 6
    reasons = dict(zip(p.rejects["line"], p.rejects["reason"], strict=True))
    assert reasons == {3: "bad_coordinates", 4: "bad_date", 5: "missing_date", 6: "bad_row"}
    r = p.reports.set_index("report_id")
    assert r.loc["open311:1", "status"] == "open"
    assert json.loads(r.loc["open311:1", "extra"])["_status"] == "Open"
    assert r.loc["open311:2", "precision"] == "none"  # (0, 0) means "no position"
    assert r.loc["open311:2", "geometry"] is None
    assert pd.isna(r.loc["open311:2", "closed_at"])  # closed but no updated_datetime


def test_not_json_or_not_a_list_names_the_file(tmp_path):
    path = tmp_path / "svar.json"
    path.write_text("<service_requests></service_requests>", encoding="utf-8")
    with pytest.raises(InputFileError, match="svar.json"):
        parse(path)
    path.write_text('{"error": "rate limited"}', encoding="utf-8")
    with pytest.raises(InputFileError, match="service_requests"):
        parse(path)


def test_ingest_into_a_project(project, data_dir, monkeypatch):
    from trygg.layers import sources
    from trygg.layers.ingest import ingest_file

    monkeypatch.setitem(sources.PARSERS, "open311", open311)
    s = ingest_file(project, data_dir / "open311.json", source="open311")
    assert (s.rows_read, s.reports_added, s.rejected) == (8, 7, 1) and s.balanced
    assert s.by_precision["exact"] == 6 and sum(s.by_precision.values()) == 7
    stored = project.read_reports().set_index("report_id")
    assert str(stored.loc["open311:SR-2025-0102", "closed_at"]) == "2025-03-31 10:15:00+02:00"


def _request(i, when="2025-03-01T10:00:00Z", **more):
    return {"service_request_id": f"SR-{i}", "requested_datetime": when, "lat": 59.76,
            "long": 18.70, "service_name": "Graffiti", **more}


@pytest.mark.parametrize("text", [
    "[" * 100_000,
    "[" * 100_000 + "]" * 100_000,
    '[{"a": ' * 20_000 + "1" + "}]" * 20_000,
    '{"service_requests": ' + '{"a": ' * 20_000 + "1" + "}" * 20_001,
])
def test_json_nested_beyond_the_parser_is_one_message_naming_the_file(tmp_path, text):
    path = tmp_path / "djup.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError, match="djup.json") as info:
        parse(path)
    assert "\n" not in str(info.value) and "nästlad" in str(info.value)


def test_a_deeply_nested_request_is_a_reject_and_ingests(project, tmp_path, monkeypatch):
    from trygg.layers import sources
    from trygg.layers.ingest import ingest_file

    deep = "[" * 500 + "]" * 500  # below the parser's limit, far deeper than any request
    path = tmp_path / "requests.json"
    path.write_text("[" + json.dumps(_request(1)) + ","
                    + json.dumps(_request(2))[:-1] + ', "media": ' + deep + "}, "
                    + deep + "]", encoding="utf-8")
    p = parse(path)
    assert (p.rows_read, len(p.reports)) == (3, 1)
    assert list(p.rejects["line"]) == [2, 3] and set(p.rejects["reason"]) == {"bad_row"}
    assert p.rejects["detail"].str.contains("nästlad").all()
    monkeypatch.setitem(sources.PARSERS, "open311", open311)
    s = ingest_file(project, path, source="open311")
    assert (s.rows_read, s.reports_added, s.rejected) == (3, 1, 2) and s.balanced


@pytest.mark.parametrize("when", [
    "1677-01-01T00:00:00Z", "1677-09-21T00:12:43", "2262-04-12T00:00:00", "2262-05-01",
    "3377-12-31", "9999-12-31T23:59:59+01:00", "-0001-01-01", "31/12/3377"])
def test_dates_outside_the_supported_range_are_rejects(tmp_path, when):
    path = tmp_path / "requests.json"
    records = [_request(1), _request(2, when), _request(3, updated_datetime=when,
                                                        status="closed")]
    path.write_text(json.dumps(records), encoding="utf-8")
    p = parse(path)
    assert p.rows_read == 3 and len(p.reports) + len(p.rejects) == 3
    assert list(p.reports["source_id"]) == ["SR-1"]
    assert list(p.rejects["line"]) == [2, 3]
    assert set(p.rejects["reason"]) == {"date_out_of_range"}
    assert when in p.rejects["detail"].iloc[0]


def test_lone_surrogate_escapes_become_replacement_characters(project, tmp_path, monkeypatch):
    from trygg.layers import sources
    from trygg.layers.ingest import ingest_file

    path = tmp_path / "requests.json"
    text = json.dumps([_request(1, description="a\udfffb", status="\ud800"),
                       {**_request(2), "x\ud800": 1, "service_request_id": "SR-\ud83d\ude00"}])
    assert "\\udfff" in text and "\\ud83d\\ude00" in text
    path.write_text(text, encoding="utf-8")
    p = parse(path)
    assert (p.rows_read, len(p.reports)) == (2, 2)
    r = p.reports.set_index("source_id")
    assert r.loc["SR-1", "description"] == "a\ufffdb"
    assert "SR-\U0001f600" in r.index  # a proper pair is one character
    assert "x\ufffd" in json.loads(r.loc["SR-\U0001f600", "extra"])
    monkeypatch.setitem(sources.PARSERS, "open311", open311)
    s = ingest_file(project, path, source="open311")
    assert (s.reports_added, s.rejected) == (2, 0) and s.balanced

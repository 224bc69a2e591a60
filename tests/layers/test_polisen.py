"""Source ``polisen``: the police events API, as JSON Lines (plain/gzip) and as the array."""

import gzip
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from trygg.geo.crs import crs_bounds, transform_xy
from trygg.layers import schema
from trygg.layers.sources import common, polisen

FULL = Path(__file__).resolve().parents[3] / "shared" / "data" / "polisen_events_2022_2026.jsonl.gz"
SWEDEN = crs_bounds("EPSG:3006")
NORRTALJE = (59.759584, 18.701358)  # location.gps of every Norrtälje event (lat, lon)


def parse(path, **kw):
    kw.setdefault("area", SWEDEN)
    return polisen.parse_file(path, target_crs="EPSG:3006", **kw)


def accounted(p) -> bool:
    return p.rows_read == len(p.reports) + len(p.rejects)


def valid(reports):
    r = reports.copy()
    r["ingest_id"] = "test"
    return schema.validate(r)


def test_real_slice_every_event_becomes_a_report(data_dir):
    p = parse(data_dir / "polisen_slice.jsonl")
    assert (p.rows_read, len(p.reports), len(p.rejects)) == (300, 300, 0)
    assert accounted(p)
    valid(p.reports)
    r = p.reports
    assert set(r["precision"]) == {"kommun"}
    assert set(r["visibility"]) == {"publik"}
    assert set(r["organisation"]) == {"Polisen"}
    assert set(r["source"]) == {"polisen"}
    assert r["status"].isna().all() and (r["geocode_score"] == 1.0).all()
    assert r["report_id"].is_unique
    assert (r["report_id"] == "polisen:" + r["source_id"]).all()
    assert (r["place_text"] == "Norrtälje").sum() == 50
    assert p.unmapped == {}
    assert p.crs == "EPSG:4326"


def test_fields_of_one_real_event(data_dir):
    r = parse(data_dir / "polisen_slice.jsonl").reports.set_index("report_id")
    e = r.loc["polisen:410709"]
    assert e["source_id"] == "410709"
    assert e["raw_category"] == "Trafikolycka, personskada"
    assert e["category"] == "ovrigt"
    assert e["description"] == "Frontalkrock på Västgötatorpsvägen."
    assert e["place_text"] == "Norrtälje"
    extra = json.loads(e["extra"])
    assert extra["name"] == "21 mars 08:51, Trafikolycka, personskada, Norrtälje"
    assert extra["url"].startswith("/aktuellt/handelser/2023/mars/21/")
    assert extra["location.name"] == "Norrtälje"
    assert extra["location.gps"] == "59.759584,18.701358"
    assert extra["_rad"] == 252 and extra["_nivå"] == "kommun"


def test_datetime_with_one_digit_hour_and_offset_is_stockholm_time(data_dir):
    r = parse(data_dir / "polisen_slice.jsonl").reports.set_index("report_id")
    reported = r.loc["polisen:410709", "reported_at"]  # "2023-03-21 9:48:48 +01:00"
    assert str(reported.tz) == "Europe/Stockholm"
    assert str(reported) == "2023-03-21 09:48:48+01:00"
    assert reported.tz_convert("UTC") == pd.Timestamp("2023-03-21 08:48:48", tz="UTC")
    # Summer time: "2022-09-29 7:56:30 +02:00" stays 07:56:30 local.
    summer = r["reported_at"][r["reported_at"].dt.strftime("%Y-%m-%d %H:%M:%S")
                              == "2022-09-29 07:56:30"]
    assert len(summer) == 1 and summer.iloc[0].utcoffset() == pd.Timedelta(hours=2)
    # The event time written in the name ("21 mars 08:51").
    assert str(r.loc["polisen:410709", "occurred_at"]) == "2023-03-21 08:51:00+01:00"


def test_position_is_the_municipality_centroid_in_sweref(data_dir):
    r = parse(data_dir / "polisen_slice.jsonl").reports
    x, y = transform_xy(np.array([NORRTALJE[1]]), np.array([NORRTALJE[0]]), "EPSG:4326",
                        "EPSG:3006")
    pts = r.loc[r["place_text"] == "Norrtälje", "geometry"]
    assert all(p.equals_exact(shapely.Point(x[0], y[0]), 1e-6) for p in pts)
    assert 700_000 < x[0] < 720_000 and 6_620_000 < y[0] < 6_640_000
    assert (r.crs.to_epsg()) == 3006


def test_categories_of_known_types(data_dir):
    r = parse(data_dir / "polisen_slice.jsonl").reports
    by_type = dict(zip(r["raw_category"], r["category"], strict=True))
    assert by_type["Mord/dråp, försök"] == "vald_hot"
    assert by_type["Misshandel"] == "vald_hot"
    assert by_type["Rån övrigt"] == "ran"
    assert by_type["Brand"] == "brand"
    assert by_type["Narkotikabrott"] == "narkotika"
    assert by_type["Fylleri/LOB"] == "ordningsstorning"
    assert by_type["Rattfylleri"] == "trafik"
    assert by_type["Stöld/inbrott"] == "stold_inbrott"
    assert by_type["Motorfordon, anträffat stulet"] == "fordon"
    assert by_type["Trafikolycka"] == "ovrigt"
    assert by_type["Anträffad död"] == "ovrigt"
    kinds = dict(zip(r["category"], r["kind"], strict=True))
    assert kinds["vald_hot"] == "brott" and kinds["trafik"] == "otrygghet"


@pytest.mark.parametrize(("police_type", "code"), [
    ("Misshandel, grov", "vald_hot"), ("Våld/hot mot tjänsteman", "vald_hot"),
    ("Olaga hot", "vald_hot"), ("Mord/dråp", "vald_hot"), ("Rån", "ran"),
    ("Rån väpnat", "ran"), ("Stöld", "stold_inbrott"), ("Inbrott", "stold_inbrott"),
    ("Skadegörelse", "skadegorelse"), ("Mordbrand", "brand"), ("Bråk", "ordningsstorning"),
    ("Ordningslagen", "ordningsstorning"), ("Trafikbrott", "trafik"),
    ("Olovlig körning", "trafik"), ("Motorfordon, stöld", "fordon"),
    ("Sammanfattning natt", "ovrigt"), ("Sammanfattning kväll och natt", "ovrigt"),
    ("Trafikolycka, vilt", "ovrigt"), ("Försvunnen person", "ovrigt"),
    ("Räddningsinsats", "ovrigt"), ("Polisinsats/kommendering", "ovrigt"),
    ("Lagen om hundar och katter ", "ovrigt"), ("MISSHANDEL", "vald_hot"),
])
def test_type_mapping(police_type, code):
    mapping = polisen.type_mapping()
    codes = common.map_categories(pd.Series([police_type]), mapping)
    assert codes[0] == code


def test_every_mapped_code_is_in_the_vocabulary():
    assert set(polisen.POLICE_TYPES.values()) <= set(schema.CATEGORIES)


def test_profile_categories_override_and_unknown_types_are_listed(tmp_path):
    events = [
        {"id": 1, "datetime": "2025-05-01 22:10:00 +02:00", "name": "1 maj 21:50, Bråk, X",
         "summary": "Bråk på torget.", "url": "/a", "type": "Bråk",
         "location": {"name": "Norrtälje", "gps": "59.759584,18.701358"}},
        {"id": 2, "datetime": "2025-05-02 1:10:00 +02:00", "name": "2 maj 00:30, Nytt, X",
         "summary": "?", "url": "/b", "type": "Helt ny typ",
         "location": {"name": "Norrtälje", "gps": "59.759584,18.701358"}},
        {"id": 3, "datetime": "2025-05-02 2:10:00 +02:00", "name": "2 maj 01:30, Trafikolycka",
         "summary": "?", "url": "/c", "type": "Trafikolycka",
         "location": {"name": "Norrtälje", "gps": "59.759584,18.701358"}},
    ]
    path = tmp_path / "e.jsonl"
    path.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in events),
                    encoding="utf-8")
    p = parse(path, categories={"Bråk": "samlingsplats"})
    r = p.reports.set_index("source_id")
    assert r.loc["1", "category"] == "samlingsplats"
    assert r.loc["2", "category"] == "ovrigt"
    # Types mapped to "ovrigt" on purpose are not "unmapped"; unknown ones are.
    assert p.unmapped == {"Helt ny typ": 1}


def test_gzip_and_plain_give_the_same_reports(data_dir, tmp_path):
    plain = data_dir / "polisen_slice.jsonl"
    gz = tmp_path / "slice.jsonl.gz"
    gz.write_bytes(gzip.compress(plain.read_bytes()))
    named_plain = tmp_path / "slice_without_suffix"
    named_plain.write_bytes(gzip.compress(plain.read_bytes()))  # gzip found by content
    a, b, c = parse(plain).reports, parse(gz).reports, parse(named_plain).reports
    pd.testing.assert_frame_equal(a.drop(columns="geometry"), b.drop(columns="geometry"))
    pd.testing.assert_frame_equal(a.drop(columns="geometry"), c.drop(columns="geometry"))
    assert a.geometry.geom_equals(b.geometry).all()


def test_array_format_with_a_broken_event_and_a_bad_date(data_dir):
    p = parse(data_dir / "polisen_array.json")
    assert (p.rows_read, len(p.reports), len(p.rejects)) == (10, 8, 2)
    valid(p.reports)
    rej = p.rejects.set_index("line")
    assert rej.loc[4, "reason"] == "missing_coordinates"  # Brand without location.gps
    assert rej.loc[6, "reason"] == "bad_date"
    assert rej.loc[6, "detail"] == "datetime='2024-02-30 25:61:00 +01:00'"
    assert json.loads(rej.loc[4, "row"])["id"] == 614264
    assert set(rej["file"]) == {"polisen_array.json"}
    r = p.reports.set_index("report_id")
    assert r.loc["polisen:563189", "category"] == "skadegorelse"
    assert r.loc["polisen:411287", "category"] == "ran"
    assert r.loc["polisen:426740", "category"] == "fordon"
    assert str(r.loc["polisen:617113", "reported_at"]) == "2025-12-15 07:23:28+01:00"
    # An event told in the name as "15 december 00.12" (dot between hours and minutes).
    assert str(r.loc["polisen:617113", "occurred_at"]) == "2025-12-15 00:12:00+01:00"
    # A county-level event: still precision "kommun", the level is kept in extra.
    assert r.loc["polisen:615073", "place_text"] == "Uppsala län"
    assert r.loc["polisen:615073", "precision"] == "kommun"
    assert json.loads(r.loc["polisen:615073", "extra"])["_nivå"] == "län"
    assert json.loads(r.loc["polisen:617113", "extra"])["_rad"] == 1


def test_small_area_rejects_events_outside(data_dir):
    x, y = transform_xy(np.array([NORRTALJE[1]]), np.array([NORRTALJE[0]]), "EPSG:4326",
                        "EPSG:3006")
    area = (x[0] - 5_000, y[0] - 5_000, x[0] + 5_000, y[0] + 5_000)
    p = parse(data_dir / "polisen_slice.jsonl", area=area)
    assert accounted(p)
    assert len(p.reports) == 50 and set(p.reports["place_text"]) == {"Norrtälje"}
    assert set(p.rejects["reason"]) == {"outside_area"}
    assert len(p.rejects) == 250
    assert p.rejects["detail"].str.contains("EPSG:3006").all()


def test_broken_lines_are_rejected_with_their_line_numbers(tmp_path):
    good = {"id": 7, "datetime": "2024-01-05 3:04:05 +01:00", "name": "5 januari 02:40, Rån, A",
            "summary": "s", "url": "/u", "type": "Rån",
            "location": {"name": "Norrtälje", "gps": "59.759584,18.701358"}}
    lines = [
        json.dumps(good),                                          # 1 report
        "",                                                        # 2 blank: no record
        '{"id": 8, "datetime": "2024-01-05',                       # 3 not JSON
        "[1, 2]",                                                  # 4 not an object
        json.dumps({**good, "id": 9, "location": {"name": "X", "gps": "abc"}}),  # 5
        json.dumps({**good, "id": 10, "datetime": ""}),            # 6 no date
        json.dumps({**good, "id": 11, "location": None}),          # 7 no location
        json.dumps({**good, "id": 12, "location": {"name": "Y", "gps": "59.7,218.7"}}),  # 8
        json.dumps({k: v for k, v in good.items() if k != "id"} | {"extra_field": [1]}),  # 9
    ]
    path = tmp_path / "broken.jsonl"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    p = parse(path)
    assert p.rows_read == 8 and accounted(p)
    reasons = dict(zip(p.rejects["line"], p.rejects["reason"], strict=True))
    assert reasons == {3: "bad_row", 4: "bad_row", 5: "bad_coordinates", 6: "missing_date",
                       7: "missing_coordinates", 8: "bad_coordinates"}
    assert set(p.rejects["reason"]) <= set(common.REJECT_REASONS)
    row3 = json.loads(p.rejects.set_index("line").loc[3, "row"])
    assert row3 == {"_text": '{"id": 8, "datetime": "2024-01-05'}
    r = p.reports.set_index("report_id")
    assert "polisen:7" in r.index
    no_id = [i for i in r.index if i != "polisen:7"]
    assert len(no_id) == 1 and no_id[0].startswith("polisen:h")  # content hash
    assert json.loads(r.loc[no_id[0], "extra"])["extra_field"] == [1]
    # The same file again gives the same ids (re-ingesting adds nothing).
    assert list(parse(path).reports["report_id"]) == list(p.reports["report_id"])


def test_year_of_the_event_time_across_new_year(tmp_path):
    base = {"summary": "s", "url": "/u", "type": "Brand",
            "location": {"name": "Norrtälje", "gps": "59.759584,18.701358"}}
    events = [
        {**base, "id": 1, "datetime": "2025-01-01 0:40:00 +01:00",
         "name": "31 december 23:55, Brand, Norrtälje"},
        {**base, "id": 2, "datetime": "2024-12-30 10:00:00 +01:00",
         "name": "02 januari 08:00, Övrigt, Norrtälje"},  # an announcement
        {**base, "id": 3, "datetime": "2024-12-30 10:00:00 +01:00", "name": "Utan tid"},
    ]
    path = tmp_path / "e.json"
    path.write_text(json.dumps(events, ensure_ascii=False), encoding="utf-8")
    r = parse(path).reports.set_index("source_id")
    assert str(r.loc["1", "occurred_at"]) == "2024-12-31 23:55:00+01:00"
    assert str(r.loc["2", "occurred_at"]) == "2025-01-02 08:00:00+01:00"
    assert pd.isna(r.loc["3", "occurred_at"])


def test_a_file_that_is_not_a_json_array_names_the_problem(tmp_path):
    from trygg.geo.errors import InputFileError

    path = tmp_path / "trasig.json"
    path.write_text('[{"id": 1}, {"id": ', encoding="utf-8")
    with pytest.raises(InputFileError, match="trasig.json"):
        parse(path)


def test_ingest_into_a_project(project, data_dir, monkeypatch):
    from trygg.layers import sources
    from trygg.layers.ingest import ingest_file

    monkeypatch.setitem(sources.PARSERS, "polisen", polisen)
    s = ingest_file(project, data_dir / "polisen_array.json", source="polisen")
    assert (s.rows_read, s.reports_added, s.rejected) == (10, 8, 2) and s.balanced
    assert s.by_precision == {"kommun": 8}
    stored = project.read_reports().set_index("report_id")
    assert str(stored.loc["polisen:617113", "reported_at"]) == "2025-12-15 07:23:28+01:00"
    again = ingest_file(project, data_dir / "polisen_slice.jsonl", source="polisen")
    # Two events of the array are also in the slice: stored once (same report_id).
    assert again.balanced and (again.reports_added, again.duplicates) == (298, 2)


def test_full_real_file_every_event_accounted_for(shared):
    p = parse(shared(FULL.name))
    assert p.rows_read == 85_011
    assert len(p.reports) + len(p.rejects) == 85_011
    assert p.rejects["reason"].notna().all()
    assert set(p.rejects["reason"]) <= set(common.REJECT_REASONS)
    assert len(p.rejects) == 0  # every event lies in Sweden and has a date
    r = p.reports
    assert set(r["precision"]) == {"kommun"}
    assert r["report_id"].is_unique
    assert r["reported_at"].notna().all() and r["occurred_at"].notna().all()
    assert p.unmapped == {}  # POLICE_TYPES covers every type in the file
    counts = r["category"].value_counts()
    assert counts["vald_hot"] > 5_000 and counts["brand"] > 5_000
    assert set(counts.index) <= set(schema.CATEGORIES)
    assert (r["place_text"] == "Norrtälje").sum() == 246


def test_full_real_file_through_the_command(tmp_path, capsys, shared):
    from trygg.cli import main

    full = shared(FULL.name)
    project = tmp_path / "sverige.gpkg"
    assert main(["init", str(project)]) == 0
    assert main(["ingest", str(project), str(full), "--source", "polisen"]) == 0
    out = capsys.readouterr().out
    assert "Läste 85\u00a0011 rader" in out
    assert "Summa: 85\u00a0011 + 0 + 0 = 85\u00a0011 ✓" in out
    assert main(["info", str(project)]) == 0
    assert "Summa: 85\u00a0011 lästa = 85\u00a0011 rapporter" in capsys.readouterr().out


def _event(i, when="2025-01-05 10:04:05 +01:00", **more):
    return {"id": i, "datetime": when, "name": "5 januari 09:40, Brand, Norrtälje",
            "summary": "s", "url": "/u", "type": "Brand",
            "location": {"name": "Norrtälje", "gps": "59.759584,18.701358"}, **more}


@pytest.mark.parametrize("text", ["[" * 100_000, "[" + '{"a": [' * 20_000])
def test_array_nested_beyond_the_parser_is_one_message_naming_the_file(tmp_path, text):
    from trygg.geo.errors import InputFileError

    path = tmp_path / "djup.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError, match="djup.json") as info:
        parse(path)
    assert "\n" not in str(info.value) and "nästlad" in str(info.value)


def test_deeply_nested_lines_are_rejects_with_their_line_numbers(project, tmp_path,
                                                                 monkeypatch):
    from trygg.layers import sources
    from trygg.layers.ingest import ingest_file

    lines = [json.dumps(_event(1)),
             "[" * 100_000,                                      # 2: beyond the parser
             '{"a": ' * 20_000 + "1" + "}" * 20_000,             # 3: objects, too
             json.dumps(_event(4))[:-1] + ', "x": ' + "[" * 300 + "]" * 300 + "}",  # 4
             json.dumps(_event(5))]
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    p = parse(path)
    assert (p.rows_read, len(p.reports)) == (5, 2) and accounted(p)
    assert list(p.rejects["line"]) == [2, 3, 4]
    assert set(p.rejects["reason"]) == {"bad_row"}
    assert p.rejects["detail"].str.contains("nästlad").all()
    assert all(len(r) < 1_000 for r in p.rejects["row"])
    monkeypatch.setitem(sources.PARSERS, "polisen", polisen)
    s = ingest_file(project, path, source="polisen")
    assert (s.rows_read, s.reports_added, s.rejected) == (5, 2, 3) and s.balanced


def test_one_pretty_printed_event_nested_too_deeply_is_a_reject(tmp_path):
    path = tmp_path / "event.json"
    path.write_text("{\n" + '"a": ' + "[" * 100_000, encoding="utf-8")
    p = parse(path)
    assert accounted(p) and len(p.reports) == 0 and set(p.rejects["reason"]) == {"bad_row"}


@pytest.mark.parametrize("when", [
    "1677-01-01 10:00:00 +01:00", "1677-09-21 00:30:00 +01:00", "2262-04-11 20:00:00 -05:00",
    "2262-05-01 10:00:00 +01:00", "3377-12-31", "9999-12-31 23:59:59 +01:00"])
@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_dates_outside_the_supported_range_are_rejects(tmp_path, when, suffix):
    events = [_event(1), _event(2, when), _event(3)]
    path = tmp_path / f"events{suffix}"
    path.write_text(json.dumps(events) if suffix == ".json"
                    else "\n".join(map(json.dumps, events)), encoding="utf-8")
    p = parse(path)
    assert p.rows_read == 3 and accounted(p)
    assert list(p.reports["source_id"]) == ["1", "3"]
    assert list(p.rejects["line"]) == [2]
    assert list(p.rejects["reason"]) == ["date_out_of_range"]
    assert p.rejects["detail"].iloc[0] == f"datetime='{when}'"


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_lone_surrogates_and_a_byte_order_mark(tmp_path, suffix):
    events = [_event(1, summary="a\ud800b"), _event(2, name="5 januari 09:40, \udfff, X")]
    path = tmp_path / f"events{suffix}"
    text = json.dumps(events) if suffix == ".json" else "\n".join(map(json.dumps, events))
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    p = parse(path)
    assert (p.rows_read, len(p.reports)) == (2, 2) and accounted(p)
    assert p.reports.set_index("source_id").loc["1", "description"] == "a\ufffdb"
    valid(p.reports)

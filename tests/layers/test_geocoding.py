"""Geocoding inside the project: gazetteer, ingest placement, overrides, re-geocoding, links."""

import pandas as pd
import pytest

from trygg.layers.geocoding import add_to_gazetteer, read_gazetteer, regeocode, set_overrides
from trygg.layers.ingest import ingest_file
from trygg.sample import make_sample


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return make_sample(tmp_path_factory.mktemp("sample"))


@pytest.fixture
def with_gazetteer(project, sample):
    add_to_gazetteer(project, sample["kommun"])
    return project


def test_gazetteer_from_the_sample_has_every_kind(with_gazetteer, sample):
    gaz = read_gazetteer(with_gazetteer)
    kinds = gaz["kind"].value_counts()
    import pyogrio
    n_addresses = pyogrio.read_info(sample["kommun"], layer="adresser")["features"]
    assert kinds["address"] == n_addresses
    for kind in ("street", "place", "area", "intersection"):
        assert kinds[kind] > 0
    again = add_to_gazetteer(with_gazetteer, sample["kommun"])
    assert again == read_gazetteer(with_gazetteer)["kind"].value_counts().to_dict()
    assert len(read_gazetteer(with_gazetteer)) == len(gaz)  # loading twice adds nothing


def test_est_rows_are_placed_by_name_with_ort_context(with_gazetteer, data_dir):
    s = ingest_file(with_gazetteer, data_dir / "est_lagesbild.xlsx", source="est")
    r = with_gazetteer.read_reports().set_index("place_text")
    assert r.loc["Busstationen", "precision"] == "place"
    assert r.loc["Storgatan 12", "precision"] == "address"
    assert r.loc["Björkåsskolan", "precision"] == "place"
    no_place = with_gazetteer.read_reports()
    assert "area" in set(no_place["precision"])  # the row with only an ort
    assert s.by_precision.get("none", 0) == 0
    assert r.geometry.notna().all()


def test_unknown_place_stays_unplaced_until_an_override(with_gazetteer, tmp_path):
    path = tmp_path / "est.csv"
    path.write_text("Datum;Tid;Ort;Plats;Händelsetyp\n"
                    "2025-06-01;22:00;Strandvik;Gamla kvarnen;Skadegörelse\n", encoding="utf-8")
    s = ingest_file(with_gazetteer, path, source="est")
    assert s.ungeocoded == {"Gamla kvarnen": 1}
    overrides = tmp_path / "overrides.csv"
    overrides.write_text("plats;x;y\nGamla kvarnen;620100;6656000\n", encoding="utf-8")
    set_overrides(with_gazetteer, overrides)
    result = regeocode(with_gazetteer)
    assert result["still_missing"] == {}
    r = with_gazetteer.read_reports().iloc[0]
    assert (r["precision"], r.geometry.x, r.geometry.y) == ("exact", 620100, 6656000)


def test_same_event_from_two_sources_is_linked_not_deleted(with_gazetteer, tmp_path):
    tt = tmp_path / "tt.csv"
    tt.write_text("Ärendenummer;Skapad;Kategori;Beskrivning;X;Y\n"
                  "T1;2025-06-01 08:00;Klotter;Klotter på elskåpet;620100;6656000\n",
                  encoding="utf-8")
    est = tmp_path / "est.csv"
    est.write_text("Datum;Tid;Händelsetyp;Plats;X;Y\n"
                   "2025-06-01;21:00;Klotter/Graffiti;Elskåpet;620120;6656020\n"
                   "2025-06-02;21:00;Klotter/Graffiti;Elskåpet;620120;6656020\n",
                   encoding="utf-8")
    ingest_file(with_gazetteer, tt, source="tycktill")
    s = ingest_file(with_gazetteer, est, source="est")
    assert s.linked == 1 and s.reports_added == 2
    links = pd.DataFrame(with_gazetteer.read("links"))
    assert len(links) == 1 and links.loc[0, "distance_m"] == pytest.approx(28.3, abs=0.1)
    assert with_gazetteer.counts()["reports"] == 3


def test_overrides_on_a_project_without_gazetteer_keep_ingest_and_geocode_working(
        project, tmp_path):
    overrides = tmp_path / "overrides.csv"
    overrides.write_text("plats;x;y\nGamla kvarnen;620100;6656000\n", encoding="utf-8")
    assert set_overrides(project, overrides) == 1
    path = tmp_path / "est.csv"
    path.write_text("Datum;Tid;Ort;Plats;Händelsetyp\n"
                    "2025-06-01;22:00;Strandvik;Gamla  kvarnen;Skadegörelse\n"
                    "2025-06-02;22:00;Strandvik;Okänd plats;Skadegörelse\n", encoding="utf-8")
    s = ingest_file(project, path, source="est")
    assert (s.rows_read, s.reports_added) == (2, 2) and s.balanced
    assert s.ungeocoded == {"Okänd plats": 1}
    r = project.read_reports().set_index("place_text")
    placed = r.loc["Gamla  kvarnen"]
    assert (placed["precision"], placed.geometry.x, placed.geometry.y) == (
        "exact", 620100, 6656000)
    assert r.loc["Okänd plats", "precision"] == "none"
    overrides.write_text("plats;x;y\nOkänd plats;620200;6656100\n", encoding="utf-8")
    assert set_overrides(project, overrides) == 2
    result = regeocode(project)
    assert result["still_missing"] == {} and result["after"] == {"exact": 2}
    again = ingest_file(project, path, source="est")  # re-ingest: both already there
    assert again.duplicates == 2 and again.balanced


# -- files that cannot feed the gazetteer: a message, never a traceback --------------------
def test_a_csv_is_refused_as_having_no_geometry(project, tmp_path, data_dir):
    from trygg.geo.errors import InputFileError
    from trygg.layers.geocoding import read_gazetteer_sources

    plain = tmp_path / "egna_lagen.csv"
    plain.write_text("namn;beskrivning\nGamla kvarnen;vid ån\n", encoding="utf-8")
    for path in (data_dir / "tycktill_cp1252.csv", plain):  # cp1252 decoded no more
        with pytest.raises(InputFileError, match="har inga lager med geometri; ortsregistret "
                           "behöver punkter, linjer eller ytor"):
            read_gazetteer_sources(path)
    with pytest.raises(InputFileError, match="Lagret 'rejects' .* har ingen geometri"):
        read_gazetteer_sources(project.path, layer="rejects")

import csv

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from trygg.geo.errors import ArgumentError, UserError
from trygg.geo.gazetteer import build_gazetteer
from trygg.geo.geocode import Geocoder, geocode

# Two invented towns, EPSG:3006 metres. Strandby: Storgatan (y = SY) crossed by
# Kyrkogatan (x = SX + 200) and Skolvägen (y = SY + 150). Åsby, 10 km away:
# Skolvägen (also in Strandby), Ängsvägen, Lindgatan and Lundgatan.
SX, SY = 600_000.0, 6_600_000.0
AX, AY = 610_000.0, 6_610_000.0


def _addresses() -> gpd.GeoDataFrame:
    rows = []
    for n in range(1, 16):  # Storgatan 1-15, odd north, even south of the line
        rows.append(("Storgatan", n, "", "Strandby", SX + 20 * n, SY + (5 if n % 2 else -5)))
    rows += [("Storgatan", 16, "A", "Strandby", SX + 320, SY - 5),
             ("Storgatan", 16, "B", "Strandby", SX + 330, SY - 5)]
    rows += [("Kyrkogatan", n, "", "Strandby", SX + 205, SY + 20 * n) for n in (1, 3, 5)]
    rows += [("Skolvägen", n, "", "Strandby", SX + 20 * n, SY + 155) for n in (1, 3, 5)]
    rows += [("Skolvägen", n, "", "Åsby", AX + 20 * n, AY + 5) for n in (1, 3, 5, 7)]
    rows += [("Ängsvägen", n, "", "Åsby", AX + 300, AY + 20 * n) for n in (1, 3)]
    rows += [("Lindgatan", 1, "", "Åsby", AX + 500, AY + 5),
             ("Lundgatan", 1, "", "Åsby", AX + 600, AY + 5)]
    return gpd.GeoDataFrame(
        {"gata": [r[0] for r in rows], "nummer": [r[1] for r in rows],
         "bokstav": [r[2] for r in rows], "postnummer": "999 99",
         "ort": [r[3] for r in rows]},
        geometry=[Point(r[4], r[5]) for r in rows], crs="EPSG:3006")


@pytest.fixture(scope="module")
def gazetteer() -> gpd.GeoDataFrame:
    streets = gpd.GeoDataFrame(
        {"namn": ["Storgatan", "Kyrkogatan", "Skolvägen", "Skolvägen", "Ängsvägen"],
         "ort": ["Strandby", "Strandby", "Strandby", "Åsby", "Åsby"]},
        geometry=[LineString([(SX, SY), (SX + 400, SY)]),
                  LineString([(SX + 200, SY - 100), (SX + 200, SY + 200)]),
                  LineString([(SX, SY + 150), (SX + 400, SY + 150)]),
                  LineString([(AX, AY), (AX + 400, AY)]),
                  LineString([(AX + 300, AY - 100), (AX + 300, AY + 100)])],
        crs="EPSG:3006")
    places = gpd.GeoDataFrame(
        {"namn": ["Busstationen", "Torget"], "alias": ["Bussterminalen;Resecentrum", ""],
         "ort": ["Strandby", "Åsby"]},
        geometry=[Point(SX + 100, SY + 80), Point(AX + 100, AY + 50)], crs="EPSG:3006")
    areas = gpd.GeoDataFrame(
        {"namn": ["Strandby", "Åsby"]},
        geometry=[box(SX - 100, SY - 200, SX + 500, SY + 300),
                  box(AX - 100, AY - 200, AX + 700, AY + 300)], crs="EPSG:3006")
    return build_gazetteer(_addresses(), places, streets, areas)


@pytest.fixture(scope="module")
def geocoder(gazetteer) -> Geocoder:
    return Geocoder(gazetteer)


def one(geocoder: Geocoder, text: str, ort=None) -> pd.Series:
    return geocoder.geocode([text], None if ort is None else [ort]).iloc[0]


def test_exact_address(geocoder):
    r = one(geocoder, "Storgatan 12, Strandby")
    assert (r["precision"], r["score"], r["method"]) == ("address", 1.0, "exact")
    assert (r["x"], r["y"]) == (SX + 240, SY - 5)
    assert r["matched"] == "Storgatan 12, Strandby"


def test_result_columns_order_and_duplicates(geocoder):
    texts = ["Storgatan 1", None, "Storgatan 1", "Storgatan 3, Strandby", ""]
    res = geocoder.geocode(texts)
    assert list(res.columns) == ["x", "y", "precision", "score", "matched", "method"]
    assert len(res) == 5
    assert list(res["precision"]) == ["address", "none", "address", "address", "none"]
    assert res.loc[0, "x"] == res.loc[2, "x"] == SX + 20
    assert res.loc[3, "x"] == SX + 60
    assert np.isnan(res.loc[1, "x"]) and res.loc[1, "matched"] is None
    assert (res.loc[1, "score"], res.loc[1, "method"]) == (0.0, "none")
    assert geocoder.geocode([]).shape == (0, 6)


def test_missing_diacritics(geocoder):
    r = one(geocoder, "Angsvagen 3")
    assert (r["precision"], r["method"], r["score"]) == ("address", "exact", 1.0)
    assert (r["x"], r["y"]) == (AX + 300, AY + 60)
    r = one(geocoder, "Skolvagen 3, Asby")
    assert r["matched"] == "Skolvägen 3, Åsby"


@pytest.mark.parametrize("text", ["Storg. 12", "Storg 12", "storgatan 12", "STORGATAN 12"])
def test_abbreviation(geocoder, text):
    r = one(geocoder, text)
    assert (r["precision"], r["matched"], r["method"]) == ("address", "Storgatan 12, Strandby",
                                                           "exact")


def test_typo_is_matched_fuzzily_with_a_lower_score(geocoder):
    r = one(geocoder, "Stroagatan 12")
    assert (r["precision"], r["matched"], r["method"]) == ("address", "Storgatan 12, Strandby",
                                                           "fuzzy")
    assert r["score"] == pytest.approx(0.9)
    r = one(geocoder, "Kyrkogtan 3")
    assert (r["matched"], r["score"]) == ("Kyrkogatan 3, Strandby", pytest.approx(0.95))


def test_house_numbers_are_never_fuzzy(geocoder):
    # Storgatan 21 does not exist; 12 does: no guess at the number, the street instead
    r = one(geocoder, "Storgatan 21")
    assert (r["precision"], r["matched"]) == ("street", "Storgatan, Strandby")


def test_house_letter(geocoder):
    assert one(geocoder, "Storgatan 16B")["matched"] == "Storgatan 16B, Strandby"
    assert one(geocoder, "Storgatan 16 b")["matched"] == "Storgatan 16B, Strandby"
    r = one(geocoder, "Storgatan 12C")  # no such letter: the number without letter
    assert (r["precision"], r["matched"]) == ("address", "Storgatan 12, Strandby")
    r = one(geocoder, "Storgatan 16")  # only 16A and 16B exist: the first
    assert (r["precision"], r["matched"]) == ("address", "Storgatan 16A, Strandby")


def test_unknown_number_falls_back_to_the_street(geocoder, gazetteer):
    r = one(geocoder, "Storgatan 99, Strandby")
    street = gazetteer[(gazetteer["kind"] == "street") & (gazetteer["key"] == "storgatan")]
    assert (r["precision"], r["matched"]) == ("street", "Storgatan, Strandby")
    assert (r["x"], r["y"]) == (street.geometry.x.iloc[0], street.geometry.y.iloc[0])


def test_street_without_number(geocoder):
    r = one(geocoder, "på Kyrkogatan")
    assert (r["precision"], r["matched"]) == ("street", "Kyrkogatan, Strandby")


@pytest.mark.parametrize("text", [
    "korsningen Storgatan/Kyrkogatan", "Kyrkogatan/Storgatan", "Storgatan och Kyrkogatan",
    "hörnet Storgatan Kyrkogatan", "korsningen Storg./Kyrkog., Strandby",
])
def test_intersection(geocoder, text):
    r = one(geocoder, text)
    assert (r["precision"], r["matched"]) == ("intersection", "Kyrkogatan/Storgatan, Strandby")
    assert (r["x"], r["y"]) == pytest.approx((SX + 200, SY))


def test_streets_that_do_not_meet_give_none(geocoder):
    assert one(geocoder, "korsningen Storgatan/Ängsvägen")["precision"] == "none"


@pytest.mark.parametrize("text", ["vid Busstationen", "Busstationen", "utanför busstationen",
                                  "Busstationen, Strandby", "mitt emot Busstationen"])
def test_place(geocoder, text):
    r = one(geocoder, text)
    assert (r["precision"], r["matched"], r["score"]) == ("place", "Busstationen, Strandby", 1.0)
    assert (r["x"], r["y"]) == (SX + 100, SY + 80)


@pytest.mark.parametrize("text", ["Bussterminalen", "vid Resecentrum", "Bussterminalen i Strandby"])
def test_alias(geocoder, text):
    r = one(geocoder, text)
    assert (r["precision"], r["matched"]) == ("place", "Busstationen, Strandby")


def test_place_typo(geocoder):
    r = one(geocoder, "vid Bustationen")
    assert (r["precision"], r["method"], r["matched"]) == ("place", "fuzzy",
                                                           "Busstationen, Strandby")


def test_area(geocoder):
    r = one(geocoder, "i Åsby")
    assert (r["precision"], r["matched"]) == ("area", "Åsby")


def test_street_in_several_orter_needs_the_ort(geocoder):
    # Skolvägen exists in Strandby (3 addresses) and Åsby (4): no guess without an ort
    for text in ("Skolvägen 3", "Skolvägen", "Skolvagen 3", "Skolvägen 99"):
        r = one(geocoder, text)
        assert (r["precision"], r["matched"], r["score"]) == ("none", None, 0.0), text
    assert one(geocoder, "Skolvägen 3, Åsby")["matched"] == "Skolvägen 3, Åsby"
    assert one(geocoder, "Skolvägen 3 i Strandby")["matched"] == "Skolvägen 3, Strandby"
    assert one(geocoder, "Skolvägen 3", ort="Strandby")["matched"] == "Skolvägen 3, Strandby"
    assert one(geocoder, "Skolvägen 3", ort="Åsby")["matched"] == "Skolvägen 3, Åsby"
    # the ort in the text wins over the ort argument
    assert one(geocoder, "Skolvägen 3, Åsby", ort="Strandby")["matched"] == "Skolvägen 3, Åsby"
    # a street in one ort only needs no ort
    assert one(geocoder, "Ängsvägen 1")["matched"] == "Ängsvägen 1, Åsby"


def test_ort_context_restricts_the_search(geocoder):
    assert one(geocoder, "Storgatan 3, Åsby")["precision"] == "none"
    assert one(geocoder, "Busstationen", ort="Åsby")["precision"] == "none"


def test_one_ort_for_all_texts(geocoder):
    res = geocoder.geocode(["Skolvägen 1", "Skolvägen 3"], ort="Åsby")
    assert list(res["matched"]) == ["Skolvägen 1, Åsby", "Skolvägen 3, Åsby"]
    with pytest.raises(ArgumentError):
        geocoder.geocode(["Skolvägen 1", "Skolvägen 3"], ort=["Åsby"])


def test_below_threshold_nothing_is_guessed(gazetteer, geocoder):
    for text in ("Strxqzgatan 12", "Fantasigatan 3, Strandby", "Simhallen", "xyz"):
        r = one(geocoder, text)
        assert (r["precision"], r["method"], r["score"]) == ("none", "none", 0.0), text
        assert np.isnan(r["x"]) and r["matched"] is None
    strict = Geocoder(gazetteer, threshold=1.0)
    assert one(strict, "Stroagatan 12")["precision"] == "none"
    assert one(strict, "Storgatan 12")["precision"] == "address"
    one_edit = Geocoder(gazetteer, threshold=0.95)
    assert one(one_edit, "Stroagatan 12")["precision"] == "none"  # two edits
    assert one(one_edit, "Kyrkogtan 3")["matched"] == "Kyrkogatan 3, Strandby"  # one edit
    with pytest.raises(ArgumentError):
        Geocoder(gazetteer, threshold=0)


def test_equally_close_names_are_ambiguous(geocoder):
    # "Landgatan" is one edit from both Lindgatan and Lundgatan
    assert one(geocoder, "Landgatan 1, Åsby")["precision"] == "none"
    assert one(geocoder, "Lindgatan 1, Åsby")["matched"] == "Lindgatan 1, Åsby"


def test_overrides_win(gazetteer):
    overrides = {"Storgatan 12": (1.0, 2.0), "Gamla bryggan": (3.0, 4.0)}
    g = Geocoder(gazetteer, overrides=overrides)
    res = g.geocode(["Storgatan 12", "vid gamla Bryggan.", "Storgatan 14"])
    assert list(res["precision"]) == ["exact", "exact", "address"]
    assert list(res["method"]) == ["override", "override", "exact"]
    assert (res.loc[0, "x"], res.loc[0, "y"], res.loc[0, "score"]) == (1.0, 2.0, 1.0)
    assert res.loc[1, "matched"] == "Gamla bryggan"
    table = pd.DataFrame({"plats": ["Storgatan 12"], "x": [5.0], "y": [6.0]})
    r = geocode(["Storgatan 12"], gazetteer, overrides=table).iloc[0]
    assert (r["x"], r["y"], r["method"]) == (5.0, 6.0, "override")
    with pytest.raises(UserError, match="plats"):
        Geocoder(gazetteer, overrides=pd.DataFrame({"x": [1.0], "y": [2.0]}))


def test_convenience_function_matches_the_class(gazetteer, geocoder):
    texts = ["Storgatan 12", "Stroagatan 12", "Skolvägen 3", "Bussterminalen"]
    pd.testing.assert_frame_equal(geocode(texts, gazetteer, ort=None), geocoder.geocode(texts))


def test_gazetteer_without_required_column(gazetteer):
    with pytest.raises(UserError, match="key"):
        Geocoder(gazetteer.drop(columns="key"))


# -- the sample municipality ---------------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    from trygg.sample import make_sample

    paths = make_sample(tmp_path_factory.mktemp("sample"))
    layers = {k: gpd.read_file(paths["kommun"], layer=k, engine="pyogrio")
              for k in ("adresser", "platser", "gator", "tatorter")}
    gaz = build_gazetteer(layers["adresser"], layers["platser"], layers["gator"],
                          layers["tatorter"])
    return layers, gaz, Geocoder(gaz), paths


def test_every_sample_address_geocodes_to_its_own_point(sample):
    layers, _, geocoder, _ = sample
    a = layers["adresser"]
    texts = (a["gata"] + " " + a["nummer"].astype(str) + a["bokstav"].fillna("")
             + ", " + a["ort"]).tolist()
    res = geocoder.geocode(texts)
    assert (res["precision"] == "address").all()
    assert (res["method"] == "exact").all()
    np.testing.assert_array_equal(res["x"].to_numpy(), a.geometry.x.to_numpy())
    np.testing.assert_array_equal(res["y"].to_numpy(), a.geometry.y.to_numpy())


def test_sample_report_places_are_found(sample):
    _, _, geocoder, paths = sample
    with open(paths["rapporter"], encoding="utf-8-sig", newline="") as f:
        texts = [row["Plats"] for row in csv.DictReader(f, delimiter=";") if row["Plats"]]
    res = geocoder.geocode(texts)
    assert (res["precision"] != "none").mean() >= 0.98

import pytest

from trygg.geo.normalize import fold, normalize, parse_query, street_like


@pytest.mark.parametrize(("text", "expected"), [
    ("  Storgatan   12B. ", "storgatan 12b"),
    ("STORGATAN 12 B", "storgatan 12b"),
    ("Storgatan 12 - 14", "storgatan 12-14"),
    ("\"Torget\" (Strandby)!", "torget strandby"),
    ("Storgatan 12B ,  Strandby", "storgatan 12b, strandby"),
    ("Storgatan / Kyrkogatan", "storgatan/kyrkogatan"),
    ("P-platsen vid stationen", "p-platsen vid stationen"),
    ("Åvägen", "åvägen"),
    ("", ""),
    (None, ""),
])
def test_normalize_cleans_case_space_and_punctuation(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Storg. 5", "storgatan 5"),
    ("Kyrkog 3", "kyrkogatan 3"),
    ("Kyrkog. 3", "kyrkogatan 3"),
    ("Skolv. 2", "skolvägen 2"),
    ("Skolvg 2", "skolvägen 2"),
    ("Storväg. 3", "storvägen 3"),
    ("Järntorgspl.", "järntorgsplatsen"),
    ("St. Eriksgatan 4", "sankt eriksgatan 4"),
    ("St Eriksgatan 4", "sankt eriksgatan 4"),
    ("S:t Eriksgatan 4", "sankt eriksgatan 4"),
    ("Sankt Eriksgatan 4", "sankt eriksgatan 4"),
    ("Gam. Kyrkvägen 1", "gamla kyrkvägen 1"),
    ("N. Kyrkogatan 1", "norra kyrkogatan 1"),
    ("Storgatan nr 12", "storgatan 12"),
])
def test_normalize_expands_abbreviations(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize("text", ["Länsväg 280", "Kungsväg 3", "Parkering 3", "Storgatan 5"])
def test_normalize_keeps_words_that_are_not_abbreviations(text):
    assert normalize(text) == text.lower()


@pytest.mark.parametrize(("text", "expected"), [
    ("vid Busstationen", "busstationen"),
    ("Utanför ICA", "ica"),
    ("framför Torget", "torget"),
    ("bakom skolan", "skolan"),
    ("nära Torget", "torget"),
    ("i Strandby", "strandby"),
    ("på Torget", "torget"),
    ("mitt emot Torget", "torget"),
    ("strax utanför Torget", "torget"),
    ("vid", "vid"),
])
def test_normalize_drops_leading_filler_words(text, expected):
    assert normalize(text) == expected


def test_normalize_is_idempotent():
    for text in ["Storg. 5, Strandby", "vid S:t Eriksgatan 4", "korsningen Storg/Kyrkog",
                 "Torget i Strandby", "Gam. Kyrkvägen 12 B"]:
        once = normalize(text)
        assert normalize(once) == once


def test_fold_removes_diacritics():
    assert fold("Skolvägen 3") == fold("Skolvagen 3") == "skolvagen 3"
    assert fold("Öster Ågatan") == "oster agatan"
    assert fold("Café Ängen") == "cafe angen"


def test_street_like():
    assert street_like("storgatan") and street_like("skolvagen") and street_like("länsväg 280")
    assert not street_like("busstationen") and not street_like("ica")


@pytest.mark.parametrize("text", [
    "korsningen Storgatan/Kyrkogatan",
    "Storgatan/Kyrkogatan",
    "Storgatan / Kyrkogatan",
    "Storgatan och Kyrkogatan",
    "hörnet Storgatan Kyrkogatan",
    "i hörnet av Storgatan och Kyrkogatan",
    "vid korsningen Storg./Kyrkog.",
])
def test_parse_intersections(text):
    q = parse_query(text)
    assert q.kind == "intersection"
    assert {q.street_a, q.street_b} == {"storgatan", "kyrkogatan"}


def test_parse_intersection_with_multiword_streets_and_ort():
    q = parse_query("hörnet Norra vägen Storgatan, Strandby")
    assert (q.kind, q.street_a, q.street_b, q.ort) == ("intersection", "norra vägen",
                                                      "storgatan", "strandby")
    q = parse_query("hörnet Länsväg 280 Storgatan")
    assert (q.street_a, q.street_b) == ("länsväg 280", "storgatan")


def test_parse_och_between_non_streets_is_a_name():
    q = parse_query("Bröd och salt")
    assert q.kind == "name" and q.name == "bröd och salt"


@pytest.mark.parametrize(("text", "number", "letter"), [
    ("Storgatan 12", 12, ""),
    ("Storgatan 12B", 12, "B"),
    ("Storgatan 12 B", 12, "B"),
    ("Storgatan 12b", 12, "B"),
    ("Storgatan 12-14", 12, ""),
    ("Storgatan nr 12", 12, ""),
])
def test_parse_addresses(text, number, letter):
    q = parse_query(text)
    assert (q.kind, q.street, q.number, q.letter, q.ort) == ("address", "storgatan", number,
                                                            letter, None)


@pytest.mark.parametrize(("text", "ort"), [
    ("Storgatan 12B, Strandby", "strandby"),
    ("Storgatan 12B i Strandby", "strandby"),
    ("Storgatan 12B, 999 31 Strandby", "strandby"),
])
def test_parse_ort_context(text, ort):
    q = parse_query(text)
    assert (q.kind, q.street, q.number, q.letter, q.ort) == ("address", "storgatan", 12, "B", ort)


def test_parse_postcode():
    q = parse_query("Storgatan 12, 999 31")
    assert q.postcode == "99931" and q.ort is None


def test_parse_name_with_ort():
    q = parse_query("vid Busstationen, Strandby")
    assert (q.kind, q.name, q.ort) == ("name", "busstationen", "strandby")
    assert q.text == "busstationen, strandby"


def test_parse_with_known_orter():
    orter = {"strandby", "asby"}
    q = parse_query("Storgatan 12 Strandby", orter)
    assert (q.street, q.number, q.ort) == ("storgatan", 12, "strandby")
    q = parse_query("Skolan i norr", orter)  # "norr" is no ort: the whole text is a name
    assert (q.kind, q.name, q.ort) == ("name", "skolan i norr", None)
    q = parse_query("Torget i Åsby", orter)
    assert (q.name, q.ort) == ("torget", "åsby")

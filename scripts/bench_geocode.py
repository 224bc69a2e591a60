"""Benchmark of the offline geocoder: speed, precision and recall on labelled text.

Usage
-----
``python -m scripts.bench_geocode [--entries 200000] [--queries 100000] [--seed 7]``
``[--reference-sample 1000] [--out PATH]``

How the data is made
--------------------
1. **Gazetteer** (about ``--entries`` rows). The synthetic sample municipality
   (:func:`scripts.sample.make_sample`: ~2,500 addresses, 51 streets, 27
   places with aliases, 3 tätorter; ~2,800 gazetteer entries) is copied ``K``
   times, ``K = ceil(entries / entries of one copy)``. Copy 0 is the sample
   itself. In copy ``k > 0`` every layer (addresses, street lines, places,
   tätorter) is shifted by a multiple of 60 km (a 6-column grid, all inside
   SWEREF 99 TM's range); each of the three towns gets a new, invented town
   name; every street gets a new name drawn without replacement (per town)
   from a pool of ~3,100 Swedish-style names (stem + "-gatan", "-vägen",
   "-stigen", "-gränd", ..., some with "Norra"/"Lilla"/... in front), so a
   street name recurs in a few towns, as "Skolvägen" does in Sweden; country
   roads get new numbers; place names and aliases that contain a town name
   get the new town name ("Strandviksskolan" -> "Norrbyskolan"). Places
   such as "Busstationen" recur in every copy. The gazetteer is then built
   with :func:`geo.gazetteer.build_gazetteer` from the grown layers.
2. **Queries** (``--queries`` texts, each with its correct answer: a
   gazetteer row and precision, or "none"). Categories and shares are in
   ``CATEGORIES``: exact addresses in several spellings (", Ort", " i Ort",
   trailing town, town as the ``ort`` argument, upper case), missing
   diacritics, abbreviations ("Storg. 12", "Skolv 3"), typos (1-2 random
   character edits -- substitution, insertion, deletion, transposition -- in
   the street name), house letters (existing, and non-existing ones whose
   answer is the number without letter), unknown house numbers (answer: the
   street), street only, places and aliases (some with one typo), intersections
   ("korsningen A/B", "A/B", "hörnet A B", "A och B"), towns, addresses
   without town (answer "none" when the street name exists in several towns),
   and ~5 % texts that are not in the gazetteer: invented streets and places
   whose folded name is at least 3 edits from every real name (answer "none").
3. **Scoring.** A located answer is correct when it has the labelled
   precision and lies within 1 m of the labelled point (for street-level
   answers that is the street's entry). precision = correct / located;
   recall = correct / texts that have an answer.

4. **Reference.** In the same run the geocoder is compared with the obvious
   way to do it with the same library (:func:`reference_geocode`): for each
   text, ``rapidfuzz.process.extractOne(normalize(text), keys,
   scorer=fuzz.WRatio, score_cutoff=90)`` over the full list of gazetteer
   keys (each passed through :func:`geo.normalize.normalize`), answering with
   the matched entry's point and kind (its precision). It ignores the ``ort``
   argument, which it has no way to use. It scans all ~200,000 keys per text
   (about two minutes per 1,000 texts, hours for 100,000), so it runs on a
   fixed random subsample of ``--reference-sample`` labelled queries (default
   1,000, drawn with ``--seed``). The geocoder is timed on exactly the same
   texts, with a fresh :class:`Geocoder` (no caches from the full run; median
   of 5 runs). Both are scored as in 3. and reported under ``"reference"``:
   seconds (setup -- ``Geocoder`` construction, normalising the keys -- not
   included), queries/s, seconds extrapolated linearly to ``--queries``
   texts, precision, recall, the speed ratio (reference seconds / geocoder
   seconds) and the quality difference (geocoder minus reference). The
   geocoder's fuzzy step uses all cores; the reference uses one. Linear
   extrapolation overstates the geocoder's time for a big batch (lookups
   built on first use amortise), so the ratio is conservative; compare
   ``geocode_s``.

Results are printed and written as JSON to ``scripts/bench_results/geocode.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from trygg.geo.gazetteer import build_gazetteer
from trygg.geo.geocode import Geocoder
from trygg.geo.normalize import fold, normalize

RESULTS = Path(__file__).parent / "bench_results" / "geocode.json"
#: Queries in the subsample on which the reference (and the geocoder) is timed.
REFERENCE_SAMPLE = 1_000
#: ``score_cutoff`` of the reference's ``extractOne`` (WRatio, 0-100).
REFERENCE_CUTOFF = 90
SPACING_M = 60_000.0
GRID_COLUMNS = 6

def _words(text: str) -> list[str]:
    """The space-separated words of ``text``."""
    return text.split()


#: Query categories and their shares of all queries.
CATEGORIES = {
    "address_exact": 0.30,
    "address_no_diacritics": 0.10,
    "address_abbreviation": 0.08,
    "address_typo": 0.15,
    "address_letter": 0.07,
    "address_unknown_number": 0.03,
    "street_only": 0.03,
    "place": 0.09,
    "intersection": 0.05,
    "area": 0.01,
    "address_no_ort": 0.04,
    "not_in_gazetteer": 0.05,
}

_STEMS = _words(
    "Björk Gran Tall Ek Lind Ask Al Hassel Rönn Lönn Sälg Bok Alm Asp En Hagtorn Syren "
    "Fläder Hägg Vide Ljung Lärk Trast Fink Svalbo Duv Hök Örn Kråk Sparv Mås Tran Svan Gök "
    "Ros Tulpan Viol Blåklint Klöver Vallmo Lilje Sippe Smörblom Prästkrage Ängs Sjö Å Strand "
    "Berg Dal Mosse Kärr Skog Mark Hed Backe Kulle Ås Udde Näs Vik Sund Holm Käll Bäck Fors "
    "Kvarn Smed Skomakar Bagar Snickar Murar Fiskar Mjölnar Väver Garvar Skräddar Kyrk Skol "
    "Stations Torg Park Industri Verkstads Hamn Tull Post Bank Såg Bruks Gruv Fabriks Järnvägs "
    "Anders Karl Gustav Erik Olof Nils Pers Johan Lars Sven Sigurd Astrid Selma Greta Ingrid "
    "Kerstin Margareta Kristina Elsa Märta Norr Söder Väster Öster Mitt Ny Gamla Stor Lill "
    "Långa Breda Höga Gröna Blå Röda Vita Sol Mån Stjärn Regn Snö Vind Dimm Morgon Kvälls "
    "Höst Vår Sommar Vinter Jul Påsk Midsommar Kungs Drottning Prins Hertig Greve Riddar Präst "
    "Klock Orgel Kantor Lärar Doktor Apotekar Fyr Lots Båt Segel Åra Nät Krok Not Sill Lax "
    "Gädd Abborr Ål Öring Harr Bäver Räv Hare Älg Hjort Rådjur Lo Varg Björn Ekorr Igelkott "
    "Grävling Utter Mård Hermelin Korp Skata Kaja Trut Tärna Lom Dopping Vipe Spov Beckasin "
    "Rapphöns Orre Tjäder Järpe Hackspett Nötväcka Mes Sidensvans Domherre Stenknäck Bofink "
    "Grönfink Steglits Siska Gulsparv Lärkträd Idegran Tuja Cypress Kastanj Valnöt Hassel "
    "Körsbär Plommon Päron Äppel Krusbär Vinbär Hallon Blåbär Lingon Hjortron Tranbär Smultron "
    "Jordgubb Nypon Slån Olvon Brakved Try Getapel Måbär Kornell Benved Spirea Schersmin "
    "Ginst Lavendel Timjan Salvia Mynta Dill Persilja Kummin Senap Humle Lin Hampa Råg Korn "
    "Havre Vete Bönor Ärt Rova Kål Lök Potatis Morot Palsternacka Rädisa Selleri Sparris"
)
_SUFFIXES = (("gatan", 3.0), ("vägen", 4.0), ("stigen", 1.0), ("gränd", 0.5), ("allén", 0.3),
             ("backen", 0.5), ("leden", 0.3), ("gången", 0.5), ("slingan", 0.3), ("plan", 0.2))
_PREFIXES = ("Norra ", "Södra ", "Östra ", "Västra ", "Lilla ", "Stora ", "Gamla ")
_ORT_HEADS = _words("Norr Söder Väster Öster Berg Sjö Ek Björk Gran Tall Lind Ås Dal Holm Hag Lund "
              "Mo Ny Gammel Strand Kvarn Hammar Sand Sten Back Ängs Hed Skog Fors Mal Ram Ros "
              "Alm Ulv Tor Fred Gull Silver Järn Kopp Bly Lyck Hassel Rönn Vall Bro Vad")
_ORT_TAILS = _words("by torp köping hult vik berga näs sund fors holm dal lunda stad mora ryd boda "
              "sjö hamn tuna sta inge löv rum säter kulla vattnet åker")
_FAKE_STEMS = _words("Kanel Mango Safir Komet Nebulosa Pingvin Kamel Zebra Banan Kokos Vulkan "
               "Tornado Paprika Tomat Gurka Citron Dadel Lakrits Marsipan Trumpet Fiol Gitarr "
               "Planet Raket Satellit Delfin Hummer Krokodil Giraff Panter Tiger Lejon Koala "
               "Kanguru Papegoja Kolibri Flamingo Ananas Kiwi Papaya Vanilj Kardemumma Saffran "
               "Ingefära Chili Oregano Basilika Rosmarin Jasmin Orkidé Kaktus Bambu Palm "
               "Sequoia Baobab Magnolia Hibiskus Lotus Kobolt Uran Titan Platina Kvarts Opal "
               "Rubin Smaragd Topas Onyx Jaspis Obsidian Basalt Marmor Granit Porfyr")
_FAKE_PLACES = _words("Simhallen Ishallen Konsthallen Tennisbanan Skateparken Bowlinghallen "
                "Minigolfen Planetariet Akvariet Observatoriet Djurparken Lekladan Kulturhuset "
                "Teaterhuset Musikskolan Motorbanan Travbanan Golfbanan Hundrastgården "
                "Stadsarkivet")
_TYPO_LETTERS = "abcdefghijklmnoprstuvyåäö"


# ---------------------------------------------------------------------------
# Growing the sample municipality
# ---------------------------------------------------------------------------


def _street_pool(rng: np.random.Generator) -> list[str]:
    """Invented Swedish-style street names, shuffled (stem + suffix, some prefixed)."""
    names = {stem + suf for stem in _STEMS for suf, _ in _SUFFIXES}
    names |= {p + stem + "vägen" for p in _PREFIXES for stem in _STEMS[::9]}
    names |= {p + stem + "gatan" for p in _PREFIXES for stem in _STEMS[4::9]}
    pool = sorted(names)
    weights = {suf: w for suf, w in _SUFFIXES}
    p = np.array([next((w for s, w in weights.items() if n.endswith(s)), 1.0) for n in pool])
    return list(rng.choice(pool, size=len(pool), replace=False, p=p / p.sum()))


def _ort_names(rng: np.random.Generator, n: int, taken: set[str]) -> list[str]:
    """``n`` distinct invented town names not in ``taken``."""
    names = [h + t for h in _ORT_HEADS for t in _ORT_TAILS if h + t not in taken]
    if n > len(names):
        raise ValueError(f"only {len(names)} town names available, {n} needed")
    return list(rng.choice(names, size=n, replace=False))


def _shift(gdf: gpd.GeoDataFrame, dx: float, dy: float) -> gpd.GeoDataFrame:
    out = gdf.copy()
    out["geometry"] = shapely.transform(np.asarray(gdf.geometry.values, dtype=object),
                                        lambda c: c + np.array([dx, dy]))
    return out


def grow_layers(layers: dict[str, gpd.GeoDataFrame], copies: int,
                rng: np.random.Generator) -> dict[str, gpd.GeoDataFrame]:
    """Copy the sample layers ``copies`` times under new town and street names.

    Parameters
    ----------
    layers
        ``adresser``, ``platser``, ``gator`` and ``tatorter`` of the sample
        (EPSG:3006).
    copies
        Number of copies including the original (copy 0).

    Returns
    -------
    dict of str to GeoDataFrame
        The four layers grown, EPSG:3006 metres.
    """
    orig_orts = list(layers["tatorter"]["namn"])
    new_orts = _ort_names(rng, len(orig_orts) * (copies - 1), set(orig_orts))
    pool = _street_pool(rng)
    grown: dict[str, list] = {k: [layers[k]] for k in ("adresser", "platser", "gator", "tatorter")}
    roads = sorted(set(layers["gator"].loc[layers["gator"]["ort"] == "", "namn"]))
    road_numbers = rng.choice(np.arange(100, 1000), size=len(roads) * copies, replace=False)
    for k in range(1, copies):
        dx = (k % GRID_COLUMNS - 2) * SPACING_M
        dy = (k // GRID_COLUMNS) * SPACING_M
        ort_map = dict(zip(orig_orts, new_orts[(k - 1) * len(orig_orts):k * len(orig_orts)],
                           strict=True))
        street_map: dict[tuple[str, str], str] = {}
        for ort in orig_orts:
            names = sorted(set(layers["gator"].loc[layers["gator"]["ort"] == ort, "namn"]))
            start = int(rng.integers(0, len(pool)))
            picked = [pool[(start + i * 7) % len(pool)] for i in range(len(names))]
            street_map.update({(n, ort): p for n, p in zip(names, picked, strict=True)})
        for j, road in enumerate(roads):
            street_map[(road, "")] = f"Länsväg {road_numbers[k * len(roads) + j]}"

        def rename_text(s: str, ort_map=ort_map) -> str:
            for old, new in ort_map.items():
                s = s.replace(old, new)
            return s

        a = _shift(layers["adresser"], dx, dy)
        a["gata"] = [street_map[(g, o)] for g, o in zip(a["gata"], a["ort"], strict=True)]
        a["ort"] = a["ort"].map(ort_map)
        s = _shift(layers["gator"], dx, dy)
        s["namn"] = [street_map[(g, o)] for g, o in zip(s["namn"], s["ort"], strict=True)]
        s["ort"] = [ort_map.get(o, o) for o in s["ort"]]
        p = _shift(layers["platser"], dx, dy)
        p["namn"] = p["namn"].map(rename_text)
        p["alias"] = p["alias"].map(rename_text)
        p["ort"] = p["ort"].map(ort_map)
        t = _shift(layers["tatorter"], dx, dy)
        t["namn"] = t["namn"].map(ort_map)
        for key, gdf in (("adresser", a), ("gator", s), ("platser", p), ("tatorter", t)):
            grown[key].append(gdf)
    return {k: gpd.GeoDataFrame(pd.concat(v, ignore_index=True), crs=layers[k].crs)
            for k, v in grown.items()}


# ---------------------------------------------------------------------------
# Labelled queries
# ---------------------------------------------------------------------------


def _typo(rng: np.random.Generator, word: str, edits: int) -> str:
    """``word`` with ``edits`` random character edits (substitution, insertion,
    deletion, transposition of neighbours) at letter positions."""
    chars = list(word)
    for _ in range(edits):
        pos = [i for i, c in enumerate(chars) if c.isalpha()]
        i = int(rng.choice(pos))
        op = rng.integers(4)
        if op == 0:
            chars[i] = str(rng.choice(list(_TYPO_LETTERS.replace(chars[i].lower(), ""))))
        elif op == 1:
            chars.insert(i, str(rng.choice(list(_TYPO_LETTERS))))
        elif op == 2 and len(pos) > 3:
            del chars[i]
        elif i + 1 < len(chars) and chars[i + 1].isalpha() and chars[i + 1] != chars[i]:
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        else:
            chars[i] = str(rng.choice(list(_TYPO_LETTERS.replace(chars[i].lower(), ""))))
    return "".join(chars)


def _abbreviate(rng: np.random.Generator, street: str) -> str | None:
    """An abbreviated spelling of ``street`` ("Storg.", "Kyrkog", "Skolv.", "N. Kyrkv.")."""
    words = street.split(" ")
    last = words[-1]
    if last.endswith("gatan") and len(last) > 5:
        last = last[:-4] + str(rng.choice([".", "", "."]))
    elif last.endswith("vägen") and len(last) > 5:
        last = last[:-4] + str(rng.choice([".", ".", "g"]))
    else:
        return None
    head = {"Norra": "N.", "Södra": "S.", "Östra": "Ö.", "Västra": "V.", "Lilla": "L.",
            "Gamla": "Gam."}
    words = [head.get(w, w) if i == 0 and len(words) > 1 else w for i, w in enumerate(words)]
    return " ".join(words[:-1] + [last])


class _Labeller:
    """Random labelled queries drawn from one gazetteer."""

    def __init__(self, gaz: gpd.GeoDataFrame, rng: np.random.Generator) -> None:
        self.rng = rng
        self.g = gaz
        self.kind = gaz["kind"].to_numpy(dtype=object)
        self.ort = gaz["ort"].astype(str).to_numpy(dtype=object)
        self.street = gaz["street"].to_numpy(dtype=object)
        self.number = gaz["number"].fillna(-1).to_numpy(dtype=np.int64)
        self.letter = gaz["letter"].fillna("").to_numpy(dtype=object)
        self.name = gaz["name"].to_numpy(dtype=object)
        self.key = gaz["key"].to_numpy(dtype=object)
        self.rows = {k: np.flatnonzero(self.kind == k) for k in
                     ("address", "street", "intersection", "place", "area")}
        adr = self.rows["address"]
        self.addr_index = {(self.street[r], self.ort[r], int(self.number[r]), self.letter[r]): r
                           for r in adr}
        self.street_row = {(self.street[r], self.ort[r]): r for r in self.rows["street"]}
        self.max_number = pd.Series(self.number[adr]).groupby(
            [self.street[adr], self.ort[adr]]).max().to_dict()
        skeys = pd.Series([normalize(s) for s in self.street[self.rows["street"]]])
        orts_per = pd.Series(self.ort[self.rows["street"]]).groupby(skeys.to_numpy()).nunique()
        self.street_unique = orts_per[orts_per == 1].index
        self.folded_streets = {}
        for r in self.rows["street"]:
            self.folded_streets.setdefault(self.ort[r], set()).add(fold(self.street[r]))
        self.all_folded = sorted(set().union(*self.folded_streets.values()))
        names = [k for k in ("street", "place", "area")]
        self.folded_names: dict[str, set[str]] = {}
        for r in np.concatenate([self.rows[k] for k in names]):
            self.folded_names.setdefault(self.ort[r], set()).add(fold(self.key[r]))
        place_keys = pd.Series(self.ort[self.rows["place"]]).groupby(
            self.key[self.rows["place"]]).nunique()
        self.place_unique = set(place_keys[place_keys == 1].index)
        inter = self.rows["intersection"]
        first = ~pd.Series(list(zip(self.key[inter], self.ort[inter], strict=True))).duplicated()
        self.inter_rows = inter[first.to_numpy()]

    def pick(self, kind: str) -> int:
        return int(self.rng.choice(self.rows[kind]))

    def with_ort(self, text: str, ort: str) -> tuple[str, str | None]:
        """Add the town in one of several ways; returns (text, ort argument)."""
        u = self.rng.random()
        if not ort:
            return text, None
        if u < 0.6:
            return f"{text}, {ort}", None
        if u < 0.75:
            return f"{text} i {ort}", None
        if u < 0.9:
            return text, ort
        if u < 0.95:
            return f"{text} {ort}", None
        return f"{text}, {ort}".upper(), None

    def address(self, letter_ok: bool = True) -> int:
        while True:
            r = self.pick("address")
            if letter_ok or not self.letter[r]:
                return r

    def make(self, cat: str) -> tuple[str, str | None, int, str]:
        """One query of category ``cat``: (text, ort argument, label row, label precision)."""
        rng = self.rng
        if cat == "address_exact":
            r = self.address()
            t, o = self.with_ort(f"{self.street[r]} {self.number[r]}{self.letter[r]}", self.ort[r])
            return t, o, r, "address"
        if cat == "address_no_diacritics":
            while True:
                r = self.address()
                text = f"{self.street[r]} {self.number[r]}{self.letter[r]}, {self.ort[r]}"
                plain = text.translate(str.maketrans("åäöÅÄÖ", "aaoAAO"))
                if plain != text:
                    return plain, None, r, "address"
        if cat == "address_abbreviation":
            while True:
                r = self.address()
                ab = _abbreviate(rng, self.street[r])
                if ab:
                    t, o = self.with_ort(f"{ab} {self.number[r]}{self.letter[r]}", self.ort[r])
                    return t, o, r, "address"
        if cat == "address_typo":
            while True:
                r = self.address()
                typo = _typo(rng, self.street[r], int(rng.integers(1, 3)))
                if fold(typo) not in self.folded_streets.get(self.ort[r], ()):
                    t, o = self.with_ort(f"{typo} {self.number[r]}{self.letter[r]}", self.ort[r])
                    return t, o, r, "address"
        if cat == "address_letter":
            if rng.random() < 0.5:  # an existing letter, written "12B" or "12 B"
                while True:
                    r = self.address()
                    if self.letter[r]:
                        sep = str(rng.choice(["", " "]))
                        t, o = self.with_ort(
                            f"{self.street[r]} {self.number[r]}{sep}{self.letter[r]}", self.ort[r])
                        return t, o, r, "address"
            r = self.address(letter_ok=False)  # a letter that does not exist -> the number
            t, o = self.with_ort(f"{self.street[r]} {self.number[r]}{rng.choice(['C', 'D'])}",
                                 self.ort[r])
            return t, o, r, "address"
        if cat == "address_unknown_number":
            r = self.pick("street")
            top = self.max_number.get((self.street[r], self.ort[r]), 0)
            t, o = self.with_ort(f"{self.street[r]} {top + int(rng.integers(20, 200))}",
                                 self.ort[r])
            return t, o, r, "street"
        if cat == "street_only":
            r = self.pick("street")
            pre = str(rng.choice(["", "på ", "vid ", "utanför "]))
            t, o = self.with_ort(pre + self.street[r], self.ort[r])
            return t, o, r, "street"
        if cat == "place":
            r = self.pick("place")
            text = self.key[r]
            if rng.random() < 0.5:
                text = text[:1].upper() + text[1:]
            if rng.random() < 0.25 and len(text) >= 8:
                text = _typo(rng, text, 1)
                if fold(text) in self.folded_names.get(self.ort[r], ()):
                    text = self.key[r]
            pre = str(rng.choice(["", "vid ", "utanför ", "mitt emot "]))
            if self.key[r] in self.place_unique and rng.random() < 0.3:
                return pre + text, None, r, "place"
            t, o = self.with_ort(pre + text, self.ort[r])
            return t, o, r, "place"
        if cat == "intersection":
            r = int(rng.choice(self.inter_rows))
            a, b = self.street[r].split("/")
            if rng.random() < 0.5:
                a, b = b, a
            form = int(rng.integers(4))
            text = [f"korsningen {a}/{b}", f"{a}/{b}", f"hörnet {a} {b}", f"{a} och {b}"][form]
            t, o = self.with_ort(text, self.ort[r])
            return t, o, r, "intersection"
        if cat == "area":
            r = self.pick("area")
            return str(rng.choice(["", "i "])) + self.name[r], None, r, "area"
        if cat == "address_no_ort":
            r = self.address()
            text = f"{self.street[r]} {self.number[r]}{self.letter[r]}"
            if normalize(self.street[r]) in self.street_unique:
                return text, None, r, "address"
            return text, None, -1, "none"
        if cat == "not_in_gazetteer":
            r = self.pick("area")
            ort = self.ort[r]
            if rng.random() < 0.8:
                while True:
                    name = str(rng.choice(_FAKE_STEMS)) + str(rng.choice(["gatan", "vägen",
                                                                          "stigen", "gränd"]))
                    if self._far(fold(name), self.all_folded):
                        break
                t, o = self.with_ort(f"{name} {int(rng.integers(1, 80))}", ort)
                return t, o, -1, "none"
            while True:
                name = str(rng.choice(_FAKE_PLACES))
                if self._far(fold(name), sorted(self.folded_names.get(ort, ()))):
                    break
            t, o = self.with_ort("vid " + name, ort)
            return t, o, -1, "none"
        raise ValueError(cat)

    @staticmethod
    def _far(text: str, names: list[str]) -> bool:
        """True if ``text`` is at least 3 edits from every name."""
        if not names:
            return True
        best = process.extractOne(text, names, scorer=OSA.distance, score_cutoff=2)
        return best is None


def make_queries(gaz: gpd.GeoDataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """``n`` labelled queries; columns text, ort, category, label_row, label_precision."""
    lab = _Labeller(gaz, rng)
    cats = list(CATEGORIES)
    counts = np.floor(np.array([CATEGORIES[c] for c in cats]) * n).astype(int)
    counts[0] += n - counts.sum()
    records = []
    for cat, k in zip(cats, counts, strict=True):
        for _ in range(k):
            text, ort, row, prec = lab.make(cat)
            records.append((text, ort, cat, row, prec))
    df = pd.DataFrame(records, columns=["text", "ort", "category", "label_row",
                                        "label_precision"])
    return df.iloc[rng.permutation(len(df))].reset_index(drop=True)


# ---------------------------------------------------------------------------
# Scoring and main
# ---------------------------------------------------------------------------


def score(queries: pd.DataFrame, result: pd.DataFrame, gaz: gpd.GeoDataFrame) -> pd.DataFrame:
    """Per query: located, answerable and correct (see module docstring)."""
    lx = np.full(len(queries), np.nan)
    ly = np.full(len(queries), np.nan)
    has = queries["label_row"].to_numpy() >= 0
    rows = queries["label_row"].to_numpy()[has]
    lx[has] = gaz.geometry.x.to_numpy()[rows]
    ly[has] = gaz.geometry.y.to_numpy()[rows]
    located = result["precision"].to_numpy() != "none"
    dist = np.hypot(result["x"].to_numpy() - lx, result["y"].to_numpy() - ly)
    correct = located & has & (result["precision"].to_numpy()
                               == queries["label_precision"].to_numpy()) & (dist <= 1.0)
    return pd.DataFrame({"category": queries["category"], "located": located,
                         "answerable": has, "correct": correct,
                         "correct_none": ~located & ~has})


def _summary(flags: pd.DataFrame) -> dict:
    located = int(flags["located"].sum())
    answerable = int(flags["answerable"].sum())
    correct = int(flags["correct"].sum())
    return {
        "n": len(flags), "located": located, "answerable": answerable, "correct": correct,
        "precision": correct / located if located else None,
        "recall": correct / answerable if answerable else None,
        "none_correct": int(flags["correct_none"].sum()),
    }


def reference_geocode(texts: list[str], keys: list[str], gaz: gpd.GeoDataFrame
                      ) -> pd.DataFrame:
    """Geocode the obvious way: the best WRatio match over all gazetteer keys.

    Parameters
    ----------
    texts
        Place texts as written; each is passed through
        :func:`geo.normalize.normalize`.
    keys
        The normalised key of every gazetteer row, in row order.
    gaz
        The gazetteer (point geometry, ``kind`` column).

    Returns
    -------
    pandas.DataFrame
        One row per text: ``x``, ``y`` (NaN when nothing scores at least
        ``REFERENCE_CUTOFF``) and ``precision`` (the matched entry's kind, or
        ``"none"``), as :func:`score` expects.
    """
    x = np.full(len(texts), np.nan)
    y = np.full(len(texts), np.nan)
    precision = np.full(len(texts), "none", dtype=object)
    gx, gy = gaz.geometry.x.to_numpy(), gaz.geometry.y.to_numpy()
    kind = gaz["kind"].to_numpy(dtype=object)
    for i, text in enumerate(texts):
        best = process.extractOne(normalize(text), keys, scorer=fuzz.WRatio,
                                  score_cutoff=REFERENCE_CUTOFF)
        if best is not None:
            row = best[2]
            x[i], y[i], precision[i] = gx[row], gy[row], kind[row]
    return pd.DataFrame({"x": x, "y": y, "precision": precision})


def compare_reference(gaz: gpd.GeoDataFrame, queries: pd.DataFrame, n: int, seed: int
                      ) -> dict:
    """Time and score the geocoder and :func:`reference_geocode` on the same subsample.

    Parameters
    ----------
    gaz
        The gazetteer.
    queries
        All labelled queries (as from :func:`make_queries`).
    n
        Size of the random subsample (at most ``len(queries)``).
    seed
        Seed of the subsample.

    Returns
    -------
    dict
        ``sample``, ``seed``, ``ours`` and ``reference`` (each ``setup_s``,
        ``seconds``, ``queries_per_s``, ``extrapolated_s`` for all queries,
        ``precision``, ``recall`` and the :func:`_summary` counts),
        ``speed_ratio`` (reference seconds / ours) and ``precision_diff``,
        ``recall_diff`` (ours minus reference).
    """
    idx = np.sort(np.random.default_rng(seed).choice(len(queries), size=n, replace=False))
    sub = queries.iloc[idx].reset_index(drop=True)
    texts = sub["text"].tolist()

    def timed(setup, call, repeats: int = 1) -> tuple[pd.DataFrame, float, float]:
        """Result, setup seconds and run seconds (medians over ``repeats`` fresh setups)."""
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            state = setup()
            t1 = time.perf_counter()
            result = call(state)
            times.append((t1 - t0, time.perf_counter() - t1))
        t_setup, t_run = np.median(times, axis=0)
        return result, float(t_setup), float(t_run)

    ours = timed(lambda: Geocoder(gaz), lambda g: g.geocode(texts, sub["ort"].tolist()),
                 repeats=5)
    ref = timed(lambda: [normalize(k) for k in gaz["key"]],
                lambda keys: reference_geocode(texts, keys, gaz))
    out: dict = {"sample": n, "seed": seed, "scorer": "WRatio",
                 "score_cutoff": REFERENCE_CUTOFF}
    for name, (result, t_setup, t_run) in (("ours", ours), ("reference", ref)):
        s = _summary(score(sub, result, gaz))
        out[name] = {"setup_s": round(t_setup, 3), "seconds": round(t_run, 3),
                     "queries_per_s": round(n / t_run, 1),
                     "extrapolated_s": round(t_run / n * len(queries), 1),
                     "precision": s["precision"], "recall": s["recall"], "counts": s}
    out["speed_ratio"] = round(ref[2] / ours[2], 1)
    for m in ("precision", "recall"):
        a, b = out["ours"][m], out["reference"][m]
        out[f"{m}_diff"] = None if a is None or b is None else a - b
    return out


def run(entries: int = 200_000, n_queries: int = 100_000, seed: int = 7,
        out: Path = RESULTS, sample_dir: Path | None = None,
        reference_sample: int = REFERENCE_SAMPLE) -> dict:
    """Build the data, run the geocoder and the reference (on a subsample of
    ``reference_sample`` queries), print a table and write ``out`` (JSON)."""
    from trygg.sample import make_sample

    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = make_sample(sample_dir or tmp)["kommun"]
        layers = {k: gpd.read_file(path, layer=k, engine="pyogrio")
                  for k in ("adresser", "platser", "gator", "tatorter")}
    one = len(build_gazetteer(layers["adresser"], layers["platser"], layers["gator"],
                              layers["tatorter"]))
    copies = math.ceil(entries / one)
    grown = grow_layers(layers, copies, rng)

    t0 = time.perf_counter()
    gaz = build_gazetteer(grown["adresser"], grown["platser"], grown["gator"], grown["tatorter"])
    t_build = time.perf_counter() - t0
    queries = make_queries(gaz, n_queries, rng)

    t0 = time.perf_counter()
    geocoder = Geocoder(gaz)
    t_init = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = geocoder.geocode(queries["text"].tolist(), queries["ort"].tolist())
    t_geo = time.perf_counter() - t0

    flags = score(queries, result, gaz)
    total = _summary(flags)
    reference = compare_reference(gaz, queries, min(reference_sample, n_queries), seed)
    per_cat = {c: _summary(f) for c, f in flags.groupby("category", sort=False)}
    report = {
        "gazetteer_entries": len(gaz),
        "gazetteer_kinds": gaz["kind"].value_counts().to_dict(),
        "copies_of_sample": copies,
        "orter": int(gaz.loc[gaz["ort"] != "", "ort"].nunique()),
        "queries": n_queries,
        "distinct_texts": int(queries["text"].nunique()),
        "seed": seed,
        "build_gazetteer_s": round(t_build, 3),
        "init_geocoder_s": round(t_init, 3),
        "geocode_s": round(t_geo, 3),
        "total_s": round(t_init + t_geo, 3),
        "queries_per_s": round(n_queries / t_geo, 1),
        "precision": total["precision"],
        "recall": total["recall"],
        "targets": {"total_s": 20.0, "precision": 0.99, "recall": 0.95},
        "overall": total,
        "by_category": per_cat,
        "reference": reference,
        "result_methods": result["method"].value_counts().to_dict(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    _print(report)
    return report


def _print(report: dict) -> None:
    def pct(v):
        return "   -  " if v is None else f"{v:6.4f}"

    print(f"gazetteer: {report['gazetteer_entries']:,} entries "
          f"({report['copies_of_sample']} copies, {report['orter']} orter), "
          f"built in {report['build_gazetteer_s']:.2f} s")
    print(f"queries:   {report['queries']:,}  geocoder init {report['init_geocoder_s']:.2f} s, "
          f"geocode {report['geocode_s']:.2f} s, total {report['total_s']:.2f} s, "
          f"{report['queries_per_s']:,.0f} queries/s")
    print(f"{'category':<26}{'n':>8}{'located':>9}{'correct':>9}{'precision':>11}{'recall':>9}")
    rows = list(report["by_category"].items()) + [("ALL", report["overall"])]
    for cat, s in rows:
        print(f"{cat:<26}{s['n']:>8}{s['located']:>9}{s['correct']:>9}"
              f"{pct(s['precision']):>11}{pct(s['recall']):>9}")
    ref = report["reference"]
    print(f"reference (extractOne WRatio >= {ref['score_cutoff']}) vs ours on the same "
          f"{ref['sample']:,} queries:")
    est = f"s per {report['queries']:,}"
    print(f"{'':<14}{'seconds':>9}{'queries/s':>11}{est:>16}{'precision':>11}{'recall':>9}")
    for name in ("ours", "reference"):
        r = ref[name]
        print(f"{name:<14}{r['seconds']:>9.2f}{r['queries_per_s']:>11,.0f}"
              f"{r['extrapolated_s']:>16,.0f}{pct(r['precision']):>11}{pct(r['recall']):>9}")
    diff = [("   -" if ref[k] is None else f"{ref[k]:+.4f}") for k in ("precision_diff",
                                                                      "recall_diff")]
    print(f"speed ratio (reference / ours): {ref['speed_ratio']:,.1f}x; ours minus reference: "
          f"precision {diff[0]}, recall {diff[1]}")


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point: ``python -m scripts.bench_geocode``."""
    parser = argparse.ArgumentParser(description="Benchmark the offline geocoder.")
    parser.add_argument("--entries", type=int, default=200_000, help="gazetteer size (approx.)")
    parser.add_argument("--queries", type=int, default=100_000, help="number of place texts")
    parser.add_argument("--seed", type=int, default=7, help="random seed")
    parser.add_argument("--out", type=Path, default=RESULTS, help="JSON output path")
    parser.add_argument("--reference-sample", type=int, default=REFERENCE_SAMPLE,
                        help="queries on which the reference is compared")
    args = parser.parse_args(argv)
    run(args.entries, args.queries, args.seed, args.out,
        reference_sample=args.reference_sample)


if __name__ == "__main__":
    main()

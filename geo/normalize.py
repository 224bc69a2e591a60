"""Normalisation and parsing of Swedish place text ("Storg. 12B, Strandvik").

Place text in reports is written by hand: abbreviated ("Storg. 5", "Skolv. 2"),
preceded by prepositions ("vid Busstationen", "utanför ICA"), with or without
diacritics, with the town after a comma or "i". :func:`normalize` turns such
text into a canonical lookup key, :func:`fold` into a diacritic-free key for
lenient matching, and :func:`parse_query` into its parts (street, house number
and letter, intersection, town, free name).

The same functions build the keys of the gazetteer, so both sides of every
comparison are normalised identically.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

__all__ = [
    "Query", "fold", "fold_normalized", "normalize", "parse_normalized", "parse_query",
    "street_like",
]

# Characters mapped before tokenising: dashes to "-", quotes and apostrophes removed.
_PRE = str.maketrans({
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2212": "-", "'": None, "\u2019": None, "\u2018": None, "`": None, "\u00b4": None,
    "\u00a0": " ", "\\": "/",
})
_FOLD = str.maketrans({
    "å": "a", "ä": "a", "à": "a", "á": "a", "â": "a", "æ": "a",
    "ö": "o", "ø": "o", "ó": "o", "ò": "o", "ô": "o",
    "é": "e", "è": "e", "ê": "e", "ë": "e", "ü": "u", "ú": "u", "í": "i",
})
# Words (letters/digits, inner ":" as in "s:t", inner "-" as in "p-platsen" or
# "12-14"), an optional trailing abbreviation dot, or a separator "/", ",", "&".
_TOKEN = re.compile(r"[^\W_]+(?:[:\-][^\W_]+)*\.?|[/,&]")
_NUM_RANGE = re.compile(r"(\d)\s*-\s*(\d)")
_PRE_CHARS = re.compile("[\u2010-\u2014\u2212'\u2019\u2018`\u00b4\u00a0\\\\]")
_SEP_RUN = re.compile(r"(?:\s*[/,]\s*){2,}")

# Leading words that say where *relative to* the place; dropped.
_FILLERS = frozenset({
    "vid", "utanför", "framför", "bakom", "nära", "i", "på", "intill", "invid",
    "bredvid", "hos", "strax", "mittemot", "utmed", "längs", "ovanför", "nedanför",
})
# Stand-alone abbreviations (with a dot in the input).
_WORD_ABBREV = {
    "gam": "gamla", "gla": "gamla", "g:la": "gamla", "n": "norra", "s": "södra",
    "ö": "östra", "v": "västra", "l": "lilla", "st": "sankt", "pl": "platsen",
}
# Words ending in "g"/"v" that are not an abbreviated "-gatan"/"-vägen".
_NOT_G_ABBREV = ("ing", "väg", "vag", "berg", "borg", "burg", "stig", "dag")
_HOUSE_LETTERS = frozenset("abcdefgh")
# Tokens of three or more characters that the fast path of _expand must not pass.
_SPECIAL = frozenset({"s:t", "sankt", "s:ta", "sankta", "g:la"})

_STREET_SUFFIX = re.compile(
    r"(?:gatan|gata|vagen|vag|grand|stigen|stig|allen|alle|leden|backen|gangen|plan|"
    r"slingan|liden|ringen|kajen|promenaden|esplanaden|straket|torget|torg)"
    r"(?: \d+)?$"
)
_CORNER = re.compile(r"^(?:korsningen|korsning|hörnet|hörnan|hörn)(?: av| mellan| vid)? (.+)$")
_ADDRESS = re.compile(
    r"^(?P<street>.*?[^\W\d_].*?) (?:nr )?(?P<number>\d{1,5})(?P<letter>[a-z])?"
    r"(?:-\d{1,5}[a-z]?)?$"
)
_POSTCODE = re.compile(r"^(?P<postcode>\d{3} ?\d{2})(?: (?P<rest>.+))?$")
_IN_ORT = re.compile(r"^(?P<head>.+) i (?P<ort>[^\d,/]+)$")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_HAS_DIGIT = re.compile(r"\d")


def _expand(tokens: list[str]) -> list[str]:
    """Expand abbreviations, join house letters and drop "nr"; tokens are lower case."""
    out: list[str] = []
    n = len(tokens)
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < n else ""
        number_next = nxt[:1].isdigit()
        if tok[-1] != "." and not number_next and len(tok) > 2 and tok not in _SPECIAL:
            out.append(tok)  # fast path: an ordinary word
            continue
        if tok in ("/", ","):
            out.append(tok)
            continue
        if tok == "&":
            out.append("och")
            continue
        dot = tok.endswith(".")
        word = tok.rstrip(".")
        at_start = not out or out[-1] in ("/", ",")
        if word in ("s:t", "sankt") or (at_start and word == "st" and (dot or nxt[:1].isalpha())):
            out.append("sankt")
        elif word in ("s:ta", "sankta"):
            out.append("sankta")
        elif word in ("nr", "no") and number_next:
            continue
        elif (len(word) == 1 and word in _HOUSE_LETTERS and not dot and out
              and out[-1].isdigit()):
            out[-1] += word
        elif dot and word in _WORD_ABBREV:
            out.append(_WORD_ABBREV[word])
        elif word == "g:la":
            out.append("gamla")
        elif (dot or number_next) and word:
            out.append(_expand_suffix(word, dot))
        elif word:
            out.append(word)
    return out


def _expand_suffix(word: str, dot: bool) -> str:
    """Expand an abbreviated street suffix: "storg" -> "storgatan", "skolv" -> "skolvägen".

    Without a dot (``dot=False``, the word is followed by a house number) only
    the unambiguous endings are expanded; words such as "länsväg" or "torg"
    are kept.
    """
    if len(word) < (2 if dot else 3) or not word.isalpha():
        return word
    if word.endswith("pl") and dot:
        return word[:-2] + "platsen"
    if word.endswith(("väg", "vag")):
        return word + "en" if dot else word
    if word.endswith("gat"):
        return word + "an"
    if word.endswith("vg"):
        return word[:-2] + "vägen"
    if word.endswith("g"):
        if word.endswith(_NOT_G_ABBREV) or (word.endswith("torg") and len(word) > 5):
            return word
        return word[:-1] + "gatan"
    if word.endswith("v"):
        return word[:-1] + "vägen"
    return word


def _strip_fillers(tokens: list[str]) -> list[str]:
    """Drop leading filler words ("vid", "utanför", "mitt emot", ...), keeping one token."""
    start = 0
    while len(tokens) - start > 1:
        word = tokens[start].rstrip(".")
        if word in _FILLERS:
            start += 1
        elif word == "mitt" and tokens[start + 1].rstrip(".") == "emot" and len(tokens) - start > 2:
            start += 2
        else:
            break
    return tokens[start:]


def _join(tokens: list[str]) -> str:
    """Join tokens: words with one space, "/" without spaces, "," as ", "."""
    text = " ".join(tokens)
    if "/" not in text and "," not in text:
        return text
    text = text.replace(" / ", "/").replace(" , ", ", ")
    text = _SEP_RUN.sub(lambda m: m[0].strip()[0] + ("" if m[0].strip()[0] == "/" else " "), text)
    return text.strip(" ,/").replace(" ,", ",").replace(" /", "/").replace("/ ", "/")


def normalize(text: object) -> str:
    """Normalise Swedish place text into a lookup key.

    Lower-cases, trims and collapses white space, removes punctuation except
    "/" (intersections), "," (town after a comma), inner "-" ("P-platsen",
    "12-14") and ":" in "s:t"; expands abbreviations ("Storg. 5" ->
    "storgatan 5", "Kyrkog 3" -> "kyrkogatan 3", "Skolv. 2" -> "skolvägen 2",
    "pl." -> "platsen", "St./S:t" at the start -> "sankt", "gam." -> "gamla");
    joins a house letter to its number ("12 B" -> "12b"); drops leading filler
    words ("vid", "utanför", "framför", "bakom", "nära", "i", "på", "mitt
    emot", ...). Keeps å, ä and ö.

    Parameters
    ----------
    text
        Place text; ``None`` and NaN give ``""``.

    Returns
    -------
    str
        The normalised text, e.g. ``"storgatan 12b, strandvik"``.
    """
    if text is None or (isinstance(text, float) and text != text):
        return ""
    s = str(text).lower()
    if not s.isascii():
        s = unicodedata.normalize("NFC", s)
    if _PRE_CHARS.search(s):
        s = s.translate(_PRE)
    if "-" in s:
        s = _NUM_RANGE.sub(r"\1-\2", s)
    tokens = _TOKEN.findall(s)
    if not tokens:
        return ""
    return _join(_expand(_strip_fillers(tokens)))


def fold_normalized(key: str) -> str:
    """Remove diacritics from an already normalised key (å, ä -> a; ö -> o; é -> e)."""
    return key if key.isascii() else key.translate(_FOLD)


def fold(text: object) -> str:
    """Normalise like :func:`normalize`, then remove diacritics.

    å and ä become a, ö becomes o, é becomes e (and a few other accented
    letters likewise), for matching text typed without Swedish letters:
    ``fold("Skolvagen 3") == fold("Skolvägen 3") == "skolvagen 3"``.
    """
    return fold_normalized(normalize(text))


def street_like(name: str) -> bool:
    """True if a normalised name ends like a street ("-gatan", "-vägen", "länsväg 280")."""
    return bool(_STREET_SUFFIX.search(fold_normalized(name)))


@dataclass(frozen=True, slots=True)
class Query:
    """The parts of one normalised place text.

    Attributes
    ----------
    text
        The whole normalised text.
    kind
        ``"address"`` (street and house number), ``"intersection"`` (two
        streets) or ``"name"`` (a street, place or town name without number).
    name
        The text without the town context (for ``kind == "name"``).
    street, number, letter
        Street, house number and upper-case house letter (``""`` if none) of
        an address; a range "12-14" gives 12.
    street_a, street_b
        The two streets of an intersection.
    ort
        Town context as written (normalised), from ", Ort", "i Ort" or, when
        known town names are given, a trailing town name; else ``None``.
    postcode
        Postcode given after a comma ("999 31"), without the space; else ``None``.
    """

    text: str
    kind: str
    name: str
    street: str | None = None
    number: int | None = None
    letter: str = ""
    street_a: str | None = None
    street_b: str | None = None
    ort: str | None = None
    postcode: str | None = None


def _strip_ort(text: str, orter: Collection[str] | None) -> tuple[str, str | None, str | None]:
    """Split town and postcode context off ``text``: returns (head, ort, postcode)."""
    ort: str | None = None
    postcode: str | None = None
    head = text
    if ", " in text:
        parts = text.split(", ")
        head = parts[0]
        for part in reversed(parts[1:]):
            m = _POSTCODE.match(part)
            if m:
                postcode = postcode or m["postcode"].replace(" ", "")
                part = m["rest"] or ""
            if (part and ort is None and not _HAS_DIGIT.search(part)
                    and (orter is None or fold_normalized(part) in orter)):
                ort = part
        return head, ort, postcode
    m = _IN_ORT.match(text)
    if (m and len(m["ort"].split()) <= 3
            and (orter is None or fold_normalized(m["ort"]) in orter)):
        return m["head"], m["ort"], None
    if orter:
        words = text.split(" ")
        for k in (1, 2, 3):
            if len(words) > k and fold_normalized(" ".join(words[-k:])) in orter:
                return " ".join(words[:-k]), " ".join(words[-k:]), None
    return head, ort, postcode


def _street_part(text: str) -> str:
    """Drop a house number after a street name ("storgatan 5" -> "storgatan")."""
    m = _ADDRESS.match(text)
    return m["street"] if m and not street_like(text) else text


def _intersection(head: str) -> tuple[str, str] | None:
    """Two street names if ``head`` names an intersection, else ``None``."""
    m = _CORNER.match(head)
    corner = m is not None
    body = m[1] if m else head
    a = b = None
    if "/" in body:
        a, b = body.split("/")[:2]
    else:
        for sep in (" och ", " mot "):
            if sep in body:
                a, b = body.split(sep, 1)
                both = street_like(_street_part(a)) and street_like(_street_part(b))
                if not (corner or both):
                    a = b = None
                break
        if a is None and corner:
            words = body.split(" ")
            for i in range(len(words) - 1):
                if words[i + 1][:1].isdigit():
                    continue
                if street_like(words[i]) or street_like(" ".join(words[: i + 1])):
                    a, b = " ".join(words[: i + 1]), " ".join(words[i + 1:])
                    break
            else:
                if len(words) == 2:
                    a, b = words
    if a is None or b is None:
        return None
    a, b = _street_part(a.strip()), _street_part(b.strip())
    if not (_HAS_LETTER.search(a) and _HAS_LETTER.search(b)):
        return None
    return a, b


def parse_query(text: str, orter: Collection[str] | None = None) -> Query:
    """Parse place text into street/number, intersection, town and free name.

    Parameters
    ----------
    text
        Place text; normalised here with :func:`normalize` (normalising twice
        is harmless).
    orter
        Known town names, each as returned by :func:`fold`. When given, a
        town after ", " or " i " counts only if it is one of them, and a
        trailing town without comma ("Storgatan 5 Strandvik") is recognised
        too. When ``None`` any word(s) after ", " or " i " count as the town.

    Returns
    -------
    Query
        ``kind`` is ``"intersection"`` for "korsningen X/Y", "X/Y", "X och Y"
        (both street-like) and "hörnet X Y"; ``"address"`` for "Storgatan
        12B", "Storgatan 12 B" and "Storgatan 12-14" (number 12); else
        ``"name"``.
    """
    return parse_normalized(normalize(text), orter)


def parse_normalized(t: str, orter: Collection[str] | None = None) -> Query:
    """:func:`parse_query` for text already passed through :func:`normalize`."""
    head, ort, postcode = _strip_ort(t, orter)
    pair = _intersection(head)
    if pair is not None:
        return Query(t, "intersection", head, street_a=pair[0], street_b=pair[1],
                     ort=ort, postcode=postcode)
    m = _ADDRESS.match(head)
    if m:
        return Query(t, "address", head, street=m["street"], number=int(m["number"]),
                     letter=(m["letter"] or "").upper(), ort=ort, postcode=postcode)
    m = _CORNER.match(head)
    if m:
        head = _join(_strip_fillers(m[1].split(" ")))
    return Query(t, "name", head, ort=ort, postcode=postcode)

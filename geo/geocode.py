"""Offline geocoding of place text against a gazetteer (see :mod:`geo.gazetteer`).

Rules, in order, for each text:

1. **Override**: a manual table place text -> (x, y), matched on the
   normalised text (:func:`geo.normalize.normalize`); precision ``exact``,
   score 1, method ``override``.
2. **Exact**: the whole normalised text is a place, alias, street or town
   name; else its parsed parts (:func:`geo.normalize.parse_query`: street and
   house number, the two streets of an intersection, a name) equal gazetteer
   keys. Also when compared without diacritics (:func:`geo.normalize.fold`).
   Score 1, method ``exact``.
3. **Fuzzy**: street names and place names -- never house numbers -- within
   ``k`` character edits of exactly one known name (optimal string alignment
   distance between folded texts, ``rapidfuzz.process.cdist`` over the
   distinct query strings, all cores). Score ``1 - 0.05 * k``. A name with
   another name as close is ambiguous and not used. At most 1 edit for
   names of 4-6 characters, none below 4, 2 up to 11 characters and 3 from
   12 (the 3rd only counts with ``threshold <= 0.85``). Method ``fuzzy``.

Below ``threshold`` nothing is guessed: precision ``none``, score 0.

Ort (town) context comes from the text (", Ort", "i Ort", a trailing town
name, a postcode) or else the ``ort`` argument. Names are searched only among
the names of that ort (plus names without ort, such as country roads).
Without an ort context a name must occur in one ort only: a street in
several orter gives ``none`` rather than the biggest one.

Addresses: the street is found by name, then the house number exactly. A
number that does not exist falls back to the street (precision ``street``);
a house letter that does not exist falls back to the number without letter
(or, when the number only exists with letters, its first letter).
Intersections: both streets by name, then their crossing point in the ort
(the first one when they cross twice); without ort context the pair must
cross in one ort only.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyproj
import shapely
from rapidfuzz import process
from rapidfuzz.distance import OSA

from trygg.geo.errors import ArgumentError, UserError
from trygg.geo.normalize import Query, fold_normalized, normalize, parse_normalized

__all__ = ["EDIT_PENALTY", "PRECISIONS", "Geocoder", "geocode"]

#: Precision codes of the result, most precise first.
PRECISIONS = ("exact", "address", "street", "intersection", "place", "area", "none")
#: Score lost per character edit in a fuzzy match.
EDIT_PENALTY = 0.05

IntArray: TypeAlias = npt.NDArray[np.int64]

_NO_ORT = -1       # ort id of entries without ort (country roads), and "no ort context"
_NOT_FOUND = -1    # name/entry id: nothing found
_AMBIGUOUS = -2    # name/entry id: several candidates, none chosen
_MAX_CELLS = 20_000_000  # cdist matrix cells per call (int8: 20 MB)
_NAME_PRIORITY = {"place": 0, "street": 1, "area": 2}


def _factorize_text(values: pd.Series[Any]) -> tuple[IntArray, list[str]]:
    """Codes (-1 for missing or blank) and distinct stripped strings of ``values``."""
    codes, uniq = pd.factorize(values.astype(object), use_na_sentinel=True)
    names = [str(u).strip() for u in uniq]
    new_codes, new_names = pd.factorize(pd.Series(names, dtype=object).replace("", None))
    mapping = np.append(np.asarray(new_codes, dtype=np.int64), -1)
    return mapping[codes], list(new_names)


def _method(fuzzy: bool) -> str:
    return "fuzzy" if fuzzy else "exact"


def _street_variants(street: str) -> list[str]:
    """Spellings of a parsed street name to try: as normalised, then with an
    abbreviation expanded the other way.

    :func:`geo.normalize.normalize` cannot know whether "Hamng." is
    "Hamngatan" or "Kungstorg 3" is "Kungstorg" rather than "Kungstorgatan",
    nor whether "Mittgatag 24" is a typo rather than an abbreviation; the
    gazetteer decides. ``"kungstorgatan"`` gives ``["kungstorgatan",
    "kungstorg"]``, ``"hamng"`` gives ``["hamng", "hamngatan"]``, ``"gruvägen"``
    (from "Gruvg.") also ``"gruvgatan"``.
    """
    out = [street]
    if len(street) > 6 and street.endswith(("gatan", "vägen")):
        out.append(street[:-4])
        if street.endswith("vägen"):
            out += [street[:-2], street[:-5] + "vgatan"]
    elif street.endswith(("väg", "vag")):
        out.append(street + "en")
    elif street.endswith("g"):
        out.append(street + "atan")
    elif street.endswith("v"):
        out.append(street + "ägen")
    return out


def _max_edits(length: npt.NDArray[np.integer]) -> npt.NDArray[np.integer]:
    """Character edits allowed in a fuzzy match of a name of ``length`` characters."""
    return np.select([length < 4, length < 7, length < 12], [0, 1, 2], 3)


class _Vocab:
    """Distinct normalised names and the orter (ort ids) each occurs in.

    Parameters
    ----------
    keys, oids
        One (normalised name, ort id) per occurrence; ``oids`` uses
        ``_NO_ORT`` for names without ort, which count as present in every ort.
    """

    def __init__(self, keys: Collection[str] | npt.NDArray[np.object_],
                 oids: Collection[int] | npt.NDArray[np.int64]) -> None:
        codes, uniq = pd.factorize(pd.Series(list(keys), dtype=object))
        self.keys: list[str] = list(uniq)
        self.id: dict[str, int] = {k: i for i, k in enumerate(self.keys)}
        self.folded = [fold_normalized(k) for k in self.keys]
        self.by_fold: dict[str, list[int]] = {}
        for i, f in enumerate(self.folded):
            self.by_fold.setdefault(f, []).append(i)
        self.orts: list[set[int]] = [set() for _ in self.keys]
        pairs = pd.DataFrame({"id": codes, "oid": np.asarray(oids, dtype=np.int64)})
        pairs = pairs.drop_duplicates()
        for i, o in zip(pairs["id"].to_numpy(), pairs["oid"].to_numpy(), strict=True):
            self.orts[i].add(int(o))
        self._by_ort = pairs.groupby("oid")["id"].apply(np.asarray).to_dict()
        self._choices: dict[int, tuple[list[str], IntArray]] = {}

    def add(self, key: str, oid: int) -> int:
        """Add one occurrence (before any lookup) and return the name id."""
        i = self.id.get(key)
        if i is None:
            i = len(self.keys)
            self.keys.append(key)
            self.id[key] = i
            f = fold_normalized(key)
            self.folded.append(f)
            self.by_fold.setdefault(f, []).append(i)
            self.orts.append(set())
        if oid not in self.orts[i]:
            self.orts[i].add(oid)
            self._by_ort[oid] = np.append(self._by_ort.get(oid, np.empty(0, int)), i)
        return i

    def in_block(self, i: int, oid: int) -> bool:
        """True if name ``i`` can be meant in ort ``oid`` (``_NO_ORT``: any ort)."""
        orts = self.orts[i]
        return oid == _NO_ORT or oid in orts or _NO_ORT in orts

    def choices(self, oid: int) -> tuple[list[str], IntArray]:
        """Distinct folded names searchable in ort ``oid`` and their name ids.

        A folded text shared by several names gets id ``_AMBIGUOUS``.
        """
        if oid not in self._choices:
            if oid == _NO_ORT:
                ids = np.arange(len(self.keys))
            else:
                ids = np.union1d(self._by_ort.get(oid, np.empty(0, int)),
                                 self._by_ort.get(_NO_ORT, np.empty(0, int)))
            folded = pd.Series([self.folded[i] for i in ids], dtype=object)
            dup = folded.duplicated(keep=False).to_numpy()
            first = ~folded.duplicated().to_numpy()
            cids = np.where(dup, _AMBIGUOUS, ids)[first]
            self._choices[oid] = (folded[first].tolist(), cids.astype(np.int64))
        return self._choices[oid]


@dataclass
class _Found:
    """Per-query results being filled in (arrays over the distinct queries)."""

    entry: IntArray                # gazetteer row, or _NOT_FOUND
    precision: npt.NDArray[np.object_]  # precision codes
    score: npt.NDArray[np.float64]
    method: npt.NDArray[np.object_]
    done: npt.NDArray[np.bool_]    # decided (found, ambiguous or given up)

    @classmethod
    def empty(cls, m: int) -> _Found:
        return cls(np.full(m, _NOT_FOUND, dtype=np.int64), np.full(m, "none", dtype=object),
                   np.zeros(m), np.full(m, "none", dtype=object), np.zeros(m, dtype=bool))

    def set(self, q: int, entry: int, precision: str, score: float, method: str) -> None:
        """Record a result for query ``q`` (an ambiguous or missing entry gives none)."""
        self.done[q] = True
        if entry >= 0:
            self.entry[q], self.precision[q] = entry, precision
            self.score[q], self.method[q] = score, method


class Geocoder:
    """Geocoder over one gazetteer, reusable for many calls.

    Parameters
    ----------
    gazetteer
        As built by :func:`geo.gazetteer.build_gazetteer` (columns ``kind``,
        ``name``, ``key``, ``street``, ``number``, ``letter``, ``postcode``,
        ``ort``, point ``geometry``); its CRS is the CRS of the results.
    threshold
        Lowest score (0-1] accepted; below it the result is ``none``. The
        default 0.9 accepts up to two character edits in a name.
    overrides
        Manual answers: a mapping place text -> (x, y), or a DataFrame with a
        text column (``place_text``, ``plats``, ``text``, ``namn`` or
        ``name``) and ``x``/``y`` columns (or point geometry). Coordinates in
        the gazetteer CRS (a GeoDataFrame is transformed). Texts are matched
        after :func:`geo.normalize.normalize`.

    Raises
    ------
    ArgumentError
        For a threshold outside (0, 1].
    UserError
        For a gazetteer or override table lacking a required column.
    """

    def __init__(self, gazetteer: gpd.GeoDataFrame, *, threshold: float = 0.9,
                 overrides: Mapping[str, tuple[float, float]] | pd.DataFrame | None = None
                 ) -> None:
        if not 0.0 < float(threshold) <= 1.0:
            raise ArgumentError(
                f"Tröskeln för geokodning måste ligga mellan 0 och 1, inte {threshold}.",
                f"The geocoding threshold must lie between 0 and 1, not {threshold}.")
        missing = [c for c in ("kind", "name", "key", "street", "number", "letter", "ort")
                   if c not in gazetteer.columns]
        if missing:
            raise UserError(
                f"Ortregistret saknar kolumnen '{missing[0]}'. Bygg det med "
                "build_gazetteer().",
                f"The gazetteer lacks the column '{missing[0]}'. Build it with "
                "build_gazetteer().")
        self.threshold = float(threshold)
        self.crs = gazetteer.crs
        g = gazetteer.reset_index(drop=True)
        pts = np.asarray(g.geometry.values, dtype=object).copy()
        other = shapely.get_type_id(pts) != 0
        if other.any():
            pts[other] = shapely.point_on_surface(pts[other])
        self._x = shapely.get_x(pts)
        self._y = shapely.get_y(pts)
        self._name = g["name"].astype(object).to_numpy()
        kind = g["kind"].astype(str).to_numpy()
        self._kinds = kind
        key = g["key"].astype(object).where(g["key"].notna(), "").to_numpy()
        self._init_orts(g)
        self._init_streets(g, kind, key)
        self._init_names(kind, key)
        self._overrides = self._parse_overrides(overrides)

    # -- construction ------------------------------------------------------

    def _init_orts(self, g: pd.DataFrame) -> None:
        """Ort ids (``self._oid`` per row), fold()-ed ort names, postcode -> ort."""
        codes, names = _factorize_text(g["ort"])
        self._oid = codes  # -1 (= _NO_ORT) for ""
        self.orter: list[str] = list(names)
        self._ort_by_fold = {fold_normalized(normalize(o)): i for i, o in enumerate(self.orter)}
        self._ort_fold_set = frozenset(self._ort_by_fold)
        self._ort_cache: dict[str, int] = {}
        if "postcode" in g.columns:
            pc_codes, pc_names = _factorize_text(g["postcode"])
            pc_texts = np.array([p.replace(" ", "") for p in pc_names] + [""], dtype=object)
            pc = pc_texts[pc_codes]
        else:
            pc = np.full(len(g), "", dtype=object)
        pairs = pd.DataFrame({"pc": pc, "oid": self._oid})
        pairs = pairs[(pairs["pc"] != "") & (pairs["oid"] >= 0)].drop_duplicates()
        unique = pairs[~pairs["pc"].duplicated(keep=False)]
        self._ort_by_postcode = dict(zip(unique["pc"], unique["oid"], strict=True))

    def _init_streets(self, g: pd.DataFrame, kind: npt.NDArray[np.object_],
                      key: npt.NDArray[np.object_]) -> None:
        """Street vocabulary and lookups for street, address and intersection entries."""
        oid = self._oid
        is_street = kind == "street"
        self._streets = _Vocab(key[is_street], oid[is_street])
        rows = np.flatnonzero(is_street)
        self._street_entry: dict[tuple[int, int], int] = {}
        for r, k, o in zip(rows.tolist(), key[is_street], oid[is_street].tolist(), strict=True):
            self._street_entry.setdefault((self._streets.id[k], o), r)

        is_addr = kind == "address"
        street_codes, street_names = _factorize_text(g["street"][is_addr])
        letter_codes, letter_names = _factorize_text(g["letter"][is_addr])
        letters = np.array([t.upper() for t in letter_names] + [""], dtype=object)
        adr = pd.DataFrame({
            "row": np.flatnonzero(is_addr),
            "street": street_codes,
            "number": pd.to_numeric(g["number"][is_addr], errors="coerce").to_numpy(float),
            "letter": letters[letter_codes],
            "oid": oid[is_addr],
        })
        adr = adr[(adr["street"] >= 0) & np.isfinite(adr["number"])]
        pair_codes, pairs = pd.factorize(pd.MultiIndex.from_arrays([adr["street"], adr["oid"]]))
        skeys = [normalize(t) for t in street_names]
        pair_sid = np.array([self._streets.add(skeys[s], int(o)) for s, o in pairs],
                            dtype=np.int64)
        sid = pair_sid[pair_codes]
        number = adr["number"].to_numpy().astype(np.int64)
        # first wins: the number without letter, else its first letter
        order = np.lexsort((adr["letter"].to_numpy(dtype=str), number))[::-1]
        cols = (sid[order].tolist(), adr["oid"].to_numpy()[order].tolist(),
                number[order].tolist(), adr["letter"].to_numpy()[order].tolist(),
                adr["row"].to_numpy()[order].tolist())
        self._address: dict[tuple[int, int, int, str], int] = {
            (s, o, n, lt): r for s, o, n, lt, r in zip(*cols, strict=True)}
        self._address_any: dict[tuple[int, int, int], int] = {
            (s, o, n): r for s, o, n, _, r in zip(*cols, strict=True)}

        self._intersection: dict[tuple[int, int, int], int] = {}
        self._intersection_any: dict[tuple[int, int], int] = {}
        for r in np.flatnonzero(kind == "intersection").tolist():
            a, _, b = str(key[r]).partition("/")
            if not b:
                continue
            o = int(oid[r])
            ia = self._streets.id.get(a)
            ib = self._streets.id.get(b)
            sa, sb = sorted((self._streets.add(a, o) if ia is None else ia,
                             self._streets.add(b, o) if ib is None else ib))
            self._intersection.setdefault((sa, sb, o), int(r))
            prev = self._intersection_any.get((sa, sb))
            if prev is None:
                self._intersection_any[(sa, sb)] = int(r)
            elif prev >= 0 and int(oid[prev]) != o:
                self._intersection_any[(sa, sb)] = _AMBIGUOUS

    def _init_names(self, kind: npt.NDArray[np.object_], key: npt.NDArray[np.object_]) -> None:
        """Name vocabulary (places, aliases, streets, areas) and name -> entry lookups.

        Among the entries of one name (in one ort, or anywhere for
        ``_name_any``) the most precise kind wins (place, street, area);
        several such entries more than 1 m apart make the name ambiguous.
        """
        rows = np.flatnonzero(np.isin(kind, list(_NAME_PRIORITY)))
        self._names = _Vocab(key[rows], self._oid[rows])
        df = pd.DataFrame({
            "row": rows, "nid": [self._names.id[k] for k in key[rows]],
            "oid": self._oid[rows], "prio": [_NAME_PRIORITY[k] for k in kind[rows]],
            "x": self._x[rows], "y": self._y[rows],
        })
        self._name_entry = self._pick_entries(df, ["nid", "oid"])
        self._name_any = self._pick_entries(df, ["nid"])

    @staticmethod
    def _pick_entries(df: pd.DataFrame, by: list[str]) -> dict[int | tuple[int, int], int]:
        """Per group of ``by``: the entry row, or ``_AMBIGUOUS`` (see :meth:`_init_names`)."""
        if df.empty:
            return {}
        best = df[df["prio"] == df.groupby(by)["prio"].transform("min")]
        x0 = best.groupby(by)["x"].transform("first")
        y0 = best.groupby(by)["y"].transform("first")
        far = np.hypot(best["x"] - x0, best["y"] - y0) > 1.0
        agg = best.assign(far=far).groupby(by).agg(row=("row", "first"), far=("far", "any"))
        rows = np.where(agg["far"].to_numpy(), _AMBIGUOUS, agg["row"].to_numpy())
        keys = agg.index.tolist()
        return dict(zip(keys, rows.tolist(), strict=True))

    def _parse_overrides(self, overrides: Mapping[str, tuple[float, float]] | pd.DataFrame | None
                         ) -> dict[str, tuple[float, float, str]]:
        """Overrides as normalised text -> (x, y, text as given), x/y in the gazetteer CRS."""
        if overrides is None:
            return {}
        if isinstance(overrides, Mapping):
            return {normalize(k): (float(v[0]), float(v[1]), str(k))
                    for k, v in overrides.items()}
        df = overrides
        lower = {str(c).lower(): c for c in df.columns}
        tcol = next((lower[c] for c in ("place_text", "plats", "text", "namn", "name")
                     if c in lower), None)
        if tcol is None:
            raise UserError(
                "Tabellen med manuella platser saknar kolumnen 'plats'. Lägg till en kolumn "
                "'plats' (eller 'place_text') med platstexten.",
                "The override table lacks the column 'place_text'. Add a column "
                "'place_text' (or 'plats') holding the place text.")
        if "x" in lower and "y" in lower:
            x = pd.to_numeric(df[lower["x"]], errors="coerce").to_numpy(float)
            y = pd.to_numeric(df[lower["y"]], errors="coerce").to_numpy(float)
        elif isinstance(df, gpd.GeoDataFrame):
            gdf = df
            if gdf.crs is not None and self.crs is not None and not pyproj.CRS(
                    gdf.crs).equals(pyproj.CRS(self.crs)):
                gdf = gdf.to_crs(self.crs)
            x, y = gdf.geometry.x.to_numpy(), gdf.geometry.y.to_numpy()
        else:
            raise UserError(
                "Tabellen med manuella platser saknar kolumnerna 'x' och 'y'. Lägg till dem "
                "(koordinater i ortregistrets koordinatsystem).",
                "The override table lacks the columns 'x' and 'y'. Add them "
                "(coordinates in the gazetteer's coordinate system).")
        out: dict[str, tuple[float, float, str]] = {}
        for t, xi, yi in zip(df[tcol], x, y, strict=True):
            if np.isfinite(xi) and np.isfinite(yi) and normalize(t):
                out.setdefault(normalize(t), (float(xi), float(yi), str(t)))
        return out

    # -- matching ----------------------------------------------------------

    def _ort_id(self, text: str | None) -> int:
        """Ort id of a (normalised or raw) ort name, ``_NO_ORT`` if unknown."""
        if not text:
            return _NO_ORT
        oid = self._ort_cache.get(text)
        if oid is None:
            oid = self._ort_cache[text] = self._ort_by_fold.get(
                fold_normalized(normalize(text)), _NO_ORT)
        return oid

    def _match(self, vocab: _Vocab, variants: list[list[str]], oids: IntArray, *,
               fuzzy: bool = True, same: Callable[[int, int, int], bool] | None = None
               ) -> tuple[IntArray, npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
        """Find each query among the names of ``vocab`` in its ort block.

        Parameters
        ----------
        vocab
            The names searched.
        variants
            Per query, its normalised spellings, the text as parsed first
            (see :func:`_street_variants`).
        oids
            Ort id per query (``_NO_ORT``: search all names).
        fuzzy
            Fall back to :meth:`_fuzzy` when no spelling matches exactly.
        same
            ``same(id1, id2, oid)`` tells whether two different names found
            for two spellings mean the same thing (else the query is ambiguous).

        Returns
        -------
        (ids, score, is_fuzzy)
            Name id (``_NOT_FOUND``, or ``_AMBIGUOUS`` when several names fit
            equally well), score in [0, 1] and whether the match was fuzzy.
        """
        n = len(variants)
        ids = np.full(n, _NOT_FOUND, dtype=np.int64)
        score = np.zeros(n)
        todo: list[int] = []
        for i, (texts, o) in enumerate(zip(variants, oids, strict=True)):
            for t in texts:
                j = vocab.id.get(t)
                if j is not None and vocab.in_block(j, o):
                    ids[i], score[i] = j, 1.0
                    break
                cands = [c for c in vocab.by_fold.get(fold_normalized(t), ())
                         if vocab.in_block(c, o)]
                if cands:
                    ids[i], score[i] = (cands[0], 1.0) if len(cands) == 1 else (_AMBIGUOUS, 0.0)
                    break
            else:
                if texts and texts[0]:
                    todo.append(i)
        is_fuzzy = np.zeros(n, dtype=bool)
        if todo and fuzzy:
            owner = np.array([i for i in todo for _ in variants[i]], dtype=np.int64)
            flat = [fold_normalized(t) for i in todo for t in variants[i]]
            fid, dist = self._fuzzy(vocab, flat, oids[owner])
            best: dict[int, tuple[int, int]] = {}
            for i, j, d in zip(owner.tolist(), fid.tolist(), dist.tolist(), strict=True):
                if j == _NOT_FOUND:
                    continue
                prev = best.get(i)
                if prev is None or d < prev[1]:
                    best[i] = (j, d)
                elif d == prev[1] and j != prev[0] and not (
                        same is not None and min(j, prev[0]) >= 0
                        and same(prev[0], j, int(oids[i]))):
                    best[i] = (_AMBIGUOUS, d)
            for i, (j, d) in best.items():
                ids[i] = j
                score[i] = round(1.0 - EDIT_PENALTY * d, 6)
                is_fuzzy[i] = j >= 0
        return ids, score, is_fuzzy

    def _fuzzy(self, vocab: _Vocab, folded: list[str], oids: IntArray
               ) -> tuple[IntArray, IntArray]:
        """Fuzzy match of folded texts against the folded names of their ort block.

        Uses the optimal string alignment distance (``rapidfuzz.distance.OSA``)
        through ``rapidfuzz.process.cdist`` on all cores. A text matches the
        closest name when the distance ``k`` is within :func:`_max_edits` and
        ``1 - EDIT_PENALTY * k`` reaches the threshold.

        Returns
        -------
        (ids, dist)
            Name id (``_NOT_FOUND``; ``_AMBIGUOUS`` when another name is as
            close) and the distance ``k``.
        """
        n = len(folded)
        ids = np.full(n, _NOT_FOUND, dtype=np.int64)
        dist_out = np.zeros(n, dtype=np.int64)
        if n == 0:
            return ids, dist_out
        # distinct (text, ort) pairs only
        codes, uniq = pd.factorize(pd.Series(folded, dtype=object) + "\x00"
                                   + pd.Series(oids).astype(str))
        first = np.unique(codes, return_index=True)[1]
        texts = [folded[i] for i in first]
        u_oids = np.asarray(oids)[first]
        u_ids = np.full(len(texts), _NOT_FOUND, dtype=np.int64)
        u_dist = np.zeros(len(texts), dtype=np.int64)
        by_threshold = int(np.floor((1.0 - self.threshold) / EDIT_PENALTY + 1e-9))
        allowed = np.minimum(_max_edits(np.fromiter(map(len, texts), np.int64, len(texts))),
                             by_threshold)
        for o in np.unique(u_oids):
            rows = np.flatnonzero((u_oids == o) & (allowed > 0))
            choices, cids = vocab.choices(int(o))
            if rows.size == 0 or not choices:
                continue
            step = max(1, _MAX_CELLS // len(choices))
            for start in range(0, rows.size, step):
                part = rows[start:start + step]
                cutoff = int(allowed[part].max())
                dist = process.cdist([texts[i] for i in part], choices, scorer=OSA.distance,
                                     score_cutoff=cutoff, dtype=np.int8, workers=-1)
                best = dist.argmin(axis=1)
                d1 = dist[np.arange(part.size), best].astype(np.int64)
                if dist.shape[1] > 1:
                    d2 = np.partition(dist, 1, axis=1)[:, 1].astype(np.int64)
                else:
                    d2 = np.full(part.size, cutoff + 1)
                cid = cids[best]
                ok = d1 <= allowed[part]
                unique = (d2 > d1) & (cid >= 0)
                u_ids[part[ok]] = np.where(unique[ok], cid[ok], _AMBIGUOUS)
                u_dist[part[ok]] = d1[ok]
        return u_ids[codes], u_dist[codes]

    def _street_ort(self, sid: int, oid: int) -> int | None:
        """The ort of street ``sid`` given ort context ``oid``; ``None`` if ambiguous/absent."""
        orts = self._streets.orts[sid]
        if oid != _NO_ORT:
            if oid in orts:
                return oid
            return _NO_ORT if _NO_ORT in orts else None
        return next(iter(orts)) if len(orts) == 1 else None

    def _same_place(self, nid1: int, nid2: int, oid: int) -> bool:
        """True if names ``nid1`` and ``nid2`` lead to points within 1 m in ort ``oid``."""
        r1, r2 = self._name_lookup(nid1, oid), self._name_lookup(nid2, oid)
        return (r1 >= 0 and r2 >= 0
                and np.hypot(self._x[r1] - self._x[r2], self._y[r1] - self._y[r2]) <= 1.0)

    def _name_lookup(self, nid: int, oid: int) -> int:
        """Gazetteer row of name ``nid`` in ort ``oid`` (``_NO_ORT``: anywhere, if unique)."""
        if nid < 0:
            return nid
        if oid == _NO_ORT:
            return self._name_any.get(nid, _NOT_FOUND)
        row = self._name_entry.get((nid, oid), _NOT_FOUND)
        if row == _NOT_FOUND:
            row = self._name_entry.get((nid, _NO_ORT), _NOT_FOUND)
        return row

    def _exact_names(self, found: _Found, qs: IntArray, texts: list[str],
                     oids: IntArray) -> None:
        """Exact (or diacritic-free) lookup of whole texts among the names."""
        ids, _, _ = self._match(self._names, [[t] for t in texts], oids, fuzzy=False)
        for q, nid, o in zip(qs, ids, oids, strict=True):
            if nid == _AMBIGUOUS:
                found.done[q] = True
            elif nid >= 0:
                row = self._name_lookup(int(nid), int(o))
                found.set(q, row, self._kinds[max(row, 0)], 1.0, "exact")

    def _geocode_names(self, found: _Found, qs: IntArray, queries: list[Query],
                       oids: IntArray) -> None:
        """Match texts as place, street or area names (exact, then fuzzy).

        Tried as parsed (without the ort) and as a whole ("Skolan i Björkås"
        is both a place name and "Skolan" in Björkås).
        """
        variants = []
        for p in queries:
            whole = p.text.replace(", ", " ")
            variants.append([p.name] if whole == p.name else [p.name, whole])
        ids, score, fuzzy = self._match(self._names, variants, oids, same=self._same_place)
        for q, nid, s, fz, o in zip(qs, ids, score, fuzzy, oids, strict=True):
            row = self._name_lookup(int(nid), int(o))
            if s >= self.threshold:
                found.set(q, row, self._kinds[max(row, 0)], s, _method(fz))
            found.done[q] = True

    def _geocode_addresses(self, found: _Found, qs: IntArray, queries: list[Query],
                           oids: IntArray) -> None:
        """Street by name (exact, then fuzzy), then house number and letter exactly."""
        ids, score, fuzzy = self._match(
            self._streets, [_street_variants(p.street or "") for p in queries], oids)
        for q, p, sid, s, fz, o in zip(qs, queries, ids, score, fuzzy, oids, strict=True):
            found.done[q] = True
            if sid < 0 or s < self.threshold:
                continue
            so = self._street_ort(int(sid), int(o))
            if so is None:
                continue
            key = (int(sid), so, p.number)
            row = self._address.get((*key, p.letter)) if p.letter else None
            if row is None:
                row = self._address.get((*key, ""))
            if row is None:
                row = self._address_any.get(key)
            if row is not None:
                found.set(q, row, "address", s, _method(fz))
                continue
            row = self._street_entry.get((int(sid), so))
            if row is not None:
                found.set(q, row, "street", s, _method(fz))

    def _geocode_intersections(self, found: _Found, qs: IntArray, queries: list[Query],
                               oids: IntArray) -> None:
        """Both street names (exact, then fuzzy), then their crossing in the ort."""
        k = len(queries)
        variants = ([_street_variants(p.street_a or "") for p in queries]
                    + [_street_variants(p.street_b or "") for p in queries])
        ids, score, fuzzy = self._match(self._streets, variants, np.concatenate([oids, oids]))
        for i, (q, o) in enumerate(zip(qs, oids, strict=True)):
            found.done[q] = True
            a, b = int(ids[i]), int(ids[k + i])
            s = min(score[i], score[k + i])
            if a < 0 or b < 0 or s < self.threshold or a == b:
                continue
            pair = (min(a, b), max(a, b))
            if o == _NO_ORT:
                row = self._intersection_any.get(pair, _NOT_FOUND)
            else:
                row = self._intersection.get((*pair, int(o)),
                                             self._intersection.get((*pair, _NO_ORT), _NOT_FOUND))
            found.set(q, row, "intersection", s, _method(bool(fuzzy[i] or fuzzy[k + i])))

    def geocode(self, texts: Sequence[str | None],
                ort: Sequence[str | None] | str | None = None) -> pd.DataFrame:
        """Geocode place texts.

        Parameters
        ----------
        texts
            Place texts as written ("Storgatan 12B, Strandvik", "vid
            Busstationen", "korsningen Storgatan/Kyrkogatan").
        ort
            Ort (town) context per text, or one for all; used when the text
            names no known ort. ``None`` for none.

        Returns
        -------
        pandas.DataFrame
            One row per text, same order, columns ``x``, ``y`` (in the
            gazetteer CRS, NaN when not found), ``precision`` (``exact`` for
            overrides, ``address``, ``street``, ``intersection``, ``place``,
            ``area`` or ``none``), ``score`` (0-1; 1 for exact matches, 0 when
            not found), ``matched`` (the gazetteer ``name``, the override text,
            or None) and ``method`` (``override``, ``exact``, ``fuzzy``, ``none``).
        """
        texts = list(texts)
        n = len(texts)
        if ort is None or isinstance(ort, str):
            ort_list = [ort] * n
        else:
            ort_list = list(ort)
            if len(ort_list) != n:
                raise ArgumentError(
                    f"'ort' har {len(ort_list)} värden men det finns {n} platstexter.",
                    f"'ort' has {len(ort_list)} values but there are {n} place texts.")
        if n == 0:
            return pd.DataFrame({"x": [], "y": [], "precision": [], "score": [],
                                 "matched": [], "method": []}).astype(
                {"precision": object, "matched": object, "method": object})
        # distinct (normalised text, ort argument) pairs: query q
        tcodes, tuniq = pd.factorize(pd.Series(texts, dtype=object).fillna(""))
        ncodes, nuniq = pd.factorize(pd.Series([normalize(t) for t in tuniq], dtype=object))
        ocodes, ouniq = pd.factorize(pd.Series(ort_list, dtype=object).fillna(""))
        ort_ids = np.array([self._ort_id(o) for o in ouniq] + [_NO_ORT], dtype=np.int64)
        width = len(self.orter) + 1
        qcodes, quniq = pd.factorize(np.asarray(ncodes, np.int64)[tcodes] * width
                                     + ort_ids[ocodes] + 1)
        quniq = np.asarray(quniq, dtype=np.int64)
        qtext = quniq // width
        qparam = quniq % width - 1
        m = quniq.size
        found = _Found.empty(m)
        over_xy = np.full((m, 2), np.nan)
        over_text = np.full(m, None, dtype=object)

        norm = list(nuniq)
        for q in range(m):
            t = norm[qtext[q]]
            if not t:
                found.done[q] = True
            elif t in self._overrides:
                ox, oy, over_text[q] = self._overrides[t]
                over_xy[q] = (ox, oy)
                found.done[q] = True
                found.precision[q], found.score[q], found.method[q] = "exact", 1.0, "override"

        parsed: list[Query | None] = [None] * len(norm)
        qoid = np.full(m, _NO_ORT, dtype=np.int64)
        for q in np.flatnonzero(~found.done).tolist():
            k = qtext[q]
            p = parsed[k]
            if p is None:
                p = parsed[k] = parse_normalized(norm[k], self._ort_fold_set)
            o = self._ort_id(p.ort)
            if o == _NO_ORT:
                o = int(qparam[q])
            if o == _NO_ORT and p.postcode:
                o = self._ort_by_postcode.get(p.postcode, _NO_ORT)
            qoid[q] = o

        # 1. the whole text as a name ("Torget i Strandvik", "Länsväg 280")
        qs = np.flatnonzero(~found.done)
        if qs.size:
            self._exact_names(found, qs, [norm[qtext[q]] for q in qs], qoid[qs])
        # 2. by the parsed form
        todo = np.flatnonzero(~found.done)
        kinds = np.array([parsed[qtext[q]].kind for q in todo], dtype=object)
        addr = todo[kinds == "address"]
        if addr.size:
            self._geocode_addresses(found, addr, [parsed[qtext[q]] for q in addr], qoid[addr])
        inter = todo[kinds == "intersection"]
        if inter.size:
            self._geocode_intersections(found, inter, [parsed[qtext[q]] for q in inter],
                                        qoid[inter])
        names = todo[kinds == "name"]
        if names.size:
            self._geocode_names(found, names, [parsed[qtext[q]] for q in names], qoid[names])

        entry = found.entry
        has = entry >= 0
        x = np.where(has, self._x[np.maximum(entry, 0)], over_xy[:, 0])
        y = np.where(has, self._y[np.maximum(entry, 0)], over_xy[:, 1])
        matched = self._name[np.maximum(entry, 0)]  # a copy (fancy indexing)
        matched[~has] = None
        is_over = found.method == "override"
        matched[is_over] = over_text[is_over]
        found.score[found.precision == "none"] = 0.0
        return pd.DataFrame({
            "x": x[qcodes], "y": y[qcodes],
            "precision": found.precision[qcodes], "score": found.score[qcodes],
            "matched": pd.Series(matched[qcodes], dtype=object),
            "method": found.method[qcodes],
        })


def geocode(texts: Sequence[str | None], gazetteer: gpd.GeoDataFrame, *,
            ort: Sequence[str | None] | str | None = None, threshold: float = 0.9,
            overrides: Mapping[str, tuple[float, float]] | pd.DataFrame | None = None
            ) -> pd.DataFrame:
    """Geocode place texts against ``gazetteer`` in one call.

    Builds a :class:`Geocoder` (about 1 s for 200,000 entries) and runs
    :meth:`Geocoder.geocode`; build the :class:`Geocoder` once instead when
    geocoding several batches. Parameters and result as there.
    """
    return Geocoder(gazetteer, threshold=threshold, overrides=overrides).geocode(texts, ort)

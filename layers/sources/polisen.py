"""Source ``polisen``: the Swedish Police Authority's public events ("Polisens händelser").

Reads what the police events API serves (``https://polisen.se/api/events``):
either the API's JSON array (``[ {...}, {...} ]``) or JSON Lines, one event
object per line, as archives of the API store it; either may be gzip-compressed.
Each event has ``id``, ``datetime`` (publication time, e.g.
``2023-03-21 9:48:48 +01:00``), ``name`` (``"21 mars 09:12, Misshandel, Norrtälje"``),
``summary``, ``url``, ``type`` and ``location`` with ``name`` (municipality or
county) and ``gps`` (``"lat,lon"`` in WGS84).

The position is the centroid of the municipality or county, never the place of
the event, so every report gets precision ``kommun``. Police events are public
information: visibility ``publik``.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from trygg.geo.errors import InputFileError
from trygg.layers import schema
from trygg.layers.sources import common, guards
from trygg.layers.sources.common import Parsed
from trygg.layers.sources.readers import read_bytes

#: Police event type → category code (DESIGN.md §4). Complete for every type in
#: the events of 2022-09 → 2026-08; the last block holds types the API has used
#: that are not in that period. Types not listed become ``ovrigt`` and are listed
#: as unmapped after the ingest. The packaged ``categories.toml`` (``[common]``,
#: ``[polisen]``) and a profile's ``[categories]`` override these.
POLICE_TYPES: dict[str, str] = {
    # Våld och hot: violence, threats, sexual crime, weapons, shootings, blasts.
    "Misshandel": "vald_hot",
    "Misshandel, grov": "vald_hot",
    "Mord/dråp": "vald_hot",
    "Mord/dråp, försök": "vald_hot",
    "Olaga hot": "vald_hot",
    "Våld/hot mot tjänsteman": "vald_hot",
    "Sabotage mot blåljusverksamhet": "vald_hot",
    "Ofredande/förargelse": "vald_hot",
    "Olaga frihetsberövande/människorov": "vald_hot",
    "Våldtäkt": "vald_hot",
    "Våldtäkt, försök": "vald_hot",
    "Sexualbrott": "vald_hot",
    "Sedlighetsbrott": "vald_hot",
    "Knivlagen": "vald_hot",
    "Vapenlagen": "vald_hot",
    "Skottlossning": "vald_hot",
    "Skottlossning, misstänkt": "vald_hot",
    "Explosion": "vald_hot",
    "Detonation": "vald_hot",
    "Bombhot": "vald_hot",
    # Rån.
    "Rån": "ran",
    "Rån, försök": "ran",
    "Rån övrigt": "ran",
    "Rån väpnat": "ran",
    "Larm Överfall": "ran",
    # Stöld / inbrott (also intrusion: Skalskydd).
    "Stöld": "stold_inbrott",
    "Stöld, försök": "stold_inbrott",
    "Stöld/inbrott": "stold_inbrott",
    "Inbrott": "stold_inbrott",
    "Inbrott, försök": "stold_inbrott",
    "Larm Inbrott": "stold_inbrott",
    "Häleri": "stold_inbrott",
    "Olaga intrång": "stold_inbrott",
    "Hemfridsbrott": "stold_inbrott",
    # Brott mot fordon.
    "Motorfordon, stöld": "fordon",
    "Motorfordon, anträffat stulet": "fordon",
    # Skadegörelse, brand, narkotika.
    "Skadegörelse": "skadegorelse",
    "Brand": "brand",
    "Mordbrand": "brand",
    "Narkotikabrott": "narkotika",
    # Ordningsstörning / fylleri.
    "Fylleri/LOB": "ordningsstorning",
    "Fylleri": "ordningsstorning",
    "Bråk": "ordningsstorning",
    "Ordningslagen": "ordningsstorning",
    "Alkohollagen": "ordningsstorning",
    "Smällar": "ordningsstorning",
    # Trafik: offences on the road (accidents and police controls are not).
    "Rattfylleri": "trafik",
    "Trafikbrott": "trafik",
    "Olovlig körning": "trafik",
    # Övrigt: summaries, accidents, rescues, police work, crimes not tied to a place.
    "Sammanfattning natt": "ovrigt",
    "Sammanfattning kväll och natt": "ovrigt",
    "Sammanfattning dag": "ovrigt",
    "Sammanfattning kväll": "ovrigt",
    "Sammanfattning eftermiddag": "ovrigt",
    "Sammanfattning helg": "ovrigt",
    "Sammanfattning vecka": "ovrigt",
    "Sammanfattning dygn": "ovrigt",
    "Trafikolycka": "ovrigt",
    "Trafikolycka, personskada": "ovrigt",
    "Trafikolycka, vilt": "ovrigt",
    "Trafikolycka, singel": "ovrigt",
    "Trafikolycka, smitning från": "ovrigt",
    "Trafikkontroll": "ovrigt",
    "Trafikhinder": "ovrigt",
    "Kontroll person/fordon": "ovrigt",
    "Kontroll": "ovrigt",
    "Övrigt": "ovrigt",
    "Information": "ovrigt",
    "Uppdatering": "ovrigt",
    "Polisinsats/kommendering": "ovrigt",
    "Arbetsplatsolycka": "ovrigt",
    "Sjukdom/olycksfall": "ovrigt",
    "Vållande till kroppsskada": "ovrigt",
    "Försvunnen person": "ovrigt",
    "Efterlyst person": "ovrigt",
    "Anträffad död": "ovrigt",
    "Anträffat gods": "ovrigt",
    "Upphittat föremål": "ovrigt",
    "Farligt föremål, misstänkt": "ovrigt",
    "Fjällräddning": "ovrigt",
    "Räddningsinsats": "ovrigt",
    "Brand automatlarm": "ovrigt",
    "Varningslarm/haveri": "ovrigt",
    "Spridning smitta/kemikalier": "ovrigt",
    "Djur": "ovrigt",
    "Lagen om hundar och katter": "ovrigt",
    "Bedrägeri": "ovrigt",
    "Åldringsbrott": "ovrigt",
    "Förfalskningsbrott": "ovrigt",
    "Missbruk av urkund": "ovrigt",
    "Ekobrott": "ovrigt",
    "Miljöbrott": "ovrigt",
    "Hets mot folkgrupp": "ovrigt",
    "Skyddslagen": "ovrigt",
    "Utlänningslagen": "ovrigt",
    "Sjölagen": "ovrigt",
    "Luftfartslagen": "ovrigt",
    # Types the API has used, not seen in 2022-09 → 2026-08, and common spellings.
    "Misshandel grov": "vald_hot",
    "Mord/dråp försök": "vald_hot",
    "Olaga frihetsberövande": "vald_hot",
    "Rån grovt": "ran",
    "Rån försök": "ran",
    "Personrån": "ran",
    "Stöld, ringa": "stold_inbrott",
    "Stöld försök": "stold_inbrott",
    "Inbrott försök": "stold_inbrott",
    "Butiksstöld": "stold_inbrott",
    "Cykelstöld": "stold_inbrott",
    "Olaga intrång/hemfridsbrott": "stold_inbrott",
    "Stöld/inbrott fordon": "fordon",
    "Fordonsbrott": "fordon",
    "Ofog barn/ungdom": "ordningsstorning",
    "Fylleri/lob": "ordningsstorning",
    "Nattsammanfattning": "ovrigt",
    "Sammanfattning förmiddag": "ovrigt",
    "Sammanfattning": "ovrigt",
    "Spridning smittsamma kemikalier": "ovrigt",
    "Naturkatastrof": "ovrigt",
    "Gränskontroll": "ovrigt",
    "Tillfälligt obemannat": "ovrigt",
    "Embargo": "ovrigt",
}

#: Report fields and the event fields they come from (shown in the ingest summary).
COLUMNS = {"source_id": "id", "reported_at": "datetime", "occurred_at": "name",
           "category": "type", "description": "summary", "place_text": "location.name",
           "y": "location.gps", "x": "location.gps"}

_MONTHS = {m: i for i, m in enumerate(
    ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
     "september", "oktober", "november", "december"), start=1)}
_NAME_TIME = (r"^\s*(?P<d>\d{1,2}) (?P<m>" + "|".join(_MONTHS) +
              r")\s+(?P<H>\d{1,2})[:.](?P<M>\d\d)\b")
_NAME_RE = re.compile(_NAME_TIME)
_KNOWN = ("id", "datetime", "type", "summary", "location")
_USUAL = {"id", "datetime", "name", "summary", "url", "type", "location"}
_USUAL_LOC = {"name", "gps"}


def type_mapping(categories: dict[str, str] | None = None,
                 source: str = "polisen") -> dict[str, str]:
    """Police type → category code: :data:`POLICE_TYPES` under the packaged
    mapping (``[common]``, ``[polisen]``) and ``categories`` (a profile's)."""
    mapping = {common.normalise_label(k): v for k, v in POLICE_TYPES.items()}
    mapping.update(common.category_mapping(source, categories))
    return mapping


def read_events(path: str | Path) -> tuple[list[object], np.ndarray, list[str | None]]:
    """Read the records of a police events file (JSON array or JSON Lines, maybe gzip).

    Returns
    -------
    (records, lines, problems)
        One entry per input record: the parsed JSON value, its line number
        (JSON Lines: the physical line; array: element index + 1) and a
        problem text, ``None`` when the record was read. Where a line is not
        JSON, its record is the line's text. Blank lines of a JSON Lines file
        are not records.

    Raises
    ------
    InputFileError
        When a file that starts with ``[`` is not a valid JSON array.
    """
    path = Path(path)
    data = read_bytes(path)
    if data.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte order mark
        data = data[3:]
    if data.lstrip()[:1] == b"[":
        try:
            value = json.loads(data.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise InputFileError(
                f"'{path.name}' är inte UTF-8 (byte {exc.start}).",
                f"'{path.name}' is not UTF-8 (byte {exc.start}).") from None
        except json.JSONDecodeError as exc:
            raise InputFileError(
                f"'{path.name}' börjar som en JSON-lista men är inte giltig JSON: {exc.msg} "
                f"(rad {exc.lineno}, kolumn {exc.colno}).",
                f"'{path.name}' starts as a JSON array but is not valid JSON: {exc.msg} "
                f"(line {exc.lineno}, column {exc.colno}).") from None
        except RecursionError:
            raise InputFileError(
                f"'{path.name}' är JSON som är nästlad för djupt för att läsas (fler än ungefär "
                f"{sys.getrecursionlimit()} nivåer).",
                f"'{path.name}' is JSON nested too deeply to be read (more than about "
                f"{sys.getrecursionlimit()} levels).") from None
        if guards.has_surrogate_escapes(data):
            value = guards.without_lone_surrogates(value)
        return value, np.arange(1, len(value) + 1, dtype="int64"), [None] * len(value)
    if data.lstrip()[:1] == b"{" and b"\n" in data.strip():
        first = data.lstrip().split(b"\n", 1)[0]
        try:
            json.loads(first)
        except (ValueError, RecursionError):
            try:  # one pretty-printed event object
                return ([guards.without_lone_surrogates(json.loads(data))],
                        np.ones(1, dtype="int64"), [None])
            except (ValueError, RecursionError):
                pass
    try:
        texts: list[str | bytes] = data.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        texts = data.split(b"\n")
    records: list[object] = []
    lines: list[int] = []
    problems: list[str | None] = []
    loads = json.loads
    fix = guards.has_surrogate_escapes(data)
    for number, line in enumerate(texts, start=1):
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                lines.append(number)
                records.append(line.decode("utf-8", errors="replace"))
                problems.append(f"inte UTF-8 (byte {exc.start} på raden)")
                continue
        if not line.strip():
            continue
        lines.append(number)
        try:
            records.append(loads(line) if not fix else
                           guards.without_lone_surrogates(loads(line)))
            problems.append(None)
        except ValueError as exc:
            records.append(line.rstrip("\r"))
            problems.append(f"inte JSON: {getattr(exc, 'msg', exc)}")
        except RecursionError:
            records.append(line.rstrip("\r")[:200])
            problems.append("JSON nästlad för djupt")
    return records, np.asarray(lines, dtype="int64"), problems


def _texts(values: list[object]) -> pd.Series:
    """Values as stripped text (``None`` where missing or blank)."""
    return pd.Series([(v.strip() or None) if type(v) is str else
                      (None if v is None else str(v).strip() or None) for v in values],
                     dtype=object)


def _extras(recs: list[dict], locs: list[dict], lines: np.ndarray, level: np.ndarray,
            ok: np.ndarray) -> np.ndarray:
    """``extra`` JSON per kept event: line, area level and every field not mapped
    to a report column (``name``, ``url``, ``location.name``, ``location.gps`` …)."""
    n = len(recs)
    extra = np.full(n, None, dtype=object)
    # The usual event: exactly the API's fields, all text. Encoded in one go.
    usual = np.fromiter(
        (ok_i and r.keys() == _USUAL and loc.keys() == _USUAL_LOC
         and type(r["name"]) is str and type(r["url"]) is str
         and type(loc["name"]) is str and type(loc["gps"]) is str
         for r, loc, ok_i in zip(recs, locs, ok, strict=True)), bool, n)
    if usual.any():
        idx = np.flatnonzero(usual)
        frame = pd.DataFrame({
            "_rad": lines[idx], "_nivå": level[idx],
            "name": [recs[i]["name"] for i in idx], "url": [recs[i]["url"] for i in idx],
            "location.name": [locs[i]["name"] for i in idx],
            "location.gps": [locs[i]["gps"] for i in idx]})
        text = frame.to_json(orient="records", lines=True, force_ascii=False)
        # pandas writes "/" as "\/"; a literal backslash is "\\", so this is exact.
        extra[idx] = text.replace("\\/", "/").rstrip("\n").split("\n")
    for i in np.flatnonzero(ok & ~usual):
        r, loc = recs[i], locs[i]
        more = {"_rad": int(lines[i]), "_nivå": str(level[i])}
        more.update({k: v for k, v in r.items() if k not in _KNOWN})
        more.update({f"location.{k}": v for k, v in loc.items()})
        if not isinstance(r.get("location"), (dict, type(None))):
            more["location"] = r["location"]
        extra[i] = json.dumps(more, ensure_ascii=False)
    return extra


def _local_ns(year: np.ndarray, parts: np.ndarray) -> np.ndarray:
    """UTC nanoseconds of Europe/Stockholm local times given as year and (month,
    day, hour, minute); NaT where the date does not exist or the year is outside
    :data:`layers.sources.guards.FIRST_YEAR` … ``LAST_YEAR``."""
    held = (year >= guards.FIRST_YEAR) & (year <= guards.LAST_YEAR)
    naive = pd.to_datetime(pd.DataFrame({
        "year": np.where(held, year, 2000), "month": parts[:, 0], "day": parts[:, 1],
        "hour": parts[:, 2], "minute": parts[:, 3]}), errors="coerce")
    naive[~held] = pd.NaT
    local = naive.dt.tz_localize(schema.TIMEZONE, ambiguous=np.ones(len(naive), bool),
                                 nonexistent="shift_forward")
    return local.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy("datetime64[ns]")


def _occurred(names: pd.Series, reported: pd.Series) -> pd.Series:
    """Event time from the event name ("21 mars 09:12, ..."), in the year that
    puts it nearest the publication time (so late December events published in
    January, and announcements of coming events, get the right year)."""
    match = _NAME_RE.match
    found = [match(v) if isinstance(v, str) else None for v in names]
    pub_all = reported.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy("datetime64[ns]")
    rows = np.fromiter((m is not None for m in found), bool, len(found)) & ~np.isnat(pub_all)
    out = np.full(len(found), np.datetime64("NaT"), dtype="datetime64[ns]")
    if rows.any():
        parts = np.array([(_MONTHS[m["m"]], int(m["d"]), int(m["H"]), int(m["M"]))
                          for m, ok in zip(found, rows, strict=True) if ok], dtype="int64")
        pub = pub_all[rows]
        local_pub = reported[rows].dt.year.to_numpy("int64")
        when = _local_ns(local_pub, parts)
        half_year = np.timedelta64(183, "D")
        for shift, wrong in ((-1, when - pub > half_year), (1, pub - when > half_year)):
            if wrong.any():
                when[wrong] = _local_ns(local_pub[wrong] + shift, parts[wrong])
        out[rows] = when
    return pd.Series(pd.DatetimeIndex(out).tz_localize("UTC").tz_convert(schema.TIMEZONE),
                     index=names.index)


def parse_file(path: str | Path, *, target_crs: str, area: tuple[float, float, float, float],
               mapping: dict[str, str] | None = None, categories: dict[str, str] | None = None,
               crs: str | None = None, sheet: str | None = None,
               source: str = "polisen") -> Parsed:
    """Read a police events file and map every event onto the report model.

    Parameters
    ----------
    path
        JSON array or JSON Lines (``.gz`` or plain) of police API events.
    target_crs
        The project CRS (e.g. ``"EPSG:3006"``); the WGS84 ``location.gps``
        points (``"lat,lon"``) are transformed to it.
    area
        Project area (min x, min y, max x, max y) in ``target_crs``; events
        whose point lies outside are rejected (``outside_area``).
    mapping, crs, sheet
        Not used: the fields and the CRS (EPSG:4326) of the API are fixed.
    categories
        Extra police type → category code pairs (override :data:`POLICE_TYPES`).
    source
        Source code of the reports (``polisen``).

    Returns
    -------
    Parsed
        ``reports`` (precision ``kommun``, visibility ``publik``,
        ``reported_at`` = publication time, ``occurred_at`` = the event time
        written in ``name``), ``rejects`` (line, reason, original event) and
        the counts; ``rows_read == len(reports) + len(rejects)``.
    """
    path = Path(path)
    records, lines, problems = read_events(path)
    n = len(records)
    for i in np.flatnonzero([guards.too_deep(r) for r in records]):
        # Kept as a short text: such a value cannot even be written back as JSON.
        records[i] = f"JSON nästlad djupare än {guards.MAX_JSON_DEPTH} nivåer"
        problems[i] = f"nästlad djupare än {guards.MAX_JSON_DEPTH} nivåer"
    is_obj = np.fromiter((isinstance(r, dict) for r in records), bool, n)
    bad = [p if p is not None or ok else "inte ett JSON-objekt"
           for p, ok in zip(problems, is_obj, strict=True)]
    recs: list[dict] = [r if ok else {} for r, ok in zip(records, is_obj, strict=True)]
    locs = [r.get("location") for r in recs]
    locs = [loc if isinstance(loc, dict) else {} for loc in locs]

    ids = _texts([r.get("id") for r in recs])
    dt_text = _texts([r.get("datetime") for r in recs]).fillna("")
    raw_type = _texts([r.get("type") for r in recs])
    summary = _texts([r.get("summary") for r in recs])
    names = _texts([r.get("name") for r in recs])
    place = _texts([loc.get("name") for loc in locs])
    gps = _texts([loc.get("gps") for loc in locs]).fillna("")

    reason = np.full(n, None, dtype=object)
    detail = np.full(n, None, dtype=object)

    def flag(mask: np.ndarray, code: str, text: pd.Series | np.ndarray | str) -> None:
        new = np.asarray(mask, bool) & (reason == None)  # noqa: E711 - elementwise
        reason[new] = code
        detail[new] = (np.asarray(text, dtype=object)[new] if not isinstance(text, str)
                       else text)

    flag(np.array([p is not None for p in bad], bool), "bad_row",
         np.asarray(bad, dtype=object))

    # Coordinates: "lat,lon" in WGS84.
    empty_gps = (gps == "").to_numpy()
    halves = [g.partition(",") for g in gps]
    lat = pd.to_numeric(pd.Series([h[0] for h in halves], dtype=object).str.strip(),
                        errors="coerce").to_numpy("float64")
    lon = pd.to_numeric(pd.Series([h[2] for h in halves], dtype=object).str.strip(),
                        errors="coerce").to_numpy("float64")
    bad_xy = ~empty_gps & ~(np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90)
                            & (np.abs(lon) <= 180))
    flag(empty_gps, "missing_coordinates", "location.gps saknas")
    flag(bad_xy, "bad_coordinates", ("location.gps='" + gps + "'").to_numpy(object))
    px = np.full(n, np.nan)
    py = np.full(n, np.nan)
    usable = reason == None  # noqa: E711
    if usable.any():
        px_u, py_u, outside, _ = common.locate(lon[usable], lat[usable], crs="EPSG:4326",
                                               target_crs=target_crs, area=area)
        px[usable], py[usable] = px_u, py_u
        out_mask = np.zeros(n, bool)
        out_mask[usable] = outside
        flag(usable & ~np.isfinite(px), "bad_coordinates",
             ("location.gps='" + gps + "'").to_numpy(object))
        flag(out_mask, "outside_area",
             ("location.gps='" + gps + f"' ({target_crs}: ").to_numpy(object)
             + np.array([f"{a:.0f}, {b:.0f})" for a, b in zip(px, py, strict=True)],
                        dtype=object))

    # Dates: publication time with offset; event time from the name.
    reported, bad_dt, far = guards.parse_datetimes_checked(dt_text)
    flag(far, "date_out_of_range", ("datetime='" + dt_text + "'").to_numpy(object))
    flag(bad_dt, "bad_date", ("datetime='" + dt_text + "'").to_numpy(object))
    flag(reported.isna().to_numpy(), "missing_date", "datetime saknas")
    occurred = _occurred(names, reported)

    # Categories.
    type_map = type_mapping(categories, source)
    labels = pd.Series(raw_type.dropna().unique(), dtype=object)
    label_codes = dict(zip(labels, common.map_categories(labels, type_map), strict=True))
    codes = raw_type.map(label_codes).astype(object).fillna("ovrigt")
    label_keys = labels.map(common.normalise_label)
    known_labels = set(labels[label_keys.isin(type_map.keys())
                              | label_keys.isin(schema.CATEGORIES.keys())])
    known = raw_type.isin(known_labels).to_numpy()

    ok = reason == None  # noqa: E711
    hashed = np.array([
        "h" + hashlib.sha1(json.dumps(r, ensure_ascii=False, sort_keys=True)
                           .encode("utf-8")).hexdigest()[:16] if ok_i and i is None else ""
        for r, i, ok_i in zip(recs, ids, ok, strict=True)], dtype=object)
    key = ids.where(ids.notna(), pd.Series(hashed, dtype=object))
    level = np.where(place.fillna("").str.endswith(" län").to_numpy(), "län", "kommun")
    extra = _extras(recs, locs, lines, level, ok)

    data = {
        "report_id": (source + ":" + key.astype(str)).to_numpy(object),
        "source": np.full(n, source, dtype=object),
        "source_id": ids.to_numpy(object),
        "reported_at": reported.array,
        "occurred_at": occurred.array,
        "category": codes.to_numpy(object),
        "raw_category": raw_type.to_numpy(object),
        "description": summary.to_numpy(object),
        "place_text": place.to_numpy(object),
        "precision": np.full(n, "kommun", dtype=object),
        "geocode_score": np.ones(n),
        "status": np.full(n, None, dtype=object),
        "organisation": np.full(n, "Polisen", dtype=object),
        "visibility": np.full(n, "publik", dtype=object),
        "extra": extra,
        "geometry": gpd.points_from_xy(px, py),
    }
    frame = pd.DataFrame(data)
    kept = frame[ok].reset_index(drop=True)
    reports = schema.conform(gpd.GeoDataFrame(kept, geometry="geometry", crs=target_crs),
                             crs=target_crs)
    unmapped = common.unmapped_labels(raw_type[ok & ~known], codes[ok & ~known])

    rej = np.flatnonzero(~ok)
    rows = []
    for i in rej:
        r = records[i]
        if isinstance(r, dict):
            rows.append(json.dumps(r, ensure_ascii=False))
        elif problems[i] is not None:
            rows.append(json.dumps({"_text": r}, ensure_ascii=False))
        else:
            rows.append(json.dumps({"_value": r}, ensure_ascii=False))
    rejects = pd.DataFrame({
        "file": path.name,
        "line": lines[rej],
        "sheet": None,
        "reason": reason[rej],
        "detail": detail[rej],
        "row": np.asarray(rows, dtype=object),
    })
    return Parsed(reports, rejects, n, unmapped, dict(COLUMNS), "EPSG:4326")

"""Source ``open311``: service requests from an Open311 GeoReport v2 server.

Reads the JSON array that ``GET requests.json`` returns (also wrapped as
``{"service_requests": [...]}``, as some servers send it; gzip is read too).
Each request has ``service_request_id``, ``status`` (``open``/``closed``),
``service_name``/``service_code``, ``description``, ``requested_datetime``,
``updated_datetime``, ``address`` and ``lat``/``long`` (WGS84) among others.

A request with ``lat``/``long`` becomes a report with precision ``exact``; one
with only an address becomes a report without a point (precision ``none``) for
the geocoder to place; one with neither is rejected (``missing_coordinates``).
Requests come from residents and may hold personal data in their text, which
public outputs never show; they may count in public aggregates: visibility
``publik`` (as the service itself publishes them).
"""

from __future__ import annotations

import hashlib
import json
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

#: Typical GeoReport service names (English and Swedish) → category code. The
#: packaged ``categories.toml`` (``[common]``, ``[open311]``) and a profile's
#: ``[categories]`` override these; matching ignores case and extra spaces.
SERVICE_NAMES: dict[str, str] = {
    # Belysning.
    "Streetlight out": "belysning",
    "Street light out": "belysning",
    "Streetlight": "belysning",
    "Street lights": "belysning",
    "Street light repair": "belysning",
    "Broken streetlight": "belysning",
    "Lighting": "belysning",
    "Park lighting": "belysning",
    "Gatubelysning": "belysning",
    "Gatubelysning ur funktion": "belysning",
    "Gatlykta": "belysning",
    "Trasig gatlykta": "belysning",
    "Belysning park": "belysning",
    "Parkbelysning": "belysning",
    # Sikt / vegetation.
    "Overgrown vegetation": "sikt_vegetation",
    "Overgrown trees/shrubs": "sikt_vegetation",
    "Tree trimming": "sikt_vegetation",
    "Vegetation obstruction": "sikt_vegetation",
    "Sight obstruction": "sikt_vegetation",
    "Växtlighet": "sikt_vegetation",
    "Skymmande växtlighet": "sikt_vegetation",
    "Träd och buskar": "sikt_vegetation",
    "Buskar": "sikt_vegetation",
    "Siktröjning": "sikt_vegetation",
    # Klotter.
    "Graffiti": "klotter",
    "Graffiti removal": "klotter",
    "Graffiti - public property": "klotter",
    "Graffiti - private property": "klotter",
    "Klotter": "klotter",
    "Klottersanering": "klotter",
    # Skadegörelse.
    "Vandalism": "skadegorelse",
    "Damaged property": "skadegorelse",
    "Broken glass": "skadegorelse",
    "Skadegörelse": "skadegorelse",
    "Vandalisering": "skadegorelse",
    # Nedskräpning.
    "Litter": "nedskrapning",
    "Litter/debris": "nedskrapning",
    "Illegal dumping": "nedskrapning",
    "Dumping": "nedskrapning",
    "Trash": "nedskrapning",
    "Overflowing bin": "nedskrapning",
    "Overflowing litter basket": "nedskrapning",
    "Abandoned vehicle": "nedskrapning",
    "Nedskräpning": "nedskrapning",
    "Skräp": "nedskrapning",
    "Dumpat avfall": "nedskrapning",
    "Full papperskorg": "nedskrapning",
    "Papperskorg": "nedskrapning",
    "Övergivet fordon": "nedskrapning",
    "Skrotbil": "nedskrapning",
    # Narkotika.
    "Needles/syringes": "narkotika",
    "Discarded needles": "narkotika",
    "Sprutor": "narkotika",
    "Kanyler": "narkotika",
    # Trafik.
    "Speeding": "trafik",
    "Reckless driving": "trafik",
    "Buskörning": "trafik",
    # Upplevd otrygghet / stök.
    "Unsafe place": "otrygg_plats",
    "Unsafe area": "otrygg_plats",
    "Otrygg plats": "otrygg_plats",
    "Otrygghet": "otrygg_plats",
    "Noise": "ordningsstorning",
    "Noise complaint": "ordningsstorning",
    "Störning": "ordningsstorning",
    "Loitering": "samlingsplats",
}

#: Report fields and the request fields they come from (shown in the ingest summary).
COLUMNS = {"source_id": "service_request_id", "reported_at": "requested_datetime",
           "category": "service_name", "description": "description", "place_text": "address",
           "status": "status", "closed_at": "updated_datetime",
           "organisation": "agency_responsible", "x": "long", "y": "lat"}
_MAPPED = ("service_request_id", "requested_datetime", "service_name", "description",
           "address", "status", "agency_responsible", "lat", "long")
_STATUS = {"open": "open", "opened": "open", "acknowledged": "open", "in progress": "open",
           "öppen": "open", "closed": "closed", "resolved": "closed", "stängd": "closed",
           "avslutad": "closed"}


def service_mapping(categories: dict[str, str] | None = None,
                    source: str = "open311") -> dict[str, str]:
    """Service name → category code: :data:`SERVICE_NAMES` under the packaged
    mapping (``[common]``, ``[open311]``) and ``categories`` (a profile's)."""
    mapping = {common.normalise_label(k): v for k, v in SERVICE_NAMES.items()}
    mapping.update(common.category_mapping(source, categories))
    return mapping


def read_requests(path: str | Path) -> list[object]:
    """The service requests of a GeoReport v2 ``requests.json`` file.

    Accepts the bare array, ``{"service_requests": [...]}`` and a single
    request object; the file may be gzip-compressed.

    Raises
    ------
    InputFileError
        When the file is not JSON or holds no list of requests.
    """
    path = Path(path)
    data = read_bytes(path)
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputFileError(f"'{path.name}' är inte UTF-8 (byte {exc.start}).",
                             f"'{path.name}' is not UTF-8 (byte {exc.start}).") from None
    except json.JSONDecodeError as exc:
        raise InputFileError(
            f"'{path.name}' är inte giltig JSON: {exc.msg} (rad {exc.lineno}, kolumn "
            f"{exc.colno}). Open311-filer ska vara svaret från requests.json.",
            f"'{path.name}' is not valid JSON: {exc.msg} (line {exc.lineno}, column "
            f"{exc.colno}). Open311 files must be the response of requests.json.") from None
    except RecursionError:
        raise InputFileError(
            f"'{path.name}' är JSON som är nästlad för djupt för att läsas (fler än ungefär "
            f"{sys.getrecursionlimit()} nivåer). Open311-filer ska vara svaret från requests.json.",
            f"'{path.name}' is JSON nested too deeply to be read (more than about "
            f"{sys.getrecursionlimit()} levels). Open311 files must be the response of "
            "requests.json.") from None
    if guards.has_surrogate_escapes(data):
        value = guards.without_lone_surrogates(value)
    if isinstance(value, dict):
        if "service_requests" in value:
            value = value["service_requests"]
            if isinstance(value, dict) and isinstance(value.get("request"), list):
                value = value["request"]
        elif "service_request_id" in value or "requested_datetime" in value:
            value = [value]
    if not isinstance(value, list):
        raise InputFileError(
            f"'{path.name}' innehåller ingen lista med Open311-ärenden (väntade en JSON-lista "
            "eller {\"service_requests\": [...]}).",
            f"'{path.name}' holds no list of Open311 requests (expected a JSON array or "
            "{\"service_requests\": [...]}).")
    return value


def _texts(values: list[object]) -> pd.Series:
    """Values as stripped text (``None`` where missing or blank)."""
    return pd.Series([(v.strip() or None) if type(v) is str else
                      (None if v is None else str(v).strip() or None) for v in values],
                     dtype=object)


def parse_file(path: str | Path, *, target_crs: str, area: tuple[float, float, float, float],
               mapping: dict[str, str] | None = None, categories: dict[str, str] | None = None,
               crs: str | None = None, sheet: str | None = None,
               source: str = "open311") -> Parsed:
    """Read an Open311 GeoReport v2 ``requests.json`` and map every request.

    Parameters
    ----------
    path
        The JSON array of service requests (or ``{"service_requests": [...]}``).
    target_crs
        The project CRS (e.g. ``"EPSG:3006"``); ``lat``/``long`` (WGS84,
        degrees) are transformed to it.
    area
        Project area (min x, min y, max x, max y) in ``target_crs``; requests
        whose point lies outside are rejected (``outside_area``).
    mapping, crs, sheet
        Not used: GeoReport v2 fields and their CRS (EPSG:4326) are fixed.
    categories
        Extra service name → category code pairs.
    source
        Source code of the reports (``open311``).

    Returns
    -------
    Parsed
        Line numbers are the position of the request in the array (1 = first).
        ``rows_read == len(reports) + len(rejects)``.
    """
    path = Path(path)
    records = read_requests(path)
    n = len(records)
    lines = np.arange(1, n + 1, dtype="int64")
    deep = np.fromiter((guards.too_deep(r) for r in records), bool, n)
    if deep.any():  # kept as a short text: such a value cannot even be written back as JSON
        records = [f"JSON nästlad djupare än {guards.MAX_JSON_DEPTH} nivåer" if d else r
                   for r, d in zip(records, deep, strict=True)]
    is_obj = np.fromiter((isinstance(r, dict) for r in records), bool, n)
    recs: list[dict] = [r if ok else {} for r, ok in zip(records, is_obj, strict=True)]

    def field(name: str) -> pd.Series:
        return _texts([r.get(name) for r in recs])

    ids = field("service_request_id")
    requested = field("requested_datetime").fillna("")
    updated = field("updated_datetime").fillna("")
    service = field("service_name")
    raw_cat = service.where(service.notna(), field("service_code"))
    address = field("address")
    lat_text = field("lat").fillna("")
    lon_text = field("long").fillna("")
    status_raw = field("status")

    reason = np.full(n, None, dtype=object)
    detail = np.full(n, None, dtype=object)

    def flag(mask: np.ndarray, code: str, text: pd.Series | np.ndarray | str) -> None:
        new = np.asarray(mask, bool) & (reason == None)  # noqa: E711 - elementwise
        reason[new] = code
        detail[new] = (np.asarray(text, dtype=object)[new] if not isinstance(text, str)
                       else text)

    flag(deep, "bad_row", f"nästlad djupare än {guards.MAX_JSON_DEPTH} nivåer")
    flag(~is_obj, "bad_row", "inte ett JSON-objekt")

    # Coordinates: lat/long in WGS84; (0, 0) is what some servers write for "none".
    lat = pd.to_numeric(lat_text, errors="coerce").to_numpy("float64")
    lon = pd.to_numeric(lon_text, errors="coerce").to_numpy("float64")
    lat_empty = (lat_text == "").to_numpy()
    lon_empty = (lon_text == "").to_numpy()
    zero = (lat == 0) & (lon == 0)
    no_point = (lat_empty & lon_empty) | zero
    coord_text = ("lat='" + lat_text + "', long='" + lon_text + "'").to_numpy(object)
    bad_xy = ~no_point & ~(np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90)
                           & (np.abs(lon) <= 180))
    flag(bad_xy, "bad_coordinates", coord_text)
    flag(no_point & address.isna().to_numpy(), "missing_coordinates",
         "varken lat/long eller address")
    has_point = ~no_point & (reason == None)  # noqa: E711
    px = np.full(n, np.nan)
    py = np.full(n, np.nan)
    if has_point.any():
        px_u, py_u, outside, _ = common.locate(lon[has_point], lat[has_point],
                                               crs="EPSG:4326", target_crs=target_crs,
                                               area=area, column_x="long", column_y="lat")
        px[has_point], py[has_point] = px_u, py_u
        out_mask = np.zeros(n, bool)
        out_mask[has_point] = outside
        flag(has_point & ~np.isfinite(px), "bad_coordinates", coord_text)
        flag(out_mask, "outside_area",
             coord_text + np.array([f" ({target_crs}: {a:.0f}, {b:.0f})"
                                    for a, b in zip(px, py, strict=True)], dtype=object))

    # Dates; years outside what pandas holds (1677–2262) are rejects.
    reported, bad_req, far_req = guards.parse_datetimes_checked(requested)
    updated_at, _, far_upd = guards.parse_datetimes_checked(updated)
    flag(far_req, "date_out_of_range",
         ("requested_datetime='" + requested + "'").to_numpy(object))
    flag(far_upd, "date_out_of_range", ("updated_datetime='" + updated + "'").to_numpy(object))
    flag(bad_req, "bad_date", ("requested_datetime='" + requested + "'").to_numpy(object))
    flag(reported.isna().to_numpy(), "missing_date", "requested_datetime saknas")

    # Status: open/closed; closed_at = updated_datetime of closed requests.
    status = status_raw.map(lambda v: _STATUS.get(common.normalise_label(v)),
                            na_action="ignore")
    closed_at = updated_at.where((status == "closed").to_numpy(), pd.NaT)

    # Categories.
    service_map = service_mapping(categories, source)
    codes = common.map_categories(raw_cat, service_map)
    keys = raw_cat.fillna("").map(common.normalise_label)
    known = (keys.isin(service_map.keys()) | keys.isin(schema.CATEGORIES.keys())).to_numpy()

    ok = reason == None  # noqa: E711
    located = ok & has_point
    hashed = np.array([
        "h" + hashlib.sha1(json.dumps(r, ensure_ascii=False, sort_keys=True, default=str)
                           .encode("utf-8")).hexdigest()[:16] if keep and sid is None else ""
        for r, sid, keep in zip(recs, ids, ok, strict=True)], dtype=object)
    key = ids.where(ids.notna(), pd.Series(hashed, dtype=object))
    extra = np.full(n, None, dtype=object)
    for i in np.flatnonzero(ok):
        more = {"_rad": int(lines[i])}
        if status_raw[i] is not None and status[i] != status_raw[i]:
            more["_status"] = recs[i].get("status")
        more.update({k: v for k, v in recs[i].items() if k not in _MAPPED})
        extra[i] = json.dumps(more, ensure_ascii=False)

    data = {
        "report_id": (source + ":" + key.astype(str)).to_numpy(object),
        "source": np.full(n, source, dtype=object),
        "source_id": ids.to_numpy(object),
        "reported_at": reported.array,
        "category": codes.to_numpy(object),
        "raw_category": raw_cat.to_numpy(object),
        "description": field("description").to_numpy(object),
        "place_text": address.to_numpy(object),
        "precision": np.where(located, "exact", "none").astype(object),
        "geocode_score": np.where(located, 1.0, np.nan),
        "status": status.to_numpy(object),
        "closed_at": closed_at.array,
        "organisation": field("agency_responsible").to_numpy(object),
        "visibility": np.full(n, "publik", dtype=object),
        "extra": extra,
        "geometry": gpd.points_from_xy(np.where(located, px, np.nan),
                                       np.where(located, py, np.nan)),
    }
    frame = pd.DataFrame(data)
    kept = frame[ok].reset_index(drop=True)
    kept.loc[~located[ok], "geometry"] = None
    reports = schema.conform(gpd.GeoDataFrame(kept, geometry="geometry", crs=target_crs),
                             crs=target_crs)
    unmapped = common.unmapped_labels(raw_cat[ok & ~known], codes[ok & ~known])

    rej = np.flatnonzero(~ok)
    rejects = pd.DataFrame({
        "file": path.name,
        "line": lines[rej],
        "sheet": None,
        "reason": reason[rej],
        "detail": detail[rej],
        "row": np.asarray([json.dumps(records[i] if is_obj[i] else {"_value": records[i]},
                                      ensure_ascii=False) for i in rej], dtype=object),
    })
    return Parsed(reports, rejects, n, unmapped, dict(COLUMNS), "EPSG:4326")

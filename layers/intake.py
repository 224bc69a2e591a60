"""Residents' reports through ``trygg serve``: the intake queue, moderation and status.

A report a resident sends (the reporting page or an Open311 GeoReport v2 app) is a
*submission* in the table ``submissions`` — not yet a report: it enters the analyses
only when a staff user approves it (:func:`moderate`). Then it becomes a report
(``source=open311``, ``report_id = open311:REQUEST_ID``, visibility ``intern``); a
submission about a place already reported can instead be *merged* with that report,
or *rejected* with a reason. The status a resident follows (Open311 ``open`` /
``closed`` and a note, :func:`public_request`) follows the moderation and, after
approval or merging, the report's own status.

What is kept (said on the page's privacy notice): the place, category and text of a
submission; a photo (re-encoded, so no camera metadata or position survives) and
the contact details only until :data:`RETENTION_DAYS` days after moderation
(:func:`purge`). The public view of a submission never has its text, photo or
contact, and its position is rounded to about 100 m.

Every write is one store transaction; the functions work on a GeoPackage and on
PostGIS alike.
"""

from __future__ import annotations

import base64
import functools
import io
import json
import math
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from trygg.geo.errors import UserError
from trygg.layers import schema
from trygg.layers.store import frame_records

SUBMISSIONS = "submissions"
STATUSES = ("new", "approved", "merged", "rejected")
#: Days after moderation that photos and contact details are kept.
RETENTION_DAYS = 90
MAX_DESCRIPTION = 2000
MAX_CONTACT = 200
MAX_ADDRESS = 200
#: Largest photo accepted (bytes, before re-encoding) and its largest side after (px).
MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_SIDE = 1600
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP")
#: Distance (metres) within which staff are offered existing reports to merge with.
MERGE_RADIUS_M = 75.0
ORGANISATION = "Invånare"


class IntakeError(UserError, ValueError):
    """A submission or moderation the service refuses, with the field at fault."""

    def __init__(self, field: str, sv: str, en: str, status: int = 400) -> None:
        super().__init__(sv, en)
        self.field = field
        self.status = status


def _columns() -> dict[str, str]:
    """The columns of ``submissions`` (stored types, :data:`layers.store.TABLES`)."""
    from trygg.layers.store import TABLES

    return TABLES[SUBMISSIONS]


def _now() -> pd.Timestamp:
    return pd.Timestamp(datetime.now(UTC))


def services(lang: str = "sv") -> list[dict]:
    """The Open311 services: one per category of the vocabulary (DESIGN.md §4)."""
    out = []
    for cat in schema.CATEGORIES.values():
        kind = schema.KIND_LABELS.get(cat.kind or "", ("Övrigt", "Other"))
        out.append({"service_code": cat.code, "service_name": cat.label(lang),
                    "description": cat.label(lang), "metadata": False, "type": "realtime",
                    "keywords": cat.code, "group": kind[1] if lang == "en" else kind[0]})
    return out


# -- validating a submission ---------------------------------------------------
def _text(value: object, field: str, limit: int, sv: str, en: str) -> str | None:
    if value is None:
        return None
    text = str(value).replace("\x00", "").strip()
    if len(text) > limit:
        raise IntakeError(field, f"{sv} får vara högst {limit} tecken (nu {len(text)}).",
                          f"{en} may be at most {limit} characters (now {len(text)}).")
    return text or None


def _float(value: object, field: str) -> float | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        raise IntakeError(field, f"{field} måste vara ett tal i grader, t.ex. 59.76.",
                          f"{field} must be a number in degrees, e.g. 59.76.") from None
    if not math.isfinite(number):
        raise IntakeError(field, f"{field} måste vara ett ändligt tal.",
                          f"{field} must be a finite number.")
    return number


def clean_photo(data: bytes) -> str:
    """A photo checked (type, size, pixels) and re-encoded as JPEG without metadata (no
    EXIF: no camera, time or position), as base64 text.

    Raises
    ------
    IntakeError
        Not a JPEG, PNG or WebP image, larger than :data:`MAX_PHOTO_BYTES`, or broken.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    if len(data) > MAX_PHOTO_BYTES:
        raise IntakeError("media", f"Bilden är för stor ({len(data) / 1e6:.1f} MB); högst "
                          f"{MAX_PHOTO_BYTES / 1e6:.0f} MB.",
                          f"The photo is too large ({len(data) / 1e6:.1f} MB); at most "
                          f"{MAX_PHOTO_BYTES / 1e6:.0f} MB.", status=413)
    wrong = IntakeError("media", "Bilden måste vara en JPEG-, PNG- eller WebP-bild.",
                        "The photo must be a JPEG, PNG or WebP image.", status=415)
    Image.MAX_IMAGE_PIXELS = 40_000_000
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.format not in PHOTO_FORMATS:
                raise wrong
            img.load()
            img = ImageOps.exif_transpose(img)  # keep the orientation, drop the tag
            img = img.convert("RGB")
            img.thumbnail((PHOTO_SIDE, PHOTO_SIDE))
            out = io.BytesIO()
            img.save(out, "JPEG", quality=85, optimize=True)  # no exif, no comment
    except IntakeError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise wrong from None
    return base64.b64encode(out.getvalue()).decode("ascii")


@dataclass
class Place:
    """Where a submission is: WGS84 degrees and project coordinates (metres)."""

    lat: float
    lon: float
    x: float
    y: float


def locate(store, lat: float | None, lon: float | None, address: str | None) -> Place:
    """The place of a submission: ``lat``/``lon`` (WGS84), else ``address`` found in the
    project's gazetteer; inside the project area.

    Raises
    ------
    IntakeError
        No position and no address found, or a position outside the project area.
    """
    to_project = _transformer("EPSG:4326", store.crs)
    if lat is not None and lon is not None:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise IntakeError("lat", "lat och long måste vara grader (WGS84).",
                              "lat and long must be degrees (WGS84).")
        x, y = to_project.transform(lon, lat)
    elif address:
        found = find_places(store, address, limit=1)
        if not found:
            raise IntakeError("address_string",
                              f"Hittade inte platsen '{address}'. Klicka på kartan i stället.",
                              f"Could not find the place '{address}'. Click on the map "
                              "instead.")
        lat, lon, x, y = found[0]["lat"], found[0]["lon"], found[0]["x"], found[0]["y"]
    else:
        raise IntakeError("lat", "Ange platsen: klicka på kartan eller skriv en adress.",
                          "Give the place: click on the map or write an address.")
    x0, y0, x1, y1 = store.area()
    if not (math.isfinite(x) and math.isfinite(y) and x0 <= x <= x1 and y0 <= y <= y1):
        raise IntakeError("lat", "Platsen ligger utanför kommunen. Välj en plats på kartan.",
                          "The place is outside the municipality. Choose a place on the map.")
    return Place(lat=float(lat), lon=float(lon), x=float(x), y=float(y))


@functools.lru_cache(maxsize=16)
def _transformer(source: str, target: str):
    from pyproj import Transformer

    return Transformer.from_crs(source, target, always_xy=True)


def find_places(store, query: str, *, limit: int = 8) -> list[dict]:
    """Named places of the gazetteer that match ``query`` best (addresses, streets,
    places): ``name``, ``lat``, ``lon``, ``x``, ``y``."""
    from rapidfuzz import fuzz, process

    from trygg.layers.geocoding import read_gazetteer

    query = str(query).strip()[:MAX_ADDRESS]
    if len(query) < 2:
        return []
    gaz = _gazetteer(store, read_gazetteer)
    if gaz.empty:
        return []
    names = gaz["name"].astype(str).tolist()
    hits = process.extract(query, names, scorer=fuzz.WRatio, limit=limit, score_cutoff=70)
    to_wgs = _transformer(store.crs, "EPSG:4326")
    out = []
    for name, _score, i in hits:
        point = gaz.geometry.iloc[i]
        if point is None or point.is_empty:
            continue
        pt = point if point.geom_type == "Point" else point.representative_point()
        lon, lat = to_wgs.transform(pt.x, pt.y)
        out.append({"name": name, "lat": round(lat, 6), "lon": round(lon, 6),
                    "x": float(pt.x), "y": float(pt.y)})
    return out


_GAZETTEERS: dict[str, gpd.GeoDataFrame] = {}


def _gazetteer(store, read) -> gpd.GeoDataFrame:
    key = store.location
    if key not in _GAZETTEERS:
        gaz = read(store)
        _GAZETTEERS[key] = gaz[gaz["kind"].isin(["address", "street", "place",
                                                 "intersection", "area"])] \
            if "kind" in gaz else gaz
    return _GAZETTEERS[key]


def new_request_id() -> str:
    """An unguessable id a resident follows the request by, e.g. ``TK-7QH2M4XJ9C``."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "TK-" + "".join(secrets.choice(alphabet) for _ in range(10))


def submission(store, fields: dict, *, photo: bytes | None = None, via: str = "api") -> dict:
    """Validate a resident's submission (Open311 ``POST requests`` fields) into a row of
    ``submissions``.

    Parameters
    ----------
    store
        The open project.
    fields
        ``service_code`` (a category code), ``lat`` and ``long`` (WGS84 degrees) or
        ``address_string``, ``description`` (at most :data:`MAX_DESCRIPTION`
        characters), optional ``email`` / ``phone`` / ``first_name`` / ``last_name``.
    photo
        The bytes of an optional photo (see :func:`clean_photo`).
    via
        ``page`` or ``api``.

    Raises
    ------
    IntakeError
        The first thing wrong, naming the field and the fix.
    """
    code = str(fields.get("service_code") or "").strip()
    if code not in schema.CATEGORIES:
        raise IntakeError("service_code",
                          f"Okänd kategori '{code[:40]}'. Välj en av: "
                          f"{', '.join(schema.CATEGORIES)}.",
                          f"Unknown category '{code[:40]}'. Choose one of: "
                          f"{', '.join(schema.CATEGORIES)}.")
    description = _text(fields.get("description"), "description", MAX_DESCRIPTION,
                        "Beskrivningen", "The description")
    address = _text(fields.get("address_string"), "address_string", MAX_ADDRESS,
                    "Adressen", "The address")
    contact_parts = [_text(fields.get(k), k, MAX_CONTACT, "Kontaktuppgiften",
                           "The contact detail")
                     for k in ("first_name", "last_name", "email", "phone")]
    email = contact_parts[2]
    if email and ("@" not in email or " " in email):
        raise IntakeError("email", "E-postadressen ser inte ut som en adress (namn@exempel.se).",
                          "The e-mail address does not look like one (name@example.com).")
    place = locate(store, _float(fields.get("lat"), "lat"), _float(fields.get("long"), "long"),
                   address)
    contact = " ".join(p for p in contact_parts if p) or None
    now = _now()
    return {"request_id": new_request_id(), "service_code": code, "description": description,
            "address": address, "lat": place.lat, "lon": place.lon, "x": place.x,
            "y": place.y, "contact": contact,
            "photo": clean_photo(photo) if photo else None, "status": "new",
            "report_id": None, "reason": None, "received_at": now, "updated_at": now,
            "moderated_by": None, "via": via}


def _ensure_table(tx, store) -> None:
    if SUBMISSIONS not in store.layers():
        tx.replace(SUBMISSIONS, pd.DataFrame(columns=list(_columns())))


#: Projects (by location) known to have the submissions table: it is never dropped.
_HAS_TABLE: set[str] = set()


def _has_table(store) -> bool:
    if store.location not in _HAS_TABLE:
        if SUBMISSIONS not in store.layers():
            return False
        _HAS_TABLE.add(store.location)
    return True


def submit(store, row: dict) -> str:
    """Store a validated submission (one transaction, beside other writers on PostGIS:
    it only appends a row); returns its request id."""
    if not _has_table(store):  # a project older than the table
        with store.transaction() as tx:
            _ensure_table(tx, store)
    with store.transaction(exclusive=False) as tx:
        tx.append_records(SUBMISSIONS, [row])
    return str(row["request_id"])


# -- reading ------------------------------------------------------------------------
def follow(store, request_id: str, lang: str = "sv") -> list[dict]:
    """Open311 ``GET requests/{id}``: the public entry of one submission (see
    :func:`public_requests`), an empty list for an unknown id. One small query."""
    if not _has_table(store):
        return []
    columns = [c for c in _columns() if c != "photo"]
    rows = store.read_records(SUBMISSIONS, columns, where={"request_id": [request_id]})
    return public_requests(store, rows, lang)


def read_submissions(store, *, ids: list[str] | None = None,
                     status: list[str] | None = None, photos: bool = False) -> pd.DataFrame:
    """Submissions, oldest first (``photo`` only when asked for)."""
    if not _has_table(store):
        return pd.DataFrame(columns=list(_columns()))
    where: dict = {}
    if ids is not None:
        where["request_id"] = list(ids)
    if status is not None:
        where["status"] = list(status)
    columns = [c for c in _columns() if photos or c != "photo"]
    return store.read(SUBMISSIONS, columns, where=where or None)


def report_status(store, report_ids: list) -> dict[str, tuple[str, object]]:
    """report_id → (status, closed_at) of the reports ``report_ids`` (others ignored)."""
    ids = sorted({r for r in report_ids if isinstance(r, str)})
    if not ids:
        return {}
    rows = store.read_reports(["report_id", "status", "closed_at"],
                              where={"report_id": ids})
    return {str(r.report_id): (r.status, r.closed_at) for r in rows.itertuples()}


NOTES = {
    "new": ("Mottagen. Vi granskar den innan den går vidare.",
            "Received. We review it before it goes further."),
    "approved": ("Godkänd och registrerad.", "Approved and registered."),
    "merged": ("Samma plats och sak som en tidigare rapport; handläggs med den.",
               "Same place and matter as an earlier report; handled with it."),
    "rejected": ("Avvisad: {reason}", "Rejected: {reason}"),
    "closed": ("Åtgärdad och avslutad.", "Dealt with and closed."),
}


def public_requests(store, rows: pd.DataFrame | list[dict], lang: str = "sv"
                    ) -> list[dict]:
    """Open311 ``GET requests`` entries for submissions (a frame of
    :func:`read_submissions` or its records): no text, photo or contact; the position
    rounded to 0.001° (about 100 m)."""
    if isinstance(rows, pd.DataFrame):
        rows = frame_records(rows)
    statuses = report_status(store, [r["report_id"] for r in rows])
    names = {c.code: c.label(lang) for c in schema.CATEGORIES.values()}
    pick = 1 if lang == "en" else 0
    out = []
    for r in rows:
        status, note, updated = "open", NOTES["new"][pick], r["updated_at"]
        if r["status"] == "rejected":
            status = "closed"
            note = NOTES["rejected"][pick].format(reason=r["reason"] or "")
        elif r["status"] in ("approved", "merged"):
            note = NOTES[r["status"]][pick]
            report = statuses.get(str(r["report_id"]))
            if report is not None and report[0] == "closed":
                status, note = "closed", NOTES["closed"][pick]
                if report[1] is not None and not pd.isna(report[1]):
                    updated = max(updated, report[1])
        out.append({"service_request_id": r["request_id"], "status": status,
                    "status_notes": note, "service_name": names.get(r["service_code"], ""),
                    "service_code": r["service_code"],
                    "requested_datetime": _iso(r["received_at"]),
                    "updated_datetime": _iso(updated),
                    "lat": round(float(r["lat"]), 3), "long": round(float(r["lon"]), 3)})
    return out


def _iso(value) -> str:
    return pd.Timestamp(value).tz_convert(schema.TIMEZONE).isoformat(timespec="seconds")


# -- moderation ---------------------------------------------------------------------
def nearby_reports(store, x: float, y: float, radius: float = MERGE_RADIUS_M) -> pd.DataFrame:
    """Reports within ``radius`` metres of (``x``, ``y``), nearest first, to merge with."""
    points = store.read_points(["report_id", "category", "reported_at", "status"])
    d = np.hypot(points.x - x, points.y - y)
    near = points.attributes.assign(distance_m=np.round(d, 0))[d <= radius]
    return near.sort_values("distance_m", kind="stable").head(10).reset_index(drop=True)


def _replace_row(tx, store, row: dict) -> None:
    tx.delete(SUBMISSIONS, "request_id", [row["request_id"]])
    tx.append(SUBMISSIONS, pd.DataFrame([row]))


def report_of(row: dict, crs: str) -> gpd.GeoDataFrame:
    """The report an approved submission becomes (``source=open311``)."""
    frame = schema.conform({
        "report_id": [f"open311:{row['request_id']}"], "source": "open311",
        "source_id": [row["request_id"]], "reported_at": [row["received_at"]],
        "category": [row["service_code"]], "raw_category": [row["service_code"]],
        "description": [row["description"]], "place_text": [row["address"]],
        "precision": "exact", "status": "open", "organisation": ORGANISATION,
        "visibility": "intern", "ingest_id": "serve",
        "extra": [json.dumps({"via": row["via"], "request_id": row["request_id"]})]},
        crs=crs)
    return gpd.GeoDataFrame(frame.drop(columns="geometry"),
                            geometry=[shapely.Point(row["x"], row["y"])], crs=crs)


def moderate(store, request_id: str, action: str, *, by: str, reason: str | None = None,
             merge_with: str | None = None) -> dict:
    """Approve, merge or reject a new submission (one transaction, under the write lock).

    Parameters
    ----------
    action
        ``approve`` (it becomes a report), ``merge`` (with the report ``merge_with``)
        or ``reject`` (with a ``reason`` the resident sees).
    by
        The staff user.

    Returns
    -------
    dict
        The submission as stored after the moderation.

    Raises
    ------
    IntakeError
        Unknown request, not new any more, a missing reason or report to merge with.
    """
    if action not in ("approve", "merge", "reject"):
        raise IntakeError("action", "Välj godkänn, slå ihop eller avvisa.",
                          "Choose approve, merge or reject.")
    with store.writing():
        found = read_submissions(store, ids=[request_id], photos=True)
        if found.empty:
            raise IntakeError("request_id", f"Okänt ärende {request_id[:20]}.",
                              f"Unknown request {request_id[:20]}.", status=404)
        row = found.iloc[0].to_dict()
        if row["status"] != "new":
            raise IntakeError("request_id", f"Ärendet {request_id} är redan granskat.",
                              f"The request {request_id} has been reviewed already.",
                              status=409)
        row.update(updated_at=_now(), moderated_by=by)
        report = None
        if action == "reject":
            reason = _text(reason, "reason", 300, "Skälet", "The reason")
            if not reason:
                raise IntakeError("reason", "Skriv skälet till att ärendet avvisas; den som "
                                  "rapporterade ser det.",
                                  "Write the reason for rejecting; the resident sees it.")
            row.update(status="rejected", reason=reason)
        elif action == "merge":
            target = store.read_reports(["report_id"], where={"report_id": [merge_with or ""]})
            if target.empty:
                raise IntakeError("merge_with", "Välj en befintlig rapport att slå ihop med.",
                                  "Choose an existing report to merge with.")
            point = target.geometry.iloc[0]
            distance = (float(np.hypot(point.x - row["x"], point.y - row["y"]))
                        if point is not None else float("nan"))
            row.update(status="merged", report_id=merge_with)
        else:
            report = report_of(row, store.crs)
            row.update(status="approved", report_id=report["report_id"].iloc[0])
        with store.transaction() as tx:
            _replace_row(tx, store, row)
            if report is not None:
                tx.append("reports", report)
            if action == "merge":
                tx.append("links", pd.DataFrame([{
                    "report_id": merge_with, "linked_id": f"open311:{request_id}",
                    "distance_m": round(distance, 1), "reason": "merged"}]))
    row.pop("photo", None)
    return row


def set_report_status(store, report_id: str, status: str) -> None:
    """Open or close a report (``status`` ``open`` / ``closed``; ``closed_at`` now)."""
    if status not in schema.STATUSES:
        raise IntakeError("status", f"Status måste vara {' eller '.join(schema.STATUSES)}.",
                          f"The status must be {' or '.join(schema.STATUSES)}.")
    with store.writing():
        rows = store.read_reports(where={"report_id": [report_id]})
        if rows.empty:
            raise IntakeError("report_id", f"Okänd rapport {report_id[:40]}.",
                              f"Unknown report {report_id[:40]}.", status=404)
        rows = rows.copy()
        rows["status"] = status
        rows["closed_at"] = _now().tz_convert(schema.TIMEZONE) if status == "closed" else pd.NaT
        with store.transaction() as tx:
            tx.delete("reports", "report_id", [report_id])
            tx.append("reports", rows)


def purge(store, *, days: int = RETENTION_DAYS, now: pd.Timestamp | None = None) -> int:
    """Remove the photos and contact details of submissions moderated more than ``days``
    days ago; returns how many were cleared."""
    rows = read_submissions(store, status=["approved", "merged", "rejected"], photos=True)
    if rows.empty:
        return 0
    cutoff = (now or _now()) - timedelta(days=days)
    old = rows[(rows["updated_at"] < cutoff) & (rows["contact"].notna() | rows["photo"].notna())]
    if old.empty:
        return 0
    with store.transaction() as tx:
        cleared = old.assign(contact=None, photo=None)
        tx.delete(SUBMISSIONS, "request_id", cleared["request_id"])
        tx.append(SUBMISSIONS, cleared)
    return len(old)

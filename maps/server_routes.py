"""The endpoints of ``trygg serve`` (see :mod:`maps.server`).

Each factory takes the app's ``state`` (``store()`` gives this thread's open project,
``lang``, ``rate``, ``limiter``) and returns an async endpoint; the store's work runs in
the thread pool (:func:`_on_store`), on the worker thread's own store, so one slow write
does not stop the others.
"""

from __future__ import annotations

import base64
import secrets
from importlib import resources

from trygg.geo.errors import UserError
from trygg.layers import intake, schema
from trygg.layers import staff as staff_users
from trygg.maps import georeport
from trygg.maps.html import script_json
from trygg.maps.i18n import SERVE

OPEN311_FIELDS = ("service_code", "lat", "long", "address_string", "description", "email",
                  "first_name", "last_name", "phone")


def _lang(state, request) -> str:
    asked = request.query_params.get("lang")
    return asked if asked in ("sv", "en") else state["lang"]


def _t(key: str, lang: str) -> str:
    sv, en = SERVE[key]
    return en if lang == "en" else sv


def _templates():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("trygg.maps", "web"),
        autoescape=jinja2.select_autoescape(["html"], default=True))
    env.filters["json_script"] = script_json
    return env


_ENV = None


def _render(template: str, **values) -> str:
    global _ENV
    if _ENV is None:
        _ENV = _templates()
    return _ENV.get_template(template).render(**values)


def _html(text: str, status: int = 200):
    from starlette.responses import HTMLResponse

    return HTMLResponse(text, status_code=status, headers={"Cache-Control": "no-store"})


def _error(status: int, description: str, fmt: str = "json"):
    return georeport.error(status, description, fmt)


def _format(request) -> str:
    """The GeoReport format the path asks for (``json`` or ``xml``); another is a 404
    (an error list, by :func:`user_error`)."""
    fmt = request.path_params.get("fmt", "json")
    if fmt not in georeport.FORMATS:
        sv, en = SERVE["unknown_format"]
        raise intake.IntakeError("format", sv, en, status=404)
    return fmt


async def _staff_user(state, request) -> str | None:
    """The logged-in staff user of the session, None when there is none (or it has been
    removed since it logged in: the session ends)."""
    user = request.session.get("user")
    if user is None:
        return None
    if not await _on_store(state, staff_users.is_staff, user):
        request.session.clear()
        return None
    return user


async def _on_store(state, fn, *args, **kwargs):
    """``fn(store, *args, **kwargs)`` in a worker thread, on that thread's own open
    project (a store's connection serves one thread at a time)."""
    from starlette.concurrency import run_in_threadpool

    def call():
        return fn(state["store"](), *args, **kwargs)

    return await run_in_threadpool(call)


def user_error(state):
    async def handler(request, exc: UserError):
        lang = _lang(state, request)
        status = getattr(exc, "status", 400)
        message = exc.en if lang == "en" else exc.sv
        if request.url.path.startswith("/staff/") and request.session.get("user"):
            # a staff form's mistake: back to the page, which says what to fix
            request.session["problem"] = message[:500]
            return _redirect(f"/staff?lang={lang}")
        return _error(status, message, georeport.format_of(request.url.path))
    return handler


# -- the residents' page ---------------------------------------------------------------
def _page_data(store, lang: str, background: bool) -> dict:
    import geopandas as gpd

    x0, y0, x1, y1 = store.area()
    box = gpd.GeoSeries.from_xy([x0, x1], [y0, y1], crs=store.crs).to_crs("EPSG:4326")
    outlines = None
    if "areas" in store.layers():
        areas = store.read_layer("areas")
        if len(areas) and isinstance(areas, gpd.GeoDataFrame):
            shapes = gpd.GeoDataFrame(geometry=areas.geometry.simplify(5.0).to_crs(
                "EPSG:4326").set_precision(1e-6))
            import json

            outlines = json.loads(shapes.to_json(drop_id=True))
            b = areas.to_crs("EPSG:4326").total_bounds
            box = gpd.GeoSeries.from_xy([b[0], b[2]], [b[1], b[3]], crs="EPSG:4326")
    keys = [k for k in SERVE if k.startswith("page_")]
    return {"lang": lang, "name": store.name,
            "background_url": f"/api/bakgrund?lang={lang}" if background else None,
            "bounds": [[box.y.iloc[0], box.x.iloc[0]], [box.y.iloc[1], box.x.iloc[1]]],
            "outlines": outlines, "texts": {k[5:]: _t(k, lang) for k in keys},
            "categories": [{"code": c.code, "label": c.label(lang)}
                           for c in schema.CATEGORIES.values()],
            "max_description": intake.MAX_DESCRIPTION,
            "max_photo": intake.MAX_PHOTO_BYTES, "retention_days": intake.RETENTION_DAYS}


def page(state):
    async def endpoint(request):
        lang = _lang(state, request)
        data = await _on_store(state, _page_data, lang, bool(state["background"]))
        return _html(_render("rapportera.html", lang=lang, data=data, t=lambda k: _t(k, lang),
                             honeypot="webbplats",
                             retention=intake.RETENTION_DAYS,
                             categories=data["categories"], name=data["name"]))
    return endpoint


def background(state):
    """The background layers of the page (``trygg serve --background``) as JSON, made
    once at the start; browsers may keep them for an hour."""
    from starlette.responses import Response

    async def endpoint(request):
        return Response(state["background"].get(_lang(state, request), b"[]"),
                        media_type="application/json",
                        headers={"Cache-Control": "public, max-age=3600"})
    return endpoint


def readable_js(state):
    """The maps' readable.js (background layers styled by kind), for the page."""
    from starlette.responses import Response

    from trygg.maps.page import package_text

    text = package_text("readable.js")

    async def endpoint(request):
        return Response(text, media_type="text/javascript; charset=utf-8")
    return endpoint


def search(state):
    from starlette.responses import JSONResponse

    async def endpoint(request):
        query = request.query_params.get("q", "")[:intake.MAX_ADDRESS]
        found = await _on_store(state, intake.find_places, query)
        return JSONResponse([{"name": f["name"], "lat": f["lat"], "lon": f["lon"]}
                             for f in found])
    return endpoint


# -- Open311 --------------------------------------------------------------------------
def services(state):
    async def endpoint(request):
        lang, fmt = _lang(state, request), _format(request)
        return georeport.response("services", intake.services(lang), fmt)
    return endpoint


async def _submit(state, request, fmt: str):
    from starlette.datastructures import UploadFile

    lang = _lang(state, request)
    client = request.client.host if request.client else "?"
    if not state["limiter"].allow("submit", client, state["rate"]):
        return georeport.error(429, _t("slow_down", lang), fmt, headers={"Retry-After": "60"})
    kind = request.headers.get("content-type", "")
    if not kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return _error(415, _t("form_only", lang), fmt)
    async with request.form(max_files=1, max_fields=30,
                            max_part_size=intake.MAX_PHOTO_BYTES + 1024) as form:
        fields = {k: form.get(k) for k in OPEN311_FIELDS if isinstance(form.get(k), str)}
        photo = None
        media = form.get("media")
        if isinstance(media, UploadFile):
            photo = await media.read(intake.MAX_PHOTO_BYTES + 1)
            photo = photo or None
        trap = form.get(intake_honeypot())
    via = "page" if request.query_params.get("via") == "page" else "api"
    if isinstance(trap, str) and trap.strip():  # a bot filled the hidden field
        request_id = intake.new_request_id()  # a receipt like any other, nothing stored
    else:
        request_id = await _on_store(state, _submit_row, fields, photo, via)
    return georeport.response("requests", [{"service_request_id": request_id,
                                            "service_notice": _t("received", lang),
                                            "account_id": None}], fmt, status=201)


def _submit_row(store, fields: dict, photo: bytes | None, via: str) -> str:
    return intake.submit(store, intake.submission(store, fields, photo=photo, via=via))


def intake_honeypot() -> str:
    """The name of the hidden field only a bot fills in."""
    from trygg.maps.server import HONEYPOT

    return HONEYPOT


def _list(store, params, lang: str) -> list[dict]:
    import pandas as pd

    ids = params.get("service_request_id")
    if ids:
        wanted = [i.strip() for i in ids.split(",") if i.strip()][:100]
        rows = intake.read_submissions(store, ids=wanted)
    else:  # without ids: what has been reviewed and taken in, newest first
        rows = intake.read_submissions(store, status=["approved", "merged"])
    code = params.get("service_code")
    if code:
        rows = rows[rows["service_code"] == code]
    for name, op in (("start_date", "ge"), ("end_date", "le")):
        value = params.get(name)
        if value:
            try:
                stamp = pd.Timestamp(value)
            except ValueError:
                raise intake.IntakeError(name, f"{name} ska vara en tid i ISO 8601, t.ex. "
                                         "2025-03-01T00:00:00+01:00.",
                                         f"{name} must be an ISO 8601 time, e.g. "
                                         "2025-03-01T00:00:00+01:00.") from None
            stamp = stamp.tz_localize(schema.TIMEZONE) if stamp.tzinfo is None else stamp
            rows = rows[rows["received_at"] >= stamp] if op == "ge" else \
                rows[rows["received_at"] <= stamp]
    out = intake.public_requests(store, rows.sort_values("received_at", ascending=False)
                                 .head(1000), lang)
    status = params.get("status")
    if status:
        out = [r for r in out if r["status"] in status.split(",")]
    return out


def requests(state):
    async def endpoint(request):
        lang, fmt = _lang(state, request), _format(request)
        if request.method == "POST":
            return await _submit(state, request, fmt)
        found = await _on_store(state, _list, request.query_params, lang)
        return georeport.response("requests", found, fmt)
    return endpoint


def one_request(state):
    async def endpoint(request):
        lang, fmt = _lang(state, request), _format(request)
        request_id = request.path_params["request_id"][:20]
        found = await _on_store(state, intake.follow, request_id, lang)
        if not found:
            return _error(404, _t("unknown_request", lang), fmt)
        return georeport.response("requests", found, fmt)
    return endpoint


# -- staff ----------------------------------------------------------------------------
def _csrf(request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def _csrf_ok(request, form) -> bool:
    sent = form.get("csrf")
    token = request.session.get("csrf")
    return bool(token) and isinstance(sent, str) and secrets.compare_digest(sent, token)


def _redirect(url: str):
    from starlette.responses import RedirectResponse

    return RedirectResponse(url, status_code=303)


def login(state):
    async def endpoint(request):
        lang = _lang(state, request)
        message = ""
        if request.method == "POST":
            client = request.client.host if request.client else "?"
            async with request.form(max_fields=10) as form:
                user, password = form.get("user"), form.get("password")
                ok_form = _csrf_ok(request, form)
            if not ok_form:
                message = _t("csrf", lang)
            elif not state["limiter"].allow("login", client, 10):
                message = _t("slow_down", lang)
            elif isinstance(user, str) and isinstance(password, str) and await _on_store(
                    state, staff_users.check_staff, user[:64], password[:1024]):
                request.session.clear()
                request.session["user"] = user
                request.session["csrf"] = secrets.token_urlsafe(32)
                return _redirect(f"/staff?lang={lang}")
            else:
                message = _t("bad_login", lang)
        return _html(_render("login.html", lang=lang, t=lambda k: _t(k, lang),
                             csrf=_csrf(request), message=message),
                     status=401 if message else 200)
    return endpoint


def logout(state):
    async def endpoint(request):
        async with request.form(max_fields=5) as form:
            ok = _csrf_ok(request, form)
        if ok:
            request.session.clear()
        return _redirect("/staff/login")
    return endpoint


def _staff_view(store, lang: str) -> dict:
    rows = intake.read_submissions(store)
    names = {c.code: c.label(lang) for c in schema.CATEGORIES.values()}
    new, done = [], []
    for r in rows.sort_values("received_at").itertuples(index=False):
        item = {"id": r.request_id, "received": intake._iso(r.received_at)[:16].replace(
                    "T", " "),
                "category": names.get(r.service_code, r.service_code),
                "description": r.description if isinstance(r.description, str) else "",
                "address": r.address if isinstance(r.address, str) else "",
                "contact": r.contact if isinstance(r.contact, str) else "",
                "status": r.status, "report_id": r.report_id if isinstance(
                    r.report_id, str) else "",
                "reason": r.reason if isinstance(r.reason, str) else "",
                "lat": round(float(r.lat), 5), "lon": round(float(r.lon), 5)}
        if r.status == "new":
            near = intake.nearby_reports(store, float(r.x), float(r.y))
            item["near"] = [{"id": n.report_id, "category": names.get(n.category, n.category),
                             "distance": int(n.distance_m)} for n in near.itertuples()]
            new.append(item)
        else:
            done.append(item)
    statuses = intake.report_status(store, [d["report_id"] for d in done])
    for item in done:
        item["report_status"] = statuses.get(item["report_id"], ("", None))[0] or ""
    return {"new": new, "done": list(reversed(done))[:200]}


def staff_page(state):
    async def endpoint(request):
        lang = _lang(state, request)
        user = await _staff_user(state, request)
        if not user:
            return _redirect(f"/staff/login?lang={lang}")
        view = await _on_store(state, _staff_view, lang)
        return _html(_render("staff.html", lang=lang, t=lambda k: _t(k, lang), user=user,
                             csrf=_csrf(request), new=view["new"], done=view["done"],
                             notice=request.query_params.get("ok", "")[:40],
                             problem=request.session.pop("problem", None)))
    return endpoint


async def _staff_form(request, state):
    """The form of a staff POST, or an error response (not logged in, bad CSRF token)."""
    lang = _lang(state, request)
    if not await _staff_user(state, request):
        return None, _error(401, _t("login_first", lang))
    async with request.form(max_fields=10) as form:
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        ok = _csrf_ok(request, form)
    if not ok:
        return None, _error(403, _t("csrf", lang))
    return values, None


def moderate(state):
    async def endpoint(request):
        form, error = await _staff_form(request, state)
        if error is not None:
            return error
        lang = _lang(state, request)
        await _on_store(state, intake.moderate, form.get("request_id", "")[:20],
                        form.get("action", ""), by=request.session["user"],
                        reason=form.get("reason"), merge_with=form.get("merge_with") or None)
        return _redirect(f"/staff?lang={lang}&ok={form.get('request_id', '')[:20]}")
    return endpoint


def status(state):
    async def endpoint(request):
        form, error = await _staff_form(request, state)
        if error is not None:
            return error
        lang = _lang(state, request)
        await _on_store(state, intake.set_report_status, form.get("report_id", "")[:80],
                        form.get("status", ""))
        return _redirect(f"/staff?lang={lang}")
    return endpoint


def photo(state):
    from starlette.responses import Response

    async def endpoint(request):
        lang = _lang(state, request)
        if not await _staff_user(state, request):
            return _error(401, _t("login_first", lang))
        rows = await _on_store(state, intake.read_submissions,
                               ids=[request.path_params["request_id"][:20]], photos=True)
        if rows.empty or not isinstance(rows["photo"].iloc[0], str):
            return _error(404, _t("no_photo", lang))
        return Response(base64.b64decode(rows["photo"].iloc[0]), media_type="image/jpeg",
                        headers={"Cache-Control": "private, no-store"})
    return endpoint


def static_dir() -> str:
    """The folder of the pages' own scripts, styles and templates."""
    return str(resources.files("trygg.maps") / "web")

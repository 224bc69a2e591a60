"""``trygg serve``: the residents' reporting page, the Open311 intake and the staff pages.

A Starlette (ASGI) application on one project (a GeoPackage or PostGIS; PostGIS for
more than one user at a time), served by uvicorn:

``/``
    The reporting page (``web/rapportera.*``): a map (Leaflet from the package, no
    CDN), a search of the project's gazetteer, category, text, an optional photo and
    contact, the privacy notice; works with keyboard, screen readers and on a phone.
``/open311/v2/``
    Open311 GeoReport v2 in JSON or XML (:mod:`maps.georeport`): ``services.json``,
    ``requests.json`` (``POST`` to submit, ``GET`` to follow) and
    ``requests/{id}.json``, or the same with ``.xml``. Errors are GeoReport error
    lists, ``[{"code": 400, "description": "…"}]``, naming the field.
``/staff``
    Behind a login (Argon2id hashes, :mod:`layers.staff`; a signed session cookie,
    ``SameSite=Strict``; a CSRF token in every form): moderate new submissions
    (approve, merge with a report near by, reject with a reason) and open or close
    reports; the status residents follow changes with it (:mod:`layers.intake`).

Abuse: a per-client limit of submissions (``rate``) and of all requests, a honeypot
field, a limit on the body (:data:`MAX_BODY`), every field validated; report text
reaches a page only as escaped text (Jinja2 autoescaping on the staff pages,
``textContent`` on the reporting page), never as markup, under a Content Security
Policy that allows no inline script.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections import defaultdict, deque
from importlib import resources
from pathlib import Path

from trygg.geo.errors import UserError
from trygg.layers import intake, schema
from trygg.maps import georeport
from trygg.maps.i18n import SERVE

#: Largest request body (bytes): a photo of at most intake.MAX_PHOTO_BYTES and the form.
MAX_BODY = intake.MAX_PHOTO_BYTES + 256 * 1024
#: Requests per client and minute to anything (reads included).
REQUESTS_PER_MINUTE = 600
#: Failed logins per client and minute.
LOGINS_PER_MINUTE = 10
SESSION_HOURS = 8
HONEYPOT = "webbplats"
CSP = ("default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
       "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       "form-action 'self'")


def t(key: str, lang: str) -> str:
    """A text of the service in ``lang``."""
    sv, en = SERVE[key]
    return en if lang == "en" else sv


class RateLimiter:
    """A sliding-window count of events per key (client address) and minute."""

    def __init__(self) -> None:
        self._events: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, kind: str, client: str, per_minute: int) -> bool:
        """Record an event of ``kind`` for ``client``; False when over ``per_minute``."""
        if per_minute <= 0:
            return True
        now = time.monotonic()
        with self._lock:
            events = self._events[(kind, client)]
            while events and events[0] <= now - 60:
                events.popleft()
            if len(events) >= per_minute:
                return False
            events.append(now)
            return True


def _client(request) -> str:
    return request.client.host if request.client else "?"


class _Stores(threading.local):
    store = None


def create_app(project: str, *, lang: str = "sv", rate: int = 10,
               secret: str | None = None, https_only: bool = False,
               background: list[str | Path] | None = None):
    """The web application on the project ``project`` (a path or ``postgresql://`` URL).

    Parameters
    ----------
    project
        Where the project is (:func:`layers.store.open_project`).
    lang
        Default language of the pages (``sv``; ``?lang=en`` switches a page).
    rate
        Submissions per client address and minute; 0 turns off this limit and the
        limit of all requests (:data:`REQUESTS_PER_MINUTE`), for load tests on loopback.
    secret
        Key that signs the session cookies; default a new random one (sessions end
        when the server restarts).
    https_only
        Send the session cookie only over HTTPS (behind a TLS proxy).
    background
        The municipality's own map files (GeoPackage, GeoJSON …) drawn beneath the
        reporting page's map in the style of their kind, as on ``trygg map``
        (:func:`maps.page.background_layers`); read once, at the start.

    Returns
    -------
    starlette.applications.Starlette
    """
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.sessions import SessionMiddleware
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    from trygg.layers.store import open_project

    first = open_project(project)  # fails here, before serving, when the project is wrong
    location = first.location
    intake.purge(first)
    local = _Stores()
    local.store = first
    limiter = RateLimiter()

    def store():
        if local.store is None:
            local.store = open_project(location)
        return local.store

    from trygg.maps.background import layer_label
    from trygg.maps.page import background_layers

    swedish = [layer for path in background or []
               for layer in background_layers(Path(path), lang="sv")]
    english = [b | {"label": layer_label(b["name"], b["kind"], lang="en")} for b in swedish]
    # read and written as JSON once; only the labels are of a language
    drawn = {code: json.dumps(layers, ensure_ascii=False).encode("utf-8")
             for code, layers in (("sv", swedish), ("en", english))} if swedish else {}
    state = {"store": store, "lang": lang, "rate": rate, "limiter": limiter,
             "background": drawn}
    from trygg.maps import server_routes as r

    routes = [
        Route("/", r.page(state)),
        Route("/api/sok", r.search(state)),
        Route("/api/bakgrund", r.background(state)),
        Route("/static/readable.js", r.readable_js(state)),
        Route("/open311/v2/services.{fmt}", r.services(state)),
        Route("/open311/v2/requests.{fmt}", r.requests(state), methods=["GET", "POST"]),
        Route("/open311/v2/requests/{request_id}.{fmt}", r.one_request(state)),
        Route("/staff/login", r.login(state), methods=["GET", "POST"]),
        Route("/staff/logout", r.logout(state), methods=["POST"]),
        Route("/staff", r.staff_page(state)),
        Route("/staff/moderate", r.moderate(state), methods=["POST"]),
        Route("/staff/status", r.status(state), methods=["POST"]),
        Route("/staff/photo/{request_id}", r.photo(state)),
        Mount("/static/leaflet", StaticFiles(directory=_leaflet_dir()), name="leaflet"),
        Mount("/static", StaticFiles(directory=str(resources.files("trygg.maps") / "web")),
              name="static"),
    ]
    middleware = [
        Middleware(_Guard, limiter=limiter, per_minute=REQUESTS_PER_MINUTE if rate else 0),
        Middleware(SessionMiddleware, secret_key=secret or secrets.token_urlsafe(32),
                   session_cookie="trygg_staff", max_age=SESSION_HOURS * 3600,
                   same_site="strict", https_only=https_only),
    ]
    return Starlette(routes=routes, middleware=middleware,
                     exception_handlers={UserError: r.user_error(state)})


def _leaflet_dir() -> str:
    import xstatic.pkg.leaflet as leaflet

    return str(leaflet.BASE_DIR)


class _Guard:
    """Every response's security headers, the body limit and the per-client limit of
    requests (pure ASGI middleware, so a too-large body is refused before it is read)."""

    def __init__(self, app, limiter: RateLimiter, per_minute: int) -> None:
        self.app = app
        self.limiter = limiter
        self.per_minute = per_minute

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        fmt = georeport.format_of(scope.get("path", ""))
        client = (scope.get("client") or ("?", 0))[0]
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            await georeport.error(413, SERVE["too_large"][0], fmt)(scope, receive, send)
            return
        if not self.limiter.allow("any", client, self.per_minute):
            await georeport.error(429, SERVE["slow_down"][0], fmt,
                                  headers={"Retry-After": "60"})(scope, receive, send)
            return
        seen = 0

        async def limited_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > MAX_BODY:
                    raise _TooLargeError()
            return message

        async def with_headers(message):
            if message["type"] == "http.response.start":
                extra = [(b"content-security-policy", CSP.encode()),
                         (b"x-content-type-options", b"nosniff"),
                         (b"referrer-policy", b"no-referrer"),
                         (b"x-frame-options", b"DENY"),
                         (b"permissions-policy", b"camera=(), microphone=()")]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        try:
            await self.app(scope, limited_receive, with_headers)
        except _TooLargeError:
            await georeport.error(413, SERVE["too_large"][0], fmt)(scope, receive, send)


class _TooLargeError(Exception):
    pass


def services_json(lang: str) -> str:
    """The Open311 service list as JSON text."""
    return json.dumps(intake.services(lang), ensure_ascii=False)


def categories(lang: str) -> list[dict]:
    """Category choices of the page: code and label, the vocabulary's order."""
    return [{"code": c.code, "label": c.label(lang)} for c in schema.CATEGORIES.values()]


def serve(project: str, *, host: str = "127.0.0.1", port: int = 8000, lang: str = "sv",
          rate: int = 10, background: list[str | Path] | None = None,
          workers_log: bool = False) -> None:
    """Run the service until stopped (Ctrl-C); parameters as :func:`create_app`."""
    import uvicorn

    app = create_app(project, lang=lang, rate=rate, background=background)
    uvicorn.run(app, host=host, port=port, log_level="info" if workers_log else "warning",
                access_log=workers_log)

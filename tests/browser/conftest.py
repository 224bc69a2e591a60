"""Headless Debian Chromium driven by Playwright, with the network blocked.

Locally the tests skip (with the reason) when /usr/bin/chromium or Playwright is
missing; in CI (CI=true) they fail instead, so they can never silently skip there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI must run the browser tests, but {reason}", pytrace=False)
    pytest.skip(f"{reason} (./scripts/test installs chromium when run as root)")


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


class PageLog:
    """What a page did: requests, console errors, page errors, dialogs."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []


@pytest.fixture
def page(chromium):
    """A fresh page whose every network request is blocked and logged."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    log = PageLog()

    def route(r):
        url = r.request.url
        if url.startswith(("file:", "data:", "blob:")):
            r.continue_()
        else:
            log.blocked.append(url)
            r.abort()

    context.route("**/*", route)
    pg = context.new_page()
    pg.on("request", lambda req: log.requests.append(req.url))
    pg.on("console", lambda msg: log.errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: log.errors.append(str(exc)))

    def dialog(d):
        log.dialogs.append(d.message)
        d.dismiss()

    pg.on("dialog", dialog)
    pg.log = log
    yield pg
    context.close()

"""trygg serve in a real browser: a resident reports through the page (on a phone too),
the page passes an automated accessibility audit (axe-core), a staff user approves the
report, and it appears in ``trygg map``. The browser may reach only the server."""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time

import pytest

from trygg.layers.staff import add_staff
from trygg.layers.store import open_project

pytestmark = pytest.mark.browser
PASSWORD = "ett långt lösenord"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(demo, tmp_path):
    """The service on a copy of the demo project, on a free loopback port."""
    import uvicorn

    from trygg.maps.server import create_app

    path = tmp_path / "demo.gpkg"
    shutil.copy2(demo["project"], path)
    add_staff(open_project(path), "moa", PASSWORD)
    port = _free_port()
    app = create_app(str(path), background=[demo["data"] / "kommun.gpkg"])
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    yield {"url": f"http://127.0.0.1:{port}", "project": path}
    srv.should_exit = True
    thread.join(10)


def _page(chromium, base: str, **context):
    ctx = chromium.new_context(**context)
    outside: list[str] = []
    errors: list[str] = []

    def route(r):
        if r.request.url.startswith(base + "/"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    pg = ctx.new_page()
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    return ctx, pg, outside, errors


def _audit(pg) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(pg, options={"runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})"
            for v in results.response["violations"]]


def test_a_resident_reports_staff_approve_and_it_is_on_the_map(chromium, server, tmp_path):
    base = server["url"]
    ctx, pg, outside, errors = _page(chromium, base, viewport={"width": 1280, "height": 900})
    pg.goto(base + "/")
    pg.wait_for_selector(".leaflet-container")
    # the municipality's streets and buildings beneath (trygg serve --background)
    pg.locator(".leaflet-overlay-pane path").nth(100).wait_for(state="attached")
    assert pg.locator(".leaflet-overlay-pane path").count() > 100
    assert _audit(pg) == []
    # choose the place by searching (keyboard only), then the category and the text
    pg.focus("#search")
    pg.keyboard.type("Björkvägen 3")
    pg.keyboard.press("Enter")
    pg.wait_for_selector("#hits button")
    pg.click("#hits button >> nth=0")
    assert "Björkvägen 3" in pg.text_content("#chosen")
    pg.select_option("#service_code", "belysning")
    pg.fill("#description", "Lampan vid gångtunneln är trasig <script>alert(1)</script>")
    pg.click("#send")
    pg.locator("#result", has_text="TK-").wait_for()
    request_id = re.search(r"TK-[0-9A-Z]{10}", pg.text_content("#result")).group(0)
    assert _audit(pg) == []
    # follow it: received, not yet reviewed
    pg.fill("#follow-id", request_id)
    pg.click("#follow-form button")
    pg.locator("#follow-result", has_text="Status").wait_for()
    assert "öppen" in pg.text_content("#follow-result")

    pg.goto(base + "/staff/login")
    assert _audit(pg) == []
    pg.fill("#user", "moa")
    pg.fill("#password", PASSWORD)
    pg.click("button[type=submit]")
    pg.wait_for_selector(f"#approve-{request_id}")
    assert _audit(pg) == []
    assert pg.locator(".submission .text").first.text_content().endswith(
        "<script>alert(1)</script>")  # shown as text
    pg.click(f"#approve-{request_id}")
    pg.wait_for_selector("text=Klart")
    assert outside == [] and errors == []
    ctx.close()

    from trygg.cli import main

    out = tmp_path / "karta.html"
    assert main(["map", str(server["project"]), "--out", str(out)]) == 0
    assert request_id in out.read_text(encoding="utf-8")


def test_the_page_works_on_a_phone(chromium, server):
    base = server["url"]
    ctx, pg, outside, errors = _page(chromium, base, viewport={"width": 375, "height": 740},
                                     is_mobile=True, has_touch=True, device_scale_factor=2)
    pg.goto(base + "/")
    pg.wait_for_selector(".leaflet-container")
    assert pg.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scroll
    box = pg.locator("#map").bounding_box()
    pg.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert "Vald plats" in pg.text_content("#chosen")
    pg.select_option("#service_code", "klotter")
    pg.click("#send")
    pg.locator("#result", has_text="TK-").wait_for()
    assert _audit(pg) == []
    sizes = pg.evaluate("""[...document.querySelectorAll(
            'button, select, input:not([type=hidden])')]
        .filter(e => e.offsetParent !== null && !e.closest('.trap'))
        .map(e => e.getBoundingClientRect().height)""")
    assert min(sizes) >= 44  # touch targets (WCAG 2.5.5)
    assert outside == [] and errors == []
    ctx.close()


def test_the_audit_finds_what_is_wrong(chromium):
    ctx = chromium.new_context()
    pg = ctx.new_page()
    pg.set_content('<html><body><input type="text"><p style="color:#bbb">grå</p></body>'
                   "</html>")
    found = " ".join(_audit(pg))
    assert "label" in found and "color-contrast" in found and "html-has-lang" in found
    ctx.close()

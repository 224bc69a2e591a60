"""trygg serve through Starlette's test client, on a GeoPackage and on PostGIS: the
Open311 API, validation and abuse limits, staff login, CSRF and moderation, and the
status a resident follows."""

from __future__ import annotations

import io
import re
import shutil

import pytest
from starlette.testclient import TestClient

from trygg.layers import intake
from trygg.layers.staff import add_staff
from trygg.layers.store import open_project
from trygg.maps.server import CSP, MAX_BODY, create_app

#: A place in the demo municipality (Strandvik).
LAT, LON = 60.0237, 17.1314
PASSWORD = "ett långt lösenord"


@pytest.fixture(params=["gpkg", "postgis"])
def served(request, demo, tmp_path):
    """The demo project (a copy), on each backend, with the staff user ``moa``."""
    path = tmp_path / "demo.gpkg"
    shutil.copy2(demo["project"], path)
    location = str(path)
    if request.param == "postgis":
        from trygg.layers.migrate import migrate_project

        location = request.getfixturevalue("postgis_url")
        migrate_project(open_project(path), location)
    store = open_project(location)
    add_staff(store, "moa", PASSWORD)
    return location


def _client(location: str, **kwargs) -> TestClient:
    return TestClient(create_app(location, **kwargs))


def _submit(client, **fields):
    data = {"service_code": "klotter", "lat": str(LAT), "long": str(LON),
            "description": "Klotter på busskuren"} | fields
    return client.post("/open311/v2/requests.json", data=data)


def _login(client) -> str:
    page = client.get("/staff/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    done = client.post("/staff/login", data={"user": "moa", "password": PASSWORD,
                                             "csrf": csrf}, follow_redirects=False)
    assert done.status_code == 303
    cookie = done.headers["set-cookie"].lower()
    assert "samesite=strict" in cookie and "httponly" in cookie
    staff = client.get("/staff")
    return re.search(r'name="csrf" value="([^"]+)"', staff.text).group(1)


def test_the_page_draws_the_municipalitys_own_map_files(demo, tmp_path):
    import json

    def page_data(client, url="/"):
        page = client.get(url).text
        return json.loads(re.search(r'id="trygg-data">(.*?)</script>', page, re.S).group(1))

    path = tmp_path / "demo.gpkg"
    shutil.copy2(demo["project"], path)
    client = _client(str(path), background=[demo["data"] / "kommun.gpkg"])
    data = page_data(client)
    assert data["background_url"] == "/api/bakgrund?lang=sv"  # apart: the browser keeps it
    layers = client.get(data["background_url"])
    assert layers.headers["cache-control"] == "public, max-age=3600"
    kinds = [b["kind"] for b in layers.json()]
    assert "streets" in kinds and "buildings" in kinds and "boundary" in kinds
    streets = next(b for b in layers.json() if b["kind"] == "streets")
    assert streets["label"] == "Gator" and streets["style"]["casing"]
    assert '<script src="/static/readable.js">' in client.get("/").text
    script = client.get("/static/readable.js")
    assert script.status_code == 200 and "TryggReadable" in script.text
    assert script.headers["content-type"].startswith("text/javascript")
    english = client.get(page_data(client, "/?lang=en")["background_url"]).json()
    assert "Streets" in [b["label"] for b in english]
    assert [b["geojson"] for b in english] == [b["geojson"] for b in layers.json()]
    bare = _client(str(path))
    assert page_data(bare)["background_url"] is None
    assert bare.get("/api/bakgrund").json() == []


def test_services_are_the_categories(served):
    client = _client(served)
    services = client.get("/open311/v2/services.json").json()
    assert [s["service_code"] for s in services][:3] == ["belysning", "sikt_vegetation",
                                                         "klotter"]
    assert services[2]["service_name"] == "Klotter" and services[2]["metadata"] is False
    english = client.get("/open311/v2/services.json?lang=en").json()
    assert english[2]["service_name"] == "Graffiti"


def test_a_submission_waits_for_review_and_its_status_follows(served):
    client = _client(served)
    answer = _submit(client, email="boende@example.se")
    assert answer.status_code == 201
    request_id = answer.json()[0]["service_request_id"]
    assert re.fullmatch(r"TK-[2-9A-HJ-NP-Z]{10}", request_id)
    store = open_project(served)
    before = store.count("reports")
    one = client.get(f"/open311/v2/requests/{request_id}.json").json()[0]
    assert one["status"] == "open" and "granskar" in one["status_notes"]
    assert "description" not in one and "email" not in json_text(one)
    assert one["lat"] == round(LAT, 3) and one["long"] == round(LON, 3)  # about 100 m
    assert store.count("reports") == before  # not in the analyses before review

    csrf = _login(client)
    assert request_id in client.get("/staff").text
    done = client.post("/staff/moderate", data={"request_id": request_id, "action": "approve",
                                                "csrf": csrf}, follow_redirects=False)
    assert done.status_code == 303
    store = open_project(served)
    report = store.read_reports(where={"report_id": [f"open311:{request_id}"]})
    assert len(report) == 1 and store.count("reports") == before + 1
    assert report["source"].iloc[0] == "open311" and report["category"].iloc[0] == "klotter"
    listed = client.get("/open311/v2/requests.json").json()
    assert [r["service_request_id"] for r in listed] == [request_id]
    client.post("/staff/status", data={"report_id": f"open311:{request_id}", "status":
                                       "closed", "csrf": csrf})
    one = client.get(f"/open311/v2/requests/{request_id}.json?lang=en").json()[0]
    assert one["status"] == "closed" and one["status_notes"] == "Dealt with and closed."
    assert client.get("/open311/v2/requests.json?status=open").json() == []


def test_georeport_xml_carries_the_same_answers_as_json(served):
    from xml.etree import ElementTree as ET

    client = _client(served)
    services = client.get("/open311/v2/services.xml")
    assert services.headers["content-type"].startswith("text/xml")
    root = ET.fromstring(services.content)
    assert root.tag == "services" and root[2].findtext("service_code") == "klotter"
    assert root[2].findtext("metadata") == "false"
    posted = client.post("/open311/v2/requests.xml", data={
        "service_code": "klotter", "lat": LAT, "long": LON,
        "description": "<b>Klotter</b> & </description><x>"})
    assert posted.status_code == 201
    receipt = ET.fromstring(posted.content)
    assert receipt.tag == "service_requests" and receipt[0].tag == "request"
    request_id = receipt[0].findtext("service_request_id")
    assert receipt[0].find("account_id").text is None
    one = ET.fromstring(client.get(f"/open311/v2/requests/{request_id}.xml").content)
    as_json = client.get(f"/open311/v2/requests/{request_id}.json").json()[0]
    assert {child.tag: child.text for child in one[0]} == {
        k: str(v) for k, v in as_json.items()}
    missing = client.get("/open311/v2/requests/TK-FINNSINTE.xml")
    assert missing.status_code == 404
    error = ET.fromstring(missing.content)
    assert error.tag == "errors" and error[0].findtext("code") == "404"
    wrong = client.post("/open311/v2/requests.xml", data={"service_code": "ufo"})
    assert wrong.status_code == 400 and ET.fromstring(wrong.content).tag == "errors"
    assert client.get("/open311/v2/services.csv").status_code == 404


def json_text(obj) -> str:
    import json

    return json.dumps(obj, ensure_ascii=False)


def test_merge_and_reject(served):
    client = _client(served)
    first = _submit(client).json()[0]["service_request_id"]
    second = _submit(client).json()[0]["service_request_id"]
    third = _submit(client).json()[0]["service_request_id"]
    csrf = _login(client)
    client.post("/staff/moderate", data={"request_id": first, "action": "approve",
                                         "csrf": csrf})
    page = client.get("/staff").text
    assert f'value="open311:{first}"' in page  # offered to merge with, it is 0 m away
    client.post("/staff/moderate", data={"request_id": second, "action": "merge",
                                         "merge_with": f"open311:{first}", "csrf": csrf})
    refused = client.post("/staff/moderate", data={"request_id": third, "action": "reject",
                                                   "reason": "", "csrf": csrf})
    # a staff mistake is said on the staff page, once, and nothing changes
    assert refused.status_code == 200 and str(refused.url).endswith("/staff?lang=sv")
    assert re.search(r'role="alert">Skriv skälet', refused.text)
    assert "Skriv skälet" not in client.get("/staff").text
    client.post("/staff/moderate", data={"request_id": third, "action": "reject",
                                         "reason": "Privat mark", "csrf": csrf})
    again = client.post("/staff/moderate", data={"request_id": third, "action": "approve",
                                                 "csrf": csrf}, follow_redirects=False)
    assert again.status_code == 303 and 'role="alert"' in client.get(
        again.headers["location"]).text
    status = {r["service_request_id"]: r for r in client.get(
        f"/open311/v2/requests.json?service_request_id={first},{second},{third}").json()}
    assert status[second]["status"] == "open" and "tidigare rapport" in \
        status[second]["status_notes"]
    assert status[third]["status"] == "closed" and \
        status[third]["status_notes"] == "Avvisad: Privat mark"
    store = open_project(served)
    assert store.count("reports") == open_project(served).count("reports")
    links = store.read("links")
    assert ((links["report_id"] == f"open311:{first}")
            & (links["linked_id"] == f"open311:{second}")).sum() == 1


def test_every_field_is_checked_with_a_clear_message(served):
    client = _client(served)
    cases = [({"service_code": "bananer"}, "Okänd kategori 'bananer'"),
             ({"lat": "norr"}, "lat måste vara ett tal"),
             ({"lat": "", "long": ""}, "Ange platsen"),
             ({"lat": "40.0", "long": "10.0"}, "utanför kommunen"),
             ({"description": "x" * 2001}, "högst 2000 tecken"),
             ({"email": "inte en adress"}, "E-postadressen"),
             ({"lat": "", "long": "", "address_string": "Qqqqzzz"}, "Hittade inte platsen")]
    for fields, message in cases:
        answer = _submit(client, **fields)
        assert answer.status_code == 400, fields
        assert message in answer.json()[0]["description"], (fields, answer.json())
    by_address = _submit(client, lat="", long="", address_string="Björkvägen 3, Strandvik")
    assert by_address.status_code == 201
    json_body = client.post("/open311/v2/requests.json", json={"service_code": "klotter"})
    assert json_body.status_code == 415
    assert client.get("/open311/v2/requests/TK-FINNSINTE.json").status_code == 404


def test_abuse_limits(served):
    client = _client(served, rate=3)
    assert [_submit(client).status_code for _ in range(4)] == [201, 201, 201, 429]
    client = _client(served)
    bot = _submit(client, webbplats="http://spam.example")
    assert bot.status_code == 201  # the bot is told nothing
    assert intake.read_submissions(open_project(served)).shape[0] == 3
    big = client.post("/open311/v2/requests.json", content=b"x" * (MAX_BODY + 1),
                      headers={"content-type": "application/x-www-form-urlencoded"})
    assert big.status_code == 413


def _jpeg_with_gps() -> bytes:
    from PIL import Image

    img = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Kameratillverkare"  # Make
    exif[0x8825] = {2: (59.0, 45.0, 0.0), 4: (18.0, 42.0, 0.0)}  # GPS position
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_is_checked_and_kept_without_metadata(served):
    from PIL import Image

    client = _client(served)
    photo = _jpeg_with_gps()
    assert b"Kameratillverkare" in photo
    answer = client.post("/open311/v2/requests.json", data={
        "service_code": "klotter", "lat": str(LAT), "long": str(LON)},
        files={"media": ("bild.jpg", photo, "image/jpeg")})
    assert answer.status_code == 201
    request_id = answer.json()[0]["service_request_id"]
    assert client.get(f"/staff/photo/{request_id}").status_code == 401  # staff only
    _login(client)
    kept = client.get(f"/staff/photo/{request_id}")
    assert kept.status_code == 200 and kept.headers["content-type"] == "image/jpeg"
    assert b"Kameratillverkare" not in kept.content
    assert not Image.open(io.BytesIO(kept.content)).getexif()
    wrong = client.post("/open311/v2/requests.json", data={
        "service_code": "klotter", "lat": str(LAT), "long": str(LON)},
        files={"media": ("bild.jpg", b"<svg onload=alert(1)>", "image/jpeg")})
    assert wrong.status_code == 415 and "JPEG" in wrong.json()[0]["description"]


def test_staff_pages_need_login_and_csrf_and_never_render_report_text(served):
    client = _client(served)
    hostile = '<img src=x onerror="alert(1)">'
    _submit(client, description=hostile)
    assert client.get("/staff", follow_redirects=False).status_code == 303
    bad = client.post("/staff/login", data={"user": "moa", "password": "fel lösenord!!",
                                            "csrf": "x"})
    assert bad.status_code == 401 and "Formuläret har gått ut" in bad.text
    page = client.get("/staff/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    wrong = client.post("/staff/login", data={"user": "moa", "password": "fel lösenord!!",
                                              "csrf": csrf})
    assert wrong.status_code == 401 and "Fel användarnamn eller lösenord" in wrong.text
    csrf = _login(client)
    page = client.get("/staff")
    assert hostile not in page.text and "&lt;img src=x onerror=" in page.text
    assert page.headers["content-security-policy"] == CSP
    rid = intake.read_submissions(open_project(served))["request_id"].iloc[0]
    forged = client.post("/staff/moderate", data={"request_id": rid, "action": "approve",
                                                  "csrf": "gissat"})
    assert forged.status_code == 403
    client.post("/staff/logout", data={"csrf": csrf})
    assert client.get("/staff", follow_redirects=False).status_code == 303


def test_a_removed_staff_user_is_logged_out_at_once(served):
    from trygg.layers.staff import remove_staff

    client = _client(served)
    csrf = _login(client)
    assert client.get("/staff", follow_redirects=False).status_code == 200
    remove_staff(open_project(served), "moa")
    assert client.get("/staff", follow_redirects=False).status_code == 303  # to the login
    done = client.post("/staff/status", data={"report_id": "x", "status": "closed",
                                              "csrf": csrf})
    assert done.status_code == 401


def test_the_page_is_swedish_first_and_has_no_outside_address(served):
    client = _client(served)
    page = client.get("/")
    assert page.status_code == 200 and '<html lang="sv">' in page.text
    assert "Rapportera en otrygg plats" in page.text and "raderas 90 dagar" in page.text
    assert not re.search(r"(src|href)=\"(https?:)?//", page.text)
    assert client.get("/static/leaflet/leaflet.js").status_code == 200
    english = client.get("/?lang=en")
    assert '<html lang="en">' in english.text and "Report an unsafe place" in english.text
    assert client.get("/api/sok?q=Björkvägen").json()[0]["name"].startswith("Björkvägen")

"""GeoReport v2 answers as XML (maps/georeport.py): any text stays text."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from trygg.maps import georeport


@given(st.text(max_size=200))
def test_any_value_is_escaped_into_well_formed_xml(text):
    doc = georeport.to_xml("requests", [{"status_notes": text, "lat": 59.1, "account_id": None}])
    request = ET.fromstring(doc)[0]
    kept = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", text)
    # a parser reads a carriage return as a line break, as XML says
    got = request.findtext("status_notes") or ""
    assert got == kept.replace("\r\n", "\n").replace("\r", "\n")
    assert request.findtext("lat") == "59.1" and request.find("account_id").text is None


def test_the_elements_are_the_specifications():
    doc = georeport.to_xml("services", [{"service_code": "klotter", "metadata": False}])
    assert doc.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<services><service>')
    assert b"<metadata>false</metadata>" in doc
    assert ET.fromstring(georeport.to_xml("errors", [{"code": 400}]))[0].tag == "error"
    assert georeport.format_of("/open311/v2/requests.xml") == "xml"
    assert georeport.format_of("/open311/v2/requests.json") == "json"

"""Open311 GeoReport v2 answers in either of its formats: JSON or XML.

GeoReport v2 names the format by the path's suffix (``services.json``,
``requests.xml``, ``requests/{id}.xml``); both carry the same lists: ``services`` of
``service``, ``service_requests`` of ``request`` and, for a mistake, ``errors`` of
``error`` (``code``, ``description``). The XML is built by the standard library's
ElementTree (its ``TreeBuilder``), which escapes every value; an empty value is an empty
element, as in the specification's examples.
"""

from __future__ import annotations

import json
import re

#: The formats of GeoReport v2 and their media types.
FORMATS = {"json": "application/json", "xml": "text/xml; charset=utf-8"}
#: (list element, item element) of each kind of answer.
ELEMENTS = {"services": ("services", "service"),
            "requests": ("service_requests", "request"),
            "errors": ("errors", "error")}

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def format_of(path: str) -> str:
    """``xml`` for a path ending in ``.xml``, else ``json``."""
    return "xml" if path.endswith(".xml") else "json"


def to_xml(kind: str, rows: list[dict]) -> bytes:
    """``rows`` as the GeoReport XML document of ``kind`` (a key of :data:`ELEMENTS`)."""
    from xml.etree import ElementTree as ET

    root, item = ELEMENTS[kind]
    tree = ET.TreeBuilder()
    tree.start(root, {})
    for row in rows:
        tree.start(item, {})
        for key, value in row.items():
            tree.start(key, {})
            if value is not None:
                text = ("true" if value else "false") if isinstance(value, bool) else str(value)
                tree.data(_NOT_XML.sub("", text))
            tree.end(key)
        tree.end(item)
    tree.end(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(
        tree.close(), encoding="utf-8", xml_declaration=False)


def response(kind: str, rows: list[dict], fmt: str = "json", *, status: int = 200,
             headers: dict[str, str] | None = None):
    """A Starlette response with ``rows`` in ``fmt`` (``json`` or ``xml``)."""
    from starlette.responses import Response

    body = to_xml(kind, rows) if fmt == "xml" else json.dumps(
        rows, ensure_ascii=False).encode("utf-8")
    return Response(body, status_code=status, media_type=FORMATS[fmt], headers=headers)


def error(status: int, description: str, fmt: str = "json", *,
          headers: dict[str, str] | None = None):
    """A GeoReport error list with one error."""
    return response("errors", [{"code": status, "description": description}], fmt,
                    status=status, headers=headers)

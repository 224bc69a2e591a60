"""The one way text and data reach an HTML page: escaped, never as template source.

branca and folium compile the string given to ``Element(...)``/``Template(...)`` as a
Jinja2 template, so a report text, name or option placed in it would run (``{{ … }}``
evaluates Python, a stray ``{{"`` breaks the build). Every HTML writer in this project
(the maps, and any printable report to come) therefore builds its pieces here:

- :func:`data_script` puts data on the page as JSON in ``<script
  type="application/json">``, escaped so that no text can end the element; the page
  scripts read it with ``JSON.parse`` and show it with ``textContent``.
- :func:`title`, :func:`meta` and :func:`style` make the few header elements, their text
  HTML-escaped (:func:`escape`).
- :class:`PageScript` renders a script shipped with the package (``maps/*.js``).

Each returns an element whose template is fixed (it only prints one attribute, already
escaped): no string from data is ever template source.

Give no data to folium or branca elements either (a tile layer's attribution, a GeoJSON
layer's properties or name, a popup): ``MacroElement.render`` compiles every element's
rendered script again as a template, so ``{{ … }}`` in a value would run there. Pass it
in the :func:`data_script` and let the page script draw it.
``tests/maps/test_html_safety.py`` fails when a module hands a template anything but a
literal, calls a folium element other than ``folium.Map`` with literal options, or
writes an f-string of HTML with a value not made safe here.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from branca.element import Element, MacroElement
from jinja2 import Template

__all__ = ["PageScript", "check_code", "data_script", "escape", "meta", "script_json", "style",
           "title"]

#: Allowed ``id`` of a data element: a letter, then letters, digits, ``_`` and ``-``.
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
#: Lone UTF-16 surrogates (from badly decoded input): not encodable as UTF-8.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class _Markup(Element):
    """A finished, escaped piece of HTML. Its template is fixed and only prints
    ``this.markup``; the markup is never compiled. Made only by this module."""

    _template = Template("{{ this.markup }}")

    def __init__(self, markup: str) -> None:
        super().__init__()
        self._name = "TryggMarkup"
        self.markup = markup


def escape(text: object) -> str:
    """``text`` as HTML text or attribute value (``&``, ``<``, ``>``, ``"``, ``'`` escaped;
    a lone surrogate, which UTF-8 cannot hold, becomes U+FFFD)."""
    text = _SURROGATE.sub("\ufffd", str(text))
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#x27;"))


def _finite(obj: Any) -> Any:
    """``obj`` with every NaN or infinite float replaced by ``None`` (JSON has neither)."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {key: _finite(value) for key, value in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(value) for value in obj]
    return obj


def script_json(obj: Any) -> str:
    """``obj`` as JSON that is safe inside any ``<script>`` element.

    ``<``, ``>`` and ``&`` are written as ``\\u003c``, ``\\u003e``, ``\\u0026`` (so no text
    can close the element or open a comment), U+2028/U+2029 and lone surrogates as
    ``\\uXXXX`` escapes; NaN and infinities become ``null``. ``JSON.parse`` gives back
    exactly the original strings.
    """
    try:
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError:  # a NaN or infinity somewhere: JSON has no such number
        text = json.dumps(_finite(obj), ensure_ascii=False, separators=(",", ":"),
                          allow_nan=False)
    text = (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def data_script(element_id: str, obj: Any) -> Element:
    """``<script type="application/json" id="element_id">`` holding ``obj`` as JSON.

    Parameters
    ----------
    element_id
        The element's id (a letter, then letters, digits, ``_``, ``-``).
    obj
        Anything :func:`json.dumps` takes.

    Returns
    -------
    branca.element.Element
        To add to a page, e.g. ``m.get_root().html.add_child(...)``.
    """
    if not _ID.match(element_id):
        raise ValueError(f"not a safe element id: {element_id!r}")
    return _Markup(f'<script type="application/json" id="{escape(element_id)}">'
                   f"{script_json(obj)}</script>")


def title(text: str) -> Element:
    """``<title>`` with ``text`` escaped."""
    return _Markup(f"<title>{escape(text)}</title>")


def meta(name: str, content: str) -> Element:
    """``<meta name=… content=…>`` with both values escaped."""
    return _Markup(f'<meta name="{escape(name)}" content="{escape(content)}">')


def check_code(code: str, element: str) -> str:
    """``code`` unchanged if it cannot end its ``element`` early, else ValueError."""
    closing = "</" + element
    if closing in code.lower() or "<!--" in code:
        raise ValueError("code for a " + element + " element must not hold "
                         + repr(closing) + " or '<!--'")
    return code


def style(css: str) -> Element:
    """``<style>`` holding ``css`` (the package's own style sheets, not data)."""
    return _Markup(f"<style>{check_code(css, 'style')}</style>")


class PageScript(MacroElement):
    """A script shipped with the package, put in the page's script section after the
    map and its layers (where folium's own scripts go).

    Not rendered through a template: branca's ``MacroElement.render`` wraps each
    rendered macro in ``Element(...)``, which compiles it once more as a Jinja2
    template (so even a value folium wrote with ``tojson`` becomes template source
    there). This element adds its code as finished markup instead.

    Parameters
    ----------
    code
        The JavaScript source (e.g. ``maps/reports.js``); it must not hold
        ``</script`` or ``<!--``. Data goes in a :func:`data_script`, never here.
    name
        Name of the element in the page tree.
    """

    def __init__(self, code: str, name: str = "TryggScript") -> None:
        super().__init__()
        self._name = name
        self.code = check_code(code, "script")

    def render(self, **kwargs: Any) -> None:
        """Append the code to the page's script section (at render time, so after the
        scripts of the map and of the layers added before this element)."""
        self.get_root().script.add_child(_Markup(self.code), name=self.get_name())

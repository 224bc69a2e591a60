"""Printable documents (A4, offline): the camera basis, and the reports to come.

A document is data: a title, banners and a list of blocks (headings, paragraphs,
tables, bar and weekday×hour charts, a small map, a checklist, empty fields to fill
in by hand). :func:`render_document` writes one self-contained HTML page: a fixed
shell, ``document.css``, the document as JSON in a :func:`maps.html.data_script`
element and ``document.js``, which builds the page with ``textContent`` and SVG
(nothing from the data is ever markup or template source). Numbers and dates are
formatted in Python (:mod:`geo.text`) before they go in.

Blocks (one key says what the block is)::

    {"h": "Rubrik"}                               heading (level 2; {"h3": …} level 3)
    {"p": "Text"}                                 paragraph ({"note": …} a framed note)
    {"table": {"columns": [...], "rows": [[...]], "align": "lrr", "caption": ""}}
    {"bars": {"labels": [...], "values": [...], "texts": [...], "caption": ""}}
    {"heat": {"rows": [...], "cols": [...], "values": [[...]], "caption": ""}}
    {"map": {"layers": [{"geojson": {...}, "style": {...}, "label": ""}],
             "bbox": [x0, y0, x1, y1], "caption": ""}}   (projected metres; scale bar
                                                   and north arrow drawn)
    {"map": {"layers": [{…, "text": "stop"}], …}} a layer's ``text`` names a property
                                                   drawn as a label on its points (e.g.
                                                   the numbers of a route's stops)
    {"checklist": [{"text": "", "help": ""}]}    items with a box and a line for notes
                                                   (``"line": false``: box and text only)
    {"fields": ["Beslut", "Datum", ...]}          empty lines to fill in (an item may be
                                                   ``{"label": …, "lines": 4}``: more room)
    {"choices": [{"label": "", "options": []}]}  a row of options to tick, per label
    {"boxes": {"rows": [...], "cols": ["0", "1"], "caption": ""}}  a grid of boxes to
                                                   tick (e.g. a score per row)
    {"pagebreak": true}
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from trygg.geo import text
from trygg.maps.html import check_code, escape, script_json
from trygg.maps.page import package_text, write_html

__all__ = ["BLOCKS", "render_document", "write_document"]

#: The block kinds :mod:`document.js` draws.
BLOCKS = ("h", "h3", "p", "note", "table", "bars", "heat", "map", "checklist", "fields",
          "choices", "boxes", "pagebreak")


def _check(blocks: list[dict[str, Any]]) -> None:
    for i, block in enumerate(blocks):
        kinds = [k for k in block if k in BLOCKS]
        if len(kinds) != 1:
            raise ValueError(f"block {i} must have exactly one of {BLOCKS}: {sorted(block)}")


def render_document(title: str, blocks: list[dict[str, Any]], *, lang: str = "sv",
                    subtitle: str = "", banners: list[dict[str, str]] | None = None,
                    footer: str = "") -> str:
    """One printable, self-contained HTML page.

    Parameters
    ----------
    title, subtitle
        The document's title (also the page title) and the line under it.
    blocks
        The content (see the module docstring).
    lang
        ``sv`` (default) or ``en``: the page's ``lang`` attribute.
    banners
        ``[{"text": …, "kind": "synthetic"|"intern"|"publik"}]`` shown at the top of
        every printed page.
    footer
        A line at the foot of the document (e.g. what made it, and when).

    Returns
    -------
    str
        The HTML page.
    """
    _check(blocks)
    doc = {"title": title, "subtitle": subtitle, "banners": banners or [], "blocks": blocks,
           "footer": footer, "lang": text.lang_of(lang)}
    return ("<!DOCTYPE html>\n"
            f'<html lang="{escape(text.lang_of(lang))}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n"
            f"<style>{check_code(package_text('document.css'), 'style')}</style>\n"
            "</head>\n<body>\n"
            '<main id="trygg-document"></main>\n'
            f'<script type="application/json" id="trygg-doc">{script_json(doc)}</script>\n'
            f"<script>{check_code(package_text('document.js'), 'script')}</script>\n"
            "</body>\n</html>\n")


def write_document(out: str | Path, title: str, blocks: list[dict[str, Any]],
                   **options: Any) -> Path:
    """:func:`render_document` written atomically to ``out``."""
    return write_html(render_document(title, blocks, **options), out)

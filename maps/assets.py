"""Offline assets: Leaflet and its plugins inlined into the HTML file.

The JavaScript and CSS come from PyPI packages (xstatic-leaflet,
xstatic-leaflet-markercluster), so a map needs no network when opened. Any
``<script src>`` or stylesheet ``<link>`` that is not one of these files makes
:func:`inline_assets` fail rather than write a map that silently needs the
internet.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from pathlib import Path

import xstatic.pkg.leaflet as xs_leaflet
import xstatic.pkg.leaflet_markercluster as xs_cluster

#: File name → path of every asset a map may use.
ASSETS: dict[str, Path] = {
    "leaflet.js": Path(xs_leaflet.BASE_DIR) / "leaflet.js",
    "leaflet.css": Path(xs_leaflet.BASE_DIR) / "leaflet.css",
    "leaflet.markercluster.js": Path(xs_cluster.BASE_DIR) / "leaflet.markercluster.js",
    "MarkerCluster.css": Path(xs_cluster.BASE_DIR) / "MarkerCluster.css",
    "MarkerCluster.Default.css": Path(xs_cluster.BASE_DIR) / "MarkerCluster.Default.css",
}
#: Versions, shown in the map's footer so a map file says what it carries.
VERSIONS = {"Leaflet": xs_leaflet.VERSION, "Leaflet.markercluster": xs_cluster.VERSION}

_SCRIPT = re.compile(r'<script\s+src="([^"]+)"\s*>\s*</script>')
_LINK = re.compile(r'<link\s+rel="stylesheet"\s+href="([^"]+)"\s*/?>')
_CSS_URL = re.compile(r"url\((['\"]?)(images/[^)'\"]+)\1\)")


class OfflineError(RuntimeError):
    """The map would load something from the network."""


@cache
def asset_text(name: str) -> str:
    """The text of asset ``name``; CSS images are embedded as data URIs."""
    path = ASSETS[name]
    text = path.read_text("utf-8")
    if name.endswith(".css"):
        def embed(match: re.Match) -> str:
            image = path.parent / match.group(2)
            data = base64.b64encode(image.read_bytes()).decode("ascii")
            return f"url(data:image/png;base64,{data})"
        text = _CSS_URL.sub(embed, text)
    # A literal "</script" inside inlined code would end the element early.
    return text.replace("</script", "<\\/script")


def _asset_for(url: str) -> str:
    name = url.rsplit("/", 1)[-1].split("?", 1)[0]
    if name.endswith(".min.js"):
        name = name[:-7] + ".js"
    if name not in ASSETS:
        raise OfflineError(f"No offline copy of {url}; add it to maps.assets.ASSETS.")
    return name


def inline_assets(html: str) -> str:
    """Replace every external script and stylesheet by its inlined copy.

    Raises
    ------
    OfflineError
        When the page refers to a script or stylesheet we hold no copy of.
    """
    html = _SCRIPT.sub(lambda m: f"<script>{asset_text(_asset_for(m.group(1)))}</script>", html)
    html = _LINK.sub(lambda m: f"<style>{asset_text(_asset_for(m.group(1)))}</style>", html)
    return html

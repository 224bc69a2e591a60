"""GPX waypoints as text rows, one per ``<wpt>``, with the line each starts on.

GDAL's GPX driver drops a waypoint without ``lat``/``lon`` without a word,
keeps ``lat="959.7"`` or ``lat="nan"`` as a point, and drops every waypoint
of a file whose extensions hold too many fields. This reader streams the XML
with expat (no recursion, so any nesting depth is fine; one waypoint in memory
at a time) and accounts for every ``<wpt>``: a missing, unreadable or
out-of-range position becomes a row problem (``missing_coordinates``,
``bad_coordinates``) and so a reject. GPX 1.0, 1.1 and files without a
namespace are read. A document type declaration (``<!DOCTYPE``, entities) is
refused: GPX has none, and entities are how XML files blow up.
"""

from __future__ import annotations

import math
from pathlib import Path
from xml.parsers import expat

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import Point

from trygg.geo.errors import InputFileError

#: Most distinct extension fields kept per file (more are left out, with a note).
MAX_EXTENSION_FIELDS = 100
_CHUNK = 1 << 20
#: Waypoint fields every table read from GPX has, as GDAL's GPX driver gives them.
STANDARD_FIELDS = ("ele", "time", "name", "cmt", "desc", "src", "sym", "type")


class _RefusedError(Exception):
    pass


def _local(name: str) -> str:
    """Element name without namespace (expat gives ``uri name`` with a separator)."""
    return name.rsplit(" ", 1)[-1].rsplit(":", 1)[-1]


def read_gpx(path: Path, *, max_rows: int, max_bytes: int):
    """Read the waypoints of a GPX file.

    Parameters
    ----------
    path
        The ``.gpx`` file.
    max_rows
        Most waypoints; more is refused while reading.
    max_bytes
        Largest file size, bytes.

    Returns
    -------
    RawTable
        Columns: the waypoint's child elements by name (``name``, ``desc``,
        ``cmt``, ``time``, ``type``, ``sym``, ``ele`` …), ``link_href`` and
        leaf elements of ``extensions``; geometry in EPSG:4326 (``None`` where
        the position is a problem); lines are the line of each ``<wpt``.

    Raises
    ------
    InputFileError
        When the file is not well-formed XML, has a DOCTYPE, or is over a limit.
    """
    from trygg.layers.sources.readers import RawTable, size_mb, too_many_rows

    size = path.stat().st_size
    if size > max_bytes:
        raise InputFileError(
            f"'{path.name}' är {size_mb(size, 'sv')} MB, mer än gränsen {size_mb(max_bytes, 'sv')} "
            "MB för en GPX-fil. Dela filen, eller höj gränsen med --max-rows.",
            f"'{path.name}' is {size_mb(size, 'en')} MB, more than the limit of "
            f"{size_mb(max_bytes, 'en')} MB for a GPX file. Split the file, or raise the limit "
            "with --max-rows.")
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    rows: list[dict[str, str]] = []
    lines: list[int] = []
    points: list[object] = []
    problems: list[str | None] = []
    reasons: list[str | None] = []
    extension_fields: set[str] = set()
    dropped: set[str] = set()
    state = {"depth": 0, "wpt": None, "attrs": None, "path": [], "text": [], "line": 0}

    def refuse(*_args) -> None:
        raise _RefusedError

    def start(name: str, attrs: dict[str, str]) -> None:
        state["depth"] += 1
        local = _local(name)
        if state["wpt"] is None:
            if local == "wpt" and state["depth"] == 2:
                if len(rows) >= max_rows:
                    raise too_many_rows(path.name, len(rows) + 1, max_rows, at_least=True)
                state["wpt"] = {}
                state["attrs"] = attrs
                state["line"] = parser.CurrentLineNumber
                state["path"] = []
            return
        state["path"].append(local)
        state["text"].append([])
        if local == "link" and len(state["path"]) == 1 and "href" in attrs:
            state["wpt"]["link_href"] = attrs["href"].strip()

    def text(data: str) -> None:
        if state["wpt"] is not None and state["text"]:
            state["text"][-1].append(data)

    def end(name: str) -> None:
        state["depth"] -= 1
        wpt = state["wpt"]
        if wpt is None:
            return
        if not state["path"]:  # the </wpt>
            _finish(wpt, state["attrs"], state["line"])
            state["wpt"] = None
            return
        trail = state["path"]
        value = "".join(state["text"].pop()).strip()
        local = trail.pop()
        if not value:
            return
        if len(trail) == 0:
            wpt.setdefault(local, value)
        elif trail == ["link"] and local == "text":
            wpt.setdefault("link_text", value)
        elif trail[0] == "extensions":
            key = local if local not in wpt else f"extensions_{local}"
            if key not in extension_fields and len(extension_fields) >= MAX_EXTENSION_FIELDS:
                dropped.add(key)
                return
            extension_fields.add(key)
            wpt.setdefault(key, value)

    def _finish(wpt: dict[str, str], attrs: dict[str, str], line: int) -> None:
        rows.append(wpt)
        lines.append(line)
        lat_text, lon_text = attrs.get("lat"), attrs.get("lon")
        if lat_text is None or lon_text is None or not (lat_text.strip() and lon_text.strip()):
            points.append(None)
            problems.append("wpt utan lat/lon")
            reasons.append("missing_coordinates")
            return
        try:
            lat, lon = float(lat_text), float(lon_text)
        except ValueError:
            lat = lon = math.nan
        if not (math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90
                and abs(lon) <= 180):
            points.append(None)
            problems.append(f"lat='{lat_text[:40]}', lon='{lon_text[:40]}'")
            reasons.append("bad_coordinates")
            return
        points.append(Point(lon, lat))
        problems.append(None)
        reasons.append(None)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except InputFileError:
        raise
    except _RefusedError:
        raise InputFileError(
            f"'{path.name}' har en DOCTYPE-deklaration; en GPX-fil har ingen. Spara filen på "
            "nytt från GPS-appen.",
            f"'{path.name}' has a DOCTYPE declaration; a GPX file has none. Save the file "
            "again from the GPS app.") from None
    except expat.ExpatError as exc:
        raise InputFileError(
            f"'{path.name}' är inte giltig GPX (XML-fel: {expat.ErrorString(exc.code)}, rad "
            f"{exc.lineno}, kolumn {exc.offset + 1}).",
            f"'{path.name}' is not valid GPX (XML error: {expat.ErrorString(exc.code)}, line "
            f"{exc.lineno}, column {exc.offset + 1}).") from None
    except OSError as exc:
        raise InputFileError(f"Kan inte läsa '{path}': {exc.strerror}.",
                             f"Cannot read '{path}': {exc.strerror}.") from None
    frame = pd.DataFrame(rows, dtype=object).fillna("")
    for name in STANDARD_FIELDS:  # the same columns whatever the waypoints hold
        if name not in frame:
            frame[name] = ""
    frame.index = pd.RangeIndex(len(rows))
    table = RawTable(path, frame, np.asarray(lines, dtype="int64"),
                     problems=np.asarray(problems, dtype=object),
                     reasons=np.asarray(reasons, dtype=object),
                     geometry=gpd.GeoSeries(points, crs="EPSG:4326"), crs="EPSG:4326")
    if dropped:
        table.note(f"{len(dropped)} fält i <extensions> lämnades bort (fler än "
                   f"{MAX_EXTENSION_FIELDS}).",
                   f"{len(dropped)} fields of <extensions> were left out (more than "
                   f"{MAX_EXTENSION_FIELDS}).")
    return table

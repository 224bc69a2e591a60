"""A project whose every user-controlled text is a template or script payload.

Used by tests/maps/test_html_safety.py and tests/browser/test_hostile_map.py: the maps
built from it must show each payload literally and run none of them.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import geopandas as gpd
import numpy as np
from shapely.geometry import Point

#: Template and script payloads, each ending up in every text field of the project.
TEMPLATE_PAYLOADS = (
    "SSTI-{{ 7*7 }}-END",
    "{% if true %}X{% endif %}",
    "{{\"",
)
SCRIPT_PAYLOADS = (
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\"'\u2028\u2029-END",  # inside the text: readers strip surrounding space
)
#: Centre of the first cluster of reports (SWEREF 99 TM, metres); one cluster per payload.
X0, Y0, STEP = 621_000.0, 6_655_000.0, 2_000.0
#: Reports per payload cluster in the table file (enough for a hotspot area).
PER_CLUSTER = 8


def payloads(marker: Path) -> tuple[str, ...]:
    """Every payload; the shell one would create ``marker`` if it ever ran."""
    shell = ("{{ cycler.__init__.__globals__.os.popen('touch " + str(marker)
             + "').read() }}")
    return (*TEMPLATE_PAYLOADS, shell, *SCRIPT_PAYLOADS)


def _centre(i: int) -> tuple[float, float]:
    return X0 + STEP * i, Y0


def _table(path: Path, texts: tuple[str, ...]) -> Path:
    rows = [["Ärende-ID", "Källa", "Datum", "Kategori", "Beskrivning", "Plats", "Synlighet",
             "X", "Y"]]
    for i, text in enumerate(texts):
        x, y = _centre(i)
        for j in range(PER_CLUSTER):
            rows.append([f"{text}#{i}-{j}", "tycktill", f"2025-03-{10 + j:02d} 21:{j:02d}",
                         "Klotter", text, text, "publik", f"{x + 7 * j:.1f}",
                         f"{y + 5 * (j % 3):.1f}"])
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";").writerows(rows)
    return path


def _open311(path: Path, texts: tuple[str, ...]) -> Path:
    import pyproj

    to_wgs = pyproj.Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)
    requests = []
    for i, text in enumerate(texts):
        lon, lat = to_wgs.transform(*_centre(i))
        requests.append({"service_request_id": text, "service_name": text,
                         "description": text, "address": text, "status": "open",
                         "requested_datetime": "2025-04-01T20:15:00+02:00",
                         "lat": round(lat + 0.0001, 6), "long": round(lon, 6)})
    path.write_text(json.dumps(requests, ensure_ascii=False), "utf-8")
    return path


def _gpx(path: Path, texts: tuple[str, ...]) -> Path:
    import pyproj

    to_wgs = pyproj.Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)
    points = []
    for i, text in enumerate(texts):
        lon, lat = to_wgs.transform(*_centre(i))
        points.append(f'  <wpt lat={quoteattr(f"{lat - 0.0001:.6f}")} '
                      f'lon={quoteattr(f"{lon:.6f}")}>\n'
                      f"    <time>2025-10-14T16:{i:02d}:00Z</time>\n"
                      f"    <name>{escape(text)}</name>\n    <desc>{escape(text)}</desc>\n"
                      f"    <type>{escape(text)}</type>\n  </wpt>\n")
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" '
                    'creator="test" xmlns="http://www.topografix.com/GPX/1/1">\n'
                    + "".join(points) + "</gpx>\n", "utf-8")
    return path


def place_name(i: int, text: str) -> str:
    """The gazetteer name of place ``i`` (a bare ``{{"`` would normalise to an empty key)."""
    return f"Plats {i} {text}"


def _gazetteer(path: Path, texts: tuple[str, ...]) -> Path:
    places = gpd.GeoDataFrame({"name": [place_name(i, t) for i, t in enumerate(texts)]},
                              geometry=[Point(_centre(i)) for i in range(len(texts))],
                              crs="EPSG:3006")
    places.to_file(path, engine="pyogrio")
    return path


def street_name(i: int, text: str) -> str:
    """The name of street ``i`` (beside place ``i``), with payload ``text`` in it."""
    return f"Gata {i} {text}"


def _streets(path: Path, texts: tuple[str, ...]) -> Path:
    """A street line 400 m north of each cluster, named after its payload; the file's
    layer is ``gator`` (a map draws it as streets and names them along the line)."""
    from shapely.geometry import LineString

    lines = [LineString([(x - 300, y + 400), (x + 300, y + 450)])
             for x, y in (_centre(i) for i in range(len(texts)))]
    gpd.GeoDataFrame({"namn": [street_name(i, t) for i, t in enumerate(texts)]},
                     geometry=lines, crs="EPSG:3006").to_file(path, layer="gator",
                                                              engine="pyogrio")
    return path


def background_files(folder: Path, texts: tuple[str, ...]) -> list[Path]:
    """One GeoJSON polygon file per payload, the payload as its layer name (GDAL takes
    a FeatureCollection's ``name`` member as the layer name)."""
    import pyproj
    from shapely import transform
    from shapely.geometry import mapping

    to_wgs = pyproj.Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)
    paths = []
    for i, text in enumerate(texts):
        ring = transform(Point(_centre(i)).buffer(300),
                         lambda xy: np.column_stack(to_wgs.transform(xy[:, 0], xy[:, 1])))
        path = folder / f"bakgrund_{i}.geojson"
        path.write_text(json.dumps({"type": "FeatureCollection", "name": text, "features": [
            {"type": "Feature", "properties": {"namn": text},
             "geometry": mapping(ring)}]}, ensure_ascii=False), "utf-8")
        paths.append(path)
    return paths


def build_hostile_project(folder: Path) -> dict:
    """The project and its files; returns paths, the payloads and the run id.

    ``streets`` is a file of hostile street names (layer ``gator``), also in the
    gazetteer."""
    from trygg.layers.geocoding import add_to_gazetteer
    from trygg.layers.hotspots.runs import run_hotspots
    from trygg.layers.ingest import ingest_file
    from trygg.layers.store import create_project

    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / "PWNED"
    texts = payloads(marker)
    everything = " ".join(texts)
    store = create_project(folder / "fientlig.gpkg", name=everything,
                           area=(600_000, 6_600_000, 700_000, 6_700_000))
    add_to_gazetteer(store, _gazetteer(folder / "orter.gpkg", texts))
    streets = _streets(folder / "gator.gpkg", texts)
    add_to_gazetteer(store, streets, kind="streets")
    summaries = [
        ingest_file(store, _table(folder / "tabell.csv", texts)),
        ingest_file(store, _open311(folder / "open311.json", texts), source="open311"),
        ingest_file(store, _gpx(folder / "rond.gpx", texts), source="walk"),
    ]
    run = run_hotspots(store, "clusters", name="{{ 7*7 }} klustren")
    return {"store": store, "marker": marker, "payloads": texts, "everything": everything,
            "background": background_files(folder, texts), "streets": streets,
            "summaries": summaries, "run": run, "folder": folder}

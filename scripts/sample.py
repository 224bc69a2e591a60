"""Deterministic generator for the SYNTHETIC demo municipality "Exempelby kommun".

Exempelby kommun does not exist. Every town, street, address, building,
camera candidate and report produced here is invented; nothing describes real
persons or places. The data is used for the demo and the test-suite.

All geometries are in EPSG:3006 (SWEREF 99 TM), coordinates in metres.
Randomness comes only from ``numpy.random.default_rng(seed)`` so the same seed
always yields identical files (same rows, same values, same order).

Usage
-----
``python -m trygg.sample OUT_DIR [--seed 2026]``
"""

from __future__ import annotations

import argparse
import csv
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon

CRS = "EPSG:3006"
KOMMUN_NAMN = "Exempelby kommun (syntetisk)"
KOMMUNKOD = "9999"
DEFAULT_SEED = 2026

GPKG_NAME = "kommun.gpkg"
CSV_NAME = "rapporter.csv"
README_NAME = "LASMIG.txt"

LAYERS = (
    "kommun",
    "tatorter",
    "gator",
    "adresser",
    "platser",
    "byggnader",
    "kamerakandidater",
    "detaljplan",
)

CSV_HEADER = [
    "Ärende-ID",
    "Källa",
    "Datum",
    "Kategori",
    "Beskrivning",
    "Plats",
    "Organisation",
    "Status",
    "X",
    "Y",
]

# Minimum distance (m) between a building and any street/footpath centre line.
STREET_CLEARANCE_M = 4.5
# Minimum gap (m) between two buildings.
BUILDING_GAP_M = 1.5
# Offset (m) of an address point from the street centre line.
ADDRESS_OFFSET_M = 4.0


# ---------------------------------------------------------------------------
# Towns and local layouts
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Town:
    """A town with a local, rotated coordinate frame.

    Local coordinates are metres east/north of ``(cx, cy)`` before rotating
    the town layout by ``rot_deg`` degrees counter-clockwise. ``cx``/``cy``
    are EPSG:3006 easting/northing in metres.
    """

    name: str
    cx: float
    cy: float
    rot_deg: float
    invanare: int
    postnummer: str
    report_share: float


TOWNS: dict[str, _Town] = {
    "Strandvik": _Town("Strandvik", 620000.0, 6657000.0, 12.0, 14200, "999 31", 0.76),
    "Björkås": _Town("Björkås", 608000.0, 6665500.0, -20.0, 3100, "999 50", 0.17),
    "Lillmora": _Town("Lillmora", 632000.0, 6648000.0, 5.0, 1250, "999 60", 0.07),
}

# Irregular municipality outline, EPSG:3006 metres.
_KOMMUN_OUTLINE = [
    (601500, 6642000), (612000, 6640800), (626000, 6641500), (638500, 6643000),
    (639200, 6656000), (637000, 6667000), (628000, 6674000), (614000, 6674200),
    (603000, 6670000), (600600, 6658000),
]

# Grid streets: (position, name, span_from, span_to) in local metres.
_STRANDVIK_NS = [
    (-1400, "Björkvägen", -800, 550), (-1100, "Granvägen", -1100, 1100),
    (-800, "Skolvägen", -1400, 1100), (-550, "Parkvägen", -1400, 1400),
    (-300, "Kyrkogatan", -1400, 1400), (-100, "Torggatan", -550, 550),
    (100, "Stationsgatan", -550, 800), (300, "Drottninggatan", -1100, 1100),
    (550, "Industrigatan", -1400, 1400), (800, "Verkstadsgatan", -1400, 800),
    (1100, "Tallvägen", -1100, 1100), (1400, "Östra vägen", -800, 800),
]
_STRANDVIK_EW = [
    (-1400, "Sjövägen", -800, 800), (-1100, "Strandvägen", -1100, 1100),
    (-800, "Åvägen", -1400, 1400), (-550, "Bruksgatan", -1100, 1400),
    (-300, "Järnvägsgatan", -1100, 1100), (-100, "Kungsgatan", -800, 800),
    (100, "Storgatan", -1400, 1400), (300, "Nygatan", -1100, 1100),
    (550, "Ängsvägen", -1400, 1400), (800, "Lärkvägen", -1100, 1400),
    (1100, "Ekvägen", -1100, 1100), (1400, "Norra vägen", -550, 550),
]
_STRANDVIK_OTHER = [
    ("Ringvägen", "gata", [(-1400, 550), (-1300, 900), (-1100, 1250), (-550, 1400)]),
    ("Fabriksvägen", "gata", [(550, -1400), (1400, -550)]),
    ("Bangatan", "gata", [(-100, -300), (-550, -800)]),
    ("Parkstigen", "gangvag", [(-550, -100), (-300, 100)]),
    ("Lindallén", "gangvag", [(-550, 100), (-300, -100)]),
    ("Åstigen", "gangvag", [(-800, -800), (-550, -550)]),
    ("Strandpromenaden", "gangvag",
     [(-800, -1400), (-500, -1470), (-200, -1500), (100, -1470), (300, -1400)]),
]
_BJORKAS_NS = [
    (-600, "Björkvägen", -500, 250), (-300, "Backvägen", -500, 500),
    (0, "Mittgatan", -500, 500), (300, "Bruksvägen", -500, 500),
    (600, "Lindvägen", -500, 250),
]
_BJORKAS_EW = [
    (-500, "Åvägen", -600, 600), (-250, "Skolvägen", -600, 600),
    (0, "Storvägen", -750, 750), (250, "Kyrkvägen", -600, 600),
    (500, "Ängsvägen", -300, 300),
]
_BJORKAS_OTHER = [
    ("Skolstigen", "gangvag", [(-300, -375), (0, -375)]),
    ("Parkgången", "gangvag", [(-600, 0), (-300, 250)]),
]
_LILLMORA_NS = [
    (-250, "Kvarnvägen", -300, 300), (0, "Skolvägen", -300, 300),
    (250, "Sjövägen", -300, 420),
]
_LILLMORA_EW = [
    (250, "Ängsvägen", -250, 250), (-250, "Smedvägen", -250, 250),
]
_LILLMORA_OTHER = [
    ("Byvägen", "gata", [(-500, -100), (-200, -20), (0, 0), (250, 40), (500, 100)]),
]

_LAYOUTS = {
    "Strandvik": (_STRANDVIK_NS, _STRANDVIK_EW, _STRANDVIK_OTHER),
    "Björkås": (_BJORKAS_NS, _BJORKAS_EW, _BJORKAS_OTHER),
    "Lillmora": (_LILLMORA_NS, _LILLMORA_EW, _LILLMORA_OTHER),
}

# Country roads: (name, (town, local start), (town, local end) or global end).
_COUNTRY_ROADS = [
    ("Länsväg 280", ("Strandvik", (-1400, 100)), ("Björkås", (750, 0))),
    ("Länsväg 280", ("Björkås", (-750, 0)), (None, (604000.0, 6668000.0))),
    ("Länsväg 640", ("Strandvik", (1400, 100)), ("Lillmora", (-500, -100))),
    ("Länsväg 640", ("Lillmora", (500, 100)), (None, (637500.0, 6649500.0))),
]

# Named places. zone = local rectangle (x0, x1, y0, y1) kept free from
# generated buildings; bygg = landmark buildings (local rectangles).
_PLACES = [
    # --- Strandvik -------------------------------------------------------
    dict(namn="Busstationen", typ="busstation", ort="Strandvik", xy=(200, -200),
         alias="Busstationen;Bussterminalen;Resecentrum", vid="vid busstationen",
         zone=(115, 285, -285, -115), bygg=[(170, 230, -150, -128)], byggtyp="ovrigt"),
    dict(namn="Stationen", typ="station", ort="Strandvik", xy=(200, -325),
         alias="Stationen;Järnvägsstationen;Strandviks station", vid="vid stationen",
         zone=(115, 285, -400, -312), bygg=[(175, 225, -370, -340)], byggtyp="ovrigt"),
    dict(namn="Torget", typ="torg", ort="Strandvik", xy=(0, 0),
         alias="Torget;Stortorget;Torget i Strandvik", vid="på Torget",
         zone=(-85, 85, -85, 85), bygg=[], byggtyp=None),
    dict(namn="Strandviks centrum", typ="centrum", ort="Strandvik", xy=(0, 100),
         alias="Strandviks centrum;Centrum;Centrum Strandvik", vid="i centrum",
         zone=None, bygg=[], byggtyp=None),
    dict(namn="Societetsparken", typ="park", ort="Strandvik", xy=(-425, 0),
         alias="Societetsparken;Parken;Societeten", vid="i Societetsparken",
         zone=(-535, -315, -85, 85), bygg=[], byggtyp=None),
    dict(namn="Fritidsgården Oasen", typ="fritidsgard", ort="Strandvik", xy=(-200, -215),
         alias="Fritidsgården Oasen;Fritidsgården;Oasen", vid="vid fritidsgården",
         zone=(-280, -120, -280, -170), bygg=[(-225, -175, -265, -240)], byggtyp="ovrigt"),
    dict(namn="Pendlarparkeringen", typ="parkering", ort="Strandvik", xy=(425, -425),
         alias="Pendlarparkeringen;Infartsparkeringen;P-platsen vid stationen",
         vid="på pendlarparkeringen", zone=(315, 535, -535, -315), bygg=[], byggtyp=None),
    dict(namn="Strandvallen", typ="idrottsplats", ort="Strandvik", xy=(-675, 675),
         alias="Strandvallen;Idrottsplatsen;IP", vid="vid Strandvallen",
         zone=(-785, -565, 565, 785), bygg=[], byggtyp=None),
    dict(namn="Strandviksskolan", typ="skola", ort="Strandvik", xy=(-425, 400),
         alias="Strandviksskolan;Centralskolan", vid="vid Strandviksskolan",
         zone=(-535, -315, 315, 535),
         bygg=[(-490, -435, 480, 505), (-415, -360, 480, 505)], byggtyp="skola"),
    dict(namn="Biblioteket", typ="bibliotek", ort="Strandvik", xy=(-200, 170),
         alias="Biblioteket;Stadsbiblioteket", vid="vid biblioteket",
         zone=(-260, -140, 140, 240), bygg=[(-230, -170, 195, 230)], byggtyp="ovrigt"),
    dict(namn="Vårdcentralen Strandvik", typ="vardcentral", ort="Strandvik", xy=(400, 180),
         alias="Vårdcentralen Strandvik;Vårdcentralen;VC Strandvik", vid="vid vårdcentralen",
         zone=(340, 460, 140, 260), bygg=[(370, 430, 205, 240)], byggtyp="ovrigt"),
    dict(namn="Gallerian", typ="handel", ort="Strandvik", xy=(200, -30),
         alias="Gallerian;Köpcentrum;Gallerian Strandvik", vid="vid Gallerian",
         zone=(115, 285, -85, 85), bygg=[(170, 230, 10, 60)], byggtyp="handel"),
    dict(namn="Strandbadet", typ="badplats", ort="Strandvik", xy=(-200, -1480),
         alias="Strandbadet;Badplatsen;Badet", vid="vid Strandbadet",
         zone=(-280, -120, -1540, -1415), bygg=[], byggtyp=None),
    dict(namn="Norrskolan", typ="skola", ort="Strandvik", xy=(675, 650),
         alias="Norrskolan;Skolan i norr", vid="vid Norrskolan",
         zone=(565, 785, 565, 785), bygg=[(620, 675, 730, 755)], byggtyp="skola"),
    dict(namn="Torgparkeringen", typ="parkering", ort="Strandvik", xy=(-200, 0),
         alias="Torgparkeringen;P-Torget", vid="på Torgparkeringen",
         zone=(-285, -115, -85, 85), bygg=[], byggtyp=None),
    dict(namn="Handelsområdet Norr", typ="handel", ort="Strandvik", xy=(950, 900),
         alias="Handelsområdet Norr;Köpcentrum Norr", vid="vid Handelsområdet Norr",
         zone=(815, 1085, 815, 1085),
         bygg=[(850, 910, 990, 1040), (990, 1050, 990, 1040)], byggtyp="handel"),
    dict(namn="Åparken", typ="park", ort="Strandvik", xy=(-950, -950),
         alias="Åparken;Parken vid ån", vid="i Åparken",
         zone=(-1085, -815, -1085, -815), bygg=[], byggtyp=None),
    # --- Björkås ----------------------------------------------------------
    dict(namn="Björkås centrum", typ="centrum", ort="Björkås", xy=(150, 60),
         alias="Björkås centrum;Centrum i Björkås;Björkås torg", vid="i Björkås centrum",
         zone=(40, 260, 15, 110), bygg=[], byggtyp=None),
    dict(namn="ICA Björkås", typ="handel", ort="Björkås", xy=(150, 150),
         alias="ICA Björkås;Affären", vid="vid ICA i Björkås",
         zone=(80, 220, 125, 235), bygg=[(120, 180, 175, 215)], byggtyp="handel"),
    dict(namn="Björkåsskolan", typ="skola", ort="Björkås", xy=(-150, -430),
         alias="Björkåsskolan;Björkås skola;Skolan i Björkås", vid="vid Björkåsskolan",
         zone=(-285, -15, -485, -265),
         bygg=[(-260, -205, -335, -310), (-150, -95, -335, -310)], byggtyp="skola"),
    dict(namn="Björkåsparken", typ="park", ort="Björkås", xy=(-450, 125),
         alias="Björkåsparken;Parken i Björkås", vid="i Björkåsparken",
         zone=(-585, -315, 15, 235), bygg=[], byggtyp=None),
    dict(namn="Fritidsgården Björken", typ="fritidsgard", ort="Björkås", xy=(-150, 110),
         alias="Fritidsgården Björken;Björken", vid="vid fritidsgården Björken",
         zone=(-250, -50, 40, 210), bygg=[(-180, -120, 150, 180)], byggtyp="ovrigt"),
    dict(namn="Björkås IP", typ="idrottsplats", ort="Björkås", xy=(450, -375),
         alias="Björkås IP;Björkåsvallen", vid="vid Björkås IP",
         zone=(315, 585, -485, -265), bygg=[], byggtyp=None),
    dict(namn="Björkås busshållplats", typ="busstation", ort="Björkås", xy=(12, -12),
         alias="Björkås busshållplats;Busshållplatsen;Hållplats Björkås centrum",
         vid="vid busshållplatsen i Björkås", zone=None, bygg=[], byggtyp=None),
    # --- Lillmora ---------------------------------------------------------
    dict(namn="Lillmora centrum", typ="centrum", ort="Lillmora", xy=(125, -60),
         alias="Lillmora centrum;Lanthandeln;Centrum Lillmora", vid="i Lillmora centrum",
         zone=(40, 210, -150, -20), bygg=[(100, 150, -140, -100)], byggtyp="handel"),
    dict(namn="Lillmoraskolan", typ="skola", ort="Lillmora", xy=(-125, 110),
         alias="Lillmoraskolan;Skolan i Lillmora", vid="vid Lillmoraskolan",
         zone=(-230, -20, 40, 230), bygg=[(-180, -125, 180, 205)], byggtyp="skola"),
    dict(namn="Lillmorabadet", typ="badplats", ort="Lillmora", xy=(250, 460),
         alias="Lillmorabadet;Badplatsen i Lillmora", vid="vid Lillmorabadet",
         zone=(200, 300, 430, 500), bygg=[], byggtyp=None),
]

# Camera candidates: (name, town, kind, ref). kind "wall": ref = (place,
# building index, side N/S/E/W); kind "pole": ref = local (x, y).
_CAMERAS = [
    ("Busstationen, norra väggen", "Strandvik", "wall", ("Busstationen", 0, "N")),
    ("Busstationen, södra väggen", "Strandvik", "wall", ("Busstationen", 0, "S")),
    ("Busstationen, östra väggen", "Strandvik", "wall", ("Busstationen", 0, "E")),
    ("Busstationen, västra väggen", "Strandvik", "wall", ("Busstationen", 0, "W")),
    ("Stationen, norra väggen", "Strandvik", "wall", ("Stationen", 0, "N")),
    ("Stationen, östra väggen", "Strandvik", "wall", ("Stationen", 0, "E")),
    ("Stationen, västra väggen", "Strandvik", "wall", ("Stationen", 0, "W")),
    ("Torget, nordvästra hörnet", "Strandvik", "pole", (-80, 80)),
    ("Torget, sydöstra hörnet", "Strandvik", "pole", (80, -80)),
    ("Torget, belysningsmast i mitten", "Strandvik", "pole", (3, 3)),
    ("Gallerian, södra väggen", "Strandvik", "wall", ("Gallerian", 0, "S")),
    ("Gallerian, västra väggen", "Strandvik", "wall", ("Gallerian", 0, "W")),
    ("Stolpe Storgatan/Torggatan", "Strandvik", "pole", (-97, 103)),
    ("Stolpe Storgatan/Stationsgatan", "Strandvik", "pole", (103, 103)),
    ("Stolpe Storgatan/Kyrkogatan", "Strandvik", "pole", (-297, 103)),
    ("Stolpe Storgatan/Drottninggatan", "Strandvik", "pole", (303, 103)),
    ("Stolpe Kungsgatan/Torggatan", "Strandvik", "pole", (-97, -97)),
    ("Stolpe Kungsgatan/Stationsgatan", "Strandvik", "pole", (103, -97)),
    ("Stolpe Kungsgatan/Drottninggatan", "Strandvik", "pole", (303, -97)),
    ("Stolpe Järnvägsgatan/Stationsgatan", "Strandvik", "pole", (103, -303)),
    ("Stolpe Järnvägsgatan/Drottninggatan", "Strandvik", "pole", (303, -303)),
    ("Stolpe Järnvägsgatan/Torggatan", "Strandvik", "pole", (-97, -303)),
    ("Stolpe Nygatan/Stationsgatan", "Strandvik", "pole", (103, 303)),
    ("Societetsparken, korsningen Parkstigen/Lindallén", "Strandvik", "pole", (-422, 3)),
    ("Societetsparken, entré Parkvägen", "Strandvik", "pole", (-530, -80)),
    ("Societetsparken, entré Kyrkogatan", "Strandvik", "pole", (-320, 80)),
    ("Fritidsgården Oasen, norra väggen", "Strandvik", "wall", ("Fritidsgården Oasen", 0, "N")),
    ("Fritidsgården Oasen, östra väggen", "Strandvik", "wall", ("Fritidsgården Oasen", 0, "E")),
    ("Pendlarparkeringen, belysningsstolpe väst", "Strandvik", "pole", (330, -425)),
    ("Pendlarparkeringen, belysningsstolpe öst", "Strandvik", "pole", (520, -425)),
    ("Pendlarparkeringen, infarten från Järnvägsgatan", "Strandvik", "pole", (425, -318)),
    ("Biblioteket, södra väggen", "Strandvik", "wall", ("Biblioteket", 0, "S")),
    ("Strandviksskolan, södra väggen", "Strandvik", "wall", ("Strandviksskolan", 0, "S")),
    ("Björkåsskolan, södra väggen västra huset", "Björkås", "wall",
     ("Björkåsskolan", 0, "S")),
    ("Björkåsskolan, södra väggen östra huset", "Björkås", "wall",
     ("Björkåsskolan", 1, "S")),
    ("Björkåsskolan, västra väggen", "Björkås", "wall", ("Björkåsskolan", 0, "W")),
    ("Stolpe vid Skolstigen", "Björkås", "pole", (-150, -372)),
    ("Björkås centrum, stolpe vid Storvägen", "Björkås", "pole", (150, 3)),
    ("Björkås busshållplats, stolpe", "Björkås", "pole", (15, -3)),
    ("Lillmora centrum, Lanthandelns norra vägg", "Lillmora", "wall",
     ("Lillmora centrum", 0, "N")),
]
_EXISTING_CAMERAS = {
    "Busstationen, norra väggen",
    "Stationen, norra väggen",
    "Torget, nordvästra hörnet",
    "Gallerian, södra väggen",
}

_DETALJPLANER = [
    ("DP 2026:3", "Detaljplan för Stationsområdet", "Strandvik", (-150, 450, -400, 0)),
    ("DP 2026:5", "Detaljplan för Björkåsskolan med omgivning", "Björkås",
     (-320, 20, -520, -230)),
]


# ---------------------------------------------------------------------------
# Geometry helpers
# ---------------------------------------------------------------------------


def _to_global(town: _Town, xy) -> np.ndarray:
    """Convert local town coordinates to EPSG:3006.

    Parameters
    ----------
    town : _Town
        Town whose frame the coordinates are given in.
    xy : array_like, shape (n, 2) or (2,)
        Local coordinates in metres.

    Returns
    -------
    numpy.ndarray
        EPSG:3006 easting/northing in metres, same shape as ``xy``.
    """
    pts = np.asarray(xy, dtype=float)
    a = math.radians(town.rot_deg)
    c, s = math.cos(a), math.sin(a)
    x, y = pts[..., 0], pts[..., 1]
    return np.stack([town.cx + c * x - s * y, town.cy + s * x + c * y], axis=-1)


def _to_local(town: _Town, xy) -> np.ndarray:
    """Inverse of :func:`_to_global` (EPSG:3006 metres to local metres)."""
    pts = np.asarray(xy, dtype=float)
    a = math.radians(town.rot_deg)
    c, s = math.cos(a), math.sin(a)
    dx, dy = pts[..., 0] - town.cx, pts[..., 1] - town.cy
    return np.stack([c * dx + s * dy, -s * dx + c * dy], axis=-1)


def _local_rect(town: _Town, rect: tuple[float, float, float, float]) -> Polygon:
    """Rectangle ``(x0, x1, y0, y1)`` in local metres as an EPSG:3006 polygon."""
    x0, x1, y0, y1 = rect
    corners = _to_global(town, [(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
    return Polygon(np.round(corners, 2))


def _oriented_rect(cx: float, cy: float, w: float, h: float, ang: float) -> Polygon:
    """Rectangle of ``w`` x ``h`` metres centred on (cx, cy), rotated ``ang`` radians."""
    c, s = math.cos(ang), math.sin(ang)
    dx = np.array([-w, w, w, -w]) / 2.0
    dy = np.array([-h, -h, h, h]) / 2.0
    xs = cx + c * dx - s * dy
    ys = cy + s * dx + c * dy
    return Polygon(np.round(np.column_stack([xs, ys]), 2))


class _NodeSnapper:
    """Map nearly coincident points (within ``tol`` metres) to one canonical point."""

    def __init__(self, tol: float = 0.05) -> None:
        self.tol = tol
        self.cells: dict[tuple[int, int], list[tuple[float, float]]] = {}

    def __call__(self, p) -> tuple[float, float]:
        x, y = float(p[0]), float(p[1])
        kx, ky = math.floor(x / self.tol), math.floor(y / self.tol)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for q in self.cells.get((kx + dx, ky + dy), ()):
                    if math.hypot(q[0] - x, q[1] - y) < self.tol:
                        return q
        q = (x, y)
        self.cells.setdefault((kx, ky), []).append(q)
        return q


def _split_at(line: LineString, nodes: list, tol: float) -> list[LineString]:
    """Split ``line`` at the given node points (all assumed to lie on it).

    Node coordinates are used verbatim as segment end points so that segments
    of different streets meeting at a node share identical coordinates.
    Output coordinates are rounded to 0.01 m.
    """
    coords = np.asarray(line.coords)
    cum = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(coords, axis=0).T))])
    total = cum[-1]
    start, end = (0.0, tuple(coords[0])), (total, tuple(coords[-1]))
    mids = []
    for q in nodes:
        d = line.project(Point(q))
        if d <= tol:
            start = (0.0, q)
        elif d >= total - tol:
            end = (total, q)
        else:
            mids.append((d, q))
    cuts = [start, *sorted(mids), end]
    segments = []
    for (da, pa), (db, pb) in zip(cuts[:-1], cuts[1:], strict=True):
        if db - da < tol:
            continue
        inner = coords[(cum > da + 1e-6) & (cum < db - 1e-6)]
        pts = np.vstack([np.asarray(pa)[None, :], inner, np.asarray(pb)[None, :]])
        segments.append(LineString(np.round(pts, 2)))
    return segments


def _node_lines(lines: list[LineString], tol: float = 0.01) -> list[tuple[int, LineString]]:
    """Split lines at all mutual intersections and T-junctions.

    Parameters
    ----------
    lines : list of LineString
        Street centre lines in EPSG:3006 metres.
    tol : float
        Distance (m) below which an end point counts as touching another line.

    Returns
    -------
    list of (int, LineString)
        Index of the source line and one noded segment, in source order.
    """
    arr = np.asarray(lines, dtype=object)
    tree = shapely.STRtree(arr)
    ii, jj = tree.query(arr, predicate="dwithin", distance=tol)
    order = np.lexsort((jj, ii))
    snap = _NodeSnapper()
    nodes: list[dict] = [dict() for _ in lines]
    for i, j in zip(ii[order], jj[order], strict=True):
        if i >= j:
            continue
        a, b = lines[i], lines[j]
        pts = list(shapely.get_coordinates(a.intersection(b)))
        pts += [e for e in (a.coords[0], a.coords[-1]) if b.distance(Point(e)) <= tol]
        pts += [e for e in (b.coords[0], b.coords[-1]) if a.distance(Point(e)) <= tol]
        for p in pts:
            q = snap(p)
            nodes[i][q] = None
            nodes[j][q] = None
    out = []
    for k, line in enumerate(lines):
        out.extend((k, seg) for seg in _split_at(line, list(nodes[k]), tol))
    return out


# ---------------------------------------------------------------------------
# Layers
# ---------------------------------------------------------------------------


def _gdf(records: list[dict], geoms: list) -> gpd.GeoDataFrame:
    """Build a GeoDataFrame in EPSG:3006 from attribute dicts and geometries."""
    return gpd.GeoDataFrame(records, geometry=geoms, crs=CRS)


def _build_kommun() -> gpd.GeoDataFrame:
    """Municipality polygon (EPSG:3006), one row, flagged as synthetic."""
    poly = Polygon(_KOMMUN_OUTLINE)
    return _gdf([{"namn": KOMMUN_NAMN, "kommunkod": KOMMUNKOD, "syntetisk": True}], [poly])


def _street_specs() -> list[dict]:
    """Town streets and footpaths as un-noded EPSG:3006 line strings.

    Returns
    -------
    list of dict
        Keys ``namn``, ``ort``, ``typ`` ("gata" or "gangvag") and ``geom``.
    """
    specs = []
    for ort, (ns, ew, other) in _LAYOUTS.items():
        town = TOWNS[ort]
        local = [(n, "gata", [(x, a), (x, b)]) for x, n, a, b in ns]
        local += [(n, "gata", [(a, y), (b, y)]) for y, n, a, b in ew]
        local += other
        for namn, typ, pts in local:
            geom = LineString(_to_global(town, pts))
            specs.append({"namn": namn, "ort": ort, "typ": typ, "geom": geom})
    return specs


def _country_road_specs(rng: np.random.Generator) -> list[dict]:
    """Country roads (typ "landsvag") between towns, gently meandering.

    The first and last vertex coincide exactly with a town street end point so
    the network stays connected. Coordinates in EPSG:3006 metres.
    """
    specs = []
    for namn, (t0, p0), (t1, p1) in _COUNTRY_ROADS:
        a = _to_global(TOWNS[t0], p0)
        b = _to_global(TOWNS[t1], p1) if t1 else np.asarray(p1, dtype=float)
        t = np.linspace(0.0, 1.0, 9)[1:-1]
        d = b - a
        normal = np.array([-d[1], d[0]]) / np.hypot(*d)
        offs = rng.normal(0.0, 220.0, t.size) * np.sin(np.pi * t)
        mid = a + t[:, None] * d + offs[:, None] * normal
        geom = LineString(np.vstack([a, mid, b]))
        specs.append({"namn": namn, "ort": "", "typ": "landsvag", "geom": geom})
    return specs


def _build_gator(specs: list[dict]) -> gpd.GeoDataFrame:
    """Noded street network (EPSG:3006): segments meet at shared end points."""
    noded = _node_lines([s["geom"] for s in specs])
    records = [{k: specs[i][k] for k in ("namn", "ort", "typ")} for i, _ in noded]
    return _gdf(records, [seg for _, seg in noded])


def _build_tatorter(specs: list[dict]) -> gpd.GeoDataFrame:
    """Urban area polygons: hull of each town's streets buffered 100 m (EPSG:3006)."""
    records, geoms = [], []
    for ort, town in TOWNS.items():
        lines = [s["geom"] for s in specs if s["ort"] == ort]
        hull = shapely.MultiLineString(lines).convex_hull.buffer(100.0, quad_segs=4)
        records.append({"namn": ort, "invanare": town.invanare})
        geoms.append(shapely.set_precision(hull, 0.01))
    return _gdf(records, geoms)


def _build_platser() -> gpd.GeoDataFrame:
    """Named places as points (EPSG:3006) with semicolon-separated aliases."""
    records, geoms = [], []
    for p in _PLACES:
        xy = _to_global(TOWNS[p["ort"]], p["xy"])
        records.append({"namn": p["namn"], "typ": p["typ"], "alias": p["alias"], "ort": p["ort"]})
        geoms.append(Point(np.round(xy, 2)))
    return _gdf(records, geoms)


def _building_kind(rng: np.random.Generator, ort: str, lxy: np.ndarray) -> str:
    """Pick a building type from the local position (metres) within the town."""
    x, y = lxy
    if ort == "Strandvik" and x >= 500 and y <= -500:
        kinds, p = ["industri", "ovrigt"], [0.8, 0.2]
    elif ort == "Strandvik" and abs(x) <= 650 and abs(y) <= 650:
        kinds, p = ["flerbostadshus", "handel", "bostad", "ovrigt"], [0.5, 0.2, 0.2, 0.1]
    elif ort == "Björkås" and abs(x) <= 300 and abs(y) <= 250:
        kinds, p = ["flerbostadshus", "handel", "bostad", "ovrigt"], [0.3, 0.1, 0.5, 0.1]
    else:
        kinds, p = ["bostad", "flerbostadshus", "ovrigt"], [0.86, 0.04, 0.10]
    return kinds[min(int(np.searchsorted(np.cumsum(p), rng.random())), len(kinds) - 1)]


# (width along street, depth, setback from street line, height, gap to next), metres
_BUILDING_DIMS = {
    "bostad": ((9, 16), (8, 13), (6, 12), (4.5, 8.0), (8, 26)),
    "flerbostadshus": ((20, 55), (11, 16), (5, 9), (9.0, 22.0), (4, 14)),
    "handel": ((15, 45), (15, 35), (6, 14), (5.0, 10.0), (4, 14)),
    "industri": ((25, 60), (20, 50), (8, 20), (6.0, 14.0), (6, 20)),
    "ovrigt": ((8, 20), (8, 15), (6, 12), (3.0, 8.0), (4, 14)),
    "skola": ((30, 55), (15, 25), (8, 15), (6.0, 11.0), (6, 20)),
}
# Probability that a house plot along a street is left empty (garden, field).
_EMPTY_PLOT_P = 0.42


class _BuildingIndex:
    """Grid hash of accepted building polygons for fast spacing checks."""

    def __init__(self, cell: float = 100.0) -> None:
        self.cell = cell
        self.polys: list[Polygon] = []
        self.grid: dict[tuple[int, int], list[int]] = {}

    def _cells(self, poly: Polygon, pad: float = 0.0):
        x0, y0, x1, y1 = poly.bounds
        x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
        c = self.cell
        for i in range(math.floor(x0 / c), math.floor(x1 / c) + 1):
            for j in range(math.floor(y0 / c), math.floor(y1 / c) + 1):
                yield (i, j)

    def is_free(self, poly: Polygon, gap: float) -> bool:
        near = {k for cell in self._cells(poly, gap) for k in self.grid.get(cell, ())}
        if not near:
            return True
        others = np.asarray([self.polys[k] for k in sorted(near)], dtype=object)
        return not shapely.dwithin(poly, others, gap).any()

    def add(self, poly: Polygon) -> None:
        k = len(self.polys)
        self.polys.append(poly)
        for cell in self._cells(poly):
            self.grid.setdefault(cell, []).append(k)


def _landmark_buildings() -> tuple[list[dict], list[Polygon]]:
    """Buildings belonging to named places (stations, schools, ...), EPSG:3006."""
    records, geoms = [], []
    for p in _PLACES:
        for rect in p["bygg"]:
            records.append({"typ": p["byggtyp"], "hojd": 9.0 if p["byggtyp"] == "skola" else 7.5})
            geoms.append(_local_rect(TOWNS[p["ort"]], rect))
    return records, geoms


def _reserved_zones() -> list[Polygon]:
    """Open areas (parks, squares, car parks, school yards) kept free of buildings."""
    return [_local_rect(TOWNS[p["ort"]], p["zone"]) for p in _PLACES if p["zone"]]


def _frontage(
    line: LineString, along: float, side: int
) -> tuple[float, float, float, float, float]:
    """Point on ``line`` at ``along`` metres with unit normal towards ``side``.

    Returns
    -------
    tuple
        ``(x, y, nx, ny, angle)``: EPSG:3006 point, unit normal (+1 = left of
        the line direction, -1 = right) and street direction in radians.
    """
    p, q = line.interpolate(along - 1.0), line.interpolate(along + 1.0)
    tx, ty = q.x - p.x, q.y - p.y
    tl = math.hypot(tx, ty)
    c = line.interpolate(along)
    return c.x, c.y, -ty / tl * side, tx / tl * side, math.atan2(ty, tx)


class _Plots:
    """Accepted buildings/addresses plus the free-space checks for new ones."""

    def __init__(self, gator: gpd.GeoDataFrame) -> None:
        self.streets = shapely.STRtree(np.asarray(gator.geometry.values, dtype=object))
        self.zones = shapely.STRtree(np.asarray(_reserved_zones(), dtype=object))
        self.b_recs, self.b_geoms = _landmark_buildings()
        self.a_recs: list[dict] = []
        self.a_geoms: list[Point] = []
        self.index = _BuildingIndex()
        for g in self.b_geoms:
            self.index.add(g)

    def is_free(self, poly: Polygon) -> bool:
        """True if ``poly`` keeps clear of streets, open areas and other buildings."""
        return (
            self.streets.query(poly, predicate="dwithin", distance=STREET_CLEARANCE_M).size == 0
            and self.zones.query(poly, predicate="intersects").size == 0
            and self.index.is_free(poly, BUILDING_GAP_M)
        )

    def add_building(self, poly: Polygon, kind: str, hojd: float) -> None:
        self.index.add(poly)
        self.b_recs.append({"typ": kind, "hojd": hojd})
        self.b_geoms.append(poly)

    def add_address(self, spec: dict, number: int, letter: str, x: float, y: float) -> None:
        self.a_recs.append({
            "gata": spec["namn"], "nummer": number, "bokstav": letter,
            "postnummer": TOWNS[spec["ort"]].postnummer, "ort": spec["ort"],
        })
        self.a_geoms.append(Point(round(x, 2), round(y, 2)))


def _fill_street_side(rng: np.random.Generator, spec: dict, side: int, plots: _Plots) -> None:
    """Walk along one side of a street placing buildings and numbered addresses.

    Odd house numbers on the left side (``side=1``), even on the right; long
    apartment blocks get two entrances "A" and "B". Distances in metres.
    """
    line, town = spec["geom"], TOWNS[spec["ort"]]
    number = 1 if side == 1 else 2
    d = float(rng.uniform(6.0, 20.0))
    while True:
        kind = _building_kind(rng, spec["ort"], _to_local(town, line.interpolate(d).coords[0]))
        (w0, w1), (h0, h1), (s0, s1), (z0, z1), (g0, g1) = _BUILDING_DIMS[kind]
        w, h, sb = rng.uniform(w0, w1), rng.uniform(h0, h1), rng.uniform(s0, s1)
        extra = math.radians(rng.uniform(-20, 20)) if rng.random() < 0.15 else 0.0
        gap = float(rng.uniform(g0, g1))
        mid = d + w / 2.0
        if mid > line.length - 6.0:
            return
        if kind == "bostad" and rng.random() < _EMPTY_PLOT_P:
            d += w + gap
            continue
        cx, cy, nx, ny, ang = _frontage(line, mid, side)
        off = sb + h / 2.0
        poly = _oriented_rect(cx + nx * off, cy + ny * off, w, h, ang + extra)
        if not plots.is_free(poly):
            d += float(rng.uniform(6.0, 14.0))
            continue
        plots.add_building(poly, kind, round(float(rng.uniform(z0, z1)), 1))
        split = kind == "flerbostadshus" and w >= 36
        for letter, frac in ((("A", -0.25), ("B", 0.25)) if split else (("", 0.0),)):
            pt = line.interpolate(mid + frac * w)
            plots.add_address(spec, number, letter,
                              pt.x + nx * ADDRESS_OFFSET_M, pt.y + ny * ADDRESS_OFFSET_M)
        number += 2
        d += w + gap


def _place_buildings(
    rng: np.random.Generator, specs: list[dict], gator: gpd.GeoDataFrame
) -> _Plots:
    """Generate building footprints along town streets plus their addresses.

    Rectangles are oriented along the street (some rotated a little more),
    at least ``STREET_CLEARANCE_M`` from every street line, ``BUILDING_GAP_M``
    from each other and outside reserved open areas. Coordinates EPSG:3006.
    """
    plots = _Plots(gator)
    for spec in specs:
        if spec["typ"] == "gata":
            for side in (1, -1):
                _fill_street_side(rng, spec, side, plots)
    return plots


def _build_byggnader(b_recs: list[dict], b_geoms: list) -> gpd.GeoDataFrame:
    """Building footprints (EPSG:3006); ``hojd`` in metres."""
    return _gdf(b_recs, b_geoms)


def _build_adresser(a_recs: list[dict], a_geoms: list) -> gpd.GeoDataFrame:
    """Address points (EPSG:3006), ``ADDRESS_OFFSET_M`` metres from the street line."""
    gdf = _gdf(a_recs, a_geoms)
    gdf["nummer"] = gdf["nummer"].astype("int64")
    return gdf


def _wall_point(town: _Town, rect, side: str) -> np.ndarray:
    """Local midpoint of a building wall, 0.5 m outside the wall, as EPSG:3006."""
    x0, x1, y0, y1 = rect
    mx, my = (x0 + x1) / 2.0, (y0 + y1) / 2.0
    local = {
        "N": (mx, y1 + 0.5), "S": (mx, y0 - 0.5), "E": (x1 + 0.5, my), "W": (x0 - 0.5, my),
    }[side]
    return _to_global(town, local)


def _build_kamerakandidater(rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Camera candidate points (EPSG:3006) on walls or poles; height in metres."""
    places = {p["namn"]: p for p in _PLACES}
    records, geoms = [], []
    for k, (namn, ort, kind, ref) in enumerate(_CAMERAS, start=1):
        town = TOWNS[ort]
        if kind == "wall":
            place, bi, side = ref
            xy = _wall_point(town, places[place]["bygg"][bi], side)
            height = rng.uniform(3.0, 5.0)
        else:
            xy = _to_global(town, ref)
            height = rng.uniform(4.0, 6.5)
        records.append({
            "kandidat_id": f"K{k:02d}", "namn": namn,
            "monteringshojd": round(float(height), 1), "befintlig": namn in _EXISTING_CAMERAS,
        })
        geoms.append(Point(np.round(xy, 2)))
    return _gdf(records, geoms)


def _build_detaljplan() -> gpd.GeoDataFrame:
    """Draft detailed development plans (EPSG:3006), status "samråd"."""
    records, geoms = [], []
    for planid, namn, ort, rect in _DETALJPLANER:
        records.append({"planid": planid, "namn": namn, "status": "samråd"})
        geoms.append(_local_rect(TOWNS[ort], rect))
    return _gdf(records, geoms)


# ---------------------------------------------------------------------------
# Reports (rapporter.csv)
# ---------------------------------------------------------------------------

PERIOD_START = date(2024, 10, 1)
PERIOD_DAYS = 730  # 2024-10-01 .. 2026-09-30 inclusive
PERIOD_END = PERIOD_START + timedelta(days=PERIOD_DAYS - 1)
# Days when 02:00-02:59 local time does not exist or is ambiguous (DST changes).
_DST_DAYS = {date(2024, 10, 27), date(2025, 3, 30), date(2025, 10, 26), date(2026, 3, 29)}

_DAYS = [PERIOD_START + timedelta(days=i) for i in range(PERIOD_DAYS)]
_DAY_DOW = np.array([d.weekday() for d in _DAYS])
_DAY_MONTH = np.array([d.month for d in _DAYS])

# Relative weights per hour 0..23.
_HOURS = {
    "office": [.2, .1, .05, .05, .05, .1, .4, 1, 1.6, 1.6, 1.4, 1.3, 1.3, 1.2, 1.2, 1.2,
               1.3, 1.4, 1.5, 1.6, 1.6, 1.3, .8, .4],
    "evening_night": [1.6, 1.3, .9, .5, .2, .1, .1, .2, .2, .2, .2, .3, .3, .3, .4, .6,
                      .8, 1, 1.4, 1.8, 2, 2.2, 2.2, 2],
    "late_night": [2.5, 2.5, 2, 1.2, .5, .2, .1, .1, .1, .1, .1, .2, .2, .2, .2, .2,
                   .3, .4, .5, .8, 1, 1.4, 2, 2.4],
    "school_evening": [.4, .2, .1, .1, .05, .05, .05, .1, .1, .1, .1, .1, .1, .2, .3, .6,
                       1, 1.5, 2, 2.2, 2.2, 2, 1.5, .8],
    "night": [2.5, 2.5, 2.2, 2, 1.5, .8, .4, .15, .15, .15, .15, .15, .15, .15, .15, .15,
              .15, .15, .3, .5, .7, 1, 1.5, 2],
    "mixed": [.6, .5, .4, .3, .2, .2, .4, .7, .9, 1, 1, 1, 1, 1, 1, 1.1, 1.2, 1.3, 1.4,
              1.4, 1.4, 1.3, 1.1, .8],
}
# Relative weights per weekday Mon..Sun (for evening/night profiles: the evening of that day).
_DOWS = {
    "flat": [1, 1, 1, 1, 1, 1, 1],
    "office": [1.2, 1.1, 1.1, 1.1, 1, .7, .9],
    "weekend": [.8, .8, .9, 1, 1.6, 1.8, 1.2],
    "fri_sat": [.4, .4, .5, .7, 2.5, 2.8, .6],
    "school_weekend": [.6, .6, .6, .7, 1.5, 2, 1.8],
}
# Relative weights per month Jan..Dec.
_MONTHS = {
    "flat": [1] * 12,
    "dark": [3, 2.5, 1.2, .6, .3, .2, .2, .5, 1.2, 2.5, 3, 3],
    "summer": [.6, .6, .7, .9, 1.4, 1.8, 1.8, 1.6, 1.1, .8, .7, .6],
    "green": [.2, .2, .4, .8, 1.5, 2, 2, 1.8, 1.2, .6, .3, .2],
    "winter": [3, 3, 1.5, .2, 0, 0, 0, 0, 0, .1, 1, 2.5],
}
_TT_CATEGORY_MONTHS = {
    "Belysning - trasig lampa": "dark", "Belysning - mörk plats": "dark",
    "Nedskräpning": "summer", "Buskage/växtlighet skymmer sikt": "green",
}
_EST_CATEGORY_MONTHS = {"Buskörning moped/EPA": "summer", "Brand": "summer"}

TYCKTILL_CATEGORIES = [
    "Belysning - trasig lampa", "Belysning - mörk plats", "Klotter", "Nedskräpning",
    "Buskage/växtlighet skymmer sikt", "Otrygg plats", "Skadegörelse",
    "Trafik - fortkörning", "Övrigt",
]
EST_CATEGORIES = [
    "Skadegörelse", "Klotter/Graffiti", "Ungdomar samlas/stök", "Narkotika", "Hot/våld",
    "Brand", "Buskörning moped/EPA", "Inbrott/stöld", "Fordonsbrott",
    "Fylleri/ordningsstörning", "Rån", "Otrygghet",
]
WALK_CATEGORIES = [
    "Belysning", "Vegetation/sikt", "Otrygg plats", "Klotter", "Nedskräpning", "Skadegörelse",
]
UNMAPPED_CATEGORIES = ["Hundbajs", "Snöröjning", "Annat"]

_N_TYCKTILL = 1200
_N_EST = 1000

# Hotspots: place, n est, n tycktill, spread sigma (m), hours, weekdays,
# est category weights, tycktill category weights, trend (extra weight at end).
_HOTSPOTS = [
    ("Busstationen", 190, 80, 40.0, "evening_night", "weekend",
     {"Ungdomar samlas/stök": 35, "Narkotika": 20, "Skadegörelse": 18, "Klotter/Graffiti": 10,
      "Hot/våld": 7, "Fylleri/ordningsstörning": 6, "Rån": 2, "Otrygghet": 2},
     {"Otrygg plats": 30, "Skadegörelse": 20, "Klotter": 15, "Nedskräpning": 20,
      "Belysning - trasig lampa": 15}, 0.8),
    ("Torget", 80, 40, 45.0, "late_night", "fri_sat",
     {"Fylleri/ordningsstörning": 40, "Klotter/Graffiti": 15, "Hot/våld": 15, "Skadegörelse": 15,
      "Rån": 5, "Ungdomar samlas/stök": 10},
     {"Klotter": 35, "Nedskräpning": 35, "Otrygg plats": 20, "Skadegörelse": 10}, 0.0),
    ("Strandviks centrum", 50, 30, 60.0, "late_night", "fri_sat",
     {"Fylleri/ordningsstörning": 40, "Klotter/Graffiti": 20, "Hot/våld": 10, "Skadegörelse": 15,
      "Inbrott/stöld": 10, "Rån": 5},
     {"Klotter": 40, "Nedskräpning": 35, "Otrygg plats": 15, "Skadegörelse": 10}, 0.0),
    ("Societetsparken", 70, 90, 50.0, "evening_night", "flat",
     {"Narkotika": 35, "Otrygghet": 25, "Ungdomar samlas/stök": 20, "Hot/våld": 10,
      "Skadegörelse": 10},
     {"Otrygg plats": 35, "Belysning - mörk plats": 30, "Belysning - trasig lampa": 15,
      "Buskage/växtlighet skymmer sikt": 15, "Nedskräpning": 5}, 0.0),
    ("Björkåsskolan", 80, 40, 35.0, "school_evening", "school_weekend",
     {"Skadegörelse": 40, "Klotter/Graffiti": 30, "Brand": 10, "Inbrott/stöld": 10,
      "Ungdomar samlas/stök": 10},
     {"Klotter": 50, "Skadegörelse": 40, "Nedskräpning": 10}, 0.0),
    ("Pendlarparkeringen", 70, 30, 40.0, "night", "flat",
     {"Fordonsbrott": 60, "Inbrott/stöld": 30, "Skadegörelse": 10},
     {"Belysning - mörk plats": 40, "Otrygg plats": 35, "Skadegörelse": 25}, 0.0),
]
_BACKGROUND_TT = {
    "Belysning - trasig lampa": 18, "Belysning - mörk plats": 8, "Klotter": 10,
    "Nedskräpning": 22,
    "Buskage/växtlighet skymmer sikt": 10, "Otrygg plats": 5, "Skadegörelse": 6,
    "Trafik - fortkörning": 13, "Övrigt": 8,
}
_BACKGROUND_EST = {
    "Inbrott/stöld": 20, "Fordonsbrott": 12, "Skadegörelse": 15, "Klotter/Graffiti": 12,
    "Fylleri/ordningsstörning": 8, "Brand": 5, "Buskörning moped/EPA": 10, "Hot/våld": 5,
    "Rån": 1, "Otrygghet": 6, "Narkotika": 3, "Ungdomar samlas/stök": 3,
}

_ORG_BY_EST = {
    "Skadegörelse": ["Bostadsbolaget Exempelbo", "Skolan", "Handlare i centrum", "Polisen"],
    "Klotter/Graffiti": ["Bostadsbolaget Exempelbo", "Skolan", "Handlare i centrum"],
    "Ungdomar samlas/stök": [
        "Fältgruppen", "Socialtjänsten", "Polisen", "Bostadsbolaget Exempelbo"],
    "Narkotika": ["Polisen", "Fältgruppen", "Socialtjänsten"],
    "Hot/våld": ["Polisen", "Skolan", "Socialtjänsten"],
    "Brand": ["Räddningstjänsten"],
    "Buskörning moped/EPA": ["Polisen", "Fältgruppen"],
    "Inbrott/stöld": ["Polisen", "Bostadsbolaget Exempelbo", "Handlare i centrum"],
    "Fordonsbrott": ["Polisen"],
    "Fylleri/ordningsstörning": ["Polisen", "Handlare i centrum", "Fältgruppen"],
    "Rån": ["Polisen"],
    "Otrygghet": ["Socialtjänsten", "Fältgruppen", "Bostadsbolaget Exempelbo", "Skolan"],
}

# Description templates; "{vid}" is replaced by e.g. "vid busstationen" or "på Storgatan".
_TEXTS = {
    "Belysning - trasig lampa": [
        "Lampan {vid} lyser inte.", "Gatlampan {vid} är trasig sedan flera dagar.",
        "Trasig belysning {vid}, den blinkar hela kvällen.",
        "Två lampor släckta {vid}, väldigt mörkt.",
        "Belysningsstolpen {vid} är mörk igen."],
    "Belysning - mörk plats": [
        "Väldigt mörkt {vid}, det behövs mer belysning.",
        "Gångvägen {vid} är helt oupplyst på kvällen.",
        "Mörkt och otrevligt {vid} efter klockan fem.",
        "Saknas belysning {vid}, svårt att se vem man möter."],
    "Klotter": [
        "Nytt klotter på elskåpet {vid}.", "Klotter på väggen {vid}.",
        "Någon har sprejat taggar på skylten {vid}.",
        "Klotter på fasaden {vid}, ser förfallet ut."],
    "Nedskräpning": [
        "Mycket skräp {vid}.", "Soptunnan {vid} är överfull och skräpet blåser runt.",
        "Glasflaskor och pizzakartonger {vid}.", "Nedskräpat {vid} efter helgen."],
    "Buskage/växtlighet skymmer sikt": [
        "Buskarna {vid} har vuxit igen och skymmer sikten.",
        "Häcken {vid} skymmer sikten vid utfarten.",
        "Igenvuxet {vid}, känns otryggt att gå förbi.", "Träden {vid} skymmer gatlampan."],
    "Otrygg plats": [
        "Känner mig otrygg {vid} på kvällarna.", "Otryggt att gå {vid} när det är mörkt.",
        "Undviker att gå {vid}, folk står och hänger där.",
        "Min dotter vågar inte gå {vid} efter träningen."],
    "Skadegörelse": [
        "Sönderslagen ruta {vid}.", "Någon har förstört bänken {vid}.",
        "Vandaliserad papperskorg {vid}.", "Skylten {vid} är nedsparkad."],
    "Trafik - fortkörning": [
        "Bilar kör alldeles för fort {vid}.", "Fortkörning {vid} varje kväll, farligt för barnen.",
        "Mopeder kör i hög fart {vid}.", "Det behövs farthinder {vid}."],
    "Övrigt": [
        "Övergiven cykel {vid} sedan flera månader.", "Trasig parkbänk {vid}.",
        "Stort hål i asfalten {vid}.", "En skylt har ramlat ner {vid}."],
    "Hundbajs": ["Mycket hundbajs {vid}, sätt gärna upp en påsautomat."],
    "Snöröjning": ["Inte snöröjt {vid}, svårt att ta sig fram med rullator."],
    "Annat": ["Vet inte vart jag ska vända mig, men något behöver göras {vid}."],
    "Klotter/Graffiti": [
        "Nytt klotter {vid}, taggar på fasaden.", "Graffiti på elskåp {vid}.",
        "Omfattande klotter {vid}, anmält för sanering."],
    "Ungdomar samlas/stök": [
        "Ungdomar samlas på kvällar {vid}, stökigt.",
        "Grupp om 10-15 ungdomar {vid}, hög musik och kast av föremål.",
        "Stök {vid} sent på kvällen, boende klagar.",
        "Ungdomar samlas {vid} med mopeder, högljutt."],
    "Narkotika": [
        "Misstänkt langning {vid}.", "Kanyler hittade i buskaget {vid}.",
        "Lukt av cannabis {vid} kvällstid.", "Uppgifter om narkotikaförsäljning {vid}."],
    "Hot/våld": [
        "Bråk {vid}, en person lätt skadad.", "Hot mot personal {vid}.",
        "Misshandel {vid} sent på kvällen.", "Ungdomar hotade en förbipasserande {vid}."],
    "Brand": [
        "Brand i papperskorg {vid}.", "Anlagd brand i container {vid}.",
        "Mindre brand i buskage {vid}."],
    "Buskörning moped/EPA": [
        "Buskörning med moped {vid}.", "EPA-traktorer kör i hög fart {vid}.",
        "Mopeder kör på gångvägen {vid}."],
    "Inbrott/stöld": [
        "Inbrott i förråd {vid}.", "Flera cykelstölder {vid}.", "Stöld ur butik {vid}.",
        "Försök till inbrott {vid}."],
    "Fordonsbrott": [
        "Inbrott i bil {vid}, rutan krossad.", "Bil vandaliserad {vid}.",
        "Stöld av katalysator {vid}.", "Flera bilar uppbrutna {vid} under natten."],
    "Fylleri/ordningsstörning": [
        "Berusade personer bråkar {vid}.", "Ordningsstörning {vid} natten mot lördag.",
        "Fylla och skrik {vid} efter krogstängning.", "Störande personer {vid} sent på natten."],
    "Rån": ["Rån {vid}, telefon och plånbok tagna.", "Försök till rån mot ungdom {vid}."],
    "Otrygghet": [
        "Personal upplever otrygghet {vid}.", "Boende uttrycker oro {vid}.",
        "Otrygg stämning {vid} kvällstid."],
}
# Walk observations: category -> (observations, proposed actions).
_WALK_TEXTS = {
    "Belysning": (["Mörkt {vid}, två armaturer ur funktion", "Dålig belysning {vid}",
                   "Belysningen {vid} bländar och ger mörka skuggor"],
                  ["byt armatur", "komplettera med fler belysningspunkter",
                   "se över belysningen längs gångvägen"]),
    "Vegetation/sikt": (["Buskage {vid} skymmer sikten", "Igenvuxen häck {vid}",
                         "Täta buskar {vid} skapar gömställen"],
                        ["gallra buskaget", "klipp ner häcken till 80 cm", "beskär träden"]),
    "Otrygg plats": (["Deltagarna upplever platsen {vid} som otrygg", "Ödsligt {vid} kvällstid",
                      "Ingen insyn {vid}"],
                     ["öka insynen", "skapa mer liv på platsen", "utred kamerabevakning"]),
    "Klotter": (["Klotter {vid}", "Mycket taggar på elskåpen {vid}"],
                ["sanera klotter inom 24 timmar", "måla om med klotterskydd"]),
    "Nedskräpning": (["Skräp och fimpar {vid}", "Överfulla papperskorgar {vid}"],
                     ["sätt upp fler papperskorgar", "tätare tömning"]),
    "Skadegörelse": (["Trasig bänk {vid}", "Sönderslagen glasruta {vid}"],
                     ["byt till härdat glas", "reparera snarast"]),
}
_WALKS = [
    ("TV1", "Trygghetsvandring Strandvik 2025-10-14", "Strandvik", date(2025, 10, 14), 26,
     [(200, -310), (200, -200), (100, -100), (0, 0), (-100, 100), (-300, 100), (-425, 0),
      (-550, -100), (-300, -100), (-200, -215), (-100, -300), (100, -300), (300, -300),
      (425, -425)]),
    ("TV2", "Trygghetsvandring Björkås 2026-03-11", "Björkås", date(2026, 3, 11), 24,
     [(12, -12), (150, 60), (150, 150), (0, 250), (-150, 110), (-300, 0), (-450, 125),
      (-300, -250), (-150, -430), (0, -375), (0, -250), (0, 0)]),
]


def _choice(rng: np.random.Generator, items: list):
    """Uniform random element of ``items``."""
    return items[int(rng.integers(len(items)))]


def _sample_times(rng, n, hours="office", dows="flat", months="flat", trend=0.0) -> list[datetime]:
    """Sample ``n`` local (Europe/Stockholm, naive) timestamps in the period.

    Hours 00-05 are attributed to the night after the sampled day. 02:xx on
    DST change days is moved to 03:xx so every timestamp exists and is unique.
    ``trend`` raises the relative weight over the last 183 days: a step of
    ``0.4 * trend`` growing linearly to ``trend`` at the end of the period.
    """
    w = np.asarray(_DOWS[dows], float)[_DAY_DOW]
    w = w * np.asarray(_MONTHS[months], float)[_DAY_MONTH - 1]
    if trend:
        ramp = (np.arange(PERIOD_DAYS) - (PERIOD_DAYS - 183)) / 183.0
        w = w * np.where(ramp >= 0.0, 1.0 + trend * (0.4 + 0.6 * ramp), 1.0)
    hw = np.asarray(_HOURS[hours], float)
    days = rng.choice(PERIOD_DAYS, size=n, p=w / w.sum())
    hrs = rng.choice(24, size=n, p=hw / hw.sum())
    mins = rng.integers(0, 60, size=n)
    out = []
    for d, h, m in zip(days.tolist(), hrs.tolist(), mins.tolist(), strict=True):
        if h < 6 and d < PERIOD_DAYS - 1:
            d += 1
        day = _DAYS[d]
        if h == 2 and day in _DST_DAYS:
            h = 3
        out.append(datetime(day.year, day.month, day.day, h, m))
    return out


def _weighted_counts(rng, weights: dict, n: int) -> list[tuple[str, int]]:
    """Split ``n`` into categories by multinomial draw (dict insertion order)."""
    keys = list(weights)
    p = np.asarray([weights[k] for k in keys], float)
    counts = rng.multinomial(n, p / p.sum())
    return [(k, int(c)) for k, c in zip(keys, counts, strict=True) if c]


def _describe(rng, category: str, vid: str) -> str:
    """Free-text description (Swedish) for a raw category and location phrase."""
    return _choice(rng, _TEXTS[category]).format(vid=vid)


def _est_org(rng, category: str, place_typ: str | None) -> str:
    """Reporting organisation for an est row."""
    if place_typ == "skola" and rng.random() < 0.6:
        return "Skolan"
    return _choice(rng, _ORG_BY_EST[category])


class _Locator:
    """Nearest address / place lookup (EPSG:3006 metres) for the Plats column."""

    def __init__(self, adresser: gpd.GeoDataFrame, platser: gpd.GeoDataFrame) -> None:
        self.adr = adresser
        self.adr_text = [
            f"{g} {n}{b}, {o}" for g, n, b, o in zip(
                adresser["gata"], adresser["nummer"], adresser["bokstav"], adresser["ort"],
                strict=True)
        ]
        self.adr_tree = shapely.STRtree(np.asarray(adresser.geometry.values, dtype=object))
        self.plc = platser
        self.plc_tree = shapely.STRtree(np.asarray(platser.geometry.values, dtype=object))

    def address_text(self, i: int) -> str:
        return self.adr_text[i]

    def nearest_index(self, x: float, y: float) -> int:
        return int(self.adr_tree.nearest(Point(x, y)))

    def nearest_address(self, x: float, y: float) -> str:
        return self.address_text(self.nearest_index(x, y))

    def nearest_place(self, x: float, y: float, max_dist: float) -> dict | None:
        i = int(self.plc_tree.nearest(Point(x, y)))
        if self.plc.geometry.iloc[i].distance(Point(x, y)) > max_dist:
            return None
        return _PLACES[i]


def _row(source, dt, cat, text, plats, org, x, y) -> dict:
    """One report row before IDs/status are assigned; x/y in EPSG:3006 metres."""
    return {"source": source, "dt": dt, "cat": cat, "text": text, "plats": plats,
            "org": org, "x": x, "y": y, "place": None}


def _hotspot_reports(rng, loc: _Locator) -> list[dict]:
    """Concentrated reports around hot places (gaussian spread, sigma in metres)."""
    places = {p["namn"]: p for p in _PLACES}
    rows = []
    for namn, n_est, n_tt, sigma, hours, dows, est_w, tt_w, trend in _HOTSPOTS:
        place = places[namn]
        cx, cy = _to_global(TOWNS[place["ort"]], place["xy"])
        aliases = [a for a in place["alias"].split(";") if a != namn]
        for source, weights, n in (("est", est_w, n_est), ("tycktill", tt_w, n_tt)):
            for cat, k in _weighted_counts(rng, weights, n):
                table = _TT_CATEGORY_MONTHS if source == "tycktill" else _EST_CATEGORY_MONTHS
                months = table.get(cat, "flat")
                # tycktill is reported in waking hours more than est incident times.
                h = hours if source == "est" or rng.random() < 0.5 else "office"
                times = _sample_times(rng, k, h, dows, months, trend)
                xy = rng.normal(0.0, sigma, size=(k, 2)) + (cx, cy)
                for dt, (x, y) in zip(times, xy.tolist(), strict=True):
                    u = rng.random()
                    if u < 0.6:
                        plats = namn
                    elif u < 0.75:
                        plats = _choice(rng, aliases)
                    else:
                        plats = loc.nearest_address(x, y)
                    org = "Invånare" if source == "tycktill" else _est_org(rng, cat, place["typ"])
                    r = _row(source, dt, cat, _describe(rng, cat, place["vid"]), plats, org, x, y)
                    r["place"] = namn
                    rows.append(r)
    return rows


def _background_reports(rng, loc: _Locator, source: str, weights: dict, n: int) -> list[dict]:
    """Reports scattered along streets (near addresses), weighted by town size."""
    adr = loc.adr
    town_w = adr["ort"].map({k: t.report_share for k, t in TOWNS.items()}).to_numpy(float)
    town_w = town_w / adr.groupby("ort")["ort"].transform("size").to_numpy(float)
    p = town_w / town_w.sum()
    ax, ay = adr.geometry.x.to_numpy(), adr.geometry.y.to_numpy()
    rows = []
    for cat, k in _weighted_counts(rng, weights, n):
        table = _TT_CATEGORY_MONTHS if source == "tycktill" else _EST_CATEGORY_MONTHS
        times = _sample_times(rng, k, "office" if source == "tycktill" else "mixed",
                              "office" if source == "tycktill" else "flat", table.get(cat, "flat"))
        idx = rng.choice(len(adr), size=k, p=p)
        jitter = rng.normal(0.0, 6.0, size=(k, 2))
        for dt, i, (jx, jy) in zip(times, idx.tolist(), jitter.tolist(), strict=True):
            gata = adr["gata"].iat[i]
            vid = f"på {gata}" if rng.random() < 0.6 else f"vid {gata} {adr['nummer'].iat[i]}"
            org = "Invånare" if source == "tycktill" else _est_org(rng, cat, None)
            rows.append(_row(source, dt, cat, _describe(rng, cat, vid), loc.address_text(i),
                             org, ax[i] + jx, ay[i] + jy))
    return rows


def _unmapped_reports(rng, loc: _Locator) -> list[dict]:
    """Exactly one tycktill row per label in ``UNMAPPED_CATEGORIES``."""
    rows = []
    strandvik = np.flatnonzero(loc.adr["ort"].to_numpy() == "Strandvik")
    for cat in UNMAPPED_CATEGORIES:
        i = int(_choice(rng, strandvik.tolist()))
        months = "winter" if cat == "Snöröjning" else "flat"
        dt = _sample_times(rng, 1, "office", "office", months)[0]
        g = loc.adr.geometry.iloc[i]
        rows.append(_row("tycktill", dt, cat, _describe(rng, cat, f"på {loc.adr['gata'].iat[i]}"),
                         loc.address_text(i), "Invånare", g.x + 3.0, g.y - 2.0))
    return rows


def _walk_reports(rng, loc: _Locator) -> list[dict]:
    """Safety-walk observations: stops along a route, 18:00-20:45 on the walk day."""
    rows = []
    for prefix, org, ort, day, n, route in _WALKS:
        line = LineString(_to_global(TOWNS[ort], route))
        dist = (np.arange(n) + 0.5) / n * line.length
        for k, d in enumerate(dist.tolist()):
            pt = line.interpolate(d)
            x, y = pt.x + rng.normal(0.0, 4.0), pt.y + rng.normal(0.0, 4.0)
            place = loc.nearest_place(x, y, 80.0)
            if place is not None and place["typ"] == "park":
                cat = _choice(rng, ["Belysning", "Vegetation/sikt", "Otrygg plats"])
            else:
                cat = WALK_CATEGORIES[rng.choice(6, p=[.25, .15, .2, .15, .15, .1])]
            vid = place["vid"] if place else f"på {loc.adr['gata'].iat[loc.nearest_index(x, y)]}"
            plats = place["namn"] if place else loc.nearest_address(x, y)
            obs, acts = _WALK_TEXTS[cat]
            text = f"{_choice(rng, obs).format(vid=vid)}. Förslag: {_choice(rng, acts)}."
            minute = round(k * 165 / (n - 1))
            dt = datetime(day.year, day.month, day.day, 18 + minute // 60, minute % 60)
            r = _row("walk", dt, cat, text, plats, org, x, y)
            r["walk_id"] = f"{prefix}-{k + 1:02d}"
            rows.append(r)
    return rows


def _apply_special_rows(rng, rows: list[dict]) -> None:
    """Inject the fixed edge-case rows (missing/invalid coordinates, hostile text).

    Modifies ``rows`` in place; picks distinct background rows deterministically.
    """
    bg_tt = [i for i, r in enumerate(rows) if r["source"] == "tycktill" and r["place"] is None
             and r["cat"] in TYCKTILL_CATEGORIES and r["plats"].endswith(", Strandvik")]
    bg_est = [i for i, r in enumerate(rows) if r["source"] == "est" and r["place"] is None]
    tt = rng.choice(bg_tt, size=4, replace=False).tolist()
    est = rng.choice(bg_est, size=2, replace=False).tolist()
    for i in est:  # missing coordinates, place text kept
        rows[i]["x"] = rows[i]["y"] = None
    rows[tt[0]]["x_text"] = "abc"
    rows[tt[1]]["text"] = "<img src=x onerror=alert(1)>"
    rows[tt[2]]["text"] = '=HYPERLINK("http://example.invalid","klicka") för bild på trasig lampa'
    rows[tt[3]]["text"] = ('Lampan är trasig; även skylten är klottrad med "RIP".\n'
                           "Ring mig gärna om ni behöver mer info.")


def _fmt_coord(v: float | None) -> str:
    """Metres with one decimal and a decimal comma ("621345,2"); "" if missing."""
    return "" if v is None else f"{v:.1f}".replace(".", ",")


def _finalise_reports(rng, rows: list[dict]) -> list[list[str]]:
    """Sort chronologically, assign IDs and status, and format CSV rows."""
    order = sorted(range(len(rows)), key=lambda i: (rows[i]["dt"], i))
    tt_seq: dict[int, int] = {}
    est_seq: dict[int, int] = {}
    out = []
    for i in order:
        r = rows[i]
        dt = r["dt"]
        age = (PERIOD_END - dt.date()).days
        if r["source"] == "tycktill":
            tt_seq[dt.year] = tt_seq.get(dt.year, 0) + 1
            rid = f"TT-{dt.year}-{tt_seq[dt.year]:05d}"
            p_closed = 0.9 if age > 90 else 0.35
        elif r["source"] == "est":
            iso_year, iso_week, _ = dt.isocalendar()
            est_seq[iso_year] = est_seq.get(iso_year, 0) + 1
            rid = f"EST-{iso_year}-v{iso_week:02d}-{est_seq[iso_year]:04d}"
            p_closed = 0.85 if age > 90 else 0.3
        else:
            rid = r["walk_id"]
            p_closed = 0.6 if dt.year == 2025 else 0.25
        status = "Avslutad" if rng.random() < p_closed else "Öppen"
        x = r.get("x_text") or _fmt_coord(r["x"])
        out.append([rid, r["source"], dt.strftime("%Y-%m-%d %H:%M"), r["cat"], r["text"],
                    r["plats"], r["org"], status, x, _fmt_coord(r["y"])])
    return out


def _build_reports(rng, adresser: gpd.GeoDataFrame, platser: gpd.GeoDataFrame) -> list[list[str]]:
    """All synthetic reports as formatted CSV rows (without header)."""
    loc = _Locator(adresser, platser)
    rows = _hotspot_reports(rng, loc)
    n_tt_hot = sum(h[2] for h in _HOTSPOTS)
    n_est_hot = sum(h[1] for h in _HOTSPOTS)
    n_tt_bg = _N_TYCKTILL - n_tt_hot - len(UNMAPPED_CATEGORIES)
    rows += _background_reports(rng, loc, "tycktill", _BACKGROUND_TT, n_tt_bg)
    rows += _unmapped_reports(rng, loc)
    rows += _background_reports(rng, loc, "est", _BACKGROUND_EST, _N_EST - n_est_hot)
    rows += _walk_reports(rng, loc)
    _apply_special_rows(rng, rows)
    return _finalise_reports(rng, rows)


def _write_reports_csv(path: Path, rows: list[list[str]]) -> None:
    """Write reports as UTF-8 with BOM, ``;``-separated, CRLF, minimal quoting."""
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        w.writerow(CSV_HEADER)
        w.writerows(rows)


def _write_readme(path: Path, seed: int, counts: dict[str, int], n_reports: int) -> None:
    """Write LASMIG.txt (Swedish) describing the synthetic data set."""
    layer_lines = "\n".join(f"  - {name}: {n} objekt" for name, n in counts.items())
    text = f"""SYNTETISKA DATA — Exempelby kommun finns inte.

Alla data i den här mappen är påhittade och har genererats automatiskt av
scripts/sample.py med slumpfrö (seed) {seed}. Samma seed ger exakt samma data.
Inga verkliga personer, platser, adresser eller händelser beskrivs. Likheter
med verkliga gator eller orter är tillfälliga. Kommunkoden 9999 är fiktiv.

Koordinatsystem: SWEREF 99 TM (EPSG:3006), meter.

kommun.gpkg (GeoPackage) innehåller lagren:
{layer_lines}

rapporter.csv innehåller {n_reports} syntetiska rapporter (tycktill, est, walk)
för perioden 2024-10-01 till 2026-09-30. Filen är UTF-8 med BOM,
semikolonseparerad, med decimalkomma i X och Y. Några rader är avsiktligt
felaktiga (saknade eller ogiltiga koordinater, okända kategorier, skadlig
text) för att testa felhantering.
"""
    path.write_text(text, encoding="utf-8")


def make_sample(out_dir: str | Path, *, seed: int = DEFAULT_SEED) -> dict[str, Path]:
    """Generate the synthetic sample municipality "Exempelby kommun".

    Writes a GeoPackage with the layers ``kommun``, ``tatorter``, ``gator``,
    ``adresser``, ``platser``, ``byggnader``, ``kamerakandidater`` and
    ``detaljplan`` (all EPSG:3006, SWEREF 99 TM, metres), a report file
    ``rapporter.csv`` (UTF-8 with BOM, ``;``-separated, X/Y as EPSG:3006
    metres with decimal comma, local Europe/Stockholm time) and ``LASMIG.txt``.
    All content is synthetic.

    Parameters
    ----------
    out_dir : str or Path
        Output directory; created if missing. Existing files are overwritten.
    seed : int, default 2026
        Seed for ``numpy.random.default_rng``; the same seed yields identical
        data (same rows, values and order).

    Returns
    -------
    dict of str to Path
        ``{"kommun": .../kommun.gpkg, "rapporter": .../rapporter.csv,
        "readme": .../LASMIG.txt}``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)

    town_specs = _street_specs()
    specs = town_specs + _country_road_specs(rng)
    gator = _build_gator(specs)
    platser = _build_platser()
    plots = _place_buildings(rng, town_specs, gator)
    layers = {
        "kommun": _build_kommun(),
        "tatorter": _build_tatorter(town_specs),
        "gator": gator,
        "adresser": _build_adresser(plots.a_recs, plots.a_geoms),
        "platser": platser,
        "byggnader": _build_byggnader(plots.b_recs, plots.b_geoms),
        "kamerakandidater": _build_kamerakandidater(rng),
        "detaljplan": _build_detaljplan(),
    }
    reports = _build_reports(rng, layers["adresser"], platser)

    paths = {"kommun": out / GPKG_NAME, "rapporter": out / CSV_NAME, "readme": out / README_NAME}
    paths["kommun"].unlink(missing_ok=True)
    for name in LAYERS:
        # GeoPackage 1.2: GDAL 3.6 (QGIS on Debian 12) warns about GDAL's default 1.4
        layers[name].to_file(paths["kommun"], layer=name, driver="GPKG", engine="pyogrio",
                             dataset_options={"VERSION": "1.2"})
    _write_reports_csv(paths["rapporter"], reports)
    _write_readme(paths["readme"], seed, {k: len(v) for k, v in layers.items()}, len(reports))
    return paths


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point: ``python -m trygg.sample OUT_DIR [--seed N]``."""
    parser = argparse.ArgumentParser(
        description="Generate the synthetic Exempelby kommun sample data.")
    parser.add_argument("out_dir", help="output directory")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default 2026)")
    args = parser.parse_args(argv)
    for key, path in make_sample(args.out_dir, seed=args.seed).items():
        print(f"{key}: {path}")


if __name__ == "__main__":
    main()

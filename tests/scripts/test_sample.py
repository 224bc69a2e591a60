"""Tests for scripts/sample.py, the synthetic sample municipality generator."""

from __future__ import annotations

import csv
import math
import re
from datetime import datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from trygg.sample import (
    CSV_HEADER,
    EST_CATEGORIES,
    LAYERS,
    TYCKTILL_CATEGORIES,
    WALK_CATEGORIES,
    make_sample,
)

KNOWN = {
    "tycktill": set(TYCKTILL_CATEGORIES),
    "est": set(EST_CATEGORIES),
    "walk": set(WALK_CATEGORIES),
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample generated once with the default seed."""
    return make_sample(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def layers(sample) -> dict[str, gpd.GeoDataFrame]:
    return {name: gpd.read_file(sample["kommun"], layer=name) for name in LAYERS}


@pytest.fixture(scope="module")
def rows(sample) -> list[dict[str, str]]:
    with open(sample["rapporter"], encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def _num(text: str) -> float | None:
    """Parse a decimal-comma number; None when empty or invalid."""
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def _xy(rows: list[dict[str, str]]) -> np.ndarray:
    pts = [(_num(r["X"]), _num(r["Y"])) for r in rows]
    return np.array([p for p in pts if p[0] is not None and p[1] is not None])


def test_files_exist(sample):
    assert set(sample) == {"kommun", "rapporter", "readme"}
    for path in sample.values():
        assert path.is_file() and path.stat().st_size > 0
    assert sample["kommun"].name == "kommun.gpkg"
    readme = sample["readme"].read_text(encoding="utf-8")
    assert readme.startswith("SYNTETISKA DATA")
    assert "scripts/sample.py" in readme and "2026" in readme


def test_same_seed_gives_identical_data(sample, layers, tmp_path):
    again = make_sample(tmp_path / "again", seed=2026)
    assert again["rapporter"].read_bytes() == sample["rapporter"].read_bytes()
    for name in LAYERS:
        other = gpd.read_file(again["kommun"], layer=name)
        assert_geodataframe_equal(layers[name], other, check_less_precise=False)


def test_layers_and_crs(sample, layers):
    assert set(pyogrio.list_layers(sample["kommun"])[:, 0]) == set(LAYERS)
    for name, gdf in layers.items():
        assert gdf.crs is not None and gdf.crs.to_epsg() == 3006, name
        assert len(gdf) > 0, name
        assert gdf.geometry.is_valid.all(), name


def test_layer_contents(layers):
    kommun = layers["kommun"]
    assert len(kommun) == 1
    assert kommun.loc[0, "namn"] == "Exempelby kommun (syntetisk)"
    assert kommun.loc[0, "kommunkod"] == "9999"
    assert bool(kommun.loc[0, "syntetisk"]) is True
    xmin, ymin, xmax, ymax = kommun.total_bounds
    assert 600000 <= xmin and xmax <= 640000 and 6640000 <= ymin and ymax <= 6675000

    assert sorted(layers["tatorter"]["namn"]) == ["Björkås", "Lillmora", "Strandvik"]
    assert set(layers["gator"]["typ"]) == {"gata", "gangvag", "landsvag"}
    assert 1500 <= len(layers["adresser"]) <= 3000
    assert 1500 <= len(layers["byggnader"]) <= 3000
    assert 25 <= len(layers["platser"]) <= 40
    assert 35 <= len(layers["kamerakandidater"]) <= 45
    assert int(layers["kamerakandidater"]["befintlig"].sum()) == 4
    assert 1 <= len(layers["detaljplan"]) <= 2

    platser = layers["platser"]
    for ort in ("Strandvik", "Björkås", "Lillmora"):
        typer = set(platser.loc[platser["ort"] == ort, "typ"])
        assert {"centrum", "skola"} <= typer, ort
    for namn in ("Busstationen", "Stationen", "Societetsparken", "Torget", "Pendlarparkeringen"):
        assert namn in set(platser["namn"]), namn
    strandvik = set(platser.loc[platser["ort"] == "Strandvik", "typ"])
    assert {"fritidsgard", "idrottsplats", "parkering"} <= strandvik

    adr = layers["adresser"]
    assert set(adr["bokstav"]) <= {"", "A", "B"}
    postnr = adr.groupby("ort")["postnummer"].unique()
    assert len({p for ps in postnr for p in ps}) == sum(len(ps) for ps in postnr)
    assert all(re.fullmatch(r"\d{3} \d{2}", p) for p in adr["postnummer"].unique())


def test_street_network_connected(layers):
    parent: dict = {}

    def find(a):
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for geom in layers["gator"].geometry:
        coords = np.round(shapely.get_coordinates(geom), 2)
        a, b = tuple(coords[0]), tuple(coords[-1])
        parent[find(a)] = find(b)
    roots = {find(node) for node in list(parent)}
    assert len(roots) == 1


def test_streets_are_split_at_intersections(layers):
    geoms = layers["gator"].geometry.values
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="crosses")
    assert left.size == 0, "street segments cross without a shared node"


def test_buildings_do_not_overlap(layers):
    geoms = layers["byggnader"].geometry.values
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    assert np.all(left == right), "buildings intersect each other"
    total = float(shapely.area(geoms).sum())
    assert math.isclose(shapely.union_all(geoms).area, total, rel_tol=1e-9)
    hits = shapely.STRtree(layers["gator"].geometry.values).query(geoms, predicate="intersects")
    assert hits.shape[1] == 0, "buildings intersect street lines"


def test_buildings_sizes(layers):
    b = layers["byggnader"]
    assert set(b["typ"]) <= {"bostad", "flerbostadshus", "skola", "handel", "industri", "ovrigt"}
    rect = b.geometry.minimum_rotated_rectangle()
    coords = [shapely.get_coordinates(g) for g in rect]
    sides = np.array([[np.hypot(*(c[1] - c[0])), np.hypot(*(c[2] - c[1]))] for c in coords])
    assert sides.min() >= 7.9 and sides.max() <= 60.1
    assert (b["hojd"] > 0).all()


def test_cameras_not_inside_buildings(layers):
    cams = layers["kamerakandidater"].geometry.values
    idx = shapely.STRtree(layers["byggnader"].geometry.values).query(cams, predicate="within")
    assert idx.shape[1] == 0
    assert layers["kamerakandidater"]["kandidat_id"].tolist()[:2] == ["K01", "K02"]


def test_csv_format(sample, rows):
    raw = sample["rapporter"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    first_line = raw[3:].split(b"\r\n", 1)[0].decode("utf-8")
    assert first_line == ";".join(CSV_HEADER)
    expected = "Ärende-ID;Källa;Datum;Kategori;Beskrivning;Plats;Organisation;Status;X;Y"
    assert first_line == expected
    for r in rows:
        dt = datetime.strptime(r["Datum"], "%Y-%m-%d %H:%M")
        assert datetime(2024, 10, 1) <= dt < datetime(2026, 10, 1)
        assert r["Status"] in {"Öppen", "Avslutad"}
        assert r["Plats"]
    for source in ("tycktill", "est", "walk"):
        ids = [r["Ärende-ID"] for r in rows if r["Källa"] == source]
        assert len(ids) == len(set(ids)), source
    coords = [r["X"] for r in rows if _num(r["X"]) is not None]
    assert all(re.fullmatch(r"\d{6},\d", x) for x in coords)


def test_counts_per_source(rows):
    counts = {s: sum(r["Källa"] == s for r in rows) for s in ("tycktill", "est", "walk")}
    assert set(r["Källa"] for r in rows) == set(counts)
    assert 1100 <= counts["tycktill"] <= 1300
    assert 900 <= counts["est"] <= 1100
    assert 40 <= counts["walk"] <= 60
    assert 2200 <= len(rows) <= 2400
    for org in ("Trygghetsvandring Strandvik 2025-10-14", "Trygghetsvandring Björkås 2026-03-11"):
        walk = [r for r in rows if r["Organisation"] == org]
        assert 20 <= len(walk) <= 30
        times = [r["Datum"] for r in walk]
        assert times == sorted(times) and all("18:00" <= t[-5:] <= "21:00" for t in times)
        assert all("Förslag:" in r["Beskrivning"] for r in walk)


def test_categories(rows):
    unknown = [r for r in rows if r["Kategori"] not in KNOWN[r["Källa"]]]
    assert len(unknown) == 3
    for source, cats in KNOWN.items():
        used = {r["Kategori"] for r in rows if r["Källa"] == source} & cats
        assert used == cats, source


def test_special_rows(rows):
    empty = [r for r in rows if r["X"] == "" and r["Y"] == ""]
    assert len(empty) == 2 and all(r["Plats"] for r in empty)
    assert sum(r["X"] == "abc" for r in rows) == 1
    xss = [r for r in rows if r["Beskrivning"] == "<img src=x onerror=alert(1)>"]
    assert len(xss) == 1 and xss[0]["Källa"] == "tycktill" and _num(xss[0]["X"]) is not None
    assert xss[0]["Plats"].endswith("Strandvik")
    prefix = '=HYPERLINK("http://example.invalid","klicka")'
    link = [r for r in rows if r["Beskrivning"].startswith(prefix)]
    assert len(link) == 1 and link[0]["Källa"] == "tycktill"
    tricky = [r for r in rows if all(c in r["Beskrivning"] for c in (";", '"', "\n"))]
    assert len(tricky) == 1


def test_reports_inside_kommun(layers, rows):
    xy = _xy(rows)
    assert len(xy) == len(rows) - 3
    inside = shapely.contains_xy(layers["kommun"].geometry.iloc[0], xy[:, 0], xy[:, 1])
    assert inside.all()


def test_busstation_hotspot(layers, rows):
    platser = layers["platser"]
    bus = platser.loc[platser["namn"] == "Busstationen"].geometry.iloc[0]
    tatorter = layers["tatorter"]
    strandvik = tatorter.loc[tatorter["namn"] == "Strandvik"].geometry.iloc[0]
    xy = _xy(rows)
    in_town = xy[shapely.contains_xy(strandvik, xy[:, 0], xy[:, 1])]
    near = int((np.hypot(in_town[:, 0] - bus.x, in_town[:, 1] - bus.y) <= 150).sum())
    uniform = len(in_town) * math.pi * 150**2 / strandvik.area
    assert near > 5 * uniform

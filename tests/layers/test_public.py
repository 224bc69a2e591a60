"""Public aggregates: counts per cell, suppression below k, intern reports left out."""

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from trygg.geo.errors import ArgumentError
from trygg.geo.grid import hex_centres
from trygg.layers import schema
from trygg.layers.public import (
    CELL_COLUMNS,
    HOTSPOT_COLUMNS,
    fold_counts,
    public_aggregate,
    public_hotspots,
    publishable,
)

CELL = 250.0
#: Axial (q, r) of the test cells, far apart so that none touches another.
A, B, C, D, E = (2400, 26000), (2410, 26000), (2420, 26000), (2430, 26000), (2440, 26000)
SECRET = "Hemlig text om grannen på nr 5"


def centre(cell: tuple[int, int]) -> tuple[float, float]:
    x, y = hex_centres(np.array([cell[0]]), np.array([cell[1]]), CELL)
    return float(x[0]), float(y[0])


def make_reports(rows: list[tuple]) -> gpd.GeoDataFrame:
    """Reports from (cell, category, visibility, precision, time) rows, each a few metres
    from its cell's centre, with a text and an id that must never be published."""
    rng = np.random.default_rng(7)
    data = []
    for i, (cell, category, visibility, precision, when) in enumerate(rows):
        x, y = centre(cell)
        data.append({
            "report_id": f"tycktill:SECRET-{i:04d}", "source": "tycktill",
            "source_id": f"SECRET-{i:04d}", "reported_at": when, "category": category,
            "description": f"{SECRET} ({i})", "place_text": "Hemvägen 5",
            "precision": precision, "visibility": visibility, "ingest_id": "i1",
            "geometry": shapely.Point(x + rng.uniform(-40, 40), y + rng.uniform(-40, 40)),
        })
    return schema.validate(schema.conform(gpd.GeoDataFrame(data, crs=3006)))


def rows(cell, category, n, *, visibility="publik", precision="exact",
         when="2025-03-14 21:30"):  # UTC
    return [(cell, category, visibility, precision, when)] * n


@pytest.fixture
def reports() -> gpd.GeoDataFrame:
    return make_reports(
        # A: 10 publik reports; klotter 4 and skadegorelse 3 are named, the rest (2 + 1)
        # makes "ovrigt" 3. A kommun-precision report there is not counted.
        rows(A, "klotter", 4) + rows(A, "skadegorelse", 3) + rows(A, "belysning", 2)
        + rows(A, "narkotika", 1) + rows(A, "ran", 1, precision="kommun")
        # B: 2 reports: the cell vanishes.
        + rows(B, "klotter", 2)
        # C: klotter 3 + belysning 1: the remainder 1 would give itself away as n − 3,
        # so klotter is folded too.
        + rows(C, "klotter", 3) + rows(C, "belysning", 1, when="2024-11-02 08:00")
        # D: 5 intern + 2 publik: only the 2 count, so the cell vanishes.
        + rows(D, "vald_hot", 5, visibility="intern") + rows(D, "vald_hot", 2)
        # E: 4 intern only.
        + rows(E, "narkotika", 4, visibility="intern"))


def by_cell(out: gpd.GeoDataFrame) -> dict[str, dict]:
    return {row.cell_id: {"n": row.n, "cats": json.loads(row.by_category),
                          "first": row.first, "last": row.last}
            for row in out.itertuples()}


def cell_id(cell: tuple[int, int]) -> str:
    return f"h250_{cell[0]}_{cell[1]}"


def test_counts_per_cell_and_suppression_below_k(reports):
    out = public_aggregate(reports, cell=CELL, grid="hex", min_count=3)
    cells = by_cell(out)
    assert set(cells) == {cell_id(A), cell_id(C)}  # B (2) and D (2 publik) vanish
    assert cells[cell_id(A)]["n"] == 10
    assert cells[cell_id(A)]["cats"] == {"klotter": 4, "skadegorelse": 3, "ovrigt": 3}
    assert cells[cell_id(C)]["n"] == 4
    assert cells[cell_id(C)]["cats"] == {"ovrigt": 4}
    assert cells[cell_id(C)]["first"] == "2024-11" and cells[cell_id(C)]["last"] == "2025-03"
    assert out.crs == reports.crs
    assert out.attrs["params"] == {"cell": CELL, "grid": "hex", "min_count": 3,
                                   "by": "category"}
    polygon = out.set_index("cell_id").geometry[cell_id(A)]
    assert polygon.contains(shapely.Point(*centre(A)))


def test_intern_reports_are_left_out(reports):
    out = public_aggregate(reports, cell=CELL)
    assert cell_id(E) not in set(out["cell_id"])
    assert out["n"].sum() == 14  # A 10 + C 4: no intern report, no kommun point
    flipped = reports.copy()
    flipped["visibility"] = "intern"
    assert public_aggregate(flipped, cell=CELL).empty
    missing = reports.copy()
    missing.loc[:, "visibility"] = None
    assert publishable(missing).empty


def test_output_has_no_text_id_or_exact_time(reports):
    out = public_aggregate(reports, cell=CELL)
    assert tuple(out.columns) == CELL_COLUMNS
    text = out.drop(columns="geometry").to_json() + json.dumps(out.attrs, default=str)
    for secret in ("SECRET", "Hemlig", "Hemvägen", "tycktill", "21:30", "2025-03-14"):
        assert secret not in text


def test_every_published_number_is_at_least_k(reports):
    for k in (1, 2, 3, 4, 5):
        out = public_aggregate(reports, cell=CELL, min_count=k)
        for row in out.itertuples():
            cats = json.loads(row.by_category)
            assert row.n >= k and sum(cats.values()) == row.n
            assert all(v >= k for v in cats.values())
    assert public_aggregate(reports, cell=CELL, min_count=11).empty


def test_fold_counts_rule_on_random_cells():
    rng = np.random.default_rng(3)
    codes = list(schema.CATEGORIES)
    for _ in range(2000):
        k = int(rng.integers(1, 6))
        counts = {c: int(rng.integers(0, 8)) for c in rng.choice(codes, rng.integers(1, 6))}
        folded = fold_counts(counts, k)
        total = sum(counts.values())
        if total < k:
            assert folded == {}
            continue
        assert sum(folded.values()) == total
        assert all(v >= k for v in folded.values())
        for code, v in folded.items():  # a named count is the true count
            if code != "ovrigt":
                assert v == counts[code]
        assert list(folded)[-1:] == ["ovrigt"] or "ovrigt" not in folded


def test_fold_counts_examples():
    assert fold_counts({"klotter": 4, "belysning": 2}, 3) == {"ovrigt": 6}
    assert fold_counts({"klotter": 4, "ran": 3, "belysning": 2}, 3) == {
        "klotter": 4, "ovrigt": 5}  # the smallest named (ran 3) joins the remainder 2
    assert fold_counts({"klotter": 4, "belysning": 1, "ran": 1, "brand": 1}, 3) == {
        "klotter": 4, "ovrigt": 3}
    assert fold_counts({"ovrigt": 5, "klotter": 3}, 3) == {"klotter": 3, "ovrigt": 5}
    assert fold_counts({"klotter": 2}, 3) == {}


def test_other_breakdowns_and_bad_arguments(reports):
    out = public_aggregate(reports, cell=CELL, by="kind")
    assert "by_kind" in out and json.loads(out["by_kind"].iloc[0])
    with pytest.raises(ArgumentError, match="dela upp"):
        public_aggregate(reports, by="description")
    with pytest.raises(ArgumentError, match="min-count"):
        public_aggregate(reports, min_count=0)
    lonlat = reports.to_crs(4326)
    with pytest.raises(ArgumentError, match="projicerat"):
        public_aggregate(lonlat)
    assert public_aggregate(reports.iloc[:0], cell=CELL).empty


def test_square_grid(reports):
    out = public_aggregate(reports, cell=500.0, grid="square")
    assert out["cell_id"].str.startswith("s500_").all()
    assert out["n"].sum() <= 14 and (out["n"] >= 3).all()


# -- hotspot areas ------------------------------------------------------------------------
def hotspot(cells: list[tuple[int, int]], name: str, rank: int) -> dict:
    """A hotspot polygon covering the inner part of ``cells``, like a clusters run's."""
    geom = shapely.union_all([shapely.Point(*centre(c)).buffer(60) for c in cells])
    return {"hotspot_id": f"HS-{rank}", "name": name, "rank": rank, "n": 999,
            "by_category": json.dumps({"klotter": 1}), "share_dark": 0.123,
            "busiest": "mån 03–04", "first": pd.Timestamp("2024-01-01 03:17", tz="UTC"),
            "geometry": geom}


@pytest.fixture
def hotspots() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame([
        hotspot([A, C], "Torget", 1),
        hotspot([E], "Skolan", 2),  # intern reports only: left out
        hotspot([B], "Parken", 3),  # 2 publik reports: left out
        hotspot([A], "Område vid 60.0312° N, 17.1575° Ö", 4),  # A already used by rank 1
    ], crs=3006)


def test_hotspots_are_generalised_to_published_cells(reports, hotspots):
    out = public_hotspots(hotspots, reports, cell=CELL, min_count=3)
    assert tuple(out.columns) == HOTSPOT_COLUMNS
    assert len(out) == 1
    row = out.iloc[0]
    assert row["name"] == "Torget" and row["rank"] == 1 and row["cells"] == 2
    assert row["n"] == 14  # the sum of cells A (10) and C (4)
    assert json.loads(row["by_category"]) == {"klotter": 4, "skadegorelse": 3, "ovrigt": 7}
    cells = public_aggregate(reports, cell=CELL).set_index("cell_id").geometry
    assert row.geometry.equals(shapely.union_all([cells[cell_id(A)], cells[cell_id(C)]]))
    assert row["first"] == "2024-11" and row["last"] == "2025-03"
    # 13 reports on a Friday at 22:30 local time in March (dark), one at 09:00 in
    # November (light):
    # a light count of 1 must not be published.
    assert row["share_dark"] is None or np.isnan(row["share_dark"])
    assert row["busiest"] == "fre 22–23"
    text = out.drop(columns="geometry").to_json()
    assert "HS-" not in text and "999" not in text and "mån 03" not in text


def test_hotspot_share_dark_and_busiest_only_from_k_reports(reports, hotspots):
    extra = make_reports(rows(C, "klotter", 3, when="2024-11-04 12:00"))
    extra["report_id"] = extra["report_id"].str.replace("SECRET", "EXTRA")
    both = pd.concat([reports, extra], ignore_index=True)
    out = public_hotspots(hotspots, both, cell=CELL, min_count=3)
    row = out.iloc[0]
    assert row["n"] == 17
    assert row["share_dark"] == pytest.approx(0.8)  # 13 of 17, rounded to 10 %
    assert row["busiest"] == "fre 22–23"
    strict = public_hotspots(hotspots, both, cell=CELL, min_count=14)
    assert strict.empty  # no cell holds 14 reports


def test_coordinate_names_are_replaced(reports, hotspots):
    renamed = hotspots.copy()
    renamed.loc[0, "name"] = "Område vid 60.0312° N, 17.1575° Ö"
    out = public_hotspots(renamed, reports, cell=CELL)
    assert list(out["name"]) == ["Område 1"]
    assert public_hotspots(hotspots.iloc[:0], reports, cell=CELL).empty


def test_fold_rows_leaves_nothing_to_subtract():
    from trygg.layers.public import fold_rows

    table = pd.DataFrame({"area": ["A", "B", "C", "D"], "n": [35, 11, 2, 0],
                          "previous": [49, 9, 3, 0]})
    out = fold_rows(table, "area", ["n", "previous"], 3, "_other")
    # C (2) alone would be 2 in "other": the smallest named group (B) joins it
    assert out["area"].tolist() == ["A", "D", "_other"]
    assert out.loc[2, "n"] == 13 and out.loc[2, "previous"] == 12
    assert out["n"].sum() == table["n"].sum()
    values = out[["n", "previous"]].to_numpy()
    assert ((values == 0) | (values >= 3)).all()
    assert fold_rows(table.iloc[:2], "area", ["n", "previous"], 3)["area"].tolist() == ["A", "B"]

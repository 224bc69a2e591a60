import numpy as np
import pytest
import shapely
from numpy.testing import assert_array_equal

from trygg.geo.errors import ArgumentError
from trygg.geo.grid import assign, auto_cell_size, make_grid


def test_square_cells_are_anchored_to_multiples_of_the_cell_size():
    g = make_grid(np.array([620_013.0, 620_480.0]), np.array([6_650_007.0, 6_650_390.0]),
                  cell=100, clip=False)
    minx, miny, _, _ = g.total_bounds
    assert minx % 100 == 0 and miny % 100 == 0
    assert "s100_6200_66500" in set(g["cell_id"])
    # The same place gets the same cell in a run over other points.
    other = make_grid(np.array([620_050.0, 625_000.0]), np.array([6_650_050.0, 6_655_000.0]),
                      cell=100, clip=False)
    a = g.set_index("cell_id").loc["s100_6200_66500", "geometry"]
    b = other.set_index("cell_id").loc["s100_6200_66500", "geometry"]
    assert a.equals(b)


@pytest.mark.parametrize("kind", ["square", "hex"])
def test_every_point_is_assigned_to_the_cell_that_contains_it(kind):
    rng = np.random.default_rng(3)
    x = rng.uniform(600_000, 603_000, 2000)
    y = rng.uniform(6_600_000, 6_602_000, 2000)
    g = make_grid(x, y, cell=150, kind=kind)
    idx = assign(g, x, y, cell=150, kind=kind)
    assert (idx >= 0).all()
    assert shapely.covers(g.geometry.to_numpy()[idx], shapely.points(x, y)).all()
    assert g["cell_id"].is_unique


def test_clip_keeps_cells_near_the_convex_hull_only():
    x = np.array([0.0, 1000.0, 0.0]) + 600_000
    y = np.array([0.0, 0.0, 1000.0]) + 6_600_000
    full = make_grid(x, y, cell=100, clip=False)
    clipped = make_grid(x, y, cell=100)
    assert len(clipped) < len(full)
    assert len(clipped) > 50


def test_auto_cell_size_is_a_round_number():
    x = np.array([600_000.0, 612_000.0])
    y = np.array([6_600_000.0, 6_610_000.0])
    assert auto_cell_size(x, y) == 200.0  # 10 km / 50


def test_bad_arguments_name_the_fix():
    with pytest.raises(ArgumentError, match="square eller hex"):
        make_grid(np.array([1.0]), np.array([1.0]), cell=10, kind="round")
    with pytest.raises(ArgumentError, match="större än 0"):
        make_grid(np.array([1.0]), np.array([1.0]), cell=0)


# -- every point counts exactly once ---------------------------------------------------------
def _edge_points(rng, x0, y0, cols, rows, cell, n):
    """Whole-metre points, a third of them exactly on cell edges and corners."""
    x = rng.integers(x0, x0 + cols * cell + 1, n).astype(float)
    y = rng.integers(y0, y0 + rows * cell + 1, n).astype(float)
    on_x = rng.random(n) < 0.33
    on_y = rng.random(n) < 0.33
    x[on_x] = x0 + cell * rng.integers(0, cols + 1, on_x.sum())
    y[on_y] = y0 + cell * rng.integers(0, rows + 1, on_y.sum())
    return x, y


def _half_open_brute_force(bounds, x, y):
    """The documented rule, cell by cell: the cell whose [minx, maxx) × [miny, maxy)
    holds the point; on the grid's outer edge the lowest-numbered cell that covers it."""
    minx, miny, maxx, maxy = (bounds[:, k][:, None] for k in range(4))
    half_open = (minx <= x) & (x < maxx) & (miny <= y) & (y < maxy)
    closed = (minx <= x) & (x <= maxx) & (miny <= y) & (y <= maxy)
    assert (half_open.sum(axis=0) <= 1).all()
    out = np.where(half_open.any(axis=0), half_open.argmax(axis=0), closed.argmax(axis=0))
    return np.where(closed.any(axis=0), out, -1)


def test_users_squares_count_points_on_edges_and_corners_exactly_once():
    from trygg.geo.grid import assign_polygons

    rng = np.random.default_rng(8)
    cols, rows, cell, x0, y0 = 12, 9, 250, 620_000, 6_650_000
    boxes = [shapely.box(x0 + c * cell, y0 + r * cell, x0 + (c + 1) * cell, y0 + (r + 1) * cell)
             for r in range(rows) for c in range(cols)]
    order = rng.permutation(len(boxes))  # a file's cells in any order
    geoms = np.array(boxes, dtype=object)[order]
    x, y = _edge_points(rng, x0, y0, cols, rows, cell, 20_000)
    x = np.r_[x, x0 - 5.0, x0 + cols * cell + 1.0]  # two points outside the grid
    y = np.r_[y, y0 + 10.0, y0 + 10.0]
    idx = assign_polygons(geoms, x, y)
    expected = _half_open_brute_force(shapely.bounds(geoms), x, y)
    assert_array_equal(idx, expected)
    assert (idx[-2:] == -1).all() and (idx[:-2] >= 0).all()
    # The counts add up: nothing dropped, nothing counted twice.
    assert np.bincount(idx[idx >= 0], minlength=len(geoms)).sum() == len(x) - 2


def test_users_hexagons_and_odd_polygons_count_each_point_once():
    from trygg.geo.grid import assign_polygons

    g = make_grid(np.array([600_000.0, 601_000.0]), np.array([6_600_000.0, 6_601_000.0]),
                  cell=200, kind="hex", clip=False)
    geoms = g.geometry.to_numpy()
    # Every hexagon corner and edge midpoint, as floating point gives them.
    ring = np.concatenate([np.asarray(p.exterior.coords)[:-1] for p in geoms])
    mids = np.concatenate([(np.asarray(p.exterior.coords)[:-1] + np.asarray(p.exterior.coords)[1:])
                           / 2 for p in geoms])
    xy = np.r_[ring, mids]
    idx = assign_polygons(geoms, xy[:, 0], xy[:, 1])
    pts = shapely.points(xy)
    inside = idx >= 0
    assert shapely.dwithin(geoms[idx[inside]], pts[inside], 1e-6).all()
    # Only points truly beyond the grid's outer boundary are left out.
    assert not shapely.dwithin(shapely.union_all(geoms), pts[~inside], 1e-9).any()


@pytest.mark.parametrize("cell", [250.0, 100.0, 150.0, 2.5])
def test_built_in_squares_follow_the_same_half_open_rule(cell):
    rng = np.random.default_rng(int(cell * 10))
    x0, y0 = 620_000.0, 6_650_000.0
    x, y = _edge_points(rng, int(x0), int(y0), 10, 8, cell, 5000)
    if cell < 10:  # keep points on the 2.5 m lattice exact
        x, y = np.round(x * 2) / 2, np.round(y * 2) / 2
    g = make_grid(x, y, cell=cell, clip=False)
    idx = assign(g, x, y, cell=cell)
    expected = _half_open_brute_force(shapely.bounds(g.geometry.to_numpy()), x, y)
    assert_array_equal(idx, expected)


def test_built_in_hexagons_put_points_on_edges_and_corners_in_a_touching_cell():
    rng = np.random.default_rng(5)
    g = make_grid(rng.uniform(600_000, 602_000, 50), rng.uniform(6_600_000, 6_602_000, 50),
                  cell=150, kind="hex", clip=False)
    geoms = g.geometry.to_numpy()
    inner = geoms[shapely.within(shapely.centroid(geoms), shapely.box(600_300, 6_600_300,
                                                                       601_700, 6_601_700))]
    ring = np.concatenate([np.asarray(p.exterior.coords)[:-1] for p in inner])
    mids = np.concatenate([(np.asarray(p.exterior.coords)[:-1] + np.asarray(p.exterior.coords)[1:])
                           / 2 for p in inner])
    xy = np.r_[ring, mids]
    idx = assign(g, xy[:, 0], xy[:, 1], cell=150, kind="hex")
    assert (idx >= 0).all()
    assert shapely.dwithin(geoms[idx], shapely.points(xy), 1e-6).all()


# -- the automatic cell size ------------------------------------------------------------------
@pytest.mark.parametrize(("short_side", "expected"), [
    (39_000, 700), (10_000, 200), (12_500, 200), (5_000, 100), (4_000, 50), (1_200, 20),
    (60_000, 1200)])
def test_auto_cell_size_follows_sfhotspot(short_side, expected):
    # sfhotspot: floor(side / 50 / 100) * 100; below 100 m a round number rounded down.
    x = np.array([600_000.0, 600_000.0 + short_side + 6_000])
    y = np.array([6_600_000.0, 6_600_000.0 + short_side])
    assert auto_cell_size(x, y) == expected


# -- resource guard ---------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["square", "hex"])
def test_estimate_matches_the_grid_built(kind):
    from trygg.geo.grid import estimate_cells

    x = np.array([600_013.0, 603_480.0])
    y = np.array([6_650_007.0, 6_652_390.0])
    built = len(make_grid(x, y, cell=100, kind=kind, clip=False))
    est = estimate_cells((x.min(), y.min(), x.max(), y.max()), 100, kind)
    assert built <= est <= 1.15 * built + 50


def test_a_grid_too_large_for_the_memory_is_refused_before_it_is_built(monkeypatch):
    import trygg.geo.grid as grid

    x = np.array([600_000.0, 640_000.0])
    y = np.array([6_600_000.0, 6_638_000.0])
    # Pretend 8 MB are free: room for about 5,300 cells at BYTES_PER_CELL.
    monkeypatch.setattr(grid, "available_memory", lambda: 8_000_000)
    built = []
    monkeypatch.setattr(grid.shapely, "box", lambda *a, **k: built.append(1))
    with pytest.raises(ArgumentError,
                       match="--cell 1 ger ungefär 1\xa0520\xa0\\d+\xa0\\d+ rutor") as err:
        grid.make_grid(x, y, cell=1)
    assert not built  # refused before any cell was made
    fits = float(err.value.sv.split("Välj --cell ")[1].split()[0])
    assert "or larger" in err.value.en
    limit = grid.cell_limit()
    assert grid.estimate_cells((600_000, 6_600_000, 640_000, 6_638_000), fits) <= limit
    # …and it is the smallest round size that fits.
    smaller = grid._nice_floor(fits * 0.99)
    assert grid.estimate_cells((600_000, 6_600_000, 640_000, 6_638_000), smaller) > limit
    monkeypatch.undo()
    assert len(grid.make_grid(x, y, cell=fits)) > 0


def test_the_absolute_cap_holds_whatever_the_memory(monkeypatch):
    import trygg.geo.grid as grid

    monkeypatch.setattr(grid, "available_memory", lambda: 10**15)
    monkeypatch.setattr(grid, "MAX_CELLS", 1000)
    with pytest.raises(ArgumentError, match="Välj --cell 200 eller större"):
        grid.make_grid(np.array([600_000.0, 605_000.0]), np.array([6_600_000.0, 6_605_000.0]),
                       cell=100)
    monkeypatch.setattr(grid, "available_memory", lambda: None)  # unknown: the cap only
    assert grid.cell_limit() == 1000


def test_available_memory_reads_the_system():
    from trygg.geo.grid import available_memory

    free = available_memory()
    assert free is None or free > 0


# -- the fast paths give what the plain rule gives ---------------------------------------------
@pytest.mark.parametrize("seed", range(6))
def test_a_clipped_grid_is_every_cell_touching_the_buffered_hull(seed):
    """make_grid builds boxes only near the hull; the cells kept must be exactly those of the
    whole bounding-box grid that touch the hull buffered by half a cell."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 3000))
    x = rng.normal(600_000, rng.uniform(50, 3000), n)
    y = rng.uniform(6_600_000, 6_605_000, n)
    cell = float(rng.choice([25.0, 100.0, 137.5]))
    full = make_grid(x, y, cell=cell, clip=False)
    zone = shapely.buffer(shapely.MultiPoint(np.c_[x, y]).convex_hull, cell / 2)
    expected = full[shapely.intersects(zone, full.geometry.to_numpy())]
    assert list(make_grid(x, y, cell=cell).cell_id) == list(expected.cell_id)


@pytest.mark.parametrize("kind", ["square", "hex"])
def test_assign_puts_each_point_in_the_cell_that_holds_it(kind):
    """The dense lookup of assign equals a point-in-polygon test (interiors only)."""
    rng = np.random.default_rng(11)
    x, y = rng.uniform(0, 2_000, 4000), rng.uniform(0, 1_500, 4000)
    cells = make_grid(x, y, cell=100.0, kind=kind)
    index = assign(cells, x, y, cell=100.0, kind=kind)
    inside = shapely.contains_xy(cells.geometry.to_numpy()[index], x, y)
    assert (index >= 0).all() and inside.mean() > 0.999  # edges aside

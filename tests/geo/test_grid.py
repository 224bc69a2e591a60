import numpy as np
import pytest
import shapely

from geo.errors import ArgumentError
from geo.grid import assign, auto_cell_size, make_grid


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

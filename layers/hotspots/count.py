"""Counts of reports per grid cell (``trygg hotspots --method count``)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np

from trygg.geo.errors import ArgumentError
from trygg.geo.grid import assign, assign_polygons, auto_cell_size, make_grid
from trygg.layers.hotspots._validate import check_cell, point_xy


def hotspot_count(points: gpd.GeoDataFrame, *, cell: float | None = None,
                  grid: str | gpd.GeoDataFrame = "square",
                  weights: str | np.ndarray | None = None,
                  quiet: bool = False) -> gpd.GeoDataFrame:
    """Count points (or sum their weights) in each cell of a grid.

    Parameters
    ----------
    points
        Points in a projected CRS (metres), e.g. the project's reports.
    cell
        Cell size in metres; chosen with :func:`geo.grid.auto_cell_size` and
        announced in ``attrs["notes"]`` when ``None``.
    grid
        ``"square"`` or ``"hex"`` (anchored to a fixed origin), or a user's own
        polygon grid (e.g. SCB's 250 m squares or DeSO areas) used as given.
    weights
        Column name or array of weights; every point counts 1 when ``None``.
    quiet
        Leave out the notes about chosen defaults.

    Returns
    -------
    GeoDataFrame
        The grid with ``cell_id`` and ``n`` (weighted count); ``attrs`` holds
        ``params`` (cell, grid) and ``notes`` ((Swedish, English) pairs).
    """
    check_cell(cell)
    x, y, w = point_xy(points, weights=weights)
    cells, index, params, notes = grid_for(points, x, y, cell=cell, grid=grid)
    inside = index >= 0
    n = np.bincount(index[inside], weights=w[inside], minlength=len(cells))
    out = cells.copy()
    out["n"] = n
    out.attrs["params"] = params
    out.attrs["notes"] = [] if quiet else notes
    return out


def grid_for(points: gpd.GeoDataFrame, x: np.ndarray, y: np.ndarray, *, cell: float | None,
             grid: str | gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, np.ndarray, dict, list]:
    """The grid for an analysis and the cell of each point (-1 outside).

    Every point counts in exactly one cell: generated grids by
    :func:`geo.grid.assign`, a user's polygons by :func:`geo.grid.assign_polygons`
    (half-open cells: a point on a shared edge or corner goes to the cell east
    or north of it). Points outside every polygon of a user's grid count in no
    cell; how many is said in the notes.

    Returns ``(cells, index, params, notes)``; ``cells`` has ``cell_id`` and,
    for generated grids, ``col``/``row``.
    """
    notes: list[tuple[str, str]] = []
    if isinstance(grid, gpd.GeoDataFrame):
        cells = grid.to_crs(points.crs).reset_index(drop=True)
        if "cell_id" not in cells:
            cells.insert(0, "cell_id", [f"c{i}" for i in range(len(cells))])
        index = assign_polygons(cells.geometry.to_numpy(), x, y)
        outside = int((index < 0).sum())
        if outside == len(index):
            raise ArgumentError("Rutnätet och punkterna överlappar inte. Kontrollera att de "
                                "gäller samma område och koordinatsystem.",
                                "The grid and the points do not overlap. Check that they "
                                "cover the same area and coordinate system.")
        if outside:
            notes.append((f"{outside} av {len(index)} punkter ligger utanför rutnätets celler "
                          "och räknas inte.",
                          f"{outside} of {len(index)} points lie outside the grid's cells and "
                          "are not counted."))
        return cells, index, {"grid": "user", "cells": len(cells), "outside": outside}, notes
    if cell is None:
        cell = auto_cell_size(x, y)
        notes.append((f"Cellstorlek satt automatiskt till {cell:g} meter (kortaste sidan av "
                       "punkternas utbredning / 50, avrundat nedåt som i sfhotspot).",
                       f"Cell size set to {cell:g} metres automatically (shorter side of the "
                       "points' extent / 50, rounded down as in sfhotspot)."))
    cells = make_grid(x, y, cell=cell, kind=grid, crs=points.crs)
    index = assign(cells, x, y, cell=cell, kind=grid)
    return cells, index, {"grid": grid, "cell": cell, "cells": len(cells)}, notes

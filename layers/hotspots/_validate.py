"""Checks every hotspot function makes on its input, with messages that name the fix.

In the spirit of sfhotspot's validator: zero rows, a geographic or missing
CRS, geometries that are not points, points at (0, 0), a grid that does not
overlap the points.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from trygg.geo.errors import ArgumentError


def point_xy(points: gpd.GeoDataFrame, *, name: str = "points",
             weights: str | np.ndarray | pd.Series | None = None
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coordinates (metres) and weights of the usable points.

    Rows without a geometry are skipped; every other problem is an error.

    Parameters
    ----------
    points
        Points in a projected CRS (metres): a GeoDataFrame, or the coordinate
        arrays of :meth:`layers.store.GeoPackageStore.read_points` (the fast path).
    name
        The argument's name, for messages.
    weights
        A column name of ``points``, an array of one weight per row, or
        ``None`` (every point weighs 1).

    Returns
    -------
    (x, y, w)
        Float arrays for the rows that have a point.
    """
    from trygg.layers.store import ReportPoints

    if isinstance(points, ReportPoints):
        return _arrays_xy(points, name=name, weights=weights)
    if not isinstance(points, gpd.GeoDataFrame):
        raise ArgumentError(f"`{name}` måste vara en GeoDataFrame med punkter.",
                            f"`{name}` must be a GeoDataFrame of points.")
    if len(points) == 0:
        raise ArgumentError(f"`{name}` har inga rader. Välj ett annat urval (kategori, "
                            "källa, period).",
                            f"`{name}` has no rows. Choose another selection (category, "
                            "source, period).")
    if points.crs is None:
        raise ArgumentError(f"`{name}` saknar koordinatsystem. Ange det med set_crs, t.ex. "
                            "EPSG:3006.",
                            f"`{name}` has no coordinate system. Set it with set_crs, e.g. "
                            "EPSG:3006.")
    if not points.crs.is_projected:
        raise ArgumentError(
            f"Hotspotanalyser kan inte göras i longitud/latitud ({points.crs.to_string()}). "
            "Transformera `" + name + "` till ett projicerat koordinatsystem i meter, t.ex. "
            "EPSG:3006.",
            f"Hotspot analyses cannot be done in longitude/latitude "
            f"({points.crs.to_string()}). Transform `{name}` to a projected CRS in metres, "
            "e.g. EPSG:3006.")
    geom = points.geometry
    present = (geom.notna() & ~geom.is_empty).to_numpy()
    if not present.any():
        raise ArgumentError(f"Ingen rad i `{name}` har en punkt. Geokoda först (trygg "
                            "geocode).",
                            f"No row of `{name}` has a point. Geocode first (trygg geocode).")
    if (shapely.get_type_id(geom.values[present]) != 0).any():  # 0 = Point
        kinds = sorted(set(geom[present].geom_type))
        raise ArgumentError(f"`{name}` måste bestå av punkter, inte {', '.join(kinds)}.",
                            f"`{name}` must hold points, not {', '.join(kinds)}.")
    x = geom.x.to_numpy(float)[present]
    y = geom.y.to_numpy(float)[present]
    return _checked(x, y, present, len(points),
                    lambda col: points[col], name=name, weights=weights)


def _arrays_xy(points, *, name: str, weights) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`point_xy` for :class:`layers.store.ReportPoints` (every row has a point)."""
    import pyproj

    if len(points) == 0:
        raise ArgumentError(f"`{name}` har inga rader. Välj ett annat urval (kategori, "
                            "källa, period).",
                            f"`{name}` has no rows. Choose another selection (category, "
                            "source, period).")
    crs = pyproj.CRS.from_user_input(points.crs)
    if not crs.is_projected:
        raise ArgumentError(
            f"Hotspotanalyser kan inte göras i longitud/latitud ({crs.to_string()}).",
            f"Hotspot analyses cannot be done in longitude/latitude ({crs.to_string()}).")
    x = np.asarray(points.x, float)
    y = np.asarray(points.y, float)
    return _checked(x, y, np.ones(len(x), bool), len(x),
                    lambda col: points.attributes[col], name=name, weights=weights)


def _checked(x: np.ndarray, y: np.ndarray, present: np.ndarray, rows: int, column, *,
             name: str, weights) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The checks on coordinates and weights shared by both kinds of input."""
    if np.any((x == 0) & (y == 0)):
        raise ArgumentError(f"`{name}` har punkter i (0, 0): ett tecken på saknade "
                            "koordinater. Ta bort dem först.",
                            f"`{name}` has points at (0, 0), a sign of missing coordinates. "
                            "Remove them first.")
    if weights is None:
        w = np.ones(present.sum())
    else:
        values = column(weights) if isinstance(weights, str) else pd.Series(np.asarray(weights))
        if len(values) != rows:
            raise ArgumentError("`weights` måste ha en vikt per rad.",
                                "`weights` must have one weight per row.")
        w = pd.to_numeric(pd.Series(np.asarray(values)), errors="coerce").to_numpy(float)[present]
        if np.any(~np.isfinite(w)) or np.any(w < 0):
            raise ArgumentError("Vikterna måste vara tal större än eller lika med 0.",
                                "Weights must be numbers greater than or equal to 0.")
    return x, y, w


def check_cell(cell: float | None) -> None:
    """A cell size, when given, must be a positive number of metres."""
    if cell is not None and (not np.isfinite(cell) or cell <= 0):
        raise ArgumentError(f"Cellstorleken måste vara ett positivt antal meter, inte {cell}.",
                            f"The cell size must be a positive number of metres, not {cell}.")

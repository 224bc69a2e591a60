"""Project areas: the extent points must fall in, from a boundary file."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyogrio

from geo.errors import InputFileError


def area_bounds(path: str | Path, *, layer: str | None = None, crs: str = "EPSG:3006",
                margin: float = 2000.0) -> tuple[float, float, float, float]:
    """Bounds of all features in ``path``, in ``crs``, widened by ``margin`` metres.

    Parameters
    ----------
    path
        A vector file (GeoPackage, GeoJSON, Shapefile) with the area, e.g. the
        municipal boundary.
    layer
        The layer to read (default: the file's first layer).
    crs
        Target CRS (the project CRS), default EPSG:3006.
    margin
        Added on every side, in metres (default 2000).

    Returns
    -------
    (min x, min y, max x, max y)
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"Områdesfilen '{path}' finns inte.",
                             f"The area file '{path}' does not exist.")
    try:
        layer = layer or str(pyogrio.list_layers(path)[0][0])
        gdf = gpd.read_file(path, layer=layer, engine="pyogrio")
    except Exception as exc:  # pyogrio raises several kinds for unreadable files
        raise InputFileError(f"'{path.name}' går inte att läsa som geodata ({exc}).",
                             f"'{path.name}' cannot be read as vector data ({exc}).") from None
    if gdf.empty or gdf.crs is None:
        raise InputFileError(f"'{path.name}' har inga objekt eller inget koordinatsystem.",
                             f"'{path.name}' has no features or no coordinate system.")
    minx, miny, maxx, maxy = gdf.to_crs(crs).total_bounds
    return (float(minx - margin), float(miny - margin), float(maxx + margin),
            float(maxy + margin))

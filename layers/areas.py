"""Project areas and users' grids: polygon files, one layer of them.

A file with several layers (a GeoPackage holding the municipal boundary and the
districts, say) is never read silently from its first layer: name the layer
after the file and a colon, ``gränser.gpkg:kommun`` (``--area``, ``--grid``).
A file with one layer needs no name.
"""

from __future__ import annotations

import math
import shlex
from pathlib import Path

import geopandas as gpd
import pyogrio

from trygg.geo.errors import ArgumentError, InputFileError


def split_layer(spec: str | Path) -> tuple[Path, str | None]:
    """File and layer of ``FILE`` or ``FILE:LAYER``.

    A path that exists as a file is taken whole (so a colon in a file name
    works); otherwise the text after the last colon is the layer when the text
    before it is an existing file.
    """
    text = str(spec)
    if Path(text).is_file() or ":" not in text:
        return Path(text), None
    base, layer = text.rsplit(":", 1)
    if layer and Path(base).is_file():
        return Path(base), layer
    return Path(text), None


def read_layer(spec: str | Path, *, layer: str | None = None, option: str = "--area",
               what: tuple[str, str] = ("Områdesfilen", "The area file"),
               polygons: bool = False) -> gpd.GeoDataFrame:
    """One layer of a vector file (GeoPackage, GeoJSON, Shapefile …).

    Parameters
    ----------
    spec
        ``FILE`` or ``FILE:LAYER`` (see :func:`split_layer`).
    layer
        The layer, instead of writing it after the file name.
    option
        The option the file came from, for the message (``--area``, ``--grid``).
    what
        (Swedish, English) name of the file in messages.
    polygons
        Require polygons (a grid's cells).

    Returns
    -------
    GeoDataFrame
        The layer's features, in the file's CRS.

    Raises
    ------
    InputFileError
        The file is missing or unreadable; it has several layers and none was
        named (the message lists them and shows how to pick one); the layer
        named is not in it; it has no features or no CRS; with ``polygons``,
        geometries that are not polygons.
    """
    path, named = split_layer(spec)
    layer = layer or named
    what_sv, what_en = what
    if not path.is_file():
        raise InputFileError(f"{what_sv} '{path}' finns inte.",
                             f"{what_en} '{path}' does not exist.")
    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # pyogrio raises several kinds for unreadable files
        raise InputFileError(f"'{path.name}' går inte att läsa som geodata ({exc}).",
                             f"'{path.name}' cannot be read as vector data ({exc}).") from None
    listed = ", ".join(layers)
    if layer is None and len(layers) > 1:
        raise InputFileError(
            f"'{path.name}' har {len(layers)} lager: {listed}. Ange vilket efter ett kolon, "
            f"t.ex. {option} {shlex.quote(f'{path}:{layers[0]}')}.",
            f"'{path.name}' has {len(layers)} layers: {listed}. Name one after a colon, e.g. "
            f"{option} {shlex.quote(f'{path}:{layers[0]}')}.")
    if layer is not None and layer not in layers:
        raise InputFileError(f"'{path.name}' har inget lager '{layer}'. Lagren är: {listed}.",
                             f"'{path.name}' has no layer '{layer}'. Its layers are: {listed}.")
    if not layers:
        raise InputFileError(f"'{path.name}' har inga lager.", f"'{path.name}' has no layers.")
    try:
        gdf = gpd.read_file(path, layer=layer or layers[0], engine="pyogrio")
    except Exception as exc:
        raise InputFileError(f"'{path.name}' går inte att läsa som geodata ({exc}).",
                             f"'{path.name}' cannot be read as vector data ({exc}).") from None
    if gdf.empty or gdf.crs is None:
        raise InputFileError(f"'{path.name}' har inga objekt eller inget koordinatsystem.",
                             f"'{path.name}' has no features or no coordinate system.")
    kinds = set(gdf.geometry.dropna().geom_type) - {"Polygon", "MultiPolygon"}
    if polygons and kinds:
        raise InputFileError(
            f"'{path.name}' ska innehålla polygoner, inte {', '.join(sorted(kinds))}.",
            f"'{path.name}' must hold polygons, not {', '.join(sorted(kinds))}.")
    return gdf


def read_grid_file(spec: str | Path, crs: str) -> gpd.GeoDataFrame:
    """A user's grid (``--grid FILE`` or ``FILE:LAYER``) in ``crs``; see :func:`read_layer`."""
    return read_layer(spec, option="--grid", what=("Rutnätsfilen", "The grid file"),
                      polygons=True).to_crs(crs)


def area_bounds(path: str | Path, *, layer: str | None = None, crs: str = "EPSG:3006",
                margin: float = 2000.0) -> tuple[float, float, float, float]:
    """Bounds of all features in one layer of ``path``, in ``crs``, widened by
    ``margin`` metres.

    Parameters
    ----------
    path
        A vector file (GeoPackage, GeoJSON, Shapefile) with the area, e.g. the
        municipal boundary; ``FILE:LAYER`` names the layer of a file with
        several (one is required then).
    layer
        The layer to read, instead of ``FILE:LAYER``.
    crs
        Target CRS (the project CRS), default EPSG:3006.
    margin
        Added on every side, in metres (default 2000).

    Returns
    -------
    (min x, min y, max x, max y)

    Raises
    ------
    geo.errors.ArgumentError
        ``margin`` is negative, NaN or infinite.
    geo.errors.InputFileError
        The area has no extent (no geometries, or a point or line with no width or
        height), so every point would fall outside it.
    """
    check_margin(margin)
    gdf = read_layer(path, layer=layer, option="--area")
    minx, miny, maxx, maxy = (float(v) for v in gdf.to_crs(crs).total_bounds)
    bounds = (minx - margin, miny - margin, maxx + margin, maxy + margin)
    if not all(map(math.isfinite, bounds)) or bounds[0] >= bounds[2] or bounds[1] >= bounds[3]:
        name = split_layer(path)[0].name
        raise InputFileError(
            f"Projektområdet i '{name}' har ingen utbredning (även med marginalen {margin:g} m) "
            "och skulle avvisa varje punkt. Ange en fil med kommungränsen eller en större "
            "--margin.",
            f"The project area in '{name}' has no extent (even with the margin {margin:g} m) "
            "and would reject every point. Give a file with the municipal boundary or a larger "
            "--margin.")
    return bounds


def check_margin(margin: float) -> None:
    """Refuse a margin (metres) that is negative, NaN or infinite.

    Raises
    ------
    geo.errors.ArgumentError
        With a one-line message naming the value.
    """
    if not (math.isfinite(margin) and margin >= 0):
        raise ArgumentError(f"--margin ska vara ett ändligt antal meter, 0 eller mer, inte "
                            f"{margin}.",
                            f"--margin must be a finite number of metres, 0 or more, not "
                            f"{margin}.")

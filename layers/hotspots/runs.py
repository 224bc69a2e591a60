"""Run a hotspot method on a project and store the result as layers.

Every run gets a name (``--name`` or ``<method>_<YYYYMMDD_HHMMSS>``), its
result layers (``grid_<run>``, ``hotspots_<run>``; the KDE surface also as a
raster the store keeps, a GeoTIFF beside a GeoPackage project) and a row in
``runs`` with the parameters, the filter, the input counts and the notes about
chosen defaults.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd

from trygg.geo.errors import ArgumentError
from trygg.layers.hotspots.select import (
    Selection,
    report_weights,
    select_points,
    selection_where,
)
from trygg.layers.store import GeoPackageStore

METHODS = ("count", "kde", "gistar", "clusters", "change", "emerging", "divergence")
CLUSTER_METHODS = ("dbscan", "hdbscan", "gistar")

_GRID = ("cell", "grid", "weights", "half_life")
#: The options each method takes, by their ``trygg hotspots`` names (``nb_dist`` is
#: ``--nb-dist``). ``clusters:gistar`` is ``clusters`` with ``--cluster-method gistar``,
#: the only clusters method built on a grid. The selection (``--category``,
#: ``--source``, ``--kind``, ``--since``, ``--until``, ``--hours``) applies to every
#: method. Any other option is refused by :func:`check_options`.
METHOD_OPTIONS: dict[str, tuple[str, ...]] = {
    "count": _GRID,
    "kde": (*_GRID, "bandwidth", "kernel"),
    "gistar": (*_GRID, "nb_dist", "p_adjust"),
    "clusters": ("cluster_method",),
    "clusters:gistar": ("cluster_method", *_GRID),
    "change": (*_GRID, "period_a", "period_b", "same_period_last_year"),
    "emerging": (*_GRID, "nb_dist", "period"),
    "divergence": ("cell", "grid", "nb_dist"),
}
_SELECTION = ("category", "source", "kind", "since", "until", "hours")


def _flag(option: str) -> str:
    return "--" + option.replace("_", "-")


def check_options(method: str, given: list[str] | set[str], *,
                  cluster_method: str | None = None) -> None:
    """Refuse options ``method`` does not take (see :data:`METHOD_OPTIONS`).

    Parameters
    ----------
    method
        One of :data:`METHODS`.
    given
        The options the user set, by name (``bandwidth``, ``nb_dist`` …).
    cluster_method
        For ``clusters``: the ``--cluster-method`` chosen (default dbscan).

    Raises
    ------
    ArgumentError
        Naming the options that do not apply and listing the ones that do.
    """
    key = f"{method}:{cluster_method}" if f"{method}:{cluster_method}" in METHOD_OPTIONS \
        else method
    takes = METHOD_OPTIONS[key]
    bad = [o for o in given if o not in takes and o not in _SELECTION]
    if not bad:
        return
    label = method if key == method else f"{method} --cluster-method {cluster_method}"
    listed = ", ".join(map(_flag, takes))
    extra_sv = extra_en = ""
    if method == "clusters":
        more = ", ".join(_flag(o) for o in METHOD_OPTIONS["clusters:gistar"] if o not in takes)
        if more:
            extra_sv = f" ({more} bara med --cluster-method gistar)"
            extra_en = f" ({more} only with --cluster-method gistar)"
    names = ", ".join(map(_flag, bad))
    raise ArgumentError(
        f"{names} gäller inte metoden {label}. {method} tar: {listed}{extra_sv}, och urvalet "
        f"{', '.join(map(_flag, _SELECTION))}.",
        f"{names} {'does' if len(bad) == 1 else 'do'} not apply to the method {label}. "
        f"{method} takes: {listed}{extra_en}, and the selection "
        f"{', '.join(map(_flag, _SELECTION))}.")


@dataclass
class RunResult:
    """What a run produced: its name, layers written, counts and notes."""

    run_id: str
    method: str
    layers: list[str]
    files: list[Path] = field(default_factory=list)
    #: The rasters are kept inside the project (a PostGIS database); ``files`` are
    #: temporary copies of them.
    files_in_project: bool = False
    n_input: int = 0
    notes: list[tuple[str, str]] = field(default_factory=list)
    summary: dict = field(default_factory=dict)


def run_name(method: str, name: str | None = None) -> str:
    """A run name usable in layer names: lower case, letters, digits and ``_``."""
    if name is None:
        return f"{method}_{datetime.now(UTC):%Y%m%d_%H%M%S}"
    clean = re.sub(r"[^a-z0-9_]+", "_", name.lower().replace("å", "a").replace("ä", "a")
                   .replace("ö", "o")).strip("_")
    if not clean:
        raise ArgumentError(f"Körningens namn '{name}' blir tomt; använd bokstäver och siffror.",
                            f"The run name '{name}' comes out empty; use letters and digits.")
    return clean


def _grid_option(grid: str, grid_file: str | Path | None, crs: str):
    if grid_file is not None:  # FILE or FILE:LAYER; a file of several layers needs the layer
        from trygg.layers.areas import read_grid_file

        return read_grid_file(grid_file, crs)
    if grid not in ("square", "hex"):
        raise ArgumentError(f"--grid ska vara square, hex eller en fil, inte '{grid}'.",
                            f"--grid must be square, hex or a file, not '{grid}'.")
    return grid


def run_hotspots(store: GeoPackageStore, method: str, *, name: str | None = None,
                 selection: Selection | None = None, cell: float | None = None,
                 grid: str = "square", grid_file: str | Path | None = None,
                 use_weights: bool = False, half_life_days: float | None = None,
                 options: dict | None = None) -> RunResult:
    """Run ``method`` on the project's reports and store the result.

    Reads only the columns the method uses (:func:`report_columns`) and lets the
    store filter the selection in the database (:func:`selection_where`).

    Parameters
    ----------
    store
        The open project.
    method
        One of :data:`METHODS`.
    name
        Run name; layers are called ``grid_<name>`` / ``hotspots_<name>``.
    selection
        Which reports (default: all with a real point location).
    cell
        Cell size in metres (automatic when ``None``, announced in the notes).
    grid
        ``square`` or ``hex``; ``grid_file`` (a polygon file) overrides it.
    use_weights, half_life_days
        Weigh reports by category weight and, with a half-life in days, by age.
    options
        Method options passed on, e.g. ``{"p_adjust": "bonferroni"}`` for
        ``gistar``, ``{"bandwidth": 300, "kernel": "gaussian"}`` for ``kde``,
        ``{"cluster_method": "hdbscan"}`` for ``clusters``, ``{"period": "3M"}``
        for ``emerging``, ``{"period_a": …, "period_b": …}`` for ``change``.

    Returns
    -------
    RunResult
    """
    if method not in METHODS:
        raise ArgumentError(f"Okänd metod '{method}'. Välj en av: {', '.join(METHODS)}.",
                            f"Unknown method '{method}'. Choose one of: {', '.join(METHODS)}.")
    options = {k: v for k, v in (options or {}).items() if v is not None and v is not False}
    given = set(options)
    given |= {k for k, v in (("cell", cell), ("grid", grid_file or grid != "square"),
                             ("weights", use_weights), ("half_life", half_life_days))
              if v is not None and v is not False}
    check_options(method, given, cluster_method=options.get("cluster_method", "dbscan"))
    run_id = run_name(method, name)
    taken = set(store.layers())
    if name is None:  # an automatic name: add a number if a run this second exists
        base, i = run_id, 1
        while f"grid_{run_id}" in taken or f"hotspots_{run_id}" in taken:
            i += 1
            run_id = f"{base}_{i}"
    if f"grid_{run_id}" in taken or f"hotspots_{run_id}" in taken:
        raise ArgumentError(f"Det finns redan en körning som heter '{run_id}'. Välj ett annat "
                            "--name.",
                            f"A run called '{run_id}' already exists. Choose another --name.")
    where, extra = selection_where(selection)
    columns = list(dict.fromkeys([*extra, *report_columns(
        method, use_weights=use_weights, half_life_days=half_life_days,
        cluster_method=options.get("cluster_method", "dbscan"))]))
    points = select_points(store.read_points(columns, where=where), selection)
    if len(points) == 0:
        raise ArgumentError("Inga rapporter med läge passar urvalet. Vidga urvalet (kategori, "
                            "källa, period, tid på dygnet).",
                            "No located reports match the selection. Widen it (category, "
                            "source, period, time of day).")
    # count and gistar take the coordinate arrays; the others a GeoDataFrame
    chosen = points if method in ("count", "gistar") else points.to_geodataframe()
    weights = (report_weights(points.attributes, use_weights=use_weights,
                              half_life_days=half_life_days)
               if use_weights or half_life_days else None)
    grid_arg = _grid_option(grid, grid_file, store.crs)
    common = {"cell": cell, "grid": grid_arg}
    result = RunResult(run_id=run_id, method=method, layers=[], n_input=len(points))
    layers: dict[str, gpd.GeoDataFrame] = {}
    files: list[tuple[str, object]] = []
    if method == "count":
        from trygg.layers.hotspots.count import hotspot_count

        layers[f"grid_{run_id}"] = hotspot_count(chosen, weights=weights, **common)
    elif method == "kde":
        from trygg.layers.hotspots.kde import hotspot_kde, kde_raster

        out = hotspot_kde(chosen, weights=weights, **common, **options)
        layers[f"grid_{run_id}"] = out
        array, transform, _ = kde_raster(
            chosen, weights=weights, bandwidth=out.attrs["params"].get("bandwidth"),
            kernel=options.get("kernel", "quartic"))
        files.append((store.raster_name(run_id, "kde"), (array, transform)))
    elif method == "gistar":
        from trygg.layers.hotspots.gistar import hotspot_gistar

        layers[f"grid_{run_id}"] = hotspot_gistar(chosen, weights=weights, **common, **options)
    elif method == "clusters":
        layers.update(_clusters(store, chosen, run_id, weights, common, options))
    elif method == "change":
        from trygg.layers.hotspots.change import hotspot_change

        layers[f"grid_{run_id}"] = hotspot_change(chosen, weights=weights, **common, **options)
    elif method == "emerging":
        from trygg.layers.hotspots.emerging import hotspot_emerging

        layers[f"grid_{run_id}"] = hotspot_emerging(chosen, weights=weights, **common,
                                                    **options)
    else:
        from trygg.layers.hotspots.divergence import hotspot_divergence

        layers[f"grid_{run_id}"] = hotspot_divergence(chosen, **common, **options)
    for raster, (array, transform) in files:
        from trygg.layers.hotspots.kde import write_geotiff

        with store.store_raster(raster) as tif:
            write_geotiff(array, transform, store.crs, tif)
        result.files.append(store.raster_path(raster))
        result.files_in_project = not store.local_files()
    for frame in layers.values():
        result.notes += [tuple(n) for n in frame.attrs.get("notes", [])]
    result.layers = list(layers)
    result.summary = {name: _summarise(frame) for name, frame in layers.items()}
    params = {name: frame.attrs.get("params", {}) for name, frame in layers.items()}
    record = pd.DataFrame([{
        "run_id": run_id, "kind": method, "created_at": datetime.now(UTC),
        "params": json.dumps({"options": plain_json(options), "cell": cell, "grid": grid,
                              "grid_file": str(grid_file) if grid_file else None,
                              "weights": use_weights, "half_life_days": half_life_days,
                              "selection": (selection or Selection()).describe(),
                              "chosen": plain_json(params), "notes": result.notes},
                             ensure_ascii=False),
        "inputs": json.dumps({"reports": store.count("reports"), "selected": len(points),
                              "by_source": _by_source(points.attributes)},
                             ensure_ascii=False),
        "layers": json.dumps(result.layers + [name for name, _ in files]),
    }])
    with store.transaction() as tx:
        for layer_name, frame in layers.items():
            tx.replace(layer_name, _storable(frame))
        tx.append("runs", record)
    return result


def report_columns(method: str, *, use_weights: bool = False,
                   half_life_days: float | None = None,
                   cluster_method: str = "dbscan") -> list[str]:
    """The report columns a run of ``method`` uses besides the points (never free text).

    ``source`` is always read: each run stores its input counts by source.
    """
    columns = ["source"]
    if use_weights:
        columns.append("weight")
    if half_life_days:
        columns.append("reported_at")
    columns += {"change": ["reported_at"], "emerging": ["reported_at"],
                "divergence": ["kind"],
                "clusters": ["category", "reported_at", "occurred_at", "weight"]
                }.get(method, [])
    return list(dict.fromkeys(columns))


def _by_source(attributes: pd.DataFrame) -> dict[str, int]:
    return {str(k): int(v) for k, v in attributes["source"].value_counts().items()}


def _clusters(store, chosen, run_id, weights, common, options) -> dict:
    from trygg.layers import hotspots
    from trygg.layers.geocoding import read_gazetteer

    method = options.pop("cluster_method", "dbscan")
    if method not in CLUSTER_METHODS:
        raise ArgumentError(f"--cluster-method ska vara en av {', '.join(CLUSTER_METHODS)}.",
                            f"--cluster-method must be one of {', '.join(CLUSTER_METHODS)}.")
    out = {}
    gistar = None
    if method == "gistar":
        gistar = hotspots.hotspot_gistar(chosen, weights=weights, **common)
        out[f"grid_{run_id}"] = gistar
    gazetteer = read_gazetteer(store)
    places = gazetteer[gazetteer["kind"] == "place"] if len(gazetteer) else None
    previous = latest_clusters(store)
    out[f"hotspots_{run_id}"] = hotspots.hotspot_clusters(
        chosen, method=method, gistar=gistar, places=places, previous=previous, **options)
    return out


def latest_clusters(store: GeoPackageStore) -> gpd.GeoDataFrame | None:
    """The hotspot polygons of the latest earlier clusters run (for stable ids)."""
    runs = store.read("runs")
    if runs.empty:
        return None
    for layers in reversed(runs.sort_values("created_at")["layers"].tolist()):
        for name in json.loads(layers):
            if name.startswith("hotspots_") and name in store.layers():
                return store.read_layer(name)
    return None


def _storable(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A copy GDAL can store: datetimes in UTC, no attrs."""
    out = gpd.GeoDataFrame(frame.copy())
    out.attrs = {}
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].dt.tz_convert("UTC")
    return out


def _summarise(frame: gpd.GeoDataFrame) -> dict:
    summary = {"rows": len(frame)}
    for col in ("klass", "pattern", "change", "divergence"):
        if col in frame:
            summary[col] = {str(k): int(v) for k, v in frame[col].value_counts().items()}
    return summary


def plain_json(value: object) -> object:
    """JSON-safe copy of a run's parameters (numbers, text, lists, dicts; anything else
    as its text), for the ``runs`` table."""
    return json.loads(json.dumps(value, default=str))

"""Trygghetskartan: reports of unsafe places in one project, hotspots and offline maps.

The main verbs, for a notebook or a script (each is the library function the ``trygg``
command calls, with its own docstring)::

    import trygg

    store = trygg.create_project("exempelby.gpkg", name="Exempelby kommun")
    trygg.add_to_gazetteer(store, "kommun.gpkg")
    trygg.ingest_file(store, "tycktill_export.csv", source="tycktill")
    trygg.run_hotspots(store, "gistar")              # stored in the project, like the CLI
    cells = trygg.hotspot_gistar(store.read_reports())   # or just the GeoDataFrame
    trygg.write_map(store, "karta.html")

They are imported on first use (PEP 562), so ``import trygg`` and ``import trygg.geo``
stay cheap; :data:`__all__` lists them. The package also holds the ``trygg`` command
(:mod:`trygg.cli`), the demo and the synthetic sample municipality (:mod:`trygg.sample`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

#: Public name → the module it comes from (imported when the name is first used).
_VERBS = {
    # projects
    "create_project": "trygg.layers.store",
    "open_project": "trygg.layers.store",
    "area_bounds": "trygg.layers.areas",
    "project_summary": "trygg.layers.summary",
    # reading reports in, placing them
    "ingest_file": "trygg.layers.ingest",
    "list_ingests": "trygg.layers.ingest",
    "undo_ingest": "trygg.layers.ingest",
    "add_to_gazetteer": "trygg.layers.geocoding",
    "set_overrides": "trygg.layers.geocoding",
    "regeocode": "trygg.layers.geocoding",
    # hotspots: one function per method on points, and the stored runs
    "hotspot_count": "trygg.layers.hotspots",
    "hotspot_kde": "trygg.layers.hotspots",
    "hotspot_gistar": "trygg.layers.hotspots",
    "hotspot_clusters": "trygg.layers.hotspots",
    "hotspot_change": "trygg.layers.hotspots",
    "hotspot_emerging": "trygg.layers.hotspots",
    "hotspot_divergence": "trygg.layers.hotspots",
    "run_hotspots": "trygg.layers.hotspots.runs",
    "list_runs": "trygg.layers.hotspots.catalog",
    "remove_runs": "trygg.layers.hotspots.catalog",
    # maps and exports
    "report_map": "trygg.maps.karta",
    "write_map": "trygg.maps.karta",
    "public_map": "trygg.maps.publik",
    "write_public_map": "trygg.maps.publik",
    "render_map": "trygg.maps.page",
    "export_layer": "trygg.maps.export",
    # the synthetic sample municipality and the demo
    "make_sample": "trygg.sample",
    "build_demo": "trygg.demo_run",
}

#: The public names (the same as :data:`_VERBS`, and ``__version__``).
__all__ = [
    "__version__", "add_to_gazetteer", "area_bounds", "build_demo", "create_project",
    "export_layer", "hotspot_change", "hotspot_clusters", "hotspot_count",
    "hotspot_divergence", "hotspot_emerging", "hotspot_gistar", "hotspot_kde",
    "ingest_file", "list_ingests", "list_runs", "make_sample", "open_project",
    "project_summary", "public_map", "regeocode", "remove_runs", "render_map",
    "report_map", "run_hotspots", "set_overrides", "undo_ingest", "write_map",
    "write_public_map",
]

if TYPE_CHECKING:  # for type checkers and editors; at run time see __getattr__
    from trygg.demo_run import build_demo
    from trygg.layers.areas import area_bounds
    from trygg.layers.geocoding import add_to_gazetteer, regeocode, set_overrides
    from trygg.layers.hotspots import (
        hotspot_change,
        hotspot_clusters,
        hotspot_count,
        hotspot_divergence,
        hotspot_emerging,
        hotspot_gistar,
        hotspot_kde,
    )
    from trygg.layers.hotspots.catalog import list_runs, remove_runs
    from trygg.layers.hotspots.runs import run_hotspots
    from trygg.layers.ingest import ingest_file, list_ingests, undo_ingest
    from trygg.layers.store import create_project, open_project
    from trygg.layers.summary import project_summary
    from trygg.maps.export import export_layer
    from trygg.maps.karta import report_map, write_map
    from trygg.maps.page import render_map
    from trygg.maps.publik import public_map, write_public_map
    from trygg.sample import make_sample

    __version__: str


def _version() -> str:
    """The installed distribution's version (``trygghetskartan``)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("trygghetskartan")
    except PackageNotFoundError:  # a source tree put on sys.path by hand
        return "0+unknown"


def __getattr__(name: str) -> object:
    """Import a verb of :data:`_VERBS` (or ``__version__``) on first use."""
    if name == "__version__":
        value: object = _version()
    elif name in _VERBS:
        from importlib import import_module

        value = getattr(import_module(_VERBS[name]), name)
    else:
        raise AttributeError(f"module 'trygg' has no attribute '{name}'")
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

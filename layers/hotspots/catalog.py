"""The runs a project holds: list them, check names given on the command line, remove them.

A hotspot run (see :mod:`layers.hotspots.runs`) is a row in ``runs`` whose
``layers`` column lists what it wrote: layers ``grid_<run>`` and/or
``hotspots_<run>`` in the project and, for KDE, a raster the store keeps
(:meth:`layers.store.GeoPackageStore.raster_name`: a GeoTIFF
``<project stem>_<run>_kde.tif`` beside a GeoPackage project). A ``grid_``/``hotspots_``
layer without a row (written by hand or by an older version) counts as a run
too, of unknown kind, so it can be listed and removed.

Removing a run drops its layers (with their GeoPackage bookkeeping, see
:meth:`layers.store._Writer.drop`), deletes its row and, once the transaction
has landed, its GeoTIFFs; the file is then vacuumed, so the space the grids
took is given back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from trygg.geo.errors import ArgumentError
from trygg.layers.store import GeoPackageStore

#: Prefixes of the layers a run writes.
RUN_PREFIXES = ("grid_", "hotspots_", "camera_sites_", "camera_views_")


@dataclass
class RunInfo:
    """One run: its id, kind (``None`` when it has no row in ``runs``), time, the layers
    that exist and the files beside the project that belong to it."""

    run_id: str
    kind: str | None
    created_at: pd.Timestamp | None
    layers: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def _listed(value) -> list[str]:
    """Names in a run's ``layers`` column (JSON list); nothing when unreadable."""
    try:
        names = json.loads(value) if isinstance(value, str) else []
    except ValueError:
        return []
    return [str(n) for n in names] if isinstance(names, list) else []


def list_runs(store: GeoPackageStore) -> list[RunInfo]:
    """Every run of the project, oldest first (runs without a row last, by name)."""
    available = store.layers()
    table = store.read("runs") if "runs" in available else pd.DataFrame()
    runs: dict[str, RunInfo] = {}
    if len(table):
        for row in table.sort_values("created_at", kind="stable").itertuples(index=False):
            names = _listed(row.layers)
            info = runs.setdefault(str(row.run_id), RunInfo(str(row.run_id), str(row.kind),
                                                            row.created_at))
            info.layers += [n for n in names if n in available and n not in info.layers]
            info.files += [p for n in names if (p := store.raster_path(n)) is not None
                           and p not in info.files]
    for name in sorted(available):
        for prefix in RUN_PREFIXES:
            if name.startswith(prefix) and len(name) > len(prefix):
                run_id = name[len(prefix):]
                known = runs.get(run_id)
                if known is None:
                    runs[run_id] = RunInfo(run_id, None, None, [name])
                elif name not in known.layers:
                    known.layers.append(name)
    return list(runs.values())


def latest_layer(store: GeoPackageStore, prefix: str, kind: str | None = None):
    """The layer starting with ``prefix`` (``hotspots_``, ``grid_``, ``camera_views_``)
    of the newest run (of ``kind``) that has one, or ``None``."""
    for run in reversed(list_runs(store)):
        if kind is not None and run.kind != kind:
            continue
        for name in run.layers:
            if name.startswith(prefix):
                return store.read_layer(name)
    return None


def _unknown(names: list[str], runs: list[RunInfo]) -> ArgumentError:
    shown = [r.run_id for r in runs][-20:]
    more = len(runs) - len(shown)
    listing = ", ".join(shown) + (f" (+{more})" if more else "")
    if not runs:
        return ArgumentError(
            f"Projektet har ingen körning som heter {', '.join(names)}; det har inga "
            "körningar ännu. Gör en med: trygg hotspots PROJEKT --method gistar",
            f"The project has no run called {', '.join(names)}; it has no runs yet. Make one "
            "with: trygg hotspots PROJECT --method gistar")
    return ArgumentError(
        f"Projektet har ingen körning som heter {', '.join(names)}. Körningar som finns: "
        f"{listing} (se trygg runs PROJEKT).",
        f"The project has no run called {', '.join(names)}. Runs that exist: {listing} "
        "(see trygg runs PROJECT).")


def resolve_runs(store: GeoPackageStore, names: list[str] | None) -> list[str] | None:
    """Check run names given by the user (``trygg map --runs``).

    Returns the names unchanged (``None`` when none were given, meaning the
    default runs).

    Raises
    ------
    ArgumentError
        Naming the runs that do not exist and listing the ones that do.
    """
    if not names:
        return names
    runs = list_runs(store)
    known = {r.run_id for r in runs}
    missing = [n for n in dict.fromkeys(names) if n not in known]
    if missing:
        raise _unknown(missing, runs)
    return list(names)


def drop_runs(tx, store: GeoPackageStore, runs: list[RunInfo]) -> list[Path]:
    """Inside a transaction ``tx`` on ``store``: drop the layers and rows of ``runs``.

    Returns the files beside the project to delete once the transaction has
    landed (deleting them earlier could not be undone if it failed).
    """
    for run in runs:
        for layer in run.layers:
            tx.drop(layer)
    tx.delete("runs", "run_id", [r.run_id for r in runs if r.kind is not None])
    return [p for r in runs for p in r.files]


def remove_runs(store: GeoPackageStore, names: list[str]) -> list[RunInfo]:
    """Remove the runs ``names``: their layers, rows and GeoTIFFs, all under the
    project's write lock and in one transaction (``trygg runs PROJECT remove``).

    Returns
    -------
    list of RunInfo
        The runs removed.

    Raises
    ------
    ArgumentError
        When a name is not a run of the project (nothing is removed).
    """
    with store.writing():
        by_id = {r.run_id: r for r in list_runs(store)}
        missing = [n for n in dict.fromkeys(names) if n not in by_id]
        if missing:
            raise _unknown(missing, list(by_id.values()))
        chosen = [by_id[n] for n in dict.fromkeys(names)]
        with store.transaction() as tx:
            files = drop_runs(tx, store, chosen)
            tx.vacuum()
        # still under the lock: no new run can reuse the names yet
        store.remove_rasters([p.name for p in files])
    return chosen


"""Copy a project from one store to another: ``trygg migrate SOURCE TARGET``.

The usual move is from a laptop's GeoPackage to the municipality's PostGIS database
(``trygg migrate kommun.gpkg postgresql://…/kommun``); the other way works too.
Everything is copied — reports, rejects, ingests, runs, links, every analysis layer
and the KDE rasters — in one transaction of the target, the reports in parts so a
million of them need not be in memory at once; then the rows of every table are
counted on both sides and the report ids compared.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from trygg.geo.errors import ProjectError
from trygg.layers.store import PROJECT_TABLE, create_project

#: Reports copied per part.
PART_ROWS = 100_000


@dataclass
class MigrateResult:
    """What :func:`migrate_project` copied.

    Attributes
    ----------
    counts
        Rows per table and layer, equal in source and target.
    rasters
        Names of the rasters copied.
    """

    counts: dict[str, int] = field(default_factory=dict)
    rasters: list[str] = field(default_factory=list)


def _raster_names(store) -> list[str]:
    if "runs" not in store.layers():
        return []
    names = []
    for listed in store.read("runs", ["layers"])["layers"].dropna():
        try:
            names += [n for n in json.loads(listed) if str(n).endswith(".tif")]
        except (TypeError, ValueError):
            continue
    return [n for n in dict.fromkeys(names) if store.raster_path(n) is not None]


def migrate_project(source, target: str, *, overwrite: bool = False) -> MigrateResult:
    """Copy the open project ``source`` to a new project at ``target``.

    Parameters
    ----------
    source
        An open project (:func:`layers.store.open_project`).
    target
        Where the copy goes: a ``postgresql://`` URL or a ``.gpkg`` path. It must not
        hold a project yet unless ``overwrite``.
    overwrite
        Replace a project already at ``target``.

    Returns
    -------
    MigrateResult

    Raises
    ------
    ProjectError
        When the target exists (without ``overwrite``), cannot be written, or the
        counts of the copy differ from the source's.
    """
    meta = source.meta()
    area = json.loads(meta["area"]) if meta.get("area") else None
    copy = create_project(target, name=meta.get("name"), crs=source.crs, area=area,
                          synthetic=source.synthetic, overwrite=overwrite)
    layers = [name for name in source.layers() if name != PROJECT_TABLE]
    with source.writing(), copy.transaction() as tx:  # nobody writes the source meanwhile
        for name in layers:
            if name == "reports":
                for part in source.read_parts("reports", PART_ROWS):
                    tx.append("reports", part)
            else:
                tx.replace(name, source.read(name))
        extra = {k: v for k, v in meta.items() if k not in copy.meta()}
        if extra:
            import pandas as pd

            tx.append(PROJECT_TABLE, pd.DataFrame({"key": list(extra),
                                                   "value": list(extra.values())}))
        expected = {name: source.count(name) for name in layers}
        ids = source.report_ids()
    rasters = []
    for name in _raster_names(source):
        path = source.raster_path(name)
        with copy.store_raster(_target_raster_name(copy, name)) as tif:
            tif.write_bytes(path.read_bytes())
        rasters.append(name)
    got = {name: copy.count(name) for name in layers}
    if got != expected or copy.report_ids() != ids:
        differ = ", ".join(f"{n} {expected[n]} → {got.get(n)}" for n in expected
                           if got.get(n) != expected[n]) or "rapport-id"
        raise ProjectError(f"Kopian i {copy} stämmer inte med {source}: {differ}.",
                           f"The copy in {copy} does not match {source}: {differ}.")
    return MigrateResult(counts=expected, rasters=rasters)


def _target_raster_name(copy, name: str) -> str:
    """The raster's name in the target: the same (the runs table lists it by name)."""
    if hasattr(copy, "_raster_name_ok") and not copy._raster_name_ok(name):
        raise ProjectError(
            f"Rastret {name} kan inte kopieras till en GeoPackage ({copy}); kör "
            "KDE-analysen igen i kopian.",
            f"The raster {name} cannot be copied to a GeoPackage ({copy}); run the KDE "
            "analysis again in the copy.")
    return name

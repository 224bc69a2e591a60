"""Run camera-site planning on a project and store the result as layers.

A run reads the reports (only ``category`` and ``reported_at`` and their points,
filtered in the database by the selection), the candidate sites (a file, or
generated along the streets near relevant incidents), buildings, a surface model,
existing cameras and privacy layers, calls :func:`layers.cameras.sites.camera_sites`
and stores ``camera_sites_<run>`` (the chosen sites) and ``camera_views_<run>``
(what each would watch) with a row in ``runs`` (kind ``cameras``), so that
``trygg runs`` lists and removes it like a hotspot run and ``trygg map --runs``
shows it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from trygg.geo.errors import ArgumentError, InputFileError
from trygg.layers.areas import read_layer, split_layer
from trygg.layers.cameras.sites import CameraPlan, camera_sites
from trygg.layers.hotspots.runs import plain_json, run_name
from trygg.layers.hotspots.select import Selection, select_points, selection_where
from trygg.layers.store import GeoPackageStore

__all__ = ["CameraRun", "LAYER_PREFIXES", "read_sites", "run_cameras"]

#: Prefixes of the layers a camera run writes.
LAYER_PREFIXES = ("camera_sites_", "camera_views_")
#: Column names users' candidate files use, by the name the planner reads.
ALIASES = {"site_id": ("site_id", "id", "kandidat_id", "kamera_id", "camera_id", "plats_id"),
           "name": ("name", "namn", "plats", "beskrivning", "description"),
           "height": ("height", "hojd", "höjd", "height_m"),
           "directions": ("directions", "riktningar", "riktning", "direction")}


@dataclass
class CameraRun:
    """A stored camera run: its id, layers, the plan and notes."""

    run_id: str
    layers: list[str]
    plan: CameraPlan
    generated_candidates: bool
    notes: list[str] = field(default_factory=list)


def read_sites(spec: str | Path, crs: str, *, option: str = "--candidates") -> gpd.GeoDataFrame:
    """Camera sites from a point file (``FILE`` or ``FILE:LAYER``) in ``crs``, with the
    columns ``site_id``, ``height`` and ``directions`` found under their usual names
    (:data:`ALIASES`), and ``name`` (what the place is called) when the file has one."""
    what = {"--candidates": ("Filen med kameraplatser", "The camera site file"),
            "--existing": ("Filen med befintliga kameror", "The existing camera file")}[option]
    gdf = read_layer(spec, option=option, what=what)
    kinds = set(gdf.geometry.dropna().geom_type) - {"Point"}
    name = split_layer(spec)[0].name
    if kinds:
        raise InputFileError(f"'{name}' ({option}) ska innehålla punkter, inte "
                             f"{', '.join(sorted(kinds))}.",
                             f"'{name}' ({option}) must hold points, not "
                             f"{', '.join(sorted(kinds))}.")
    gdf = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty].to_crs(crs)
    lower = {str(c).lower(): c for c in gdf.columns}
    out = gpd.GeoDataFrame(geometry=gdf.geometry.reset_index(drop=True), crs=crs)
    for target, names in ALIASES.items():
        source = next((lower[n] for n in names if n in lower), None)
        if source is not None:
            out[target] = gdf[source].reset_index(drop=True)
    if "site_id" in out:
        out["site_id"] = out["site_id"].astype(str)
    return out


def _outside(sites: gpd.GeoDataFrame, bounds: tuple[float, float, float, float]) -> np.ndarray:
    x, y = sites.geometry.x.to_numpy(), sites.geometry.y.to_numpy()
    return ~((x >= bounds[0]) & (x <= bounds[2]) & (y >= bounds[1]) & (y <= bounds[3]))


def _polygons(spec: str | Path, crs: str, option: str, what: tuple[str, str]) -> gpd.GeoSeries:
    return read_layer(spec, option=option, what=what, polygons=True).geometry.to_crs(crs)


def run_cameras(store: GeoPackageStore, *, k: int | None = 10,
                target_coverage: float | None = None, name: str | None = None,
                selection: Selection | None = None,
                candidates: str | Path | gpd.GeoDataFrame | None = None,
                existing: str | Path | gpd.GeoDataFrame | None = None,
                buildings: str | Path | None = None, streets: str | Path | None = None,
                surface: str | Path | None = None,
                privacy: list[str | Path] | None = None, spacing_m: float = 20.0,
                **model: object) -> CameraRun:
    """Plan camera sites on the project's reports and store the run.

    Parameters
    ----------
    store
        The open project.
    k, target_coverage
        Number of cameras (default 10), or the share of the weighted incidents to cover
        with as few as possible.
    name
        Run name (default ``cameras_<UTC time>``).
    selection
        Which reports count (``--category``, ``--since``, ``--until`` …).
    candidates
        Candidate sites (a point file or a GeoDataFrame); default: generated every
        ``spacing_m`` metres along ``streets`` (or on a grid) near relevant incidents.
    existing, buildings, streets, surface, privacy
        Existing cameras (points), building footprints (polygons), street lines, a
        surface model (GeoTIFF) and privacy layers (files of address points,
        residential buildings, schools, playgrounds …).
    model
        Passed to :func:`camera_sites`: ``range_m``, ``fov_deg``, ``min_dist_m``,
        ``half_life_days``, ``night_factor``, ``backup``, ``privacy_penalty``,
        ``hours_share``, ``height_m``, ``exact``, ``time_limit_s``.

    Returns
    -------
    CameraRun
    """
    crs = store.crs
    run_id = run_name("cameras", name)
    taken = set(store.layers())
    if any(f"{p}{run_id}" in taken for p in LAYER_PREFIXES):
        raise ArgumentError(f"Det finns redan en körning som heter '{run_id}'. Välj ett annat "
                            "--name.",
                            f"A run called '{run_id}' already exists. Choose another --name.")
    where, extra = selection_where(selection)
    points = select_points(store.read_points(list(dict.fromkeys(
        [*extra, "category", "reported_at"])), where=where), selection)
    if len(points) == 0:
        raise ArgumentError("Inga rapporter med läge passar urvalet. Vidga urvalet (kategori, "
                            "period).",
                            "No located reports match the selection. Widen it (category, "
                            "period).")
    incidents = points.to_geodataframe()
    blocking = None if buildings is None else _polygons(
        buildings, crs, "--buildings", ("Filen med byggnader", "The building file"))
    generated = candidates is None
    if generated:
        from trygg.layers.cameras.candidates import generate_candidates
        from trygg.layers.cameras.coverage import incident_weights

        lines = None
        if streets is not None:
            lines = read_layer(streets, option="--streets",
                               what=("Filen med gator", "The street file")).geometry.to_crs(crs)
        weights = incident_weights(incidents, half_life_days=model.get(  # type: ignore[arg-type]
            "half_life_days", 365.0), night_factor=model.get("night_factor", 1.0))
        cand = generate_candidates(shapely.get_coordinates(incidents.geometry.to_numpy()),
                                   weights, crs=crs, streets=lines, buildings=blocking,
                                   spacing_m=spacing_m,
                                   range_m=float(model.get("range_m", 40.0)))  # type: ignore[arg-type]
        if cand.empty:
            raise ArgumentError("Inga kameraplatser kunde föreslås: inga rapporter i urvalet "
                                "gäller brott som kameror påverkar. Ge egna platser med "
                                "--candidates eller vidga urvalet.",
                                "No camera sites could be proposed: no report in the selection "
                                "is of a crime cameras affect. Give your own sites with "
                                "--candidates or widen the selection.")
    elif isinstance(candidates, gpd.GeoDataFrame):
        cand = candidates.to_crs(crs)
    else:
        cand = read_sites(candidates, crs)
    if not generated:
        out = _outside(cand, store.area())
        if out.any():
            first = cand["site_id"].iloc[int(np.argmax(out))] if "site_id" in cand else \
                f"rad {int(np.argmax(out)) + 1}"
            raise ArgumentError(
                f"{int(out.sum())} av {len(cand)} kameraplatser ligger utanför projektområdet "
                f"(t.ex. {first}). Kontrollera filens koordinatsystem eller ta bort dem.",
                f"{int(out.sum())} of {len(cand)} camera sites lie outside the project area "
                f"(e.g. {first}). Check the file's coordinate system or remove them.")
    have = None
    if existing is not None:
        have = existing.to_crs(crs) if isinstance(existing, gpd.GeoDataFrame) else \
            read_sites(existing, crs, option="--existing")
    private = {}
    for spec in privacy or []:
        path, layer = split_layer(spec)
        private[layer or path.stem] = read_layer(
            spec, option="--privacy",
            what=("Integritetslagret", "The privacy layer")).geometry.to_crs(crs)
    plan = camera_sites(incidents, cand, k=k, target_coverage=target_coverage,
                        buildings=blocking, surface=surface, existing=have,
                        privacy=private or None, **model)  # type: ignore[arg-type]
    layers = {f"camera_sites_{run_id}": plan.sites, f"camera_views_{run_id}": plan.views}
    record = pd.DataFrame([{
        "run_id": run_id, "kind": "cameras", "created_at": datetime.now(UTC),
        "params": json.dumps({"plan": plain_json(plan.params),
                              "selection": (selection or Selection()).describe(),
                              "candidates": "generated" if generated else str(candidates),
                              "buildings": str(buildings) if buildings else None,
                              "surface": str(surface) if surface else None,
                              "privacy": [str(p) for p in privacy or []],
                              "notes": plan.notes}, ensure_ascii=False),
        "inputs": json.dumps({"reports": store.count("reports"), "selected": len(points),
                              "candidates": len(cand)}, ensure_ascii=False),
        "layers": json.dumps(list(layers)),
    }])
    with store.transaction() as tx:
        for layer_name, frame in layers.items():
            tx.replace(layer_name, frame)
        tx.append("runs", record)
    return CameraRun(run_id=run_id, layers=list(layers), plan=plan,
                     generated_candidates=generated, notes=list(plan.notes))


"""The demo job: sample municipality → project → map and exports.

``trygg demo --out out/demo`` (and ``./scripts/demo``) writes::

    out/demo/data/        the synthetic sample municipality (scripts/sample.py) and its
                          reports as a Tyck till export, an EST workbook and walk
                          protocols (scripts/sample_sources.py), plus the files the
                          README's tour uses (vandring.gpx, egen_tabell.csv, egna_lagen.csv)
    out/demo/demo.gpkg    the project: gazetteer from the sample, the three sources
                          ingested (EST rows placed by the offline geocoder), hotspot
                          runs ``gistar`` (grid_gistar) and ``clusters`` (hotspots_clusters)
    out/demo/karta.html   the map (self-contained, works offline) with reports, Gi* cells,
                          hotspot areas and the areas the proposed cameras would watch
    out/demo/karta_publik.html   the public map: counts per cell (k ≥ 3), no texts
    out/demo/rapporter.xlsx, rapporter.geojson   exports
    out/demo/kameror/     camera run ``kameror`` (5 of the sample's candidate sites, buildings
                          blocking the view): kameraplatser.csv/.xlsx/.geojson, the
                          kameraunderlag of the first site, and the before/after evaluation
                          of that site as if a camera had been installed there on
                          2025-10-01 (it is in the register as KAM-001)
    out/demo/vandring/    a safety walk in Björkås on 2025-10-15 along the streets:
                          vandring.html (the printable protocol), protokoll.xlsx, rutt.gpx,
                          platser.csv; protokoll_ifyllt.xlsx (the protocol as the walk group
                          filled it in, synthetic) imported back, and atgarder.xlsx (the
                          action list for the follow-up meeting)
"""

from __future__ import annotations

from pathlib import Path

from trygg.layers.areas import area_bounds
from trygg.layers.geocoding import add_to_gazetteer
from trygg.layers.hotspots.runs import RunResult, run_hotspots
from trygg.layers.ingest import IngestSummary, ingest_file
from trygg.layers.store import create_project
from trygg.maps.export import export_layer
from trygg.maps.karta import write_map
from trygg.maps.publik import write_public_map
from trygg.sample import make_sample
from trygg.sample_sources import write_source_files, write_tour_files

DEMO_NAME = "Exempelby kommun (syntetiska data)"


def build_demo(out: str | Path, *, lang: str = "sv"
               ) -> tuple[dict[str, Path], list[IngestSummary], list[RunResult]]:
    """Run the whole demo into ``out``.

    Returns the paths written, by name, the summary of each ingest and the
    hotspot runs.

    The project is recreated on every run, so the result does not depend on
    earlier runs.
    """
    out = Path(out)
    sample = make_sample(out / "data")
    project = out / "demo.gpkg"
    store = create_project(project, name=DEMO_NAME,
                           area=area_bounds(sample["kommun"], layer="kommun"),
                           synthetic=True, overwrite=True)
    add_to_gazetteer(store, sample["kommun"])
    files = write_source_files(sample["rapporter"], sample["kommun"])
    write_tour_files(sample["kommun"])  # the README's tour runs on these too
    summaries = [ingest_file(store, path, source=source) for source, path in files.items()]
    runs = [run_hotspots(store, method, name=method) for method in ("gistar", "clusters")]
    cameras = _cameras(store, sample["kommun"], out / "kameror", lang=lang)
    walk = _walk(store, sample["kommun"], out / "vandring", lang=lang)
    lagesbild = _lagesbild(store, out / "lagesbild", lang=lang)
    indicators = _indicators(store, sample["kommun"], out / "indikatorer", lang=lang)
    plan = _plan(store, sample["kommun"], out / "trygghetsunderlag", lang=lang)
    region = _region(out / "region", lang=lang)
    paths = {
        "data": out / "data",
        "project": project,
        "map": write_map(store, out / "karta.html", lang=lang, background=[sample["kommun"]],
                         runs=["gistar", "clusters", "kameror", DEMO_WALK]),
        "map_publik": write_public_map(store, out / "karta_publik.html", lang=lang,
                                       background=[sample["kommun"]]),
        "xlsx": export_layer(store, "reports", out / "rapporter.xlsx", force=True).path,
        "geojson": export_layer(store, "reports", out / "rapporter.geojson",
                                force=True).path,
        **cameras,
        **walk,
        **lagesbild,
        **indicators,
        **plan,
        **region,
    }
    return paths, summaries, runs


#: The day the demo pretends a camera went up at its first proposed site.
DEMO_INSTALLED = "2025-10-01"


def _cameras(store, kommun: Path, out: Path, *, lang: str) -> dict[str, Path]:
    """The demo's camera run, its files, a register entry and an evaluation."""
    from trygg.layers.cameras.evaluate import evaluate_camera, registered_cases
    from trygg.layers.cameras.register import add_camera, set_status
    from trygg.layers.cameras.runs import run_cameras
    from trygg.maps.camera_evaluation import write_evaluation
    from trygg.maps.cameras import write_camera_run

    run = run_cameras(store, k=5, name="kameror", candidates=f"{kommun}:kamerakandidater",
                      buildings=f"{kommun}:byggnader", privacy=[f"{kommun}:adresser"])
    files = write_camera_run(store, run.run_id, out, lang=lang, bases=1)
    first = run.plan.sites.iloc[0]
    camera = add_camera(store, (first.geometry.x, first.geometry.y),
                        purpose="Demo: skadegörelse och narkotikabrott", site_id=first["site_id"],
                        run_id=run.run_id, hours=first["hours_window"], date="2025-06-01")
    set_status(store, camera, "decided", date="2025-08-15")
    set_status(store, camera, "installed", date=DEMO_INSTALLED)
    case = registered_cases(store, camera)[0]
    points = store.read_points(["category", "reported_at"]).to_geodataframe()
    evaluation = evaluate_camera(points, case.watched, case.installed)
    files += write_evaluation(evaluation, camera, out, project=store.name, lang=lang,
                              synthetic=store.synthetic)
    return {f"cameras_{i}": path for i, path in enumerate(files)}



#: The demo's walk: its name, area, day, and the day its protocol was imported.
DEMO_WALK = "bjorkas_hosten"
DEMO_WALK_AREA = "Björkås"
DEMO_WALK_DATE = "2025-10-15"
DEMO_WALK_IMPORTED = "2025-10-20"


def _walk(store, kommun: Path, out: Path, *, lang: str) -> dict[str, Path]:
    """The demo's safety walk: planned along the streets, its files, the protocol filled
    in (synthetic) and imported, and the action list."""
    from trygg.layers.walks.findings import import_protocol
    from trygg.layers.walks.plan import plan_walk
    from trygg.maps.walks import write_action_list, write_walk
    from trygg.sample_sources import fill_walk_protocol

    plan = plan_walk(store, DEMO_WALK_AREA, stops=8, network=f"{kommun}:gator",
                     date=DEMO_WALK_DATE, name=DEMO_WALK)
    files = write_walk(store, plan.walk_id, out, lang=lang)
    filled = fill_walk_protocol(files[1], out / "protokoll_ifyllt.xlsx")
    import_protocol(store, filled, today=DEMO_WALK_IMPORTED)
    files += [filled, write_action_list(store, out / "atgarder.xlsx", lang=lang)]
    return {f"walk_{i}": path for i, path in enumerate(files)}


#: The demo's situation picture: the last quarter of the sample's two years.
DEMO_LAGESBILD = "2026-Q3"


def _lagesbild(store, out: Path, *, lang: str) -> dict[str, Path]:
    """The demo's lägesbild of :data:`DEMO_LAGESBILD` (intern) and its public version."""
    from trygg.layers.lagesbild import situation
    from trygg.layers.periods import parse_range
    from trygg.maps.lagesbild import write_lagesbild

    span = parse_range(DEMO_LAGESBILD)
    files = {}
    for audience, folder in (("intern", out), ("publik", out / "publik")):
        s = situation(store, span, audience=audience)
        written = write_lagesbild(s, folder, lang=lang, project=store.name,
                                  period_name=DEMO_LAGESBILD, synthetic=store.synthetic)
        files.update({f"lagesbild_{audience}_{i}": p for i, p in enumerate(written)})
    return files


def _indicators(store, kommun: Path, out: Path, *, lang: str) -> dict[str, Path]:
    """The demo's follow-up indicators, per 1,000 inhabitants of each town."""
    from trygg.layers.areas import read_layer
    from trygg.layers.indicators import follow_up
    from trygg.maps.indikatorer import write_indicators

    towns = read_layer(kommun, layer="tatorter").rename(columns={"namn": "name"})
    written = write_indicators(follow_up(store, population=towns), out, lang=lang,
                               project=store.name, synthetic=store.synthetic)
    return {f"indicators_{i}": p for i, p in enumerate(written)}


#: The detaljplan the demo writes safety input for.
DEMO_PLAN = "DP 2026:5"


def _plan(store, kommun: Path, out: Path, *, lang: str) -> dict[str, Path]:
    """The demo's safety input for :data:`DEMO_PLAN`, with the towns' inhabitants."""
    from trygg.layers.areas import read_layer
    from trygg.layers.plan import plan_input
    from trygg.maps.plan import write_plan

    plans = read_layer(kommun, layer="detaljplan")
    row = plans[plans["planid"] == DEMO_PLAN].iloc[0]
    towns = read_layer(kommun, layer="tatorter")
    written = write_plan(store, plan_input(store, row.geometry, str(row["namn"]),
                                           population=towns), out, lang=lang)
    return {f"plan_{i}": p for i, p in enumerate(written)}


#: Real police events for the demo's region view: the repository's test slice (300
#: events, most in Norrtälje; see tests/data/README.md). Not in an installed package.
POLICE_SLICE = Path(__file__).resolve().parents[1] / "tests" / "data" / "polisen_slice.jsonl"


def _region(out: Path, *, lang: str) -> dict[str, Path]:
    """The region view needs real places: it is made from real police events (the
    repository's slice, :data:`POLICE_SLICE`), in a project of its own; left out where
    the slice is not at hand (an installed package)."""
    from trygg.layers.region import region_view
    from trygg.maps.region import write_region

    if not POLICE_SLICE.is_file():
        return {}
    project = out / "polisen.gpkg"
    store = create_project(project, name="Polisens händelser (urval)", overwrite=True)
    ingest_file(store, POLICE_SLICE, source="polisen")
    written = write_region(region_view(store), out, lang=lang, project=store.name)
    return {"region_project": project, **{f"region_{i}": p for i, p in enumerate(written)}}

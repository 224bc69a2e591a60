"""The demo job: sample municipality → project → map and exports.

``trygg demo --out out/demo`` (and ``./scripts/demo``) writes::

    out/demo/data/        the synthetic sample municipality (scripts/sample.py)
    out/demo/demo.gpkg    the project
    out/demo/karta.html   the map (self-contained, works offline)
    out/demo/rapporter.xlsx, rapporter.geojson   exports
"""

from __future__ import annotations

from pathlib import Path

from layers.areas import area_bounds
from layers.ingest import IngestSummary, ingest_file
from layers.store import create_project
from maps.export import export_layer
from maps.karta import write_map
from scripts.sample import make_sample

DEMO_NAME = "Exempelby kommun (syntetiska data)"


def build_demo(out: str | Path, *, lang: str = "sv") -> tuple[dict[str, Path], IngestSummary]:
    """Run the whole demo into ``out``.

    Returns the paths written, by name, and the summary of the ingest.

    The project is recreated on every run, so the result does not depend on
    earlier runs.
    """
    out = Path(out)
    sample = make_sample(out / "data")
    project = out / "demo.gpkg"
    store = create_project(project, name=DEMO_NAME, area=area_bounds(sample["kommun"]),
                           synthetic=True, overwrite=True)
    summary = ingest_file(store, sample["rapporter"], source="table")
    paths = {
        "data": out / "data",
        "project": project,
        "map": write_map(store, out / "karta.html", lang=lang,
                         background=[sample["kommun"]]),
        "xlsx": export_layer(store, "reports", out / "rapporter.xlsx"),
        "geojson": export_layer(store, "reports", out / "rapporter.geojson"),
    }
    return paths, summary


def run_demo(out: Path, ui) -> None:
    """Run :func:`build_demo` and print what was written (used by ``trygg demo``)."""
    from scripts.cli import _print_ingest

    with ui.step(str(out)):
        paths, summary = build_demo(out, lang=ui.lang)
    _print_ingest(ui, summary, paths["project"])
    for path in paths.values():
        ui.console.print(ui.m("wrote", path=path))

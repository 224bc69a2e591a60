"""Benchmark: the report map with 100,000 reports (and 1,000,000, aggregated).

For each size a project is built from a synthetic Tyck till export (see
scripts/bench_ingest.py), the map is written, and headless Chromium (Debian's,
network blocked) opens it: we measure the file size and the time until the
page is ready (Leaflet's load event plus every layer drawn: our page sets
``data-trygg-ready``). The same points are written as folium's plain
MarkerCluster map (CDN assets replaced by the same inlined copies) and
measured the same way, side by side.

    python -m scripts.bench_map [--sizes 100000 1000000]

Writes ``scripts/bench_results/map.json``. Targets (issue 5): 100,000 reports
under 15 MB and ready in under 3 s; 1,000,000 (aggregated) ready in under 5 s.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "bench_results" / "map.json"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def build_project(folder: Path, rows: int):
    from scripts.bench_ingest import write_csv
    from trygg.layers.ingest import ingest_file
    from trygg.layers.store import create_project

    csv = folder / f"tycktill_{rows}.csv"
    write_csv(csv, rows)
    store = create_project(folder / f"bench_{rows}.gpkg", overwrite=True)
    ingest_file(store, csv, source="tycktill")
    return store


def folium_markercluster(store, out: Path) -> Path:
    """folium's plain MarkerCluster of the same reports, assets inlined."""
    import folium
    from folium.plugins import MarkerCluster

    from trygg.maps.assets import inline_assets

    reports = store.read_reports(["report_id"]).to_crs("EPSG:4326")
    m = folium.Map(tiles=None, prefer_canvas=True, maxZoom=19)  # MarkerCluster needs it
    m.default_js = [("leaflet", "leaflet.js")]
    m.default_css = [("leaflet_css", "leaflet.css")]
    cluster = MarkerCluster(control=False).add_to(m)
    for lat, lon in zip(reports.geometry.y, reports.geometry.x, strict=True):
        folium.CircleMarker([lat, lon], radius=5).add_to(cluster)
    html = m.get_root().render()
    html = html.replace("</html>", "<script>document.documentElement.dataset.tryggReady='1'"
                        "</script></html>")
    out.write_text(inline_assets(html), encoding="utf-8")
    return out


def open_and_time(path: Path) -> dict:
    """Seconds from navigation until the page is ready, in headless Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
            ("file:", "data:", "blob:")) else r.abort())
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        t0 = time.perf_counter()
        page.goto(path.resolve().as_uri(), timeout=300_000)
        page.wait_for_function("document.documentElement.dataset.tryggReady === '1'",
                               timeout=300_000)
        ready = time.perf_counter() - t0
        browser.close()
    return {"ready_s": round(ready, 2), "mb": round(path.stat().st_size / 1e6, 2),
            "errors": errors[:3]}


def main() -> None:
    from trygg.maps.karta import write_map

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--no-folium", action="store_true",
                        help="skip folium's MarkerCluster (slow to build for 1M)")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for rows in args.sizes:
            store = build_project(folder, rows)
            t0 = time.perf_counter()
            ours = write_map(store, folder / f"karta_{rows}.html")
            build = time.perf_counter() - t0
            entry = {"trygg": {"build_s": round(build, 2), **open_and_time(ours)}}
            if not args.no_folium and rows <= 100_000:
                t0 = time.perf_counter()
                plain = folium_markercluster(store, folder / f"folium_{rows}.html")
                build = time.perf_counter() - t0
                entry["folium_markercluster"] = {"build_s": round(build, 2),
                                                 **open_and_time(plain)}
            results[str(rows)] = entry
            print(rows, json.dumps(entry))
    out = {"results": results, "targets": {"100000": {"mb": 15, "ready_s": 3},
                                           "1000000": {"ready_s": 5}},
           "date": time.strftime("%Y-%m-%d")}
    RESULTS.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()

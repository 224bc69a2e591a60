"""Benchmark: ingest a 1,000,000-row Tyck till-style CSV into a project.

Target (issue 3): under 60 s on the 2-core machine, peak memory under 3 GB.
For scale, the same file is also loaded the plain way in the same run —
``pandas.read_csv`` + ``GeoDataFrame.to_file`` (GeoPackage) with none of the
checks (no line numbers, no rejects, no dates, no categories, no duplicate
check) — and the ratio is reported.

    python -m scripts.bench_ingest [--rows 1000000]

Writes ``scripts/bench_results/ingest.json``. Each measurement runs in a fresh
process so peak memory (ru_maxrss) belongs to that step alone.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from scripts._bench import machine, write_results

RESULTS = Path(__file__).parent / "bench_results" / "ingest.json"
CATEGORIES = ["Belysning - trasig lampa", "Klotter", "Nedskräpning", "Otrygg plats",
              "Skadegörelse", "Buskage/växtlighet skymmer sikt", "Trafik - fortkörning",
              "Övrigt"]


def write_csv(path: Path, rows: int, seed: int = 1) -> None:
    """A Tyck till-style export: ``;``, UTF-8 with BOM, decimal commas, WGS84."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-01-01T00:00")
    minutes = rng.integers(0, 2 * 365 * 24 * 60, rows)
    df = pd.DataFrame({
        "Ärendenummer": [f"TT-{i:07d}" for i in range(rows)],
        "Skapad": pd.Series(start + minutes.astype("timedelta64[m]")).dt.strftime(
            "%Y-%m-%d %H:%M"),
        "Kategori": np.array(CATEGORIES)[rng.integers(0, len(CATEGORIES), rows)],
        "Beskrivning": np.array(["Lampan lyser inte", "Nytt klotter på elskåpet",
                                 "Mycket skräp", "Känns otryggt på kvällen"])[
            rng.integers(0, 4, rows)],
        "Adress": np.array(["Storgatan 12", "Torget", "Parkvägen 3", "Busstationen"])[
            rng.integers(0, 4, rows)],
        "Latitud": np.round(59.3 + rng.random(rows) * 0.5, 6),
        "Longitud": np.round(17.8 + rng.random(rows) * 0.8, 6),
        "Status": np.array(["Öppen", "Avslutad"])[rng.integers(0, 2, rows)],
    })
    df.to_csv(path, sep=";", decimal=",", index=False, encoding="utf-8-sig")


def _child(kind: str, csv: str, work: str) -> None:
    """Run one measurement in this process and print a JSON line."""
    t0 = time.perf_counter()
    if kind == "trygg":
        from trygg.layers.ingest import ingest_file
        from trygg.layers.store import create_project

        store = create_project(Path(work) / "bench.gpkg", overwrite=True)
        s = ingest_file(store, csv, source="tycktill")
        info = {"reports_added": s.reports_added, "rejected": s.rejected,
                "rows_read": s.rows_read, "balanced": s.balanced}
    else:
        import geopandas as gpd

        df = pd.read_csv(csv, sep=";", decimal=",", encoding="utf-8-sig", dtype=str)
        lat = pd.to_numeric(df["Latitud"].str.replace(",", "."))
        lon = pd.to_numeric(df["Longitud"].str.replace(",", "."))
        gdf = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(lon, lat), crs=4326)
        gdf.to_crs(3006).to_file(Path(work) / "plain.gpkg", engine="pyogrio")
        info = {"rows": len(gdf)}
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": round(seconds, 2), "peak_mb": round(peak_mb), **info}))


def _measure(kind: str, csv: Path, work: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "scripts.bench_ingest", "--child", kind,
                          str(csv), str(work)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--child", nargs=3, metavar=("KIND", "CSV", "WORK"))
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        csv = work / "tycktill_1m.csv"
        t0 = time.perf_counter()
        write_csv(csv, args.rows)
        gen = time.perf_counter() - t0
        trygg = _measure("trygg", csv, work)
        plain = _measure("plain", csv, work)
        size_mb = csv.stat().st_size / 1e6
    result = {
        "rows": args.rows, "csv_mb": round(size_mb, 1), "generate_seconds": round(gen, 1),
        "trygg_ingest": trygg, "plain_pandas_geopandas": plain,
        "ratio_trygg_over_plain": round(trygg["seconds"] / plain["seconds"], 2),
        "targets": {"seconds": 60, "peak_mb": 3000},
        "met": trygg["seconds"] < 60 and trygg["peak_mb"] < 3000,
        "machine": machine(),
    }
    write_results(RESULTS, result)


if __name__ == "__main__":
    main()

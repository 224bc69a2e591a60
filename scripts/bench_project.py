"""Benchmark: the commands on a 1,000,000-report project (issue 9).

Target: ``trygg hotspots PROJECT --method gistar --cell 100`` under 3 s end to end
(the whole CLI process: Python start-up, reading, Gi*, writing the run) on the
2-core machine. Measured side by side in the same run, each in its own process,
median of ``--repeat`` runs:

- ``trygg_gistar``: the command above, on a fresh copy of the project each time;
- ``floor``: pyogrio reading only the report points of the same file
  (``read_dataframe(columns=[])``, Arrow), the least any analysis must do;
- ``reference``: what a user would otherwise write: ``geopandas.read_file`` of
  the layer, 100 m cell counts, libpysal ``DistanceBand`` weights giving the
  same queen neighbourhood (cell centres within 1.5 cells), esda ``G_Local``
  (Gi*, ``star=True``, analytical p-values: ``permutations=0``), the grid
  written to a GeoPackage;
- ``trygg info``, ``trygg map`` and ``trygg export --layer reports`` (CSV).

Every entry has wall-clock seconds and the peak memory (``ru_maxrss`` of that
child process). The project (the one :mod:`scripts.bench_ingest` builds: a
Tyck till CSV ingested with ``trygg ingest``) is cached in
``$TMPDIR/trygg_bench_project/`` and reused.

    python -m scripts.bench_project [--rows 1000000] [--repeat 3]

Writes ``scripts/bench_results/project.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scripts._bench import machine, write_results

RESULTS = Path(__file__).parent / "bench_results" / "project.json"
CACHE = Path(tempfile.gettempdir()) / "trygg_bench_project"
TARGET_S = 3.0

FLOOR = """
import sys, time, pyogrio
t = time.perf_counter()
df = pyogrio.read_dataframe(sys.argv[1], layer="reports", columns=[], use_arrow=True)
print(f"{len(df)} points in {time.perf_counter() - t:.3f} s", file=sys.stderr)
"""

REFERENCE = """
import sys, time
import numpy as np, geopandas as gpd, shapely
from libpysal.weights import DistanceBand
from esda.getisord import G_Local
t = time.perf_counter()
reports = gpd.read_file(sys.argv[1], layer="reports", engine="pyogrio")
located = reports[reports.geometry.notna()]
x, y = located.geometry.x.to_numpy(), located.geometry.y.to_numpy()
cell = 100.0
col, row = np.floor(x / cell).astype(int), np.floor(y / cell).astype(int)
c0, r0 = col.min() - 1, row.min() - 1
ncol, nrow = col.max() - c0 + 2, row.max() - r0 + 2
counts = np.bincount((row - r0) * ncol + (col - c0), minlength=ncol * nrow)
cc, rr = np.meshgrid(np.arange(ncol) + c0, np.arange(nrow) + r0)
cc, rr = cc.ravel(), rr.ravel()
centres = np.column_stack([(cc + 0.5) * cell, (rr + 0.5) * cell])
w = DistanceBand(centres, threshold=1.5 * cell, binary=True, silence_warnings=True)
g = G_Local(counts.astype(float), w, star=True, transform="B", permutations=0)
grid = gpd.GeoDataFrame({"n": counts, "gistar": g.Zs, "p": g.p_norm},
                        geometry=shapely.box(cc * cell, rr * cell, (cc + 1) * cell,
                                             (rr + 1) * cell), crs=reports.crs)
grid.to_file(sys.argv[2], layer="gistar", engine="pyogrio")
print(f"{len(grid)} cells in {time.perf_counter() - t:.3f} s", file=sys.stderr)
"""


def build(rows: int) -> Path:
    """The cached benchmark project of ``rows`` reports (built once, ~1 min)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    project = CACHE / f"bench_{rows}.gpkg"
    if project.exists():
        return project
    csv = CACHE / f"tycktill_{rows}.csv"
    from scripts.bench_ingest import write_csv

    write_csv(csv, rows)
    partial = CACHE / f"building_{rows}.gpkg"
    trygg = _trygg()
    subprocess.run([trygg, "init", str(partial), "--overwrite"], check=True,
                   capture_output=True)
    subprocess.run([trygg, "ingest", str(partial), str(csv), "--source", "tycktill"],
                   check=True, capture_output=True)
    os.replace(partial, project)
    csv.unlink()
    return project


def _trygg() -> str:
    here = Path(sys.executable).parent / "trygg"
    return str(here) if here.exists() else (shutil.which("trygg") or "trygg")


def _popen_wait4(cmd: list[str]) -> dict:
    """Run ``cmd`` as a child, reaped with ``wait4`` for its own rusage: wall-clock
    seconds, peak memory (MB) and the last line it wrote to stderr."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read()
    proc.stderr.close()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd} failed:\n{err.decode(errors='replace')[-2000:]}")
    return {"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024,
            "stderr": err.decode(errors="replace").strip().splitlines()[-1:]}


def measure(name: str, make_cmd, repeat: int, fresh: Path | None = None,
            work: Path | None = None) -> dict:
    """Median seconds and peak MB of ``repeat`` runs of ``make_cmd(project)``; with
    ``fresh``, each run gets its own copy of that project (not timed)."""
    runs = []
    for i in range(repeat):
        target = fresh
        if fresh is not None and work is not None:
            target = work / f"{name}_{i}.gpkg"
            shutil.copyfile(fresh, target)
        runs.append(_popen_wait4(make_cmd(target, i)))
        if fresh is not None and target != fresh:
            for p in target.parent.glob(f"{target.stem}*"):
                p.unlink()
    secs = [r["seconds"] for r in runs]
    out = {"seconds": round(statistics.median(secs), 2), "runs": [round(s, 2) for s in secs],
           "peak_mb": round(max(r["peak_mb"] for r in runs))}
    note = runs[-1]["stderr"]
    if note:
        out["note"] = note[-1][:200]
    print(f"{name}: {out}", file=sys.stderr)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    t0 = time.perf_counter()
    project = build(args.rows)
    build_s = time.perf_counter() - t0
    trygg = _trygg()
    py = sys.executable
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        work = Path(tmp)
        result = {
            "rows": args.rows, "project_mb": round(project.stat().st_size / 1e6),
            "build_or_reuse_seconds": round(build_s, 1),
            "trygg_gistar": measure(
                "trygg_gistar", lambda p, i: [trygg, "hotspots", str(p), "--method",
                                              "gistar", "--cell", "100"],
                args.repeat, fresh=project, work=work),
            "floor_read_points": measure(
                "floor", lambda p, i: [py, "-c", FLOOR, str(project)], args.repeat),
            "reference_geopandas_libpysal_esda": measure(
                "reference", lambda p, i: [py, "-c", REFERENCE, str(project),
                                           str(work / f"ref_{i}.gpkg")], args.repeat),
            "trygg_info": measure("info", lambda p, i: [trygg, "info", str(project)],
                                  args.repeat),
            "trygg_map": measure(
                "map", lambda p, i: [trygg, "map", str(project), "--out",
                                     str(work / f"karta_{i}.html")], args.repeat),
            "trygg_export_reports_csv": measure(
                "export", lambda p, i: [trygg, "export", str(project), "--layer", "reports",
                                        "--out", str(work / f"rapporter_{i}.csv")],
                args.repeat),
        }
    ours = result["trygg_gistar"]["seconds"]
    result["ratio_trygg_over_floor"] = round(ours / result["floor_read_points"]["seconds"], 2)
    result["ratio_reference_over_trygg"] = round(
        result["reference_geopandas_libpysal_esda"]["seconds"] / ours, 2)
    result["target_seconds"] = TARGET_S
    result["met"] = ours < TARGET_S
    result["load_average"] = [round(v, 2) for v in os.getloadavg()]
    result["machine"] = machine()
    write_results(RESULTS, result)
    print(json.dumps({"gistar_s": ours, "met": result["met"]}), file=sys.stderr)


if __name__ == "__main__":
    main()

"""Benchmark: Gi* hot spots of 1,000,000 points on 100 m cells over 50 × 50 km.

Targets (issue): ``hotspot_gistar`` (count + Gi* + FDR) under 3 s on the
2-core machine, at least 20 × faster than esda's ``G_Local(star=True,
permutations=0)`` on the same grid and weights, with the same z-scores.

    python -m scripts.bench_gistar [--points 1000000] [--repeat 3]

Writes ``scripts/bench_results/gistar.json`` and prints a short table. The
esda weights (``libpysal.weights.W``) are built from our sparse neighbour
matrix; their construction is timed but not counted in esda's time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np

RESULTS = Path(__file__).parent / "bench_results" / "gistar.json"
X0, Y0, SIDE, CELL = 600_000.0, 6_600_000.0, 50_000.0, 100.0


def make_points(n: int, seed: int = 1) -> gpd.GeoDataFrame:
    """Half uniform noise, half in 60 Gaussian clusters (sd 100–600 m), EPSG:3006."""
    rng = np.random.default_rng(seed)
    n_noise = n // 2
    centres = rng.uniform(2_000, SIDE - 2_000, (60, 2))
    sizes = rng.multinomial(n - n_noise, rng.dirichlet(np.ones(60)))
    sd = rng.uniform(100, 600, 60)
    which = np.repeat(np.arange(60), sizes)
    x = np.concatenate([rng.uniform(0, SIDE, n_noise), centres[which, 0]
                        + rng.normal(0, 1, which.size) * sd[which]])
    y = np.concatenate([rng.uniform(0, SIDE, n_noise), centres[which, 1]
                        + rng.normal(0, 1, which.size) * sd[which]])
    x, y = np.clip(x, 1.0, SIDE - 1.0) + X0, np.clip(y, 1.0, SIDE - 1.0) + Y0
    return gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=3006)


def _best(fn, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from esda.getisord import G_Local
    from libpysal.weights import WSP, W

    from trygg.layers.hotspots import hotspot_count, hotspot_gistar
    from trygg.layers.hotspots.gistar import adjust_pvalues, classify, neighbourhood, two_sided_p

    t0 = time.perf_counter()
    points = make_points(args.points)
    make_s = time.perf_counter() - t0
    hotspot_gistar(points.iloc[:1000], cell=CELL)  # warm up imports

    trygg_s, out = _best(lambda: hotspot_gistar(points, cell=CELL, quiet=True), args.repeat)
    count_s, _ = _best(lambda: hotspot_count(points, cell=CELL, quiet=True), args.repeat)
    n = out["n"].to_numpy()
    nb = neighbourhood(out, out.attrs["params"])
    core_s, z = _best(lambda: nb.gistar(n), args.repeat)

    def statistics():  # what esda does and more: neighbours, z, p, FDR, classes
        zz = neighbourhood(out, out.attrs["params"]).gistar(n)
        p = two_sided_p(zz)
        return classify(zz, adjust_pvalues(p, "fdr"))

    stats_s, _ = _best(statistics, args.repeat)

    t0 = time.perf_counter()
    matrix = nb.sparse()
    sparse_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    w_from_sparse = W.from_sparse(matrix)
    w_from_sparse_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    w_wsp = WSP(matrix).to_W()
    w_wsp_s = time.perf_counter() - t0
    w, w_s, w_how = ((w_from_sparse, w_from_sparse_s, "W.from_sparse")
                     if w_from_sparse_s <= w_wsp_s else (w_wsp, w_wsp_s, "WSP.to_W"))
    del w_from_sparse, w_wsp

    def run_esda():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return G_Local(n, w, star=True, transform="B", permutations=0)

    esda_s, lg = _best(run_esda, 1)
    diff = float(np.max(np.abs(lg.Zs - z)))
    diff_trygg = float(np.max(np.abs(lg.Zs - out["gistar"].to_numpy())))

    result = {
        "points": args.points, "cells": len(out), "cell_m": CELL,
        "area_km": [SIDE / 1000, SIDE / 1000], "seed": 1,
        "make_points_s": round(make_s, 3),
        "hotspot_gistar_s": round(trygg_s, 3),
        "of_which_count_s": round(count_s, 3),
        "gistar_core_s": round(core_s, 4),
        "gistar_z_p_fdr_classes_s": round(stats_s, 4),
        "esda_g_local_s": round(esda_s, 3),
        "esda_weights": {"chosen": w_how, "seconds": round(w_s, 3),
                         "W.from_sparse_s": round(w_from_sparse_s, 3),
                         "WSP.to_W_s": round(w_wsp_s, 3),
                         "our_sparse_matrix_s": round(sparse_s, 3)},
        "ratio_esda_over_hotspot_gistar": round(esda_s / trygg_s, 2),
        "ratio_esda_over_gistar_core": round(esda_s / core_s, 1),
        "ratio_esda_over_gistar_z_p_fdr_classes": round(esda_s / stats_s, 1),
        "ratio_esda_with_weights_over_hotspot_gistar": round((esda_s + w_s) / trygg_s, 2),
        "max_abs_diff_z": diff, "max_abs_diff_z_hotspot_gistar": diff_trygg,
        "hot_cells": int(out["klass"].str.startswith("hot").sum()),
        "cold_cells": int(out["klass"].str.startswith("cold").sum()),
        "targets": {"hotspot_gistar_s": 3.0, "ratio": 20.0},
        "met": {"seconds": trygg_s < 3.0, "ratio_end_to_end": esda_s / trygg_s >= 20,
                "ratio_core": esda_s / core_s >= 20,
                "ratio_statistics": esda_s / stats_s >= 20},
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "date": time.strftime("%Y-%m-%d"),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
    rows = [("hotspot_gistar (count + Gi* + FDR)", trygg_s),
            ("  of which hotspot_count", count_s),
            ("  Gi* z + p + FDR + classes from counts", stats_s),
            ("  of which Gi* z (ndimage)", core_s),
            (f"esda weights ({w_how}, not counted)", w_s),
            ("esda G_Local(star=True, permutations=0)", esda_s)]
    print(f"{args.points:,} points, {len(out):,} cells of {CELL:g} m")
    for label, s in rows:
        print(f"  {label:<44} {s:8.3f} s")
    print(f"  esda / hotspot_gistar  {esda_s / trygg_s:7.1f} ×   (target ≥ 20)")
    print(f"  esda / Gi* z+p+FDR     {esda_s / stats_s:7.1f} ×")
    print(f"  esda / Gi* z           {esda_s / core_s:7.1f} ×")
    print(f"  max |z − esda z|       {diff:.2e}")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()

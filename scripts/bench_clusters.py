"""Benchmark: hotspot polygons from 200,000 reports with DBSCAN and every default.

Target: ``hotspot_clusters(points, method="dbscan")`` under 10 s on the 2-core
machine.

    python -m scripts.bench_clusters [--points 200000] [--seed 7] [--repeat 3]

The points (seeded) imitate a municipality of 40 km × 40 km in SWEREF 99 TM:
60 % spread around three towns (normal, 2.0/1.5/1.0 km), 30 % in 60 hotspots
(normal, 30–150 m, lognormal sizes) placed in the towns, 10 % uniform over the
whole area. Coordinates are continuous (no two reports share a point), the
worst case for the function's merging of identical points. Each report has a
time (two years), a category, a source and a weight, so the whole description
(shares, weekday × hour, JSON counts, names, ids) is measured.

Reference: ``sklearn.cluster.DBSCAN`` alone, default algorithm (a k-d tree
here), with the same ``eps`` and ``min_samples`` the function chose, on the
same 200,000 points. That is the clustering step itself and nothing else, so
the ratio (function / reference) is what choosing the defaults, drawing the
polygons and describing them costs on top. A brute-force DBSCAN on a
subsample, extrapolated, would compare against an algorithm nobody would use
at this size and flatter the function. The two results are also compared:
the same reports clustered and the same clusters.

Each measurement runs in a fresh process (median of ``--repeat`` runs; peak
memory is ru_maxrss of the process). Writes ``scripts/bench_results/clusters.json``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from scripts._bench import machine, write_results

RESULTS = Path(__file__).parent / "bench_results" / "clusters.json"
TARGET_SECONDS = 10.0
ORIGIN = np.array([600_000.0, 6_500_000.0])  # SWEREF 99 TM, inside Sweden


def make_points(n: int, seed: int):
    """The benchmark's reports as a GeoDataFrame in EPSG:3006 (see the module text)."""
    import geopandas as gpd
    import pandas as pd

    from trygg.layers.schema import CATEGORIES

    rng = np.random.default_rng(seed)
    side = 40_000.0
    towns = np.array([[12_000, 15_000, 2_000], [28_000, 26_000, 1_500], [20_000, 33_000, 1_000]])
    share = np.array([0.6, 0.3, 0.1])
    n_uniform, n_hot = int(0.1 * n), int(0.3 * n)
    n_town = n - n_uniform - n_hot
    which = rng.choice(3, n_town, p=share)
    town = towns[which, :2] + rng.normal(0, 1, (n_town, 2)) * towns[which, 2:3]
    k = 60
    at = rng.choice(3, k, p=share)
    centres = towns[at, :2] + rng.normal(0, 1, (k, 2)) * towns[at, 2:3]
    sizes = rng.lognormal(0, 1, k)
    sizes = np.floor(sizes / sizes.sum() * n_hot).astype(int)
    sds = rng.uniform(30, 150, k)
    hot = np.vstack([centres[j] + rng.normal(0, sds[j], (sizes[j], 2)) for j in range(k)])
    uniform = rng.uniform(0, side, (n - len(town) - len(hot), 2))
    xy = np.vstack([town, hot, uniform]) + ORIGIN
    start = pd.Timestamp("2024-01-01", tz="Europe/Stockholm")
    codes = list(CATEGORIES)
    return gpd.GeoDataFrame({
        "reported_at": start + pd.to_timedelta(rng.integers(0, 2 * 365 * 24 * 60, n),
                                               unit="min"),
        "category": np.array(codes, dtype=object)[rng.integers(0, len(codes), n)],
        "source": np.array(["tycktill", "est", "walk"], dtype=object)[
            rng.integers(0, 3, n)],
        "weight": rng.choice([0.5, 1.0, 1.5, 2.0, 3.0], n),
    }, geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs="EPSG:3006")


def _child(kind: str, n: int, seed: int, eps: float, min_samples: int) -> None:
    """One measurement in this process; prints a JSON line."""
    points = make_points(n, seed)
    xy = points.get_coordinates().to_numpy()
    if kind == "function":
        from trygg.layers.hotspots.clusters import hotspot_clusters

        t0 = time.perf_counter()
        out = hotspot_clusters(points, method="dbscan")
        seconds = time.perf_counter() - t0
        info = {"hotspots": len(out), "clustered": int(out["n"].sum()),
                "eps": out.attrs["params"]["eps"],
                "min_samples": out.attrs["params"]["min_samples"],
                "density_ratio": out.attrs["params"]["density_ratio"],
                "largest_n": int(out["n"].max()) if len(out) else 0}
    else:
        from sklearn.cluster import DBSCAN

        from trygg.layers.hotspots.dbscan import dbscan_labels

        t0 = time.perf_counter()
        model = DBSCAN(eps=eps, min_samples=min_samples).fit(xy)
        seconds = time.perf_counter() - t0
        labels = model.labels_
        info = {"hotspots": int(labels.max() + 1), "clustered": int((labels >= 0).sum())}
        # after the timing: the function's DBSCAN against sklearn's, point by point
        ours, core = dbscan_labels(xy, eps, min_samples)
        ref_core = np.zeros(len(xy), bool)
        ref_core[model.core_sample_indices_] = True
        pairs = set(zip(ours[core].tolist(), labels[core].tolist(), strict=True))
        info["exact"] = {
            "same_cores": bool((core == ref_core).all()),
            "same_noise": bool(((ours >= 0) == (labels >= 0)).all()),
            "same_clusters_of_cores": len(pairs) == len(set(ours[core])) == len(
                set(labels[core])),
        }
        to_ref = np.full(ours.max() + 2, -1)
        for o, r in pairs:
            to_ref[o] = r
        info["exact"]["border_reports_in_another_cluster"] = int(
            (to_ref[ours[~core]] != labels[~core]).sum())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": round(seconds, 3), "peak_mb": round(peak_mb), **info}))


def _measure(kind: str, n: int, seed: int, eps: float = 0.0, min_samples: int = 0) -> dict:
    out = subprocess.run([sys.executable, "-m", "scripts.bench_clusters", "--child", kind,
                          str(n), str(seed), repr(eps), str(min_samples)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _median_run(kind: str, repeat: int, *args) -> dict:
    runs = [_measure(kind, *args) for _ in range(repeat)]
    best = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
    return {**best, "runs_s": [r["seconds"] for r in runs]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=5, metavar=("KIND", "N", "SEED", "EPS", "MIN"))
    args = parser.parse_args()
    if args.child:
        kind, n, seed, eps, m = args.child
        _child(kind, int(n), int(seed), float(eps), int(m))
        return
    ours = _median_run("function", args.repeat, args.points, args.seed)
    ref = _median_run("reference", args.repeat, args.points, args.seed, ours["eps"],
                      ours["min_samples"])
    result = {
        "points": args.points, "seed": args.seed, "repeat": args.repeat,
        "defaults": {"eps_m": round(ours["eps"], 1), "min_samples": ours["min_samples"],
                     "density_ratio": ours["density_ratio"]},
        "hotspot_clusters": {k: ours[k] for k in ("seconds", "runs_s", "peak_mb", "hotspots",
                                                  "clustered", "largest_n")},
        "reference_sklearn_dbscan": {
            "what": "sklearn.cluster.DBSCAN(eps, min_samples).fit_predict on the same points, "
                    "default algorithm (k-d tree), same eps and min_samples",
            **{k: ref[k] for k in ("seconds", "runs_s", "peak_mb", "hotspots", "clustered")}},
        "ratio_function_over_reference": round(ours["seconds"] / ref["seconds"], 2),
        "same_result_as_reference": {
            "hotspots": ours["hotspots"] == ref["hotspots"],
            "clustered_reports": ours["clustered"] == ref["clustered"],
            **ref["exact"],
            "note": "a border report (not a core) within eps of two clusters may go to "
                    "either; the function gives it to its nearest core's cluster"},
        "target_seconds": TARGET_SECONDS,
        "met": ours["seconds"] < TARGET_SECONDS,
        "machine": machine(),
    }
    write_results(RESULTS, result)


if __name__ == "__main__":
    main()

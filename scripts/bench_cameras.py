"""Benchmark: camera-site planning on a generated town (issue 11).

Targets: 2,000 candidates × 100,000 incidents, k = 25, with 5,000 buildings:
``camera_sites`` with the greedy solver under 10 s; the exact solver (HiGHS) on
200 × 5,000 under 60 s; on generated instances the greedy answer within 2 % of
the exact optimum (the gaps are reported); line of sight for 2,000 sites against
5,000 buildings timed on its own, side by side with the plain way of doing it
(casting 360 rays per site with shapely) on the same sites (a ratio).

The town: 5,000 rectangular buildings on a 3 × 3 km street grid (SWEREF 99 TM),
incidents in 150 Gaussian clusters (sd 5–40 m) plus uniform noise, categories
drawn from the vocabulary, two years of times; candidates on the streets
(outside buildings).

    python -m scripts.bench_cameras [--repeat 3]

Writes ``scripts/bench_results/cameras.json``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from scripts._bench import machine, write_results
from trygg.geo.sight import view_polygons
from trygg.layers.cameras import coverage as cov
from trygg.layers.cameras.sites import camera_sites
from trygg.layers.cameras.solve import compare
from trygg.layers.schema import CATEGORIES

RESULTS = Path(__file__).parent / "bench_results" / "cameras.json"
X0, Y0, SIDE = 670_000.0, 6_580_000.0, 3_000.0
CRS = "EPSG:3006"


def town(n_buildings: int = 5_000, n_incidents: int = 100_000, n_candidates: int = 2_000,
         seed: int = 1) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoSeries]:
    """Incidents, candidate sites and buildings of a generated town."""
    rng = np.random.default_rng(seed)
    # blocks of 60 m with 12 m streets; buildings inside the blocks
    block, street = 60.0, 12.0
    bx = rng.integers(0, int(SIDE // block), n_buildings) * block + street / 2
    by = rng.integers(0, int(SIDE // block), n_buildings) * block + street / 2
    ox, oy = rng.uniform(0, block - street - 25, (2, n_buildings))
    w, h = rng.uniform(8, 25, (2, n_buildings))
    buildings = gpd.GeoSeries(shapely.box(X0 + bx + ox, Y0 + by + oy, X0 + bx + ox + w,
                                          Y0 + by + oy + h), crs=CRS)
    blocked = shapely.union_all(buildings.to_numpy())
    centres = rng.uniform(100, SIDE - 100, (150, 2))
    sizes = rng.multinomial(int(n_incidents * 0.7), rng.dirichlet(np.ones(150)))
    sd = rng.uniform(5, 40, 150)
    which = np.repeat(np.arange(150), sizes)
    xy = np.vstack([centres[which] + rng.normal(0, 1, (which.size, 2)) * sd[which, None],
                    rng.uniform(0, SIDE, (n_incidents - which.size, 2))]) + [X0, Y0]
    codes = list(CATEGORIES)
    cats = rng.choice(codes, len(xy))
    start = pd.Timestamp("2024-01-01", tz="Europe/Stockholm")
    when = start + pd.to_timedelta(rng.uniform(0, 730 * 86_400, len(xy)), unit="s")
    incidents = gpd.GeoDataFrame({"category": cats, "reported_at": when},
                                 geometry=shapely.points(xy), crs=CRS)
    # candidates: on street lines (the block edges), outside buildings
    cands: list[np.ndarray] = []
    while sum(len(c) for c in cands) < n_candidates:
        line = rng.integers(0, int(SIDE // block), (n_candidates, 1)) * block
        along = rng.uniform(0, SIDE, (n_candidates, 1))
        pts = np.where(rng.random((n_candidates, 1)) < 0.5, np.hstack([line, along]),
                       np.hstack([along, line])) + [X0, Y0]
        pts = pts[~shapely.intersects(blocked, shapely.points(pts))]
        cands.append(pts)
    cxy = np.vstack(cands)[:n_candidates]
    candidates = gpd.GeoDataFrame({"site_id": [f"K{i + 1}" for i in range(len(cxy))]},
                                  geometry=shapely.points(cxy), crs=CRS)
    return incidents, candidates, buildings


def rays_reference(sites: np.ndarray, buildings: gpd.GeoSeries, range_m: float = 40.0,
                   n_rays: int = 360) -> list:
    """The plain way: cast ``n_rays`` rays per site, cut each at the first building,
    join the end points into a polygon."""
    tree = shapely.STRtree(buildings.to_numpy())
    geoms = buildings.to_numpy()
    out = []
    angles = np.linspace(0, 2 * np.pi, n_rays, endpoint=False)
    for x, y in sites:
        ends = np.c_[x + range_m * np.sin(angles), y + range_m * np.cos(angles)]
        near = geoms[tree.query(shapely.Point(x, y).buffer(range_m))]
        block = shapely.union_all(near) if len(near) else None
        pts = []
        for ex, ey in ends:
            ray = shapely.LineString([(x, y), (ex, ey)])
            if block is not None and ray.intersects(block):
                hit = ray.intersection(block)
                d = shapely.Point(x, y).distance(hit)
                f = d / range_m
                pts.append((x + (ex - x) * f, y + (ey - y) * f))
            else:
                pts.append((ex, ey))
        out.append(shapely.Polygon(pts))
    return out


def timed(fn, repeat: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    incidents, candidates, buildings = town()
    sxy = shapely.get_coordinates(candidates.geometry.to_numpy())
    bld = buildings.to_numpy()
    result: dict = {"candidates": len(candidates), "incidents": len(incidents),
                    "buildings": len(buildings), "k": 25}

    sight_s, _ = timed(lambda: view_polygons(sxy, bld, range_m=40.0), args.repeat)
    sample = sxy[:100]
    ours_100, ours = timed(lambda: view_polygons(sample, bld, range_m=40.0), args.repeat)
    ref_100, ref = timed(lambda: rays_reference(sample, buildings), 1)
    agree = float(np.mean([a.symmetric_difference(b).area / max(a.area, 1e-9)
                           for a, b in zip(ours, ref, strict=True)]))
    result["line_of_sight"] = {
        "seconds_2000_sites": round(sight_s, 3),
        "seconds_100_sites": round(ours_100, 4), "reference_rays_100_sites": round(ref_100, 3),
        "ratio_reference_over_ours": round(ref_100 / ours_100, 1),
        "mean_area_difference_share": round(agree, 4),
        "note": "reference: 360 rays per site cut at the first building (shapely)"}

    full_s, plan = timed(lambda: camera_sites(incidents, candidates, k=25,
                                              buildings=buildings, exact=False), args.repeat)
    result["greedy_full"] = {"seconds": round(full_s, 2), "target_seconds": 10.0,
                             "met": full_s < 10.0,
                             "share_covered": round(float(plan.sites["share"].iloc[-1]), 4)}

    small_inc = incidents.sample(5_000, random_state=2)
    small_cand = candidates.iloc[:200]
    exact_s, small = timed(lambda: camera_sites(small_inc, small_cand, k=25,
                                                buildings=buildings, exact=True), 1)
    result["exact_200x5000"] = {
        "seconds": round(exact_s, 2), "target_seconds": 60.0, "met": exact_s < 60.0,
        "optimal": bool(small.exact.optimal), "greedy_gap": round(float(small.greedy.gap), 5)}

    gaps = []
    for seed in range(6):
        inc, cand, bl = town(n_buildings=1_500, n_incidents=5_000, n_candidates=200,
                             seed=10 + seed)
        views = view_polygons(shapely.get_coordinates(cand.geometry.to_numpy()),
                              bl.to_numpy(), range_m=40.0)
        matrix = cov.coverage(views, shapely.get_coordinates(inc.geometry.to_numpy()))
        w = cov.incident_weights(inc)
        for k in (5, 10, 25):
            g, e = compare(matrix, w, k=k, time_limit_s=60.0)
            gaps.append({"seed": 10 + seed, "k": k, "gap": round(float(g.gap), 5),
                         "exact_optimal": bool(e.optimal)})
    worst = max(g["gap"] for g in gaps)
    result["greedy_gaps"] = {"instances": gaps, "worst": worst, "target": 0.02,
                             "met": worst <= 0.02}
    result["machine"] = machine()
    write_results(RESULTS, result)


if __name__ == "__main__":
    main()

"""Link reports from different sources about the same place and event.

A Tyck till report and an EST row about the same klotter on the same day
within 50 m are two reports of one thing. They are linked (table ``links``),
never deleted: each source keeps its own record, and analyses can count the
event once.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

LINKS = "links"
COLUMNS = ("report_id", "linked_id", "distance_m", "reason")
#: Reports placed only to an area (police events at a municipality centroid, a
#: town) are never linked: their point says nothing about where it happened.
AREA_PRECISIONS = ("kommun", "area")


def find_links(new: gpd.GeoDataFrame, existing: gpd.GeoDataFrame | None = None, *,
               distance: float = 50.0) -> pd.DataFrame:
    """Pairs of reports from different sources, same category, same local day,
    within ``distance`` metres of each other.

    Parameters
    ----------
    new
        Reports just added (project CRS, metres).
    existing
        Reports already stored; pairs within ``new`` are found too.
    distance
        Greatest distance between the two points, in metres (default 50).

    Returns
    -------
    DataFrame
        ``report_id``, ``linked_id`` (the pair in id order, at least one of them
        new), ``distance_m``, ``reason``; each pair once.
    """
    pool = new if existing is None or existing.empty else pd.concat(
        [existing, new], ignore_index=True)
    point = (pool.geometry.notna() & ~pool.geometry.is_empty
             & ~pool["precision"].isin(AREA_PRECISIONS)).to_numpy()
    pool = pool[point].reset_index(drop=True)
    fresh_ids = set(new["report_id"])
    if len(pool) < 2 or pool["source"].nunique() < 2:
        return pd.DataFrame(columns=list(COLUMNS))
    day = pool["reported_at"].dt.tz_convert("Europe/Stockholm").dt.strftime("%Y-%m-%d")
    pairs = []
    for _, group in pool.groupby([day, pool["category"]], sort=False):
        if len(group) < 2 or group["source"].nunique() < 2:
            continue
        if not group["report_id"].isin(fresh_ids).any():
            continue
        geoms = group.geometry.to_numpy()
        left, right = shapely.STRtree(geoms).query(geoms, predicate="dwithin",
                                                   distance=distance)
        a, b = group.iloc[left], group.iloc[right]
        keep = ((a["source"].to_numpy() != b["source"].to_numpy())
                & (a["report_id"].to_numpy() < b["report_id"].to_numpy())
                & (a["report_id"].isin(fresh_ids).to_numpy()
                   | b["report_id"].isin(fresh_ids).to_numpy()))
        if keep.any():
            pairs.append(pd.DataFrame({
                "report_id": a["report_id"].to_numpy()[keep],
                "linked_id": b["report_id"].to_numpy()[keep],
                "distance_m": np.round(shapely.distance(geoms[left][keep],
                                                        geoms[right][keep]), 1),
            }))
    if not pairs:
        return pd.DataFrame(columns=list(COLUMNS))
    out = pd.concat(pairs, ignore_index=True)
    out["reason"] = "samma kategori, samma dag, olika källor"
    return out.sort_values(["report_id", "linked_id"]).reset_index(drop=True)

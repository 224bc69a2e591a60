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
        ``report_id`` (from ``new``), ``linked_id``, ``distance_m``, ``reason``;
        each pair once.
    """
    pool = new if existing is None or existing.empty else pd.concat(
        [existing, new], ignore_index=True)
    pool = pool[pool.geometry.notna() & ~pool.geometry.is_empty].reset_index(drop=True)
    fresh = new[new.geometry.notna() & ~new.geometry.is_empty]
    if fresh.empty or len(pool) < 2:
        return pd.DataFrame(columns=list(COLUMNS))
    tree = shapely.STRtree(pool.geometry.to_numpy())
    left, right = tree.query(fresh.geometry.to_numpy(), predicate="dwithin", distance=distance)
    a = fresh.iloc[left].reset_index(drop=True)
    b = pool.iloc[right].reset_index(drop=True)
    day_a = a["reported_at"].dt.tz_convert("Europe/Stockholm").dt.date
    day_b = b["reported_at"].dt.tz_convert("Europe/Stockholm").dt.date
    keep = ((a["source"] != b["source"]) & (a["category"] == b["category"])
            & (day_a == day_b) & (a["report_id"] != b["report_id"])).to_numpy()
    if not keep.any():
        return pd.DataFrame(columns=list(COLUMNS))
    a, b = a[keep], b[keep]
    first = np.where(a["report_id"].to_numpy() < b["report_id"].to_numpy(),
                     a["report_id"], b["report_id"])
    second = np.where(a["report_id"].to_numpy() < b["report_id"].to_numpy(),
                      b["report_id"], a["report_id"])
    out = pd.DataFrame({
        "report_id": first, "linked_id": second,
        "distance_m": np.round(a.geometry.distance(b.geometry, align=False).to_numpy(), 1),
        "reason": "samma kategori, samma dag, olika källor",
    })
    return out.drop_duplicates(["report_id", "linked_id"]).reset_index(drop=True)

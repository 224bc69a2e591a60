"""Figures that are safe to publish (``--audience publik``, DESIGN.md §7).

A public map shows aggregates only: counts of reports per grid cell and per
hotspot area. Nothing about a single report leaves this module: no point, no
free text (``description``, ``place_text``), no id (``report_id``,
``source_id``), no time finer than a month.

Which reports count
    Only reports with ``visibility == "publik"`` (``intern`` and missing
    values are left out) that have a real point: precision ``exact``,
    ``address``, ``street``, ``intersection`` or ``place``. Reports placed at
    an area's or the municipality's centre (``area``, ``kommun``) or not at
    all (``none``) are left out: their point says nothing about the place.

Suppression rule (k = ``min_count``, default 3)
    1. A cell with fewer than k reports is removed entirely.
    2. In a published cell, a category is named with its count only when it
       holds at least k reports. All other reports (the smaller categories
       and the category ``ovrigt`` itself) are summed into ``"ovrigt"``.
    3. If that sum is between 1 and k − 1, the smallest named category is
       folded into ``"ovrigt"`` as well (secondary suppression), so that the
       small remainder cannot be worked out as ``n`` minus the named counts.

    Hence every published number is at least k, and a cell's category counts
    add up exactly to its ``n``. See :func:`fold_counts`.

Hotspot areas (:func:`public_hotspots`) are generalised to the published
cells they hold publik reports in, and their figures are sums of the cells'
published figures (no new number a subtraction could split), except the
share in darkness and the busiest hour, which are published only when every
count behind them is 0 or at least k.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from trygg.geo.errors import ArgumentError
from trygg.layers import schema
from trygg.layers.hotspots.count import grid_for

#: Precisions that place a report at a real point (not an area's centre).
REAL_POINT = ("exact", "address", "street", "intersection", "place")
#: The bucket that small categories are folded into.
OTHER = "ovrigt"
#: Columns of :func:`public_aggregate`'s result (``by_<by>`` for ``by_category``).
CELL_COLUMNS = ("cell_id", "n", "by_category", "first", "last", "geometry")
#: Columns of :func:`public_hotspots`'s result.
HOTSPOT_COLUMNS = ("name", "rank", "n", "by_category", "share_dark", "busiest", "first",
                   "last", "cells", "geometry")
_BY = {"category": tuple(schema.CATEGORIES), "kind": schema.KINDS, "source": schema.SOURCES}


def _check(min_count: int, by: str) -> None:
    if not isinstance(min_count, (int, np.integer)) or isinstance(min_count, bool) \
            or min_count < 1:
        raise ArgumentError(f"--min-count måste vara ett heltal ≥ 1, inte {min_count!r}.",
                            f"--min-count must be a whole number ≥ 1, not {min_count!r}.")
    if by not in _BY:
        raise ArgumentError(f"Kan inte dela upp efter '{by}'; välj {', '.join(_BY)}.",
                            f"Cannot break down by '{by}'; choose {', '.join(_BY)}.")


def publishable(reports: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The reports that may be counted on a public map.

    Parameters
    ----------
    reports
        Reports in the report model (at least ``visibility``, ``precision``
        and a point geometry in a projected CRS, metres).

    Returns
    -------
    GeoDataFrame
        The rows with ``visibility == "publik"`` and a real point (precision
        in :data:`REAL_POINT`), index reset.

    Raises
    ------
    ArgumentError
        When ``visibility`` or ``precision`` is missing: without them nothing
        can be published safely.
    """
    missing = [c for c in ("visibility", "precision") if c not in reports.columns]
    if missing:
        raise ArgumentError(f"Rapporterna saknar kolumnerna {', '.join(missing)}; utan dem "
                            "kan inget publiceras.",
                            f"The reports lack the columns {', '.join(missing)}; without "
                            "them nothing can be published.")
    geom = reports.geometry
    keep = ((reports["visibility"] == "publik") & reports["precision"].isin(REAL_POINT)
            & geom.notna() & ~geom.is_empty)
    return reports[keep.fillna(False).to_numpy(bool)].reset_index(drop=True)


def fold_counts(counts: dict[str, int], min_count: int = 3,
                order: tuple[str, ...] | list[str] = tuple(schema.CATEGORIES)
                ) -> dict[str, int]:
    """Counts per group with every number below ``min_count`` folded away.

    Parameters
    ----------
    counts
        Reports per group (e.g. per category) in one cell or area.
    min_count
        k: the smallest number that may be published.
    order
        Group order of the result (unknown groups last, a–z); ``"ovrigt"``
        always comes last.

    Returns
    -------
    dict
        Groups with at least k reports by name, the rest summed into
        ``"ovrigt"``; when that sum would be between 1 and k − 1, the smallest
        named group joins ``"ovrigt"`` too. Every value is ≥ k and the values
        add up to the total; empty when the total is below k.
    """
    counts = {str(key): int(v) for key, v in counts.items() if int(v) > 0}
    total = sum(counts.values())
    if total < min_count:
        return {}
    rank = {code: i for i, code in enumerate(order)}

    def position(code: str) -> tuple[int, str]:
        return (rank.get(code, len(rank)), code)

    named = {c: v for c, v in counts.items() if v >= min_count and c != OTHER}
    rest = total - sum(named.values())
    if 0 < rest < min_count and named:
        # The smallest named group; among equals the one latest in the order.
        smallest = min(named, key=lambda c: (named[c], -position(c)[0], c))
        rest += named.pop(smallest)
    out = {c: named[c] for c in sorted(named, key=position)}
    if rest > 0:
        out[OTHER] = rest
    return out


def fold_rows(table: pd.DataFrame, key: str, columns: list[str], min_count: int = 3,
              other: str = OTHER) -> pd.DataFrame:
    """A table of counts (one row per group, e.g. per area) with every group that has a
    count below ``min_count`` in any of ``columns`` folded into one ``other`` row.

    The same groups are folded in every column (so the rows stay comparable), and more
    are folded, smallest first, until each column of ``other`` is 0 or at least k:
    with the total known, no hidden count can be worked out by subtraction. A count
    of 0 is no person and is shown.

    Parameters
    ----------
    table
        The groups in ``key`` and their counts in ``columns``.
    min_count
        k.
    other
        The ``key`` of the folded row (a group already called so is folded into it).

    Returns
    -------
    DataFrame
        ``key`` and ``columns``, the kept groups in their order and ``other`` last
        (left out when nothing was folded).
    """
    counts = table[[key, *columns]].copy()
    values = counts[columns].to_numpy(np.int64)
    small = ((values > 0) & (values < min_count)).any(axis=1) | (counts[key] == other).to_numpy()
    while True:
        rest = values[small].sum(axis=0)
        bad = (rest > 0) & (rest < min_count)
        if not bad.any() or small.all():
            break
        keep = np.flatnonzero(~small)
        size = values[keep][:, bad].sum(axis=1).astype(float)
        size[size == 0] = np.inf  # folding a group with none there changes nothing
        if not np.isfinite(size).any():
            small[keep] = True
            break
        small[keep[np.argmin(size)]] = True
    out = counts[~small].reset_index(drop=True)
    if small.any():
        row = {key: other, **{c: int(v) for c, v in zip(columns, values[small].sum(axis=0),
                                                          strict=True)}}
        out = pd.concat([out, pd.DataFrame([row])], ignore_index=True)
    return out


def _event_times(frame: pd.DataFrame) -> pd.Series:
    """When each report happened in Europe/Stockholm (``occurred_at``, else ``reported_at``)."""
    times = None
    for column in ("occurred_at", "reported_at"):
        if column not in frame.columns:
            continue
        values = pd.to_datetime(frame[column], errors="coerce", utc=True)
        values = values.dt.tz_convert(schema.TIMEZONE)
        times = values if times is None else times.fillna(values)
    if times is None:
        return pd.Series(pd.NaT, index=frame.index, dtype=f"datetime64[ns, {schema.TIMEZONE}]")
    return times


def _month(value: pd.Timestamp) -> str | None:
    """``"YYYY-MM"`` of a time, or ``None`` when it is missing."""
    return None if pd.isna(value) else value.strftime("%Y-%m")


def _assign(pub: gpd.GeoDataFrame, cell: float, grid: str | gpd.GeoDataFrame
            ) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """The grid over the publishable reports and each report's row in it (-1 outside)."""
    geom = pub.geometry
    x, y = geom.x.to_numpy(float), geom.y.to_numpy(float)
    if pub.crs is None or not pub.crs.is_projected:
        raise ArgumentError("Rapporterna måste ha ett projicerat koordinatsystem i meter, "
                            "t.ex. EPSG:3006.",
                            "The reports must be in a projected CRS in metres, e.g. EPSG:3006.")
    cells, index, _params, _notes = grid_for(pub, x, y, cell=cell, grid=grid)
    return cells, index


def public_aggregate(reports: gpd.GeoDataFrame, *, cell: float = 250.0,
                     grid: str | gpd.GeoDataFrame = "hex", min_count: int = 3,
                     by: str = "category") -> gpd.GeoDataFrame:
    """Reports per grid cell, with every figure below ``min_count`` suppressed.

    Parameters
    ----------
    reports
        Reports in the report model, in a projected CRS (metres). Only
        :func:`publishable` rows are counted.
    cell
        Cell size in metres: the side of a square, or the distance between
        neighbouring hexagon centres (default 250 m).
    grid
        ``"hex"`` (default) or ``"square"``, anchored to a fixed origin
        (:mod:`geo.grid`), or a polygon grid of one's own used as given.
    min_count
        k: cells with fewer reports are removed, and category counts below k
        are folded (see the module text and :func:`fold_counts`). Default 3.
    by
        What the counts are broken down by: ``category`` (default), ``kind``
        or ``source``.

    Returns
    -------
    GeoDataFrame
        One row per published cell, in the reports' CRS: ``cell_id`` (the
        grid's stable id), ``n`` (reports, ≥ k), ``by_<by>`` (JSON text,
        e.g. ``{"klotter": 4, "ovrigt": 3}``; every value ≥ k, summing to
        ``n``), ``first`` and ``last`` (month of the earliest and latest
        report, ``"YYYY-MM"``, Europe/Stockholm) and the cell polygon.
        ``attrs["params"]`` holds ``cell``, ``grid``, ``min_count`` and ``by``.
    """
    _check(min_count, by)
    column = f"by_{by}"
    pub = publishable(reports)
    empty = gpd.GeoDataFrame({"cell_id": pd.Series(dtype=object),
                              "n": pd.Series(dtype="int64"),
                              column: pd.Series(dtype=object),
                              "first": pd.Series(dtype=object),
                              "last": pd.Series(dtype=object)},
                             geometry=gpd.GeoSeries([], crs=reports.crs), crs=reports.crs)
    params = {"cell": cell, "grid": grid if isinstance(grid, str) else "user",
              "min_count": int(min_count), "by": by}
    empty.attrs["params"] = params
    if pub.empty:
        return empty
    cells, index = _assign(pub, cell, grid)
    inside = index >= 0
    n = np.bincount(index[inside], minlength=len(cells))
    published = np.flatnonzero(n >= min_count)
    if not len(published):
        return empty
    groups = pub[by].astype(object).where(pub[by].notna(), OTHER).to_numpy(object)
    times = _event_times(pub)
    frame = pd.DataFrame({"cell": index, "group": groups, "time": times.array})
    frame = frame[frame["cell"].isin(published)]
    table = pd.crosstab(frame["cell"], frame["group"])
    by_cell = frame.groupby("cell")["time"]
    first, last = by_cell.min(), by_cell.max()
    rows = []
    for i in published:
        counts = table.loc[i]
        folded = fold_counts(counts[counts > 0].to_dict(), min_count, _BY[by])
        rows.append({"cell_id": str(cells["cell_id"].iloc[i]), "n": int(n[i]),
                     column: json.dumps(folded, ensure_ascii=False),
                     "first": _month(first.get(i)), "last": _month(last.get(i))})
    out = gpd.GeoDataFrame(pd.DataFrame(rows),
                           geometry=cells.geometry.iloc[published].to_numpy(), crs=pub.crs)
    out["n"] = out["n"].astype("int64")
    out.attrs["params"] = params
    return out


def _busiest(per_slot: np.ndarray, min_count: int) -> str | None:
    """"fre 22–23" for the weekday × hour with most reports (ties up to three), or
    ``None`` when that slot holds fewer than ``min_count`` reports."""
    from trygg.layers.hotspots.clusters import WEEKDAYS

    top = int(per_slot.max()) if per_slot.size else 0
    if top < min_count:
        return None
    slots = np.flatnonzero(per_slot == top)
    if len(slots) > 3:
        return None
    return ", ".join(f"{WEEKDAYS[s // 24]} {s % 24:02d}–{s % 24 + 1:02d}" for s in slots)


def _share_dark(times: pd.Series, geoms: gpd.GeoSeries, min_count: int) -> float | None:
    """Share (0–1, rounded to 0.1) of the timed reports made in darkness, or ``None``
    when the number in darkness or in daylight is between 1 and ``min_count`` − 1."""
    from trygg.geo.sun import is_dark
    from trygg.layers.hotspots.clusters import DARK_BELOW

    timed = times.notna().to_numpy()
    if not timed.any():
        return None
    wgs = geoms[timed].to_crs("EPSG:4326")
    dark = is_dark(times[timed], wgs.x.to_numpy(), wgs.y.to_numpy(), threshold=DARK_BELOW)
    n_dark = int(np.sum(dark))
    n_light = int(timed.sum()) - n_dark
    if 0 < n_dark < min_count or 0 < n_light < min_count:
        return None
    return round(n_dark / (n_dark + n_light), 1)


def public_hotspots(hotspots: gpd.GeoDataFrame, reports: gpd.GeoDataFrame, *,
                    cell: float = 250.0, grid: str | gpd.GeoDataFrame = "hex",
                    min_count: int = 3, by: str = "category") -> gpd.GeoDataFrame:
    """Hotspot areas (a ``hotspots_<run>`` layer) reduced to what may be published.

    A hotspot run is computed on all reports, intern ones included, and its
    polygons trace the reports at their edge to a few metres. So neither its
    figures nor its outline are published. Instead, for each hotspot in rank
    order:

    1. The publishable reports (:func:`publishable`) inside its polygon that
       lie in a cell of :func:`public_aggregate` are found; with fewer than
       ``min_count`` of them the hotspot is left out (e.g. a hotspot made of
       intern reports).
    2. Its area becomes the union of those published cells, each cell given
       to the best-ranked hotspot only (so areas never overlap and no two
       figures differ by a few reports).
    3. ``n`` and ``by_<by>`` are the sums of the cells' published figures
       (every value ≥ k); ``share_dark``, ``busiest``, ``first`` and ``last``
       are computed from the publishable reports in those cells.

    Parameters
    ----------
    hotspots
        A hotspots layer (columns ``name``, ``rank``, polygons).
    reports
        The project's reports (report model, projected CRS in metres).
    cell, grid, min_count, by
        As for :func:`public_aggregate`; use the same values as for the cells
        shown beside the hotspots.

    Returns
    -------
    GeoDataFrame
        In the reports' CRS, ordered by ``rank`` (renumbered 1, 2, …):
        ``name`` (the place name; names made of coordinates become "Område
        <rank>"), ``rank``, ``n`` (≥ k), ``by_<by>`` (JSON, as for cells),
        ``share_dark`` (0–1 in steps of 0.1, or null: published only when the
        reports in darkness and in daylight are each 0 or ≥ k), ``busiest``
        (e.g. "fre 22–23", only when that hour holds ≥ k reports, else null),
        ``first`` and ``last`` (``"YYYY-MM"``), ``cells`` (number of cells)
        and the area polygon.
    """
    _check(min_count, by)
    column = f"by_{by}"
    columns = [column if c == "by_category" else c for c in HOTSPOT_COLUMNS]
    crs = reports.crs
    empty = gpd.GeoDataFrame({c: pd.Series(dtype=object) for c in columns[:-1]},
                             geometry=gpd.GeoSeries([], crs=crs), crs=crs)
    agg = public_aggregate(reports, cell=cell, grid=grid, min_count=min_count, by=by)
    if agg.empty or hotspots is None or hotspots.empty:
        return empty
    pub = publishable(reports)
    cells, index = _assign(pub, cell, grid)
    cell_id = np.where(index >= 0, cells["cell_id"].to_numpy(object)[np.maximum(index, 0)],
                       None)
    pub = pub.assign(_cell=cell_id)
    pub = pub[pub["_cell"].isin(set(agg["cell_id"]))].reset_index(drop=True)
    agg_by_id = agg.set_index("cell_id")
    areas = hotspots.to_crs(crs) if hotspots.crs is not None else hotspots.set_crs(crs)
    if "rank" in areas:
        areas = areas.sort_values("rank", kind="stable")
    areas = areas.reset_index(drop=True)
    hit = gpd.sjoin(gpd.GeoDataFrame(pub[["_cell"]], geometry=pub.geometry, crs=crs),
                    areas[["geometry"]], how="inner", predicate="within")
    times = _event_times(pub)
    slots = (times.dt.day_of_week * 24 + times.dt.hour).to_numpy(dtype=float)
    claimed: set[str] = set()
    rows = []
    for i in range(len(areas)):
        members = hit[hit["index_right"] == i]
        if len(members) < min_count:
            continue
        own = [c for c in dict.fromkeys(members["_cell"]) if c not in claimed]
        if not own:
            continue
        claimed.update(own)
        in_cells = pub["_cell"].isin(own).to_numpy()
        totals: dict[str, int] = {}
        for text in agg_by_id.loc[own, column]:
            for key, value in json.loads(text).items():
                totals[key] = totals.get(key, 0) + int(value)
        order = {c: j for j, c in enumerate(_BY[by])}
        totals = dict(sorted(totals.items(), key=lambda kv: (kv[0] == OTHER,
                                                              order.get(kv[0], len(order)),
                                                              kv[0])))
        slot = slots[in_cells]
        per_slot = np.bincount(slot[np.isfinite(slot)].astype(np.int64), minlength=168)
        name = str(areas["name"].iloc[i]) if "name" in areas and pd.notna(
            areas["name"].iloc[i]) else ""
        rows.append({
            "name": name, "n": int(agg_by_id.loc[own, "n"].sum()),
            column: json.dumps(totals, ensure_ascii=False),
            "share_dark": _share_dark(times[in_cells], pub.geometry[in_cells], min_count),
            "busiest": _busiest(per_slot, min_count),
            "first": _month(times[in_cells].min()),
            "last": _month(times[in_cells].max()),
            "cells": len(own),
            "geometry": shapely.union_all(agg_by_id.loc[own].geometry.to_numpy()),
        })
    if not rows:
        return empty
    out = gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs=crs)
    out["rank"] = np.arange(1, len(out) + 1)
    coordinate_name = out["name"].str.startswith("Område vid") | (out["name"] == "")
    out.loc[coordinate_name, "name"] = [f"Område {r}" for r in out.loc[coordinate_name, "rank"]]
    return out[columns]

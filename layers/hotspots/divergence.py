"""Where perceived unsafety and crime disagree (``trygg hotspots --method divergence``).

Gi* is computed twice over one grid: on reports of perceived unsafety and
physical defects (kinds ``otrygghet`` and ``brist``) and on crime reports
(kind ``brott``). Each cell is then placed in one of four classes by whether it
is a hot spot (z > 0, Benjamini–Hochberg-adjusted p < 0.05) of either.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from trygg.geo.errors import ArgumentError
from trygg.geo.text import count
from trygg.layers.hotspots._validate import check_cell, point_xy
from trygg.layers.hotspots.count import grid_for
from trygg.layers.hotspots.gistar import (
    NOT_TESTED,
    adjust_pvalues,
    check_nb_dist,
    gistar_on,
    tested_cells,
    two_sided_p,
)

UNSAFE_KINDS = ("otrygghet", "brist")
CRIME_KINDS = ("brott",)
#: Adjusted p-value below which a cell is a hot spot (95 %).
ALPHA = 0.05


def hotspot_divergence(points: gpd.GeoDataFrame, *, kind_column: str = "kind",
                       cell: float | None = None, grid: str | gpd.GeoDataFrame = "square",
                       nb_dist: float | None = None, quiet: bool = False) -> gpd.GeoDataFrame:
    """Compare hot spots of perceived unsafety with hot spots of crime.

    How to read the classes:

    - ``unsafe_not_crime``: people feel unsafe (or report defects) here far more
      than elsewhere, but crime does not cluster. The place *feels* unsafe:
      look first at its design and upkeep — lighting, sight lines, vegetation,
      hidden corners, litter and graffiti, empty ground floors, routes people
      cannot avoid (BoTryggt2030's aspects). Policing is seldom the answer.
    - ``crime_not_unsafe``: crime clusters but people do not report feeling
      unsafe: the risk is not perceived (or those at risk do not use the
      reporting channels). A matter for police and crime prevention
      (situational measures, patrols, cooperation with businesses), and for
      telling residents about the risk where that helps.
    - ``both``: unsafety and crime cluster together: the feeling matches the
      risk. Needs joint work: physical measures and policing (e.g. an EST
      place plan).
    - ``neither``: no significant clustering of either.

    Parameters
    ----------
    points
        Reports in a projected CRS (metres) with a kind column.
    kind_column
        Column holding ``brott``, ``otrygghet`` or ``brist``; other kinds are
        left out (said in a note, kept even when ``quiet``).
    cell, grid, nb_dist
        As for :func:`layers.hotspots.gistar.hotspot_gistar`; one grid, built
        over the reports of both groups, serves both.
    quiet
        Leave out the notes about chosen defaults.

    Returns
    -------
    GeoDataFrame
        The grid with ``cell_id``, ``n_unsafe``, ``n_crime`` (counts),
        ``z_unsafe``, ``z_crime`` (Gi* z), ``padj_unsafe``, ``padj_crime``
        (Benjamini–Hochberg) and ``divergence`` (``unsafe_not_crime``,
        ``crime_not_unsafe``, ``both`` or ``neither``; ``not_tested``, with no z,
        for cells not wholly inside the reports' convex hull, as in
        :func:`layers.hotspots.gistar.hotspot_gistar`).
    """
    check_cell(cell)
    check_nb_dist(nb_dist, cell)
    x, y, _ = point_xy(points)
    if kind_column not in points.columns:
        cols = ", ".join(str(c) for c in points.columns if c != points.geometry.name)
        raise ArgumentError(f"Kolumnen '{kind_column}' med rapporttyp (brott, otrygghet, brist) "
                            f"saknas. Ange den med kind_column; kolumnerna är: {cols}.",
                            f"The column '{kind_column}' with the report kind (brott, "
                            f"otrygghet, brist) is missing. Name it with kind_column; the "
                            f"columns are: {cols}.")
    geom = points.geometry
    present = (geom.notna() & ~geom.is_empty).to_numpy()  # the rows point_xy keeps
    kind = pd.Series(points[kind_column]).astype("string").str.strip().str.lower()
    kind = kind.fillna("").to_numpy(dtype=object)[present]
    unsafe = np.isin(kind, UNSAFE_KINDS)
    crime = np.isin(kind, CRIME_KINDS)
    for group, hit, kinds in (("otrygghet/brist", unsafe, UNSAFE_KINDS),
                              ("brott", crime, CRIME_KINDS)):
        if not hit.any():
            raise ArgumentError(f"Det finns inga rapporter av typen {group} i '{kind_column}'; "
                                "jämförelsen behöver båda grupperna. Välj ett urval som har "
                                "båda.",
                                f"There are no reports of kind {' or '.join(kinds)} in "
                                f"'{kind_column}'; the comparison needs both groups. Choose a "
                                "selection that has both.")
    used = unsafe | crime
    cells, index, params, notes = grid_for(points, x[used], y[used], cell=cell, grid=grid)
    size = len(cells)
    inside = index >= 0
    counts = np.column_stack([
        np.bincount(index[inside & group[used]], minlength=size).astype(float)
        for group in (unsafe, crime)])
    tested, edge_note = tested_cells(cells, params, x[used], y[used])
    z, nb_note = gistar_on(cells, params, counts, tested, nb_dist)
    padj = np.column_stack([adjust_pvalues(two_sided_p(z[:, k]), "fdr") for k in range(2)])
    hot = (z > 0) & (padj < ALPHA)
    out = cells.copy()
    out["n_unsafe"] = counts[:, 0]
    out["n_crime"] = counts[:, 1]
    out["z_unsafe"] = z[:, 0]
    out["z_crime"] = z[:, 1]
    out["padj_unsafe"] = padj[:, 0]
    out["padj_crime"] = padj[:, 1]
    out["divergence"] = np.select(
        [hot[:, 0] & hot[:, 1], hot[:, 0], hot[:, 1]],
        ["both", "unsafe_not_crime", "crime_not_unsafe"], default="neither").astype(object)
    out.loc[~tested, "divergence"] = NOT_TESTED
    out.attrs["params"] = {**params, "kind_column": kind_column, "nb_dist": nb_dist,
                           "alpha": ALPHA, "p_adjust": "fdr"}
    notes = [*notes, nb_note, *([edge_note] if edge_note else []),
             ("Hotspot = Gi* z > 0 med FDR-justerat p < 0,05, för otrygghet+brist och för "
              "brott var för sig.",
              "Hot spot = Gi* z > 0 with FDR-adjusted p < 0.05, for unsafety+defects and for "
              "crime separately.")]
    other = int((~used).sum())
    left_out = [(f"{count(other, 'rapport', 'rapporter')} av annan eller okänd typ lämnades "
                 "utanför.",
                 f"{count(other, 'report', 'reports', lang='en')} of another or unknown kind "
                 f"{'was' if other == 1 else 'were'} left out.")] if other else []
    out.attrs["notes"] = left_out if quiet else [*notes, *left_out]
    return out

"""Place reports that have a place text but no coordinates, offline.

The project's gazetteer (table ``gazetteer``) is built from the user's own
files — address points, named places with aliases, streets, towns — with
:func:`add_to_gazetteer`; manual overrides (place text → coordinates, table
``geocode_overrides``) are honoured on every run. Matching itself lives in
``geo.geocode``; this module connects it to the project.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from trygg.geo.errors import InputFileError
from trygg.geo.gazetteer import build_gazetteer
from trygg.geo.geocode import Geocoder
from trygg.geo.normalize import normalize
from trygg.layers.store import GeoPackageStore

GAZETTEER = "gazetteer"
OVERRIDES = "geocode_overrides"
KINDS = ("addresses", "places", "streets", "areas")
#: Geocoder score below which nothing is guessed (0–1).
THRESHOLD = 0.9


def _guess_kind(gdf: gpd.GeoDataFrame) -> str | None:
    cols = {c.lower() for c in gdf.columns}
    geom = set(gdf.geom_type.dropna().unique())
    if geom <= {"Point", "MultiPoint"}:
        if {"gata", "nummer"} <= cols or {"street", "number"} <= cols:
            return "addresses"
        if "namn" in cols or "name" in cols:
            return "places"
    if geom <= {"LineString", "MultiLineString"} and ({"namn", "name"} & cols):
        return "streets"
    if geom <= {"Polygon", "MultiPolygon"} and ({"namn", "name"} & cols):
        return "areas"
    return None


def read_gazetteer_sources(path: str | Path, *, kind: str | None = None,
                           layer: str | None = None) -> dict[str, gpd.GeoDataFrame]:
    """Read the layers of ``path`` that can feed the gazetteer, by kind.

    Parameters
    ----------
    path
        A vector file (GeoPackage, GeoJSON, Shapefile …) in any CRS.
    kind
        ``addresses``, ``places``, ``streets`` or ``areas``; guessed from each
        layer's columns and geometry when ``None`` (address points have
        gata+nummer, places are named points, streets named lines, areas named
        polygons).
    layer
        Read only this layer.

    Returns
    -------
    dict
        Kind → GeoDataFrame.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"Filen '{path}' finns inte. Kontrollera sökvägen.",
                             f"The file '{path}' does not exist. Check the path.")
    if kind is not None and kind not in KINDS:
        raise InputFileError(f"--kind ska vara en av {', '.join(KINDS)}, inte '{kind}'.",
                             f"--kind must be one of {', '.join(KINDS)}, not '{kind}'.")
    try:
        listed = pyogrio.list_layers(path)
    except Exception as exc:  # pyogrio raises several kinds for unreadable files
        raise InputFileError(f"'{path.name}' går inte att läsa som geodata ({exc}).",
                             f"'{path.name}' cannot be read as vector data ({exc}).") from None
    spatial = [str(n) for n, geom in listed if geom is not None]
    names = [layer] if layer else spatial
    if not names or (layer is not None and layer not in spatial):
        where_sv, where_en = ((f"Lagret '{layer}' i '{path.name}' har ingen geometri",
                               f"The layer '{layer}' of '{path.name}' has no geometry")
                              if layer else (f"'{path.name}' har inga lager med geometri",
                                             f"'{path.name}' has no layers with geometry"))
        raise InputFileError(
            f"{where_sv}; ortsregistret behöver punkter, linjer eller ytor (GeoPackage, "
            "GeoJSON, Shapefile).",
            f"{where_en}; the gazetteer needs points, lines or polygons (GeoPackage, "
            "GeoJSON, Shapefile).")
    found: dict[str, gpd.GeoDataFrame] = {}
    for name in names:
        try:
            gdf = gpd.read_file(path, layer=name, engine="pyogrio")
        except (UnicodeDecodeError, pyogrio.errors.DataSourceError,
                pyogrio.errors.DataLayerError) as exc:
            raise InputFileError(f"'{path.name}' går inte att läsa som geodata ({exc}).",
                                 f"'{path.name}' cannot be read as vector data ({exc})."
                                 ) from None
        if not isinstance(gdf, gpd.GeoDataFrame) or gdf.empty or gdf.crs is None:
            continue
        k = kind or _guess_kind(gdf)
        if k == "areas":
            gdf = gdf.assign(_layer=name)
        if k is not None:
            found[k] = pd.concat([found[k], gdf.to_crs(found[k].crs)]) if k in found else gdf
    if not found:
        raise InputFileError(
            f"Hittar inga adresser, platser, gator eller orter i '{path.name}'. Ange vilket "
            "lager och slag med --layer och --kind.",
            f"No addresses, places, streets or towns found in '{path.name}'. Name the layer "
            "and kind with --layer and --kind.")
    return found


def add_to_gazetteer(store: GeoPackageStore, path: str | Path, *, kind: str | None = None,
                     layer: str | None = None) -> dict[str, int]:
    """Add the addresses, places, streets and towns of ``path`` to the project gazetteer.

    Entries already present (same kind, key and ort) are replaced, so loading
    a file again does not duplicate it.

    Returns
    -------
    dict
        Entries in the gazetteer per kind after the update.
    """
    sources = read_gazetteer_sources(path, kind=kind, layer=layer)
    new = build_gazetteer(addresses=sources.get("addresses"), places=sources.get("places"),
                          streets=sources.get("streets"), areas=sources.get("areas"),
                          crs=store.crs)
    old = read_gazetteer(store)
    merged = pd.concat([old, new], ignore_index=True) if len(old) else new
    merged = merged.drop_duplicates(subset=["kind", "key", "ort", "number", "letter"],
                                    keep="last").reset_index(drop=True)
    merged = gpd.GeoDataFrame(merged, geometry="geometry", crs=store.crs)
    polygons = _area_polygons(store, sources.get("areas"))
    with store.transaction() as tx:
        tx.replace(GAZETTEER, merged)
        if polygons is not None:
            tx.replace(AREAS, polygons)
    return {str(k): int(v) for k, v in merged["kind"].value_counts().items()}


#: The project layer of named areas (towns, districts, detailed plans …) with their
#: polygons, so a command can take ``--area Björkås``.
AREAS = "areas"
#: Columns of :data:`AREAS`.
AREA_COLUMNS = ("name", "code", "layer", "geometry")


def _area_polygons(store: GeoPackageStore, areas: gpd.GeoDataFrame | None
                   ) -> gpd.GeoDataFrame | None:
    """The project's named areas with those of ``areas`` added (same name and layer
    replaced); ``None`` when ``areas`` has none."""
    if areas is None or areas.empty:
        return None
    cols = {c.lower(): c for c in areas.columns}
    name = areas[cols.get("namn", cols.get("name"))].astype(str).str.strip()
    code_col = next((cols[c] for c in ("planid", "kod", "code", "kommunkod", "id")
                     if c in cols), None)
    new = gpd.GeoDataFrame({
        "name": name.to_numpy(),
        "code": (areas[code_col].astype(str).to_numpy() if code_col else [""] * len(areas)),
        "layer": areas.get("_layer", pd.Series([""] * len(areas))).astype(str).to_numpy(),
    }, geometry=areas.geometry.to_crs(store.crs).make_valid().to_numpy(), crs=store.crs)
    new = new[new.geometry.geom_type.isin(["Polygon", "MultiPolygon"]) & (new["name"] != "")]
    if AREAS in store.layers():
        old = store.read_layer(AREAS)
        new = pd.concat([old[list(AREA_COLUMNS)], new], ignore_index=True)
    new = new.drop_duplicates(subset=["name", "layer"], keep="last").reset_index(drop=True)
    return gpd.GeoDataFrame(new, geometry="geometry", crs=store.crs)


def read_gazetteer(store: GeoPackageStore) -> gpd.GeoDataFrame:
    """The project's gazetteer (empty GeoDataFrame when none was loaded)."""
    if GAZETTEER not in store.layers():
        return gpd.GeoDataFrame(geometry=[], crs=store.crs)
    gdf = store.read_layer(GAZETTEER)
    if "number" in gdf:
        gdf["number"] = gdf["number"].astype("Int64")
    return gdf


def read_overrides_file(path: str | Path, *, crs: str) -> pd.DataFrame:
    """Read a manual overrides file: place text → coordinates.

    A CSV/XLSX with a column ``plats`` (or ``place``/``text``) and ``x``/``y``
    or ``lat``/``lon`` in any Swedish CRS (detected), or a point file with a
    ``plats``/``namn`` attribute. Returns ``text``, ``x``, ``y`` in ``crs``.
    """
    from trygg.layers.sources import common
    from trygg.layers.sources.readers import read_raw
    from trygg.layers.sources.table import resolve_columns

    raw = read_raw(path)
    cols = resolve_columns(list(raw.rows.columns), None)
    text_col = cols.get("place_text") or next(
        (c for c in raw.rows.columns if c.lower() in ("text", "namn", "name")), None)
    if text_col is None:
        raise InputFileError(
            f"Överstyrningsfilen '{Path(path).name}' saknar kolumnen plats.",
            f"The overrides file '{Path(path).name}' lacks the column plats (place).")
    if raw.geometry is not None:
        geom = raw.geometry.to_crs(crs)
        x, y = geom.x.to_numpy(), geom.y.to_numpy()
    else:
        if not ("x" in cols and "y" in cols):
            raise InputFileError(
                f"Överstyrningsfilen '{Path(path).name}' saknar koordinatkolumner (x/y eller "
                "lat/lon).",
                f"The overrides file '{Path(path).name}' lacks coordinate columns (x/y or "
                "lat/lon).")
        xs, _ = common.parse_numbers(raw.rows[cols["x"]])
        ys, _ = common.parse_numbers(raw.rows[cols["y"]])
        x, y, _, _ = common.locate(xs, ys, crs=None, target_crs=crs,
                                   area=(-np.inf, -np.inf, np.inf, np.inf))
    out = pd.DataFrame({"text": raw.rows[text_col].astype(str).str.strip(), "x": x, "y": y})
    return out[(out["text"] != "") & np.isfinite(out["x"]) & np.isfinite(out["y"])]


def set_overrides(store: GeoPackageStore, path: str | Path) -> int:
    """Store the overrides of ``path`` in the project (replacing earlier ones with the
    same text); returns how many overrides the project holds."""
    new = read_overrides_file(path, crs=store.crs)
    old = read_overrides(store)
    merged = pd.concat([old, new]).drop_duplicates("text", keep="last").reset_index(drop=True)
    with store.transaction() as tx:
        tx.replace(OVERRIDES, merged)
    return len(merged)


def read_overrides(store: GeoPackageStore) -> pd.DataFrame:
    """The project's manual overrides: ``text``, ``x``, ``y`` (project CRS)."""
    if OVERRIDES not in store.layers():
        return pd.DataFrame({"text": [], "x": [], "y": []})
    return pd.DataFrame(store.read_layer(OVERRIDES)).drop(columns="geometry", errors="ignore")


class OverridesGeocoder:
    """The geocoder of a project that has manual overrides but no gazetteer.

    :class:`geo.geocode.Geocoder` needs a gazetteer; before one is loaded only
    the overrides can place a report. They match as there: by the
    :func:`geo.normalize.normalize`-d place text, whatever the ort.

    Parameters
    ----------
    overrides
        ``text``, ``x``, ``y`` (project CRS, metres), as :func:`read_overrides`.
    """

    def __init__(self, overrides: pd.DataFrame) -> None:
        x = pd.to_numeric(overrides["x"], errors="coerce").to_numpy(float)
        y = pd.to_numeric(overrides["y"], errors="coerce").to_numpy(float)
        self._xy = {normalize(t): (a, b, str(t))
                    for t, a, b in zip(overrides["text"], x, y, strict=True)
                    if np.isfinite(a) and np.isfinite(b) and normalize(t)}

    def geocode(self, texts: list, ort: list | None = None) -> pd.DataFrame:
        """Columns as :meth:`geo.geocode.Geocoder.geocode`: ``x``, ``y``,
        ``precision`` (``exact`` or ``none``), ``score``, ``matched``, ``method``."""
        hits = [self._xy.get(normalize(t)) for t in texts]
        found = [h is not None for h in hits]
        return pd.DataFrame({
            "x": [h[0] if h else np.nan for h in hits],
            "y": [h[1] if h else np.nan for h in hits],
            "precision": np.where(found, "exact", "none").astype(object),
            "score": np.where(found, 1.0, 0.0),
            "matched": pd.Series([h[2] if h else None for h in hits], dtype=object),
            "method": np.where(found, "override", None).astype(object),
        })


def geocoder_for(store: GeoPackageStore) -> Geocoder | OverridesGeocoder | None:
    """A geocoder over the project's gazetteer and overrides, or ``None`` if the
    project has neither (an :class:`OverridesGeocoder` when it has only overrides)."""
    gazetteer = read_gazetteer(store)
    overrides = read_overrides(store)
    if gazetteer.empty and overrides.empty:
        return None
    if gazetteer.empty:
        return OverridesGeocoder(overrides)
    return Geocoder(gazetteer, threshold=THRESHOLD, overrides=overrides)


def place_reports(reports: gpd.GeoDataFrame,
                  geocoder: Geocoder | OverridesGeocoder | None,
                  ort: np.ndarray | list | None = None) -> gpd.GeoDataFrame:
    """Geocode the reports that have no point but a place text (or an ort).

    Parameters
    ----------
    reports
        Reports in the project CRS (the geocoder's CRS).
    geocoder
        From :func:`geocoder_for`; ``None`` leaves the reports as they are.
    ort
        Town per report (same order), used as context; optional.

    Returns
    -------
    GeoDataFrame
        A copy with ``geometry``, ``precision`` and ``geocode_score`` set where a
        match was found; other rows keep precision ``none``.
    """
    out = reports.copy()
    if geocoder is None or out.empty:
        return out
    todo = (out["precision"] == "none").to_numpy(copy=True)
    place = out["place_text"].fillna("").astype(str).str.strip().to_numpy(object)
    towns = (np.asarray(ort, dtype=object) if ort is not None
             else np.full(len(out), None, dtype=object))
    towns = np.where(pd.isna(towns) | (towns == ""), None, towns)
    query = np.where(place != "", place, towns)
    todo &= pd.notna(query) & (query != "")
    if not todo.any():
        return out
    found = geocoder.geocode(list(query[todo]), ort=list(towns[todo]))
    hit = (found["precision"] != "none").to_numpy()
    idx = np.flatnonzero(todo)[hit]
    out.loc[out.index[idx], "precision"] = found["precision"].to_numpy()[hit]
    out.loc[out.index[idx], "geocode_score"] = found["score"].to_numpy()[hit]
    geoms = out.geometry.to_numpy().copy()
    geoms[idx] = gpd.points_from_xy(found["x"].to_numpy()[hit], found["y"].to_numpy()[hit])
    out = out.set_geometry(gpd.GeoSeries(geoms, index=out.index, crs=out.crs))
    return out


def regeocode(store: GeoPackageStore) -> dict[str, dict[str, int]]:
    """Geocode again every stored report that has no point yet (``trygg geocode``).

    Run it after the gazetteer grew or overrides were added. All or nothing.

    Returns
    -------
    dict
        ``before`` and ``after``: reports per precision; ``still_missing``:
        place texts still without a point, with their counts.
    """
    import json

    reports = store.read_reports()
    before = reports["precision"].value_counts().to_dict()
    todo = (reports["precision"] == "none").to_numpy()
    if todo.any():
        ort = [json.loads(e).get("_ort") if isinstance(e, str) else None
               for e in reports["extra"]]
        placed = place_reports(reports, geocoder_for(store), ort)
        if (placed["precision"] != reports["precision"]).any():
            with store.transaction() as tx:
                tx.replace("reports", placed)
        reports = placed
    missing = reports.loc[reports["precision"] == "none", "place_text"].fillna("-")
    return {"before": {str(k): int(v) for k, v in before.items()},
            "after": {str(k): int(v) for k, v in
                      reports["precision"].value_counts().to_dict().items()},
            "still_missing": {str(k): int(v) for k, v in missing.value_counts().items()}}

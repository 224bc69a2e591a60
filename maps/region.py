"""``region.html`` and ``region.xlsx``: the region view (:mod:`layers.region`) — a
choropleth of the municipalities (drawn as SVG, offline), and the tables by
municipality, category and year."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from trygg.geo import text
from trygg.layers.labels import label
from trygg.layers.region import Region
from trygg.maps.document import write_document
from trygg.maps.export import write_frames
from trygg.maps.i18n import REGION, texts
from trygg.maps.page import tool_version

__all__ = ["CLASS_COLOURS", "FILES", "choropleth", "region_blocks", "region_tables",
           "write_region"]

FILES = ("region.html", "region.xlsx")
#: Five sequential classes, light to dark (ColorBrewer YlOrRd).
CLASS_COLOURS = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
#: Categories shown as columns of the municipality table; the rest are summed.
TOP_CATEGORIES = 6


def _t(key: str, lang: str, **fields: object) -> str:
    sv, en = REGION[key]
    return (en if lang == "en" else sv).format(**fields)


def _classes(values: np.ndarray, k: int = 5) -> np.ndarray:
    """Upper bounds of ``k`` quantile classes of the finite ``values`` (unique)."""
    finite = values[np.isfinite(values)]
    if not len(finite):
        return np.array([])
    return np.unique(np.quantile(finite, np.linspace(0, 1, k + 1)[1:]))


def choropleth(r: Region, *, lang: str = "sv") -> dict:
    """The ``map`` block: one layer per class (its colour and range in the key),
    municipalities without a value grey."""
    by = r.by_municipality.set_index("kommunkod")
    use_pop = by["per_1000"].notna().any()
    values = (by["per_1000"] if use_pop else by["n"].astype(float)).reindex(
        r.municipalities["kommunkod"]).to_numpy(float)
    bounds = _classes(values)
    cls = np.searchsorted(bounds, values, side="left")
    decimals = 1 if use_pop else 0
    layers = []
    for i, upper in enumerate(bounds):
        pick = np.isfinite(values) & (cls == i)
        low = np.nanmin(values[pick]) if pick.any() else upper
        frame = r.municipalities[pick][["name", "geometry"]]
        layers.append({"geojson": json.loads(frame.to_json(drop_id=True)),
                       "label": f"{text.number(low, decimals, lang=lang)}–"
                                f"{text.number(upper, decimals, lang=lang)}",
                       "style": {"fill": CLASS_COLOURS[i + 5 - len(bounds)],
                                 "stroke": "#555555", "weight": 0.6}})
    missing = ~np.isfinite(values)
    if missing.any():
        frame = r.municipalities[missing][["name", "geometry"]]
        layers.append({"geojson": json.loads(frame.to_json(drop_id=True)), "label": "–",
                       "style": {"fill": "#dddddd", "stroke": "#555555", "weight": 0.6}})
    b = r.municipalities.total_bounds
    return {"map": {"layers": layers, "bbox": [float(v) for v in b],
                    "caption": _t("map_caption_pop" if use_pop else "map_caption_n", lang)
                    + " " + _t("boundaries", lang)}}


def _top(r: Region) -> list[str]:
    return list(r.by_category.sum().sort_values(ascending=False).index[:TOP_CATEGORIES])


def region_blocks(r: Region, *, lang: str = "sv") -> list[dict]:
    """The document's blocks (see :mod:`maps.document`)."""
    num = lambda v, d=0: text.number(v, d, lang=lang)  # noqa: E731
    by = r.by_municipality
    use_pop = by["per_1000"].notna().any()
    blocks: list[dict] = [{"h": _t("h_map", lang)}]
    for note in r.notes:
        blocks.append({"note": note[1] if lang == "en" else note[0]})
    blocks.append(choropleth(r, lang=lang))
    order = by.sort_values("per_1000" if use_pop else "n", ascending=False, kind="stable")
    columns = [_t("municipality", lang), _t("code", lang), _t("reports", lang)]
    if use_pop:
        columns += [_t("inhabitants", lang), _t("per_1000", lang)]
    blocks.append({"table": {"columns": columns, "rows": [
        [r_.name, r_.kommunkod, num(r_.n),
         *([num(r_.inhabitants), num(r_.per_1000, 1)] if use_pop else [])]
        for r_ in order.itertuples(index=False)], "align": "llrrr"}})
    top = _top(r)
    if top:
        blocks.append({"h": _t("h_categories", lang)})
        blocks.append({"p": _t("categories_p", lang)})
        names = dict(zip(by["kommunkod"], by["name"], strict=True))
        rest = r.by_category.drop(columns=top).sum(axis=1)
        blocks.append({"table": {
            "columns": [_t("municipality", lang), *[label("category", c, lang=lang)
                                                     for c in top], _t("other", lang)],
            "rows": [[names[k], *[num(r.by_category.loc[k, c]) for c in top], num(rest[k])]
                     for k in r.by_category.index],
            "align": "l" + "r" * (len(top) + 1)}})
    if r.by_year.shape[1]:
        names = dict(zip(by["kommunkod"], by["name"], strict=True))
        blocks.append({"h": _t("h_years", lang)})
        blocks.append({"table": {
            "columns": [_t("municipality", lang), *[str(y) for y in r.by_year.columns]],
            "rows": [[names[k], *[num(v) for v in r.by_year.loc[k]]]
                     for k in r.by_year.index],
            "align": "l" + "r" * r.by_year.shape[1]}})
    if len(r.unassigned):
        blocks.append({"h": _t("h_unassigned", lang)})
        blocks.append({"p": _t("unassigned_p", lang)})
        blocks.append({"table": {"columns": [_t("place", lang), _t("reports", lang)],
                                 "rows": [[p or "–", num(v)] for p, v in
                                          r.unassigned.head(10).items()], "align": "lr"}})
    return blocks


def region_tables(r: Region, *, lang: str = "sv") -> dict[str, pd.DataFrame]:
    """The workbook's sheets (name → table)."""
    by = r.by_municipality.rename(columns={
        "kommunkod": _t("code", lang), "name": _t("municipality", lang),
        "n": _t("reports", lang), "inhabitants": _t("inhabitants", lang),
        "per_1000": _t("per_1000", lang)}).round(2)
    names = dict(zip(r.by_municipality["kommunkod"], r.by_municipality["name"], strict=True))
    cats = r.by_category.rename(columns={c: label("category", c, lang=lang)
                                         for c in r.by_category.columns})
    cats.insert(0, _t("municipality", lang), [names[k] for k in cats.index])
    years = r.by_year.rename(columns=str)
    years.insert(0, _t("municipality", lang), [names[k] for k in years.index])
    sheets = {_t("sheet_municipalities", lang): by,
              _t("sheet_categories", lang): cats.reset_index(drop=True),
              _t("sheet_years", lang): years.reset_index(drop=True)}
    if len(r.unassigned):
        sheets[_t("sheet_unassigned", lang)] = pd.DataFrame(
            {_t("place", lang): r.unassigned.index, _t("reports", lang): r.unassigned.values})
    return sheets


def write_region(r: Region, out: str | Path, *, lang: str = "sv", project: str = "",
                 synthetic: bool = False) -> list[Path]:
    """Write ``region.html`` and ``region.xlsx`` into the folder ``out``; returns the
    files in the order of :data:`FILES`."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    banners = [{"text": texts(lang)["synthetic"], "kind": "synthetic"}] if synthetic else []
    html = write_document(
        out / FILES[0], _t("title", lang, name=r.name), region_blocks(r, lang=lang),
        lang=lang, banners=banners,
        subtitle=_t("subtitle", lang, project=project, n=text.number(r.n, lang=lang),
                    k=len(r.by_municipality)),
        footer=_t("footer", lang, version=tool_version()))
    xlsx = write_frames(region_tables(r, lang=lang), out / FILES[1], lang=lang,
                        title=_t("title", lang, name=r.name))
    return [html, xlsx]

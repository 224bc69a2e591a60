"""The safety input for a plan area (:mod:`layers.plan`) as the documents planners paste
from: ``trygghetsunderlag.html`` (printable, offline), ``trygghetsunderlag.xlsx``, a
static map ``karta.png`` (scale bar and north arrow; rendered with matplotlib, no
network), and ``trygghetsunderlag.gpkg`` — a project of its own holding the reports of
the area and its buffer, the area, hot spot areas and open actions, which ``karta.html``
(the interactive map) shows and QGIS opens.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import geopandas as gpd
import pandas as pd

from trygg.geo import text
from trygg.layers.labels import label
from trygg.layers.plan import PlanInput
from trygg.maps.document import write_document
from trygg.maps.export import replacing, write_frames
from trygg.maps.i18n import PLAN, PLAN_QUESTIONS, texts
from trygg.maps.indikatorer import summary_blocks
from trygg.maps.page import tool_version

__all__ = ["FILES", "plan_blocks", "plan_tables", "write_plan", "write_png"]

FILES = ("trygghetsunderlag.html", "trygghetsunderlag.xlsx", "karta.png",
         "trygghetsunderlag.gpkg", "karta.html")
KIND_COLOURS = {"brott": "#c0392b", "otrygghet": "#8e44ad", "brist": "#2471a3"}


def _t(key: str, lang: str, **fields: object) -> str:
    sv, en = PLAN[key]
    return (en if lang == "en" else sv).format(**fields)


def _geojson(geoms) -> dict:
    return json.loads(gpd.GeoDataFrame(geometry=gpd.GeoSeries(list(geoms))).to_json(
        drop_id=True))


def _nice(metres: float) -> float:
    """A round length (1, 2 or 5 × 10^k metres) near ``metres``."""
    k = 10 ** math.floor(math.log10(max(metres, 1)))
    return next(m * k for m in (1, 2, 5, 10) if m * k >= metres * 0.8)


def _map_block(p: PlanInput, lang: str) -> dict:
    layers = [{"geojson": _geojson([p.zone]), "label": _t("map_buffer", lang, m=f"{p.buffer_m:g}"),
               "style": {"fill": "none", "stroke": "#777777", "weight": 1, "dash": "4 3"}},
              {"geojson": _geojson([p.area]), "label": _t("map_area", lang),
               "style": {"fill": "#f3e9c6", "stroke": "#7a5c00", "weight": 1.6}}]
    if len(p.hotspots):
        layers.append({"geojson": _geojson(p.hotspots.geometry), "label": _t("map_hot", lang),
                       "style": {"fill": "none", "stroke": "#5b1a8a", "weight": 1.6}})
    for kind, colour in KIND_COLOURS.items():
        pts = p.reports[p.reports["kind"] == kind]
        if len(pts):
            layers.append({"geojson": _geojson(pts.geometry),
                           "label": label("kind", kind, lang=lang),
                           "style": {"fill": colour, "stroke": "#ffffff", "weight": 0.5,
                                     "radius": 2.5}})
    x0, y0, x1, y1 = p.zone.bounds
    pad = 0.05 * max(x1 - x0, y1 - y0)
    return {"map": {"layers": layers, "bbox": [x0 - pad, y0 - pad, x1 + pad, y1 + pad],
                    "caption": _t("map_caption", lang, first=text.date(p.first),
                                  last=text.date(p.last))}}


def plan_blocks(p: PlanInput, *, lang: str = "sv") -> list[dict]:
    """The document's blocks (see :mod:`maps.document`)."""
    num = lambda v, d=0: text.number(v, d, lang=lang)  # noqa: E731
    cat = lambda c: label("category", c, lang=lang)  # noqa: E731
    c = p.comparison
    blocks: list[dict] = [{"h": _t("h_summary", lang)}, {"p": _t(
        "summary", lang, inside=num(c["n_inside"]), zone=num(c["n_zone"]),
        m=f"{p.buffer_m:g}", first=text.date(p.first), last=text.date(p.last))}]
    for note in p.notes:
        blocks.append({"note": note[1] if lang == "en" else note[0]})
    blocks.append(_map_block(p, lang))
    rows = [[_t("per_km2", lang), num(c["per_km2"], 1), num(c["per_km2_kommun"], 1)]]
    if c["inhabitants"]:
        rows.append([_t("inhabitants", lang), num(c["inhabitants"]),
                     num(c["inhabitants_kommun"])])
        rows.append([_t("per_1000", lang), num(1000 * c["n_inside"] / c["inhabitants"], 1),
                     num(1000 * c["n_kommun"] / c["inhabitants_kommun"], 1)
                     if c["inhabitants_kommun"] else "–"])
    blocks.append({"h3": _t("h_compare", lang)})
    blocks.append({"table": {"columns": ["", _t("area", lang), _t("kommun", lang)],
                             "rows": rows, "align": "lrr"}})
    trend = p.trend
    blocks.append({"p": _t("trend", lang, last=num(trend["last_12"]),
                           before=num(trend["before_12"]),
                           p=text.p_value(trend["p"], lang=lang))})
    blocks.append({"h": _t("h_categories", lang)})
    cols = [_t("inside", lang), _t("buffer", lang, m=f"{p.buffer_m:g}")]
    blocks.append({"table": {"columns": [_t("category", lang), *cols], "rows": [
        [cat(r.category), num(r.inside), num(r.buffer)]
        for r in p.by_category.itertuples(index=False)], "align": "lrr"}})
    blocks.append({"table": {"columns": [_t("kind", lang), *cols], "rows": [
        [label("kind", r.kind, lang=lang), num(r.inside), num(r.buffer)]
        for r in p.by_kind.itertuples(index=False)], "align": "lrr"}})
    blocks.append({"table": {"columns": [_t("year", lang), *cols], "rows": [
        [str(r.year), num(r.inside), num(r.buffer)]
        for r in p.by_year.itertuples(index=False)], "align": "lrr"}})
    blocks.append({"table": {"columns": [_t("time_of_day", lang), *cols], "rows": [
        [_t("tod_" + r.time_of_day, lang), num(r.inside), num(r.buffer)]
        for r in p.by_time.itertuples(index=False)], "align": "lrr"}})
    blocks.append({"h": _t("h_aspects", lang)})
    blocks.append({"p": _t("aspects_p", lang)})
    for r in p.aspects.itertuples(index=False):
        blocks.append({"h3": f"{_t('aspect_' + r.aspect, lang)} — "
                             f"{_t('aspect_n', lang, n=num(r.n), inside=num(r.inside))}"})
        if r.top:
            blocks.append({"p": _t("aspect_top", lang, cats=", ".join(cat(c) for c in r.top))})
        questions = PLAN_QUESTIONS[r.aspect]["en" if lang == "en" else "sv"]
        blocks.append({"checklist": [{"text": q, "line": True} for q in questions]})
    blocks.append({"h": _t("h_hotspots", lang)})
    if len(p.hotspots):
        blocks.append({"table": {"columns": [_t("hotspot", lang), _t("rank", lang),
                                             _t("reports", lang)], "rows": [
            [str(r.get("name") or r.get("hotspot_id")), num(r.get("rank", 0)),
             num(r.get("n", 0))] for _, r in p.hotspots.iterrows()], "align": "lrr"}})
    else:
        blocks.append({"p": _t("no_hotspots", lang)})
    if len(p.emerging):
        blocks.append({"table": {"columns": [_t("pattern", lang), _t("cells", lang)], "rows": [
            [label("pattern", r.pattern, lang=lang), num(r.cells)]
            for r in p.emerging.itertuples(index=False)], "align": "lr"}})
    blocks.append({"h": _t("h_walks", lang)})
    blocks.append({"p": _t("walks_p", lang, findings=num(len(p.findings)),
                           actions=num(len(p.actions)))})
    if len(p.actions):
        blocks.append({"table": {"columns": [_t("action", lang), _t("responsible", lang),
                                             _t("deadline", lang)], "rows": [
            [str(r.action), label("responsible", r.responsible, lang=lang), str(r.deadline)]
            for r in p.actions.itertuples(index=False)], "align": "lll"}})
    blocks += summary_blocks(p.klotter, p.dark, _t("h_indicators", lang), lang=lang)
    blocks.append({"h": _t("h_cameras", lang)})
    kinds = p.cameras["kind"].value_counts() if len(p.cameras) else pd.Series(dtype=int)
    blocks.append({"p": _t("cameras_p", lang, register=num(int(kinds.get("register", 0))),
                           proposed=num(int(kinds.get("proposed", 0))),
                           cover="–" if p.camera_cover is None
                           else text.percent(p.camera_cover, 0, lang=lang))})
    return blocks


def plan_tables(p: PlanInput, *, lang: str = "sv") -> dict[str, pd.DataFrame]:
    """The workbook's sheets (name → table)."""
    cols = {"inside": _t("inside", lang), "buffer": _t("buffer", lang, m=f"{p.buffer_m:g}")}
    cats = p.by_category.assign(category=[label("category", c, lang=lang)
                                          for c in p.by_category["category"]])
    kinds = p.by_kind.assign(kind=[label("kind", k, lang=lang) for k in p.by_kind["kind"]])
    tod = p.by_time.assign(time_of_day=[_t("tod_" + t, lang) for t in p.by_time["time_of_day"]])
    aspects = pd.DataFrame({
        _t("aspect", lang): [_t("aspect_" + a, lang) for a in p.aspects["aspect"]],
        _t("reports", lang): p.aspects["n"], _t("inside", lang): p.aspects["inside"],
        _t("top", lang): [", ".join(label("category", c, lang=lang) for c in t)
                          for t in p.aspects["top"]],
        _t("questions", lang): [" ".join(PLAN_QUESTIONS[a]["en" if lang == "en" else "sv"])
                                for a in p.aspects["aspect"]]})
    return {
        _t("sheet_categories", lang): cats.rename(columns={"category": _t("category", lang),
                                                           **cols}),
        _t("sheet_kinds", lang): kinds.rename(columns={"kind": _t("kind", lang), **cols}),
        _t("sheet_years", lang): p.by_year.rename(columns={"year": _t("year", lang), **cols}),
        _t("sheet_times", lang): tod.rename(columns={"time_of_day": _t("time_of_day", lang),
                                                     **cols}),
        _t("sheet_aspects", lang): aspects,
    }


def write_png(p: PlanInput, out: str | Path, *, lang: str = "sv", dpi: int = 200) -> Path:
    """A static map of the area (PNG, offline): the area and its buffer, hot spot
    areas, the reports by kind, a scale bar and a north arrow."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots(figsize=(7.0, 5.6), dpi=dpi)
    gpd.GeoSeries([p.zone]).boundary.plot(ax=ax, color="#777777", linewidth=0.8,
                                          linestyle="--")
    gpd.GeoSeries([p.area]).plot(ax=ax, color="#f3e9c6", edgecolor="#7a5c00", linewidth=1.2)
    if len(p.hotspots):
        p.hotspots.boundary.plot(ax=ax, color="#5b1a8a", linewidth=1.2)
    for kind, colour in KIND_COLOURS.items():
        pts = p.reports[p.reports["kind"] == kind]
        if len(pts):
            pts.plot(ax=ax, color=colour, markersize=6, edgecolor="white", linewidth=0.3,
                     label=label("kind", kind, lang=lang))
    x0, y0, x1, y1 = p.zone.bounds
    pad = 0.06 * max(x1 - x0, y1 - y0)
    ax.set_xlim(x0 - pad, x1 + pad)
    ax.set_ylim(y0 - pad, y1 + pad)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    length = _nice((x1 - x0) / 5)
    bx, by = x0 - pad * 0.6, y0 - pad * 0.6
    ax.plot([bx, bx + length], [by, by], color="black", linewidth=3, solid_capstyle="butt")
    ax.text(bx + length / 2, by + pad * 0.2,
            f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m",
            ha="center", va="bottom", fontsize=8)
    nx, ny = x1 + pad * 0.5, y1 + pad * 0.1
    ax.annotate("N", xy=(nx, ny + pad * 0.8), xytext=(nx, ny), ha="center", va="center",
                fontsize=10, fontweight="bold",
                arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 1.2})
    ax.set_title(p.name, fontsize=11)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="lower right", fontsize=7, frameon=True)
    fig.text(0.01, 0.01, _t("png_caption", lang, first=text.date(p.first),
                            last=text.date(p.last), crs=str(p.reports.crs or "")),
             fontsize=6, color="#555555")
    fig.tight_layout()
    with replacing(out) as tmp:
        fig.savefig(tmp, format="png")
    plt.close(fig)
    return Path(out)


def _area_project(store, p: PlanInput, path: Path, *, lang: str):
    """A project of the area: its reports (area and buffer), the area, hot spot areas
    and open actions."""
    from trygg.layers.store import create_project

    x0, y0, x1, y1 = p.zone.bounds
    sub = create_project(path, name=f"{p.name} ({store.name})", crs=store.crs,
                         area=(x0, y0, x1, y1), synthetic=store.synthetic, overwrite=True)
    reports = store.read_reports(where={"report_id": p.reports["report_id"].tolist()}) \
        if len(p.reports) else None
    with sub.transaction() as tx:
        if reports is not None and len(reports):
            tx.append("reports", reports)
        tx.replace("plan_area", gpd.GeoDataFrame({"name": [p.name], "zone": ["area"]},
                                                 geometry=[p.area], crs=store.crs))
        if len(p.hotspots):
            tx.replace("hotspots_plan", p.hotspots)
        if len(p.actions):
            tx.replace("actions", p.actions.drop(columns=["overdue"], errors="ignore"))
    return sub


def write_plan(store, p: PlanInput, out: str | Path, *, lang: str = "sv") -> list[Path]:
    """Write the files of :data:`FILES` for ``p`` into the folder ``out``."""
    from trygg.maps.karta import write_map

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    banners = [{"text": texts(lang)["synthetic"], "kind": "synthetic"}] \
        if store.synthetic else []
    banners.append({"text": texts(lang)["intern"], "kind": "intern"})
    html = write_document(out / FILES[0], _t("title", lang, name=p.name),
                          plan_blocks(p, lang=lang), lang=lang, banners=banners,
                          subtitle=_t("subtitle", lang, project=store.name),
                          footer=_t("footer", lang, version=tool_version()))
    xlsx = write_frames(plan_tables(p, lang=lang), out / FILES[1], lang=lang,
                        title=_t("title", lang, name=p.name))
    png = write_png(p, out / FILES[2], lang=lang)
    gpkg = out / FILES[3]
    sub = _area_project(store, p, gpkg, lang=lang)
    karta = write_map(sub, out / FILES[4], lang=lang) if len(p.reports) else None
    return [f for f in (html, xlsx, png, gpkg, karta) if f is not None]

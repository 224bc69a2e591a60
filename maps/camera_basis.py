"""The written basis for one camera site (kameraunderlag), a printable A4 document.

Draws :class:`layers.cameras.basis.SiteFacts` as a :mod:`maps.document`: the place
and the area a camera would watch (a map with scale bar and north arrow), what has
happened there (by category and year, weekday × hour, after dark, against the
municipality), what research says about cameras against those problems, other
measures aimed at the same problems, the privacy cost, the hours, and a checklist
that follows the documented balancing of interests with fields for the decision.
It presents facts for a decision; it never says that surveillance is lawful or
justified.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import geopandas as gpd
import shapely

from trygg.geo import text
from trygg.layers.labels import label
from trygg.layers.schema import CATEGORIES
from trygg.maps.document import write_document
from trygg.maps.i18n import CAMERA_ALTERNATIVES, CAMERA_BASIS, CAMERA_CHECKLIST, texts
from trygg.maps.page import tool_version

__all__ = ["basis_blocks", "write_camera_basis"]

WEEKDAYS = (("mån", "Mon"), ("tis", "Tue"), ("ons", "Wed"), ("tor", "Thu"), ("fre", "Fri"),
            ("lör", "Sat"), ("sön", "Sun"))


def _t(key: str, lang: str, **fields: object) -> str:
    sv, en = CAMERA_BASIS[key]
    return (en if lang == "en" else sv).format(**fields)


def _geojson(geoms) -> dict:
    series = gpd.GeoSeries(list(geoms))
    return json.loads(gpd.GeoDataFrame(geometry=series).to_json(drop_id=True))


def _period(first: str, last: str) -> str:
    return f"{first} – {last}" if first else "–"


def basis_blocks(facts, *, lang: str = "sv") -> tuple[str, str, list[dict]]:
    """Title, subtitle and blocks of the basis for ``facts``."""
    site, p = facts.site, facts.params
    name = str(site.get("site_id", ""))
    blocks: list[dict] = [{"note": _t("disclaimer", lang)}]
    # -- the place
    blocks.append({"h": _t("h_place", lang)})
    fov = p.get("fov_deg", 360) or 360
    towards = text.number(site.get("direction"))
    fov_text = "360°" if fov >= 360 else f"{text.number(fov)}° " + text.pick(
        f"mot {towards}°", f"towards {towards}°", lang)
    blocks.append({"p": _t(
        "place", lang, x=text.number(site.get("x")), y=text.number(site.get("y")),
        crs=facts.crs, height="", range=text.number(p.get("range_m", 40)), fov=fov_text,
        area=text.number(facts.view.area, lang=lang),
        dsm=_t("dsm", lang) if p.get("surface") else "")})
    layers = []
    if len(facts.buildings):
        layers.append({"geojson": _geojson(facts.buildings), "label": _t("map_buildings", lang),
                       "style": {"fill": "#d6d3cb", "stroke": "#9c978c", "weight": 0.8}})
    layers.append({"geojson": _geojson([facts.view]), "label": _t("map_view", lang),
                   "style": {"fill": "#7b1f4b", "fillOpacity": 0.18, "stroke": "#7b1f4b",
                             "weight": 1.5}})
    other = facts.nearby[~facts.nearby["inside"]]
    inside = facts.nearby[facts.nearby["inside"]]
    if len(other):
        layers.append({"geojson": _geojson(other.geometry), "label": _t("map_other", lang),
                       "style": {"fill": "#9a9a9a", "radius": 2.2}})
    if len(inside):
        layers.append({"geojson": _geojson(inside.geometry), "label": _t("map_reports", lang),
                       "style": {"fill": "#c2410c", "stroke": "#ffffff", "weight": 0.6,
                                 "radius": 3}})
    layers.append({"geojson": _geojson([shapely.Point(site["x"], site["y"])]),
                   "label": _t("map_site", lang),
                   "style": {"fill": "#111111", "stroke": "#ffffff", "weight": 1.5,
                             "radius": 5}})
    blocks.append({"map": {"layers": layers, "bbox": list(facts.bbox), "caption": _t(
        "map_caption", lang, period=_period(*facts.period))}})
    # -- what has happened
    blocks.append({"h": _t("h_happened", lang)})
    one, many = ("report", "reports") if lang == "en" else ("rapport", "rapporter")
    n_text = text.count(facts.n, one, many, lang=lang)
    blocks.append({"p": _t("happened", lang, n=n_text, period=_period(*facts.period),
                           dark=text.percent(facts.n_dark / facts.n if facts.n else 0,
                                             lang=lang))})
    if facts.density_all and facts.density_all > 0 and facts.n:
        blocks.append({"p": _t("compare", lang,
                               ratio=text.number(facts.density_site / facts.density_all, 1,
                                                 lang=lang),
                               here=text.number(facts.density_site, lang=lang),
                               all=text.number(facts.density_all, 1, lang=lang))})
    if len(facts.counts):
        years = [str(y) for y in facts.counts.columns]
        rows = [[label("category", c, lang=lang),
                 *(text.number(int(v), lang=lang) for v in facts.counts.loc[c]),
                 text.number(int(facts.counts.loc[c].sum()), lang=lang)]
                for c in facts.counts.index]
        totals = facts.counts.sum()
        rows.append([_t("total", lang), *(text.number(int(v), lang=lang) for v in totals),
                     text.number(int(totals.sum()), lang=lang)])
        blocks.append({"table": {"columns": [_t("category", lang), *years, _t("total", lang)],
                                 "rows": rows, "align": "l" + "r" * (len(years) + 1),
                                 "caption": _t("by_year", lang)}})
        blocks.append({"heat": {
            "rows": [text.pick(sv, en, lang) for sv, en in WEEKDAYS],
            "cols": [f"{h:02d}" for h in range(24)],
            "values": facts.profile.astype(int).tolist(), "caption": _t("heat_caption", lang)}})
    # -- evidence
    blocks.append({"h": _t("h_evidence", lang)})
    blocks.append({"p": _t("evidence_intro", lang)})
    if len(facts.counts):
        blocks.append({"table": {
            "columns": [_t("category", lang), _t("evidence_col", lang)],
            "rows": [[label("category", c, lang=lang),
                      _t(f"relevance_{CATEGORIES[c].camera}", lang)]
                     for c in facts.counts.index], "align": "ll"}})
    # -- alternatives
    present = [c for c in facts.counts.index] if len(facts.counts) else facts.categories
    alternatives = [c for c in present if c in CAMERA_ALTERNATIVES]
    blocks.append({"h": _t("h_alternatives", lang)})
    blocks.append({"p": _t("alternatives_intro", lang)})
    if alternatives:
        blocks.append({"table": {"columns": [_t("category", lang), _t("h_alternatives", lang)],
                                 "rows": [[label("category", c, lang=lang),
                                           text.pick(*CAMERA_ALTERNATIVES[c], lang)]
                                          for c in alternatives], "align": "ll"}})
    # -- privacy
    blocks.append({"h": _t("h_privacy", lang)})
    if facts.privacy:
        items = ", ".join(f"{k} {text.number(v, lang=lang)}" for k, v in facts.privacy.items())
        blocks.append({"p": _t("privacy", lang, items=items)})
    else:
        blocks.append({"p": _t("privacy_none", lang)})
    # -- hours
    if facts.window is not None:
        start, end = facts.window
        ranges = str(site.get("hours") or "").replace("-", "–").replace(",", ", ")
        blocks.append({"h": _t("h_hours", lang)})
        blocks.append({"p": _t("hours", lang, share=text.percent(facts.window_share,
                                                                 lang=lang),
                               window=f"{start:02d}–{end:02d}", hours=ranges or "–")})
    # -- the balancing of interests
    blocks.append({"h": _t("h_checklist", lang)})
    blocks.append({"checklist": [{"text": text.pick(*q, lang), "help": text.pick(*h, lang)}
                                 for q, h in CAMERA_CHECKLIST]})
    blocks.append({"h": _t("h_decision", lang)})
    blocks.append({"fields": _t("fields", lang).split("|")})
    title = _t("title", lang, site=name)
    subtitle = _t("subtitle", lang, project=facts.project, run=facts.run_id,
                  rank=site.get("rank"), of=facts.chosen, date=text.date(datetime.date.today()))
    return title, subtitle, blocks


def write_camera_basis(facts, out: str | Path, *, lang: str = "sv") -> Path:
    """Write the basis for ``facts`` (:func:`layers.cameras.basis.site_facts`) to ``out``."""
    __version__ = tool_version()

    title, subtitle, blocks = basis_blocks(facts, lang=lang)
    banners = [{"text": _t("banner", lang), "kind": "intern"}]
    if facts.synthetic:
        banners.insert(0, {"text": texts(lang)["synthetic"], "kind": "synthetic"})
    return write_document(out, title, blocks, lang=lang, subtitle=subtitle, banners=banners,
                          footer=_t("footer", lang, version=__version__))

"""``lagesbild.html`` and ``lagesbild.xlsx``: a situation picture (:mod:`layers.lagesbild`)
as the printable A4 document (:mod:`maps.document`: tables, bars and the weekday × hour
chart as SVG, offline) and as a workbook with a sheet per table.

The ``publik`` version shows no count below k: such a number is written "färre än k",
its changes and p-values are left out, and weekday × hour cells below k stay empty.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from trygg.geo import text
from trygg.layers.labels import label
from trygg.layers.lagesbild import ALPHA, Situation
from trygg.maps.document import write_document
from trygg.maps.export import write_frames
from trygg.maps.i18n import LAGESBILD, texts
from trygg.maps.indikatorer import summary_blocks
from trygg.maps.page import tool_version

__all__ = ["FILES", "lagesbild_blocks", "lagesbild_tables", "write_lagesbild"]

#: The files :func:`write_lagesbild` writes, in order.
FILES = ("lagesbild.html", "lagesbild.xlsx")


def _t(key: str, lang: str, **fields: object) -> str:
    sv, en = LAGESBILD[key]
    return (en if lang == "en" else sv).format(**fields)


def _period_name(s: Situation, lang: str, name: str | None) -> str:
    return name or f"{text.date(s.period.first)}–{text.date(s.period.last)}"


class _Shown:
    """Counts as the audience may see them."""

    def __init__(self, s: Situation, lang: str) -> None:
        self.k = s.min_count if s.audience == "publik" else 1
        self.lang = lang

    def ok(self, *counts: int) -> bool:
        """Every count may be shown (0 or at least k)."""
        return all(int(c) == 0 or int(c) >= self.k for c in counts)

    def count(self, n: int) -> str:
        return text.number(n, lang=self.lang) if self.ok(n) \
            else _t("fewer_than", self.lang, k=self.k)

    def value(self, n: int):
        """For a spreadsheet: the number, or the "fewer than k" text."""
        return int(n) if self.ok(n) else _t("fewer_than", self.lang, k=self.k)

    def change(self, n: int, m: int, p: float) -> str:
        """``+12 % (fler, mer än slumpen)``; "–" when it cannot be shown."""
        if not self.ok(n, m):
            return "–"
        if m == 0:
            return _t("no_compare", self.lang)
        rel = text.signed(100.0 * (n - m) / m, 0, lang=self.lang) + (
            "\u00a0%" if self.lang != "en" else "%")
        if math.isfinite(p) and p < ALPHA:
            word = _t("more" if n > m else "fewer", self.lang)
        else:
            word = _t("chance", self.lang)
        return f"{rel} ({word})"


def _area_name(s: Situation, lang: str):
    def name(area: object) -> str:
        key = str(area)
        if key == "_outside" and s.areas_from == "tatorter":
            key = "_outside_towns"
        return _t(key, lang) if key in LAGESBILD and key.startswith("_") else key
    return name


def _count_table(s: Situation, frame: pd.DataFrame, key: str, shown: _Shown, lang: str,
                 names) -> dict:
    rows = []
    for r in frame.itertuples(index=False):
        rows.append([names(getattr(r, key)), shown.count(r.n), shown.count(r.previous),
                     shown.count(r.year), shown.change(r.n, r.previous, r.p_previous),
                     shown.change(r.n, r.year, r.p_year)])
    return {"columns": [_t(key, lang), _t("n", lang), _t("previous", lang), _t("year", lang),
                        _t("vs_previous", lang), _t("vs_year", lang)],
            "rows": rows, "align": "lrrrll"}


def lagesbild_blocks(s: Situation, *, lang: str = "sv", areas_file: str | None = None
                     ) -> list[dict]:
    """The document's blocks (see :mod:`maps.document`)."""
    shown = _Shown(s, lang)
    cat = lambda c: label("category", c, lang=lang)  # noqa: E731
    blocks: list[dict] = [{"h": _t("h_summary", lang)}, {"p": _t(
        "summary", lang, n=shown.count(s.n), prev=shown.count(s.n_previous),
        year=shown.count(s.n_year), change_prev=shown.change(s.n, s.n_previous, s.p_previous),
        change_year=shown.change(s.n, s.n_year, s.p_year))}]
    for note in s.notes:
        blocks.append({"note": note[1] if lang == "en" else note[0]})
    blocks.append({"note": _t("test_note", lang)})
    blocks.append({"h": _t("h_areas", lang)})
    where = {"tatorter": _t("areas_tatorter", lang), "none": _t("areas_none", lang),
             "file": _t("areas_file", lang, file=areas_file or "--areas")}
    blocks.append({"p": where[s.areas_from]})
    area = _area_name(s, lang)
    if s.audience == "publik":
        blocks.append({"note": _t("publik_folded", lang, k=s.min_count)})
    blocks.append({"table": _count_table(s, s.by_area, "area", shown, lang, area)})
    visible = s.by_area[[shown.ok(n) for n in s.by_area["n"]]]
    if len(visible) > 1:
        blocks.append({"bars": {"labels": [area(a) for a in visible["area"]],
                                "values": visible["n"].astype(int).tolist(),
                                "texts": [shown.count(n) for n in visible["n"]]}})
    blocks.append({"h": _t("h_categories", lang)})
    cats = s.by_category[(s.by_category[["n", "previous", "year"]].sum(axis=1) > 0)]
    blocks.append({"table": _count_table(s, cats, "category", shown, lang, cat)})
    now = cats[[shown.ok(n) and n > 0 for n in cats["n"]]].sort_values("n", ascending=False,
                                                                        kind="stable")
    if len(now):
        blocks.append({"bars": {"labels": [cat(c) for c in now["category"]],
                                "values": now["n"].astype(int).tolist(),
                                "texts": [shown.count(n) for n in now["n"]]}})
    if s.area_category.shape[0] > 1 and s.audience != "publik":  # cells would be small
        blocks.append({"h3": _t("h_area_category", lang)})
        ac = s.area_category.T  # categories down, areas across: there are fewer areas
        blocks.append({"table": {
            "columns": [_t("category", lang), *[area(a) for a in ac.columns]],
            "rows": [[cat(c), *[shown.count(v) if v else "" for v in ac.loc[c]]]
                     for c in ac.index],
            "align": "l" + "r" * len(ac.columns)}})
    blocks.append({"h": _t("h_hotspots", lang)})
    if s.cell is None:
        blocks.append({"p": _t("no_hotspots", lang)})
    elif s.hotspots.empty:
        blocks.append({"p": _t("none_hot", lang)})
    else:
        blocks.append({"p": _t("hotspots_note", lang, cell=text.number(s.cell, lang=lang))})
        hs = s.hotspots.sort_values(["status", "n"], ascending=[True, False], kind="stable")
        order = {"new": 0, "persisting": 1, "ended": 2}
        hs = hs.iloc[np.argsort([order[x] for x in hs["status"]], kind="stable")]
        blocks.append({"table": {
            "columns": [_t("status", lang), _t("place", lang), _t("n", lang),
                        _t("previous", lang), _t("cell", lang)],
            "rows": [[_t(r.status, lang), r.place or _t("unknown_place", lang),
                      shown.count(r.n), shown.count(r.previous), str(r.cell_id)]
                     for r in hs.itertuples(index=False)],
            "align": "llrrl"}})
    places = s.places[[shown.ok(n) for n in s.places["n"]]] if len(s.places) else s.places
    if len(places):
        blocks.append({"h": _t("h_places", lang)})
        blocks.append({"table": {
            "columns": ["", _t("place", lang), _t("reports", lang), _t("top_category", lang)],
            "rows": [[str(i + 1), str(r.place), shown.count(r.n), cat(r.top_category)]
                     for i, r in enumerate(places.itertuples(index=False))],
            "align": "rlrl"}})
    blocks += summary_blocks(s.klotter, s.dark, _t("h_indicators", lang), lang=lang,
                             shows=shown.ok, count=shown.count)
    blocks.append({"h": _t("h_profile", lang)})
    heat = s.weekday_hour.copy()
    if shown.k > 1:
        heat[heat < shown.k] = 0
    blocks.append({"heat": {"rows": _t("weekdays", lang).split(","),
                            "cols": [f"{h:02d}" for h in range(24)],
                            "values": heat.tolist()}})
    return blocks


def lagesbild_tables(s: Situation, *, lang: str = "sv") -> dict[str, pd.DataFrame]:
    """The workbook's sheets (name → table), with the same hiding as the document."""
    shown = _Shown(s, lang)

    def counts(frame: pd.DataFrame, key: str, names) -> pd.DataFrame:
        out = pd.DataFrame({_t(key, lang): [names(v) for v in frame[key]]})
        for col in ("n", "previous", "year"):
            out[_t(col, lang)] = [shown.value(v) for v in frame[col]]
        for col, other in (("p_previous", "previous"), ("p_year", "year")):
            out[_t(col, lang)] = [round(p, 4) if shown.ok(a, b) and math.isfinite(p) else None
                                  for p, a, b in zip(frame[col], frame["n"], frame[other],
                                                     strict=True)]
        return out

    cat = lambda c: label("category", c, lang=lang)  # noqa: E731
    area = _area_name(s, lang)
    summary = pd.DataFrame({_t("measure", lang): [
        _t("n", lang), _t("previous", lang), _t("year", lang), _t("p_previous", lang),
        _t("p_year", lang)], _t("value", lang): [
        shown.value(s.n), shown.value(s.n_previous), shown.value(s.n_year),
        round(s.p_previous, 4) if shown.ok(s.n, s.n_previous) and math.isfinite(s.p_previous)
        else None,
        round(s.p_year, 4) if shown.ok(s.n, s.n_year) and math.isfinite(s.p_year) else None]})
    ac = s.area_category.copy()
    ac = ac.rename(columns={c: cat(c) for c in ac.columns}).astype(object)
    ac.insert(0, _t("area", lang), [area(a) for a in ac.index])
    hs = pd.DataFrame({
        _t("status", lang): [_t(x, lang) for x in s.hotspots["status"]],
        _t("place", lang): [p or "" for p in s.hotspots["place"]],
        _t("n", lang): [shown.value(v) for v in s.hotspots["n"]],
        _t("previous", lang): [shown.value(v) for v in s.hotspots["previous"]],
        _t("cell", lang): s.hotspots["cell_id"].astype(str).tolist()})
    places = s.places[[shown.ok(n) for n in s.places["n"]]] if len(s.places) else s.places
    pl = pd.DataFrame({_t("place", lang): places["place"].astype(str).tolist(),
                       _t("reports", lang): places["n"].astype(int).tolist(),
                       _t("top_category", lang): [cat(c) for c in places["top_category"]]})
    heat = s.weekday_hour.astype(object)
    if shown.k > 1:
        heat = np.where(s.weekday_hour < shown.k, None, s.weekday_hour).astype(object)
    profile = pd.DataFrame(heat, columns=[f"{h:02d}" for h in range(24)])
    profile.insert(0, "", _t("weekdays", lang).split(","))
    return {_t("sheet_summary", lang): summary,
            _t("sheet_areas", lang): counts(s.by_area, "area", area),
            _t("sheet_categories", lang): counts(s.by_category, "category", cat),
            **({} if s.audience == "publik" else
               {_t("sheet_area_category", lang): ac.reset_index(drop=True)}),
            _t("sheet_hotspots", lang): hs, _t("sheet_places", lang): pl,
            _t("sheet_profile", lang): profile}


def write_lagesbild(s: Situation, out: str | Path, *, lang: str = "sv", project: str = "",
                    period_name: str | None = None, synthetic: bool = False,
                    areas_file: str | None = None) -> list[Path]:
    """Write ``lagesbild.html`` and ``lagesbild.xlsx`` into the folder ``out``.

    Parameters
    ----------
    s
        The situation picture (:func:`layers.lagesbild.situation`).
    out
        Folder (created when missing).
    lang
        ``sv`` or ``en``.
    project
        The project's name, for the subtitle.
    period_name
        How the period was asked for (``2025-Q3``), for the title; default its dates.
    synthetic
        Show the synthetic-data banner (the demo).
    areas_file
        The ``--areas`` file, named in the document.

    Returns
    -------
    list of Path
        The files written, in the order of :data:`FILES`.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    name = _period_name(s, lang, period_name)
    banners = [{"text": texts(lang)["synthetic"], "kind": "synthetic"}] if synthetic else []
    banners.append({"text": _t("publik", lang, k=s.min_count), "kind": "publik"}
                   if s.audience == "publik" else {"text": texts(lang)["intern"],
                                                   "kind": "intern"})
    d = text.date
    html = write_document(
        out / FILES[0], _t("title", lang, period=name), lagesbild_blocks(
            s, lang=lang, areas_file=areas_file), lang=lang, banners=banners,
        subtitle=_t("subtitle", lang, project=project, first=d(s.period.first),
                    last=d(s.period.last), prev_first=d(s.previous.first),
                    prev_last=d(s.previous.last), year_first=d(s.year.first),
                    year_last=d(s.year.last)),
        footer=_t("footer", lang, version=tool_version()))
    xlsx = write_frames(lagesbild_tables(s, lang=lang), out / FILES[1], lang=lang,
                        title=_t("title", lang, period=name))
    return [html, xlsx]

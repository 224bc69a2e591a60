"""``indikatorer.html`` and ``indikatorer.xlsx``: the follow-up numbers the municipal plans
name (:mod:`layers.indicators`), each by year, as a printable document and a workbook."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from trygg.geo import text
from trygg.layers.indicators import Indicator, Indicators
from trygg.maps.document import write_document
from trygg.maps.export import write_frames
from trygg.maps.i18n import INDIKATORER, texts
from trygg.maps.page import tool_version

__all__ = ["FILES", "indicator_blocks", "summary_blocks", "indicator_tables", "write_indicators"]

#: The files :func:`write_indicators` writes, in order.
FILES = ("indikatorer.html", "indikatorer.xlsx")


def _t(key: str, lang: str, **fields: object) -> str:
    sv, en = INDIKATORER[key]
    return (en if lang == "en" else sv).format(**fields)


def _klotter(ind: Indicator, lang: str) -> pd.DataFrame:
    rows = ind.by_year.copy()
    rows["year"] = rows["year"].astype(str)
    total = pd.DataFrame([{"year": _t("all", lang), "n": ind.n, "within": ind.within,
                           "share": ind.share}])
    return pd.concat([rows, total], ignore_index=True) if ind.n else rows


def indicator_tables(ind: Indicators, *, lang: str = "sv") -> dict[str, pd.DataFrame]:
    """The workbook's sheets (name → table, readable headers)."""
    k = _klotter(ind.klotter, lang).rename(columns={
        "year": _t("year", lang), "n": _t("n_closed", lang), "within": _t("within", lang),
        "share": _t("share", lang)})
    places = ind.places.copy()
    places["type"] = [_t(t, lang) for t in places["type"]]
    places = places.rename(columns={"name": _t("place", lang), "type": _t("type", lang),
                                    "total": _t("total", lang)})
    sheets = {_t("sheet_klotter", lang): k, _t("sheet_places", lang): places}
    if ind.population is not None:
        pop = ind.population.rename(columns={
            "name": _t("area", lang), "inhabitants": _t("inhabitants", lang),
            **{c: c.replace("_per_1000", " " + _t("per_1000", lang))
               for c in ind.population.columns if c.endswith("_per_1000")}})
        sheets[_t("sheet_population", lang)] = pop.round(1)
    dark = ind.dark.copy()
    dark["year"] = [_t("all", lang) if y == "all" else y for y in dark["year"]]
    sheets[_t("sheet_dark", lang)] = dark.rename(columns={
        "year": _t("year", lang), "dark": _t("dark", lang), "daylight": _t("daylight", lang),
        "share_dark": _t("share_dark", lang)})
    return sheets


def indicator_blocks(ind: Indicators, *, lang: str = "sv",
                     period: tuple[object, object] | None = None) -> list[dict]:
    """The document's blocks (see :mod:`maps.document`); ``period`` (first and last
    report) for the note on incomplete years."""
    num = lambda v: text.number(v, lang=lang)  # noqa: E731
    pct = lambda v: text.percent(v, 0, lang=lang)  # noqa: E731
    blocks: list[dict] = [{"h": _t("h_klotter", lang)}]
    if ind.klotter.n:
        blocks.append({"p": _t("klotter_p", lang, without=num(ind.klotter.without))})
        blocks.append({"table": {
            "columns": [_t("year", lang), _t("n_closed", lang), _t("within", lang),
                        _t("share", lang)],
            "rows": [[str(r.year), num(r.n), num(r.within), pct(r.share)]
                     for r in _klotter(ind.klotter, lang).itertuples(index=False)],
            "align": "lrrr"}})
    else:
        blocks.append({"p": _t("no_close", lang)})
    blocks.append({"h": _t("h_places", lang)})
    if len(ind.places):
        where = (_t("places_gazetteer", lang) if ind.places_from is None
                 else _t("places_layer", lang, layer=ind.places_from))
        blocks.append({"p": _t("places_p", lang, radius=num(ind.radius), where=where)})
        years = [c for c in ind.places.columns if c not in ("name", "type", "total")]
        blocks.append({"table": {
            "columns": [_t("place", lang), _t("type", lang), *years, _t("total", lang)],
            "rows": [[r["name"], _t(r["type"], lang), *[num(r[y]) for y in years],
                      num(r["total"])] for _, r in ind.places.iterrows()],
            "align": "ll" + "r" * (len(years) + 1)}})
    else:
        blocks.append({"p": _t("no_places", lang)})
    blocks.append({"h": _t("h_population", lang)})
    if ind.population is None:
        blocks.append({"p": _t("no_population", lang)})
    else:
        years = [c for c in ind.population.columns if c.isdigit()]
        if period is not None:
            blocks.append({"note": _t("years_note", lang, first=text.date(period[0]),
                                      last=text.date(period[1]))})
        blocks.append({"table": {
            "columns": [_t("area", lang), _t("inhabitants", lang),
                        *[f"{y} {_t('per_1000', lang)}" for y in years]],
            "rows": [[r["name"], num(r["inhabitants"]),
                      *[text.number(r[f"{y}_per_1000"], 1, lang=lang) for y in years]]
                     for _, r in ind.population.iterrows()],
            "align": "lr" + "r" * len(years)}})
    blocks.append({"h": _t("h_dark", lang)})
    if len(ind.dark):
        blocks.append({"p": _t("dark_p", lang)})
        blocks.append({"table": {
            "columns": [_t("year", lang), _t("dark", lang), _t("daylight", lang),
                        _t("share_dark", lang)],
            "rows": [[_t("all", lang) if r.year == "all" else str(r.year), num(r.dark),
                      num(r.daylight), pct(r.share_dark)]
                     for r in ind.dark.itertuples(index=False)],
            "align": "lrrr"}})
    else:
        blocks.append({"p": _t("no_dark", lang)})
    return blocks


def summary_blocks(klotter: Indicator | None, dark: pd.DataFrame | None, heading: str, *,
                   lang: str = "sv", shows=lambda *counts: True,
                   count=None) -> list[dict]:
    """A short section of indicators for another report (the lägesbild's period, a plan
    area): the klotter rule and perceived unsafety after dark of its reports.

    ``shows(*counts)`` says whether counts may be shown (the public k-rule) and
    ``count(n)`` writes one; a line whose counts may not be shown is left out, and so is
    the section when no line is left.
    """
    count = count or (lambda n: text.number(n, lang=lang))
    rows = []
    if klotter is not None and klotter.n and shows(klotter.n, klotter.within,
                                                   klotter.n - klotter.within):
        rows.append([_t("ind_klotter", lang), text.percent(klotter.share, 0, lang=lang),
                     count(klotter.n)])
    if dark is not None and len(dark):
        total = dark[dark["year"] == "all"].iloc[0]
        if shows(int(total["dark"]), int(total["daylight"])):
            rows.append([_t("ind_dark", lang), text.percent(total["share_dark"], 0, lang=lang),
                         count(int(total["dark"] + total["daylight"]))])
    if not rows:
        return []
    return [{"h": heading},
            {"table": {"columns": [_t("ind_measure", lang), _t("share", lang),
                                   _t("ind_n", lang)], "rows": rows, "align": "lrr"}}]


def write_indicators(ind: Indicators, out: str | Path, *, lang: str = "sv",
                     project: str = "", period: tuple[object, object] | None = None,
                     synthetic: bool = False) -> list[Path]:
    """Write ``indikatorer.html`` and ``indikatorer.xlsx`` into the folder ``out``;
    returns the files in the order of :data:`FILES`. ``period`` (first and last
    report) defaults to the one :func:`layers.indicators.follow_up` found."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    banners = [{"text": texts(lang)["synthetic"], "kind": "synthetic"}] if synthetic else []
    period = period or ind.period
    first, last = period or (None, None)
    blocks = indicator_blocks(ind, lang=lang, period=period)
    html = write_document(out / FILES[0], _t("title", lang), blocks,
                          lang=lang, banners=banners,
                          subtitle=_t("subtitle", lang, project=project, first=text.date(first),
                                      last=text.date(last)),
                          footer=_t("footer", lang, version=tool_version()))
    xlsx = write_frames(indicator_tables(ind, lang=lang), out / FILES[1], lang=lang,
                        title=_t("title", lang))
    return [html, xlsx]

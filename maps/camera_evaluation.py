"""The before/after evaluation of an installed camera, as a printable document and a table.

Draws :class:`layers.cameras.evaluate.Evaluation` with :mod:`maps.document`: the
counts before and after in the area watched, its surroundings and the comparison
area, the relative effect size with its interval, the weighted displacement
quotient and what both mean, and an honest statement of how certain it is. The
counts also go to a spreadsheet through :func:`maps.export.write_frame`.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from trygg.geo import text
from trygg.layers.cameras.evaluate import AREAS
from trygg.layers.labels import label
from trygg.maps.document import write_document
from trygg.maps.export import write_frame
from trygg.maps.i18n import CAMERA_EVALUATION, texts
from trygg.maps.page import tool_version

__all__ = ["evaluation_blocks", "write_evaluation"]


def _t(key: str, lang: str, **fields: object) -> str:
    sv, en = CAMERA_EVALUATION[key]
    return (en if lang == "en" else sv).format(**fields)


def _day(ts: pd.Timestamp) -> str:
    return text.date(ts)


def evaluation_blocks(ev, *, buffer_m: float, controlled: bool, lang: str = "sv"
                      ) -> list[dict]:
    """The blocks of the evaluation document."""
    last = lambda ts: text.date(ts - pd.Timedelta(days=1))  # noqa: E731  end is exclusive
    cats = ", ".join(label("category", c, lang=lang).lower()
                     for c in sorted(set(ev.counts["category"]))) if len(ev.counts) else "–"
    blocks: list[dict] = [{"p": _t(
        "intro", lang, cats=cats, buffer=text.number(buffer_m, lang=lang),
        control=_t("control_rest", lang) if not controlled else label("area", "control",
                                                                      lang=lang).lower(),
        before=f"{_day(ev.before[0])} – {last(ev.before[1])}",
        after=f"{_day(ev.after[0])} – {last(ev.after[1])}")}]
    blocks.append({"h": _t("h_counts", lang)})
    rows = []
    for area in AREAS:
        b, a = ev.totals[area]["before"], ev.totals[area]["after"]
        change = text.signed((a - b) / b * 100, 0, lang=lang) + text.pick(" %", "%", lang) \
            if b else "–"
        rows.append([label("area", area, lang=lang), text.number(b, lang=lang),
                     text.number(a, lang=lang), change])
    blocks.append({"table": {"columns": [_t("area", lang), _t("before", lang),
                                         _t("after", lang), _t("change", lang)],
                             "rows": rows, "align": "lrrr"}})
    blocks.append({"h": _t("h_measures", lang)})
    if math.isnan(ev.res):
        blocks.append({"p": _t("res_none", lang)})
    else:
        blocks.append({"p": _t("res", lang, res=text.number(ev.res, 2, lang=lang),
                               low=text.number(ev.res_low, 2, lang=lang),
                               high=text.number(ev.res_high, 2, lang=lang))})
        if ev.res_low <= 1 <= ev.res_high:
            blocks.append({"note": _t("res_chance", lang)})
        else:
            blocks.append({"p": _t("res_clear", lang, side=_t(
                "above" if ev.res_low > 1 else "below", lang))})
    if math.isnan(ev.wdq):
        blocks.append({"p": _t("wdq_none", lang)})
    else:
        meaning = _t("wdq_spread" if ev.wdq > 0 else "wdq_some" if ev.wdq >= -1 else
                     "wdq_more", lang)
        blocks.append({"p": _t("wdq", lang, wdq=text.number(ev.wdq, 2, lang=lang),
                               meaning=meaning)})
    blocks.append({"h": _t("h_uncertainty", lang)})
    treated = ev.totals["treated"]
    if "few_incidents" in ev.notes:
        blocks.append({"note": _t("few", lang, n=f"{text.number(treated['before'], lang=lang)}"
                                  f" / {text.number(treated['after'], lang=lang)}")})
    if "short_period" in ev.notes:
        blocks.append({"p": _t("short", lang)})
    blocks.append({"p": _t("caveat", lang)})
    if len(ev.counts):
        blocks.append({"h": _t("h_categories", lang)})
        wide = ev.counts.pivot_table(index="category", columns=["area", "period"], values="n",
                                     aggfunc="sum", fill_value=0)
        cols = [(a, p) for a in AREAS for p in ("before", "after") if (a, p) in wide.columns]
        blocks.append({"table": {
            "columns": [_t("category", lang)] + [
                f"{_t('short_' + a, lang)} {label('period', p, lang=lang).lower()}"
                for a, p in cols],
            "rows": [[label("category", c, lang=lang),
                      *(text.number(int(wide.loc[c, col]), lang=lang) for col in cols)]
                     for c in wide.index],
            "align": "l" + "r" * len(cols)}})
    return blocks


def write_evaluation(ev, camera_id: str, out_dir: str | Path, *, project: str,
                     buffer_m: float = 100.0, controlled: bool = False, lang: str = "sv",
                     synthetic: bool = False) -> list[Path]:
    """Write ``utvardering_<camera>.html`` and ``utvardering_<camera>.xlsx`` into
    ``out_dir``; returns the paths."""
    __version__ = tool_version()
    from trygg.maps.cameras import safe_name

    folder = Path(out_dir)
    stem = ("evaluation_" if lang == "en" else "utvardering_") + safe_name(camera_id)
    months = round((ev.before[1] - ev.before[0]).days / 30.44)
    banners = [{"text": texts(lang)["synthetic"], "kind": "synthetic"}] if synthetic else []
    html = write_document(
        folder / f"{stem}.html", _t("title", lang, camera=camera_id),
        evaluation_blocks(ev, buffer_m=buffer_m, controlled=controlled, lang=lang),
        lang=lang, banners=banners,
        subtitle=_t("subtitle", lang, project=project, installed=text.date(ev.after[0] -
                                                                             pd.Timedelta(days=1)),
                    months=_t("month", lang) if months == 1 else _t("months", lang, n=months)),
        footer=_t("footer", lang, version=__version__))
    table = ev.counts.rename(columns={"n": "n"})
    sheet = write_frame(table, folder / f"{stem}.xlsx", lang=lang,
                        sheet="utvardering" if lang != "en" else "evaluation",
                        title=_t("title", lang, camera=camera_id))
    return [html, sheet]

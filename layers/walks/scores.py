"""The safety-audit scores of the walks, and what they show taken together.

Each protocol row may rate its place 0 (poor) to 3 (good) on the nine parameters of
:data:`layers.walks.protocol.SCORE_PARAMETERS`, with who walked (``group``) and whether
it was light or dark. The project table ``walk_scores`` keeps one row per rated
protocol row (:func:`layers.walks.findings.import_protocol` writes it);
:func:`score_summary` aggregates it over every walk: the mean of each parameter by
group and by light/dark (with n), and how each parameter goes with the felt safety
(Spearman's rank correlation with ``feeling``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from trygg.geo.text import pick
from trygg.layers.labels import label
from trygg.layers.walks.protocol import SCORE_PARAMETERS

__all__ = ["MIN_PAIRS", "SCORES", "SCORE_COLUMNS", "ScoreSummary", "read_scores",
           "score_summary"]

SCORES = "walk_scores"
SCORE_COLUMNS = ("walk_id", "row_id", "stop", "date", "group", "light", *SCORE_PARAMETERS)
#: Fewest rows with both a parameter and ``feeling`` before a correlation is given.
MIN_PAIRS = 5


def read_scores(store) -> pd.DataFrame:
    """The project's ``walk_scores`` (empty, with its columns, when there are none)."""
    if SCORES in store.layers():
        frame = store.read(SCORES)
    else:
        frame = pd.DataFrame({c: pd.Series(dtype=object) for c in SCORE_COLUMNS})
    for p in SCORE_PARAMETERS:
        frame[p] = pd.to_numeric(frame[p], errors="coerce").astype(float)
    return frame[list(SCORE_COLUMNS)]


@dataclass
class ScoreSummary:
    """Scores aggregated over walks.

    ``by_group`` and ``by_light``: one row per group (light) with ``n`` (rated rows)
    and the mean of each parameter (NaN when no row rated it). ``feeling``: per
    parameter other than ``feeling`` its Spearman correlation ``rho`` with
    ``feeling``, its ``p`` value and ``n`` pairs (NaN with fewer than
    :data:`MIN_PAIRS` pairs or no spread).
    """

    n: int
    by_group: pd.DataFrame
    by_light: pd.DataFrame
    feeling: pd.DataFrame

    def tables(self, lang: str = "sv") -> dict[str, pd.DataFrame]:
        """The three tables with readable headers and labels (sheet name → table);
        empty when no row is rated."""
        if self.n == 0:
            return {}

        def readable(frame: pd.DataFrame, field: str, key: str) -> pd.DataFrame:
            out = frame.copy()
            out[key] = [label(field, str(v), lang=lang) for v in out[key]]
            names = {key: pick("Grupp", "Group", lang) if field == "walk_group"
                     else pick("Ljus/mörker", "Light/dark", lang),
                     "n": pick("Antal bedömningar", "Ratings", lang),
                     **{p: label("score", p, lang=lang) for p in SCORE_PARAMETERS}}
            return out.rename(columns=names).round(2)

        feeling = self.feeling.copy()
        feeling["parameter"] = [label("score", p, lang=lang) for p in feeling["parameter"]]
        feeling = feeling.rename(columns={
            "parameter": pick("Parameter", "Parameter", lang),
            "rho": pick("Samband med trygghetskänsla (Spearman)",
                        "Correlation with feeling of safety (Spearman)", lang),
            "p": pick("p-värde", "p value", lang), "n": pick("Antal par", "Pairs", lang)})
        return {pick("Poäng per grupp", "Scores by group", lang):
                readable(self.by_group, "walk_group", "group"),
                pick("Poäng ljust-mörkt", "Scores light-dark", lang):
                readable(self.by_light, "light", "light"),
                pick("Samband med trygghet", "Links to felt safety", lang): feeling.round(3)}


def _means(scores: pd.DataFrame, key: str) -> pd.DataFrame:
    known = scores[scores[key].astype(str) != ""]
    if known.empty:
        return pd.DataFrame(columns=[key, "n", *SCORE_PARAMETERS])
    grouped = known.groupby(known[key].astype(str), sort=True)
    out = grouped[list(SCORE_PARAMETERS)].mean()
    out.insert(0, "n", grouped.size())
    return out.reset_index()


def score_summary(scores: pd.DataFrame) -> ScoreSummary:
    """Aggregate ``walk_scores`` (see :class:`ScoreSummary`).

    Parameters
    ----------
    scores
        Rows as :func:`read_scores` gives them (any number of walks).

    Returns
    -------
    ScoreSummary
    """
    scores = scores.copy()
    for col in ("group", "light"):
        scores[col] = scores[col].fillna("").astype(str)
    rows = []
    for p in SCORE_PARAMETERS[:-1]:
        pair = scores[[p, "feeling"]].dropna()
        rho = pv = np.nan
        if len(pair) >= MIN_PAIRS and pair[p].nunique() > 1 and pair["feeling"].nunique() > 1:
            res = stats.spearmanr(pair[p], pair["feeling"])
            rho, pv = float(res.statistic), float(res.pvalue)
        rows.append({"parameter": p, "rho": rho, "p": pv, "n": len(pair)})
    return ScoreSummary(n=len(scores), by_group=_means(scores, "group"),
                        by_light=_means(scores, "light"), feeling=pd.DataFrame(rows))

"""What to look at on a walk stop: checklist topics by the categories reported there.

The topics follow the national method's checklists (Boverket, Brå and Tryggare
Mänskligare Göteborg): lighting, sight lines and vegetation, upkeep, graffiti,
orientation, traffic and accessibility. The questions per topic (Swedish and
English) are presentation and live in :mod:`maps.i18n` (``WALK_CHECKLIST``).
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["ALWAYS", "TOPICS", "topics_for"]

#: Checklist topics, in the order a protocol lists them.
TOPICS = ("belysning", "sikt_vegetation", "skotsel", "klotter", "tydlighet", "trafik",
          "tillganglighet")
#: Topics every stop gets: light and orientation matter everywhere after dark.
ALWAYS = ("belysning", "tydlighet")
#: Report category → the topics it calls for.
BY_CATEGORY: dict[str, tuple[str, ...]] = {
    "belysning": ("belysning",),
    "sikt_vegetation": ("sikt_vegetation",),
    "klotter": ("klotter", "skotsel"),
    "skadegorelse": ("skotsel", "klotter"),
    "nedskrapning": ("skotsel",),
    "samlingsplats": ("sikt_vegetation", "tydlighet"),
    "narkotika": ("sikt_vegetation", "belysning"),
    "vald_hot": ("sikt_vegetation", "belysning"),
    "ran": ("sikt_vegetation", "belysning"),
    "stold_inbrott": ("belysning", "sikt_vegetation"),
    "fordon": ("belysning",),
    "brand": ("skotsel",),
    "trafik": ("trafik", "tillganglighet"),
    "ordningsstorning": ("tydlighet",),
    "otrygg_plats": ("sikt_vegetation", "tillganglighet"),
}


def topics_for(categories: Iterable[str]) -> list[str]:
    """The checklist topics for a stop whose reports have ``categories`` (codes), in
    :data:`TOPICS` order; always at least :data:`ALWAYS`."""
    wanted = set(ALWAYS)
    for code in categories:
        wanted.update(BY_CATEGORY.get(str(code), ()))
    return [t for t in TOPICS if t in wanted]

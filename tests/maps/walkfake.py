"""A small planned walk with the attributes of ``layers.walks.plan.WalkPlan`` (the
contract of issue 12), built by hand so the outputs can be tested on their own; and a
project holding it as a walk run (``walk_<id>_stops``, ``walk_<id>_route``) and an
``actions`` layer.

Used by tests/maps/test_walk_protocol.py, tests/maps/test_gpx.py and
tests/browser/test_walk_print.py.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from types import SimpleNamespace

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point, box

CRS = "EPSG:3006"
#: Stops in walking order (SWEREF 99 TM metres), near a town centre in Uppland.
XY = [(608_000.0, 6_665_500.0), (608_250.0, 6_665_620.0), (608_420.0, 6_665_400.0),
      (608_180.0, 6_665_250.0)]
START = (607_900.0, 6_665_420.0, "Stationen")
PLACES = ["Busstationen", "Parkstigen", "Gångtunneln", "Torget"]


def fake_plan(*, walk_id: str = "kvall", places: list[str] | None = None,
              texts: list[str] | None = None, date: datetime.date | None = None,
              dated: bool = True) -> SimpleNamespace:
    """A WalkPlan-like object with four stops (a loop from ``START``).

    ``places`` replaces the place names, ``texts`` the recent report texts and the
    finding's action (one per stop), e.g. with hostile payloads.
    """
    places = places or PLACES
    texts = texts or ["Lampan vid entrén är trasig", "Mörkt och buskigt längs stigen",
                      "Nytt klotter på väggen", "Ungdomar samlas sent"]
    date = date or datetime.date(2026, 10, 14)
    path = [START[:2], *XY, START[:2]]
    legs = [Point(a).distance(Point(b)) for a, b in zip(path[:-2], path[1:-1], strict=True)]
    cum = pd.Series(legs).cumsum().tolist()
    cats = [{"belysning": 4, "otrygg_plats": 2}, {"sikt_vegetation": 3, "belysning": 1},
            {"klotter": 5, "skadegorelse": 2}, {"samlingsplats": 3}]
    kinds = [{"brist": 4, "otrygghet": 2}, {"brist": 4}, {"brist": 7}, {"otrygghet": 3}]
    topics = [["belysning", "tydlighet"], ["sikt_vegetation", "belysning", "tydlighet"],
              ["klotter", "skotsel", "belysning", "tydlighet"], ["belysning", "tydlighet"]]
    stops = gpd.GeoDataFrame({
        "walk_id": walk_id, "stop": [1, 2, 3, 4],
        "stop_id": [f"{walk_id}-{i:02d}" for i in range(1, 5)],
        "place_name": places, "origin": ["hotspot", "reports", "finding", "site"],
        "rank_score": [3.2, 2.1, 1.7, 0.0],
        "n_reports": [sum(c.values()) for c in cats],
        "by_category": [json.dumps(c) for c in cats],
        "by_kind": [json.dumps(k) for k in kinds],
        "recent": [json.dumps([{"date": "2026-09-0" + str(i + 1), "category": next(iter(c)),
                                "text": t}], ensure_ascii=False)
                   for i, (c, t) in enumerate(zip(cats, texts, strict=True))],
        "findings": [json.dumps([]), json.dumps([]),
                     json.dumps([{"report_id": "walk:var:3.1", "date": "2026-04-20",
                                  "category": "klotter", "status": "open",
                                  "action": texts[2], "action_status": "in_progress"}],
                                ensure_ascii=False), json.dumps([])],
        "topics": [json.dumps(t) for t in topics],
        "leg_m": legs, "cum_m": cum,
    }, geometry=[Point(xy) for xy in XY], crs=CRS)
    line = LineString(path)
    route = gpd.GeoDataFrame({"walk_id": [walk_id], "length_m": [line.length],
                              "minutes": [line.length / 50 + 4 * 8], "loop": [True]},
                             geometry=[line], crs=CRS)
    tz = "Europe/Stockholm"
    return SimpleNamespace(
        walk_id=walk_id, area_name="Centrum", area=box(607_800, 6_665_150, 608_550, 6_665_700),
        stops=stops, route=route, start=START, length_m=float(line.length),
        minutes=float(route["minutes"].iloc[0]), date=date if dated else None,
        sunset=pd.Timestamp(f"{date} 17:52", tz=tz) if dated else None,
        dusk=pd.Timestamp(f"{date} 18:31", tz=tz) if dated else None,
        notes=[("Rutten går längs raka linjer.", "The route follows straight lines.")],
        layers=[f"walk_{walk_id}_stops", f"walk_{walk_id}_route"])


def actions_frame(texts: list[str] | None = None) -> gpd.GeoDataFrame:
    """An ``actions`` layer (the contract's columns): one open and overdue, one in
    progress, one done."""
    texts = texts or ["Byt armatur vid entrén", "Röj buskarna", "Sanera klottret"]
    return gpd.GeoDataFrame({
        "action_id": ["var:1.1", "var:2.1", "var:3.1"], "walk_id": "var",
        "report_id": ["walk:var:1.1", "walk:var:2.1", "walk:var:3.1"], "stop": [1, 2, 3],
        "place_text": PLACES[:3], "category": ["belysning", "sikt_vegetation", "klotter"],
        "action": texts, "responsible": ["kommun", "fastighetsagare", "kommun"],
        "priority": ["hog", "medel", "lag"],
        "deadline": ["2026-01-31", "2099-06-30", "2026-05-01"],
        "action_status": ["open", "in_progress", "done"],
        "closed_at": ["", "", "2026-04-28"], "created_at": "2025-10-20",
        "updated_at": "2025-10-20", "photo": ["IMG_0001", "", ""],
    }, geometry=[Point(x + 25, y + 15) for x, y in XY[:3]], crs=CRS)


def walk_project(folder: Path, *, plan: SimpleNamespace | None = None,
                 actions: gpd.GeoDataFrame | None = None):
    """A project with a few reports, the walk run of ``plan`` and an ``actions`` layer."""
    from trygg.layers.ingest import ingest_file
    from trygg.layers.store import create_project

    plan = plan or fake_plan()
    store = create_project(folder / "vandring.gpkg", name="Vandringskommun")
    table = folder / "rapporter.csv"
    rows = ["Ärende-ID;Datum;Kategori;Beskrivning;Plats;Synlighet;X;Y"]
    rows += [f"r{i};2026-03-{10 + i:02d} 21:00;Belysning;Mörkt;Torget;publik;"
             f"{x + i:.0f};{y:.0f}" for i, (x, y) in enumerate(XY)]
    table.write_text("\n".join(rows) + "\n", "utf-8")
    ingest_file(store, table)
    with store.transaction() as tx:
        for name, frame in ((plan.layers[0], plan.stops), (plan.layers[1], plan.route),
                            ("actions", actions if actions is not None else actions_frame())):
            tx.replace(name, frame)
    return store

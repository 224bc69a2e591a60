"""What users read instead of the codes the project stores.

Codes (``exact``, ``closed``, ``hot_99``, ``unsafe_not_crime`` …) stay stable in the
project and in GeoPackage/GeoJSON exports; everything people read — the command's
summaries, map popups and legends, spreadsheet exports, reports — shows
:func:`label` of the code and :func:`column_label` of the column instead.

>>> label("precision", "exact")
'Exakt läge'
>>> label("klass", "hot_99", lang="en")
'Hot spot 99%'
>>> column_label("reported_at")
'Rapporterad'
"""

from __future__ import annotations

from trygg.layers.schema import CATEGORIES, KIND_LABELS, SOURCE_LABELS
from trygg.layers.sources.common import REJECT_REASONS

__all__ = ["COLUMN_LABELS", "LABELS", "column_label", "label", "labels"]


def _classes(pattern: str, sv: str, en: str) -> dict[str, tuple[str, str]]:
    return {f"{pattern}_hot": (f"{sv} hotspot", f"{en} hot spot"),
            f"{pattern}_cold": (f"{sv} coldspot", f"{en} cold spot")}


_PATTERNS = (("new", "Ny", "New"), ("consecutive", "Sammanhängande", "Consecutive"),
             ("intensifying", "Förstärkt", "Intensifying"),
             ("persistent", "Bestående", "Persistent"),
             ("diminishing", "Avtagande", "Diminishing"), ("sporadic", "Sporadisk", "Sporadic"),
             ("oscillating", "Växlande", "Oscillating"), ("historical", "Historisk", "Historical"))
_NOT_TESTED = ("Inte testad", "Not tested")

#: Field → code → (Swedish, English). Fields are the report model's columns
#: (``precision``, ``status`` …) and the class columns of the analysis layers
#: (``klass`` of Gi*, ``change``, ``pattern``, ``divergence``).
LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "category": {c.code: (c.sv, c.en) for c in CATEGORIES.values()},
    "source": dict(SOURCE_LABELS),
    "kind": dict(KIND_LABELS),
    "precision": {
        "exact": ("Exakt läge", "Exact location"), "address": ("Adress", "Address"),
        "street": ("Gata", "Street"), "intersection": ("Korsning", "Intersection"),
        "place": ("Namngiven plats", "Named place"), "area": ("Område", "Area"),
        "kommun": ("Bara kommunen", "Municipality only"),
        "none": ("Saknar läge", "No location"),
    },
    "status": {"open": ("Öppen", "Open"), "closed": ("Avslutad", "Closed")},
    # a camera in the register (layers.cameras.register)
    "camera_status": {"proposed": ("Föreslagen", "Proposed"), "decided": ("Beslutad", "Decided"),
                      "installed": ("Installerad", "Installed"),
                      "removed": ("Borttagen", "Removed")},
    "area": {"treated": ("Bevakat område", "Area watched"),
             "buffer": ("Närområde (förflyttning)", "Surroundings (displacement)"),
             "control": ("Jämförelseområde", "Comparison area")},
    "period": {"before": ("Före", "Before"), "after": ("Efter", "After")},
    "visibility": {"intern": ("Intern", "Internal"), "publik": ("Publik", "Public")},
    "camera": {"none": ("Ingen", "None"), "low": ("Låg", "Low"), "medium": ("Medel", "Medium"),
               "high": ("Hög", "High")},
    "reason": dict(REJECT_REASONS),
    "klass": {
        "hot_99": ("Hotspot 99 %", "Hot spot 99%"), "hot_95": ("Hotspot 95 %", "Hot spot 95%"),
        "hot_90": ("Hotspot 90 %", "Hot spot 90%"),
        "cold_90": ("Coldspot 90 %", "Cold spot 90%"),
        "cold_95": ("Coldspot 95 %", "Cold spot 95%"),
        "cold_99": ("Coldspot 99 %", "Cold spot 99%"),
        "none": ("Inte signifikant", "Not significant"), "not_tested": _NOT_TESTED,
    },
    "change": {"increase": ("Ökning", "Increase"), "decrease": ("Minskning", "Decrease"),
               "no_change": ("Ingen säker förändring", "No clear change"),
               "not_tested": _NOT_TESTED},
    "pattern": {
        **{k: v for p, sv, en in _PATTERNS for k, v in _classes(p, sv, en).items()},
        "no_pattern": ("Inget mönster", "No pattern"), "not_tested": _NOT_TESTED,
    },
    "divergence": {
        "unsafe_not_crime": ("Otrygghet utan brott (belysning, utformning)",
                             "Unsafety without crime (lighting, design)"),
        "crime_not_unsafe": ("Brott utan upplevd otrygghet (polisiärt)",
                             "Crime without perceived unsafety (policing)"),
        "both": ("Både otrygghet och brott", "Both unsafety and crime"),
        "neither": ("Varken eller", "Neither"), "not_tested": _NOT_TESTED,
    },
    "action_count": {"open": ("Öppna", "Open"), "overdue": ("Försenade", "Overdue"),
                     "done": ("Klara", "Done"), "declined": ("Avslagna", "Declined"),
                     "total": ("Alla", "All")},
    # the methods of trygg hotspots (a run's kind), as `trygg runs` lists them
    "method": {
        "count": ("Antal per ruta", "Counts per cell"), "kde": ("Täthet (KDE)", "Density (KDE)"),
        "gistar": ("Hotspots (Gi*)", "Hot spots (Gi*)"),
        "clusters": ("Hotspotområden", "Hot spot areas"),
        "change": ("Förändring", "Change"), "emerging": ("Trender", "Trends"),
        "divergence": ("Otrygghet och brott", "Unsafety and crime"),
        "cameras": ("Kameraplatser", "Camera sites"),
        "walk": ("Trygghetsvandring", "Safety walk"),
    },
    # safety walks (issue 12): checklist topics, scores, who walked, actions
    "topic": {
        "belysning": ("Belysning", "Lighting"),
        "sikt_vegetation": ("Siktlinjer och vegetation", "Sight lines and vegetation"),
        "skotsel": ("Skötsel", "Upkeep"), "klotter": ("Klotter", "Graffiti"),
        "tydlighet": ("Tydlighet och orientering", "Legibility and orientation"),
        "trafik": ("Trafik", "Traffic"), "tillganglighet": ("Tillgänglighet", "Accessibility"),
    },
    "score": {
        "lighting": ("Belysning", "Lighting"), "openness": ("Öppenhet", "Openness"),
        "visibility": ("Synlighet", "Visibility"), "people": ("Folkliv", "People present"),
        "security": ("Bevakning och hjälp", "Security presence"),
        "walk_path": ("Gångväg", "Walk path"), "transport": ("Kollektivtrafik",
                                                           "Public transport"),
        "diversity": ("Blandning av människor", "Diversity of users"),
        "feeling": ("Känsla av trygghet", "Feeling of safety"),
    },
    "walk_group": {
        "kvinnor": ("Kvinnor", "Women"), "man": ("Män", "Men"), "unga": ("Unga", "Young people"),
        "aldre": ("Äldre", "Older people"),
        "funktionsnedsattning": ("Personer med funktionsnedsättning",
                                 "People with disabilities"),
        "blandad": ("Blandad grupp", "Mixed group"), "annan": ("Annan", "Other"),
    },
    "light": {"ljust": ("Ljust", "Daylight"), "morkt": ("Mörkt", "Dark")},
    "responsible": {
        "kommun": ("Kommunen", "The municipality"),
        "fastighetsagare": ("Fastighetsägare", "Property owner"),
        "polis": ("Polisen", "The police"), "annan": ("Annan", "Other"),
    },
    "priority": {"hog": ("Hög", "High"), "medel": ("Medel", "Medium"), "lag": ("Låg", "Low")},
    "action_status": {"open": ("Öppen", "Open"), "in_progress": ("Pågår", "In progress"),
                      "done": ("Klar", "Done"), "declined": ("Avslagen", "Declined")},
    "stop_origin": {"hotspot": ("Hotspotområde", "Hot spot area"),
                    "reports": ("Öppna rapporter", "Open reports"),
                    "finding": ("Tidigare fynd", "Earlier finding"),
                    "site": ("Vald av arrangören", "Chosen by the organiser"),
                    "start": ("Start", "Start")},
}

#: Column → (Swedish, English) header, for the report model, the rejects and the
#: analysis layers' columns people read.
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    # the camera register and evaluations (layers.cameras.register, .evaluate)
    "camera_id": ("Kamera-id", "Camera id"), "purpose": ("Syfte", "Purpose"),
    "camera_status": ("Status", "Status"),
    "proposed_at": ("Föreslagen", "Proposed"), "decided_at": ("Beslutad", "Decided"),
    "installed_at": ("Installerad", "Installed"), "removed_at": ("Borttagen", "Removed"),
    "keep_until": ("Dokumentationen sparas till", "Documentation kept until"),
    "note": ("Anteckningar", "Notes"), "range_m": ("Räckvidd (m)", "Range (m)"),
    "fov_deg": ("Synfält (grader)", "Field of view (degrees)"),
    "area": ("Område", "Area"), "period": ("Period", "Period"),
    # a camera run's sites (layers.cameras.sites.SITE_COLUMNS)
    "site_id": ("Plats-id", "Site id"), "direction": ("Riktning (grader)", "Direction (degrees)"),
    "marginal": ("Tillförd täckning (viktad)", "Coverage added (weighted)"),
    "cumulative": ("Sammanlagd täckning (viktad)", "Cumulative coverage (weighted)"),
    "share": ("Andel av alla viktade händelser", "Share of all weighted incidents"),
    "by_year": ("Per år", "By year"),
    "hours": ("Färsta timmar som rymmer andelen", "Fewest hours holding the share"),
    "hours_window": ("Sammanhängande tider", "Consecutive hours"),
    "privacy_cost": ("Integritetskostnad", "Privacy cost"),
    "privacy": ("I synfältet", "In view"),
    "report_id": ("Rapport-id", "Report id"), "source": ("Källa", "Source"),
    "source_id": ("Id i källan", "Id in the source"),
    "reported_at": ("Rapporterad", "Reported"), "occurred_at": ("Inträffade", "Occurred"),
    "category": ("Kategori", "Category"), "raw_category": ("Kategori i källan",
                                                           "Category in the source"),
    "kind": ("Typ", "Kind"), "description": ("Beskrivning", "Description"),
    "place_text": ("Plats", "Place"), "precision": ("Lägesprecision", "Location precision"),
    "geocode_score": ("Geokodningssäkerhet", "Geocoding score"),
    "status": ("Status", "Status"), "closed_at": ("Avslutad", "Closed"),
    "organisation": ("Organisation", "Organisation"),
    "visibility": ("Synlighet", "Visibility"), "weight": ("Vikt", "Weight"),
    "ingest_id": ("Inläsning", "Ingest"), "extra": ("Övriga fält", "Other fields"),
    "x": ("X (öst, meter)", "X (east, metres)"), "y": ("Y (nord, meter)", "Y (north, metres)"),
    "lat": ("Latitud (WGS 84)", "Latitude (WGS 84)"),
    "lon": ("Longitud (WGS 84)", "Longitude (WGS 84)"),
    "file": ("Fil", "File"), "sheet": ("Blad", "Sheet"), "line": ("Rad", "Line"),
    "reason": ("Orsak", "Reason"), "detail": ("Detalj", "Detail"),
    "row": ("Raden som den var", "The row as it was"),
    "n": ("Rapporter", "Reports"), "gistar": ("Gi* z-värde", "Gi* z-score"),
    "p": ("p-värde", "p-value"), "padj": ("p-värde (justerat)", "p-value (adjusted)"),
    "klass": ("Klass", "Class"), "change": ("Förändring", "Change"),
    "pattern": ("Trend", "Trend"), "divergence": ("Otrygghet och brott", "Unsafety and crime"),
    "name": ("Namn", "Name"), "rank": ("Rang", "Rank"), "hotspot_id": ("Hotspot-id",
                                                                      "Hot spot id"),
    "share_dark": ("Andel i mörker", "Share after dark"),
    "share_night": ("Andel nattetid", "Share at night"),
    "first": ("Första", "First"), "last": ("Senaste", "Last"),
    "area_m2": ("Yta (m²)", "Area (m²)"),
    # the analysis grids
    "cell_id": ("Ruta", "Cell"), "col": ("Kolumn i rutnätet", "Grid column"),
    "grid_row": ("Rad i rutnätet", "Grid row"), "pvalue": ("p-värde", "p-value"),
    "kde": ("Täthet (rapporter per km²)", "Density (reports per km²)"),
    "n_a": ("Rapporter period A", "Reports period A"),
    "n_b": ("Rapporter period B", "Reports period B"),
    "diff": ("Skillnad (B − A)", "Difference (B − A)"), "ratio": ("Kvot (B / A)",
                                                                  "Ratio (B / A)"),
    "n_unsafe": ("Rapporter om otrygghet och brister", "Reports of unsafety and defects"),
    "n_crime": ("Rapporter om brott", "Reports of crime"),
    "z_unsafe": ("z-värde otrygghet", "z-score unsafety"),
    "z_crime": ("z-värde brott", "z-score crime"),
    "padj_unsafe": ("p-värde otrygghet (justerat)", "p-value unsafety (adjusted)"),
    "padj_crime": ("p-värde brott (justerat)", "p-value crime (adjusted)"),
    "trend_z": ("Trend (z-värde)", "Trend (z-score)"), "trend_p": ("Trend (p-värde)",
                                                                   "Trend (p-value)"),
    "n_periods_hot": ("Perioder som hotspot", "Periods as a hot spot"),
    "n_periods_cold": ("Perioder som coldspot", "Periods as a cold spot"),
    "final_z": ("Gi* z-värde sista perioden", "Gi* z-score of the last period"),
    "score": ("Poäng", "Score"), "busiest": ("Flest rapporter (veckodag, timme)",
                                             "Most reports (weekday, hour)"),
    # safety walks: stops, actions and scores (layers.walks)
    "walk_id": ("Vandring", "Walk"), "rank_score": ("Rangpoäng", "Rank score"),
    "by_kind": ("Rapporter per typ", "Reports by kind"),
    "recent": ("Senaste rapporter", "Latest reports"), "findings": ("Tidigare fynd",
                                                                   "Earlier findings"),
    "length_m": ("Längd (m)", "Length (m)"), "minutes": ("Tid (minuter)", "Time (minutes)"),
    "loop": ("Tillbaka till start", "Back to the start"),
    "action_id": ("Åtgärds-id", "Action id"), "action": ("Åtgärd", "Action"),
    "responsible": ("Ansvarig", "Responsible"), "priority": ("Prioritet", "Priority"),
    "deadline": ("Senast klart", "Deadline"), "action_status": ("Status", "Status"),
    "updated_at": ("Ändrad", "Updated"), "photo": ("Fotoreferens", "Photo reference"),
    "row_id": ("Rad-id", "Row id"), "group": ("Grupp", "Group"),
    "light": ("Ljus/mörker", "Light/dark"), "date": ("Datum", "Date"),
    "overdue": ("Försenad", "Overdue"), "total": ("Alla", "All"),
    "open": ("Öppna", "Open"), "done": ("Klara", "Done"), "declined": ("Avslagna", "Declined"),
    # ingests, runs, links, the gazetteer
    "ingested_at": ("Inläst", "Ingested"), "sha256": ("Kontrollsumma (SHA-256)",
                                                      "Checksum (SHA-256)"),
    "rows_read": ("Lästa rader", "Rows read"), "reports_added": ("Tillagda rapporter",
                                                                 "Reports added"),
    "duplicates": ("Dubbletter", "Duplicates"), "rejected": ("Avvisade rader",
                                                             "Rejected rows"),
    "run_id": ("Körning", "Run"), "created_at": ("Skapad", "Created"),
    "layers": ("Lager", "Layers"), "linked_id": ("Kopplad rapport", "Linked report"),
    "distance_m": ("Avstånd (m)", "Distance (m)"), "key": ("Söknyckel", "Search key"),
    "street": ("Gata", "Street"), "number": ("Nummer", "Number"),
    "letter": ("Bokstav", "Letter"), "postcode": ("Postnummer", "Postcode"),
    "ort": ("Ort", "Town"),
    # keys a reader keeps in ``extra`` (and ``row`` of a reject) beside the source's own
    "_rad": ("Rad i källfilen", "Line in the source file"),
    "_blad": ("Blad i källfilen", "Sheet in the source file"),
    "_status": ("Status i källan", "Status in the source"),
    "_ort": ("Ort i källan", "Town in the source"),
    "_nivå": ("Nivå i källan", "Level in the source"),
    "_text": ("Raden som text", "The row as text"), "_value": ("Värdet", "The value"),
    # JSON columns (expanded or left out in spreadsheets, named in QGIS)
    "by_category": ("Rapporter per kategori", "Reports by category"),
    "by_source": ("Rapporter per källa", "Reports by source"),
    "weekday_hour": ("Rapporter per veckodag och timme", "Reports by weekday and hour"),
    "params": ("Inställningar", "Settings"), "summary": ("Sammanfattning", "Summary"),
    "inputs": ("Indata", "Inputs"),
    # the stops of a safety walk (platser.csv)
    "stop": ("Stopp", "Stop"), "stop_id": ("Stopp-id", "Stop id"),
    "place_name": ("Plats", "Place"), "origin": ("Valt som", "Chosen as"),
    "n_reports": ("Rapporter", "Reports"), "topics": ("Titta efter", "What to look at"),
    "leg_m": ("Från föregående stopp (m)", "From the previous stop (m)"),
    "cum_m": ("Från start (m)", "From the start (m)"),
}


def label(field: str, code: object, *, lang: str | None = "sv") -> str:
    """The text users read for ``code`` of ``field`` (e.g. ``label("status", "closed")``
    → ``"Avslutad"``); an unknown code is shown as it is, a missing one as ``""``."""
    if code is None or code != code:
        return ""
    pair = LABELS.get(field, {}).get(str(code))
    if pair is None:
        return str(code)
    return pair[1] if lang == "en" else pair[0]


def labels(field: str, *, lang: str | None = "sv") -> dict[str, str]:
    """Every code of ``field`` and its text, in vocabulary order."""
    return {code: label(field, code, lang=lang) for code in LABELS.get(field, {})}


def column_label(column: str, *, lang: str | None = "sv") -> str:
    """The header users read for ``column``; an unknown column keeps its name."""
    pair = COLUMN_LABELS.get(column)
    if pair is None:
        return column
    return pair[1] if lang == "en" else pair[0]

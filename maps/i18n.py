"""User-facing text of the maps, Swedish first, English with ``lang="en"``."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "sv": {
        "source": "Källa", "date": "Datum", "place": "Plats", "description": "Beskrivning",
        "id": "Ärende", "reports": "rapporter", "legend": "Kategorier",
        "data_until": "Data t.o.m.", "period": "Period",
        "synthetic": "SYNTETISKA DATA — demonstration, platserna och rapporterna finns inte",
        "intern": "Intern — innehåller personuppgifter",
        "background": "Bakgrund", "layers": "Lager", "no_reports": "Inga rapporter",
        "made_with": "Gjord med Trygghetskartan",
        "not_drawn": "utan exakt läge visas inte som punkter",
        "thousands": "\u00a0", "reports_layer": "Rapporter", "filter": "Filter",
        "categories": "Kategori", "sources": "Källa", "kinds": "Typ", "from": "från",
        "to": "till", "time_of_day": "Tid på dygnet", "reset": "Visa alla",
        "showing": "Visar {n} av {total} rapporter",
        "aggregated": "{n} rapporter: för många för punkter, visas som antal per ruta",
        "show_reports": "Visa rapporterna här", "in_hotspot": "i hotspotområdet {name}",
        "analyses": "Analyser", "reports_group": "Rapporter", "hotspot": "Hotspotområde",
        "rank": "rang", "sources_line": "Källor",
        "report_one": "rapport", "showing_one": "Visar {n} av {total} rapport",
        "zoom_in": "Zooma in", "zoom_out": "Zooma ut", "north": "Norr är uppåt",
        "north_letter": "N", "legend_toggle": "Teckenförklaring", "about": "Om kartan",
        "banners": "Om uppgifterna (tryck för hela texten)", "key": "Kategorier",
    },
    "en": {
        "source": "Source", "date": "Date", "place": "Place", "description": "Description",
        "id": "Case", "reports": "reports", "legend": "Categories",
        "data_until": "Data up to", "period": "Period",
        "synthetic": "SYNTHETIC DATA — demonstration, the places and reports do not exist",
        "intern": "Internal — contains personal data",
        "background": "Background", "layers": "Layers", "no_reports": "No reports",
        "made_with": "Made with Trygghetskartan",
        "not_drawn": "without an exact location are not drawn as points",
        "thousands": ",", "reports_layer": "Reports", "filter": "Filter",
        "categories": "Category", "sources": "Source", "kinds": "Kind", "from": "from",
        "to": "to", "time_of_day": "Time of day", "reset": "Show all",
        "showing": "Showing {n} of {total} reports",
        "aggregated": "{n} reports: too many for points, shown as counts per cell",
        "show_reports": "Show the reports here", "in_hotspot": "in the hot spot area {name}",
        "analyses": "Analyses", "reports_group": "Reports", "hotspot": "Hot spot area",
        "rank": "rank", "sources_line": "Sources",
        "report_one": "report", "showing_one": "Showing {n} of {total} report",
        "zoom_in": "Zoom in", "zoom_out": "Zoom out", "north": "North is up",
        "north_letter": "N", "legend_toggle": "Legend", "about": "About the map",
        "banners": "About the data (tap for the whole text)", "key": "Categories",
    },
}


#: What the analyses mean, in plain words, for the "Om kartan" panel.
ABOUT: dict[str, dict[str, str]] = {
    "sv": {
        "reports": "Kartan visar rapporter om otrygghet, brott och fysiska brister{sources}"
                   "{period}. Varje punkt är en rapport; färgen och symbolen visar "
                   "kategorin (se filtret).",
        "gistar": "Hotspots (Gi*-analys): kartan delas in i rutor. För varje ruta jämförs "
                  "antalet rapporter i rutan och dess grannar med vad som vore väntat om "
                  "rapporterna låg jämnt utspridda. Avvikelsen är ett z-värde: ju högre, "
                  "desto fler rapporter än väntat.",
        "fdr": "Sannolikheten att det är slumpen (p) är justerad för att många rutor testas "
               "på en gång (FDR, Benjamini–Hochberg): av rutorna märkta ”Hotspot 95 %” "
               "väntas högst var tjugonde vara falskt larm, av ”99 %” högst var hundrade.",
        "hotspots": "Hotspotområde: en plats där rapporterna ligger mycket tätare än runt "
                    "en vanlig rapport. Områdena numreras efter antalet rapporter (rang 1 "
                    "har flest); klicka på ett område för siffror och tider.",
        "cells": "Kartan visar hur många rapporter som finns i varje sexkantig ruta om "
                 "{cell} m{period}. Rutor med färre än {k} rapporter visas inte, så att "
                 "ingen enskild rapport kan pekas ut.",
        "walk": "Trygghetsvandring: rutten och stoppen i gångordning (numren). Klicka på ett "
                "stopp för platsen och vad som har rapporterats där.",
        "actions": "Öppna åtgärder från trygghetsvandringar (öppna eller pågående); rött är "
                   "försenat, alltså att datumet för senast klart har passerat.",
    },
    "en": {
        "reports": "The map shows reports of unsafety, crime and physical defects{sources}"
                   "{period}. Each point is a report; its colour and symbol show the "
                   "category (see the filter).",
        "gistar": "Hot spots (Gi* analysis): the map is divided into cells. For each cell "
                  "the reports in the cell and its neighbours are compared with what would "
                  "be expected if the reports were spread evenly. The difference is a "
                  "z-score: the higher, the more reports than expected.",
        "fdr": "The probability that it is chance (p) is adjusted for testing many cells at "
               "once (FDR, Benjamini–Hochberg): of the cells marked “Hot spot 95%” at most "
               "one in twenty is expected to be a false alarm, of “99%” one in a hundred.",
        "hotspots": "Hot spot area: a place where the reports lie much closer together than "
                    "around a typical report. The areas are numbered by their number of "
                    "reports (rank 1 has the most); click an area for figures and times.",
        "cells": "The map shows how many reports lie in each hexagonal cell of {cell} m"
                 "{period}. Cells with fewer than {k} reports are not shown, so that no "
                 "single report can be singled out.",
        "walk": "Safety walk: the route and the stops in walking order (the numbers). Click "
                "a stop for the place and what has been reported there.",
        "actions": "Open actions from safety walks (open or in progress); red is overdue, "
                   "that is, past its deadline.",
    },
}


def about(lang: str = "sv") -> dict[str, str]:
    """The paragraphs of the "Om kartan" panel for ``lang`` (placeholders unfilled)."""
    return ABOUT["en" if lang == "en" else "sv"]


def texts(lang: str = "sv") -> dict[str, str]:
    """The UI texts for ``lang`` (``sv`` or ``en``)."""
    return TEXTS["en" if lang == "en" else "sv"]


#: Texts of the camera basis (maps/camera_basis.py): key → (Swedish, English).
CAMERA_BASIS: dict[str, tuple[str, str]] = {
    "title": ("Kameraunderlag: {site}", "Camera basis: {site}"),
    "subtitle": ("{project} · körning {run} · plats {rank} av {of} · {date}",
                 "{project} · run {run} · site {rank} of {of} · {date}"),
    "banner": ("Underlag inför beslut — internt", "Basis for a decision — internal"),
    "disclaimer": ("Underlaget redovisar vad som har hänt på platsen och vad en kamera här "
                   "skulle se. Det tar inte ställning till om kamerabevakning är tillåten "
                   "eller motiverad: det avgör kommunen i sin egen intresseavvägning enligt "
                   "kamerabevakningslagen (2018:1200).",
                   "This basis sets out what has happened at the place and what a camera "
                   "here would see. It does not say whether camera surveillance is lawful or "
                   "justified: the municipality decides that in its own balancing of "
                   "interests under the Camera Surveillance Act (2018:1200)."),
    "h_place": ("Platsen och bevakningsområdet", "The place and the area watched"),
    "place": ("Kameran står vid {x}, {y} ({crs}){height}. Med {range} m räckvidd och "
              "{fov} synfält ser den {area} m², med byggnader{dsm} som skymmer.",
              "The camera stands at {x}, {y} ({crs}){height}. With a range of {range} m "
              "and a field of view of {fov} it sees {area} m², with buildings{dsm} "
              "blocking the view."),
    "dsm": (" och terräng", " and terrain"),
    "map_view": ("Bevakningsområde", "Area watched"),
    "map_site": ("Kameraplats", "Camera site"),
    "map_reports": ("Rapporter som räknas", "Reports counted"),
    "map_other": ("Övriga rapporter", "Other reports"),
    "map_buildings": ("Byggnader", "Buildings"),
    "map_caption": ("Rapporter {period}. Skala och norrpil i kartan.",
                    "Reports {period}. Scale bar and north arrow in the map."),
    "h_happened": ("Vad har hänt här", "What has happened here"),
    "happened": ("Inom bevakningsområdet finns {n} under {period}, av de slag som kameror kan "
                 "påverka. {dark} av dem skedde när det var mörkt.",
                 "Within the area watched there are {n} in {period}, of the kinds cameras "
                 "can affect. {dark} of them happened after dark."),
    "compare": ("Det är {ratio} gånger så tätt som i kommunen som helhet ({here} mot {all} "
                "per km²; kommunen räknas här som området där rapporterna finns).",
                "That is {ratio} times as dense as in the municipality as a whole ({here} "
                "against {all} per km²; the municipality taken as the area the reports "
                "cover)."),
    "by_year": ("Rapporter per kategori och år", "Reports by category and year"),
    "category": ("Kategori", "Category"), "total": ("Summa", "Total"),
    "trend": ("Per år: {years}.", "By year: {years}."),
    "heat_caption": ("Rapporter per veckodag och timme (lokal tid); mörkare = fler.",
                     "Reports by weekday and hour (local time); darker = more."),
    "h_evidence": ("Vad forskningen säger om kameror mot dessa problem",
                   "What research says about cameras against these problems"),
    "evidence_intro": ("BRÅ:s genomgång (2018) av kamerabevakning: kameror minskar brott mot "
                       "fordon, egendomsbrott och narkotikabrott, mest i bostadsområden och på "
                       "parkeringar, inte våld eller ordningsstörningar och inte i stadskärnor; "
                       "aktiv övervakning fungerar bättre än passiv.",
                       "BRÅ's review (2018) of camera surveillance: cameras reduce vehicle "
                       "crime, property crime and drug crime, mostly in residential areas and "
                       "car parks, not violence or disorder and not in town centres; active "
                       "monitoring works better than passive."),
    "relevance_high": ("Stöd för effekt", "Evidence of an effect"),
    "relevance_medium": ("Visst stöd", "Some evidence"),
    "relevance_low": ("Svagt eller inget stöd", "Weak or no evidence"),
    "relevance_none": ("Kameror påverkar inte detta", "Cameras do not affect this"),
    "evidence_col": ("Stöd för kameror (BRÅ 2018)", "Support for cameras (BRÅ 2018)"),
    "h_alternatives": ("Andra åtgärder mot samma problem", "Other measures against the same "
                       "problems"),
    "alternatives_intro": ("Lagen kräver att andra åtgärder övervägs först. Utifrån "
                           "kategorierna här:",
                           "The law requires other measures to be considered first. From "
                           "the categories here:"),
    "h_privacy": ("Integritet", "Privacy"),
    "privacy": ("Inom bevakningsområdet finns: {items}.", "Within the area watched there are: "
                "{items}."),
    "privacy_none": ("Inga integritetslager angavs vid körningen; bostäder, entréer, skolor "
                     "och lekplatser i bilden måste bedömas på plats.",
                     "No privacy layers were given for the run; homes, entrances, schools and "
                     "playgrounds in view must be judged on site."),
    "h_hours": ("Tider", "Hours"),
    "hours": ("{share} av händelserna inträffade kl. {window}. De färsta timmar som rymmer "
              "lika stor andel: {hours}. En bevakning kan begränsas till dessa tider.",
              "{share} of the incidents happened at {window}. The fewest hours holding the "
              "same share: {hours}. Surveillance can be limited to these hours."),
    "h_checklist": ("Intresseavvägningen steg för steg", "The balancing of interests step by "
                    "step"),
    "h_decision": ("Beslut", "Decision"),
    "fields": ("Beslut (bevakning ja/nej, tider, omfattning)|Beslutsfattare|Datum|"
               "Diarienummer|Införd i förteckningen (datum)",
               "Decision (surveillance yes/no, hours, extent)|Decided by|Date|"
               "Reference number|Entered in the register (date)"),
    "footer": ("Gjord med Trygghetskartan {version}. Dokumentationen ska sparas i fem år "
               "efter att bevakningen upphört.",
               "Made with Trygghetskartan {version}. The documentation is to be kept five "
               "years after the surveillance ends."),
}

#: The steps of the documented balancing of interests: (Swedish, English) pairs of the
#: question and what to look at.
CAMERA_CHECKLIST: list[tuple[tuple[str, str], tuple[str, str]]] = [
    (("Vad har hänt på platsen?", "What has happened at the place?"),
     ("Dokumenterad brottslighet och ordningsstörning här (avsnittet ovan); avsaknad av "
      "dokumenterad brottslighet var den vanligaste grunden för avslag hos IMY.",
      "Documented crime and disorder here (the section above); a lack of documented crime "
      "was the most common ground for refusal at IMY.")),
    (("Vilket är syftet med bevakningen?", "What is the purpose of the surveillance?"),
     ("Vilket problem ska kameran förebygga, avslöja eller utreda?",
      "Which problem is the camera to prevent, detect or investigate?")),
    (("Är kamerabevakning ett verksamt medel för syftet?",
      "Is camera surveillance an effective means for the purpose?"),
     ("Jämför kategorierna med forskningen ovan; aktiv övervakning verkar bättre än passiv.",
      "Compare the categories with the research above; active monitoring works better than "
      "passive.")),
    (("Räcker andra åtgärder?", "Would other measures suffice?"),
     ("Vilka av åtgärderna ovan har prövats eller övervägts, och med vilket resultat?",
      "Which of the measures above have been tried or considered, and with what result?")),
    (("Hur stort är intrånget i den personliga integriteten?",
      "How large is the intrusion into privacy?"),
     ("Vilka berörs (boende, entréer, skolor, lekplatser); kan bevakningen begränsas i tid, "
      "i synfält (maskering) eller i bildupplösning?",
      "Who is affected (residents, entrances, schools, playgrounds); can the surveillance be "
      "limited in time, in view (masking) or in image resolution?")),
    (("Väger bevakningsintresset tyngre än intresset av att inte bli bevakad?",
      "Does the surveillance interest outweigh the interest in not being watched?"),
     ("Motivera avvägningen med uppgifterna ovan.", "Give the reasons, from the facts above.")),
    (("Hur sköts bevakningen?", "How is the surveillance run?"),
     ("Skyltning och information, lagringstid och gallring, vem som får se materialet, "
      "aktiv eller passiv övervakning.",
      "Signs and information, storage time and deletion, who may see the material, active "
      "or passive monitoring.")),
    (("Förs bevakningen in i förteckningen?", "Is the surveillance entered in the register?"),
     ("trygg cameras-register …; dokumentationen sparas fem år efter att bevakningen upphört.",
      "trygg cameras-register …; the documentation is kept five years after the "
      "surveillance ends.")),
]

#: Measures other than cameras, by category (Swedish, English).
CAMERA_ALTERNATIVES: dict[str, tuple[str, str]] = {
    "belysning": ("Bättre belysning: laga och lägg till armaturer, jämnt ljus utan bländning.",
                  "Better lighting: repair and add luminaires, even light without glare."),
    "sikt_vegetation": ("Röj vegetation och öppna siktlinjer.",
                        "Clear vegetation and open sight lines."),
    "klotter": ("Snabb sanering (inom 24–48 timmar) och klottertåliga ytor.",
                "Fast removal (within 24–48 hours) and graffiti-resistant surfaces."),
    "skadegorelse": ("Snabb reparation, tåligare material, skalskydd.",
                     "Fast repair, sturdier materials, target hardening."),
    "nedskrapning": ("Tätare städning och fler papperskorgar.",
                     "More frequent cleaning and more litter bins."),
    "samlingsplats": ("Fältassistenter och fritidsverksamhet, väktare eller ordningsvakter "
                      "vissa tider.",
                      "Outreach workers and youth activities, guards at certain hours."),
    "narkotika": ("Polisiär närvaro, sociala insatser, utformning som inte ger gömställen.",
                  "Police presence, social services, a design without hiding places."),
    "vald_hot": ("Ordningsvakter, belysning, folkliv och trygga stråk.",
                 "Security guards, lighting, activity and safe routes."),
    "ran": ("Ordningsvakter, belysning och trygga stråk.",
            "Security guards, lighting and safe routes."),
    "stold_inbrott": ("Skalskydd (lås, dörrar, staket), grannsamverkan.",
                      "Target hardening (locks, doors, fences), neighbourhood watch."),
    "fordon": ("Belysning och utformning av parkeringen, bommar, väktarronder.",
               "Lighting and design of the car park, barriers, guard patrols."),
    "brand": ("Brandsäkra soprum och containrar, snabb bortforsling.",
              "Fire-safe bin rooms and containers, quick removal."),
    "trafik": ("Fysiska hinder och farthinder.", "Physical barriers and speed bumps."),
    "ordningsstorning": ("Ordningsvakter, öppettider, fältassistenter.",
                         "Security guards, opening hours, outreach workers."),
    "otrygg_plats": ("Trygghetsvandring på platsen för att se vad som gör den otrygg.",
                     "A safety walk at the place to see what makes it feel unsafe."),
}


#: Texts of a camera evaluation (maps/camera_evaluation.py): key → (Swedish, English).
CAMERA_EVALUATION: dict[str, tuple[str, str]] = {
    "title": ("Utvärdering av kamera {camera}", "Evaluation of camera {camera}"),
    "subtitle": ("{project} · installerad {installed} · {months} före och efter",
                 "{project} · installed {installed} · {months} before and after"),
    "months": ("{n} månader", "{n} months"), "month": ("1 månad", "1 month"),
    "intro": ("Jämförelsen räknar rapporter av de slag som kameror kan påverka ({cats}) i det "
              "bevakade området, i ett närområde {buffer} m runt det (där brott kan ha "
              "flyttat) och i ett jämförelseområde ({control}), under lika långa perioder "
              "före ({before}) och efter ({after}) installationen.",
              "The comparison counts reports of the kinds cameras can affect ({cats}) in the "
              "area watched, in surroundings {buffer} m around it (where crime may have "
              "moved) and in a comparison area ({control}), in equally long periods before "
              "({before}) and after ({after}) the installation."),
    "control_rest": ("resten av kommunen", "the rest of the municipality"),
    "h_counts": ("Rapporter före och efter", "Reports before and after"),
    "area": ("Område", "Area"), "before": ("Före", "Before"), "after": ("Efter", "After"),
    "change": ("Förändring", "Change"),
    "h_measures": ("Mått", "Measures"),
    "res": ("Relativ effektstorlek (RES, Welsh & Farrington): {res} (95 % intervall {low}–"
            "{high}). Över 1 betyder att det bevakade området utvecklades bättre än "
            "jämförelseområdet.",
            "Relative effect size (RES, Welsh & Farrington): {res} (95% interval {low}–"
            "{high}). Above 1 means the area watched fared better than the comparison area."),
    "res_none": ("Relativ effektstorlek kan inte beräknas: någon av de fyra räkningarna är noll.",
                 "The relative effect size cannot be computed: one of the four counts is "
                 "zero."),
    "res_chance": ("Intervallet rymmer 1: skillnaden kan vara slumpen.",
                   "The interval holds 1: the difference may be chance."),
    "res_clear": ("Intervallet ligger helt {side} 1.", "The interval lies wholly {side} 1."),
    "above": ("över", "above"), "below": ("under", "below"),
    "wdq": ("Viktad förflyttningskvot (WDQ, Bowers & Johnson): {wdq}. {meaning}",
            "Weighted displacement quotient (WDQ, Bowers & Johnson): {wdq}. {meaning}"),
    "wdq_none": ("Förflyttningskvoten används bara när det bevakade området förbättrats mot "
                 "jämförelseområdet, vilket det inte har.",
                 "The displacement quotient is used only when the area watched improved "
                 "against the comparison area, which it did not."),
    "wdq_spread": ("Över 0: nyttan spred sig till närområdet.",
                   "Above 0: the benefit spread to the surroundings."),
    "wdq_some": ("Mellan 0 och −1: en del förflyttning, men mindre än vinsten.",
                 "Between 0 and −1: some displacement, less than the gain."),
    "wdq_more": ("Under −1: mer flyttade än vad som vanns.",
                 "Below −1: more moved than was gained."),
    "h_uncertainty": ("Hur säkert är det?", "How certain is it?"),
    "few": ("Antalen är små ({n} rapporter före och efter i det bevakade området). Så små tal "
            "bevisar sällan något: en slumpmässig variation av samma storlek är vanlig.",
            "The counts are small ({n} reports before and after in the area watched). Counts "
            "this small rarely prove anything: chance variation of the same size is common."),
    "short": ("Perioderna är korta (under sex månader); säsongsvariationer kan dölja eller "
              "skapa en skillnad.",
              "The periods are short (under six months); seasonal variation can hide or "
              "create a difference."),
    "caveat": ("Rapporter mäter vad som anmäls eller rapporteras, inte allt som händer; en "
               "kamera kan också öka benägenheten att rapportera.",
               "Reports measure what is reported, not all that happens; a camera can also "
               "make people more inclined to report."),
    "h_categories": ("Per kategori", "By category"), "category": ("Kategori", "Category"),
    "short_treated": ("Bevakat", "Watched"), "short_buffer": ("Närområde", "Surroundings"),
    "short_control": ("Jämförelse", "Comparison"),
    "footer": ("Gjord med Trygghetskartan {version}.", "Made with Trygghetskartan {version}."),
}


#: What to look at on a safety walk, per checklist topic (``layers.walks.checklist.TOPICS``):
#: topic → {"sv": [question, …], "en": [question, …]} (same questions in the same order).
WALK_CHECKLIST: dict[str, dict[str, list[str]]] = {
    "belysning": {
        "sv": ["Är alla lampor tända och hela?", "Bländar belysningen?",
               "Syns ansikten på 4 meters avstånd?",
               "Lyser belysningen upp gångvägen och inte bara vägbanan?",
               "Finns det mörka partier mellan lamporna eller vid entréer?"],
        "en": ["Are all the lamps lit and whole?", "Does the lighting dazzle?",
               "Can you see faces at 4 metres?",
               "Does the lighting light the footpath and not only the road?",
               "Are there dark stretches between the lamps or at entrances?"],
    },
    "sikt_vegetation": {
        "sv": ["Kan man se långt framåt och åt sidorna?",
               "Skymmer buskar eller träd sikten eller belysningen?",
               "Finns det platser där någon kan gömma sig?",
               "Kan man se och bli sedd från bostäder eller butiker?"],
        "en": ["Can you see far ahead and to the sides?",
               "Do bushes or trees block the view or the lighting?",
               "Are there places where someone could hide?",
               "Can you see and be seen from homes or shops?"],
    },
    "skotsel": {
        "sv": ["Är platsen städad (skräp, glas, fimpar)?",
               "Finns det trasigt som borde lagas (bänkar, staket, skyltar)?",
               "Är papperskorgar tömda och tillräckligt många?",
               "Är gräs och buskar klippta?"],
        "en": ["Is the place clean (litter, glass, cigarette ends)?",
               "Is anything broken that should be repaired (benches, fences, signs)?",
               "Are litter bins emptied and are there enough?",
               "Are grass and bushes cut?"],
    },
    "klotter": {
        "sv": ["Finns det klotter eller skadegörelse?", "Är det nytt eller gammalt?",
               "Är klottret kränkande eller hotfullt?",
               "Vem äger ytan och ska sanera den?"],
        "en": ["Is there graffiti or vandalism?", "Is it new or old?",
               "Is the graffiti offensive or threatening?",
               "Who owns the surface and should clean it?"],
    },
    "tydlighet": {
        "sv": ["Är det lätt att hitta rätt (skyltning, orientering)?",
               "Ser man var gångvägen leder och var man kan ta sig ut?",
               "Finns det alternativa vägar om man känner sig otrygg?",
               "Syns gatunamn, husnummer och hållplatser?"],
        "en": ["Is it easy to find the way (signs, orientation)?",
               "Can you see where the path leads and where you can get out?",
               "Are there other routes if you feel unsafe?",
               "Can you see street names, house numbers and stops?"],
    },
    "trafik": {
        "sv": ["Är det säkert att korsa gatan här?", "Håller bilar och cyklar låg fart?",
               "Är gång- och cykeltrafik åtskilda?",
               "Är övergångsställen och hållplatser väl upplysta?"],
        "en": ["Is it safe to cross the street here?", "Do cars and bikes keep a low speed?",
               "Are walking and cycling kept apart?",
               "Are crossings and stops well lit?"],
    },
    "tillganglighet": {
        "sv": ["Kan man ta sig fram med rullstol, rollator eller barnvagn?",
               "Finns det trappor, kanter eller branta lutningar utan alternativ?",
               "Är underlaget jämnt och halkfritt?",
               "Finns det bänkar att vila på?"],
        "en": ["Can you get through with a wheelchair, walker or pram?",
               "Are there steps, kerbs or steep slopes without an alternative?",
               "Is the surface even and not slippery?",
               "Are there benches to rest on?"],
    },
}

#: Texts of the walk protocol (maps/walk_protocol.py): key → (Swedish, English).
WALK_PROTOCOL: dict[str, tuple[str, str]] = {
    "title": ("Trygghetsvandring: {area}", "Safety walk: {area}"),
    "title_date": ("Trygghetsvandring: {area}, {date}", "Safety walk: {area}, {date}"),
    "subtitle": ("Vandring {walk} · {stops} · {km} km", "Walk {walk} · {stops} · {km} km"),
    "banner_intern": ("Internt — innehåller rapporttexter, sprid inte",
                      "Internal — contains report texts, do not share"),
    "banner_publik": ("För deltagarna — utan rapporttexter",
                      "For the participants — without report texts"),
    "stop_one": ("stopp", "stop"), "stop_many": ("stopp", "stops"),
    "h_facts": ("Vandringen", "The walk"),
    "fact": ("Uppgift", "Item"), "value": ("Värde", "Value"),
    "n_stops": ("Antal stopp", "Number of stops"), "length": ("Längd", "Length"),
    "time": ("Tid (gång och stopp)", "Time (walking and stops)"),
    "start": ("Start", "Start"), "date": ("Datum", "Date"),
    "sunset": ("Solnedgång", "Sunset"),
    "dusk": ("Borgerlig skymning slutar", "End of civil twilight"),
    "dark_note": ("En vandring i mörker bör börja efter {dusk}, när den borgerliga skymningen "
                  "är slut: först då ser platserna ut som de gör på kvällen.",
                  "A walk after dark should start after {dusk}, when civil twilight has "
                  "ended: only then do the places look as they do in the evening."),
    "dark_note_nodate": ("En vandring i mörker bör börja efter skymningen (borgerlig skymning "
                         "slut); ange datum för att få tiden.",
                         "A walk after dark should start after dusk (the end of civil "
                         "twilight); give a date to get the time."),
    "minutes": ("{m} min", "{m} min"), "hours": ("{h} tim {m} min", "{h} h {m} min"),
    "km": ("{km} km", "{km} km"),
    "map_route": ("Rutt", "Route"), "map_stops": ("Stopp i ordning", "Stops in order"),
    "map_start": ("Start", "Start"), "map_area": ("Området", "The area"),
    "map_caption": ("Rutten med stoppen numrerade i gångordning. Skala och norrpil i kartan.",
                    "The route with the stops numbered in walking order. Scale bar and north "
                    "arrow in the map."),
    "h_stops_list": ("Stoppen", "The stops"),
    "col_stop": ("Stopp", "Stop"), "col_place": ("Plats", "Place"),
    "col_reports": ("Rapporter", "Reports"), "col_leg": ("Från förra", "From the last"),
    "col_origin": ("Varför", "Why"),
    "h_walked": ("Vilka gick och när", "Who walked and when"),
    "walked_intro": ("Fyll i vilka grupper som gick (inga namn) och om det var ljust eller "
                     "mörkt.",
                     "Tick which groups walked (no names) and whether it was light or dark."),
    "group": ("Grupp", "Group"), "light": ("Ljus/mörker", "Light/dark"),
    "walked_fields": ("Datum och tid|Antal deltagare|Organisationer som deltog",
                      "Date and time|Number of participants|Organisations taking part"),
    "h_stop": ("Stopp {stop}: {place}", "Stop {stop}: {place}"),
    "leg": ("{leg} från {previous}, {cum} från start.", "{leg} from {previous}, {cum} from "
            "the start."),
    "leg_first": ("{leg} från starten.", "{leg} from the start."),
    "leg_stop": ("stopp {n}", "stop {n}"),
    "origin": ("Valt som: {origin}.", "Chosen as: {origin}."),
    "h3_reported": ("Vad har rapporterats här", "What has been reported here"),
    "reported": ("{n} inom stoppets radie.", "{n} within the stop's radius."),
    "report_one": ("rapport", "report"), "report_many": ("rapporter", "reports"),
    "no_reports": ("Inga rapporter inom stoppets radie.",
                   "No reports within the stop's radius."),
    "category": ("Kategori", "Category"), "count": ("Antal", "Count"),
    "kinds": ("Per slag: {kinds}.", "By kind: {kinds}."),
    "h3_recent": ("Senaste rapporterna (internt)", "Latest reports (internal)"),
    "recent_note": ("Internt: rapporttexterna får inte läsas upp eller delas med deltagarna "
                    "utanför kommunen.",
                    "Internal: the report texts are not to be read out or shared with "
                    "participants outside the municipality."),
    "col_date": ("Datum", "Date"), "col_text": ("Text", "Text"),
    "h3_findings": ("Tidigare fynd och åtgärder", "Earlier findings and actions"),
    "col_status": ("Status", "Status"), "col_action": ("Åtgärd", "Action"),
    "col_action_status": ("Åtgärdens status", "Action status"),
    "h3_checklist": ("Titta efter", "What to look at"),
    "h3_notes": ("Anteckningar", "Notes"),
    "observation": ("Observation", "Observation"),
    "category_field": ("Kategori", "Category"),
    "h3_scores": ("Bedömning 0–3", "Rating 0–3"),
    "scores_caption": ("0 = dåligt, 3 = bra. Känsla av trygghet: hur trygg gruppen kände sig "
                       "här.",
                       "0 = poor, 3 = good. Feeling of safety: how safe the group felt here."),
    "parameter": ("Parameter", "Parameter"),
    "action": ("Åtgärdsförslag", "Proposed action"),
    "responsible": ("Ansvarig", "Responsible"), "priority": ("Prioritet", "Priority"),
    "photo": ("Fotoreferens", "Photo reference"),
    "footer": ("Gjord med Trygghetskartan {version}. Fyll i protokoll.xlsx efter vandringen "
               "och läs in det med trygg walk-import.",
               "Made with Trygghetskartan {version}. Fill in protokoll.xlsx after the walk and "
               "read it in with trygg walk-import."),
}

#: The situation picture (maps.lagesbild): key → (Swedish, English).
LAGESBILD: dict[str, tuple[str, str]] = {
    "title": ("Lägesbild {period}", "Situation picture {period}"),
    "subtitle": ("{project} · {first}–{last} · jämfört med {prev_first}–{prev_last} och "
                 "{year_first}–{year_last}",
                 "{project} · {first}–{last} · compared with {prev_first}–{prev_last} and "
                 "{year_first}–{year_last}"),
    "publik": ("Publik version — bara rapporter som får visas, inga tal under {k}",
               "Public version — only reports that may be shown, no number below {k}"),
    "h_summary": ("Sammanfattning", "Summary"),
    "summary": ("{n} rapporter under perioden, {prev} perioden före ({change_prev}) och "
                "{year} samma period förra året ({change_year}).",
                "{n} reports in the period, {prev} in the period before ({change_prev}) and "
                "{year} in the same period last year ({change_year})."),
    "more": ("fler, mer än slumpen", "more, beyond chance"),
    "fewer": ("färre, mer än slumpen", "fewer, beyond chance"),
    "chance": ("inom slumpens variation", "within chance"),
    "no_compare": ("ingen jämförelse", "no comparison"),
    "test_note": ("”Mer än slumpen”: ett exakt test för två Poissonantal (hänsyn till periodernas "
                  "längd), p < 0,05. Med många områden och kategorier blir någon skillnad "
                  "”signifikant” av en slump; läs dem som signaler att titta närmare på.",
                  "“Beyond chance”: an exact test of two Poisson counts (allowing for the "
                  "periods' lengths), p < 0.05. With many areas and categories some difference "
                  "passes by chance alone; read them as signals to look into."),
    "h_areas": ("Per område", "By area"),
    "areas_tatorter": ("Områden: tätorterna i projektet.", "Areas: the project's towns."),
    "areas_file": ("Områden: {file}.", "Areas: {file}."),
    "areas_none": ("Projektet har inga områden; hela kommunen räknas som ett.",
                   "The project has no areas; the whole municipality counts as one."),
    "h_categories": ("Per kategori", "By category"),
    "h_area_category": ("Område och kategori", "Area and category"),
    "h_hotspots": ("Hotspots: nya, kvarstående och upphörda",
                   "Hot spots: new, persisting and ended"),
    "hotspots_note": ("Gi*-hotspots (95 %, FDR) i rutor om {cell} m, perioden jämförd med "
                      "perioden före.",
                      "Gi* hot spots (95 %, FDR) in {cell} m cells, the period compared with "
                      "the period before."),
    "no_hotspots": ("För få rapporter för hotspots i perioderna.",
                    "Too few reports for hot spots in the periods."),
    "none_hot": ("Inga hotspots i perioden eller perioden före.",
                 "No hot spots in the period or the period before."),
    "h_places": ("De tio platserna med flest rapporter", "The ten places with most reports"),
    "h_profile": ("Veckodag och timme", "Weekday and hour"),
    "area": ("Område", "Area"), "category": ("Kategori", "Category"),
    "n": ("Perioden", "Period"), "previous": ("Perioden före", "Period before"),
    "year": ("Förra året", "Last year"), "vs_previous": ("Mot perioden före",
                                                           "Against the period before"),
    "vs_year": ("Mot förra året", "Against last year"), "place": ("Plats", "Place"),
    "reports": ("Rapporter", "Reports"), "top_category": ("Mest", "Most"),
    "status": ("Läge", "Status"), "cell": ("Ruta", "Cell"),
    "new": ("Ny", "New"), "persisting": ("Kvarstår", "Persisting"),
    "ended": ("Upphört", "Ended"), "total": ("Summa", "Total"),
    "fewer_than": ("färre än {k}", "fewer than {k}"),
    "h_indicators": ("Indikatorer för perioden", "Indicators of the period"),
    "_outside": ("Utanför områdena", "Outside the areas"),
    "_outside_towns": ("Utanför tätort", "Outside towns"),
    "_all": ("Hela kommunen", "The whole municipality"),
    "_other": ("Övriga områden", "Other areas"),
    "publik_folded": ("Områden och kategorier med färre än {k} rapporter i någon av "
                      "perioderna är sammanslagna (Övriga områden, Övrigt).",
                      "Areas and categories with fewer than {k} reports in any of the periods "
                      "are merged (Other areas, Other)."),
    "unknown_place": ("(utan namngiven plats)", "(no named place)"),
    "footer": ("Gjord med Trygghetskartan {version}.", "Made with Trygghetskartan {version}."),
    "weekdays": ("mån,tis,ons,tors,fre,lör,sön", "Mon,Tue,Wed,Thu,Fri,Sat,Sun"),
    "sheet_summary": ("Sammanfattning", "Summary"), "sheet_areas": ("Områden", "Areas"),
    "sheet_categories": ("Kategorier", "Categories"),
    "sheet_area_category": ("Område och kategori", "Area and category"),
    "sheet_hotspots": ("Hotspots", "Hot spots"), "sheet_places": ("Platser", "Places"),
    "sheet_profile": ("Veckodag och timme", "Weekday and hour"),
    "measure": ("Mått", "Measure"), "value": ("Värde", "Value"),
    "p_previous": ("p mot perioden före", "p against the period before"),
    "p_year": ("p mot förra året", "p against last year"),
}

#: The follow-up indicators (maps.indikatorer): key → (Swedish, English).
INDIKATORER: dict[str, tuple[str, str]] = {
    "title": ("Uppföljning: indikatorer", "Follow-up: indicators"),
    "subtitle": ("{project} · rapporter {first}–{last}", "{project} · reports {first}–{last}"),
    "h_klotter": ("Klotter stängt inom 48 timmar", "Graffiti closed within 48 hours"),
    "klotter_p": ("Av klotterrapporterna med stängningstid: andelen stängd inom 48 timmar "
                  "efter att den kom in (den kommunala regeln). {without} utan "
                  "stängningstid räknas inte.",
                  "Of the graffiti reports with a close time: the share closed within 48 "
                  "hours of coming in (the municipal rule). {without} without a close time "
                  "are not counted."),
    "no_close": ("Inga klotterrapporter har stängningstid.",
                 "No graffiti report has a close time."),
    "h_places": ("Rapporter kring offentliga mötesplatser",
                 "Reports around public meeting places"),
    "places_p": ("Rapporter inom {radius} m från busstationer, bibliotek, offentliga "
                 "toaletter och skolor ({where}), per år.",
                 "Reports within {radius} m of bus stations, libraries, public toilets and "
                 "schools ({where}), by year."),
    "places_gazetteer": ("platserna i ortsregistret, efter namn", "the gazetteer's places, "
                         "by name"),
    "places_layer": ("lagret {layer}", "the layer {layer}"),
    "no_places": ("Inga mötesplatser hittades (ge ett lager med --places).",
                  "No meeting places were found (give a layer with --places)."),
    "h_population": ("Rapporter per 1 000 invånare", "Reports per 1,000 inhabitants"),
    "years_note": ("Per kalenderår; första och sista året kan vara ofullständiga "
                   "(rapporterna går från {first} till {last}).",
                   "By calendar year; the first and last years may be incomplete (the "
                   "reports run from {first} to {last})."),
    "no_population": ("Ge ett lager med invånare per område (--population) för det här "
                      "måttet.",
                      "Give a layer with inhabitants per area (--population) for this "
                      "measure."),
    "h_dark": ("Upplevd otrygghet efter mörkrets inbrott och i dagsljus",
               "Perceived unsafety after dark and in daylight"),
    "dark_p": ("Rapporter om upplevd otrygghet: gjorda när solen stod mer än 6° under "
               "horisonten där de gjordes (mörkt) eller inte (dagsljus).",
               "Reports of perceived unsafety: made when the sun was more than 6° below the "
               "horizon where they were made (dark) or not (daylight)."),
    "no_dark": ("Inga rapporter om upplevd otrygghet med tid och plats.",
                "No reports of perceived unsafety with a time and place."),
    "year": ("År", "Year"), "all": ("Alla år", "All years"),
    "n_closed": ("Med stängningstid", "With a close time"),
    "within": ("Inom 48 h", "Within 48 h"), "share": ("Andel", "Share"),
    "place": ("Plats", "Place"), "type": ("Typ", "Type"), "total": ("Summa", "Total"),
    "area": ("Område", "Area"), "inhabitants": ("Invånare", "Inhabitants"),
    "reports": ("Rapporter", "Reports"), "per_1000": ("per 1 000", "per 1,000"),
    "dark": ("Mörkt", "Dark"), "daylight": ("Dagsljus", "Daylight"),
    "share_dark": ("Andel i mörker", "Share after dark"),
    "busstation": ("Busstation/hållplats", "Bus station/stop"),
    "bibliotek": ("Bibliotek", "Library"), "toalett": ("Offentlig toalett", "Public toilet"),
    "skola": ("Skola", "School"),
    "footer": ("Gjord med Trygghetskartan {version}.", "Made with Trygghetskartan {version}."),
    "ind_klotter": ("Klotter stängt inom 48 timmar", "Graffiti closed within 48 hours"),
    "ind_dark": ("Upplevd otrygghet efter mörkrets inbrott", "Perceived unsafety after dark"),
    "ind_measure": ("Mått", "Measure"), "ind_n": ("Underlag (rapporter)", "Basis (reports)"),
    "sheet_klotter": ("Klotter 48 h", "Graffiti 48 h"),
    "sheet_places": ("Mötesplatser", "Meeting places"),
    "sheet_population": ("Per 1000 invånare", "Per 1000 inhabitants"),
    "sheet_dark": ("Otrygghet mörker", "Unsafety dark"),
}

#: The region view (maps.region): key → (Swedish, English).
REGION: dict[str, tuple[str, str]] = {
    "title": ("Regionen: {name}", "The region: {name}"),
    "subtitle": ("{project} · {n} rapporter i {k} kommuner", "{project} · {n} reports in "
                 "{k} municipalities"),
    "h_map": ("Rapporter per kommun", "Reports by municipality"),
    "map_caption_pop": ("Rapporter per 1 000 invånare, fem klasser (kvintiler).",
                        "Reports per 1,000 inhabitants, five classes (quintiles)."),
    "map_caption_n": ("Antal rapporter, fem klasser (kvintiler).",
                      "Number of reports, five classes (quintiles)."),
    "municipality": ("Kommun", "Municipality"), "code": ("Kod", "Code"),
    "reports": ("Rapporter", "Reports"), "inhabitants": ("Invånare", "Inhabitants"),
    "per_1000": ("Per 1 000 invånare", "Per 1,000 inhabitants"),
    "h_categories": ("Per kommun och kategori", "By municipality and category"),
    "categories_p": ("De vanligaste kategorierna i regionen.",
                     "The region's most common categories."),
    "h_years": ("Per kommun och år", "By municipality and year"),
    "h_unassigned": ("Utan kommun", "Without a municipality"),
    "unassigned_p": ("Rapporter som anger hela länet eller en plats utanför regionen; de "
                     "räknas inte per kommun.",
                     "Reports naming the whole county or a place outside the region; they "
                     "are not counted by municipality."),
    "place": ("Anges som", "Given as"), "other": ("Övriga kategorier", "Other categories"),
    "boundaries": ("Kommungränser: Valmyndigheten (förenklade, fria att återanvända).",
                   "Municipal boundaries: Valmyndigheten (simplified, free to reuse)."),
    "footer": ("Gjord med Trygghetskartan {version}.", "Made with Trygghetskartan {version}."),
    "sheet_municipalities": ("Kommuner", "Municipalities"),
    "sheet_categories": ("Kategorier", "Categories"), "sheet_years": ("År", "Years"),
    "sheet_unassigned": ("Utan kommun", "Without municipality"),
}

#: The planning input (maps.plan): key → (Swedish, English).
PLAN: dict[str, tuple[str, str]] = {
    "title": ("Trygghetsunderlag: {name}", "Safety input: {name}"),
    "subtitle": ("{project} · underlag för SKA-verktygets trygghetsavsnitt och BoTryggt2030",
                 "{project} · input for the SKA tool's safety section and BoTryggt2030"),
    "h_summary": ("Vad som rapporterats", "What has been reported"),
    "summary": ("{inside} rapporter i området och {zone} i området och inom {m} m "
                "omkring, {first}–{last}.",
                "{inside} reports in the area and {zone} in the area and within {m} m "
                "around it, {first}–{last}."),
    "map_area": ("Planområdet", "The plan area"), "map_buffer": ("Inom {m} m", "Within {m} m"),
    "map_hot": ("Hotspotområden", "Hot spot areas"),
    "map_caption": ("Rapporter {first}–{last} efter typ.", "Reports {first}–{last} by kind."),
    "png_caption": ("Trygghetskartan · rapporter {first}–{last} · {crs}",
                    "Trygghetskartan · reports {first}–{last} · {crs}"),
    "h_compare": ("Jämfört med kommunen", "Compared with the municipality"),
    "area": ("Området", "The area"), "kommun": ("Kommunen", "The municipality"),
    "per_km2": ("Rapporter per km²", "Reports per km²"),
    "inhabitants": ("Invånare", "Inhabitants"),
    "per_1000": ("Rapporter per 1 000 invånare", "Reports per 1,000 inhabitants"),
    "trend": ("Trend i området och omkring: {last} rapporter de senaste tolv månaderna mot "
              "{before} de tolv före (p = {p}, exakt test för två Poissonantal).",
              "Trend in and around the area: {last} reports in the last twelve months "
              "against {before} in the twelve before (p = {p}, exact test of two Poisson "
              "counts)."),
    "h_categories": ("Per kategori, typ, år och tid på dygnet",
                     "By category, kind, year and time of day"),
    "inside": ("I området", "In the area"), "buffer": ("Inom {m} m", "Within {m} m"),
    "category": ("Kategori", "Category"), "kind": ("Typ", "Kind"), "year": ("År", "Year"),
    "time_of_day": ("Tid på dygnet", "Time of day"),
    "tod_natt": ("Natt 22–06", "Night 22–06"), "tod_morgon": ("Morgon 06–10", "Morning 06–10"),
    "tod_dag": ("Dag 10–18", "Day 10–18"), "tod_kvall": ("Kväll 18–22", "Evening 18–22"),
    "h_aspects": ("BoTryggt2030: aspekterna", "BoTryggt2030: the aspects"),
    "aspects_p": ("Rapporterna i området och omkring efter de aspekter deras kategori berör "
                  "(en rapport kan beröra flera), med frågorna planen behöver svara på.",
                  "The reports in and around the area by the aspects their category concerns "
                  "(a report may concern several), with the questions the plan needs to "
                  "answer."),
    "aspect_n": ("{n} rapporter ({inside} i området)", "{n} reports ({inside} in the area)"),
    "aspect_top": ("Mest: {cats}.", "Most: {cats}."),
    "aspect_gestaltning": ("Gestaltning", "Design"),
    "aspect_mix_funktioner": ("Mix av funktioner", "Mix of functions"),
    "aspect_mix_manniskor": ("Mix av människor", "Mix of people"),
    "aspect_tydlighet": ("Tydlighet", "Legibility"),
    "aspect_social_kontroll": ("Social kontroll", "Natural surveillance"),
    "aspect_belysning": ("Belysning", "Lighting"), "aspect_skalskydd": ("Skalskydd",
                                                                        "Target hardening"),
    "aspect_forvaltning": ("Förvaltning", "Management and maintenance"),
    "aspect_information": ("Information", "Information"),
    "aspect": ("Aspekt", "Aspect"), "reports": ("Rapporter", "Reports"),
    "top": ("Vanligaste kategorier", "Most common categories"),
    "questions": ("Frågor", "Questions"),
    "h_hotspots": ("Hotspots och trender", "Hot spots and trends"),
    "hotspot": ("Hotspotområde", "Hot spot area"), "rank": ("Rang", "Rank"),
    "no_hotspots": ("Inget hotspotområde berör området.",
                    "No hot spot area touches the area."),
    "pattern": ("Trend (rutor som berör området)", "Trend (cells touching the area)"),
    "cells": ("Rutor", "Cells"),
    "h_walks": ("Trygghetsvandringar och åtgärder", "Safety walks and actions"),
    "walks_p": ("{findings} fynd från trygghetsvandringar i området och omkring; {actions} "
                "åtgärder är inte klara.",
                "{findings} findings from safety walks in and around the area; {actions} "
                "actions are not done."),
    "action": ("Åtgärd", "Action"), "responsible": ("Ansvarig", "Responsible"),
    "deadline": ("Senast klart", "Deadline"),
    "h_cameras": ("Kamerabevakning", "Camera surveillance"),
    "h_indicators": ("Indikatorer i området och omkring", "Indicators in and around the area"),
    "cameras_p": ("{register} kameror i förteckningen och {proposed} föreslagna platser i "
                  "området och omkring; föreslagna kameror skulle se {cover} av området.",
                  "{register} cameras in the register and {proposed} proposed sites in and "
                  "around the area; proposed cameras would see {cover} of the area."),
    "footer": ("Gjord med Trygghetskartan {version}.", "Made with Trygghetskartan {version}."),
    "sheet_categories": ("Kategorier", "Categories"), "sheet_kinds": ("Typer", "Kinds"),
    "sheet_years": ("År", "Years"), "sheet_times": ("Tid på dygnet", "Time of day"),
    "sheet_aspects": ("BoTryggt2030", "BoTryggt2030"),
}

#: The questions of each BoTryggt2030 aspect for a plan area (sv, en).
PLAN_QUESTIONS: dict[str, dict[str, list[str]]] = {
    "gestaltning": {
        "sv": ["Ger byggnader, entréer och fönster överblick över gator, stråk och platser?",
               "Finns skymda hörn, baksidor eller vegetation som skymmer sikten?"],
        "en": ["Do buildings, entrances and windows overlook streets, paths and places?",
               "Are there hidden corners, back sides or vegetation blocking the view?"]},
    "mix_funktioner": {
        "sv": ["Finns verksamheter som ger liv under fler av dygnets timmar?",
               "Finns mötesplatser som inbjuder till vistelse utan att bli samlingsplatser "
               "för stök?"],
        "en": ["Are there activities that bring life at more hours of the day?",
               "Are there meeting places that invite people to stay without becoming places "
               "of disorder?"]},
    "mix_manniskor": {
        "sv": ["Blandas upplåtelseformer, storlekar och åldrar?",
               "Är platserna till för flera grupper (kvinnor, män, unga, äldre)?"],
        "en": ["Are tenures, sizes and ages mixed?",
               "Are the places for several groups (women, men, young, old)?"]},
    "tydlighet": {
        "sv": ["Är det lätt att hitta och att se var stråken leder?",
               "Är det tydligt vad som är offentligt och vad som är privat?"],
        "en": ["Is it easy to find the way and to see where paths lead?",
               "Is it clear what is public and what is private?"]},
    "social_kontroll": {
        "sv": ["Kan man se och bli sedd längs de stråk som används kvällstid?",
               "Finns alternativa vägar förbi platser som upplevs otrygga?"],
        "en": ["Can people see and be seen along the paths used in the evening?",
               "Are there other ways past the places felt to be unsafe?"]},
    "belysning": {
        "sv": ["Är gångstråk, entréer och hållplatser jämnt belysta utan bländning?",
               "Lyser belysningen upp ansikten och omgivning, inte bara marken?"],
        "en": ["Are paths, entrances and stops evenly lit without glare?",
               "Does the lighting show faces and surroundings, not only the ground?"]},
    "skalskydd": {
        "sv": ["Är entréer, förråd, cykel- och bilparkering skyddade mot inbrott och "
               "skadegörelse?",
               "Är material och detaljer tåliga mot klotter och åverkan?"],
        "en": ["Are entrances, storage, cycle and car parking protected against burglary "
               "and vandalism?",
               "Are materials and details resistant to graffiti and damage?"]},
    "forvaltning": {
        "sv": ["Vem sköter platserna, och finns det resurser för snabb sanering och "
               "reparation?",
               "Är vegetationen planerad för skötsel så att sikten hålls öppen?"],
        "en": ["Who looks after the places, and are there means for quick cleaning and "
               "repair?",
               "Is the planting planned for upkeep so that sight lines stay open?"]},
    "information": {
        "sv": ["Får de boende och verksamma information om förändringar och vem de kan "
               "kontakta?",
               "Finns skyltning och orienteringsinformation där den behövs?"],
        "en": ["Do residents and businesses get information about changes and whom to "
               "contact?",
               "Is there signage and orientation information where it is needed?"]},
}


#: Texts of trygg serve (maps/server.py, maps/web/*): key → (Swedish, English). Keys
#: starting with ``page_`` reach the reporting page's script as data.
SERVE: dict[str, tuple[str, str]] = {
    "title": ("Rapportera en otrygg plats", "Report an unsafe place"),
    "intro": ("Berätta om en plats som känns otrygg eller något som behöver åtgärdas, t.ex. "
              "trasig belysning, klotter eller skräp. Akut fara? Ring 112.",
              "Tell us about a place that feels unsafe or something that needs fixing, e.g. "
              "broken lighting, graffiti or litter. In danger now? Call 112."),
    "where": ("1. Var?", "1. Where?"),
    "where_help": ("Klicka eller tryck på kartan, använd din position eller sök en adress.",
                   "Click or tap the map, use your position or search for an address."),
    "search": ("Sök adress eller plats", "Search for an address or place"),
    "search_button": ("Sök", "Search"),
    "my_position": ("Använd min position", "Use my position"),
    "what": ("2. Vad?", "2. What?"),
    "category": ("Kategori", "Category"),
    "choose": ("Välj kategori", "Choose a category"),
    "description": ("Beskriv vad som är fel", "Describe what is wrong"),
    "description_help": ("Skriv inte namn på andra personer.",
                         "Do not write other people's names."),
    "photo": ("Bild (valfri, JPEG/PNG/WebP, högst 5 MB)",
              "Photo (optional, JPEG/PNG/WebP, at most 5 MB)"),
    "contact": ("3. Kontakt (valfritt)", "3. Contact (optional)"),
    "email": ("E-post, om du vill att vi kan nå dig", "E-mail, if you want us to reach you"),
    "honeypot": ("Lämna tomt", "Leave empty"),
    "send": ("Skicka rapporten", "Send the report"),
    "privacy_title": ("Så hanterar vi dina uppgifter", "How we handle your details"),
    "privacy": ("Vi sparar platsen, kategorin och din beskrivning för kommunens "
                "trygghetsarbete. En bild sparas utan kamerans uppgifter (ingen position "
                "eller tid). Bild och kontaktuppgifter raderas {days} dagar efter att "
                "rapporten granskats. Offentligt visas bara ärendets status och ungefärliga "
                "plats (cirka 100 m), aldrig din text, bild eller kontakt.",
                "We keep the place, the category and your description for the municipality's "
                "safety work. A photo is kept without the camera's details (no position or "
                "time). Photos and contact details are deleted {days} days after the report "
                "has been reviewed. Only the request's status and approximate place (about "
                "100 m) are shown publicly, never your text, photo or contact."),
    "follow": ("Följ ett ärende", "Follow a request"),
    "follow_label": ("Ärendenummer", "Request number"),
    "follow_button": ("Visa status", "Show status"),
    "staff_link": ("För personal", "For staff"),
    "page_chosen": ("Vald plats: {lat}, {lon}", "Chosen place: {lat}, {lon}"),
    "page_no_place": ("Välj en plats på kartan först.", "Choose a place on the map first."),
    "page_sending": ("Skickar …", "Sending …"),
    "page_thanks": ("Tack! Ditt ärendenummer är {id}. Spara det för att följa ärendet.",
                    "Thank you! Your request number is {id}. Keep it to follow the request."),
    "page_failed": ("Det gick inte att skicka: {error}", "Could not send: {error}"),
    "page_no_hits": ("Hittade ingen plats med det namnet.", "Found no place by that name."),
    "page_no_position": ("Din position gick inte att hämta.", "Your position could not be found."),
    "page_status": ("Status: {status}. {note}", "Status: {status}. {note}"),
    "page_open": ("öppen", "open"),
    "page_closed": ("avslutad", "closed"),
    "page_unknown": ("Hittade inget ärende med det numret.", "Found no request with that number."),
    "page_too_big": ("Bilden är större än 5 MB.", "The photo is larger than 5 MB."),
    "page_marker": ("Vald plats", "Chosen place"),
    "page_map": ("Karta: klicka för att välja plats", "Map: click to choose the place"),
    "received": ("Tack, rapporten är mottagen och granskas.",
                 "Thank you, the report has been received and will be reviewed."),
    "unknown_request": ("Okänt ärende.", "Unknown request."),
    "unknown_format": ("Okänt format: Open311 svarar i .json eller .xml.",
                       "Unknown format: Open311 answers in .json or .xml."),
    "form_only": ("Skicka fälten som formulär (application/x-www-form-urlencoded eller "
                  "multipart/form-data).",
                  "Send the fields as a form (application/x-www-form-urlencoded or "
                  "multipart/form-data)."),
    "too_large": ("Förfrågan är för stor (högst 5 MB bild).",
                  "The request is too large (at most a 5 MB photo)."),
    "slow_down": ("För många förfrågningar; vänta en minut och försök igen.",
                  "Too many requests; wait a minute and try again."),
    "login": ("Logga in", "Log in"),
    "login_title": ("Inloggning för personal", "Staff login"),
    "user": ("Användarnamn", "User name"),
    "password": ("Lösenord", "Password"),
    "bad_login": ("Fel användarnamn eller lösenord.", "Wrong user name or password."),
    "csrf": ("Formuläret har gått ut; ladda om sidan och försök igen.",
             "The form has expired; reload the page and try again."),
    "login_first": ("Logga in först.", "Log in first."),
    "logout": ("Logga ut", "Log out"),
    "staff_title": ("Granska inkomna rapporter", "Review incoming reports"),
    "new_reports": ("Nya rapporter att granska", "New reports to review"),
    "none_new": ("Inga nya rapporter.", "No new reports."),
    "received_at": ("Mottagen", "Received"),
    "place": ("Plats", "Place"),
    "contact_short": ("Kontakt", "Contact"),
    "show_photo": ("Visa bild", "Show photo"),
    "approve": ("Godkänn", "Approve"),
    "merge": ("Slå ihop med", "Merge with"),
    "merge_button": ("Slå ihop", "Merge"),
    "no_near": ("Inga rapporter inom 75 m.", "No reports within 75 m."),
    "reject": ("Avvisa", "Reject"),
    "reason": ("Skäl (visas för den som rapporterade)", "Reason (shown to the resident)"),
    "reviewed": ("Granskade", "Reviewed"),
    "report_status": ("Rapportens status", "Report status"),
    "set_status": ("Ändra", "Change"),
    "status_open": ("Öppen", "Open"),
    "status_closed": ("Avslutad", "Closed"),
    "state_approved": ("godkänd", "approved"),
    "state_merged": ("sammanslagen", "merged"),
    "state_rejected": ("avvisad", "rejected"),
    "done_ok": ("Klart: {id}.", "Done: {id}."),
    "no_photo": ("Ingen bild.", "No photo."),
}

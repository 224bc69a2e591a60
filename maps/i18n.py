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

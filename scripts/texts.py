"""Every text of the ``trygg`` command, Swedish and English: one catalogue.

- :data:`HELP`: the help of the command, its subcommands, options and arguments;
- :data:`MESSAGES`: what the commands print (summaries, notes, hints);
- :data:`FRAMEWORK`: the words the argument parser itself writes — "Usage:",
  "Options:", "[default: …]", "Show this message and exit.", and its mistakes ("No such
  command", "Missing argument", "Invalid value for …") — which typer (its own copy of
  click) writes in English only; :mod:`trygg.cli` puts these in their place.

Each entry is key → (Swedish, English); ``{name}`` fields are filled in by the caller.
Numbers in them go through :mod:`trygg.geo.text`, codes through :mod:`trygg.layers.labels`.
Light to import (no third-party module): ``trygg --help`` reads it.
"""

from __future__ import annotations

__all__ = ["ARG_NAMES", "FRAMEWORK", "GAZETTEER_KINDS", "HELP", "MESSAGES", "SHORT_HELP",
           "STEPS", "TYPE_NAMES", "text"]


def text(table: dict[str, tuple[str, str]], key: str, lang: str | None = "sv",
         **fields: object) -> str:
    """Entry ``key`` of ``table`` in ``lang`` (``"en"`` or Swedish), formatted with ``fields``."""
    sv, en = table[key]
    return (en if lang == "en" else sv).format(**fields) if fields else (
        en if lang == "en" else sv)


#: Help texts: key → (Swedish, English).
HELP = {
    "app": ("Trygghetskartan: samla rapporter om otrygga platser (EST, Tyck till, "
            "trygghetsvandringar) i ett projekt och gör kartor som fungerar utan internet.",
            "Trygghetskartan: gather reports of unsafe places (EST, Tyck till, safety "
            "walks) into a project and make maps that work offline."),
    "lang": ("Språk för hjälp, meddelanden och kartor: sv eller en.",
             "Language of help, messages and maps: sv or en."),
    "version": ("Visa vilken version av trygg som är installerad och avsluta.",
                "Show which version of trygg is installed and exit."),
    "project": ("Projektet: en GeoPackage-fil (.gpkg) eller en PostGIS-databas "
                "(postgresql://ANVÄNDARE@VÄRD/DATABAS).",
                "The project: a GeoPackage file (.gpkg) or a PostGIS database "
                "(postgresql://USER@HOST/DATABASE)."),
    "init": ("Skapa ett nytt, tomt projekt: en GeoPackage-fil eller, med en postgresql://-"
             "adress, i en PostGIS-databas (som skapas om den saknas).",
             "Create a new, empty project: a GeoPackage file or, given a postgresql:// "
             "address, in a PostGIS database (created when missing)."),
    "migrate": ("Kopiera ett projekt till en annan lagring, t.ex. från GeoPackage till "
                "PostGIS: trygg migrate kommun.gpkg postgresql://värd/kommun. Allt kopieras i "
                "en transaktion och raderna räknas i båda.",
                "Copy a project to another store, e.g. from a GeoPackage to PostGIS: trygg "
                "migrate kommun.gpkg postgresql://host/kommun. Everything is copied in one "
                "transaction and the rows are counted in both."),
    "migrate_target": ("Vart kopian ska: en postgresql://-adress eller en .gpkg-fil.",
                       "Where the copy goes: a postgresql:// address or a .gpkg file."),
    "serve": ("Starta webbtjänsten för projektet: en sida där invånare rapporterar "
              "otrygga platser, Open311 GeoReport v2 (/open311/v2/) för appar och sidor där "
              "personal granskar rapporterna (/staff). Stoppa med Ctrl-C.",
              "Start the web service of the project: a page where residents report unsafe "
              "places, Open311 GeoReport v2 (/open311/v2/) for apps and pages where staff "
              "review the reports (/staff). Stop with Ctrl-C."),
    "serve_host": ("Adressen att lyssna på (127.0.0.1: bara den här datorn).",
                   "The address to listen on (127.0.0.1: this computer only)."),
    "serve_port": ("Porten att lyssna på.", "The port to listen on."),
    "serve_from": ("Fyll en tom PostGIS-databas med det här projektet först (som trygg "
                   "migrate); finns ett projekt redan används det.",
                   "Fill an empty PostGIS database with this project first (as trygg "
                   "migrate does); a project already there is used as it is."),
    "serve_background": ("Kommunens egna kartfiler (gator, byggnader, tätorter …) under "
                         "kartan på rapportsidan, som i trygg map --background; får anges "
                         "flera gånger.",
                         "The municipality's own map files (streets, buildings, towns …) "
                         "beneath the reporting page's map, as in trygg map --background; "
                         "may be given more than once."),
    "serve_rate": ("Högsta antal rapporter per klient och minut (0: ingen gräns).",
                   "Most reports per client and minute (0: no limit)."),
    "staff": ("Personal som får logga in i trygg serve: add NAMN lägger till (lösenordet "
              "frågas efter, eller tas ur TRYGG_PASSWORD; samma namn igen byter lösenord), "
              "remove NAMN tar bort, list visar dem.",
              "Staff who may log in to trygg serve: add NAME adds one (the password is asked "
              "for, or taken from TRYGG_PASSWORD; the same name again changes the password), "
              "remove NAME removes one, list shows them."),
    "staff_action": ("add, remove eller list.", "add, remove or list."),
    "staff_user": ("Användarnamnet.", "The user name."),
    "users": ("Databasanvändare i ett PostGIS-projekt: add NAMN --role intern --organisation "
              "ORG skapar en inloggning (lösenordet frågas efter, eller tas ur "
              "TRYGG_PASSWORD); share ORG --with ANNAN låter ANNAN läsa ORG:s interna "
              "rapporter.",
              "Database users of a PostGIS project: add NAME --role intern --organisation ORG "
              "creates a login (the password is asked for, or taken from TRYGG_PASSWORD); "
              "share ORG --with OTHER lets OTHER read ORG's intern reports."),
    "users_action": ("add eller share.", "add or share."),
    "users_name": ("Användaren (add) eller organisationen (share).",
                   "The user (add) or the organisation (share)."),
    "users_role": ("Roll: admin, intern eller publik.", "Role: admin, intern or publik."),
    "users_org": ("Organisationen en intern användare hör till, t.ex. Polisen.",
                  "The organisation of an intern user, e.g. Polisen."),
    "users_with": ("Organisationen som får läsa (share).", "The organisation that may read "
                   "(share)."),
    "overwrite_project": ("Ersätt ett projekt som redan finns där.",
                          "Replace a project already there."),
    "name": ("Projektets namn, t.ex. kommunens: \"Norrtälje kommun\".",
             "Project name, e.g. the municipality's: \"Norrtälje kommun\"."),
    "crs": ("Projektets koordinatsystem (projicerat, meter). Standard EPSG:3006 (SWEREF 99 TM).",
            "Project coordinate system (projected, metres). Default EPSG:3006 (SWEREF 99 TM)."),
    "area": ("Fil med projektområdet (t.ex. kommungränsen); punkter utanför dess utbredning "
             "plus marginal avvisas. Utan: hela Sverige.",
             "File with the project area (e.g. the municipal boundary); points outside its "
             "extent plus margin are rejected. Without: all of Sweden."),
    "margin": ("Marginal runt projektområdet i meter.", "Margin around the project area, metres."),
    "overwrite": ("Ersätt en befintlig fil.", "Replace an existing file."),
    "ingest": ("Läs in en fil med rapporter i projektet.", "Ingest a file of reports."),
    "file": ("Filen att läsa in (CSV, XLSX, GeoJSON, GeoPackage, Shapefile).",
             "The file to ingest (CSV, XLSX, GeoJSON, GeoPackage, Shapefile)."),
    "source": ("Typ av källa: table (vilken punkttabell som helst), tycktill, est, walk, "
               "open311 eller polisen.",
               "Kind of source: table (any table of points), tycktill, est, walk, open311 "
               "or polisen."),
    "map_opt": ("Kolumnmappning FÄLT=KOLUMN, t.ex. --map reported_at=Skapad. Kan upprepas.",
                "Column mapping FIELD=COLUMN, e.g. --map reported_at=Created. Repeatable."),
    "profile": ("TOML-profil med [columns], [categories] och crs.",
                "TOML profile with [columns], [categories] and crs."),
    "in_crs": ("Koordinatsystem för filens koordinater, t.ex. EPSG:3011. Annars gissas "
               "WGS84, SWEREF 99 TM eller RT 90.",
               "Coordinate system of the file's coordinates, e.g. EPSG:3011. Otherwise "
               "WGS84, SWEREF 99 TM or RT 90 is detected."),
    "sheet": ("Läs bara detta blad i en XLSX-fil.", "Read only this sheet of an XLSX file."),
    "ingest_force": ("Läs in även om filens kolumner ser ut att höra till en annan källa.",
                     "Ingest even when the file's columns look like another source."),
    "dayfirst": ("Läs datum som 5/1/2025 och 05.01.2025 som 5 januari (annars avvisas de "
                 "som tvetydiga).",
                 "Read dates such as 5/1/2025 and 05.01.2025 as 5 January (otherwise they "
                 "are rejected as ambiguous)."),
    "max_rows": ("Högsta antal rader (poster) i filen; standard 1\u00a0000\u00a0000. Större filer "
                 "vägras innan de läses.",
                 "Most rows (records) in the file; default 1,000,000. Larger files are "
                 "refused before they are read."),
    "hidden_sheets": ("Läs även dolda blad i en XLSX-fil.",
                      "Also read hidden sheets of an XLSX file."),
    "in_layer": ("Lagret att läsa i en fil med flera lager (GeoPackage).",
                 "The layer to read from a file with several layers (GeoPackage)."),
    "gazetteer": ("Lägg till adresser, platser, gator och orter i projektets ortsregister "
                  "(för geokodning utan internet).",
                  "Add addresses, places, streets and towns to the project's gazetteer "
                  "(for offline geocoding)."),
    "gaz_file": ("Geodatafil med adresspunkter, namngivna platser (med alias), gator eller "
                 "orter.",
                 "Vector file with address points, named places (with aliases), streets or "
                 "towns."),
    "kind": ("Slag: addresses, places, streets eller areas. Gissas annars per lager.",
             "Kind: addresses, places, streets or areas. Guessed per layer otherwise."),
    "gaz_layer": ("Läs bara detta lager.", "Read only this layer."),
    "geocode": ("Geokoda rapporter som saknar läge, t.ex. efter att ortsregistret vuxit.",
                "Geocode reports without a location, e.g. after the gazetteer grew."),
    "overrides": ("Fil med manuella lägen (plats;x;y) som gäller vid varje körning.",
                  "File of manual locations (place;x;y) honoured on every run."),
    "hotspots": ("Hitta platserna där rapporterna samlas: räkning, täthet (KDE), Gi*, "
                 "hotspotområden, förändring, trender och skillnad otrygghet/brott.",
                 "Find where reports concentrate: counts, density (KDE), Gi*, hotspot areas, "
                 "change, trends and unsafety/crime divergence."),
    "method": ("Metod: count, kde, gistar, clusters, change, emerging eller divergence.",
               "Method: count, kde, gistar, clusters, change, emerging or divergence."),
    "run_name": ("Namn på körningen (lagren heter grid_NAMN / hotspots_NAMN).",
                 "Name of the run (layers are called grid_NAME / hotspots_NAME)."),
    "cell": ("Cellstorlek i meter (väljs automatiskt annars).",
             "Cell size in metres (chosen automatically otherwise)."),
    "grid": ("square, hex eller en fil med egna rutor (t.ex. SCB:s 250 m-rutor, DeSO).",
             "square, hex or a file of your own cells (e.g. SCB's 250 m squares, DeSO)."),
    "category": ("Bara dessa kategorier (kod, t.ex. klotter). Kan upprepas.",
                 "Only these categories (code, e.g. klotter). Repeatable."),
    "sel_source": ("Bara dessa källor (est, tycktill, walk …). Kan upprepas.",
                   "Only these sources (est, tycktill, walk …). Repeatable."),
    "sel_kind": ("Bara brott, otrygghet eller brist. Kan upprepas.",
                 "Only brott, otrygghet or brist. Repeatable."),
    "since": ("Från och med: ett datum ÅÅÅÅ-MM-DD, en vecka 2025-W37, en månad 2025-09 "
              "eller ett kvartal 2025-Q3 (dess första dag).",
              "From: a date YYYY-MM-DD, a week 2025-W37, a month 2025-09 or a quarter "
              "2025-Q3 (its first day)."),
    "until": ("Till och med: ett datum ÅÅÅÅ-MM-DD, en vecka, månad eller ett kvartal (dess "
              "sista dag).",
              "Up to and including: a date YYYY-MM-DD, a week, month or quarter (its last "
              "day)."),
    "hours": ("Tid på dygnet FRÅN-TILL, t.ex. 18-06.", "Time of day FROM-TO, e.g. 18-06."),
    "weights": ("Vikta rapporterna med kategorins vikt.", "Weigh reports by category weight."),
    "half_life": ("Halveringstid i dagar: äldre rapporter väger mindre.",
                  "Half-life in days: older reports weigh less."),
    "bandwidth": ("KDE: bandbredd i meter.", "KDE: bandwidth in metres."),
    "kernel": ("KDE: kärna quartic eller gaussian.", "KDE: kernel quartic or gaussian."),
    "nb_dist": ("Gi*: grannskap inom så många meter (standard: cellen och dess 8 grannar).",
                "Gi*: neighbourhood within this many metres (default: the cell and its 8 "
                "neighbours)."),
    "p_adjust": ("Gi*: korrigering för många test: fdr, bonferroni eller none.",
                 "Gi*: multiple-testing correction: fdr, bonferroni or none."),
    "cluster_method": ("Hotspotområden: dbscan, hdbscan eller gistar.",
                       "Hotspot areas: dbscan, hdbscan or gistar."),
    "period": ("Trender: periodlängd, t.ex. 3M.", "Trends: period length, e.g. 3M."),
    "period_a": ("Förändring: första perioden FRÅN:TILL, båda med, t.ex. 2024-01:2024-06, "
                 "2024-01-01:2024-06-30 eller 2024-Q3 (FRÅN/TILL: TILL inte med).",
                 "Change: first period FROM:TO, both included, e.g. 2024-01:2024-06, "
                 "2024-01-01:2024-06-30 or 2024-Q3 (FROM/TO: TO excluded)."),
    "period_b": ("Förändring: andra perioden FRÅN:TILL, t.ex. 2025-Q3.",
                 "Change: second period FROM:TO, e.g. 2025-Q3."),
    "same_period": ("Förändring: senaste kvartalet mot samma kvartal året innan.",
                    "Change: the latest quarter against the same quarter a year earlier."),
    "map": ("Gör en interaktiv karta (en HTML-fil som fungerar utan internet).",
            "Make an interactive map (one HTML file that works offline)."),
    "out_map": ("HTML-filen att skriva.", "The HTML file to write."),
    "background": ("Geodatafil att rita som grå bakgrund (gator, byggnader). Kan upprepas.",
                   "Vector file drawn as a grey background (streets, buildings). Repeatable."),
    "runs": ("Hotspotkörningar att visa (standard: senaste Gi* och hotspotområden). Kan "
             "upprepas.",
             "Hotspot runs to show (default: the latest Gi* and hotspot areas). Repeatable."),
    "basemap": ("Bakgrundskarta: none (ingen, fungerar utan internet), osm eller en "
                "XYZ/WMTS-adress med {z}/{x}/{y} (kräver internet).",
                "Basemap: none (works offline), osm or an XYZ/WMTS URL with {z}/{x}/{y} "
                "(needs the internet)."),
    "attribution": ("Upphovsrätt för bakgrundskartan, t.ex. \"© Lantmäteriet\".",
                    "Attribution of the basemap, e.g. \"© Lantmäteriet\"."),
    "max_points": ("Fler rapporter än så visas som antal per ruta i stället för punkter.",
                   "More reports than this are shown as counts per cell instead of points."),
    "cluster_min": ("Fler rapporter än så (efter filter) visas som kluster med antal när "
                    "kartan är utzoomad.",
                    "More reports than this (after filtering) are shown as clusters with "
                    "counts when the map is zoomed out."),
    "audience": ("Vem kartan är till för: intern (alla rapporter, personuppgifter) eller "
                 "publik (bara sammanställda antal per ruta, inga texter).",
                 "Who the map is for: intern (all reports, personal data) or publik "
                 "(aggregated counts per cell only, no texts)."),
    "min_count": ("Minsta antal rapporter som visas på en publik karta (k).",
                  "Smallest number of reports shown on a public map (k)."),
    "export": ("Exportera ett lager till .gpkg, .geojson, .csv, .xlsx eller .tif (KDE).",
               "Export a layer to .gpkg, .geojson, .csv, .xlsx or .tif (KDE)."),
    "columns": ("Kolumner i .csv/.xlsx: sv (rubriker och värden i klartext, engelska med "
                "--lang en; standard) eller codes (projektets kolumnnamn och koder). .gpkg, "
                ".geojson och .tif behåller alltid koderna.",
                "Columns of .csv/.xlsx: sv (headers and values in plain words, English with "
                "--lang en; the default) or codes (the project's column names and codes). "
                ".gpkg, .geojson and .tif always keep the codes."),
    "layer": ("Lagret: reports, rejects, ingests eller ett analyslager.",
              "The layer: reports, rejects, ingests or an analysis layer."),
    "out_file": ("Filen att skriva; ändelsen väljer format. Aldrig projektet självt.",
                 "The file to write; its suffix picks the format. Never the project itself."),
    "force": ("Ersätt --out om filen redan finns.", "Replace --out if the file exists."),
    "info": ("Visa vad projektet innehåller: rapporter per källa och kategori, avvisade rader, "
             "inläsningar och körningar med sina id.",
             "Show what the project holds: reports per source and category, rejected rows, "
             "ingests and runs with their ids."),
    "undo": ("Ångra inläsningen med detta id (se trygg info): dess rapporter, avvisade rader "
             "och länkar tas bort, liksom körningar gjorda efter den. Ange då ingen fil.",
             "Undo the ingest with this id (see trygg info): its reports, rejected rows and "
             "links are removed, and so are runs made after it. Give no file then."),
    "cameras": ("Föreslå platser för kameror där de skulle se mest av det som har hänt: brott "
                "som kameror påverkar (BRÅ 2018) vägs efter ålder och tid på dygnet, byggnader "
                "och terräng skymmer sikten, och varje plats får sina timmar och sin "
                "integritetskostnad. Lagren camera_sites_NAMN och camera_views_NAMN sparas i "
                "projektet.",
                "Propose camera sites where cameras would see the most of what has happened: "
                "crime that cameras affect (BRÅ 2018) weighted by age and time of day, "
                "buildings and terrain blocking the view, each site with its hours and its "
                "privacy cost. The layers camera_sites_NAME and camera_views_NAME are stored "
                "in the project."),
    "k": ("Antal kameror att placera.", "Number of cameras to place."),
    "target_coverage": ("I stället för --k: det minsta antalet kameror som täcker denna andel "
                        "(0–1) av de viktade händelserna.",
                        "Instead of --k: the fewest cameras covering this share (0–1) of the "
                        "weighted incidents."),
    "candidates": ("Punktfil med möjliga platser (stolpar, fasader); kolumnerna id, namn, höjd "
                   "och riktningar läses om de finns. Utan: platser föreslås längs --streets "
                   "nära händelserna.",
                   "Point file of possible sites (poles, facades); the columns id, name, height "
                   "and directions are read when present. Without: sites are proposed along "
                   "--streets near the incidents."),
    "existing": ("Punktfil med kameror som redan finns; det de ser räknas som täckt.",
                 "Point file of cameras already installed; what they see counts as covered."),
    "buildings": ("Polygonfil med byggnader som skymmer sikten.",
                  "Polygon file of buildings that block the view."),
    "dsm": ("Höjdmodell (GeoTIFF i projektets koordinatsystem, meter) för terräng och "
            "vegetation.",
            "Surface model (GeoTIFF in the project's coordinate system, metres) for terrain "
            "and vegetation."),
    "streets": ("Linjefil med gator och gångvägar där platser föreslås när --candidates "
                "saknas.",
                "Line file of streets and paths where sites are proposed without "
                "--candidates."),
    "privacy": ("Lager vars objekt inom synfältet räknas som integritetskostnad (adresser, "
                "bostäder, skolor, förskolor, lekplatser). Kan upprepas.",
                "Layer whose features in view count as privacy cost (addresses, homes, "
                "schools, preschools, playgrounds). Can be repeated."),
    "range": ("Kamerans räckvidd i meter.", "The camera's range in metres."),
    "fov": ("Horisontellt synfält i grader: 360 för en domkamera, t.ex. 90 för en fast.",
            "Horizontal field of view in degrees: 360 for a dome, e.g. 90 for a fixed one."),
    "min_dist": ("Död vinkel under kameran i meter.", "Blind spot under the camera, metres."),
    "height": ("Monteringshöjd i meter (med --dsm), om platsfilen inte anger den.",
               "Mounting height in metres (with --dsm), unless the site file gives it."),
    "cam_half_life": ("Halveringstid i dagar: en händelse så gammal väger hälften.",
                      "Half-life in days: an incident this old weighs half."),
    "night_factor": ("Vikt för händelser mellan 22 och 06 jämfört med dagtid.",
                     "Weight of incidents between 22 and 06 compared with daytime."),
    "backup": ("Extra vikt (0–1) för händelser som en andra kamera också ser.",
               "Extra weight (0–1) for incidents a second camera sees too."),
    "privacy_penalty": ("Hur mycket ett objekt i --privacy drar ner en plats värde.",
                        "How much one --privacy feature lowers a site's value."),
    "hours_share": ("Andel av händelserna som de föreslagna timmarna ska rymma.",
                    "Share of the incidents the proposed hours must hold."),
    "out_cameras": ("Mapp att skriva kameraplatserna (.csv, .xlsx, .geojson) och ett "
                    "kameraunderlag per plats (HTML, för utskrift) till.",
                    "Folder to write the camera sites (.csv, .xlsx, .geojson) and a camera "
                    "basis per site (HTML, for print) to."),
    "cameras_register": ("Förteckningen över kommunens kamerabevakning: list (standard) visar "
                         "den och vilken dokumentation som får gallras, add lägger till en "
                         "kamera, set ändrar dess status (föreslagen → beslutad → installerad "
                         "→ borttagen).",
                         "The register of the municipality's camera surveillance: list (the "
                         "default) shows it and which documentation may be deleted, add adds "
                         "a camera, set changes its status (proposed → decided → installed → "
                         "removed)."),
    "register_action": ("list, add eller set.", "list, add or set."),
    "register_camera": ("Kamerans id (KAM-001 …), för set.", "The camera's id (KAM-001 …), for "
                        "set."),
    "register_run": ("Kamerakörningen platsen kommer från (med --site).",
                     "The camera run the site comes from (with --site)."),
    "register_site": ("Platsens id i körningen (med --run).", "The site's id in the run (with "
                      "--run)."),
    "register_x": ("X i projektets koordinatsystem, meter (utan --run).",
                   "X in the project's coordinate system, metres (without --run)."),
    "register_y": ("Y i projektets koordinatsystem, meter (utan --run).",
                   "Y in the project's coordinate system, metres (without --run)."),
    "register_purpose": ("Syftet: vilket problem kameran ska motverka.",
                         "The purpose: the problem the camera is to counter."),
    "register_place": ("Platsens namn, t.ex. Pendlarparkeringen.",
                       "The place's name, e.g. the commuter car park."),
    "register_status": ("Status: proposed, decided, installed eller removed.",
                        "Status: proposed, decided, installed or removed."),
    "register_date": ("Dagen för statusen, ÅÅÅÅ-MM-DD (standard i dag).",
                      "The day of the status, YYYY-MM-DD (default today)."),
    "register_note": ("En anteckning, t.ex. beslutets diarienummer.",
                      "A note, e.g. the decision's reference number."),
    "register_out": ("Exportera förteckningen hit (.xlsx, .csv, .gpkg, .geojson).",
                     "Export the register here (.xlsx, .csv, .gpkg, .geojson)."),
    "cameras_evaluate": ("Utvärdera installerade kameror: rapporter före och efter i det "
                         "bevakade området, i närområdet och i ett jämförelseområde, med "
                         "relativ effektstorlek och förflyttningskvot, som utskrivbar HTML och "
                         "XLSX.",
                         "Evaluate installed cameras: reports before and after in the area "
                         "watched, its surroundings and a comparison area, with the relative "
                         "effect size and the displacement quotient, as printable HTML and "
                         "XLSX."),
    "evaluate_site": ("Kameran i registret (KAM-001, eller platsens id).",
                      "The camera in the register (KAM-001, or the site's id)."),
    "evaluate_installed": ("I stället för --site: punktfil med kameror (id, installerad).",
                           "Instead of --site: point file of cameras (id, installed)."),
    "out_evaluate": ("Mapp att skriva utvärderingen till.", "Folder to write the evaluation to."),
    "evaluate_buffer": ("Närområdets bredd i meter (där brott kan ha flyttat).",
                        "Width of the surroundings in metres (where crime may have moved)."),
    "evaluate_months": ("Periodernas längd i månader (standard: den längsta som ryms).",
                        "Length of the periods in months (default: the longest that fits)."),
    "evaluate_control": ("Polygonfil med jämförelseområdet (standard: resten av kommunen).",
                         "Polygon file of the comparison area (default: the rest of the "
                         "municipality)."),
    "cam_name": ("Namn på körningen (lagren heter camera_sites_NAMN / camera_views_NAMN).",
                 "Name of the run (the layers are called camera_sites_NAME / "
                 "camera_views_NAME)."),
    "lagesbild": ("Lägesbilden för en vecka, månad eller ett kvartal (EST): antal per område "
                  "och kategori, förändring mot perioden före och samma period förra året "
                  "(med ett test av om den är mer än slumpen), nya och kvarstående hotspots, "
                  "de tio platserna med flest rapporter och veckodag × timme. Skriver "
                  "lagesbild.html (utskrivbar) och lagesbild.xlsx.",
                  "The situation picture of a week, month or quarter (EST): counts by area "
                  "and category, the change against the period before and the same period "
                  "last year (with a test of whether it is more than chance), new and "
                  "persisting hot spots, the ten places with most reports and weekday × "
                  "hour. Writes lagesbild.html (printable) and lagesbild.xlsx."),
    "indikatorer": ("Uppföljningens indikatorer ur data: andel klotter stängt inom 48 timmar, "
                    "rapporter kring offentliga mötesplatser (busstationer, bibliotek, "
                    "toaletter, skolor), rapporter per 1 000 invånare per område och "
                    "upplevd otrygghet efter mörkrets inbrott mot dagsljus, var och en per "
                    "år. Skriver indikatorer.html och indikatorer.xlsx.",
                    "The follow-up indicators from the data: share of graffiti closed within "
                    "48 hours, reports around public meeting places (bus stations, "
                    "libraries, toilets, schools), reports per 1,000 inhabitants by area and "
                    "perceived unsafety after dark against daylight, each by year. Writes "
                    "indikatorer.html and indikatorer.xlsx."),
    "out_indikatorer": ("Mapp att skriva indikatorer.html och indikatorer.xlsx till.",
                        "Folder to write indikatorer.html and indikatorer.xlsx to."),
    "ind_radius": ("Avstånd i meter kring en mötesplats.", "Distance in metres around a "
                   "meeting place."),
    "ind_places": ("Punktlager med mötesplatser (kolumner namn och typ). Standard: "
                   "ortsregistrets platser efter namn.",
                   "Point layer of meeting places (columns name and type). Default: the "
                   "gazetteer's places by name."),
    "ind_population": ("Polygonlager med invånare per område (kolumner namn och "
                       "--population-column), t.ex. FIL.gpkg:tatorter.",
                       "Polygon layer with inhabitants per area (columns name and "
                       "--population-column), e.g. FILE.gpkg:tatorter."),
    "ind_population_column": ("Kolumnen med antal invånare.", "The column with the number "
                              "of inhabitants."),
    "region": ("Regionen: rapporter per kommun i ett län (eller valda kommuner), per "
               "kategori och år, per 1 000 invånare med en befolkningstabell, som karta "
               "(koropletkarta på kommungränserna) och tabeller. Skriver region.html och "
               "region.xlsx.",
               "The region: reports per municipality of a county (or chosen "
               "municipalities), by category and year, per 1,000 inhabitants with a "
               "population table, as a map (choropleth on the municipal boundaries) and "
               "tables. Writes region.html and region.xlsx."),
    "out_region": ("Mapp att skriva region.html och region.xlsx till.",
                   "Folder to write region.html and region.xlsx to."),
    "region_lan": ("Länskod, t.ex. 01 (Stockholm). Standard: länet med flest rapporter.",
                   "County code, e.g. 01 (Stockholm). Default: the county with most "
                   "reports."),
    "region_kommuner": ("I stället för ett län: kommunkoder med komma emellan, t.ex. "
                        "0188,0180.",
                        "Instead of a county: municipality codes separated by commas, e.g. "
                        "0188,0180."),
    "region_population": ("Befolkningstabell (CSV eller XLSX): kommun (kod eller namn) och "
                          "invanare.",
                          "Population table (CSV or XLSX): kommun (code or name) and "
                          "invanare."),
    "plan": ("Trygghetsunderlag för en detaljplan eller ett programområde (polygonfil; "
             "flera polygoner ger flera underlag): vad som rapporterats i området och inom "
             "--buffer meter, per kategori, typ, år och tid på dygnet, trenden, jämförelsen "
             "med kommunen, BoTryggt2030-aspekterna med sina frågor, hotspots, fynd och "
             "åtgärder från vandringar och kamerabevakning. Skriver trygghetsunderlag.html, "
             ".xlsx och .gpkg, karta.png och karta.html.",
             "Safety input for a detailed plan or programme area (polygon file; several "
             "polygons give several inputs): what has been reported in the area and within "
             "--buffer metres, by category, kind, year and time of day, the trend, the "
             "comparison with the municipality, the BoTryggt2030 aspects with their "
             "questions, hot spots, walk findings and actions, and camera surveillance. "
             "Writes trygghetsunderlag.html, .xlsx and .gpkg, karta.png and karta.html."),
    "plan_area": ("Planområdet: en polygonfil (FIL eller FIL:LAGER), t.ex. "
                  "kommun.gpkg:detaljplan.",
                  "The plan area: a polygon file (FILE or FILE:LAYER), e.g. "
                  "kommun.gpkg:detaljplan."),
    "out_plan": ("Mapp att skriva underlaget till (en undermapp per polygon när de är flera).",
                 "Folder to write the input to (a subfolder per polygon when there are "
                 "several)."),
    "plan_buffer": ("Meter runt området som räknas med.",
                    "Metres around the area that count too."),
    "plan_years": ("Så många år bakåt från den senaste rapporten.",
                   "This many years back from the latest report."),
    "lb_period": ("Perioden: 2025-Q3, 2025-W37, 2025-09 eller FRÅN:TILL (2025-07-01:2025-09-30).",
                  "The period: 2025-Q3, 2025-W37, 2025-09 or FROM:TO (2025-07-01:2025-09-30)."),
    "out_lagesbild": ("Mapp att skriva lagesbild.html och lagesbild.xlsx till.",
                      "Folder to write lagesbild.html and lagesbild.xlsx to."),
    "lb_areas": ("Polygonfil med områden att räkna per (t.ex. områdesgrupper eller DeSO; "
                 "kolumn name/namn). Standard: projektets tätorter.",
                 "Polygon file of areas to count by (e.g. area groups or DeSO; column "
                 "name/namn). Default: the project's towns."),
    "lb_audience": ("intern (alla rapporter) eller publik (bara publika rapporter, inga tal "
                    "under --min-count, inga fritexter).",
                    "intern (every report) or publik (public reports only, no number below "
                    "--min-count, no free text)."),
    "lb_cell": ("Rutstorlek i meter för hotspots (standard: den minsta som ger båda "
                "perioderna nog med rapporter).",
                "Cell size in metres for the hot spots (default: the smallest that gives "
                "both periods enough reports)."),
    "walk": ("Planera en trygghetsvandring: välj stopp i ett område (hotspots, öppna "
             "rapporter, tidigare fynd, egna platser), lägg en gångbar rutt och skriv "
             "protokoll (vandring.html), åtgärdsprotokoll (protokoll.xlsx), rutt.gpx och "
             "platser.csv.",
             "Plan a safety walk: choose stops in an area (hotspots, open reports, earlier "
             "findings, your own sites), lay a walkable route and write the protocol "
             "(vandring.html), the action protocol (protokoll.xlsx), rutt.gpx and "
             "platser.csv."),
    "walk_area": ("Området: en polygonfil (FIL eller FIL:LAGER) eller namnet på en tätort "
                  "eller detaljplan i projektets områden.",
                  "The area: a polygon file (FILE or FILE:LAYER) or the name of a town or "
                  "detailed plan among the project's areas."),
    "walk_stops": ("Högst så många stopp.", "At most this many stops."),
    "walk_max_km": ("Högst så lång rutt i kilometer (i stället för ett fast antal stopp).",
                    "A route at most this long in kilometres (instead of a fixed number of "
                    "stops)."),
    "walk_sites": ("Egna platser (punktfil med namn) att ta med.",
                   "Your own sites (point file with names) to include."),
    "walk_sites_only": ("Använd bara de egna platserna, i den ordning rutten ger.",
                        "Use only your own sites, in the order the route gives."),
    "walk_start": ("Var vandringen börjar: adress, platsnamn eller X,Y (standard: första "
                   "stoppet).",
                   "Where the walk starts: address, place name or X,Y (default: the first "
                   "stop)."),
    "walk_network": ("Gator och gångvägar (linjer) som rutten följer; utan den raka linjer.",
                     "Streets and paths (lines) the route follows; without it straight "
                     "lines."),
    "walk_date": ("Dagen för vandringen, ÅÅÅÅ-MM-DD: ger solnedgång och när det blir mörkt.",
                  "The day of the walk, YYYY-MM-DD: gives sunset and when it gets dark."),
    "walk_line": ("Sluta vid sista stoppet i stället för att gå tillbaka till starten.",
                  "End at the last stop instead of walking back to the start."),
    "walk_name": ("Namn på vandringen (lagren heter walk_NAMN_stops / walk_NAMN_route).",
                  "Name of the walk (the layers are called walk_NAME_stops / "
                  "walk_NAME_route)."),
    "walk_responsible": ("Vilka som kan vara ansvariga i protokollet, med komma emellan.",
                         "Who can be responsible in the protocol, separated by commas."),
    "walk_since": ("Räkna bara rapporter från och med detta datum (ÅÅÅÅ-MM-DD).",
                   "Count only reports from this date on (YYYY-MM-DD)."),
    "out_walk": ("Mapp att skriva protokollet och rutten till.",
                 "Folder to write the protocol and the route to."),
    "walk_import": ("Läs in ett ifyllt vandringsprotokoll (protokoll.xlsx, CSV eller GPX): "
                    "fynden blir rapporter och åtgärderna förs in i åtgärdsregistret. En ny "
                    "inläsning av samma eller ett uppdaterat protokoll uppdaterar och "
                    "dubblerar aldrig.",
                    "Import a filled-in walk protocol (protokoll.xlsx, CSV or GPX): the "
                    "findings become reports and the actions go into the action register. "
                    "Importing the same or an updated protocol again updates and never "
                    "duplicates."),
    "import_today": ("Dagens datum för kontrollen av sista datum, ÅÅÅÅ-MM-DD (standard i "
                     "dag).",
                     "Today's date for checking deadlines, YYYY-MM-DD (default today)."),
    "actions": ("Åtgärderna från trygghetsvandringarna: list (standard) visar öppna och "
                "försenade per ansvarig, set ÅTGÄRD --status done stänger en. --out skriver "
                "underlaget till uppföljningsmötet (.xlsx).",
                "The actions from the safety walks: list (default) shows open and overdue "
                "ones per responsible party, set ACTION --status done closes one. --out "
                "writes the basis for the follow-up meeting (.xlsx)."),
    "actions_action": ("list eller set.", "list or set."),
    "actions_id": ("Åtgärdens id (VANDRING:RAD), för set.", "The action's id (WALK:ROW), for "
                   "set."),
    "actions_status": ("Ny status: open, in_progress, done eller declined.",
                       "New status: open, in_progress, done or declined."),
    "actions_date": ("Dagen för statusen, ÅÅÅÅ-MM-DD (standard i dag).",
                     "The day of the status, YYYY-MM-DD (default today)."),
    "actions_note": ("En anteckning om åtgärden.", "A note on the action."),
    "actions_responsible": ("Visa bara den här ansvariga.", "Show only this responsible "
                            "party."),
    "actions_today": ("Räkna försenade mot detta datum, ÅÅÅÅ-MM-DD (standard i dag).",
                      "Count overdue against this date, YYYY-MM-DD (default today)."),
    "out_actions": ("Skriv åtgärdslistan hit (.xlsx eller .csv).",
                    "Write the action list here (.xlsx or .csv)."),
    "runs_cmd": ("Lista projektets hotspotkörningar, eller ta bort körningar med: trygg runs "
                 "PROJEKT remove KÖRNING …",
                 "List the project's hotspot runs, or remove runs with: trygg runs PROJECT "
                 "remove RUN …"),
    "runs_action": ("remove för att ta bort körningarna som följer.",
                    "remove to remove the runs that follow."),
    "runs_names": ("Körningarna (id) att ta bort.", "The runs (ids) to remove."),
    "demo": ("Skapa exempelkommunen (syntetiska data), läs in den och gör karta och exporter.",
             "Create the sample municipality (synthetic data), ingest it, write map and "
             "exports."),
    "out_dir": ("Mapp att skriva till.", "Folder to write to."),
}

#: The short help of each command in the list of ``trygg --help`` (one line; the
#: parser would otherwise cut the long help at its first period, e.g. after "t.ex.").
SHORT_HELP = {
    "init": ("Skapa ett nytt, tomt projekt.", "Create a new, empty project."),
    "migrate": ("Kopiera ett projekt, t.ex. från GeoPackage till PostGIS.",
                "Copy a project, e.g. from a GeoPackage to PostGIS."),
    "serve": ("Starta rapportsidan, Open311 och personalens sidor.",
              "Start the reporting page, Open311 and the staff pages."),
    "staff": ("Lägg till eller lista personal för trygg serve.",
              "Add or list staff of trygg serve."),
    "users": ("Databasanvändare och organisationer i ett PostGIS-projekt.",
              "Database users and organisations of a PostGIS project."),
    "ingest": ("Läs in en fil med rapporter (eller ångra en inläsning).",
               "Ingest a file of reports (or undo an ingest)."),
    "gazetteer": ("Lägg till adresser, platser och gator i ortsregistret.",
                  "Add addresses, places and streets to the gazetteer."),
    "geocode": ("Geokoda rapporter som ännu saknar läge.",
                "Geocode the reports still without a location."),
    "hotspots": ("Hitta platserna där rapporterna samlas.",
                 "Find the places where reports concentrate."),
    "map": ("Gör en interaktiv karta som fungerar utan internet.",
            "Make an interactive map that works offline."),
    "export": ("Exportera ett lager (.gpkg, .geojson, .csv, .xlsx, .tif).",
               "Export a layer (.gpkg, .geojson, .csv, .xlsx, .tif)."),
    "info": ("Visa vad projektet innehåller.", "Show what the project holds."),
    "runs": ("Lista eller ta bort körningar.", "List or remove runs."),
    "cameras": ("Föreslå kameraplatser där de skulle se mest.",
                "Propose camera sites where they would see the most."),
    "cameras-register": ("Visa och för förteckningen över kamerabevakning.",
                         "Show and keep the register of camera surveillance."),
    "cameras-evaluate": ("Utvärdera installerade kameror före och efter.",
                         "Evaluate installed cameras before and after."),
    "walk": ("Planera en trygghetsvandring med protokoll och rutt.",
             "Plan a safety walk with protocol and route."),
    "walk-import": ("Läs in ett ifyllt vandringsprotokoll.", "Import a filled-in walk "
                    "protocol."),
    "actions": ("Följ upp åtgärderna från vandringarna.", "Follow up the walks' actions."),
    "indikatorer": ("Uppföljningens indikatorer, per år.",
                    "The follow-up indicators, by year."),
    "plan": ("Trygghetsunderlag för en detaljplan (SKA, BoTryggt2030).",
             "Safety input for a detailed plan (SKA, BoTryggt2030)."),
    "region": ("Rapporter per kommun i ett län, som karta.",
               "Reports per municipality of a county, as a map."),
    "lagesbild": ("Lägesbilden för en period (EST), utskrivbar och som XLSX.",
                  "The situation picture of a period (EST), printable and as XLSX."),
    "demo": ("Gör exempelkommunen med karta och exporter.",
             "Make the sample municipality with map and exports."),
}

#: What the arguments are called in the help and in messages.
ARG_NAMES = {
    "project": ("PROJEKT", "PROJECT"), "file": ("FIL", "FILE"), "target": ("MÅL", "TARGET"),
    "user": ("NAMN", "NAME"),
    "action": ("ÅTGÄRD", "ACTION"), "names": ("KÖRNING", "RUN"), "camera": ("KAMERA", "CAMERA"),
    "list_set": ("list|set", "list|set"), "action_id": ("ÅTGÄRDS-ID", "ACTION-ID"),
}

#: The kinds of value in the help ("--cell <tal>"): typer's name → (Swedish, English).
TYPE_NAMES = {
    "str": ("text", "text"), "int": ("heltal", "integer"), "float": ("tal", "number"),
    "path": ("sökväg", "path"), "Path": ("sökväg", "path"), "bool": ("ja/nej", "yes/no"),
    "list[str]": ("text", "text"), "list[path]": ("sökväg", "path"),
    "list[Path]": ("sökväg", "path"), "list[int]": ("heltal", "integer"),
    "list[float]": ("tal", "number"), "int range": ("heltal", "integer"),
    "float range": ("tal", "number"),
}

#: Messages of the command: key → (Swedish, English); ``{name}`` fields are filled in.
MESSAGES = {
    "error": ("Fel", "Error"),
    "created": ("Skapade projektet {path} ({name}, {crs}).",
                "Created the project {path} ({name}, {crs})."),
    "serve_has_project": ("{project} har redan ett projekt; det används ({source} "
                          "kopieras inte).",
                          "{project} already holds a project; it is used ({source} is not "
                          "copied)."),
    "serving": ("Trygghetskartan svarar på {url} ({project}). Stoppa med Ctrl-C.",
                "Trygghetskartan answers at {url} ({project}). Stop with Ctrl-C."),
    "staff_removed": ("Personalanvändaren {user} är borttagen och kan inte längre logga in.",
                      "The staff user {user} is removed and can no longer log in."),
    "staff_added": ("Personalanvändaren {user} kan nu logga in på /staff.",
                    "The staff user {user} can now log in at /staff."),
    "user_added": ("Databasanvändaren {user} ({role}, {org}) är skapad.",
                   "The database user {user} ({role}, {org}) has been created."),
    "shared": ("{other} får nu läsa de interna rapporterna från {org}.",
               "{other} may now read the intern reports of {org}."),
    "migrated": ("Kopierade {source} till {target}: {counts}.",
                 "Copied {source} to {target}: {counts}."),
    "read": ("Läste {rows} från {file} (källa: {source}, koordinater: {crs}).",
             "Read {rows} from {file} (source: {source}, coordinates: {crs})."),
    "already": ("{file} är redan inläst (inläsning {ingest}); inget lades till.",
                "{file} was ingested before (ingest {ingest}); nothing was added."),
    "added": ("Tillagda rapporter", "Reports added"),
    "duplicates": ("Dubbletter (fanns redan)", "Duplicates (already stored)"),
    "rejected": ("Avvisade rader", "Rejected rows"),
    "precision": ("Lägesprecision", "Location precision"),
    "unmapped": ("Kategorier som blev 'Övrigt'", "Categories that became 'Other'"),
    "balance": ("Summa", "Total"),
    "see_rejects": ("Se avvisade rader med: trygg export {project} --layer rejects --out "
                    "avvisade.xlsx",
                    "See rejected rows with: trygg export {project} --layer rejects --out "
                    "rejects.xlsx"),
    "wrote": ("Skrev {path}", "Wrote {path}"),
    "stored_raster": ("Sparade {name} i projektet (ta ut den med trygg export PROJEKT "
                      "--layer {name} --out FIL.tif)",
                      "Stored {name} in the project (take it out with trygg export PROJECT "
                      "--layer {name} --out FILE.tif)"),
    "run": ("Körningen {run}: {n}.", "Run {run}: {n}."),
    "cameras_run": ("Körningen {run}: {chosen} av {candidates} ({generated}), som ser "
                    "{share} av de viktade händelserna ({incidents}).",
                    "Run {run}: {chosen} of {candidates} ({generated}), seeing {share} of the "
                    "weighted incidents ({incidents})."),
    "cameras_generated": ("föreslagna längs gatorna", "proposed along the streets"),
    "cameras_given": ("ur filen", "from the file"),
    "cameras_exact": ("Den giriga lösningen är {gap} från optimum (heltalsprogram, HiGHS{proven}).",
                      "The greedy solution is {gap} from the optimum (integer program, "
                      "HiGHS{proven})."),
    "cameras_exact_better": ("Heltalsprogrammet fann en bättre uppsättning än den giriga; den "
                             "används.",
                             "The integer program found a better set than the greedy one; it "
                             "is used."),
    "cameras_exact_skipped": ("Instansen är för stor för heltalsprogrammet; den giriga lösningen "
                              "används utan optimalitetsgaranti.",
                              "The instance is too large for the integer program; the greedy "
                              "solution is used without an optimality guarantee."),
    "cameras_none": ("Ingen plats ser någon händelse som kameror påverkar; inga kameror "
                     "föreslås.",
                     "No site sees an incident that cameras affect; no cameras are proposed."),
    "cameras_target_missed": ("Täckningsgraden nås inte med dessa platser; alla som tillför "
                              "något är valda.",
                              "The coverage share is not reached with these sites; every one "
                              "that adds something is chosen."),
    "cameras_table": ("Föreslagna kameraplatser", "Proposed camera sites"),
    "register_added": ("Lade till {camera} i förteckningen ({status}).",
                       "Added {camera} to the register ({status})."),
    "register_set": ("{camera}: {status}.", "{camera}: {status}."),
    "register_table": ("Förteckning över kamerabevakning", "Register of camera surveillance"),
    "register_empty": ("Förteckningen är tom. Lägg till en kamera med: trygg cameras-register "
                       "PROJEKT add --run KÖRNING --site PLATS --purpose \"…\"",
                       "The register is empty. Add a camera with: trygg cameras-register "
                       "PROJECT add --run RUN --site SITE --purpose \"…\""),
    "register_due": ("Dokumentationen får gallras (fem år efter att bevakningen upphörde): "
                     "{cameras}.",
                     "The documentation may be deleted (five years after the surveillance "
                     "ended): {cameras}."),
    "evaluation": ("{camera}: bevakat område {tb} → {ta}, närområde {db} → {da}, "
                   "jämförelse {cb} → {ca}; RES {res}, WDQ {wdq}.",
                   "{camera}: area watched {tb} → {ta}, surroundings {db} → {da}, "
                   "comparison {cb} → {ca}; RES {res}, WDQ {wdq}."),
    "evaluation_weak": ("  Små tal: skillnaden kan vara slumpen.",
                        "  Small counts: the difference may be chance."),
    "run_removed": ("Tog bort körningen {run} ({layers}).", "Removed the run {run} ({layers})."),
    "undone": ("Ångrade inläsningen {ingest} ({file}): {reports}, {rejects} och {links} "
               "borttagna.",
               "Undid the ingest {ingest} ({file}): removed {reports}, {rejects} and "
               "{links}."),
    "undone_runs": ("Körningar gjorda efter inläsningen räknade med dess rapporter och togs "
                    "bort: {runs}. Gör dem igen med trygg hotspots.",
                    "Runs made after the ingest counted its reports and were removed: {runs}. "
                    "Make them again with trygg hotspots."),
    "no_runs": ("Inga körningar ännu (gör en med trygg hotspots).",
                "No runs yet (make one with trygg hotspots)."),
    "gazetteer": ("Ortsregistret innehåller nu: {counts}.", "The gazetteer now holds: {counts}."),
    "overrides": ("Projektet har {n}.", "The project has {n}."),
    "geocoded": ("Lägesprecision före: {before}; efter: {after}.",
                 "Location precision before: {before}; after: {after}."),
    "no_reports": ("inga rapporter", "no reports"),
    "missing": ("Fortfarande utan läge", "Still without a location"),
    "linked": ("Länkade till rapporter från andra källor", "Linked to reports from other sources"),
    "ungeocoded": ("Utan läge (kör trygg geocode när ortsregistret vuxit)",
                   "Without a location (run trygg geocode when the gazetteer has grown)"),
    "bad_map": ("--map ska skrivas FÄLT=KOLUMN, inte '{value}'.",
                "--map must be written FIELD=COLUMN, not '{value}'."),
    "bad_lang": ("--lang ska vara sv eller en, inte '{value}'.",
                 "--lang must be sv or en, not '{value}'."),
    # trygg info and trygg runs
    "synthetic": ("syntetiska data", "synthetic data"),
    "period": ("Period: {first} – {last}", "Period: {first} – {last}"),
    "info_table": ("Rapporter per källa och kategori", "Reports per source and category"),
    "category": ("Kategori", "Category"),
    "located": ("Med läge på kartan", "With a location"),
    "ingests_table": ("Inlästa filer (ångra en med trygg ingest PROJEKT --undo ID)",
                      "Ingested files (undo one with trygg ingest PROJECT --undo ID)"),
    "indikatorer_summary": ("Klotter stängt inom 48 h: {klotter} av {n} med stängningstid; "
                            "{places} mötesplatser.",
                            "Graffiti closed within 48 h: {klotter} of {n} with a close "
                            "time; {places} meeting places."),
    "plan_summary": ("{name}: {inside} rapporter i området, {zone} med {m} m omkring.",
                     "{name}: {inside} reports in the area, {zone} with {m} m around it."),
    "region_summary": ("Regionen {name}: {n} rapporter i {k} kommuner; {apart} anger ingen "
                       "av dem.",
                       "The region {name}: {n} reports in {k} municipalities; {apart} name "
                       "none of them."),
    "lagesbild_summary": ("Lägesbild {period}: {n} rapporter (perioden före {previous}, "
                          "förra året {year}).",
                          "Situation picture {period}: {n} reports (period before "
                          "{previous}, last year {year})."),
    "walk_summary": ("Vandring {walk} i {area}: {stops}, {km} km, cirka {minutes} min.",
                     "Walk {walk} in {area}: {stops}, {km} km, about {minutes} min."),
    "walk_sun": ("{date}: solnedgång {sunset}, mörkt (borgerlig skymning slut) {dusk}.",
                 "{date}: sunset {sunset}, dark (end of civil twilight) {dusk}."),
    "walk_no_dark": ("{date}: det blir inte mörkt den kvällen på den här platsen.",
                     "{date}: it does not get dark that evening at this place."),
    "walk_table": ("Stopp", "Stops"),
    "walk_next": ("Fyll i {protocol} under vandringen och läs in det med: trygg walk-import "
                  "{project} {protocol}",
                  "Fill in {protocol} on the walk and import it with: trygg walk-import "
                  "{project} {protocol}"),
    "walk_imported": ("{file}: {rows} lästa; {added} nya och {updated} uppdaterade fynd, "
                      "{unchanged} oförändrade; {actions_added} nya och {actions_updated} "
                      "uppdaterade åtgärder; {skipped} tomma rader; {rejected} avvisade.",
                      "{file}: {rows} read; {added} new and {updated} updated findings, "
                      "{unchanged} unchanged; {actions_added} new and {actions_updated} "
                      "updated actions; {skipped} empty rows; {rejected} rejected."),
    "walk_rejects": ("Avvisade rader (se trygg export {project} --layer rejects): {reasons}.",
                     "Rejected rows (see trygg export {project} --layer rejects): {reasons}."),
    "actions_table": ("Åtgärder per ansvarig", "Actions by responsible party"),
    "klotter_rule": ("{name}: {share} ({within} av {n} rapporter med stängningstid).",
                     "{name}: {share} ({within} of {n} reports with a close time)."),
    "actions_overdue": ("Försenade åtgärder", "Overdue actions"),
    "actions_empty": ("Inga åtgärder ännu. De kommer från ifyllda protokoll: trygg walk-import "
                      "{project} protokoll.xlsx",
                      "No actions yet. They come from filled-in protocols: trygg walk-import "
                      "{project} protokoll.xlsx"),
    "action_set": ("{action}: {status}.", "{action}: {status}."),
    "runs_table": ("Körningar (ta bort med trygg runs PROJEKT remove ID)",
                   "Runs (remove with trygg runs PROJECT remove ID)"),
}

#: The kinds of gazetteer entry, as counted after ``trygg gazetteer``: kind →
#: ((Swedish one, many), (English one, many)).
GAZETTEER_KINDS = {
    "address": (("adress", "adresser"), ("address", "addresses")),
    "street": (("gata", "gator"), ("street", "streets")),
    "intersection": (("korsning", "korsningar"), ("intersection", "intersections")),
    "place": (("plats", "platser"), ("place", "places")),
    "area": (("ort", "orter"), ("area", "areas")),
}

#: Names of the ingest steps shown in the progress bar.
STEPS = {
    "sv": {"read": "läser", "parse": "tolkar", "geocode": "geokodar",
           "deduplicate": "söker dubbletter", "write": "skriver projektet"},
    "en": {"read": "reading", "parse": "parsing", "geocode": "geocoding",
           "deduplicate": "finding duplicates", "write": "writing the project"},
}

#: The parser's own words (typer writes them in English only; see trygg.cli).
FRAMEWORK = {
    # help
    "usage": ("Användning:", "Usage:"),
    "options_metavar": ("[FLAGGOR]", "[OPTIONS]"),
    "command_metavar": ("KOMMANDO [ARGUMENT]...", "COMMAND [ARGS]..."),
    "arguments": ("Argument", "Arguments"),
    "options": ("Flaggor", "Options"),
    "commands": ("Kommandon", "Commands"),
    "help_option": ("Visa den här hjälpen och avsluta.", "Show this message and exit."),
    "default": ("standard: {value}", "default: {value}"),
    "required": ("krävs", "required"),
    "env_var": ("miljövariabel: {value}", "env var: {value}"),
    # mistakes on the command line (one line each, then see_help)
    "see_help": ("Se {command} --help.", "See {command} --help."),
    "no_such_command": ("Det finns inget kommando '{name}'.", "There is no command '{name}'."),
    "no_such_option": ("Det finns ingen flagga {name}.", "There is no option {name}."),
    "did_you_mean": ("Menade du {names}?", "Did you mean {names}?"),
    "or": ("eller", "or"),
    "missing_argument": ("Argumentet {name} saknas.", "The argument {name} is missing."),
    "missing_option": ("Flaggan {name} saknas.", "The option {name} is missing."),
    "needs_value": ("{name} behöver ett värde.", "{name} needs a value."),
    "needs_values": ("{name} behöver {n} värden.", "{name} needs {n} values."),
    "takes_no_value": ("{name} tar inget värde.", "{name} takes no value."),
    "extra_argument": ("Ett argument för mycket: {args}.", "One argument too many: {args}."),
    "extra_arguments": ("För många argument: {args}.", "Too many arguments: {args}."),
    "bad_value": ("{name}: {reason}.", "{name}: {reason}."),
    "not_int": ("'{value}' är inget heltal", "'{value}' is not a whole number"),
    "not_float": ("'{value}' är inget tal (decimaler skrivs med punkt, t.ex. 2.5)",
                  "'{value}' is not a number (e.g. 2.5)"),
    "not_bool": ("'{value}' är varken ja eller nej", "'{value}' is neither yes nor no"),
    "ge": ("ska vara {limit} eller mer, inte {value}", "must be {limit} or more, not {value}"),
    "gt": ("ska vara mer än {limit}, inte {value}", "must be more than {limit}, not {value}"),
    "le": ("ska vara {limit} eller mindre, inte {value}",
           "must be {limit} or less, not {value}"),
    "lt": ("ska vara mindre än {limit}, inte {value}", "must be less than {limit}, not {value}"),
    "not_choice": ("'{value}' är inte ett av {choices}", "'{value}' is not one of {choices}"),
    "not_valid": ("'{value}' är inget giltigt värde", "'{value}' is not a valid value"),
    "unparsed": ("Kommandoraden kunde inte tolkas ({detail}).",
                 "The command line could not be read ({detail})."),
    "aborted": ("Avbrutet.", "Aborted."),
}

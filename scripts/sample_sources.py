"""Write the synthetic sample's reports in the shapes each source really has.

From ``rapporter.csv`` (written by :mod:`scripts.sample`) this writes, beside it:

- ``tycktill_export.csv`` — Tyck till rows the way a municipality exports them:
  Windows-1252, ``;``, WGS84 latitude/longitude with decimal commas,
  Ärendenummer/Skapad/Kategori/Beskrivning/Adress/Status/Avslutad (the close
  time of closed cases: most klotter within the municipal rule's 48 hours, see
  :func:`_close_times`).
- ``est_lagesbild.xlsx`` — EST rows, one sheet per quarter, with Datum and Tid
  in separate columns, Ort and Plats but NO coordinates (the geocoder places
  them from the gazetteer).
- ``trygghetsvandringar.xlsx`` — the two safety walks in the tool's protocol
  template, with coordinates.

Every row of ``rapporter.csv`` lands in exactly one of these files, so the demo
reads the same 2,250 rows through the real source formats. SYNTHETIC DATA.
"""

from __future__ import annotations

import csv
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from openpyxl import Workbook

from trygg.geo.crs import transform_xy
from trygg.layers.sources.walk import TEMPLATE_COLUMNS


def _read(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    x = pd.to_numeric(df["X"].str.replace(",", "."), errors="coerce")
    y = pd.to_numeric(df["Y"].str.replace(",", "."), errors="coerce")
    df["_x"], df["_y"] = x, y
    return df


def _ort(df: pd.DataFrame, tatorter: gpd.GeoDataFrame) -> pd.Series:
    """Town of each row: from ', Ort' in the place text, else the town polygon
    the point lies in (nearest town for points outside every town)."""
    from_text = df["Plats"].str.extract(r",\s*([^,]+)$")[0]
    pts = gpd.GeoSeries(gpd.points_from_xy(df["_x"], df["_y"]), crs=tatorter.crs)
    near = gpd.sjoin_nearest(gpd.GeoDataFrame(geometry=pts), tatorter[["namn", "geometry"]],
                             how="left")
    near = near[~near.index.duplicated()]["namn"]
    return from_text.fillna(near).fillna("")


#: Share of closed klotter cases the sample closes within 48 hours, and the
#: median hours other closed cases take (exponential).
KLOTTER_48H_SHARE = 0.7
OTHER_MEDIAN_HOURS = 120.0


def _close_times(df: pd.DataFrame, seed: int = 2026) -> list[str]:
    """``Avslutad`` per row: empty for open cases; otherwise the report time plus a
    delay: for klotter a uniform 2–46 h with probability :data:`KLOTTER_48H_SHARE`,
    else 50–400 h; for other categories exponential with median
    :data:`OTHER_MEDIAN_HOURS`. Seeded, so the demo's indicator is the same each run."""
    rng = np.random.default_rng(seed)
    n = len(df)
    quick, fast, slow = rng.random(n), rng.uniform(2, 46, n), rng.uniform(50, 400, n)
    other = rng.exponential(OTHER_MEDIAN_HOURS / np.log(2), n) + 1.0
    klotter = df["Kategori"].str.lower().str.contains("klotter").to_numpy()
    hours = np.where(klotter, np.where(quick < KLOTTER_48H_SHARE, fast, slow), other)
    created = pd.to_datetime(df["Datum"])
    closed = created + pd.to_timedelta(np.round(hours * 60), unit="min")
    done = df["Status"].str.lower().eq("avslutad").to_numpy()
    return [c.strftime("%Y-%m-%d %H:%M") if d else "" for c, d in zip(closed, done, strict=True)]


def _tycktill(df: pd.DataFrame, out: Path) -> None:
    lon, lat = transform_xy(df["_x"], df["_y"], "EPSG:3006", "EPSG:4326")

    def comma(values: np.ndarray) -> list[str]:
        return ["" if np.isnan(v) else f"{v:.6f}".replace(".", ",") for v in values]

    bad = df["X"].str.strip().ne("") & df["_x"].isna()  # keep the sample's broken value
    lat_text = np.where(bad, df["X"], comma(lat))
    with open(out, "w", encoding="cp1252", errors="replace", newline="") as fh:
        w = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        w.writerow(["Ärendenummer", "Skapad", "Kategori", "Beskrivning", "Adress", "Latitud",
                    "Longitud", "Status", "Avslutad"])
        for row, la, lo, closed in zip(df.itertuples(index=False), lat_text, comma(lon),
                                       _close_times(df), strict=True):
            w.writerow([row[0], row.Datum, row.Kategori, row.Beskrivning, row.Plats, la, lo,
                        row.Status, closed])


def _est(df: pd.DataFrame, ort: pd.Series, out: Path) -> None:
    when = pd.to_datetime(df["Datum"])
    quarter = when.dt.year.astype(str) + " Q" + when.dt.quarter.astype(str)
    place = df["Plats"].str.replace(r",\s*[^,]+$", "", regex=True)
    wb = Workbook()
    wb.remove(wb.active)
    for q in sorted(quarter.unique()):
        ws = wb.create_sheet(q)
        ws.append(["Datum", "Tid", "Ort", "Plats", "Händelsetyp", "Beskrivning",
                   "Rapportör/organisation", "ID"])
        for i in np.flatnonzero((quarter == q).to_numpy()):
            ws.append([when.iloc[i].to_pydatetime().replace(hour=0, minute=0),
                       when.iloc[i].strftime("%H:%M"), ort.iloc[i], place.iloc[i],
                       df["Kategori"].iloc[i], df["Beskrivning"].iloc[i],
                       df["Organisation"].iloc[i], df["Ärende-ID"].iloc[i]])
    wb.save(out)


def _walks(df: pd.DataFrame, out: Path) -> None:
    lon, lat = transform_xy(df["_x"], df["_y"], "EPSG:3006", "EPSG:4326")
    wb = Workbook()
    wb.remove(wb.active)
    for walk, rows in df.groupby(df["Organisation"], sort=True):
        ws = wb.create_sheet(walk.replace("Trygghetsvandring ", "")[:31])
        ws.append(list(TEMPLATE_COLUMNS))
        for i in rows.index:
            text = df.at[i, "Beskrivning"]
            observation, _, action = text.partition(" Förslag: ")
            ws.append([pd.Timestamp(df.at[i, "Datum"]).to_pydatetime(),
                       int(df.at[i, "Ärende-ID"].split("-")[-1]), df.at[i, "Plats"],
                       observation, df.at[i, "Kategori"], action.rstrip("."), "", "",
                       df.at[i, "Status"], round(float(lat[df.index.get_loc(i)]), 6),
                       round(float(lon[df.index.get_loc(i)]), 6)])
    wb.save(out)


def write_source_files(rapporter: str | Path, kommun: str | Path) -> dict[str, Path]:
    """Split the sample's reports into a Tyck till export, an EST workbook and walk
    protocols beside ``rapporter``; returns source code → file written."""
    rapporter = Path(rapporter)
    df = _read(rapporter)
    tatorter = gpd.read_file(kommun, layer="tatorter", engine="pyogrio")
    folder = rapporter.parent
    paths = {"tycktill": folder / "tycktill_export.csv", "est": folder / "est_lagesbild.xlsx",
             "walk": folder / "trygghetsvandringar.xlsx"}
    src = df["Källa"]
    _tycktill(df[src == "tycktill"].reset_index(drop=True), paths["tycktill"])
    est = df[src == "est"].reset_index(drop=True)
    _est(est, _ort(est, tatorter), paths["est"])
    _walks(df[src == "walk"].reset_index(drop=True), paths["walk"])
    return paths


def _gpx(places: gpd.GeoDataFrame, out: Path) -> None:
    """An evening safety walk in Björkås as GPX waypoints, the way a phone app records
    them (name, desc, time in UTC, type)."""
    stops = [("Björkås busshållplats", "Belysning", "Två lampor släckta vid hållplatsen"),
             ("ICA Björkås", "Klotter", "Nytt klotter på återvinningsstationen"),
             ("Björkåsparken", "Vegetation/sikt", "Buskarna skymmer gångvägen genom parken"),
             ("Björkåsskolan", "Otrygg plats", "Mörkt och ingen insyn bakom idrottshallen"),
             ("Fritidsgården Björken", "Nedskräpning", "Fulla papperskorgar vid entrén"),
             ("Björkås IP", "Belysning", "Belysningen på grusplanen är trasig")]
    wgs = places.set_index("namn").to_crs("EPSG:4326").geometry
    points = []
    for i, (name, kind, text) in enumerate(stops):
        pt = wgs[name]
        points.append(
            f'  <wpt lat="{pt.y:.6f}" lon="{pt.x:.6f}">\n'
            f"    <time>2026-10-13T17:{5 + 10 * i:02d}:00Z</time>\n"
            f"    <name>Stopp {i + 1} {name}</name>\n    <desc>{text}</desc>\n"
            f"    <type>{kind}</type>\n  </wpt>\n")
    out.write_text('<?xml version="1.0" encoding="UTF-8"?>\n'
                   '<gpx version="1.1" creator="Trygghetskartan exempeldata (syntetiska)" '
                   'xmlns="http://www.topografix.com/GPX/1/1">\n' + "".join(points) + "</gpx>\n",
                   encoding="utf-8")


def _own_table(addresses: gpd.GeoDataFrame, out: Path) -> None:
    """A housing company's own incident table: its date column has a name no source
    knows (``Inrapporterad``), so it is read with ``--map reported_at=Inrapporterad``.
    Windows-1252, ``;``, SWEREF 99 TM with decimal commas."""
    rows = addresses[addresses["ort"] == "Björkås"].sort_values(["gata", "nummer"]).iloc[::40]
    kinds = ["Skadegörelse", "Klotter", "Brand", "Stöld", "Nedskräpning"]
    with open(out, "w", encoding="cp1252", newline="") as fh:
        w = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        w.writerow(["Löpnummer", "Inrapporterad", "Kategori", "Beskrivning", "Adress", "X", "Y"])
        for i, row in enumerate(rows.itertuples(index=False)):
            w.writerow([f"BB-{i + 1:03d}", f"2026-09-{1 + i % 28:02d} 0{7 + i % 3}:15",
                        kinds[i % len(kinds)], "Noterat vid fastighetsronden",
                        f"{row.gata} {row.nummer}, {row.ort}",
                        f"{row.geometry.x:.1f}".replace(".", ","),
                        f"{row.geometry.y:.1f}".replace(".", ",")])


def _overrides(places: gpd.GeoDataFrame, out: Path) -> None:
    """Manual locations (plats;x;y, SWEREF 99 TM) for names the gazetteer lacks."""
    by_name = places.set_index("namn").geometry
    rows = [("Skolan i Björkås", by_name["Björkåsskolan"]),
            ("Bussterminalen", by_name["Busstationen"])]
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        w.writerow(["plats", "x", "y"])
        for name, pt in rows:
            w.writerow([name, f"{pt.x:.1f}", f"{pt.y:.1f}"])


def write_tour_files(kommun: str | Path) -> dict[str, Path]:
    """Write, beside ``kommun``, the extra files the README's tour of ``trygg`` uses:
    ``vandring.gpx`` (a walk as GPX waypoints), ``egen_tabell.csv`` (a housing
    company's own table), ``egna_lagen.csv`` (manual locations) and
    ``protokoll_ifyllt.xlsx`` (the filled-in protocol of an earlier walk,
    ``varvandring`` in Björkås). SYNTHETIC DATA.

    Returns name → file written.
    """
    kommun = Path(kommun)
    places = gpd.read_file(kommun, layer="platser", engine="pyogrio")
    addresses = gpd.read_file(kommun, layer="adresser", engine="pyogrio")
    paths = {"gpx": kommun.with_name("vandring.gpx"),
             "table": kommun.with_name("egen_tabell.csv"),
             "overrides": kommun.with_name("egna_lagen.csv"),
             "protocol": kommun.with_name("protokoll_ifyllt.xlsx")}
    _gpx(places, paths["gpx"])
    _own_table(addresses, paths["table"])
    _overrides(places, paths["overrides"])
    _filled_protocol(places, paths["protocol"])
    return paths


def _filled_protocol(places: gpd.GeoDataFrame, out: Path) -> None:
    """An earlier walk's protocol (``varvandring``, 2025-04-22, six named places in
    Björkås), filled in by :func:`fill_walk_protocol`."""
    import datetime as dt

    from trygg.maps.walk_xlsx import write_protocol

    stops = places[places["ort"] == "Björkås"].sort_values("namn").head(6)
    stops = gpd.GeoDataFrame({"walk_id": "varvandring", "stop": range(1, len(stops) + 1),
                              "place_name": stops["namn"].to_numpy()},
                             geometry=stops.geometry.to_numpy(), crs=places.crs)
    blank = out.with_name(".protokoll_tomt.xlsx")
    write_protocol(stops, blank, date=dt.date(2025, 4, 22))
    try:
        fill_walk_protocol(blank, out, closed=1)
    finally:
        blank.unlink(missing_ok=True)


#: What the demo's walk group writes at a stop, by the stop's most reported category:
#: (observation, category label as in the protocol's list, proposed action, responsible).
_WALK_FINDINGS = {
    "belysning": ("Två lampor släckta, gångvägen helt mörk mellan lamporna.",
                  "belysning", "Byt armaturer och laga de släckta lamporna.", "kommun"),
    "sikt_vegetation": ("Höga buskar skymmer sikten in mot gångvägen.", "sikt_vegetation",
                        "Gallra buskagen till under en meter.", "fastighetsagare"),
    "klotter": ("Nytt klotter på elskåp och plank.", "klotter", "Sanera klottret.",
                "kommun"),
    "nedskrapning": ("Mycket skräp kring bänkarna, papperskorgen full.", "nedskrapning",
                     "Töm oftare och sätt en större papperskorg.", "kommun"),
    "skadegorelse": ("Krossad ruta i busskuren.", "skadegorelse", "Byt glaset.", "annan"),
}
_WALK_DEFAULT = ("Otrygg passage, dålig överblick.", "otrygg_plats",
                 "Se över belysning och sikt vid passagen.", "kommun")


def fill_walk_protocol(protocol: str | Path, out: str | Path, *, seed: int = 2026,
                       closed: int = 2) -> Path:
    """Fill the protocol ``trygg walk`` wrote as a walk group would: an observation,
    a category, the nine scores and a proposed action at every stop, by the stop's
    most reported category (see :data:`_WALK_FINDINGS`; in turn without a
    ``platser.csv`` beside ``protocol``); the first ``closed``
    actions are already done. Reads and writes the columns by their Swedish
    headers; saved as ``out``. SYNTHETIC DATA, for the demo and the README."""
    import json

    from openpyxl import load_workbook

    from trygg.layers.labels import label
    from trygg.layers.walks.protocol import SCORE_PARAMETERS

    rng = np.random.default_rng(seed)
    wb = load_workbook(protocol)
    ws = wb.worksheets[0]
    header = {str(c.value).strip(): c.column for c in ws[1] if c.value is not None}

    def put(row: int, name: str, value) -> None:
        ws.cell(row=row, column=header[name], value=value)

    stops_file = Path(protocol).with_name("platser.csv")
    top = {}
    if stops_file.is_file():  # the stops' most reported category, from platser.csv
        table = pd.read_csv(stops_file, sep=";", decimal=",", encoding="utf-8-sig")
        counts = [c for c in table.columns if c.endswith("(antal)")]
        for _, r in table.iterrows():
            if counts and r[counts].max() > 0:
                top[int(r["Stopp"])] = r[counts].astype(float).idxmax().removesuffix(
                    " (antal)")
    codes = {label("category", c): c for c in _WALK_FINDINGS}
    for n, row in enumerate(range(2, ws.max_row + 1)):
        stop = ws.cell(row=row, column=header["Stopp"]).value
        if stop in (None, ""):
            continue
        cycle = [*_WALK_FINDINGS.values(), _WALK_DEFAULT]  # without counts: one of each
        finding = _WALK_FINDINGS.get(codes.get(top.get(int(stop), ""), ""),
                                     cycle[n % len(cycle)])
        observation, category, action, responsible = finding
        put(row, "Observation", observation)
        put(row, "Kategori", label("category", category))
        put(row, "Grupp", label("walk_group", ("kvinnor", "unga", "blandad")[n % 3]))
        put(row, "Ljus/mörker", label("light", "morkt" if n % 4 else "ljust"))
        base = rng.integers(0, 4, len(SCORE_PARAMETERS))
        base[-1] = int(np.clip(round(float(np.mean(base[:3]))), 0, 3))  # feeling follows light
        for code, value in zip(SCORE_PARAMETERS, base, strict=True):
            put(row, label("score", code), int(value))
        put(row, "Åtgärdsförslag", action)
        put(row, "Ansvarig", label("responsible", responsible))
        put(row, "Prioritet", label("priority", ("hog", "medel", "lag")[n % 3]))
        if n < closed:
            put(row, "Status", label("action_status", "done"))
            put(row, "Stängd datum", "2025-11-20")
        put(row, "Fotoreferens", f"IMG_{1000 + n}.jpg")
    wb.properties.description = json.dumps({"filled_by": "trygg demo (synthetic)"})
    out = Path(out)
    wb.save(out)
    return out

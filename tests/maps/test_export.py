import csv
import json
import re

import pytest
from openpyxl import load_workbook

from trygg.geo.errors import ArgumentError
from trygg.layers.ingest import ingest_file
from trygg.maps.export import export_layer, neutralise


@pytest.fixture
def filled(project, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(
        "id;datum;kategori;beskrivning;x;y\n"
        '1;2025-04-01 20:00;Klotter;"=HYPERLINK(""http://example.invalid"",""klicka"")";'
        "621000;6650000\n"
        "2;2025-04-02 21:00;Klotter;+46 70 000 00 00;621010;6650010\n"
        "3;2025-04-03 22:00;Klotter;vanlig text;621020;6650020\n", encoding="utf-8")
    ingest_file(project, path)
    return project


def test_neutralise_prefixes_formula_starts_only():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("-5") == "'-5"
    assert neutralise("text") == "text"
    assert neutralise(-5.0) == -5.0


def test_csv_is_excel_swedish_and_formula_safe(filled, tmp_path):
    out = export_layer(filled, "reports", tmp_path / "r.csv").path
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    by_id = {r["Id i källan"]: r for r in rows}
    # CSV has no text cells: the apostrophe is the guard, and it stays visible
    assert by_id["1"]["Beskrivning"].startswith("'=HYPERLINK")
    assert by_id["2"]["Beskrivning"] == "'+46 70 000 00 00"
    assert by_id["3"]["Beskrivning"] == "vanlig text"
    assert by_id["1"]["X (öst, meter)"] == "621000" and by_id["1"]["Y (nord, meter)"] == "6650000"
    lat, lon = by_id["1"]["Latitud (WGS 84)"], by_id["1"]["Longitud (WGS 84)"]
    assert re.fullmatch(r"59,\d{5,6}", lat) and re.fullmatch(r"1[67],\d{5,6}", lon)  # decimal comma
    assert by_id["1"]["Rapporterad"] == "2025-04-01 20:00"
    assert by_id["1"]["Kategori"] == "Klotter" and by_id["1"]["Källa"] == "Tabell"
    assert not any(h.lower() in ("wkt", "geometry", "geom") for h in rows[0])


def test_xlsx_cells_are_text_never_formulas_and_show_no_apostrophe(filled, tmp_path):
    out = export_layer(filled, "reports", tmp_path / "r.xlsx").path
    ws = load_workbook(out).active
    header = [c.value for c in ws[1]]
    col = header.index("Beskrivning")
    cells = {row[col].value: row[col] for row in ws.iter_rows(min_row=2)}
    hostile = cells['=HYPERLINK("http://example.invalid","klicka")']
    assert hostile.data_type == "s" and hostile.quotePrefix  # text, also when edited
    assert cells["+46 70 000 00 00"].data_type == "s" and cells["+46 70 000 00 00"].quotePrefix
    assert not cells["vanlig text"].quotePrefix
    assert not any(str(v).startswith("'") for v in cells)
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_geojson_is_wgs84_and_gpkg_keeps_project_crs(filled, tmp_path):
    import pyogrio

    gj = export_layer(filled, "reports", tmp_path / "r.geojson").path
    lon, lat = json.loads(gj.read_text("utf-8"))["features"][0]["geometry"]["coordinates"]
    assert 16 < lon < 18 and 59 < lat < 61
    gp = export_layer(filled, "reports", tmp_path / "r.gpkg").path
    assert pyogrio.read_info(gp, layer="rapporter")["crs"] == "EPSG:3006"


def test_unknown_suffix_and_layer_are_user_errors(filled, tmp_path):
    with pytest.raises(ArgumentError, match=".xlsx"):
        export_layer(filled, "reports", tmp_path / "r.pdf")
    from trygg.geo.errors import ProjectError
    with pytest.raises(ProjectError, match="reports"):
        export_layer(filled, "saknas", tmp_path / "r.csv")


# -- onto the project, existing files, characters a format cannot hold, CR in CSV ----------
def _sha(path):
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _with_descriptions(store, texts):
    """The store with the reports' descriptions replaced by ``texts`` (in order)."""
    reports = store.read_reports()
    reports = reports.iloc[:len(texts)].copy()
    reports["description"] = texts
    with store.transaction() as tx:
        tx.replace("reports", reports)
    return store


@pytest.mark.parametrize("spelling", ["same", "dotdot", "symlink", "hardlink"])
def test_export_never_writes_onto_the_project(filled, tmp_path, spelling):
    import os

    project = filled.path
    before = _sha(project)
    if spelling == "same":
        out = project
    elif spelling == "dotdot":
        (tmp_path / "sub").mkdir()
        out = tmp_path / "sub" / ".." / project.name
    elif spelling == "symlink":
        out = tmp_path / "lank.gpkg"
        out.symlink_to(project)
    elif spelling == "hardlink":
        out = tmp_path / "hard.gpkg"
        os.link(project, out)
    with pytest.raises(ArgumentError, match="samma fil som projektet"):
        export_layer(filled, "reports", out, force=True)
    assert _sha(project) == before
    assert len(filled.read_reports()) == 3


def test_an_existing_file_is_replaced_only_with_force(filled, tmp_path):
    out = tmp_path / "r.csv"
    out.write_text("mitt eget arbete", encoding="utf-8")
    with pytest.raises(ArgumentError, match="--force"):
        export_layer(filled, "reports", out)
    assert out.read_text(encoding="utf-8") == "mitt eget arbete"
    folder = tmp_path / "mapp.xlsx"
    folder.mkdir()
    with pytest.raises(ArgumentError, match="mapp"):
        export_layer(filled, "reports", folder, force=True)
    result = export_layer(filled, "reports", out, force=True)
    assert result.path == out and result.rows == 3 and "Id i källan" in out.read_text("utf-8-sig")


def test_xlsx_drops_characters_excel_cannot_hold_and_says_how_many(filled, tmp_path):
    _with_descriptions(filled, ["ESC\x1b[31mröd", "bell\x07 och \x0bvt", "vanlig\ttext\n"])
    result = export_layer(filled, "reports", tmp_path / "r.xlsx")
    assert result.removed == 3
    assert result.notes and result.notes[0][0].startswith("3 tecken som Excel inte kan lagra")
    ws = load_workbook(result.path).active
    col = [c.value for c in ws[1]].index("Beskrivning")
    values = sorted(row[col].value for row in ws.iter_rows(min_row=2))
    assert values == sorted(["ESC[31mröd", "bell och vt", "vanlig\ttext\n"])


def test_csv_and_geojson_keep_the_control_characters_they_can_hold(filled, tmp_path):
    _with_descriptions(filled, ["ESC\x1b[0m", "c", "d"])
    result = export_layer(filled, "reports", tmp_path / "r.csv")
    assert result.removed == 0 and not result.notes
    assert "ESC\x1b[0m" in result.path.read_text("utf-8-sig")
    gj = json.loads(export_layer(filled, "reports", tmp_path / "r.geojson").path.read_text())
    assert "ESC\x1b[0m" in [f["properties"]["description"] for f in gj["features"]]


HOSTILE = ["rad ett\r=cmd|' /C calc'!A0", "rad två\n+46 70 000\r\n@SUM(1)",
           "\r-2+3;\"citat\""]


def test_csv_quotes_every_line_break_and_no_physical_line_starts_a_formula(filled, tmp_path):
    _with_descriptions(filled, HOSTILE)
    out = export_layer(filled, "reports", tmp_path / "r.csv").path
    raw = out.read_bytes().decode("utf-8-sig")
    for line in re.split(r"\r\n|\r|\n", raw):
        assert not line.startswith(("=", "+", "-", "@")), repr(line)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert len(rows) == 3
    got = sorted(r["Beskrivning"] for r in rows)
    assert got == sorted(["rad ett\r'=cmd|' /C calc'!A0", "rad två\n'+46 70 000\r\n'@SUM(1)",
                          "'\r'-2+3;\"citat\""])
    assert all(r["X (öst, meter)"].startswith("6210") for r in rows)  # the row did not split
    assert all(re.fullmatch(r"1[67],\d+", r["Longitud (WGS 84)"]) for r in rows)
    import pandas as pd

    frame = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig")
    assert len(frame) == 3 and sorted(frame["Beskrivning"]) == got
    assert frame["X (öst, meter)"].between(620_000, 622_000).all()


def test_neutralise_guards_every_line_of_a_cell():
    assert neutralise("ok\n=1+1") == "ok\n'=1+1"
    assert neutralise("ok\r@x\r\n-1") == "ok\r'@x\r\n'-1"
    assert neutralise("a - b\nc") == "a - b\nc"


def test_xlsx_cuts_text_longer_than_an_excel_cell_holds_and_says_so(filled, tmp_path):
    from trygg.maps.export import XLSX_CELL_LIMIT

    _with_descriptions(filled, ["x" * (XLSX_CELL_LIMIT + 10), "kort", "y" * XLSX_CELL_LIMIT])
    result = export_layer(filled, "reports", tmp_path / "r.xlsx")
    assert result.shortened == 1 and "kortades" in result.notes[0][0]
    ws = load_workbook(result.path).active
    col = [c.value for c in ws[1]].index("Beskrivning")
    lengths = sorted(len(row[col].value) for row in ws.iter_rows(min_row=2))
    assert lengths == [4, XLSX_CELL_LIMIT, XLSX_CELL_LIMIT]


def test_write_errors_name_the_output_and_say_when_the_disk_is_full(tmp_path, monkeypatch):
    import errno
    from collections import namedtuple

    from pyogrio.errors import DataSourceError

    from trygg.geo.errors import InputFileError
    from trygg.maps.export import write_error

    out = tmp_path / "e.gpkg"
    full = write_error(out, OSError(errno.ENOSPC, "No space left on device"))
    assert isinstance(full, InputFileError) and full.sv.startswith(f"Disken är full: '{out}'")
    denied = write_error(out, OSError(errno.EACCES, "Permission denied"))
    assert f"Kan inte skriva '{out}'" in denied.sv and "Permission denied" in denied.sv
    gdal = write_error(out, DataSourceError("Failed to commit transaction"))
    assert "Failed to commit transaction" in gdal.sv  # the folder takes a test write
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr("trygg.maps.export.shutil.disk_usage", lambda _p: usage(1, 1, 0))
    gdal = write_error(out, DataSourceError("Failed to commit transaction"))
    assert gdal.en.startswith(f"The disk is full: '{out}' could not be written")
    assert write_error(out, ValueError("a bug")) is None
    assert list(tmp_path.iterdir()) == []  # the probe is gone


def test_an_export_that_fails_leaves_nothing(filled, tmp_path, monkeypatch):
    from pyogrio.errors import DataSourceError

    from trygg.geo.errors import InputFileError

    def broken(*args, **kwargs):
        raise DataSourceError("Failed to commit transaction")

    monkeypatch.setattr("trygg.maps.export.pyogrio.write_dataframe", broken)
    out = tmp_path / "ut" / "e.gpkg"
    out.parent.mkdir()
    with pytest.raises(InputFileError, match="e.gpkg"):
        export_layer(filled, "reports", out)
    assert list(out.parent.iterdir()) == []


# -- spreadsheets people read: headers, labels, types, layout ------------------------------
def _sheet(path):
    ws = load_workbook(path).active
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=2)]
    return ws, header, rows


def test_xlsx_has_a_frozen_filtered_header_fitting_widths_dates_and_numbers(filled, tmp_path):
    from openpyxl.utils import get_column_letter

    ws, header, rows = _sheet(export_layer(filled, "reports", tmp_path / "r.xlsx").path)
    assert ws.title == "rapporter"
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{get_column_letter(len(header))}4"
    assert all(c.font.bold for c in ws[1])
    widths = {h: ws.column_dimensions[get_column_letter(i + 1)].width
              for i, h in enumerate(header)}
    assert all(6 <= w <= 60 for w in widths.values())
    assert widths["Beskrivning"] > widths["Status"]
    reported = rows[0]["Rapporterad"]
    assert reported.is_date and reported.number_format == "yyyy-mm-dd hh:mm"
    assert {r["Rapporterad"].value.strftime("%Y-%m-%d %H:%M") for r in rows} == {
        "2025-04-01 20:00", "2025-04-02 21:00", "2025-04-03 22:00"}  # local time
    for name in ("X (öst, meter)", "Y (nord, meter)", "Latitud (WGS 84)", "Longitud (WGS 84)",
                 "Vikt"):
        assert all(r[name].data_type == "n" and isinstance(r[name].value, (int, float))
                   for r in rows), name
    assert {r["Kategori"].value for r in rows} == {"Klotter"}
    assert {r["Lägesprecision"].value for r in rows} == {"Exakt läge"}
    assert {r["Synlighet"].value for r in rows} <= {"Intern", "Publik"}
    assert "report_id" not in header and "Rapport-id" in header


def test_columns_codes_keeps_the_stored_names_and_codes(filled, tmp_path):
    out = export_layer(filled, "reports", tmp_path / "r.csv", columns="codes").path
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert {"report_id", "category", "precision", "x", "y", "lat", "lon"} <= set(rows[0])
    assert {r["category"] for r in rows} == {"klotter"}
    assert {r["precision"] for r in rows} == {"exact"}
    assert rows[0]["reported_at"].count(":") == 2  # seconds kept
    ws, header, _ = _sheet(export_layer(filled, "reports", tmp_path / "r.xlsx",
                                        columns="codes").path)
    assert "report_id" in header and "extra" in header


def test_english_headers_labels_and_csv_dialect(filled, tmp_path):
    out = export_layer(filled, "reports", tmp_path / "r.csv", lang="en").path
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=","))
    assert rows[0]["Category"] == "Graffiti" and rows[0]["Location precision"] == "Exact location"
    assert re.fullmatch(r"59\.\d+", rows[0]["Latitude (WGS 84)"])  # a decimal point
    ws, header, rows = _sheet(export_layer(filled, "reports", tmp_path / "r.xlsx",
                                           lang="en").path)
    assert ws.title == "reports" and "Reported" in header


def test_columns_is_checked_and_sv_only_for_spreadsheets(filled, tmp_path):
    with pytest.raises(ArgumentError, match="sv eller codes"):
        export_layer(filled, "reports", tmp_path / "r.csv", columns="svenska")
    for suffix in (".gpkg", ".geojson"):
        with pytest.raises(ArgumentError, match="gäller bara .csv och .xlsx"):
            export_layer(filled, "reports", tmp_path / f"r{suffix}", columns="sv")
    assert not list(tmp_path.glob("r.*"))


def test_xlsx_refuses_more_rows_than_a_sheet_holds(filled, tmp_path, monkeypatch):
    monkeypatch.setattr("trygg.maps.export.XLSX_ROW_LIMIT", 3)
    with pytest.raises(ArgumentError, match="Exportera till .csv"):
        export_layer(filled, "reports", tmp_path / "r.xlsx")
    assert not (tmp_path / "r.xlsx").exists()


def test_the_extra_fields_of_a_report_become_columns(project, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("id;datum;kategori;x;y;Diarienummer;Handläggare\n"
                    "1;2025-04-01 20:00;Klotter;621000;6650000;sanera väggen;Gatukontoret\n"
                    "2;2025-04-02 21:00;Klotter;621010;6650010;=måla över;\n",
                    encoding="utf-8")
    ingest_file(project, path)
    ws, header, rows = _sheet(export_layer(project, "reports", tmp_path / "r.xlsx").path)
    assert "Övriga fält" not in header and "extra" not in header
    assert {"Diarienummer", "Handläggare", "Rad i källfilen"} <= set(header)
    by_line = {r["Rad i källfilen"].value: r for r in rows}
    assert set(by_line) == {2, 3}  # line numbers as numbers
    assert by_line[2]["Diarienummer"].value == "sanera väggen"
    assert by_line[3]["Diarienummer"].value == "=måla över"
    assert by_line[3]["Diarienummer"].quotePrefix
    assert not any(isinstance(c.value, str) and c.value.startswith(("{", "["))
                   for r in rows for c in r.values())


def test_a_rejected_row_is_shown_with_its_own_columns(project, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("id;datum;kategori;x;y\n1;2025-04-01 20:00;Klotter;abc;6650000\n",
                    encoding="utf-8")
    ingest_file(project, path)
    ws, header, rows = _sheet(export_layer(project, "rejects", tmp_path / "a.xlsx").path)
    assert ws.title == "avvisade"
    assert {"Fil", "Rad", "Orsak", "id", "datum", "kategori", "x", "y"} <= set(header)
    assert rows[0]["Orsak"].value == "ogiltiga koordinater" and rows[0]["x"].value == "abc"
    assert rows[0]["Rad"].value == 2


# -- analysis layers: a project with Gi*, hotspot areas and KDE -------------------------
@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    """A project of 900 reports around three centres (two categories each), with a Gi*
    run under its default (time-stamped) name, hotspot areas and a KDE surface."""
    import numpy as np

    from trygg.layers.hotspots.runs import run_hotspots
    from trygg.layers.store import create_project

    folder = tmp_path_factory.mktemp("analys")
    store = create_project(folder / "analys.gpkg", name="Analyskommun")
    rng = np.random.default_rng(7)
    lines = ["id;datum;kategori;x;y"]
    centres = [(621000, 6650000, "Klotter"), (622500, 6651500, "Skadegörelse"),
               (620000, 6652000, "Bristande belysning")]
    for i in range(900):
        cx, cy, cat = centres[i % 3]
        spread = 60 if i % 2 else 900
        x, y = cx + rng.normal(0, spread), cy + rng.normal(0, spread)
        lines.append(f"{i};2025-0{1 + i % 9}-{1 + i % 28:02d} 2{i % 4}:00;{cat};{x:.1f};{y:.1f}")
    path = folder / "in.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest_file(store, path)
    runs = {method: run_hotspots(store, method) for method in ("gistar", "clusters", "kde")}
    return store, runs


def _layer(store, prefix, run):
    return next(n for n in store.layers() if n == f"{prefix}_{run.run_id}")


def test_hotspot_areas_expand_counts_and_leave_out_the_weekday_hour_json(analysed, tmp_path):
    store, runs = analysed
    layer = _layer(store, "hotspots", runs["clusters"])
    ws, header, rows = _sheet(export_layer(store, layer, tmp_path / "h.xlsx").path)
    assert ws.title == "hotspots"
    assert {"Klotter (antal)", "Skadegörelse (antal)", "Tabell (antal)"} <= set(header)
    assert not {"by_category", "weekday_hour", "Rapporter per veckodag och timme"} & set(header)
    for r in rows:
        counts = [r[h].value for h in header if h.endswith("(antal)") and "Tabell" not in h]
        assert sum(counts) == r["Rapporter"].value == r["Tabell (antal)"].value
    assert rows[0]["Andel i mörker"].number_format == "0%"
    assert rows[0]["Första"].is_date
    assert not any(isinstance(c.value, str) and c.value.startswith(("{", "["))
                   for r in rows for c in r.values())
    xs = [r["X (öst, meter)"].value for r in rows]
    assert all(619_000 < x < 624_000 for x in xs)  # each area's centre


def test_exported_layers_are_named_for_what_they_hold_not_the_run(analysed, tmp_path):
    import pyogrio

    store, runs = analysed
    run_id = runs["gistar"].run_id
    assert any(ch.isdigit() for ch in run_id)  # the default name carries a time stamp
    layer = _layer(store, "grid", runs["gistar"])
    gp = export_layer(store, layer, tmp_path / "g.gpkg").path
    assert [n for n, _ in pyogrio.list_layers(gp)] == ["gistar", "layer_styles"]
    import sqlite3

    with sqlite3.connect(gp) as conn:
        identifier, description = conn.execute(
            "SELECT identifier, description FROM gpkg_contents WHERE table_name = 'gistar'"
        ).fetchone()
    assert run_id in description and "Analyskommun" in description and run_id not in identifier
    gj = json.loads(export_layer(store, layer, tmp_path / "g.geojson").path.read_text("utf-8"))
    assert gj["name"] == "gistar" and run_id in gj["description"]
    ws, _, _ = _sheet(export_layer(store, layer, tmp_path / "g.xlsx").path)
    assert ws.title == "gistar"
    hs = export_layer(store, _layer(store, "hotspots", runs["clusters"]), tmp_path / "h.gpkg")
    assert hs.layer == "hotspots"


def test_geojson_is_named_after_the_layer_not_a_temporary_file(filled, tmp_path):
    gj = json.loads(export_layer(filled, "reports", tmp_path / "r.geojson").path.read_text())
    assert gj["name"] == "rapporter" and ".tmp" not in json.dumps(gj)
    assert {f["properties"]["category"] for f in gj["features"]} == {"klotter"}  # codes
    assert "report_id" in gj["features"][0]["properties"]


# -- GeoPackage: version, styles for QGIS ------------------------------------------------
def _styles(path):
    import sqlite3

    with sqlite3.connect(path) as conn:
        version, app = (conn.execute(f"PRAGMA {p}").fetchone()[0]
                        for p in ("user_version", "application_id"))
        contents = dict(conn.execute("SELECT table_name, data_type FROM gpkg_contents"))
        styles = conn.execute("SELECT f_table_name, f_geometry_column, styleName, styleQML, "
                              "styleSLD, useAsDefault FROM layer_styles").fetchall()
    return version, app, contents, styles


def _qml_categories(qml):
    import xml.etree.ElementTree as ET

    root = ET.fromstring(qml)
    renderer = root.find("renderer-v2")
    symbols = {s.get("name"): s for s in renderer.iter("symbol")}

    def colour(symbol):
        value = symbol.find("layer/Option[@type='Map']/Option[@name='color']").get("value")
        prop = symbol.find("layer/prop[@k='color']").get("v")
        assert value == prop
        r, g, b, _a = (int(v) for v in value.split(","))
        return f"#{r:02x}{g:02x}{b:02x}"

    return renderer, {c.get("value"): (c.get("label"), colour(symbols[c.get("symbol")]),
                                       c.get("render"))
                      for c in renderer.iter("category")}


def test_gpkg_is_version_1_2_with_a_category_style_for_qgis(analysed, tmp_path):
    import xml.etree.ElementTree as ET

    from trygg.layers.schema import CATEGORIES

    store, _ = analysed
    out = export_layer(store, "reports", tmp_path / "r.gpkg").path
    version, app, contents, styles = _styles(out)
    assert version == 10200 and app == 0x47504B47
    assert contents == {"rapporter": "features", "layer_styles": "attributes"}
    [(table, geom, name, qml, sld, default)] = styles
    assert (table, geom, default) == ("rapporter", "geom", 1) and name
    renderer, cats = _qml_categories(qml)
    assert renderer.get("type") == "categorizedSymbol" and renderer.get("attr") == "category"
    present = set(store.read_reports(["category"])["category"])
    assert set(cats) == present == {"klotter", "skadegorelse", "belysning"}
    for code, (label, colour, render) in cats.items():
        assert label == CATEGORIES[code].sv and colour == CATEGORIES[code].colour
        assert render == "true"
    root = ET.fromstring(qml)
    aliases = {a.get("field"): a.get("name") for a in root.iter("alias")}
    assert aliases["reported_at"] == "Rapporterad" and aliases["category"] == "Kategori"
    value_map = {o.get("value"): o.get("name") for o in root.findall(
        "fieldConfiguration/field[@name='category']/editWidget/config/Option/Option/Option/"
        "Option")}
    assert value_map["klotter"] == "Klotter"
    sld_root = ET.fromstring(sld.encode("utf-8"))
    literals = {e.text for e in sld_root.iter("{http://www.opengis.net/ogc}Literal")}
    assert literals == present
    en = export_layer(store, "reports", tmp_path / "en.gpkg", lang="en").path
    _, cats_en = _qml_categories(_styles(en)[3][0][3])
    assert cats_en["klotter"][0] == "Graffiti"


def test_gistar_and_hotspot_styles_use_the_map_colours(analysed, tmp_path):
    from trygg.maps.overlays import GISTAR_CLASSES

    store, runs = analysed
    out = export_layer(store, _layer(store, "grid", runs["gistar"]), tmp_path / "g.gpkg").path
    [(table, _, _, qml, _, _)] = _styles(out)[3]
    renderer, cats = _qml_categories(qml)
    assert table == "gistar" and renderer.get("attr") == "klass"
    for code, colour in GISTAR_CLASSES.items():
        assert cats[code][1] == colour and cats[code][2] == "true"
    assert cats["hot_99"][0] == "Hotspot 99 %"
    assert cats["none"][2] == "false" and cats["not_tested"][2] == "false"  # listed, off
    out = export_layer(store, _layer(store, "hotspots", runs["clusters"]),
                       tmp_path / "h.gpkg").path
    [(table, _, _, qml, _, _)] = _styles(out)[3]
    import xml.etree.ElementTree as ET

    renderer = ET.fromstring(qml).find("renderer-v2")
    assert table == "hotspots" and renderer.get("type") == "singleSymbol"
    props = {p.get("k"): p.get("v") for p in renderer.iter("prop")}
    assert props["outline_color"] == "91,26,138,255" and props["outline_style"] == "solid"
    assert props["color"].endswith(",31")  # a faint fill: the streets show through


def test_kde_and_count_grids_get_quantile_classes_of_the_cells_with_reports(analysed,
                                                                            tmp_path):
    import xml.etree.ElementTree as ET

    from trygg.maps.overlays import COUNT_COLOURS

    store, runs = analysed
    layer = _layer(store, "grid", runs["kde"])
    out = export_layer(store, layer, tmp_path / "k.gpkg").path
    [(table, _, _, qml, sld, _)] = _styles(out)[3]
    renderer = ET.fromstring(qml).find("renderer-v2")
    assert table == "kde" and renderer.get("type") == "graduatedSymbol"
    assert renderer.get("attr") == "kde"
    ranges = [(float(r.get("lower")), float(r.get("upper"))) for r in renderer.iter("range")]
    kde = store.read(layer)["kde"]
    assert 2 <= len(ranges) <= 5 and ranges[0][0] == kde[kde > 0].min() > 0  # empty: not drawn
    assert ranges[-1][1] == pytest.approx(kde.max())
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:], strict=False))
    colours = [s.find("layer/prop[@k='color']").get("v") for s in renderer.iter("symbol")]
    assert [c.rsplit(",", 1)[0] for c in colours] == [
        ",".join(str(int(h[i:i + 2], 16)) for i in (1, 3, 5)) for h in COUNT_COLOURS[:len(ranges)]]
    assert sld.count("<se:Rule>") == len(ranges)


def test_tables_without_a_style_have_no_style_rows(filled, tmp_path):
    import pyogrio

    filled_rejects = export_layer(filled, "ingests", tmp_path / "i.gpkg").path
    assert [n for n, _ in pyogrio.list_layers(filled_rejects)] == ["inläsningar"]


def test_kde_exports_as_geotiff_with_a_pseudocolour_qml(analysed, tmp_path):
    import xml.etree.ElementTree as ET

    import rasterio

    store, runs = analysed
    result = export_layer(store, _layer(store, "grid", runs["kde"]), tmp_path / "kde.tif")
    qml = tmp_path / "kde.qml"
    assert result.files == [qml] and "kde.qml" in result.notes[0][0]
    with rasterio.open(result.path) as src:
        peak = float(src.read(1, masked=True).max())
        assert src.crs.to_epsg() == 3006
    renderer = ET.fromstring(qml.read_text("utf-8")).find("pipe/rasterrenderer")
    assert renderer.get("type") == "singlebandpseudocolor" and renderer.get("band") == "1"
    items = renderer.findall("rastershader/colorrampshader/item")
    assert float(items[0].get("value")) == 0 and items[0].get("alpha") == "0"
    assert float(items[-1].get("value")) == pytest.approx(peak)
    assert items[-1].get("color") == "#bd0026" and "rapporter per km²" in items[-1].get("label")
    with pytest.raises(ArgumentError, match="--force"):
        export_layer(store, _layer(store, "grid", runs["kde"]), tmp_path / "kde.tif")
    with pytest.raises(ArgumentError, match="bara för KDE-körningar"):
        export_layer(store, _layer(store, "grid", runs["gistar"]), tmp_path / "g.tif")


# -- what GDAL 3.6 and QGIS say --------------------------------------------------------
@pytest.fixture(scope="module")
def every_format(analysed, tmp_path_factory):
    store, runs = analysed
    folder = tmp_path_factory.mktemp("format")
    layers = ["reports", "rejects", "ingests", "runs", _layer(store, "grid", runs["gistar"]),
              _layer(store, "hotspots", runs["clusters"])]
    return [export_layer(store, layer, folder / f"{i}{suffix}").path
            for i, layer in enumerate(layers) for suffix in (".gpkg", ".geojson")]


def test_ogrinfo_opens_every_export_without_a_warning(every_format):
    import shutil
    import subprocess

    if shutil.which("ogrinfo") is None:
        pytest.skip("ogrinfo (GDAL's command line, e.g. Debian's gdal-bin) is not installed")
    for path in every_format:
        done = subprocess.run(["ogrinfo", "-al", "-so", str(path)], capture_output=True,
                              text=True, timeout=60, check=False)
        assert done.returncode == 0, done.stderr
        assert "warning" not in (done.stdout + done.stderr).lower(), (path, done.stderr)


QGIS_CHECK = """
import json, sys
from qgis.core import QgsApplication, QgsVectorLayer
app = QgsApplication([], False)
app.initQgis()
out = {}
for path in sys.argv[1:]:
    layer = QgsVectorLayer(path, "x", "ogr")
    message, ok = layer.loadDefaultStyle()
    r = layer.renderer()
    cats = ({c.value(): [c.label(), c.symbol().color().name()] for c in r.categories()}
            if r.type() == "categorizedSymbol" else {})
    fields = layer.fields()
    out[path] = {"valid": layer.isValid(), "ok": ok, "renderer": r.type(), "cats": cats,
                 "aliases": {f.name(): f.alias() for f in fields}}
print(json.dumps(out))
"""


def test_qgis_applies_the_styles_where_qgis_is_installed(analysed, tmp_path):
    import shutil
    import subprocess

    python = shutil.which("python3", path="/usr/bin")
    probe = subprocess.run([python or "python3", "-c", "import qgis.core"],
                           capture_output=True, check=False)
    if python is None or probe.returncode != 0:
        pytest.skip("QGIS's Python bindings (Debian's python3-qgis) are not installed")
    store, runs = analysed
    reports = export_layer(store, "reports", tmp_path / "r.gpkg").path
    grid = export_layer(store, _layer(store, "grid", runs["gistar"]), tmp_path / "g.gpkg").path
    kde = export_layer(store, _layer(store, "grid", runs["kde"]), tmp_path / "k.gpkg").path
    areas = export_layer(store, _layer(store, "hotspots", runs["clusters"]),
                         tmp_path / "h.gpkg").path
    done = subprocess.run([python, "-c", QGIS_CHECK, str(reports), str(grid), str(kde),
                           str(areas)],
                          capture_output=True, text=True, timeout=120, check=False,
                          env={"QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout.strip().splitlines()[-1])
    r, g = got[str(reports)], got[str(grid)]
    assert r["valid"] and r["ok"] and r["renderer"] == "categorizedSymbol"
    assert r["cats"]["klotter"] == ["Klotter", "#9b59b6"]
    assert r["aliases"]["reported_at"] == "Rapporterad"
    assert g["renderer"] == "categorizedSymbol" and g["cats"]["hot_99"][1] == "#b2182b"
    assert got[str(kde)]["renderer"] == "graduatedSymbol"
    assert got[str(areas)]["renderer"] == "singleSymbol" and got[str(areas)]["ok"]
    assert got[str(areas)]["aliases"]["share_dark"] == "Andel i mörker"


def test_a_large_csv_is_written_in_parts_with_the_same_columns(project, tmp_path, monkeypatch):
    path = tmp_path / "in.csv"
    path.write_text("id;datum;kategori;x;y;Diarienummer\n"
                    + "".join(f"{i};2025-04-0{1 + i % 9} 20:00;Klotter;{621000 + i};6650000;"
                              f"{'D-' + str(i) if i == 6 else ''}\n" for i in range(7)),
                    encoding="utf-8")
    ingest_file(project, path)
    whole = export_layer(project, "reports", tmp_path / "hel.csv").path.read_bytes()
    monkeypatch.setattr("trygg.maps.export.CSV_CHUNK_ROWS", 2)
    result = export_layer(project, "reports", tmp_path / "delar.csv")
    parts = result.path.read_bytes()
    assert result.rows == 7 and parts == whole  # one BOM, one header, same rows and order
    with open(result.path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert [r["Diarienummer"] for r in rows].count("D-6") == 1 and len(rows) == 7

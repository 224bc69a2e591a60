"""What makes a row or an ingest the same as another: content hashes with the
point, the sheet/layer selection, empty source cells, UTF-16 text, a named CRS
that does not fit the coordinates."""

import geopandas as gpd
import pytest
from shapely import Point

from trygg.geo.errors import CrsError, InputFileError
from trygg.layers.ingest import ingest_file
from trygg.layers.sources.readers import read_options

GPX = ('<?xml version="1.0"?><gpx version="1.1" creator="t" '
       'xmlns="http://www.topografix.com/GPX/1/1">{}</gpx>')


def test_two_vector_features_alike_but_for_their_place_are_two_reports(project, tmp_path):
    path = tmp_path / "klotter.geojson"
    gpd.GeoDataFrame({"Datum": ["2025-03-01"] * 2, "Kategori": ["klotter"] * 2},
                     geometry=[Point(674000, 6581000), Point(674800, 6581000)],
                     crs="EPSG:3006").to_file(path)
    s = ingest_file(project, path)
    assert (s.reports_added, s.duplicates) == (2, 0)


def test_two_gpx_waypoints_at_different_places_are_two_reports(project, tmp_path):
    path = tmp_path / "vandring.gpx"
    wpt = '<wpt lat="{}" lon="18.07"><time>2025-03-01T10:00:00Z</time><name>Klotter</name></wpt>'
    path.write_text(GPX.format(wpt.format("59.33") + wpt.format("59.34")), "utf-8")
    s = ingest_file(project, path, source="walk")
    assert (s.reports_added, s.duplicates) == (2, 0)


def test_same_point_as_csv_and_as_geopackage_hashes_alike(project, tmp_path):
    csv = tmp_path / "a.csv"
    csv.write_text("Datum;Kategori;x;y\n2025-03-01;klotter;674000;6581000.5\n", "utf-8")
    gpkg = tmp_path / "a.gpkg"
    gpd.GeoDataFrame({"Datum": ["2025-03-01"], "Kategori": ["klotter"]},
                     geometry=[Point(674000, 6581000.5)], crs="EPSG:3006").to_file(gpkg)
    assert ingest_file(project, csv).reports_added == 1
    s = ingest_file(project, gpkg)
    assert (s.reports_added, s.duplicates) == (0, 1)


def test_empty_source_cell_takes_the_files_source(project, tmp_path):
    path = tmp_path / "k.csv"
    path.write_text("Datum;Kategori;x;y;Källa\n"
                    "2025-03-01;klotter;674000;6581000;\n"
                    "2025-03-02;klotter;674100;6581000;hittepå\n", "utf-8")
    s = ingest_file(project, path, mapping={"source": "Källa"})
    assert (s.reports_added, s.rejected) == (1, 1)
    assert s.rejected_by_reason == {"unknown_source": 1}
    assert s.by_source == {"table": 1}


@pytest.mark.parametrize("encoding,bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
                                          ("utf-16-le", b""), ("utf-16-be", b"")])
def test_utf16_text_as_excel_unicode_text_writes_it(project, tmp_path, encoding, bom):
    path = tmp_path / "unicode.txt"
    text = ("Datum\tKategori\tPlats\tx\ty\r\n"
            "2025-03-01\tklotter\tÅkervägen\t674000\t6581000\r\n"
            "2025-03-02\tbelysning\tSjögatan\t674100\t6581000\r\n")
    path.write_bytes(bom + text.encode(encoding))
    s = ingest_file(project, path)
    assert (s.rows_read, s.reports_added, s.rejected) == (2, 2, 0)
    assert not any("styrtecken" in sv for sv, _en in s.notes)
    places = set(project.read_reports(["place_text"])["place_text"])
    assert places == {"Åkervägen", "Sjögatan"}


def test_broken_utf16_is_refused_naming_the_encoding(project, tmp_path):
    path = tmp_path / "trasig.csv"
    path.write_bytes(b"\xff\xfe" + "Datum;x\n".encode("utf-16-le") + b"\x00\xd8\x41\x00")
    with pytest.raises(InputFileError, match="UTF-16"):
        ingest_file(project, path)


def test_named_crs_that_does_not_fit_the_coordinates_is_refused(project, tmp_path):
    path = tmp_path / "sweref.csv"
    path.write_text("Datum;Kategori;Plats;x;y\n"
                    "2025-03-01;klotter;Storgatan 1;607547;6665144\n"
                    "2025-03-02;klotter;Storgatan 2;607600;6665200\n", "utf-8")
    with pytest.raises(CrsError, match="EPSG:3006") as err:
        ingest_file(project, path, crs="EPSG:4326")
    assert "EPSG:4326" in str(err.value)
    assert project.read_reports(["report_id"]).empty
    # Named right, the same file is read.
    assert ingest_file(project, path, crs="EPSG:3006").reports_added == 2


def _two_layers(tmp_path):
    path = tmp_path / "lager.gpkg"
    for name, x in (("klotter", 674000), ("belysning", 675000)):
        gpd.GeoDataFrame({"Datum": ["2025-03-01"], "Kategori": [name]},
                         geometry=[Point(x, 6581000)], crs="EPSG:3006").to_file(path, layer=name)
    return path


def test_another_layer_of_an_ingested_geopackage_is_read(project, tmp_path):
    path = _two_layers(tmp_path)
    with read_options(layer="klotter"):
        assert ingest_file(project, path).reports_added == 1
    with read_options(layer="belysning"):
        s = ingest_file(project, path)
    assert (s.already_ingested, s.reports_added) == (None, 1)
    with read_options(layer="klotter"):
        again = ingest_file(project, path)
    assert again.already_ingested is not None and again.reports_added == 0
    params = project.read("ingests")["params"].tolist()
    assert any('"layer": "belysning"' in p for p in params)
    with read_options(layer="zz"), pytest.raises(InputFileError, match="Lagret 'zz' finns inte"):
        ingest_file(project, path)


def _book(path, hidden=False):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Datum", "Kategori", "x", "y"])
    ws.append(["2025-03-01", "klotter", 674000, 6581000])
    other = wb.create_sheet("Gammalt")
    other.append(["Datum", "Kategori", "x", "y"])
    other.append(["2025-03-02", "belysning", 675000, 6581000])
    if hidden:
        other.sheet_state = "hidden"
    wb.save(path)
    return path


def test_another_sheet_or_hidden_sheets_of_an_ingested_workbook_are_read(project, tmp_path):
    path = _book(tmp_path / "bok.xlsx", hidden=True)
    assert ingest_file(project, path).reports_added == 1
    with pytest.raises(InputFileError, match="Bladet 'nope' finns inte"):
        ingest_file(project, path, sheet="nope")
    assert ingest_file(project, path).already_ingested is not None
    with read_options(hidden_sheets=True):
        s = ingest_file(project, path)
    assert (s.already_ingested, s.reports_added, s.duplicates) == (None, 1, 1)
    assert ingest_file(project, path, sheet="Gammalt").reports_added == 0
    assert ingest_file(project, path, sheet="Gammalt").already_ingested is not None

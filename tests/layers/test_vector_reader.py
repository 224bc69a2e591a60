"""Vector ingest (GeoJSON, GeoPackage, GPX): every feature a report or a reject."""

import json

import geopandas as gpd
import pytest
from shapely import LineString, MultiPoint, Point, Polygon

from trygg.geo.crs import crs_bounds
from trygg.geo.errors import InputFileError
from trygg.layers.sources import table, walk
from trygg.layers.sources.readers import read_options, read_raw

SWEDEN = crs_bounds("EPSG:3006")


def parse(path, module=table, **kw):
    return module.parse_file(path, target_crs="EPSG:3006", area=SWEDEN, **kw)


def _points(geoms, crs="EPSG:4326"):
    return gpd.GeoDataFrame({"Datum": ["2025-03-01"] * len(geoms),
                             "Kategori": ["klotter"] * len(geoms),
                             "Plats": [f"Plats {i}" for i in range(len(geoms))]},
                            geometry=geoms, crs=crs)


def test_multipoints_and_polygons_among_points_are_rejects(tmp_path):
    path = tmp_path / "blandat.geojson"
    _points([Point(18.70, 59.76), MultiPoint([(18.71, 59.76)]),
             MultiPoint([(18.72, 59.76), (18.73, 59.77)]),
             Polygon([(18.7, 59.7), (18.8, 59.7), (18.8, 59.8)]),
             LineString([(18.7, 59.7), (18.8, 59.8)]), Point(18.74, 59.76)]).to_file(path)
    p = parse(path)
    assert (p.rows_read, len(p.reports), len(p.rejects)) == (6, 3, 3)
    assert p.rejects.set_index("line")["reason"].to_dict() == {
        3: "multipoint", 4: "not_a_point", 5: "not_a_point"}
    assert "2 punkter" in p.rejects.set_index("line").loc[3, "detail"]
    # The MultiPoint of one point is that point.
    places = p.reports.set_index("place_text")
    assert places.loc["Plats 1", "precision"] == "exact"


def test_multipoint_only_file_from_qgis(tmp_path):
    path = tmp_path / "qgis.gpkg"
    _points([MultiPoint([(18.70 + i / 100, 59.76)]) for i in range(4)]).to_file(path)
    p = parse(path)
    assert (len(p.reports), len(p.rejects)) == (4, 0)


def test_coordinates_out_of_range_are_rejects(tmp_path):
    path = tmp_path / "utanfor.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [518.7, 959.7]},
         "properties": {"Datum": "2025-03-01", "Plats": "Torget"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [18.7, 59.7]},
         "properties": {"Datum": "2025-03-01", "Plats": "Torget"}}]}), "utf-8")
    p = parse(path)
    assert (len(p.reports), list(p.rejects["reason"])) == (1, ["bad_coordinates"])


def test_several_layers_need_layer(tmp_path):
    path = tmp_path / "lager.gpkg"
    _points([Point(18.70, 59.76)]).to_file(path, layer="punkter")
    _points([Point(18.71, 59.76), Point(18.72, 59.76)]).to_file(path, layer="andra")
    with pytest.raises(InputFileError) as err:
        parse(path)
    text = err.value.text("sv")
    assert "punkter" in text and "andra" in text and "--layer" in text
    with read_options(layer="andra"):
        assert parse(path).rows_read == 2
    assert len(read_raw(path, layer="punkter").rows) == 1
    with pytest.raises(InputFileError, match="finns inte"):
        read_raw(path, layer="saknas")


def test_vector_row_limit_is_checked_before_reading(tmp_path, monkeypatch):
    import pyogrio

    path = tmp_path / "manga.gpkg"
    _points([Point(18.70, 59.76)] * 20).to_file(path)
    monkeypatch.setattr(pyogrio, "read_dataframe", lambda *a, **k: pytest.fail("read"))
    with pytest.raises(InputFileError, match="--max-rows"):
        read_raw(path, max_rows=19)


GPX = ('<?xml version="1.0"?>\n<gpx version="1.1" creator="test" '
       'xmlns="http://www.topografix.com/GPX/1/1">\n{}\n</gpx>\n')
WPT = '<wpt {}><name>Stopp</name><time>2025-03-01T19:00:00Z</time><type>belysning</type></wpt>'


def _gpx(tmp_path, *waypoints, name="vandring.gpx"):
    path = tmp_path / name
    path.write_text(GPX.format("\n".join(waypoints)), "utf-8")
    return path


def test_gpx_waypoints_without_or_with_bad_positions_are_rejects(tmp_path):
    path = _gpx(tmp_path, WPT.format('lat="59.76" lon="18.70"'), WPT.format('lon="18.70"'),
                WPT.format('lat="959.7" lon="518.7"'), WPT.format('lat="nan" lon="18.7"'),
                WPT.format('lat="abc" lon="18.7"'))
    p = parse(path, walk)
    assert (p.rows_read, len(p.reports), len(p.rejects)) == (5, 1, 4)
    assert p.rejects.set_index("line")["reason"].to_dict() == {
        4: "missing_coordinates", 5: "bad_coordinates", 6: "bad_coordinates",
        7: "bad_coordinates"}


def test_gpx_nested_and_many_extensions(tmp_path):
    deep = "<extensions>" + "<a>" * 20_000 + "x" + "</a>" * 20_000 + "</extensions>"
    wide = "<extensions>" + "".join(f"<e{i}>v</e{i}>" for i in range(3000)) + "</extensions>"
    path = _gpx(tmp_path, WPT.replace("</wpt>", deep + "</wpt>").format(
        'lat="59.76" lon="18.70"'), WPT.replace("</wpt>", wide + "</wpt>").format(
        'lat="59.76" lon="18.71"'))
    raw = read_raw(path)
    assert len(raw.rows) == 2 and any("extensions" in sv for sv, _en in raw.notes)
    assert len(parse(path, walk).reports) == 2


@pytest.mark.parametrize("body, match", [
    ('<wpt lat="59.7" lon="18.7"><name>A', "inte giltig GPX"),
    ("", "inte giltig GPX"),
])
def test_broken_gpx_is_one_message(tmp_path, body, match):
    path = tmp_path / "trasig.gpx"
    path.write_text(body, "utf-8")
    with pytest.raises(InputFileError, match=match):
        read_raw(path)


def test_gpx_with_entities_is_refused(tmp_path):
    path = tmp_path / "lol.gpx"
    path.write_text('<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa">'
                    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                    + GPX.format(WPT.replace("Stopp", "&b;").format('lat="59" lon="18"'))
                    .split("?>", 1)[1], "utf-8")
    with pytest.raises(InputFileError, match="DOCTYPE"):
        read_raw(path)


def test_gpx_waypoint_limit(tmp_path):
    path = _gpx(tmp_path, *[WPT.format('lat="59.76" lon="18.70"')] * 6)
    with pytest.raises(InputFileError, match="--max-rows"):
        read_raw(path, max_rows=5)
    assert len(read_raw(path, max_rows=6).rows) == 6


def test_gpx_hostile_position_texts_are_rejects(tmp_path):
    positions = ['lat="1e308" lon="18.7"', 'lat="inf" lon="18.7"', 'lat="" lon=""',
                 'lat=" " lon="18.7"', 'lat="59,76" lon="18,70"', 'lat="-90.0001" lon="18.7"',
                 'lat="59.76" lon="180.5"', 'lat="0x3b" lon="18.7"', 'lat="59.76" lon="18.70"']
    path = _gpx(tmp_path, *[WPT.format(p) for p in positions])
    p = parse(path, walk)
    assert p.rows_read == 9 and len(p.reports) == 1
    reasons = p.rejects.set_index("line")["reason"].to_dict()
    assert reasons == {3: "bad_coordinates", 4: "bad_coordinates", 5: "missing_coordinates",
                       6: "missing_coordinates", 7: "bad_coordinates", 8: "bad_coordinates",
                       9: "bad_coordinates", 10: "bad_coordinates"}


def test_gpx_waypoint_elsewhere_than_under_gpx_is_no_row_and_tracks_alone_read_nothing(
        tmp_path):
    path = tmp_path / "spar.gpx"
    path.write_text(GPX.format('<trk><trkseg><trkpt lat="59.7" lon="18.7"/></trkseg></trk>'
                               '<extensions><wpt lat="59.7" lon="18.7"/></extensions>'), "utf-8")
    assert len(read_raw(path).rows) == 0


def test_gpx_over_the_byte_limit_is_refused_before_parsing(tmp_path, monkeypatch):
    from xml.parsers import expat

    big = WPT.replace("</wpt>", "<desc>" + "x" * 4_200_000 + "</desc></wpt>")
    path = _gpx(tmp_path, big.format('lat="59.76" lon="18.70"'))
    monkeypatch.setattr(expat, "ParserCreate", lambda *a, **k: pytest.fail("parsed"))
    with pytest.raises(InputFileError, match="--max-rows") as err:
        read_raw(path, max_rows=10)  # 4 MB + 10 rows × 1000 bytes
    assert "är 4,20 MB, mer än gränsen 4,01 MB" in err.value.text("sv")
    assert "is 4.20 MB, more than the limit of 4.01 MB" in err.value.text("en")
    monkeypatch.undo()
    assert len(read_raw(path, max_rows=1000).rows) == 1


def test_empty_geometries_are_features_without_a_point(tmp_path):
    path = tmp_path / "tomma.geojson"
    feature = ('{{"type": "Feature", "geometry": {}, '
               '"properties": {{"Datum": "2025-03-01", "Plats": "{}"}}}}')
    path.write_text('{"type": "FeatureCollection", "features": [' + ", ".join([
        feature.format('{"type": "Point", "coordinates": [18.7, 59.76]}', "Torget"),
        feature.format('{"type": "GeometryCollection", "geometries": []}', ""),
        feature.format('{"type": "MultiPoint", "coordinates": []}', ""),
        feature.format('{"type": "Point", "coordinates": []}', "Parken"),
    ]) + "]}", "utf-8")
    p = parse(path, walk)
    assert p.rows_read == 4 and len(p.reports) + len(p.rejects) == 4
    assert (p.reports["precision"] == "exact").sum() == 1

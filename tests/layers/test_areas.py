"""Area and grid files: one layer, named when the file has several."""

import shlex
import shutil

import geopandas as gpd
import pyogrio
import pytest
import shapely

from trygg.cli import main
from trygg.geo.errors import InputFileError
from trygg.layers.areas import area_bounds, read_grid_file, split_layer


@pytest.fixture
def two_layers(tmp_path):
    """A GeoPackage with a small 'kommun' square and a larger 'lan' square, 'lan' first."""
    path = tmp_path / "gränser.gpkg"
    gpd.GeoDataFrame({"namn": ["Län"]}, geometry=[shapely.box(0, 0, 900_000, 7_700_000)],
                     crs=3006).to_file(path, layer="lan", engine="pyogrio")
    gpd.GeoDataFrame({"namn": ["Kommun"]},
                     geometry=[shapely.box(650_000, 6_600_000, 700_000, 6_650_000)],
                     crs=3006).to_file(path, layer="kommun", engine="pyogrio")
    return path


def test_a_file_of_several_layers_is_refused_with_the_layers_and_the_fix(two_layers):
    with pytest.raises(InputFileError) as err:
        area_bounds(two_layers)
    assert "har 2 lager: lan, kommun" in err.value.sv
    assert f"--area {shlex.quote(f'{two_layers}:lan')}" in err.value.sv
    assert "after a colon" in err.value.en


def test_the_layer_is_named_after_a_colon_or_as_an_argument(two_layers):
    expected = (648_000.0, 6_598_000.0, 702_000.0, 6_652_000.0)
    assert area_bounds(f"{two_layers}:kommun") == expected
    assert area_bounds(two_layers, layer="kommun") == expected
    with pytest.raises(InputFileError, match="inget lager 'kommn'. Lagren är: lan, kommun"):
        area_bounds(f"{two_layers}:kommn")


def test_one_layer_needs_no_name_and_colons_in_file_names_work(tmp_path):
    path = tmp_path / "a:b.geojson"
    gpd.GeoDataFrame(geometry=[shapely.box(650_000, 6_600_000, 651_000, 6_601_000)],
                     crs=3006).to_file(path, engine="pyogrio")
    assert split_layer(path) == (path, None)
    assert area_bounds(path, margin=0) == (650_000.0, 6_600_000.0, 651_000.0, 6_601_000.0)
    with pytest.raises(InputFileError, match="finns inte"):
        area_bounds(tmp_path / "saknas.gpkg:kommun")


def test_init_with_a_multi_layer_area_says_how_to_pick_one(two_layers, tmp_path, capsys):
    project = tmp_path / "p.gpkg"
    assert main(["init", str(project), "--area", str(two_layers)]) == 2
    _, err = capsys.readouterr()
    assert "lan, kommun" in err and "Traceback" not in err and not project.exists()
    assert main(["init", str(project), "--area", f"{two_layers}:kommun"]) == 0


def test_a_grid_file_of_several_layers_needs_the_layer(two_layers, tmp_path):
    with pytest.raises(InputFileError, match=r"--grid .*:lan"):
        read_grid_file(two_layers, "EPSG:3006")
    assert len(read_grid_file(f"{two_layers}:kommun", "EPSG:3006")) == 1
    points = tmp_path / "punkter.gpkg"
    gpd.GeoDataFrame(geometry=[shapely.Point(650_000, 6_600_000)], crs=3006).to_file(
        points, engine="pyogrio")
    with pytest.raises(InputFileError, match="polygoner, inte Point"):
        read_grid_file(points, "EPSG:3006")


def test_hotspots_with_a_grid_layer_of_a_geopackage(demo, tmp_path, capsys):
    proj = tmp_path / "demo.gpkg"
    shutil.copy(demo["project"], proj)
    kommun = demo["project"].parent / "data" / "kommun.gpkg"
    assert len(pyogrio.list_layers(kommun)) > 1
    assert main(["hotspots", str(proj), "--method", "count", "--grid", str(kommun)]) == 2
    _, err = capsys.readouterr()
    assert "kommun, tatorter" in err and "--grid" in err and "Traceback" not in err
    assert main(["hotspots", str(proj), "--method", "count", "--grid", f"{kommun}:tatorter",
                 "--name", "orter"]) == 0
    grid = pyogrio.read_dataframe(proj, layer="grid_orter")
    assert len(grid) == len(pyogrio.read_dataframe(kommun, layer="tatorter"))


@pytest.mark.parametrize("margin", [-1.0, -1e6, float("nan"), float("inf"), float("-inf")])
def test_a_negative_or_non_finite_margin_is_refused(tmp_path, margin):
    from trygg.geo.errors import ArgumentError

    path = tmp_path / "kommun.gpkg"
    pyogrio.write_dataframe(gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1000, 1000)],
                                             crs=3006), path, driver="GPKG")
    with pytest.raises(ArgumentError, match="--margin ska vara ett ändligt antal meter"):
        area_bounds(path, margin=margin)
    assert area_bounds(path, margin=0) == (0, 0, 1000, 1000)


def test_an_area_without_extent_is_refused(tmp_path):
    path = tmp_path / "torget.gpkg"
    pyogrio.write_dataframe(gpd.GeoDataFrame(geometry=[shapely.Point(620000, 6650000)],
                                             crs=3006), path, driver="GPKG")
    with pytest.raises(InputFileError, match="har ingen utbredning"):
        area_bounds(path, margin=0)
    assert area_bounds(path, margin=10) == (619990, 6649990, 620010, 6650010)

import json

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from trygg.layers import schema
from trygg.layers.schema import CATEGORIES, SchemaError, conform, validate


def test_vocabulary_has_the_design_codes_with_kind_and_camera_relevance():
    assert list(CATEGORIES) == [
        "belysning", "sikt_vegetation", "klotter", "skadegorelse", "nedskrapning",
        "samlingsplats", "narkotika", "vald_hot", "ran", "stold_inbrott", "fordon", "brand",
        "trafik", "ordningsstorning", "otrygg_plats", "ovrigt"]
    assert CATEGORIES["belysning"].kind == "brist"
    assert CATEGORIES["narkotika"].camera == "high"
    assert CATEGORIES["vald_hot"].camera == "low"
    assert CATEGORIES["ovrigt"].kind is None
    assert CATEGORIES["klotter"].label("en") == "Graffiti"
    for cat in CATEGORIES.values():
        assert cat.camera in schema.CAMERA_RELEVANCE
        assert cat.kind in (*schema.KINDS, None)
        assert cat.weight > 0


def _one(**over):
    base = {
        "report_id": "table:1", "source": "table", "reported_at": pd.Timestamp(
            "2025-03-01 21:00", tz="Europe/Stockholm"), "category": "klotter",
        "precision": "exact", "visibility": "intern", "ingest_id": "x", "extra": "{}",
        "geometry": shapely.Point(620000, 6650000)}
    base.update(over)
    return conform(gpd.GeoDataFrame([base], geometry="geometry", crs=3006))


def test_conform_fills_kind_and_weight_from_the_category():
    reports = _one()
    assert reports.loc[0, "kind"] == "brist"
    assert reports.loc[0, "weight"] == 1.0
    assert str(reports["reported_at"].dt.tz) == "Europe/Stockholm"
    assert list(reports.columns) == [*schema.COLUMNS, "geometry"]
    assert validate(reports) is reports


@pytest.mark.parametrize("change, message", [
    ({"category": "graffiti"}, "category"),
    ({"source": "twitter"}, "source"),
    ({"precision": "ungefär"}, "precision"),
    ({"geocode_score": 1.5}, "geocode_score"),
    ({"reported_at": None}, "reported_at"),
    ({"geometry": None}, "precision"),
])
def test_validate_names_the_offending_column(change, message):
    with pytest.raises(SchemaError, match=message):
        validate(_one(**change))


def test_validate_refuses_duplicate_ids():
    reports = pd.concat([_one(), _one()], ignore_index=True)
    with pytest.raises(SchemaError, match="table:1"):
        validate(gpd.GeoDataFrame(reports, crs=3006))


def test_empty_reports_have_every_column():
    empty = schema.empty_reports()
    assert len(empty) == 0 and list(empty.columns) == [*schema.COLUMNS, "geometry"]
    json.dumps(list(empty.columns))

"""The region view on the real police events: per municipality of Stockholm county, the
counts equal an independent count of the events by the municipality they name."""

from __future__ import annotations

import gzip
import json

import numpy as np
import pandas as pd
import pytest

from trygg.geo.errors import ArgumentError
from trygg.layers.region import municipalities, read_population, region_view
from trygg.layers.store import create_project
from trygg.maps.region import write_region

EVENTS = "polisen_events_2022_2026.jsonl.gz"


@pytest.fixture(scope="module")
def sweden(shared, tmp_path_factory):
    """The real police events of 2022–2026 in one project (all of Sweden)."""
    from trygg.layers.ingest import ingest_file

    store = create_project(tmp_path_factory.mktemp("region") / "sverige.gpkg", name="Sverige")
    ingest_file(store, shared(EVENTS), source="polisen")
    return store


@pytest.fixture(scope="module")
def named(shared):
    """Events per location name (lower case: the API writes "Upplands väsby"), read
    straight from the file."""
    with gzip.open(shared(EVENTS), "rt", encoding="utf-8") as fh:
        names = [json.loads(line)["location"]["name"].strip().lower() for line in fh]
    return pd.Series(names).value_counts()


def test_the_shipped_boundaries():
    all_ = municipalities()
    assert len(all_) == 290 and all_["kommunkod"].is_unique
    sthlm = municipalities(lan="01")
    assert len(sthlm) == 26 and "Norrtälje" in set(sthlm["name"])
    assert str(sthlm.crs) == "EPSG:3006"
    with pytest.raises(ArgumentError, match="länskod"):
        municipalities(lan="99")


def test_stockholm_county_counts_equal_the_events_per_municipality(sweden, named):
    r = region_view(sweden, lan="01")
    assert r.name == "Stockholm"
    by = r.by_municipality.set_index("name")
    for name, n in by["n"].items():
        assert n == named.get(name.lower(), 0), name
    assert by.loc["Norrtälje", "n"] == 246
    assert r.by_category.sum(axis=1).equals(r.by_municipality.set_index("kommunkod")["n"])
    assert r.by_year.to_numpy().sum() == r.n
    assert r.unassigned.get("Stockholms län", 0) == named.get("stockholms län", 0) > 0
    assert np.isnan(by["per_1000"]).all()


def test_per_1000_inhabitants_from_a_population_table(sweden, tmp_path):
    table = tmp_path / "folkmangd.csv"
    table.write_text("kommun;invanare\n0188 Norrtälje;64 000\nStockholm;984 748\n",
                     encoding="utf-8")
    r = region_view(sweden, lan="01", population=read_population(table))
    by = r.by_municipality.set_index("name")
    assert by.loc["Norrtälje", "per_1000"] == pytest.approx(1000 * 246 / 64_000)
    assert by.loc["Stockholm", "inhabitants"] == 984_748
    assert any("Befolkning saknas" in sv for sv, _ in r.notes)


def test_the_region_document_and_workbook(sweden, tmp_path):
    from openpyxl import load_workbook

    r = region_view(sweden, codes=["0188", "0180", "0181"])
    html, xlsx = write_region(r, tmp_path, project="Sverige")
    page = html.read_text(encoding="utf-8")
    assert "Norrtälje" in page and "Valmyndigheten" in page
    assert load_workbook(xlsx).sheetnames[:3] == ["Kommuner", "Kategorier", "År"]

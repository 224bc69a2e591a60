"""protokoll.xlsx: the pre-filled common action protocol with its drop-down lists."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pytest
from openpyxl import load_workbook
from shapely.geometry import Point
from walkproto import PLACES, WALK_DATE, protocol, stops

from trygg.layers.walks.protocol import COLUMNS, SCORE_PARAMETERS, header
from trygg.maps.walk_xlsx import write_protocol


def _validations(ws) -> dict[str, str]:
    """Column letter → the list formula of its drop-down."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            out[rng.coord.split(":")[0].rstrip("0123456789")] = (dv.type, dv.formula1)
    return out


def test_one_prefilled_row_per_stop(tmp_path):
    path = protocol(tmp_path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Protokoll", "Listor", "Instruktion"]
    ws = wb["Protokoll"]
    assert [c.value for c in ws[1]] == [header(f) for f in COLUMNS]
    assert ws.freeze_panes == "D2" and ws["A1"].font.bold
    rows = list(ws.iter_rows(min_row=2, max_row=4, values_only=True))
    col = {f: i for i, f in enumerate(COLUMNS)}
    assert [r[col["row_id"]] for r in rows] == ["1a", "2a", "3a"]
    assert [r[col["walk_id"]] for r in rows] == ["v1"] * 3
    assert [r[col["place_text"]] for r in rows] == PLACES
    assert rows[0][col["date"]].date() == WALK_DATE
    assert (rows[0][col["x"]], rows[0][col["y"]]) == (674_000.0, 6_580_000.0)
    assert all(r[col["observation"]] is None for r in rows)
    assert ws.cell(row=5, column=1).value is None


def test_drop_down_lists_for_the_coded_columns(tmp_path):
    wb = load_workbook(protocol(tmp_path))
    ws, lists = wb["Protokoll"], wb["Listor"]
    dvs = _validations(ws)
    letter = {f: ws.cell(row=1, column=i + 1).column_letter for i, f in enumerate(COLUMNS)}
    for f in ("category", "light", "group", "responsible", "priority", "action_status",
              *SCORE_PARAMETERS):
        kind, formula = dvs[letter[f]]
        assert kind == "list" and formula.startswith("'Listor'!$"), f
    assert dvs[letter["deadline"]][0] == "date"
    values = {c[0].value: [x.value for x in c[1:] if x.value is not None]
              for c in lists.iter_cols()}
    assert "Bristande belysning" in values["Kategori"] and "Klotter" in values["Kategori"]
    assert values["Ansvarig"] == ["Kommunen", "Fastighetsägare", "Polisen", "Annan"]
    assert values["Poäng"] == ["0", "1", "2", "3"]
    assert values["Status"] == ["Öppen", "Pågår", "Klar", "Avslagen"]


def test_english_and_own_responsible_parties(tmp_path):
    path = write_protocol(stops(), tmp_path / "p.xlsx", lang="en",
                          responsible=("kommun", "Bostadsbolaget AB"), date=None)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Protocol", "Lists", "Instructions"]
    assert wb["Protocol"]["A1"].value == "Row id"
    values = {c[0].value: [x.value for x in c[1:] if x.value is not None]
              for c in wb["Lists"].iter_cols()}
    assert values["Responsible"] == ["The municipality", "Bostadsbolaget AB"]
    assert "Poor lighting" in values["Category"]


def test_place_names_stay_text(tmp_path):
    evil = gpd.GeoDataFrame({"walk_id": "v1", "stop": [1], "place_name": ['=HYPERLINK("x")']},
                            geometry=[Point(674_000, 6_580_000)], crs="EPSG:3006")
    path = write_protocol(evil, tmp_path / "p.xlsx", date=dt.date(2025, 10, 15))
    cell = load_workbook(path)["Protokoll"]["D2"]
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s" and cell.quotePrefix
    assert [p.name for p in tmp_path.iterdir()] == ["p.xlsx"]  # no temporary file left


def test_bad_arguments_name_the_fix(tmp_path):
    with pytest.raises(ValueError, match="lang"):
        write_protocol(stops(), tmp_path / "p.xlsx", lang="de")
    with pytest.raises(ValueError, match="responsible"):
        write_protocol(stops(), tmp_path / "p.xlsx", responsible=())

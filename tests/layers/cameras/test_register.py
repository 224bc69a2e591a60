"""The camera register: add, move forward through its statuses, keep five years."""

from __future__ import annotations

import pytest

from trygg.geo.errors import ArgumentError
from trygg.layers.cameras.register import add_camera, due_for_deletion, read_register, set_status
from trygg.layers.store import create_project


@pytest.fixture
def store(tmp_path):
    return create_project(tmp_path / "p.gpkg", name="Kameror")


def test_a_camera_from_proposal_to_removal(store):
    assert read_register(store).empty
    cid = add_camera(store, (674_000.0, 6_580_000.0), purpose="Bilinbrott på parkeringen",
                     site_id="K12", hours="20-04", date="2025-01-10")
    assert cid == "KAM-001"
    assert add_camera(store, (674_100.0, 6_580_000.0), purpose="Skadegörelse",
                      date="2025-02-01") == "KAM-002"
    set_status(store, cid, "decided", date="2025-02-15", note="Beslut i KS")
    set_status(store, cid, "installed", date="2025-04-01")
    set_status(store, cid, "removed", date="2026-04-01")
    reg = read_register(store)
    row = reg.set_index("camera_id").loc[cid]
    assert row["camera_status"] == "removed" and row["installed_at"] == "2025-04-01"
    assert row["keep_until"] == "2031-04-01"
    assert row["hours"] == "20-04" and "Beslut i KS" in row["note"]
    assert row.geometry.x == 674_000.0
    assert due_for_deletion(reg, "2031-03-31").empty
    assert due_for_deletion(reg, "2031-04-01")["camera_id"].tolist() == [cid]


def test_mistakes_are_refused_and_nothing_changes(store):
    cid = add_camera(store, (0.0, 0.0), purpose="Narkotika", date="2025-01-10")
    set_status(store, cid, "installed", date="2025-03-01")
    before = read_register(store)
    with pytest.raises(ArgumentError, match="framåt"):
        set_status(store, cid, "decided")
    with pytest.raises(ArgumentError, match="före"):
        set_status(store, cid, "removed", date="2025-02-01")
    with pytest.raises(ArgumentError, match="KAM-009"):
        set_status(store, "KAM-009", "removed")
    with pytest.raises(ArgumentError, match="syfte"):
        add_camera(store, (0.0, 0.0), purpose=" ")
    with pytest.raises(ArgumentError, match="ÅÅÅÅ-MM-DD"):
        set_status(store, cid, "removed", date="igår")
    assert read_register(store).equals(before)

"""Who may read what in a PostGIS project: each role connects and tries to read what it
must not (row-level security and grants, layers/roles.py)."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit, urlunsplit

import pandas as pd
import psycopg
import pytest

from trygg.geo.errors import ArgumentError, ProjectError
from trygg.layers import roles, schema
from trygg.layers.ingest import ingest_file
from trygg.layers.store import open_project


def _as(url: str, user: str) -> str:
    """``url`` with another user (the test server trusts loopback)."""
    parts = urlsplit(url)
    host = parts.netloc.split("@")[-1]
    return urlunsplit((parts.scheme, f"{user}@{host}", parts.path, "", ""))


def _reports(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """Reports (id, organisation, visibility, category) at one place in March 2025."""
    import geopandas as gpd
    import shapely

    frame = schema.conform({
        "report_id": [r[0] for r in rows], "source": "est", "reported_at":
            pd.Timestamp("2025-03-10 12:00", tz="Europe/Stockholm"),
        "organisation": [r[1] for r in rows], "visibility": [r[2] for r in rows],
        "category": [r[3] for r in rows], "precision": "exact", "ingest_id": "x",
        "description": [f"fritext {r[0]}" for r in rows]})
    return gpd.GeoDataFrame(frame.drop(columns="geometry"),
                            geometry=[shapely.Point(620000, 6655000)] * len(rows),
                            crs="EPSG:3006")


@pytest.fixture
def shared_project(postgis_project):
    """A project of three organisations with users of every role; returns the URL of
    each user (``admin``, ``polis``, ``bostad``, ``skola``, ``webb``)."""
    tag = uuid.uuid4().hex[:8]
    users = {"admin": f"adm_{tag}", "polis": f"polis_{tag}", "bostad": f"bostad_{tag}",
             "skola": f"skola_{tag}", "webb": f"webb_{tag}"}
    roles.add_user(postgis_project, users["admin"], "admin", password="hemligt-admin")
    roles.add_user(postgis_project, users["polis"], "intern", organisation="Polisen",
                   password="hemligt-polis")
    roles.add_user(postgis_project, users["bostad"], "intern", organisation="Bostadsbolaget")
    roles.add_user(postgis_project, users["skola"], "intern", organisation="Skolan")
    roles.add_user(postgis_project, users["webb"], "publik")
    roles.share(postgis_project, "Bostadsbolaget", "Polisen")  # EST: shared with the police
    rows = [("p1", "Polisen", "intern", "vald_hot"), ("b1", "Bostadsbolaget", "intern", "klotter"),
            ("s1", "Skolan", "intern", "klotter")]
    rows += [(f"pub{i}", "Kommunen", "publik", "klotter") for i in range(4)]
    rows += [("pub_ensam", "Kommunen", "publik", "vald_hot")]  # a group of one
    with postgis_project.transaction() as tx:
        tx.append("reports", _reports(rows))
    return {role: _as(postgis_project.location, user) for role, user in users.items()}


def test_the_public_role_reads_only_counts_of_public_reports(shared_project):
    with psycopg.connect(shared_project["webb"]) as conn:
        counts = conn.execute("SELECT month, category, reports FROM trygg.publik_counts"
                              ).fetchall()
        assert counts == [("2025-03", "klotter", 4)]  # no intern row, no group below 3
    for table in ("reports", "rejects", "ingests", "runs", "_members", "_shares"):
        with psycopg.connect(shared_project["webb"]) as conn, pytest.raises(
                psycopg.errors.InsufficientPrivilege):
            conn.execute(f"SELECT * FROM trygg.{table}").fetchall()
    with psycopg.connect(shared_project["webb"]) as conn, pytest.raises(
            psycopg.errors.InsufficientPrivilege):
        conn.execute("INSERT INTO trygg.reports (report_id) VALUES ('x')")


def test_an_intern_user_reads_its_own_what_is_shared_and_what_is_public(shared_project):
    seen = {role: set(open_project(shared_project[role]).read_reports()["report_id"])
            for role in ("polis", "bostad", "skola", "admin")}
    public = {f"pub{i}" for i in range(4)} | {"pub_ensam"}
    assert seen["polis"] == {"p1", "b1"} | public  # Bostadsbolaget shares with the police
    assert seen["bostad"] == {"b1"} | public
    assert seen["skola"] == {"s1"} | public
    assert seen["admin"] == {"p1", "b1", "s1"} | public
    with psycopg.connect(shared_project["skola"]) as conn:
        assert conn.execute("SELECT count(*) FROM trygg.reports WHERE organisation = "
                            "'Polisen'").fetchone() == (0,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM trygg._members").fetchall()


def test_an_intern_user_writes_only_as_its_own_organisation(shared_project, data_dir,
                                                             tmp_path):
    polis = open_project(shared_project["polis"])
    own = pytest.raises(ProjectError, match="bara lägga till rapporter för sin egen")
    with own, polis.transaction() as tx:
        tx.append("reports", _reports([("fake", "Skolan", "intern", "klotter")]))
    with own:  # its rows name Invånare and Polisen
        ingest_file(polis, data_dir / "tabell_cp1252.csv")
    table = tmp_path / "utan_organisation.csv"
    table.write_text("Ärende-ID;Datum;Kategori;X;Y\nA-1;2025-03-01 12:00;Klotter;620000;"
                     "6655000\nA-2;2025-03-02 12:00;Klotter;620100;6655000\n", encoding="utf-8")
    summary = ingest_file(polis, table)  # the CLI's way in
    assert summary.reports_added == 2
    admin = open_project(shared_project["admin"])
    mine = admin.read_reports(where={"ingest_id": [summary.ingest_id]})
    assert set(mine["organisation"]) == {"Polisen"}  # a report without one gets the user's
    assert len(open_project(shared_project["bostad"]).read_reports(
        where={"ingest_id": [summary.ingest_id]})) == 0
    with psycopg.connect(shared_project["polis"]) as conn, pytest.raises(
            psycopg.errors.InsufficientPrivilege):
        conn.execute("DELETE FROM trygg.reports")


def test_an_intern_user_reads_only_the_rejects_of_its_organisation(shared_project, tmp_path):
    table = tmp_path / "med_fel.csv"
    table.write_text("Ärende-ID;Datum;Kategori;Beskrivning;X;Y\n"
                     "A-1;2025-03-01 12:00;Klotter;Namn och adress;620000;6655000\n"
                     "A-2;inte ett datum;Klotter;Personnummer 19800101-1234;620100;6655000\n",
                     encoding="utf-8")
    done = ingest_file(open_project(shared_project["bostad"]), table)
    assert done.rejected == 1
    mine = open_project(shared_project["bostad"]).read("rejects")
    assert list(mine["ingest_id"]) == [done.ingest_id] and "19800101" in mine["row"].iloc[0]
    assert open_project(shared_project["polis"]).read("rejects").empty  # shared: reports only
    assert open_project(shared_project["skola"]).read("rejects").empty
    assert len(open_project(shared_project["admin"]).read("rejects")) == 1
    with psycopg.connect(shared_project["skola"]) as conn:
        assert conn.execute("SELECT count(*) FROM trygg.rejects").fetchone() == (0,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM trygg._ingest_owners").fetchall()


def test_an_admin_user_who_is_no_superuser_reads_and_replaces_everything(shared_project):
    admin = open_project(shared_project["admin"])
    with psycopg.connect(shared_project["admin"]) as conn:
        assert conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
                            ).fetchone() == (False,)
    reports = admin.read_reports()
    with admin.transaction() as tx:
        tx.replace("reports", reports[reports["report_id"] != "s1"])
    assert admin.count() == len(reports) - 1


def test_an_intern_user_needs_an_organisation(postgis_project):
    with pytest.raises(ArgumentError, match="--organisation"):
        roles.add_user(postgis_project, f"x_{uuid.uuid4().hex[:6]}", "intern")
    with pytest.raises(ArgumentError, match="Okänd roll 'chef'"):
        roles.add_user(postgis_project, "x", "chef")

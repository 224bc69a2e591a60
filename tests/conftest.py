"""Shared fixtures: small projects, the sample municipality and the demo output."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from trygg.layers.store import GeoPackageStore, create_project

DATA = Path(__file__).parent / "data"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def shared_data(name: str) -> Path:
    """A real data file from ../shared/data; skips with the reason when it is absent
    (a user's fresh clone), fails in CI (CI=true), where it is always there."""
    path = SHARED_DATA / name
    if not path.is_file():
        reason = (f"the real data file {path} is not here; it lies beside the checkout in CI "
                  "(see ../shared/data/README.md)")
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def shared():
    """:func:`shared_data` as a fixture: ``shared("memphis_robberies.csv")``."""
    return shared_data


#: The URL of the throwaway PostgreSQL server with PostGIS that ./scripts/test starts
#: (scripts/postgis), e.g. ``postgresql://postgres@127.0.0.1:54329``.
POSTGRES_ENV = "TRYGG_TEST_POSTGRES"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The test PostgreSQL server's URL; skips with the reason when there is none (not
    root, so ./scripts/test could not install Debian's postgresql), fails in CI."""
    url = os.environ.get(POSTGRES_ENV, "").rstrip("/")
    if not url:
        reason = (f"no PostgreSQL server for the tests ({POSTGRES_ENV} is not set): "
                  "./scripts/test installs Debian's postgresql and postgresql-15-postgis-3 "
                  "when run as root and starts one in a temporary folder")
        if _in_ci():
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return url


@pytest.fixture
def postgis_url(postgres_server: str):
    """A new, empty database with PostGIS on the test server (dropped afterwards)."""
    import uuid

    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE trygg")
    try:
        yield f"{postgres_server}/{name}"
    finally:
        with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def postgis_project(postgis_url: str):
    """An empty project in EPSG:3006 in a PostGIS database of its own."""
    store = create_project(postgis_url, name="Testkommun")
    yield store
    store.close()


@pytest.fixture(params=["gpkg", "postgis"])
def any_project(request, tmp_path: Path):
    """An empty project on each backend: a GeoPackage, then a PostGIS database."""
    if request.param == "gpkg":
        yield create_project(tmp_path / "projekt.gpkg", name="Testkommun")
        return
    store = create_project(request.getfixturevalue("postgis_url"), name="Testkommun")
    yield store
    store.close()


@pytest.fixture
def data_dir() -> Path:
    """Folder of the small test fixtures (see tests/data/README.md)."""
    return DATA


@pytest.fixture
def project(tmp_path: Path) -> GeoPackageStore:
    """An empty project in EPSG:3006 with Sweden as its area."""
    return create_project(tmp_path / "projekt.gpkg", name="Testkommun")


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The whole demo run once per test session; returns the paths written."""
    from trygg.demo_run import build_demo

    paths, _summaries, _runs = build_demo(tmp_path_factory.mktemp("demo"))
    return paths


@pytest.fixture(scope="session")
def mixed_demo(demo, tmp_path_factory) -> Path:
    """A copy of the demo project where the EST reports, every other Tyck till report
    and the XSS report are ``publik`` and the rest ``intern`` (for the public map)."""
    import shutil

    import numpy as np

    from trygg.layers.store import open_project

    path = tmp_path_factory.mktemp("publik") / "blandat.gpkg"
    shutil.copy2(demo["project"], path)
    store = open_project(path)
    reports = store.read_reports()
    publik = ((reports["source"] == "est")
              | ((reports["source"] == "tycktill") & (reports.index % 2 == 0))
              | (reports["description"] == "<img src=x onerror=alert(1)>"))
    reports["visibility"] = np.where(publik, "publik", "intern")
    with store.transaction() as tx:
        tx.replace("reports", reports)
    return path


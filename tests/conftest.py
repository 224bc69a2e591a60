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


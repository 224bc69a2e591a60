"""Shared fixtures: small projects, the sample municipality and the demo output."""

from __future__ import annotations

from pathlib import Path

import pytest

from layers.store import GeoPackageStore, create_project

DATA = Path(__file__).parent / "data"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


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
    from scripts.demo_run import build_demo

    paths, _summaries = build_demo(tmp_path_factory.mktemp("demo"))
    return paths

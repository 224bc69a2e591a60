"""Fixtures of the command's tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def tour_data() -> Callable[[Path], Path]:
    """A maker of the README tour's data folder: ``tour_data(root)`` writes the sample
    municipality and its source files to ``root/out/demo/data`` (as ``./scripts/demo``
    does) and returns that folder."""
    from trygg.sample import make_sample
    from trygg.sample_sources import write_source_files, write_tour_files

    def make(root: Path) -> Path:
        folder = root / "out" / "demo" / "data"
        sample = make_sample(folder)
        write_source_files(sample["rapporter"], sample["kommun"])
        write_tour_files(sample["kommun"])
        return folder
    return make

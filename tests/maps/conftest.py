"""Fixtures of the map tests: the hostile project (see hostile.py)."""

from __future__ import annotations

import pytest
from hostile import build_hostile_project


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A project with template and script payloads in every text (built once per module)."""
    return build_hostile_project(tmp_path_factory.mktemp("fientlig"))

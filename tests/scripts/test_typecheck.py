"""scripts/typecheck: mypy over the folders laid out as the package, errors at the real files.

Each test copies the script and pyproject.toml into a small repository of its own (a few
lines in geo/ and scripts/), so mypy checks a handful of tiny files in seconds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def make_repo(root: Path, geo: dict[str, str], scripts: dict[str, str] | None = None) -> Path:
    (root / "scripts").mkdir(parents=True)
    (root / "geo").mkdir()
    shutil.copy2(REPO / "scripts" / "typecheck", root / "scripts" / "typecheck")
    shutil.copy2(REPO / "pyproject.toml", root / "pyproject.toml")
    for folder, files in (("geo", {"__init__.py": "", **geo}),
                          ("scripts", {"__init__.py": "", **(scripts or {})})):
        for name, text in files.items():
            (root / folder / name).write_text(text, encoding="utf-8")
    return root


def typecheck(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH")}
    env["PYTHON"] = sys.executable
    return subprocess.run(["bash", str(root / "scripts" / "typecheck"), *args],
                          capture_output=True, text=True, env=env, cwd=root, timeout=300)


GOOD = "def area(w: float, h: float) -> float:\n    return w * h\n"


def test_clean_code_passes(tmp_path):
    root = make_repo(tmp_path / "repo", {"grid.py": GOOD})
    done = typecheck(root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success" in done.stdout


@pytest.mark.parametrize("code, error", [
    ('N: int = "ett"\n', "[assignment]"),
    ("def area(w, h):\n    return w * h\n", "[no-untyped-def]"),  # only under --strict
])
def test_a_type_error_in_geo_fails_at_the_real_file(tmp_path, code, error):
    root = make_repo(tmp_path / "repo", {"grid.py": GOOD, "sun.py": code})
    done = typecheck(root)
    assert done.returncode == 1, done.stdout + done.stderr
    line = next(ln for ln in done.stdout.splitlines() if error in ln)
    assert line.startswith("geo/sun.py:"), line
    assert (root / line.split(":")[0]).is_file()  # relative to the repository, not the farm
    assert "farm" not in done.stdout


def test_errors_in_scripts_name_the_scripts_folder(tmp_path):
    root = make_repo(tmp_path / "repo", {"grid.py": GOOD},
                     scripts={"cli.py": 'from trygg.geo.grid import area\n\narea("x", 1)\n',
                              "bench_x.py": 'N: int = "not checked: no benchmark is"\n'})
    done = typecheck(root, "-p", "trygg")
    assert done.returncode == 1, done.stdout + done.stderr
    errors = [ln for ln in done.stdout.splitlines() if ": error:" in ln]
    assert len(errors) == 1 and errors[0].startswith("scripts/cli.py:3:"), done.stdout

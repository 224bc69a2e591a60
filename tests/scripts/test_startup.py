"""The command starts fast: ``import trygg.cli`` and ``trygg --help`` load no heavy module.

Each check runs a fresh interpreter (``sys.modules`` of this test process is full of
everything) and lists which of the heavy libraries it imported; the commands import
those only when they run. Behaviour, not wall-clock time: the time is in the README's
contributor notes and measured by hand.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import version

import pytest

from trygg.cli import main

#: Libraries that take tens to hundreds of milliseconds to import (pydantic: typer
#: converts option values with it; the help of a command converts none).
HEAVY = ("geopandas", "pandas", "numpy", "scipy", "shapely", "pyogrio", "pyproj", "folium",
         "branca", "jinja2", "openpyxl", "rapidfuzz", "sklearn", "rasterio", "pyarrow",
         "pydantic")
#: Modules of trygg that do not pull those in: the command, its texts, help layout and
#: printing, the errors it catches and the number formats.
LIGHT_TRYGG = {"trygg", "trygg.cli", "trygg.cli_walks", "trygg.cli_reports", "trygg.cli_serve",
               "trygg.printing",
               "trygg.texts",
               "trygg.usage", "trygg.geo", "trygg.geo.errors", "trygg.geo.text"}

PROBE = """
import json, sys
{code}
heavy = set({heavy})
print(json.dumps({{
    "heavy": sorted(m for m in sys.modules if m.split(".")[0] in heavy),
    "trygg": sorted(m for m in sys.modules if m.split(".")[0] == "trygg"),
}}))
"""


def loaded(code: str) -> dict[str, list[str]]:
    """The heavy and the trygg modules a fresh interpreter holds after running ``code``."""
    done = subprocess.run([sys.executable, "-c", PROBE.format(code=code, heavy=HEAVY)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def help_code(*argv: str) -> str:
    return ("import contextlib, io\nfrom trygg.cli import main\n"
            f"with contextlib.redirect_stdout(io.StringIO()):\n    main({list(argv)!r})")


@pytest.mark.parametrize("code", [
    "import trygg",
    "import trygg.geo",
    "import trygg.cli",
    help_code("--help"),
    help_code("--version"),
    help_code("--lang", "en", "--help"),
])
def test_starting_imports_no_heavy_module(code):
    found = loaded(code)
    assert found["heavy"] == []
    assert set(found["trygg"]) <= LIGHT_TRYGG, found["trygg"]


@pytest.mark.parametrize("command", ["init", "ingest", "gazetteer", "geocode", "hotspots",
                                     "map", "export", "info", "runs", "demo"])
def test_a_commands_help_imports_no_heavy_module(command):
    found = loaded(help_code(command, "--help"))
    assert found["heavy"] == []
    assert set(found["trygg"]) <= LIGHT_TRYGG, found["trygg"]


def test_the_installed_command_starts_without_heavy_modules(tmp_path):
    """The console script itself (not only ``main``): ``python -X importtime`` lists
    every module it imports."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c",
                           "from trygg.cli import run; run()", "--help"],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Användning: trygg" in done.stdout
    modules = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()
               if line.startswith("import time:")}
    assert {m for m in modules if m.split(".")[0] in HEAVY} == set()


def test_version(capsys):
    assert main(["--version"]) == 0
    out, err = capsys.readouterr()
    assert out == f"trygg {version('trygghetskartan')}\n" and err == ""


def test_version_comes_before_a_command(capsys):
    assert main(["--version", "info", "missing.gpkg"]) == 0
    assert capsys.readouterr().out.startswith("trygg ")


def test_version_is_in_the_help_in_both_languages(capsys):
    assert main(["--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "--version Visa vilken version av trygg som är installerad" in text
    assert main(["--lang", "en", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "--version Show which version of trygg is installed and exit." in text


def test_the_package_version_is_the_distributions():
    import trygg

    assert trygg.__version__ == version("trygghetskartan")

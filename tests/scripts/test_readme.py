"""The README's tour runs as written on the demo data.

Every ``trygg …`` line of the README's ``sh`` blocks is run, in order, in the demo's
data folder (the files ``trygg demo`` writes to ``out/demo/data``), and must exit 0
without a traceback. Lines that are comments (the sample output) are skipped, and so
are the two set-up commands ``./scripts/demo`` and ``./scripts/test``.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from trygg.cli import main

README = Path(__file__).resolve().parents[2] / "README.md"


def tour_commands(text: str) -> list[list[str]]:
    """The ``trygg`` command lines of the ``sh`` blocks of ``text``, split like a shell
    would (comments dropped, ``\\`` continuations joined)."""
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if words and words[0] == "trygg":
                commands.append(words[1:])
    return commands


def test_tour_commands_are_found():
    commands = tour_commands(README.read_text(encoding="utf-8"))
    assert len(commands) >= 15
    verbs = {c[0] for c in commands}
    assert {"init", "gazetteer", "ingest", "geocode", "hotspots", "map", "export",
            "info"} <= verbs


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory, tour_data) -> Path:
    return tour_data(tmp_path_factory.mktemp("readme"))


def test_every_readme_example_runs_as_written(demo_data, monkeypatch, capsys):
    monkeypatch.chdir(demo_data)
    for argv in tour_commands(README.read_text(encoding="utf-8")):
        code = main(argv)
        out, err = capsys.readouterr()
        assert code == 0, f"trygg {shlex.join(argv)} → exit {code}\n{out}\n{err}"
        assert "Traceback" not in out + err


def python_blocks(text: str) -> list[str]:
    """The ``python`` code blocks of ``text``."""
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_the_notebook_example_is_found():
    blocks = python_blocks(README.read_text(encoding="utf-8"))
    assert len(blocks) == 1 and "import trygg" in blocks[0]


def test_the_notebook_example_runs_as_written(demo_data, monkeypatch, capsys):
    """The README's Python example, run like a notebook cell in the demo's data folder;
    it writes what it says it writes."""
    monkeypatch.chdir(demo_data)
    for block in python_blocks(README.read_text(encoding="utf-8")):
        exec(compile(block, "README.md", "exec"), {"__name__": "__notebook__"})
    out = capsys.readouterr().out
    assert "reports," in out and "rejected" in out
    for name in ("notebook.gpkg", "karta_notebook.html", "rapporter_notebook.xlsx"):
        assert (demo_data / name).stat().st_size > 0


def _run_tour(folder: Path, project: str, monkeypatch, capsys) -> list[tuple[str, str]]:
    """Every tour line with ``exempelby.gpkg`` replaced by ``project``: (line, output)
    with ``project`` written back as ``exempelby.gpkg``."""
    monkeypatch.chdir(folder)
    said = []
    for argv in tour_commands(README.read_text(encoding="utf-8")):
        if "exempelby.gpkg" not in argv:
            continue  # the demo, the cameras on the demo project, the region of Sweden
        argv = [project if word == "exempelby.gpkg" else word for word in argv]
        code = main(argv)
        out, err = capsys.readouterr()
        line = shlex.join(argv).replace(project, "exempelby.gpkg")
        assert code == 0, f"trygg {line} → exit {code}\n{out}\n{err}"
        text = (out + err).replace(project, "exempelby.gpkg")
        if project.startswith("postgresql://"):  # rasters are named after the database
            text = text.replace(project.rsplit("/", 1)[1] + "_", "exempelby_")
        text = re.sub(r"\d{8}T\d{6}-[0-9a-f]{8}", "INGEST", text)  # ingest ids,
        text = re.sub(r"\d{8}_\d{6}", "DATE_TIME", text)  # run names
        text = re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", "DATE TIME", text)  # and times
        said.append((line, re.sub(r"[\s\u2500-\u257f]+", " ", text)))  # table widths
    return said


def test_the_tour_says_the_same_on_postgis(postgis_url, tmp_path, tour_data, monkeypatch,
                                           capsys):
    """Every tour command on a PostGIS project prints what it prints on a GeoPackage
    (where a KDE surface goes aside: a file beside the GeoPackage, kept in the database
    on PostGIS)."""
    monkeypatch.setenv("COLUMNS", "250")  # tables unwrapped, so ids and times can be masked
    on_file = _run_tour(tour_data(tmp_path / "gpkg"), "exempelby.gpkg", monkeypatch, capsys)
    on_server = _run_tour(tour_data(tmp_path / "pg"), postgis_url, monkeypatch, capsys)
    assert len(on_server) == len(on_file) >= 20
    raster = re.compile(r" (Skrev \S+\.tif|Sparade \S+ i projektet \(.*?\.tif\))")
    differ = [f"trygg {line}\n--- GeoPackage:\n{a}\n--- PostGIS:\n{b}"
              for (line, a), (_, b) in zip(on_file, on_server, strict=True)
              if raster.sub("", a) != raster.sub("", b)]
    assert not differ, "\n\n".join(differ)
    assert any("Sparade exempelby_kde_" in said for _, said in on_server)  # not a temp path

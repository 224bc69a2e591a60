"""Crash safety: ``kill -9`` of ``trygg ingest`` and ``trygg hotspots`` at random moments.

Each kill must leave a project that passes ``PRAGMA integrity_check`` and holds
exactly the state before the command or the state after it (compared by
content: reports, rejects, ingests, runs and layers), and the next writer must
get the lock (the kernel releases it when the process dies) and clean up the
working copy the killed one left.

Most kills hit a forked child running ``scripts.cli.main`` (the code of the
``trygg`` command, without the interpreter start-up, so many moments fit in a
few seconds); one kill of each kind hits a real ``python -m scripts.cli``
process. Half of the moments are drawn over the whole command, half after its
working copy appeared (the write), where a kill can hurt.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pyogrio
import pytest

from trygg.layers.ingest import ingest_file
from trygg.layers.store import create_project, open_project, stale_copies

pytestmark = pytest.mark.slow

FORK = multiprocessing.get_context("fork")
ROOT = Path(__file__).resolve().parents[2]
SEED = 20261201
KILLS = 10  # per command, of which half during the write


def write_csv(path: Path, prefix: str, n: int, seed: int, source: str = "tycktill") -> Path:
    rnd = random.Random(seed)
    lines = ["Ärende-ID;Källa;Datum;Kategori;Beskrivning;Plats;X;Y"]
    lines += [f"{prefix}-{i};{source};2025-03-{1 + i % 28:02d} 12:00;Klotter;Text {i};Torget;"
              f"{620000 + rnd.randint(0, 3000)};{6655000 + rnd.randint(0, 3000)}"
              for i in range(n)]
    lines.append(f"{prefix}-bad;{source};inte ett datum;Klotter;Trasig;Torget;620000;6655000")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def state(path: Path) -> dict:
    """What the project holds, independent of ingest ids and times (they differ
    between two runs of the same command)."""
    store = open_project(path)
    ingests = store.read("ingests")
    sha = dict(zip(ingests["ingest_id"], ingests["sha256"], strict=True))
    reports = store.read_reports(["report_id", "ingest_id", "category"])
    rejects = store.read("rejects")
    runs = store.read("runs")
    layers = sorted(store.layers())
    return {
        "reports": sorted(zip(reports["report_id"], reports["ingest_id"].map(sha),
                              reports.geometry.to_wkt(), strict=True)),
        "rejects": sorted(zip(rejects["ingest_id"].map(sha), rejects["line"],
                              rejects["reason"], strict=True)),
        "ingests": sorted(zip(ingests["sha256"], ingests["rows_read"],
                              ingests["reports_added"], ingests["duplicates"],
                              ingests["rejected"], strict=True)),
        "runs": sorted(zip(runs["run_id"], runs["kind"], runs["layers"], strict=True)),
        "layers": {name: int(pyogrio.read_info(path, layer=name)["features"])
                   for name in layers},
    }


def integrity(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def _child(args: list[str]) -> None:
    from trygg.cli import main

    os._exit(main(args))


def _wait_for_copy(path: Path, proc_alive, limit: float = 30.0) -> bool:
    """Wait until a working copy of ``path`` exists (the command writes)."""
    end = time.monotonic() + limit
    while time.monotonic() < end and proc_alive():
        if stale_copies(path):
            return True
        time.sleep(0.002)
    return False


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """A project with one ingest and one run; the files and commands to kill."""
    folder = tmp_path_factory.mktemp("krasch")
    base = folder / "mall.gpkg"
    store = create_project(base, name="Kraschkommun")
    ingest_file(store, write_csv(folder / "forsta.csv", "A", 1000, seed=1))
    from trygg.layers.hotspots.runs import run_hotspots

    run_hotspots(store, "count", name="forsta", cell=250)
    new = write_csv(folder / "andra.csv", "B", 1000, seed=2, source="est")
    commands = {
        "ingest": lambda p: ["ingest", str(p), str(new)],
        "hotspots": lambda p: ["hotspots", str(p), "--method", "gistar", "--name", "krasch",
                               "--cell", "250"],
    }
    after, duration = {}, {}
    for kind, command in commands.items():
        done = folder / f"klar_{kind}.gpkg"
        shutil.copy(base, done)
        child = FORK.Process(target=_child, args=(command(done),))
        start = time.monotonic()
        child.start()
        child.join(120)
        duration[kind] = time.monotonic() - start
        assert child.exitcode == 0
        after[kind] = state(done)
    return {"folder": folder, "base": base, "before": state(base), "after": after,
            "duration": duration, "commands": commands}


def _check(setup, kind: str, path: Path, follow_up: int) -> str:
    assert integrity(path) == "ok"
    now = state(path)
    assert now in (setup["before"], setup["after"][kind]), f"{kind}: a third state"
    outcome = "before" if now == setup["before"] else "after"
    # The next writer gets the lock at once and removes the dead one's working copy.
    extra = write_csv(setup["folder"] / f"sedan_{follow_up}.csv", f"C{follow_up}", 20,
                      seed=100 + follow_up)
    os.environ["TRYGG_LOCK_TIMEOUT"] = "5"
    try:
        summary = ingest_file(open_project(path), extra)
    finally:
        del os.environ["TRYGG_LOCK_TIMEOUT"]
    assert summary.reports_added == 20
    assert not stale_copies(path)
    assert integrity(path) == "ok"
    return outcome


@pytest.mark.parametrize("kind", ["ingest", "hotspots"])
def test_kill_minus_9_at_random_moments(setup, kind):
    rnd = random.Random(f"{SEED}-{kind}")
    outcomes = []
    for trial in range(KILLS):
        path = setup["folder"] / f"{kind}_{trial}.gpkg"
        shutil.copy(setup["base"], path)
        child = FORK.Process(target=_child, args=(setup["commands"][kind](path),))
        child.start()
        if trial % 2:  # during the write: after the working copy appeared
            _wait_for_copy(path, child.is_alive)
            time.sleep(rnd.uniform(0, 0.05))
        else:
            time.sleep(rnd.uniform(0, 1.1 * setup["duration"][kind]))
        if child.is_alive():
            os.kill(child.pid, signal.SIGKILL)
        child.join(30)
        outcomes.append(_check(setup, kind, path, follow_up=trial))
    # The moments reached both sides of the commit, so the test saw kills that mattered.
    assert "before" in outcomes, outcomes


@pytest.mark.parametrize("kind", ["ingest", "hotspots"])
def test_kill_minus_9_of_the_real_command(setup, kind):
    path = setup["folder"] / f"{kind}_process.gpkg"
    shutil.copy(setup["base"], path)
    proc = subprocess.Popen([sys.executable, "-m", "trygg.cli",
                             *setup["commands"][kind](path)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _wait_for_copy(path, lambda: proc.poll() is None, limit=120), (
            "the command ended before it wrote")
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(60)
    assert proc.returncode == -signal.SIGKILL
    assert stale_copies(path)  # the killed command left its working copy …
    assert _check(setup, kind, path, follow_up=99) == "before"  # … and nothing else



def test_real_concurrent_commands_lose_nothing(tmp_path):
    """Two ``trygg ingest`` and one ``trygg hotspots`` started at once on one project:
    all succeed, the printed counts add up to what is stored, nothing vanishes."""
    import re

    path = tmp_path / "samtidig.gpkg"
    create_project(path)
    ingest_file(open_project(path), write_csv(tmp_path / "bas.csv", "A", 300, seed=1))
    files = [write_csv(tmp_path / f"fil{i}.csv", f"F{i}", 800, seed=10 + i) for i in range(2)]
    env = {**os.environ, "TRYGG_LOCK_TIMEOUT": "120"}
    commands = [["ingest", str(path), str(f)] for f in files] + [
        ["hotspots", str(path), "--method", "count", "--name", "samtidig", "--cell", "250"]]
    procs = [subprocess.Popen([sys.executable, "-m", "trygg.cli", *c], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for c in commands]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outputs
    added = [int(re.search(r"Tillagda rapporter: ([\d\u00a0 ]+)", out).group(1)
                 .replace("\u00a0", "").replace(" ", "")) for out, _ in outputs[:2]]
    assert added == [800, 800]
    store = open_project(path)
    ids = store.report_ids()
    assert len(ids) == 300 + sum(added)
    assert {f"tycktill:F{i}-{j}" for i in range(2) for j in range(800)} <= ids
    assert list(store.read("runs")["run_id"]) == ["samtidig"]
    assert len(store.read("ingests")) == 3
    assert integrity(path) == "ok" and not stale_copies(path)

"""The load, restart and several-organisation test of ``trygg serve`` (scripts/bench_serve.py)
at a small scale: it must find nothing lost, the kill must hit the load, and the counts per
organisation must be exact. No time is asserted here: the latency target is checked by the
full run, whose results are in scripts/bench_results/serve_load.json."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_serve_loses_nothing_under_load_restart_and_three_organisations(
        postgres_server, tmp_path):
    out = tmp_path / "serve_load.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench_serve.py"), "--server", postgres_server,
         "--clients", "8", "--submissions", "15", "--restart-clients", "4",
         "--restart-submissions", "40", "--org-rows", "150", "--p95-ms", "1e9",
         "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads(out.read_text(encoding="utf-8"))
    load = results["load"]
    assert load["accepted"] == load["stored"] == 8 * 15 and load["errors"] == 0
    restart = results["restart"]
    assert restart["missing"] == 0 and restart["accepted"] == 4 * 40
    assert 0 < restart["accepted_when_killed"] < 4 * 40 and restart["failed_while_down"] > 0
    orgs = results["organisations"]
    assert orgs["organisations"] == {"Polisen": 150, "Bostadsbolaget": 150, "Skolan": 150}
    assert orgs["missing"] == 0 and orgs["accepted"] == orgs["api_new_rows"] > 0


def test_bench_serve_needs_a_server(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_serve.py"),
                           "--out", str(tmp_path / "x.json")],
                          capture_output=True, text=True, timeout=120,
                          env={k: v for k, v in os.environ.items()
                               if k != "TRYGG_TEST_POSTGRES"})
    assert done.returncode == 2 and "--server" in done.stderr
    assert "Traceback" not in done.stderr

"""Load, restart and several-writer test of ``trygg serve`` on PostGIS, on loopback only.

Three bounded runs against a real server process (``trygg serve``, uvicorn) on a
project in a PostGIS database of its own, each checked against the database:

1. **load**: ``--clients`` concurrent clients × ``--submissions`` submissions each, every
   submission followed by a read of its status and every tenth by the service list;
   every accepted submission (HTTP 201) must be in the database exactly once, and the
   95th percentile latency of the requests under ``--p95-ms`` (the target: 200 ms).
2. **restart**: clients submitting while the server is killed (``SIGKILL``) half way and
   started again; no submission that was answered 201 may be missing afterwards.
3. **organisations**: three organisations ingest through the CLI at once (``trygg
   ingest`` as each organisation's intern database user) while ten clients submit
   through the API until the last ingest has finished; the reports per organisation and
   the submissions must be exact.

Results go to ``scripts/bench_results/serve_load.json`` (or ``--out``). Exit code 1 when
a check fails. Needs a PostgreSQL server with PostGIS: ``--server URL`` or
``TRYGG_TEST_POSTGRES`` (``scripts/postgis start`` gives one). Every request goes to
127.0.0.1, and every loop is bounded in count and time.

Run: ``.venv/bin/python scripts/bench_serve.py`` (the full numbers of issue 14), or
smaller: ``--clients 10 --submissions 20``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

#: A place inside the project area (WGS84), and the area (SWEREF 99 TM).
LAT, LON = 59.76, 18.70
AREA = (650000.0, 6610000.0, 720000.0, 6660000.0)
#: Seconds any single phase may take before it is stopped as failed.
PHASE_LIMIT_S = 900


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


class Server:
    """``trygg serve PROJECT`` as a child process on a loopback port."""

    def __init__(self, project: str, port: int, log: Path) -> None:
        self.project, self.port, self.log, self.proc = project, port, log, None

    def start(self) -> None:
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        # the log goes to a file: a pipe nobody reads would fill and stop the server
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "trygg.cli", "serve", self.project, "--port",
                 str(self.port), "--rate", "0"], env=env, stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("the server stopped: "
                                   + self.log.read_text(errors="replace")[-2000:])
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start within 60 s")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(30)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()


class Client(threading.Thread):
    """One resident's app: ``n`` submissions, each followed by a read of its status."""

    def __init__(self, port: int, n: int, stop: threading.Event, *, patient: bool = False
                 ) -> None:
        super().__init__(daemon=True)
        self.port, self.n, self.stop, self.patient = port, n, stop, patient
        self.accepted: list[str] = []
        self.latencies: dict[str, list[float]] = {"post": [], "get": [], "services": []}
        self.failures = 0
        self.errors: list[str] = []

    def _request(self, conn, method, path, body=None, headers=None):
        start = time.perf_counter()
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return response.status, data, (time.perf_counter() - start) * 1000

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        body = urllib.parse.urlencode({"service_code": "klotter", "lat": LAT, "long": LON,
                                       "description": "Klotter på elskåpet"})
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        i = 0
        deadline = time.monotonic() + PHASE_LIMIT_S
        while i < self.n and not self.stop.is_set() and time.monotonic() < deadline:
            try:
                status, data, ms = self._request(conn, "POST", "/open311/v2/requests.json",
                                                 body, form)
            except (OSError, http.client.HTTPException) as exc:
                # no answer: not accepted (the server may be down); try again shortly
                conn = self._failed(conn, exc)
                time.sleep(0.05)
                continue
            if status != 201:
                self.errors.append(f"POST {status} {data[:200]!r}")
                i += 1
                continue
            request_id = json.loads(data)[0]["service_request_id"]
            self.accepted.append(request_id)
            self.latencies["post"].append(ms)
            i += 1
            try:
                status, data, ms = self._request(conn, "GET",
                                                 f"/open311/v2/requests/{request_id}.json")
                if status == 200:
                    self.latencies["get"].append(ms)
                else:
                    self.errors.append(f"GET {status}")
                if i % 10 == 0:
                    status, _, ms = self._request(conn, "GET", "/open311/v2/services.json")
                    self.latencies["services"].append(ms)
            except (OSError, http.client.HTTPException) as exc:
                conn = self._failed(conn, exc)
        conn.close()

    def _failed(self, conn, exc: Exception) -> http.client.HTTPConnection:
        """Count a request without an answer; a new connection to go on with."""
        self.failures += 1
        conn.close()
        if not self.patient:
            self.errors.append(repr(exc))
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)


def _stored(url: str) -> dict[str, int]:
    """request_id → rows in the database."""
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT request_id, count(*) FROM trygg.submissions "
                            "GROUP BY request_id").fetchall()
    return {str(r): int(n) for r, n in rows}


def _check_once(url: str, accepted: list[str]) -> dict:
    stored = _stored(url)
    missing = [r for r in accepted if r not in stored]
    doubled = [r for r, n in stored.items() if n > 1]
    return {"accepted": len(accepted), "stored": sum(stored.values()),
            "missing": len(missing), "stored_twice": len(doubled)}


def _run_clients(port: int, clients: int, n: int, *, patient: bool = False,
                 during=None) -> list[Client]:
    stop = threading.Event()
    threads = [Client(port, n, stop, patient=patient) for _ in range(clients)]
    for c in threads:
        c.start()
    if during is not None:
        during(threads)
    for c in threads:
        c.join(PHASE_LIMIT_S)
    stop.set()
    return threads


def phase_load(url: str, clients: int, n: int, p95_ms: float, tmp: Path) -> dict:
    port = _free_port()
    server = Server(url, port, tmp / "serve.log")
    server.start()
    try:
        start = time.perf_counter()
        threads = _run_clients(port, clients, n)
        seconds = time.perf_counter() - start
    finally:
        server.stop()
    accepted = [r for c in threads for r in c.accepted]
    lat = {k: [v for c in threads for v in c.latencies[k]] for k in ("post", "get",
                                                                      "services")}
    every = lat["post"] + lat["get"] + lat["services"]
    result = {"clients": clients, "submissions_each": n, "seconds": round(seconds, 1),
              "requests": len(every), "requests_per_s": round(len(every) / seconds, 1),
              "p50_ms": round(_percentile(every, 50), 1),
              "p95_ms": round(_percentile(every, 95), 1),
              "p99_ms": round(_percentile(every, 99), 1),
              "p95_post_ms": round(_percentile(lat["post"], 95), 1),
              "p95_get_ms": round(_percentile(lat["get"], 95), 1),
              "errors": sum(len(c.errors) for c in threads),
              "error_examples": sorted({e for c in threads for e in c.errors})[:5],
              **_check_once(url, accepted)}
    result["ok"] = (result["missing"] == 0 and result["stored_twice"] == 0
                    and result["accepted"] == clients * n and result["errors"] == 0
                    and result["p95_ms"] < p95_ms)
    return result


def phase_restart(url: str, clients: int, n: int, tmp: Path) -> dict:
    port = _free_port()
    server = Server(url, port, tmp / "serve.log")
    server.start()
    before = sum(_stored(url).values())
    kills: list[float] = []
    at_kill: list[int] = []

    def kill_half_way(threads):
        deadline = time.monotonic() + PHASE_LIMIT_S
        while (sum(len(c.accepted) for c in threads) < clients * n // 3
               and time.monotonic() < deadline):
            time.sleep(0.01)
        server.kill()
        kills.append(time.monotonic())
        at_kill.append(sum(len(c.accepted) for c in threads))
        time.sleep(0.5)
        server.start()
        kills.append(time.monotonic())

    try:
        threads = _run_clients(port, clients, n, patient=True, during=kill_half_way)
    finally:
        server.stop()
    accepted = [r for c in threads for r in c.accepted]
    check = _check_once(url, accepted)
    result = {"clients": clients, "submissions_each": n,
              "accepted_when_killed": at_kill[0] if at_kill else None,
              "down_s": round(kills[1] - kills[0], 2) if len(kills) == 2 else None,
              "failed_while_down": sum(c.failures for c in threads),
              "new_rows": check["stored"] - before, **check}
    # the kill must have hit the load: clients were refused while the server was down
    result["ok"] = (check["missing"] == 0 and check["stored_twice"] == 0
                    and result["accepted"] == clients * n
                    and 0 < (result["accepted_when_killed"] or 0) < clients * n
                    and result["failed_while_down"] > 0)
    return result


def phase_organisations(url: str, rows: int, clients: int, tmp: Path) -> dict:
    from trygg.layers import roles
    from trygg.layers.store import open_project

    store = open_project(url)
    tag = uuid.uuid4().hex[:6]
    orgs = {"Polisen": f"polis_{tag}", "Bostadsbolaget": f"bostad_{tag}",
            "Skolan": f"skola_{tag}"}
    host = urllib.parse.urlsplit(url)
    files = {}
    for k, (org, user) in enumerate(orgs.items()):
        roles.add_user(store, user, "intern", organisation=org, password=None)
        path = tmp / f"{user}.csv"
        lines = ["Ärende-ID;Datum;Kategori;X;Y"] + [
            f"{org[:3].upper()}-{i};2026-0{1 + i % 9}-1{i % 10} 12:00;Klotter;"
            f"{660000 + (i * 37 + k * 1000) % 50000};{6620000 + (i * 53) % 30000}"
            for i in range(rows)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files[org] = (urllib.parse.urlunsplit((host.scheme, f"{user}@{host.hostname}:"
                                               f"{host.port}", host.path, "", "")), path)
    port = _free_port()
    server = Server(url, port, tmp / "serve.log")
    server.start()
    procs = []

    def ingest_all(threads):
        env = dict(os.environ, TRYGG_LOCK_TIMEOUT="300")
        log = open(tmp / "ingest.log", "ab")  # noqa: SIM115 (closed below)
        for org_url, path in files.values():
            procs.append(subprocess.Popen([sys.executable, "-m", "trygg.cli", "ingest",
                                           org_url, str(path)], env=env,
                                          stdout=subprocess.DEVNULL, stderr=log))
        for p in procs:
            p.wait(PHASE_LIMIT_S)
        log.close()
        threads[0].stop.set()  # the API clients submit for as long as the CLI writes

    before = sum(_stored(url).values())
    try:
        threads = _run_clients(port, clients, 100_000, during=ingest_all)
    finally:
        server.stop()
    import psycopg

    with psycopg.connect(url) as conn:
        per_org = dict(conn.execute("SELECT organisation, count(*) FROM trygg.reports "
                                    "WHERE organisation = ANY(%s) GROUP BY organisation",
                                    (list(orgs),)).fetchall())
    accepted = [r for c in threads for r in c.accepted]
    check = _check_once(url, accepted)
    result = {"organisations": {o: int(per_org.get(o, 0)) for o in orgs},
              "rows_each": rows, "cli_exit_codes": [p.returncode for p in procs],
              "api_clients": clients, "api_errors": sum(len(c.errors) for c in threads),
              "api_new_rows": check["stored"] - before, **check}
    result["ok"] = (all(v == rows for v in result["organisations"].values())
                    and all(c == 0 for c in result["cli_exit_codes"])
                    and check["missing"] == 0 and check["stored_twice"] == 0
                    and result["api_errors"] == 0
                    and 0 < check["accepted"] == result["api_new_rows"])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=os.environ.get("TRYGG_TEST_POSTGRES"),
                        help="PostgreSQL server URL without a database "
                             "(default: TRYGG_TEST_POSTGRES)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--restart-clients", type=int, default=20)
    parser.add_argument("--restart-submissions", type=int, default=100)
    parser.add_argument("--org-rows", type=int, default=2000)
    parser.add_argument("--p95-ms", type=float, default=200.0)
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).parent / "bench_results" / "serve_load.json")
    args = parser.parse_args(argv)
    if not args.server:
        print("Ange --server postgresql://… eller TRYGG_TEST_POSTGRES (scripts/postgis start).",
              file=sys.stderr)
        return 2
    import tempfile

    import psycopg

    from trygg.layers.store import create_project

    name = f"load_{uuid.uuid4().hex[:8]}"
    server = args.server.rstrip("/")
    url = f"{server}/{name}"
    create_project(url, name="Lasttest", area=AREA)
    results: dict = {"project": name, "machine": {"cpus": os.cpu_count()},
                     "target": {"p95_ms_below": args.p95_ms, "lost": 0}}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            results["load"] = phase_load(url, args.clients, args.submissions, args.p95_ms,
                                         Path(tmp))
            print("load", json.dumps(results["load"]), flush=True)
            results["restart"] = phase_restart(url, args.restart_clients,
                                               args.restart_submissions, Path(tmp))
            print("restart", json.dumps(results["restart"]), flush=True)
            results["organisations"] = phase_organisations(url, args.org_rows, 10,
                                                           Path(tmp))
            print("organisations", json.dumps(results["organisations"]), flush=True)
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    results["ok"] = all(results[k]["ok"] for k in ("load", "restart", "organisations"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    print(f"{'OK' if results['ok'] else 'FAILED'}: {args.out}")
    return 0 if results["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())

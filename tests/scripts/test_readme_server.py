"""The README's PostGIS section runs as written, on the test server.

Its ``shell`` blocks are run in order from a folder laid out like the repository after
``./scripts/demo`` (``out/demo/demo.gpkg`` and ``out/demo/data``), with the README's
server address (``127.0.0.1:54329``) replaced by the test server's and its database by a
new one. ``scripts/postgis start`` is what ./scripts/test has already done; ``trygg
serve`` is started as a process, must answer its page and is stopped again.
"""

from __future__ import annotations

import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from trygg.cli import main

README = Path(__file__).resolve().parents[2] / "README.md"
ADDRESS = re.compile(r"postgresql://(\w+)@127\.0\.0\.1:54329/(\w+)")


def server_lines(text: str) -> list[str]:
    """The command lines of the README's ``shell`` blocks (comments dropped, ``\\``
    continuations joined)."""
    lines = []
    for block in re.findall(r"```shell\n(.*?)```", text, flags=re.S):
        for line in block.replace("\\\n", " ").splitlines():
            if shlex.split(line, comments=True):
                lines.append(line)
    return lines


def test_the_section_starts_postgis_and_serve_in_two_commands():
    lines = server_lines(README.read_text(encoding="utf-8"))
    first = [shlex.split(line, comments=True)[:2] for line in lines[:2]]
    assert first == [["scripts/postgis", "start"], ["trygg", "serve"]]


@pytest.fixture
def demo_checkout(tmp_path, tour_data) -> Path:
    tour_data(tmp_path)
    return tmp_path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(argv: list[str], cwd: Path) -> str:
    """Run ``trygg serve …`` until its page answers; stop it; return what it printed."""
    port = _free_port()
    log = cwd / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "trygg.cli", *argv, "--port",
                                 str(port)], cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, log.read_text(errors="replace")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                    assert page.status == 200 and b"<html" in page.read()
                    break
            except OSError:
                assert time.monotonic() < deadline, "trygg serve did not answer in 180 s"
                time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(30)
    return log.read_text(errors="replace")


def test_every_server_example_runs_as_written(postgres_server, demo_checkout, monkeypatch,
                                              capsys):
    import psycopg

    monkeypatch.chdir(demo_checkout)
    assert main(["init", "out/demo/demo.gpkg", "--name", "Exempelby kommun",
                 "--area", "out/demo/data/kommun.gpkg:kommun"]) == 0
    assert main(["ingest", "out/demo/demo.gpkg", "out/demo/data/tycktill_export.csv",
                 "--source", "tycktill"]) == 0
    server = urlsplit(postgres_server)
    names: dict[str, str] = {}

    def here(match: re.Match) -> str:
        db = names.setdefault(match[2], f"t_readme_{uuid.uuid4().hex[:8]}")
        return f"postgresql://{match[1]}@{server.hostname}:{server.port}/{db}"

    monkeypatch.setenv("TRYGG_PASSWORD", "ett-langt-losenord")  # trygg users asks for one otherwise
    served = ""
    try:
        for line in server_lines(README.read_text(encoding="utf-8")):
            words = shlex.split(ADDRESS.sub(here, line), comments=True)
            while "=" in words[0]:  # VAR=value before the command
                key, value = words.pop(0).split("=", 1)
                monkeypatch.setenv(key, value)
            if words[:2] == ["scripts/postgis", "start"]:
                continue  # ./scripts/test started the server
            assert words[0] == "trygg", line
            if words[1] == "serve":
                served = _serve(words[1:], demo_checkout)
                continue
            code = main(words[1:])
            out, err = capsys.readouterr()
            assert code == 0, f"{line} → exit {code}\n{out}\n{err}"
            assert "Traceback" not in out + err
        assert "Kopierade out/demo/demo.gpkg" in served and "svarar på" in served
        assert (demo_checkout / "out" / "karta_server.html").stat().st_size > 0
        with psycopg.connect(f"{postgres_server}/{names['trygg']}") as conn:
            orgs = dict(conn.execute("SELECT organisation, count(*) FROM trygg.reports "
                                     "GROUP BY 1").fetchall())
        assert orgs.get("Bostadsbolaget", 0) > 0
    finally:
        with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as conn:
            for db in names.values():
                conn.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")

"""Running the real server (and a bare Flask app) under gunicorn for the HTTP parts.

Each server gets its own database: a SQLite file in a temporary folder, or a fresh PostgreSQL
database created on the server named by SCORECARD_BENCH_POSTGRES (default: the local one)
and dropped afterwards. `scorecard init` creates the tables and publishes rulesets/*.yaml;
`scorecard keys create` makes the API key (its last printed line).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORKERS = 2  # the machine has 2 cores; `scorecard serve` also defaults to 2
POSTGRES_ADMIN_URL = os.environ.get(
    "SCORECARD_BENCH_POSTGRES", "postgresql://postgres@localhost:5432/postgres"
)
START_TIMEOUT_S = 30
WORKER_TIMEOUT_S = 300  # gunicorn's default 30 s would kill a worker storing a large batch


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _scorecard(env: dict[str, str], *args: str) -> str:
    command = [str(BIN / "scorecard"), *args]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@contextmanager
def database(backend: str) -> Iterator[str]:
    """A fresh, empty database URL for `backend` (sqlite | postgresql), removed afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="scorecard-bench-") as folder:
            yield f"sqlite:///{folder}/scorecard.db"
        return
    import psycopg2

    name = f"scorecard_bench_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(POSTGRES_ADMIN_URL, connect_timeout=5)
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def postgres_available() -> str | None:
    """None when the PostgreSQL server answers, else why not."""
    try:
        import psycopg2

        psycopg2.connect(POSTGRES_ADMIN_URL, connect_timeout=3).close()
    except Exception as exc:  # noqa: BLE001 - any failure means "skip PostgreSQL"
        return f"{type(exc).__name__}: {str(exc).strip().splitlines()[0]}"
    return None


class Gunicorn:
    """A gunicorn master with WORKERS sync workers serving `app` on a free local port."""

    def __init__(self, app: str, env: dict[str, str], health: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log", delete=False)
        command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}"]
        command += ["--workers", str(WORKERS), "--timeout", str(WORKER_TIMEOUT_S)]
        command += ["--chdir", str(ROOT), app]
        self.process = subprocess.Popen(command, env=env, stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log.name}")
            try:
                if requests.get(self.url + health, timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass  # not listening yet, or a worker still importing the app
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer {health} in {START_TIMEOUT_S} s")

    def worker_pids(self) -> list[int]:
        """The worker processes: the master's children."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


@contextmanager
def scorecard_server(backend: str) -> Iterator[tuple[Gunicorn, str]]:
    """The real server on a fresh database with the default rulesets; (server, API key)."""
    with database(backend) as url:
        env = {**os.environ, "SCORECARD_DATABASE_URL": url, "SCORECARD_SECRET_KEY": "bench"}
        _scorecard(env, "init")
        key = _scorecard(env, "keys", "create", "bench", "--scopes", "evaluate,read,publish,plan")
        server = Gunicorn("wsgi:app", env, "/healthz")
        try:
            yield server, key.strip().splitlines()[-1].strip()
        finally:
            server.stop()


@contextmanager
def bare_server() -> Iterator[Gunicorn]:
    """bench/bare_app.py under the same gunicorn settings."""
    server = Gunicorn("bench.bare_app:app", dict(os.environ), "/healthz")
    try:
        yield server
    finally:
        server.stop()


def rss_mib(pid: int) -> float:
    """Resident set size of a process, MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")

"""A real gunicorn serving wsgi:app on a free 127.0.0.1 port, its workers and its log.

Only loopback is ever a target; every wait here is bounded in time.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 15


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> list[int]:
    """The process ids whose parent is `pid` (gunicorn's workers, for its master)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        return [int(part) for part in text.split()]
    except OSError:
        pass
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...: comm may hold spaces, so split after its ')'
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def cpu_ticks(pid: int) -> int:
    """User plus system CPU time of a process, in clock ticks (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


@dataclass
class Server:
    """A running gunicorn: its base URL, master process and log file."""

    base: str
    process: subprocess.Popen
    log: Path
    ready_dir: Path
    worker_count: int

    def workers(self) -> list[int]:
        """The pids of the current workers."""
        return children(self.process.pid)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def ready_workers(self) -> set[int]:
        """The workers that have loaded the app (gunicorn_conf.py marks them)."""
        marked = {int(p.name) for p in self.ready_dir.iterdir() if p.name.isdigit()}
        return marked & set(self.workers())

    def wait_ready(self, path: str = "/readyz", timeout: float = START_TIMEOUT_S) -> None:
        """Wait until every worker has loaded the app and `path` answers 200 (bounded)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                if (
                    len(self.ready_workers()) == self.worker_count
                    and requests.get(self.base + path, timeout=5).status_code == 200
                ):
                    return
            except requests.RequestException:
                pass
            assert self.process.poll() is None, self.log_text()[-3000:]
            assert time.monotonic() < deadline, f"{path} did not answer 200 in {timeout} s"
            time.sleep(0.1)


@contextmanager
def gunicorn(
    database_url: str,
    log: Path,
    workers: int = 4,
    env: dict[str, str] | None = None,
    ready_path: str = "/readyz",
    access_log: bool = False,
) -> Iterator[Server]:
    """Serve wsgi:app with `workers` workers on `database_url`; stop it afterwards."""
    port = free_port()
    ready_dir = log.with_name(log.name + ".ready")
    ready_dir.mkdir(exist_ok=True)
    environment = {
        **os.environ,
        "SCORECARD_DATABASE_URL": database_url,
        "SCORECARD_SECRET_KEY": "reliability-tests",
        "SCORECARD_TEST_READY_DIR": str(ready_dir),
        **(env or {}),
    }
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--timeout", "120", "--graceful-timeout", "5"]
    command += ["--no-control-socket"]  # one per user by default: concurrent servers would share it
    if access_log:
        command += ["--access-logfile", "-"]
    command += ["--config", str(Path(__file__).with_name("gunicorn_conf.py"))]
    command += ["--chdir", str(ROOT), "wsgi:app"]
    handle = open(log, "ab")  # noqa: SIM115 - closed below, after the process
    process = subprocess.Popen(command, env=environment, stdout=handle, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", process, log, ready_dir, workers)
    try:
        server.wait_ready(ready_path)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        handle.close()

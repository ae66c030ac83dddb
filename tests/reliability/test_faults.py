"""The database goes away under a running gunicorn: the API answers 503 problem+json, /readyz
fails, /healthz still answers, and both recover without a restart when it comes back.

PostgreSQL is reached through a TCP proxy on 127.0.0.1 that the test cuts and restores;
SQLite loses the directory holding its file (renamed away, then back).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

from tests.conftest import submission

PG_HOST = ("127.0.0.1", 5432)
ATTEMPTS = 12  # requests made while the database is away, spread over the workers
RECOVERY_S = 20


class CuttableProxy:
    """A TCP proxy from a free 127.0.0.1 port to PostgreSQL; `cut()` drops every connection
    and refuses new ones until `restore()`."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.refusing = threading.Event()
        self.stopped = threading.Event()
        self.lock = threading.Lock()
        self.sockets: set[socket.socket] = set()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self.refusing.is_set():
                client.close()
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets.update((client, server))
            for src, dst in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            self._drop(src, dst)

    def _drop(self, *sockets: socket.socket) -> None:
        for sock in sockets:
            with self.lock:
                self.sockets.discard(sock)
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def cut(self) -> None:
        """Drop every open connection and refuse new ones."""
        self.refusing.set()
        with self.lock:
            open_sockets = list(self.sockets)
        self._drop(*open_sockets)

    def restore(self) -> None:
        """Accept and forward connections again."""
        self.refusing.clear()

    def close(self) -> None:
        self.stopped.set()
        self.cut()
        self.listener.close()
        self.thread.join(5)


@pytest.fixture
def proxy() -> Iterator[CuttableProxy]:
    proxy = CuttableProxy(PG_HOST)
    yield proxy
    proxy.close()


def through(url: str, port: int) -> str:
    """The PostgreSQL URL with its host and port replaced by the proxy's."""
    parts = urlsplit(url)
    user = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
    return urlunsplit(parts._replace(netloc=f"{user}127.0.0.1:{port}"))


class Outage:
    """Takes the test's database away from gunicorn and brings it back."""

    def __init__(self, database_url: str, proxy: CuttableProxy | None) -> None:
        self.proxy = proxy
        if proxy is not None:
            self.url = through(database_url, proxy.port)
        else:
            self.url = database_url
            self.directory = Path(database_url.removeprefix("sqlite:///")).parent

    def begin(self) -> None:
        if self.proxy is not None:
            self.proxy.cut()
        else:
            self.directory.rename(self.directory.with_name("away"))

    def end(self) -> None:
        if self.proxy is not None:
            self.proxy.restore()
        else:
            self.directory.with_name("away").rename(self.directory)


@pytest.fixture
def outage(database_url: str) -> Iterator[Outage]:
    """PostgreSQL behind a cuttable proxy, or SQLite whose directory can be renamed away."""
    if not database_url.startswith("postgresql"):
        yield Outage(database_url, None)
        return
    proxy = CuttableProxy(PG_HOST)
    try:
        yield Outage(database_url, proxy)
    finally:
        proxy.close()


def assert_unavailable(base: str, key: dict[str, str], tag: str) -> None:
    """Every API call answers 503 problem+json, /readyz fails, /healthz answers."""
    for n in range(ATTEMPTS):
        calls = [
            requests.get(f"{base}/api/v1/roles", headers=key, timeout=30),
            requests.get(f"{base}/api/v1/evaluations/1", headers=key, timeout=30),
            requests.post(
                f"{base}/api/v1/evaluations",
                json=submission(f"{tag}-down{n}"),
                headers=key,
                timeout=30,
            ),
            requests.get(f"{base}/readyz", timeout=30),
        ]
        for response in calls:
            assert response.status_code == 503, (response.url, response.text[:500])
            assert response.headers["Content-Type"] == "application/problem+json"
            body = response.json()
            assert body["type"].endswith("database-unavailable")
            assert body["status"] == 503
        assert requests.get(f"{base}/healthz", timeout=30).status_code == 200


def assert_recovers(base: str, key: dict[str, str], tag: str) -> None:
    """Within RECOVERY_S /readyz is 200 again, and from then on every call succeeds."""
    deadline = time.monotonic() + RECOVERY_S
    while requests.get(f"{base}/readyz", timeout=30).status_code != 200:
        assert time.monotonic() < deadline, "/readyz did not recover"
        time.sleep(0.2)
    for n in range(ATTEMPTS):
        stored = requests.post(
            f"{base}/api/v1/evaluations", json=submission(f"{tag}-back{n}"), headers=key, timeout=30
        )
        assert stored.status_code == 201, stored.text[:500]
        listed = requests.get(f"{base}/api/v1/roles", headers=key, timeout=30)
        assert listed.status_code == 200, listed.text[:500]
        assert requests.get(f"{base}/readyz", timeout=30).status_code == 200


def test_database_away_is_503_and_recovers_without_restart(serve, publish, admin_key, outage):
    publish()
    with serve(database_url=outage.url) as server:
        first = requests.post(
            f"{server.base}/api/v1/evaluations", json=submission("before"), headers=admin_key
        )
        assert first.status_code == 201
        workers = set(server.workers())
        for cycle in range(2):  # a second outage after a recovery is handled the same way
            outage.begin()
            try:
                assert_unavailable(server.base, admin_key, f"c{cycle}")
            finally:
                outage.end()
            assert_recovers(server.base, admin_key, f"c{cycle}")
        stored = requests.get(f"{server.base}/api/v1/evaluations/1", headers=admin_key)
        assert stored.json()["employee_id"] == "before"
        listed = requests.get(f"{server.base}/api/v1/evaluations?limit=1000", headers=admin_key)
        assert len(listed.json()["items"]) == 1 + 2 * ATTEMPTS  # nothing stored while away
        assert set(server.workers()) == workers  # no worker was restarted to recover


def test_an_outage_between_requests_costs_no_request(serve, publish, admin_key, outage):
    # the workers' idle connections were ended while nobody asked: the next requests must not
    # fail on them (PostgreSQL: the pool drops connections the server closed)
    publish()
    with serve(database_url=outage.url) as server:
        for _ in range(ATTEMPTS):  # every worker holds an idle connection
            requests.get(f"{server.base}/api/v1/roles", headers=admin_key, timeout=30)
        outage.begin()
        time.sleep(0.2)
        outage.end()
        for n in range(ATTEMPTS):
            stored = requests.post(
                f"{server.base}/api/v1/evaluations",
                json=submission(f"after{n}"),
                headers=admin_key,
                timeout=30,
            )
            assert stored.status_code == 201, stored.text[:500]
            assert requests.get(f"{server.base}/readyz", timeout=30).status_code == 200

"""A real gunicorn with several workers on one database: racing writes lose nothing and
duplicate nothing (revision and version numbers stay consecutive)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from server.storage import AuditEntry, EvaluationRecord, EvaluationRevision, RulesetVersion
from tests.conftest import ruleset_document, submission

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 4
THREADS = 16


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(app, database_url) -> Iterator[str]:
    """gunicorn serving wsgi:app with 4 workers on the test's database; its base URL."""
    port = free_port()
    env = {**os.environ, "SCORECARD_DATABASE_URL": database_url, "SCORECARD_SECRET_KEY": "test"}
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(WORKERS), "--chdir", str(ROOT), "wsgi:app"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{base}/readyz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert process.poll() is None, process.stderr.read().decode()[-3000:]
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.1)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stderr.close()


def test_racing_submissions_and_publishes_lose_and_duplicate_nothing(
    app, server, admin_key, publish
):
    publish()
    # 25 employees get 4 differing submissions each (all with reasons), 100 more get one
    bodies = [
        submission(
            f"e{n}", inputs={"actual_sales": 90, "target_sales": 100, "visits": v}, reason=f"r{v}"
        )
        for n in range(25)
        for v in range(4)
    ] + [submission(f"solo{n}") for n in range(100)]
    documents = [ruleset_document(name=f"并发 {n}") for n in range(10)]

    with requests.Session() as session:
        session.headers.update(admin_key)

        def store(body):
            return session.post(f"{server}/api/v1/evaluations", json=body, timeout=60)

        def publish_one(document):
            body = {"document": document, "effective_from": "2020-Q1"}
            return session.post(
                f"{server}/api/v1/rulesets/team_lead/versions", json=body, timeout=60
            )

        with ThreadPoolExecutor(THREADS) as pool:
            # a publish every 20 submissions, so that both race each other
            stored, published = [], []
            for n, body in enumerate(bodies):
                stored.append(pool.submit(store, body))
                if n % 20 == 0:
                    published.append(pool.submit(publish_one, documents[n // 20]))
            stored = [future.result() for future in stored]
            published = [future.result() for future in published]

    assert [r.status_code for r in stored] == [201] * len(bodies), [
        r.text for r in stored if r.status_code != 201
    ][:3]
    assert [r.status_code for r in published] == [201] * len(documents)
    assert sorted(r.json()["version"] for r in published) == list(range(2, 12))

    answered = defaultdict(list)
    for response in stored:
        answered[response.json()["employee_id"]].append(response.json()["revision"])
    with app.app_context():
        assert RulesetVersion.select().count() == 11
        assert EvaluationRecord.select().count() == 125
        assert EvaluationRevision.select().count() == 200
        assert AuditEntry.select().where(AuditEntry.action == "evaluation.store").count() == 200
        numbers = defaultdict(list)
        query = EvaluationRevision.select(EvaluationRevision, EvaluationRecord).join(
            EvaluationRecord
        )
        for row in query:
            numbers[row.record.employee_id].append(row.revision)
    for employee_id, revisions in numbers.items():
        expected = [1, 2, 3, 4] if employee_id.startswith("e") else [1]
        assert sorted(revisions) == expected, employee_id
        assert sorted(answered[employee_id]) == expected, employee_id

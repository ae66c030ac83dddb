"""A real gunicorn with 4 workers on one database, SQLite and PostgreSQL: racing writes lose
nothing and duplicate nothing, and a worker killed in the middle of a batch leaves the batch
whole or absent while the server keeps answering."""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg2
import requests

from server.storage import AuditEntry, EvaluationRecord, EvaluationRevision, RulesetVersion
from server.storage.database import lock_id
from tests.conftest import ruleset_document, submission
from tests.reliability.live import cpu_ticks

WORKERS = 4
THREADS = 24
SUBMISSIONS = 2_000
REVISED = 250  # employees with 4 differing submissions each (1,000); 1,000 more send one
PUBLISHES = 20
BATCH = 10_000
KILL_WAIT_S = 60  # bound on waiting for the batch's write transaction to be under way


def test_2000_racing_submissions_and_20_racing_publishes(app, serve, admin_key, publish):
    publish()
    bodies = [
        submission(
            f"e{n}", inputs={"actual_sales": 90, "target_sales": 100, "visits": v}, reason=f"r{v}"
        )
        for n in range(REVISED)
        for v in range(4)
    ] + [  # the others spread over four quarters: writers of different periods overlap
        submission(f"solo{n}", period=f"2025-Q{1 + n % 4}")
        for n in range(SUBMISSIONS - 4 * REVISED)
    ]
    assert len(bodies) == SUBMISSIONS
    documents = [ruleset_document(name=f"并发 {n}") for n in range(PUBLISHES)]
    every = SUBMISSIONS // PUBLISHES
    local = threading.local()

    with serve(workers=WORKERS) as server:

        def post(path: str, body: dict[str, Any]) -> requests.Response:
            if not hasattr(local, "session"):
                local.session = requests.Session()
                local.session.headers.update(admin_key)
            return local.session.post(f"{server.base}/api/v1{path}", json=body, timeout=120)

        with ThreadPoolExecutor(THREADS) as pool:
            stored, published = [], []
            for n, body in enumerate(bodies):  # a publish every 100 submissions: both race
                stored.append(pool.submit(post, "/evaluations", body))
                if n % every == every // 2:
                    document = documents[len(published)]
                    body = {"document": document, "effective_from": "2020-Q1"}
                    published.append(pool.submit(post, "/rulesets/team_lead/versions", body))
            stored = [future.result() for future in stored]
            published = [future.result() for future in published]

    failed = [r.text[:300] for r in stored if r.status_code != 201]
    assert not failed, (len(failed), failed[:3])
    assert [r.status_code for r in published] == [201] * PUBLISHES
    assert sorted(r.json()["version"] for r in published) == list(range(2, PUBLISHES + 2))

    answered = defaultdict(list)
    for response in stored:
        answered[response.json()["employee_id"]].append(response.json()["revision"])
    with app.app_context():
        versions = [row.version for row in RulesetVersion.select().order_by(RulesetVersion.id)]
        assert sorted(versions) == list(range(1, PUBLISHES + 2))
        assert EvaluationRecord.select().count() == REVISED + SUBMISSIONS - 4 * REVISED
        assert EvaluationRevision.select().count() == SUBMISSIONS
        stores = AuditEntry.select().where(AuditEntry.action == "evaluation.store").count()
        assert stores == SUBMISSIONS
        publishes = AuditEntry.select().where(AuditEntry.action == "ruleset.publish").count()
        assert publishes == PUBLISHES + 1
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


class WriteWatcher:
    """Tells when a batch's write transaction is under way: PostgreSQL holds the batch's
    advisory lock; SQLite's write-ahead log grows with its uncommitted pages."""

    def __init__(self, database_url: str, role: str, period: str) -> None:
        self.url = database_url
        if database_url.startswith("postgresql"):
            key = lock_id(f"evaluations:{role}/{period}") & 0xFFFF_FFFF_FFFF_FFFF
            self.lock = (key >> 32, key & 0xFFFF_FFFF)
        else:
            self.wal = Path(database_url.removeprefix("sqlite:///") + "-wal")
            self.baseline = self._wal_size()

    def _wal_size(self) -> int:
        try:
            return self.wal.stat().st_size
        except FileNotFoundError:
            return 0

    def writing(self) -> bool:
        if not self.url.startswith("postgresql"):
            return self._wal_size() > self.baseline + 2 * 1024 * 1024
        with psycopg2.connect(self.url.split("?")[0]) as conn, conn.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND classid = %s AND objid = %s",
                self.lock,
            )
            held = cursor.fetchone()[0] > 0
        conn.close()
        return held


def test_worker_killed_in_the_middle_of_a_10000_item_batch(
    app, database_url, serve, admin_key, publish
):
    role = "kill_" + uuid.uuid4().hex[:8]  # its own advisory lock on a shared PostgreSQL
    publish(ruleset_document(role))
    items = [submission(f"b{n}", role=role) for n in range(BATCH)]

    def count() -> int:
        with app.app_context():
            return (
                EvaluationRevision.select()
                .join(EvaluationRecord)
                .where(EvaluationRecord.role == role)
                .count()
            )

    with serve(workers=WORKERS) as server:
        workers = server.workers()
        assert len(workers) == WORKERS
        ticks = {pid: cpu_ticks(pid) for pid in workers}
        watcher = WriteWatcher(database_url, role, "2025-Q3")
        outcome: dict[str, Any] = {}

        def send() -> None:
            try:
                outcome["response"] = requests.post(
                    f"{server.base}/api/v1/evaluations/batch",
                    json={"items": items},
                    headers=admin_key,
                    timeout=120,
                )
            except requests.RequestException as exc:
                outcome["error"] = exc

        sender = threading.Thread(target=send)
        sender.start()
        deadline = time.monotonic() + KILL_WAIT_S
        while not watcher.writing():
            assert sender.is_alive(), f"the batch finished before it could be killed: {outcome}"
            assert time.monotonic() < deadline, "the batch's write never started"
            time.sleep(0.01)
        busy = max(workers, key=lambda pid: cpu_ticks(pid) - ticks[pid])
        os.kill(busy, signal.SIGKILL)
        sender.join(120)

        assert "response" not in outcome, outcome["response"].text[:300]  # cut off mid-request
        stored = count()
        assert stored in (0, BATCH)  # whole or not at all
        # the server keeps answering: other workers at once, a new worker in place of the dead
        assert requests.get(f"{server.base}/readyz", timeout=30).status_code == 200
        one = requests.post(
            f"{server.base}/api/v1/evaluations",
            json=submission("after-kill", role=role),
            headers=admin_key,
            timeout=30,
        )
        assert one.status_code == 201, one.text[:300]
        server.wait_ready(timeout=30)  # a new worker has replaced the killed one
        assert busy not in server.workers()
        # the client's retry stores the batch exactly once
        retry = requests.post(
            f"{server.base}/api/v1/evaluations/batch",
            json={"items": items},
            headers=admin_key,
            timeout=120,
        )
        assert retry.status_code == 201, retry.text[:300]
        assert len(retry.json()["items"]) == BATCH
    assert count() == BATCH + 1
    with app.app_context():
        revisions = {
            row.revision
            for row in EvaluationRevision.select()
            .join(EvaluationRecord)
            .where(EvaluationRecord.role == role)
        }
    assert revisions == {1}
    print(f"killed mid-write: {stored} of {BATCH} items stored before the retry")

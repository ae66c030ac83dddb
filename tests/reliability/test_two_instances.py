"""Scale past one machine (SPEC §6): two separate server instances — two gunicorn masters,
two compiled-ruleset caches — on one database. A publish through one is used by the other
at once, batches racing through both lose and duplicate nothing, and a period closed through
one refuses writes through the other; a key revoked is refused by both at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import requests

from server.services import api_keys
from server.storage import ApiKey, EvaluationRecord, EvaluationRevision
from tests.conftest import ruleset_document, submission
from tests.reliability.live import gunicorn

BATCHES = 8  # 4 through each instance, racing
PER_BATCH = 250


def test_two_instances_share_one_database_and_nothing_else(app, database_url, tmp_path, admin_key):
    with (
        gunicorn(database_url, tmp_path / "a.log", workers=2) as first,
        gunicorn(database_url, tmp_path / "b.log", workers=2) as second,
    ):

        def call(server, method, path, body=None):
            return requests.request(
                method, server.base + "/api/v1" + path, json=body, headers=admin_key, timeout=60
            )

        v1 = {"document": ruleset_document(), "effective_from": "2020-Q1", "note": ""}
        assert call(first, "POST", "/rulesets/team_lead/versions", v1).status_code == 201
        for server in (first, second):  # both caches hold version 1
            answer = call(server, "POST", "/evaluate", submission()).json()
            assert (answer["ruleset"]["version"], answer["total"]) == (1, 82.0)

        changed = ruleset_document(name="团队主管 v2")
        changed["indicators"][0]["weight"], changed["indicators"][1]["weight"] = 70, 30
        v2 = {"document": changed, "effective_from": "2025-Q3", "note": "70/30"}
        assert call(first, "POST", "/rulesets/team_lead/versions", v2).status_code == 201
        answer = call(second, "POST", "/evaluate", submission()).json()  # at once, elsewhere
        assert (answer["ruleset"]["version"], answer["total"]) == (2, 0.7 * 90 + 0.3 * 50)

        def batch(number):
            server = first if number % 2 else second
            items = [submission(f"b{number}-{i}") for i in range(PER_BATCH)]
            return call(server, "POST", "/evaluations/batch", {"items": items}).status_code

        def revise(server_and_visits):
            server, visits = server_and_visits
            items = [
                submission(f"r{i}", inputs={"actual_sales": 90, "target_sales": 100,
                                            "visits": visits}, reason=f"visits {visits}")
                for i in range(PER_BATCH)
            ]  # fmt: skip
            return call(server, "POST", "/evaluations/batch", {"items": items}).status_code

        with ThreadPoolExecutor(max_workers=6) as pool:
            statuses = list(pool.map(batch, range(BATCHES)))
            statuses += list(pool.map(revise, [(first, 11), (second, 12), (first, 13)]))
        assert statuses == [201] * (BATCHES + 3)
        with app.app_context():
            distinct = EvaluationRecord.select().where(EvaluationRecord.employee_id.startswith("b"))
            assert distinct.count() == BATCHES * PER_BATCH
            revised = EvaluationRecord.select().where(EvaluationRecord.employee_id.startswith("r"))
            assert revised.count() == PER_BATCH
            for record in revised:
                numbers = sorted(r.revision for r in record.revisions)
                assert numbers == [1, 2, 3], (record.employee_id, numbers)
            stored = EvaluationRevision.select().count()
            assert stored == BATCHES * PER_BATCH + 3 * PER_BATCH

        closed = call(first, "POST", "/periods/team_lead/2025-Q3/close", {"reason": "结账"})
        assert closed.status_code == 200
        refused = call(second, "POST", "/evaluations", submission("late", reason="补交"))
        assert refused.status_code == 409
        assert refused.headers["Content-Type"].startswith("application/problem+json")
        with app.app_context():
            assert EvaluationRevision.select().count() == stored

        # the key was verified (and its verification cached) by both; revoked through one
        # instance's database, it is refused by both at once
        with app.app_context():
            for row in ApiKey.select():
                api_keys.revoke_key(row.name, "test")
        for server in (first, second):
            assert call(server, "POST", "/evaluate", submission()).status_code == 401

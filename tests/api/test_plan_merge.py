"""Evaluation with a period plan (SPEC §9): the plan's values fill what the submission leaves
out, a contradicting value is 422 naming the plan revision, the result names the plan, the
stored inputs are the merged set (replay needs no plan), racing PUTs stay consecutive."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.api.plan_helpers import plan_document, plan_url
from tests.conftest import error_paths, problem, submission

ACTUALS = {"actual_sales": 90, "visits": 10}  # with a target of 100: 82.00 (good)


@pytest.fixture
def key(make_key):
    return make_key("plan", "read", "evaluate")


@pytest.fixture
def planned(client, publish, key):
    publish(plan_document())
    response = client.put(plan_url(), json={"inputs": {"target_sales": 100}}, headers=key)
    assert response.status_code == 201


def test_evaluate_takes_the_plan_target(client, planned, key):
    result = client.post("/api/v1/evaluate", json=submission(inputs=ACTUALS), headers=key)
    assert result.status_code == 200, result.get_json()
    body = result.get_json()
    assert (body["total"], body["rating"]["key"]) == (82.0, "good")
    assert body["plan"] == {"revision": 1, "acknowledged": False}
    assert list(body)[:6] == ["role", "period", "employee_id", "ruleset", "plan", "total"]


def test_the_result_says_whether_the_plan_was_acknowledged(client, planned, key):
    client.post(plan_url() + "/acknowledge", json={"by": "e1"}, headers=key)
    body = client.post("/api/v1/evaluate", json=submission(inputs=ACTUALS), headers=key).get_json()
    assert body["plan"] == {"revision": 1, "acknowledged": True}


def test_without_a_plan_the_submission_carries_every_input_and_plan_is_null(client, planned, key):
    other = submission("e2")
    body = client.post("/api/v1/evaluate", json=other, headers=key).get_json()
    assert body["total"] == 82.0 and body["plan"] is None
    missing = problem(
        client.post("/api/v1/evaluate", json=submission("e2", inputs=ACTUALS), headers=key), 422
    )
    assert error_paths(missing) == ["/inputs/target_sales"]


def test_a_value_like_the_plans_is_fine_another_is_422_naming_the_revision(client, planned, key):
    same = submission(inputs={**ACTUALS, "target_sales": 100.0})
    assert client.post("/api/v1/evaluate", json=same, headers=key).status_code == 200
    nulled = submission(inputs={**ACTUALS, "target_sales": None})
    assert client.post("/api/v1/evaluate", json=nulled, headers=key).get_json()["total"] == 82.0
    other = submission(inputs={**ACTUALS, "target_sales": 80})
    for path in ("/api/v1/evaluate", "/api/v1/evaluations"):
        body = problem(client.post(path, json=other, headers=key), 422)
        assert error_paths(body) == ["/inputs/target_sales"]
        assert "1" in body["errors"][0]["message"] and "100" in body["errors"][0]["message"]


def test_stored_inputs_are_the_merged_set_and_replay_stays_identical(client, planned, key):
    stored = client.post("/api/v1/evaluations", json=submission(inputs=ACTUALS), headers=key)
    assert stored.status_code == 201
    record = stored.get_json()["id"]
    assert stored.get_json()["plan"] == {"revision": 1, "acknowledged": False}
    got = client.get(f"/api/v1/evaluations/{record}", headers=key).get_json()
    assert got["inputs"] == {**ACTUALS, "target_sales": 100}
    assert got["plan"] == {"revision": 1, "acknowledged": False}
    changed = client.put(plan_url(), json={"inputs": {"target_sales": 50}}, headers=key)
    assert changed.status_code == 201
    replay = client.post(f"/api/v1/evaluations/{record}/replay", headers=key).get_json()
    assert replay["identical"] is True, replay
    # the retry under the new plan is other inputs: a new revision, which needs a reason
    retry = problem(
        client.post("/api/v1/evaluations", json=submission(inputs=ACTUALS), headers=key), 422
    )
    assert error_paths(retry) == ["/reason"]
    again = client.post(
        "/api/v1/evaluations", json=submission(inputs=ACTUALS, reason="目标调整"), headers=key
    )
    assert again.status_code == 201
    assert (again.get_json()["total"], again.get_json()["plan"]["revision"]) == (
        106.0,
        2,
    )  # 90 / 50 scores 120: 96 + 10


def test_every_item_of_a_batch_merges_its_own_plan(client, planned, key):
    client.put(plan_url("e2"), json={"inputs": {"target_sales": 90}}, headers=key)
    items = [submission("e1", inputs=ACTUALS), submission("e2", inputs=ACTUALS), submission("e3")]
    stored = client.post("/api/v1/evaluations/batch", json={"items": items}, headers=key)
    assert stored.status_code == 201, stored.get_json()
    answers = stored.get_json()["items"]
    assert [a["total"] for a in answers] == [82.0, 90.0, 82.0]
    assert [a["plan"] and a["plan"]["revision"] for a in answers] == [1, 1, None]
    wrong = [submission("e4"), submission("e2", inputs={**ACTUALS, "target_sales": 91})]
    body = problem(
        client.post("/api/v1/evaluations/batch", json={"items": wrong}, headers=key), 422
    )
    assert error_paths(body) == ["/items/1/inputs/target_sales"]


def test_racing_puts_of_one_plan_leave_consecutive_revisions(app, client, planned, key):
    clients = [app.test_client() for _ in range(8)]

    def send(n: int) -> int:
        response = clients[n % 8].put(
            plan_url(), json={"inputs": {"target_sales": 200 + n}}, headers=key
        )
        return response.status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(send, range(24)))
    assert statuses == [201] * 24
    revisions = client.get(plan_url(), headers=key).get_json()["revisions"]
    assert [r["revision"] for r in revisions] == list(range(1, 26))
    audit = client.get("/api/v1/audit?action=plan.store&limit=1000", headers=key).get_json()
    assert sorted(i["details"]["revision"] for i in audit["items"]) == list(range(1, 26))

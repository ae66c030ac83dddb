"""SPEC §11: appeals opened, listed, read and decided once (upheld with a corrected revision
in the same transaction, or rejected with a reason); sharing the employee's page."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import error_paths, problem, submission


@pytest.fixture
def review_key(make_key):
    return make_key("review", "read")


@pytest.fixture
def record(client, publish, evaluate_key) -> dict[str, Any]:
    """e1 stored for 2025-Q3 (82.00, good)."""
    publish()
    response = client.post("/api/v1/evaluations", json=submission(), headers=evaluate_key)
    assert response.status_code == 201
    return response.get_json()


def open_appeal(client, record_id: int, headers, **overrides: Any):
    body = {"revision": 1, "text": "拜访次数漏记了 8 次", "by": "e1", **overrides}
    return client.post(f"/api/v1/evaluations/{record_id}/appeals", json=body, headers=headers)


CORRECTED = {"actual_sales": 90, "target_sales": 100, "visits": 18}  # 72 + 18 = 90.00 excellent


def test_an_appeal_is_opened_on_an_indicator_and_read_back(client, record, review_key):
    response = open_appeal(client, record["id"], review_key, indicator="visit_score")
    assert response.status_code == 201
    appeal = response.get_json()
    assert {k: appeal[k] for k in ("record_id", "revision", "indicator", "by", "state")} == {
        "record_id": record["id"],
        "revision": 1,
        "indicator": "visit_score",
        "by": "e1",
        "state": "open",
    }
    assert appeal["resolution"] is None and appeal["employee_id"] == "e1"
    assert client.get(f"/api/v1/appeals/{appeal['id']}", headers=review_key).get_json() == appeal
    shown = client.get(f"/api/v1/evaluations/{record['id']}", headers=review_key).get_json()
    assert shown["appeals"] == [appeal]


def test_an_appeal_names_an_indicator_of_the_result_and_the_latest_revision(
    client, record, review_key
):
    body = problem(open_appeal(client, record["id"], review_key, indicator="nope"), 422)
    assert error_paths(body) == ["/indicator"]
    assert error_paths(problem(open_appeal(client, record["id"], review_key, text=""), 422)) == [
        "/text"
    ]
    assert error_paths(problem(open_appeal(client, record["id"], review_key, revision=2), 422)) == [
        "/revision"
    ]
    problem(open_appeal(client, 4242, review_key), 404)
    problem(client.get("/api/v1/appeals/4242", headers=review_key), 404)


def test_appeals_are_listed_by_role_period_and_state(client, record, review_key, evaluate_key):
    other = client.post(
        "/api/v1/evaluations", json=submission("e2", "2025-Q4"), headers=evaluate_key
    ).get_json()
    first = open_appeal(client, record["id"], review_key).get_json()
    second = open_appeal(client, other["id"], review_key).get_json()
    client.post(
        f"/api/v1/appeals/{second['id']}/resolve",
        json={"decision": "rejected", "reason": "数据无误", "by": "hr"},
        headers=review_key,
    )

    def ids(query: str) -> list[int]:
        body = client.get(f"/api/v1/appeals{query}", headers=review_key).get_json()
        return [item["id"] for item in body["items"]]

    assert ids("") == [first["id"], second["id"]]
    assert ids("?period=2025-Q3") == [first["id"]]
    assert ids("?role=team_lead&state=rejected") == [second["id"]]
    assert ids("?state=open") == [first["id"]]
    page = client.get("/api/v1/appeals?limit=1", headers=review_key).get_json()
    assert len(page["items"]) == 1 and page["next"]
    rest = client.get(f"/api/v1/appeals?limit=1&cursor={page['next']}", headers=review_key)
    assert [i["id"] for i in rest.get_json()["items"]] == [second["id"]]
    body = problem(client.get("/api/v1/appeals?state=closed", headers=review_key), 422)
    assert error_paths(body) == ["/state"]


def test_upholding_stores_the_corrected_revision_with_the_decision(client, record, review_key):
    appeal = open_appeal(client, record["id"], review_key).get_json()
    url = f"/api/v1/appeals/{appeal['id']}/resolve"
    body = {"decision": "upheld", "inputs": CORRECTED, "reason": "补录拜访记录", "by": "hr 李"}
    response = client.post(url, json=body, headers=review_key)
    assert response.status_code == 200
    answer = response.get_json()
    revision = answer["revision"]
    assert (revision["revision"], revision["total"], revision["rating"]["key"]) == (
        2,
        90.0,
        "excellent",
    )
    assert revision["reason"] == f"申诉 #{appeal['id']}: 补录拜访记录"
    decided = answer["appeal"]
    assert decided["state"] == "upheld"
    assert {k: decided["resolution"][k] for k in ("decision", "reason", "by", "revision")} == {
        "decision": "upheld",
        "reason": "补录拜访记录",
        "by": "hr 李",
        "revision": 2,
    }
    shown = client.get(f"/api/v1/evaluations/{record['id']}", headers=review_key).get_json()
    assert shown["revision"] == 2 and shown["inputs"] == CORRECTED
    assert shown["acknowledged"] is None
    problem(client.post(url, json=body, headers=review_key), 409)
    audit = client.get("/api/v1/audit", headers=review_key).get_json()["items"]
    assert [i["action"] for i in audit][-3:] == ["appeal.open", "evaluation.store", "appeal.uphold"]
    assert audit[-1]["details"]["revision"] == 2


def test_a_failed_correction_leaves_the_appeal_open_and_no_revision(client, record, review_key):
    appeal = open_appeal(client, record["id"], review_key).get_json()
    url = f"/api/v1/appeals/{appeal['id']}/resolve"
    bad = {
        "decision": "upheld",
        "inputs": {**CORRECTED, "actual_sales": -1},
        "reason": "x",
        "by": "hr",
    }
    assert error_paths(problem(client.post(url, json=bad, headers=review_key), 422)) == [
        "/inputs/actual_sales"
    ]
    same = {**bad, "inputs": submission()["inputs"]}
    assert error_paths(problem(client.post(url, json=same, headers=review_key), 422)) == ["/inputs"]
    missing = {"decision": "upheld", "reason": "x", "by": "hr"}
    assert error_paths(problem(client.post(url, json=missing, headers=review_key), 422)) == [
        "/inputs"
    ]
    assert (
        client.get(f"/api/v1/appeals/{appeal['id']}", headers=review_key).get_json()["state"]
        == "open"
    )
    shown = client.get(f"/api/v1/evaluations/{record['id']}", headers=review_key).get_json()
    assert shown["revision"] == 1


def test_rejecting_needs_a_reason_and_happens_once(client, record, review_key):
    appeal = open_appeal(client, record["id"], review_key).get_json()
    url = f"/api/v1/appeals/{appeal['id']}/resolve"
    body = problem(
        client.post(url, json={"decision": "rejected", "by": "hr"}, headers=review_key), 422
    )
    assert error_paths(body) == ["/reason"]
    rejected = {"decision": "rejected", "reason": "拜访记录已核实无误", "by": "hr"}
    answer = client.post(url, json=rejected, headers=review_key).get_json()
    assert set(answer) == {"appeal"} and answer["appeal"]["state"] == "rejected"
    assert answer["appeal"]["resolution"]["revision"] is None
    problem(client.post(url, json=rejected, headers=review_key), 409)
    upheld = {"decision": "upheld", "inputs": CORRECTED, "reason": "x", "by": "hr"}
    problem(client.post(url, json=upheld, headers=review_key), 409)


def test_upholding_in_a_closed_period_is_409_until_it_is_reopened(
    client, record, review_key, publish_key
):
    appeal = open_appeal(client, record["id"], review_key).get_json()
    client.post("/api/v1/periods/team_lead/2025-Q3/close", headers=publish_key)
    url = f"/api/v1/appeals/{appeal['id']}/resolve"
    body = {"decision": "upheld", "inputs": CORRECTED, "reason": "补录", "by": "hr"}
    problem(client.post(url, json=body, headers=review_key), 409)
    assert (
        client.get(f"/api/v1/appeals/{appeal['id']}", headers=review_key).get_json()["state"]
        == "open"
    )
    client.post(
        "/api/v1/periods/team_lead/2025-Q3/reopen", json={"reason": "申诉更正"}, headers=publish_key
    )
    assert client.post(url, json=body, headers=review_key).status_code == 200


def test_an_appeal_against_an_older_revision_is_409(client, record, review_key, evaluate_key):
    body = submission(reason="更正")
    body["inputs"]["visits"] = 12
    client.post("/api/v1/evaluations", json=body, headers=evaluate_key)
    problem(open_appeal(client, record["id"], review_key), 409)


def test_sharing_gives_a_signed_expiring_link_that_is_no_api_key(client, record, review_key):
    url = f"/api/v1/evaluations/{record['id']}/share"
    response = client.post(url, headers=review_key)
    assert response.status_code == 201
    shared = response.get_json()
    assert "/r/" in shared["url"] and shared["revision"] == 1
    token = shared["url"].rsplit("/r/", 1)[1]
    assert len(token) > 40
    longer = client.post(url, json={"expires_in_days": 60}, headers=review_key).get_json()
    assert longer["expires_at"] > shared["expires_at"]
    body = problem(client.post(url, json={"expires_in_days": 61}, headers=review_key), 422)
    assert error_paths(body) == ["/expires_in_days"]
    as_key = {"Authorization": f"Bearer {token}"}
    problem(client.get(f"/api/v1/evaluations/{record['id']}", headers=as_key), 401)
    audit = client.get("/api/v1/audit", headers=review_key).get_json()["items"]
    assert audit[-1]["action"] == "evaluation.share" and audit[-1]["details"]["revision"] == 1

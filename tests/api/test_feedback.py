"""SPEC §11: feedback per revision (stored or suggested), the employee's sign-off, and what
GET /evaluations/{id} shows of them."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import error_paths, problem, ruleset_document, submission


@pytest.fixture
def review_key(make_key):
    return make_key("review", "read")


@pytest.fixture
def stored(client, publish, evaluate_key):
    """Publish team_lead and store e1 (82.00: sales 90 scores 90, visits 10 score 50)."""

    def store(document: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
        publish(document)
        response = client.post(
            "/api/v1/evaluations", json=submission(**overrides), headers=evaluate_key
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return store


def new_revision(client, evaluate_key, visits: int = 20) -> dict[str, Any]:
    body = submission(reason="拜访记录补录")
    body["inputs"]["visits"] = visits
    response = client.post("/api/v1/evaluations", json=body, headers=evaluate_key)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


FEEDBACK = {
    "revision": 1,
    "strengths": ["Q3 销售额超额完成 15%"],
    "improvements": ["团队留存率未达标"],
    "actions": [{"action": "每周拜访 2 家重点客户", "due": "2025-12-31"}],
    "by": "王经理",
}


def test_without_feedback_the_strongest_and_weakest_indicators_are_suggested(
    client, stored, read_key
):
    record = stored()
    body = client.get(f"/api/v1/evaluations/{record['id']}/feedback", headers=read_key).get_json()
    assert body["revision"] == 1
    [strength] = body["suggested"]["strengths"]
    [improvement] = body["suggested"]["improvements"]
    assert (strength["indicator"], strength["name"], strength["score"]) == (
        "sales_attainment",
        "销售额达成率",
        90.0,
    )
    assert (improvement["indicator"], improvement["score"]) == ("visit_score", 50.0)
    assert "销售额达成率" in strength["text"] and "90" in strength["text"]
    assert "得分" in strength["text"]  # the ruleset speaks zh-CN, whoever asks
    assert "拜访" in improvement["text"] and "50" in improvement["text"]


def test_suggestions_follow_the_rulesets_language_not_the_readers(client, stored, read_key):
    record = stored(ruleset_document(language="en"))
    headers = {**read_key, "Accept-Language": "zh-CN"}
    body = client.get(f"/api/v1/evaluations/{record['id']}/feedback", headers=headers).get_json()
    text = body["suggested"]["strengths"][0]["text"]
    assert text.startswith("销售额达成率 scored 90") and "strength" in text


def test_four_or_more_scored_indicators_give_two_of_each(client, publish, evaluate_key, read_key):
    document = ruleset_document()
    extra = [
        {"key": f"k{n}", "name": f"指标{n}", "dimension": "activity", "formula": f"visits + {n}"}
        for n in range(3)
    ]
    for item in extra:
        item.update(scoring={"type": "linear", "points": [[0, 0], [100, 100]]}, weight=5)
    document["indicators"][0]["weight"] = 65
    document["indicators"] += extra
    document["examples"] = []
    publish(document)
    record = client.post("/api/v1/evaluations", json=submission(), headers=evaluate_key).get_json()
    body = client.get(f"/api/v1/evaluations/{record['id']}/feedback", headers=read_key).get_json()
    scores = {i["key"]: i["score"] for i in record["indicators"]}
    assert scores == {"sales_attainment": 90, "visit_score": 50, "k0": 10, "k1": 11, "k2": 12}
    strengths = [s["indicator"] for s in body["suggested"]["strengths"]]
    improvements = [s["indicator"] for s in body["suggested"]["improvements"]]
    assert strengths == ["sales_attainment", "visit_score"]
    assert improvements == ["k0", "k1"]


def test_put_feedback_stores_replaces_and_shows_on_the_record(client, stored, review_key):
    record = stored()
    url = f"/api/v1/evaluations/{record['id']}/feedback"
    response = client.put(url, json=FEEDBACK, headers=review_key)
    assert response.status_code == 200
    body = response.get_json()
    assert {k: body[k] for k in FEEDBACK} == FEEDBACK and body["at"].endswith("Z")
    again = client.put(url, json={**FEEDBACK, "strengths": ["回款及时"]}, headers=review_key)
    assert again.get_json()["strengths"] == ["回款及时"]
    assert client.get(url, headers=review_key).get_json()["strengths"] == ["回款及时"]
    shown = client.get(f"/api/v1/evaluations/{record['id']}", headers=review_key).get_json()
    assert shown["feedback"]["strengths"] == ["回款及时"]
    assert shown["acknowledged"] is None and shown["appeals"] == []


def test_feedback_names_the_latest_revision(client, stored, review_key, evaluate_key):
    record = stored()
    new_revision(client, evaluate_key)
    url = f"/api/v1/evaluations/{record['id']}/feedback"
    problem(client.put(url, json=FEEDBACK, headers=review_key), 409)
    body = problem(client.put(url, json={**FEEDBACK, "revision": 3}, headers=review_key), 422)
    assert error_paths(body) == ["/revision"]
    assert client.put(url, json={**FEEDBACK, "revision": 2}, headers=review_key).status_code == 200


def test_feedback_checks_texts_and_dates(client, stored, review_key):
    record = stored()
    url = f"/api/v1/evaluations/{record['id']}/feedback"
    bad = {**FEEDBACK, "strengths": [""], "actions": [{"action": "x", "due": "2025-02-30"}]}
    body = problem(client.put(url, json=bad, headers=review_key), 422)
    assert error_paths(body) == ["/strengths/0"]
    body = problem(
        client.put(url, json={**FEEDBACK, "actions": bad["actions"]}, headers=review_key), 422
    )
    assert error_paths(body) == ["/actions/0/due"]
    too_long = {**FEEDBACK, "improvements": ["长" * 2001]}
    assert error_paths(problem(client.put(url, json=too_long, headers=review_key), 422)) == [
        "/improvements/0"
    ]


def test_writing_needs_the_review_scope(client, stored, read_key, make_key):
    record = stored()
    url = f"/api/v1/evaluations/{record['id']}/feedback"
    problem(client.put(url, json=FEEDBACK, headers=read_key), 403)
    problem(client.put(url, json=FEEDBACK, headers=make_key("evaluate")), 403)
    ack = {"revision": 1, "by": "e1"}
    problem(
        client.post(f"/api/v1/evaluations/{record['id']}/acknowledge", json=ack, headers=read_key),
        403,
    )
    problem(
        client.put("/api/v1/evaluations/999/feedback", json=FEEDBACK, headers=make_key("review")),
        404,
    )


def test_acknowledgement_of_the_latest_revision_is_recorded_once(
    client, stored, review_key, evaluate_key
):
    record = stored()
    url = f"/api/v1/evaluations/{record['id']}/acknowledge"
    first = client.post(
        url, json={"revision": 1, "by": "e1", "comment": "已阅"}, headers=review_key
    )
    assert first.status_code == 200
    assert {k: first.get_json()[k] for k in ("revision", "by", "comment")} == {
        "revision": 1,
        "by": "e1",
        "comment": "已阅",
    }
    again = client.post(url, json={"revision": 1, "by": "someone else"}, headers=review_key)
    assert again.status_code == 200 and again.get_json() == first.get_json()
    shown = client.get(f"/api/v1/evaluations/{record['id']}", headers=review_key).get_json()
    assert shown["acknowledged"] == first.get_json()

    new_revision(client, evaluate_key)
    shown = client.get(f"/api/v1/evaluations/{record['id']}", headers=review_key).get_json()
    assert shown["revision"] == 2 and shown["acknowledged"] is None and shown["feedback"] is None
    problem(client.post(url, json={"revision": 1, "by": "e1"}, headers=review_key), 409)
    body = problem(client.post(url, json={"revision": 7, "by": "e1"}, headers=review_key), 422)
    assert error_paths(body) == ["/revision"]
    second = client.post(url, json={"revision": 2, "by": "e1"}, headers=review_key)
    assert second.status_code == 200 and second.get_json()["comment"] is None


def test_every_step_is_audited(client, stored, review_key):
    record = stored()
    base = f"/api/v1/evaluations/{record['id']}"
    client.put(f"{base}/feedback", json=FEEDBACK, headers=review_key)
    client.post(f"{base}/acknowledge", json={"revision": 1, "by": "e1"}, headers=review_key)
    client.post(f"{base}/acknowledge", json={"revision": 1, "by": "e1"}, headers=review_key)
    items = client.get("/api/v1/audit", headers=review_key).get_json()["items"]
    actions = [(i["action"], i["target"]) for i in items]
    assert actions[-2:] == [
        ("evaluation.feedback", "team_lead/2025-Q3"),
        ("evaluation.acknowledge", "team_lead/2025-Q3"),
    ]
    assert items[-2]["details"]["strengths"] == FEEDBACK["strengths"]
    assert items[-1]["details"]["by"] == "e1" and items[-1]["actor"].startswith("key:")

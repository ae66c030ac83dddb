"""POST /rulesets/{role}/impact: a version or a draft applied to a period's stored inputs."""

from __future__ import annotations

import copy

import pytest

from server.storage import AuditEntry, EvaluationRevision
from tests.api.analysis_helpers import inputs, rebalanced, store_all
from tests.conftest import error_paths, problem, ruleset_document

URL = "/api/v1/rulesets/team_lead/impact"


@pytest.fixture
def stored(client, admin_key, publish):
    """Three results under version 1, and version 2 weighting sales 70 and visits 30.

    v1: e1 82.00 good, e2 108.00 excellent, e3 80.00 good
    v2: e1 78.00 pass, e2 107.00 excellent, e3 70.00 pass
    """
    publish()
    store_all(client, admin_key, {"e1": inputs(90), "e2": inputs(110, 20), "e3": inputs(100, 0)})
    publish(rebalanced(70, 30), effective_from="2026-Q1")


def impact(client, key, body, status=200):
    response = client.post(URL, json=body, headers=key)
    assert response.status_code == status, response.get_json()
    return response.get_json()


def test_a_weight_change_moves_totals_and_ratings(client, publish_key, stored):
    body = impact(client, publish_key, {"from": 1, "to": 2, "period": "2025-Q3"})
    assert (body["role"], body["period"], body["from"], body["to"]) == (
        "team_lead",
        "2025-Q3",
        1,
        2,
    )
    assert body["employees"] == [
        {
            "employee_id": "e1",
            "before": {"total": 82.0, "rating": "good"},
            "after": {"total": 78.0, "rating": "pass"},
        },
        {
            "employee_id": "e2",
            "before": {"total": 108.0, "rating": "excellent"},
            "after": {"total": 107.0, "rating": "excellent"},
        },
        {
            "employee_id": "e3",
            "before": {"total": 80.0, "rating": "good"},
            "after": {"total": 70.0, "rating": "pass"},
        },
    ]
    assert body["transitions"] == {"excellent": {"excellent": 1}, "good": {"pass": 2}}
    assert body["mean_delta"] == -5.0
    assert body["not_evaluable"] == []
    assert (body["count"], body["rating_changes"]) == (3, 2)
    assert [(c["employee_id"], c["delta"]) for c in body["largest_changes"]] == [
        ("e3", -10.0),
        ("e1", -4.0),
        ("e2", -1.0),
    ]


def test_without_from_before_is_the_stored_result(client, publish_key, stored):
    body = impact(client, publish_key, {"to": 2, "period": "2025-Q3"})
    assert body["from"] is None
    assert [e["before"]["total"] for e in body["employees"]] == [82.0, 108.0, 80.0]
    assert body["mean_delta"] == -5.0


def test_from_another_version_recomputes_the_stored_inputs(client, publish_key, stored):
    body = impact(client, publish_key, {"from": 2, "to": 1, "period": "2025-Q3"})
    assert [(e["before"]["total"], e["after"]["total"]) for e in body["employees"]] == [
        (78.0, 82.0),
        (107.0, 108.0),
        (70.0, 80.0),
    ]
    assert body["transitions"] == {"excellent": {"excellent": 1}, "pass": {"good": 2}}
    assert body["mean_delta"] == 5.0


def test_a_draft_document_is_applied_with_to_null(client, publish_key, stored):
    draft = rebalanced(70, 30)
    draft["rating"][1]["min"] = 78  # 良好 from 78: e1 stays good
    body = impact(client, publish_key, {"from": 1, "document": draft, "period": "2025-Q3"})
    assert body["to"] is None and body["from"] == 1
    assert body["transitions"] == {"excellent": {"excellent": 1}, "good": {"good": 1, "pass": 1}}


def test_only_the_latest_revision_counts_and_nothing_is_stored(app, client, admin_key, stored):
    response = client.post(
        "/api/v1/evaluations",
        json={
            "role": "team_lead",
            "period": "2025-Q3",
            "employee_id": "e1",
            "inputs": inputs(100, 20),
            "reason": "更正",
        },
        headers=admin_key,
    )
    assert response.status_code == 201
    with app.app_context():
        revisions, entries = EvaluationRevision.select().count(), AuditEntry.select().count()
    body = impact(client, admin_key, {"from": 1, "to": 2, "period": "2025-Q3"})
    assert body["employees"][0]["before"] == {"total": 100.0, "rating": "excellent"}
    with app.app_context():
        assert EvaluationRevision.select().count() == revisions
        assert AuditEntry.select().count() == entries


def test_inputs_the_new_version_cannot_evaluate_are_listed(client, publish_key, stored):
    draft = copy.deepcopy(ruleset_document())
    draft["inputs"]["region"] = {"type": "string", "label": "区域"}
    draft["adjustments"] = [
        {"key": "east", "name": "东区", "when": "region == 'east'", "total": {"add": 1}}
    ]
    draft["examples"][0]["inputs"]["region"] = "west"
    body = impact(client, publish_key, {"document": draft, "period": "2025-Q3"})
    assert body["employees"] == [] and body["transitions"] == {}
    assert body["mean_delta"] is None
    assert [n["employee_id"] for n in body["not_evaluable"]] == ["e1", "e2", "e3"]
    assert error_paths(body["not_evaluable"][0]) == ["/inputs/region"]
    assert body["not_evaluable"][0]["side"] == "to"


def test_a_period_without_stored_results(client, publish_key, stored):
    body = impact(client, publish_key, {"from": 1, "to": 2, "period": "2024-Q1"})
    assert body["employees"] == [] and body["mean_delta"] is None and body["transitions"] == {}


@pytest.mark.parametrize(
    ("body", "paths"),
    [
        ({"period": "2025-Q3"}, ["/to"]),
        ({"to": 2, "document": {}, "period": "2025-Q3"}, ["/to"]),
        ({"from": 7, "to": 9, "period": "2025-Q3"}, ["/from", "/to"]),
        ({"to": 2, "period": "2025-07"}, ["/to"]),  # version 2 is quarterly
        ({"to": 2}, ["/period"]),
        ({"to": "2", "period": "2025-Q3", "extra": 1}, ["/extra", "/to"]),
        ({"document": {"role": "other"}, "period": "2025-Q3"}, ["/document/role"]),
    ],
)
def test_wrong_content_is_422_with_every_path(client, publish_key, stored, body, paths):
    assert error_paths(problem(client.post(URL, json=body, headers=publish_key), 422)) == paths


def test_an_invalid_draft_is_422_under_document(client, publish_key, stored):
    draft = copy.deepcopy(ruleset_document())
    draft["indicators"][0]["formula"] = "actual_sales /"
    body = problem(
        client.post(URL, json={"document": draft, "period": "2025-Q3"}, headers=publish_key), 422
    )
    assert "/document/indicators/0/formula" in error_paths(body)


def test_http_errors(client, read_key, publish_key, stored):
    body = {"to": 2, "period": "2025-Q3"}
    problem(client.post(URL, json=body), 401)
    problem(client.post(URL, json=body, headers=read_key), 403)  # publish scope
    problem(client.post("/api/v1/rulesets/nobody/impact", json=body, headers=publish_key), 404)
    problem(client.get(URL, headers=publish_key), 405)
    problem(client.post(URL, data="{}", headers=publish_key), 415)
    problem(client.post(URL, data="{", content_type="application/json", headers=publish_key), 400)
    problem(client.post(URL, json=[1], headers=publish_key), 400)
    huge = b'{"to": 2, "period": "' + b"x" * (16 * 1024 * 1024) + b'"}'
    problem(client.post(URL, data=huge, content_type="application/json", headers=publish_key), 413)

"""POST /periods/{role}/{period}/close and /reopen: a closed period takes no new revision."""

from __future__ import annotations

import pytest

from server.storage import AuditEntry, ClosedPeriod, EvaluationRevision
from tests.conftest import error_paths, problem, submission

CLOSE = "/api/v1/periods/team_lead/2025-Q3/close"
REOPEN = "/api/v1/periods/team_lead/2025-Q3/reopen"
EXCELLENT = {"actual_sales": 100, "target_sales": 100, "visits": 20}


@pytest.fixture
def published(publish):
    publish()


def post(client, key, url, body=None, status=200):
    response = (
        client.post(url, json=body, headers=key)
        if body is not None
        else client.post(url, headers=key)
    )
    assert response.status_code == status, response.get_json()
    return response.get_json()


def test_close_then_reopen_with_a_reason(app, client, publish_key, read_key, published):
    closed = post(client, publish_key, CLOSE, {"reason": "季度结算"})
    assert closed == {"role": "team_lead", "period": "2025-Q3", "closed": True}
    assert client.get("/api/v1/periods/team_lead/2025-Q3", headers=read_key).get_json() == closed
    listing = client.get("/api/v1/periods/team_lead", headers=read_key).get_json()
    assert [(i["period"], i["reason"]) for i in listing["items"]] == [("2025-Q3", "季度结算")]
    reopened = post(client, publish_key, REOPEN, {"reason": "申诉复核"})
    assert reopened == {"role": "team_lead", "period": "2025-Q3", "closed": False}
    with app.app_context():
        entries = [
            (e.action, e.target, e.details["reason"])
            for e in AuditEntry.select().where(AuditEntry.action.startswith("period."))
        ]
        assert entries == [
            ("period.close", "team_lead/2025-Q3", "季度结算"),
            ("period.reopen", "team_lead/2025-Q3", "申诉复核"),
        ]
        assert ClosedPeriod.select().count() == 0


def test_close_and_reopen_are_idempotent(app, client, publish_key, published):
    post(client, publish_key, CLOSE)  # no body at all
    assert post(client, publish_key, CLOSE, {})["closed"] is True
    post(client, publish_key, REOPEN, {"reason": "复核"})
    assert post(client, publish_key, REOPEN, {"reason": "again"})["closed"] is False
    with app.app_context():
        actions = [
            e.action for e in AuditEntry.select().where(AuditEntry.action.startswith("period."))
        ]
    assert actions == ["period.close", "period.reopen"]  # only changes are written


def test_a_closed_period_refuses_new_revisions_until_reopened(
    app, client, publish_key, admin_key, published
):
    assert (
        client.post("/api/v1/evaluations", json=submission(), headers=admin_key).status_code == 201
    )
    post(client, publish_key, CLOSE)
    body = problem(
        client.post("/api/v1/evaluations", json=submission("e2"), headers=admin_key), 409
    )
    assert error_paths(body) == ["/period"]
    changed = submission(inputs=EXCELLENT, reason="更正")
    problem(client.post("/api/v1/evaluations", json=changed, headers=admin_key), 409)
    batch = {"items": [submission("e3", period="2025-Q4"), submission("e4")]}
    body = problem(client.post("/api/v1/evaluations/batch", json=batch, headers=admin_key), 409)
    assert error_paths(body) == ["/items/1/period"]
    with app.app_context():
        assert EvaluationRevision.select().count() == 1  # the Q4 item was not stored either
    post(client, publish_key, REOPEN, {"reason": "申诉"})
    assert client.post("/api/v1/evaluations", json=changed, headers=admin_key).status_code == 201
    assert (
        client.post("/api/v1/evaluations/batch", json=batch, headers=admin_key).status_code == 201
    )


def test_reopen_needs_a_reason(client, publish_key, published):
    post(client, publish_key, CLOSE)
    for body in (None, {}, {"reason": ""}, {"reason": "   "}, {"reason": None}):
        response = (
            client.post(REOPEN, json=body, headers=publish_key)
            if body is not None
            else client.post(REOPEN, headers=publish_key)
        )
        assert error_paths(problem(response, 422)) == ["/reason"], body
    assert error_paths(
        problem(client.post(CLOSE, json={"reason": 3, "note": "x"}, headers=publish_key), 422)
    ) == ["/note", "/reason"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/periods/team_lead/2025-07/close",  # a month: team_lead is quarterly
        "/api/v1/periods/team_lead/2025/reopen",
        "/api/v1/periods/team_lead/2025-Q5/close",
        "/api/v1/periods/nobody/2025-Q3/close",
    ],
)
def test_a_period_not_of_the_role_is_404(client, publish_key, published, url):
    problem(client.post(url, json={"reason": "x"}, headers=publish_key), 404)


def test_http_errors(client, read_key, publish_key, published):
    problem(client.post(CLOSE), 401)
    problem(client.post(CLOSE, headers=read_key), 403)
    problem(client.get(CLOSE, headers=publish_key), 405)
    problem(client.post(REOPEN, data='{"reason": "x"}', headers=publish_key), 415)
    problem(
        client.post(REOPEN, data="{", content_type="application/json", headers=publish_key), 400
    )

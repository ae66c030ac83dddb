"""GET /audit, and every write's audit entry written in the same transaction as the write."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from server.services import api_keys, period_closing, publishing, storing
from server.storage import (
    ApiKey,
    AuditEntry,
    ClosedPeriod,
    EvaluationRevision,
    RulesetVersion,
    audit_queries,
)
from tests.conftest import error_paths, problem, ruleset_document, submission

URL = "/api/v1/audit"


@pytest.fixture
def history(client, make_key, publish):
    """Entries: key.create (key0, publishing), key.create (key1), ruleset.publish, two
    evaluation.store (a batch by key1), period.close (key1) — in that order."""
    key = make_key("evaluate", "read", "publish")
    publish()
    batch = {"items": [submission("e1"), submission("e2")]}
    assert client.post("/api/v1/evaluations/batch", json=batch, headers=key).status_code == 201
    closed = client.post("/api/v1/periods/team_lead/2025-Q3/close", json={}, headers=key)
    assert closed.status_code == 200
    return key


def entries(client, key, query=""):
    response = client.get(f"{URL}?{query}", headers=key)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_log_lists_every_write_oldest_first(client, history):
    body = entries(client, history)
    assert body["next"] is None
    actions = [(e["action"], e["target"], e["actor"]) for e in body["items"]]
    assert actions == [
        ("key.create", "key/key0", "test"),
        ("key.create", "key/key1", "test"),
        ("ruleset.publish", "team_lead/v1", "key:key0"),
        ("evaluation.store", "team_lead/2025-Q3", "key:key1"),
        ("evaluation.store", "team_lead/2025-Q3", "key:key1"),
        ("period.close", "team_lead/2025-Q3", "key:key1"),
    ]
    first = body["items"][0]
    assert set(first) == {"id", "at", "actor", "action", "target", "details"}
    assert first["at"].endswith("Z")
    stored = body["items"][3]["details"]
    assert (stored["employee_id"], stored["revision"], stored["version"], stored["batch"]) == (
        "e1",
        1,
        1,
        True,
    )
    ids = [e["id"] for e in body["items"]]
    assert ids == sorted(ids)


def test_since_is_inclusive_and_takes_offsets(client, history):
    items = entries(client, history)["items"]
    at = items[2]["at"]
    since = entries(client, history, f"since={at}")["items"]
    assert items[2] in since  # inclusive
    assert since == [e for e in items if e["at"] >= at]
    moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
    shifted = (moment + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M:%S.%f") + "+08:00"
    assert entries(client, history, f"since={shifted.replace('+', '%2B')}")["items"] == since
    assert entries(client, history, f"since={shifted}")["items"] == since  # an unencoded +
    assert entries(client, history, "since=2999-01-01")["items"] == []
    assert len(entries(client, history, "since=2000-01-01T00:00:00Z")["items"]) == 6


@pytest.mark.parametrize(
    "since", ["yesterday", "2025-13-01T00:00:00Z", "2025-01-01T00:00:00", "1700000000"]
)
def test_a_bad_since_is_422_at_since(client, read_key, since):
    body = problem(client.get(f"{URL}?since={since}", headers=read_key), 422)
    assert error_paths(body) == ["/since"]


def test_filters_by_action_actor_and_target(client, history, publish):
    publish(ruleset_document("area_lead"))
    assert [e["target"] for e in entries(client, history, "action=ruleset.publish")["items"]] == [
        "team_lead/v1",
        "area_lead/v1",
    ]
    assert {e["action"] for e in entries(client, history, "actor=key:key1")["items"]} == {
        "evaluation.store",
        "period.close",
    }
    targets = [e["target"] for e in entries(client, history, "target=team_lead")["items"]]
    assert targets == ["team_lead/v1"] + ["team_lead/2025-Q3"] * 3
    assert len(entries(client, history, "target=team_lead/2025-Q3")["items"]) == 3
    assert entries(client, history, "target=team")["items"] == []  # a prefix of a path segment


def test_pages_with_a_cursor(client, history):
    seen, cursor = [], None
    while True:
        body = entries(client, history, "limit=4" + (f"&cursor={cursor}" if cursor else ""))
        seen += body["items"]
        cursor = body["next"]
        if cursor is None:
            break
    assert [e["id"] for e in seen] == [e["id"] for e in entries(client, history)["items"]]
    problem(client.get(f"{URL}?cursor=nonsense", headers=history), 400)
    problem(client.get(f"{URL}?limit=0", headers=history), 400)


def test_the_audit_log_needs_a_read_key(client, evaluate_key):
    problem(client.get(URL), 401)
    problem(client.get(URL, headers=evaluate_key), 403)
    problem(client.post(URL, json={}, headers=evaluate_key), 405)


def test_a_failing_batch_writes_no_audit_entry(app, client, admin_key, publish):
    publish()
    with app.app_context():
        before = AuditEntry.select().count()
    bad = {"items": [submission("e1"), submission("e2", inputs={"actual_sales": -1})]}
    problem(client.post("/api/v1/evaluations/batch", json=bad, headers=admin_key), 422)
    with app.app_context():
        assert AuditEntry.select().count() == before
        assert EvaluationRevision.select().count() == 0


class Boom(RuntimeError):
    """Raised by the audit insert instead of writing."""


def test_a_write_whose_audit_entry_fails_is_rolled_back(app, publish, monkeypatch):
    publish()

    def fail(rows):
        raise Boom

    monkeypatch.setattr(audit_queries, "insert_audit", fail)
    writes = [
        lambda: publishing.publish("area_lead", ruleset_document("area_lead"), "2025-Q1", "", "t"),
        lambda: storing.store([submission()], "t", batch=False),
        lambda: period_closing.close("team_lead", "2025-Q3", "t"),
        lambda: api_keys.create_key("k", ["read"], "t"),
    ]
    with app.app_context():
        for write in writes:
            with pytest.raises(Boom):
                write()
        assert RulesetVersion.select().count() == 1
        assert EvaluationRevision.select().count() == 0
        assert ClosedPeriod.select().count() == 0
        assert not ApiKey.select().where(ApiKey.name == "k").exists()

"""SPEC §12 point by point: propose, list, read, approve by a second actor, reject, the
required-approval mode, and two approvals racing for one proposal."""

from __future__ import annotations

import threading

import pytest
from flask import Flask

from server import create_app, storage
from server.config import TestingConfig
from server.storage import AuditEntry, RulesetVersion
from tests.api.analysis_helpers import inputs, rebalanced, store_all
from tests.conftest import error_paths, problem, ruleset_document
from tests.openapi_check import checked

API = "/api/v1"


@pytest.fixture
def keys(make_key):
    """Alice proposes, Bob approves; each may do both."""
    scopes = ("evaluate", "read", "publish", "approve")
    return {name: make_key(*scopes, name=name) for name in ("alice", "bob")}


def propose(client, key, document=None, effective_from="2026-Q1", note="调整权重", status=201):
    document = document or rebalanced()
    body = {"document": document, "effective_from": effective_from, "note": note}
    response = client.post(f"{API}/rulesets/{document['role']}/proposals", json=body, headers=key)
    assert response.status_code == status, response.get_json()
    return response.get_json()


def test_a_proposal_carries_its_diff_coverage_and_impact(client, keys, publish):
    publish()
    store_all(client, keys["alice"], {"e1": inputs(90), "e2": inputs(10, 0)})
    proposal = propose(client, keys["alice"])
    assert proposal["state"] == "pending"
    assert (proposal["role"], proposal["effective_from"], proposal["note"]) == (
        "team_lead",
        "2026-Q1",
        "调整权重",
    )
    assert proposal["proposed_by"] == "key:alice"
    assert proposal["decision"] is None and proposal["version"] is None
    assert proposal["diff"]["from"] == 1
    assert {c["path"] for c in proposal["diff"]["changes"]} == {
        "indicators/sales_attainment/weight",
        "indicators/visit_score/weight",
    }
    assert proposal["coverage"]["ratings"]["excellent"] == ["达标"]
    assert proposal["coverage"]["ratings"]["fail"] == []
    impact = proposal["impact"]
    assert impact["period"] == "2025-Q3" and impact["to"] is None
    # e1: 90x0.8 + 50x0.2 = 82 -> 90x0.7 + 50x0.3 = 78 (good -> pass); e2: 8 -> 7 (fail)
    assert impact["transitions"] == {"good": {"pass": 1}, "fail": {"fail": 1}}
    assert impact["mean_delta"] == -2.5
    assert impact["mean_bonus_multiplier_delta"] == -0.1  # (1.0 - 1.2 + 0) / 2
    with client.application.app_context():
        assert RulesetVersion.select().count() == 1  # nothing published


def test_a_first_proposal_is_all_added_and_has_no_impact(client, keys):
    proposal = propose(client, keys["alice"], ruleset_document(), effective_from="2025-Q1")
    assert proposal["diff"]["from"] is None
    assert {c["kind"] for c in proposal["diff"]["changes"]} == {"added"}
    assert proposal["impact"] is None


def test_an_invalid_proposal_is_422_with_every_problem(client, keys):
    document = ruleset_document()
    document["indicators"][0]["formula"] = "actual_sales / 0"
    document["rating"][0]["min"] = "high"
    body = {"document": document, "effective_from": "2025-07", "note": ""}
    response = client.post(f"{API}/rulesets/other_role/proposals", json=body, headers=keys["alice"])
    paths = set(error_paths(problem(response, 422)))
    assert {
        "/document/role",
        "/document/rating/0/min",
        "/document/indicators/0/formula",
        "/effective_from",
    } <= paths
    with client.application.app_context():
        assert not AuditEntry.select().where(AuditEntry.action.startswith("proposal")).count()


def test_proposals_are_listed_and_read(client, keys, publish):
    publish()
    first = propose(client, keys["alice"])
    second = propose(client, keys["alice"], rebalanced(60, 40))
    client.post(
        f"{API}/proposals/{second['id']}/reject", json={"reason": "不要"}, headers=keys["bob"]
    )
    listed = client.get(f"{API}/proposals?role=team_lead", headers=keys["bob"]).get_json()
    assert [p["id"] for p in listed["items"]] == [first["id"], second["id"]]
    pending = client.get(f"{API}/proposals?state=pending", headers=keys["bob"]).get_json()
    assert [p["id"] for p in pending["items"]] == [first["id"]]
    paged = client.get(f"{API}/proposals?limit=1", headers=keys["bob"]).get_json()
    assert len(paged["items"]) == 1 and paged["next"]
    one = client.get(f"{API}/proposals/{first['id']}", headers=keys["bob"]).get_json()
    assert one["document"] == rebalanced() and one["diff"] == first["diff"]
    problem(client.get(f"{API}/proposals/999", headers=keys["bob"]), 404)
    problem(client.get(f"{API}/proposals?state=open", headers=keys["bob"]), 422)


def test_approval_by_another_actor_publishes_in_the_same_transaction(client, keys, publish):
    publish()
    proposal = propose(client, keys["alice"])
    url = f"{API}/proposals/{proposal['id']}/approve"
    own = client.post(url, json={"note": "自己批"}, headers=keys["alice"])
    problem(own, 403)
    response = client.post(url, json={"note": "同意"}, headers=keys["bob"])
    assert response.status_code == 201, response.get_json()
    version = response.get_json()
    assert (version["version"], version["effective_from"], version["note"]) == (
        2,
        "2026-Q1",
        "调整权重",
    )
    assert version["created_by"] == "key:bob"
    assert version["proposal"]["state"] == "approved"
    assert version["proposal"]["version"] == 2
    assert version["proposal"]["decision"]["by"] == "key:bob"
    assert version["proposal"]["decision"]["note"] == "同意"
    stored = client.get(f"{API}/rulesets/team_lead/versions/2", headers=keys["bob"]).get_json()
    assert stored["document"] == rebalanced()
    again = client.post(url, json={}, headers=keys["bob"])
    problem(again, 409)
    problem(
        client.post(
            f"{API}/proposals/{proposal['id']}/reject", json={"reason": "晚了"}, headers=keys["bob"]
        ),
        409,
    )
    with client.application.app_context():
        actions = [
            (e.actor, e.action, e.target) for e in AuditEntry.select().order_by(AuditEntry.id)
        ]
    assert actions[-3:] == [
        ("key:alice", "proposal.create", f"team_lead/p{proposal['id']}"),
        ("key:bob", "ruleset.publish", "team_lead/v2"),
        ("key:bob", "proposal.approve", f"team_lead/p{proposal['id']}"),
    ]


def test_approve_needs_the_approve_scope(client, keys, make_key, publish):
    publish()
    proposal = propose(client, keys["alice"])
    publisher = make_key("publish", "read", name="carol")
    problem(client.post(f"{API}/proposals/{proposal['id']}/approve", headers=publisher), 403)
    problem(
        client.post(
            f"{API}/proposals/{proposal['id']}/reject", json={"reason": "x"}, headers=publisher
        ),
        403,
    )


def test_approve_without_a_body_and_unknown_proposal(client, keys, publish):
    publish()
    proposal = propose(client, keys["alice"])
    problem(client.post(f"{API}/proposals/999/approve", headers=keys["bob"]), 404)
    response = client.post(f"{API}/proposals/{proposal['id']}/approve", headers=keys["bob"])
    assert response.status_code == 201


def test_a_rejected_proposal_keeps_its_reason_and_publishes_nothing(client, keys, publish):
    publish()
    proposal = propose(client, keys["alice"])
    url = f"{API}/proposals/{proposal['id']}/reject"
    assert error_paths(
        problem(client.post(url, json={"reason": "  "}, headers=keys["bob"]), 422)
    ) == ["/reason"]
    assert error_paths(problem(client.post(url, json={}, headers=keys["bob"]), 422)) == ["/reason"]
    response = client.post(url, json={"reason": "销售权重过低"}, headers=keys["bob"])
    assert response.status_code == 200
    rejected = response.get_json()
    assert rejected["state"] == "rejected"
    assert rejected["decision"]["note"] == "销售权重过低"
    assert rejected["version"] is None
    problem(client.post(f"{API}/proposals/{proposal['id']}/approve", headers=keys["bob"]), 409)
    with client.application.app_context():
        assert RulesetVersion.select().count() == 1
        entry = AuditEntry.select().where(AuditEntry.action == "proposal.reject").get()
        assert entry.details == {"reason": "销售权重过低"}


def test_a_proposal_overtaken_by_a_publish_is_409(client, keys, publish):
    publish()
    proposal = propose(client, keys["alice"])
    publish(rebalanced(60, 40), effective_from="2025-Q4")
    response = client.post(f"{API}/proposals/{proposal['id']}/approve", headers=keys["bob"])
    body = problem(response, 409)
    assert body["type"].endswith(":proposal-conflict")
    assert "2" in body["detail"]  # names the version published meanwhile
    with client.application.app_context():
        assert RulesetVersion.select().count() == 2


def test_validation_answers_carry_coverage(client, keys):
    document = ruleset_document()
    body = {"document": document, "effective_from": "2025-Q1", "note": ""}
    published = client.post(f"{API}/rulesets/team_lead/versions", json=body, headers=keys["alice"])
    assert published.get_json()["coverage"]["ratings"]["excellent"] == ["达标"]
    assert [w["path"] for w in published.get_json()["warnings"]] == [
        f"/document/rating/{i}" for i in (1, 2, 3)
    ]


def test_a_constant_zero_divisor_cannot_be_published(client, keys):
    document = ruleset_document()
    document["indicators"][0]["formula"] = "actual_sales / (2 - 2) * 100"
    body = {"document": document, "effective_from": "2025-Q1", "note": ""}
    response = client.post(f"{API}/rulesets/team_lead/versions", json=body, headers=keys["alice"])
    assert "/document/indicators/0/formula" in error_paths(problem(response, 422))


def test_approvals_racing_for_one_proposal_one_wins(app, client, keys, make_key, publish):
    publish()
    proposal = propose(client, keys["alice"])
    url = f"{API}/proposals/{proposal['id']}/approve"
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def approve(key):
        barrier.wait()
        statuses.append(app.test_client().post(url, json={}, headers=key).status_code)

    carol = make_key("approve", name="carol")
    threads = [threading.Thread(target=approve, args=(key,)) for key in (keys["bob"], carol)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201, 409]
    with app.app_context():
        assert RulesetVersion.select().count() == 2
        assert AuditEntry.select().where(AuditEntry.action == "proposal.approve").count() == 1


@pytest.fixture
def approval_app(database_url: str, monkeypatch) -> Flask:
    """An app of its own where SCORECARD_PUBLISH_APPROVAL=required."""
    monkeypatch.setenv("SCORECARD_PUBLISH_APPROVAL", "required")
    app = create_app(TestingConfig(database_url))
    with app.app_context():
        storage.create_tables()
    yield checked(app)
    storage.dispose()


def test_required_approval_turns_publishing_into_a_403_that_says_how(approval_app):
    from server.services import api_keys

    with approval_app.app_context():
        keys = {
            name: {
                "Authorization": "Bearer "
                + api_keys.create_key(name, ["read", "publish", "approve"], "test")[1]
            }
            for name in ("alice", "bob")
        }
    client = approval_app.test_client()
    body = {"document": ruleset_document(), "effective_from": "2025-Q1", "note": ""}
    refused = problem(
        client.post(f"{API}/rulesets/team_lead/versions", json=body, headers=keys["alice"]), 403
    )
    assert "/api/v1/rulesets/team_lead/proposals" in refused["detail"]
    proposal = propose(client, keys["alice"], ruleset_document(), effective_from="2025-Q1")
    response = client.post(f"{API}/proposals/{proposal['id']}/approve", headers=keys["bob"])
    assert response.status_code == 201
    assert response.get_json()["version"] == 1


def test_a_misspelt_approval_setting_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("SCORECARD_PUBLISH_APPROVAL", "require")
    with pytest.raises(ValueError, match="SCORECARD_PUBLISH_APPROVAL"):
        TestingConfig(f"sqlite:///{tmp_path / 'x.db'}")

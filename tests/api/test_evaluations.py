"""Storing results (revisions, reasons, closed periods), reading them back, replay, history."""

from __future__ import annotations

import pytest

from server import storage
from server.storage import AuditEntry, ClosedPeriod, EvaluationRecord, EvaluationRevision
from tests.conftest import error_paths, problem, ruleset_document, submission

EXCELLENT = {"actual_sales": 100, "target_sales": 100, "visits": 20}
FAIL = {"actual_sales": 10, "target_sales": 100, "visits": 0}


@pytest.fixture
def store(client, admin_key, publish):
    publish()

    def do(body, status=201):
        response = client.post("/api/v1/evaluations", json=body, headers=admin_key)
        assert response.status_code == status, response.get_json()
        return response.get_json()

    return do


def test_first_submission_is_revision_1(store):
    stored = store(submission(reason="首次"))
    assert stored["revision"] == 1
    assert stored["total"] == 82.0
    assert stored["reason"] == "首次"
    assert isinstance(stored["id"], int)
    assert stored["stored_at"].endswith("Z")
    assert stored["ruleset"]["version"] == 1


def test_a_retry_answers_the_stored_revision_with_200(app, store):
    first = store(submission())
    again = store(submission(reason="ignored"), status=200)
    assert again == first
    with app.app_context():
        assert EvaluationRevision.select().count() == 1


def test_other_inputs_need_a_reason(app, store, client, admin_key):
    store(submission())
    response = client.post(
        "/api/v1/evaluations", json=submission(inputs=EXCELLENT), headers=admin_key
    )
    assert error_paths(problem(response, 422)) == ["/reason"]
    second = store(submission(inputs=EXCELLENT, reason="申诉后更正"))
    assert (second["revision"], second["reason"], second["total"]) == (2, "申诉后更正", 100.0)
    third = store(submission(reason="恢复"))
    assert third["revision"] == 3
    with app.app_context():
        assert [
            r.revision for r in EvaluationRevision.select().order_by(EvaluationRevision.id)
        ] == [1, 2, 3]
        assert EvaluationRecord.select().count() == 1


def test_another_version_in_force_makes_a_new_revision(store, publish):
    store(submission())
    publish(ruleset_document(name="v2"), effective_from="2025-Q3")
    store(submission(), status=422)  # same inputs, another version: a new revision, needs a reason
    second = store(submission(reason="新版本"))
    assert (second["revision"], second["ruleset"]["version"]) == (2, 2)
    pinned = store(submission(version=1, reason="回到旧版"))
    assert (pinned["revision"], pinned["ruleset"]["version"]) == (3, 1)


def test_a_closed_period_takes_no_new_revision(app, store, client, admin_key):
    store(submission())
    with app.app_context():
        ClosedPeriod.create(
            role="team_lead", period="2025-Q3", closed_at=storage.utcnow(), closed_by="t"
        )
    response = client.post("/api/v1/evaluations", json=submission("e2"), headers=admin_key)
    assert error_paths(problem(response, 409)) == ["/period"]
    response = client.post(
        "/api/v1/evaluations", json=submission(inputs=EXCELLENT, reason="late"), headers=admin_key
    )
    problem(response, 409)
    store(submission(), status=200)  # a retry writes nothing, so it is still answered
    store(submission("e2", period="2025-Q4"))  # another period is open
    with app.app_context():
        assert EvaluationRevision.select().count() == 2


def test_storing_writes_an_audit_entry_per_revision(app, store):
    stored = store(submission())
    store(submission(), status=200)
    with app.app_context():
        entries = list(AuditEntry.select().where(AuditEntry.action == "evaluation.store"))
    assert len(entries) == 1
    assert entries[0].target == "team_lead/2025-Q3"
    assert entries[0].details["id"] == stored["id"]
    assert entries[0].details["revision"] == 1


def test_list_shows_latest_revisions_with_filters(client, read_key, store):
    store(submission("e1"))
    store(submission("e1", inputs=EXCELLENT, reason="更正"))
    store(submission("e2", inputs=FAIL))
    store(submission("e3", period="2025-Q4"))
    listing = client.get("/api/v1/evaluations", headers=read_key).get_json()
    assert [(i["employee_id"], i["revision"]) for i in listing["items"]] == [
        ("e1", 2),
        ("e2", 1),
        ("e3", 1),
    ]
    assert listing["next"] is None

    def ids(query):
        body = client.get(f"/api/v1/evaluations?{query}", headers=read_key).get_json()
        return [i["employee_id"] for i in body["items"]]

    assert ids("period=2025-Q3") == ["e1", "e2"]
    assert ids("rating=excellent") == ["e1"]
    assert ids("rating=good") == ["e3"]  # e1's old revision was good: only latest revisions count
    assert ids("employee_id=e2&role=team_lead") == ["e2"]
    assert ids("role=nobody") == []


def test_list_pages_with_an_opaque_cursor(client, read_key, store):
    for n in range(7):
        store(submission(f"e{n}"))
    seen, cursor, pages = [], None, 0
    while True:
        query = "limit=3" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(f"/api/v1/evaluations?{query}", headers=read_key).get_json()
        seen += [i["employee_id"] for i in body["items"]]
        pages += 1
        cursor = body["next"]
        if cursor is None:
            break
    assert seen == [f"e{n}" for n in range(7)]
    assert pages == 3


def test_limit_is_clamped_to_1000(client, read_key, store):
    store(submission())
    assert client.get("/api/v1/evaluations?limit=5000", headers=read_key).status_code == 200


def test_get_one_shows_inputs_and_revisions(client, read_key, store):
    first = store(submission())
    store(submission(inputs=EXCELLENT, reason="更正"))
    record = client.get(f"/api/v1/evaluations/{first['id']}", headers=read_key).get_json()
    assert record["revision"] == 2
    assert record["inputs"] == EXCELLENT
    assert record["total"] == 100.0
    assert [(r["revision"], r["total"], r["rating"], r["reason"]) for r in record["revisions"]] == [
        (1, 82.0, "good", None),
        (2, 100.0, "excellent", "更正"),
    ]


def test_replay_reproduces_stored_results(client, read_key, store):
    first = store(submission(inputs=EXCELLENT, period="2025-Q2"))
    second = store(submission(inputs=EXCELLENT))  # raise_eligible from the stored Q2
    assert second["outcomes"] == [{"key": "raise_eligible", "label": "连续2季度优秀"}]
    store(submission(inputs=FAIL, period="2025-Q2", reason="更正"))  # Q2 changes afterwards
    replay = client.post(f"/api/v1/evaluations/{second['id']}/replay", headers=read_key)
    assert replay.status_code == 200
    assert replay.get_json()["identical"] is True  # the history stored with it is used
    older = client.post(f"/api/v1/evaluations/{first['id']}/replay?revision=1", headers=read_key)
    assert older.get_json()["identical"] is True
    assert older.get_json()["revision"] == 1


def test_replay_reports_differences(app, client, read_key, store):
    stored = store(submission())
    with app.app_context():
        revision = EvaluationRevision.get()
        result = dict(revision.result, total=81.0)
        # tamper with the stored row directly, as an auditor would want to detect
        EvaluationRevision.update(result=result).where(
            EvaluationRevision.id == revision.id
        ).execute()
    replay = client.post(f"/api/v1/evaluations/{stored['id']}/replay", headers=read_key).get_json()
    assert replay["identical"] is False
    assert replay["differences"] == [{"path": "/total", "stored": 81.0, "replayed": 82.0}]


def test_replay_of_unknown_things_is_404(client, read_key, store):
    stored = store(submission())
    problem(client.post("/api/v1/evaluations/999/replay", headers=read_key), 404)
    problem(
        client.post(f"/api/v1/evaluations/{stored['id']}/replay?revision=2", headers=read_key), 404
    )
    problem(
        client.post(f"/api/v1/evaluations/{stored['id']}/replay?revision=x", headers=read_key), 400
    )


def test_employee_history_lists_latest_revisions_in_period_order(client, read_key, store):
    store(submission(period="2025-Q3", inputs=EXCELLENT))
    store(submission(period="2025-Q2", inputs=EXCELLENT))
    store(submission(period="2025-Q3", inputs=FAIL, reason="更正"))
    store(submission("e2", period="2025-Q1"))
    history = client.get("/api/v1/employees/e1/history?role=team_lead", headers=read_key).get_json()
    assert history == {
        "items": [
            {
                "role": "team_lead",
                "period": "2025-Q2",
                "revision": 1,
                "total": 100.0,
                "rating": "excellent",
                "outcomes": [],
            },
            {
                "role": "team_lead",
                "period": "2025-Q3",
                "revision": 2,
                "total": 8.0,
                "rating": "fail",
                "outcomes": [],
            },
        ],
        "next": None,
    }
    empty = client.get("/api/v1/employees/nobody/history", headers=read_key).get_json()
    assert empty == {"items": [], "next": None}


def test_employee_history_pages(client, read_key, store):
    for period in ("2024-Q4", "2025-Q1", "2025-Q2"):
        store(submission(period=period))
    page = client.get("/api/v1/employees/e1/history?limit=2", headers=read_key).get_json()
    assert [i["period"] for i in page["items"]] == ["2024-Q4", "2025-Q1"]
    rest = client.get(
        f"/api/v1/employees/e1/history?limit=2&cursor={page['next']}", headers=read_key
    ).get_json()
    assert [i["period"] for i in rest["items"]] == ["2025-Q2"]
    assert rest["next"] is None


def test_employee_ids_with_slashes_and_unicode(client, read_key, store):
    store(submission("华东/张三"))
    history = client.get("/api/v1/employees/华东/张三/history", headers=read_key).get_json()
    assert [i["period"] for i in history["items"]] == ["2025-Q3"]

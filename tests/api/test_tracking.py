"""SPEC §10 over HTTP: `as_of` and `what_it_takes` on /evaluate, tracking snapshots that
nothing else sees, and each employee's latest snapshot with who is at risk."""

from __future__ import annotations

import pytest

from server.storage import EvaluationRevision
from tests.conftest import error_paths, problem, ruleset_document, submission


def tracked_document():
    """team_lead with sales to date projected linearly; sales and visits are levers."""
    document = ruleset_document()
    document["inputs"]["actual_sales"].update(lever="increase", projection="linear")
    document["inputs"]["visits"].update(lever="increase", label="拜访次数", unit="次")
    return document


@pytest.fixture
def tracked(publish):
    return publish(tracked_document())


def post(client, key, path, body):
    return client.post(f"/api/v1/{path}", json=body, headers=key)


def test_as_of_projects_figures_to_date_to_the_period_end(client, evaluate_key, tracked):
    # 2025-Q3 has 92 days; 2025-08-15 is day 46: 45 × 92 / 46 = 90 -> 0.8 × 90 + 0.2 × 50 = 82
    body = submission(inputs={"actual_sales": 45, "target_sales": 100, "visits": 10})
    answer = post(client, evaluate_key, "evaluate", {**body, "as_of": "2025-08-15"}).get_json()
    assert answer["projection"] == {
        "as_of": "2025-08-15",
        "elapsed_days": 46,
        "period_days": 92,
        "inputs": {"actual_sales": {"actual": 45, "projected": 90.0}},
    }
    assert answer["total"] == 82.0 and answer["rating"]["key"] == "good"
    plain = post(client, evaluate_key, "evaluate", body).get_json()
    assert plain["projection"] is None and plain["total"] == 0.8 * 45 + 10


@pytest.mark.parametrize("as_of", ["2025-06-30", "2025-10-01", "2025-02-30", "20250815"])
def test_as_of_outside_the_period_or_not_a_day_is_422_at_as_of(
    client, evaluate_key, tracked, as_of
):
    response = post(client, evaluate_key, "evaluate", {**submission(), "as_of": as_of})
    assert error_paths(problem(response, 422)) == ["/as_of"]


def test_what_it_takes_names_the_smallest_change_of_each_lever(client, evaluate_key, tracked):
    # 82 (良好) -> 优秀 needs a reported total of 90: 0.8 × a + 10 >= 89.995 -> a >= 99.99375,
    # so actual_sales 100.00 (99.99 gives 89.99); visits score 5 a visit: 72 + v >= 89.995 -> 18
    answer = post(client, evaluate_key, "evaluate", {**submission(), "what_it_takes": True})
    found = answer.get_json()["what_it_takes"]
    assert found["rating"] == {"key": "excellent", "label": "优秀"}
    assert found["needs"] == [
        {
            "input": "actual_sales",
            "label": "实际销售额",
            "current": 90,
            "required": 100,
            "change": 10,
        },
        {"input": "visits", "label": "拜访次数", "current": 10, "required": 18, "change": 8},
    ]
    lines = answer.get_json()["explanation"][-2:]
    assert lines == ["再完成 实际销售额 10.00 即可达到 优秀", "再完成 拜访次数 8 次 即可达到 优秀"]


def test_a_snapshot_is_stored_and_the_latest_per_employee_is_listed(
    client, evaluate_key, read_key, tracked
):
    def snapshot(employee, as_of, sales):
        body = submission(employee, inputs={"actual_sales": sales, "target_sales": 100})
        response = post(client, evaluate_key, "tracking", {**body, "as_of": as_of})
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    first = snapshot("e1", "2025-08-15", 10)  # 10 × 2 = 20 -> 16: 不合格, at risk
    assert first["at_risk"] is True and first["rating"]["key"] == "fail"
    assert first["id"] and first["stored_at"] and first["projection"]["elapsed_days"] == 46
    later = snapshot("e1", "2025-09-01", 60)  # 60 × 92 / 63 -> 70.1: 不合格 still? 0.8 × 87.6
    snapshot("e1", "2025-07-20", 99)  # stored last, but an earlier as_of: not the latest
    snapshot("e2", "2025-08-15", 50)  # 100 -> 80: 良好
    listed = client.get("/api/v1/tracking?role=team_lead&period=2025-Q3", headers=read_key)
    items = listed.get_json()["items"]
    assert [(i["employee_id"], i["id"]) for i in items] == [
        ("e1", later["id"]),
        ("e2", items[1]["id"]),
    ]
    assert items[0] == {
        "id": later["id"],
        "employee_id": "e1",
        "as_of": "2025-09-01",
        "total": later["total"],
        "rating": later["rating"]["key"],
        "at_risk": later["at_risk"],
    }
    assert items[1]["rating"] == "good" and items[1]["at_risk"] is False
    risky = client.get(
        "/api/v1/tracking?role=team_lead&period=2025-Q3&at_risk=false&limit=1", headers=read_key
    ).get_json()
    assert [i["employee_id"] for i in risky["items"]] == [
        i["employee_id"] for i in items if not i["at_risk"]
    ][:1]


def test_snapshots_are_seen_by_no_read_of_revisions(app, client, evaluate_key, read_key, tracked):
    body = {**submission(), "as_of": "2025-08-15"}
    assert post(client, evaluate_key, "tracking", body).status_code == 201
    get = lambda path: client.get(f"/api/v1/{path}", headers=read_key).get_json()  # noqa: E731
    assert get("evaluations?role=team_lead")["items"] == []
    assert get("employees/e1/history?role=team_lead")["items"] == []
    assert get("reports/distribution?role=team_lead&period=2025-Q3")["count"] == 0
    with app.app_context():
        assert EvaluationRevision.select().count() == 0
    entries = get("audit?action=tracking.store")["items"]
    assert [(e["action"], e["target"]) for e in entries] == [
        ("tracking.store", "team_lead/2025-Q3")
    ]


def test_tracking_asks_the_right_scopes_and_parameters(client, read_key, evaluate_key, tracked):
    body = {**submission(), "as_of": "2025-08-15"}
    assert post(client, read_key, "tracking", body).status_code == 403
    no_as_of = post(client, evaluate_key, "tracking", submission())
    assert error_paths(problem(no_as_of, 422)) == ["/as_of"]
    missing = client.get("/api/v1/tracking?role=team_lead", headers=read_key)
    assert error_paths(problem(missing, 422)) == ["/period"]
    flag = client.get(
        "/api/v1/tracking?role=team_lead&period=2025-Q3&at_risk=maybe", headers=read_key
    )
    assert error_paths(problem(flag, 422)) == ["/at_risk"]


def test_tracking_at_risk_names_ratings_and_defaults_to_the_last_band(
    client, evaluate_key, publish
):
    document = tracked_document()
    document["tracking"] = {"at_risk": ["pass", "fail"]}
    publish(document)
    body = submission(inputs={"actual_sales": 40, "target_sales": 100, "visits": 10})
    answer = post(client, evaluate_key, "tracking", {**body, "as_of": "2025-08-15"}).get_json()
    assert answer["rating"]["key"] == "pass" and answer["at_risk"] is True
    document["tracking"] = {"at_risk": ["nope"]}
    response = client.post(
        "/api/v1/rulesets/validate", json={"document": document}, headers=evaluate_key
    )
    assert response.status_code in (200, 403)


def test_snapshots_reach_no_streak_export_or_impact(client, evaluate_key, admin_key, tracked):
    top = {"actual_sales": 60, "target_sales": 100, "visits": 20}  # 120 projected -> 优秀
    q2 = {**submission("e1", period="2025-Q2", inputs=top), "as_of": "2025-05-16"}
    assert post(client, evaluate_key, "tracking", q2).status_code == 201
    full = {"actual_sales": 120, "target_sales": 100, "visits": 20}
    stored = post(client, evaluate_key, "evaluations", submission("e1", inputs=full))
    assert stored.status_code == 201
    assert stored.get_json()["rating"]["key"] == "excellent"
    assert stored.get_json()["outcomes"] == []  # the Q2 snapshot is no excellent quarter
    snap = {**submission("e2"), "as_of": "2025-08-15"}
    assert post(client, evaluate_key, "tracking", snap).status_code == 201
    export = client.get(
        "/api/v1/evaluations/export?role=team_lead&period=2025-Q3&format=csv", headers=admin_key
    )
    rows = export.get_data().decode("utf-8-sig").strip().splitlines()
    assert [row.split(",")[0] for row in rows[1:]] == ["e1"]
    impact = post(
        client, admin_key, "rulesets/team_lead/impact", {"from": 1, "to": 1, "period": "2025-Q3"}
    )
    assert [e["employee_id"] for e in impact.get_json()["employees"]] == ["e1"]

"""POST /evaluate: numbers, which version, submission problems, draft documents."""

from __future__ import annotations

import pytest

from server.storage import EvaluationRevision
from tests.conftest import error_paths, problem, ruleset_document, submission


def evaluate(client, key, body):
    return client.post("/api/v1/evaluate", json=body, headers=key)


def test_evaluate_answers_the_result_and_stores_nothing(app, client, evaluate_key, publish):
    version = publish()
    response = evaluate(client, evaluate_key, submission())
    assert response.status_code == 200
    result = response.get_json()
    assert list(result)[:6] == ["role", "period", "employee_id", "ruleset", "plan", "total"]
    assert result["ruleset"] == {"version": 1, "hash": version["hash"]}
    assert result["plan"] is None  # no period plan for e1
    assert result["total"] == 82.0
    assert result["rating"] == {"key": "good", "label": "良好"}
    assert result["bonus_multiplier"] == 1.2
    assert [(i["key"], i["score"], i["contribution"]) for i in result["indicators"]] == [
        ("sales_attainment", 90.0, 72.0),
        ("visit_score", 50.0, 10.0),
    ]
    assert result["explanation"]
    with app.app_context():
        assert EvaluationRevision.select().count() == 0


def version_of(client, key, period, **extra):
    response = evaluate(client, key, submission(period=period, **extra))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["ruleset"]["version"]


def test_the_version_in_force_is_the_latest_effective_from_before_the_period(
    client, evaluate_key, publish
):
    publish(ruleset_document(name="v1"), effective_from="2024-Q1")
    publish(ruleset_document(name="v2"), effective_from="2025-Q3")
    publish(ruleset_document(name="v3"), effective_from="2025-Q2")  # later version, earlier start
    assert version_of(client, evaluate_key, "2024-Q4") == 1
    assert version_of(client, evaluate_key, "2025-Q2") == 3
    assert version_of(client, evaluate_key, "2025-Q3") == 2
    assert version_of(client, evaluate_key, "2030-Q1") == 2


def test_same_effective_from_goes_to_the_higher_version(client, evaluate_key, publish):
    publish(ruleset_document(name="v1"), effective_from="2025-Q1")
    publish(ruleset_document(name="v2"), effective_from="2025-Q1")
    assert version_of(client, evaluate_key, "2025-Q1") == 2


def test_a_named_version_pins_it(client, evaluate_key, publish):
    publish(ruleset_document(name="v1"), effective_from="2024-Q1")
    publish(ruleset_document(name="v2"), effective_from="2024-Q1")
    assert version_of(client, evaluate_key, "2025-Q1", version=1) == 1


def test_no_version_in_force_is_422_at_period(client, evaluate_key, publish):
    publish(effective_from="2025-Q3")
    body = problem(evaluate(client, evaluate_key, submission(period="2025-Q2")), 422)
    assert error_paths(body) == ["/period"]


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"role": "nobody"}, "/role"),
        ({"role": "not a role"}, "/role"),
        ({"version": 7}, "/version"),
        ({"period": "2025-07"}, "/period"),  # a month for a quarterly ruleset
        ({"period": "2025"}, "/period"),
        ({"period": "2025-Q3\n"}, "/period"),
        ({"period": " 2025-Q3"}, "/period"),
        ({"period": "0000-Q1"}, "/period"),
        ({"employee_id": "x" * 201}, "/employee_id"),
        ({"employee_id": ""}, "/employee_id"),
        ({"inputs": None}, "/inputs"),
        ({"version": 0}, "/version"),
        ({"version": True}, "/version"),
    ],
)
def test_wrong_content_is_422_at_its_path(client, evaluate_key, publish, changes, path):
    publish()
    body = problem(evaluate(client, evaluate_key, submission(**changes)), 422)
    assert error_paths(body) == [path]
    assert body["type"].endswith("invalid-content")


def test_every_input_problem_is_listed(client, evaluate_key, publish):
    publish()
    inputs = {"actual_sales": -5, "target_salez": 100, "visits": 1.5}
    body = problem(evaluate(client, evaluate_key, submission(inputs=inputs)), 422)
    paths = error_paths(body)
    assert {"/inputs/actual_sales", "/inputs/target_salez", "/inputs/target_sales"} <= set(paths)
    suggestion = next(e for e in body["errors"] if e["path"] == "/inputs/target_salez")
    assert "target_sales" in suggestion["message"]


def test_a_computation_failure_is_reported_at_inputs(client, evaluate_key, publish):
    publish()
    inputs = {"actual_sales": 10, "target_sales": 0}
    body = problem(evaluate(client, evaluate_key, submission(inputs=inputs)), 422)
    assert error_paths(body) == ["/inputs"]
    assert "sales_attainment" in body["errors"][0]["message"]


def test_an_omitted_optional_input_takes_its_default(client, evaluate_key, publish):
    publish()
    result = evaluate(
        client, evaluate_key, submission(inputs={"actual_sales": 90, "target_sales": 100})
    ).get_json()
    assert result["total"] == 72.0
    assert result["rating"]["key"] == "pass"


def test_a_draft_document_is_evaluated_with_publish_scope(client, make_key):
    document = ruleset_document()
    document["indicators"][0]["weight"] = 50
    document["indicators"][1]["weight"] = 50
    document["examples"] = []
    body = {**submission(), "document": document}
    response = evaluate(client, make_key("evaluate", "publish"), body)
    assert response.status_code == 200, response.get_json()
    result = response.get_json()
    assert result["total"] == 70.0  # 0.5 x 90 + 0.5 x 50
    assert result["ruleset"]["version"] is None
    assert result["ruleset"]["hash"].startswith("sha256:")


def test_a_draft_document_with_problems_is_422_under_document(client, make_key):
    document = ruleset_document()
    document["indicators"][0]["formula"] = "actual_sales +"
    body = {**submission(role="someone_else"), "document": document}
    response = evaluate(client, make_key("evaluate", "publish"), body)
    paths = error_paths(problem(response, 422))
    assert "/role" in paths
    assert "/document/indicators/0/formula" in paths


def test_evaluate_reads_stored_history_for_streaks(client, admin_key, publish):
    publish()
    excellent = {"actual_sales": 100, "target_sales": 100, "visits": 20}
    stored = client.post(
        "/api/v1/evaluations",
        json=submission(period="2025-Q2", inputs=excellent),
        headers=admin_key,
    )
    assert stored.status_code == 201
    result = evaluate(client, admin_key, submission(period="2025-Q3", inputs=excellent)).get_json()
    assert result["outcomes"] == [{"key": "raise_eligible", "label": "连续2季度优秀"}]
    other = evaluate(client, admin_key, submission(employee_id="e2", inputs=excellent)).get_json()
    assert other["outcomes"] == []

"""Plans merged into a large batch (SPEC §9): each item gets its own employee's latest plan of
its role and period — looked up for the whole batch at once — and the result, the stored
inputs and the `plan` member are what the same inputs sent in full give."""

from __future__ import annotations

import pytest

from server.services.planning import store_plans
from server.storage import plan_queries
from tests.api.plan_helpers import plan_document, plan_url
from tests.conftest import error_paths, problem, submission

ITEMS = 200
ACTUALS = {"actual_sales": 90, "visits": 10}
ODD_IDS = ["a,b", "{x}", '"q"', "é😀", "back\\slash", " space ", "NULL", "'"]


@pytest.fixture
def key(make_key):
    return make_key("plan", "read", "evaluate")


def _target(n: int) -> int:
    return 60 + n  # 90 / 60 scores 120 (capped), 90 / 259 about 35: a spread of totals


def _planned(n: int) -> bool:
    return n % 2 == 0


def _employee(n: int) -> str:
    return f"e{n:03d}"


@pytest.fixture
def plans(client, publish, key):
    """Plans for the even employees of team_lead 2025-Q3 (hire dates for every fourth), e000
    revised to revision 2 (a target alone), e002 acknowledged; plans elsewhere that must not
    be taken."""
    publish(plan_document())
    publish(plan_document(role="other_lead"))
    items = []
    for n in range(0, ITEMS, 2):
        inputs = {"target_sales": _target(n)}
        if n % 4 == 0:
            inputs["hire_date"] = f"20{10 + n % 15:02d}-03-01"
        items.append(
            {
                "role": "team_lead",
                "period": "2025-Q3",
                "employee_id": _employee(n),
                "inputs": inputs,
            }
        )
    for n in range(1, ITEMS, 2):  # the odd employees: plans of another period and another role
        items.append(
            {"role": "team_lead", "period": "2025-Q2", "employee_id": _employee(n),
             "inputs": {"target_sales": 1}}
        )  # fmt: skip
        items.append(
            {"role": "other_lead", "period": "2025-Q3", "employee_id": _employee(n),
             "inputs": {"target_sales": 1}}
        )  # fmt: skip
    stored = client.post("/api/v1/plans/batch", json={"items": items}, headers=key)
    assert stored.status_code == 201, stored.get_json()
    revised = client.put(
        plan_url(_employee(0)), json={"inputs": {"target_sales": 150}}, headers=key
    )
    assert revised.status_code == 201 and revised.get_json()["revision"] == 2
    acked = client.post(plan_url(_employee(2)) + "/acknowledge", json={"by": "e002"}, headers=key)
    assert acked.status_code == 200


def _merged_inputs(n: int) -> dict:
    """What item n is evaluated (and stored) with."""
    if not _planned(n):
        return {**ACTUALS, "target_sales": 100 + n}
    if n == 0:  # revision 2 replaced revision 1's values
        return {**ACTUALS, "target_sales": 150}
    inputs = {**ACTUALS, "target_sales": _target(n)}
    if n % 4 == 0:
        inputs["hire_date"] = f"20{10 + n % 15:02d}-03-01"
    return inputs


def _sent_inputs(n: int) -> dict:
    """Planned employees send the actuals (every tenth also the plan's target, as a double)."""
    if not _planned(n):
        return _merged_inputs(n)
    if n % 10 == 0:
        return {**ACTUALS, "target_sales": float(_merged_inputs(n)["target_sales"])}
    return dict(ACTUALS)


def test_a_batch_half_planned_merges_each_employees_own_plan(client, plans, key):
    items = [submission(_employee(n), inputs=_sent_inputs(n)) for n in range(ITEMS)]
    stored = client.post("/api/v1/evaluations/batch", json={"items": items}, headers=key)
    assert stored.status_code == 201, stored.get_json()
    answers = stored.get_json()["items"]
    assert len(answers) == ITEMS
    for n, answer in enumerate(answers):
        expected_plan = None
        if _planned(n):
            expected_plan = {"revision": 2 if n == 0 else 1, "acknowledged": n == 2}
        assert answer["employee_id"] == _employee(n)
        assert answer["plan"] == expected_plan, n
        # the same inputs in full, for an employee without any plan, give the same numbers
        full = submission(f"x{n:03d}", inputs=_merged_inputs(n))
        reference = client.post("/api/v1/evaluate", json=full, headers=key).get_json()
        assert (answer["total"], answer["rating"], answer["indicators"]) == (
            reference["total"],
            reference["rating"],
            reference["indicators"],
        ), n
        record = client.get(f"/api/v1/evaluations/{answer['id']}", headers=key).get_json()
        assert record["inputs"] == _merged_inputs(n), n


def test_a_contradiction_anywhere_in_the_batch_is_its_own_items_422(client, plans, key):
    items = [submission(_employee(n), inputs=_sent_inputs(n)) for n in range(ITEMS)]
    items[150] = submission(_employee(150), inputs={**ACTUALS, "target_sales": 1})
    items[151] = submission(_employee(151), inputs=ACTUALS)  # no plan here: target missing
    body = problem(
        client.post("/api/v1/evaluations/batch", json={"items": items}, headers=key), 422
    )
    assert error_paths(body) == ["/items/150/inputs/target_sales", "/items/151/inputs/target_sales"]


def test_ids_that_need_quoting_find_their_plans(client, publish, key):
    publish(plan_document())
    for n, employee_id in enumerate(ODD_IDS):
        put = client.put(
            plan_url(employee_id), json={"inputs": {"target_sales": 100 + n}}, headers=key
        )
        assert put.status_code == 201, put.get_json()
    items = [submission(employee_id, inputs=ACTUALS) for employee_id in ODD_IDS]
    items.append(submission("not planned"))
    stored = client.post("/api/v1/evaluations/batch", json={"items": items}, headers=key)
    assert stored.status_code == 201, stored.get_json()
    answers = stored.get_json()["items"]
    assert [a["plan"] and a["plan"]["revision"] for a in answers] == [1] * len(ODD_IDS) + [None]
    for n, answer in enumerate(answers[:-1]):
        record = client.get(f"/api/v1/evaluations/{answer['id']}", headers=key).get_json()
        assert record["inputs"]["target_sales"] == 100 + n


def test_the_lookup_names_only_plans_of_the_role_and_period(app, client, plans):
    with app.app_context():
        found = plan_queries.latest_values_among(
            "team_lead", "2025-Q3", [_employee(n) for n in range(6)] + ["e000", "nobody", "e\x00"]
        )
        assert found == {
            "e000": (2, {"target_sales": 150}, False),
            "e002": (1, {"target_sales": 62}, True),
            "e004": (1, {"target_sales": 64, "hire_date": "2014-03-01"}, False),
        }
        assert plan_queries.latest_values_among("team_lead", "2025-Q4", ["e000"]) == {}
        assert plan_queries.latest_values_among("team_lead", "2025-Q3", []) == {}


def test_an_id_with_a_nul_is_looked_up_alone_or_found_nowhere(app, database_url, publish):
    """Only SQLite can hold such an id (the API refuses it; a spreadsheet import does not): it
    is looked up alone there; PostgreSQL holds no such id, and the lookup answers without it."""
    sqlite = database_url.startswith("sqlite")
    publish(plan_document())
    with app.app_context():
        body = {"role": "team_lead", "period": "2025-Q3", "inputs": {"target_sales": 80}}
        ids = ["n\x00l", "n"] if sqlite else ["n"]
        store_plans([{**body, "employee_id": i} for i in ids], "t", True)
        found = plan_queries.latest_values_among("team_lead", "2025-Q3", ["n\x00l", "n", "n\x00"])
    assert found == {i: (1, {"target_sales": 80}, False) for i in ids}

"""Period plans, SPEC §9 point by point: PUT (revisions, reason after acknowledgement),
acknowledge, GET with revisions, the list with its filter and paging, the batch, the scope,
closed periods, the audit log."""

from __future__ import annotations

import pytest

from tests.api.plan_helpers import plan_document, plan_url
from tests.conftest import error_paths, problem


@pytest.fixture
def plan_key(make_key):
    return make_key("plan", "read")


@pytest.fixture
def planned(publish):
    return publish(plan_document())


def put(client, key, inputs, employee_id="e1", status=None, **extra):
    response = client.put(plan_url(employee_id), json={"inputs": inputs, **extra}, headers=key)
    if status is not None:
        assert response.status_code == status, response.get_json()
    return response


def acknowledge(client, key, employee_id="e1", by="张三"):
    return client.post(plan_url(employee_id) + "/acknowledge", json={"by": by}, headers=key)


def test_first_put_is_revision_1_the_same_inputs_answer_it_others_are_revision_2(
    client, planned, plan_key
):
    first = put(client, plan_key, {"target_sales": 100}, status=201).get_json()
    assert (first["revision"], first["inputs"], first["acknowledged"]) == (
        1,
        {"target_sales": 100},
        None,
    )
    again = put(client, plan_key, {"target_sales": 100}, status=200).get_json()
    assert again["revision"] == 1 and again["stored_at"] == first["stored_at"]
    second = put(client, plan_key, {"target_sales": 120, "hire_date": "2024-01-02"}, status=201)
    assert second.get_json()["revision"] == 2  # no acknowledgement yet: no reason needed
    got = client.get(plan_url(), headers=plan_key).get_json()
    assert got["inputs"] == {"target_sales": 120, "hire_date": "2024-01-02"}
    assert [r["revision"] for r in got["revisions"]] == [1, 2]
    assert (got["role"], got["period"], got["employee_id"]) == ("team_lead", "2025-Q3", "e1")


def test_after_an_acknowledgement_a_change_needs_a_reason(client, planned, plan_key):
    put(client, plan_key, {"target_sales": 100}, status=201)
    acknowledged = acknowledge(client, plan_key)
    assert acknowledged.status_code == 200
    assert acknowledged.get_json()["acknowledged"]["revision"] == 1
    assert acknowledged.get_json()["acknowledged"]["by"] == "张三"
    refused = problem(put(client, plan_key, {"target_sales": 90}), 422)
    assert error_paths(refused) == ["/reason"]
    changed = put(client, plan_key, {"target_sales": 90}, reason="市场调整", status=201).get_json()
    assert (changed["revision"], changed["reason"], changed["acknowledged"]) == (
        2,
        "市场调整",
        None,
    )
    got = client.get(plan_url(), headers=plan_key).get_json()
    assert got["revisions"][0]["acknowledged"]["by"] == "张三"
    assert got["revisions"][1]["acknowledged"] is None


def test_acknowledging_again_changes_nothing(client, planned, plan_key):
    put(client, plan_key, {"target_sales": 100}, status=201)
    first = acknowledge(client, plan_key, by="张三").get_json()
    again = acknowledge(client, plan_key, by="someone else")
    assert again.status_code == 200 and again.get_json() == first
    audit = client.get("/api/v1/audit?action=plan.acknowledge", headers=plan_key).get_json()
    assert len(audit["items"]) == 1 and audit["items"][0]["details"]["by"] == "张三"


def test_every_write_is_in_the_audit_log(client, planned, plan_key):
    put(client, plan_key, {"target_sales": 100}, status=201)
    put(client, plan_key, {"target_sales": 100}, status=200)
    acknowledge(client, plan_key)
    items = client.get("/api/v1/audit?target=team_lead/2025-Q3", headers=plan_key).get_json()
    actions = [(i["action"], i["details"].get("revision")) for i in items["items"]]
    assert actions == [("plan.store", 1), ("plan.acknowledge", 1)]


def test_inputs_are_checked_against_the_version_in_force(client, planned, plan_key):
    body = problem(
        put(
            client,
            plan_key,
            {"target_sale": 1, "actual_sales": 5, "target_sales": -1, "hire_date": "2024-13-01"},
        ),
        422,
    )
    assert sorted(error_paths(body)) == [
        "/inputs/actual_sales",
        "/inputs/hire_date",
        "/inputs/target_sale",
        "/inputs/target_sales",
    ]
    messages = {e["path"]: e["message"] for e in body["errors"]}
    assert "target_sales" in messages["/inputs/target_sale"]  # the closest plan input
    assert client.get(plan_url(), headers=plan_key).status_code == 404  # nothing stored


def test_any_subset_and_nulls_are_left_out(client, planned, plan_key):
    stored = put(client, plan_key, {"hire_date": "2024-01-02", "target_sales": None}, status=201)
    assert stored.get_json()["inputs"] == {"hire_date": "2024-01-02"}


def test_unknown_role_or_period_of_another_kind_is_404_no_version_in_force_is_422(
    client, publish, plan_key
):
    publish(plan_document(), effective_from="2024-Q1")
    response = client.put("/api/v1/plans/nobody/2025-Q3/e1", json={"inputs": {}}, headers=plan_key)
    problem(response, 404)
    problem(put_at(client, plan_key, "2025-07"), 404)
    problem(client.get("/api/v1/plans/team_lead/2025-07/e1", headers=plan_key), 404)
    body = problem(put_at(client, plan_key, "2023-Q4"), 422)
    assert error_paths(body) == [""]
    problem(client.get(plan_url("nobody-planned"), headers=plan_key), 404)


def put_at(client, key, period):
    url = plan_url(period=period)
    return client.put(url, json={"inputs": {"target_sales": 1}}, headers=key)


def test_the_plan_scope_writes_read_reads(client, planned, make_key):
    reader, evaluator = make_key("read"), make_key("evaluate")
    problem(put(client, reader, {"target_sales": 1}), 403)
    problem(put(client, evaluator, {"target_sales": 1}), 403)
    writer = make_key("plan")
    put(client, writer, {"target_sales": 1}, status=201)
    problem(client.get(plan_url(), headers=writer), 403)
    assert client.get(plan_url(), headers=reader).status_code == 200
    problem(client.put(plan_url(), json={"inputs": {}}), 401)


def test_a_closed_period_refuses_plan_writes(client, planned, plan_key, admin_key):
    put(client, plan_key, {"target_sales": 100}, status=201)
    client.post("/api/v1/periods/team_lead/2025-Q3/close", json={}, headers=admin_key)
    problem(put(client, plan_key, {"target_sales": 110}), 409)
    problem(acknowledge(client, plan_key), 409)
    batch = {
        "items": [{"role": "team_lead", "period": "2025-Q3", "employee_id": "e2", "inputs": {}}]
    }
    problem(client.post("/api/v1/plans/batch", json=batch, headers=plan_key), 409)
    assert client.get(plan_url(), headers=plan_key).get_json()["revision"] == 1


def test_employee_ids_with_any_characters(client, planned, plan_key):
    for employee_id in ("a/b", "王 五%", "x?y#z"):
        put(client, plan_key, {"target_sales": 1}, employee_id=employee_id, status=201)
        assert (
            client.get(plan_url(employee_id), headers=plan_key).get_json()["employee_id"]
            == employee_id
        )
    problem(put(client, plan_key, {"target_sales": 1}, employee_id="x" * 201), 404)


def test_the_list_filters_by_acknowledgement_and_pages(client, planned, plan_key):
    for n in range(5):
        put(client, plan_key, {"target_sales": 100 + n}, employee_id=f"e{n}", status=201)
    for n in (1, 3):
        acknowledge(client, plan_key, employee_id=f"e{n}")
    put(client, plan_key, {"target_sales": 1}, employee_id="e3", reason="调整", status=201)

    def ids(query):
        found, cursor = [], None
        while True:
            url = f"/api/v1/plans?{query}&limit=2" + (f"&cursor={cursor}" if cursor else "")
            page = client.get(url, headers=plan_key).get_json()
            assert len(page["items"]) <= 2
            found += [item["employee_id"] for item in page["items"]]
            cursor = page["next"]
            if cursor is None:
                return found

    assert ids("role=team_lead&period=2025-Q3") == ["e0", "e1", "e2", "e3", "e4"]
    assert ids("acknowledged=true") == ["e1"]  # e3's latest revision is not acknowledged
    assert ids("acknowledged=false&period=2025-Q3") == ["e0", "e2", "e3", "e4"]
    assert ids("period=2025-Q4") == []
    body = problem(client.get("/api/v1/plans?acknowledged=maybe", headers=plan_key), 422)
    assert error_paths(body) == ["/acknowledged"]


def batch_item(employee_id, **inputs):
    return {"role": "team_lead", "period": "2025-Q3", "employee_id": employee_id, "inputs": inputs}


def test_a_batch_stores_every_item_or_none(client, planned, plan_key):
    items = [batch_item("e1", target_sales=100), batch_item("e2", target_sales=200)]
    stored = client.post("/api/v1/plans/batch", json={"items": items}, headers=plan_key)
    assert stored.status_code == 201
    assert [(i["employee_id"], i["revision"]) for i in stored.get_json()["items"]] == [
        ("e1", 1),
        ("e2", 1),
    ]
    acknowledge(client, plan_key, employee_id="e1")
    wrong = [
        batch_item("e3", target_sales=300),
        batch_item("e1", target_sales=150),  # acknowledged: needs a reason
        batch_item("e4", target_sales="many"),
        {**batch_item("e5"), "role": "nobody"},
        {"role": "team_lead", "employee_id": "e6", "inputs": {}},
    ]
    body = problem(client.post("/api/v1/plans/batch", json={"items": wrong}, headers=plan_key), 422)
    assert error_paths(body) == [
        "/items/1/reason",
        "/items/2/inputs/target_sales",
        "/items/3/role",
        "/items/4/period",
    ]
    problem(client.get(plan_url("e3"), headers=plan_key), 404)  # none stored


def test_a_batch_over_10000_items_is_413(client, planned, plan_key):
    items = [batch_item(f"e{n}") for n in range(10_001)]
    problem(client.post("/api/v1/plans/batch", json={"items": items}, headers=plan_key), 413)


def test_a_batch_naming_one_plan_twice_writes_consecutive_revisions(client, planned, plan_key):
    items = [
        batch_item("e1", target_sales=1),
        batch_item("e1", target_sales=2),
        batch_item("e1", target_sales=2),
    ]
    answer = client.post("/api/v1/plans/batch", json={"items": items}, headers=plan_key).get_json()
    assert [i["revision"] for i in answer["items"]] == [1, 2, 2]
    assert [
        r["revision"] for r in client.get(plan_url(), headers=plan_key).get_json()["revisions"]
    ] == [1, 2]

"""POST /evaluations/batch: all stored or none, in one transaction."""

from __future__ import annotations

import json

import pytest

from server import storage
from server.storage import AuditEntry, ClosedPeriod, EvaluationRevision
from tests.conftest import error_paths, problem, submission

EXCELLENT = {"actual_sales": 100, "target_sales": 100, "visits": 20}


@pytest.fixture
def batch(client, admin_key, publish):
    publish()

    def do(items, status=201):
        response = client.post(
            "/api/v1/evaluations/batch", json={"items": items}, headers=admin_key
        )
        if status != 201:
            return problem(response, status)
        assert response.status_code == 201, response.get_json()
        return response.get_json()["items"]

    return do


def revisions(app):
    with app.app_context():
        return EvaluationRevision.select().count()


def test_a_batch_stores_every_item_in_order(app, batch):
    items = batch([submission(f"e{n}") for n in range(5)])
    assert [(i["employee_id"], i["revision"], i["total"]) for i in items] == [
        (f"e{n}", 1, 82.0) for n in range(5)
    ]
    assert len({i["id"] for i in items}) == 5
    assert revisions(app) == 5
    with app.app_context():
        assert AuditEntry.select().where(AuditEntry.action == "evaluation.store").count() == 5


def test_one_bad_item_stores_nothing_and_names_every_bad_item(app, batch):
    items = [
        submission("e0"),
        submission("e1", inputs={"actual_sales": -1, "target_sales": 100}),
        submission("e2"),
        submission("e3", role="nobody"),
        {"role": "team_lead"},
    ]
    body = batch(items, status=422)
    paths = error_paths(body)
    assert "/items/1/inputs/actual_sales" in paths
    assert "/items/4/period" in paths and "/items/4/inputs" in paths
    assert revisions(app) == 0


def test_semantic_problems_are_listed_per_item(app, batch):
    body = batch(
        [submission("e0"), submission("e1", role="nobody"), submission("e2", period="2025-07")],
        status=422,
    )
    assert error_paths(body) == ["/items/1/role", "/items/2/period"]
    assert revisions(app) == 0


def test_a_changed_item_without_reason_fails_the_whole_batch(app, batch):
    batch([submission("e0")])
    body = batch([submission("e1"), submission("e0", inputs=EXCELLENT)], status=422)
    assert error_paths(body) == ["/items/1/reason"]
    assert revisions(app) == 1


def test_retries_and_new_revisions_mix_in_one_batch(app, batch):
    first = batch([submission("e0"), submission("e1")])
    items = batch(
        [submission("e0"), submission("e1", inputs=EXCELLENT, reason="更正"), submission("e2")]
    )
    assert items[0] == first[0]
    assert (items[1]["revision"], items[1]["total"]) == (2, 100.0)
    assert items[2]["revision"] == 1
    assert revisions(app) == 4


def test_the_same_record_twice_in_a_batch(app, batch):
    items = batch(
        [submission("e0"), submission("e0"), submission("e0", inputs=EXCELLENT, reason="更正")]
    )
    assert [i["revision"] for i in items] == [1, 1, 2]
    assert items[0]["id"] == items[1]["id"] == items[2]["id"]
    assert revisions(app) == 2


def test_streaks_see_earlier_items_of_the_same_batch(batch):
    items = batch(
        [
            submission(period="2025-Q2", inputs=EXCELLENT),
            submission(period="2025-Q3", inputs=EXCELLENT),
        ]
    )
    assert items[0]["outcomes"] == []
    assert items[1]["outcomes"] == [{"key": "raise_eligible", "label": "连续2季度优秀"}]


def test_a_batch_touching_a_closed_period_stores_nothing(app, batch):
    with app.app_context():
        ClosedPeriod.create(
            role="team_lead", period="2025-Q2", closed_at=storage.utcnow(), closed_by="t"
        )
    body = batch([submission("e0"), submission("e1", period="2025-Q2")], status=409)
    assert error_paths(body) == ["/items/1/period"]
    assert revisions(app) == 0


def test_an_empty_batch_is_422(batch):
    assert error_paths(batch([], status=422)) == ["/items"]


def test_more_than_10000_items_is_413(client, evaluate_key, app):
    item = json.dumps(submission())
    data = '{"items": [' + ",".join([item] * 10_001) + "]}"
    response = client.post(
        "/api/v1/evaluations/batch",
        data=data,
        content_type="application/json",
        headers=evaluate_key,
    )
    problem(response, 413)
    assert revisions(app) == 0


def test_10000_items_are_stored_in_one_go(app, batch):
    items = batch([submission(f"e{n}") for n in range(10_000)])
    assert len(items) == 10_000
    assert items[-1]["employee_id"] == "e9999"
    assert revisions(app) == 10_000

"""A stored result keeps its numbers, not its explanation lines: they are rendered when the
result is read (server/services/explaining.py), and read back exactly as first answered."""

from __future__ import annotations

import pytest

from server.engine.explain import WORDS
from server.storage import EvaluationRevision
from tests.conftest import submission


@pytest.fixture
def stored(client, admin_key, publish):
    publish()
    response = client.post("/api/v1/evaluations", json=submission(), headers=admin_key)
    assert response.status_code == 201
    return response.get_json()


def _read(client, admin_key, record_id):
    response = client.get(f"/api/v1/evaluations/{record_id}", headers=admin_key)
    assert response.status_code == 200
    return response.get_json()


def _set_stored_result(app, change):
    with app.app_context():
        row = EvaluationRevision.get()
        result = dict(row.result)
        change(result)
        EvaluationRevision.update(result=result).where(EvaluationRevision.id == row.id).execute()


def test_the_lines_are_not_stored_and_read_back_as_answered(app, client, admin_key, stored):
    assert len(stored["explanation"]) >= 3 and stored["explanation"][-1].startswith("评级")
    with app.app_context():
        row = EvaluationRevision.get()
        assert "explanation" not in row.result
        assert row.result["total"] == stored["total"]
    read = _read(client, admin_key, stored["id"])
    assert {key: read[key] for key in stored} == stored  # the explanation included
    listed = client.get("/api/v1/evaluations?role=team_lead", headers=admin_key).get_json()
    assert listed["items"] == [stored]
    replay = client.post(f"/api/v1/evaluations/{stored['id']}/replay", headers=admin_key)
    assert replay.get_json()["identical"] is True


def test_a_batch_answers_the_lines_read_back_later(client, admin_key, publish):
    publish()
    items = [submission(employee_id=f"e{n}", inputs={"actual_sales": 50 + n * 7,
                        "target_sales": 100, "visits": n}) for n in range(20)]  # fmt: skip
    response = client.post("/api/v1/evaluations/batch", json={"items": items}, headers=admin_key)
    assert response.status_code == 201
    for answer in response.get_json()["items"]:
        assert _read(client, admin_key, answer["id"])["explanation"] == answer["explanation"]
    assert len({tuple(a["explanation"]) for a in response.get_json()["items"]}) == 20


def test_lines_stored_by_an_earlier_release_are_kept(app, client, admin_key, stored):
    _set_stored_result(app, lambda result: result.update(explanation=["当时存储的说明"]))
    assert _read(client, admin_key, stored["id"])["explanation"] == ["当时存储的说明"]


def test_a_result_the_release_does_not_reproduce_is_not_explained(app, client, admin_key, stored):
    _set_stored_result(app, lambda result: result.update(total=99.0))
    read = _read(client, admin_key, stored["id"])
    assert read["total"] == 99.0  # the stored numbers, as stored
    assert read["explanation"] == [WORDS["zh-CN"]["unexplained"]]
    replay = client.post(f"/api/v1/evaluations/{stored['id']}/replay", headers=admin_key)
    assert replay.get_json()["identical"] is False
    assert {"path": "/total", "stored": 99.0, "replayed": 82.0} in replay.get_json()["differences"]

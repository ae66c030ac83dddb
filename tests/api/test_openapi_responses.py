"""The response check that every API test runs (tests/openapi_check.py) finds what the
document does not describe."""

from __future__ import annotations

import json

from flask import Response

from tests.conftest import submission
from tests.openapi_check import CheckedClient, checker


def answer(status: int, body: object, mimetype: str = "application/json") -> Response:
    return Response(json.dumps(body), status=status, mimetype=mimetype)


def test_a_conforming_answer_has_no_problem():
    problem = {"type": "about:blank", "title": "t", "status": 404, "detail": "d", "errors": []}
    assert (
        checker().problems(
            "GET", "/api/v1/evaluations/7", answer(404, problem, "application/problem+json")
        )
        == []
    )
    assert checker().problems("GET", "/healthz", answer(200, {"status": "ok"})) == []
    assert checker().problems("GET", "/admin/", answer(500, "")) == []  # not the API


def test_an_undocumented_status_content_type_or_body_is_found():
    [status] = checker().problems("GET", "/api/v1/roles", answer(409, {}))
    assert "listRoles" in status and "409" in status
    [media] = checker().problems("GET", "/api/v1/roles", answer(200, {}, "text/html"))
    assert "text/html" in media
    body = checker().problems("GET", "/api/v1/roles", answer(200, {"items": [{"role": 1}]}))
    assert body and all("listRoles" in line for line in body)


def test_a_request_to_no_operation_must_be_a_problem_404_or_405():
    problem = {"type": "about:blank", "title": "t", "status": 405, "detail": "d", "errors": []}
    assert (
        checker().problems(
            "DELETE", "/api/v1/roles", answer(405, problem, "application/problem+json")
        )
        == []
    )
    assert checker().problems("DELETE", "/api/v1/roles", answer(200, {}))
    assert checker().problems(
        "GET", "/api/v1/nothing", answer(404, {"x": 1}, "application/problem+json")
    )


def test_the_api_tests_use_the_checking_client(client, admin_key, publish):
    assert isinstance(client, CheckedClient)
    publish()
    stored = client.post("/api/v1/evaluations", json=submission(), headers=admin_key)
    assert stored.status_code == 201
    for url in ("/api/v1/evaluations/1", "/api/v1/employees/e1/history?role=team_lead"):
        assert client.get(url, headers=admin_key).status_code == 200

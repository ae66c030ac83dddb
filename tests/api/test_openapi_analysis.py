"""The OpenAPI document describes the audit and analysis endpoints, and their answers match it."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.api.analysis_helpers import inputs, rebalanced, store_all

API = "/api/v1"
PATHS = {
    "/rulesets/{role}/diff": "get",
    "/rulesets/{role}/impact": "post",
    "/reports/distribution": "get",
    "/evaluations/export": "get",
    "/periods/{role}/{period}/close": "post",
    "/periods/{role}/{period}/reopen": "post",
    "/periods/{role}/{period}": "get",
    "/periods/{role}": "get",
    "/audit": "get",
}


@pytest.fixture
def openapi(client):
    return client.get("/api/v1/openapi.json").get_json()


def check(openapi, component: str, body) -> None:
    registry = Registry().with_resource(
        "urn:openapi", Resource.from_contents(openapi, default_specification=DRAFT202012)
    )
    schema = {"$ref": f"urn:openapi#/components/schemas/{component}"}
    Draft202012Validator(schema, registry=registry).validate(body)


def test_every_endpoint_is_documented_with_its_request_schema(openapi):
    for path, method in PATHS.items():
        assert method in openapi["paths"][API + path], path
    impact = openapi["paths"][API + "/rulesets/{role}/impact"]["post"]["requestBody"]
    name = impact["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert openapi["components"]["schemas"][name]["required"] == ["period"]
    answer = openapi["paths"][API + "/rulesets/{role}/impact"]["post"]["responses"]["200"]
    name = answer["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "transitions" in openapi["components"]["schemas"][name]["required"]


def test_answers_match_their_documented_schemas(openapi, client, admin_key, publish):
    publish()
    store_all(client, admin_key, {"e1": inputs(90), "e2": inputs(10, 0)})
    publish(rebalanced(), effective_from="2026-Q1")
    api = API

    def get(url):
        response = client.get(api + url, headers=admin_key)
        assert response.status_code == 200
        return response.get_json()

    check(openapi, "Diff", get("/rulesets/team_lead/diff?from=1&to=2"))
    impact = client.post(
        api + "/rulesets/team_lead/impact",
        json={"from": 1, "to": 2, "period": "2025-Q3"},
        headers=admin_key,
    )
    check(openapi, "ImpactReport", impact.get_json())
    check(openapi, "Distribution", get("/reports/distribution?role=team_lead&period=2025-Q3"))
    closed = client.post(api + "/periods/team_lead/2025-Q3/close", headers=admin_key)
    check(openapi, "PeriodState", closed.get_json())
    for item in get("/periods/team_lead")["items"]:
        check(openapi, "ClosedPeriod", item)
    for item in get("/audit")["items"]:
        check(openapi, "AuditEntry", item)

"""Publishing and reading ruleset versions, validation, export, roles."""

from __future__ import annotations

import copy
import hashlib
import json

import yaml

from server.storage import AuditEntry, RulesetVersion
from tests.conftest import error_paths, problem, ruleset_document


def canonical_hash(document):
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_publish_answers_201_with_the_version(client, admin_key):
    document = ruleset_document()
    body = {"document": document, "effective_from": "2025-Q1", "note": "首版"}
    response = client.post("/api/v1/rulesets/team_lead/versions", json=body, headers=admin_key)
    assert response.status_code == 201
    answer = response.get_json()
    assert answer["version"] == 1
    assert answer["hash"] == canonical_hash(document)
    assert answer["effective_from"] == "2025-Q1"
    assert answer["note"] == "首版"
    assert answer["created_by"].endswith(":key0")
    assert answer["created_at"].endswith("Z")


def test_hash_keeps_the_number_form_of_the_document(client, publish):
    document = ruleset_document(precision=2)
    document["indicators"][0]["weight"] = 80.0  # 80.0 stays 80.0 in the canonical JSON
    answer = publish(document)
    assert answer["hash"] == canonical_hash(document)
    assert answer["hash"] != canonical_hash(ruleset_document())


def test_the_same_document_as_the_latest_answers_200_with_that_version(app, publish):
    first = publish()
    again = publish(effective_from="2026-Q1", note="again", status=200)
    assert again["version"] == first["version"] == 1
    assert again["effective_from"] == "2020-Q1"
    with app.app_context():
        assert RulesetVersion.select().count() == 1


def test_versions_are_numbered_one_after_another(publish):
    first = publish()
    second = publish(ruleset_document(name="团队主管 v2"))
    back = publish(ruleset_document(), effective_from="2026-Q1")  # equal to v1, not the latest
    assert [first["version"], second["version"], back["version"]] == [1, 2, 3]


def test_publish_writes_an_audit_entry(app, publish):
    publish(note="首版")
    with app.app_context():
        entry = AuditEntry.get(AuditEntry.action == "ruleset.publish")
    assert (entry.action, entry.target) == ("ruleset.publish", "team_lead/v1")
    assert entry.details["note"] == "首版"
    assert entry.actor == "key:key0"


def test_invalid_document_lists_every_problem_under_document(app, client, admin_key):
    document = ruleset_document()
    document["indicators"][0]["formula"] = "actual_sales / nothing"
    document["indicators"][1]["weight"] = 50  # weights no longer add up to 100
    body = {"document": document, "effective_from": "2025-Q1"}
    response = client.post("/api/v1/rulesets/team_lead/versions", json=body, headers=admin_key)
    paths = error_paths(problem(response, 422))
    assert "/document/indicators/0/formula" in paths
    assert len(paths) >= 2  # the weight sum is reported too
    assert all(p.startswith("/document") for p in paths)
    with app.app_context():
        assert RulesetVersion.select().count() == 0


def test_failing_example_blocks_publishing(client, admin_key):
    document = ruleset_document()
    document["examples"][0]["expect"]["total"] = 99.0
    body = {"document": document, "effective_from": "2025-Q1"}
    response = client.post("/api/v1/rulesets/team_lead/versions", json=body, headers=admin_key)
    assert any(p.startswith("/document/examples/0") for p in error_paths(problem(response, 422)))


def test_document_role_must_match_the_path(client, admin_key):
    body = {"document": ruleset_document(role="other"), "effective_from": "2025-Q1"}
    response = client.post("/api/v1/rulesets/team_lead/versions", json=body, headers=admin_key)
    assert error_paths(problem(response, 422)) == ["/document/role"]


def test_effective_from_must_be_a_period_of_the_rulesets_kind(client, admin_key):
    for period in ("2025-07", "2025", "2025-Q5", "soon"):
        body = {"document": ruleset_document(), "effective_from": period}
        response = client.post("/api/v1/rulesets/team_lead/versions", json=body, headers=admin_key)
        assert error_paths(problem(response, 422)) == ["/effective_from"], period


def test_publish_body_problems(client, admin_key):
    response = client.post(
        "/api/v1/rulesets/team_lead/versions", json={"document": "yaml text"}, headers=admin_key
    )
    assert error_paths(problem(response, 422)) == ["/document", "/effective_from"]


def test_list_and_read_versions(client, read_key, publish):
    publish(note="one")
    publish(ruleset_document(name="v2"), effective_from="2025-Q3", note="two")
    listing = client.get("/api/v1/rulesets/team_lead/versions", headers=read_key).get_json()
    assert [v["version"] for v in listing["items"]] == [1, 2]
    assert listing["next"] is None
    assert set(listing["items"][0]) >= {
        "version",
        "hash",
        "effective_from",
        "note",
        "created_by",
        "created_at",
    }
    assert "document" not in listing["items"][0]
    one = client.get("/api/v1/rulesets/team_lead/versions/2", headers=read_key).get_json()
    assert one["note"] == "two"
    assert one["document"] == ruleset_document(name="v2")


def test_versions_are_paged(client, read_key, publish):
    for n in range(5):
        publish(ruleset_document(name=f"v{n}"))
    seen, cursor = [], None
    while True:
        query = "limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(
            f"/api/v1/rulesets/team_lead/versions?{query}", headers=read_key
        ).get_json()
        seen += [v["version"] for v in page["items"]]
        cursor = page["next"]
        if cursor is None:
            break
        assert len(page["items"]) == 2
    assert seen == [1, 2, 3, 4, 5]


def test_export_gives_the_document_as_yaml(client, read_key, publish):
    document = ruleset_document()
    publish(document)
    response = client.get(
        "/api/v1/rulesets/team_lead/versions/1/export?format=yaml", headers=read_key
    )
    assert response.status_code == 200
    assert "yaml" in response.mimetype
    text = response.get_data(as_text=True)
    assert "团队主管" in text
    assert yaml.safe_load(text) == document
    problem(
        client.get("/api/v1/rulesets/team_lead/versions/1/export?format=xml", headers=read_key), 400
    )


def test_validate_always_answers_200(client, publish_key, app):
    good = client.post(
        "/api/v1/rulesets/validate", json={"document": ruleset_document()}, headers=publish_key
    )
    assert good.status_code == 200
    answer = good.get_json()
    assert (answer["valid"], answer["errors"]) == (True, [])
    assert [w["path"] for w in answer["warnings"]] == [f"/document/rating/{i}" for i in (1, 2, 3)]
    assert answer["coverage"]["ratings"]["fail"] == []  # one example, excellent
    document = ruleset_document()
    document["rating"][0]["min"] = "high"
    bad = client.post("/api/v1/rulesets/validate", json={"document": document}, headers=publish_key)
    assert bad.status_code == 200
    report = bad.get_json()
    assert report["valid"] is False
    assert "/document/rating/0/min" in [e["path"] for e in report["errors"]]
    missing = client.post("/api/v1/rulesets/validate", json={}, headers=publish_key).get_json()
    assert missing["valid"] is False
    assert [e["path"] for e in missing["errors"]] == ["/document"]
    with app.app_context():
        assert RulesetVersion.select().count() == 0


def test_validate_reports_unused_inputs_as_warnings(client, publish_key):
    document = ruleset_document()
    document["inputs"]["unused"] = {"type": "number", "required": False}
    report = client.post(
        "/api/v1/rulesets/validate", json={"document": document}, headers=publish_key
    ).get_json()
    assert report["valid"] is True
    assert "/document/inputs/unused" in [w["path"] for w in report["warnings"]]


def test_roles_name_current_and_latest_version(client, read_key, publish):
    publish(effective_from="2020-Q1")
    publish(ruleset_document(name="将来"), effective_from="2999-Q1")
    other = ruleset_document(role="area_lead", name="区域")
    publish(other, effective_from="2999-Q4")
    roles = client.get("/api/v1/roles", headers=read_key).get_json()
    assert roles == {
        "items": [
            {"role": "area_lead", "name": "区域", "current_version": None, "latest_version": 1},
            {"role": "team_lead", "name": "将来", "current_version": 1, "latest_version": 2},
        ],
        "next": None,
    }


def test_openapi_document_lists_the_endpoints_and_schemas(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    for path in ("/evaluate", "/evaluations", "/evaluations/batch", "/rulesets/{role}/versions"):
        assert "/api/v1" + path in document["paths"]
    submission_ref = document["paths"]["/api/v1/evaluations"]["post"]["requestBody"]["content"][
        "application/json"
    ]["schema"]
    name = submission_ref["$ref"].rsplit("/", 1)[1]
    schema = document["components"]["schemas"][name]
    assert schema["required"] == ["role", "period", "employee_id", "inputs"]
    assert "$ref" not in json.dumps(document).replace('"$ref": "#', "")  # self-contained


def test_published_document_is_immutable_through_the_api(client, admin_key, publish):
    publish()
    original = copy.deepcopy(
        client.get("/api/v1/rulesets/team_lead/versions/1", headers=admin_key).get_json()
    )
    for method in ("put", "patch", "delete"):
        problem(
            getattr(client, method)(
                "/api/v1/rulesets/team_lead/versions/1", json={}, headers=admin_key
            ),
            405,
        )
    assert (
        client.get("/api/v1/rulesets/team_lead/versions/1", headers=admin_key).get_json()
        == original
    )

"""The served OpenAPI document is one a client generator can use: an operationId and a tag on
every operation, every reference a whole component, every route of the app described at the
URL it is served at, and components that accept exactly what the schema files accept."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from server.schemas import REQUEST_SCHEMAS, _component_name, schema_set

ROOT = Path(__file__).resolve().parents[2]
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
COMPONENT_REF = re.compile(r"#/components/schemas/[A-Za-z0-9._-]+")


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return schema_set().openapi


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in refs(value)]
    if isinstance(node, list):
        return [ref for item in node for ref in refs(item)]
    return []


def test_the_served_document_is_the_bundle(client, document):
    assert client.get("/api/v1/openapi.json").get_json() == json.loads(json.dumps(document))


def test_every_operation_has_an_operation_id_a_tag_and_a_summary(document):
    tags = {tag["name"] for tag in document["tags"]}
    ids = []
    for method, path, operation in operations(document):
        assert re.fullmatch(r"[a-z][A-Za-z]+", operation.get("operationId", "")), (method, path)
        assert len(operation.get("tags", [])) == 1 and operation["tags"][0] in tags, path
        assert operation.get("summary"), (method, path)
        ids.append(operation["operationId"])
    assert len(ids) == len(set(ids))
    assert {"evaluate", "storeEvaluation", "storeEvaluationBatch", "publishVersion"} <= set(ids)


def test_every_reference_is_a_whole_component(document):
    components = document["components"]["schemas"]
    for ref in refs(document):
        assert COMPONENT_REF.fullmatch(ref), ref  # never into a schema's properties or $defs
        assert ref.rsplit("/", 1)[1] in components, ref
    assert not [name for name, schema in components.items() if "$defs" in schema]


def rule_shape(rule: str) -> str:
    return re.sub(r"<[^>]+>", "{}", rule)


def test_every_route_is_documented_at_the_url_it_is_served_at(app, document):
    """New endpoints must be added to schemas/openapi.json; each documented path, joined to the
    server URL, is the route's own URL (health at the root, the document under /api/v1)."""
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/admin", "/static", "/r/")) or rule.endpoint == "static":
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            served.add((method.lower(), rule_shape(rule.rule)))
    [server] = document["servers"]
    documented = {
        (method, re.sub(r"\{[^}]+\}", "{}", urljoin("http://host" + server["url"], path)[11:]))
        for method, path, _ in operations(document)
    }
    assert documented == served
    assert ("get", "/healthz") in documented and ("get", "/api/v1/openapi.json") in documented


def default_rulesets() -> list[dict[str, Any]]:
    return [
        yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted((ROOT / "rulesets").glob("*.yaml"))
    ]


def corpus() -> dict[str, list[Any]]:
    """Valid and broken request bodies of each request schema."""
    rulesets = default_rulesets()
    submissions = [
        {
            "role": document["role"],
            "period": example.get("period", "2025-Q3"),
            "employee_id": f"E{i}",
            "inputs": example["inputs"],
        }
        for i, document in enumerate(rulesets)
        for example in document.get("examples", [])
    ]
    bodies: dict[str, list[Any]] = {
        "submission": submissions,
        "evaluate": [{k: v for k, v in s.items() if k != "employee_id"} for s in submissions]
        + [{"period": "2025-Q3", "inputs": {}, "document": rulesets[0]}],
        "batch": [{"items": submissions}],
        "publish": [{"document": d, "effective_from": "2025-Q1", "note": "x"} for d in rulesets],
        "validate": [{"document": d} for d in rulesets],
        "impact": [{"from": 1, "to": 2, "period": "2025-Q3"}, {"document": rulesets[0]}],
        "period-close": [{}, {"reason": "年终"}],
        "period-reopen": [{"reason": "申诉复核"}],
    }
    broken = []
    for name, items in bodies.items():
        for body in items[:2]:
            for key in list(body)[:4]:
                without = {k: v for k, v in body.items() if k != key}
                wrong = {**body, key: ["not", "this"]}
                broken += [(name, without), (name, wrong)]
    for name, body in broken:
        bodies[name].append(body)
    bodies["submission"] += [{**submissions[0], "period": "2025-Q5"}, {**submissions[0], "x": 1}]
    bodies["evaluate"].append({"period": "2025-Q3", "inputs": {}})  # neither role nor document
    return bodies


def test_components_accept_exactly_what_the_schema_files_accept(document):
    """The server validates with the schema files; the document's components say the same."""
    registry = Registry().with_resource(
        "urn:openapi", Resource.from_contents(document, default_specification=DRAFT202012)
    )
    schemas = schema_set()
    checked = 0
    for name, bodies in corpus().items():
        assert name in REQUEST_SCHEMAS
        component = _component_name(f"{name}.schema.json")
        bundled = Draft202012Validator(
            {"$ref": f"urn:openapi#/components/schemas/{component}"}, registry=registry
        )
        for body in bodies:
            assert bundled.is_valid(body) == schemas.validators[name].is_valid(body), (name, body)
            checked += 1
    ruleset = Draft202012Validator(
        {"$ref": "urn:openapi#/components/schemas/Ruleset"}, registry=registry
    )
    files = Draft202012Validator(
        schemas.documents["ruleset.schema.json"],
        registry=Registry().with_resource(
            schemas.documents["ruleset.schema.json"]["$id"],
            Resource.from_contents(schemas.documents["ruleset.schema.json"]),
        ),
    )
    for document_ in default_rulesets():
        variants = [document_]
        for key in ("indicators", "rating", "inputs", "dimensions"):
            broken = copy.deepcopy(document_)
            first = broken[key][0] if isinstance(broken[key], list) else None
            if isinstance(first, dict):
                first["unknown"] = 1
                first.pop("key", None)
            else:
                broken[key] = "x"
            variants.append(broken)
        scoring = copy.deepcopy(document_)
        scoring["indicators"][0]["scoring"] = {"type": "bands", "bands": [{"min": 0}]}
        variants.append(scoring)
        for variant in variants:
            assert ruleset.is_valid(variant) == files.is_valid(variant)
            checked += 1
    assert checked > 60

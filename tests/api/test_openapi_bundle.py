"""The OpenAPI bundler: schema files referenced from openapi.json become components."""

from __future__ import annotations

import pytest

from server.schemas import _bundle


def test_a_schema_file_may_not_replace_a_component_written_in_openapi_json() -> None:
    documents = {
        "openapi.json": {
            "openapi": "3.1.0",
            "paths": {
                "/x": {
                    "post": {
                        "requestBody": {
                            "content": {
                                "application/json": {"schema": {"$ref": "impact.schema.json"}}
                            }
                        }
                    }
                }
            },
            "components": {"schemas": {"Impact": {"type": "object"}}},
        },
        "impact.schema.json": {"type": "object", "properties": {"period": {"type": "string"}}},
    }
    with pytest.raises(ValueError, match="Impact"):
        _bundle(documents)


def test_referenced_schema_files_are_bundled_as_components() -> None:
    documents = {
        "openapi.json": {
            "openapi": "3.1.0",
            "paths": {
                "/x": {
                    "get": {
                        "responses": {
                            "200": {
                                "content": {
                                    "application/json": {"schema": {"$ref": "a-b.schema.json"}}
                                }
                            }
                        }
                    }
                }
            },
        },
        "a-b.schema.json": {
            "$schema": "x",
            "type": "object",
            "$defs": {"n": {"type": "number"}},
            "properties": {"n": {"$ref": "#/$defs/n"}},
        },
    }
    bundled = _bundle(documents)
    components = bundled["components"]["schemas"]
    assert components["AB"] == {
        "type": "object",
        "properties": {"n": {"$ref": "#/components/schemas/ABN"}},
    }
    assert components["ABN"] == {"type": "number"}  # a $defs entry is a component of its own
    ref = bundled["paths"]["/x"]["get"]["responses"]["200"]["content"]["application/json"]
    assert ref["schema"] == {"$ref": "#/components/schemas/AB"}


def test_a_referenced_part_of_another_schema_becomes_a_component_both_use() -> None:
    documents = {
        "openapi.json": {
            "openapi": "3.1.0",
            "paths": {
                "/x": {
                    "post": {
                        "requestBody": {
                            "content": {
                                "application/json": {"schema": {"$ref": "evaluate.schema.json"}}
                            }
                        }
                    }
                },
                "/y": {
                    "post": {
                        "requestBody": {
                            "content": {
                                "application/json": {"schema": {"$ref": "submission.schema.json"}}
                            }
                        }
                    }
                },
            },
        },
        "evaluate.schema.json": {
            "$id": "https://example.test/evaluate.schema.json",
            "type": "object",
            "properties": {
                "role": {"$ref": "submission.schema.json#/properties/role", "description": "d"}
            },
        },
        "submission.schema.json": {
            "$id": "https://example.test/submission.schema.json",
            "type": "object",
            "properties": {"role": {"type": "string", "minLength": 1}},
        },
    }
    components = _bundle(documents)["components"]["schemas"]
    assert components["SubmissionRole"] == {"type": "string", "minLength": 1}
    assert components["Submission"]["properties"]["role"] == {
        "$ref": "#/components/schemas/SubmissionRole"
    }
    assert components["Evaluate"]["properties"]["role"] == {
        "$ref": "#/components/schemas/SubmissionRole",
        "description": "d",
    }
    assert "$id" not in components["Evaluate"]

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
    assert bundled["components"]["schemas"]["AB"]["properties"]["n"] == {
        "$ref": "#/components/schemas/AB/$defs/n"
    }
    ref = bundled["paths"]["/x"]["get"]["responses"]["200"]["content"]["application/json"]
    assert ref["schema"] == {"$ref": "#/components/schemas/AB"}

"""Responses checked against the served OpenAPI document: the status is documented for the
operation, the content type is one documented for that status, and a JSON body matches its
schema (what schemathesis checks for generated requests, here for every request a test makes).

Opt in with `checked(app)` (tests/api/conftest.py does it for every API test): the app's test
client then fails the test at the request whose answer the document does not describe.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from server.schemas import schema_set

API_PREFIX = "/api/v1"
METHODS = {"get", "put", "post", "delete", "patch"}


class ResponseChecker:
    """Finds the operation of a request in the document and checks its response."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = json.loads(json.dumps(document))  # as served: plain JSON
        self.registry = Registry().with_resource(
            "urn:openapi", Resource.from_contents(self.document, default_specification=DRAFT202012)
        )
        [server] = self.document["servers"]
        base = server["url"].rstrip("/")
        routes = []
        for template, item in self.document["paths"].items():
            parts = re.split(r"(\{[^}]+\})", base + template)
            pattern = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
            loose = "".join(".+" if p.startswith("{") else re.escape(p) for p in parts)
            routes.append((template.count("{"), re.compile(pattern), re.compile(loose), item))
        self.routes = sorted(routes, key=lambda route: route[0])  # literal segments win

    @functools.cache  # noqa: B019 - one checker per document, kept for the session
    def validator(self, pointer: str) -> Draft202012Validator:
        return Draft202012Validator({"$ref": f"urn:openapi#{pointer}"}, registry=self.registry)

    def path_item(self, path: str) -> dict[str, Any] | None:
        for strict in (True, False):
            for _, pattern, loose, item in self.routes:
                if (pattern if strict else loose).fullmatch(path):
                    return item
        return None

    def problems(self, method: str, path: str, response: Any) -> list[str]:
        """What the document does not say about this response (empty when it conforms)."""
        method = method.lower()
        if not (path.startswith(API_PREFIX + "/") or path in ("/healthz", "/readyz")):
            return []  # the console and static files are not part of the API
        item = self.path_item(path)
        status = response.status_code
        if item is None or method not in item:
            if method in ("head", "options"):
                return []
            expected = 404 if item is None else 405
            return self.unrouted(response, expected)
        operation = item[method]
        responses = operation["responses"]
        key = next(
            (k for k in (str(status), f"{str(status)[0]}XX", "default") if k in responses), None
        )
        where = f"{operation['operationId']} ({method.upper()} {path}) answered {status}"
        if key is None:
            return [f"{where}, which is not documented (only {', '.join(responses)})"]
        content = responses[key].get("content")
        if not content or method == "head":
            return []
        media_type = response.mimetype
        if media_type not in content:
            return [f"{where} as {media_type}, documented: {', '.join(content)}"]
        if media_type != "application/json" and not media_type.endswith("+json"):
            return []
        schema = content[media_type].get("schema")
        if schema is None:
            return []
        try:
            body = json.loads(response.get_data(as_text=True))
        except ValueError:
            return [f"{where} with a body that is not JSON"]
        pointer = f"/paths/{_escape(self.template_of(item))}/{method}/responses/{key}"
        pointer += f"/content/{_escape(media_type)}/schema"
        errors = list(self.validator(pointer).iter_errors(body))
        return [
            f"{where}: /{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}"
            for e in errors[:5]
        ]

    def template_of(self, item: dict[str, Any]) -> str:
        return next(t for t, i in self.document["paths"].items() if i is item)

    def unrouted(self, response: Any, expected: int) -> list[str]:
        """A request to no documented operation: a problem+json of the status SPEC §5 gives."""
        problem = "/components/schemas/Problem"
        if response.status_code != expected or response.mimetype != "application/problem+json":
            return [f"{response.status_code} {response.mimetype}, not {expected} problem+json"]
        errors = list(self.validator(problem).iter_errors(response.get_json()))
        return [e.message for e in errors[:5]]


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


@functools.cache
def checker() -> ResponseChecker:
    return ResponseChecker(schema_set().openapi)


class CheckedClient(FlaskClient):
    """A test client whose every response must be one the OpenAPI document describes."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        response = super().open(*args, **kwargs)
        request = response.request
        problems = checker().problems(request.method, request.path, response)
        assert not problems, "response not as documented in openapi.json:\n" + "\n".join(problems)
        return response


def checked(app: Flask) -> Flask:
    """Make `app.test_client()` a CheckedClient."""
    app.test_client_class = CheckedClient
    return app

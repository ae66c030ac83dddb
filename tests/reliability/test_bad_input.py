"""The bad-input matrix: every endpoint of the app's URL map, sent malformed, mistyped, oversized
or impossible input, answers the right 4xx as application/problem+json listing every problem
(each `path` a JSON pointer into the body), and never a 5xx.

The tables below name every API endpoint; `test_the_matrix_covers_every_api_endpoint` fails
when a route is added to the app without being added here.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient

from server import create_app, storage
from server.config import TestingConfig
from server.services import api_keys, publishing
from tests.conftest import BACKENDS, _pg_execute, ruleset_document, submission, with_search_path

API = "/api/v1"
JSON = "application/json"
MiB = 1024 * 1024
PATH_VALUES = {
    "role": "team_lead",
    "version": "1",
    "record_id": "1",
    "period": "2025-Q3",
    "employee_id": "e1",
}
SUCCEEDING_PATH_VALUES = {"period": "2024-Q4"}  # closing and reopening leave 2025-Q3 alone

# Endpoints that read a JSON body: True when the body is required, False when it may be left out.
BODY_ENDPOINTS = {
    "evaluations.evaluate": True,
    "evaluations.store": True,
    "evaluations.store_batch": True,
    "rulesets.validate": True,
    "rulesets.publish": True,
    "api_analysis.impact_of": True,
    "api_periods.close": False,
    "api_periods.reopen": False,
}
NO_BODY_ENDPOINTS = {"evaluations.replay"}  # a POST that reads no body
PUBLIC_ENDPOINTS = {"meta.openapi"}  # under /api/v1, no input at all

# A request that succeeds for each endpoint, so that each case below fails for its one fault.
VALID_BODIES: dict[str, Any] = {
    "evaluations.evaluate": submission(),
    "evaluations.store": submission("e2"),
    "evaluations.store_batch": {"items": [submission("e3"), submission("e4")]},
    "rulesets.validate": {"document": ruleset_document()},
    "rulesets.publish": {"document": ruleset_document(), "effective_from": "2020-Q1"},
    "api_analysis.impact_of": {"period": "2025-Q3", "document": ruleset_document()},
    "api_periods.close": {"reason": "month-end"},
    "api_periods.reopen": {"reason": "appeal"},
    "evaluations.replay": None,
}


def api_rules(app: Flask) -> list[tuple[Any, str]]:
    """(rule, method) for every API route."""
    return [
        (rule, method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(API + "/")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]


def url_of(app: Flask, endpoint: str, **values: str) -> tuple[str, str]:
    """(method, URL) of an endpoint, its path parameters from PATH_VALUES unless given."""
    [(rule, method)] = [(r, m) for r, m in api_rules(app) if r.endpoint == endpoint]
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(rf"<(?:[a-z]+:)?{name}>", values.get(name, PATH_VALUES[name]), path)
    return method, path


@pytest.fixture(scope="module", params=BACKENDS)
def shared(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Flask, dict[str, str]]]:
    """One app per backend for the whole module: team_lead v1 (quarterly), one stored result
    (id 1) and a key with every scope. Refused requests change nothing (a test below shows
    it), so every case can share it; the few requests that succeed touch other records."""
    schema = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('bad-input') / 'scorecard.db'}"
    else:
        schema = "t_" + uuid.uuid4().hex[:16]
        base = request.getfixturevalue("pg_database")
        _pg_execute(base, f"CREATE SCHEMA {schema}")
        url = with_search_path(base, schema)
    app = create_app(TestingConfig(url))
    with app.app_context():
        storage.create_tables()
        publishing.publish("team_lead", ruleset_document(), "2020-Q1", "", "test")
        _, key = api_keys.create_key("matrix", ["evaluate", "read", "publish"], "test")
    headers = {"Authorization": f"Bearer {key}"}
    response = app.test_client().post(f"{API}/evaluations", json=submission(), headers=headers)
    assert response.status_code == 201 and response.get_json()["id"] == 1
    yield app, headers
    storage.dispose()
    if schema is not None:
        _pg_execute(base, f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def app(shared: tuple[Flask, dict[str, str]]) -> Flask:
    return shared[0]


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def world(shared: tuple[Flask, dict[str, str]]) -> dict[str, str]:
    """The module's key with every scope."""
    return shared[1]


def send(
    client: FlaskClient,
    app: Flask,
    key: dict[str, str],
    endpoint: str,
    data: bytes | None,
    content_type: str | None = JSON,
    query: str = "",
    **path: str,
) -> Any:
    method, url = url_of(app, endpoint, **path)
    kwargs: dict[str, Any] = {}
    if data is not None:
        kwargs["data"] = data
    if content_type is not None and data is not None:
        kwargs["content_type"] = content_type
    return client.open(url + query, method=method, headers=key, **kwargs)


def assert_problem(response: Any, status: int, paths: list[str] | None) -> dict[str, Any]:
    """A problem+json answer with `status`, listing exactly `paths` (None: not checked)."""
    assert response.status_code < 500, response.get_data(as_text=True)[:1000]
    assert response.status_code == status, response.get_data(as_text=True)[:1000]
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert set(body) == {"type", "title", "status", "detail", "errors"}
    assert body["status"] == status and body["type"].startswith("urn:scorecard:problem:")
    assert body["title"] and body["detail"]
    for error in body["errors"]:
        assert set(error) == {"path", "message"} and error["message"]
        assert error["path"] == "" or error["path"].startswith("/")
    if paths is not None:
        assert sorted(e["path"] for e in body["errors"]) == sorted(paths), body["errors"]
    return body


def test_the_matrix_covers_every_api_endpoint(app: Flask) -> None:
    writes = {rule.endpoint for rule, method in api_rules(app) if method != "GET"}
    assert writes == set(BODY_ENDPOINTS) | NO_BODY_ENDPOINTS, "add the endpoint to the matrix"
    reads = {rule.endpoint for rule, method in api_rules(app) if method == "GET"}
    assert reads == {endpoint for endpoint, *_ in QUERY_CASES} | PUBLIC_ENDPOINTS, (
        "add the endpoint's bad query strings to QUERY_CASES"
    )
    assert {endpoint for endpoint, *_ in CONTENT_CASES} == set(BODY_ENDPOINTS) | NO_BODY_ENDPOINTS


@pytest.mark.parametrize("endpoint", sorted(VALID_BODIES))
def test_the_matrix_starts_from_a_request_that_succeeds(client, app, world, endpoint):
    body = VALID_BODIES[endpoint]
    data = None if body is None else json.dumps(body).encode()
    response = send(client, app, world, endpoint, data, **SUCCEEDING_PATH_VALUES)
    assert response.status_code in (200, 201), response.get_data(as_text=True)[:1000]


# ---------------------------------------------------------------- bodies, whatever the endpoint

# (id, body bytes, content type, status, paths listed)
GENERIC_CASES: list[tuple[str, bytes, str | None, int, list[str] | None]] = [
    ("malformed", b'{"role": ', JSON, 400, [""]),
    ("trailing-garbage", b'{"role": "x"} x', JSON, 400, [""]),
    ("single-quotes", b"{'role': 'x'}", JSON, 400, [""]),
    ("comment", b'{"role": "x" /* no */}', JSON, 400, [""]),
    ("whitespace-only", b" \r\n\t ", JSON, 400, [""]),
    ("array", b"[]", JSON, 400, [""]),
    ("string", b'"text"', JSON, 400, [""]),
    ("null", b"null", JSON, 400, [""]),
    ("number", b"42", JSON, 400, [""]),
    ("boolean", b"true", JSON, 400, [""]),
    ("nan", b'{"a": NaN}', JSON, 400, ["/a"]),
    (
        "non-finite-everywhere",
        b'{"a": Infinity, "b": {"c/d": [1, -Infinity, NaN]}, "e": [{"f": 1e400}]}',
        JSON,
        400,
        ["/a", "/b/c~1d/1", "/b/c~1d/2", "/e/0/f"],
    ),
    ("huge-float", b'{"inputs": {"actual_sales": -1e400}}', JSON, 400, ["/inputs/actual_sales"]),
    ("huge-integer", b'{"version": ' + b"9" * 400 + b"}", JSON, 400, ["/version"]),
    ("very-long-integer", b'{"version": ' + b"9" * 50_000 + b"}", JSON, 400, ["/version"]),
    ("lone-surrogate", b'{"employee_id": "\\ud800"}', JSON, 400, ["/employee_id"]),
    ("lone-surrogate-name", b'{"\\udfff": 1}', JSON, 400, [""]),
    ("invalid-utf8", b'{"employee_id": "\xff\xfe"}', JSON, 400, [""]),
    ("deep-arrays", b"[" * 100_000, JSON, 400, [""]),
    ("deep-objects", b'{"a": ' * 10_000 + b"1" + b"}" * 10_000, JSON, 400, [""]),
    ("text-plain", b"{}", "text/plain", 415, []),
    ("form", b"role=team_lead", "application/x-www-form-urlencoded", 415, []),
    ("multipart", b"--x--", "multipart/form-data; boundary=x", 415, []),
    ("xml", b"<role/>", "application/xml", 415, []),
    ("json-lookalike", b"{}", "application/jsonp", 415, []),
    ("no-content-type", b"{}", None, 415, []),
    ("over-16-mib", b'{"pad": "' + b"x" * (16 * MiB) + b'"}', JSON, 413, []),
]


@pytest.mark.parametrize("endpoint", sorted(BODY_ENDPOINTS))
@pytest.mark.parametrize(
    ("data", "content_type", "status", "paths"),
    [case[1:] for case in GENERIC_CASES],
    ids=[case[0] for case in GENERIC_CASES],
)
def test_bad_body(client, app, world, endpoint, data, content_type, status, paths):
    assert_problem(send(client, app, world, endpoint, data, content_type), status, paths)


@pytest.mark.parametrize("endpoint", sorted(BODY_ENDPOINTS))
def test_empty_body(client, app, world, endpoint):
    response = send(client, app, world, endpoint, b"", **SUCCEEDING_PATH_VALUES)
    if BODY_ENDPOINTS[endpoint]:
        assert_problem(response, 400, [""])
    elif endpoint == "api_periods.reopen":  # may be left out, but a reopen needs its reason
        assert_problem(response, 422, ["/reason"])
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("endpoint", sorted(BODY_ENDPOINTS))
def test_checks_answer_in_order_key_then_media_type_then_size(client, app, world, endpoint):
    # routing, then the key (401), the media type (415), the size (413), the JSON (400)
    oversized = b"{" * (16 * MiB + 1)
    assert_problem(send(client, app, {}, endpoint, oversized, "text/plain"), 401, [])
    assert_problem(send(client, app, world, endpoint, oversized, "text/plain"), 415, [])
    assert_problem(send(client, app, world, endpoint, oversized), 413, [])


# ---------------------------------------------------------------- content, endpoint by endpoint

LONG = "x" * 201
HUGE = "x" * (2 * MiB)
BAD_INPUTS = {"actual_sales": "90", "target_sales": -1, "visits": 2.5, "actul_sales": 1}
BAD_INPUT_PATHS = [
    "/inputs/actual_sales",
    "/inputs/target_sales",
    "/inputs/visits",
    "/inputs/actul_sales",
]


def without(body: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in names}


def submission_cases(endpoint: str) -> list[tuple[str, Any, int, list[str]]]:
    """Cases every submission-shaped endpoint shares (evaluate and store)."""
    return [
        ("empty-object", {}, 422, ["/inputs", "/period", "/role"]
         + (["/employee_id"] if endpoint == "evaluations.store" else [])),
        (
            "wrong-types",
            {"role": 7, "period": 2025, "employee_id": ["e1"], "inputs": "x", "version": "1",
             "reason": False},
            422,
            ["/employee_id", "/inputs", "/period", "/reason", "/role", "/version"],
        ),
        ("unknown-field", {**submission(), "input": {}, "extra": None}, 422, ["/extra", "/input"]),
        ("misspelt-inputs", {**without(submission(), "inputs"), "input": {}}, 422,
         ["/input", "/inputs"]),
        ("period-pattern", submission(period="2025-Q5"), 422, ["/period"]),
        ("period-padded", submission(period=" 2025-Q3"), 422, ["/period"]),
        ("period-newline", submission(period="2025-Q3\n"), 422, ["/period"]),
        ("period-wrong-kind-month", submission(period="2025-07"), 422, ["/period"]),
        ("period-wrong-kind-year", submission(period="2025"), 422, ["/period"]),
        ("period-before-any-version", submission(period="2019-Q4"), 422, ["/period"]),
        ("unknown-role", submission(role="nobody"), 422, ["/role"]),
        ("unknown-version", submission(version=99), 422, ["/version"]),
        ("version-zero", submission(version=0), 422, ["/version"]),
        ("version-over-int32", submission(version=2**31), 422, ["/version"]),
        ("version-float", submission(version=1.5), 422, ["/version"]),
        ("long-employee-id", submission(LONG), 422, ["/employee_id"]),
        ("huge-employee-id", submission(HUGE), 422, ["/employee_id"]),
        ("nul-employee-id", submission("e\x001"), 422, ["/employee_id"]),
        ("empty-employee-id", submission(""), 422, ["/employee_id"]),
        ("huge-reason", submission(reason=HUGE), 422, ["/reason"]),
        ("bad-inputs-all-listed", submission(inputs=BAD_INPUTS), 422, BAD_INPUT_PATHS),
        ("missing-required-input", submission(inputs={"actual_sales": 1}), 422,
         ["/inputs/target_sales"]),
        ("null-required-input", submission(inputs={"actual_sales": None, "target_sales": 1}), 422,
         ["/inputs/actual_sales"]),
        ("boolean-as-number", submission(inputs={"actual_sales": True, "target_sales": 1}), 422,
         ["/inputs/actual_sales"]),
        ("integer-with-exponent", submission(inputs={"actual_sales": 1, "target_sales": 1,
                                                     "visits": 1e2}), 422, ["/inputs/visits"]),
        ("huge-string-input", submission(inputs={"actual_sales": HUGE, "target_sales": 1}), 422,
         ["/inputs/actual_sales"]),
        # finite inputs whose arithmetic overflows: the indicator is named at /inputs
        ("overflowing-computation",
         submission(inputs={"actual_sales": 1e308, "target_sales": 1e-308}), 422, ["/inputs"]),
        ("division-by-zero", submission(inputs={"actual_sales": 1, "target_sales": 0}), 422,
         ["/inputs"]),
        ("inputs-array", submission(inputs=[1, 2]), 422, ["/inputs"]),
        ("many-unknown-inputs", submission(inputs={f"i{n}": n for n in range(3)}), 422,
         ["/inputs/actual_sales", "/inputs/i0", "/inputs/i1", "/inputs/i2",
          "/inputs/target_sales"]),
    ]  # fmt: skip


# (endpoint, id, body, status, paths); a body of None is sent as no body at all
CONTENT_CASES: list[tuple[str, str, Any, int, list[str]]] = [
    *[("evaluations.evaluate", *case) for case in submission_cases("evaluations.evaluate")],
    ("evaluations.evaluate", "draft-and-version", {**submission(version=1),
     "document": ruleset_document()}, 422, ["/version"]),
    ("evaluations.evaluate", "draft-of-another-role", {**submission(role="other"),
     "document": ruleset_document()}, 422, ["/role"]),
    ("evaluations.evaluate", "invalid-draft", {**submission(),
     "document": ruleset_document(indicators=[])}, 422, ["/document/indicators"]),
    ("evaluations.evaluate", "draft-not-an-object", {**submission(), "document": [1]}, 422,
     ["/document"]),
    *[("evaluations.store", *case) for case in submission_cases("evaluations.store")],
    ("evaluations.store", "new-revision-without-reason",
     submission(inputs={"actual_sales": 91, "target_sales": 100}), 422, ["/reason"]),
    ("evaluations.store", "new-revision-empty-reason",
     submission(inputs={"actual_sales": 91, "target_sales": 100}, reason=""), 422, ["/reason"]),
    ("evaluations.store_batch", "empty-object", {}, 422, ["/items"]),
    ("evaluations.store_batch", "items-not-a-list", {"items": {"0": submission()}}, 422,
     ["/items"]),
    ("evaluations.store_batch", "no-items", {"items": []}, 422, ["/items"]),
    ("evaluations.store_batch", "unknown-field", {"items": [submission("b")], "all": True}, 422,
     ["/all"]),
    ("evaluations.store_batch", "item-not-an-object", {"items": [submission("b"), 7]}, 422,
     ["/items/1"]),
    (
        "evaluations.store_batch",
        "every-item-problem-listed",
        {"items": [submission("b0"), submission("b1", period="2025-07"), {"role": "team_lead"},
                   submission("b3", inputs=BAD_INPUTS), submission("b4", role="nobody")]},
        422,
        ["/items/1/period", "/items/2/employee_id", "/items/2/inputs", "/items/2/period",
         *[f"/items/3{p}" for p in BAD_INPUT_PATHS], "/items/4/role"],
    ),
    ("evaluations.store_batch", "over-10000-items",
     {"items": [submission(f"b{n}") for n in range(10_001)]}, 413, []),
    ("rulesets.validate", "empty-object", {}, 200, ["/document"]),
    ("rulesets.validate", "document-not-an-object", {"document": "role: x"}, 200, ["/document"]),
    ("rulesets.validate", "unknown-field", {"document": ruleset_document(), "x": 1}, 200, ["/x"]),
    ("rulesets.validate", "invalid-document",
     {"document": ruleset_document(indicators=[], rating="x", period="week")}, 200,
     ["/document/indicators", "/document/period", "/document/rating",
      "/document/streaks/0/rating"]),
    ("rulesets.publish", "empty-object", {}, 422, ["/document", "/effective_from"]),
    ("rulesets.publish", "wrong-types", {"document": [], "effective_from": 2020, "note": 1}, 422,
     ["/document", "/effective_from", "/note"]),
    ("rulesets.publish", "unknown-field", {**VALID_BODIES["rulesets.publish"], "version": 2},
     422, ["/version"]),
    ("rulesets.publish", "effective-from-wrong-kind",
     {"document": ruleset_document(name="新"), "effective_from": "2025-07"}, 422,
     ["/effective_from"]),
    ("rulesets.publish", "document-of-another-role",
     {"document": ruleset_document("other"), "effective_from": "2020-Q1"}, 422,
     ["/document/role"]),
    ("rulesets.publish", "invalid-document",
     {"document": ruleset_document(indicators=[]), "effective_from": "2020-Q1"}, 422,
     ["/document/indicators"]),
    ("rulesets.publish", "huge-note",
     {"document": ruleset_document(name="新"), "effective_from": "2020-Q1", "note": HUGE}, 422,
     ["/note"]),
    ("api_analysis.impact_of", "empty-object", {}, 422, ["/period"]),
    ("api_analysis.impact_of", "wrong-types", {"period": 3, "from": "1", "to": 1.5,
     "document": 1}, 422, ["/document", "/from", "/period", "/to"]),
    ("api_analysis.impact_of", "unknown-field", {"period": "2025-Q3", "to": 1, "x": 1}, 422,
     ["/x"]),
    ("api_analysis.impact_of", "period-wrong-kind-for-draft", {"period": "2025-07",
     "document": ruleset_document()}, 422, ["/period"]),
    ("api_analysis.impact_of", "version-of-another-kind", {"period": "2025-07", "to": 1}, 422,
     ["/to"]),
    ("api_analysis.impact_of", "both-version-and-draft", {"period": "2025-Q3", "to": 1,
     "document": ruleset_document()}, 422, ["/to"]),
    ("api_analysis.impact_of", "unknown-version", {"period": "2025-Q3", "to": 99}, 422, ["/to"]),
    ("api_analysis.impact_of", "invalid-draft", {"period": "2025-Q3",
     "document": ruleset_document(indicators=[])}, 422, ["/document/indicators"]),
    ("api_periods.close", "wrong-type", {"reason": 7}, 422, ["/reason"]),
    ("api_periods.close", "unknown-field", {"reason": "r", "closed": True}, 422, ["/closed"]),
    ("api_periods.close", "huge-reason", {"reason": HUGE}, 422, ["/reason"]),
    ("api_periods.reopen", "no-reason", {}, 422, ["/reason"]),
    ("api_periods.reopen", "empty-reason", {"reason": ""}, 422, ["/reason"]),
    ("api_periods.reopen", "nul-reason", {"reason": "a\x00b"}, 422, ["/reason"]),
    ("evaluations.replay", "revision-not-a-number", "?revision=abc", 400, []),
    ("evaluations.replay", "unknown-revision", "?revision=99", 404, []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("endpoint", "body", "status", "paths"),
    [(c[0], *c[2:]) for c in CONTENT_CASES],
    ids=[f"{c[0]}-{c[1]}" for c in CONTENT_CASES],
)
def test_bad_content(client, app, world, endpoint, body, status, paths):
    if isinstance(body, str):  # a query string for an endpoint without a body
        response = send(client, app, world, endpoint, None, query=body)
    else:
        response = send(client, app, world, endpoint, json.dumps(body).encode())
    if status == 200:  # /rulesets/validate reports problems in a 200 answer
        assert response.status_code == 200, response.get_data(as_text=True)[:1000]
        answer = response.get_json()
        assert answer["valid"] is False
        assert sorted(e["path"] for e in answer["errors"]) == sorted(paths), answer["errors"]
        return
    assert_problem(response, status, paths)


def test_a_refused_write_stores_nothing(client, app, world):
    before = client.get(f"{API}/evaluations", headers=world).get_json()["items"]
    for endpoint, _, body, status, _ in CONTENT_CASES:
        if endpoint.startswith("evaluations.store") and status >= 400:
            send(client, app, world, endpoint, json.dumps(body).encode())
    assert client.get(f"{API}/evaluations", headers=world).get_json()["items"] == before


# ---------------------------------------------------------------- paths and query strings

# (endpoint, id, path parameters, query string, status, paths)
QUERY_CASES: list[tuple[str, str, dict[str, str], str, int, list[str]]] = [
    ("meta.roles", "limit-zero", {}, "?limit=0", 400, []),
    ("meta.roles", "cursor-forged", {}, "?cursor=WzEsMl0", 400, []),
    ("rulesets.list_versions", "unknown-role", {"role": "nobody"}, "", 404, []),
    ("rulesets.list_versions", "limit-text", {}, "?limit=ten", 400, []),
    ("rulesets.get_version", "unknown-version", {"version": "99"}, "", 404, []),
    ("rulesets.get_version", "huge-version", {"version": "9" * 40}, "", 404, []),
    ("rulesets.get_version", "version-not-a-number", {"version": "v1"}, "", 404, []),
    ("rulesets.get_version", "unknown-role", {"role": "nobody"}, "", 404, []),
    ("rulesets.export_version", "unknown-format", {}, "?format=xml", 400, []),
    ("rulesets.export_version", "unknown-version", {"version": "2"}, "", 404, []),
    ("evaluations.list_evaluations", "limit-negative", {}, "?limit=-1", 400, []),
    ("evaluations.list_evaluations", "limit-exponent", {}, "?limit=1e3", 400, []),
    ("evaluations.list_evaluations", "cursor-garbage", {}, "?cursor=%%%", 400, []),
    ("evaluations.list_evaluations", "nul-filter", {}, "?employee_id=a%00b", 400, []),
    ("evaluations.get_evaluation", "unknown-id", {"record_id": "99"}, "", 404, []),
    ("evaluations.get_evaluation", "huge-id", {"record_id": "9" * 40}, "", 404, []),
    ("evaluations.get_evaluation", "negative-id", {"record_id": "-1"}, "", 404, []),
    ("evaluations.employee_history", "nul-id", {"employee_id": "a%00b"}, "", 400, []),
    ("evaluations.employee_history", "limit-zero", {}, "?limit=0", 400, []),
    ("api_analysis.export", "missing-role-and-period", {}, "", 422, ["/period", "/role"]),
    ("api_analysis.export", "unknown-format", {}, "?role=team_lead&period=2025-Q3&format=pdf",
     400, []),
    ("api_analysis.distribution", "missing-role-and-period", {}, "", 422, ["/period", "/role"]),
    ("api_analysis.diff", "missing-versions", {}, "", 422, ["/from", "/to"]),
    ("api_analysis.diff", "not-numbers", {}, "?from=a&to=1.5", 422, ["/from", "/to"]),
    ("api_analysis.diff", "unknown-version", {}, "?from=1&to=99", 404, []),
    ("api_analysis.diff", "unknown-role", {"role": "nobody"}, "?from=1&to=1", 404, []),
    ("api_periods.get_period", "wrong-kind", {"period": "2025-07"}, "", 404, []),
    ("api_periods.get_period", "not-a-period", {"period": "Q3-2025"}, "", 404, []),
    ("api_periods.get_period", "unknown-role", {"role": "nobody"}, "", 404, []),
    ("api_periods.closed_periods", "unknown-role", {"role": "nobody"}, "", 404, []),
    ("api_periods.closed_periods", "cursor-garbage", {}, "?cursor=abc", 400, []),
    ("api_audit.audit_log", "since-not-a-time", {}, "?since=yesterday", 422, ["/since"]),
    ("api_audit.audit_log", "limit-text", {}, "?limit=x", 400, []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("endpoint", "path", "query", "status", "paths"),
    [(c[0], *c[2:]) for c in QUERY_CASES],
    ids=[f"{c[0]}-{c[1]}" for c in QUERY_CASES],
)
def test_bad_path_or_query(client, app, world, endpoint, path, query, status, paths):
    response = send(client, app, world, endpoint, None, query=query, **path)
    assert_problem(response, status, paths)


@pytest.mark.parametrize("argument", ["role", "version", "record_id", "period"])
def test_unknown_things_in_any_path_are_404(client, app, world, argument):
    # every route with the argument, whatever its method: 404 before the body is looked at
    unknown = {"role": "nobody", "version": "99", "record_id": "99", "period": "2025-Q9"}
    routes = [
        (rule, method)
        for rule, method in api_rules(app)
        if argument in rule.arguments and rule.endpoint != "rulesets.publish"
    ]
    assert routes
    for rule, method in routes:
        body = VALID_BODIES.get(rule.endpoint)
        data = json.dumps(body).encode() if body is not None and method != "GET" else None
        response = send(client, app, world, rule.endpoint, data, **{argument: unknown[argument]})
        assert_problem(response, 404, [])


def test_publishing_under_a_new_role_is_not_404_but_needs_the_role_in_the_document(
    client, app, world
):
    body = json.dumps(VALID_BODIES["rulesets.publish"]).encode()
    response = send(client, app, world, "rulesets.publish", body, role="nobody")
    assert_problem(response, 422, ["/document/role"])


@pytest.mark.parametrize("employee_id", ["a\nb", "\n", "x/y\r\n/z", "名 字", "%2F", "a?b#c"])
def test_any_employee_id_that_can_be_stored_can_be_named_in_a_url(client, world, employee_id):
    stored = client.post(f"{API}/evaluations", json=submission(employee_id), headers=world)
    assert stored.status_code == 201, stored.get_data(as_text=True)
    url = f"{API}/employees/{quote(employee_id, safe='')}/history"
    items = client.get(url, headers=world).get_json()["items"]
    assert [item["period"] for item in items] == ["2025-Q3"]

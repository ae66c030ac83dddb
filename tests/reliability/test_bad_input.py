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
from server.services import api_keys, proposals, publishing
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
    "appeal_id": "2",  # the `world`'s appeal that stays open (1 is decided by the matrix)
    "proposal_id": "2",  # a pending proposal of the `world` that nothing decides
}
# Plans are set for a role with a `source: plan` input (team_lead has none).
ENDPOINT_PATH_VALUES = {
    endpoint: {"role": "planned", "employee_id": "p1"}
    for endpoint in ("api_plans.put_plan", "api_plans.get_plan", "api_plans.acknowledge")
}
# Path parameters of the requests that succeed: closing and reopening leave 2025-Q3 alone, and
# each decision takes an appeal or proposal of its own (the `world` fixture sets them up).
SUCCEEDING_PATH_VALUES = {
    "api_periods.close": {"period": "2024-Q4"},
    "api_periods.reopen": {"period": "2024-Q4"},
    "reviews.resolve_appeal": {"appeal_id": "1"},
    "api_proposals.approve": {"proposal_id": "1"},
    "api_proposals.reject": {"proposal_id": "3"},
}
EMPTY_BODY_PATH_VALUES = {**SUCCEEDING_PATH_VALUES, "api_proposals.approve": {"proposal_id": "4"}}


def planned_document() -> dict[str, Any]:
    """team_lead's ruleset under the role `planned`, its target set in the period plan."""
    document = ruleset_document("planned")
    document["inputs"]["target_sales"]["source"] = "plan"
    return document


def plan_item(employee_id: str, **overrides: Any) -> dict[str, Any]:
    item = {"role": "planned", "period": "2025-Q3", "employee_id": employee_id}
    return {**item, "inputs": {"target_sales": 100}, **overrides}


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
    "api_plans.put_plan": True,
    "api_plans.acknowledge": True,
    "api_plans.store_batch": True,
    "reviews.put_feedback": True,
    "reviews.acknowledge": True,
    "reviews.open_appeal": True,
    "reviews.resolve_appeal": True,
    "reviews.share": False,
    "api_proposals.propose": True,
    "api_proposals.approve": False,
    "api_proposals.reject": True,
    "tracking.store_snapshot": True,
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
    "api_plans.put_plan": {"inputs": {"target_sales": 100}},  # as stored: 200
    "api_plans.acknowledge": {"by": "p1"},
    "api_plans.store_batch": {"items": [plan_item("p2"), plan_item("p3")]},
    "reviews.put_feedback": {
        "revision": 1,
        "strengths": ["拜访认真"],
        "improvements": ["销售额"],
        "actions": [{"action": "每周复盘", "due": "2025-10-31"}],
        "by": "manager",
    },
    "reviews.acknowledge": {"revision": 1, "by": "e1", "comment": "已阅"},
    "reviews.open_appeal": {
        "revision": 1,
        "indicator": "sales_attainment",
        "text": "t",
        "by": "e1",
    },
    "reviews.resolve_appeal": {"decision": "rejected", "reason": "figures checked", "by": "hr"},
    "reviews.share": {"expires_in_days": 7},
    "api_proposals.propose": {"document": ruleset_document(), "effective_from": "2020-Q1"},
    "api_proposals.approve": {"note": "ok"},
    "api_proposals.reject": {"reason": "not now"},
    "tracking.store_snapshot": {**submission("t1"), "as_of": "2025-08-15"},
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
    """(method, URL) of an endpoint, its path parameters from ENDPOINT_PATH_VALUES or else
    PATH_VALUES unless given."""
    [(rule, method)] = [(r, m) for r, m in api_rules(app) if r.endpoint == endpoint]
    path = rule.rule
    defaults = {**PATH_VALUES, **ENDPOINT_PATH_VALUES.get(endpoint, {})}
    for name in rule.arguments:
        path = re.sub(rf"<(?:[a-z]+:)?{name}>", values.get(name, defaults[name]), path)
    return method, path


@pytest.fixture(scope="module", params=BACKENDS)
def shared(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Flask, dict[str, str]]]:
    """One app per backend for the whole module: team_lead v1 (quarterly), one stored result
    (id 1) with two appeals against it (1 and 2), `planned` v1 with an acknowledged plan for
    p1 in 2025-Q3, four pending proposals of another actor (1-4) and a key with every scope.
    Refused requests change nothing (a test below shows it), so every case can share it; the
    few requests that succeed touch other records, or decide appeal 1 and proposals 1, 3, 4."""
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
        publishing.publish("planned", planned_document(), "2020-Q1", "", "test")
        _, key = api_keys.create_key("matrix", list(api_keys.SCOPES), "test")
        for n in range(1, 5):  # approved by another actor than their proposer
            row = proposals.propose("team_lead", ruleset_document(), "2020-Q1", "", "proposer")
            assert row.id == n
    headers = {"Authorization": f"Bearer {key}"}
    client = app.test_client()
    response = client.post(f"{API}/evaluations", json=submission(), headers=headers)
    assert response.status_code == 201 and response.get_json()["id"] == 1
    for n in (1, 2):
        appeal = {"revision": 1, "text": "请复核", "by": "e1"}
        response = client.post(f"{API}/evaluations/1/appeals", json=appeal, headers=headers)
        assert response.status_code == 201 and response.get_json()["id"] == n
    plan = f"{API}/plans/planned/2025-Q3/p1"
    response = client.put(plan, json=VALID_BODIES["api_plans.put_plan"], headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    response = client.post(f"{plan}/acknowledge", json={"by": "p1"}, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
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
    response = send(client, app, world, endpoint, data, **SUCCEEDING_PATH_VALUES.get(endpoint, {}))
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
    path = EMPTY_BODY_PATH_VALUES.get(endpoint, {})
    response = send(client, app, world, endpoint, b"", **path)
    if BODY_ENDPOINTS[endpoint]:
        assert_problem(response, 400, [""])
    elif endpoint == "api_periods.reopen":  # may be left out, but a reopen needs its reason
        assert_problem(response, 422, ["/reason"])
    else:
        assert response.status_code in (200, 201), response.get_data(as_text=True)[:1000]


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


def tracking_cases() -> list[tuple[str, Any, int, list[str]]]:
    """The submission cases, sent as a snapshot as of a day of the period."""
    cases = []
    for name, body, status, paths in submission_cases("evaluations.store"):
        if name == "empty-object":
            paths = [*paths, "/as_of"]
        elif isinstance(body, dict):
            body = {**body, "as_of": "2025-08-15"}
        cases.append((name, body, status, paths))
    return cases


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
    *[("tracking.store_snapshot", *case) for case in tracking_cases()],
    ("tracking.store_snapshot", "as-of-missing", without(VALID_BODIES["tracking.store_snapshot"],
     "as_of"), 422, ["/as_of"]),
    ("tracking.store_snapshot", "as-of-not-a-date", {**VALID_BODIES["tracking.store_snapshot"],
     "as_of": "15.08.2025"}, 422, ["/as_of"]),
    ("tracking.store_snapshot", "as-of-impossible-day", {**VALID_BODIES["tracking.store_snapshot"],
     "as_of": "2025-08-32"}, 422, ["/as_of"]),
    ("tracking.store_snapshot", "as-of-february-30", {**VALID_BODIES["tracking.store_snapshot"],
     "as_of": "2025-02-30"}, 422, ["/as_of"]),
    ("tracking.store_snapshot", "as-of-outside-the-period",
     {**VALID_BODIES["tracking.store_snapshot"], "as_of": "2025-10-01"}, 422, ["/as_of"]),
    ("tracking.store_snapshot", "as-of-a-number", {**VALID_BODIES["tracking.store_snapshot"],
     "as_of": 20250815}, 422, ["/as_of"]),
    ("tracking.store_snapshot", "what-it-takes-not-a-boolean",
     {**VALID_BODIES["tracking.store_snapshot"], "what_it_takes": "yes"}, 422, ["/what_it_takes"]),
    ("api_plans.put_plan", "empty-object", {}, 422, ["/inputs"]),
    ("api_plans.put_plan", "wrong-types", {"inputs": [100], "reason": 1}, 422,
     ["/inputs", "/reason"]),
    ("api_plans.put_plan", "unknown-field", {"inputs": {}, "version": 1}, 422, ["/version"]),
    ("api_plans.put_plan", "submission-input", {"inputs": {"actual_sales": 90}}, 422,
     ["/inputs/actual_sales"]),
    ("api_plans.put_plan", "bad-inputs-all-listed",
     {"inputs": {"target_sales": -1, "actual_sales": 1, "target_sale": 1}, "reason": "r"}, 422,
     ["/inputs/actual_sales", "/inputs/target_sale", "/inputs/target_sales"]),
    ("api_plans.put_plan", "string-as-number", {"inputs": {"target_sales": "100"},
     "reason": "r"}, 422, ["/inputs/target_sales"]),
    ("api_plans.put_plan", "boolean-as-number", {"inputs": {"target_sales": True},
     "reason": "r"}, 422, ["/inputs/target_sales"]),
    ("api_plans.put_plan", "overflowing-number", {"inputs": {"target_sales": 1e308 * 10},
     "reason": "r"}, 400, ["/inputs/target_sales"]),
    ("api_plans.put_plan", "acknowledged-changed-without-reason",
     {"inputs": {"target_sales": 120}}, 422, ["/reason"]),
    ("api_plans.put_plan", "empty-reason", {"inputs": {"target_sales": 120}, "reason": ""}, 422,
     ["/reason"]),
    ("api_plans.put_plan", "huge-reason", {"inputs": {"target_sales": 120}, "reason": HUGE}, 422,
     ["/reason"]),
    ("api_plans.put_plan", "nul-reason", {"inputs": {"target_sales": 120}, "reason": "a\x00"},
     422, ["/reason"]),
    ("api_plans.acknowledge", "empty-object", {}, 422, ["/by"]),
    ("api_plans.acknowledge", "wrong-type", {"by": ["p1"]}, 422, ["/by"]),
    ("api_plans.acknowledge", "empty-by", {"by": ""}, 422, ["/by"]),
    ("api_plans.acknowledge", "long-by", {"by": LONG}, 422, ["/by"]),
    ("api_plans.acknowledge", "unknown-field", {"by": "p1", "revision": 1}, 422, ["/revision"]),
    ("api_plans.store_batch", "empty-object", {}, 422, ["/items"]),
    ("api_plans.store_batch", "items-not-a-list", {"items": {"0": plan_item("b")}}, 422,
     ["/items"]),
    ("api_plans.store_batch", "unknown-field", {"items": [plan_item("b")], "all": True}, 422,
     ["/all"]),
    ("api_plans.store_batch", "item-not-an-object", {"items": [plan_item("b"), 7]}, 422,
     ["/items/1"]),
    (
        "api_plans.store_batch",
        "every-item-problem-listed",
        {"items": [plan_item("b0"), plan_item("b1", period="2025-07"), {"role": "planned"},
                   plan_item("b3", inputs={"target_sales": -1, "actual_sales": 1}),
                   plan_item("b4", role="nobody"), plan_item("b5", period="2019-Q4"),
                   plan_item(LONG), plan_item("b7", extra=1)]},
        422,
        ["/items/1/period", "/items/2/employee_id", "/items/2/inputs", "/items/2/period",
         "/items/3/inputs/actual_sales", "/items/3/inputs/target_sales", "/items/4/role",
         "/items/5", "/items/6/employee_id", "/items/7/extra"],
    ),
    ("api_plans.store_batch", "over-10000-items",
     {"items": [plan_item(f"b{n}") for n in range(10_001)]}, 413, []),
    ("reviews.put_feedback", "empty-object", {}, 422,
     ["/actions", "/by", "/improvements", "/revision", "/strengths"]),
    ("reviews.put_feedback", "wrong-types", {"revision": "1", "strengths": "s",
     "improvements": [1], "actions": [{"action": "a", "due": 20251031}], "by": None}, 422,
     ["/actions/0/due", "/by", "/improvements/0", "/revision", "/strengths"]),
    ("reviews.put_feedback", "unknown-field", {**VALID_BODIES["reviews.put_feedback"],
     "score": 1}, 422, ["/score"]),
    ("reviews.put_feedback", "empty-and-huge-texts", {**VALID_BODIES["reviews.put_feedback"],
     "strengths": ["", "x" * 2001], "improvements": ["a\x00"]}, 422,
     ["/improvements/0", "/strengths/0", "/strengths/1"]),
    ("reviews.put_feedback", "impossible-due-dates", {**VALID_BODIES["reviews.put_feedback"],
     "actions": [{"action": "a", "due": "2025-02-30"}, {"action": "b", "due": "2025-13-01"}]},
     422, ["/actions/0/due", "/actions/1/due"]),
    ("reviews.put_feedback", "action-without-due", {**VALID_BODIES["reviews.put_feedback"],
     "actions": [{"action": "a"}]}, 422, ["/actions/0/due"]),
    ("reviews.put_feedback", "unknown-revision", {**VALID_BODIES["reviews.put_feedback"],
     "revision": 99}, 422, ["/revision"]),
    ("reviews.put_feedback", "revision-zero", {**VALID_BODIES["reviews.put_feedback"],
     "revision": 0}, 422, ["/revision"]),
    ("reviews.put_feedback", "revision-over-int32", {**VALID_BODIES["reviews.put_feedback"],
     "revision": 2**31}, 422, ["/revision"]),
    ("reviews.acknowledge", "empty-object", {}, 422, ["/by", "/revision"]),
    ("reviews.acknowledge", "wrong-types", {"revision": 1.5, "by": 1, "comment": []}, 422,
     ["/by", "/comment", "/revision"]),
    ("reviews.acknowledge", "empty-comment", {"revision": 1, "by": "e1", "comment": ""}, 422,
     ["/comment"]),
    ("reviews.acknowledge", "long-by", {"revision": 1, "by": LONG}, 422, ["/by"]),
    ("reviews.acknowledge", "unknown-revision", {"revision": 99, "by": "e1"}, 422, ["/revision"]),
    ("reviews.acknowledge", "unknown-field", {"revision": 1, "by": "e1", "at": "now"}, 422,
     ["/at"]),
    ("reviews.open_appeal", "empty-object", {}, 422, ["/by", "/revision", "/text"]),
    ("reviews.open_appeal", "wrong-types", {"revision": True, "indicator": 1, "text": 2,
     "by": 3}, 422, ["/by", "/indicator", "/revision", "/text"]),
    ("reviews.open_appeal", "unknown-indicator", {**VALID_BODIES["reviews.open_appeal"],
     "indicator": "sales"}, 422, ["/indicator"]),
    ("reviews.open_appeal", "huge-text", {**VALID_BODIES["reviews.open_appeal"], "text": HUGE},
     422, ["/text"]),
    ("reviews.open_appeal", "empty-text", {**VALID_BODIES["reviews.open_appeal"], "text": ""},
     422, ["/text"]),
    ("reviews.open_appeal", "unknown-revision", {**VALID_BODIES["reviews.open_appeal"],
     "revision": 99}, 422, ["/revision"]),
    ("reviews.open_appeal", "unknown-field", {**VALID_BODIES["reviews.open_appeal"],
     "state": "open"}, 422, ["/state"]),
    ("reviews.resolve_appeal", "empty-object", {}, 422, ["/by", "/decision", "/reason"]),
    ("reviews.resolve_appeal", "unknown-decision", {**VALID_BODIES["reviews.resolve_appeal"],
     "decision": "maybe"}, 422, ["/decision"]),
    ("reviews.resolve_appeal", "upheld-without-inputs",
     {**VALID_BODIES["reviews.resolve_appeal"], "decision": "upheld"}, 422, ["/inputs"]),
    ("reviews.resolve_appeal", "upheld-inputs-not-an-object",
     {**VALID_BODIES["reviews.resolve_appeal"], "decision": "upheld", "inputs": [1]}, 422,
     ["/inputs"]),
    ("reviews.resolve_appeal", "upheld-bad-inputs-all-listed",
     {**VALID_BODIES["reviews.resolve_appeal"], "decision": "upheld", "inputs": BAD_INPUTS},
     422, BAD_INPUT_PATHS),
    ("reviews.resolve_appeal", "upheld-same-inputs",
     {**VALID_BODIES["reviews.resolve_appeal"], "decision": "upheld",
      "inputs": submission()["inputs"]}, 422, ["/inputs"]),
    ("reviews.resolve_appeal", "empty-reason", {**VALID_BODIES["reviews.resolve_appeal"],
     "reason": ""}, 422, ["/reason"]),
    ("reviews.resolve_appeal", "unknown-field", {**VALID_BODIES["reviews.resolve_appeal"],
     "revision": 2}, 422, ["/revision"]),
    ("reviews.share", "zero-days", {"expires_in_days": 0}, 422, ["/expires_in_days"]),
    ("reviews.share", "too-many-days", {"expires_in_days": 61}, 422, ["/expires_in_days"]),
    ("reviews.share", "days-as-text", {"expires_in_days": "7"}, 422, ["/expires_in_days"]),
    ("reviews.share", "days-fractional", {"expires_in_days": 7.5}, 422, ["/expires_in_days"]),
    ("reviews.share", "days-huge", {"expires_in_days": 10**300}, 422, ["/expires_in_days"]),
    ("reviews.share", "unknown-field", {"expires_in_days": 7, "revision": 1}, 422,
     ["/revision"]),
    ("api_proposals.propose", "empty-object", {}, 422, ["/document", "/effective_from"]),
    ("api_proposals.propose", "wrong-types", {"document": [], "effective_from": 2020, "note": 1},
     422, ["/document", "/effective_from", "/note"]),
    ("api_proposals.propose", "unknown-field", {**VALID_BODIES["api_proposals.propose"],
     "state": "approved"}, 422, ["/state"]),
    ("api_proposals.propose", "effective-from-wrong-kind",
     {"document": ruleset_document(name="新"), "effective_from": "2025-07"}, 422,
     ["/effective_from"]),
    ("api_proposals.propose", "document-of-another-role",
     {"document": ruleset_document("other"), "effective_from": "2020-Q1"}, 422,
     ["/document/role"]),
    ("api_proposals.propose", "invalid-document",
     {"document": ruleset_document(indicators=[]), "effective_from": "2020-Q1"}, 422,
     ["/document/indicators"]),
    ("api_proposals.propose", "huge-note",
     {"document": ruleset_document(name="新"), "effective_from": "2020-Q1", "note": HUGE}, 422,
     ["/note"]),
    ("api_proposals.approve", "wrong-type", {"note": 1}, 422, ["/note"]),
    ("api_proposals.approve", "huge-note", {"note": HUGE}, 422, ["/note"]),
    ("api_proposals.approve", "unknown-field", {"note": "ok", "version": 2}, 422, ["/version"]),
    ("api_proposals.reject", "empty-object", {}, 422, ["/reason"]),
    ("api_proposals.reject", "wrong-type", {"reason": ["no"]}, 422, ["/reason"]),
    ("api_proposals.reject", "empty-reason", {"reason": ""}, 422, ["/reason"]),
    ("api_proposals.reject", "blank-reason", {"reason": " \t\n"}, 422, ["/reason"]),
    ("api_proposals.reject", "huge-reason", {"reason": HUGE}, 422, ["/reason"]),
    ("api_proposals.reject", "unknown-field", {"reason": "no", "state": "rejected"}, 422,
     ["/state"]),
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
    ("api_plans.list_plans", "acknowledged-maybe", {}, "?acknowledged=maybe", 422,
     ["/acknowledged"]),
    ("api_plans.list_plans", "acknowledged-capitalised", {}, "?acknowledged=True", 422,
     ["/acknowledged"]),
    ("api_plans.list_plans", "limit-zero", {}, "?limit=0", 400, []),
    ("api_plans.list_plans", "cursor-garbage", {}, "?cursor=%%%", 400, []),
    ("api_plans.get_plan", "no-plan-for-the-employee", {"employee_id": "nobody"}, "", 404, []),
    ("api_plans.get_plan", "long-employee-id", {"employee_id": LONG}, "", 404, []),
    ("api_plans.get_plan", "period-wrong-kind", {"period": "2025-07"}, "", 404, []),
    ("api_plans.get_plan", "unknown-role", {"role": "nobody"}, "", 404, []),
    ("reviews.get_feedback", "unknown-id", {"record_id": "99"}, "", 404, []),
    ("reviews.get_feedback", "huge-id", {"record_id": "9" * 40}, "", 404, []),
    ("reviews.list_appeals", "state-unknown", {}, "?state=x", 422, ["/state"]),
    ("reviews.list_appeals", "limit-text", {}, "?limit=ten", 400, []),
    ("reviews.list_appeals", "cursor-garbage", {}, "?cursor=abc", 400, []),
    ("reviews.get_appeal", "unknown-id", {"appeal_id": "99"}, "", 404, []),
    ("reviews.get_appeal", "huge-id", {"appeal_id": "9" * 40}, "", 404, []),
    ("reviews.get_appeal", "zero-id", {"appeal_id": "0"}, "", 404, []),
    ("api_proposals.list_proposals", "state-unknown", {}, "?state=x", 422, ["/state"]),
    ("api_proposals.list_proposals", "limit-zero", {}, "?limit=0", 400, []),
    ("api_proposals.list_proposals", "cursor-garbage", {}, "?cursor=abc", 400, []),
    ("api_proposals.get_proposal", "unknown-id", {"proposal_id": "99"}, "", 404, []),
    ("api_proposals.get_proposal", "huge-id", {"proposal_id": "9" * 40}, "", 404, []),
    ("tracking.list_snapshots", "missing-role-and-period", {}, "", 422, ["/period", "/role"]),
    ("tracking.list_snapshots", "missing-role", {}, "?period=2025-Q3", 422, ["/role"]),
    ("tracking.list_snapshots", "at-risk-maybe", {}, "?role=team_lead&period=2025-Q3"
     "&at_risk=maybe", 422, ["/at_risk"]),
    ("tracking.list_snapshots", "limit-zero", {}, "?role=team_lead&period=2025-Q3&limit=0",
     400, []),
    ("tracking.list_snapshots", "cursor-garbage", {}, "?role=team_lead&period=2025-Q3"
     "&cursor=abc", 400, []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("endpoint", "path", "query", "status", "paths"),
    [(c[0], *c[2:]) for c in QUERY_CASES],
    ids=[f"{c[0]}-{c[1]}" for c in QUERY_CASES],
)
def test_bad_path_or_query(client, app, world, endpoint, path, query, status, paths):
    response = send(client, app, world, endpoint, None, query=query, **path)
    assert_problem(response, status, paths)


UNKNOWN_IN_PATHS = {
    "role": "nobody",
    "version": "99",
    "record_id": "99",
    "period": "2025-Q9",
    "appeal_id": "99",
    "proposal_id": "99",
}
NEW_ROLE_ENDPOINTS = {"rulesets.publish", "api_proposals.propose"}  # a role may be new there


@pytest.mark.parametrize("argument", sorted(UNKNOWN_IN_PATHS))
def test_unknown_things_in_any_path_are_404(client, app, world, argument):
    # every route with the argument, whatever its method: 404 before the body is looked at
    unknown = UNKNOWN_IN_PATHS
    routes = [
        (rule, method)
        for rule, method in api_rules(app)
        if argument in rule.arguments and rule.endpoint not in NEW_ROLE_ENDPOINTS
    ]
    assert routes
    for rule, method in routes:
        body = VALID_BODIES.get(rule.endpoint)
        data = json.dumps(body).encode() if body is not None and method != "GET" else None
        response = send(client, app, world, rule.endpoint, data, **{argument: unknown[argument]})
        assert_problem(response, 404, [])


def test_every_path_argument_is_tried_unknown(app):
    arguments = {name for rule, _ in api_rules(app) for name in rule.arguments}
    assert arguments - set(UNKNOWN_IN_PATHS) == {"employee_id"}  # tried in plans, below


@pytest.mark.parametrize("employee_id", ["nobody", LONG])
@pytest.mark.parametrize("endpoint", ["api_plans.get_plan", "api_plans.acknowledge"])
def test_a_plan_never_set_is_404(client, app, world, endpoint, employee_id):
    body = VALID_BODIES.get(endpoint)
    data = json.dumps(body).encode() if body is not None else None
    response = send(client, app, world, endpoint, data, employee_id=quote(employee_id))
    assert_problem(response, 404, [])


def test_a_plan_for_an_employee_id_that_cannot_be_stored_is_404(client, app, world):
    body = json.dumps(VALID_BODIES["api_plans.put_plan"]).encode()
    response = send(client, app, world, "api_plans.put_plan", body, employee_id=LONG)
    assert_problem(response, 404, [])


@pytest.mark.parametrize("endpoint", sorted(NEW_ROLE_ENDPOINTS))
def test_publishing_under_a_new_role_is_not_404_but_needs_the_role_in_the_document(
    client, app, world, endpoint
):
    body = json.dumps(VALID_BODIES[endpoint]).encode()
    response = send(client, app, world, endpoint, body, role="nobody")
    assert_problem(response, 422, ["/document/role"])


def test_decisions_are_taken_once(client, app, world):
    # appeal 1 and proposals 1, 3 and 4 were decided by the requests that succeed (above)
    for endpoint, number in [
        ("reviews.resolve_appeal", {"appeal_id": "1"}),
        ("api_proposals.approve", {"proposal_id": "1"}),
        ("api_proposals.reject", {"proposal_id": "3"}),
    ]:
        body = json.dumps(VALID_BODIES[endpoint]).encode()
        assert send(client, app, world, endpoint, body, **number).status_code in (200, 201, 409)
        assert_problem(send(client, app, world, endpoint, body, **number), 409, None)


def test_a_proposal_is_not_approved_by_its_proposer(client, app, world):
    proposed = send(
        client,
        app,
        world,
        "api_proposals.propose",
        json.dumps(VALID_BODIES["api_proposals.propose"]).encode(),
    )
    assert proposed.status_code == 201, proposed.get_data(as_text=True)[:1000]
    number = str(proposed.get_json()["id"])
    response = send(client, app, world, "api_proposals.approve", b"{}", proposal_id=number)
    assert_problem(response, 403, None)


@pytest.mark.parametrize("employee_id", ["a\nb", "\n", "x/y\r\n/z", "名 字", "%2F", "a?b#c"])
def test_any_employee_id_that_can_be_stored_can_be_named_in_a_url(client, world, employee_id):
    stored = client.post(f"{API}/evaluations", json=submission(employee_id), headers=world)
    assert stored.status_code == 201, stored.get_data(as_text=True)
    url = f"{API}/employees/{quote(employee_id, safe='')}/history"
    items = client.get(url, headers=world).get_json()["items"]
    assert [item["period"] for item in items] == ["2025-Q3"]

"""Every error is problem+json with the SPEC §5 status: bodies, keys, scopes, routing, database."""

from __future__ import annotations

import io
import json

import pytest
from werkzeug.test import EnvironBuilder, run_wsgi_app

from server import create_app, storage
from server.config import TestingConfig
from tests.conftest import error_paths, problem, submission


@pytest.mark.parametrize(
    "text",
    [
        '{"role": ',  # truncated
        '{"a": NaN}',
        '{"a": Infinity}',
        '{"a": -Infinity}',
        '{"a": 1e400}',
        '{"a": -1e400}',
        '{"a": ' + "9" * 400 + "}",  # an integer no double can hold
        '{"a": ' + "9" * 5000 + "}",  # longer than Python parses by default
        '["not", "an", "object"]',
        '"text"',
        "null",
        '{"a": "\\ud800"}',  # a lone surrogate
        "[" * 100_000,
        "",
    ],
)
def test_unparseable_bodies_are_400(client, evaluate_key, text):
    response = client.post(
        "/api/v1/evaluate", data=text, content_type="application/json", headers=evaluate_key
    )
    body = problem(response, 400)
    assert body["type"].endswith("malformed-request")


def test_invalid_utf8_is_400(client, evaluate_key):
    response = client.post(
        "/api/v1/evaluate",
        data=b'{"a": "\xff"}',
        content_type="application/json",
        headers=evaluate_key,
    )
    problem(response, 400)


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_json_endpoints_need_json_content_type(client, evaluate_key, content_type):
    kwargs = {"content_type": content_type} if content_type else {}
    response = client.post("/api/v1/evaluations", data="{}", headers=evaluate_key, **kwargs)
    problem(response, 415)


def test_json_with_charset_is_accepted(client, evaluate_key, publish):
    publish()
    response = client.post(
        "/api/v1/evaluate",
        data='{"role": "team_lead", "period": "2025-Q3", "employee_id": "e", "inputs": {"actual_sales": 90, "target_sales": 100}}',
        content_type="application/json; charset=utf-8",
        headers=evaluate_key,
    )
    assert response.status_code == 200


def test_body_over_16_mib_is_413(client, evaluate_key):
    data = b'{"pad": "' + b"x" * (16 * 1024 * 1024) + b'"}'
    response = client.post(
        "/api/v1/evaluate", data=data, content_type="application/json", headers=evaluate_key
    )
    problem(response, 413)


def test_streamed_body_over_16_mib_is_413(app, evaluate_key):
    # a chunked body has no Content-Length: it must be refused, not silently cut at the limit
    environ = EnvironBuilder(
        path="/api/v1/evaluate",
        method="POST",
        headers={**evaluate_key, "Content-Type": "application/json"},
    ).get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ["wsgi.input"] = io.BytesIO(b'{"pad": "' + b"x" * (16 * 1024 * 1024) + b'"}')
    environ["wsgi.input_terminated"] = True
    body, status, headers = run_wsgi_app(app, environ)
    assert status.startswith("413")
    assert json.loads(b"".join(body))["status"] == 413


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer sk_0123456789abcdef_notarealsecretnotarealsecret"},
        {"Authorization": "Bearer garbage"},
    ],
)
def test_missing_or_unknown_key_is_401(client, headers):
    response = client.get("/api/v1/roles", headers=headers)
    body = problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert body["type"].endswith("unauthenticated")


def test_wrong_secret_for_a_real_key_id_is_401(client, read_key):
    real = read_key["Authorization"]
    forged = real[: real.rindex("_") + 1] + "A" * 43
    problem(client.get("/api/v1/roles", headers={"Authorization": forged}), 401)
    assert client.get("/api/v1/roles", headers=read_key).status_code == 200


def test_revoked_key_is_401_at_once(app, client, read_key):
    assert client.get("/api/v1/roles", headers=read_key).status_code == 200  # now cached
    from server.services import api_keys

    with app.app_context():
        name = storage.ApiKey.get().name
        api_keys.revoke_key(name, "test")
    problem(client.get("/api/v1/roles", headers=read_key), 401)


@pytest.mark.parametrize(
    ("method", "path", "scope"),
    [
        ("get", "/api/v1/roles", "read"),
        ("get", "/api/v1/rulesets/team_lead/versions", "read"),
        ("get", "/api/v1/evaluations", "read"),
        ("post", "/api/v1/evaluate", "evaluate"),
        ("post", "/api/v1/evaluations", "evaluate"),
        ("post", "/api/v1/evaluations/batch", "evaluate"),
        ("post", "/api/v1/rulesets/validate", "publish"),
        ("post", "/api/v1/rulesets/team_lead/versions", "publish"),
    ],
)
def test_key_without_the_scope_is_403(client, make_key, method, path, scope):
    others = [s for s in ("read", "evaluate", "publish") if s != scope]
    response = getattr(client, method)(path, json={}, headers=make_key(*others))
    body = problem(response, 403)
    assert scope in body["detail"]


def test_draft_document_needs_publish_scope_too(client, evaluate_key, publish_key):
    from tests.conftest import ruleset_document

    body = {**submission(), "document": ruleset_document()}
    problem(client.post("/api/v1/evaluate", json=body, headers=evaluate_key), 403)
    problem(client.post("/api/v1/evaluate", json=body, headers=publish_key), 403)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nothing",
        "/api/v1/rulesets/nobody/versions",
        "/api/v1/rulesets/nobody/versions/1",
        "/api/v1/rulesets/team_lead/versions/2",
        "/api/v1/rulesets/team_lead/versions/99999999999999999999999",
        "/api/v1/rulesets/team_lead/versions/2/export",
        "/api/v1/rulesets/no%20such/versions",
        "/api/v1/evaluations/12345",
        "/api/v1/evaluations/99999999999999999999999",
        "/api/v1/evaluations/abc",
    ],
)
def test_unknown_things_in_the_path_are_404(client, read_key, publish, path):
    publish()
    problem(client.get(path, headers=read_key), 404)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("put", "/api/v1/rulesets/team_lead/versions/1"),
        ("delete", "/api/v1/rulesets/team_lead/versions/1"),
        ("patch", "/api/v1/rulesets/team_lead/versions/1"),
        ("delete", "/api/v1/evaluations/1"),
        ("get", "/api/v1/evaluate"),
        ("get", "/api/v1/rulesets/validate"),
    ],
)
def test_wrong_method_is_405(client, admin_key, method, path):
    response = getattr(client, method)(path, headers=admin_key)
    problem(response, 405)
    assert response.headers["Allow"]


def test_nul_in_the_url_is_400(client, read_key):
    problem(client.get("/api/v1/evaluations?employee_id=a%00b", headers=read_key), 400)
    problem(client.get("/api/v1/employees/a%00b/history", headers=read_key), 400)


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=-1",
        "limit=abc",
        "cursor=%%%",
        "cursor=WzEsMl0",
        "cursor=WyJ4Il0",
        "cursor=WzEuNV0",
    ],
)
def test_bad_paging_parameters_are_400(client, read_key, query):
    problem(client.get(f"/api/v1/evaluations?{query}", headers=read_key), 400)


def test_schema_problems_are_all_listed_with_pointers(client, evaluate_key):
    body = {"role": 7, "period": "2025-Q5", "employee_id": "", "inputs": [], "extra": True}
    response = client.post("/api/v1/evaluations", json=body, headers=evaluate_key)
    paths = error_paths(problem(response, 422))
    assert paths == ["/employee_id", "/extra", "/inputs", "/period", "/role"]


@pytest.mark.parametrize(
    "url", ["sqlite:////proc/no/such/dir/db.sqlite", "postgresql://nobody@127.0.0.1:1/none"]
)
def test_database_unavailable_is_503(url):
    app = create_app(TestingConfig(url))
    client = app.test_client()
    body = problem(client.get("/readyz"), 503)
    assert body["type"].endswith("database-unavailable")
    key = {"Authorization": "Bearer sk_0123456789abcdef_" + "a" * 43}
    problem(client.get("/api/v1/roles", headers=key), 503)
    problem(client.post("/api/v1/evaluations", json=submission(), headers=key), 503)
    assert client.get("/healthz").get_json() == {"status": "ok"}
    storage.dispose()


def test_readyz_answers_when_the_database_does(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready"}

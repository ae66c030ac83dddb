"""Every route of the app's URL map refuses a request without credentials, except an explicit
allowlist of public ones: the API answers 401 problem+json, the console sends the visitor to
its login page (or answers 401/403). A route added without authentication fails this test.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from admin import auth as console_auth
from server import create_app, storage
from server.api import API_PREFIX
from server.config import TestingConfig
from tests.admin.conftest import csrf_token, log_in

CONSOLE_PREFIX = "/admin"
LOGIN = "/admin/login/"
# The routes anyone may call, and why.
PUBLIC_ENDPOINTS = {
    "health.healthz": "liveness for load balancers",
    "health.readyz": "readiness for load balancers",
    "meta.openapi": "the API's description",
    "console_login.index": "the login page itself",
    "console_login.logout": "ending one's own session (CSRF-checked)",
    "console_language.index": "choosing the login page's language (CSRF-checked)",
    "console_assets.static": "the console's stylesheet and script",
    "admin.static": "flask-admin's stylesheets and scripts",
    # the signed token in the URL is the credential (tests/admin/test_employee_page.py)
    "employee_page.show": "the employee's page of a shared result",
    "employee_page.acknowledge": "the employee acknowledging from that page",
    "employee_page.appeal": "the employee appealing from that page",
}
PLACEHOLDERS = {"int": "1", "default": "x", "path": "x/y"}
METHODS_IGNORED = {"HEAD", "OPTIONS"}  # HEAD is GET's; OPTIONS only lists the methods


def route_requests(app: Flask) -> list[tuple[str, str, str]]:
    """(endpoint, method, URL) for every route and method, its arguments filled in."""
    found = []
    for rule in app.url_map.iter_rules():
        url = rule.rule
        for match in re.finditer(r"<(?:([a-z]+):)?([a-z_]+)>", rule.rule):
            url = url.replace(match.group(0), PLACEHOLDERS.get(match.group(1) or "default", "x"))
        for method in sorted(rule.methods - METHODS_IGNORED):
            found.append((rule.endpoint, method, url))
    return found


def refusal(client: FlaskClient, method: str, url: str, token: str) -> str | None:
    """Why an anonymous request was let through, or None when it was refused as it should be."""
    data = {"csrf_token": token} if method != "GET" else None
    response = client.open(url, method=method, data=data)
    status = response.status_code
    if url.startswith(API_PREFIX + "/"):
        if status != 401 or response.mimetype != "application/problem+json":
            return f"{status} {response.mimetype}, not 401 problem+json"
        if not response.headers.get("WWW-Authenticate", "").startswith("Bearer"):
            return "401 without WWW-Authenticate: Bearer"
        return None
    if url == CONSOLE_PREFIX or url.startswith(CONSOLE_PREFIX + "/"):
        if status in (302, 303) and response.headers["Location"].startswith(LOGIN):
            return None
        if status in (401, 403):
            return None
        return f"{status}, neither a redirect to {LOGIN} nor 401/403"
    return f"{status}: outside the API and the console, and not in PUBLIC_ENDPOINTS"


def unprotected(app: Flask) -> list[str]:
    """Every non-public route and method that serves a request without credentials."""
    client = app.test_client()
    # a CSRF token of an anonymous session, so that a console form is refused for want of a
    # login and not merely for want of a token
    token = csrf_token(client.get(LOGIN).get_data(as_text=True))
    found = []
    for endpoint, method, url in route_requests(app):
        if endpoint in PUBLIC_ENDPOINTS:
            continue
        why = refusal(client, method, url, token)
        if why is not None:
            found.append(f"{method} {url} ({endpoint}): {why}")
    return found


def test_every_route_refuses_a_request_without_credentials(app):
    endpoints = {endpoint for endpoint, _, _ in route_requests(app)}
    assert set(PUBLIC_ENDPOINTS) <= endpoints, "a public endpoint no longer exists"
    assert len(endpoints - set(PUBLIC_ENDPOINTS)) >= 40  # the walk really walks the app
    assert unprotected(app) == []


def test_a_new_route_without_authentication_fails_the_walk(tmp_path):
    app = create_app(TestingConfig(f"sqlite:///{tmp_path / 'db.sqlite'}"))
    with app.app_context():
        storage.create_tables()
    app.add_url_rule(f"{API_PREFIX}/leak/<int:n>", "leak", lambda n: {"n": n})
    app.add_url_rule("/debug", "debug", lambda: "debug", methods=["GET", "POST"])
    app.add_url_rule(f"{CONSOLE_PREFIX}/leak", "console_leak", lambda: "secret")
    try:
        found = unprotected(app)
    finally:
        storage.dispose()
    assert [line.split(" (")[0] for line in found] == [
        "GET /api/v1/leak/1",
        "GET /debug",
        "POST /debug",
        "GET /admin/leak",
    ]


def test_public_routes_answer_without_credentials(client):
    for url in ("/healthz", "/readyz", f"{API_PREFIX}/openapi.json", LOGIN):
        assert client.get(url).status_code == 200, url
    with client.get("/admin/assets/console.css") as response:
        assert response.status_code == 200


def test_a_console_session_does_not_open_the_api(app, client):
    with app.app_context():
        console_auth.create_user("chief", "chief-password-1", "admin", "test")
    assert log_in(client, "chief", "chief-password-1").status_code == 302
    assert client.get(f"{CONSOLE_PREFIX}/").status_code == 200  # logged in
    for endpoint, method, url in route_requests(app):
        if url.startswith(API_PREFIX + "/") and endpoint not in PUBLIC_ENDPOINTS:
            response = client.open(url, method=method)
            assert response.status_code == 401, (method, url, response.status_code)


def test_an_api_key_does_not_open_the_console(app, client, admin_key):
    response: Any = client.get(f"{CONSOLE_PREFIX}/", headers=admin_key)
    assert response.status_code == 302 and response.headers["Location"].startswith(LOGIN)

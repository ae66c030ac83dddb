"""Console test fixtures: users of each role, logging in through the form, a seeded ruleset."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from admin import auth
from server.services import publishing
from tests.conftest import ruleset_document

PASSWORDS = {"hr": "hr-password-123", "auditor": "auditor-password-1", "admin": "admin-password-12"}
CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a console page."""
    found = CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


@pytest.fixture
def users(app: Flask) -> dict[str, str]:
    """One console user per role (named after it); username -> password."""
    with app.app_context():
        for role, password in PASSWORDS.items():
            auth.create_user(role, password, role, "test")
    return dict(PASSWORDS)


def log_in(client: FlaskClient, username: str, password: str, **kwargs: Any):
    """Post the login form (with its CSRF token) and return the response."""
    token = csrf_token(client.get("/admin/login/").get_data(as_text=True))
    return client.post(
        "/admin/login/",
        data={"csrf_token": token, "username": username, "password": password},
        **kwargs,
    )


@pytest.fixture
def login(app: Flask, users: dict[str, str]) -> Callable[[str], FlaskClient]:
    """`login(role)` -> a fresh test client logged in as that role's user."""

    def make(role: str) -> FlaskClient:
        client = app.test_client()
        response = log_in(client, role, users[role])
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return make


@pytest.fixture
def published(app: Flask) -> Callable[..., int]:
    """Publish a document for a role straight through the publishing service; its version."""

    def make(
        document: dict[str, Any] | None = None, effective_from: str = "2020-Q1", note: str = ""
    ) -> int:
        document = document or ruleset_document()
        with app.app_context():
            return publishing.publish(
                document["role"], document, effective_from, note, "test"
            ).row.version

    return make


def post_form(
    client: FlaskClient, url: str, data: dict[str, Any], page: str | None = None, **kwargs: Any
):
    """Post a console form with a CSRF token taken from `page` (default: the console home)."""
    html = client.get(page or "/admin/").get_data(as_text=True)
    return client.post(url, data={"csrf_token": csrf_token(html), **data}, **kwargs)

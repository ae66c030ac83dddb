"""Access control: anonymous users are sent to the login page everywhere, auditors cannot write,
only administrators manage users and keys."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.admin.conftest import csrf_token, post_form

PLACEHOLDERS = {
    "draft_id": "1",
    "role": "team_lead",
    "version": "1",
    "record_id": "1",
    "appeal_id": "1",
    "token": "abc",
    "user_id": "1",
    "key_id": "1",
    "filename": "x",
    "kind": "csv",
    "proposal_id": "1",
}
OPEN = ("console_login.", "console_language.", "console_assets.", "admin.static")


def console_urls(app: Flask) -> list[tuple[str, str, set[str]]]:
    """(endpoint, URL, methods) of every console page, placeholders filled in."""
    found = []
    for rule in app.url_map.iter_rules():
        if (
            not rule.rule.startswith("/admin")
            or rule.endpoint.startswith(OPEN)
            or rule.endpoint.endswith(".static")
        ):
            continue
        url = rule.rule
        for name in rule.arguments:
            url = url.replace(f"<int:{name}>", PLACEHOLDERS[name]).replace(
                f"<{name}>", PLACEHOLDERS[name]
            )
        found.append((rule.endpoint, url, set(rule.methods or ()) - {"HEAD", "OPTIONS"}))
    return found


def test_the_console_has_the_expected_pages(app):
    endpoints = {e for e, _, _ in console_urls(app)}
    assert {
        "admin.index",
        "drafts.edit",
        "drafts.publish",
        "versions.compare",
        "results.show",
        "results.distribution",
        "appeals.index",
        "appeals.show",
        "review.feedback",
        "impact.index",
        "audit.index",
        "imports.status",
        "users.index",
        "keys.new",
        "approvals.index",
        "approvals.show",
        "approvals.approve",
    } <= endpoints


def test_every_console_url_sends_anonymous_users_to_login(app):
    client = app.test_client()
    token = csrf_token(client.get("/admin/login/").get_data(as_text=True))
    for endpoint, url, methods in console_urls(app):
        for method in methods:
            data = {"csrf_token": token} if method == "POST" else None
            response = client.open(url, method=method, data=data)
            assert response.status_code == 302, (endpoint, method)
            assert response.headers["Location"].startswith("/admin/login/"), (endpoint, method)


def test_auditors_posts_are_refused_everywhere(app, login, published):
    published()
    client = login("auditor")
    token = csrf_token(client.get("/admin/").get_data(as_text=True))
    for endpoint, url, methods in console_urls(app):
        if "POST" in methods:
            response = client.post(
                url,
                data={
                    "csrf_token": token,
                    "role": "team_lead",
                    "source": "1",
                    "note": "x",
                    "effective_from": "2026-Q1",
                },
            )
            assert response.status_code == 403, endpoint


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/drafts/",
        "/admin/versions/",
        "/admin/versions/compare",
        "/admin/results/",
        "/admin/results/distribution",
        "/admin/impact/",
        "/admin/audit/",
        "/admin/approvals/",
    ],
)
def test_auditors_read_every_page_meant_for_them(login, published, url):
    published()
    assert login("auditor").get(url).status_code == 200


@pytest.mark.parametrize("role, status", [("auditor", 403), ("hr", 403), ("admin", 200)])
def test_only_administrators_manage_users_and_keys(login, role, status):
    client = login(role)
    assert client.get("/admin/users/").status_code == status
    assert client.get("/admin/keys/").status_code == status


def test_auditors_do_not_see_the_import_page_or_edit_controls(login, published):
    published()
    client = login("auditor")
    assert client.get("/admin/import/").status_code == 403
    html = client.get("/admin/versions/team_lead/1").get_data(as_text=True)
    assert "draft-from-version" not in html
    assert 'id="create-draft"' not in client.get("/admin/drafts/").get_data(as_text=True)


def test_a_refused_write_changes_nothing(app, login, published):
    from server.storage.console_models import Draft

    published()
    client = login("auditor")
    response = post_form(client, "/admin/drafts/new", {"role": "team_lead", "source": "1"})
    assert response.status_code == 403
    with app.app_context():
        assert Draft.select().count() == 0


def test_init_app_is_idempotent_and_every_app_has_its_own_console(app):
    import admin
    from server import create_app
    from server.config import TestingConfig

    first = app.extensions["scorecard_admin"]
    assert admin.init_app(app) is first
    other = create_app(TestingConfig(app.config["DATABASE_URL"]))
    assert other.extensions["scorecard_admin"] is not first
    assert other.test_client().get("/admin/login/").status_code == 200

"""The console never answers 500 to bad input: malformed queries and forms get a page."""

from __future__ import annotations

import pytest

from tests.admin.conftest import csrf_token, post_form
from tests.admin.test_access import console_urls

GARBAGE = {
    "role": "x'\"<>",
    "period": "2025-Q9",
    "a": "-1",
    "b": "abc",
    "page": "99999999999999",
    "revision": "0",
    "target": "version:99999999999",
    "rating": "\u2603",
    "employee": "e" * 500,
    "action": "remove:indicators:abc",
    "example": "77",
}


@pytest.fixture
def hr_with_draft(login, published):
    published()
    client = login("admin")
    response = post_form(client, "/admin/drafts/new", {"role": "team_lead", "source": "1"})
    assert response.status_code == 302
    return client


def test_garbage_query_strings_never_fail(app, hr_with_draft):
    for endpoint, url, methods in console_urls(app):
        if "GET" in methods:
            response = hr_with_draft.get(url, query_string=GARBAGE)
            assert response.status_code < 500, (endpoint, response.status_code)


def test_garbage_forms_never_fail(app, hr_with_draft):
    token = csrf_token(hr_with_draft.get("/admin/drafts/1/").get_data(as_text=True))
    form = {
        **GARBAGE,
        "csrf_token": token,
        "draft_revision": "1",
        "indicators-0-weight": "1e999",
        "indicators-0-scoring_type": "bands",
        "inputs-0-name": "",
        "precision": "NaN",
        "yaml": "{role: 1",
        "username": "",
        "password": "x",
        "name": "",
        "scopes": "root",
        "effective_from": "yesterday",
        "note": "n" * 5000,
        "sample-actual_sales": "1,2,3",
        "state": "explode",
        "language": "klingon",
        "source": "99999999999999999999",
    }
    for endpoint, url, methods in console_urls(app):
        if "POST" in methods and not endpoint.endswith(("delete", "logout")):
            response = hr_with_draft.post(url, data=form)
            assert response.status_code < 500, (endpoint, response.status_code)

"""Console logins and failed logins reach the audit log the API serves."""

from __future__ import annotations

from tests.admin.conftest import log_in


def test_logins_and_failures_are_in_the_audit_log(app, users, read_key):
    client = app.test_client()
    assert log_in(client, "hr", "wrong-password-123").status_code == 401
    assert log_in(client, "hr", users["hr"]).status_code == 302
    api = app.test_client()
    body = api.get("/api/v1/audit?target=user/hr", headers=read_key).get_json()
    actions = [(e["action"], e["actor"]) for e in body["items"]]
    assert actions == [
        ("user.create", "test"),
        ("console.login_failed", "anonymous"),
        ("console.login", "user:hr"),
    ]
    assert all("ip" in e["details"] for e in body["items"][1:])

"""Logging in: audited in the same transaction, throttled in the database, CSRF-checked,
with hardened cookies and security headers."""

from __future__ import annotations

from admin.auth import MAX_FAILURES
from server.storage import AuditEntry
from server.storage.console_models import LoginFailure
from tests.admin.conftest import csrf_token, log_in


def actions(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(e.action, e.target) for e in AuditEntry.select().order_by(AuditEntry.id)]


def test_a_login_is_audited_and_opens_the_console(app, users):
    client = app.test_client()
    response = log_in(client, "hr", users["hr"])
    assert response.status_code == 302 and response.headers["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert ("console.login", "user/hr") in actions(app)


def test_a_wrong_password_is_refused_and_audited(app, users):
    client = app.test_client()
    response = log_in(client, "hr", "not-the-password")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.get_data(as_text=True)
    assert ("console.login_failed", "user/hr") in actions(app)
    assert client.get("/admin/").status_code == 302


def test_an_unknown_user_gets_the_same_answer(app, users):
    response = log_in(app.test_client(), "nobody", "whatever-password")
    assert response.status_code == 401
    assert ("console.login_failed", "user/nobody") in actions(app)


def test_five_failures_lock_the_username_from_that_address(app, users):
    client = app.test_client()
    for _ in range(MAX_FAILURES):
        assert log_in(client, "hr", "wrong-password").status_code == 401
    response = log_in(client, "hr", users["hr"])  # even the right password waits now
    assert response.status_code == 429
    assert ("console.login_throttled", "user/hr") in actions(app)
    with app.app_context():
        assert LoginFailure.select().where(LoginFailure.username == "hr").count() == MAX_FAILURES
    other = app.test_client()
    elsewhere = log_in(other, "hr", users["hr"], environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert elsewhere.status_code == 302


def test_a_success_clears_earlier_failures(app, users):
    client = app.test_client()
    for _ in range(MAX_FAILURES - 1):
        log_in(client, "hr", "wrong-password")
    assert log_in(client, "hr", users["hr"]).status_code == 302
    with app.app_context():
        assert LoginFailure.select().count() == 0


def test_a_disabled_user_cannot_log_in(app, users):
    from admin import auth
    from server.storage.console_models import User

    with app.app_context():
        auth.update_user(User.get(User.username == "hr"), "test", disabled=True)
    assert log_in(app.test_client(), "hr", users["hr"]).status_code == 401


def test_changing_a_password_ends_open_sessions(app, users, login):
    from admin import auth
    from server.storage.console_models import User

    client = login("hr")
    with app.app_context():
        auth.update_user(User.get(User.username == "hr"), "test", password="another-password-1")
    assert client.get("/admin/").status_code == 302


def test_posts_without_a_csrf_token_are_refused(app, users, login):
    client = app.test_client()
    response = client.post("/admin/login/", data={"username": "hr", "password": users["hr"]})
    assert response.status_code == 400
    hr = login("hr")
    assert hr.post("/admin/drafts/new", data={"role": "team_lead"}).status_code == 400
    assert (
        hr.post("/admin/drafts/new", data={"role": "team_lead", "csrf_token": "forged"}).status_code
        == 400
    )


def test_the_session_cookie_is_httponly_and_samesite(app, users):
    response = log_in(app.test_client(), "hr", users["hr"])
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_the_session_cookie_is_secure_over_tls(app, users):
    client = app.test_client()
    token = csrf_token(
        client.get("/admin/login/", base_url="https://localhost").get_data(as_text=True)
    )
    response = client.post(
        "/admin/login/",
        base_url="https://localhost",
        headers={"Referer": "https://localhost/admin/login/"},
        data={"csrf_token": token, "username": "hr", "password": users["hr"]},
    )
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" in response.headers


def test_console_pages_carry_security_headers(app):
    response = app.test_client().get("/admin/login/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


def test_login_redirects_only_to_this_site(app, users):
    client = app.test_client()
    token = csrf_token(client.get("/admin/login/").get_data(as_text=True))
    response = client.post(
        "/admin/login/?next=//evil.example/x",
        data={"csrf_token": token, "username": "hr", "password": users["hr"]},
    )
    assert response.headers["Location"] == "/admin/"


def test_logging_out_ends_the_session(login):
    client = login("hr")
    token = csrf_token(client.get("/admin/").get_data(as_text=True))
    assert client.post("/admin/login/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/admin/").status_code == 302


def test_failures_older_than_the_window_neither_count_nor_stay(app, users):
    from datetime import timedelta

    from server.storage import utcnow

    with app.app_context():
        old = utcnow() - timedelta(minutes=16)
        for _ in range(MAX_FAILURES):
            LoginFailure.create(username="hr", ip="127.0.0.1", at=old)
    client = app.test_client()
    assert log_in(client, "hr", "wrong-password").status_code == 401  # not throttled
    with app.app_context():
        assert LoginFailure.select().count() == 1  # the old ones were pruned


def test_api_answers_carry_no_session_cookie_and_do_not_vary_on_one(app, users, make_key):
    key = make_key("read")
    answer = app.test_client().get("/api/v1/roles", headers=key)  # no cookie: no session work
    assert answer.status_code == 200
    assert "Set-Cookie" not in answer.headers
    assert answer.headers["Vary"] == "Accept-Language"
    client = app.test_client()
    assert log_in(client, "hr", users["hr"]).status_code == 302
    assert client.get("/api/v1/roles", headers=key).status_code == 200  # the cookie goes along
    assert client.get("/admin/").status_code == 200  # ... and the console session lives on
    assert app.test_client().get("/admin/").status_code == 302  # (which a cookieless one lacks)

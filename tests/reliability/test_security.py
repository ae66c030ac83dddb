"""Who gets in: keys and passwords hashed with argon2id and checked by argon2's constant-time
verification, revocation and login throttling that hold across gunicorn workers, session
cookies HttpOnly, SameSite and Secure behind TLS (also through a trusted proxy), security
headers on every console page, size limits, and logs without secrets or submitted data."""

from __future__ import annotations

import logging
import re
from typing import Any

import argon2
import pytest
import requests
from flask import Flask

from admin import auth as console_auth
from admin.auth import MAX_FAILURES
from server import create_app, storage
from server.config import Config, TestingConfig, proxy_count
from server.services import api_keys
from server.storage import ApiKey, AuditEntry
from server.storage.console_models import User
from tests.admin.conftest import csrf_token, log_in
from tests.conftest import submission
from tests.reliability.test_url_map import CONSOLE_PREFIX, LOGIN, route_requests

PASSWORD = "correct-horse-battery-9"
LEAKY_MESSAGE = "employee EMP-SECRET-42 has inputs 123.456"
CONSOLE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@pytest.fixture
def verifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The hashes argon2 verified, in order (a spy on PasswordHasher.verify)."""
    seen: list[str] = []
    original = argon2.PasswordHasher.verify

    def spy(self: argon2.PasswordHasher, hash: str, password: str | bytes) -> bool:
        seen.append(hash)
        return original(self, hash, password)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", spy)
    return seen


def secret_of(header: dict[str, str]) -> str:
    return header["Authorization"].removeprefix("Bearer ")


# ---------------------------------------------------------------- hashes and verification


def test_keys_and_passwords_are_stored_as_argon2id_hashes_only(app, make_key):
    key = secret_of(make_key("read", name="stored"))
    with app.app_context():
        console_auth.create_user("keeper", PASSWORD, "admin", "test")
        row = ApiKey.get(ApiKey.name == "stored")
        user = User.get(User.username == "keeper")
        assert row.hash.startswith("$argon2id$") and user.password_hash.startswith("$argon2id$")
        stored = " ".join(
            str(value)
            for model in (ApiKey, User, AuditEntry)
            for record in model.select().dicts()
            for value in record.values()
        )
    secret = key.split("_", 2)[2]  # sk_<id>_<secret>; the secret itself may contain "_"
    assert len(secret) >= 40
    assert secret not in stored and PASSWORD not in stored


def test_production_hashing_is_slow_argon2id(tmp_path):
    assert Config.ARGON2_PARAMETERS == {}  # argon2-cffi's defaults: RFC 9106's low-memory choice
    hasher = argon2.PasswordHasher(**Config.ARGON2_PARAMETERS)
    assert hasher.type is argon2.Type.ID
    assert hasher.time_cost >= 3 and hasher.memory_cost >= 64 * 1024 and hasher.parallelism >= 1


def test_every_key_check_goes_through_argon2(client, read_key, verifications):
    real = secret_of(read_key)
    forged = real[: real.rindex("_") + 1] + "A" * 43  # the real id, another secret
    assert (
        client.get("/api/v1/roles", headers={"Authorization": f"Bearer {forged}"}).status_code
        == 401
    )
    assert len(verifications) == 1  # argon2 compared it (in constant time), not ==
    assert client.get("/api/v1/roles", headers=read_key).status_code == 200
    assert len(verifications) == 2


def test_a_login_costs_one_verification_whether_or_not_the_user_exists(app, verifications):
    with app.app_context():
        console_auth.create_user("keeper", PASSWORD, "admin", "test")
    assert log_in(app.test_client(), "keeper", "wrong-password-1").status_code == 401
    assert log_in(app.test_client(), "nobody", "wrong-password-1").status_code == 401
    assert log_in(app.test_client(), "keeper", PASSWORD).status_code == 302
    assert len(verifications) == 3


def test_an_oversized_password_is_refused_before_hashing(app, verifications):
    with app.app_context():
        console_auth.create_user("keeper", PASSWORD, "admin", "test")
    response = log_in(app.test_client(), "keeper", "p" * 100_000)
    assert response.status_code == 400
    assert verifications == []


# ---------------------------------------------------------------- across gunicorn workers


def test_a_revoked_key_is_refused_at_once_by_every_worker(app, serve, read_key):
    with serve(workers=4) as server:
        session = requests.Session()
        for _ in range(40):  # every worker has verified (and cached) the key by now
            assert session.get(f"{server.base}/api/v1/roles", headers=read_key).status_code == 200
        with app.app_context():
            api_keys.revoke_key(ApiKey.get().name, "test")
        answers = [
            session.get(f"{server.base}/api/v1/roles", headers=read_key).status_code
            for _ in range(40)
        ]
    assert answers == [401] * 40


def live_login(base: str, username: str, password: str) -> int:
    """Log in through a fresh session (its own CSRF token); the status of the form's answer."""
    with requests.Session() as session:
        page = session.get(f"{base}{LOGIN}", timeout=30).text
        data = {"csrf_token": csrf_token(page), "username": username, "password": password}
        return session.post(
            f"{base}{LOGIN}", data=data, allow_redirects=False, timeout=30
        ).status_code


def test_login_throttling_holds_across_workers(app, serve):
    with app.app_context():
        console_auth.create_user("keeper", PASSWORD, "admin", "test")
        console_auth.create_user("other", PASSWORD, "hr", "test")
    with serve(workers=4) as server:
        failures = [
            live_login(server.base, "keeper", "wrong-password-1") for _ in range(MAX_FAILURES)
        ]
        assert failures == [401] * MAX_FAILURES
        for _ in range(4):  # whichever worker answers, the right password waits now
            assert live_login(server.base, "keeper", PASSWORD) == 429
        assert live_login(server.base, "other", PASSWORD) == 302  # only that username


# ---------------------------------------------------------------- cookies and headers


def session_cookie(response: Any) -> str:
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    return cookie


def login_over(client: Any, username: str, password: str, **kwargs: Any) -> Any:
    """Log in with the page and the form both sent with `kwargs` (base_url, headers)."""
    page = client.get(LOGIN, **kwargs).get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "username": username, "password": password}
    return client.post(LOGIN, data=data, **kwargs)


def logged_in(app: Flask, **kwargs: Any) -> Any:
    with app.app_context():
        console_auth.create_user("keeper", PASSWORD, "admin", "test")
    client = app.test_client()
    response = login_over(client, "keeper", PASSWORD, **kwargs)
    assert response.status_code == 302
    return client, response


def test_session_cookie_is_httponly_and_samesite_but_not_secure_over_plain_http(app):
    _, response = logged_in(app)
    cookie = session_cookie(response)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_over_tls(app):
    # over TLS the CSRF check also wants a same-site Referer, as a browser sends
    referer = {"Referer": "https://scorecard.example/admin/login/"}
    _, response = logged_in(app, base_url="https://scorecard.example", headers=referer)
    cookie = session_cookie(response)
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def proxied_app(database_url: str, proxies: int) -> Flask:
    config = TestingConfig(database_url)
    config.PROXY_FIX = proxies
    app = create_app(config)
    with app.app_context():
        storage.create_tables()
    return app


def test_behind_a_trusted_proxy_forwarded_tls_makes_the_cookie_secure(database_url):
    app = proxied_app(database_url, 1)
    forwarded = {
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": "203.0.113.9",
        "Referer": "https://localhost/admin/login/",
    }
    _, response = logged_in(app, headers=forwarded)
    assert "Secure" in session_cookie(response)
    page = app.test_client().get(LOGIN, headers=forwarded)
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")


def test_without_proxy_fix_forwarded_headers_are_ignored(app):
    forwarded = {"X-Forwarded-Proto": "https"}
    _, response = logged_in(app, headers=forwarded)
    assert "Secure" not in session_cookie(response)
    assert (
        "Strict-Transport-Security" not in app.test_client().get(LOGIN, headers=forwarded).headers
    )
    # nor can a client dodge the login throttle by claiming another address
    for n in range(MAX_FAILURES):
        spoofed = {"X-Forwarded-For": f"198.51.100.{n}"}
        assert (
            log_in(app.test_client(), "keeper", "wrong-password-1", headers=spoofed).status_code
            == 401
        )
    assert (
        log_in(
            app.test_client(), "keeper", PASSWORD, headers={"X-Forwarded-For": "1.2.3.4"}
        ).status_code
        == 429
    )


def test_proxy_fix_setting_is_a_number_of_proxies():
    assert proxy_count("") == 0 and proxy_count("1") == 1 and proxy_count(" 2 ") == 2
    for wrong in ("yes", "-1", "1.5", "99"):
        with pytest.raises(ValueError, match="SCORECARD_PROXY_FIX"):
            proxy_count(wrong)


def test_every_console_page_carries_the_security_headers(app):
    client, _ = logged_in(app)
    urls = [LOGIN, f"{CONSOLE_PREFIX}/no-such-page", f"{CONSOLE_PREFIX}/results/999"]
    urls += [
        url
        for endpoint, method, url in route_requests(app)
        if method == "GET" and url.startswith(CONSOLE_PREFIX) and not endpoint.endswith("static")
    ]
    assert len(urls) > 15
    for url in urls:
        response = client.get(url)
        for name, value in CONSOLE_HEADERS.items():
            assert value in response.headers.get(name, ""), (url, response.status_code, name)
        response.close()


def test_console_bodies_over_16_mib_are_refused(app):
    client, _ = logged_in(app)
    token = csrf_token(client.get(f"{CONSOLE_PREFIX}/import/").get_data(as_text=True))
    response = client.post(
        f"{CONSOLE_PREFIX}/import/",
        data={"csrf_token": token, "pad": "x" * (16 * 1024 * 1024 + 1)},
    )
    assert response.status_code == 413


# ---------------------------------------------------------------- logs


def test_logs_hold_no_key_password_or_submitted_value(app, serve, publish, admin_key, tmp_path):
    publish()
    key = secret_of(admin_key)
    marker_id, marker_number, marker_reason = "EMP-7731-LOGCHECK", 987654.125, "申诉-LOGCHECK"
    wrong_password = "hunter2-LOGCHECK-pw"
    with app.app_context():
        console_auth.create_user("keeper", PASSWORD, "admin", "test")
    with serve(workers=2, access_log=True) as server:
        api = f"{server.base}/api/v1"
        first = submission(marker_id, inputs={"actual_sales": marker_number, "target_sales": 1e6})
        assert requests.post(f"{api}/evaluations", json=first, headers=admin_key).status_code == 201
        second = {
            **first,
            "inputs": {"actual_sales": 1.0, "target_sales": 1e6},
            "reason": marker_reason,
        }
        assert (
            requests.post(f"{api}/evaluations", json=second, headers=admin_key).status_code == 201
        )
        bad = submission(marker_id, inputs={"actual_sales": str(marker_number)})
        assert requests.post(f"{api}/evaluations", json=bad, headers=admin_key).status_code == 422
        batch = {"items": [submission(f"{marker_id}-{n}") for n in range(3)]}
        assert (
            requests.post(f"{api}/evaluations/batch", json=batch, headers=admin_key).status_code
            == 201
        )
        wrong = {"Authorization": f"Bearer {key[:-4]}XXXX"}
        assert requests.get(f"{api}/roles", headers=wrong).status_code == 401
        assert live_login(server.base, "keeper", wrong_password) == 401
        assert live_login(server.base, "keeper", PASSWORD) == 302
    log = server.log_text()
    assert "POST /api/v1/evaluations" in log  # the access log was on: request lines are there
    for secret in (
        key,
        key.split("_", 2)[2],  # the secret part (it may contain "_")
        wrong_password,
        PASSWORD,
        marker_id,
        str(marker_number),
        "987654",
        marker_reason,
    ):
        assert secret not in log, secret


def test_an_unexpected_error_is_logged_without_its_message(
    app, client, read_key, monkeypatch, caplog
):
    from server.services import versions

    def explode(*args: Any) -> Any:
        raise RuntimeError(LEAKY_MESSAGE)

    publish_one(app)  # a role, so that its summary is asked for
    monkeypatch.setattr(versions, "role_summary", explode)
    with caplog.at_level(logging.ERROR):
        response = client.get("/api/v1/roles", headers=read_key)
    assert response.status_code == 500
    assert response.get_json()["detail"] == "internal error"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "RuntimeError" in logged and "/api/v1/roles" in logged and "explode" in logged
    assert "EMP-SECRET-42" not in logged and "123.456" not in logged
    assert not re.search(r"EMP-SECRET|123\.456", caplog.text)


def publish_one(app: Flask) -> None:
    from server.services import publishing
    from tests.conftest import ruleset_document

    with app.app_context():
        publishing.publish("team_lead", ruleset_document(), "2020-Q1", "", "test")

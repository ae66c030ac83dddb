"""Console users: argon2 password hashes, login with throttling, the user of a request."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, g, has_app_context, request, session

from server.engine.language import T, Text
from server.storage import audit_queries, console_queries, utcnow, write
from server.storage.console_models import ROLES, User

MAX_FAILURES = 5  # failed logins per username and address ...
FAILURE_WINDOW = timedelta(minutes=15)  # ... within this window, then refused until it passes
SESSION_LIFETIME = timedelta(hours=12)
MIN_PASSWORD_LENGTH = 10
MAX_USERNAME_LENGTH = 64
MAX_PASSWORD_LENGTH = 1024
SESSION_KEYS = ("console_user", "console_stamp", "console_since")


def hasher() -> PasswordHasher:
    """The argon2 hasher, with the app's parameters (cheap ones in tests)."""
    params = current_app.config.get("ARGON2_PARAMETERS", {}) if has_app_context() else {}
    return PasswordHasher(**params)


def hash_password(password: str) -> str:
    """An argon2id hash of a password."""
    return hasher().hash(password)


def password_problem(password: str) -> Text | None:
    """Why a new password is not acceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return T("the password needs at least %(n)s characters", n=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        return T("the password needs at most %(n)s characters", n=MAX_PASSWORD_LENGTH)
    return None


def check_password(stored_hash: str | None, password: str) -> bool:
    """Verify in constant time; an unknown user still pays for one verification."""
    target = stored_hash or _dummy_hash()
    try:
        ok = hasher().verify(target, password)
    except (VerificationError, InvalidHashError):
        ok = False
    return ok and stored_hash is not None


def _dummy_hash() -> str:
    cache = current_app.extensions.setdefault("scorecard_admin_dummy", {})
    if "hash" not in cache:
        cache["hash"] = hash_password(secrets.token_urlsafe(16))
    return cache["hash"]


def create_user(username: str, password: str, role: str, actor: str) -> User:
    """Store a new user with an audit entry; ValueError says what is wrong."""
    username = username.strip()
    if not username or len(username) > MAX_USERNAME_LENGTH or not username.isprintable():
        raise ValueError(T("a username is 1-%(n)s printable characters", n=MAX_USERNAME_LENGTH))
    if role not in ROLES:
        raise ValueError(
            T("unknown account role %(role)r: use %(roles)s", role=role, roles=", ".join(ROLES))
        )
    problem = password_problem(password)
    if problem:
        raise ValueError(problem)
    digest = hash_password(password)

    def work() -> User:
        if console_queries.user_named(username) is not None:
            raise ValueError(T("a user named %(name)r exists already", name=username))
        user = console_queries.add_user(username, digest, role, console_queries.new_stamp())
        audit_queries.insert_audit(
            [audit_queries.audit(actor, "user.create", f"user/{username}", {"role": role})]
        )
        return user

    return write(work, [f"user:{username}"])


def update_user(
    user: User,
    actor: str,
    *,
    password: str | None = None,
    role: str | None = None,
    disabled: bool | None = None,
) -> User:
    """Change a user's password, role or disabled state, with an audit entry."""
    changes: dict[str, object] = {}
    if password is not None:
        problem = password_problem(password)
        if problem:
            raise ValueError(problem)
        user.password_hash = hash_password(password)
        changes["password"] = "changed"
    if role is not None and role != user.role:
        if role not in ROLES:
            raise ValueError(
                T("unknown account role %(role)r: use %(roles)s", role=role, roles=", ".join(ROLES))
            )
        changes["role"] = [user.role, role]
        user.role = role
    if disabled is not None and disabled != (user.disabled_at is not None):
        user.disabled_at = utcnow() if disabled else None
        changes["disabled"] = disabled
    if not changes:
        return user
    user.session_stamp = console_queries.new_stamp()  # every open session of the user ends

    def work() -> User:
        console_queries.save_user(user)
        audit_queries.insert_audit(
            [audit_queries.audit(actor, "user.update", f"user/{user.username}", changes)]
        )
        return user

    return write(work, [f"user:{user.username}"])


@dataclass
class LoginOutcome:
    """What a login attempt came to."""

    user: User | None
    throttled: bool = False


def client_ip() -> str:
    """The address a request came from (as the WSGI server or a proxy fix reports it)."""
    return (request.remote_addr or "unknown")[:100]


def recent_failures(username: str, ip: str) -> int:
    """Failed logins for this username from this address within the window."""
    return console_queries.failures_since(username, ip, utcnow() - FAILURE_WINDOW)


def attempt_login(username: str, password: str) -> LoginOutcome:
    """Check a username and password; failures are counted and audited in one transaction."""
    username = username.strip()[:MAX_USERNAME_LENGTH]
    ip = client_ip()
    if recent_failures(username, ip) >= MAX_FAILURES:
        _record(username, ip, "console.login_throttled", failure=False)
        return LoginOutcome(None, throttled=True)
    user = console_queries.user_named(username)
    ok = check_password(user.password_hash if user else None, password[:MAX_PASSWORD_LENGTH])
    if not ok or user is None or not user.active:
        _record(username, ip, "console.login_failed", failure=True)
        return LoginOutcome(None)

    def work() -> None:
        console_queries.record_login(user, ip)
        details = {"ip": ip, "role": user.role}
        audit_queries.insert_audit(
            [audit_queries.audit(f"user:{username}", "console.login", f"user/{username}", details)]
        )

    write(work, [f"login:{username}"])
    return LoginOutcome(user)


def _record(username: str, ip: str, action: str, *, failure: bool) -> None:
    def work() -> None:
        if failure:
            now = utcnow()
            console_queries.record_failure(username, ip, now, now - FAILURE_WINDOW)
        audit_queries.insert_audit(
            [audit_queries.audit("anonymous", action, f"user/{username}", {"ip": ip})]
        )

    write(work, [f"login:{username}"])


def start_session(user: User) -> None:
    """Remember the user in the (signed, HttpOnly) session cookie."""
    language = session.get("console_lang")
    session.clear()
    if language:
        session["console_lang"] = language
    session.permanent = True
    session["console_user"] = user.id
    session["console_stamp"] = user.session_stamp
    session["console_since"] = utcnow().isoformat()


def end_session() -> None:
    """Forget the user (the language choice stays)."""
    for key in SESSION_KEYS:
        session.pop(key, None)


def current_user() -> User | None:
    """The logged-in, active user of this request, or None."""
    if "console_user_loaded" in g:
        return g.console_user
    user = None
    uid, stamp, since = (session.get(k) for k in SESSION_KEYS)
    if isinstance(uid, int) and isinstance(stamp, str) and isinstance(since, str):
        try:
            fresh = utcnow() - datetime.fromisoformat(since) < SESSION_LIFETIME
        except ValueError:
            fresh = False
        found = console_queries.user_by_id(uid) if fresh else None
        if found is not None and found.active and found.session_stamp == stamp:
            user = found
    g.console_user, g.console_user_loaded = user, True
    return user


def actor_name() -> str:
    """The audit-log actor of the current console user."""
    user = current_user()
    return f"user:{user.username}" if user else "anonymous"

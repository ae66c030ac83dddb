"""API keys: `sk_<id>_<secret>`, stored as an argon2 hash, checked on every request.

The public id finds the row in one query; a successful argon2 verification is cached per
process by the SHA-256 of the whole key, but the row is re-read on every request so a
revocation takes effect at once in every worker.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from collections.abc import Callable
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, g, request

from server import storage
from server.errors import Forbidden, Unauthenticated
from server.storage import ApiKey

SCOPES = ("evaluate", "read", "publish")
KEY_PATTERN = re.compile(r"sk_([0-9a-f]{16})_([A-Za-z0-9_-]{20,100})")
CACHE_LIMIT = 4096
_verified: dict[bytes, tuple[int, str]] = {}  # sha256(key) -> (row id, row hash)


def _hasher() -> PasswordHasher:
    return PasswordHasher(**current_app.config.get("ARGON2_PARAMETERS", {}))


def parse_scopes(text: str) -> list[str]:
    """Scopes from `evaluate,read,publish`; ValueError names an unknown one."""
    scopes = [s.strip() for s in text.split(",") if s.strip()]
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise ValueError(f"unknown scope {', '.join(unknown) or '(none)'}: use {', '.join(SCOPES)}")
    return sorted(set(scopes), key=SCOPES.index)


def create_key(name: str, scopes: list[str], actor: str) -> tuple[ApiKey, str]:
    """Store a new key (hashed) with an audit entry; the plain key is returned only here."""
    key_id = secrets.token_hex(8)
    key = f"sk_{key_id}_{secrets.token_urlsafe(32)}"
    digest = _hasher().hash(key)

    def work() -> ApiKey:
        row = ApiKey.create(
            name=name,
            key_id=key_id,
            hash=digest,
            scopes=",".join(scopes),
            created_at=storage.utcnow(),
        )
        storage.insert_audit(
            [storage.audit(actor, "key.create", f"key/{name}", {"scopes": scopes, "id": key_id})]
        )
        return row

    return storage.write(work, [f"key:{name}"]), key


def revoke_key(name: str, actor: str) -> ApiKey | None:
    """Mark a key revoked (idempotent); None when there is no key of that name."""

    def work() -> ApiKey | None:
        row = ApiKey.get_or_none(ApiKey.name == name)
        if row is None or row.revoked_at is not None:
            return row
        row.revoked_at = storage.utcnow()
        row.save()
        storage.insert_audit(
            [storage.audit(actor, "key.revoke", f"key/{name}", {"id": row.key_id})]
        )
        return row

    return storage.write(work, [f"key:{name}"])


_KEY_FIELDS = [ApiKey._meta.fields[n] for n in ApiKey._meta.sorted_field_names]


def _key_row(key_id: str) -> ApiKey | None:
    """The key's row, read on every request (one prepared query: revocation is immediate)."""
    rows = storage.prepared(
        "auth.key_row",
        lambda: ApiKey.select(*_KEY_FIELDS).where(ApiKey.key_id == storage.Param("key_id")),
        {"key_id": key_id},
    )
    if not rows:
        return None
    values = {f.name: f.python_value(v) for f, v in zip(_KEY_FIELDS, rows[0], strict=True)}
    return ApiKey(**values)


def authenticate(header: str | None) -> ApiKey:
    """The live key named by an `Authorization: Bearer` header, or Unauthenticated."""
    scheme, _, key = (header or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise Unauthenticated("send an API key as Authorization: Bearer <key>")
    match = KEY_PATTERN.fullmatch(key.strip())
    row = _key_row(match.group(1)) if match else None
    if row is None or row.revoked_at is not None:
        raise Unauthenticated("the API key is unknown or revoked")
    fingerprint = hashlib.sha256(key.strip().encode("utf-8")).digest()
    if _verified.get(fingerprint) != (row.id, row.hash):
        try:
            _hasher().verify(row.hash, key.strip())  # constant-time comparison inside argon2
        except (VerificationError, InvalidHashError):
            raise Unauthenticated("the API key is unknown or revoked") from None
        if len(_verified) >= CACHE_LIMIT:
            _verified.clear()
        _verified[fingerprint] = (row.id, row.hash)
    return row


def actor() -> str:
    """Who is acting in this request, as written to the audit log and `created_by`."""
    key = g.get("api_key")
    return f"key:{key.name}" if key is not None else "anonymous"


def has_scope(scope: str) -> bool:
    """Whether the request's key carries `scope`."""
    key = g.get("api_key")
    return key is not None and scope in key.scopes.split(",")


def require_scope(scope: str) -> None:
    """Raise Forbidden unless the request's key carries `scope`."""
    if not has_scope(scope):
        raise Forbidden(f"this API key lacks the {scope} scope", [])


def requires(scope: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a view: authenticate the request (401) and demand `scope` (403)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            g.api_key = authenticate(request.headers.get("Authorization"))
            require_scope(scope)
            return view(*args, **kwargs)

        return wrapped

    return decorate

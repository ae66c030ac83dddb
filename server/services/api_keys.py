"""API keys: `sk_<id>_<secret>`, stored as an argon2 hash; created, revoked, verified.

The public id finds the row in one query; a successful argon2 verification is cached per
process by the SHA-256 of the whole key, but the row is re-read on every request (only while
unrevoked: the query asks for `revoked_at IS NULL`) so a revocation takes effect at once in
every worker.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from server.engine.language import T
from server.storage import audit_queries, key_queries, write
from server.storage.models import ApiKey

SCOPES = ("evaluate", "read", "publish", "plan", "review", "approve")
KEY_PATTERN = re.compile(r"sk_([0-9a-f]{16})_([A-Za-z0-9_-]{20,100})")
CACHE_LIMIT = 4096
_verified: dict[bytes, tuple[int, str]] = {}  # sha256(key) -> (row id, row hash)
_parameters: dict[str, Any] = {}  # argon2-cffi PasswordHasher parameters ({}: its defaults)


def configure(parameters: dict[str, Any]) -> None:
    """Hash keys with these PasswordHasher parameters (the app's ARGON2_PARAMETERS)."""
    _parameters.clear()
    _parameters.update(parameters)


def _hasher() -> PasswordHasher:
    return PasswordHasher(**_parameters)


def parse_scopes(text: str) -> list[str]:
    """Scopes from `evaluate,read,publish`; ValueError names an unknown one."""
    scopes = [s.strip() for s in text.split(",") if s.strip()]
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise ValueError(
            T(
                "unknown scope %(scopes)s: use %(allowed)s",
                scopes=", ".join(unknown) or T("(none)"),
                allowed=", ".join(SCOPES),
            )
        )
    return sorted(set(scopes), key=SCOPES.index)


def create_key(name: str, scopes: list[str], actor: str) -> tuple[ApiKey, str]:
    """Store a new key (hashed) with an audit entry; the plain key is returned only here."""
    key_id = secrets.token_hex(8)
    key = f"sk_{key_id}_{secrets.token_urlsafe(32)}"
    digest = _hasher().hash(key)

    def work() -> ApiKey:
        row = key_queries.add_key(name, key_id, digest, scopes)
        details = {"scopes": scopes, "id": key_id}
        audit_queries.insert_audit(
            [audit_queries.audit(actor, "key.create", f"key/{name}", details)]
        )
        return row

    return write(work, [f"key:{name}"]), key


def revoke_key(name: str, actor: str) -> ApiKey | None:
    """Mark a key revoked (idempotent); None when there is no key of that name."""

    def work() -> ApiKey | None:
        row = key_queries.key_named(name)
        if row is None or row.revoked_at is not None:
            return row
        key_queries.mark_revoked(row)
        audit_queries.insert_audit(
            [audit_queries.audit(actor, "key.revoke", f"key/{name}", {"id": row.key_id})]
        )
        return row

    return write(work, [f"key:{name}"])


def live_key(key: str) -> key_queries.LiveKey | None:
    """The live (known, not revoked) key whose text this is, or None."""
    key = key.strip()
    match = KEY_PATTERN.fullmatch(key)
    row = key_queries.live_key_by_public_id(match.group(1)) if match else None
    if row is None:
        return None
    fingerprint = hashlib.sha256(key.encode("utf-8")).digest()
    if _verified.get(fingerprint) != (row.id, row.hash):
        try:
            _hasher().verify(row.hash, key)  # constant-time comparison inside argon2
        except (VerificationError, InvalidHashError):
            return None
        if len(_verified) >= CACHE_LIMIT:
            _verified.clear()
        _verified[fingerprint] = (row.id, row.hash)
    return row

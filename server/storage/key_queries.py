"""API keys: the live key by public id (read on every request), rows by name, all of them."""

from __future__ import annotations

from typing import NamedTuple

from server.storage.database import Param, prepared, utcnow
from server.storage.models import ApiKey


class LiveKey(NamedTuple):
    """What authenticating a request takes of an unrevoked key's row."""

    id: int
    name: str
    hash: str  # argon2
    scopes: str  # comma-separated


def live_key_by_public_id(key_id: str) -> LiveKey | None:
    """The unrevoked key with that public id, read on every request so that a revocation
    takes effect at once in every worker: one prepared query of four text columns."""
    rows = prepared(
        "auth.live_key",
        lambda: ApiKey.select(ApiKey.id, ApiKey.name, ApiKey.hash, ApiKey.scopes).where(
            (ApiKey.key_id == Param("key_id")) & ApiKey.revoked_at.is_null()
        ),
        {"key_id": key_id},
    )
    return LiveKey._make(rows[0]) if rows else None


def key_named(name: str) -> ApiKey | None:
    """The key of that name, or None."""
    return ApiKey.get_or_none(ApiKey.name == name)


def key_by_id(row_id: int) -> ApiKey | None:
    """The key with that row id, or None."""
    return ApiKey.get_or_none(ApiKey.id == row_id) if 0 < row_id < 2**31 else None


def all_keys() -> list[ApiKey]:
    """Every key, newest first."""
    return list(ApiKey.select().order_by(ApiKey.created_at.desc()))


def add_key(name: str, key_id: str, digest: str, scopes: list[str]) -> ApiKey:
    """Insert a key row (inside the write that audits it)."""
    return ApiKey.create(
        name=name, key_id=key_id, hash=digest, scopes=",".join(scopes), created_at=utcnow()
    )


def mark_revoked(row: ApiKey) -> None:
    """Record the revocation of a key (inside the write that audits it)."""
    row.revoked_at = utcnow()
    row.save()

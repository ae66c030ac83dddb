"""API keys: rows by public id (read on every request), by name, all of them."""

from __future__ import annotations

from server.storage.database import Param, prepared, utcnow
from server.storage.models import ApiKey

_KEY_FIELDS = [ApiKey._meta.fields[n] for n in ApiKey._meta.sorted_field_names]


def key_by_public_id(key_id: str) -> ApiKey | None:
    """The key's row, read on every request (one prepared query: revocation is immediate)."""
    rows = prepared(
        "auth.key_row",
        lambda: ApiKey.select(*_KEY_FIELDS).where(ApiKey.key_id == Param("key_id")),
        {"key_id": key_id},
    )
    if not rows:
        return None
    values = {f.name: f.python_value(v) for f, v in zip(_KEY_FIELDS, rows[0], strict=True)}
    return ApiKey(**values)


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

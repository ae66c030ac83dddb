"""Keyset paging for lists: `{items, next}` with an opaque cursor (SPEC §5 "Lists")."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import peewee

from server.errors import MalformedRequest

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def parse_limit(text: str | None) -> int:
    """The page size asked for: default 100, clamped to 1,000; not a positive integer -> 400."""
    if text is None or text == "":
        return DEFAULT_LIMIT
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise MalformedRequest(f"limit must be a positive integer, not {text[:50]!r}")
    return min(int(text), MAX_LIMIT)


def encode_cursor(values: Sequence[Any]) -> str:
    """An opaque cursor for the sort key of the last item of a page."""
    raw = json.dumps(list(values), separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _fits(value: Any, key: peewee.Node) -> bool:
    """Whether a cursor value can be compared with the column it stands for."""
    if isinstance(key, peewee.IntegerField | peewee.AutoField):
        return type(value) is int and abs(value) < 2**31
    if not isinstance(value, str) or "\x00" in value:
        return False
    if isinstance(key, peewee.DateField):
        try:
            date.fromisoformat(value)
        except ValueError:
            return False
    return True


def decode_cursor(text: str, keys: Sequence[peewee.Node]) -> list[Any]:
    """The sort key a cursor carries; anything not made by encode_cursor -> 400."""
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        values = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError):
        values = None
    if (
        not isinstance(values, list)
        or len(values) != len(keys)
        or not all(_fits(v, k) for v, k in zip(values, keys, strict=True))
    ):
        raise MalformedRequest("cursor is not one this server gave out")
    return values


def page(
    query: peewee.ModelSelect,
    keys: Sequence[peewee.Node],
    sort_values: Callable[[Any], Sequence[Any]],
    limit: int,
    cursor: str | None,
) -> tuple[list[Any], str | None]:
    """One page of `query` in ascending order of `keys`, and the cursor of the next one."""
    if cursor:
        after = decode_cursor(cursor, keys)
        query = query.where(peewee.Tuple(*keys) > peewee.Tuple(*after))
    rows = list(query.order_by(*keys).limit(limit + 1))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, encode_cursor(sort_values(rows[-1])) if more else None

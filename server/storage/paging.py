"""Keyset paging for lists: one page of a query and an opaque cursor for the next one."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import peewee


class BadCursor(ValueError):
    """A cursor this server did not give out."""


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
    """The sort key a cursor carries; BadCursor for anything not made by encode_cursor."""
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
        raise BadCursor("cursor is not one this server gave out")
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

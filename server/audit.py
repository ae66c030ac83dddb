"""Reading the append-only audit log: oldest first, from a moment on, filtered, a page at a time.

Entries are only ever inserted, each in the transaction of the write it records
(storage.audit / storage.insert_audit); nothing updates or deletes them.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import peewee

from server import paging, storage
from server.engine import Problem
from server.errors import Unprocessable
from server.storage import AuditEntry

FILTERS = ("action", "actor", "target")
# RFC 3339 date-time (T or space), or a full-date alone (midnight UTC)
RFC3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}"
    r"([Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2}))?"
)
# an unencoded `+` in a query string arrives as a space: 2025-01-01T00:00:00 08:00
SPACED_OFFSET = re.compile(r"(T\d{2}:\d{2}:\d{2}(\.\d+)?) (\d{2}:\d{2})$")


def parse_since(text: str) -> datetime:
    """An RFC 3339 moment as naive UTC (as stored); 422 at /since otherwise."""
    text = SPACED_OFFSET.sub(r"\1+\3", text.strip())
    problem = Problem(
        "/since", f"must be an RFC 3339 time such as 2025-07-01T00:00:00Z, not {text[:50]!r}"
    )
    if not RFC3339.fullmatch(text):
        raise Unprocessable("since is not an RFC 3339 time", [problem])
    fraction = re.search(r"\.(\d+)", text)
    if fraction and len(fraction.group(1)) > 6:  # Python keeps microseconds
        text = text.replace(fraction.group(0), "." + fraction.group(1)[:6])
    try:
        moment = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        raise Unprocessable("since is not an RFC 3339 time", [problem]) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:
        raise Unprocessable("since is not an RFC 3339 time", [problem]) from None


def entry_json(row: AuditEntry) -> dict[str, Any]:
    """An audit entry as the API answers it."""
    return {
        "id": row.id,
        "at": storage.rfc3339(row.at),
        "actor": row.actor,
        "action": row.action,
        "target": row.target,
        "details": row.details,
    }


def _target(prefix: str) -> peewee.Expression:
    """`team_lead` matches `team_lead`, `team_lead/2025-Q3` and `team_lead/v2`."""
    head = prefix + "/"
    return (AuditEntry.target == prefix) | (
        peewee.fn.SUBSTR(AuditEntry.target, 1, len(head)) == head
    )


def list_entries(
    filters: dict[str, str], since: datetime | None, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """Entries at or after `since` matching the filters, oldest first, one page."""
    query = AuditEntry.select()
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    for name, value in filters.items():
        if name == "target":
            query = query.where(_target(value))
        else:
            query = query.where(getattr(AuditEntry, name) == value)
    rows, after = paging.page(query, [AuditEntry.id], lambda row: [row.id], limit, cursor)
    return [entry_json(row) for row in rows], after

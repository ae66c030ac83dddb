"""The append-only audit log: rows written in the transaction they record, and read back.

Entries are only ever inserted (`insert_audit`, inside the write they belong to); nothing
updates or deletes them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import peewee

from server.storage import paging
from server.storage.database import bulk_insert, utcnow
from server.storage.models import AuditEntry


def audit(actor: str, action: str, target: str, details: dict[str, Any]) -> dict[str, Any]:
    """An audit row (to insert in the same transaction as what it records)."""
    return {"at": utcnow(), "actor": actor, "action": action, "target": target, "details": details}


def insert_audit(rows: list[dict[str, Any]]) -> None:
    """Insert audit rows; call inside the write transaction they belong to."""
    bulk_insert(AuditEntry, rows)


def _target(prefix: str) -> peewee.Expression:
    """`team_lead` matches `team_lead`, `team_lead/2025-Q3` and `team_lead/v2`."""
    head = prefix + "/"
    return (AuditEntry.target == prefix) | (
        peewee.fn.SUBSTR(AuditEntry.target, 1, len(head)) == head
    )


def entries_page(
    filters: dict[str, str], since: datetime | None, limit: int, cursor: str | None
) -> tuple[list[AuditEntry], str | None]:
    """Entries at or after `since` matching action, actor or target, oldest first, one page."""
    query = AuditEntry.select()
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    for name, value in filters.items():
        if name == "target":
            query = query.where(_target(value))
        else:
            query = query.where(getattr(AuditEntry, name) == value)
    return paging.page(query, [AuditEntry.id], lambda row: [row.id], limit, cursor)


def newest_entries(action: str = "", page: int = 1, size: int = 50) -> tuple[list[AuditEntry], int]:
    """Entries newest first (of one action, if given): one numbered page, and the count."""
    query = AuditEntry.select()
    if action:
        query = query.where(AuditEntry.action == action)
    rows = list(query.order_by(AuditEntry.id.desc()).paginate(page, size))
    return rows, query.count()


def actions() -> list[str]:
    """Every action the log holds, sorted."""
    return sorted(a for (a,) in AuditEntry.select(AuditEntry.action).distinct().tuples())

"""Closed periods: a role's period that takes no new revision until it is reopened."""

from __future__ import annotations

from server.storage import paging
from server.storage.database import utcnow
from server.storage.models import ClosedPeriod


def closed_row(role: str, period: str) -> ClosedPeriod | None:
    """The row that closes a role's period, or None when it is open."""
    return ClosedPeriod.get_or_none((ClosedPeriod.role == role) & (ClosedPeriod.period == period))


def is_closed(role: str, period: str) -> bool:
    """Whether a role's period is closed."""
    query = ClosedPeriod.select().where(
        (ClosedPeriod.role == role) & (ClosedPeriod.period == period)
    )
    return query.exists()


def add_closed(role: str, period: str, actor: str, reason: str | None) -> ClosedPeriod:
    """Insert the row that closes a period (inside the closing write)."""
    return ClosedPeriod.create(
        role=role, period=period, closed_at=utcnow(), closed_by=actor, reason=reason
    )


def closed_page(role: str, limit: int, cursor: str | None) -> tuple[list[ClosedPeriod], str | None]:
    """A role's closed periods in the order they were closed, one page."""
    query = ClosedPeriod.select().where(ClosedPeriod.role == role)
    return paging.page(query, [ClosedPeriod.id], lambda row: [row.id], limit, cursor)


def remove_closed(row: ClosedPeriod) -> None:
    """Delete the row that closes a period (inside the reopening write)."""
    row.delete_instance()

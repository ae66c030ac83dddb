"""Closing and reopening a role's period: a closed period takes no new revision (409).

Closing takes the same lock as storing into that period, so a store either finishes first
or sees the period closed. Both are idempotent: only a change of state is written, with
its audit entry in the same transaction.
"""

from __future__ import annotations

from typing import Any

from server import rulesets, storage
from server.engine import Problem, parse_period
from server.errors import NotFound, Unprocessable
from server.storage import ClosedPeriod


def check_role(role: str) -> list[Any]:
    """The role's versions; 404 for a role with none."""
    versions = rulesets.versions_of(role)
    if not versions:
        raise NotFound(f"unknown role {role!r}")
    return versions


def check_period(role: str, period: str) -> None:
    """404 unless the role exists and `period` is a period of its kind."""
    versions = check_role(role)
    try:
        kind = parse_period(period).kind
    except ValueError:
        raise NotFound(f"{period[:50]!r} is not a period") from None
    if kind not in {parse_period(v.effective_from).kind for v in versions}:
        raise NotFound(f"{role} has no {kind} periods: {period} is not one of its periods")


def is_closed(role: str, period: str) -> bool:
    """Whether a role's period is closed."""
    query = ClosedPeriod.select().where(
        (ClosedPeriod.role == role) & (ClosedPeriod.period == period)
    )
    return query.exists()


def state(role: str, period: str) -> dict[str, Any]:
    """`{role, period, closed}`."""
    return {"role": role, "period": period, "closed": is_closed(role, period)}


def _reason(reason: Any, required: bool) -> str | None:
    text = reason.strip() if isinstance(reason, str) else ""
    if required and not text:
        raise Unprocessable("a reason is required", [Problem("/reason", "is required: say why")])
    return text or None


def close(role: str, period: str, actor: str, reason: str | None = None) -> dict[str, Any]:
    """Close a role's period (no-op when closed already)."""
    check_period(role, period)
    note = _reason(reason, required=False)

    def work() -> dict[str, Any]:
        if not is_closed(role, period):
            ClosedPeriod.create(
                role=role, period=period, closed_at=storage.utcnow(), closed_by=actor, reason=note
            )
            storage.insert_audit(
                [storage.audit(actor, "period.close", f"{role}/{period}", {"reason": note})]
            )
        return state(role, period)

    return storage.write(work, [f"evaluations:{role}/{period}"])


def reopen(role: str, period: str, actor: str, reason: str | None) -> dict[str, Any]:
    """Reopen a role's period with a reason (no-op when it is open)."""
    check_period(role, period)
    note = _reason(reason, required=True)

    def work() -> dict[str, Any]:
        row = ClosedPeriod.get_or_none(
            (ClosedPeriod.role == role) & (ClosedPeriod.period == period)
        )
        if row is not None:
            details = {
                "reason": note,
                "closed_at": storage.rfc3339(row.closed_at),
                "closed_by": row.closed_by,
            }
            row.delete_instance()
            storage.insert_audit(
                [storage.audit(actor, "period.reopen", f"{role}/{period}", details)]
            )
        return state(role, period)

    return storage.write(work, [f"evaluations:{role}/{period}"])


def closed_json(row: ClosedPeriod) -> dict[str, Any]:
    """A closed period as the API lists it."""
    return {
        "role": row.role,
        "period": row.period,
        "closed": True,
        "closed_at": storage.rfc3339(row.closed_at),
        "closed_by": row.closed_by,
        "reason": row.reason,
    }

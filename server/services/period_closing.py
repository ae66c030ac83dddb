"""Closing and reopening a role's period: a closed period takes no new revision.

Closing takes the same lock as storing into that period, so a store either finishes first
or sees the period closed. Both are idempotent: only a change of state is written, with
its audit entry in the same transaction.
"""

from __future__ import annotations

from typing import Any

from server.engine import parse_period
from server.engine.language import T
from server.engine.periods import PER_PERIOD
from server.services import versions
from server.services.domain_errors import Invalid, Issue, NotFound
from server.storage import audit_queries, closed_periods, rfc3339, write
from server.storage.models import ClosedPeriod


def check_period(role: str, period: str) -> None:
    """NotFound unless the role exists and `period` is a period of its kind."""
    known = versions.require_role(role)
    try:
        kind = parse_period(period).kind
    except ValueError:
        raise NotFound(T("%(period)r is not a period", period=period[:50])) from None
    if kind not in {parse_period(v.effective_from).kind for v in known}:
        raise NotFound(
            T(
                "%(role)s is not evaluated %(per)s: %(period)s is not one of its periods",
                role=role,
                per=PER_PERIOD[kind],
                period=period,
            )
        )


def state(role: str, period: str) -> dict[str, Any]:
    """`{role, period, closed}`."""
    return {"role": role, "period": period, "closed": closed_periods.is_closed(role, period)}


def _reason(reason: Any, required: bool) -> str | None:
    text = reason.strip() if isinstance(reason, str) else ""
    if required and not text:
        raise Invalid(T("a reason is required"), [Issue(T("is required: say why"), "reason")])
    return text or None


def close(role: str, period: str, actor: str, reason: str | None = None) -> dict[str, Any]:
    """Close a role's period (no-op when closed already)."""
    check_period(role, period)
    note = _reason(reason, required=False)

    def work() -> dict[str, Any]:
        if not closed_periods.is_closed(role, period):
            closed_periods.add_closed(role, period, actor, note)
            audit_queries.insert_audit(
                [audit_queries.audit(actor, "period.close", f"{role}/{period}", {"reason": note})]
            )
        return state(role, period)

    return write(work, [f"evaluations:{role}/{period}"])


def reopen(role: str, period: str, actor: str, reason: str | None) -> dict[str, Any]:
    """Reopen a role's period with a reason (no-op when it is open)."""
    check_period(role, period)
    note = _reason(reason, required=True)

    def work() -> dict[str, Any]:
        row = closed_periods.closed_row(role, period)
        if row is not None:
            details = {
                "reason": note,
                "closed_at": rfc3339(row.closed_at),
                "closed_by": row.closed_by,
            }
            closed_periods.remove_closed(row)
            audit_queries.insert_audit(
                [audit_queries.audit(actor, "period.reopen", f"{role}/{period}", details)]
            )
        return state(role, period)

    return write(work, [f"evaluations:{role}/{period}"])


def closed_list(
    role: str, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """The role's closed periods, in the order they were closed, one page."""
    rows, after = closed_periods.closed_page(role, limit, cursor)
    return [closed_json(row) for row in rows], after


def closed_json(row: ClosedPeriod) -> dict[str, Any]:
    """A closed period as the API lists it."""
    return {
        "role": row.role,
        "period": row.period,
        "closed": True,
        "closed_at": rfc3339(row.closed_at),
        "closed_by": row.closed_by,
        "reason": row.reason,
    }

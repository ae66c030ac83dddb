"""Ruleset proposals (SPEC §12): insert one, read them, decide one exactly once."""

from __future__ import annotations

from typing import Any

from server.storage import paging
from server.storage.database import utcnow
from server.storage.models import EvaluationRecord, RulesetProposal

STATES = ("pending", "approved", "rejected")


def create_proposal(
    role: str,
    effective_from: str,
    note: str,
    document: dict[str, Any],
    digest: str,
    base_version: int | None,
    details: dict[str, Any],
    actor: str,
) -> RulesetProposal:
    """Insert a pending proposal; `details` holds its diff, coverage, impact and warnings."""
    return RulesetProposal.create(
        role=role,
        effective_from=effective_from,
        note=note,
        document=document,
        hash=digest,
        base_version=base_version,
        diff=details["diff"],
        coverage=details["coverage"],
        impact=details["impact"],
        warnings=details["warnings"],
        proposed_by=actor,
        proposed_at=utcnow(),
    )


def get_proposal(proposal_id: int) -> RulesetProposal | None:
    """One proposal, or None."""
    if not 0 < proposal_id < 2**31:
        return None
    return RulesetProposal.get_or_none(RulesetProposal.id == proposal_id)


def proposals_page(
    filters: dict[str, str], limit: int, cursor: str | None
) -> tuple[list[RulesetProposal], str | None]:
    """Proposals (of a role, in a state, when given), oldest first, one page."""
    query = RulesetProposal.select()
    if filters.get("role"):
        query = query.where(RulesetProposal.role == filters["role"])
    if filters.get("state"):
        query = query.where(RulesetProposal.state == filters["state"])
    return paging.page(query, [RulesetProposal.id], lambda r: [r.id], limit, cursor)


def pending_proposals() -> list[RulesetProposal]:
    """Every pending proposal, oldest first (the console's approvals page)."""
    query = RulesetProposal.select().where(RulesetProposal.state == "pending")
    return list(query.order_by(RulesetProposal.id))


def proposals_by(actor: str, limit: int = 20) -> list[RulesetProposal]:
    """An actor's latest proposals, newest first (so a proposer sees each outcome)."""
    query = RulesetProposal.select().where(RulesetProposal.proposed_by == actor)
    return list(query.order_by(RulesetProposal.id.desc()).limit(limit))


def decide(proposal_id: int, state: str, actor: str, note: str, version: int | None = None) -> bool:
    """Move a pending proposal to `state`; False when it was no longer pending (call inside
    the write that does what the decision does: only one decision can ever succeed)."""
    updated = (
        RulesetProposal.update(
            state=state,
            decided_by=actor,
            decided_at=utcnow(),
            decision_note=note,
            version=version,
        )
        .where((RulesetProposal.id == proposal_id) & (RulesetProposal.state == "pending"))
        .execute()
    )
    return updated == 1


def latest_stored_period(role: str) -> str | None:
    """The role's period with stored results that starts last, or None."""
    row = (
        EvaluationRecord.select(EvaluationRecord.period)
        .where(EvaluationRecord.role == role)
        .order_by(EvaluationRecord.period_start.desc(), EvaluationRecord.period.desc())
        .first()
    )
    return row.period if row else None

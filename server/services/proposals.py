"""Publishing with a second pair of eyes (SPEC §12): propose a ruleset change, approve it
(another actor; the golden examples checked again; published in the same transaction) or
reject it with a reason. Every step is audited.

A proposal keeps what its proposer saw: the diff against the version in force for its
`effective_from`, the coverage of its golden examples and its impact on the latest period
with stored results of the role.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from server.engine import DocumentInvalid, diff_documents, document_hash, parse_period
from server.engine.language import T
from server.services import impact, publishing, versions
from server.services.domain_errors import Invalid, NotFound, NotPending, Refused
from server.storage import audit_queries, proposal_queries, rfc3339, version_queries, write
from server.storage.models import RulesetProposal, RulesetVersion

STATES = proposal_queries.STATES


@dataclass
class Approved:
    """The outcome of an approval: the proposal as decided and the version it published."""

    proposal: RulesetProposal
    published: publishing.Published


def _in_force(role: str, effective_from: str) -> RulesetVersion | None:
    """The version in force for `effective_from` (with its document), or None."""
    row = versions.version_in_force(
        version_queries.versions_of(role), parse_period(effective_from).start
    )
    return version_queries.get_version(role, row.version) if row else None


def _diff(role: str, document: dict[str, Any], old: RulesetVersion | None) -> dict[str, Any]:
    """SPEC §5's diff against the version in force (all added when there is none)."""
    changes = diff_documents(old.document if old else {}, document)
    return {"role": role, "from": old.version if old else None, "to": None, "changes": changes}


def _multipliers(document: Any) -> dict[str, float]:
    bands = document.get("rating") if isinstance(document, dict) else None
    return {
        b["key"]: b["bonus_multiplier"]
        for b in bands or []
        if isinstance(b, dict) and isinstance(b.get("bonus_multiplier"), int | float)
    }


def _impact(
    role: str, document: dict[str, Any], base: dict[str, Any] | None
) -> dict[str, Any] | None:
    """SPEC §5's impact answer over the latest period with stored results (None: no period,
    or one of another kind than the document's), with `mean_bonus_multiplier_delta`: the mean
    change of the bonus multiplier (before: the band's in the version in force, `base`)."""
    period = proposal_queries.latest_stored_period(role)
    if period is None or parse_period(period).kind != document.get("period"):
        return None
    try:
        after = impact.draft_ruleset(document)
    except DocumentInvalid:
        return None
    answer = impact.analyse(role, period, after).as_json()
    old, new = _multipliers(base), _multipliers(document)
    deltas = [
        Decimal(repr(new[e["after"]["rating"]])) - Decimal(repr(old[e["before"]["rating"]]))
        for e in answer["employees"]
        if e["before"]["rating"] in old and e["after"]["rating"] in new
    ]
    answer["mean_bonus_multiplier_delta"] = float(sum(deltas) / len(deltas)) if deltas else None
    return answer


def propose(
    role: str, document: dict[str, Any], effective_from: str, note: str, actor: str
) -> RulesetProposal:
    """Store a pending proposal, validated as a publish is (Invalid with every problem)."""
    checked = publishing.check(role, document, effective_from)
    if checked.issues:
        raise Invalid(T("the ruleset cannot be proposed"), checked.issues)
    base = _in_force(role, effective_from)
    details = {
        "diff": _diff(role, document, base),
        "coverage": checked.coverage,
        "impact": _impact(role, document, base.document if base else None),
        "warnings": [p.as_dict() for p in checked.warnings],
    }

    def work() -> RulesetProposal:
        latest = version_queries.latest_version(role)
        row = proposal_queries.create_proposal(
            role,
            effective_from,
            note,
            document,
            document_hash(document),
            latest.version if latest else None,
            details,
            actor,
        )
        entry = {"effective_from": effective_from, "note": note, "hash": row.hash}
        audit_queries.insert_audit(
            [audit_queries.audit(actor, "proposal.create", f"{role}/p{row.id}", entry)]
        )
        return row

    return write(work, [f"publish:{role}"])


def require_proposal(proposal_id: int) -> RulesetProposal:
    """One proposal; NotFound when there is none of that id."""
    row = proposal_queries.get_proposal(proposal_id)
    if row is None:
        raise NotFound(T("there is no proposal %(id)s", id=proposal_id))
    return row


def _pending(row: RulesetProposal) -> RulesetProposal:
    """The proposal as it is now, NotPending unless it is still pending."""
    current = proposal_queries.get_proposal(row.id)
    if current is None or current.state != "pending":
        state = current.state if current else "gone"
        raise NotPending(
            T("proposal %(id)s is no longer pending: it was %(state)s", id=row.id, state=state)
        )
    return current


def _not_own(row: RulesetProposal, actor: str) -> None:
    if row.proposed_by == actor:
        raise Refused(
            T(
                "proposal %(id)s was made by %(actor)s; another person must approve or "
                "reject it (four-eyes principle)",
                id=row.id,
                actor=actor,
            )
        )


def approve(proposal_id: int, note: str, actor: str) -> Approved:
    """Publish a pending proposal as the role's next version, in the transaction that marks it
    approved; Refused for its own proposer, NotPending when already decided, Invalid when the
    golden examples (checked again) or the document no longer pass, or when a version was
    published since it was proposed (its diff and impact no longer tell what changes)."""
    row = require_proposal(proposal_id)
    _not_own(row, actor)
    _pending(row)
    checked = publishing.check(row.role, row.document, row.effective_from)
    if checked.issues:
        raise Invalid(T("the proposal can no longer be published"), checked.issues)

    def work() -> Approved:
        current = _pending(row)
        latest = version_queries.latest_version(row.role)
        if (latest.version if latest else None) != current.base_version:
            raise NotPending(
                T(
                    "version %(version)s of %(role)s was published after proposal %(id)s "
                    "was made; its diff and impact are out of date: propose the change again",
                    version=latest.version if latest else 0,
                    role=row.role,
                    id=row.id,
                )
            )
        published = publishing.insert_version(
            row.role,
            row.document,
            row.effective_from,
            row.note,
            actor,
            checked,
            {"proposal": row.id, "proposed_by": row.proposed_by, "approval_note": note},
        )
        if not proposal_queries.decide(row.id, "approved", actor, note, published.row.version):
            raise NotPending(T("proposal %(id)s was decided meanwhile", id=row.id))
        entry = {"version": published.row.version, "note": note}
        audit_queries.insert_audit(
            [audit_queries.audit(actor, "proposal.approve", f"{row.role}/p{row.id}", entry)]
        )
        decided = proposal_queries.get_proposal(row.id)
        assert decided is not None
        return Approved(decided, published)

    return write(work, [f"publish:{row.role}"])


def reject(proposal_id: int, reason: str, actor: str) -> RulesetProposal:
    """Reject a pending proposal with a reason (its proposer may: that withdraws it, and
    publishes nothing); NotPending when it was already decided."""
    row = require_proposal(proposal_id)

    def work() -> RulesetProposal:
        _pending(row)
        if not proposal_queries.decide(row.id, "rejected", actor, reason):
            raise NotPending(T("proposal %(id)s was decided meanwhile", id=row.id))
        audit_queries.insert_audit(
            [
                audit_queries.audit(
                    actor, "proposal.reject", f"{row.role}/p{row.id}", {"reason": reason}
                )
            ]
        )
        decided = proposal_queries.get_proposal(row.id)
        assert decided is not None
        return decided

    return write(work, [f"publish:{row.role}"])


def summary(row: RulesetProposal) -> dict[str, Any]:
    """A proposal as lists show it: who proposed what, and its outcome."""
    decision = None
    if row.state != "pending":
        decision = {
            "by": row.decided_by,
            "at": rfc3339(row.decided_at),
            "note": row.decision_note or "",
        }
    return {
        "id": row.id,
        "role": row.role,
        "state": row.state,
        "effective_from": row.effective_from,
        "note": row.note,
        "hash": row.hash,
        "proposed_by": row.proposed_by,
        "proposed_at": rfc3339(row.proposed_at),
        "decision": decision,
        "version": row.version,
    }


def as_json(row: RulesetProposal) -> dict[str, Any]:
    """A proposal with its document, diff, coverage, impact and warnings (SPEC §12)."""
    return {
        **summary(row),
        "diff": row.diff,
        "coverage": row.coverage,
        "impact": row.impact,
        "warnings": row.warnings,
        "document": row.document,
    }

"""Approvals (SPEC §12): the pending proposals, one proposal's diff, impact and example
coverage, and approving or rejecting it with a note. Approvers and admins decide; everyone
reads, and a proposer sees the outcome of each of their proposals."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext

from admin.auth import actor_name
from admin.views.base import APPROVERS, ConsoleView, not_found
from server.services import proposals
from server.services.domain_errors import DomainError, Invalid, NotFound
from server.storage import proposal_queries
from server.storage.models import RulesetProposal

STATE_LABELS = {"pending": "pending approval", "approved": "approved", "rejected": "rejected"}


def _labels(document: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Rating band labels and adjustment names of a document, by key."""

    def named(section: str, field: str) -> dict[str, str]:
        items = document.get(section) if isinstance(document, dict) else None
        return {
            str(i["key"]): str(i.get(field) or i["key"])
            for i in items or []
            if isinstance(i, dict) and "key" in i
        }

    return {"bands": named("rating", "label"), "adjustments": named("adjustments", "name")}


class ApprovalView(ConsoleView):
    """Pending proposals and their decisions; writes (approve, reject) for approvers."""

    write_roles = APPROVERS

    def _proposal(self, proposal_id: int) -> RulesetProposal:
        try:
            return proposals.require_proposal(proposal_id)
        except NotFound:
            raise not_found(gettext("No proposal %(id)s.", id=proposal_id)) from None

    @expose("/")
    def index(self) -> Any:
        return self.render(
            "scorecard/approvals.html",
            pending=proposal_queries.pending_proposals(),
            mine=proposal_queries.proposals_by(actor_name()),
            state_labels=STATE_LABELS,
        )

    @expose("/<int:proposal_id>")
    def show(self, proposal_id: int, errors: list[Any] | None = None, status: int = 200) -> Any:
        row = self._proposal(proposal_id)
        return self.render(
            "scorecard/proposal.html",
            proposal=row,
            labels=_labels(row.document),
            state_labels=STATE_LABELS,
            own=row.proposed_by == actor_name(),
            errors=errors or [],
        ), status

    @expose("/<int:proposal_id>/approve", methods=("POST",))
    def approve(self, proposal_id: int) -> Any:
        row = self._proposal(proposal_id)
        note = request.form.get("note", "").strip()[:2000]
        try:
            approved = proposals.approve(row.id, note, actor_name())
        except Invalid as exc:
            return self.show(row.id, [i.message for i in exc.issues] or [exc.detail], 422)
        except DomainError as exc:
            flash(str(exc.detail), "danger")
            return redirect(url_for(".show", proposal_id=row.id))
        flash(
            gettext("Approved: published as version %(n)s.", n=approved.published.row.version),
            "success",
        )
        return redirect(url_for(".show", proposal_id=row.id))

    @expose("/<int:proposal_id>/reject", methods=("POST",))
    def reject(self, proposal_id: int) -> Any:
        row = self._proposal(proposal_id)
        reason = request.form.get("reason", "").strip()[:2000]
        if not reason:
            return self.show(row.id, [gettext("Say why the change is not approved.")], 422)
        try:
            proposals.reject(row.id, reason, actor_name())
        except DomainError as exc:
            flash(str(exc.detail), "danger")
        else:
            flash(gettext("Rejected; the proposer sees the reason."), "info")
        return redirect(url_for(".show", proposal_id=row.id))

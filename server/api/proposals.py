"""Publishing with a second pair of eyes (SPEC §12): propose, list, read, approve, reject."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from server.api import query
from server.api.body import json_body, optional_json_body
from server.api.error_handler import Unprocessable
from server.api.key_auth import actor, requires
from server.engine import Problem
from server.engine.language import T
from server.services import proposals, versions
from server.services.domain_errors import Invalid, Issue
from server.storage import proposal_queries

bp = Blueprint("api_proposals", __name__)


@bp.post("/rulesets/<role>/proposals")
@requires("publish")
def propose(role: str) -> tuple[dict[str, Any], int]:
    """Propose a change, validated as a publish is: 201 the pending proposal."""
    body = json_body("publish")
    row = proposals.propose(
        role, body["document"], body["effective_from"], body.get("note") or "", actor()
    )
    return proposals.as_json(row), 201


@bp.get("/proposals")
@requires("read")
def list_proposals() -> dict[str, Any]:
    """Proposals, oldest first, of a role and in a state when asked: `{items, next}`."""
    filters = {name: request.args.get(name, "").strip() for name in ("role", "state")}
    if filters["state"] and filters["state"] not in proposals.STATES:
        message = T("state must be pending, approved or rejected")
        raise Unprocessable(T("a query parameter is wrong"), [Problem("/state", message)])
    rows, after = proposal_queries.proposals_page(filters, query.limit(), query.cursor())
    return {"items": [proposals.summary(r) for r in rows], "next": after}


@bp.get("/proposals/<int:proposal_id>")
@requires("read")
def get_proposal(proposal_id: int) -> dict[str, Any]:
    """One proposal with its document, diff, coverage and impact."""
    return proposals.as_json(proposals.require_proposal(proposal_id))


@bp.post("/proposals/<int:proposal_id>/approve")
@requires("approve")
def approve(proposal_id: int) -> tuple[dict[str, Any], int]:
    """Approve (another actor than the proposer): 201 the version it published."""
    body = optional_json_body("approve")
    approved = proposals.approve(proposal_id, body.get("note") or "", actor())
    published = approved.published
    answer = {
        **versions.version_meta(published.row),
        "warnings": [p.under("/document").as_dict() for p in published.warnings],
        "coverage": published.coverage,
        "proposal": proposals.summary(approved.proposal),
    }
    return answer, 201 if published.created else 200


@bp.post("/proposals/<int:proposal_id>/reject")
@requires("approve")
def reject(proposal_id: int) -> dict[str, Any]:
    """Reject with a reason: 200 the proposal, state rejected."""
    body = json_body("reject")
    reason = body["reason"].strip()
    if not reason:
        message = T("must not be blank: say why the change is not approved")
        raise Invalid(message, [Issue(message, "reason")])
    return proposals.as_json(proposals.reject(proposal_id, reason, actor()))

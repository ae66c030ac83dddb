"""Evaluations: compute, store one or a batch, list, read, replay; an employee's history."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from server.api import query
from server.api.body import batch_body, json_body
from server.api.error_handler import MalformedRequest
from server.api.key_auth import actor, require_scope, requires
from server.engine.language import T
from server.schemas import plain_batch
from server.services import evaluating, reading, storing

bp = Blueprint("evaluations", __name__)


@bp.post("/evaluate")
@requires("evaluate")
def evaluate() -> dict[str, Any]:
    """Compute one submission without storing it (a draft `document` needs publish too)."""
    body = json_body("evaluate")
    if "document" in body:
        require_scope("publish")
    return evaluating.evaluate_unstored(body)


@bp.post("/evaluations")
@requires("evaluate")
def store() -> tuple[dict[str, Any], int]:
    """Compute and store one submission: 201 for a new revision, 200 for a retry."""
    body = json_body("submission")
    [(answer, created)] = storing.store([body], actor(), batch=False)
    return answer, 201 if created else 200


@bp.post("/evaluations/batch")
@requires("evaluate")
def store_batch() -> tuple[dict[str, Any], int]:
    """Compute and store up to 10,000 submissions in one transaction: all or none."""
    items, rejected = batch_body("batch", plain_batch().valid)
    answers = storing.store(items, actor(), batch=True, rejected=rejected)
    return {"items": [answer for answer, _ in answers]}, 201


@bp.get("/evaluations")
@requires("read")
def list_evaluations() -> dict[str, Any]:
    """Latest revisions, filtered by role, period, employee_id and rating, one page."""
    filters = {name: request.args[name] for name in reading.FILTERS if name in request.args}
    items, after = reading.list_latest(filters, query.limit(), query.cursor())
    return {"items": items, "next": after}


@bp.get("/evaluations/<int:record_id>")
@requires("read")
def get_evaluation(record_id: int) -> dict[str, Any]:
    """The latest revision with its inputs, and the list of revisions."""
    return reading.get_record(record_id)


@bp.post("/evaluations/<int:record_id>/replay")
@requires("read")
def replay(record_id: int) -> dict[str, Any]:
    """Recompute the latest (or ?revision=n) revision and compare it with what was stored."""
    text = request.args.get("revision")
    if text is not None and not (text.isascii() and text.isdigit()):
        raise MalformedRequest(
            T("revision must be a positive integer, not %(text)r", text=text[:50])
        )
    return reading.replay(record_id, int(text) if text else None)


@bp.get("/employees/<text:employee_id>/history")
@requires("read")
def employee_history(employee_id: str) -> dict[str, Any]:
    """The employee's latest result per period (rating as its key), oldest first."""
    limit = query.limit()
    items, after = reading.employee_history(
        employee_id, request.args.get("role") or None, limit, query.cursor()
    )
    return {"items": items, "next": after}

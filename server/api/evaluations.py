"""Evaluations: compute, store one or a batch, list, read, replay; an employee's history."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, request

from server.api import query
from server.api.body import json_body
from server.api.error_handler import MalformedRequest, TooLarge, Unprocessable
from server.api.key_auth import actor, require_scope, requires
from server.engine.language import T
from server.schemas import plain_batch, schema_set
from server.services import evaluating, reading, storing
from server.services.domain_errors import Issue

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


def _item_issues(body: dict[str, Any]) -> dict[int, list[Issue]]:
    """The batch body's schema problems, by item; 422 at once for a problem of the body
    itself (not of one item): items with problems are reported with the others' problems."""
    problems = [] if plain_batch().valid(body) else schema_set().problems("batch", body)
    if not all(p.path.startswith("/items/") for p in problems):
        raise Unprocessable(T("the request body does not match its schema"), problems)
    found: dict[int, list[Issue]] = {}
    for problem in problems:
        _, _, index, *rest = problem.path.split("/")
        path = "".join("/" + part for part in rest)
        found.setdefault(int(index), []).append(Issue(problem.message, "", path, int(index)))
    return found


@bp.post("/evaluations/batch")
@requires("evaluate")
def store_batch() -> tuple[dict[str, Any], int]:
    """Compute and store up to 10,000 submissions in one transaction: all or none."""
    body = json_body()
    limit = current_app.config["MAX_BATCH_ITEMS"]
    if isinstance(body.get("items"), list) and len(body["items"]) > limit:
        raise TooLarge(
            T("a batch holds at most %(limit)s items, not %(n)s", limit=limit, n=len(body["items"]))
        )
    rejected = _item_issues(body)
    answers = storing.store(body["items"], actor(), batch=True, rejected=rejected)
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

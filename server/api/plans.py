"""Period plans (SPEC §9): set, acknowledge, read and list employees' targets; a batch."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from server.api import query
from server.api.body import batch_body, json_body
from server.api.error_handler import Unprocessable
from server.api.key_auth import actor, requires
from server.engine import Problem
from server.engine.language import T
from server.services import planning

bp = Blueprint("api_plans", __name__)
FILTERS = ("role", "period")
BOOLEANS = {"true": True, "false": False}


@bp.put("/plans/<role>/<period>/<text:employee_id>")
@requires("plan")
def put_plan(role: str, period: str, employee_id: str) -> tuple[dict[str, Any], int]:
    """Set a plan: 201 for a new revision, 200 when the inputs are those stored."""
    planning.check_plan_path(role, period, employee_id)
    body = json_body("plan-put")
    answer, created = planning.put_plan(role, period, employee_id, body, actor())
    return answer, 201 if created else 200


@bp.post("/plans/<role>/<period>/<text:employee_id>/acknowledge")
@requires("plan")
def acknowledge(role: str, period: str, employee_id: str) -> dict[str, Any]:
    """The employee acknowledges the latest revision (idempotent): the plan."""
    planning.check_plan_path(role, period, employee_id)
    body = json_body("plan-acknowledge")
    return planning.acknowledge(role, period, employee_id, body["by"], actor())


@bp.get("/plans/<role>/<period>/<text:employee_id>")
@requires("read")
def get_plan(role: str, period: str, employee_id: str) -> dict[str, Any]:
    """The plan's latest revision with the list of its revisions."""
    return planning.get_plan(role, period, employee_id)


def _acknowledged() -> bool | None:
    text = request.args.get("acknowledged")
    if text is None or text == "":
        return None
    if text not in BOOLEANS:
        problem = Problem(
            "/acknowledged", T("must be true or false, not %(text)s", text=repr(text[:50]))
        )
        raise Unprocessable(T("a query parameter is wrong"), [problem])
    return BOOLEANS[text]


@bp.get("/plans")
@requires("read")
def list_plans() -> dict[str, Any]:
    """The latest revision of each plan, filtered by role, period and acknowledgement."""
    filters = {name: request.args[name] for name in FILTERS if request.args.get(name)}
    acknowledged = _acknowledged()
    items, after = planning.list_plans(filters, acknowledged, query.limit(), query.cursor())
    return {"items": items, "next": after}


@bp.post("/plans/batch")
@requires("plan")
def store_batch() -> tuple[dict[str, Any], int]:
    """Store up to 10,000 plans in one transaction: all or none."""
    items, rejected = batch_body("plan-batch")
    answers = planning.store_plans(items, actor(), batch=True, rejected=rejected)
    return {"items": [answer for answer, _ in answers]}, 201

"""Tracking during the period (SPEC §10): store a snapshot of figures to date, list each
employee's latest."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from server.api import query
from server.api.body import json_body
from server.api.error_handler import Unprocessable
from server.api.key_auth import actor, requires
from server.engine import Problem
from server.engine.language import T
from server.services import tracking

bp = Blueprint("tracking", __name__)
FLAGS = {"true": True, "false": False}


@bp.post("/tracking")
@requires("evaluate")
def store_snapshot() -> tuple[dict[str, Any], int]:
    """Evaluate figures to date (projected to the period's end) and store the snapshot."""
    return tracking.store_snapshot(json_body("tracking"), actor()), 201


@bp.get("/tracking")
@requires("read")
def list_snapshots() -> dict[str, Any]:
    """The latest snapshot of each employee of a role's period, at-risk filter, one page."""
    wanted = query.required("role", "period")
    flag = request.args.get("at_risk")
    if flag is not None and flag not in FLAGS:
        problem = Problem("/at_risk", T("must be true or false"))
        raise Unprocessable(T("a query parameter is wrong"), [problem])
    items, after = tracking.list_latest(
        wanted["role"], wanted["period"], FLAGS.get(flag or ""), query.limit(), query.cursor()
    )
    return {"items": items, "next": after}

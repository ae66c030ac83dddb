"""Closing a role's period (no new revisions) and reopening it with a reason."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from server.api import query
from server.api.body import optional_json_body
from server.api.key_auth import actor, requires
from server.services import period_closing, versions

bp = Blueprint("api_periods", __name__)


@bp.post("/periods/<role>/<period>/close")
@requires("publish")
def close(role: str, period: str) -> dict[str, Any]:
    """Close the period (idempotent): `{role, period, closed: true}`."""
    period_closing.check_period(role, period)
    body = optional_json_body("period-close")
    return period_closing.close(role, period, actor(), body.get("reason"))


@bp.post("/periods/<role>/<period>/reopen")
@requires("publish")
def reopen(role: str, period: str) -> dict[str, Any]:
    """Reopen the period with `{reason}` (idempotent): `{role, period, closed: false}`."""
    period_closing.check_period(role, period)
    body = optional_json_body("period-reopen")
    return period_closing.reopen(role, period, actor(), body.get("reason"))


@bp.get("/periods/<role>/<period>")
@requires("read")
def get_period(role: str, period: str) -> dict[str, Any]:
    """Whether the period is closed: `{role, period, closed}`."""
    period_closing.check_period(role, period)
    return period_closing.state(role, period)


@bp.get("/periods/<role>")
@requires("read")
def closed_periods(role: str) -> dict[str, Any]:
    """The role's closed periods, in the order they were closed."""
    versions.require_role(role)
    items, after = period_closing.closed_list(role, query.limit(), query.cursor())
    return {"items": items, "next": after}

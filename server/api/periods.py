"""Closing a role's period (no new revisions) and reopening it with a reason."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from server import paging, periods
from server.api.body import check, json_body
from server.auth import actor, requires
from server.storage import ClosedPeriod

bp = Blueprint("api_periods", __name__)


def _optional_body(schema: str) -> dict[str, Any]:
    """The JSON body; a request without one is checked as the empty object."""
    # a declared length goes to json_body unread, so 415 answers before 413 as for every body
    if not request.content_length and not request.get_data(cache=True):
        check(schema, {})
        return {}
    return json_body(schema)


@bp.post("/periods/<role>/<period>/close")
@requires("publish")
def close(role: str, period: str) -> dict[str, Any]:
    """Close the period (idempotent): `{role, period, closed: true}`."""
    periods.check_period(role, period)
    body = _optional_body("period-close")
    return periods.close(role, period, actor(), body.get("reason"))


@bp.post("/periods/<role>/<period>/reopen")
@requires("publish")
def reopen(role: str, period: str) -> dict[str, Any]:
    """Reopen the period with `{reason}` (idempotent): `{role, period, closed: false}`."""
    periods.check_period(role, period)
    body = _optional_body("period-reopen")
    return periods.reopen(role, period, actor(), body.get("reason"))


@bp.get("/periods/<role>/<period>")
@requires("read")
def get_period(role: str, period: str) -> dict[str, Any]:
    """Whether the period is closed: `{role, period, closed}`."""
    periods.check_period(role, period)
    return periods.state(role, period)


@bp.get("/periods/<role>")
@requires("read")
def closed_periods(role: str) -> dict[str, Any]:
    """The role's closed periods, in the order they were closed."""
    periods.check_role(role)
    limit = paging.parse_limit(request.args.get("limit"))
    query = ClosedPeriod.select().where(ClosedPeriod.role == role)
    rows, after = paging.page(
        query, [ClosedPeriod.id], lambda row: [row.id], limit, request.args.get("cursor")
    )
    return {"items": [periods.closed_json(row) for row in rows], "next": after}

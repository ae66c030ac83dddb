"""After the period (SPEC §11): feedback, the employee's sign-off, appeals, the shared page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, request, url_for

from server.api import query
from server.api.body import check, json_body
from server.api.key_auth import actor, requires
from server.services import appeals, reviewing, sharing

bp = Blueprint("reviews", __name__)


@bp.get("/evaluations/<int:record_id>/feedback")
@requires("read")
def get_feedback(record_id: int) -> dict[str, Any]:
    """The latest revision's feedback, or the suggested strengths and improvements."""
    return reviewing.get_feedback(record_id)


@bp.put("/evaluations/<int:record_id>/feedback")
@requires("review")
def put_feedback(record_id: int) -> dict[str, Any]:
    """Store the latest revision's feedback (replacing an earlier one of it)."""
    return reviewing.put_feedback(record_id, json_body("feedback-write"), actor())


@bp.post("/evaluations/<int:record_id>/acknowledge")
@requires("review")
def acknowledge(record_id: int) -> dict[str, Any]:
    """Record the employee's sign-off of the latest revision (idempotent)."""
    body = json_body("acknowledge")
    return reviewing.acknowledge(
        record_id, body["revision"], body["by"], body.get("comment"), actor()
    )


@bp.post("/evaluations/<int:record_id>/appeals")
@requires("review")
def open_appeal(record_id: int) -> tuple[dict[str, Any], int]:
    """Open an appeal against the latest revision."""
    return appeals.open_appeal(record_id, json_body("appeal-open"), actor()), 201


@bp.get("/appeals")
@requires("read")
def list_appeals() -> dict[str, Any]:
    """Appeals filtered by role, period and state, oldest first, one page."""
    filters = {name: request.args[name] for name in appeals.FILTERS if request.args.get(name)}
    items, after = appeals.list_appeals(filters, query.limit(), query.cursor())
    return {"items": items, "next": after}


@bp.get("/appeals/<int:appeal_id>")
@requires("read")
def get_appeal(appeal_id: int) -> dict[str, Any]:
    """One appeal."""
    return appeals.get_appeal(appeal_id)


@bp.post("/appeals/<int:appeal_id>/resolve")
@requires("review")
def resolve_appeal(appeal_id: int) -> dict[str, Any]:
    """Uphold (storing the corrected revision) or reject an open appeal."""
    return appeals.resolve(appeal_id, json_body("appeal-resolve"), actor())


@bp.post("/evaluations/<int:record_id>/share")
@requires("review")
def share(record_id: int) -> tuple[dict[str, Any], int]:
    """A link to the employee's page for the latest revision: `{url, expires_at}`."""
    if not request.content_length and not request.get_data(cache=True):
        check("share", {})
        body: dict[str, Any] = {}
    else:
        body = json_body("share")
    days = body.get("expires_in_days", sharing.DEFAULT_DAYS)
    shared = sharing.share(record_id, days, current_app.config["SECRET_KEY"], actor())
    url = url_for("employee_page.show", token=shared["token"], _external=True)
    return {"url": url, "revision": shared["revision"], "expires_at": shared["expires_at"]}, 201

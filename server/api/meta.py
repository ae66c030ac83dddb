"""The OpenAPI document and the list of roles."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, request

from server import paging, rulesets
from server.auth import requires
from server.schemas import schema_set

bp = Blueprint("meta", __name__)


@bp.get("/openapi.json")
def openapi() -> dict[str, Any]:
    """The OpenAPI 3.1 document, with the request schemas the server validates with."""
    return schema_set().openapi


@bp.get("/roles")
@requires("read")
def roles() -> dict[str, Any]:
    """Every role with a published version: its name, current and latest version."""
    limit = paging.parse_limit(request.args.get("limit"))
    rows, after = paging.page(
        rulesets.known_roles(),
        [rulesets.RulesetVersion.role],
        lambda row: [row.role],
        limit,
        request.args.get("cursor"),
    )
    today = date.today()
    return {"items": [rulesets.role_summary(row.role, today) for row in rows], "next": after}

"""The OpenAPI document and the list of roles."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint

from server.api import query
from server.api.key_auth import requires
from server.schemas import schema_set
from server.services import versions
from server.storage import version_queries

bp = Blueprint("meta", __name__)


@bp.get("/openapi.json")
def openapi() -> dict[str, Any]:
    """The OpenAPI 3.1 document, with the request schemas the server validates with."""
    return schema_set().openapi


@bp.get("/roles")
@requires("read")
def roles() -> dict[str, Any]:
    """Every role with a published version: its name, current and latest version."""
    limit = query.limit()
    roles, after = version_queries.roles_page(limit, query.cursor())
    today = date.today()
    return {"items": [versions.role_summary(role, today) for role in roles], "next": after}

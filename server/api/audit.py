"""The append-only audit log, oldest first."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from server import audit, paging
from server.auth import requires

bp = Blueprint("api_audit", __name__)


@bp.get("/audit")
@requires("read")
def audit_log() -> dict[str, Any]:
    """Entries from `since` (RFC 3339, inclusive), filtered by action, actor or target."""
    since = request.args.get("since", "").strip()
    moment = audit.parse_since(since) if since else None
    filters = {name: request.args[name] for name in audit.FILTERS if request.args.get(name)}
    limit = paging.parse_limit(request.args.get("limit"))
    items, after = audit.list_entries(filters, moment, limit, request.args.get("cursor"))
    return {"items": items, "next": after}

"""The append-only audit log, oldest first."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, request

from server.api import query
from server.api.error_handler import Unprocessable
from server.api.key_auth import requires
from server.engine import Problem
from server.engine.language import T
from server.storage import audit_queries, rfc3339
from server.storage.models import AuditEntry

bp = Blueprint("api_audit", __name__)
FILTERS = ("action", "actor", "target")
# RFC 3339 date-time (T or space), or a full-date alone (midnight UTC)
RFC3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}"
    r"([Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2}))?"
)
# an unencoded `+` in a query string arrives as a space: 2025-01-01T00:00:00 08:00
SPACED_OFFSET = re.compile(r"(T\d{2}:\d{2}:\d{2}(\.\d+)?) (\d{2}:\d{2})$")


def parse_since(text: str) -> datetime:
    """An RFC 3339 moment as naive UTC (as stored); 422 at /since otherwise."""
    text = SPACED_OFFSET.sub(r"\1+\3", text.strip())
    problem = Problem(
        "/since",
        T("must be an RFC 3339 time such as 2025-07-01T00:00:00Z, not %(text)r", text=text[:50]),
    )
    refused = T("since is not an RFC 3339 time")
    if not RFC3339.fullmatch(text):
        raise Unprocessable(refused, [problem])
    fraction = re.search(r"\.(\d+)", text)
    if fraction and len(fraction.group(1)) > 6:  # Python keeps microseconds
        text = text.replace(fraction.group(0), "." + fraction.group(1)[:6])
    try:
        moment = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        raise Unprocessable(refused, [problem]) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:
        raise Unprocessable(refused, [problem]) from None


def entry_json(row: AuditEntry) -> dict[str, Any]:
    """An audit entry as the API answers it."""
    return {
        "id": row.id,
        "at": rfc3339(row.at),
        "actor": row.actor,
        "action": row.action,
        "target": row.target,
        "details": row.details,
    }


@bp.get("/audit")
@requires("read")
def audit_log() -> dict[str, Any]:
    """Entries from `since` (RFC 3339, inclusive), filtered by action, actor or target."""
    since = request.args.get("since", "").strip()
    moment = parse_since(since) if since else None
    filters = {name: request.args[name] for name in FILTERS if request.args.get(name)}
    limit = query.limit()
    rows, after = audit_queries.entries_page(filters, moment, limit, query.cursor())
    return {"items": [entry_json(row) for row in rows], "next": after}

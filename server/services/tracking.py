"""Tracking during the period (SPEC §10): snapshots of figures to date, each employee's
latest, and who is at risk.

A snapshot is never a revision: streaks, history, reports, impact and exports read only
revisions, so nothing of a snapshot reaches them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from server.services.evaluating import VersionIndex, evaluate_tracked, history_for, resolve
from server.storage import audit_queries, rfc3339, tracking_queries, utcnow, write


def store_snapshot(body: dict[str, Any], actor: str) -> dict[str, Any]:
    """Evaluate figures to date as of `as_of`, store the snapshot with its audit entry, and
    answer `{id, stored_at, ...result}` with `at_risk`."""
    resolved = resolve(body, VersionIndex())
    role, period, employee_id = body["role"], body["period"], body["employee_id"]
    history = history_for(resolved.compiled, period, employee_id)
    result = evaluate_tracked(resolved, body, history)
    at_risk = result["rating"]["key"] in resolved.compiled.at_risk

    def work() -> Any:
        row = tracking_queries.insert_snapshot(
            {
                "role": role,
                "period": period,
                "employee_id": employee_id,
                "as_of": date.fromisoformat(body["as_of"]),
                "version": resolved.ruleset["version"],
                "hash": resolved.ruleset["hash"],
                "total": result["total"],
                "rating": result["rating"]["key"],
                "at_risk": at_risk,
                "inputs": body["inputs"],
                "result": result,
                "actor": actor,
                "stored_at": utcnow(),
            }
        )
        details = {
            "employee_id": employee_id,
            "as_of": body["as_of"],
            "version": resolved.ruleset["version"],
            "snapshot": row.id,
        }
        entry = audit_queries.audit(actor, "tracking.store", f"{role}/{period}", details)
        audit_queries.insert_audit([entry])
        return row

    row = write(work)
    return {"id": row.id, "stored_at": rfc3339(row.stored_at), "at_risk": at_risk, **result}


def list_latest(
    role: str, period: str, at_risk: bool | None, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """Each employee's latest snapshot of the period, `{id, employee_id, as_of, total,
    rating, at_risk}`, by employee_id, one page."""
    rows, after = tracking_queries.latest_page(role, period, at_risk, limit, cursor)
    items = [
        {
            "id": row.id,
            "employee_id": row.employee_id,
            "as_of": row.as_of.isoformat() if isinstance(row.as_of, date) else str(row.as_of),
            "total": row.total,
            "rating": row.rating,
            "at_risk": bool(row.at_risk),
        }
        for row in rows
    ]
    return items, after

"""Tracking during the period (SPEC §10): snapshots of figures to date, each employee's
latest, and who is at risk.

A snapshot is never a revision: streaks, history, reports, impact and exports read only
revisions, so nothing of a snapshot reaches them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from server.services import evaluating, spreadsheet, versions
from server.services.domain_errors import Invalid, NotFound
from server.services.evaluating import (
    Resolved,
    VersionIndex,
    evaluate_tracked,
    history_for,
    resolve,
)
from server.services.table_files import Sheet
from server.storage import audit_queries, rfc3339, tracking_queries, utcnow, write


def _evaluated(body: dict[str, Any], resolved: Resolved) -> tuple[dict[str, Any], dict[str, Any]]:
    """The tracked result of one body, and the snapshot row that stores it."""
    role, period, employee_id = body["role"], body["period"], body["employee_id"]
    history = history_for(resolved.compiled, period, employee_id)
    result = evaluate_tracked(resolved, body, history)
    row = {
        "role": role,
        "period": period,
        "employee_id": employee_id,
        "as_of": date.fromisoformat(body["as_of"]),
        "version": resolved.ruleset["version"],
        "hash": resolved.ruleset["hash"],
        "total": result["total"],
        "rating": result["rating"]["key"],
        "at_risk": result["rating"]["key"] in resolved.compiled.at_risk,
        "inputs": body["inputs"],
        "result": result,
    }
    return result, row


def _write(rows: list[dict[str, Any]], actor: str) -> list[Any]:
    """Insert snapshots with one audit entry each, in one transaction."""

    def work() -> list[Any]:
        now, stored, entries = utcnow(), [], []
        for row in rows:
            snapshot = tracking_queries.insert_snapshot({**row, "actor": actor, "stored_at": now})
            stored.append(snapshot)
            details = {
                "employee_id": row["employee_id"],
                "as_of": row["as_of"].isoformat(),
                "version": row["version"],
                "snapshot": snapshot.id,
            }
            target = f"{row['role']}/{row['period']}"
            entries.append(audit_queries.audit(actor, "tracking.store", target, details))
        audit_queries.insert_audit(entries)
        return stored

    return write(work)


def store_snapshot(body: dict[str, Any], actor: str) -> dict[str, Any]:
    """Evaluate figures to date as of `as_of`, store the snapshot with its audit entry, and
    answer `{id, stored_at, at_risk, ...result}`."""
    result, row = _evaluated(body, resolve(body, VersionIndex()))
    [snapshot] = _write([row], actor)
    return {
        "id": snapshot.id,
        "stored_at": rfc3339(snapshot.stored_at),
        "at_risk": row["at_risk"],
        **result,
    }


def import_snapshots(sheet: Sheet, role: str, period: str, as_of: str, actor: str) -> int:
    """A mid-period file (CSV/XLSX, as the period import reads it) as snapshots as of
    `as_of`: every row checked, then all stored or none (RowsRejected by row and column)."""
    resolved = spreadsheet.resolve_target(role, period)
    evaluating.as_of_day({"as_of": as_of, "period": period})
    rows = spreadsheet.build_bodies(sheet, role, period, resolved.compiled.document)
    found = []
    for body, number in zip(rows.bodies, rows.numbers):
        body["as_of"] = as_of
        try:
            found.append(_evaluated(body, resolved)[1])
        except Invalid as exc:
            for issue in exc.issues:
                rows.add(number, rows.column_of(issue), issue.message)
    if rows.problems:
        raise spreadsheet.RowsRejected(spreadsheet.ordered(rows.problems))
    return len(_write(found, actor))


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


def board(role: str, period: str) -> list[dict[str, Any]]:
    """Every employee's latest snapshot of the period for the console: at risk first, then
    by projected total (lowest first)."""
    rows = tracking_queries.latest_all(role, period)
    rows.sort(key=lambda r: (not r.at_risk, r.total if r.total is not None else 0.0))
    return [
        {
            "id": r.id,
            "employee_id": r.employee_id,
            "as_of": r.as_of.isoformat() if isinstance(r.as_of, date) else str(r.as_of),
            "total": r.total,
            "rating": r.result["rating"],
            "at_risk": bool(r.at_risk),
            "version": r.version,
            "inputs": r.inputs,
        }
        for r in rows
    ]


def what_it_takes_lines(role: str, item: dict[str, Any], period: str) -> list[str]:
    """What one board row needs to reach the next band, as the sentences of its explanation."""
    try:
        row = versions.require_version(role, item["version"])
    except NotFound:
        return []
    resolved = Resolved(versions.compiled(row), {"version": row.version, "hash": row.hash})
    body = {
        "role": role,
        "period": period,
        "employee_id": item["employee_id"],
        "inputs": item["inputs"],
        "as_of": item["as_of"],
        "what_it_takes": True,
    }
    try:
        result = evaluate_tracked(resolved, body, {})
    except Invalid:
        return []
    needs = result["what_it_takes"]["needs"]
    return result["explanation"][len(result["explanation"]) - len(needs) :] if needs else []

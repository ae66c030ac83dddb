"""Reading stored results: lists of latest revisions, one record, an employee's history, replay."""

from __future__ import annotations

import json
from typing import Any

from server import paging, rulesets, storage
from server.engine import SubmissionRejected
from server.errors import NotFound
from server.evaluations import stored_result
from server.storage import EvaluationRecord, EvaluationRevision
from server.submissions import latest_revision_filter, with_ruleset

MAX_ID = 2**31 - 1  # ids and revisions are 32-bit integers in every database
FILTERS = ("role", "period", "employee_id", "rating")


def _latest() -> Any:
    return (
        EvaluationRevision.select(EvaluationRevision, EvaluationRecord)
        .join(EvaluationRecord)
        .where(latest_revision_filter())
    )


def list_latest(
    filters: dict[str, str], limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """Latest revisions matching the filters, in record order, one page."""
    query = _latest()
    columns = {
        "role": EvaluationRecord.role,
        "period": EvaluationRecord.period,
        "employee_id": EvaluationRecord.employee_id,
        "rating": EvaluationRevision.rating,
    }
    for name, value in filters.items():
        query = query.where(columns[name] == value)
    rows, after = paging.page(
        query, [EvaluationRecord.id], lambda row: [row.record.id], limit, cursor
    )
    return [stored_result(row.record.id, row) for row in rows], after


def _record(record_id: int) -> EvaluationRecord:
    record = (
        EvaluationRecord.get_or_none(EvaluationRecord.id == record_id)
        if 0 < record_id <= MAX_ID
        else None
    )
    if record is None:
        raise NotFound(f"no stored evaluation {record_id}")
    return record


def _revisions(record: EvaluationRecord) -> list[EvaluationRevision]:
    query = EvaluationRevision.select().where(EvaluationRevision.record == record.id)
    return list(query.order_by(EvaluationRevision.revision))


def get_record(record_id: int) -> dict[str, Any]:
    """The latest revision with its inputs, and every revision's summary."""
    record = _record(record_id)
    revisions = _revisions(record)
    latest = revisions[-1]
    return {
        **stored_result(record.id, latest),
        "inputs": latest.inputs,
        "revisions": [
            {
                "revision": r.revision,
                "version": r.version,
                "hash": r.hash,
                "total": r.total,
                "rating": r.rating,
                "reason": r.reason,
                "actor": r.actor,
                "stored_at": storage.rfc3339(r.stored_at),
            }
            for r in revisions
        ],
    }


def _differences(stored: Any, replayed: Any, path: str = "") -> list[dict[str, Any]]:
    """Where two JSON values differ, as {path, stored, replayed} with JSON pointers."""
    if isinstance(stored, dict) and isinstance(replayed, dict):
        out = []
        for key in list(stored) + [k for k in replayed if k not in stored]:
            part = path + "/" + str(key).replace("~", "~0").replace("/", "~1")
            out += _differences(stored.get(key), replayed.get(key), part)
        return out
    if isinstance(stored, list) and isinstance(replayed, list) and len(stored) == len(replayed):
        return [
            d
            for i, (a, b) in enumerate(zip(stored, replayed))
            for d in _differences(a, b, f"{path}/{i}")
        ]
    if stored == replayed and type(stored) is type(replayed):
        return []
    return [{"path": path, "stored": stored, "replayed": replayed}]


def replay(record_id: int, revision: int | None) -> dict[str, Any]:
    """Recompute a revision from its inputs, version and history; compare with what was stored."""
    record = _record(record_id)
    revisions = {r.revision: r for r in _revisions(record)}
    chosen = revisions[max(revisions)] if revision is None else revisions.get(revision)
    if chosen is None:
        raise NotFound(f"evaluation {record_id} has no revision {revision}")
    version = rulesets.get_version(record.role, chosen.version)
    answer: dict[str, Any] = {"id": record.id, "revision": chosen.revision}
    try:
        result = rulesets.compiled(version).evaluate(
            chosen.inputs, record.period, employee_id=record.employee_id, history=chosen.history
        )
    except SubmissionRejected as exc:
        errors = [p.as_dict() for p in exc.problems]
        return {**answer, "identical": False, "differences": [], "errors": errors}
    replayed = json.loads(
        json.dumps(with_ruleset(result, {"version": version.version, "hash": version.hash}))
    )
    differences = _differences(chosen.result, replayed)
    if version.hash != chosen.hash:
        differences.insert(
            0, {"path": "/ruleset/hash", "stored": chosen.hash, "replayed": version.hash}
        )
    return {**answer, "identical": not differences, "differences": differences}


def employee_history(
    employee_id: str, role: str | None, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """An employee's latest revision per role and period, oldest period first."""
    query = _latest().where(EvaluationRecord.employee_id == employee_id)
    if role:
        query = query.where(EvaluationRecord.role == role)
    keys = [EvaluationRecord.period_start, EvaluationRecord.role, EvaluationRecord.id]
    rows, after = paging.page(
        query,
        keys,
        lambda row: [str(row.record.period_start), row.record.role, row.record.id],
        limit,
        cursor,
    )
    items = [
        {
            "role": row.record.role,
            "period": row.record.period,
            "revision": row.revision,
            "total": row.result["total"],
            "rating": row.rating,
            "outcomes": row.result.get("outcomes", []),
        }
        for row in rows
    ]
    return items, after

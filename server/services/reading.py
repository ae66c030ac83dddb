"""Reading stored results: lists of latest revisions, one record, an employee's history, replay."""

from __future__ import annotations

import json
from typing import Any

from server.engine import SubmissionRejected
from server.engine.language import T
from server.services import reviewing, versions
from server.services.domain_errors import NotFound
from server.services.evaluating import with_plan, with_ruleset
from server.services.explaining import explained
from server.storage import result_queries, rfc3339, version_queries
from server.storage.models import EvaluationRecord, EvaluationRevision

MAX_ID = 2**31 - 1  # ids and revisions are 32-bit integers in every database
FILTERS = ("role", "period", "employee_id", "rating")


def stored_result(record_id: int, revision: EvaluationRevision | dict[str, Any]) -> dict[str, Any]:
    """The §4 result of a revision plus `id`, `revision`, `reason` and `stored_at`."""
    row = revision if isinstance(revision, dict) else revision.__data__
    return {
        "id": record_id,
        **explained(row),
        "revision": row["revision"],
        "reason": row["reason"],
        "stored_at": rfc3339(row["stored_at"]),
    }


def list_latest(
    filters: dict[str, str], limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """Latest revisions matching the filters, in record order, one page."""
    rows, after = result_queries.latest_page(filters, limit, cursor)
    return [stored_result(row.record.id, row) for row in rows], after


def _record(record_id: int) -> EvaluationRecord:
    record = result_queries.record(record_id) if 0 < record_id <= MAX_ID else None
    if record is None:
        raise NotFound(T("no stored evaluation %(id)s", id=record_id))
    return record


def get_record(record_id: int) -> dict[str, Any]:
    """The latest revision with its inputs, and every revision's summary."""
    record = _record(record_id)
    revisions = result_queries.revisions(record.id)
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
                "stored_at": rfc3339(r.stored_at),
            }
            for r in revisions
        ],
        **reviewing.review_of(record.id, latest.revision),
    }


def get_revision(record_id: int, number: int) -> dict[str, Any] | None:
    """One revision's result with its revision, reason and inputs, or None."""
    row = result_queries.revision(record_id, number)
    if row is None:
        return None
    return {**explained(row), "revision": row.revision, "reason": row.reason, "inputs": row.inputs}


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
    revisions = {r.revision: r for r in result_queries.revisions(record.id)}
    chosen = revisions[max(revisions)] if revision is None else revisions.get(revision)
    if chosen is None:
        raise NotFound(
            T("evaluation %(id)s has no revision %(revision)s", id=record_id, revision=revision)
        )
    version = version_queries.get_version(record.role, chosen.version)
    answer: dict[str, Any] = {"id": record.id, "revision": chosen.revision}
    try:
        result = versions.compiled(version).evaluate(
            chosen.inputs, record.period, employee_id=record.employee_id, history=chosen.history
        )
    except SubmissionRejected as exc:
        errors = [p.as_dict() for p in exc.problems]
        return {**answer, "identical": False, "differences": [], "errors": errors}
    replayed = with_ruleset(result, {"version": version.version, "hash": version.hash})
    if "plan" in chosen.result:  # which plan was merged is a fact of storing: the inputs hold it
        replayed = with_plan(replayed, chosen.result["plan"])
    if "explanation" not in chosen.result:  # stored without its lines: they are not compared
        replayed.pop("explanation", None)
    replayed = json.loads(json.dumps(replayed))
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
    rows, after = result_queries.employee_page(employee_id, role, limit, cursor)
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

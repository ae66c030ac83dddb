"""Appeals (申诉, SPEC §11): opened against the latest revision, decided once.

Upholding stores the corrected revision (reason `申诉 #ID: ...`, under the version the
appealed revision used) in the same transaction as the decision; rejecting needs a reason.
Every step writes its audit entry in its own transaction.
"""

from __future__ import annotations

from typing import Any

from server.engine import canonical_json
from server.engine.language import T
from server.services import evaluating, storing
from server.services.domain_errors import Conflict, Invalid, Issue, NotFound, PeriodClosed
from server.services.reviewing import MAX_ID, appeal_json, require_latest, target
from server.storage import audit_queries, closed_periods, review_queries, rfc3339, utcnow, write
from server.storage.models import Appeal

FILTERS = ("role", "period", "state")
STATES = ("open", "upheld", "rejected")
REASON_PREFIX = "申诉 #%s: "  # SPEC §11: the corrected revision's reason names the appeal


def _appeal(appeal_id: int) -> Appeal:
    row = review_queries.appeal(appeal_id) if 0 < appeal_id <= MAX_ID else None
    if row is None:
        raise NotFound(T("no appeal %(id)s", id=appeal_id))
    return row


def get_appeal(appeal_id: int) -> dict[str, Any]:
    """One appeal."""
    return appeal_json(_appeal(appeal_id))


def list_appeals(
    filters: dict[str, str], limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """Appeals by role, period and state, oldest first, one page."""
    if "state" in filters and filters["state"] not in STATES:
        message = T("must be open, upheld or rejected, not %(state)s", state=filters["state"][:50])
        raise Invalid(message, [Issue(message, "state")])
    rows, after = review_queries.appeals_page(filters, limit, cursor)
    return [appeal_json(row) for row in rows], after


def open_appeal(record_id: int, body: dict[str, Any], actor: str) -> dict[str, Any]:
    """Open an appeal against the latest revision, optionally on one of its indicators."""
    found = target(record_id)
    indicator = body.get("indicator")

    def work() -> dict[str, Any]:
        current = target(found.record.id)
        require_latest(current, body["revision"])
        keys = [i["key"] for i in current.latest.result["indicators"]]
        if indicator is not None and indicator not in keys:
            message = T(
                "%(indicator)s is not an indicator of this result (expected one of: %(keys)s)",
                indicator=indicator[:100],
                keys=", ".join(keys),
            )
            raise Invalid(message, [Issue(message, "indicator")])
        row = review_queries.add_appeal(
            current.record.id, body["revision"], indicator, body["text"], body["by"], utcnow()
        )
        details = {
            "appeal": row.id,
            "id": current.record.id,
            "employee_id": current.record.employee_id,
            "revision": body["revision"],
            "indicator": indicator,
            "text": body["text"],
            "by": body["by"],
        }
        audit = audit_queries.audit(actor, "appeal.open", current.audit_target, details)
        audit_queries.insert_audit([audit])
        return appeal_json(review_queries.appeal(row.id))

    return write(work, [found.lock])


def _still_open(appeal: Appeal) -> None:
    if appeal.state != "open":
        detail = T("appeal %(id)s was already decided: %(state)s", id=appeal.id, state=appeal.state)
        raise Conflict(detail, [Issue(detail, "decision")])


def _decide(appeal: Appeal, state: str, resolution: dict[str, Any], actor: str) -> None:
    """Record the decision and its audit entry (inside the write); Conflict if decided."""
    if not review_queries.resolve_appeal(appeal.id, state, resolution):
        _still_open(review_queries.appeal(appeal.id))
    details = {"appeal": appeal.id, "id": appeal.record.id, **resolution}
    details["employee_id"] = appeal.record.employee_id
    target_name = f"{appeal.record.role}/{appeal.record.period}"
    action = "appeal.uphold" if state == "upheld" else "appeal.reject"
    audit_queries.insert_audit([audit_queries.audit(actor, action, target_name, details)])


def _resolution(body: dict[str, Any], revision: int | None) -> dict[str, Any]:
    return {
        "decision": body["decision"],
        "reason": body["reason"],
        "by": body["by"],
        "at": rfc3339(utcnow()),
        "revision": revision,
    }


def correction(appeal: Appeal, inputs: dict[str, Any], reason: str) -> dict[str, Any]:
    """The submission that corrects an appealed revision with new inputs."""
    appealed = target(appeal.record.id).latest
    return {
        "role": appeal.record.role,
        "period": appeal.record.period,
        "employee_id": appeal.record.employee_id,
        "inputs": inputs,
        "version": appealed.version,
        "reason": REASON_PREFIX % appeal.id + reason,
    }


def _same_inputs() -> Invalid:
    message = T("the same inputs as the latest revision: there is nothing to correct")
    return Invalid(message, [Issue(message, "inputs")])


def _closed(appeal: Appeal) -> PeriodClosed:
    detail = T(
        "%(period)s is closed for %(role)s: reopen it before upholding the appeal",
        period=appeal.record.period,
        role=appeal.record.role,
    )
    return PeriodClosed(detail, [Issue(detail, "decision")])


def resolve(appeal_id: int, body: dict[str, Any], actor: str) -> dict[str, Any]:
    """Uphold (storing the corrected revision) or reject an open appeal."""
    appeal = _appeal(appeal_id)
    _still_open(appeal)
    lock = f"evaluations:{appeal.record.role}/{appeal.record.period}"
    if body["decision"] == "rejected":
        write(lambda: _decide(appeal, "rejected", _resolution(body, None), actor), [lock])
        return {"appeal": get_appeal(appeal.id)}
    if closed_periods.is_closed(appeal.record.role, appeal.record.period):
        raise _closed(appeal)
    submission = correction(appeal, body["inputs"], body["reason"])
    latest = target(appeal.record.id).latest
    if latest.version == submission["version"] and canonical_json(latest.inputs) == canonical_json(
        body["inputs"]
    ):
        raise _same_inputs()

    def then(answers: list[tuple[dict[str, Any], bool]]) -> None:
        [(answer, created)] = answers
        if not created:
            raise _same_inputs()
        _decide(appeal, "upheld", _resolution(body, answer["revision"]), actor)

    try:
        [(stored, _)] = storing.store([submission], actor, batch=False, then=then)
    except PeriodClosed:
        raise _closed(appeal) from None
    return {"appeal": get_appeal(appeal.id), "revision": stored}


def _changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """What differs between two results, as {item, field, before, after} (names, not keys)."""
    rows = []
    for field in ("total", "bonus_multiplier"):
        if before[field] != after[field]:
            rows.append(
                {"item": "", "field": field, "before": before[field], "after": after[field]}
            )
    if before["rating"]["key"] != after["rating"]["key"]:
        rating = (before["rating"]["label"], after["rating"]["label"])
        rows.append({"item": "", "field": "rating", "before": rating[0], "after": rating[1]})
    old = {i["key"]: i for i in before["indicators"]}
    for indicator in after["indicators"]:
        previous = old.get(indicator["key"], {})
        for field in ("value", "score", "contribution"):
            if previous.get(field) != indicator[field]:
                rows.append(
                    {
                        "item": indicator["name"],
                        "field": field,
                        "before": previous.get(field),
                        "after": indicator[field],
                    }
                )
    return rows


def preview(appeal_id: int, inputs: dict[str, Any]) -> dict[str, Any]:
    """What upholding with `inputs` would store: `{result, changes}` against the latest
    revision (nothing is written; Invalid lists the inputs' problems)."""
    appeal = _appeal(appeal_id)
    body = correction(appeal, inputs, "")
    body.pop("reason")
    result = evaluating.evaluate_unstored(body)
    latest = target(appeal.record.id).latest
    return {
        "result": result,
        "changes": _changes(latest.result, result),
        "revision": latest.revision,
    }

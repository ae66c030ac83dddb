"""After the period: a revision's feedback and acknowledgement, and the appeals of a record.

Feedback is replaced as a whole (the audit log keeps every version of it); acknowledgements
are only inserted; an appeal changes once, from open to upheld or rejected.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from server.storage import paging
from server.storage.models import Acknowledgement, Appeal, EvaluationRecord, Feedback


def feedback(record_id: int, revision: int) -> Feedback | None:
    """The feedback written for one revision, or None."""
    return Feedback.get_or_none((Feedback.record == record_id) & (Feedback.revision == revision))


def put_feedback(record_id: int, revision: int, values: dict[str, Any], now: datetime) -> Feedback:
    """Store a revision's feedback, replacing any earlier one (inside the write)."""
    row = feedback(record_id, revision) or Feedback(record=record_id, revision=revision)
    row.strengths, row.improvements = values["strengths"], values["improvements"]
    row.actions, row.by, row.at = values["actions"], values["by"], now
    row.save()
    return row


def acknowledgement(record_id: int, revision: int) -> Acknowledgement | None:
    """The acknowledgement of one revision, or None."""
    return Acknowledgement.get_or_none(
        (Acknowledgement.record == record_id) & (Acknowledgement.revision == revision)
    )


def add_acknowledgement(
    record_id: int, revision: int, by: str, comment: str | None, now: datetime
) -> Acknowledgement:
    """Insert a revision's acknowledgement (inside the write)."""
    return Acknowledgement.create(
        record=record_id, revision=revision, by=by, comment=comment, at=now
    )


def add_appeal(
    record_id: int, revision: int, indicator: str | None, text: str, by: str, now: datetime
) -> Appeal:
    """Insert an open appeal (inside the write)."""
    return Appeal.create(
        record=record_id, revision=revision, indicator=indicator, text=text, by=by, opened_at=now
    )


def _appeals() -> Any:
    return Appeal.select(Appeal, EvaluationRecord).join(EvaluationRecord)


def appeal(appeal_id: int) -> Appeal | None:
    """One appeal with its record, or None."""
    return _appeals().where(Appeal.id == appeal_id).first()


def appeals_of(record_id: int) -> list[Appeal]:
    """A record's appeals, oldest first."""
    return list(_appeals().where(Appeal.record == record_id).order_by(Appeal.id))


def _filtered(filters: dict[str, str]) -> Any:
    query = _appeals()
    if "role" in filters:
        query = query.where(EvaluationRecord.role == filters["role"])
    if "period" in filters:
        query = query.where(EvaluationRecord.period == filters["period"])
    if "state" in filters:
        query = query.where(Appeal.state == filters["state"])
    return query


def appeals_page(
    filters: dict[str, str], limit: int, cursor: str | None
) -> tuple[list[Appeal], str | None]:
    """Appeals matching role, period and state, oldest first, one page."""
    return paging.page(_filtered(filters), [Appeal.id], lambda row: [row.id], limit, cursor)


def appeal_queue(filters: dict[str, str], limit: int) -> list[Appeal]:
    """Appeals matching the filters, open ones first, each group oldest first (the console)."""
    is_open = Appeal.state == "open"
    return list(
        _filtered(filters).order_by(is_open.desc(), Appeal.opened_at, Appeal.id).limit(limit)
    )


def open_count(filters: dict[str, str]) -> int:
    """How many open appeals match the filters."""
    return _filtered({**filters, "state": "open"}).count()


def resolve_appeal(appeal_id: int, state: str, resolution: dict[str, Any]) -> bool:
    """Record a decision on an open appeal (inside the write); False when it was not open."""
    query = Appeal.update(state=state, resolution=resolution).where(
        (Appeal.id == appeal_id) & (Appeal.state == "open")
    )
    return query.execute() == 1

"""After the period (SPEC §11): a revision's feedback (绩效反馈表) and the employee's sign-off.

Each acts on the latest revision of a stored record: an older one is Conflict (409), a number
the record has no revision for is Invalid at `revision`. The check and the write share one
transaction holding the period's lock, so a revision stored meanwhile is never signed off
unseen. Suggested feedback and every text of a record follow the ruleset's `language`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from server.engine import language
from server.engine.formula import format_number
from server.engine.language import T, Text
from server.services.domain_errors import Conflict, Invalid, Issue, NotFound
from server.storage import (
    audit_queries,
    result_queries,
    review_queries,
    rfc3339,
    utcnow,
    version_queries,
    write,
)
from server.storage.models import (
    Acknowledgement,
    Appeal,
    EvaluationRecord,
    EvaluationRevision,
    Feedback,
)

MAX_ID = 2**31 - 1
SUGGESTED = 2  # strengths and improvements suggested at most


@dataclass(frozen=True)
class Target:
    """A record and its latest revision."""

    record: EvaluationRecord
    latest: EvaluationRevision

    @property
    def lock(self) -> str:
        return f"evaluations:{self.record.role}/{self.record.period}"

    @property
    def audit_target(self) -> str:
        return f"{self.record.role}/{self.record.period}"


def target(record_id: int) -> Target:
    """A stored record and its latest revision; NotFound when there is none."""
    record = result_queries.record(record_id) if 0 < record_id <= MAX_ID else None
    if record is None:
        raise NotFound(T("no stored evaluation %(id)s", id=record_id))
    return Target(record, result_queries.revisions(record.id)[-1])


def require_latest(found: Target, revision: int) -> None:
    """Invalid at `revision` for a number with no revision; Conflict for an older one."""
    latest = found.latest.revision
    if not 1 <= revision <= latest:
        message = T(
            "evaluation %(id)s has no revision %(revision)s (the latest is %(latest)s)",
            id=found.record.id,
            revision=revision,
            latest=latest,
        )
        raise Invalid(message, [Issue(message, "revision")])
    if revision != latest:
        detail = T(
            "revision %(revision)s is not the latest: revision %(latest)s replaced it",
            revision=revision,
            latest=latest,
        )
        raise Conflict(detail, [Issue(detail, "revision")])


def record_language(found: Target) -> str:
    """The locale a record's texts are written in: its ruleset's `language`."""
    version = version_queries.get_version(found.record.role, found.latest.version)
    document = version.document if version is not None else {}
    return language.normalize(document.get("language")) or language.ZH


def feedback_json(row: Feedback) -> dict[str, Any]:
    return {
        "revision": row.revision,
        "strengths": row.strengths,
        "improvements": row.improvements,
        "actions": row.actions,
        "by": row.by,
        "at": rfc3339(row.at),
    }


def acknowledgement_json(row: Acknowledgement) -> dict[str, Any]:
    return {"revision": row.revision, "by": row.by, "at": rfc3339(row.at), "comment": row.comment}


def appeal_json(row: Appeal) -> dict[str, Any]:
    """An appeal as the API answers it (with whose record it concerns)."""
    return {
        "id": row.id,
        "record_id": row.record.id,
        "role": row.record.role,
        "period": row.record.period,
        "employee_id": row.record.employee_id,
        "revision": row.revision,
        "indicator": row.indicator,
        "text": row.text,
        "by": row.by,
        "state": row.state,
        "opened_at": rfc3339(row.opened_at),
        "resolution": row.resolution,
    }


def review_of(record_id: int, revision: int) -> dict[str, Any]:
    """`acknowledged` and `feedback` of a record's latest revision, and all its `appeals`."""
    ack = review_queries.acknowledgement(record_id, revision)
    written = review_queries.feedback(record_id, revision)
    return {
        "acknowledged": acknowledgement_json(ack) if ack else None,
        "feedback": feedback_json(written) if written else None,
        "appeals": [appeal_json(row) for row in review_queries.appeals_of(record_id)],
    }


def _sentence(indicator: dict[str, Any], strength: bool) -> Text:
    values = {
        "name": indicator["name"],
        "score": format_number(indicator["score"]),
        "value": format_number(indicator["value"]),
        "weight": format_number(indicator["weight"]),
    }
    if strength:
        return T(
            "%(name)s scored %(score)s (value %(value)s, weight %(weight)s%%): a strength "
            "to keep building on.",
            **values,
        )
    return T(
        "%(name)s scored %(score)s (value %(value)s, weight %(weight)s%%): below the rest; "
        "agree how to improve it.",
        **values,
    )


def suggestions(result: dict[str, Any], locale: str) -> dict[str, list[dict[str, Any]]]:
    """The highest- and lowest-scored indicators of a result, each with a sentence.

    Up to two of each (ties in document order); with fewer than four scored indicators the
    better half are strengths and the rest improvements, so that none is named twice.
    """
    scored = [i for i in result["indicators"] if i["status"] == "scored"]
    order = list(range(len(scored)))
    best = sorted(order, key=lambda n: (-scored[n]["score"], n))
    strong = best[: min(SUGGESTED, (len(scored) + 1) // 2)]
    rest = sorted((n for n in order if n not in strong), key=lambda n: (scored[n]["score"], n))
    weak = rest[: min(SUGGESTED, len(scored) - len(strong))]

    def item(n: int, strength: bool) -> dict[str, Any]:
        indicator = scored[n]
        return {
            "indicator": indicator["key"],
            "name": indicator["name"],
            "score": indicator["score"],
            "text": _sentence(indicator, strength).render(locale),
        }

    return {
        "strengths": [item(n, True) for n in strong],
        "improvements": [item(n, False) for n in weak],
    }


def get_feedback(record_id: int) -> dict[str, Any]:
    """The latest revision's feedback, or `{revision, suggested}` when none was written."""
    found = target(record_id)
    written = review_queries.feedback(found.record.id, found.latest.revision)
    if written is not None:
        return feedback_json(written)
    suggested = suggestions(found.latest.result, record_language(found))
    return {"revision": found.latest.revision, "suggested": suggested}


def _actions(actions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    issues = []
    for n, action in enumerate(actions):
        try:
            date.fromisoformat(action["due"])
        except ValueError:
            message = T("%(due)s is not a date (YYYY-MM-DD)", due=action["due"][:20])
            issues.append(Issue(message, "actions", f"/{n}/due"))
    if issues:
        raise Invalid(T("the feedback cannot be stored"), issues)
    return [{"action": a["action"], "due": a["due"]} for a in actions]


def put_feedback(record_id: int, body: dict[str, Any], actor: str) -> dict[str, Any]:
    """Store the feedback of the latest revision, replacing any earlier one of it."""
    values = {
        "strengths": list(body["strengths"]),
        "improvements": list(body["improvements"]),
        "actions": _actions(body["actions"]),
        "by": body["by"],
    }
    found = target(record_id)

    def work() -> dict[str, Any]:
        current = target(found.record.id)
        require_latest(current, body["revision"])
        row = review_queries.put_feedback(current.record.id, body["revision"], values, utcnow())
        details = {"id": current.record.id, "employee_id": current.record.employee_id, **values}
        details["revision"] = body["revision"]
        audit = audit_queries.audit(actor, "evaluation.feedback", current.audit_target, details)
        audit_queries.insert_audit([audit])
        return feedback_json(row)

    return write(work, [found.lock])


def acknowledge(
    record_id: int, revision: int, by: str, comment: str | None, actor: str
) -> dict[str, Any]:
    """Record the employee's sign-off of the latest revision; again: the stored one."""
    found = target(record_id)

    def work() -> dict[str, Any]:
        current = target(found.record.id)
        require_latest(current, revision)
        row = review_queries.acknowledgement(current.record.id, revision)
        if row is None:
            row = review_queries.add_acknowledgement(
                current.record.id, revision, by, comment, utcnow()
            )
            details = {
                "id": current.record.id,
                "employee_id": current.record.employee_id,
                "revision": revision,
                "by": by,
                "comment": comment,
            }
            audit = audit_queries.audit(
                actor, "evaluation.acknowledge", current.audit_target, details
            )
            audit_queries.insert_audit([audit])
        return acknowledgement_json(row)

    return write(work, [found.lock])

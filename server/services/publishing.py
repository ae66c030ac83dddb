"""Publishing a ruleset document as its role's next immutable, effective-dated version."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from server.engine import Problem, document_hash, parse_period, validate_document
from server.engine.language import T
from server.engine.periods import A_PERIOD
from server.engine.problems import reason
from server.services.domain_errors import Invalid, Issue, issues_of
from server.storage import audit_queries, version_queries, write
from server.storage.models import RulesetVersion


@dataclass
class Published:
    """The outcome of a publish: the version, whether it is new, the validation warnings."""

    row: RulesetVersion
    created: bool
    warnings: list[Problem]  # pointers into the document


def _check(
    role: str, document: dict[str, Any], effective_from: str
) -> tuple[list[Issue], list[Problem]]:
    """Every reason `document` cannot be published for `role` from `effective_from`, and the
    document's warnings."""
    issues = []
    if document.get("role") != role:
        issues.append(
            Issue(T("must be %(role)r, the role named in the path", role=role), "document", "/role")
        )
    report = validate_document(document, check_examples=True)
    issues += issues_of(report.errors, "document")
    kind = document.get("period")
    try:
        period = parse_period(effective_from)
        if isinstance(kind, str) and period.kind != kind:
            message = T(
                "must be %(kind)s like the document's period, not %(given)s",
                kind=A_PERIOD.get(kind, kind),
                given=A_PERIOD[period.kind],
            )
            issues.append(Issue(message, "effective_from"))
    except ValueError as exc:
        issues.append(Issue(reason(exc), "effective_from"))
    unique = [issue for i, issue in enumerate(issues) if issue not in issues[:i]]
    return unique, report.warnings


def publish(
    role: str, document: dict[str, Any], effective_from: str, note: str, actor: str
) -> Published:
    """Publish `document` as the role's next version; the latest's equal returns that one."""
    digest = document_hash(document)
    latest = version_queries.latest_version(role)
    if latest is not None and latest.hash == digest:
        return Published(latest, False, [])
    issues, warnings = _check(role, document, effective_from)
    if issues:
        raise Invalid(T("the ruleset cannot be published"), issues)

    def work() -> Published:
        current = version_queries.latest_version(role)
        if current is not None and current.hash == digest:
            return Published(current, False, [])  # an identical publish won the race
        row = version_queries.create_version(
            role,
            (current.version if current else 0) + 1,
            digest,
            effective_from,
            parse_period(effective_from).start,
            note,
            actor,
            document,
        )
        details = {"hash": digest, "effective_from": effective_from, "note": note}
        audit_queries.insert_audit(
            [audit_queries.audit(actor, "ruleset.publish", f"{role}/v{row.version}", details)]
        )
        return Published(row, True, warnings)

    return write(work, [f"publish:{role}"])

"""Publishing a ruleset document as its role's next immutable, effective-dated version."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from server.engine import Problem, document_hash, parse_period, validate_document
from server.engine.language import T
from server.engine.periods import A_PERIOD
from server.engine.problems import reason
from server.services.domain_errors import Invalid, Issue, Refused, issues_of
from server.storage import audit_queries, version_queries, write
from server.storage.models import RulesetVersion


@dataclass
class Published:
    """The outcome of a publish: the version, whether it is new, the validation warnings."""

    row: RulesetVersion
    created: bool
    warnings: list[Problem]  # pointers into the document
    coverage: dict[str, Any] | None = None  # SPEC §12: the examples' ratings and adjustments


@dataclass
class Checked:
    """Every reason a document cannot be published, its warnings and its example coverage."""

    issues: list[Issue]
    warnings: list[Problem]
    coverage: dict[str, Any] | None


def check(role: str, document: dict[str, Any], effective_from: str) -> Checked:
    """Every reason `document` cannot be published for `role` from `effective_from` (golden
    examples included), the document's warnings and its example coverage."""
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
    return Checked(unique, report.warnings, report.coverage)


def refuse_when_approval_required(role: str, approval_required: bool) -> None:
    """Refused when every ruleset change needs a second person's approval (SPEC §12)."""
    if approval_required:
        raise Refused(
            T(
                "publishing needs approval on this server: propose the change with POST "
                "/api/v1/rulesets/%(role)s/proposals (in the console: submit for "
                "approval), and another person approves it",
                role=role,
            )
        )


def publish(
    role: str,
    document: dict[str, Any],
    effective_from: str,
    note: str,
    actor: str,
    *,
    approval_required: bool = False,
) -> Published:
    """Publish `document` as the role's next version; the latest's equal returns that one."""
    refuse_when_approval_required(role, approval_required)
    digest = document_hash(document)
    latest = version_queries.latest_version(role)
    if latest is not None and latest.hash == digest:
        return Published(latest, False, [])
    checked = check(role, document, effective_from)
    if checked.issues:
        raise Invalid(T("the ruleset cannot be published"), checked.issues)
    return write(
        lambda: insert_version(role, document, effective_from, note, actor, checked),
        [f"publish:{role}"],
    )


def insert_version(
    role: str,
    document: dict[str, Any],
    effective_from: str,
    note: str,
    actor: str,
    checked: Checked,
    details: dict[str, Any] | None = None,
) -> Published:
    """Insert the role's next version with its audit entry; call inside the publishing write
    (holding the role's `publish:` lock). `details` add to the audit entry's."""
    digest = document_hash(document)
    warnings, coverage = checked.warnings, checked.coverage
    current = version_queries.latest_version(role)
    if current is not None and current.hash == digest:
        return Published(current, False, [], coverage)  # an identical publish won the race
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
    entry = {"hash": digest, "effective_from": effective_from, "note": note, **(details or {})}
    audit_queries.insert_audit(
        [audit_queries.audit(actor, "ruleset.publish", f"{role}/v{row.version}", entry)]
    )
    return Published(row, True, warnings, coverage)

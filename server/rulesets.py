"""Published ruleset versions: lookup, the version in force, the compiled cache, publishing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import peewee

from server import storage
from server.engine import (
    CompiledRuleset,
    Problem,
    compile_ruleset,
    current_period,
    document_hash,
    parse_period,
    validate_document,
)
from server.errors import Unprocessable
from server.storage import RulesetVersion

COMPILED_CACHE_LIMIT = 256
_compiled: dict[str, CompiledRuleset] = {}  # version hash -> compiled; hashes are immutable

# the columns needed to choose a version (the document is read only when compiling)
META = (
    RulesetVersion.id,
    RulesetVersion.role,
    RulesetVersion.version,
    RulesetVersion.hash,
    RulesetVersion.effective_from,
    RulesetVersion.effective_start,
    RulesetVersion.note,
    RulesetVersion.created_by,
    RulesetVersion.created_at,
)


def versions_of(role: str) -> list[RulesetVersion]:
    """A role's versions (without documents), oldest first; [] for an unknown role."""
    if not role.isidentifier():
        return []
    rows = storage.prepared(
        "rulesets.versions_of",
        lambda: RulesetVersion.select(*META)
        .where(RulesetVersion.role == storage.Param("role"))
        .order_by(RulesetVersion.version),
        {"role": role},
    )
    return [
        RulesetVersion(**{f.name: f.python_value(v) for f, v in zip(META, row, strict=True)})
        for row in rows
    ]


def get_version(role: str, version: int) -> RulesetVersion | None:
    """One version with its document, or None."""
    if not role.isidentifier() or not 0 < version < 2**31:
        return None
    return RulesetVersion.get_or_none(
        (RulesetVersion.role == role) & (RulesetVersion.version == version)
    )


def latest_version(role: str) -> RulesetVersion | None:
    """The role's highest version, with its document."""
    query = RulesetVersion.select().where(RulesetVersion.role == role)
    return query.order_by(RulesetVersion.version.desc()).first()


def version_in_force(versions: list[RulesetVersion], start: date) -> RulesetVersion | None:
    """The version with the latest effective_from starting on or before `start` (ties: higher)."""
    eligible = [v for v in versions if v.effective_start <= start]
    return max(eligible, key=lambda v: (v.effective_start, v.version), default=None)


def _document(version_id: int) -> dict[str, Any]:
    return (
        RulesetVersion.select(RulesetVersion.document)
        .where(RulesetVersion.id == version_id)
        .get()
        .document
    )


def compiled(row: RulesetVersion) -> CompiledRuleset:
    """The compiled ruleset of a stored version, cached by its immutable hash."""
    found = _compiled.get(row.hash)
    if found is None:
        document = _document(row.id)
        found = compile_ruleset(document)
        if len(_compiled) >= COMPILED_CACHE_LIMIT:
            _compiled.clear()
        _compiled[row.hash] = found
    return found


def version_meta(row: RulesetVersion) -> dict[str, Any]:
    """A version as the API lists it."""
    return {
        "role": row.role,
        "version": row.version,
        "hash": row.hash,
        "effective_from": row.effective_from,
        "note": row.note,
        "created_by": row.created_by,
        "created_at": storage.rfc3339(row.created_at),
    }


def role_summary(role: str, today: date) -> dict[str, Any]:
    """`{role, name, current_version, latest_version}`; current: in force for today's period."""
    versions = versions_of(role)
    latest = versions[-1]
    kind = parse_period(latest.effective_from).kind
    current = version_in_force(versions, parse_period(current_period(kind, today)).start)
    name = _document(latest.id).get("name")
    return {
        "role": role,
        "name": name,
        "current_version": current.version if current else None,
        "latest_version": latest.version,
    }


@dataclass
class Published:
    """The outcome of a publish: the version, whether it is new, the validation warnings."""

    row: RulesetVersion
    created: bool
    warnings: list[Problem]


def _check(
    role: str, document: dict[str, Any], effective_from: str
) -> tuple[list[Problem], list[Problem]]:
    """Errors and warnings of publishing `document` for `role`, as paths into the body."""
    problems = []
    if document.get("role") != role:
        problems.append(Problem("/document/role", f"must be {role!r}, the role named in the path"))
    report = validate_document(document, check_examples=True)
    problems += [p.under("/document") for p in report.errors]
    kind = document.get("period")
    try:
        period = parse_period(effective_from)
        if isinstance(kind, str) and period.kind != kind:
            problems.append(
                Problem(
                    "/effective_from",
                    f"must be a {kind} like the document's period, not a {period.kind}",
                )
            )
    except ValueError as exc:
        problems.append(Problem("/effective_from", str(exc)))
    unique = [p for i, p in enumerate(problems) if p not in problems[:i]]
    return unique, [p.under("/document") for p in report.warnings]


def publish(
    role: str, document: dict[str, Any], effective_from: str, note: str, actor: str
) -> Published:
    """Publish `document` as the role's next version; the latest's equal returns that one."""
    digest = document_hash(document)
    latest = latest_version(role)
    if latest is not None and latest.hash == digest:
        return Published(latest, False, [])
    problems, warnings = _check(role, document, effective_from)
    if problems:
        raise Unprocessable("the ruleset cannot be published", problems)

    def work() -> Published:
        current = latest_version(role)
        if current is not None and current.hash == digest:
            return Published(current, False, [])  # an identical publish won the race
        row = RulesetVersion.create(
            role=role,
            version=(current.version if current else 0) + 1,
            hash=digest,
            effective_from=effective_from,
            effective_start=parse_period(effective_from).start,
            note=note,
            created_by=actor,
            created_at=storage.utcnow(),
            document=document,
        )
        details = {"hash": digest, "effective_from": effective_from, "note": note}
        storage.insert_audit(
            [storage.audit(actor, "ruleset.publish", f"{role}/v{row.version}", details)]
        )
        return Published(row, True, warnings)

    return storage.write(work, [f"publish:{role}"])


def known_roles() -> peewee.ModelSelect:
    """A query of the distinct roles that have a version."""
    return RulesetVersion.select(RulesetVersion.role).distinct()

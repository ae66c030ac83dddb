"""Published ruleset versions: a role's versions, one version, its document, a new one."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from server.storage import paging
from server.storage.database import Param, prepared, utcnow
from server.storage.models import RulesetVersion

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
    rows = prepared(
        "rulesets.versions_of",
        lambda: (
            RulesetVersion.select(*META)
            .where(RulesetVersion.role == Param("role"))
            .order_by(RulesetVersion.version)
        ),
        {"role": role},
    )
    return [
        RulesetVersion(**{f.name: f.python_value(v) for f, v in zip(META, row, strict=True)})
        for row in rows
    ]


class VersionChoice(NamedTuple):
    """What choosing a role's version for a period takes of its row (SPEC §4)."""

    id: int
    version: int
    hash: str
    effective_from: str
    effective_start: date


CHOICE_COLUMNS = (
    RulesetVersion.id,
    RulesetVersion.version,
    RulesetVersion.hash,
    RulesetVersion.effective_from,
    RulesetVersion.effective_start,
)
CHOICES_MEMO_LIMIT = 1024
_choices: dict[tuple[Any, ...], tuple[VersionChoice, ...]] = {}  # rows as read -> converted


def version_choices(role: str) -> list[VersionChoice]:
    """A role's versions as choosing one needs them, oldest first; [] for an unknown role.

    Read on every call (a version just published elsewhere counts at once); only turning the
    rows into values (the dates parsed) is remembered, keyed by the rows exactly as read.
    """
    if not role.isidentifier():
        return []
    rows = tuple(
        prepared(
            "rulesets.version_choices",
            lambda: (
                RulesetVersion.select(*CHOICE_COLUMNS)
                .where(RulesetVersion.role == Param("role"))
                .order_by(RulesetVersion.version)
            ),
            {"role": role},
        )
    )
    found = _choices.get(rows)
    if found is None:
        start = RulesetVersion.effective_start
        found = tuple(
            VersionChoice(row_id, version, digest, effective_from, start.python_value(day))
            for row_id, version, digest, effective_from, day in rows
        )
        if len(_choices) >= CHOICES_MEMO_LIMIT:
            _choices.clear()
        _choices[rows] = found
    return list(found)


def versions_page(
    role: str, limit: int, cursor: str | None
) -> tuple[list[RulesetVersion], str | None]:
    """A role's versions (without documents), oldest first, one page."""
    query = RulesetVersion.select(*META).where(RulesetVersion.role == role)
    return paging.page(query, [RulesetVersion.version], lambda r: [r.version], limit, cursor)


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


def document_of(version_id: int) -> dict[str, Any]:
    """The document of a stored version (by row id)."""
    return (
        RulesetVersion.select(RulesetVersion.document)
        .where(RulesetVersion.id == version_id)
        .get()
        .document
    )


def create_version(
    role: str,
    version: int,
    digest: str,
    effective_from: str,
    effective_start: date,
    note: str,
    actor: str,
    document: dict[str, Any],
) -> RulesetVersion:
    """Insert a new version; call inside the publishing write."""
    return RulesetVersion.create(
        role=role,
        version=version,
        hash=digest,
        effective_from=effective_from,
        effective_start=effective_start,
        note=note,
        created_by=actor,
        created_at=utcnow(),
        document=document,
    )


def roles() -> list[str]:
    """Every role that has a version, sorted."""
    return sorted(r.role for r in RulesetVersion.select(RulesetVersion.role).distinct())


def roles_page(limit: int, cursor: str | None) -> tuple[list[str], str | None]:
    """The roles that have a version, in order, one page."""
    query = RulesetVersion.select(RulesetVersion.role).distinct()
    rows, after = paging.page(query, [RulesetVersion.role], lambda row: [row.role], limit, cursor)
    return [row.role for row in rows], after

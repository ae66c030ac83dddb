"""Published versions: the version in force, the compiled-ruleset cache, lookups that 404."""

from __future__ import annotations

from datetime import date
from typing import Any

from server.engine import CompiledRuleset, compile_ruleset, current_period, parse_period
from server.engine.language import T
from server.services.domain_errors import NotFound
from server.storage import rfc3339, version_queries
from server.storage.models import RulesetVersion
from server.storage.version_queries import VersionChoice

VersionRow = RulesetVersion | VersionChoice  # a stored version, whole or as choosing needs it
COMPILED_CACHE_LIMIT = 256
_compiled: dict[str, CompiledRuleset] = {}  # version hash -> compiled; hashes are immutable


def version_in_force(versions: list[VersionRow], start: date) -> VersionRow | None:
    """The version with the latest effective_from starting on or before `start` (ties: higher)."""
    eligible = [v for v in versions if v.effective_start <= start]
    return max(eligible, key=lambda v: (v.effective_start, v.version), default=None)


def version_in_force_today(
    versions: list[RulesetVersion], today: date | None = None
) -> RulesetVersion | None:
    """Of a role's versions (oldest first), the one in force for today's period."""
    if not versions:
        return None
    kind = parse_period(versions[-1].effective_from).kind
    return version_in_force(versions, parse_period(current_period(kind, today)).start)


def current_version(role: str, today: date | None = None) -> RulesetVersion | None:
    """The role's version in force for today's period, with its document, or None."""
    row = version_in_force_today(version_queries.versions_of(role), today)
    return version_queries.get_version(role, row.version) if row else None


def compiled(row: VersionRow) -> CompiledRuleset:
    """The compiled ruleset of a stored version, cached by its immutable hash."""
    found = _compiled.get(row.hash)
    if found is None:
        found = compile_ruleset(version_queries.document_of(row.id))
        if len(_compiled) >= COMPILED_CACHE_LIMIT:
            _compiled.clear()
        _compiled[row.hash] = found
    return found


def compiled_version(role: str, version: int, digest: str) -> CompiledRuleset | None:
    """The compiled ruleset of a role's version known by its hash (from the cache without a
    query), or None when the version is not stored."""
    found = _compiled.get(digest)
    if found is not None:
        return found
    row = version_queries.get_version(role, version)
    return compiled(row) if row is not None and row.hash == digest else None


def require_role(role: str) -> list[RulesetVersion]:
    """The role's versions, oldest first; NotFound for a role with none."""
    versions = version_queries.versions_of(role)
    if not versions:
        raise NotFound(T("unknown role %(role)r", role=role))
    return versions


def require_version(role: str, version: int) -> RulesetVersion:
    """One version with its document; NotFound names what is unknown (the role or version)."""
    row = version_queries.get_version(role, version)
    if row is None:
        known = bool(version_queries.versions_of(role))
        raise NotFound(
            T("%(role)s has no version %(version)s", role=role, version=version)
            if known
            else T("unknown role %(role)r", role=role)
        )
    return row


def version_meta(row: RulesetVersion) -> dict[str, Any]:
    """A version as the API lists it."""
    return {
        "role": row.role,
        "version": row.version,
        "hash": row.hash,
        "effective_from": row.effective_from,
        "note": row.note,
        "created_by": row.created_by,
        "created_at": rfc3339(row.created_at),
    }


def role_summary(role: str, today: date) -> dict[str, Any]:
    """`{role, name, current_version, latest_version}`; current: in force for today's period."""
    versions = version_queries.versions_of(role)
    latest = versions[-1]
    current = version_in_force_today(versions, today)
    name = version_queries.document_of(latest.id).get("name")
    return {
        "role": role,
        "name": name,
        "current_version": current.version if current else None,
        "latest_version": latest.version,
    }

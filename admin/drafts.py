"""Drafts: start one from a version or from nothing, save it, check it, publish it."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from admin.editor.actions import blank_document
from admin.editor.fields import items
from admin.models import Draft
from server import rulesets, storage
from server.engine import Problem, ValidationReport, current_period, parse_period, validate_document
from server.storage import RulesetVersion


def version_in_force_now(role: str, today: date | None = None) -> RulesetVersion | None:
    """The role's version in force for today's period (with its document), or None."""
    versions = rulesets.versions_of(role)
    if not versions:
        return None
    kind = parse_period(versions[-1].effective_from).kind
    row = rulesets.version_in_force(versions, parse_period(current_period(kind, today)).start)
    return rulesets.get_version(role, row.version) if row else None


def create_draft(role: str, actor: str, base_version: int | None = None, name: str = "") -> Draft:
    """A new draft: a copy of a published version, or a small starting ruleset."""
    if base_version is not None:
        row = rulesets.get_version(role, base_version)
        if row is None:
            raise LookupError(f"{role} has no version {base_version}")
        document = copy.deepcopy(row.document)
    else:
        document = blank_document(role, name or role)

    def work() -> Draft:
        draft = Draft.create(
            role=role,
            title=name or str(document.get("name") or role),
            base_version=base_version,
            document=document,
            created_by=actor,
            updated_by=actor,
        )
        details = {"draft": draft.id, "base_version": base_version}
        storage.insert_audit([storage.audit(actor, "draft.create", role, details)])
        return draft

    return storage.write(work, [f"draft:{role}"])


def save_draft(
    draft: Draft, document: dict[str, Any], actor: str, seen_revision: int | None
) -> bool:
    """Store a new document; False (nothing stored) if someone saved since `seen_revision`."""
    if seen_revision is not None and seen_revision != draft.revision:
        return False

    def work() -> bool:
        updated = (
            Draft.update(
                document=document,
                revision=Draft.revision + 1,
                updated_by=actor,
                updated_at=storage.utcnow(),
            )
            .where((Draft.id == draft.id) & (Draft.revision == draft.revision))
            .execute()
        )
        return updated == 1

    saved = storage.write(work, [f"draft:{draft.id}"])
    if saved:
        draft.document, draft.revision = document, draft.revision + 1
    return saved


def save_sample(draft: Draft, sample: dict[str, Any]) -> None:
    """Remember the sample submission last tried on a draft."""
    storage.write(lambda: Draft.update(sample=sample).where(Draft.id == draft.id).execute())


def delete_draft(draft: Draft, actor: str) -> None:
    """Remove a draft, with an audit entry."""

    def work() -> None:
        draft.delete_instance()
        storage.insert_audit(
            [storage.audit(actor, "draft.delete", draft.role, {"draft": draft.id})]
        )

    storage.write(work, [f"draft:{draft.id}"])


def mark_published(draft: Draft, version: int) -> None:
    """A published draft becomes read-only and remembers its version."""
    storage.write(
        lambda: Draft.update(published_version=version).where(Draft.id == draft.id).execute()
    )


def check(document: Any) -> ValidationReport:
    """Every problem of a draft document (schema, formulas, weights, golden examples)."""
    return validate_document(document)


@dataclass
class WeightSum:
    """One dimension's base weight sum against its range."""

    key: str
    name: str
    total: float
    low: float | None
    high: float | None

    @property
    def ok(self) -> bool:
        return (self.low is None or self.total >= self.low - 1e-9) and (
            self.high is None or self.total <= self.high + 1e-9
        )


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def weight_sums(document: Mapping[str, Any]) -> tuple[list[WeightSum], float]:
    """Base indicator weights summed per dimension, and over all indicators."""
    sums: list[WeightSum] = []
    for dim in items(document, "dimensions"):
        bounds = dim.get("weight_range") if isinstance(dim.get("weight_range"), list) else []
        bounds = (bounds + [None, None])[:2]
        sums.append(
            WeightSum(
                str(dim.get("key")),
                str(dim.get("name") or dim.get("key")),
                0.0,
                _number(bounds[0]),
                _number(bounds[1]),
            )
        )
    by_key = {s.key: s for s in sums}
    total = 0.0
    for ind in items(document, "indicators"):
        weight = _number(ind.get("weight")) or 0.0
        total += weight
        if str(ind.get("dimension")) in by_key:
            by_key[str(ind.get("dimension"))].total += weight
    return sums, total


def publish_draft(draft: Draft, effective_from: str, note: str, actor: str) -> rulesets.Published:
    """Publish through the API's own code path (validation, golden examples, audit entry)."""
    published = rulesets.publish(draft.role, draft.document, effective_from, note, actor)
    if published.created:  # a draft equal to the latest version publishes nothing new
        mark_published(draft, published.row.version)
    return published


def publish_problems(exc: Exception) -> list[Problem]:
    """The problems of a refused publish, with paths into the document again."""
    found = []
    for p in getattr(exc, "problems", []):
        path = p.path[len("/document") :] if p.path.startswith("/document") else p.path
        found.append(Problem(path, p.message))
    return found

"""Drafts of rulesets (the console's): start one, save it, check it, publish it."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from server.engine import ValidationReport, validate_document
from server.engine.language import T
from server.services import publishing
from server.services.domain_errors import NotFound
from server.storage import audit_queries, console_queries, version_queries, write
from server.storage.console_models import Draft

# the engine's tolerance for a weight sum against its range (server.engine.weights keeps its
# own private copy of this number: the console's live sums must agree with validation)
WEIGHT_TOLERANCE = 1e-6


def _items(document: Mapping[str, Any], section: str) -> list[dict[str, Any]]:
    value = document.get(section)
    return [i for i in value if isinstance(i, dict)] if isinstance(value, list) else []


def create_draft(
    role: str, actor: str, blank: dict[str, Any], base_version: int | None = None, name: str = ""
) -> Draft:
    """A new draft: a copy of a published version, or the `blank` starting document."""
    if base_version is not None:
        row = version_queries.get_version(role, base_version)
        if row is None:
            raise NotFound(
                T("%(role)s has no version %(version)s", role=role, version=base_version)
            )
        document = copy.deepcopy(row.document)
    else:
        document = blank

    def work() -> Draft:
        title = name or str(document.get("name") or role)
        draft = console_queries.add_draft(role, title, base_version, document, actor)
        details = {"draft": draft.id, "base_version": base_version}
        audit_queries.insert_audit([audit_queries.audit(actor, "draft.create", role, details)])
        return draft

    return write(work, [f"draft:{role}"])


def save_draft(
    draft: Draft, document: dict[str, Any], actor: str, seen_revision: int | None
) -> bool:
    """Store a new document; False (nothing stored) if someone saved since `seen_revision`."""
    if seen_revision is not None and seen_revision != draft.revision:
        return False

    saved = write(
        lambda: console_queries.update_draft_document(draft, document, actor),
        [f"draft:{draft.id}"],
    )
    if saved:
        draft.document, draft.revision = document, draft.revision + 1
    return saved


def save_sample(draft: Draft, sample: dict[str, Any]) -> None:
    """Remember the sample submission last tried on a draft."""
    write(lambda: console_queries.update_draft(draft.id, sample=sample))


def delete_draft(draft: Draft, actor: str) -> None:
    """Remove a draft, with an audit entry."""

    def work() -> None:
        console_queries.delete_draft(draft)
        audit_queries.insert_audit(
            [audit_queries.audit(actor, "draft.delete", draft.role, {"draft": draft.id})]
        )

    write(work, [f"draft:{draft.id}"])


def mark_published(draft: Draft, version: int) -> None:
    """A published draft becomes read-only and remembers its version."""
    write(lambda: console_queries.update_draft(draft.id, published_version=version))


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
        return (self.low is None or self.total >= self.low - WEIGHT_TOLERANCE) and (
            self.high is None or self.total <= self.high + WEIGHT_TOLERANCE
        )


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def weight_sums(document: Mapping[str, Any]) -> tuple[list[WeightSum], float]:
    """Base indicator weights summed per dimension, and over all indicators."""
    sums: list[WeightSum] = []
    for dim in _items(document, "dimensions"):
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
    for ind in _items(document, "indicators"):
        weight = _number(ind.get("weight")) or 0.0
        total += weight
        if str(ind.get("dimension")) in by_key:
            by_key[str(ind.get("dimension"))].total += weight
    return sums, total


def publish_draft(
    draft: Draft, effective_from: str, note: str, actor: str, *, approval_required: bool = False
) -> publishing.Published:
    """Publish through the API's own code path (validation, golden examples, audit entry)."""
    published = publishing.publish(
        draft.role,
        draft.document,
        effective_from,
        note,
        actor,
        approval_required=approval_required,
    )
    if published.created:  # a draft equal to the latest version publishes nothing new
        mark_published(draft, published.row.version)
    return published

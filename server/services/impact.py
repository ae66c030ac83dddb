"""Impact analysis: a version or a draft applied to the inputs stored for a role's period.

`before` is each employee's result under version `from` — the stored result itself when the
latest revision was stored under that very version (as replay guarantees it is reproduced),
recomputed from the stored inputs otherwise; without `from`, it is the stored result,
whatever version stored it. `after` is the result of the same stored inputs under version
`to` or the draft. Shared by
POST /rulesets/{role}/impact and the console's impact page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from server.collector import collector_paused
from server.engine import (
    CompiledRuleset,
    DocumentInvalid,
    SubmissionRejected,
    compile_ruleset,
    document_hash,
    parse_period,
)
from server.engine.language import T
from server.engine.periods import A_PERIOD, PER_PERIOD
from server.services import versions
from server.services.domain_errors import Invalid, Issue, issues_of
from server.storage import result_queries, version_queries
from server.storage.models import RulesetVersion

LARGEST_CHANGES = 10  # employees listed in `largest_changes`


@dataclass(frozen=True)
class Ruleset:
    """A ruleset an impact applies: a stored version (with its number) or a draft (None)."""

    compiled: CompiledRuleset
    version: int | None
    hash: str


@dataclass
class Impact:
    """Per employee before and after, the rating transitions, the changes, what failed."""

    role: str
    period: str
    before: Ruleset | None
    after: Ruleset
    employees: list[dict[str, Any]] = field(default_factory=list)
    transitions: dict[str, dict[str, int]] = field(default_factory=dict)
    mean_delta: float | None = None
    largest_changes: list[dict[str, Any]] = field(default_factory=list)
    not_evaluable: list[dict[str, Any]] = field(default_factory=list)

    @property
    def changed(self) -> int:
        """How many employees change rating."""
        return sum(1 for e in self.employees if e["before"]["rating"] != e["after"]["rating"])

    def as_json(self) -> dict[str, Any]:
        """The answer of POST /rulesets/{role}/impact (SPEC §5)."""
        return {
            "role": self.role,
            "period": self.period,
            "from": self.before.version if self.before else None,
            "to": self.after.version,
            "employees": [
                {"employee_id": e["employee_id"], "before": e["before"], "after": e["after"]}
                for e in self.employees
            ],
            "transitions": self.transitions,
            "mean_delta": self.mean_delta,
            "not_evaluable": self.not_evaluable,
            "count": len(self.employees),
            "rating_changes": self.changed,
            "largest_changes": self.largest_changes,
            "to_hash": self.after.hash,
        }


def _apply(
    ruleset: Ruleset, row: tuple[Any, ...], period: str
) -> tuple[dict[str, Any] | None, list[dict[str, str]]]:
    """{total, rating} of a stored row under a ruleset, or the problems that prevent it."""
    employee, _, digest, total, rating, inputs = row
    if digest == ruleset.hash:
        return {"total": total, "rating": rating}, []
    try:
        total, rating = ruleset.compiled.total_and_rating(inputs, period, employee_id=employee)
    except SubmissionRejected as exc:
        return None, [p.as_dict() for p in exc.problems]
    return {"total": total, "rating": rating}, []


class _Exact:
    """Decimal(repr(total)) of reported totals, remembered: a period's totals repeat."""

    def __init__(self) -> None:
        self.known: dict[float, Decimal] = {}

    def __call__(self, value: float) -> Decimal:
        found = self.known.get(value)
        if found is None:
            found = Decimal(repr(value))
            if value:  # 0.0 and -0.0 are one key but two decimals: never remembered
                self.known[value] = found
        return found


def analyse(role: str, period: str, after: Ruleset, before: Ruleset | None = None) -> Impact:
    """Apply `after` (and `before`, or the stored results) to the period's stored inputs."""
    impact = Impact(role, period, before, after)
    transitions: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    deltas: list[Decimal] = []
    exact = _Exact()
    with collector_paused():
        for row in result_queries.period_inputs(role, period):
            employee, record = row[0], row[1]
            if before is None:
                old, errors, side = {"total": row[3], "rating": row[4]}, [], "from"
            else:
                (old, errors), side = _apply(before, row, period), "from"
            new = None
            if old is not None:
                (new, errors), side = _apply(after, row, period), "to"
            if old is None or new is None:
                impact.not_evaluable.append(
                    {"employee_id": employee, "errors": errors, "side": side}
                )
                continue
            delta = None
            if old["total"] is not None and new["total"] is not None:
                delta = exact(new["total"]) - exact(old["total"])
                deltas.append(delta)
            impact.employees.append(
                {
                    "employee_id": employee,
                    "before": old,
                    "after": new,
                    "record": record,
                    "delta": float(delta) if delta is not None else None,
                }
            )
            transitions[old["rating"]][new["rating"]] += 1
    impact.transitions = _ordered(transitions, after.compiled)
    # exact decimal arithmetic on the reported totals, rounded to a double once
    impact.mean_delta = float(sum(deltas) / len(deltas)) if deltas else None
    moved = [e for e in impact.employees if e["delta"]]
    moved.sort(key=lambda e: (-abs(e["delta"]), e["employee_id"]))
    impact.largest_changes = [
        {k: e[k] for k in ("employee_id", "before", "after", "delta")}
        for e in moved[:LARGEST_CHANGES]
    ]
    return impact


def _ordered(
    transitions: dict[str, dict[str, int]], compiled: CompiledRuleset
) -> dict[str, dict[str, int]]:
    """Transitions with ratings in band order (best first), unknown keys after them."""
    rank = {band.key: i for i, band in enumerate(compiled.bands)}

    def order(key: str) -> tuple[int, str]:
        return (rank.get(key, len(rank)), key)

    return {
        old: {new: afters[new] for new in sorted(afters, key=order)}
        for old, afters in sorted(transitions.items(), key=lambda item: order(item[0]))
    }


def stored_ruleset(row: RulesetVersion) -> Ruleset:
    """A stored version as the ruleset an impact applies."""
    return Ruleset(versions.compiled(row), row.version, row.hash)


def draft_ruleset(document: dict[str, Any]) -> Ruleset:
    """A draft document as the ruleset an impact applies (DocumentInvalid if it has errors)."""
    return Ruleset(compile_ruleset(document), None, document_hash(document))


def _stored(role: str, number: int, at: str, kind: str, issues: list[Issue]) -> Ruleset | None:
    row = version_queries.get_version(role, int(number))
    if row is None:
        issues.append(
            Issue(T("%(role)s has no version %(version)s", role=role, version=number), at)
        )
        return None
    compiled = versions.compiled(row)
    if compiled.period_kind != kind:
        message = T(
            "version %(version)s of %(role)s is evaluated %(per)s, not %(wanted)s",
            version=row.version,
            role=role,
            per=PER_PERIOD[compiled.period_kind],
            wanted=PER_PERIOD[kind],
        )
        issues.append(Issue(message, at))
        return None
    return Ruleset(compiled, row.version, row.hash)


def _draft(role: str, document: dict[str, Any], kind: str, issues: list[Issue]) -> Ruleset | None:
    if document.get("role") != role:
        issues.append(
            Issue(T("must be %(role)r, the role named in the path", role=role), "document", "/role")
        )
        return None
    try:
        compiled = compile_ruleset(document)
    except DocumentInvalid as exc:
        issues.extend(issues_of(exc.report.errors, "document"))
        return None
    if compiled.period_kind != kind:
        message = T(
            "the document is evaluated %(per)s; the period is %(kind)s",
            per=PER_PERIOD[compiled.period_kind],
            kind=A_PERIOD[kind],
        )
        issues.append(Issue(message, "period"))
        return None
    return Ruleset(compiled, None, document_hash(document))


def rulesets_of(role: str, body: dict[str, Any]) -> tuple[Ruleset | None, Ruleset]:
    """The rulesets an impact request names: `from` (optional), and `to` or `document`.

    Every problem is listed at once: Invalid at from, to, document or period.
    """
    problems: list[Issue] = []
    kind = parse_period(body["period"]).kind  # the request schema checked its form
    to, document = body.get("to"), body.get("document")
    if to is not None and document is not None:
        problems.append(
            Issue(T("give either to (a version) or document (a draft), not both"), "to")
        )
    elif to is None and document is None:
        problems.append(Issue(T("is required: a version, or a draft as document"), "to"))
    before = (
        None if body.get("from") is None else _stored(role, body["from"], "from", kind, problems)
    )
    after = None
    if to is not None:
        after = _stored(role, to, "to", kind, problems)
    elif document is not None:
        after = _draft(role, document, kind, problems)
    if problems or after is None:
        raise Invalid(T("the impact cannot be computed"), problems)
    return before, after

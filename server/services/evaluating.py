"""Evaluating submissions: which version (pinned or in force), which history, the engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

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
from server.engine.problems import reason
from server.engine.tracking import in_period, project, tracking_variant, what_it_takes
from server.services import versions
from server.services.domain_errors import Invalid, Issue, issues_of
from server.services.plan_merging import PlanValues, merge, plan_for
from server.storage import result_queries, version_queries
from server.storage.version_queries import VersionChoice


@dataclass
class Resolved:
    """A submission tied to the ruleset that evaluates it."""

    compiled: CompiledRuleset
    ruleset: dict[str, Any]  # {version, hash} as the result reports it


class VersionIndex:
    """Each role's versions as choosing needs them, read once per request (a batch reads them
    once per role)."""

    def __init__(self) -> None:
        self._rows: dict[str, list[VersionChoice]] = {}

    def versions(self, role: str) -> list[VersionChoice]:
        if role not in self._rows:
            self._rows[role] = version_queries.version_choices(role)
        return self._rows[role]


def resolve(body: dict[str, Any], index: VersionIndex) -> Resolved:
    """The version for a submission: pinned by `version` or in force for its period (SPEC §4)."""
    role, text, pinned = body["role"], body["period"], body.get("version")
    known = index.versions(role)
    issues = [] if known else [Issue(T("unknown role %(role)r", role=role), "role")]
    try:
        period = parse_period(text)
    except ValueError as exc:
        issues.append(Issue(reason(exc), "period"))
    if issues:
        raise Invalid(T("the submission names no usable ruleset"), issues)
    if pinned is not None:
        row = next((v for v in known if v.version == pinned), None)
        if row is None:
            message = T(
                "%(role)s has no version %(version)s (the latest is %(latest)s)",
                role=role,
                version=pinned,
                latest=known[-1].version,
            )
            raise Invalid(T("unknown version"), [Issue(message, "version")])
    else:
        row = versions.version_in_force(known, period.start)
        if row is None:
            first = min(known, key=lambda v: v.effective_start)
            message = T(
                "no version of %(role)s is in force for %(period)s; the earliest takes effect "
                "from %(first)s",
                role=role,
                period=text,
                first=first.effective_from,
            )
            raise Invalid(T("no version in force"), [Issue(message, "period")])
    compiled = versions.compiled(row)
    check_period_kind(compiled, period.kind, text)
    return Resolved(compiled, {"version": row.version, "hash": row.hash})


def check_period_kind(compiled: CompiledRuleset, kind: str, text: str) -> None:
    """Invalid at `period` unless the period is of the ruleset's kind."""
    if kind != compiled.period_kind:
        message = T(
            "%(role)s is evaluated %(per)s; %(period)s is %(kind)s",
            role=compiled.role,
            per=PER_PERIOD[compiled.period_kind],
            period=text,
            kind=A_PERIOD[kind],
        )
        raise Invalid(T("wrong kind of period"), [Issue(message, "period")])


def with_ruleset(result: dict[str, Any], ruleset: dict[str, Any]) -> dict[str, Any]:
    """The engine's result with `ruleset: {version, hash}` right after `employee_id`."""
    out: dict[str, Any] = {}
    for key, value in result.items():
        out[key] = value
        if key == "employee_id":
            out["ruleset"] = ruleset
    out.setdefault("ruleset", ruleset)
    return out


def with_plan(result: dict[str, Any], plan: dict[str, Any] | None) -> dict[str, Any]:
    """The result with `plan: {revision, acknowledged}` (or null) right after `ruleset`."""
    out: dict[str, Any] = {}
    for key, value in result.items():
        if key != "plan":
            out[key] = value
        if key == "ruleset":
            out["plan"] = plan
    out.setdefault("plan", plan)
    return out


def with_references(
    result: dict[str, Any], ruleset: dict[str, Any], plan: dict[str, Any] | None
) -> dict[str, Any]:
    """The engine's result with `ruleset` and then `plan` right after `employee_id`: what
    with_plan(with_ruleset(result, ruleset), plan) gives, in one copy."""
    out: dict[str, Any] = {}
    for key, value in result.items():
        if key == "ruleset" or key == "plan":
            continue
        out[key] = value
        if key == "employee_id":
            out["ruleset"] = ruleset
            out["plan"] = plan
    if "ruleset" not in out:
        out["ruleset"] = ruleset
        out["plan"] = plan
    return out


def evaluate(
    resolved: Resolved,
    body: dict[str, Any],
    history: dict[str, str],
    plan: PlanValues | None = None,
) -> dict[str, Any]:
    """The §4 result of one submission, the plan merged in (SPEC §9); the engine's problems
    become Invalid's issues."""
    body = merge(resolved.compiled, body, plan)
    try:
        result = resolved.compiled.evaluate(
            body["inputs"], body["period"], employee_id=body.get("employee_id"), history=history
        )
    except SubmissionRejected as exc:
        raise Invalid(T("the submission cannot be evaluated"), issues_of(exc.problems)) from None
    return with_references(result, resolved.ruleset, plan.reference() if plan else None)


def as_of_day(body: dict[str, Any]) -> date | None:
    """The submission's `as_of` as a date, checked to be a day of its period (Invalid at
    `as_of` otherwise); None without one."""
    text = body.get("as_of")
    if text is None:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or len(text) != 10:
        raise Invalid(T("as_of is not a day"), [Issue(T("must be a date (YYYY-MM-DD)"), "as_of")])
    if not in_period(body["period"], day):
        message = T("%(day)s is not a day of %(period)s", day=text, period=body["period"])
        raise Invalid(T("as_of is outside the period"), [Issue(message, "as_of")])
    return day


def evaluate_tracked(
    resolved: Resolved,
    body: dict[str, Any],
    history: dict[str, str],
    plan: PlanValues | None = None,
) -> dict[str, Any]:
    """SPEC §10: the result of figures to date projected to the period's end (with `as_of`;
    `projection: null` without) and, when asked, what it takes to reach the next band. The
    plan is merged in first (SPEC §9), so what it takes holds the plan's values."""
    day = as_of_day(body)
    if day is None and not body.get("what_it_takes"):
        result = evaluate(resolved, body, history, plan)  # a new dict: ours to extend
        result["projection"] = None
        return result
    body = merge(resolved.compiled, body, plan)
    compiled, inputs, projection = resolved.compiled, body["inputs"], None
    if day is not None:
        compiled = tracking_variant(compiled)
        inputs, projection = project(compiled, inputs, body["period"], day)
    tracked = Resolved(compiled, resolved.ruleset)
    result = evaluate(tracked, {**body, "inputs": inputs}, history)
    result["plan"] = plan.reference() if plan else None  # in place: `plan` is already there
    result["projection"] = projection
    if body.get("what_it_takes"):
        period, employee_id = body["period"], body.get("employee_id")
        found, lines = what_it_takes(
            compiled,
            lambda changed: compiled.total_and_rating(changed, period, employee_id=employee_id),
            inputs,
            result["rating"]["key"],
        )
        result["what_it_takes"] = found
        result["explanation"] = [*result["explanation"], *lines]
    return result


def history_for(compiled: CompiledRuleset, period: str, employee_id: str | None) -> dict[str, str]:
    """The stored ratings of the periods the ruleset's streaks look back on."""
    periods = compiled.history_periods(period)
    if not employee_id or not periods:
        return {}
    ratings = result_queries.employee_ratings(compiled.role, employee_id, periods)
    return {p: ratings[p] for p in periods if p in ratings}


def _draft(body: dict[str, Any]) -> Resolved:
    """A draft document given with the submission instead of a stored version."""
    document = body["document"]
    issues = []
    if body.get("version") is not None:
        issues.append(Issue(T("give either a version or a document, not both"), "version"))
    if body.get("role") is not None and body["role"] != document.get("role"):
        issues.append(
            Issue(T("must be the document's role %(role)r", role=document.get("role")), "role")
        )
    try:
        kind = parse_period(body["period"]).kind
    except ValueError as exc:
        issues.append(Issue(reason(exc), "period"))
    try:
        compiled = compile_ruleset(document)
    except DocumentInvalid as exc:
        issues += issues_of(exc.report.errors, "document")
    if issues:
        raise Invalid(T("the submission cannot be evaluated"), issues)
    check_period_kind(compiled, kind, body["period"])
    return Resolved(compiled, {"version": None, "hash": document_hash(document)})


def evaluate_unstored(body: dict[str, Any]) -> dict[str, Any]:
    """The result under a stored version or a draft `document`, not stored."""
    resolved = _draft(body) if "document" in body else resolve(body, VersionIndex())
    history = history_for(resolved.compiled, body["period"], body.get("employee_id"))
    plan = plan_for(resolved.compiled.role, body["period"], body.get("employee_id"))
    return evaluate_tracked(resolved, body, history, plan)

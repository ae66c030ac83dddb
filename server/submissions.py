"""Turning submissions into results: which version, which history, the engine's evaluation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import peewee

from server import rulesets, storage
from server.engine import (
    CompiledRuleset,
    DocumentInvalid,
    Problem,
    SubmissionRejected,
    compile_ruleset,
    document_hash,
    parse_period,
)
from server.errors import Unprocessable
from server.storage import EvaluationRecord, EvaluationRevision, RulesetVersion

IN_CHUNK = 500  # values per SQL IN list


@dataclass
class Resolved:
    """A submission tied to the ruleset that evaluates it."""

    compiled: CompiledRuleset
    ruleset: dict[str, Any]  # {version, hash} as the result reports it


class VersionIndex:
    """Each role's version metadata, read once per request (a batch reads it once per role)."""

    def __init__(self) -> None:
        self._rows: dict[str, list[RulesetVersion]] = {}

    def versions(self, role: str) -> list[RulesetVersion]:
        if role not in self._rows:
            self._rows[role] = rulesets.versions_of(role)
        return self._rows[role]


def resolve(body: dict[str, Any], index: VersionIndex, prefix: str = "") -> Resolved:
    """The version for a submission: pinned by `version` or in force for its period (SPEC §4)."""
    role, text, pinned = body["role"], body["period"], body.get("version")
    versions = index.versions(role)
    problems = [] if versions else [Problem(prefix + "/role", f"unknown role {role!r}")]
    try:
        period = parse_period(text)
    except ValueError as exc:
        problems.append(Problem(prefix + "/period", str(exc)))
    if problems:
        raise Unprocessable("the submission names no usable ruleset", problems)
    if pinned is not None:
        row = next((v for v in versions if v.version == pinned), None)
        if row is None:
            message = f"{role} has no version {pinned} (the latest is {versions[-1].version})"
            raise Unprocessable("unknown version", [Problem(prefix + "/version", message)])
    else:
        row = rulesets.version_in_force(versions, period.start)
        if row is None:
            first = min(versions, key=lambda v: v.effective_start)
            message = (
                f"no version of {role} is in force for {text}; "
                f"the earliest takes effect from {first.effective_from}"
            )
            raise Unprocessable("no version in force", [Problem(prefix + "/period", message)])
    compiled = rulesets.compiled(row)
    check_period_kind(compiled, period.kind, text, prefix)
    return Resolved(compiled, {"version": row.version, "hash": row.hash})


def check_period_kind(compiled: CompiledRuleset, kind: str, text: str, prefix: str) -> None:
    """422 at /period unless the period is of the ruleset's kind."""
    if kind != compiled.period_kind:
        message = f"{compiled.role} is evaluated per {compiled.period_kind}; {text} is a {kind}"
        raise Unprocessable("wrong kind of period", [Problem(prefix + "/period", message)])


def with_ruleset(result: dict[str, Any], ruleset: dict[str, Any]) -> dict[str, Any]:
    """The engine's result with `ruleset: {version, hash}` right after `employee_id`."""
    out: dict[str, Any] = {}
    for key, value in result.items():
        out[key] = value
        if key == "employee_id":
            out["ruleset"] = ruleset
    out.setdefault("ruleset", ruleset)
    return out


def evaluate(
    resolved: Resolved, body: dict[str, Any], history: dict[str, str], prefix: str = ""
) -> dict[str, Any]:
    """The §4 result of one submission; engine problems are moved under `prefix`."""
    try:
        result = resolved.compiled.evaluate(
            body["inputs"], body["period"], employee_id=body.get("employee_id"), history=history
        )
    except SubmissionRejected as exc:
        raise Unprocessable(
            "the submission cannot be evaluated", [p.under(prefix) for p in exc.problems]
        ) from None
    return with_ruleset(result, resolved.ruleset)


def latest_revision_filter() -> peewee.Expression:
    """True for a revision that is its record's latest."""
    other = EvaluationRevision.alias()
    newest = other.select(peewee.fn.MAX(other.revision)).where(
        other.record == EvaluationRevision.record
    )
    return EvaluationRevision.revision == newest


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]


def stored_ratings(
    role: str, employee_ids: Iterable[str], periods: Iterable[str]
) -> dict[tuple[str, str], str]:
    """{(employee_id, period): rating key} of the latest stored revisions (streak history)."""
    ids, wanted = sorted(set(employee_ids)), sorted(set(periods))
    found: dict[tuple[str, str], str] = {}
    if not ids or not wanted:
        return found
    for id_chunk in _chunks(ids):
        for period_chunk in _chunks(wanted):
            query = (
                EvaluationRevision.select(
                    EvaluationRecord.employee_id, EvaluationRecord.period, EvaluationRevision.rating
                )
                .join(EvaluationRecord)
                .where(
                    (EvaluationRecord.role == role)
                    & EvaluationRecord.employee_id.in_(id_chunk)
                    & EvaluationRecord.period.in_(period_chunk)
                    & latest_revision_filter()
                )
                .tuples()
            )
            for employee_id, period, rating in query:
                found[(employee_id, period)] = rating
    return found


def history_for(compiled: CompiledRuleset, period: str, employee_id: str | None) -> dict[str, str]:
    """The stored ratings of the periods the ruleset's streaks look back on."""
    periods = compiled.history_periods(period)
    if not employee_id or not periods:
        return {}
    wanted = sorted(set(periods))
    if len(wanted) > IN_CHUNK:
        ratings = stored_ratings(compiled.role, [employee_id], periods)
    else:
        names = [f"p{i}" for i in range(len(wanted))]
        rows = storage.prepared(
            f"submissions.history_for:{len(wanted)}",
            lambda: _history_query([storage.Param(n) for n in names]),
            {"role": compiled.role, "employee_id": employee_id, **dict(zip(names, wanted))},
        )
        ratings = {(employee_id, period): rating for period, rating in rows}
    return {p: ratings[(employee_id, p)] for p in periods if (employee_id, p) in ratings}


def _history_query(periods: list[Any]) -> peewee.Query:
    """One employee's latest stored ratings for some periods (the template of history_for)."""
    return (
        EvaluationRevision.select(EvaluationRecord.period, EvaluationRevision.rating)
        .join(EvaluationRecord)
        .where(
            (EvaluationRecord.role == storage.Param("role"))
            & (EvaluationRecord.employee_id == storage.Param("employee_id"))
            & EvaluationRecord.period.in_(periods)
            & latest_revision_filter()
        )
        .tuples()
    )


def _draft(body: dict[str, Any]) -> Resolved:
    """A draft document given in the request instead of a stored version."""
    document = body["document"]
    problems = []
    if body.get("version") is not None:
        problems.append(Problem("/version", "give either a version or a document, not both"))
    if body.get("role") is not None and body["role"] != document.get("role"):
        problems.append(Problem("/role", f"must be the document's role {document.get('role')!r}"))
    try:
        kind = parse_period(body["period"]).kind
    except ValueError as exc:
        problems.append(Problem("/period", str(exc)))
    try:
        compiled = compile_ruleset(document)
    except DocumentInvalid as exc:
        problems += [p.under("/document") for p in exc.report.errors]
    if problems:
        raise Unprocessable("the submission cannot be evaluated", problems)
    check_period_kind(compiled, kind, body["period"], "")
    return Resolved(compiled, {"version": None, "hash": document_hash(document)})


def evaluate_unstored(body: dict[str, Any]) -> dict[str, Any]:
    """POST /evaluate: the result under a stored version or a draft document, not stored."""
    resolved = _draft(body) if "document" in body else resolve(body, VersionIndex())
    history = history_for(resolved.compiled, body["period"], body.get("employee_id"))
    return evaluate(resolved, body, history)

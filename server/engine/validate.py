"""Validate a ruleset document: schema, semantics and golden examples, every problem at once;
compile_ruleset() is validation without the examples, giving a CompiledRuleset or DocumentInvalid.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import wording
from .compiler import build
from .language import T, Text
from .periods import make_period
from .problems import (
    DocumentInvalid,
    Problem,
    Problems,
    SubmissionRejected,
    ValidationReport,
    pointer,
)
from .ruleset import CompiledRuleset
from .schema import schema_problems

EXAMPLE_DEFAULT_YEAR = 2025


def compile_ruleset(document: Mapping[str, Any]) -> CompiledRuleset:
    """Compile a document; DocumentInvalid carries every problem if it does not validate."""
    report = validate_document(document, check_examples=False)
    if not report.valid:
        raise DocumentInvalid(report)
    return report.compiled


def validate_document(document: Any, *, check_examples: bool = True) -> ValidationReport:
    """Every problem of a document: schema errors, semantic checks and golden examples."""
    problems = Problems()
    if not isinstance(document, dict):
        problems.error("", T("a ruleset document must be an object (a mapping of keys)"))
        return ValidationReport(problems.errors, problems.warnings)
    problems.errors.extend(schema_problems(document))
    compiled = build(document, problems)
    coverage = None
    if compiled is not None and check_examples:
        reached = _check_examples(document, compiled, problems)
        coverage = _coverage(compiled, reached, problems)
    if problems.errors:
        compiled = None
    return ValidationReport(
        _unique(problems.errors), _unique(problems.warnings), compiled, coverage
    )


def _coverage(
    compiled: CompiledRuleset, reached: list[tuple[str, Mapping]], problems: Problems
) -> dict[str, dict[str, list[str]]]:
    """Which examples end in each rating band and fire each adjustment (SPEC §12), and a
    warning for each band and adjustment that no example reaches."""
    ratings: dict[str, list[str]] = {band.key: [] for band in compiled.bands}
    adjustments: dict[str, list[str]] = {a.key: [] for a in compiled.adjustments}
    for name, result in reached:
        ratings.setdefault(result["rating"]["key"], []).append(name)
        for key in result.get("adjustments") or []:
            adjustments.setdefault(key, []).append(name)
    for i, band in enumerate(compiled.bands):
        if not ratings[band.key]:
            problems.warn(
                pointer("rating", i),
                T(
                    "no example ends in the rating band %(band)s (%(label)s); add an "
                    "example whose total reaches it",
                    band=band.key,
                    label=band.label,
                ),
            )
    for i, adjustment in enumerate(compiled.adjustments):
        if not adjustments[adjustment.key]:
            problems.warn(
                pointer("adjustments", i),
                T(
                    "no example fires the adjustment %(adjustment)s (%(name)s); add an "
                    "example whose inputs meet its condition",
                    adjustment=adjustment.key,
                    name=adjustment.name,
                ),
            )
    return {"ratings": ratings, "adjustments": adjustments}


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def example_period(example: Mapping[str, Any], compiled: CompiledRuleset) -> str:
    """The period an example is evaluated in: its own, or the first of 2025 of the kind."""
    return example.get("period") or make_period(compiled.period_kind, EXAMPLE_DEFAULT_YEAR, 1).text


def _check_examples(
    document: Mapping, compiled: CompiledRuleset, problems: Problems
) -> list[tuple[str, Mapping]]:
    """Evaluate every golden example, reporting those that do not reproduce; the name and
    result of each example that could be evaluated."""
    reached: list[tuple[str, Mapping]] = []
    for i, example in enumerate(document.get("examples") or []):
        if not isinstance(example, dict):
            continue
        base = pointer("examples", i)
        label = wording.example(example.get("name"))
        if compiled.reads_period and not example.get("period"):
            problems.error(
                base + "/period",
                wording.about(label, T("the ruleset reads period_start/period_end; give a period")),
            )
            continue
        expect = example.get("expect") or {}
        try:
            result = compiled.evaluate(
                example.get("inputs") or {},
                example_period(example, compiled),
                history=example.get("history") or {},
                explain=False,
            )
        except SubmissionRejected as exc:
            for p in exc.problems:
                problems.error(base + p.path, wording.about(label, p.message))
            continue
        reached.append((str(example.get("name")), result))
        _compare(label, base, expect, result, problems)
    return reached


def _compare(label: Text, base: str, expect: Mapping, result: Mapping, problems: Problems) -> None:
    if result["total"] != expect.get("total"):
        problems.error(
            base + "/expect/total",
            T(
                "%(example)s does not reproduce: total is %(got)s, expected %(want)s",
                example=label,
                got=result["total"],
                want=expect.get("total"),
            ),
        )
    if result["rating"]["key"] != expect.get("rating"):
        problems.error(
            base + "/expect/rating",
            T(
                "%(example)s does not reproduce: rating is %(got)s, expected %(want)s",
                example=label,
                got=result["rating"]["key"],
                want=expect.get("rating"),
            ),
        )
    if "bonus_multiplier" in expect and result["bonus_multiplier"] != expect["bonus_multiplier"]:
        problems.error(
            base + "/expect/bonus_multiplier",
            T(
                "%(example)s does not reproduce: bonus multiplier is %(got)s, expected %(want)s",
                example=label,
                got=result["bonus_multiplier"],
                want=expect["bonus_multiplier"],
            ),
        )
    scores = {ind["key"]: ind["score"] for ind in result["indicators"]}
    for key, want in (expect.get("indicators") or {}).items():
        if key not in scores:
            problems.error(
                base + pointer("expect", "indicators", key),
                wording.about(label, T("%(key)r is not an indicator", key=key)),
            )
        elif scores[key] != want:
            problems.error(
                base + pointer("expect", "indicators", key),
                T(
                    "%(example)s does not reproduce: indicator %(key)s scores %(got)s, "
                    "expected %(want)s",
                    example=label,
                    key=key,
                    got=scores[key],
                    want=want,
                ),
            )
    if "outcomes" in expect:
        got = [o["key"] for o in result["outcomes"]]
        if got != list(expect["outcomes"]):
            problems.error(
                base + "/expect/outcomes",
                T(
                    "%(example)s does not reproduce: outcomes are %(got)s, expected %(want)s",
                    example=label,
                    got=str(got),
                    want=str(expect["outcomes"]),
                ),
            )

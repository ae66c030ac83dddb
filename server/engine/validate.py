"""Validate a ruleset document: schema, semantics and golden examples, every problem at once."""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from .compiler import CompiledRuleset, Problems, build
from .errors import Problem, SubmissionRejected, pointer
from .periods import make_period

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schemas" / "ruleset.schema.json"
EXAMPLE_DEFAULT_YEAR = 2025


@dataclass
class ValidationReport:
    """The outcome of validating a document."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    compiled: CompiledRuleset | None = None

    @property
    def valid(self) -> bool:
        return not self.errors

    def as_dict(self, prefix: str = "") -> dict[str, Any]:
        """`{valid, errors, warnings}` with paths under `prefix` (e.g. "/document")."""
        return {
            "valid": self.valid,
            "errors": [p.under(prefix).as_dict() for p in self.errors],
            "warnings": [p.under(prefix).as_dict() for p in self.warnings],
        }


@lru_cache(maxsize=1)
def ruleset_schema() -> dict[str, Any]:
    """The ruleset JSON Schema, read once."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(ruleset_schema())


def validate_document(document: Any, *, check_examples: bool = True) -> ValidationReport:
    """Every problem of a document: schema errors, semantic checks and golden examples."""
    problems = Problems()
    if not isinstance(document, dict):
        problems.error("", "a ruleset document must be an object (a mapping of keys)")
        return ValidationReport(problems.errors, problems.warnings)
    problems.errors.extend(schema_problems(document))
    compiled = build(document, problems)
    if compiled is not None and check_examples:
        _check_examples(document, compiled, problems)
    if problems.errors:
        compiled = None
    return ValidationReport(_unique(problems.errors), _unique(problems.warnings), compiled)


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def schema_problems(document: Any) -> list[Problem]:
    """Schema errors as problems, one per offending member, with readable messages."""
    found = []
    for error in _validator().iter_errors(document):
        found.extend(_describe(error, document))
    return sorted(found, key=lambda p: p.path)


def _describe(error, document: Any) -> list[Problem]:
    path = pointer(*error.absolute_path)
    where = _where(error.absolute_path, document)
    if error.validator == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extras = [k for k in error.instance if k not in allowed]
        result = []
        for extra in extras:
            close = difflib.get_close_matches(str(extra), allowed, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; allowed: {', '.join(allowed)}"
            result.append(Problem(f"{path}/{extra}", f"{where}unknown field {extra!r}{hint}"))
        return result
    if error.validator == "required":
        missing = [k for k in error.validator_value if k not in error.instance]
        return [Problem(f"{path}/{k}", f"{where}{k!r} is required") for k in missing]
    if error.validator == "oneOf" and isinstance(error.instance, dict) and "type" in error.instance:
        best = min(error.context, key=lambda e: len(list(e.absolute_path)), default=None)
        if best is not None:
            return _describe(best, document)
    return [Problem(path, f"{where}{_message(error)}")]


def _message(error) -> str:
    message = error.message
    if error.validator == "pattern":
        return f"{error.instance!r} is not a valid name: use letters, digits and _"
    if len(message) > 300:
        message = message[:297] + "..."
    return message


ITEM_WORDS = {"indicators": "indicator", "dimensions": "dimension", "adjustments": "adjustment",
              "rating": "rating band", "streaks": "streak", "examples": "example"}  # fmt: skip


def _where(path, document: Any) -> str:
    """Who a schema error is about: `indicator sales_attainment (销售额达成率): ` and the like."""
    parts = list(path)
    if len(parts) >= 2 and parts[0] in ITEM_WORDS and isinstance(parts[1], int):
        item = document.get(parts[0])[parts[1]]
        word = ITEM_WORDS[parts[0]]
        if isinstance(item, dict):
            key = item.get("name" if parts[0] == "examples" else "key")
            label = item.get("label") if parts[0] == "rating" else item.get("name")
            if isinstance(key, str) and key:
                if isinstance(label, str) and label and label != key:
                    return f"{word} {key} ({label}): "
                return f"{word} {key}: "
        return f"{word} #{parts[1] + 1}: "
    if len(parts) >= 2 and parts[0] == "inputs":
        return f"input {parts[1]}: "
    return ""


def example_period(example: Mapping[str, Any], compiled: CompiledRuleset) -> str:
    """The period an example is evaluated in: its own, or the first of 2025 of the kind."""
    return example.get("period") or make_period(compiled.period_kind, EXAMPLE_DEFAULT_YEAR, 1).text


def _check_examples(document: Mapping, compiled: CompiledRuleset, problems: Problems) -> None:
    for i, example in enumerate(document.get("examples") or []):
        if not isinstance(example, dict):
            continue
        base = pointer("examples", i)
        label = f"example {example.get('name')!r}"
        if compiled.reads_period and not example.get("period"):
            problems.error(
                base + "/period",
                f"{label}: the ruleset reads period_start/period_end; give a period",
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
                problems.error(base + p.path, f"{label}: {p.message}")
            continue
        _compare(label, base, expect, result, problems)


def _compare(label: str, base: str, expect: Mapping, result: Mapping, problems: Problems) -> None:
    if result["total"] != expect.get("total"):
        problems.error(
            base + "/expect/total",
            f"{label} does not reproduce: total is {result['total']}, "
            f"expected {expect.get('total')}",
        )
    if result["rating"]["key"] != expect.get("rating"):
        problems.error(
            base + "/expect/rating",
            f"{label} does not reproduce: rating is {result['rating']['key']}, "
            f"expected {expect.get('rating')}",
        )
    if "bonus_multiplier" in expect and result["bonus_multiplier"] != expect["bonus_multiplier"]:
        problems.error(
            base + "/expect/bonus_multiplier",
            f"{label} does not reproduce: bonus multiplier is "
            f"{result['bonus_multiplier']}, expected {expect['bonus_multiplier']}",
        )
    scores = {ind["key"]: ind["score"] for ind in result["indicators"]}
    for key, want in (expect.get("indicators") or {}).items():
        if key not in scores:
            problems.error(
                base + pointer("expect", "indicators", key), f"{label}: {key!r} is not an indicator"
            )
        elif scores[key] != want:
            problems.error(
                base + pointer("expect", "indicators", key),
                f"{label} does not reproduce: indicator {key} scores {scores[key]}, "
                f"expected {want}",
            )
    if "outcomes" in expect:
        got = [o["key"] for o in result["outcomes"]]
        if got != list(expect["outcomes"]):
            problems.error(
                base + "/expect/outcomes",
                f"{label} does not reproduce: outcomes are {got}, expected {expect['outcomes']}",
            )

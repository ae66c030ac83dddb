"""Differential test: every compiled formula computes what simpleeval's interpretation of the
same formula computes (formula.reference_eval), on random valid submissions.

Parametrized over tests/engine/fixtures/mini.yaml and every rulesets/*.yaml present when the
tests are collected. For each ruleset about a thousand submissions are drawn from its input
specs (numbers within min/max, dates, ratings of allowed kinds, optional inputs sometimes
missing); every indicator formula, scoring formula and `when` whose names are all available
is run both ways, and both must return the same value (and type) or both must fail.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from server.engine import CompiledRuleset, SubmissionRejected, compile_ruleset, load_document
from server.engine.formula import Formula, reference_eval
from server.engine.model import InputSpec
from server.engine.periods import parse_period

HERE = Path(__file__).parent
RULESET_FILES = [
    HERE / "fixtures" / "mini.yaml",
    *sorted((HERE.parents[1] / "rulesets").glob("*.yaml")),
]
SUBMISSIONS = 1000
EVALUATED_SUBMISSIONS = 200  # of those, run through the whole evaluation too
FIRST_DAY = date(2015, 1, 1)


def load(path: Path) -> CompiledRuleset:
    return compile_ruleset(load_document(path.read_text(encoding="utf-8")))


# --- random submissions ---------------------------------------------------------------------------


def random_number(rnd: random.Random, spec: InputSpec, whole: bool) -> float | int:
    lo = spec.min if spec.min is not None else (0.0 if whole else -1_000.0)
    hi = spec.max if spec.max is not None else lo + (200 if whole else 2_000_000)
    if whole:
        lo, hi = math.ceil(lo), math.floor(hi)
        return rnd.choice([lo, hi, rnd.randint(lo, hi), rnd.randint(lo, min(hi, lo + 20))])
    roll = rnd.random()
    if roll < 0.1:
        return lo
    if roll < 0.15:
        return hi
    if roll < 0.2 and lo <= 0 <= hi:
        return 0
    if roll < 0.6:
        rounded = round(rnd.uniform(lo, min(hi, lo + 200)), rnd.choice([0, 1, 2, 3]))
        return min(max(rounded, lo), hi)
    return rnd.uniform(lo, hi)


def random_ratings(rnd: random.Random, spec: InputSpec) -> dict[str, Any]:
    kinds = [k for k in spec.raters if rnd.random() < 0.7]
    if not kinds and rnd.random() < 0.9:
        kinds = [rnd.choice(spec.raters)]
    ratings: dict[str, Any] = {}
    for kind in kinds:
        if rnd.random() < 0.5:
            ratings[kind] = rnd.choice([rnd.randint(0, 100), round(rnd.uniform(0, 100), 1)])
        else:
            ratings[kind] = [rnd.randint(0, 100) for _ in range(rnd.randint(1, 4))]
    return ratings


def random_value(rnd: random.Random, spec: InputSpec) -> Any:
    if spec.type == "number":
        return random_number(rnd, spec, whole=False)
    if spec.type == "integer":
        return int(random_number(rnd, spec, whole=True))
    if spec.type == "boolean":
        return rnd.random() < 0.5
    if spec.type == "string":
        if spec.enum:
            return rnd.choice(spec.enum)
        return rnd.choice(["", "east", "west", "华东", "x" * 200])
    if spec.type == "date":
        return (FIRST_DAY + timedelta(days=rnd.randint(0, 12 * 366))).isoformat()
    if spec.type == "ratings":
        return random_ratings(rnd, spec)
    return [random_number(rnd, spec, whole=False) for _ in range(rnd.randint(0, 5))]  # list


def random_period(rnd: random.Random, kind: str) -> str:
    year = rnd.randint(2024, 2026)
    return {
        "year": f"{year}",
        "half": f"{year}-H{rnd.randint(1, 2)}",
        "quarter": f"{year}-Q{rnd.randint(1, 4)}",
        "month": f"{year}-{rnd.randint(1, 12):02d}",
    }[kind]


def random_submission(rnd: random.Random, ruleset: CompiledRuleset) -> tuple[dict[str, Any], str]:
    """Inputs valid for the ruleset's specs (optional ones sometimes missing), and a period."""
    inputs: dict[str, Any] = {}
    for name, spec in ruleset.inputs.items():
        if rnd.random() < (0.02 if spec.required else 0.3):
            continue
        inputs[name] = random_value(rnd, spec)
    return inputs, random_period(rnd, ruleset.period_kind)


def submissions(path: Path, count: int) -> Iterator[tuple[dict[str, Any], str]]:
    ruleset = load(path)
    rnd = random.Random(f"differential:{path.name}")
    for _ in range(count):
        yield random_submission(rnd, ruleset)


# --- the two interpretations --------------------------------------------------------------------


def outcome(run: Callable[[], Any]) -> tuple[str, Any]:
    try:
        value = run()
    except Exception as exc:  # noqa: BLE001 - any failure; both sides must fail
        return ("fails", type(exc).__name__)
    return ("returns", value)


def same(compiled: tuple[str, Any], reference: tuple[str, Any]) -> bool:
    if compiled[0] != reference[0]:
        return False
    if compiled[0] == "fails":
        return True
    a, b = compiled[1], reference[1]
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


class Mismatches:
    """Collects the first few disagreements with what was computed."""

    def __init__(self, ruleset: CompiledRuleset) -> None:
        self.ruleset = ruleset
        self.found: list[str] = []
        self.compared = 0

    def compare(self, where: str, formula: Formula, fn: Callable, names: dict[str, Any]) -> Any:
        """Run one formula both ways; the compiled value (None when it failed)."""
        if not formula.names <= names.keys():
            return None
        self.compared += 1
        compiled = outcome(lambda: fn(names))
        reference = outcome(lambda: reference_eval(formula, names, self.ruleset.rated))
        if not same(compiled, reference) and len(self.found) < 10:
            shown = {k: names[k] for k in sorted(formula.names)}
            self.found.append(
                f"{where}: {formula.text!r} with {shown}: compiled {compiled}, simpleeval {reference}"
            )
        return compiled[1] if compiled[0] == "returns" else None


def names_of(ruleset: CompiledRuleset, inputs: dict[str, Any], period: str) -> dict[str, Any]:
    """What formulas read: the coerced inputs (defaults for missing ones) and the period days."""
    names: dict[str, Any] = {}
    for name, spec in ruleset.inputs.items():
        if inputs.get(name) is not None:
            names[name] = spec.coerce(inputs[name])
        elif spec.default is not None:
            names[name] = spec.default
    parsed = parse_period(period)
    names["period_start"], names["period_end"] = parsed.start, parsed.end
    return names


def compare_all(ruleset: CompiledRuleset, names: dict[str, Any], check: Mismatches) -> None:
    for ind in ruleset.order:
        value = check.compare(f"indicator {ind.key}", ind.formula, ind.fn, names)
        if isinstance(value, float) and math.isfinite(value):
            names[ind.key] = value
            scoring = ind.scoring
            if scoring.formula is not None and scoring.fn is not None:
                check.compare(
                    f"indicator {ind.key} scoring",
                    scoring.formula,
                    scoring.fn,
                    {**names, "value": value},
                )
    for adj in ruleset.adjustments:
        if adj.when is not None and adj.when_fn is not None:
            check.compare(f"adjustment {adj.key} when", adj.when, adj.when_fn, names)


@pytest.mark.parametrize("path", RULESET_FILES, ids=lambda p: p.stem)
def test_compiled_formulas_agree_with_simpleeval(path: Path) -> None:
    ruleset = load(path)
    check = Mismatches(ruleset)
    for inputs, period in submissions(path, SUBMISSIONS):
        compare_all(ruleset, names_of(ruleset, inputs, period), check)
    assert check.found == []
    # the comparison really ran: on average several formulas per submission
    assert check.compared >= SUBMISSIONS


@pytest.mark.parametrize("path", RULESET_FILES, ids=lambda p: p.stem)
def test_random_submissions_evaluate_or_are_rejected_with_paths(path: Path) -> None:
    # never anything but a result or a SubmissionRejected listing problems at /inputs... or /period
    ruleset = load(path)
    results = 0
    for inputs, period in submissions(path, EVALUATED_SUBMISSIONS):
        try:
            result = ruleset.evaluate(inputs, period)
        except SubmissionRejected as exc:
            assert exc.problems
            assert all(p.path.startswith("/inputs") for p in exc.problems), exc.problems
            continue
        results += 1
        assert result["rating"]["key"] in ruleset.band_index
    assert results > 0

"""Whole-result differential tests on thousands of generated submissions per ruleset:

- evaluated as in production (the generated function of codegen.py, compiled formulas), every
  ruleset gives exactly the result (or the rejection) it gives step by step with every formula
  interpreted by simpleeval (server/engine/reference.py);
- the generated function answers exactly the submissions the step-by-step evaluator (with the
  same compiled formulas) evaluates, with identical results, and hands the others over.

Where test_differential.py compares formula by formula, this compares what a client gets:
every reported number (compared by repr, so 0.0 and -0.0 differ), status, adjustment,
outcome and explanation line, or every problem of a rejection.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from server.engine import CompiledRuleset, SubmissionRejected, compile_ruleset, load_document
from server.engine.model import InputSpec
from server.engine.reference import interpreted
from server.engine.stepwise import evaluate_stepwise

HERE = Path(__file__).parent
RULESET_FILES = [HERE / "fixtures" / "mini.yaml", *sorted((HERE.parents[1] / "rulesets").glob("*.yaml"))]  # fmt: skip
SUBMISSIONS = 2000
PERIODS = {"quarter": ["2025-Q3", "2025-Q1"], "month": ["2025-07", "2025-02"],
           "half": ["2025-H2", "2025-H1"], "year": ["2025", "2024"]}  # fmt: skip
RATING_KEYS = ["excellent", "good", "pass", "fail"]


def _number(rnd: random.Random, spec: InputSpec, whole: bool) -> float | int:
    lo = spec.min if spec.min is not None else -50.0
    hi = spec.max if spec.max is not None else max(lo, 0) + rnd.choice([1, 100, 1e4, 1e7])
    pick = rnd.random()
    if pick < 0.04:
        x = lo  # a bound: zero denominators, empty scores
    elif pick < 0.06:
        x = hi
    else:
        x = rnd.uniform(lo, hi)
    if whole:
        return int(min(max(round(x), int(lo) if lo == int(lo) else round(lo + 0.5)), hi))
    return round(x, rnd.choice([0, 1, 2, 6])) if rnd.random() < 0.7 else x


def _value(rnd: random.Random, spec: InputSpec) -> Any:
    if spec.type in ("number", "integer"):
        return _number(rnd, spec, spec.type == "integer")
    if spec.type == "boolean":
        return rnd.random() < 0.5
    if spec.type == "string":
        return rnd.choice(spec.enum) if spec.enum else rnd.choice(["a", "b", ""])
    if spec.type == "date":
        return (date(2015, 1, 1) + timedelta(days=rnd.randint(0, 4000))).isoformat()
    if spec.type == "list":
        return [round(rnd.uniform(0, 100), 1) for _ in range(rnd.randint(0, 4))]
    kinds = list(spec.raters)
    chosen = rnd.sample(kinds, rnd.randint(0 if rnd.random() < 0.05 else 1, len(kinds)))
    return {
        kind: rnd.randint(0, 100) if rnd.random() < 0.5
        else [round(rnd.uniform(0, 100), 1) for _ in range(rnd.randint(1, 3))]
        for kind in chosen
    }  # fmt: skip


def _submission(rnd: random.Random, ruleset: CompiledRuleset) -> dict[str, Any]:
    inputs = {}
    for name, spec in ruleset.inputs.items():
        roll = rnd.random()
        if roll < (0.4 if not spec.required else 0.005):
            continue  # missing: optional data not sent, or a required one forgotten
        inputs[name] = None if roll < 0.01 else _value(rnd, spec)
    history = {
        period: rnd.choice(RATING_KEYS)
        for period in ruleset.history_periods(PERIODS[ruleset.period_kind][0])
        if rnd.random() < 0.7
    }
    return {
        "inputs": inputs,
        "period": rnd.choice(PERIODS[ruleset.period_kind]),
        "employee_id": f"E{rnd.randint(1, 99999)}",
        "history": history,
    }


def _outcome(ruleset: CompiledRuleset, sub: dict[str, Any]) -> str:
    try:
        return repr(ruleset.evaluate(sub["inputs"], sub["period"], employee_id=sub["employee_id"],
                                     history=sub["history"], explain=True))  # fmt: skip
    except SubmissionRejected as exc:
        return "rejected: " + repr([(p.path, p.message) for p in exc.problems])


@pytest.mark.parametrize("path", RULESET_FILES, ids=lambda p: p.stem)
def test_compiled_and_interpreted_rulesets_give_identical_results(path: Path) -> None:
    compiled = compile_ruleset(load_document(path.read_text(encoding="utf-8")))
    reference = interpreted(compiled)
    rnd = random.Random(f"differential:{path.stem}")
    scored = 0
    for _ in range(SUBMISSIONS):
        sub = _submission(rnd, compiled)
        got, want = _outcome(compiled, sub), _outcome(reference, sub)
        assert got == want, sub
        scored += not got.startswith("rejected")
    # both paths must really be exercised, not only rejections
    assert scored >= SUBMISSIONS // 4, f"only {scored} of {SUBMISSIONS} submissions evaluated"


def _stepwise(ruleset: CompiledRuleset, sub: dict[str, Any], explain: bool) -> str:
    try:
        return repr(evaluate_stepwise(ruleset, sub["inputs"], sub["period"], sub["employee_id"],
                                      sub["history"], explain))  # fmt: skip
    except SubmissionRejected:
        return "rejected"


@pytest.mark.parametrize("path", RULESET_FILES, ids=lambda p: p.stem)
def test_generated_function_gives_the_step_by_step_result_or_hands_over(path: Path) -> None:
    """The generated function (codegen.py) answers every submission the step-by-step evaluator
    evaluates, identically, and returns None exactly for those it rejects."""
    ruleset = compile_ruleset(load_document(path.read_text(encoding="utf-8")))
    generated = ruleset.generated_evaluator()
    assert generated is not None, "every default ruleset can be generated"
    assert generated.__globals__["__builtins__"] == {}
    rnd = random.Random(f"generated:{path.stem}")
    for i in range(SUBMISSIONS // 2):
        sub = _submission(rnd, ruleset)
        explain = i % 2 == 1
        fast = generated(sub["inputs"], sub["period"], sub["employee_id"], sub["history"], explain)
        want = _stepwise(ruleset, sub, explain)
        assert (repr(fast) if fast is not None else "rejected") == want, sub
        try:
            summary = repr(compiled_summary(ruleset, sub))
        except SubmissionRejected:
            summary = "rejected"
        if want == "rejected":
            assert summary == "rejected", sub
        else:
            result = evaluate_stepwise(ruleset, sub["inputs"], sub["period"], sub["employee_id"],
                                       sub["history"], False)  # fmt: skip
            assert summary == repr((result["total"], result["rating"]["key"])), sub


def compiled_summary(ruleset: CompiledRuleset, sub: dict[str, Any]) -> tuple[float, str]:
    return ruleset.total_and_rating(sub["inputs"], sub["period"], employee_id=sub["employee_id"])

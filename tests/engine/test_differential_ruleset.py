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
from pathlib import Path
from typing import Any

import pytest

from server.engine import CompiledRuleset, SubmissionRejected, compile_ruleset, load_document
from server.engine.reference import interpreted
from server.engine.stepwise import evaluate_stepwise
from tests.engine.submissions import generated_submission

HERE = Path(__file__).parent
RULESET_FILES = [HERE / "fixtures" / "mini.yaml", *sorted((HERE.parents[1] / "rulesets").glob("*.yaml"))]  # fmt: skip
SUBMISSIONS = 2000


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
        sub = generated_submission(rnd, compiled)
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
        sub = generated_submission(rnd, ruleset)
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

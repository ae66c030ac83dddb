"""The generated evaluator's own checks of ratings and date inputs (generated.py's
coerce_ratings and coerce_date) against the model's InputSpec.coerce: for every value, the
same result as the step-by-step evaluator, or the same problems once it hands over."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from server.engine import SubmissionRejected, compile_ruleset, load_document
from server.engine.stepwise import evaluate_stepwise

MINI = Path(__file__).parent / "fixtures" / "mini.yaml"
BASE = {"actual_sales": 1200000, "target_sales": 1000000, "share": 0.15, "share_prev": 0.10,
        "satisfaction": 90, "hire_date": "2020-01-01", "strategy": {"superior": 80}}  # fmt: skip
RATINGS = [
    {"superior": 80}, {"superior": 80.5}, {"superior": 0}, {"superior": -0.0},
    {"superior": 100}, {"superior": 100.0}, {"superior": 100.0001}, {"superior": 101},
    {"superior": -1},
    {"superior": True}, {"superior": float("nan")}, {"superior": float("inf")},
    {"superior": 10**400}, {"superior": "80"}, {"superior": None}, {"superior": []},
    {"superior": [90, 70.5]}, {"superior": [90, True]}, {"superior": [90, "x"]},
    {"superior": [90, -0.0, 0]}, {"superior": [50] * 1000}, {"superior": [50] * 1001},
    {"boss": 80}, {"superior": 80, "boss": 80}, {}, [80], 80, "80",
]  # fmt: skip
TWO_KINDS = [{"superior": 80, "peer": [60, 61.5]}, {"peer": 60, "superior": 80}, {"peer": 101}]
DATES = ["2025-06-30", "2025-06-30", "2020-01-01", "2025-02-29", "2025-02-29", "2024-W01-1",
         "20250630", "2025-6-30 ", "", 20250630, None, ["2025-06-30"]]  # fmt: skip


def _outcomes(inputs: dict[str, Any]) -> tuple[str, str]:
    ruleset = compile_ruleset(load_document(MINI.read_text(encoding="utf-8")))
    outcomes = []
    for evaluate in (ruleset.evaluate, lambda *a, **k: evaluate_stepwise(ruleset, *a, **k)):
        try:
            found = evaluate(inputs, "2025-Q3", employee_id="e1", history={}, explain=True)
            outcomes.append(repr(found))
        except SubmissionRejected as exc:
            outcomes.append("rejected: " + repr([(p.path, p.message) for p in exc.problems]))
    return outcomes[0], outcomes[1]


@pytest.mark.parametrize("value", RATINGS, ids=repr)
def test_a_ratings_value_is_read_as_the_model_reads_it(value: Any) -> None:
    generated, stepwise = _outcomes({**BASE, "strategy": value})
    assert generated == stepwise


@pytest.mark.parametrize("value", TWO_KINDS, ids=repr)
def test_ratings_of_two_rater_kinds(value: Any) -> None:
    generated, stepwise = _outcomes({**BASE, "integration": value})
    assert generated == stepwise


def test_dates_remembered_or_not_are_read_as_the_model_reads_them() -> None:
    ruleset = compile_ruleset(load_document(MINI.read_text(encoding="utf-8")))
    for value in DATES:  # one ruleset: the second of a pair comes from the cache
        inputs = {**BASE, "hire_date": value}
        try:
            got = repr(ruleset.evaluate(inputs, "2025-Q3", employee_id="e1", explain=True))
        except SubmissionRejected as exc:
            got = repr([(p.path, p.message) for p in exc.problems])
        try:
            want = repr(evaluate_stepwise(ruleset, inputs, "2025-Q3", "e1", {}, True))
        except SubmissionRejected as exc:
            want = repr([(p.path, p.message) for p in exc.problems])
        assert got == want, value


def test_the_common_shapes_stay_on_the_generated_path() -> None:
    ruleset = compile_ruleset(load_document(MINI.read_text(encoding="utf-8")))
    generated = ruleset.generated_evaluator()
    inputs = {**BASE, "strategy": {"superior": [90, 70.5]}, "integration": {"peer": 60}}
    assert generated(inputs, "2025-Q3", "e1", {}, False, True) == ruleset.total_and_rating(
        inputs, "2025-Q3"
    )
    assert generated({**BASE, "strategy": {"superior": 101}}, "2025-Q3", "e1", {}, False) is None

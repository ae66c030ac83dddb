"""The state of one evaluation: what SPEC §4's steps have found so far, as one typed dataclass.

The step-by-step evaluator (stepwise.py) fills it step by step; the generated evaluator
(generated.py) builds it at the end when an explanation is asked for; explain.py reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .model import Adjustment, Band, Ruleset, Streak
from .periods import Period
from .problems import Problem

SCORED, SKIPPED, LEFT_OUT = "scored", "skipped", "left_out"  # an indicator's status


class _Missing:
    """The value of an indicator whose inputs are missing."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()

ScoreChange = tuple[Adjustment, str, float, float, float]  # adjustment, op, n, before, after
TotalChange = tuple[Adjustment, str, float, float, float]  # adjustment, op, n, before, after
RatingChange = tuple[Adjustment, str, Band, Band]  # adjustment, op, before, after


@dataclass(slots=True)
class EvaluationState:
    """One submission's evaluation: inputs as computed with, weights, values, scores, rating."""

    ruleset: Ruleset
    raw: Any  # the inputs as submitted
    period_text: str
    problems: list[Problem] = field(default_factory=list)
    # step 1: the period and the inputs
    period: Period | None = None
    names: dict[str, Any] = field(default_factory=dict)  # what formulas read: inputs, values
    missing: set[str] = field(default_factory=set)  # inputs absent or null, without a default
    invalid: set[str] = field(default_factory=set)  # inputs that did not coerce
    # step 2: effective weights
    fired: dict[str, bool] = field(default_factory=dict)  # adjustment key -> its `when`
    weights: dict[str, float] = field(default_factory=dict)
    weight_changes: dict[str, list[str]] = field(default_factory=dict)  # key -> adjustments
    # step 3: values
    status: dict[str, str] = field(default_factory=dict)  # SCORED, SKIPPED or LEFT_OUT
    fallback_used: dict[str, tuple[str, Any]] = field(default_factory=dict)  # (cause, detail)
    # step 4: scores, spreading, contributions
    scores: dict[str, float] = field(default_factory=dict)
    raw_scores: dict[str, float] = field(default_factory=dict)  # before `scores` adjustments
    score_changes: dict[str, list[ScoreChange]] = field(default_factory=dict)
    left_out_weight: float = 0.0
    final_weights: dict[str, float] = field(default_factory=dict)  # after spreading
    contributions: dict[str, float] = field(default_factory=dict)
    # steps 5-7: total, rating, outcomes
    raw_total: float = 0.0  # before `total` adjustments
    total_changes: list[TotalChange] = field(default_factory=list)
    total: float = 0.0  # rounded, as reported
    band_by_total: Band | None = None
    rating_changes: list[RatingChange] = field(default_factory=list)
    band: Band | None = None
    outcomes: list[Streak] = field(default_factory=list)

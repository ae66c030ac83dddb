"""Evaluate one submission against a compiled ruleset, in the normative order of SPEC §4."""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .errors import Problem, SubmissionRejected, pointer
from .explain import explain_result
from .functions import half_up
from .model import Adjustment, Indicator
from .periods import parse_period

if TYPE_CHECKING:
    from .compiler import CompiledRuleset

FORMULA_FAILURES = (ArithmeticError, ValueError, TypeError, KeyError, IndexError, RecursionError,
                    MemoryError)  # fmt: skip
SCORED, SKIPPED, LEFT_OUT = "scored", "skipped", "left_out"


class _Missing:
    """The value of an indicator whose inputs are missing."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


CAUSES = {"zero": "division by zero", "overflow": "a number overflowed",
          "large": "the computation is too large"}  # fmt: skip


def cause_code(exc: BaseException) -> str:
    """A language-neutral code for why a formula failed (explain.py words it)."""
    if isinstance(exc, ZeroDivisionError):
        return "zero"
    if isinstance(exc, OverflowError):
        return "overflow"
    if isinstance(exc, (RecursionError, MemoryError)):
        return "large"
    return "failure"


def _cause(exc: BaseException) -> str:
    return CAUSES.get(cause_code(exc)) or str(exc) or type(exc).__name__


def _numeric(value: Any) -> float:
    """The value as a finite double, or ArithmeticError saying why not."""
    if type(value) is float and value - value == 0.0:  # finite: the common case
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ArithmeticError(f"the result is not a number ({value!r})")
    result = float(value)
    if not math.isfinite(result):
        raise ArithmeticError("the result is not a finite number")
    return result


class _Evaluation:
    """The state of one evaluation; each method is one step of SPEC §4."""

    def __init__(self, ruleset: CompiledRuleset, inputs: Any, period: str):
        self.rs = ruleset
        self.raw = inputs
        self.period_text = period
        self.problems: list[Problem] = []
        self.names: dict[str, Any] = {}
        self.missing: set[str] = set()
        self.invalid: set[str] = set()
        self.fired: dict[str, bool] = {}
        self.weights: dict[str, float] = {}
        self.weight_changes: dict[str, list[str]] = {}
        self.status: dict[str, str] = {}
        self.fallback_used: dict[str, tuple[str, Any]] = {}  # key -> (cause code, detail)
        self.scores: dict[str, float] = {}
        self.raw_scores: dict[str, float] = {}
        self.score_changes: dict[str, list[tuple[Adjustment, str, float, float, float]]] = {}

    def reject(self) -> None:
        if self.problems:
            raise SubmissionRejected(self.problems)

    # step 1 -------------------------------------------------------------------------------
    def check_period(self) -> None:
        """The period must be of the ruleset's kind; a problem here is listed with the others."""
        try:
            period = parse_period(self.period_text)
        except ValueError as exc:
            self.problems.append(Problem("/period", str(exc)))
            return
        if period.kind != self.rs.period_kind:
            self.problems.append(Problem(
                "/period",
                f"{self.period_text!r} is a {period.kind}; this ruleset is evaluated per "
                f"{self.rs.period_kind}",
            ))  # fmt: skip
            return
        self.period = period
        self.names["period_start"] = period.start
        self.names["period_end"] = period.end

    def check_inputs(self) -> None:
        if not isinstance(self.raw, Mapping):
            self.problems.append(Problem("/inputs", "inputs must be an object"))
            self.reject()
        specs = self.rs.inputs
        for name, raw in self.raw.items():
            spec = specs.get(name)
            if spec is None:
                close = difflib.get_close_matches(str(name), list(specs), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                self.problems.append(
                    Problem(
                        pointer("inputs", name), f"{name!r} is not an input of this ruleset{hint}"
                    )
                )
                continue
            if raw is None:
                continue
            try:
                self.names[name] = spec.coerce(raw)
            except ValueError as exc:
                self.invalid.add(name)
                self.problems.append(Problem(pointer("inputs", name), f"{spec.label} {exc}"))
        for name, spec in specs.items():
            if name not in self.names and name not in self.invalid:
                if spec.default is not None:
                    self.names[name] = spec.default
                else:
                    self.missing.add(name)

    # step 2 -------------------------------------------------------------------------------
    def effective_weights(self) -> None:
        self.weights = {ind.key: ind.weight for ind in self.rs.indicators}
        for adj in self.rs.adjustments:
            if adj.weights and self.condition(adj):
                for key, weight in adj.weights.items():
                    if self.weights.get(key) != weight:
                        self.weight_changes.setdefault(key, []).append(adj.key)
                    self.weights[key] = weight

    def check_required(self) -> None:
        needed: set[str] = set()
        for ind in self.rs.indicators:
            if self.weights[ind.key] > 0:
                needed |= ind.all_inputs
        for adj in self.rs.adjustments:
            needed |= adj.inputs
        for name in sorted(self.missing & needed, key=list(self.rs.inputs).index):
            spec = self.rs.inputs[name]
            if spec.required:
                self.problems.append(
                    Problem(pointer("inputs", name), f"{spec.label} ({name}) is required")
                )

    def condition(self, adj: Adjustment) -> bool:
        """An adjustment's `when`, evaluated once; reading anything missing makes it false."""
        if adj.key in self.fired:
            return self.fired[adj.key]
        result = True
        if adj.when_fn is not None:
            if adj.inputs & (self.missing | self.invalid) or any(
                self.status.get(k) in (SKIPPED, LEFT_OUT, None) for k in adj.indicators
            ):
                result = False
            else:
                try:
                    result = bool(adj.when_fn(self.names))
                except FORMULA_FAILURES as exc:
                    self.problems.append(
                        Problem("/inputs", f"adjustment {adj.key} ({adj.name}): {_cause(exc)}")
                    )
                    result = False
        self.fired[adj.key] = result
        return result

    # step 3 -------------------------------------------------------------------------------
    def indicator_values(self) -> None:
        needed = {ind.key for ind in self.rs.indicators if self.weights[ind.key] > 0}
        for ind in reversed(self.rs.order):
            if ind.key in needed:
                needed |= ind.depends
        failed: set[str] = set()
        for ind in self.rs.order:
            if ind.key not in needed:
                continue
            evaluated = self.weights[ind.key] > 0
            value = self._value(ind, failed)
            if value is MISSING:
                if evaluated and not ind.optional:
                    lacking = sorted(ind.all_inputs & self.missing) or ["?"]
                    self.problems.append(
                        Problem(
                            pointer("inputs", lacking[0]),
                            f"indicator {ind.key} ({ind.name}) cannot be computed: "
                            f"{', '.join(lacking)} missing; send it or mark the indicator optional",
                        )
                    )
                    failed.add(ind.key)
                continue
            if value is not None:
                self.names[ind.key] = value
        for ind in self.rs.indicators:
            if self.weights[ind.key] <= 0:
                self.status[ind.key] = SKIPPED
            elif ind.key in self.names:
                self.status[ind.key] = SCORED
            elif ind.key not in failed:
                self.status[ind.key] = LEFT_OUT
        self.reject()

    def _value(self, ind: Indicator, failed: set[str]) -> Any:
        if ind.depends & failed:
            failed.add(ind.key)
            return None
        lacking = (ind.inputs & self.missing) or {d for d in ind.depends if d not in self.names}
        if lacking:
            if ind.fallback is not None:
                self.fallback_used[ind.key] = ("missing", sorted(lacking))
                return ind.fallback
            return MISSING
        try:
            return _numeric(ind.fn(self.names))
        except FORMULA_FAILURES as exc:
            if ind.fallback is not None:
                self.fallback_used[ind.key] = (cause_code(exc), _cause(exc))
                return ind.fallback
            self.problems.append(
                Problem(
                    "/inputs", f"indicator {ind.key} ({ind.name}) cannot be computed: {_cause(exc)}"
                )
            )
            failed.add(ind.key)
            return None

    # step 4 -------------------------------------------------------------------------------
    def score(self) -> None:
        for ind in self.rs.indicators:
            if self.status[ind.key] != SCORED:
                continue
            try:
                score = _numeric(ind.scoring.score(self.names[ind.key], self.names))
            except FORMULA_FAILURES as exc:
                self.problems.append(
                    Problem(
                        "/inputs",
                        f"indicator {ind.key} ({ind.name}) cannot be scored: {_cause(exc)}",
                    )
                )
                continue
            self.raw_scores[ind.key] = self.scores[ind.key] = score
        for adj in self.rs.adjustments:
            if not adj.weights:
                self.condition(adj)
        self.reject()
        for adj in self.rs.adjustments:
            if not (adj.scores and self.fired[adj.key]):
                continue
            for key, (op, n) in adj.scores.items():
                if key not in self.scores:
                    continue
                before = self.scores[key]
                after = max(0.0, _apply(op, before, n))
                self.scores[key] = after
                self.score_changes.setdefault(key, []).append((adj, op, n, before, after))

    def spread(self) -> None:
        left_out = sum(
            self.weights[ind.key] for ind in self.rs.indicators if self.status[ind.key] == LEFT_OUT
        )
        self.left_out_weight = left_out
        if left_out and left_out >= 100:
            raise SubmissionRejected(
                [
                    Problem(
                        "/inputs",
                        "no indicator with weight could be evaluated: every one lacks data",
                    )
                ]
            )
        rest = 100 - left_out
        self.final_weights = {
            ind.key: (self.weights[ind.key] * 100 / rest if left_out else self.weights[ind.key])
            if self.status[ind.key] == SCORED else 0.0
            for ind in self.rs.indicators
        }  # fmt: skip
        self.contributions = {
            key: self.scores[key] * weight / 100
            for key, weight in self.final_weights.items()
            if key in self.scores
        }

    # steps 5-7 ----------------------------------------------------------------------------
    def total_and_rating(self, history: Mapping[str, str]) -> None:
        total = 0.0
        for ind in self.rs.indicators:
            if ind.key in self.contributions:
                total += self.contributions[ind.key]
        self.raw_total = total
        self.total_changes = []
        for adj in self.rs.adjustments:
            if adj.total and self.fired[adj.key]:
                op, n = adj.total
                before, total = total, _apply(op, total, n)
                self.total_changes.append((adj, op, n, before, total))
        if not math.isfinite(total):
            raise SubmissionRejected(
                [
                    Problem(
                        "/inputs",
                        "the total is not a finite number: a score or contribution overflowed",
                    )
                ]
            )
        self.total = half_up(total, self.rs.precision)
        bands = self.rs.bands
        band = next((b for b in bands if b.min <= self.total), bands[-1])
        self.band_by_total = band
        self.rating_changes = []
        for adj in self.rs.adjustments:
            if adj.rating and self.fired[adj.key]:
                op, key = adj.rating
                target = bands[self.rs.band_index[key]]
                before = band
                if op == "set" or self.rs.band_index[band.key] < self.rs.band_index[key]:
                    band = target
                self.rating_changes.append((adj, op, before, band))
        self.band = band
        self.outcomes = []
        previous = self.rs.history_periods(self.period.text)
        for streak in self.rs.streaks:
            earlier = previous[: streak.count - 1]
            if (
                band.key == streak.rating
                and len(earlier) == streak.count - 1
                and all(history.get(p) == streak.rating for p in earlier)
            ):
                self.outcomes.append(streak)


def _apply(op: str, value: float, n: float) -> float:
    if op == "deduct":
        return value - n
    if op == "add":
        return value + n
    if op == "cap":
        return min(value, n)
    if op == "floor":
        return max(value, n)
    if op == "multiply":
        return value * n
    return float(n)  # set


def evaluate(
    ruleset: CompiledRuleset,
    inputs: Any,
    period: str,
    employee_id: str | None,
    history: Mapping[str, str],
    explain: bool,
) -> dict[str, Any]:
    """The SPEC §4 result for one submission; SubmissionRejected lists what is wrong.

    The ruleset's generated function (codegen.py) computes it when the submission has no
    problem; otherwise, or when there is no generated function, the step-by-step evaluator.
    """
    generated = ruleset.generated_evaluator()
    if generated is not None:
        result = generated(inputs, period, employee_id, history, explain)
        if result is not None:
            return result
    return evaluate_stepwise(ruleset, inputs, period, employee_id, history, explain)


def total_and_rating(
    ruleset: CompiledRuleset, inputs: Any, period: str, employee_id: str | None
) -> tuple[float, str]:
    """evaluate()'s reported total and rating key, without the rest of the result."""
    generated = ruleset.generated_evaluator()
    if generated is not None:
        found = generated(inputs, period, employee_id, {}, False, True)
        if found is not None:
            return found
    result = evaluate_stepwise(ruleset, inputs, period, employee_id, {}, False)
    return result["total"], result["rating"]["key"]


def evaluate_stepwise(
    ruleset: CompiledRuleset,
    inputs: Any,
    period: str,
    employee_id: str | None,
    history: Mapping[str, str],
    explain: bool,
) -> dict[str, Any]:
    """SPEC §4 one step at a time (_Evaluation): the reference the generated function follows."""
    ev = _Evaluation(ruleset, inputs, period)
    ev.check_period()
    ev.check_inputs()
    if "period_end" not in ev.names:
        ev.reject()  # weights may depend on the period: list what is known so far
    ev.effective_weights()
    ev.check_required()
    ev.reject()
    ev.indicator_values()
    ev.score()
    ev.spread()
    ev.total_and_rating(history)
    return _report(ev, employee_id, explain)


def _report(ev: _Evaluation, employee_id: str | None, explain: bool) -> dict[str, Any]:
    rs = ev.rs
    p = rs.precision
    round_ = half_up
    names, scores, weights = ev.names, ev.scores, ev.weights
    final_weights, contributions = ev.final_weights, ev.contributions
    weight_changes, score_changes = ev.weight_changes, ev.score_changes

    indicators = []
    for ind in rs.indicators:
        key = ind.key
        status = ev.status[key]
        if key in weight_changes or key in score_changes:
            changed = set(weight_changes.get(key, [])) | {
                c[0].key for c in score_changes.get(key, [])
            }
            adjusted = [a.key for a in rs.adjustments if a.key in changed]
        else:
            adjusted = []
        value = names.get(key)
        score = scores.get(key) if status == SCORED else None
        indicators.append({
            "key": key,
            "name": ind.name,
            "dimension": ind.dimension,
            "status": status,
            "value": round_(value, p) if isinstance(value, float) else None,
            "score": None if score is None else round_(score, p),
            "weight": round_(final_weights[key], p),
            "declared_weight": round_(weights[key], p),
            "contribution": round_(contributions.get(key, 0.0), p),
            "adjustments": adjusted,
        })  # fmt: skip
    dimensions = []
    for dim in rs.dimensions:
        members = rs.dimension_members[dim.key]
        weight = sum(final_weights[key] for key in members)
        contribution = sum(contributions.get(key, 0.0) for key in members)
        dimensions.append({
            "key": dim.key,
            "name": dim.name,
            "weight": round_(weight, p),
            "score": round_(contribution * 100 / weight, p) if weight else None,
            "contribution": round_(contribution, p),
        })  # fmt: skip
    result = {
        "role": rs.role,
        "period": ev.period.text,
        "employee_id": employee_id,
        "total": ev.total,
        "rating": {"key": ev.band.key, "label": ev.band.label},
        "bonus_multiplier": ev.band.bonus_multiplier,
        "dimensions": dimensions,
        "indicators": indicators,
        "adjustments": [a.key for a in rs.adjustments if ev.fired.get(a.key)],
        "outcomes": [{"key": s.key, "label": s.label} for s in ev.outcomes],
        "explanation": explain_result(ev, indicators) if explain else [],
    }
    return result

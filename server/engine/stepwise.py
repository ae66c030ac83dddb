"""The step-by-step evaluator: SPEC §4 in its normative order, one function per step, each
filling the EvaluationState. It is the reference the generated evaluator follows, and the
evaluator of every submission that has a problem: it lists all of them at once.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from typing import Any

from .explain import explain_result
from .functions import half_up
from .language import T
from .model import Adjustment, Indicator, Ruleset
from .problems import Problem, SubmissionRejected, pointer, reason
from .state import LEFT_OUT, MISSING, SCORED, SKIPPED, EvaluationState
from .steps import (
    FORMULA_FAILURES,
    adjusted_by,
    adjusted_rating,
    adjusted_score,
    apply_operation,
    cause,
    cause_code,
    lacking,
    numeric,
    period_in_kind,
    streak_holds,
)
from .wording import about, adjustment, indicator


def evaluate_stepwise(
    ruleset: Ruleset,
    inputs: Any,
    period: str,
    employee_id: str | None,
    history: Mapping[str, str],
    explain: bool,
) -> dict[str, Any]:
    """SPEC §4 one step at a time: the reference the generated function follows."""
    st = EvaluationState(ruleset, inputs, period)
    check_period(st)
    check_inputs(st)
    if "period_end" not in st.names:
        reject(st)  # weights may depend on the period: list what is known so far
    effective_weights(st)
    check_required(st)
    reject(st)
    indicator_values(st)
    score(st)
    spread(st)
    total_and_rating(st, history)
    return report(st, employee_id, explain)


def reject(st: EvaluationState) -> None:
    """Raise SubmissionRejected with every problem found so far, if any."""
    if st.problems:
        raise SubmissionRejected(st.problems)


# step 1 -----------------------------------------------------------------------------------
def check_period(st: EvaluationState) -> None:
    """The period must be of the ruleset's kind; a problem here is listed with the others."""
    try:
        period = period_in_kind(st.period_text, st.ruleset.period_kind)
    except ValueError as exc:
        st.problems.append(Problem("/period", reason(exc)))
        return
    st.period = period
    st.names["period_start"] = period.start
    st.names["period_end"] = period.end


def check_inputs(st: EvaluationState) -> None:
    """Each submitted input coerced to its type; unknown names and invalid values listed."""
    if not isinstance(st.raw, Mapping):
        st.problems.append(Problem("/inputs", T("inputs must be an object")))
        reject(st)
    specs = st.ruleset.inputs
    for name, raw in st.raw.items():
        spec = specs.get(name)
        if spec is None:
            close = difflib.get_close_matches(str(name), list(specs), n=1)
            message = (
                T("%(name)r is not an input of this ruleset; did you mean %(close)r?",
                  name=name, close=close[0])
                if close
                else T("%(name)r is not an input of this ruleset", name=name)
            )  # fmt: skip
            st.problems.append(Problem(pointer("inputs", name), message))
            continue
        if raw is None:
            continue
        try:
            st.names[name] = spec.coerce(raw)
        except ValueError as exc:
            st.invalid.add(name)
            st.problems.append(
                Problem(
                    pointer("inputs", name),
                    T("%(label)s %(reason)s", label=spec.label, reason=reason(exc)),
                )
            )
    for name, spec in specs.items():
        if name not in st.names and name not in st.invalid:
            if spec.default is not None:
                st.names[name] = spec.default
            else:
                st.missing.add(name)


# step 2 -----------------------------------------------------------------------------------
def effective_weights(st: EvaluationState) -> None:
    """The declared weights after the `weights` adjustments whose `when` holds."""
    st.weights = {ind.key: ind.weight for ind in st.ruleset.indicators}
    for adj in st.ruleset.adjustments:
        if adj.weights and condition(st, adj):
            for key, weight in adj.weights.items():
                if st.weights.get(key) != weight:
                    st.weight_changes.setdefault(key, []).append(adj.key)
                st.weights[key] = weight


def check_required(st: EvaluationState) -> None:
    """A missing required input is a problem when something in force reads it (SPEC §3.1)."""
    rs = st.ruleset
    needed: set[str] = set()
    for ind in rs.indicators:
        if st.weights[ind.key] > 0:
            needed |= ind.all_inputs
    for adj in rs.adjustments:
        needed |= adj.inputs
    for name in sorted(st.missing & needed, key=list(rs.inputs).index):
        spec = rs.inputs[name]
        if spec.required:
            st.problems.append(
                Problem(
                    pointer("inputs", name),
                    T("%(label)s (%(name)s) is required", label=spec.label, name=name),
                )
            )


def condition(st: EvaluationState, adj: Adjustment) -> bool:
    """An adjustment's `when`, evaluated once; reading anything missing makes it false."""
    if adj.key in st.fired:
        return st.fired[adj.key]
    result = True
    if adj.when_fn is not None:
        if adj.inputs & (st.missing | st.invalid) or any(
            st.status.get(k) in (SKIPPED, LEFT_OUT, None) for k in adj.indicators
        ):
            result = False
        else:
            try:
                result = bool(adj.when_fn(st.names))
            except FORMULA_FAILURES as exc:
                st.problems.append(
                    Problem("/inputs", about(adjustment(adj.key, adj.name), cause(exc)))
                )
                result = False
    st.fired[adj.key] = result
    return result


# step 3 -----------------------------------------------------------------------------------
def indicator_values(st: EvaluationState) -> None:
    """Values in dependency order, of the indicators evaluated and those they read."""
    rs = st.ruleset
    needed = {ind.key for ind in rs.indicators if st.weights[ind.key] > 0}
    for ind in reversed(rs.order):
        if ind.key in needed:
            needed |= ind.depends
    failed: set[str] = set()
    for ind in rs.order:
        if ind.key not in needed:
            continue
        evaluated = st.weights[ind.key] > 0
        value = _value(st, ind, failed)
        if value is MISSING:
            if evaluated and not ind.optional:
                missing = sorted(ind.all_inputs & st.missing) or ["?"]
                st.problems.append(
                    Problem(
                        pointer("inputs", missing[0]),
                        T(
                            "%(indicator)s cannot be computed: %(inputs)s missing; send it or "
                            "mark the indicator optional",
                            indicator=indicator(ind.key, ind.name),
                            inputs=", ".join(missing),
                        ),
                    )
                )
                failed.add(ind.key)
            continue
        if value is not None:
            st.names[ind.key] = value
    for ind in rs.indicators:
        if st.weights[ind.key] <= 0:
            st.status[ind.key] = SKIPPED
        elif ind.key in st.names:
            st.status[ind.key] = SCORED
        elif ind.key not in failed:
            st.status[ind.key] = LEFT_OUT
    reject(st)


def _value(st: EvaluationState, ind: Indicator, failed: set[str]) -> Any:
    """One indicator's value, its fallback, MISSING, or None when it failed (a problem)."""
    if ind.depends & failed:
        failed.add(ind.key)
        return None
    missing = ind.inputs & st.missing
    uncomputed = () if missing else {d for d in ind.depends if d not in st.names}
    if missing or uncomputed:
        if ind.fallback is not None:
            st.fallback_used[ind.key] = ("missing", lacking(missing, uncomputed))
            return ind.fallback
        return MISSING
    try:
        return numeric(ind.fn(st.names))
    except FORMULA_FAILURES as exc:
        if ind.fallback is not None:
            st.fallback_used[ind.key] = (cause_code(exc), cause(exc))
            return ind.fallback
        st.problems.append(
            Problem(
                "/inputs",
                T(
                    "%(indicator)s cannot be computed: %(cause)s",
                    indicator=indicator(ind.key, ind.name),
                    cause=cause(exc),
                ),
            )
        )
        failed.add(ind.key)
        return None


# step 4 -----------------------------------------------------------------------------------
def score(st: EvaluationState) -> None:
    """Scores of the scored indicators, then the `scores` adjustments."""
    rs = st.ruleset
    for ind in rs.indicators:
        if st.status[ind.key] != SCORED:
            continue
        try:
            value = numeric(ind.scoring.score(st.names[ind.key], st.names))
        except FORMULA_FAILURES as exc:
            st.problems.append(
                Problem(
                    "/inputs",
                    T(
                        "%(indicator)s cannot be scored: %(cause)s",
                        indicator=indicator(ind.key, ind.name),
                        cause=cause(exc),
                    ),
                )
            )
            continue
        st.raw_scores[ind.key] = st.scores[ind.key] = value
    for adj in rs.adjustments:
        if not adj.weights:
            condition(st, adj)
    reject(st)
    for adj in rs.adjustments:
        if not (adj.scores and st.fired[adj.key]):
            continue
        for key, (op, n) in adj.scores.items():
            if key not in st.scores:
                continue
            before = st.scores[key]
            after = adjusted_score(op, before, n)
            st.scores[key] = after
            st.score_changes.setdefault(key, []).append((adj, op, n, before, after))


def spread(st: EvaluationState) -> None:
    """Left-out weight spread over the scored indicators; contributions."""
    rs = st.ruleset
    left_out = sum(st.weights[ind.key] for ind in rs.indicators if st.status[ind.key] == LEFT_OUT)
    st.left_out_weight = left_out
    if left_out and left_out >= 100:
        raise SubmissionRejected(
            [
                Problem(
                    "/inputs",
                    T("no indicator with weight could be evaluated: every one lacks data"),
                )
            ]
        )
    rest = 100 - left_out
    st.final_weights = {
        ind.key: (st.weights[ind.key] * 100 / rest if left_out else st.weights[ind.key])
        if st.status[ind.key] == SCORED else 0.0
        for ind in rs.indicators
    }  # fmt: skip
    st.contributions = {
        key: st.scores[key] * weight / 100
        for key, weight in st.final_weights.items()
        if key in st.scores
    }


# steps 5-7 --------------------------------------------------------------------------------
def total_and_rating(st: EvaluationState, history: Mapping[str, str]) -> None:
    """The total and its adjustments, the rating and its adjustments, the streaks' outcomes."""
    rs = st.ruleset
    total = 0.0
    for ind in rs.indicators:
        if ind.key in st.contributions:
            total += st.contributions[ind.key]
    st.raw_total = total
    for adj in rs.adjustments:
        if adj.total and st.fired[adj.key]:
            op, n = adj.total
            before, total = total, apply_operation(op, total, n)
            st.total_changes.append((adj, op, n, before, total))
    if not math.isfinite(total):
        raise SubmissionRejected(
            [
                Problem(
                    "/inputs",
                    T("the total is not a finite number: a score or contribution overflowed"),
                )
            ]
        )
    st.total = half_up(total, rs.precision)
    band = next((b for b in rs.bands if b.min <= st.total), rs.bands[-1])
    st.band_by_total = band
    for adj in rs.adjustments:
        if adj.rating and st.fired[adj.key]:
            op, key = adj.rating
            before, band = band, adjusted_rating(op, band, key, rs.bands, rs.band_index)
            st.rating_changes.append((adj, op, before, band))
    st.band = band
    previous = rs.history_periods(st.period.text)
    for streak in rs.streaks:
        if band.key == streak.rating and streak_holds(
            previous, history, streak.count, streak.rating
        ):
            st.outcomes.append(streak)


def report(st: EvaluationState, employee_id: str | None, explain: bool) -> dict[str, Any]:
    """The SPEC §4 result of a finished evaluation, every number rounded as reported."""
    rs = st.ruleset
    p = rs.precision
    round_ = half_up
    names, scores, weights = st.names, st.scores, st.weights
    final_weights, contributions = st.final_weights, st.contributions
    weight_changes, score_changes = st.weight_changes, st.score_changes

    indicators = []
    for ind in rs.indicators:
        key = ind.key
        status = st.status[key]
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
            "adjustments": adjusted_by(rs.adjustments, key, weight_changes, score_changes),
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
    return {
        "role": rs.role,
        "period": st.period.text,
        "employee_id": employee_id,
        "total": st.total,
        "rating": {"key": st.band.key, "label": st.band.label},
        "bonus_multiplier": st.band.bonus_multiplier,
        "dimensions": dimensions,
        "indicators": indicators,
        "adjustments": [a.key for a in rs.adjustments if st.fired.get(a.key)],
        "outcomes": [{"key": s.key, "label": s.label} for s in st.outcomes],
        "explanation": explain_result(st, indicators) if explain else [],
    }

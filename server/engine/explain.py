"""Explanation lines: one per step of an evaluation, in the ruleset's language.

Each kind of line is worded by one function below. `explain_result` reads them off an
EvaluationState (state.py), as the step-by-step evaluator fills it; the generated evaluator
(generated_explanation.py) writes the same lines straight from its local variables, calling
these functions (or their result, computed once, for a line that never changes), so both
paths word every line identically (tests/engine/test_differential_ruleset.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .formula import format_number, render
from .functions import half_up
from .model import Adjustment, Band, Indicator, Ruleset, Streak
from .state import EvaluationState, RatingChange, ScoreChange, TotalChange

WORDS = {
    "zh-CN": {
        "score": "得分",
        "skipped": "{name}：权重为 0，不参与评分",
        "left_out": "{name}：缺少数据（{lacking}），不参与评分，其权重 {weight}% 分摊给其余指标",
        "fallback": "{name}：无法计算（{cause}），取缺省值 {value}",
        "weights": "调整「{adj}」：{changes}",
        "weight_change": "{name} 权重 {before}% → {after}%",
        "spread": "缺项权重 {weight}% 按比例分摊给其余指标（权重 × 100 / {rest}）",
        "total": "总分 = {parts} = {total}",
        "total_change": "调整「{adj}」：总分 {before} {op} = {after}",
        "rating": "评级：{label}（总分 {total} ≥ {min}）→ 奖金系数 {bonus}",
        "rating_low": "评级：{label}（总分 {total}）→ 奖金系数 {bonus}",
        "rating_change": "调整「{adj}」：评级 {before} → {after}",
        "rating_final": "最终评级：{label} → 奖金系数 {bonus}",
        "outcome": "连续 {count} 期「{rating}」：{label}",
        "unexplained": "无法说明：按存储的输入和版本重新计算，得出的数值与存储的不同（重放可查看差异）",
        "ops": {
            "deduct": "− {n}",
            "add": "+ {n}",
            "cap": "封顶 {n}",
            "floor": "保底 {n}",
            "set": "设为 {n}",
            "multiply": "× {n}",
        },
        "missing": "缺少 {names}",
        "causes": {
            "zero": "除数为零",
            "overflow": "数值溢出",
            "large": "计算量过大",
            "failure": "计算失败",
        },
    },
    "en": {
        "score": "score",
        "skipped": "{name}: weight 0, not scored",
        "left_out": "{name}: no data ({lacking}), left out; its weight {weight}% is spread over the rest",
        "fallback": "{name}: cannot be computed ({cause}), fallback value {value}",
        "weights": 'Adjustment "{adj}": {changes}',
        "weight_change": "{name} weight {before}% → {after}%",
        "spread": "Left-out weight {weight}% is spread over the others (weight × 100 / {rest})",
        "total": "Total = {parts} = {total}",
        "total_change": 'Adjustment "{adj}": total {before} {op} = {after}',
        "rating": "Rating: {label} (total {total} ≥ {min}) → bonus multiplier {bonus}",
        "rating_low": "Rating: {label} (total {total}) → bonus multiplier {bonus}",
        "rating_change": 'Adjustment "{adj}": rating {before} → {after}',
        "rating_final": "Final rating: {label} → bonus multiplier {bonus}",
        "outcome": '{count} periods in a row "{rating}": {label}',
        "unexplained": "Cannot be explained: recomputed from the stored inputs and version, the "
        "numbers differ from those stored (replay shows the differences)",
        "ops": {
            "deduct": "− {n}",
            "add": "+ {n}",
            "cap": "capped at {n}",
            "floor": "at least {n}",
            "set": "set to {n}",
            "multiply": "× {n}",
        },
        "missing": "missing {names}",
        "causes": {
            "zero": "division by zero",
            "overflow": "a number overflowed",
            "large": "the computation is too large",
            "failure": "{detail}",
        },
    },
}


Words = dict[str, Any]
Fixed = Callable[[float], str]


def words(rs: Ruleset) -> Words:
    """The ruleset's language's words."""
    return WORDS.get(rs.language, WORDS["zh-CN"])


def number_spec(rs: Ruleset) -> str:
    """The format spec of a reported number: thousands separators, the ruleset's precision."""
    return f",.{rs.precision}f"


def fixed_format(rs: Ruleset) -> Fixed:
    """A reported number as text (`number_spec`)."""
    spec = number_spec(rs)
    return lambda x: format(x, spec)


def weights_line(w: Words, rs: Ruleset, adj: Adjustment) -> str:
    """A `weights` adjustment that fired, with each weight it changes."""
    num = format_number
    changes = "，" if rs.language != "en" else "; "
    parts = [
        w["weight_change"].format(
            name=rs.by_key[k].name, before=num(rs.by_key[k].weight), after=num(v)
        )
        for k, v in adj.weights.items()
        if k in rs.by_key
    ]
    return w["weights"].format(adj=adj.name, changes=changes.join(parts))


def skipped_line(w: Words, ind: Indicator) -> str:
    return w["skipped"].format(name=ind.name)


def left_out_line(w: Words, ind: Indicator, lacking: Sequence[str], declared_weight: float) -> str:
    """An indicator left out for lack of data (`lacking`: the missing inputs, sorted)."""
    return w["left_out"].format(
        name=ind.name, lacking=", ".join(lacking) or "—", weight=format_number(declared_weight)
    )


def fallback_head(w: Words, rs: Ruleset, ind: Indicator, used: tuple[str, Any], value: str) -> str:
    """An indicator's value taken from its fallback (`used`: the cause code and detail)."""
    return w["fallback"].format(name=ind.name, cause=_cause_words(w, rs, *used), value=value)


def formula_head(name: str, shown: str, value: str, value_number: str) -> str:
    """`name = formula with its values = value`, or `name = value` when the formula is that."""
    return f"{name} = {shown} = {value}" if shown != value_number else f"{name} = {value}"


def score_changes(w: Words, changes: list[ScoreChange], fixed: Fixed) -> str:
    """What `scores` adjustments did to an indicator's score, appended to its score."""
    return "".join(
        f" → {adj.name} {w['ops'][op].format(n=format_number(n))} = {fixed(after)}"
        for adj, op, n, _before, after in changes
    )


def indicator_line(head: str, score: str, weight: float, contribution: str) -> str:
    """The line of a scored indicator (`score` holds the word, the score and its changes)."""
    return f"{head} → {score} × {format_number(weight)}% = {contribution}"


def spread_line(w: Words, left_out_weight: float) -> str:
    num = format_number
    return w["spread"].format(weight=num(left_out_weight), rest=num(100 - left_out_weight))


def total_line(w: Words, contributions: list[str], total: str) -> str:
    return w["total"].format(parts=" + ".join(contributions) or "0", total=total)


def total_change_lines(w: Words, changes: list[TotalChange], fixed: Fixed) -> list[str]:
    return [
        w["total_change"].format(
            adj=adj.name,
            before=fixed(before),
            op=w["ops"][op].format(n=format_number(n)),
            after=fixed(after),
        )
        for adj, op, n, before, after in changes
    ]


def rating_lines(
    w: Words,
    total: float,
    band_by_total: Band,
    changes: list[RatingChange],
    band: Band,
    fixed: Fixed,
) -> list[str]:
    """The band the total reaches, what adjustments did to it, the final band."""
    num = format_number
    if band_by_total.min <= total:
        lines = [
            w["rating"].format(
                label=band_by_total.label,
                total=fixed(total),
                min=num(band_by_total.min),
                bonus=num(band_by_total.bonus_multiplier),
            )
        ]
    else:
        lines = [
            w["rating_low"].format(
                label=band_by_total.label,
                total=fixed(total),
                bonus=num(band_by_total.bonus_multiplier),
            )
        ]
    for adj, _op, before, after in changes:
        lines.append(
            w["rating_change"].format(adj=adj.name, before=before.label, after=after.label)
        )
    if changes and band is not band_by_total:
        lines.append(w["rating_final"].format(label=band.label, bonus=num(band.bonus_multiplier)))
    return lines


def outcome_lines(w: Words, rs: Ruleset, outcomes: list[Streak]) -> list[str]:
    labels = {b.key: b.label for b in rs.bands}
    return [
        w["outcome"].format(count=streak.count, rating=labels[streak.rating], label=streak.label)
        for streak in outcomes
    ]


def unexplained_line(rs: Ruleset) -> str:
    """The one line of a stored result whose lines cannot be rendered again (services)."""
    return words(rs)["unexplained"]


def explain_result(ev: EvaluationState, indicators: list[dict[str, Any]]) -> list[str]:
    """Every step of the evaluation `ev` as a line a person reads (`indicators`: its rows)."""
    rs = ev.ruleset
    w = words(rs)
    fixed = fixed_format(rs)
    lines = [
        weights_line(w, rs, adj) for adj in rs.adjustments if adj.weights and ev.fired.get(adj.key)
    ]
    reported = {row["key"]: row for row in indicators}
    for ind in rs.indicators:
        row = reported[ind.key]
        if row["status"] == "skipped":
            lines.append(skipped_line(w, ind))
            continue
        if row["status"] == "left_out":
            lacking = sorted(ind.all_inputs & ev.missing)
            lines.append(left_out_line(w, ind, lacking, row["declared_weight"]))
            continue
        value = ev.names[ind.key]
        if ind.key in ev.fallback_used:
            head = fallback_head(w, rs, ind, ev.fallback_used[ind.key], fixed(value))
        else:
            shown = render(ind.formula, ev.names)
            head = formula_head(ind.name, shown, fixed(value), format_number(value))
        score = f"{w['score']} {fixed(ev.raw_scores[ind.key])}"
        score += score_changes(w, ev.score_changes.get(ind.key, []), fixed)
        lines.append(indicator_line(head, score, row["weight"], fixed(ev.contributions[ind.key])))
    if ev.left_out_weight:
        lines.append(spread_line(w, ev.left_out_weight))
    parts = [fixed(ev.contributions[i.key]) for i in rs.indicators if i.key in ev.contributions]
    lines.append(total_line(w, parts, fixed(half_up_total(ev))))
    lines += total_change_lines(w, ev.total_changes, fixed)
    lines += rating_lines(w, ev.total, ev.band_by_total, ev.rating_changes, ev.band, fixed)
    lines += outcome_lines(w, rs, ev.outcomes)
    return lines


def half_up_total(ev: EvaluationState) -> float:
    """The total before `total` adjustments, rounded as reported."""
    return half_up(ev.raw_total, ev.ruleset.precision)


def _cause_words(w: dict[str, Any], rs: Ruleset, code: str, detail: Any) -> str:
    """Why a fallback was taken, in the ruleset's language (missing inputs by their labels)."""
    if code == "missing":
        names = [rs.inputs[n].label if n in rs.inputs else rs.by_key[n].name
                 if n in rs.by_key else n for n in detail]  # fmt: skip
        return w["missing"].format(
            names="、".join(names) if rs.language != "en" else ", ".join(names)
        )
    return w["causes"][code].format(detail=detail)

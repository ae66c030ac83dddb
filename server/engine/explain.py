"""Explanation lines: one per step of an evaluation, in the ruleset's language.

Read from an EvaluationState (state.py), whichever evaluator filled it.
"""

from __future__ import annotations

from typing import Any

from .formula import format_number, render
from .functions import half_up
from .model import Ruleset
from .state import EvaluationState

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


def explain_result(ev: EvaluationState, indicators: list[dict[str, Any]]) -> list[str]:
    """Every step of the evaluation `ev` as a line a person reads (`indicators`: its rows)."""
    rs = ev.ruleset
    w = WORDS.get(rs.language, WORDS["zh-CN"])
    spec = f",.{rs.precision}f"

    def fixed(x: float) -> str:
        return format(x, spec)

    num = format_number

    lines: list[str] = []
    for adj in rs.adjustments:
        if adj.weights and ev.fired.get(adj.key):
            changes = "，" if rs.language != "en" else "; "
            parts = [
                w["weight_change"].format(
                    name=rs.by_key[k].name, before=num(rs.by_key[k].weight), after=num(v)
                )
                for k, v in adj.weights.items()
                if k in rs.by_key
            ]
            lines.append(w["weights"].format(adj=adj.name, changes=changes.join(parts)))
    reported = {row["key"]: row for row in indicators}
    for ind in rs.indicators:
        row = reported[ind.key]
        if row["status"] == "skipped":
            lines.append(w["skipped"].format(name=ind.name))
            continue
        if row["status"] == "left_out":
            lacking = ", ".join(sorted(ind.all_inputs & ev.missing)) or "—"
            lines.append(
                w["left_out"].format(
                    name=ind.name, lacking=lacking, weight=num(row["declared_weight"])
                )
            )
            continue
        value = ev.names[ind.key]
        if ind.key in ev.fallback_used:
            head = w["fallback"].format(
                name=ind.name,
                cause=_cause_words(w, rs, *ev.fallback_used[ind.key]),
                value=fixed(value),
            )
        else:
            shown = render(ind.formula, ev.names)
            head = (
                f"{ind.name} = {shown} = {fixed(value)}"
                if shown != num(value)
                else (f"{ind.name} = {fixed(value)}")
            )
        score_part = f"{w['score']} {fixed(ev.raw_scores[ind.key])}"
        for adj, op, n, _before, after in ev.score_changes.get(ind.key, []):
            score_part += f" → {adj.name} {w['ops'][op].format(n=num(n))} = {fixed(after)}"
        lines.append(
            f"{head} → {score_part} × {num(row['weight'])}% = {fixed(ev.contributions[ind.key])}"
        )
    if ev.left_out_weight:
        lines.append(
            w["spread"].format(weight=num(ev.left_out_weight), rest=num(100 - ev.left_out_weight))
        )
    parts = (
        " + ".join(
            fixed(ev.contributions[ind.key]) for ind in rs.indicators if ind.key in ev.contributions
        )
        or "0"
    )
    lines.append(w["total"].format(parts=parts, total=fixed(half_up_total(ev))))
    for adj, op, n, before, after in ev.total_changes:
        lines.append(
            w["total_change"].format(
                adj=adj.name,
                before=fixed(before),
                op=w["ops"][op].format(n=num(n)),
                after=fixed(after),
            )
        )
    band = ev.band_by_total
    if band.min <= ev.total:
        lines.append(
            w["rating"].format(
                label=band.label,
                total=fixed(ev.total),
                min=num(band.min),
                bonus=num(band.bonus_multiplier),
            )
        )
    else:
        lines.append(
            w["rating_low"].format(
                label=band.label, total=fixed(ev.total), bonus=num(band.bonus_multiplier)
            )
        )
    for adj, _op, before, after in ev.rating_changes:
        lines.append(
            w["rating_change"].format(adj=adj.name, before=before.label, after=after.label)
        )
    if ev.rating_changes and ev.band is not band:
        lines.append(
            w["rating_final"].format(label=ev.band.label, bonus=num(ev.band.bonus_multiplier))
        )
    labels = {b.key: b.label for b in rs.bands}
    for streak in ev.outcomes:
        lines.append(
            w["outcome"].format(
                count=streak.count, rating=labels[streak.rating], label=streak.label
            )
        )
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

"""The default regional_sales_manager ruleset written by hand as one Python function: the
yardstick the engine is measured against.

`full_result` computes the same result dict as `CompiledRuleset.evaluate(..., explain=False)`
for the synthetic submissions of bench/employees.py: every indicator's value, score, weight and
contribution, every dimension's, the total, rating, adjustments and outcomes, each number
reported with the SPEC's rounding (functions.half_up, the engine's own definition, so the
comparison measures the engine and not the rounding). It trusts its input: no validation, no
rejection messages, no explanation lines. `total_only` is the bare total and rating.
The arithmetic follows SPEC §4 step by step in the same order, so the doubles are identical.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from server.engine.functions import half_up

PERIOD_END = date(2025, 9, 30)
ROLE = "regional_sales_manager"
RATER_WEIGHTS = {"superior": 50.0, "peer": 20.0, "customer": 20.0, "self": 10.0}
BANDS = (
    ("excellent", "优秀", 90.0, 1.5),
    ("good", "良好", 80.0, 1.2),
    ("pass", "合格", 70.0, 1.0),
    ("fail", "不合格", 0.0, 0.5),
)
STREAKS = (  # key, label, rating, earlier periods (most recent first) that must match
    ("raise_eligible", "连续2季度优秀:薪资上浮5%-10%", "excellent", ("2025-Q2",)),
    ("promotion", "连续3季度优秀:晋升高级销售经理", "excellent", ("2025-Q2", "2025-Q1")),
    ("pip", "连续2季度不合格:进入绩效改进计划(PIP)，未达标则调岗或降职", "fail", ("2025-Q2",)),
)
# key, name, dimension, base weight
INDICATORS = (
    ("sales_attainment", "销售额达成率", "results", 22.0),
    ("profit_contribution", "利润贡献度", "results", 13.0),
    ("collection_rate", "回款率", "results", 9.0),
    ("market_share_growth", "市场份额增长率", "results", 0.0),
    ("team_sales_attainment", "团队销售额达成率", "team", 9.0),
    ("team_retention", "团队人员留存率", "team", 7.0),
    ("training_completion", "团队培训完成率", "team", 6.0),
    ("team_morale", "团队士气评分", "team", 4.0),
    ("team_integration", "团队融入", "team", 0.0),
    ("new_customers", "新客户数量", "customer", 7.0),
    ("repeat_purchase_rate", "老客户复购率", "customer", 6.0),
    ("customer_satisfaction", "客户满意度评分", "customer", 4.0),
    ("key_account_share", "大客户占比", "customer", 0.0),
    ("strategic_planning", "战略规划能力", "capability", 4.0),
    ("resource_coordination", "资源协调能力", "capability", 3.0),
    ("problem_solving", "问题解决能力", "capability", 3.0),
    ("learning_innovation", "学习创新能力", "capability", 3.0),
)
DIMENSIONS = (
    ("results", "业绩结果"),
    ("team", "团队管理"),
    ("customer", "客户运营"),
    ("capability", "个人能力"),
)
ADJUSTMENT_ORDER = (
    "new_hire", "market_expansion", "customer_deepening", "collection_link", "collection_poor",
    "complaint_link", "complaint_severe",
)  # fmt: skip


def _months_between(d1: date, d2: date) -> float:
    if d2 < d1:
        return -_months_between(d2, d1)
    months = (d2.year - d1.year) * 12 + (d2.month - d1.month)
    if d2.day < d1.day:
        months -= 1
    return float(months)


def _rated(ratings: dict[str, Any]) -> float:
    total = weights = 0.0
    for kind, weight in RATER_WEIGHTS.items():
        scores = ratings.get(kind)
        if scores is not None:
            scores = scores if isinstance(scores, list) else [scores]
            total += (float(sum(float(s) for s in scores)) / len(scores)) * weight
            weights += weight
    return total / weights


def _linear(v: float, xs: tuple[float, ...], ss: tuple[float, ...]) -> float:
    if v <= xs[0]:
        return ss[0]
    if v >= xs[-1]:
        return ss[-1]
    i = 0
    while xs[i + 1] <= v:
        i += 1
    return ss[i] + (v - xs[i]) * (ss[i + 1] - ss[i]) / (xs[i + 1] - xs[i])


def _attainment(v: float) -> float:
    return _linear(v, (0.0, 120.0), (0.0, 120.0))


def _clamp100(v: float) -> float:
    return min(max(v, 0.0), 100.0)


def _compute(sub: dict[str, Any]) -> dict[str, Any]:
    """Weights, values, scores, contributions and the total: the state both functions share."""
    x = sub["inputs"]
    num = lambda name, default=None: float(x[name]) if x.get(name) is not None else default  # noqa: E731
    fired = {}
    weights = {key: w for key, _, _, w in INDICATORS}
    changed: dict[str, list[str]] = {}
    fired["new_hire"] = _months_between(date.fromisoformat(x["hire_date"]), PERIOD_END) < 6
    if fired["new_hire"]:
        for key, w in (
            ("sales_attainment", 18.0),
            ("team_sales_attainment", 5.0),
            ("team_integration", 8.0),
        ):
            changed.setdefault(key, []).append("new_hire")
            weights[key] = w
    fired["market_expansion"] = bool(x.get("expansion_stage") or False)
    if fired["market_expansion"]:
        for key, w in (("profit_contribution", 9.0), ("market_share_growth", 4.0)):
            changed.setdefault(key, []).append("market_expansion")
            weights[key] = w
    fired["customer_deepening"] = bool(x.get("deepening_stage") or False)
    if fired["customer_deepening"]:
        for key, w in (("new_customers", 4.0), ("key_account_share", 3.0)):
            changed.setdefault(key, []).append("customer_deepening")
            weights[key] = w

    actual_sales = num("actual_sales")
    values: dict[str, float] = {}
    scores: dict[str, float] = {}
    left_out: set[str] = set()
    values["sales_attainment"] = actual_sales / num("target_sales") * 100.0
    values["profit_contribution"] = num("actual_profit") / num("target_profit") * 100.0
    values["collection_rate"] = (
        num("collected_amount") / actual_sales * 100.0 if actual_sales else 0.0  # fallback 0
    )
    if weights["market_share_growth"] > 0:
        share, prev = num("market_share"), num("market_share_prev")
        if share is None or prev is None:
            left_out.add("market_share_growth")  # optional, no fallback
        else:
            values["market_share_growth"] = (share - prev) / prev * 100.0
    values["team_sales_attainment"] = num("team_actual_sales") / num("team_target_sales") * 100.0
    values["team_retention"] = num("staff_end") / num("staff_start") * 100.0
    required = num("training_required")
    values["training_completion"] = num("training_done") / required * 100.0 if required else 100.0
    values["team_morale"] = num("morale_survey")
    if weights["team_integration"] > 0:
        values["team_integration"] = num("integration_score")
    values["new_customers"] = num("new_customers_end") - num("new_customers_start")
    values["repeat_purchase_rate"] = (
        num("repeat_purchase_amount") / num("old_customer_sales") * 100.0
    )
    values["customer_satisfaction"] = num("satisfaction_survey")
    if weights["key_account_share"] > 0:
        account = num("key_account_sales")
        values["key_account_share"] = (
            account / actual_sales * 100.0 if account is not None and actual_sales else 0.0
        )  # fallback 0 when missing or no sales
    values["strategic_planning"] = _rated(x["strategy_rating"])
    values["resource_coordination"] = _rated(x["coordination_rating"])
    values["problem_solving"] = _rated(x["problem_solving_rating"])
    values["learning_innovation"] = _rated(x["learning_rating"])

    for key, value in values.items():
        if key in ("sales_attainment", "profit_contribution", "team_sales_attainment"):
            scores[key] = _attainment(value)
        elif key == "new_customers":
            scores[key] = min(max(value / num("new_customer_target") * 100.0, 0.0), 120.0)
        elif key == "repeat_purchase_rate":
            scores[key] = _linear(value, (0.0, 80.0), (0.0, 100.0))
        elif key == "market_share_growth":
            scores[key] = _linear(value, (-20.0, 0.0, 20.0), (0.0, 60.0, 100.0))
        elif key == "key_account_share":
            scores[key] = _linear(value, (0.0, 60.0), (0.0, 100.0))
        else:
            scores[key] = _clamp100(value)

    collection = values["collection_rate"]
    complaint = num("complaint_rate", 0.0)
    for key, when, target, op, n in (
        ("collection_link", collection < 90, "sales_attainment", "cap", 100.0),
        ("collection_poor", collection < 70, "sales_attainment", "cap", 80.0),
        ("complaint_link", complaint > 5, "customer_satisfaction", "deduct", 10.0),
        ("complaint_severe", complaint > 10, "customer_satisfaction", "deduct", 10.0),
    ):
        fired[key] = when
        if when:
            before = scores[target]
            scores[target] = max(0.0, min(before, n) if op == "cap" else before - n)
            changed.setdefault(target, []).append(key)

    lost = 0.0
    for key in left_out:
        lost += weights[key]
    final = {}
    contributions = {}
    total = 0.0
    for key, _, _, _ in INDICATORS:
        if key in scores and weights[key] > 0:
            w = weights[key] * 100.0 / (100.0 - lost) if lost else weights[key]
            final[key] = w
            contributions[key] = c = scores[key] * w / 100.0
            total += c
        else:
            final[key] = 0.0
    rounded = half_up(total, 2)
    band = next(b for b in BANDS if b[2] <= rounded)
    return {
        "fired": fired, "weights": weights, "changed": changed, "values": values,
        "scores": scores, "left_out": left_out, "final": final,
        "contributions": contributions, "total": rounded, "band": band,
    }  # fmt: skip


def total_only(sub: dict[str, Any]) -> tuple[float, str]:
    """The reported total and the rating key: the bare minimum of an evaluation."""
    state = _compute(sub)
    return state["total"], state["band"][0]


def full_result(sub: dict[str, Any]) -> dict[str, Any]:
    """The engine's result dict (explain=False) for one synthetic submission."""
    s = _compute(sub)
    weights, values, scores, final, contributions = (
        s["weights"], s["values"], s["scores"], s["final"], s["contributions"]
    )  # fmt: skip
    rows = []
    for key, name, dimension, _ in INDICATORS:
        if weights[key] <= 0:
            status = "skipped"
        elif key in s["left_out"]:
            status = "left_out"
        else:
            status = "scored"
        value = values.get(key)
        rows.append({
            "key": key,
            "name": name,
            "dimension": dimension,
            "status": status,
            "value": half_up(value, 2) if value is not None else None,
            "score": half_up(scores[key], 2) if status == "scored" else None,
            "weight": half_up(final[key], 2),
            "declared_weight": half_up(weights[key], 2),
            "contribution": half_up(contributions.get(key, 0.0), 2),
            "adjustments": s["changed"].get(key, []),
        })  # fmt: skip
    dimensions = []
    for dim, dim_name in DIMENSIONS:
        members = [key for key, _, d, _ in INDICATORS if d == dim]
        weight = sum(final[key] for key in members)
        contribution = sum(contributions.get(key, 0.0) for key in members)
        dimensions.append({
            "key": dim,
            "name": dim_name,
            "weight": half_up(weight, 2),
            "score": half_up(contribution * 100 / weight, 2) if weight else None,
            "contribution": half_up(contribution, 2),
        })  # fmt: skip
    band = s["band"]
    history = sub["history"]
    outcomes = [
        {"key": key, "label": label}
        for key, label, rating, earlier in STREAKS
        if band[0] == rating and all(history.get(p) == rating for p in earlier)
    ]
    return {
        "role": ROLE,
        "period": sub["period"],
        "employee_id": sub["employee_id"],
        "total": s["total"],
        "rating": {"key": band[0], "label": band[1]},
        "bonus_multiplier": band[3],
        "dimensions": dimensions,
        "indicators": rows,
        "adjustments": [key for key in ADJUSTMENT_ORDER if s["fired"][key]],
        "outcomes": outcomes,
        "explanation": [],
    }

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


def _rated(ratings: dict[str, Any], kinds: tuple[tuple[str, float], ...]) -> float:
    """rated(r) over the kinds this input allows, in `raters` order."""
    total = weights = 0.0
    for kind, weight in kinds:
        scores = ratings.get(kind)
        if scores is not None:
            if type(scores) is list:
                total += (float(sum(scores)) / len(scores)) * weight
            else:
                total += float(scores) * weight
            weights += weight
    return total / weights


SUPERIOR = (("superior", 50.0),)
PEER_SELF = (("peer", 20.0), ("self", 10.0))
SUPERIOR_SELF = (("superior", 50.0), ("self", 10.0))


def _attainment(v: float) -> float:
    """linear [[0, 0], [120, 120]]"""
    if v <= 0.0:
        return 0.0
    if v >= 120.0:
        return 120.0
    return 0.0 + (v - 0.0) * 120.0 / 120.0


def _clamp100(v: float) -> float:
    return min(max(v, 0.0), 100.0)


def _compute(sub: dict[str, Any]) -> tuple:
    """Every indicator's (value, score, declared weight), the adjustments that fired, the
    final weights, contributions and the reported total and band: straight-line code."""
    x = sub["inputs"]
    get = x.get
    new_hire = _months_between(date.fromisoformat(x["hire_date"]), PERIOD_END) < 6
    expansion = get("expansion_stage") is True
    deepening = get("deepening_stage") is True

    actual = float(x["actual_sales"])
    v_sales = actual / float(x["target_sales"]) * 100.0
    v_profit = float(x["actual_profit"]) / float(x["target_profit"]) * 100.0
    v_collect = float(x["collected_amount"]) / actual * 100.0 if actual else 0.0  # fallback 0
    v_share = None
    if expansion and get("market_share") is not None and get("market_share_prev") is not None:
        prev = float(x["market_share_prev"])
        v_share = (float(x["market_share"]) - prev) / prev * 100.0
    v_team = float(x["team_actual_sales"]) / float(x["team_target_sales"]) * 100.0
    v_retain = float(x["staff_end"]) / float(x["staff_start"]) * 100.0
    required = float(x["training_required"])
    v_train = float(x["training_done"]) / required * 100.0 if required else 100.0  # fallback
    v_morale = float(x["morale_survey"])
    v_integ = float(x["integration_score"]) if new_hire else None
    v_newc = float(x["new_customers_end"]) - float(x["new_customers_start"])
    v_repeat = float(x["repeat_purchase_amount"]) / float(x["old_customer_sales"]) * 100.0
    v_satisf = float(x["satisfaction_survey"])
    v_account = None
    if deepening:
        account = get("key_account_sales")
        v_account = float(account) / actual * 100.0 if account is not None and actual else 0.0
    v_strategy = _rated(x["strategy_rating"], SUPERIOR)
    v_coord = _rated(x["coordination_rating"], PEER_SELF)
    v_problem = _rated(x["problem_solving_rating"], SUPERIOR)
    v_learn = _rated(x["learning_rating"], SUPERIOR_SELF)

    s_sales = _attainment(v_sales)
    collection_link = v_collect < 90
    collection_poor = v_collect < 70
    if collection_link:
        s_sales = max(0.0, min(s_sales, 100.0))
    if collection_poor:
        s_sales = max(0.0, min(s_sales, 80.0))
    complaint = get("complaint_rate")
    complaint = 0.0 if complaint is None else float(complaint)
    complaint_link, complaint_severe = complaint > 5, complaint > 10
    s_satisf = _clamp100(v_satisf)
    if complaint_link:
        s_satisf = max(0.0, s_satisf - 10.0)
    if complaint_severe:
        s_satisf = max(0.0, s_satisf - 10.0)
    s_share = None
    if v_share is not None:
        if v_share <= -20.0:
            s_share = 0.0
        elif v_share >= 20.0:
            s_share = 100.0
        elif v_share < 0.0:
            s_share = 0.0 + (v_share - -20.0) * 60.0 / 20.0
        else:
            s_share = 60.0 + (v_share - 0.0) * 40.0 / 20.0
    s_account = None
    if v_account is not None:
        s_account = 0.0 if v_account <= 0.0 else 100.0 if v_account >= 60.0 else (
            0.0 + (v_account - 0.0) * 100.0 / 60.0
        )  # fmt: skip
    s_repeat = 0.0 if v_repeat <= 0.0 else 100.0 if v_repeat >= 80.0 else (
        0.0 + (v_repeat - 0.0) * 100.0 / 80.0
    )  # fmt: skip
    rows = (  # value, score (None: not scored), declared weight, in document order
        (v_sales, s_sales, 18.0 if new_hire else 22.0),
        (v_profit, _attainment(v_profit), 9.0 if expansion else 13.0),
        (v_collect, _clamp100(v_collect), 9.0),
        (v_share, s_share, 4.0 if expansion else 0.0),
        (v_team, _attainment(v_team), 5.0 if new_hire else 9.0),
        (v_retain, _clamp100(v_retain), 7.0),
        (v_train, _clamp100(v_train), 6.0),
        (v_morale, _clamp100(v_morale), 4.0),
        (v_integ, None if v_integ is None else _clamp100(v_integ), 8.0 if new_hire else 0.0),
        (v_newc, min(max(v_newc / float(x["new_customer_target"]) * 100.0, 0.0), 120.0),
         4.0 if deepening else 7.0),
        (v_repeat, s_repeat, 6.0),
        (v_satisf, s_satisf, 4.0),
        (v_account, s_account, 3.0 if deepening else 0.0),
        (v_strategy, _clamp100(v_strategy), 4.0),
        (v_coord, _clamp100(v_coord), 3.0),
        (v_problem, _clamp100(v_problem), 3.0),
        (v_learn, _clamp100(v_learn), 3.0),
    )  # fmt: skip
    lost = 4.0 if expansion and v_share is None else 0  # market_share_growth left out
    finals, contributions = [], []
    total = 0.0
    for _, score, weight in rows:
        if score is None:
            finals.append(0.0)
            contributions.append(0.0)
        else:
            final = weight * 100 / (100 - lost) if lost else weight
            contribution = score * final / 100
            finals.append(final)
            contributions.append(contribution)
            total += contribution
    rounded = half_up(total, 2)
    band = BANDS[0] if rounded >= 90.0 else BANDS[1] if rounded >= 80.0 else (
        BANDS[2] if rounded >= 70.0 else BANDS[3]
    )  # fmt: skip
    fired = (new_hire, expansion, deepening, collection_link, collection_poor, complaint_link,
             complaint_severe)  # fmt: skip
    return rows, fired, finals, contributions, rounded, band


def total_only(sub: dict[str, Any]) -> tuple[float, str]:
    """The reported total and the rating key: the bare minimum of an evaluation."""
    state = _compute(sub)
    return state[4], state[5][0]


def _row_adjustments(fired: tuple[bool, ...]) -> list[list[str]]:
    new_hire, expansion, deepening, link, poor, complaint, severe = fired
    hire = ["new_hire"] if new_hire else []
    stage = ["market_expansion"] if expansion else []
    deep = ["customer_deepening"] if deepening else []
    sales = hire + ["collection_link"] * link + ["collection_poor"] * poor
    satisfaction = ["complaint_link"] * complaint + ["complaint_severe"] * severe
    return [sales, stage, [], list(stage), list(hire), [], [], [], list(hire), deep, [],
            satisfaction, list(deep), [], [], [], []]  # fmt: skip


def full_result(sub: dict[str, Any]) -> dict[str, Any]:
    """The engine's result dict (explain=False) for one synthetic submission."""
    rows, fired, finals, contributions, total, band = _compute(sub)
    adjusted = _row_adjustments(fired)
    indicators = []
    for i, (key, name, dimension, _) in enumerate(INDICATORS):
        value, score, weight = rows[i]
        if score is not None:
            status = "scored"
        elif weight <= 0:
            status = "skipped"
        else:
            status = "left_out"
        indicators.append({
            "key": key,
            "name": name,
            "dimension": dimension,
            "status": status,
            "value": None if value is None else half_up(value, 2),
            "score": None if score is None else half_up(score, 2),
            "weight": half_up(finals[i], 2),
            "declared_weight": half_up(weight, 2),
            "contribution": half_up(contributions[i], 2),
            "adjustments": adjusted[i],
        })  # fmt: skip
    dimensions = []
    for (dim, dim_name), (start, end) in zip(DIMENSIONS, ((0, 4), (4, 9), (9, 13), (13, 17))):
        weight = sum(finals[start:end])
        contribution = sum(contributions[start:end])
        dimensions.append({
            "key": dim,
            "name": dim_name,
            "weight": half_up(weight, 2),
            "score": half_up(contribution * 100 / weight, 2) if weight else None,
            "contribution": half_up(contribution, 2),
        })  # fmt: skip
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
        "total": total,
        "rating": {"key": band[0], "label": band[1]},
        "bonus_multiplier": band[3],
        "dimensions": dimensions,
        "indicators": indicators,
        "adjustments": [key for key, on in zip(ADJUSTMENT_ORDER, fired) if on],
        "outcomes": outcomes,
        "explanation": [],
    }

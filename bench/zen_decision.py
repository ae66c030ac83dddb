"""The default regional_sales_manager ruleset as a GoRules JDM decision, for zen-engine.

Hand-translated from rulesets/regional_sales_manager.yaml into ZEN expressions, in four
expression nodes (weights -> values -> scores -> totals) that pass their input through. It
computes the numbers the engine reports: each indicator's value, score, weight and
contribution, each dimension's weight, score and contribution, the total, the rating and the
bonus multiplier, each rounded with ZEN's round(x, 2). ZEN computes in decimals, not doubles,
so a number can differ from the engine's in the last reported digit where the double and the
decimal fall on either side of a rounding tie; `compare` counts such differences.
Not translated (the synthetic data never needs them): a hire date after the period's end,
rejections and their messages, explanation lines, streaks (they read stored history).
"""

from __future__ import annotations

import json
from typing import Any

RATERS = {"superior": 50, "peer": 20, "customer": 20, "self": 10}
RATINGS = {
    "strategic_planning": ("strategy_rating", ("superior",)),
    "resource_coordination": ("coordination_rating", ("peer", "self")),
    "problem_solving": ("problem_solving_rating", ("superior",)),
    "learning_innovation": ("learning_rating", ("superior", "self")),
}
DIMENSIONS = {
    "results": ("sales_attainment", "profit_contribution", "collection_rate", "market_share_growth"),
    "team": ("team_sales_attainment", "team_retention", "training_completion", "team_morale",
             "team_integration"),
    "customer": ("new_customers", "repeat_purchase_rate", "customer_satisfaction",
                 "key_account_share"),
    "capability": tuple(RATINGS),
}  # fmt: skip
INDICATORS = [key for members in DIMENSIONS.values() for key in members]
PERIOD_END = "2025-09-30"


def _rated(name: str, kinds: tuple[str, ...]) -> str:
    def mean(kind: str) -> str:
        ref = f"{name}.{kind}"
        return f"(type({ref}) == 'array' ? avg({ref}) : {ref})"

    top = " + ".join(f"({name}.{k} != null ? {mean(k)} * {RATERS[k]} : 0)" for k in kinds)
    bottom = " + ".join(f"({name}.{k} != null ? {RATERS[k]} : 0)" for k in kinds)
    return f"({top}) / ({bottom})"


def _linear(value: str, points: list[tuple[float, float]]) -> str:
    """Piecewise-linear interpolation, clamped outside, as SPEC §3.3."""
    (x0, s0), sn = points[0], points[-1][1]
    expr = f"{sn}"
    for (xa, sa), (xb, sb) in reversed(list(zip(points, points[1:]))):
        expr = f"({value} < {xb} ? {sa} + ({value} - {xa}) * ({sb - sa}) / ({xb - xa}) : {expr})"
    return f"({value} <= {x0} ? {s0} : {expr})"


def _months_between() -> str:
    h, e = "d(hire_date)", f'd("{PERIOD_END}")'
    return (
        f"({e}.year() - {h}.year()) * 12 + ({e}.month() - {h}.month())"
        f" - ({e}.day() < {h}.day() ? 1 : 0)"
    )


WEIGHTS = [
    ("new_hire", f"{_months_between()} < 6"),
    ("market_expansion", "expansion_stage == true"),
    ("customer_deepening", "deepening_stage == true"),
    ("w_sales_attainment", "$.new_hire ? 18 : 22"),
    ("w_profit_contribution", "$.market_expansion ? 9 : 13"),
    ("w_collection_rate", "9"),
    ("w_market_share_growth", "$.market_expansion ? 4 : 0"),
    ("w_team_sales_attainment", "$.new_hire ? 5 : 9"),
    ("w_team_retention", "7"),
    ("w_training_completion", "6"),
    ("w_team_morale", "4"),
    ("w_team_integration", "$.new_hire ? 8 : 0"),
    ("w_new_customers", "$.customer_deepening ? 4 : 7"),
    ("w_repeat_purchase_rate", "6"),
    ("w_customer_satisfaction", "4"),
    ("w_key_account_share", "$.customer_deepening ? 3 : 0"),
    ("w_strategic_planning", "4"),
    ("w_resource_coordination", "3"),
    ("w_problem_solving", "3"),
    ("w_learning_innovation", "3"),
]
VALUES = [
    ("v_sales_attainment", "actual_sales / target_sales * 100"),
    ("v_profit_contribution", "actual_profit / target_profit * 100"),
    ("v_collection_rate", "actual_sales == 0 ? 0 : collected_amount / actual_sales * 100"),
    ("share_known", "market_share != null and market_share_prev != null"),
    (
        "v_market_share_growth",
        "w_market_share_growth > 0 and $.share_known ? "
        "(market_share - market_share_prev) / market_share_prev * 100 : null",
    ),
    ("v_team_sales_attainment", "team_actual_sales / team_target_sales * 100"),
    ("v_team_retention", "staff_end / staff_start * 100"),
    (
        "v_training_completion",
        "training_required == 0 ? 100 : training_done / training_required * 100",
    ),
    ("v_team_morale", "morale_survey"),
    ("v_team_integration", "w_team_integration > 0 ? integration_score : null"),
    ("v_new_customers", "new_customers_end - new_customers_start"),
    ("v_repeat_purchase_rate", "repeat_purchase_amount / old_customer_sales * 100"),
    ("v_customer_satisfaction", "satisfaction_survey"),
    (
        "v_key_account_share",
        "w_key_account_share > 0 ? (key_account_sales == null or actual_sales == 0 ? 0 : "
        "key_account_sales / actual_sales * 100) : null",
    ),
    *[(f"v_{key}", _rated(name, kinds)) for key, (name, kinds) in RATINGS.items()],
    ("complaint", "complaint_rate ?? 0"),
]
ATTAINMENT = [(0, 0), (120, 120)]
SCORES = [
    ("s_sales_attainment", _linear("v_sales_attainment", ATTAINMENT)),
    (
        "s_sales_attainment",
        "v_collection_rate < 90 ? max([0, min([$.s_sales_attainment, 100])]) : $.s_sales_attainment",
    ),
    (
        "s_sales_attainment",
        "v_collection_rate < 70 ? max([0, min([$.s_sales_attainment, 80])]) : $.s_sales_attainment",
    ),
    ("s_profit_contribution", _linear("v_profit_contribution", ATTAINMENT)),
    ("s_collection_rate", "min([max([v_collection_rate, 0]), 100])"),
    (
        "s_market_share_growth",
        f"v_market_share_growth == null ? null : "
        f"{_linear('v_market_share_growth', [(-20, 0), (0, 60), (20, 100)])}",
    ),
    ("s_team_sales_attainment", _linear("v_team_sales_attainment", ATTAINMENT)),
    ("s_team_retention", "min([max([v_team_retention, 0]), 100])"),
    ("s_training_completion", "min([max([v_training_completion, 0]), 100])"),
    ("s_team_morale", "min([max([v_team_morale, 0]), 100])"),
    (
        "s_team_integration",
        "v_team_integration == null ? null : min([max([v_team_integration, 0]), 100])",
    ),
    ("s_new_customers", "min([max([v_new_customers / new_customer_target * 100, 0]), 120])"),
    ("s_repeat_purchase_rate", _linear("v_repeat_purchase_rate", [(0, 0), (80, 100)])),
    ("s_customer_satisfaction", "min([max([v_customer_satisfaction, 0]), 100])"),
    (
        "s_customer_satisfaction",
        "complaint > 5 ? max([0, $.s_customer_satisfaction - 10]) : $.s_customer_satisfaction",
    ),  # fmt: skip
    (
        "s_customer_satisfaction",
        "complaint > 10 ? max([0, $.s_customer_satisfaction - 10]) : $.s_customer_satisfaction",
    ),  # fmt: skip
    (
        "s_key_account_share",
        f"v_key_account_share == null ? null : "
        f"{_linear('v_key_account_share', [(0, 0), (60, 100)])}",
    ),
    *[(f"s_{key}", f"min([max([v_{key}, 0]), 100])") for key in RATINGS],
    ("left_out", "w_market_share_growth > 0 and not share_known ? w_market_share_growth : 0"),
]


def _totals() -> list[tuple[str, str]]:
    rows = []
    for key in INDICATORS:
        rows.append(
            (f"fw_{key}", f"s_{key} == null ? 0 : (left_out > 0 ? w_{key} * 100 / (100 - left_out) "
                          f": w_{key})")
        )  # fmt: skip
        rows.append((f"c_{key}", f"s_{key} == null ? 0 : s_{key} * $.fw_{key} / 100"))
    rows.append(("raw_total", " + ".join(f"$.c_{key}" for key in INDICATORS)))
    rows.append(("total", "round($.raw_total, 2)"))
    rows.append(("rating", "$.total >= 90 ? 'excellent' : $.total >= 80 ? 'good' : "
                           "$.total >= 70 ? 'pass' : 'fail'"))  # fmt: skip
    rows.append(("bonus_multiplier", "$.total >= 90 ? 1.5 : $.total >= 80 ? 1.2 : "
                                     "$.total >= 70 ? 1.0 : 0.5"))  # fmt: skip
    return rows


def _output() -> list[tuple[str, str]]:
    rows = [("total", "total"), ("rating", "rating"), ("bonus_multiplier", "bonus_multiplier")]
    for key in INDICATORS:
        rows += [
            (f"indicators.{key}.value", f"v_{key} == null ? null : round(v_{key}, 2)"),
            (f"indicators.{key}.score", f"s_{key} == null ? null : round(s_{key}, 2)"),
            (f"indicators.{key}.weight", f"round(fw_{key}, 2)"),
            (f"indicators.{key}.contribution", f"round(c_{key}, 2)"),
        ]
    for dim, members in DIMENSIONS.items():
        weight = " + ".join(f"fw_{key}" for key in members)
        contribution = " + ".join(f"c_{key}" for key in members)
        rows += [
            (f"dimensions.{dim}.weight", f"round({weight}, 2)"),
            (f"dimensions.{dim}.contribution", f"round({contribution}, 2)"),
            (
                f"dimensions.{dim}.score",
                f"({weight}) == 0 ? null : round(({contribution}) * 100 / ({weight}), 2)",
            ),
        ]
    return rows


def _node(name: str, rows: list[tuple[str, str]], pass_through: bool = True) -> dict[str, Any]:
    return {
        "id": name,
        "type": "expressionNode",
        "name": name,
        "position": {"x": 0, "y": 0},
        "content": {
            "expressions": [
                {"id": f"{name}-{i}", "key": key, "value": value}
                for i, (key, value) in enumerate(rows)
            ],
            "passThrough": pass_through,
        },
    }


def decision() -> dict[str, Any]:
    """The JDM document (a dict; json.dumps it for zen)."""
    steps = [
        _node("weights", WEIGHTS),
        _node("values", VALUES),
        _node("scores", SCORES),
        _node("totals", _totals()),
        _node("report", _output(), pass_through=False),
    ]
    nodes = [
        {"id": "request", "type": "inputNode", "name": "request", "position": {"x": 0, "y": 0}}
    ]
    nodes += steps
    nodes.append({"id": "response", "type": "outputNode", "name": "response",
                  "position": {"x": 0, "y": 0}})  # fmt: skip
    chain = [node["id"] for node in nodes]
    edges = [
        {"id": f"edge-{a}-{b}", "sourceId": a, "targetId": b, "type": "edge"}
        for a, b in zip(chain, chain[1:])
    ]
    return {"nodes": nodes, "edges": edges}


def decision_json() -> str:
    return json.dumps(decision())


def engine_numbers(result: dict[str, Any]) -> dict[str, Any]:
    """The engine result's numbers in the decision's output shape, for comparison."""
    return {
        "total": result["total"],
        "rating": result["rating"]["key"],
        "bonus_multiplier": result["bonus_multiplier"],
        "indicators": {
            row["key"]: {
                "value": row["value"] if row["status"] == "scored" else None,
                "score": row["score"],
                "weight": row["weight"],
                "contribution": row["contribution"],
            }
            for row in result["indicators"]
        },
        "dimensions": {
            row["key"]: {k: row[k] for k in ("weight", "contribution", "score")}
            for row in result["dimensions"]
        },
    }


def differences(zen_result: dict[str, Any], engine_result: dict[str, Any]) -> list[str]:
    """Paths where the decision's numbers differ from the engine's (empty when equal)."""
    want = engine_numbers(engine_result)
    found: list[str] = []

    def walk(a: Any, b: Any, path: str) -> None:
        if isinstance(b, dict):
            for key in b:
                walk(a.get(key) if isinstance(a, dict) else None, b[key], f"{path}/{key}")
        elif (
            isinstance(b, (int, float)) and isinstance(a, (int, float)) and not isinstance(b, bool)
        ):
            if float(a) != float(b):
                found.append(f"{path}: zen {a} engine {b}")
        elif a != b:
            found.append(f"{path}: zen {a!r} engine {b!r}")

    walk(zen_result, want, "")
    return found

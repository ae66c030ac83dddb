"""Evaluating submissions (SPEC §3.3, §3.4, §4): the numbers, statuses, problems and
explanation lines a result carries."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from server.engine import SubmissionRejected, compile_ruleset


def half_up(x: float, digits: int = 2) -> float:
    """SPEC §4: Decimal(repr(x)) rounded ROUND_HALF_UP."""
    return float(Decimal(repr(x)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def two_inputs(**extra: Any) -> dict[str, Any]:
    return {"x": {"type": "number", "label": "数值X"}, "y": {"type": "number"}, **extra}


# --- the seeds' worked numbers ------------------------------------------------------------------


def test_seed_000_sales_growth_of_20_percent(sc: Any) -> None:
    doc = sc.document(
        inputs={"this_q": {"type": "number"}, "last_q": {"type": "number"}},
        indicators=[
            sc.indicator("growth", "(this_q - last_q) / last_q * 100", 100, name="销售增长率")
        ],
    )
    result = sc.run(doc, {"this_q": 1_200_000, "last_q": 1_000_000})
    assert sc.row(result, "growth")["value"] == 20.0


def test_seed_000_profit_of_5000(sc: Any) -> None:
    doc = sc.document(
        inputs={
            "price": {"type": "number"},
            "quantity": {"type": "integer"},
            "cost": {"type": "number"},
        },
        indicators=[sc.indicator("profit", "price * quantity - cost", 100, name="销售利润")],
    )
    result = sc.run(doc, {"price": 100, "quantity": 100, "cost": 5000})
    assert sc.row(result, "profit")["value"] == 5000.0


def test_seed_003_score_80_with_weight_25_contributes_20(sc: Any) -> None:
    # seed 003 §四.3: 销售额达成率得80分, 权重25%, 则该项得分为 80×25% = 20分
    doc = sc.document(
        inputs=two_inputs(),
        indicators=[
            sc.indicator("sales", "x", 25, name="销售额达成率"),
            sc.indicator("rest", "y", 75),
        ],
    )
    row = sc.row(sc.run(doc, {"x": 80, "y": 100}), "sales")
    assert (row["score"], row["weight"], row["contribution"]) == (80.0, 25.0, 20.0)


# --- scoring (SPEC §3.3) ------------------------------------------------------------------------


def score_of(sc: Any, scoring: dict[str, Any] | None, x: float, precision: int = 6) -> float:
    extra = {"scoring": scoring} if scoring is not None else {}
    doc = sc.document(
        precision=precision,
        inputs={"x": {"type": "number"}},
        indicators=[sc.indicator("a", "x", 100, **extra)],
    )
    return sc.row(sc.run(doc, {"x": x}), "a")["score"]


LINEAR_120 = {"type": "linear", "points": [[0, 0], [120, 120]]}
LINEAR_SEGMENTS = {"type": "linear", "points": [[60, 0], [80, 60], [100, 100], [120, 110]]}
DESCENDING = {"type": "linear", "points": [[0, 100], [5, 60], [10, 0]]}


@pytest.mark.parametrize(
    ("scoring", "x", "expected"),
    [
        (LINEAR_120, 100, 100.0),
        (LINEAR_120, 150, 120.0),  # above the last point: the last score
        (LINEAR_120, -10, 0.0),  # below the first point: the first score
        (LINEAR_SEGMENTS, 50, 0.0),
        (LINEAR_SEGMENTS, 90, 80.0),  # 60 + (90-80)×(100-60)/(100-80)
        (LINEAR_SEGMENTS, 107, 103.5),  # 100 + (107-100)×(110-100)/(120-100)
        (LINEAR_SEGMENTS, 80, 60.0),  # on a point
        (LINEAR_SEGMENTS, 130, 110.0),
        (DESCENDING, 2, 84.0),  # lower is better: 100 + 2×(60-100)/5
        (DESCENDING, 7.5, 30.0),
        (DESCENDING, 12, 0.0),
        (DESCENDING, 0, 100.0),
    ],
)
def test_linear_scoring(sc: Any, scoring: dict, x: float, expected: float) -> None:
    assert score_of(sc, scoring, x) == expected


def test_linear_score_is_computed_as_the_spec_writes_it(sc: Any) -> None:
    # s0 + (v - x0) × (s1 - s0) / (x1 - x0), in doubles, on the segment holding v
    v, (x0, s0), (x1, s1) = 83.3, (80, 60), (100, 100)
    expected = s0 + (v - x0) * (s1 - s0) / (x1 - x0)
    assert score_of(sc, LINEAR_SEGMENTS, v, precision=6) == half_up(expected, 6)


BANDS = {"type": "bands", "bands": [{"min": 20, "score": 100}, {"min": 15, "score": 80}]}


@pytest.mark.parametrize(
    ("scoring", "x", "expected"),
    [
        (BANDS, 25, 100.0),
        (BANDS, 20, 100.0),  # min <= value: the boundary belongs to the band
        (BANDS, 19.99, 80.0),
        (BANDS, 15, 80.0),
        (BANDS, 14.99, 0.0),  # `else` defaults to 0
        ({**BANDS, "else": 50}, 3, 50.0),
        ({**BANDS, "else": 50}, -100, 50.0),
    ],
)
def test_bands_scoring(sc: Any, scoring: dict, x: float, expected: float) -> None:
    assert score_of(sc, scoring, x) == expected


@pytest.mark.parametrize(
    ("formula", "x", "expected"),
    [
        ("min(value, 120)", 150, 120.0),
        ("min(value, 120)", 95.5, 95.5),
        ("value * 2 if value > 10 else 0", 30, 60.0),
        ("value * 2 if value > 10 else 0", 5, 0.0),
    ],
)
def test_formula_scoring(sc: Any, formula: str, x: float, expected: float) -> None:
    assert score_of(sc, {"type": "formula", "formula": formula}, x) == expected


@pytest.mark.parametrize(("x", "expected"), [(-5, 0.0), (150, 100.0), (42.5, 42.5), (100, 100.0)])
def test_absent_scoring_clamps_to_0_100(sc: Any, x: float, expected: float) -> None:
    assert score_of(sc, None, x) == expected


def test_scoring_formula_may_read_inputs(sc: Any) -> None:
    scoring = {"type": "formula", "formula": "value * 100 / cap_"}
    doc = sc.document(
        inputs={"x": {"type": "number"}, "cap_": {"type": "number"}},
        indicators=[sc.indicator("a", "x", 100, scoring=scoring)],
    )
    assert sc.row(sc.run(doc, {"x": 30, "cap_": 60}), "a")["score"] == 50.0


# --- adjustments (SPEC §3.4) --------------------------------------------------------------------

FLAG_INPUTS = {
    "x": {"type": "number"},
    "flag": {"type": "boolean", "required": False, "default": False},
}


def adjusted(sc: Any, adjustments: list[dict], x: float = 80, **inputs: Any) -> dict[str, Any]:
    """a (weight 60) and b (weight 40) both read x; adjustments fire on `flag`."""
    doc = sc.document(
        inputs=FLAG_INPUTS,
        indicators=[sc.indicator("a", "x", 60), sc.indicator("b", "x", 40)],
        adjustments=adjustments,
    )
    return sc.run(doc, {"x": x, **inputs})


@pytest.mark.parametrize(
    ("operation", "score", "total"),
    [
        ({"deduct": 10}, 70.0, 74.0),
        ({"add": 5}, 85.0, 83.0),
        ({"cap": 50}, 50.0, 62.0),
        ({"floor": 95}, 95.0, 89.0),
        ({"set": 30}, 30.0, 50.0),
        ({"deduct": 500}, 0.0, 32.0),  # never below 0
        ({"set": -20}, 0.0, 32.0),
        ({"add": -90}, 0.0, 32.0),
    ],
)
def test_scores_adjustment(sc: Any, operation: dict, score: float, total: float) -> None:
    adjustment = {"key": "k", "name": "调整", "when": "flag", "scores": {"a": operation}}
    result = adjusted(sc, [adjustment], flag=True)
    row = sc.row(result, "a")
    assert (row["score"], row["contribution"], result["total"]) == (score, score * 0.6, total)
    assert row["adjustments"] == ["k"]


def test_scores_adjustment_not_fired_leaves_the_score(sc: Any) -> None:
    adjustment = {"key": "k", "name": "调整", "when": "flag", "scores": {"a": {"deduct": 10}}}
    result = adjusted(sc, [adjustment], flag=False)
    assert (sc.row(result, "a")["score"], result["adjustments"]) == (80.0, [])


@pytest.mark.parametrize(
    ("operation", "total", "rating"),
    [
        ({"deduct": 10}, 70.0, "pass"),
        ({"add": 5}, 85.0, "good"),
        ({"cap": 50}, 50.0, "fail"),
        ({"floor": 95}, 95.0, "excellent"),
        ({"multiply": 0.5}, 40.0, "fail"),
        ({"multiply": 1.2}, 96.0, "excellent"),
    ],
)
def test_total_adjustment(sc: Any, operation: dict, total: float, rating: str) -> None:
    adjustment = {"key": "k", "name": "调整", "when": "flag", "total": operation}
    result = adjusted(sc, [adjustment], flag=True)
    assert (result["total"], result["rating"]["key"]) == (total, rating)


def test_total_above_100_is_not_clamped(sc: Any) -> None:
    adjustment = {"key": "k", "name": "加分", "total": {"add": 30}}
    assert adjusted(sc, [adjustment], x=95)["total"] == 125.0


def test_negative_total_takes_the_last_band(sc: Any) -> None:
    adjustment = {"key": "k", "name": "重大违规", "when": "flag", "total": {"deduct": 500}}
    result = adjusted(sc, [adjustment], flag=True)
    assert result["total"] == -420.0
    assert result["rating"] == {"key": "fail", "label": "不合格"}
    assert result["bonus_multiplier"] == 0.5


def test_total_adjustments_apply_in_document_order(sc: Any) -> None:
    adjustments = [
        {"key": "first", "name": "先加", "total": {"add": 10}},
        {"key": "second", "name": "再乘", "total": {"multiply": 0.5}},
    ]
    assert adjusted(sc, adjustments)["total"] == 45.0  # (80 + 10) × 0.5, not 80 × 0.5 + 10


def test_scores_adjustments_apply_in_document_order(sc: Any) -> None:
    adjustments = [
        {"key": "cap", "name": "封顶", "scores": {"a": {"cap": 75}}},
        {"key": "bonus", "name": "加分", "scores": {"a": {"add": 10}}},
    ]
    row = sc.row(adjusted(sc, adjustments), "a")
    assert (row["score"], row["adjustments"]) == (85.0, ["cap", "bonus"])  # min(80, 75) + 10


def test_later_weights_adjustment_wins_for_the_same_indicator(sc: Any) -> None:
    adjustments = [
        {"key": "first", "name": "一", "when": "flag", "weights": {"a": 30, "b": 70}},
        {"key": "second", "name": "二", "when": "flag", "weights": {"a": 20, "b": 80}},
    ]
    result = adjusted(sc, adjustments, flag=True)
    assert [r["weight"] for r in result["indicators"]] == [20.0, 80.0]
    assert result["adjustments"] == ["first", "second"]


CEILING = {"key": "ceiling", "name": "封顶良好", "when": "flag", "rating": {"max": "good"}}
VETO = {"key": "veto", "name": "一票否决", "when": "x > 95", "rating": {"set": "fail"}}


def test_rating_max_lowers_a_rating_above_the_ceiling(sc: Any) -> None:
    result = adjusted(sc, [CEILING], x=92, flag=True)
    assert (result["total"], result["rating"]["key"], result["bonus_multiplier"]) == (
        92.0,
        "good",
        1.2,
    )


def test_rating_max_keeps_a_rating_below_the_ceiling(sc: Any) -> None:
    result = adjusted(sc, [CEILING], x=72, flag=True)
    assert result["rating"]["key"] == "pass"


def test_rating_set_is_a_veto(sc: Any) -> None:
    result = adjusted(sc, [VETO], x=99)
    assert (result["total"], result["rating"], result["bonus_multiplier"]) == (
        99.0,
        {"key": "fail", "label": "不合格"},
        0.5,
    )


def test_rating_set_can_also_raise(sc: Any) -> None:
    raise_ = {"key": "r", "name": "特批", "when": "flag", "rating": {"set": "excellent"}}
    assert adjusted(sc, [raise_], x=50, flag=True)["rating"]["key"] == "excellent"


def test_fired_adjustments_are_listed_in_document_order(sc: Any) -> None:
    adjustments = [
        {"key": "zeta", "name": "Z", "when": "flag", "total": {"add": 1}},
        {"key": "unfired", "name": "U", "when": "x > 1000", "total": {"add": 1}},
        {"key": "alpha", "name": "A", "when": "flag", "scores": {"b": {"add": 1}}},
        {"key": "mid", "name": "M", "when": "flag", "weights": {"a": 50, "b": 50}},
    ]
    assert adjusted(sc, adjustments, flag=True)["adjustments"] == ["zeta", "alpha", "mid"]


def test_adjustment_without_when_always_applies(sc: Any) -> None:
    result = adjusted(sc, [{"key": "k", "name": "固定", "total": {"add": 1}}])
    assert (result["total"], result["adjustments"]) == (81.0, ["k"])


# --- `when` that reads what is missing (SPEC §3.4) ----------------------------------------------


def when_document(sc: Any, when: str, **changes: Any) -> dict[str, Any]:
    """a = x (60), b = y (40, optional, y not required), s = x * 2 (weight 0)."""
    fields: dict[str, Any] = {
        "inputs": {
            "x": {"type": "number"},
            "y": {"type": "number", "required": False},
        },
        "indicators": [
            sc.indicator("a", "x", 60),
            sc.indicator("b", "y", 40, optional=True),
            sc.indicator("s", "x * 2", 0),
        ],
        "adjustments": [{"key": "k", "name": "加分", "when": when, "total": {"add": 5}}],
    }
    fields.update(changes)
    return sc.document(**fields)


def test_when_reading_a_missing_optional_input_is_false(sc: Any) -> None:
    result = sc.run(when_document(sc, "y < 1000"), {"x": 80})
    assert result["adjustments"] == []


def test_when_reading_a_missing_optional_input_is_false_even_negated(sc: Any) -> None:
    result = sc.run(when_document(sc, "not (y > 1000)"), {"x": 80})
    assert result["adjustments"] == []


def test_when_reading_a_present_optional_input_is_evaluated(sc: Any) -> None:
    result = sc.run(when_document(sc, "y < 1000"), {"x": 80, "y": 70})
    assert (result["adjustments"], result["total"]) == (["k"], 81.0)


def test_when_reading_a_left_out_indicator_is_false(sc: Any) -> None:
    result = sc.run(when_document(sc, "b < 1000"), {"x": 80})
    assert sc.row(result, "b")["status"] == "left_out"
    assert result["adjustments"] == []


def test_when_reading_a_skipped_indicator_is_false(sc: Any) -> None:
    result = sc.run(when_document(sc, "s > 0"), {"x": 80})
    assert sc.row(result, "s")["status"] == "skipped"
    assert result["adjustments"] == []


def test_when_reading_a_skipped_indicator_is_false_even_when_computed(sc: Any) -> None:
    # `a` reads the weight-0 indicator `s`, so s's value is computed; the `when` is still false
    doc = when_document(sc, "s > 0")
    doc["indicators"][0]["formula"] = "s / 2"
    result = sc.run(doc, {"x": 80})
    assert sc.row(result, "s")["value"] == 160.0
    assert result["adjustments"] == []


def test_when_reading_a_skipped_indicator_through_a_named_indicator_is_false(sc: Any) -> None:
    # SPEC §3.4: a `when` that reads (names in its formula, directly or through the indicators
    # it names) ... a `skipped` indicator is false. Here `when` names `a`, which reads the
    # skipped `s`.
    doc = when_document(sc, "a > 0")
    doc["indicators"][0]["formula"] = "s / 2"
    result = sc.run(doc, {"x": 80})
    assert (sc.row(result, "a")["status"], sc.row(result, "s")["status"]) == ("scored", "skipped")
    assert result["adjustments"] == []


def test_when_reading_an_indicator_through_a_fallback_for_a_missing_input_is_false(sc: Any) -> None:
    doc = when_document(sc, "b > 0")
    doc["indicators"][1]["fallback"] = 50
    result = sc.run(doc, {"x": 80})
    assert sc.row(result, "b")["status"] == "scored"
    assert result["adjustments"] == []


def test_when_reading_a_scored_indicator_is_evaluated(sc: Any) -> None:
    result = sc.run(when_document(sc, "a >= 80"), {"x": 80, "y": 60})
    assert result["adjustments"] == ["k"]


def test_when_that_fails_rejects_the_submission_naming_the_adjustment(sc: Any) -> None:
    problems = sc.rejection(when_document(sc, "x / (x - 80) > 1"), {"x": 80})
    assert [p.path for p in problems] == ["/inputs"]
    assert "k" in problems[0].message and "加分" in problems[0].message


def test_weights_adjustment_when_reading_missing_optional_input_is_false(sc: Any) -> None:
    doc = when_document(sc, "True")
    doc["adjustments"] = [
        {"key": "w", "name": "权重", "when": "y > 0", "weights": {"a": 100, "b": 0}}
    ]
    result = sc.run(doc, {"x": 80})
    assert result["adjustments"] == []
    assert sc.row(result, "b")["declared_weight"] == 40.0


# --- effective weights, skipped and left-out indicators (SPEC §4 steps 2-4) -----------------------


def test_weights_adjustment_gives_new_weights(sc: Any, mini: dict) -> None:
    inputs = sc.mini_inputs(hire_date="2025-06-01", integration={"superior": 70, "peer": 90})
    result = sc.run(mini, inputs, "2025-Q3")
    sales, team = sc.row(result, "sales_attainment"), sc.row(result, "team_integration")
    assert (sales["weight"], sales["declared_weight"], sales["contribution"]) == (40.0, 40.0, 48.0)
    assert sales["adjustments"] == ["new_hire"]
    assert (team["status"], team["weight"]) == ("scored", 10.0)
    # rated: (70×50 + 90×20) / (50 + 20)
    assert team["value"] == half_up((70.0 * 50 + 90.0 * 20) / 70)
    assert result["adjustments"] == ["new_hire"]


def test_skipped_indicator_row(sc: Any, mini: dict) -> None:
    row = sc.row(sc.run(mini, sc.mini_inputs()), "team_integration")
    assert row["status"] == "skipped"
    assert (row["weight"], row["contribution"], row["score"], row["value"]) == (
        0.0,
        0.0,
        None,
        None,
    )
    assert row["declared_weight"] == 0.0


def test_skipped_indicator_read_by_a_scored_one_reports_its_value(sc: Any) -> None:
    doc = sc.document(indicators=[sc.indicator("a", "s / 2", 100), sc.indicator("s", "x * 2", 0)])
    result = sc.run(doc, {"x": 40})
    row = sc.row(result, "s")
    assert (row["status"], row["value"], row["score"], row["weight"]) == (
        "skipped",
        80.0,
        None,
        0.0,
    )
    assert sc.row(result, "a")["value"] == 40.0


def spread_document(sc: Any) -> dict[str, Any]:
    return sc.document(
        inputs={
            "x": {"type": "number"},
            "y": {"type": "number", "required": False},
            "z": {"type": "number"},
        },
        indicators=[
            sc.indicator("a", "x", 50),
            sc.indicator("b", "y", 20, optional=True),
            sc.indicator("c", "z", 30),
        ],
    )


def test_left_out_indicator_spreads_its_weight(sc: Any) -> None:
    result = sc.run(spread_document(sc), {"x": 80, "z": 60})
    a, c = sc.row(result, "a"), sc.row(result, "c")
    # w × 100 / (100 - 20): 50 -> 62.5, 30 -> 37.5
    assert (a["weight"], c["weight"]) == (62.5, 37.5)
    assert (a["declared_weight"], c["declared_weight"]) == (50.0, 30.0)
    assert (a["contribution"], c["contribution"], result["total"]) == (50.0, 22.5, 72.5)


def test_left_out_indicator_row(sc: Any) -> None:
    row = sc.row(sc.run(spread_document(sc), {"x": 80, "z": 60}), "b")
    assert row["status"] == "left_out"
    assert (row["weight"], row["contribution"], row["score"], row["value"]) == (
        0.0,
        0.0,
        None,
        None,
    )
    assert row["declared_weight"] == 20.0


def test_present_optional_indicator_is_scored_without_spreading(sc: Any) -> None:
    result = sc.run(spread_document(sc), {"x": 80, "y": 70, "z": 60})
    assert [r["weight"] for r in result["indicators"]] == [50.0, 20.0, 30.0]
    assert result["total"] == 40.0 + 14.0 + 18.0


def test_spread_weight_is_w_times_100_over_the_rest(sc: Any) -> None:
    # SPEC §4.4: w becomes w × 100 / (100 - L), in that order. With L = 40, w = 25 and a score
    # of 0.3 the contribution is 0.3 × 41.666666666666664 / 100 = 0.12499999999999999 -> 0.12
    # (w × (100 / (100 - L)) = 41.66666666666667 would give 0.12500000000000003 -> 0.13).
    doc = sc.document(
        inputs={
            "x": {"type": "number"},
            "y": {"type": "number", "required": False},
            "z": {"type": "number"},
        },
        indicators=[
            sc.indicator("a", "x", 25),
            sc.indicator("b", "y", 40, optional=True),
            sc.indicator("c", "z", 35),
        ],
    )
    weight = 25 * 100 / (100 - 40)
    contribution = 0.3 * weight / 100
    assert repr(contribution) == "0.12499999999999999"
    result = sc.run(doc, {"x": 0.3, "z": 0})
    assert sc.row(result, "a")["contribution"] == half_up(contribution) == 0.12
    assert result["total"] == 0.12


def test_dimension_with_nothing_evaluated(sc: Any) -> None:
    doc = sc.document(
        dimensions=[{"key": "main", "name": "主维度"}, {"key": "extra", "name": "附加"}],
        indicators=[sc.indicator("a", "x", 100), sc.indicator("e", "x", 0, dimension="extra")],
    )
    dim = sc.dimension(sc.run(doc, {"x": 70}), "extra")
    assert (dim["weight"], dim["contribution"], dim["score"]) == (0.0, 0.0, None)


# --- fallback (SPEC §4 step 3) ------------------------------------------------------------------


def fallback_document(sc: Any, **indicator_fields: Any) -> dict[str, Any]:
    return sc.document(
        inputs={"x": {"type": "number"}, "y": {"type": "number", "required": False}},
        indicators=[
            sc.indicator(
                "a",
                "x / y * 100",
                100,
                name="回款率",
                scoring={"type": "linear", "points": [[0, 0], [100, 50]]},
                **indicator_fields,
            )
        ],
    )


def test_fallback_for_a_missing_input_is_scored_like_a_value(sc: Any) -> None:
    row = sc.row(sc.run(fallback_document(sc, fallback=60), {"x": 5}), "a")
    assert (row["status"], row["value"], row["score"], row["contribution"]) == (
        "scored",
        60.0,
        30.0,
        30.0,
    )


def test_fallback_for_division_by_zero_is_scored_like_a_value(sc: Any) -> None:
    row = sc.row(sc.run(fallback_document(sc, fallback=60), {"x": 5, "y": 0}), "a")
    assert (row["value"], row["score"]) == (60.0, 30.0)


def test_fallback_wins_over_leaving_an_optional_indicator_out(sc: Any) -> None:
    row = sc.row(sc.run(fallback_document(sc, fallback=60, optional=True), {"x": 5}), "a")
    assert (row["status"], row["value"]) == ("scored", 60.0)


def test_computation_failure_without_fallback_is_rejected_at_inputs(sc: Any) -> None:
    problems = sc.rejection(fallback_document(sc), {"x": 5, "y": 0})
    assert [p.path for p in problems] == ["/inputs"]
    assert "a" in problems[0].message and "回款率" in problems[0].message
    assert "zero" in problems[0].message or "零" in problems[0].message


def test_computation_failure_of_an_optional_indicator_is_rejected(sc: Any) -> None:
    problems = sc.rejection(fallback_document(sc, optional=True), {"x": 5, "y": 0})
    assert [p.path for p in problems] == ["/inputs"]


def test_non_numeric_result_is_a_failure(sc: Any) -> None:
    doc = sc.document(indicators=[sc.indicator("a", "(0 - x) ** 0.5", 100)])
    problems = sc.rejection(doc, {"x": 4})
    assert [p.path for p in problems] == ["/inputs"]


def test_missing_input_of_a_non_optional_indicator_is_rejected(sc: Any) -> None:
    problems = sc.rejection(fallback_document(sc), {"x": 5})
    assert problems and any("a" in p.message and "回款率" in p.message for p in problems)


# --- the submission (SPEC §3.1, §4 step 1) ------------------------------------------------------


def test_required_input_may_be_omitted_when_only_weight_0_indicators_read_it(
    sc: Any, mini: dict
) -> None:
    inputs = sc.mini_inputs()
    assert "integration" not in inputs
    result = sc.run(mini, inputs)
    assert result["total"] == 104.5


def test_required_input_read_by_a_weighted_indicator_is_rejected_at_its_path(
    sc: Any, mini: dict
) -> None:
    inputs = sc.mini_inputs(hire_date="2025-06-01")  # new hire: team_integration gets weight 10
    problems = sc.rejection(mini, inputs)
    assert [p.path for p in problems] == ["/inputs/integration"]


def test_required_input_read_by_a_when_cannot_be_omitted(sc: Any, mini: dict) -> None:
    problems = sc.rejection(mini, sc.mini_inputs(hire_date=None))
    assert [p.path for p in problems] == ["/inputs/hire_date"]


def test_required_input_read_through_a_weight_0_indicator_cannot_be_omitted(sc: Any) -> None:
    doc = sc.document(
        inputs={"x": {"type": "number"}, "y": {"type": "number"}},
        indicators=[sc.indicator("a", "s + x", 100), sc.indicator("s", "y", 0)],
    )
    problems = sc.rejection(doc, {"x": 1})
    assert [p.path for p in problems] == ["/inputs/y"]


def test_unknown_input_is_rejected_with_the_closest_name(sc: Any, mini: dict) -> None:
    inputs = sc.mini_inputs(actual_sale=5)
    problems = sc.rejection(mini, inputs)
    assert [p.path for p in problems] == ["/inputs/actual_sale"]
    assert "actual_sales" in problems[0].message


def test_every_input_problem_is_listed_at_once(sc: Any, mini: dict) -> None:
    inputs = sc.mini_inputs(
        actual_sale=5,  # unknown
        target_sales=None,  # required, missing
        satisfaction=101,  # above max 100
        share="0.15",  # not a number
        strategy={"peer": 80},  # rater kind not accepted for this input
    )
    problems = sc.rejection(mini, inputs)
    assert sorted(p.path for p in problems) == [
        "/inputs/actual_sale",
        "/inputs/satisfaction",
        "/inputs/share",
        "/inputs/strategy",
        "/inputs/target_sales",
    ]


@pytest.mark.parametrize(
    ("spec", "value"),
    [
        ({"type": "number"}, True),  # booleans are not numbers
        ({"type": "number"}, "12"),
        ({"type": "number", "min": 0}, -1),
        ({"type": "number", "max": 1}, 1.5),
        ({"type": "integer"}, 2.5),
        ({"type": "integer"}, 2.0),  # an integer has no fraction
        ({"type": "boolean"}, 1),
        ({"type": "string", "enum": ["east", "west"]}, "north"),
        ({"type": "string"}, "x" * 201),
        ({"type": "date"}, "2025-13-01"),
        ({"type": "date"}, "2025/01/01"),
        ({"type": "list"}, [1, "2"]),
        ({"type": "ratings"}, {"superior": 101}),
        ({"type": "ratings"}, {"superior": []}),
        ({"type": "ratings"}, {"boss": 80}),
        ({"type": "ratings"}, [80]),
    ],
)
def test_invalid_input_value_is_rejected_at_its_path(sc: Any, spec: dict, value: Any) -> None:
    formula = {
        "list": "sum(v)",
        "ratings": "rated(v)",
        "date": "months_between(v, period_end)",
        "string": "len(v)",
        "boolean": "1 if v else 0",
    }.get(spec["type"], "v")
    doc = sc.document(
        inputs={"v": spec},
        raters={"superior": 60, "peer": 40},
        indicators=[sc.indicator("a", formula, 100)],
    )
    problems = sc.rejection(doc, {"v": value})
    assert [p.path for p in problems] == ["/inputs/v"]


def test_null_input_counts_as_missing(sc: Any) -> None:
    problems = sc.rejection(sc.document(), {"x": None})
    assert [p.path for p in problems] == ["/inputs/x"]


def test_default_is_used_for_a_missing_input(sc: Any, mini: dict) -> None:
    # complaint_rate defaults to 0: the complaint_link deduction does not fire
    result = sc.run(mini, sc.mini_inputs())
    assert result["adjustments"] == []
    assert sc.row(result, "customer_satisfaction")["score"] == 90.0


def test_complaint_rate_above_5_percent_deducts_10_from_satisfaction(sc: Any, mini: dict) -> None:
    # seed 003: 客户满意度评分需与“客户投诉率”联动，若投诉率高……也需扣分
    result = sc.run(mini, sc.mini_inputs(complaint_rate=0.08))
    assert result["adjustments"] == ["complaint_link"]
    assert sc.row(result, "customer_satisfaction")["score"] == 80.0


@pytest.mark.parametrize("period", ["2025-07", "2025", "2025-H2"])
def test_period_of_the_wrong_kind_is_rejected_at_period(sc: Any, period: str) -> None:
    problems = sc.rejection(sc.document(), {"x": 50}, period=period)
    assert [p.path for p in problems] == ["/period"]


@pytest.mark.parametrize(
    "period", ["2025-Q5", "2025-Q0", " 2025-Q3", "2025-Q3\n", "25-Q3", "2025q3", ""]
)
def test_malformed_period_is_rejected_at_period(sc: Any, period: str) -> None:
    problems = sc.rejection(sc.document(), {"x": 50}, period=period)
    assert [p.path for p in problems] == ["/period"]


def test_period_and_input_problems_are_listed_together(sc: Any) -> None:
    # SPEC §5: every problem listed — a wrong period does not hide the bad inputs
    problems = sc.rejection(sc.document(), {"xx": 50}, period="2025-07")
    assert {"/period", "/inputs/xx"} <= {p.path for p in problems}


@pytest.mark.parametrize(
    ("kind", "period", "days"),
    [
        ("year", "2024", 365),  # 2024-01-01 .. 2024-12-31
        ("half", "2025-H1", 180),  # 2025-01-01 .. 2025-06-30
        ("half", "2025-H2", 183),  # 2025-07-01 .. 2025-12-31
        ("quarter", "2024-Q1", 90),  # 2024-01-01 .. 2024-03-31 (leap year)
        ("quarter", "2025-Q3", 91),  # 2025-07-01 .. 2025-09-30
        ("month", "2024-02", 28),  # 2024-02-01 .. 2024-02-29
        ("month", "2025-12", 30),
    ],
)
def test_period_start_and_end_are_the_first_and_last_day(
    sc: Any, kind: str, period: str, days: int
) -> None:
    doc = sc.document(
        period=kind,
        indicators=[sc.indicator("a", "x + days_between(period_start, period_end)", 100)],
    )
    assert sc.row(sc.run(doc, {"x": 0}, period=period), "a")["value"] == days


def test_computation_failure_names_indicator_key_and_name(sc: Any) -> None:
    doc = sc.document(
        inputs=two_inputs(),
        indicators=[sc.indicator("sales_attainment", "x / y * 100", 100, name="销售额达成率")],
    )
    [problem] = sc.rejection(doc, {"x": 1, "y": 0})
    assert problem.path == "/inputs"
    assert "sales_attainment" in problem.message and "销售额达成率" in problem.message


def test_empty_ratings_object_cannot_be_computed(sc: Any, mini: dict) -> None:
    [problem] = sc.rejection(mini, sc.mini_inputs(strategy={}))
    assert problem.path == "/inputs"
    assert "strategy_score" in problem.message and "战略规划能力" in problem.message


def test_rater_kind_not_submitted_takes_the_fallback(sc: Any) -> None:
    doc = sc.document(
        inputs={"r": {"type": "ratings"}},
        raters={"superior": 60, "peer": 40},
        indicators=[sc.indicator("a", "r['peer']", 100, fallback=75)],
    )
    assert sc.row(sc.run(doc, {"r": {"superior": 90}}), "a")["score"] == 75.0


def test_huge_value_is_reported(sc: Any) -> None:
    # a finite double is a valid number (SPEC §3.1); reporting is Decimal(repr(x)) half-up
    result = sc.run(sc.document(), {"x": 1e30})
    assert (sc.row(result, "a")["value"], result["total"]) == (1e30, 100.0)


def test_overflowing_score_is_a_result_or_a_rejection(sc: Any) -> None:
    # never an unexpected exception (SPEC §5: never a 5xx for what a client can send)
    doc = sc.document(
        indicators=[sc.indicator("a", "x", 100, scoring={"type": "formula", "formula": "value"})]
    )
    ruleset = compile_ruleset(doc)
    try:
        result = ruleset.evaluate({"x": 1e308}, "2025-Q3")
    except SubmissionRejected as exc:
        assert [p.path for p in exc.problems] == ["/inputs"]
    else:
        assert math.isfinite(result["total"])


# --- number reporting (SPEC §4) -----------------------------------------------------------------


def test_total_of_89_995_reports_90_and_rates_excellent(sc: Any) -> None:
    contribution = 89.995 * 100 / 100  # the default clamp keeps 89.995; weight 100
    assert repr(contribution) == "89.995"
    result = sc.run(sc.document(), {"x": 89.995})
    assert result["total"] == 90.0
    assert result["rating"] == {"key": "excellent", "label": "优秀"}
    assert result["bonus_multiplier"] == 1.5


def test_sum_of_contributions_of_89_995_reports_90_and_rates_excellent(sc: Any) -> None:
    doc = sc.document(
        inputs=two_inputs(),
        indicators=[sc.indicator("a", "x", 50), sc.indicator("b", "y", 50)],
    )
    total = 0.0
    for score in (80.0, 99.99):
        total += score * 50 / 100
    assert repr(total) == "89.995"
    result = sc.run(doc, {"x": 80, "y": 99.99})
    assert (result["total"], result["rating"]["key"]) == (90.0, "excellent")


def test_total_just_below_the_band_edge_rates_the_band_below(sc: Any) -> None:
    result = sc.run(sc.document(), {"x": 89.994})
    assert (result["total"], result["rating"]["key"]) == (89.99, "good")


@pytest.mark.parametrize(
    ("precision", "x", "reported"),
    [
        (2, 2.675, 2.68),  # the double is 2.67499999..., its repr is 2.675
        (2, 1.005, 1.01),
        (1, 0.25, 0.3),  # half-up, not half-even
        (1, 0.35, 0.4),
        (0, 0.5, 1.0),
        (0, 2.5, 3.0),
        (3, 12.3456, 12.346),
    ],
)
def test_reported_value_and_score_are_half_up(
    sc: Any, precision: int, x: float, reported: float
) -> None:
    row = sc.row(sc.run(sc.document(precision=precision), {"x": x}), "a")
    assert (row["value"], row["score"]) == (reported, reported)


def test_reported_numbers_are_unrounded_until_reported(sc: Any) -> None:
    # score 80.125 is reported 80.13, but the contribution is 80.125 × 50 / 100 = 40.0625 -> 40.06
    # (not 80.13 × 50% = 40.065 -> 40.07), and the total sums the unrounded contributions
    doc = sc.document(
        inputs=two_inputs(),
        indicators=[sc.indicator("a", "x", 50), sc.indicator("b", "y", 50)],
    )
    result = sc.run(doc, {"x": 80.125, "y": 0})
    row = sc.row(result, "a")
    assert (row["score"], row["contribution"], result["total"]) == (80.13, 40.06, 40.06)


def test_reported_weights_are_rounded(sc: Any) -> None:
    doc = sc.document(
        inputs={"x": {"type": "number"}, "y": {"type": "number", "required": False}},
        indicators=[
            sc.indicator("a", "x", 10),
            sc.indicator("b", "y", 70, optional=True),
            sc.indicator("c", "x", 20),
        ],
    )
    result = sc.run(doc, {"x": 50})
    assert [r["weight"] for r in result["indicators"]] == [33.33, 0.0, 66.67]


def test_dimension_weight_score_and_contribution(sc: Any, mini: dict) -> None:
    result = sc.run(mini, sc.mini_inputs())
    assert result["dimensions"] == [
        # results: 120 × 50% + 100 × 10% = 70 over weight 60 -> 70 × 100 / 60 = 116.67
        {
            "key": "results",
            "name": "业绩结果",
            "weight": 60.0,
            "score": 116.67,
            "contribution": 70.0,
        },
        {
            "key": "customer",
            "name": "客户运营",
            "weight": 25.0,
            "score": 90.0,
            "contribution": 22.5,
        },
        {"key": "ability", "name": "个人能力", "weight": 15.0, "score": 80.0, "contribution": 12.0},
    ]


def test_dimension_weights_are_those_after_spreading(sc: Any) -> None:
    doc = sc.document(
        inputs={"x": {"type": "number"}, "y": {"type": "number", "required": False}},
        dimensions=[{"key": "d1", "name": "一"}, {"key": "d2", "name": "二"}],
        indicators=[
            sc.indicator("a", "x", 30, dimension="d1"),
            sc.indicator("b", "y", 20, dimension="d1", optional=True),
            sc.indicator("c", "x", 50, dimension="d2"),
        ],
    )
    result = sc.run(doc, {"x": 80})
    assert [(d["weight"], d["score"], d["contribution"]) for d in result["dimensions"]] == [
        (37.5, 80.0, 30.0),
        (62.5, 80.0, 50.0),
    ]


def test_indicators_and_dimensions_are_reported_in_document_order(sc: Any) -> None:
    doc = sc.document(
        dimensions=[{"key": "zeta", "name": "Z"}, {"key": "alpha", "name": "A"}],
        indicators=[
            sc.indicator("late", "early * 2", 40, dimension="alpha"),  # read after `early`
            sc.indicator("middle", "x", 30, dimension="zeta"),
            sc.indicator("early", "x / 2", 30, dimension="alpha"),
        ],
    )
    result = sc.run(doc, {"x": 40})
    assert [r["key"] for r in result["indicators"]] == ["late", "middle", "early"]
    assert [d["key"] for d in result["dimensions"]] == ["zeta", "alpha"]


def test_mini_example_result(sc: Any, mini: dict) -> None:
    result = sc.run(mini, sc.mini_inputs(), employee_id="E-001")
    assert (result["role"], result["period"], result["employee_id"]) == (
        "regional_sales_manager",
        "2025-Q3",
        "E-001",
    )
    assert (result["total"], result["rating"]["key"], result["bonus_multiplier"]) == (
        104.5,
        "excellent",
        1.5,
    )
    assert [(r["key"], r["status"], r["score"]) for r in result["indicators"]] == [
        ("sales_attainment", "scored", 120.0),
        ("market_share_growth", "scored", 100.0),
        ("customer_satisfaction", "scored", 90.0),
        ("strategy_score", "scored", 80.0),
        ("team_integration", "skipped", None),
    ]


# --- explanation lines --------------------------------------------------------------------------


def sales_document(sc: Any, **changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "inputs": {
            "actual_sales": {"type": "number", "min": 0},
            "target_sales": {"type": "number", "min": 0},
            "satisfaction": {"type": "number"},
        },
        "indicators": [
            sc.indicator(
                "sales_attainment",
                "actual_sales / target_sales * 100",
                25,
                name="销售额达成率",
                scoring={"type": "linear", "points": [[0, 0], [120, 120]]},
            ),
            sc.indicator("satisfaction_score", "satisfaction", 75, name="客户满意度评分"),
        ],
    }
    fields.update(changes)
    return sc.document(**fields)


SALES_INPUTS = {"actual_sales": 1_200_000, "target_sales": 1_000_000, "satisfaction": 80}


def test_explanation_line_of_an_indicator(sc: Any) -> None:
    result = sc.run(sales_document(sc), SALES_INPUTS)
    line = "销售额达成率 = 1,200,000 / 1,000,000 × 100 = 120.00 → 得分 120.00 × 25% = 30.00"
    assert line in result["explanation"]


def test_explanation_has_the_total_and_the_rating(sc: Any) -> None:
    lines = sc.run(sales_document(sc), SALES_INPUTS)["explanation"]
    assert any(line.startswith("总分") and "90.00" in line for line in lines)
    assert any("优秀" in line and "1.5" in line for line in lines)


def test_explanation_names_the_adjustments_that_fired(sc: Any) -> None:
    adjustment = {"key": "k", "name": "投诉率联动扣分", "total": {"deduct": 10}}
    lines = sc.run(sales_document(sc, adjustments=[adjustment]), SALES_INPUTS)["explanation"]
    assert any("投诉率联动扣分" in line and "80.00" in line for line in lines)


def test_explanation_in_english(sc: Any) -> None:
    doc = sales_document(
        sc,
        language="en",
        name="Regional sales manager",
        dimensions=[{"key": "main", "name": "Results"}],
        rating=[
            {"key": "excellent", "label": "Excellent", "min": 90, "bonus_multiplier": 1.5},
            {"key": "fail", "label": "Fail", "min": 0, "bonus_multiplier": 0.5},
        ],
    )
    doc["indicators"][0]["name"] = "Sales attainment"
    doc["indicators"][1]["name"] = "Customer satisfaction"
    lines = sc.run(doc, SALES_INPUTS)["explanation"]
    line = "Sales attainment = 1,200,000 / 1,000,000 × 100 = 120.00 → score 120.00 × 25% = 30.00"
    assert line in lines
    assert not [line for line in lines if re.search(r"[\u3000-\u9fff\uff00-\uffef]", line)]


def test_english_explanation_of_left_out_and_spread_weight(sc: Any) -> None:
    doc = spread_document(sc)
    doc["language"] = "en"
    for indicator, name in zip(doc["indicators"], ("Sales", "Growth", "Profit")):
        indicator["name"] = name
    lines = sc.run(doc, {"x": 80, "z": 60})["explanation"]
    chinese = [line for line in lines if re.search(r"[\u4e00-\u9fff]", line)]
    assert [line for line in chinese if "优秀" not in line and "合格" not in line] == []
    assert any("Growth" in line for line in lines)


def test_chinese_explanation_of_a_fallback_is_in_chinese(sc: Any) -> None:
    # SPEC §4: explanation lines are in the ruleset's language; the cause must not be English
    lines = sc.run(fallback_document(sc, fallback=60), {"x": 5, "y": 0})["explanation"]
    [line] = [line for line in lines if line.startswith("回款率")]
    assert not re.search(r"[A-Za-z]{3,}", line), line


def test_no_explanation_when_not_asked(sc: Any) -> None:
    assert sc.run(sales_document(sc), SALES_INPUTS, explain=False)["explanation"] == []


def test_explanation_does_not_change_the_numbers(sc: Any) -> None:
    ruleset = compile_ruleset(sales_document(sc))
    with_lines = ruleset.evaluate(SALES_INPUTS, "2025-Q3")
    without = ruleset.evaluate(SALES_INPUTS, "2025-Q3", explain=False)
    assert {k: v for k, v in with_lines.items() if k != "explanation"} == {
        k: v for k, v in without.items() if k != "explanation"
    }


# --- streaks (SPEC §4 step 7) -------------------------------------------------------------------

STREAKS = [
    {"key": "raise_eligible", "label": "连续2季度优秀", "rating": "excellent", "count": 2},
    {"key": "promotion", "label": "连续3季度优秀", "rating": "excellent", "count": 3},
    {"key": "pip", "label": "连续2季度不合格", "rating": "fail", "count": 2},
]


def outcomes(
    sc: Any, x: float, period: str, history: dict[str, str], kind: str = "quarter"
) -> list[str]:
    doc = sc.document(period=kind, streaks=STREAKS)
    result = sc.run(doc, {"x": x}, period=period, history=history)
    return [o["key"] for o in result["outcomes"]]


def test_streak_outcome_when_this_and_the_previous_period_have_the_rating(sc: Any) -> None:
    assert outcomes(sc, 95, "2025-Q3", {"2025-Q2": "excellent"}) == ["raise_eligible"]


def test_streak_outcomes_carry_their_labels(sc: Any) -> None:
    doc = sc.document(streaks=STREAKS)
    result = sc.run(doc, {"x": 95}, history={"2025-Q2": "excellent"})
    assert result["outcomes"] == [{"key": "raise_eligible", "label": "连续2季度优秀"}]


def test_three_period_streak(sc: Any) -> None:
    history = {"2025-Q2": "excellent", "2025-Q1": "excellent"}
    assert outcomes(sc, 95, "2025-Q3", history) == ["raise_eligible", "promotion"]


def test_no_streak_when_a_period_is_missing(sc: Any) -> None:
    assert outcomes(sc, 95, "2025-Q3", {"2025-Q1": "excellent"}) == []


def test_no_streak_when_a_period_has_another_rating(sc: Any) -> None:
    history = {"2025-Q2": "good", "2025-Q1": "excellent"}
    assert outcomes(sc, 95, "2025-Q3", history) == []


def test_no_three_period_streak_with_a_gap(sc: Any) -> None:
    history = {"2025-Q2": "excellent", "2025-Q1": "good", "2024-Q4": "excellent"}
    assert outcomes(sc, 95, "2025-Q3", history) == ["raise_eligible"]


def test_no_streak_when_this_period_has_another_rating(sc: Any) -> None:
    assert outcomes(sc, 85, "2025-Q3", {"2025-Q2": "excellent"}) == []


def test_streak_across_a_year_boundary(sc: Any) -> None:
    assert outcomes(sc, 95, "2025-Q1", {"2024-Q4": "excellent"}) == ["raise_eligible"]


def test_three_period_streak_across_a_year_boundary(sc: Any) -> None:
    history = {"2024-Q4": "excellent", "2024-Q3": "excellent"}
    assert outcomes(sc, 95, "2025-Q1", history) == ["raise_eligible", "promotion"]


def test_monthly_streak_across_a_year_boundary(sc: Any) -> None:
    assert outcomes(sc, 95, "2025-01", {"2024-12": "excellent"}, kind="month") == ["raise_eligible"]


def test_half_year_streak_across_a_year_boundary(sc: Any) -> None:
    assert outcomes(sc, 50, "2025-H1", {"2024-H2": "fail"}, kind="half") == ["pip"]


def test_streak_uses_the_rating_after_rating_adjustments(sc: Any) -> None:
    veto = {"key": "veto", "name": "一票否决", "when": "x > 98", "rating": {"set": "fail"}}
    doc = sc.document(streaks=STREAKS, adjustments=[veto])
    result = sc.run(doc, {"x": 99}, history={"2025-Q2": "fail"})
    assert [o["key"] for o in result["outcomes"]] == ["pip"]


def test_streak_of_count_1_needs_no_history(sc: Any) -> None:
    doc = sc.document(
        streaks=[{"key": "star", "label": "本季优秀", "rating": "excellent", "count": 1}]
    )
    assert [o["key"] for o in sc.run(doc, {"x": 95})["outcomes"]] == ["star"]


# --- the result is plain data -------------------------------------------------------------------


def test_evaluation_does_not_mutate_the_inputs(sc: Any, mini: dict) -> None:
    inputs = sc.mini_inputs()
    before = sc.mini_inputs()
    sc.run(mini, inputs)
    assert inputs == before


def test_rejection_is_a_submission_rejected_with_problems(sc: Any) -> None:
    ruleset = compile_ruleset(sc.document())
    with pytest.raises(SubmissionRejected) as caught:
        ruleset.evaluate({}, "2025-Q3")
    assert [p.path for p in caught.value.problems] == ["/inputs/x"]

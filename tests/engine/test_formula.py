"""Formulas (SPEC §3.2): operators, the function list and what `check` reports."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from server.engine.formula import Formula, FormulaError, Scope, check, runtime
from server.engine.functions import make_rated

RATERS = {"superior": 50.0, "peer": 20.0, "customer": 20.0, "self": 10.0}
RATED = make_rated(RATERS)


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, date):
        return "date"
    if isinstance(value, dict):
        return "ratings"
    if isinstance(value, list):
        return "list"
    raise TypeError(value)


def scope_for(names: dict[str, Any]) -> Scope:
    """A scope declaring each name with the type of its sample value."""
    types = {name: _type_of(value) for name, value in names.items()}
    kinds = {name: tuple(RATERS) for name, kind in types.items() if kind == "ratings"}
    return Scope(types, kinds)


def compute(text: str, **names: Any) -> Any:
    """Check `text` against the names given and run the compiled formula on them."""
    formula: Formula = check(text, scope_for(names))
    return formula.bind(runtime(RATED))(names)


def problems(text: str, **names: Any) -> str:
    """The messages of the FormulaError that checking `text` raises, joined."""
    with pytest.raises(FormulaError) as caught:
        check(text, scope_for(names))
    return " | ".join(str(m) for m in caught.value.messages)


# --- the seeds' worked numbers ------------------------------------------------------------------


def test_growth_rate_of_seed_000_is_20_percent() -> None:
    # seed 000: 上个季度 100万, 这个季度 120万 -> (120 - 100)/100×100% = 20%
    assert compute("(this_q - last_q) / last_q * 100", this_q=1_200_000, last_q=1_000_000) == 20.0


def test_profit_of_seed_000_is_sales_minus_cost() -> None:
    # seed 000: 售价100元, 卖出100件 -> 销售额10000元, 成本5000元 -> 利润5000元
    assert compute("price * quantity - cost", price=100, quantity=100, cost=5000) == 5000.0


# --- operators ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7 // 2", 3.0),
        ("7 % 4", 3.0),
        ("2 ** 10", 1024.0),
        ("-x", -5.0),
        ("+x", 5.0),
        ("10 - 4 - 3", 3.0),
        ("2 ** 3 ** 2", 512.0),
        ("-2 ** 2", -4.0),
        ("(1 + 2) * 3", 9.0),
        ("1 + 2 * 3", 7.0),
        ("x / 2", 2.5),
    ],
)
def test_arithmetic_operators(text: str, expected: float) -> None:
    assert compute(text, x=5) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 < x <= 5", True),
        ("1 < x < 5", False),
        ("x == 5 != 6", True),
        ("x > 3 and x < 4", False),
        ("x > 3 or x < 4", True),
        ("not x > 3", False),
        ("x >= 5", True),
        ("s == 'east'", True),
        ("s != 'east'", False),
    ],
)
def test_comparisons_and_logic(text: str, expected: bool) -> None:
    assert compute(text, x=5, s="east") is expected


def test_conditional_expression_picks_a_branch() -> None:
    assert compute("100 if x > 3 else 0", x=5) == 100.0
    assert compute("100 if x > 3 else 0", x=2) == 0.0


def test_boolean_input_counts_as_number_in_arithmetic() -> None:
    assert compute("flag * 10 + 1", flag=True) == 11.0


def test_integer_literals_compute_as_doubles() -> None:
    # SPEC §4: arithmetic is IEEE-754 doubles, so 7 / 2 is 3.5 and 10**20 + 1 rounds
    assert compute("7 / 2") == 3.5
    assert compute("10 ** 20 + 1 == 10 ** 20") is True


# --- functions (SPEC §3.2: the whole list) ------------------------------------------------------


@pytest.mark.parametrize(
    ("d1", "d2", "months"),
    [
        (date(2025, 1, 15), date(2025, 7, 15), 6),
        (date(2025, 1, 15), date(2025, 7, 14), 5),  # d2's day < d1's day: one less
        (date(2025, 1, 31), date(2025, 2, 28), 0),
        (date(2024, 11, 30), date(2025, 5, 31), 6),
        (date(2024, 12, 31), date(2025, 1, 1), 0),
        (date(2025, 3, 10), date(2025, 3, 10), 0),
        (date(2025, 7, 15), date(2025, 1, 15), -6),
        # d2 < d1: -months_between(d2, d1) = -5, not (2025-2025)·12 + (1-7) = -6
        (date(2025, 7, 14), date(2025, 1, 15), -5),
    ],
)
def test_months_between(d1: date, d2: date, months: int) -> None:
    assert compute("months_between(d1, d2)", d1=d1, d2=d2) == months


def test_months_between_new_hire_rule_of_seed_003() -> None:
    # 入职未满6个月: hired 2025-04-02, quarter Q3 ends 2025-09-30 -> 5 whole months
    assert compute("months_between(hire, end) < 6", hire=date(2025, 4, 2), end=date(2025, 9, 30))


@pytest.mark.parametrize(
    ("d1", "d2", "days"),
    [
        (date(2025, 1, 1), date(2025, 3, 1), 59),
        (date(2024, 1, 1), date(2024, 3, 1), 60),  # leap year
        (date(2025, 3, 1), date(2025, 1, 1), -59),
        (date(2025, 3, 1), date(2025, 3, 1), 0),
    ],
)
def test_days_between(d1: date, d2: date, days: int) -> None:
    assert compute("days_between(d1, d2)", d1=d1, d2=d2) == days


def test_rated_weights_the_kinds_present() -> None:
    r = {"superior": [80.0], "peer": [60.0, 70.0]}
    # (80×50 + 65×20) / (50 + 20): customer and self are absent, their weights are not used
    assert compute("rated(r)", r=r) == (80.0 * 50 + 65.0 * 20) / (50 + 20)


def test_rated_of_a_single_kind_is_its_mean() -> None:
    assert compute("rated(r)", r={"self": [90.0, 95.0, 100.0]}) == 95.0


def test_rated_sums_in_raters_order_not_submission_order() -> None:
    # submitted self-first; SPEC §3.2 sums in `raters` order: superior, peer, customer, self
    r = {
        "self": [62.0, 62.0, 63.0],
        "customer": [76.0, 77.0, 76.0],
        "peer": [38.0],
        "superior": [46.0],
    }
    means = {kind: sum(v) / len(v) for kind, v in r.items()}
    total = 0.0
    for kind, weight in RATERS.items():
        total += means[kind] * weight
    expected = total / sum(RATERS.values())
    assert expected == 52.099999999999994  # the other order gives 52.1
    assert compute("rated(r)", r=r) == expected


def test_rated_of_no_rating_cannot_be_computed() -> None:
    with pytest.raises(ArithmeticError):
        compute("rated(r)", r={})


def test_rater_kind_subscript_is_that_kinds_mean() -> None:
    assert compute("r['peer']", r={"peer": [60.0, 70.0, 80.0], "superior": [10.0]}) == 70.0


def test_rater_kind_not_submitted_cannot_be_computed() -> None:
    with pytest.raises(ArithmeticError):
        compute("r['customer']", r={"peer": [60.0]})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("div(6, 3, -1)", 2.0),
        ("div(6, 0, -1)", -1.0),
        ("div(0, 0, 42)", 42.0),
    ],
)
def test_div_takes_the_default_on_zero_divisor(text: str, expected: float) -> None:
    assert compute(text) == expected


@pytest.mark.parametrize(
    ("x", "expected"), [(150, 100.0), (-5, 0.0), (50, 50.0), (0, 0.0), (100, 100.0)]
)
def test_clamp(x: float, expected: float) -> None:
    assert compute("clamp(x, 0, 100)", x=x) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("round(2.675, 2)", 2.68),  # Python's round gives 2.67 (the double is below 2.675)
        ("round(1.005, 2)", 1.01),
        ("round(0.125, 2)", 0.13),  # banker's rounding would give 0.12
        ("round(2.5)", 3.0),
        ("round(3.5)", 4.0),
        ("round(1234.5678, 1)", 1234.6),
        ("round(89.995, 2)", 90.0),
        ("round(1e30, 2)", 1e30),  # large numbers round too (no decimal context overflow)
    ],
)
def test_round_is_half_up_of_the_decimal_repr(text: str, expected: float) -> None:
    assert compute(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mean(xs)", 2.5),
        ("mean(1, 2, 4)", 7 / 3),
        ("mean(x)", 5.0),
        ("min(xs)", 1.0),
        ("max(xs)", 4.0),
        ("min(3, x, 7)", 3.0),
        ("max(3, x, 7)", 7.0),
        ("sum(xs)", 10.0),
        ("len(xs)", 4.0),
        ("len(s)", 4.0),
        ("abs(-x)", 5.0),
        ("abs(x - 7)", 2.0),
    ],
)
def test_list_and_number_functions(text: str, expected: float) -> None:
    assert compute(text, xs=[1.0, 2.0, 3.0, 4.0], x=5, s="east") == expected


def test_mean_of_an_empty_list_cannot_be_computed() -> None:
    with pytest.raises(ArithmeticError):
        compute("mean(xs)", xs=[])


def test_division_by_zero_raises_for_the_caller_to_handle() -> None:
    with pytest.raises(ZeroDivisionError):
        compute("x / y", x=1, y=0)


# --- what check() reports -----------------------------------------------------------------------


def test_check_reports_the_names_a_formula_reads() -> None:
    formula = check(
        "a / b * 100 + rated(r) + r['peer']", scope_for({"a": 1, "b": 1, "c": 1, "r": {}})
    )
    assert formula.names == frozenset({"a", "b", "r"})


def test_syntax_error_is_reported() -> None:
    assert "syntax" in problems("x +", x=1)


def test_unknown_name_suggests_the_closest() -> None:
    message = problems("actual_sale / target_sales", actual_sales=1, target_sales=1)
    assert "actual_sale" in message and "actual_sales" in message


def test_unknown_function_suggests_the_closest() -> None:
    message = problems("maxx(x, 1)", x=1)
    assert "maxx" in message and "max()" in message


def test_every_problem_of_a_formula_is_listed() -> None:
    with pytest.raises(FormulaError) as caught:
        check("foo + bar(1) + baz", scope_for({"x": 1}))
    text = " ".join(str(m) for m in caught.value.messages)
    assert "foo" in text and "bar" in text and "baz" in text
    assert len(caught.value.messages) == 3


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("d + 1", {"d": date(2025, 1, 1)}),
        ("clamp(x, 1)", {"x": 1}),
        ("div(x, 2)", {"x": 1}),
        ("rated(x)", {"x": 1}),
        ("months_between(x, d)", {"x": 1, "d": date(2025, 1, 1)}),
        ("s * 2", {"s": "east"}),
        ("s + 'x'", {"s": "east"}),
        ("r < r", {"r": {"peer": [1.0]}}),
        ("r['boss']", {"r": {"peer": [1.0]}}),
        ("x['peer']", {"x": 1}),
        ("r[k]", {"r": {"peer": [1.0]}, "k": "peer"}),
        ("max", {"x": 1}),
    ],
)
def test_ill_typed_formulas_are_rejected(text: str, names: dict[str, Any]) -> None:
    with pytest.raises(FormulaError):
        check(text, scope_for(names))


def test_a_1000_character_formula_is_allowed() -> None:
    text = "x + 0." + "0" * 993 + "1"
    assert len(text) == 1000
    assert compute(text, x=1) == 1.0


def test_a_1001_character_formula_is_rejected() -> None:
    text = "x + 0." + "0" * 994 + "1"
    assert len(text) == 1001
    assert "1000" in problems(text, x=1)


def test_string_literal_over_200_characters_is_rejected() -> None:
    assert "200" in problems("s == '" + "a" * 201 + "'", s="a")


def test_string_literal_of_200_characters_is_allowed() -> None:
    assert compute("s == '" + "a" * 200 + "'", s="a" * 200) is True

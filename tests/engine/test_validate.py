"""validate_document (SPEC §3.5, §3.6): every problem at once, each at its JSON-pointer path
with a message naming what is wrong and what to change."""

from __future__ import annotations

import re
from typing import Any

import pytest

from server.engine import ValidationReport, compile_ruleset, validate_document


def paths(problems: list[Any]) -> list[str]:
    return [p.path for p in problems]


COVERAGE = re.compile(r"/(rating|adjustments)/\d+")


def not_coverage(problems: list[Any]) -> list[Any]:
    """The warnings other than SPEC §12's example coverage (a band or adjustment no example
    reaches, at /rating/N or /adjustments/N)."""
    return [p for p in problems if not COVERAGE.fullmatch(p.path)]


def messages_at(problems: list[Any], path: str) -> str:
    """Every message at `path`, joined; fails when there is none."""
    found = [p.message for p in problems if p.path == path]
    assert found, f"no problem at {path}; got {[(p.path, p.message) for p in problems]}"
    return " | ".join(str(m) for m in found)


def three_indicators(sc: Any, weights: tuple[float, float, float] = (40, 30, 30)) -> list[dict]:
    return [
        sc.indicator("a", "x", weights[0], name="销售额达成率"),
        sc.indicator("b", "x * 2", weights[1], name="利润贡献度"),
        sc.indicator("c", "x + 1", weights[2], name="回款率"),
    ]


def weights_adjustment(key: str, weights: dict[str, float], when: str = "x > 1") -> dict:
    return {"key": key, "name": f"调整{key}", "when": when, "weights": weights}


# --- a valid document ---------------------------------------------------------------------------


def test_minimal_document_is_valid(sc: Any) -> None:
    report = validate_document(sc.document())
    assert (report.valid, report.errors, not_coverage(report.warnings)) == (True, [], [])


def test_mini_fixture_is_valid_and_its_example_reproduces(mini: dict) -> None:
    report = validate_document(mini)
    assert report.valid, report.errors


def test_validation_does_not_change_the_document(sc: Any) -> None:
    doc = sc.document()
    before = sc.document()
    validate_document(doc)
    assert doc == before


def test_a_non_object_document_is_one_error() -> None:
    report = validate_document(["not", "a", "mapping"])
    assert not report.valid and paths(report.errors) == [""]


# --- schema errors ------------------------------------------------------------------------------


def test_schema_errors_are_reported_all_at_once_with_paths(sc: Any) -> None:
    first = sc.indicator("sales", "x", 40, weigth=5)  # unknown field
    second = sc.indicator("profit", "x", 30)
    del second["dimension"]  # missing required field
    third = sc.indicator("collection", "x", "30")  # wrong type
    report = validate_document(sc.document(indicators=[first, second, third]))
    assert {
        "/indicators/0/weigth",
        "/indicators/1/dimension",
        "/indicators/2/weight",
    } <= set(paths(report.errors))


def test_unknown_field_suggests_the_closest(sc: Any) -> None:
    report = validate_document(sc.document(indicators=[sc.indicator(weigth=5)]))
    message = messages_at(report.errors, "/indicators/0/weigth")
    assert "weigth" in message and "weight" in message.replace("weigth", "")


def test_unknown_top_level_field_suggests_the_closest(sc: Any) -> None:
    report = validate_document(sc.document(adjustmnts=[]))
    assert "adjustments" in messages_at(report.errors, "/adjustmnts")


def test_missing_top_level_field_is_reported_at_its_path(sc: Any) -> None:
    report = validate_document(sc.document(period=None))
    assert "period" in messages_at(report.errors, "/period")


def test_wrong_type_is_reported_at_its_path(sc: Any) -> None:
    report = validate_document(sc.document(precision="2"))
    assert "/precision" in paths(report.errors)


@pytest.mark.parametrize(
    ("edit", "path"),
    [
        (lambda ind: ind.update(weigth=5), "/indicators/0/weigth"),
        (lambda ind: ind.pop("dimension"), "/indicators/0/dimension"),
        (lambda ind: ind.update(weight="40"), "/indicators/0/weight"),
        (lambda ind: ind.update(optional="yes"), "/indicators/0/optional"),
    ],
    ids=["unknown-field", "missing-field", "wrong-type", "wrong-type-boolean"],
)
def test_schema_error_message_names_the_indicator(sc: Any, edit: Any, path: str) -> None:
    # SPEC §3.6: the message names the indicator (HR sees `sales_attainment`, not an index)
    indicator = sc.indicator("sales_attainment", "x", 100, name="销售额达成率")
    edit(indicator)
    report = validate_document(sc.document(indicators=[indicator]))
    assert "sales_attainment" in messages_at(report.errors, path)


# --- formulas -----------------------------------------------------------------------------------


def test_formula_syntax_error_is_reported_at_the_formula(sc: Any) -> None:
    doc = sc.document(indicators=[sc.indicator("a", "x +", 100, name="销售额达成率")])
    message = messages_at(validate_document(doc).errors, "/indicators/0/formula")
    assert "syntax" in message and "销售额达成率" in message and "a" in message


def test_unknown_name_suggests_the_closest_input(sc: Any) -> None:
    doc = sc.document(
        inputs={"actual_sales": {"type": "number"}},
        indicators=[sc.indicator("a", "actual_sale * 2", 100)],
    )
    message = messages_at(validate_document(doc).errors, "/indicators/0/formula")
    assert "'actual_sale'" in message and "'actual_sales'" in message


def test_unknown_function_is_reported_with_suggestion(sc: Any) -> None:
    doc = sc.document(indicators=[sc.indicator("a", "maen(x, 1)", 100)])
    message = messages_at(validate_document(doc).errors, "/indicators/0/formula")
    assert "maen" in message and "mean" in message.replace("maen", "")


def test_scoring_formula_errors_are_reported_at_the_scoring_formula(sc: Any) -> None:
    scoring = {"type": "formula", "formula": "min(valu, 120)"}
    doc = sc.document(indicators=[sc.indicator("a", "x", 100, scoring=scoring)])
    message = messages_at(validate_document(doc).errors, "/indicators/0/scoring/formula")
    assert "valu" in message and "value" in message.replace("valu,", "")


def test_value_is_not_a_name_outside_scoring(sc: Any) -> None:
    doc = sc.document(indicators=[sc.indicator("a", "value * 2", 100)])
    assert "/indicators/0/formula" in paths(validate_document(doc).errors)


def test_cycle_is_reported_naming_the_indicators(sc: Any) -> None:
    doc = sc.document(
        indicators=[
            sc.indicator("a", "b + x", 50),
            sc.indicator("b", "c", 25),
            sc.indicator("c", "a", 25),
        ]
    )
    report = validate_document(doc)
    assert not report.valid
    cycle_messages = [p.message for p in report.errors if "cycle" in p.message]
    assert cycle_messages, report.errors
    assert all(p.path.startswith("/indicators/") for p in report.errors)
    assert all(k in cycle_messages[0] for k in ("a", "b", "c"))


def test_indicator_reading_another_indicator_is_valid(sc: Any) -> None:
    doc = sc.document(indicators=[sc.indicator("a", "b * 2", 50), sc.indicator("b", "x", 50)])
    assert validate_document(doc).valid


def test_weights_adjustment_when_reading_an_indicator_is_an_error(sc: Any) -> None:
    adjustment = weights_adjustment("j1", {"a": 30, "b": 40}, when="a > 50")
    doc = sc.document(indicators=three_indicators(sc), adjustments=[adjustment])
    message = messages_at(validate_document(doc).errors, "/adjustments/0/when")
    assert "j1" in message and "'a'" in message


def test_weights_adjustment_when_reading_an_indicator_says_why(sc: Any) -> None:
    # SPEC §3.6 "says what to change": `a` is an indicator, which a weights `when` cannot read
    adjustment = weights_adjustment("j1", {"a": 30, "b": 40}, when="a > 50")
    doc = sc.document(indicators=three_indicators(sc), adjustments=[adjustment])
    message = messages_at(validate_document(doc).errors, "/adjustments/0/when")
    assert "indicator" in message


def test_scores_adjustment_when_may_read_an_indicator(sc: Any) -> None:
    adjustment = {"key": "k", "name": "联动", "when": "a > 50", "scores": {"b": {"deduct": 5}}}
    doc = sc.document(indicators=three_indicators(sc), adjustments=[adjustment])
    assert validate_document(doc).valid


def test_when_formula_errors_are_reported_at_the_when(sc: Any) -> None:
    adjustment = {"key": "k", "name": "联动", "when": "x >", "total": {"add": 1}}
    doc = sc.document(adjustments=[adjustment])
    assert "k" in messages_at(validate_document(doc).errors, "/adjustments/0/when")


# --- weights ------------------------------------------------------------------------------------


def test_base_weights_not_summing_to_100(sc: Any) -> None:
    doc = sc.document(indicators=three_indicators(sc, (40, 30, 20)))
    message = messages_at(validate_document(doc).errors, "/indicators")
    assert "90" in message and "100" in message


def test_base_weights_summing_to_100_with_fractions(sc: Any) -> None:
    doc = sc.document(indicators=three_indicators(sc, (33.3, 33.3, 33.4)))
    assert validate_document(doc).valid


def test_weight_adjustment_not_summing_to_100(sc: Any) -> None:
    doc = sc.document(
        indicators=three_indicators(sc),
        adjustments=[weights_adjustment("j1", {"a": 30})],
    )
    message = messages_at(validate_document(doc).errors, "/adjustments/0/weights")
    assert "j1" in message and "90" in message


def test_pair_of_weight_adjustments_not_summing_to_100(sc: Any) -> None:
    # each alone keeps 100 (a 30 b 40 c 30; a 20 b 30 c 50); both: 20 + 40 + 50 = 110
    adjustments = [
        weights_adjustment("j1", {"a": 30, "b": 40}),
        weights_adjustment("j2", {"a": 20, "c": 50}),
    ]
    doc = sc.document(indicators=three_indicators(sc), adjustments=adjustments)
    report = validate_document(doc)
    assert paths(report.errors) == ["/adjustments/1/weights"]
    message = report.errors[0].message
    assert "j1" in message and "j2" in message and "110" in message


def test_disjoint_weight_adjustments_are_valid(sc: Any) -> None:
    inds = [sc.indicator(k, "x", 25) for k in "abcd"]
    adjustments = [
        weights_adjustment("j1", {"a": 15, "b": 35}),
        weights_adjustment("j2", {"c": 20, "d": 30}),
    ]
    assert validate_document(sc.document(indicators=inds, adjustments=adjustments)).valid


def test_weight_adjustment_naming_unknown_indicator(sc: Any) -> None:
    doc = sc.document(adjustments=[weights_adjustment("j1", {"zz": 0, "a": 100})])
    assert "zz" in messages_at(validate_document(doc).errors, "/adjustments/0/weights/zz")


def test_dimension_range_violated_by_base_weights_is_an_error(sc: Any) -> None:
    doc = sc.document(
        dimensions=[
            {"key": "results", "name": "业绩结果", "weight_range": [40, 50]},
            {"key": "team", "name": "团队管理"},
        ],
        indicators=[
            sc.indicator("a", "x", 60, dimension="results"),
            sc.indicator("b", "x", 40, dimension="team"),
        ],
    )
    report = validate_document(doc)
    message = messages_at(report.errors, "/dimensions/0/weight_range")
    assert "results" in message and "60" in message


def test_dimension_range_left_by_an_adjustment_subset_is_a_warning(sc: Any) -> None:
    doc = sc.document(
        dimensions=[
            {"key": "results", "name": "业绩结果", "weight_range": [40, 50]},
            {"key": "team", "name": "团队管理"},
        ],
        indicators=[
            sc.indicator("a", "x", 50, dimension="results"),
            sc.indicator("b", "x", 50, dimension="team"),
        ],
        adjustments=[weights_adjustment("j1", {"a": 30, "b": 70})],
    )
    report = validate_document(doc)
    assert report.valid
    message = messages_at(report.warnings, "/adjustments/0/weights")
    assert "results" in message and "30" in message


def test_unknown_dimension_of_an_indicator(sc: Any) -> None:
    doc = sc.document(indicators=[sc.indicator("a", "x", 100, dimension="nowhere")])
    message = messages_at(validate_document(doc).errors, "/indicators/0/dimension")
    assert "nowhere" in message and "a" in message


# --- rating bands, streaks, adjustments -----------------------------------------------------------


def test_bands_out_of_order(sc: Any) -> None:
    bands = [dict(b) for b in sc.bands]
    bands[1]["min"] = 95
    message = messages_at(validate_document(sc.document(rating=bands)).errors, "/rating/1/min")
    assert "good" in message


def test_last_band_must_cover_0(sc: Any) -> None:
    bands = [dict(b) for b in sc.bands]
    bands[3]["min"] = 10
    message = messages_at(validate_document(sc.document(rating=bands)).errors, "/rating/3/min")
    assert "fail" in message and "0" in message


def test_streak_rating_unknown(sc: Any) -> None:
    streak = {"key": "raise", "label": "连续2季度优秀", "rating": "excelent", "count": 2}
    report = validate_document(sc.document(streaks=[streak]))
    assert "excelent" in messages_at(report.errors, "/streaks/0/rating")


def test_rating_adjustment_unknown_band(sc: Any) -> None:
    adjustment = {"key": "veto", "name": "一票否决", "when": "x < 0", "rating": {"set": "failed"}}
    report = validate_document(sc.document(adjustments=[adjustment]))
    assert "failed" in messages_at(report.errors, "/adjustments/0/rating/set")


def test_scores_adjustment_unknown_indicator(sc: Any) -> None:
    adjustment = {"key": "k", "name": "联动", "when": "x < 0", "scores": {"zz": {"deduct": 5}}}
    report = validate_document(sc.document(adjustments=[adjustment]))
    assert "zz" in messages_at(report.errors, "/adjustments/0/scores/zz")


def test_linear_points_not_ascending(sc: Any) -> None:
    scoring = {"type": "linear", "points": [[0, 0], [100, 100], [50, 120]]}
    doc = sc.document(indicators=[sc.indicator("a", "x", 100, scoring=scoring)])
    assert "a" in messages_at(validate_document(doc).errors, "/indicators/0/scoring/points")


def test_scoring_bands_not_descending(sc: Any) -> None:
    scoring = {"type": "bands", "bands": [{"min": 10, "score": 80}, {"min": 20, "score": 100}]}
    doc = sc.document(indicators=[sc.indicator("a", "x", 100, scoring=scoring)])
    assert "a" in messages_at(validate_document(doc).errors, "/indicators/0/scoring/bands")


# --- inputs and keys ----------------------------------------------------------------------------


def test_unused_input_is_a_warning(sc: Any) -> None:
    doc = sc.document(inputs={"x": {"type": "number"}, "spare": {"type": "number"}})
    report = validate_document(doc)
    assert report.valid
    assert paths(not_coverage(report.warnings)) == ["/inputs/spare"]
    assert "spare" in not_coverage(report.warnings)[0].message


def test_input_read_only_by_an_adjustment_is_used(sc: Any) -> None:
    adjustment = {"key": "k", "name": "加分", "when": "bonus_flag", "total": {"add": 5}}
    doc = sc.document(
        inputs={"x": {"type": "number"}, "bonus_flag": {"type": "boolean"}},
        adjustments=[adjustment],
    )
    assert not_coverage(validate_document(doc).warnings) == []


@pytest.mark.parametrize("name", ["1x", "my-input", "has space", "a.b"])
def test_input_name_must_be_an_identifier(sc: Any, name: str) -> None:
    doc = sc.document(inputs={"x": {"type": "number"}, name: {"type": "number"}})
    assert f"/inputs/{name}" in paths(validate_document(doc).errors)


@pytest.mark.parametrize(
    ("field", "path"),
    [
        ("indicators", "/indicators/0/key"),
        ("dimensions", "/dimensions/0/key"),
    ],
)
def test_keys_must_be_identifiers(sc: Any, field: str, path: str) -> None:
    doc = sc.document()
    doc[field][0]["key"] = "bad-key"
    if field == "dimensions":
        doc["indicators"][0]["dimension"] = "bad-key"
    assert path in paths(validate_document(doc).errors)


@pytest.mark.parametrize("name", ["max", "value", "period_end", "if", "rated"])
def test_input_name_reserved_in_formulas(sc: Any, name: str) -> None:
    doc = sc.document(inputs={"x": {"type": "number"}, name: {"type": "number"}})
    assert f"/inputs/{name}" in paths(validate_document(doc).errors)


def test_indicator_key_clashing_with_an_input(sc: Any) -> None:
    doc = sc.document(indicators=[sc.indicator("x", "1", 100)])
    assert "/indicators/0/key" in paths(validate_document(doc).errors)


def test_duplicate_indicator_keys(sc: Any) -> None:
    doc = sc.document(indicators=[sc.indicator("a", "x", 50), sc.indicator("a", "x", 50)])
    assert "/indicators/1/key" in paths(validate_document(doc).errors)


def test_ratings_input_with_undeclared_rater_kind(sc: Any) -> None:
    doc = sc.document(
        inputs={"r": {"type": "ratings", "raters": ["superior", "boss"]}},
        raters={"superior": 50, "peer": 50},
        indicators=[sc.indicator("a", "rated(r)", 100)],
    )
    assert "boss" in messages_at(validate_document(doc).errors, "/inputs/r/raters/1")


def test_non_ascii_keys_work_end_to_end(sc: Any) -> None:
    doc = sc.document(
        inputs={"销售额": {"type": "number", "label": "销售额"}, "目标": {"type": "number"}},
        dimensions=[{"key": "业绩", "name": "业绩结果"}],
        indicators=[sc.indicator("达成率", "销售额 / 目标 * 100", 100, dimension="业绩")],
        examples=[
            {
                "name": "例",
                "inputs": {"销售额": 90, "目标": 100},
                "expect": {"total": 90, "rating": "excellent"},
            }
        ],
    )
    report = validate_document(doc)
    assert report.valid, report.errors
    result = compile_ruleset(doc).evaluate({"销售额": 850_000, "目标": 1_000_000}, "2025-Q3")
    assert (sc.row(result, "达成率")["value"], result["total"]) == (85.0, 85.0)
    assert sc.dimension(result, "业绩")["contribution"] == 85.0


# --- examples -----------------------------------------------------------------------------------


def example(inputs: dict, total: float, rating: str, **more: Any) -> dict:
    return {
        "name": "全面达标",
        "inputs": inputs,
        "expect": {"total": total, "rating": rating, **more},
    }


def test_example_that_reproduces_is_valid(sc: Any) -> None:
    doc = sc.document(examples=[example({"x": 85}, 85.0, "good", indicators={"a": 85})])
    assert validate_document(doc).valid


def test_example_total_that_does_not_reproduce(sc: Any) -> None:
    doc = sc.document(examples=[example({"x": 85}, 86.0, "good")])
    report = validate_document(doc)
    assert paths(report.errors) == ["/examples/0/expect/total"]
    message = report.errors[0].message
    assert "85" in message and "86" in message and "全面达标" in message


def test_example_rating_that_does_not_reproduce(sc: Any) -> None:
    doc = sc.document(examples=[example({"x": 85}, 85.0, "excellent")])
    assert paths(validate_document(doc).errors) == ["/examples/0/expect/rating"]


def test_example_indicator_score_that_does_not_reproduce(sc: Any) -> None:
    doc = sc.document(examples=[example({"x": 85}, 85.0, "good", indicators={"a": 80})])
    assert paths(validate_document(doc).errors) == ["/examples/0/expect/indicators/a"]


def test_example_total_reproduces_after_half_up_rounding(sc: Any) -> None:
    doc = sc.document(examples=[example({"x": 89.995}, 90.0, "excellent")])
    assert validate_document(doc).valid


def test_example_whose_submission_is_rejected(sc: Any) -> None:
    doc = sc.document(examples=[example({"y": 85}, 85.0, "good")])
    report = validate_document(doc)
    assert not report.valid
    assert all(p.path.startswith("/examples/0/") for p in report.errors)


def test_example_lacking_a_period_when_the_ruleset_reads_period_end(sc: Any) -> None:
    inputs = {"x": {"type": "number"}, "hire_date": {"type": "date"}}
    indicator = sc.indicator("a", "x + months_between(hire_date, period_end)", 100)
    doc = sc.document(
        inputs=inputs,
        indicators=[indicator],
        examples=[example({"x": 50, "hire_date": "2025-01-01"}, 58, "fail")],
    )
    report = validate_document(doc)
    assert paths(report.errors) == ["/examples/0/period"]


def test_example_with_a_period_when_the_ruleset_reads_period_end(sc: Any) -> None:
    inputs = {"x": {"type": "number"}, "hire_date": {"type": "date"}}
    indicator = sc.indicator("a", "x + months_between(hire_date, period_end)", 100)
    # 2025-01-01 -> 2025-09-30: 8 whole months
    doc = sc.document(
        inputs=inputs,
        indicators=[indicator],
        examples=[
            {**example({"x": 50, "hire_date": "2025-01-01"}, 58, "fail"), "period": "2025-Q3"}
        ],
    )
    assert validate_document(doc).valid, validate_document(doc).errors


# --- everything at once -------------------------------------------------------------------------


def test_every_kind_of_problem_is_reported_in_one_report(sc: Any) -> None:
    bands = [dict(b) for b in sc.bands]
    bands[3]["min"] = 5
    doc = sc.document(
        inputs={"x": {"type": "number"}, "spare": {"type": "number"}},
        indicators=[
            sc.indicator("a", "x +", 40, name="销售额达成率"),  # syntax
            sc.indicator("b", "c", 30),  # cycle b -> c -> b
            sc.indicator("c", "b", 20),
            sc.indicator("d", "x", 5, colour="red"),  # schema
        ],  # weights sum to 95
        rating=bands,  # last band does not cover 0
        streaks=[{"key": "s", "label": "连续", "rating": "great", "count": 2}],
    )
    report: ValidationReport = validate_document(doc)
    found = set(paths(report.errors))
    assert {
        "/indicators/0/formula",
        "/indicators/3/colour",
        "/indicators",
        "/rating/3/min",
        "/streaks/0/rating",
    } <= found
    assert any("cycle" in p.message for p in report.errors)
    assert "/inputs/spare" in paths(report.warnings)


# --- malformed documents: a report, never an exception (SPEC §5: validate always answers) -------


def _band_key_list(doc: dict) -> None:
    doc["rating"][0]["key"] = ["excellent"]


def _bonus_list(doc: dict) -> None:
    doc["rating"][0]["bonus_multiplier"] = [1.5]


def _bonus_text(doc: dict) -> None:
    doc["rating"][0]["bonus_multiplier"] = "x +"


def _streak_rating_list(doc: dict) -> None:
    doc["streaks"] = [{"key": "s", "label": "连续", "rating": ["excellent"], "count": 2}]


def _streak_without_rating(doc: dict) -> None:
    doc["streaks"] = [{"key": "s", "label": "连续", "count": 2}]


def _raters_not_a_list(doc: dict) -> None:
    doc["raters"] = {"superior": 100}
    doc["inputs"]["r"] = {"type": "ratings", "raters": 1.5}
    doc["indicators"][0]["formula"] = "x + rated(r)"


def _dimension_list(doc: dict) -> None:
    doc["indicators"][0]["dimension"] = ["main"]


def _indicator_key_list(doc: dict) -> None:
    doc["indicators"][0]["key"] = ["a"]


def _indicator_key_boolean(doc: dict) -> None:
    doc["indicators"][0]["key"] = True  # YAML reads `key: yes` as true
    doc["adjustments"] = [{"key": "k", "name": "加分", "when": "xx > 1", "total": {"add": 1}}]


def _rating_adjustment_list(doc: dict) -> None:
    doc["adjustments"] = [{"key": "k", "name": "封顶", "rating": {"max": ["good"]}}]


@pytest.mark.parametrize(
    ("edit", "path"),
    [
        (_band_key_list, "/rating/0/key"),
        (_bonus_list, "/rating/0/bonus_multiplier"),
        (_bonus_text, "/rating/0/bonus_multiplier"),
        (_streak_rating_list, "/streaks/0/rating"),
        (_streak_without_rating, "/streaks/0/rating"),
        (_raters_not_a_list, "/inputs/r/raters"),
        (_dimension_list, "/indicators/0/dimension"),
        (_indicator_key_list, "/indicators/0/key"),
        (_indicator_key_boolean, "/indicators/0/key"),
        (_rating_adjustment_list, "/adjustments/0/rating/max"),
    ],
    ids=lambda v: v.__name__.strip("_") if callable(v) else None,
)
def test_malformed_document_is_reported_not_raised(sc: Any, edit: Any, path: str) -> None:
    doc = sc.document()
    edit(doc)
    report = validate_document(doc)
    assert not report.valid
    assert path in paths(report.errors)


def test_example_with_a_huge_input_value_reproduces(sc: Any) -> None:
    # x = 1e30 is a finite double: value 1e30, clamped score 100, total 100.0
    doc = sc.document(examples=[example({"x": 1e30}, 100.0, "excellent")])
    report = validate_document(doc)
    assert report.valid, report.errors

"""SPEC §10 in the engine: projecting figures to date, and what it takes to reach the next
band (server/engine/tracking.py)."""

from __future__ import annotations

import math
from datetime import date
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.engine import SubmissionRejected, compile_ruleset, load_document
from server.engine.tracking import (
    in_period,
    project,
    tracking_variant,
    what_it_takes,
)
from tests.engine.submissions import generated_submission


def _tracking_document(sc, **inputs_extra):
    """Sales against a target (a linear 0..120 score, weight 70) and complaints (bands,
    weight 30); sales is an increase lever projected linearly, complaints a decrease lever."""
    inputs = {
        "sales": {
            "type": "number",
            "min": 0,
            "label": "实际销售额",
            "unit": "元",
            "lever": "increase",
            "projection": "linear",
        },
        "target": {
            "type": "number",
            "min": 1,
            "label": "目标销售额",
            "unit": "元",
            "source": "plan",
        },
        "complaints": {
            "type": "integer",
            "min": 0,
            "label": "投诉次数",
            "unit": "次",
            "lever": "decrease",
        },
        "visits": {
            "type": "integer",
            "min": 0,
            "max": 200,
            "label": "拜访次数",
            "unit": "次",
            "projection": "linear",
        },
    }
    for name, extra in inputs_extra.items():
        inputs[name] = {**inputs[name], **extra}
    return sc.document(
        inputs=inputs,
        indicators=[
            sc.indicator(
                "attainment",
                "sales / target * 100",
                60,
                scoring={"type": "linear", "points": [[0, 0], [120, 120]]},
            ),
            sc.indicator(
                "quality",
                "complaints",
                30,
                scoring={
                    "type": "bands",
                    "bands": [{"min": 3, "score": 40}, {"min": 1, "score": 80}],
                    "else": 100,
                },
            ),
            sc.indicator("activity", "visits", 10),
        ],
    )


def test_a_leap_year_quarter_projects_by_91_days_over_the_days_so_far(sc):
    ruleset = sc.compile(_tracking_document(sc))
    inputs = {"sales": 600_000, "target": 1_000_000, "complaints": 0, "visits": 30}
    projected, block = project(ruleset, inputs, "2024-Q1", date(2024, 2, 29))
    assert block["period_days"] == 91 and block["elapsed_days"] == 60
    assert projected["sales"] == 600_000.0 * 91 / 60
    assert block["inputs"]["sales"] == {"actual": 600_000, "projected": 600_000.0 * 91 / 60}
    assert projected["target"] == 1_000_000 and projected["complaints"] == 0
    assert set(block["inputs"]) == {"sales", "visits"}


def test_the_last_day_projects_to_the_figure_itself_and_max_clamps(sc):
    ruleset = sc.compile(_tracking_document(sc))
    inputs = {"sales": 123_456.78, "target": 1_000_000, "complaints": 0, "visits": 150}
    projected, block = project(ruleset, inputs, "2025-Q3", date(2025, 9, 30))
    assert block["elapsed_days"] == block["period_days"] == 92
    assert projected["sales"] == 123_456.78
    early, block = project(ruleset, inputs, "2025-Q3", date(2025, 7, 31))
    assert early["visits"] == 200  # 150 × 92 / 31 is above the input's max
    assert block["inputs"]["visits"] == {"actual": 150, "projected": 200}


def test_a_projected_integer_is_evaluated_as_the_double_it_projects_to(sc):
    ruleset = sc.compile(_tracking_document(sc))
    inputs = {"sales": 500_000, "target": 1_000_000, "complaints": 0, "visits": 7}
    projected, _ = project(ruleset, inputs, "2025-Q3", date(2025, 8, 15))
    assert projected["visits"] == 7.0 * 92 / 46
    result = tracking_variant(ruleset).evaluate(projected, "2025-Q3", explain=False)
    activity = [r for r in result["indicators"] if r["key"] == "activity"][0]
    assert activity["value"] == 14.0


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (date(2025, 7, 1), True),
        (date(2025, 9, 30), True),
        (date(2025, 6, 30), False),
        (date(2025, 10, 1), False),
    ],
)
def test_as_of_must_be_a_day_of_the_period(day, inside):
    assert in_period("2025-Q3", day) is inside


def _takes(ruleset, inputs, period="2025-Q3"):
    result = ruleset.evaluate(inputs, period, explain=False)
    found, lines = what_it_takes(
        ruleset, lambda i: ruleset.total_and_rating(i, period), inputs, result["rating"]["key"]
    )
    return result, found, lines


def test_the_smallest_sales_that_reach_the_next_band_in_one_sentence(sc):
    ruleset = sc.compile(_tracking_document(sc))
    # attainment 60 × 0.6 = 36, quality 100 × 0.3 = 30, activity 50 × 0.1 = 5: 71 -> 合格
    inputs = {"sales": 600_000, "target": 1_000_000, "complaints": 0, "visits": 50}
    result, found, lines = _takes(ruleset, inputs)
    assert result["total"] == 71 and result["rating"]["key"] == "pass"
    assert found["rating"] == {"key": "good", "label": "良好"}
    sales = found["needs"][0]
    # the rating is decided on the reported total: 0.6 × a + 35 >= 79.995 -> a >= 74.991666..
    # -> sales 749,916.67 (749,916.66 gives 79.994996 -> 79.99, still 合格)
    assert sales == {
        "input": "sales",
        "label": "实际销售额",
        "current": 600_000,
        "required": 749_916.67,
        "change": 149_916.67,
    }
    assert lines[0] == "再完成 实际销售额 149,916.67 元 即可达到 良好"
    # complaints are already 0: no fewer complaints reach 良好, so the lever is left out
    assert [n["input"] for n in found["needs"]] == ["sales"]


def test_a_decrease_lever_finds_the_largest_count_that_reaches_the_band(sc):
    ruleset = sc.compile(_tracking_document(sc))
    # attainment 80 × 0.6 = 48, quality 40 × 0.3 = 12, activity 100 × 0.1 = 10: 70 -> 合格;
    # one complaint scores 80: 48 + 24 + 10 = 82 -> 良好
    inputs = {"sales": 800_000, "target": 1_000_000, "complaints": 4, "visits": 100}
    _, found, lines = _takes(ruleset, inputs)
    complaints = [n for n in found["needs"] if n["input"] == "complaints"][0]
    assert complaints == {
        "input": "complaints",
        "label": "投诉次数",
        "current": 4,
        "required": 2,
        "change": -2,
    }
    assert "投诉次数 再减少 2 次 即可达到 良好" in lines


def test_the_top_band_needs_nothing(sc):
    ruleset = sc.compile(_tracking_document(sc))
    inputs = {"sales": 1_500_000, "target": 1_000_000, "complaints": 0, "visits": 100}
    result, found, lines = _takes(ruleset, inputs)
    assert result["rating"]["key"] == "excellent"
    assert found == {"rating": None, "needs": []} and lines == []


def test_a_lever_that_cannot_reach_the_band_alone_is_left_out(sc):
    # sales is capped at 200,000: attainment at most 20 -> 12 + 30 + 10 = 52 < 70
    ruleset = sc.compile(_tracking_document(sc, sales={"max": 200_000}))
    inputs = {"sales": 100_000, "target": 1_000_000, "complaints": 5, "visits": 100}
    result, found, _ = _takes(ruleset, inputs)
    assert result["rating"]["key"] == "fail"
    assert found["rating"]["key"] == "pass"
    assert [n["input"] for n in found["needs"]] == []


def test_english_rulesets_say_it_in_english(sc):
    document = _tracking_document(sc)
    document["language"] = "en"
    ruleset = sc.compile(document)
    inputs = {"sales": 600_000, "target": 1_000_000, "complaints": 0, "visits": 50}
    _, _, lines = _takes(ruleset, inputs)
    assert lines == ["149,916.67 元 more 实际销售额 reaches 良好"]


@settings(max_examples=150, deadline=None)
@given(
    sales=st.floats(0, 2_000_000, allow_nan=False),
    complaints=st.integers(0, 8),
    visits=st.integers(0, 200),
)
def test_at_required_the_band_is_reached_and_one_step_back_it_is_not(sc, sales, complaints, visits):
    ruleset = sc.compile(_tracking_document(sc))
    inputs = {"sales": sales, "target": 1_000_000, "complaints": complaints, "visits": visits}
    result, found, lines = _takes(ruleset, inputs)
    assert len(lines) == len(found["needs"])
    if found["rating"] is None:
        return
    band = ruleset.band_index[found["rating"]["key"]]
    for need in found["needs"]:
        spec = ruleset.inputs[need["input"]]
        step = 1 if spec.type == "integer" else 0.01
        required = need["required"]
        back = required - step if spec.lever == "increase" else required + step
        _, at = ruleset.total_and_rating({**inputs, need["input"]: required}, "2025-Q3")
        assert ruleset.band_index[at] <= band
        current = inputs[need["input"]]
        if (spec.lever == "increase" and back >= current) or (
            spec.lever == "decrease" and back <= current
        ):
            _, before = ruleset.total_and_rating({**inputs, need["input"]: back}, "2025-Q3")
            assert ruleset.band_index[before] > band


DEFAULT_RULESETS = sorted((Path(__file__).parents[2] / "rulesets").glob("*.yaml"))


@pytest.mark.parametrize("path", DEFAULT_RULESETS, ids=lambda p: p.stem)
@settings(max_examples=200, deadline=None, database=None)
@given(rnd=st.randoms(use_true_random=False))
def test_every_lever_of_every_default_ruleset_at_required_and_one_step_back(path, rnd):
    """Re-evaluated at `required` the rating is the band or better; one grid step back
    towards `current` it is not; a lever left out cannot reach the band at its search bound."""
    ruleset = compiled_default(path)
    submission = generated_submission(rnd, ruleset)
    period, inputs = submission["period"], submission["inputs"]
    try:
        result = ruleset.evaluate(inputs, period, explain=False)
    except SubmissionRejected:
        return
    rate = lambda changed: ruleset.total_and_rating(changed, period)  # noqa: E731
    found, lines = what_it_takes(ruleset, rate, inputs, result["rating"]["key"])
    assert len(lines) == len(found["needs"])
    if found["rating"] is None:
        assert result["rating"]["key"] == ruleset.bands[0].key and found["needs"] == []
        return
    band = ruleset.band_index[found["rating"]["key"]]

    def reaches(name, value):
        try:
            return ruleset.band_index[rate({**inputs, name: value})[1]] <= band
        except SubmissionRejected:
            return False

    named = {need["input"]: need for need in found["needs"]}
    for spec in ruleset.inputs.values():
        current = inputs.get(spec.name)
        if spec.lever is None or isinstance(current, bool) or not isinstance(current, (int, float)):
            continue
        step = 1 if spec.type == "integer" else 0.01
        if spec.name not in named:
            far = spec.max if spec.lever == "increase" else (spec.min or 0)
            if far is None:
                far = 1000 * max(abs(current), 1)
            far = math.floor(far) if spec.type == "integer" else far
            assert not reaches(spec.name, far) or far == current
            continue
        need = named[spec.name]
        required = need["required"]
        assert reaches(spec.name, required)
        back = required - step if spec.lever == "increase" else required + step
        back = round(back) if spec.type == "integer" else round(back, 2)
        towards = back >= current if spec.lever == "increase" else back <= current
        if towards:
            assert not reaches(spec.name, back)


@lru_cache(maxsize=8)
def compiled_default(path):
    return compile_ruleset(load_document(path.read_text(encoding="utf-8")))

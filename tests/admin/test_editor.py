"""The draft editor's form model: documents survive a round trip through the form, edits land
where they should, and every validation problem finds its field."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from admin.editor import actions, fields, posted, problems, samples
from server.engine import load_document, validate_document

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "tests/engine/fixtures/mini.yaml", *sorted((ROOT / "rulesets").glob("*.yaml"))]


def load(path: Path) -> dict:
    return load_document(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_an_untouched_form_gives_back_the_same_document(path):
    document = load(path)
    assert posted.from_form(fields.to_values(document), document) == document


def mini() -> dict:
    return load(DOCUMENTS[0])


def test_edits_change_only_their_field():
    document = mini()
    values = fields.to_values(document)
    values["indicators-0-weight"] = "45"
    values["indicators-0-formula"] = "actual_sales / target_sales * 90"
    values["adjustments-0-weights-0-weight"] = "35"
    result = posted.from_form(values, document)
    expected = copy.deepcopy(document)
    expected["indicators"][0]["weight"] = 45
    expected["indicators"][0]["formula"] = "actual_sales / target_sales * 90"
    expected["adjustments"][0]["weights"]["sales_attainment"] = 35
    assert result == expected


def test_a_number_that_is_not_one_is_reported_at_its_field():
    document = mini()
    values = fields.to_values(document)
    values["indicators-2-weight"] = "abc"
    edited = posted.from_form(values, document)
    report = validate_document(edited)
    found = problems.by_field(report.errors, edited, problems.known_names(values))
    assert any("abc" in m for m in found["indicators-2-weight"])


@pytest.mark.parametrize(
    "path, field",
    [
        ("/indicators/1/formula", "indicators-1-formula"),
        ("/indicators/0/scoring/points/1/0", "indicators-0-points-1-x"),
        ("/indicators/1/scoring/bands/0/score", "indicators-1-bands-0-score"),
        ("/inputs/satisfaction/max", "inputs-5-max"),
        ("/adjustments/0/weights/team_integration", "adjustments-0-weights-1-weight"),
        ("/adjustments/1/scores/customer_satisfaction/deduct", "adjustments-1-scores-0-amount"),
        ("/dimensions/2/weight_range", "dimensions-2-range_min"),
        ("/examples/0/expect/total", "examples-0-expect_total"),
        ("/examples/0/inputs/strategy/superior", "examples-0-inputs-strategy-superior"),
        ("/raters/peer", "raters-1-weight"),
        ("/indicators/9/formula", "indicators"),
        ("", "general"),
    ],
)
def test_problem_paths_land_on_their_field(path, field):
    document = mini()
    known = problems.known_names(fields.to_values(document))
    assert problems.place(problems.candidate(path, document), known) == field


def test_a_formula_error_is_placed_beside_the_formula():
    document = mini()
    document["indicators"][2]["formula"] = "satisfaction +"
    report = validate_document(document)
    found = problems.by_field(
        report.errors, document, problems.known_names(fields.to_values(document))
    )
    assert "syntax error" in found["indicators-2-formula"][0]


def test_switching_the_scoring_type_starts_from_a_usable_scoring():
    document = mini()
    values = fields.to_values(document)
    values["indicators-2-scoring_type"] = "bands"
    edited = posted.from_form(values, document)
    assert edited["indicators"][2]["scoring"]["type"] == "bands"
    assert edited["indicators"][2]["scoring"]["bands"]


def test_unchecking_required_makes_an_input_optional():
    document = mini()
    values = fields.to_values(document)
    values["inputs-0-required"] = ""
    assert posted.from_form(values, document)["inputs"]["actual_sales"]["required"] is False


def test_buttons_add_remove_and_move_rows(app):
    document = mini()
    with app.test_request_context():
        assert actions.apply(document, "add:indicators")
    assert document["indicators"][-1]["key"] == "indicator_1"
    assert actions.apply(document, "up:indicators:5")
    assert document["indicators"][4]["key"] == "indicator_1"
    assert actions.apply(document, "remove:indicators:4")
    assert [i["key"] for i in document["indicators"]] == [i["key"] for i in mini()["indicators"]]
    assert actions.apply(document, "add:indicators:0:points")
    assert document["indicators"][0]["scoring"]["points"][-1] == [130, 120]
    assert actions.apply(document, "remove:adjustments:0:weights:1")
    assert list(document["adjustments"][0]["weights"]) == ["sales_attainment"]
    assert not actions.apply(document, "remove:indicators:99")
    assert not actions.apply(document, "drop:everything")


def test_sample_inputs_round_trip_including_ratings():
    document = mini()
    inputs = {
        "actual_sales": 1200000,
        "target_sales": 1000000,
        "hire_date": "2020-01-01",
        "strategy": {"superior": 80},
        "integration": {"peer": [85, 95]},
    }
    values = samples.to_values(document, "sample", inputs)
    assert values["sample-integration-peer"] == "85, 95"
    assert samples.from_form(document, "sample", values, inputs) == inputs
    values["sample-strategy-superior"] = "70, 90"
    assert samples.from_form(document, "sample", values, inputs)["strategy"] == {
        "superior": [70, 90]
    }

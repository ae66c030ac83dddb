"""SPEC §3.1's source, lever and projection: accepted, checked, carried by the compiled inputs."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from server.engine import compile_ruleset, validate_document

ROOT = Path(__file__).resolve().parents[2]


def default(role: str) -> dict:
    return yaml.safe_load((ROOT / "rulesets" / f"{role}.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "role", ["industry_sales_manager", "key_account_manager", "regional_sales_manager"]
)
def test_the_managers_targets_and_hire_date_come_from_the_plan(role):
    inputs = compile_ruleset(default(role)).inputs
    plan = {name for name, spec in inputs.items() if spec.source == "plan"}
    assert {"target_sales", "target_profit", "new_customer_target", "hire_date"} <= plan
    assert not {"actual_sales", "collected_amount", "staff_start"} & plan
    assert inputs["actual_sales"].lever == "increase"
    assert inputs["collected_amount"].lever == "increase"
    assert inputs["new_customers_end"].lever == "increase"
    assert inputs["complaint_rate"].lever == "decrease"
    assert inputs["staff_end"].lever is None  # team size is no lever
    assert inputs["actual_sales"].projection == "linear"
    assert inputs["complaint_rate"].projection is None


def test_the_sales_representative_marks_its_targets_and_levers():
    inputs = compile_ruleset(default("sales_representative")).inputs
    assert {n for n, s in inputs.items() if s.source == "plan"} == {
        "sales_target",
        "profit_target",
        "new_customer_target",
        "visit_target",
        "call_target",
        "hire_date",
    }
    assert (inputs["sales_amount"].lever, inputs["sales_amount"].projection) == (
        "increase",
        "linear",
    )
    assert inputs["lost_customers"].lever == "decrease"


def test_the_attributes_are_checked_each_at_its_path():
    document = copy.deepcopy(default("sales_representative"))
    document["inputs"]["hire_date"]["lever"] = "increase"  # a date is no lever
    document["inputs"]["sales_mode"]["projection"] = "linear"  # nor is a string projected
    document["inputs"]["sales_target"]["projection"] = "linear"  # a plan value is not projected
    document["inputs"]["sales_cost"]["source"] = "erp"
    document["inputs"]["sales_amount"]["lever"] = "up"
    report = validate_document(document)
    assert sorted(p.path for p in report.errors) == [
        "/inputs/hire_date/lever",
        "/inputs/sales_amount/lever",
        "/inputs/sales_cost/source",
        "/inputs/sales_mode/projection",
        "/inputs/sales_target/projection",
    ]


def test_without_the_attributes_an_input_is_a_submission_without_lever_or_projection():
    spec = compile_ruleset(default("sales_representative")).inputs["sales_cost"]
    assert (spec.source, spec.lever, spec.projection) == ("submission", None, None)

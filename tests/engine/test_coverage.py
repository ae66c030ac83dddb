"""SPEC §3.2's constant-zero divisor and §12's example coverage, in both languages; the
default rulesets' golden examples reach every band and every adjustment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from server.engine import load_document, validate_document

RULESETS = sorted((Path(__file__).resolve().parents[2] / "rulesets").glob("*.yaml"))


def example(name: str, x: float, **inputs: Any) -> dict[str, Any]:
    """A golden example of the one-indicator document: x is the total."""
    rating = "excellent" if x >= 90 else "good" if x >= 80 else "pass" if x >= 70 else "fail"
    return {
        "name": name,
        "inputs": {"x": x, **inputs},
        "expect": {"total": float(x), "rating": rating},
    }


@pytest.mark.parametrize(
    ("where", "path"),
    [
        ("indicator", "/indicators/0/formula"),
        ("scoring", "/indicators/0/scoring/formula"),
        ("when", "/adjustments/0/when"),
    ],
)
@pytest.mark.parametrize("divisor", ["0", "(2 - 2)", "0.0", "(1 - 1) * 5"])
def test_a_constant_zero_divisor_is_an_error_at_the_formula(sc, where, path, divisor):
    doc = sc.document()
    division = f"x / {divisor}"
    if where == "indicator":
        doc["indicators"][0]["formula"] = division
    elif where == "scoring":
        doc["indicators"][0]["scoring"] = {"type": "formula", "formula": f"value // {divisor}"}
    else:
        doc["adjustments"] = [
            {"key": "k", "name": "加分", "when": f"x % {divisor} > 1", "total": {"add": 1}}
        ]
    report = validate_document(doc)
    assert not report.valid
    assert path in [p.path for p in report.errors]


def test_the_zero_divisor_message_is_in_the_readers_language(sc):
    doc = sc.document()
    doc["indicators"][0]["formula"] = "x / (2 - 2)"
    message = validate_document(doc).errors[0].message  # rendered where it is read
    english, chinese = message.render("en"), message.render("zh-CN")
    assert "'x / (2 - 2)' divides by a constant 0" in english
    assert "“x / (2 - 2)” 的除数恒为 0" in chinese


@pytest.mark.parametrize("formula", ["x / (x - 2)", "div(x, 0, 1)", "x / 0.5", "x / 2 ** -1"])
def test_a_divisor_that_is_not_a_constant_zero_is_fine(sc, formula):
    doc = sc.document()
    doc["indicators"][0]["formula"] = formula
    assert validate_document(doc).valid


def test_coverage_names_the_examples_of_each_band_and_adjustment(sc):
    doc = sc.document(
        adjustments=[
            {"key": "bonus", "name": "额外加分", "when": "x > 95", "total": {"add": 0}},
            {"key": "never", "name": "从不触发", "when": "x > 1000", "total": {"add": 1}},
        ],
        examples=[example("顶尖", 96), example("优秀", 92), example("合格", 75)],
    )
    report = validate_document(doc)
    assert report.valid
    assert report.coverage == {
        "ratings": {"excellent": ["顶尖", "优秀"], "good": [], "pass": ["合格"], "fail": []},
        "adjustments": {"bonus": ["顶尖"], "never": []},
    }
    assert [w.path for w in report.warnings] == ["/rating/1", "/rating/3", "/adjustments/1"]
    assert report.as_dict("/document")["coverage"] == report.coverage


def test_coverage_warnings_in_both_languages(sc):
    doc = sc.document(examples=[example("优秀", 92), example("良好", 85), example("合格", 75)])
    (warning,) = validate_document(doc).warnings
    assert warning.path == "/rating/3"
    assert "no example ends in the rating band fail (不合格)" in warning.message.render("en")
    assert "没有黄金样例落在评级 不合格（fail）" in warning.message.render("zh-CN")


def test_an_example_that_does_not_reproduce_still_counts_where_it_ends(sc):
    wrong = example("写错", 75)
    wrong["expect"]["rating"] = "good"
    report = validate_document(sc.document(examples=[wrong]))
    assert "/examples/0/expect/rating" in [p.path for p in report.errors]
    assert report.coverage["ratings"]["pass"] == ["写错"]


def test_no_coverage_without_examples_checked_or_when_the_document_fails(sc):
    assert validate_document(sc.document(), check_examples=False).coverage is None
    broken = sc.document()
    broken["indicators"][0]["formula"] = "nope"
    assert validate_document(broken).coverage is None


@pytest.mark.parametrize("path", RULESETS, ids=[p.stem for p in RULESETS])
def test_the_default_rulesets_reach_every_band_and_adjustment(path):
    report = validate_document(load_document(path.read_text(encoding="utf-8")))
    assert report.valid, [(p.path, p.message) for p in report.errors]
    unreached = {
        kind: [key for key, names in found.items() if not names]
        for kind, found in report.coverage.items()
    }
    assert unreached == {"ratings": [], "adjustments": []}
    assert report.warnings == []

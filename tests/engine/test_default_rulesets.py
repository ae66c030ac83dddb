"""The default rulesets in rulesets/*.yaml: they validate, and their golden examples reproduce.

The expected numbers in each example were worked out by hand (the arithmetic is in a YAML
comment above each example); these tests check that the engine agrees with them.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from server.engine import compile_ruleset, load_document, validate_document

RULESETS_DIR = Path(__file__).resolve().parents[2] / "rulesets"
RULESET_FILES = sorted(RULESETS_DIR.glob("*.yaml"))
EXPECTED_ROLES = {
    "regional_sales_manager",
    "industry_sales_manager",
    "key_account_manager",
    "sales_representative",
}


def _load(path: Path) -> dict:
    return load_document(path.read_text(encoding="utf-8"))


def _examples():
    for path in RULESET_FILES:
        for example in _load(path).get("examples", []):
            yield pytest.param(path, example, id=f"{path.stem}:{example['name']}")


def _indicator(result: dict, key: str) -> dict:
    found = [i for i in result["indicators"] if i["key"] == key]
    assert found, f"indicator {key} missing from the result"
    return found[0]


def test_the_four_default_rulesets_are_present():
    roles = {_load(path)["role"] for path in RULESET_FILES}
    assert roles == EXPECTED_ROLES
    assert {path.stem for path in RULESET_FILES} == EXPECTED_ROLES


@pytest.mark.parametrize("path", RULESET_FILES, ids=lambda p: p.stem)
def test_document_validates(path):
    doc = _load(path)
    report = validate_document(doc)
    assert report.errors == [], "\n".join(f"{p.path}: {p.message}" for p in report.errors)
    assert report.valid
    assert doc["role"] == path.stem
    assert doc["language"] == "zh-CN"
    assert doc["precision"] == 2


@pytest.mark.parametrize("path", RULESET_FILES, ids=lambda p: p.stem)
def test_keys_are_ascii_identifiers(path):
    doc = _load(path)
    keys = [doc["role"], *doc["inputs"]]
    keys += [d["key"] for d in doc["dimensions"]]
    keys += [i["key"] for i in doc["indicators"]]
    keys += [a["key"] for a in doc.get("adjustments", [])]
    for key in keys:
        assert key.isascii() and key.isidentifier(), key
    for spec in doc["inputs"].values():
        assert spec.get("label"), spec


@pytest.mark.parametrize("path", RULESET_FILES, ids=lambda p: p.stem)
def test_weights_sum_to_100_under_every_subset_of_weight_adjustments(path):
    doc = _load(path)
    base = {i["key"]: i["weight"] for i in doc["indicators"]}
    assert sum(base.values()) == 100
    weight_adjustments = [a for a in doc.get("adjustments", []) if "weights" in a]
    for n in range(1, len(weight_adjustments) + 1):
        for subset in itertools.combinations(weight_adjustments, n):
            weights = dict(base)
            for adjustment in subset:
                assert set(adjustment["weights"]) <= set(weights)
                weights.update(adjustment["weights"])
            assert sum(weights.values()) == 100, [a["key"] for a in subset]


@pytest.mark.parametrize("path", RULESET_FILES, ids=lambda p: p.stem)
def test_has_at_least_three_examples_one_of_them_a_new_hire(path):
    doc = _load(path)
    examples = doc.get("examples", [])
    assert len(examples) >= 3
    assert any(a["key"] == "new_hire" for a in doc["adjustments"])
    compiled = compile_ruleset(doc)
    new_hire_examples = [
        example["name"]
        for example in examples
        if "new_hire" in compiled.evaluate(example["inputs"], example["period"])["adjustments"]
    ]
    assert new_hire_examples, "no example makes the new-hire adjustment apply"
    # and at least one example is a long-serving employee
    assert len(new_hire_examples) < len(examples)


@pytest.mark.parametrize(("path", "example"), list(_examples()))
def test_example_reproduces(path, example):
    compiled = compile_ruleset(_load(path))
    result = compiled.evaluate(example["inputs"], example["period"])
    expect = example["expect"]
    assert result["total"] == expect["total"]
    assert result["rating"]["key"] == expect["rating"]
    if "bonus_multiplier" in expect:
        assert result["bonus_multiplier"] == expect["bonus_multiplier"]
    for key, score in expect.get("indicators", {}).items():
        indicator = _indicator(result, key)
        assert indicator["status"] == "scored", key
        assert indicator["score"] == score, key


# ---------------------------------------------------------------- regional (seed 003 in full)

REGIONAL = RULESETS_DIR / "regional_sales_manager.yaml"


def test_regional_dimensions_sum_inside_the_seed_ranges():
    doc = _load(REGIONAL)
    expected = {
        "results": ("业绩结果", [40, 50]),
        "team": ("团队管理", [20, 30]),
        "customer": ("客户运营", [15, 20]),
        "capability": ("个人能力", [10, 15]),
    }
    assert [d["key"] for d in doc["dimensions"]] == list(expected)
    sums = {}
    for dimension in doc["dimensions"]:
        name, weight_range = expected[dimension["key"]]
        assert dimension["name"] == name
        assert dimension["weight_range"] == weight_range
        total = sum(i["weight"] for i in doc["indicators"] if i["dimension"] == dimension["key"])
        assert weight_range[0] <= total <= weight_range[1], dimension["key"]
        sums[dimension["key"]] = total
    assert sum(sums.values()) == 100
    assert sums == {"results": 44, "team": 26, "customer": 17, "capability": 13}


def test_regional_has_every_indicator_of_the_seed_tables():
    doc = _load(REGIONAL)
    names = {i["name"]: i for i in doc["indicators"]}
    for name in [
        "销售额达成率", "利润贡献度", "回款率", "市场份额增长率",
        "团队销售额达成率", "团队人员留存率", "团队培训完成率", "团队士气评分",
        "新客户数量", "老客户复购率", "客户满意度评分", "大客户占比",
        "战略规划能力", "资源协调能力", "问题解决能力", "学习创新能力",
    ]:  # fmt: skip
        assert name in names, name
    assert names["市场份额增长率"].get("optional") is True
    assert names["大客户占比"].get("optional") is True
    assert names["团队融入"]["weight"] == 0


def test_regional_raters_follow_the_seed():
    doc = _load(REGIONAL)
    assert doc["raters"] == {"superior": 50, "peer": 20, "customer": 20, "self": 10}
    inputs = doc["inputs"]
    expected = {
        "strategy_rating": {"superior"},  # 战略规划能力: 上级评价
        "coordination_rating": {"peer", "self"},  # 资源协调能力: 同事评价 + 自我评估
        "problem_solving_rating": {"superior"},  # 问题解决能力: 案例评估 (by the superior)
        "learning_rating": {"self", "superior"},  # 学习创新能力: 自我报告 + 上级验证
    }
    for name, raters in expected.items():
        assert inputs[name]["type"] == "ratings"
        assert set(inputs[name]["raters"]) == raters, name
    formulas = {i["key"]: i["formula"] for i in doc["indicators"]}
    assert formulas["strategic_planning"] == "rated(strategy_rating)"
    assert formulas["resource_coordination"] == "rated(coordination_rating)"
    assert formulas["problem_solving"] == "rated(problem_solving_rating)"
    assert formulas["learning_innovation"] == "rated(learning_rating)"


def test_regional_bands_and_streaks_follow_the_seed():
    doc = _load(REGIONAL)
    bands = [(b["key"], b["label"], b["min"], b["bonus_multiplier"]) for b in doc["rating"]]
    assert bands == [
        ("excellent", "优秀", 90, 1.5),
        ("good", "良好", 80, 1.2),
        ("pass", "合格", 70, 1.0),
        ("fail", "不合格", 0, 0.5),
    ]
    streaks = {(s["rating"], s["count"]) for s in doc["streaks"]}
    assert streaks == {("excellent", 2), ("excellent", 3), ("fail", 2)}


def test_regional_new_hire_omits_nothing_it_needs_and_long_serving_omits_integration():
    """A long-serving manager need not send the team-integration score (SPEC §3.1)."""
    doc = _load(REGIONAL)
    compiled = compile_ruleset(doc)
    long_serving = next(e for e in doc["examples"] if e["name"] == "全面达标")
    assert "integration_score" not in long_serving["inputs"]
    result = compiled.evaluate(long_serving["inputs"], long_serving["period"])
    assert _indicator(result, "team_integration")["status"] == "skipped"
    assert "new_hire" not in result["adjustments"]

"""diff_documents: what changed between two ruleset documents, as SPEC §5 "Diff" describes."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from server.engine.diff import diff_documents, summarize_changes

RULESETS = sorted((Path(__file__).parents[2] / "rulesets").glob("*.yaml"))
SALES_FORMULA = "actual_sales / target_sales * 100"


def make_document() -> dict[str, Any]:
    """A small Chinese ruleset in the §3 shape; each test edits its own copy."""
    return {
        "role": "regional_sales_manager",
        "name": "区域销售经理",
        "language": "zh-CN",
        "period": "quarter",
        "precision": 2,
        "inputs": {
            "actual_sales": {"type": "number", "min": 0, "label": "实际销售额", "unit": "元"},
            "target_sales": {"type": "number", "min": 0, "label": "目标销售额", "unit": "元"},
            "hire_date": {"type": "date", "label": "入职日期"},
            "strategy": {"type": "ratings", "raters": ["superior"], "label": "战略规划能力"},
        },
        "raters": {"superior": 50, "peer": 20, "customer": 20, "self": 10},
        "dimensions": [
            {"key": "results", "name": "业绩结果", "weight_range": [40, 50]},
            {"key": "team", "name": "团队管理", "weight_range": [20, 30]},
        ],
        "indicators": [
            {
                "key": "sales_attainment",
                "name": "销售额达成率",
                "dimension": "results",
                "formula": SALES_FORMULA,
                "scoring": {"type": "linear", "points": [[0, 0], [120, 120]]},
                "weight": 25,
            },
            {
                "key": "customer_satisfaction",
                "name": "客户满意度",
                "dimension": "results",
                "formula": "rated(strategy)",
                "scoring": {"type": "bands", "bands": [{"min": 90, "score": 100}], "else": 0},
                "weight": 25,
            },
            {
                "key": "team_morale",
                "name": "团队士气评分",
                "dimension": "team",
                "formula": "rated(strategy)",
                "weight": 50,
            },
        ],
        "adjustments": [
            {
                "key": "new_hire",
                "name": "入职未满6个月",
                "when": "months_between(hire_date, period_end) < 6",
                "weights": {"sales_attainment": 15, "team_morale": 60},
            },
            {
                "key": "complaint_link",
                "name": "投诉率联动扣分",
                "when": "actual_sales < 0",
                "scores": {"customer_satisfaction": {"deduct": 10}},
            },
        ],
        "rating": [
            {"key": "excellent", "label": "优秀", "min": 90, "bonus_multiplier": 1.5},
            {"key": "fail", "label": "不合格", "min": 0, "bonus_multiplier": 0.5},
        ],
        "streaks": [{"key": "pip", "label": "连续2季度不合格", "rating": "fail", "count": 2}],
        "examples": [
            {
                "name": "全面达标",
                "inputs": {"actual_sales": 1000000, "target_sales": 1000000},
                "period": "2025-Q3",
                "expect": {"total": 100.0, "rating": "excellent"},
            },
            {"name": "未达标", "inputs": {"actual_sales": 0}, "expect": {"total": 0}},
        ],
    }


def indicator(document: dict[str, Any], key: str) -> dict[str, Any]:
    return next(item for item in document["indicators"] if item["key"] == key)


def single_change(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    changes = diff_documents(old, new)
    assert len(changes) == 1, changes
    return changes[0]


def test_identical_documents_have_no_changes() -> None:
    assert diff_documents(make_document(), make_document()) == []


def test_reordering_keyed_lists_and_mappings_is_no_change() -> None:
    new = make_document()
    for field in ("indicators", "dimensions", "adjustments", "rating", "streaks", "examples"):
        new[field].reverse()
    new["inputs"] = dict(reversed(new["inputs"].items()))
    new["raters"] = dict(reversed(new["raters"].items()))

    assert diff_documents(make_document(), new) == []


def test_weight_change_is_one_change_named_by_the_indicator() -> None:
    new = make_document()
    indicator(new, "sales_attainment")["weight"] = 20

    assert single_change(make_document(), new) == {
        "path": "indicators/sales_attainment/weight",
        "kind": "changed",
        "from": 25,
        "to": 20,
        "summary": "销售额达成率 权重 25% → 20%",
    }


def test_added_indicator_carries_the_whole_item() -> None:
    new = make_document()
    added = {"key": "market_share", "name": "市场份额增长率", "optional": True, "weight": 0}
    new["indicators"].append(added)

    change = single_change(make_document(), new)

    assert change["path"] == "indicators/market_share"
    assert (change["kind"], change["from"], change["to"]) == ("added", None, added)
    assert change["summary"] == "新增指标 市场份额增长率"


def test_removed_indicator_carries_the_whole_old_item() -> None:
    old, new = make_document(), make_document()
    del new["indicators"][2]

    change = single_change(old, new)

    assert change["path"] == "indicators/team_morale"
    assert (change["kind"], change["from"], change["to"]) == ("removed", old["indicators"][2], None)
    assert change["summary"] == "删除指标 团队士气评分"


def test_formula_change_carries_both_texts_and_unified_diff_lines() -> None:
    new = make_document()
    indicator(new, "sales_attainment")["formula"] = SALES_FORMULA + " + bonus"

    change = single_change(make_document(), new)

    assert change["path"] == "indicators/sales_attainment/formula"
    assert (change["from"], change["to"]) == (SALES_FORMULA, SALES_FORMULA + " + bonus")
    assert change["summary"] == f"销售额达成率 公式: {SALES_FORMULA} → {SALES_FORMULA} + bonus"
    assert f"-{SALES_FORMULA}" in change["diff"]
    assert f"+{SALES_FORMULA} + bonus" in change["diff"]
    assert any(line.startswith("@@") for line in change["diff"])


def test_multiline_formula_diff_shows_only_the_changed_line() -> None:
    old, new = make_document(), make_document()
    indicator(old, "team_morale")["formula"] = "rated(strategy)\n* 1\n+ 0"
    indicator(new, "team_morale")["formula"] = "rated(strategy)\n* 2\n+ 0"

    diff = single_change(old, new)["diff"]

    assert [line for line in diff if line[:1] in "+-" and line[:3] not in ("---", "+++")] == [
        "-* 1",
        "+* 2",
    ]


def test_adjustment_condition_change_has_a_diff_and_names_the_adjustment() -> None:
    new = make_document()
    new["adjustments"][0]["when"] = "months_between(hire_date, period_end) < 3"

    change = single_change(make_document(), new)

    assert change["path"] == "adjustments/new_hire/when"
    assert change["summary"] == (
        "调整 入职未满6个月 条件: months_between(hire_date, period_end) < 6"
        " → months_between(hire_date, period_end) < 3"
    )
    assert "+months_between(hire_date, period_end) < 3" in change["diff"]


def test_scoring_formula_added_has_a_diff_from_nothing() -> None:
    new = make_document()
    indicator(new, "team_morale")["scoring"] = {"type": "formula", "formula": "min(value, 120)"}
    old = make_document()
    indicator(old, "team_morale")["scoring"] = {"type": "formula"}

    change = single_change(old, new)

    assert change["path"] == "indicators/team_morale/scoring/formula"
    assert (change["kind"], change["from"], change["to"]) == ("added", None, "min(value, 120)")
    assert "+min(value, 120)" in change["diff"]


def test_points_list_change_is_one_change_with_both_whole_lists() -> None:
    new = make_document()
    indicator(new, "sales_attainment")["scoring"]["points"] = [[0, 0], [100, 100], [120, 110]]

    change = single_change(make_document(), new)

    assert change["path"] == "indicators/sales_attainment/scoring/points"
    assert change["from"] == [[0, 0], [120, 120]]
    assert change["to"] == [[0, 0], [100, 100], [120, 110]]
    assert change["summary"].startswith("销售额达成率 计分 计分点 [[0, 0], [120, 120]] → ")


@pytest.mark.parametrize(
    ("path", "edit"),
    [
        ("indicators/customer_satisfaction/scoring/bands", lambda d: d["indicators"][1]["scoring"]["bands"].append({"min": 0, "score": 10})),
        ("dimensions/results/weight_range", lambda d: d["dimensions"][0].update(weight_range=[35, 45])),
        ("inputs/strategy/raters", lambda d: d["inputs"]["strategy"].update(raters=["superior", "peer"])),
    ],
)  # fmt: skip
def test_keyless_lists_are_one_change(path: str, edit: Any) -> None:
    old, new = make_document(), make_document()
    edit(new)

    change = single_change(old, new)

    assert change["path"] == path
    assert isinstance(change["from"], list) and isinstance(change["to"], list)


def test_nested_adjustment_mappings_recurse_to_the_changed_value() -> None:
    new = make_document()
    new["adjustments"][0]["weights"]["sales_attainment"] = 20
    new["adjustments"][1]["scores"]["customer_satisfaction"]["deduct"] = 15

    changes = diff_documents(make_document(), new)

    assert [(c["path"], c["from"], c["to"], c["summary"]) for c in changes] == [
        (
            "adjustments/new_hire/weights/sales_attainment",
            15,
            20,
            "调整 入职未满6个月 权重 销售额达成率 15% → 20%",
        ),
        (
            "adjustments/complaint_link/scores/customer_satisfaction/deduct",
            10,
            15,
            "调整 投诉率联动扣分 得分 客户满意度 扣减 10 → 15",
        ),
    ]


def test_rating_change_is_named_by_its_label() -> None:
    new = make_document()
    new["rating"][0]["bonus_multiplier"] = 1.6

    change = single_change(make_document(), new)

    assert change["path"] == "rating/excellent/bonus_multiplier"
    assert change["summary"] == "评级 优秀 奖金系数 1.5 → 1.6"


def test_examples_are_keyed_by_name() -> None:
    new = make_document()
    new["examples"].reverse()
    new["examples"][1]["expect"]["total"] = 98.5

    change = single_change(make_document(), new)

    assert change["path"] == "examples/全面达标/expect/total"
    assert (change["from"], change["to"]) == (100.0, 98.5)
    assert change["summary"] == "示例 全面达标 期望 总分 100 → 98.5"


def test_inputs_are_keyed_by_name() -> None:
    new = make_document()
    new["inputs"]["actual_sales"]["max"] = 10000000
    new["inputs"]["complaint_rate"] = {"type": "number", "min": 0, "max": 1}

    changes = diff_documents(make_document(), new)

    assert [(c["path"], c["kind"], c["summary"]) for c in changes] == [
        ("inputs/actual_sales/max", "added", "输入 actual_sales 上限 未设置 → 10000000"),
        ("inputs/complaint_rate", "added", "新增输入 complaint_rate"),
    ]


def test_rater_weight_change_is_named_by_the_rater() -> None:
    new = make_document()
    new["raters"]["peer"] = 25

    change = single_change(make_document(), new)

    assert (change["path"], change["from"], change["to"]) == ("raters/peer", 20, 25)
    assert change["summary"] == "评价人 peer 权重 20 → 25"


def test_top_level_scalars_change_at_their_name() -> None:
    new = make_document()
    new["precision"] = 1
    new["name"] = "大区销售经理"

    changes = diff_documents(make_document(), new)

    assert [(c["path"], c["from"], c["to"]) for c in changes] == [
        ("name", "区域销售经理", "大区销售经理"),
        ("precision", 2, 1),
    ]
    assert changes[1]["summary"] == "小数位数 2 → 1"


def test_references_are_shown_by_label() -> None:
    new = make_document()
    indicator(new, "sales_attainment")["dimension"] = "team"

    change = single_change(make_document(), new)

    assert change["summary"] == "销售额达成率 维度 业绩结果 → 团队管理"


def english(document: dict[str, Any]) -> dict[str, Any]:
    document["language"] = "en"
    for item, name in zip(
        document["indicators"],
        ("Sales attainment", "Customer satisfaction", "Team morale"),
        strict=True,
    ):
        item["name"] = name
    document["rating"][0]["label"] = "Excellent"
    return document


def test_english_summaries_when_the_new_document_is_english() -> None:
    old, new = english(make_document()), english(make_document())
    indicator(new, "sales_attainment")["weight"] = 20
    del new["indicators"][2]
    new["indicators"].append({"key": "market_share", "name": "Market share growth", "weight": 0})
    new["rating"][0]["bonus_multiplier"] = 1.6

    summaries = [c["summary"] for c in diff_documents(old, new)]

    assert summaries == [
        "Sales attainment weight 25% → 20%",
        "Removed indicator Team morale",
        "Added indicator Market share growth",
        "Rating Excellent bonus multiplier 1.5 → 1.6",
    ]


def test_summary_language_is_the_new_documents() -> None:
    old, new = make_document(), make_document()
    old["language"] = "en"
    indicator(new, "sales_attainment")["weight"] = 20

    to_chinese = diff_documents(old, new)
    to_english = diff_documents(new, old)

    assert [c["summary"] for c in to_chinese] == ["语言 en → zh-CN", "销售额达成率 权重 25% → 20%"]
    assert [c["summary"] for c in to_english] == [
        "Language zh-CN → en",
        "销售额达成率 weight 20% → 25%",
    ]


def test_numbers_equal_as_numbers_are_no_change() -> None:
    new = make_document()
    indicator(new, "sales_attainment")["weight"] = 25.0
    indicator(new, "sales_attainment")["scoring"]["points"] = [[0.0, 0], [120, 120.0]]
    new["raters"]["superior"] = 50.0
    new["examples"][0]["expect"]["total"] = 100

    assert diff_documents(make_document(), new) == []


def test_a_boolean_is_not_a_number() -> None:
    old, new = make_document(), make_document()
    indicator(old, "team_morale")["optional"] = 1
    indicator(new, "team_morale")["optional"] = True

    change = single_change(old, new)

    assert change["summary"] == "团队士气评分 可选 1 → 是"


def test_order_follows_the_new_document_with_removals_where_they_were() -> None:
    old = {"indicators": [{"key": k, "weight": 1} for k in ("gone_first", "a", "b", "c")]}
    new = {"indicators": [{"key": k, "weight": 2} for k in ("c", "a", "d")]}

    paths = [c["path"] for c in diff_documents(old, new)]

    assert paths == [
        "indicators/gone_first",
        "indicators/c/weight",
        "indicators/a/weight",
        "indicators/b",
        "indicators/d",
    ]


def test_items_without_usable_keys_are_named_by_index() -> None:
    old = {"indicators": [{"name": "甲", "weight": 1}, {"key": "dup"}, {"key": "dup"}, {"key": 7}]}
    new = copy.deepcopy(old)
    new["indicators"][0]["weight"] = 2
    new["indicators"][2]["weight"] = 3
    new["indicators"][3]["weight"] = 4

    changes = diff_documents(old, new)

    assert [(c["path"], c["kind"]) for c in changes] == [
        ("indicators/0/weight", "changed"),
        ("indicators/2/weight", "added"),
        ("indicators/3/weight", "added"),
    ]
    assert changes[0]["summary"] == "甲 权重 1% → 2%"


def test_non_dict_items_are_compared_by_index() -> None:
    changes = diff_documents({"indicators": [1, "x", None]}, {"indicators": [1, "y"]})

    assert [(c["path"], c["kind"], c["from"], c["to"]) for c in changes] == [
        ("indicators/1", "changed", "x", "y"),
        ("indicators/2", "removed", None, None),
    ]


def test_slash_in_a_name_is_escaped_in_the_path() -> None:
    old = {"examples": [{"name": "Q3/达标", "expect": {"total": 1}}]}
    new = {"examples": [{"name": "Q3/达标", "expect": {"total": 2}}]}

    assert single_change(old, new)["path"] == "examples/Q3~1达标/expect/total"


def self_referencing_list() -> list[Any]:
    value: list[Any] = [1]
    value.append(value)
    return value


def deeply_nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {"leaf": 1}
    for _ in range(depth):
        value = {"x": value}
    return value


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (None, make_document()),
        (make_document(), ["not", "a", "document"]),
        ({"indicators": "oops", "inputs": [1]}, {"indicators": {"a": 1}, "inputs": None}),
        ({"indicators": [{"key": None}, [], {}]}, {"indicators": [{"key": ""}, {"key": "7"}]}),
        ({"rating": [{"key": "a", "label": 5}]}, {"rating": [{"key": "a", "label": 6}]}),
        ({"raters": {1: 2, "x": None}}, {"raters": {"1": 3, True: 1}}),
        ({"examples": [{"name": ["list"]}, 3.5]}, {"examples": [{"name": {"d": 1}}]}),
        ({"indicators": [{"key": "k", "formula": 3}]}, {"indicators": [{"key": "k", "formula": None}]}),
        ({"precision": 10**5000}, {"precision": float("nan")}),
        ({"x": deeply_nested(300)}, {"x": deeply_nested(299)}),
        ({"x": self_referencing_list()}, {"x": [2]}),
        ({"language": 5, 3: {"a": 1}}, {"language": ["en"], 3: {"a": 2}}),
    ],
)  # fmt: skip
def test_odd_input_never_raises(old: Any, new: Any) -> None:
    changes = diff_documents(old, new)

    assert changes
    for change in changes:
        assert isinstance(change["path"], str) and change["path"]
        assert change["kind"] in ("added", "removed", "changed")
        assert isinstance(change["summary"], str) and change["summary"]


def test_odd_but_identical_input_has_no_changes() -> None:
    odd = {"indicators": [1, {"key": "dup"}, {"key": "dup"}], "x": float("nan"), "y": None}

    assert diff_documents(odd, copy.deepcopy(odd)) == []
    assert diff_documents(None, []) == []


def test_summarize_changes_counts_each_kind() -> None:
    new = make_document()
    indicator(new, "sales_attainment")["weight"] = 20
    del new["indicators"][2]

    assert summarize_changes(diff_documents(make_document(), new)) == {
        "added": 0,
        "removed": 1,
        "changed": 1,
    }


@pytest.mark.parametrize("path", RULESETS, ids=[path.name for path in RULESETS])
def test_default_rulesets_diff_cleanly(path: Path) -> None:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    shuffled = copy.deepcopy(document)
    for field in ("indicators", "dimensions", "adjustments", "rating", "streaks", "examples"):
        if isinstance(shuffled.get(field), list):
            shuffled[field].reverse()

    assert diff_documents(document, shuffled) == []
    assert diff_documents({}, document)

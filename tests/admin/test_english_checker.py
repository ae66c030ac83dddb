"""The checker the browser tests use to find English sentences on a Chinese page."""

from __future__ import annotations

import pytest

from tests.admin.english import english_sentences


@pytest.mark.parametrize(
    "text",
    [
        "⚠ dimension results (业绩结果): its indicator weights sum to 39, outside its range 40-50",
        "'6%' is not a number",
        "the password needs at least 10 characters",
        "team_lead is evaluated per quarter; 2026-10 is a month",
        "实际销售额 must be a number",
        "Details",
        "保存 · Save draft",
    ],
)
def test_english_sentences_are_found(text):
    assert english_sentences(text)


@pytest.mark.parametrize(
    "text",
    [
        "销售额达成率 = 1,200,000 / 1,000,000 × 100 = 120.00 → 得分 120.00 × 25% = 30.00",
        "公式 actual_sales / target_salez * 100 中有未知名称 target_salez，是否应为 target_sales？",
        "区域销售经理 · 第 2 版 · 2025-Q3 · 9,000,000 元",
        "中文 English · 导出 CSV · API 密钥 · hr@example.com https://example.com/x",
        "评价人类型 superior 上级 · 权限 evaluate, read, publish",
        "excellent",
    ],
)
def test_keys_formulas_numbers_and_names_are_not_english_sentences(text):
    assert english_sentences(text) == []

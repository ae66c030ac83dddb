"""Builders shared by the engine tests: small valid documents each test edits, and helpers
that compile, evaluate and pick rows out of results.

Factories are session-scoped fixtures returning plain functions (every call builds fresh
data), so Hypothesis tests can use them too.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from server.engine import (
    CompiledRuleset,
    Problem,
    SubmissionRejected,
    compile_ruleset,
    load_document,
    validate_document,
)

FIXTURES = Path(__file__).parent / "fixtures"
MINI_PATH = FIXTURES / "mini.yaml"

RATING_BANDS: list[dict[str, Any]] = [
    {"key": "excellent", "label": "优秀", "min": 90, "bonus_multiplier": 1.5},
    {"key": "good", "label": "良好", "min": 80, "bonus_multiplier": 1.2},
    {"key": "pass", "label": "合格", "min": 70, "bonus_multiplier": 1.0},
    {"key": "fail", "label": "不合格", "min": 0, "bonus_multiplier": 0.5},
]


def indicator(
    key: str = "a",
    formula: str = "x",
    weight: float = 100,
    *,
    name: str | None = None,
    dimension: str = "main",
    **extra: Any,
) -> dict[str, Any]:
    """One indicator entry; `extra` adds scoring, optional, fallback, ..."""
    return {
        "key": key,
        "name": name or f"指标{key}",
        "dimension": dimension,
        "formula": formula,
        "weight": weight,
        **extra,
    }


def build_document(**fields: Any) -> dict[str, Any]:
    """A minimal valid quarterly document: one number input `x`, one indicator `a` (= x,
    weight 100, scored by the default clamp) in one dimension `main`, four rating bands.
    Keyword arguments replace top-level fields (None removes the field)."""
    document: dict[str, Any] = {
        "role": "test_role",
        "name": "测试岗位",
        "language": "zh-CN",
        "period": "quarter",
        "precision": 2,
        "inputs": {"x": {"type": "number", "label": "数值X"}},
        "dimensions": [{"key": "main", "name": "主维度"}],
        "indicators": [indicator()],
        "rating": copy.deepcopy(RATING_BANDS),
    }
    for name, value in fields.items():
        if value is None:
            document.pop(name, None)
        else:
            document[name] = copy.deepcopy(value)
    return document


def compile_valid(document: dict[str, Any]) -> CompiledRuleset:
    """Compile a document the test expects to be valid; fail with its problems otherwise."""
    report = validate_document(document, check_examples=False)
    assert report.valid, [(p.path, p.message) for p in report.errors]
    return compile_ruleset(document)


def run(
    document: dict[str, Any],
    inputs: dict[str, Any],
    period: str = "2025-Q3",
    **options: Any,
) -> dict[str, Any]:
    """Compile and evaluate one submission; the result dict."""
    return compile_valid(document).evaluate(inputs, period, **options)


def rejection(
    document: dict[str, Any],
    inputs: dict[str, Any],
    period: str = "2025-Q3",
    **options: Any,
) -> list[Problem]:
    """Compile and evaluate a submission the test expects to be rejected; its problems."""
    ruleset = compile_valid(document)
    with pytest.raises(SubmissionRejected) as caught:
        ruleset.evaluate(inputs, period, **options)
    assert caught.value.problems, "a rejection must list at least one problem"
    return caught.value.problems


def row(result: dict[str, Any], key: str) -> dict[str, Any]:
    """The indicator row `key` of a result."""
    rows = [r for r in result["indicators"] if r["key"] == key]
    assert len(rows) == 1, f"no single indicator row {key!r}"
    return rows[0]


def dimension_row(result: dict[str, Any], key: str) -> dict[str, Any]:
    """The dimension row `key` of a result."""
    rows = [r for r in result["dimensions"] if r["key"] == key]
    assert len(rows) == 1, f"no single dimension row {key!r}"
    return rows[0]


def mini_document() -> dict[str, Any]:
    """A fresh copy of tests/engine/fixtures/mini.yaml."""
    return load_document(MINI_PATH.read_text(encoding="utf-8"))


def mini_inputs(**changes: Any) -> dict[str, Any]:
    """Inputs of mini.yaml's example (an established manager); keyword arguments replace
    values (None removes the name)."""
    inputs: dict[str, Any] = {
        "actual_sales": 1_200_000,
        "target_sales": 1_000_000,
        "share": 0.15,
        "share_prev": 0.10,
        "satisfaction": 90,
        "hire_date": "2020-01-01",
        "strategy": {"superior": 80},
    }
    for name, value in changes.items():
        if value is None:
            inputs.pop(name, None)
        else:
            inputs[name] = value
    return inputs


class Builders:
    """The helpers above, handed to tests through the `sc` fixture."""

    indicator = staticmethod(indicator)
    document = staticmethod(build_document)
    compile = staticmethod(compile_valid)
    run = staticmethod(run)
    rejection = staticmethod(rejection)
    row = staticmethod(row)
    dimension = staticmethod(dimension_row)
    mini_inputs = staticmethod(mini_inputs)
    bands = RATING_BANDS


@pytest.fixture(scope="session")
def sc() -> type[Builders]:
    """Document builders and evaluation helpers (see `Builders`)."""
    return Builders


@pytest.fixture
def mini() -> dict[str, Any]:
    """A fresh copy of the mini.yaml document."""
    return mini_document()

"""render() (a template unparsed once) prints exactly what substituting into the tree prints."""

from __future__ import annotations

from datetime import date

import pytest

from server.engine import formula as fml
from server.engine.formula import render, render_by_substitution

SCOPE = fml.Scope(
    names={
        "x": fml.NUMBER, "y": fml.NUMBER, "flag": fml.BOOLEAN, "d": fml.DATE,
        "e": fml.DATE, "r": fml.RATINGS, "xs": fml.LIST, "s": fml.STRING,
    },
    rating_kinds={"r": ("boss", "peer")},
)  # fmt: skip
FORMULAS = [
    "x / y * 100",
    "-x ** 2 + (x - y) * (x + y)",
    "x if flag else -y",
    "not flag and x > y or y <= 0",
    "rated(r) * 0.5 + r['boss'] - r['peer']",
    "months_between(d, e) + days_between(d, e) / 30",
    "clamp(x * 1.5, 0, 120) + max(xs) + len(xs) + mean(x, y, 3)",
    "div(x, y, 0) // 2 % 7",
    "1 if s == 'a * b' else 2 * x",
    "0 < x < y <= 100",
]
VALUES = [
    {"x": 1_200_000.0, "y": 1_000_000.0, "flag": True, "d": date(2020, 1, 31),
     "e": date(2025, 9, 30), "r": {"boss": [80.0, 91.0]}, "xs": [1.0, 2.0], "s": "a * b"},
    {"x": -0.000012, "y": 3.3333333333, "flag": False, "r": {}, "s": "z"},
    {"x": 1e20, "y": float("inf")},
    {},
]  # fmt: skip


@pytest.mark.parametrize("text", FORMULAS)
def test_render_matches_substitution(text):
    checked = fml.check(text, SCOPE)
    for values in VALUES:
        assert render(checked, values) == render_by_substitution(checked, values)

"""A ruleset document as the draft editor's form fields (names like `indicators-2-formula`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from admin.editor import samples
from admin.editor.values import (
    MISSING,
    bool_text,
    list_text,
    mapping_text,
    number_text,
)

GENERAL_TEXT = ("role", "name", "description", "language", "period")
SCORE_OPS = ("deduct", "add", "cap", "floor", "set")
TOTAL_OPS = ("deduct", "add", "cap", "floor", "multiply")


def items(document: Mapping[str, Any], section: str) -> list[dict[str, Any]]:
    """The dict items of a list section (anything else in it is ignored by the form)."""
    value = document.get(section)
    return [i for i in value if isinstance(i, dict)] if isinstance(value, list) else []


def entries(document: Mapping[str, Any], section: str) -> list[tuple[str, Any]]:
    """The (name, value) pairs of a mapping section (`inputs`, `raters`)."""
    value = document.get(section)
    return list(value.items()) if isinstance(value, dict) else []


def text(value: Any) -> str:
    """A value shown in a plain text field."""
    if value is None or value is MISSING:
        return ""
    if isinstance(value, bool | int | float):
        return number_text(value)
    return value if isinstance(value, str) else str(value)


def pairs(mapping: Any) -> list[tuple[str, Any]]:
    return list(mapping.items()) if isinstance(mapping, dict) else []


def single(op: Any) -> tuple[str, Any]:
    """The one (operation, amount) of an adjustment effect."""
    if isinstance(op, dict) and op:
        key = next(iter(op))
        return str(key), op[key]
    return "", MISSING


def to_values(document: Mapping[str, Any]) -> dict[str, str]:
    """Every form field's value for `document`."""
    v: dict[str, str] = {}
    for key in GENERAL_TEXT:
        v[key] = text(document.get(key))
    v["precision"] = number_text(document.get("precision", MISSING))
    for i, (kind, weight) in enumerate(entries(document, "raters")):
        v[f"raters-{i}-kind"], v[f"raters-{i}-weight"] = kind, number_text(weight)
    for i, (name, spec) in enumerate(entries(document, "inputs")):
        spec = spec if isinstance(spec, dict) else {}
        v[f"inputs-{i}-name"] = name
        for prop in ("type", "label", "unit", "description"):
            v[f"inputs-{i}-{prop}"] = text(spec.get(prop))
        v[f"inputs-{i}-min"] = number_text(spec.get("min", MISSING))
        v[f"inputs-{i}-max"] = number_text(spec.get("max", MISSING))
        default = spec.get("default", MISSING)
        v[f"inputs-{i}-default"] = (
            bool_text(default) if isinstance(default, bool) else number_text(default)
        )
        v[f"inputs-{i}-enum"] = list_text(spec.get("enum"))
        v[f"inputs-{i}-raters"] = list_text(spec.get("raters"))
        v[f"inputs-{i}-required"] = "" if spec.get("required") is False else "y"
    for i, dim in enumerate(items(document, "dimensions")):
        for prop in ("key", "name", "description"):
            v[f"dimensions-{i}-{prop}"] = text(dim.get(prop))
        low, high = (list(dim.get("weight_range") or []) + [MISSING, MISSING])[:2]
        v[f"dimensions-{i}-range_min"], v[f"dimensions-{i}-range_max"] = (
            number_text(low),
            number_text(high),
        )
    for i, ind in enumerate(items(document, "indicators")):
        _indicator_values(v, f"indicators-{i}", ind)
    for i, adj in enumerate(items(document, "adjustments")):
        _adjustment_values(v, f"adjustments-{i}", adj)
    for i, band in enumerate(items(document, "rating")):
        for prop in ("key", "label", "description"):
            v[f"rating-{i}-{prop}"] = text(band.get(prop))
        v[f"rating-{i}-min"] = number_text(band.get("min", MISSING))
        v[f"rating-{i}-bonus_multiplier"] = number_text(band.get("bonus_multiplier", MISSING))
    for i, streak in enumerate(items(document, "streaks")):
        for prop in ("key", "label", "rating"):
            v[f"streaks-{i}-{prop}"] = text(streak.get(prop))
        v[f"streaks-{i}-count"] = number_text(streak.get("count", MISSING))
    for i, example in enumerate(items(document, "examples")):
        _example_values(v, document, f"examples-{i}", example)
    return v


def _indicator_values(v: dict[str, str], p: str, ind: dict[str, Any]) -> None:
    for prop in ("key", "name", "dimension", "formula", "unit", "description"):
        v[f"{p}-{prop}"] = text(ind.get(prop))
    v[f"{p}-weight"] = number_text(ind.get("weight", MISSING))
    v[f"{p}-fallback"] = number_text(ind.get("fallback", MISSING))
    v[f"{p}-optional"] = "y" if ind.get("optional") is True else ""
    scoring = ind.get("scoring") if isinstance(ind.get("scoring"), dict) else {}
    v[f"{p}-scoring_type"] = text(scoring.get("type"))
    points = scoring.get("points") if isinstance(scoring.get("points"), list) else []
    for j, point in enumerate(points):
        x, s = (
            (list(point) + [MISSING, MISSING])[:2]
            if isinstance(point, list)
            else (MISSING, MISSING)
        )
        v[f"{p}-points-{j}-x"], v[f"{p}-points-{j}-score"] = number_text(x), number_text(s)
    bands = scoring.get("bands") if isinstance(scoring.get("bands"), list) else []
    for j, band in enumerate(bands):
        band = band if isinstance(band, dict) else {}
        v[f"{p}-bands-{j}-min"] = number_text(band.get("min", MISSING))
        v[f"{p}-bands-{j}-score"] = number_text(band.get("score", MISSING))
        v[f"{p}-bands-{j}-label"] = text(band.get("label"))
    v[f"{p}-bands_else"] = number_text(scoring.get("else", MISSING))
    v[f"{p}-scoring_formula"] = (
        text(scoring.get("formula")) if scoring.get("type") == "formula" else ""
    )


def _adjustment_values(v: dict[str, str], p: str, adj: dict[str, Any]) -> None:
    for prop in ("key", "name", "when", "description"):
        v[f"{p}-{prop}"] = text(adj.get(prop))
    for j, (key, weight) in enumerate(pairs(adj.get("weights"))):
        v[f"{p}-weights-{j}-indicator"], v[f"{p}-weights-{j}-weight"] = key, number_text(weight)
    for j, (key, op) in enumerate(pairs(adj.get("scores"))):
        name, amount = single(op)
        v[f"{p}-scores-{j}-indicator"], v[f"{p}-scores-{j}-op"] = key, name
        v[f"{p}-scores-{j}-amount"] = number_text(amount)
    name, amount = single(adj.get("total"))
    v[f"{p}-total_op"], v[f"{p}-total_amount"] = name, number_text(amount)
    name, key = single(adj.get("rating"))
    v[f"{p}-rating_op"], v[f"{p}-rating_key"] = name, text(key)


def _example_values(
    v: dict[str, str], document: Mapping[str, Any], p: str, example: dict[str, Any]
) -> None:
    for prop in ("name", "period", "description"):
        v[f"{p}-{prop}"] = text(example.get(prop))
    inputs = example.get("inputs") if isinstance(example.get("inputs"), dict) else {}
    v.update(samples.to_values(document, f"{p}-inputs", inputs))
    expect = example.get("expect") if isinstance(example.get("expect"), dict) else {}
    v[f"{p}-expect_total"] = number_text(expect.get("total", MISSING))
    v[f"{p}-expect_rating"] = text(expect.get("rating"))
    v[f"{p}-expect_bonus_multiplier"] = number_text(expect.get("bonus_multiplier", MISSING))
    v[f"{p}-expect_outcomes"] = list_text(expect.get("outcomes"))
    scores = expect.get("indicators") if isinstance(expect.get("indicators"), dict) else {}
    for ind in items(document, "indicators"):
        key = str(ind.get("key"))
        v[f"{p}-expect-{key}"] = number_text(scores.get(key, MISSING))
    v[f"{p}-history"] = mapping_text(example.get("history"))

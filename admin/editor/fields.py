"""A ruleset document <-> the draft editor's form fields (names like `indicators-2-formula`)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from admin.editor import samples
from admin.editor.values import (
    MISSING,
    bool_text,
    keep_form,
    list_text,
    mapping_text,
    number_text,
    parse_bool,
    parse_list,
    parse_mapping,
    parse_number,
    put,
)

GENERAL_TEXT = ("role", "name", "description", "language", "period")
INPUT_PROPS = ("type", "label", "unit", "min", "max", "default", "enum", "raters", "description")
SCORE_OPS = ("deduct", "add", "cap", "floor", "set")
TOTAL_OPS = ("deduct", "add", "cap", "floor", "multiply")
RATING_OPS = ("max", "set")
SCORING_TYPES = ("", "linear", "bands", "formula")


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


def _pairs(mapping: Any) -> list[tuple[str, Any]]:
    return list(mapping.items()) if isinstance(mapping, dict) else []


def _single(op: Any) -> tuple[str, Any]:
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
    for j, (key, weight) in enumerate(_pairs(adj.get("weights"))):
        v[f"{p}-weights-{j}-indicator"], v[f"{p}-weights-{j}-weight"] = key, number_text(weight)
    for j, (key, op) in enumerate(_pairs(adj.get("scores"))):
        name, amount = _single(op)
        v[f"{p}-scores-{j}-indicator"], v[f"{p}-scores-{j}-op"] = key, name
        v[f"{p}-scores-{j}-amount"] = number_text(amount)
    name, amount = _single(adj.get("total"))
    v[f"{p}-total_op"], v[f"{p}-total_amount"] = name, number_text(amount)
    name, key = _single(adj.get("rating"))
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


def from_form(form: Mapping[str, str], base: Mapping[str, Any]) -> dict[str, Any]:
    """The document the posted fields describe; the rows are those of `base` it was shown from."""
    doc = copy.deepcopy(dict(base))
    f = lambda name: form.get(name, "")  # noqa: E731
    for key in GENERAL_TEXT:
        put(doc, key, f(key) if f(key).strip() else MISSING)
    put(doc, "precision", keep_form(parse_number(f("precision")), base.get("precision", MISSING)))
    if "raters" in base:
        raters = {}
        for i, (kind, weight) in enumerate(entries(base, "raters")):
            name = f(f"raters-{i}-kind").strip() or kind
            raters[name] = keep_form(parse_number(f(f"raters-{i}-weight")), weight)
        doc["raters"] = raters
    if "inputs" in base:
        inputs = {}
        for i, (name, spec) in enumerate(entries(base, "inputs")):
            new_name = f(f"inputs-{i}-name").strip() or name
            inputs[new_name] = _input_from_form(
                f, f"inputs-{i}", spec if isinstance(spec, dict) else {}
            )
        doc["inputs"] = inputs
    if "dimensions" in base:
        doc["dimensions"] = [
            _dimension_from_form(f, f"dimensions-{i}", d)
            for i, d in enumerate(items(base, "dimensions"))
        ]
    if "indicators" in base:
        doc["indicators"] = [
            _indicator_from_form(f, f"indicators-{i}", d)
            for i, d in enumerate(items(base, "indicators"))
        ]
    if "adjustments" in base:
        doc["adjustments"] = [
            _adjustment_from_form(f, f"adjustments-{i}", d)
            for i, d in enumerate(items(base, "adjustments"))
        ]
    if "rating" in base:
        doc["rating"] = [
            _band_from_form(f, f"rating-{i}", d) for i, d in enumerate(items(base, "rating"))
        ]
    if "streaks" in base:
        doc["streaks"] = [
            _streak_from_form(f, f"streaks-{i}", d) for i, d in enumerate(items(base, "streaks"))
        ]
    if "examples" in base:
        doc["examples"] = [
            _example_from_form(form, base, doc, f"examples-{i}", d)
            for i, d in enumerate(items(base, "examples"))
        ]
    return doc


def _text_props(f, p: str, item: dict[str, Any], props: tuple[str, ...]) -> None:
    for prop in props:
        put(item, prop, f(f"{p}-{prop}") if f(f"{p}-{prop}").strip() else MISSING)


def _num_props(
    f, p: str, item: dict[str, Any], old: Mapping[str, Any], props: tuple[str, ...]
) -> None:
    for prop in props:
        put(item, prop, keep_form(parse_number(f(f"{p}-{prop}")), old.get(prop, MISSING)))


def _flag(f, name: str, old: Any, default: bool) -> Any:
    checked = f(name) not in ("", None)
    if checked == default:
        return old if old is checked else MISSING
    return checked


def _input_from_form(f, p: str, old: dict[str, Any]) -> dict[str, Any]:
    spec = copy.deepcopy(old)
    _text_props(f, p, spec, ("type", "label", "unit", "description"))
    _num_props(f, p, spec, old, ("min", "max"))
    default_text = f(f"{p}-default")
    kind = spec.get("type")
    if kind in ("number", "integer"):
        default = parse_number(default_text)
    elif kind == "boolean":
        default = parse_bool(default_text)
    else:
        default = default_text if default_text.strip() else MISSING
    put(spec, "default", keep_form(default, old.get("default", MISSING)))
    put(spec, "enum", parse_list(f(f"{p}-enum")))
    put(spec, "raters", parse_list(f(f"{p}-raters")))
    put(spec, "required", _flag(f, f"{p}-required", old.get("required", MISSING), True))
    return spec


def _dimension_from_form(f, p: str, old: dict[str, Any]) -> dict[str, Any]:
    dim = copy.deepcopy(old)
    _text_props(f, p, dim, ("key", "name", "description"))
    low, high = parse_number(f(f"{p}-range_min")), parse_number(f(f"{p}-range_max"))
    if low is MISSING and high is MISSING:
        dim.pop("weight_range", None)
    else:
        old_range = list(old.get("weight_range") or []) + [MISSING, MISSING]
        dim["weight_range"] = [
            None if low is MISSING else keep_form(low, old_range[0]),
            None if high is MISSING else keep_form(high, old_range[1]),
        ]
    return dim


def _indicator_from_form(f, p: str, old: dict[str, Any]) -> dict[str, Any]:
    ind = copy.deepcopy(old)
    _text_props(f, p, ind, ("key", "name", "dimension", "formula", "unit", "description"))
    _num_props(f, p, ind, old, ("weight", "fallback"))
    put(ind, "optional", _flag(f, f"{p}-optional", old.get("optional", MISSING), False))
    put(ind, "scoring", _scoring_from_form(f, p, old.get("scoring")))
    return ind


def _scoring_from_form(f, p: str, old: Any) -> Any:
    old = old if isinstance(old, dict) else {}
    kind = f(f"{p}-scoring_type").strip()
    if kind == "":
        return MISSING
    if kind != old.get("type"):
        return new_scoring(kind)
    scoring = copy.deepcopy(old)
    if kind == "linear":
        points = old.get("points") if isinstance(old.get("points"), list) else []
        scoring["points"] = []
        for j, point in enumerate(points):
            was = (
                (list(point) + [MISSING, MISSING])[:2]
                if isinstance(point, list)
                else [MISSING, MISSING]
            )
            x = keep_form(parse_number(f(f"{p}-points-{j}-x")), was[0])
            s = keep_form(parse_number(f(f"{p}-points-{j}-score")), was[1])
            scoring["points"].append([None if x is MISSING else x, None if s is MISSING else s])
    elif kind == "bands":
        bands = old.get("bands") if isinstance(old.get("bands"), list) else []
        scoring["bands"] = []
        for j, band in enumerate(bands):
            band = copy.deepcopy(band) if isinstance(band, dict) else {}
            _num_props(f, f"{p}-bands-{j}", band, dict(band), ("min", "score"))
            _text_props(f, f"{p}-bands-{j}", band, ("label",))
            scoring["bands"].append(band)
        put(
            scoring, "else", keep_form(parse_number(f(f"{p}-bands_else")), old.get("else", MISSING))
        )
    elif kind == "formula":
        formula = f(f"{p}-scoring_formula")
        put(scoring, "formula", formula if formula.strip() else MISSING)
    return scoring


def new_scoring(kind: str) -> dict[str, Any]:
    """A starting point when HR picks a scoring type."""
    if kind == "linear":
        return {"type": "linear", "points": [[0, 0], [100, 100]]}
    if kind == "bands":
        return {
            "type": "bands",
            "bands": [{"min": 90, "score": 100}, {"min": 60, "score": 80}],
            "else": 0,
        }
    if kind == "formula":
        return {"type": "formula", "formula": "min(value, 100)"}
    return {"type": kind}


def _adjustment_from_form(f, p: str, old: dict[str, Any]) -> dict[str, Any]:
    adj = copy.deepcopy(old)
    _text_props(f, p, adj, ("key", "name", "when", "description"))
    if "weights" in old:
        weights = {}
        for j, (key, weight) in enumerate(_pairs(old.get("weights"))):
            name = f(f"{p}-weights-{j}-indicator").strip() or key
            weights[name] = keep_form(parse_number(f(f"{p}-weights-{j}-weight")), weight)
        adj["weights"] = weights
    if "scores" in old:
        scores = {}
        for j, (key, op) in enumerate(_pairs(old.get("scores"))):
            name = f(f"{p}-scores-{j}-indicator").strip() or key
            was_op, was_amount = _single(op)
            new_op = f(f"{p}-scores-{j}-op").strip() or was_op
            amount = keep_form(parse_number(f(f"{p}-scores-{j}-amount")), was_amount)
            scores[name] = {new_op: None if amount is MISSING else amount}
        adj["scores"] = scores
    if not f(f"{p}-total_op").strip():
        adj.pop("total", None)
    else:
        was_op, was_amount = _single(old.get("total"))
        amount = keep_form(parse_number(f(f"{p}-total_amount")), was_amount)
        adj["total"] = {f(f"{p}-total_op").strip(): None if amount is MISSING else amount}
    if f(f"{p}-rating_op").strip():
        adj["rating"] = {f(f"{p}-rating_op").strip(): f(f"{p}-rating_key").strip()}
    else:
        adj.pop("rating", None)
    return adj


def _band_from_form(f, p: str, old: dict[str, Any]) -> dict[str, Any]:
    band = copy.deepcopy(old)
    _text_props(f, p, band, ("key", "label", "description"))
    _num_props(f, p, band, old, ("min", "bonus_multiplier"))
    return band


def _streak_from_form(f, p: str, old: dict[str, Any]) -> dict[str, Any]:
    streak = copy.deepcopy(old)
    _text_props(f, p, streak, ("key", "label", "rating"))
    _num_props(f, p, streak, old, ("count",))
    return streak


def _example_from_form(form, base, doc, p: str, old: dict[str, Any]) -> dict[str, Any]:
    f = lambda name: form.get(name, "")  # noqa: E731
    example = copy.deepcopy(old)
    _text_props(f, p, example, ("name", "period", "description"))
    old_inputs = old.get("inputs") if isinstance(old.get("inputs"), dict) else {}
    example["inputs"] = samples.from_form(base, f"{p}-inputs", form, old_inputs)
    expect = copy.deepcopy(old.get("expect")) if isinstance(old.get("expect"), dict) else {}
    put(
        expect,
        "total",
        keep_form(parse_number(f(f"{p}-expect_total")), expect.get("total", MISSING)),
    )
    put(expect, "rating", f(f"{p}-expect_rating").strip() or MISSING)
    put(
        expect,
        "bonus_multiplier",
        keep_form(
            parse_number(f(f"{p}-expect_bonus_multiplier")), expect.get("bonus_multiplier", MISSING)
        ),
    )
    put(expect, "outcomes", parse_list(f(f"{p}-expect_outcomes")))
    old_scores = expect.get("indicators") if isinstance(expect.get("indicators"), dict) else {}
    scores = {}
    for ind in items(base, "indicators"):
        key = str(ind.get("key"))
        value = keep_form(parse_number(f(f"{p}-expect-{key}")), old_scores.get(key, MISSING))
        if value is not MISSING:
            scores[key] = value
    put(expect, "indicators", scores if scores else MISSING)
    example["expect"] = expect
    put(example, "history", parse_mapping(f(f"{p}-history")))
    return example

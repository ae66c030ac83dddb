"""The draft editor's posted fields -> a ruleset document (the inverse of fields.to_values).

Rows are those of the document the form was shown from; a field left as it was keeps the
document's value in its original form (25.0 stays 25.0), so an untouched form changes nothing.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from admin.editor import samples
from admin.editor.fields import GENERAL_TEXT, entries, items, pairs, single
from admin.editor.values import (
    MISSING,
    keep_form,
    parse_bool,
    parse_list,
    parse_mapping,
    parse_number,
    put,
)


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
        for j, (key, weight) in enumerate(pairs(old.get("weights"))):
            name = f(f"{p}-weights-{j}-indicator").strip() or key
            weights[name] = keep_form(parse_number(f(f"{p}-weights-{j}-weight")), weight)
        adj["weights"] = weights
    if "scores" in old:
        scores = {}
        for j, (key, op) in enumerate(pairs(old.get("scores"))):
            name = f(f"{p}-scores-{j}-indicator").strip() or key
            was_op, was_amount = single(op)
            new_op = f(f"{p}-scores-{j}-op").strip() or was_op
            amount = keep_form(parse_number(f(f"{p}-scores-{j}-amount")), was_amount)
            scores[name] = {new_op: None if amount is MISSING else amount}
        adj["scores"] = scores
    if not f(f"{p}-total_op").strip():
        adj.pop("total", None)
    else:
        was_op, was_amount = single(old.get("total"))
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

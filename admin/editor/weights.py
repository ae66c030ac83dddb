"""Weights as HR edits them: each dimension's indicators as one table, every `weights`
adjustment's effective weights beside the base ones, and keeping an adjustment's difference
to the base weight when the base weight moves."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from admin.editor.fields import items, pairs


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _tidy(value: float) -> int | float:
    """A computed weight as a document number: 20 rather than 20.0, rounded to 6 decimals."""
    rounded = round(value, 6)
    return int(rounded) if rounded == int(rounded) else rounded


@dataclass
class WeightAdjustment:
    """One adjustment with `weights`: its effective weight for every indicator."""

    index: int
    key: str
    name: str
    effective: dict[str, float | None] = field(default_factory=dict)  # indicator key -> weight
    named: set[str] = field(default_factory=set)  # the indicators it sets

    @property
    def total(self) -> float:
        return sum(w for w in self.effective.values() if w is not None)


def weight_adjustments(document: Mapping[str, Any]) -> list[WeightAdjustment]:
    """Every adjustment carrying `weights`, with the weights in force when it alone applies."""
    base = {str(i.get("key")): _number(i.get("weight")) for i in items(document, "indicators")}
    found = []
    for n, adj in enumerate(items(document, "adjustments")):
        weights = adj.get("weights")
        if not isinstance(weights, dict) or not weights:
            continue
        effective = dict(base)
        for key, weight in weights.items():
            if str(key) in effective:
                effective[str(key)] = _number(weight)
        found.append(
            WeightAdjustment(
                n,
                str(adj.get("key")),
                str(adj.get("name") or adj.get("key")),
                effective,
                {str(k) for k in weights},
            )
        )
    return found


@dataclass
class KeptDifference:
    """An adjustment weight moved with its indicator's base weight."""

    adjustment: int  # the adjustment's position
    adjustment_name: str
    indicator: str
    indicator_name: str
    before: Any
    after: Any


def kept_differences(saved: Mapping[str, Any], edited: Mapping[str, Any]) -> list[KeptDifference]:
    """For each base weight changed from `saved` to `edited`, each `weights` adjustment naming
    that indicator (and left as it was saved) moves by the same amount, never below 0."""
    old_base = {str(i.get("key")): _number(i.get("weight")) for i in items(saved, "indicators")}
    new_base = {str(i.get("key")): _number(i.get("weight")) for i in items(edited, "indicators")}
    names = {
        str(i.get("key")): str(i.get("name") or i.get("key")) for i in items(edited, "indicators")
    }
    saved_adjustments = items(saved, "adjustments")
    kept = []
    for n, adj in enumerate(items(edited, "adjustments")):
        before = saved_adjustments[n].get("weights") if n < len(saved_adjustments) else None
        if not isinstance(before, dict):
            continue
        for key, weight in pairs(adj.get("weights")):
            old, new = old_base.get(key), new_base.get(key)
            was = _number(before.get(key))
            if old is None or new is None or old == new or was is None or weight != before[key]:
                continue
            kept.append(
                KeptDifference(
                    n,
                    str(adj.get("name") or adj.get("key")),
                    key,
                    names.get(key, key),
                    weight,
                    _tidy(max(0.0, was + new - old)),
                )
            )
    return kept


def keep_differences(saved: Mapping[str, Any], edited: dict[str, Any]) -> list[KeptDifference]:
    """Apply `kept_differences` to `edited` in place; the changes made."""
    kept = kept_differences(saved, edited)
    adjustments = items(edited, "adjustments")
    for change in kept:
        adjustments[change.adjustment]["weights"][change.indicator] = change.after
    return kept


def by_dimension(document: Mapping[str, Any]) -> list[tuple[str, str, list[int]]]:
    """(dimension key, name, indicator positions) in document order; indicators whose
    dimension is not declared come last under an empty key."""
    dims = [
        (str(d.get("key")), str(d.get("name") or d.get("key")))
        for d in items(document, "dimensions")
    ]
    known = {key for key, _ in dims}
    groups: dict[str, list[int]] = {key: [] for key, _ in dims}
    stray = []
    for i, ind in enumerate(items(document, "indicators")):
        key = str(ind.get("dimension"))
        (groups[key] if key in known else stray).append(i)
    found = [(key, name, groups[key]) for key, name in dims]
    if stray:
        found.append(("", "", stray))
    return found

"""During the period (SPEC §10): projecting figures to date, and what it takes to reach the
next band.

Both work on a compiled ruleset and plain inputs, with no storage: the services call them
for `/evaluate` and `/tracking`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Any

from .functions import half_up
from .model import InputSpec, Ruleset
from .periods import Period, parse_period
from .problems import SubmissionRejected

SEARCH_SPAN = 1000.0  # without a bound, a lever is searched up to 1,000 × max(|current|, 1)
STEPS_PER_UNIT = {"number": 100, "integer": 1}  # the grid: multiples of 0.01, of 1 for integer

NEEDS = {
    "zh-CN": {
        "increase": "再完成 {label} {change}{unit} 即可达到 {band}",
        "decrease": "{label} 再减少 {change}{unit} 即可达到 {band}",
    },
    "en": {
        "increase": "{change}{unit} more {label} reaches {band}",
        "decrease": "{change}{unit} less {label} reaches {band}",
    },
}


def period_days(period: Period) -> int:
    """D: the days of the period, both ends counted."""
    return (period.end - period.start).days + 1


def elapsed_days(period: Period, as_of: date) -> int:
    """d: the days from the period's first day to `as_of`, both ends counted."""
    return (as_of - period.start).days + 1


def in_period(period: str, as_of: date) -> bool:
    """Whether `as_of` is a day of `period`."""
    parsed = parse_period(period)
    return parsed.start <= as_of <= parsed.end


def projected_inputs(ruleset: Ruleset) -> tuple[InputSpec, ...]:
    """The `projection: linear` inputs, in document order."""
    return tuple(spec for spec in ruleset.inputs.values() if spec.projection == "linear")


def project(
    ruleset: Ruleset, inputs: Mapping[str, Any], period: str, as_of: date
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The inputs with each `projection: linear` figure to date projected to the period's end
    (value × D / d, at most the input's max), and the result's `projection` block."""
    parsed = parse_period(period)
    total_days, elapsed = period_days(parsed), elapsed_days(parsed, as_of)
    projected = dict(inputs)
    block: dict[str, Any] = {}
    for spec in projected_inputs(ruleset):
        value = inputs.get(spec.name)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue  # missing or not a number: the submission check says so
        if not math.isfinite(value):
            continue
        estimate = float(value) * total_days / elapsed
        if spec.max is not None and estimate > spec.max:
            estimate = spec.max
        projected[spec.name] = estimate
        block[spec.name] = {"actual": value, "projected": estimate}
    return projected, {
        "as_of": as_of.isoformat(),
        "elapsed_days": elapsed,
        "period_days": total_days,
        "inputs": block,
    }


@lru_cache(maxsize=256)
def tracking_variant(ruleset: Ruleset) -> Ruleset:
    """The ruleset that evaluates projected figures: a projected `integer` input is a double
    (the whole-number check of SPEC §3.1 applies to the figure submitted, not to its
    projection); the ruleset itself when no integer input is projected."""
    retyped = {
        name: replace(spec, type="number")
        for name, spec in ruleset.inputs.items()
        if spec.projection == "linear" and spec.type == "integer"
    }
    if not retyped:
        return ruleset
    return replace(ruleset, inputs={**ruleset.inputs, **retyped})


@dataclass(frozen=True)
class _Search:
    """One lever's search on its grid: k / steps is the value at grid point k."""

    spec: InputSpec
    steps: int
    reaches: Callable[[float], bool]

    def value(self, k: int) -> float | int:
        return k if self.steps == 1 else k / self.steps

    def first_at_or_above(self, x: float) -> int:
        k = math.ceil(x * self.steps)
        return k - 1 if self.value(k - 1) >= x else k

    def last_at_or_below(self, x: float) -> int:
        k = math.floor(x * self.steps)
        return k + 1 if self.value(k + 1) <= x else k

    def required(self, current: float, direction: str) -> float | int | None:
        """The grid value closest to `current` (on the lever's side) that reaches the band,
        with the next grid step back towards `current` not reaching it; None when even the
        far end of the search does not."""
        if direction == "increase":
            limit = self.spec.max
            if limit is None:
                limit = SEARCH_SPAN * max(abs(current), 1.0)
            near, far = self.first_at_or_above(current), self.last_at_or_below(limit)
            if far < near:
                return None
        else:
            limit = self.spec.min if self.spec.min is not None else 0.0
            near, far = self.last_at_or_below(current), self.first_at_or_above(limit)
            if far > near:
                return None
        if self.reaches(self.value(near)):
            return self.value(near)
        if not self.reaches(self.value(far)):
            return None
        # invariant: `bad` does not reach the band, `good` does
        bad, good = near, far
        while abs(good - bad) > 1:
            middle = (bad + good) // 2
            if self.reaches(self.value(middle)):
                good = middle
            else:
                bad = middle
        return self.value(good)


def what_it_takes(
    ruleset: Ruleset,
    total_and_rating: Callable[[Mapping[str, Any]], tuple[float, str]],
    inputs: Mapping[str, Any],
    rating: str,
) -> tuple[dict[str, Any], list[str]]:
    """SPEC §10's `what_it_takes` for an evaluation of `inputs` rated `rating`, and one
    explanation line per need (in the ruleset's language).

    `total_and_rating(inputs)` evaluates other inputs the way the evaluation did."""
    position = ruleset.band_index[rating]
    if position == 0:
        return {"rating": None, "needs": []}, []
    band = ruleset.bands[position - 1]

    def reaches_with(name: str) -> Callable[[float], bool]:
        def reaches(x: float) -> bool:
            try:
                _, key = total_and_rating({**inputs, name: x})
            except SubmissionRejected:
                return False
            return ruleset.band_index[key] <= position - 1

        return reaches

    needs, lines = [], []
    precision = ruleset.precision
    for spec in ruleset.inputs.values():
        if spec.lever is None or spec.type not in STEPS_PER_UNIT:
            continue
        current = inputs.get(spec.name)
        if isinstance(current, bool) or not isinstance(current, (int, float)):
            continue  # not sent: nothing to move from
        search = _Search(spec, STEPS_PER_UNIT[spec.type], reaches_with(spec.name))
        required = search.required(float(current), spec.lever)
        if required is None:
            continue
        change = required - current
        needs.append(
            {
                "input": spec.name,
                "label": spec.label,
                "current": _reported(current, spec, precision),
                "required": _reported(required, spec, precision),
                "change": _reported(change, spec, precision),
            }
        )
        lines.append(_need_line(ruleset, spec, abs(change), band.label))
    return {"rating": {"key": band.key, "label": band.label}, "needs": needs}, lines


def _reported(x: float, spec: InputSpec, precision: int) -> float | int:
    """A number as SPEC §4 reports it; a whole number of an integer input stays whole."""
    value = half_up(float(x), precision)
    return int(value) if spec.type == "integer" and value.is_integer() else value


def _need_line(ruleset: Ruleset, spec: InputSpec, change: float, band: str) -> str:
    words = NEEDS.get(ruleset.language, NEEDS["zh-CN"])
    digits = 0 if spec.type == "integer" else ruleset.precision
    amount = f"{half_up(change, digits):,.{digits}f}"
    unit = f" {spec.unit}" if spec.unit else ""
    return words[spec.lever].format(label=spec.label, change=amount, unit=unit, band=band)

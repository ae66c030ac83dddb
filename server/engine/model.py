"""The compiled ruleset as typed, frozen data: the parts the evaluators walk (SPEC §3).

`Ruleset` is what compiling a document produces and what both evaluators read; the public
CompiledRuleset (ruleset.py) is a Ruleset with the methods that evaluate it.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .formula import Formula
from .language import T, Text
from .periods import previous_periods

MAX_LIST_ITEMS = 10_000
MAX_STRING_INPUT = 200
MAX_RATINGS_PER_KIND = 1_000
# what a wrong value is told, built once: coercing a valid value builds no Text
NOT_A_NUMBER = T("must be a number")
NOT_A_WHOLE_NUMBER = T("must be a whole number")
NOT_A_LIST = T("must be a list of numbers")
NOT_A_SCORE = T("must be a 0-100 score")


@dataclass(frozen=True)
class InputSpec:
    """A declared input: its type, bounds and whether it must be sent."""

    name: str
    type: str
    label: str
    required: bool = True
    default: Any = None
    min: float | None = None
    max: float | None = None
    enum: tuple[str, ...] | None = None
    raters: tuple[str, ...] = ()
    unit: str = ""
    source: str = "submission"  # submission | plan: who sets the value (SPEC §3.1, §9)
    lever: str | None = None  # increase | decrease: a quantity the employee moves (§10)
    projection: str | None = None  # linear: accumulates over the period (§10)

    def coerce(self, raw: Any) -> Any:
        """The value as the engine computes with it; ValueError says what is wrong."""
        kind = self.type
        if kind == "number":
            if type(raw) is float and raw - raw == 0.0:  # a finite double: the common case
                lo, hi = self.min, self.max
                if (lo is None or raw >= lo) and (hi is None or raw <= hi):
                    return raw
            return self._bounded(_finite_number(raw, NOT_A_NUMBER))
        if kind == "integer":
            if type(raw) is not int:
                raise ValueError(T("must be a whole number (no fraction or exponent)"))
            return self._bounded(_finite_number(raw, NOT_A_WHOLE_NUMBER))
        if kind == "boolean":
            if not isinstance(raw, bool):
                raise ValueError(T("must be true or false"))
            return raw
        if kind == "string":
            if not isinstance(raw, str):
                raise ValueError(T("must be a string"))
            if len(raw) > MAX_STRING_INPUT:
                raise ValueError(T("must have at most %(n)s characters", n=MAX_STRING_INPUT))
            if self.enum is not None and raw not in self.enum:
                raise ValueError(T("must be one of %(values)s", values=", ".join(self.enum)))
            return raw
        if kind == "date":
            return _parse_date(raw)
        if kind == "list":
            if not isinstance(raw, list):
                raise ValueError(T("must be a list of numbers"))
            if len(raw) > MAX_LIST_ITEMS:
                raise ValueError(T("must have at most %(n)s items", n=MAX_LIST_ITEMS))
            return [self._bounded(_finite_number(x, NOT_A_LIST)) for x in raw]
        return self._ratings(raw)

    def _bounded(self, x: float) -> float:
        if self.min is not None and x < self.min:
            raise ValueError(T("must be at least %(n)s", n=f"{self.min:g}"))
        if self.max is not None and x > self.max:
            raise ValueError(T("must be at most %(n)s", n=f"{self.max:g}"))
        return x

    def _ratings(self, raw: Any) -> dict[str, list[float]]:
        if not isinstance(raw, dict):
            raise ValueError(
                T("must be an object from rater kind to a 0-100 score or a list of them")
            )
        result = {}
        for kind, scores in raw.items():
            if kind not in self.raters:
                raise ValueError(
                    T(
                        "rater kind %(kind)r is not accepted here; use %(kinds)s",
                        kind=kind,
                        kinds=", ".join(self.raters),
                    )
                )
            items = scores if isinstance(scores, list) else [scores]
            if not items:
                raise ValueError(
                    T("%(kind)s: give a score or a non-empty list of scores", kind=kind)
                )
            if len(items) > MAX_RATINGS_PER_KIND:
                raise ValueError(
                    T("%(kind)s: at most %(n)s scores", kind=kind, n=MAX_RATINGS_PER_KIND)
                )
            values = [_finite_number(x, NOT_A_SCORE) for x in items]
            if any(not 0 <= x <= 100 for x in values):
                raise ValueError(T("%(kind)s: scores must be between 0 and 100", kind=kind))
            result[kind] = values
        return result


def _finite_number(raw: Any, wrong: Text) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise ValueError(wrong)
    try:
        x = float(raw)
    except OverflowError:
        raise ValueError(T("is out of range")) from None
    if not math.isfinite(x):
        raise ValueError(T("must be a finite number"))
    return x


def _parse_date(raw: Any) -> date:
    if not isinstance(raw, str) or len(raw) != 10:
        raise ValueError(T("must be a date as YYYY-MM-DD"))
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(T("must be a valid date as YYYY-MM-DD")) from None


@dataclass(frozen=True)
class Scoring:
    """How a value becomes a score (SPEC §3.3)."""

    kind: str  # linear | bands | formula | clamp
    xs: tuple[float, ...] = ()
    ss: tuple[float, ...] = ()
    bands: tuple[tuple[float, float], ...] = ()
    otherwise: float = 0.0
    formula: Formula | None = None
    fn: Callable | None = None

    def score(self, value: float, names: Mapping[str, Any]) -> float:
        """The score of a value (a scoring formula also reads `names`)."""
        if self.kind == "clamp":
            return min(max(value, 0.0), 100.0)
        if self.kind == "linear":
            xs, ss = self.xs, self.ss
            if value <= xs[0]:
                return ss[0]
            if value >= xs[-1]:
                return ss[-1]
            i = bisect.bisect_right(xs, value) - 1
            x0, x1, s0, s1 = xs[i], xs[i + 1], ss[i], ss[i + 1]
            return s0 + (value - x0) * (s1 - s0) / (x1 - x0)
        if self.kind == "bands":
            for minimum, score in self.bands:
                if minimum <= value:
                    return score
            return self.otherwise
        return self.fn({**names, "value": value})


@dataclass(frozen=True)
class Indicator:
    """A compiled indicator with what it reads, directly and through other indicators."""

    index: int
    key: str
    name: str
    dimension: str
    weight: float
    optional: bool
    fallback: float | None
    formula: Formula
    fn: Callable
    scoring: Scoring
    inputs: frozenset[str]  # inputs its formulas read directly
    depends: frozenset[str]  # indicators its formulas read directly
    all_inputs: frozenset[str] = frozenset()  # directly and through other indicators


@dataclass(frozen=True)
class Adjustment:
    """A compiled adjustment: its condition and its effects."""

    index: int
    key: str
    name: str
    when: Formula | None
    when_fn: Callable | None
    inputs: frozenset[str]  # inputs `when` reads, directly and through indicators
    indicators: frozenset[str]  # indicators `when` names
    weights: Mapping[str, float] = field(default_factory=dict)
    scores: Mapping[str, tuple[str, float]] = field(default_factory=dict)
    total: tuple[str, float] | None = None
    rating: tuple[str, str] | None = None


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    min: float
    bonus_multiplier: float


@dataclass(frozen=True)
class Streak:
    key: str
    label: str
    rating: str
    count: int


@dataclass(frozen=True)
class Dimension:
    key: str
    name: str
    weight_range: tuple[float, float] | None


HISTORY_CACHE_SIZE = 4096  # period texts whose earlier periods a ruleset remembers


@dataclass(frozen=True, eq=False, repr=False)  # compared, hashed and shown by identity
class Ruleset:
    """A validated ruleset: every formula checked and compiled, indicators in dependency order."""

    document: Mapping[str, Any]
    hash: str  # "sha256:..." of the canonical JSON of `document`
    role: str
    name: str
    language: str
    period_kind: str
    precision: int
    inputs: Mapping[str, InputSpec]
    dimensions: tuple[Dimension, ...]
    indicators: tuple[Indicator, ...]  # document order
    order: tuple[Indicator, ...]  # dependency order (document order among equals)
    adjustments: tuple[Adjustment, ...]
    bands: tuple[Band, ...]
    streaks: tuple[Streak, ...]
    at_risk: tuple[str, ...]  # rating keys that flag an employee at risk (SPEC §10)
    rated: Callable[[Mapping], float]  # rated(r) with this ruleset's rater weights
    runtime: Mapping[str, Callable]  # the functions compiled formulas call
    reads_period: bool  # some formula reads period_start or period_end
    # derived from the fields above (so dataclasses.replace() recomputes them)
    by_key: Mapping[str, Indicator] = field(init=False)
    dimension_members: Mapping[str, tuple[str, ...]] = field(init=False)
    band_index: Mapping[str, int] = field(init=False)
    history_depth: int = field(init=False)  # earlier periods the streaks read
    history_cache: dict[str, tuple[str, ...]] = field(init=False)  # history_periods' answers

    def __post_init__(self) -> None:
        derived = {
            "by_key": {ind.key: ind for ind in self.indicators},
            "dimension_members": {
                dim.key: tuple(ind.key for ind in self.indicators if ind.dimension == dim.key)
                for dim in self.dimensions
            },
            "band_index": {band.key: i for i, band in enumerate(self.bands)},
            "history_depth": max((s.count - 1 for s in self.streaks), default=0),
            "history_cache": {},
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)  # a frozen dataclass sets its own fields so

    def history_periods(self, period: str) -> list[str]:
        """The earlier periods whose ratings step 7 reads, most recent first (remembered for
        the first HISTORY_CACHE_SIZE period texts: a request asks for one)."""
        if not self.history_depth:
            return []
        found = self.history_cache.get(period)
        if found is None:
            found = tuple(previous_periods(period, self.history_depth))
            if len(self.history_cache) < HISTORY_CACHE_SIZE:
                self.history_cache[period] = found
        return list(found)

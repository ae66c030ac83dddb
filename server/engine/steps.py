"""The steps both evaluators share: how a formula's result is checked, how an adjustment's
operation applies, why a formula failed, which adjustments changed an indicator, whether a
streak holds. The step-by-step evaluator calls them; the generated evaluator's namespace binds
them, so both compute each of these the same way by construction.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .functions import failure_cause
from .language import T, Text
from .model import Adjustment, Band
from .periods import A_PERIOD, PER_PERIOD, Period, parse_period

# what a formula may raise for unlucky values: a failure of the formula, not of the engine
FORMULA_FAILURES = (ArithmeticError, ValueError, TypeError, KeyError, IndexError, RecursionError,
                    MemoryError)  # fmt: skip


def period_in_kind(text: Any, kind: str) -> Period:
    """The submitted period, which must be of the ruleset's kind; ValueError says what is wrong."""
    period = parse_period(text)
    if period.kind != kind:
        raise ValueError(
            T(
                "%(period)r is %(kind)s; this ruleset is evaluated %(per)s",
                period=text,
                kind=A_PERIOD[period.kind],
                per=PER_PERIOD[kind],
            )
        )
    return period


def cause_code(exc: BaseException) -> str:
    """A language-neutral code for why a formula failed (explain.py words it)."""
    if isinstance(exc, ZeroDivisionError):
        return "zero"
    if isinstance(exc, OverflowError):
        return "overflow"
    if isinstance(exc, (RecursionError, MemoryError)):
        return "large"
    return "failure"


def cause(exc: BaseException) -> Text:
    """Why a formula failed, in the words of a rejection."""
    return failure_cause(exc)


def numeric(value: Any) -> float:
    """The value as a finite double, or ArithmeticError saying why not."""
    if type(value) is float and value - value == 0.0:  # finite: the common case
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ArithmeticError(T("the result is not a number (%(value)r)", value=value))
    result = float(value)
    if not math.isfinite(result):
        raise ArithmeticError(T("the result is not a finite number"))
    return result


def lacking(missing: Iterable[str], uncomputed: Iterable[str]) -> list[str]:
    """What a fallback stands in for: the missing inputs, else the indicators not computed."""
    return sorted(set(missing) or set(uncomputed))


def apply_operation(op: str, value: float, n: float) -> float:
    """A `scores` or `total` adjustment's operation (SPEC §3.4) on a value."""
    if op == "deduct":
        return value - n
    if op == "add":
        return value + n
    if op == "cap":
        return min(value, n)
    if op == "floor":
        return max(value, n)
    if op == "multiply":
        return value * n
    return float(n)  # set


def adjusted_score(op: str, score: float, n: float) -> float:
    """A score after a `scores` adjustment: never below 0."""
    return max(0.0, apply_operation(op, score, n))


def adjusted_rating(
    op: str, band: Band, target: str, bands: Sequence[Band], band_index: Mapping[str, int]
) -> Band:
    """The band after a `rating` adjustment: `set` vetoes, `max` is a ceiling."""
    if op == "set" or band_index[band.key] < band_index[target]:
        return bands[band_index[target]]
    return band


def adjusted_by(
    adjustments: Iterable[Adjustment],
    key: str,
    weight_changes: Mapping[str, list[str]],
    score_changes: Mapping[str, list[tuple]],
) -> list[str]:
    """The keys of the adjustments that changed an indicator's weight or score, in order."""
    if key not in weight_changes and key not in score_changes:
        return []
    changed = set(weight_changes.get(key, [])) | {c[0].key for c in score_changes.get(key, [])}
    return [a.key for a in adjustments if a.key in changed]


def streak_holds(
    previous: Sequence[str], history: Mapping[str, str], count: int, rating: str
) -> bool:
    """The `count - 1` periods before this one are all stored with `rating` (SPEC §4 step 7)."""
    earlier = previous[: count - 1]
    return len(earlier) == count - 1 and all(history.get(p) == rating for p in earlier)

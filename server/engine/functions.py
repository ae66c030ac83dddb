"""The functions a formula may call (SPEC §3.2), and half-up rounding of reported numbers.

Every function returns a float (or a bool for none of them): formulas compute in IEEE-754
doubles, so no integer can grow without bound and `**` overflows instead of running away.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal

from .language import T, Text

MAX_ROUND_DIGITS = 15
MAX_EXPONENT = 1e6  # |b| in a ** b; beyond it any base other than 0, 1 or -1 overflows anyway


class FormulaFailure(ArithmeticError):
    """A formula that cannot be computed for these values (the cause, a Text, is the message)."""

    def __init__(self, cause: Text):
        super().__init__(cause)
        self.cause = cause


def failure_cause(exc: BaseException) -> Text:
    """Why a formula could not be computed, as a sentence (Python's own message is not one)."""
    if isinstance(exc, FormulaFailure):
        return exc.cause
    if exc.args and type(exc.args[0]) is Text:
        return exc.args[0]
    if isinstance(exc, ZeroDivisionError):
        return T("division by zero")
    if isinstance(exc, OverflowError):
        return T("a number overflowed")
    if isinstance(exc, (RecursionError, MemoryError)):
        return T("the computation is too large")
    if isinstance(exc, ValueError) and "domain" in str(exc):
        return T("a function was given a value outside its domain")
    return T("it cannot be computed for these values (%(error)s)", error=type(exc).__name__)


_QUANTA = [Decimal(1).scaleb(-digits) for digits in range(MAX_ROUND_DIGITS + 1)]
# Wide enough for any finite double at any reported precision (1.8e308 has 309 digits).
_CONTEXT = Context(prec=400, rounding=ROUND_HALF_UP, Emax=999_999, Emin=-999_999)
_SCALES = [10.0**digits for digits in range(MAX_ROUND_DIGITS + 1)]  # each exact in a double
FAST_LIMIT = 1e9  # |x| × 10^digits below this: a double's error is under 3e-7 of a unit
FAST_MARGIN = 0.499999  # ... so a fraction this far from one half rounds the same either way


def half_up_decimal(x: float, digits: int) -> float:
    """The SPEC's definition: Decimal(repr(x)) rounded ROUND_HALF_UP to `digits`."""
    quantum = _QUANTA[digits] if 0 <= digits <= MAX_ROUND_DIGITS else Decimal(1).scaleb(-digits)
    return float(
        Decimal(repr(float(x))).quantize(quantum, rounding=ROUND_HALF_UP, context=_CONTEXT)
    )


def half_up(x: float, digits: int) -> float:
    """Round like the SPEC (`half_up_decimal`), exactly, without Decimal when it is safe.

    repr(x) is within half an ulp of x, and x × 10^digits is computed within half an ulp:
    together under 3e-7 of a unit when |x| × 10^digits < 1e9. When the fraction of x × 10^digits
    is further than that from one half, the nearest integer k is the half-up rounding of the
    decimal repr(x) × 10^digits too, and k / 10^digits (both exact doubles, one correctly
    rounded division) is the double nearest that decimal, which is what float(Decimal) gives.
    Anything closer to a tie, larger, non-finite or with negative digits takes the Decimal path.
    """
    if 0 <= digits <= MAX_ROUND_DIGITS:
        scale = _SCALES[digits]
        a = x * scale
        if -FAST_LIMIT < a < FAST_LIMIT:
            k = round(a)
            if -FAST_MARGIN < a - k < FAST_MARGIN:
                return k / scale if k else math.copysign(0.0, x)
    return half_up_decimal(x, digits)


def _numbers(args: tuple, name: str) -> Sequence[float]:
    if len(args) == 1 and isinstance(args[0], (list, tuple)):
        return args[0]
    return args


def f_min(*args: float) -> float:
    values = _numbers(args, "min")
    if not values:
        raise FormulaFailure(T("min() of an empty list"))
    return float(min(values))


def f_max(*args: float) -> float:
    values = _numbers(args, "max")
    if not values:
        raise FormulaFailure(T("max() of an empty list"))
    return float(max(values))


def f_abs(x: float) -> float:
    return float(abs(x))


def f_sum(*args: float) -> float:
    return float(sum(_numbers(args, "sum"))) if args else 0.0


def f_len(x: Sequence) -> float:
    return float(len(x))


def f_round(x: float, digits: float = 0) -> float:
    if digits != int(digits) or abs(digits) > MAX_ROUND_DIGITS:
        raise FormulaFailure(
            T("round() takes a whole number of digits up to %(n)s", n=MAX_ROUND_DIGITS)
        )
    if not math.isfinite(x):
        raise FormulaFailure(T("round() of a non-finite number"))
    return half_up(x, int(digits))


def f_mean(*args: float) -> float:
    values = _numbers(args, "mean")
    if not values:
        raise FormulaFailure(T("mean() of an empty list"))
    return float(sum(values)) / len(values)


def f_clamp(x: float, lo: float, hi: float) -> float:
    return float(min(max(x, lo), hi))


def f_div(a: float, b: float, default: float) -> float:
    return float(default) if b == 0 else a / b


def f_months_between(d1: date, d2: date) -> float:
    if d2 < d1:
        return -f_months_between(d2, d1)
    months = (d2.year - d1.year) * 12 + (d2.month - d1.month)
    if d2.day < d1.day:
        months -= 1
    return float(months)


def f_days_between(d1: date, d2: date) -> float:
    return float((d2 - d1).days)


def safe_pow(a: float, b: float) -> float:
    """`a ** b` in doubles; a huge exponent or a complex result is a failure, not a hang."""
    a, b = float(a), float(b)
    if abs(b) > MAX_EXPONENT and abs(a) not in (0.0, 1.0):
        raise FormulaFailure(T("exponent too large"))
    result = a**b
    if not isinstance(result, float):
        raise FormulaFailure(T("power of a negative number to a fractional exponent"))
    return result


def rating_mean(ratings: Mapping[str, Sequence[float]], kind: str) -> float:
    """`r['kind']`: the mean score of one rater kind."""
    scores = ratings.get(kind)
    if not scores:
        raise FormulaFailure(T("no %(kind)r rating was submitted", kind=kind))
    return float(sum(scores)) / len(scores)


def make_rated(rater_weights: Mapping[str, float]) -> Callable[[Mapping], float]:
    """`rated(r)` for a ruleset: Σ(mean_k × w_k) / Σ w_k over the kinds present, in order."""
    order = list(rater_weights.items())

    def rated(ratings: Mapping[str, Sequence[float]]) -> float:
        total = weights = 0.0
        for kind, weight in order:
            scores = ratings.get(kind)
            if scores:
                total += (float(sum(scores)) / len(scores)) * weight
                weights += weight
        if not weights:
            raise FormulaFailure(T("no rating was submitted"))
        return total / weights

    return rated


# name -> (implementation, argument signature); signatures drive the static type check.
FUNCTIONS: dict[str, Callable] = {
    "min": f_min,
    "max": f_max,
    "abs": f_abs,
    "sum": f_sum,
    "len": f_len,
    "round": f_round,
    "mean": f_mean,
    "clamp": f_clamp,
    "div": f_div,
    "months_between": f_months_between,
    "days_between": f_days_between,
}

"""half_up's fast path gives exactly what the SPEC's Decimal definition gives."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.engine.functions import half_up, half_up_decimal

TIES = [(k + 0.5) / 10**d for d in range(5) for k in range(-300, 300, 7)]
NEAR_TIES = [t + e for t in TIES for e in (1e-12, -1e-12, 1e-9, -1e-9, 4e-7, -4e-7)]
AWKWARD = [0.0, -0.0, 5e-324, -5e-324, 2.675, 1.005, 0.125, -0.125, 1e9, 1e15 + 0.5, 1e20]


def _outcome(fn, x: float, digits: int) -> str:
    try:
        return repr(fn(x, digits))  # repr also tells 0.0 from -0.0
    except ArithmeticError as exc:  # beyond Decimal's 28 digits the definition itself fails
        return type(exc).__name__


def _same(x: float, digits: int) -> None:
    assert _outcome(half_up, x, digits) == _outcome(half_up_decimal, x, digits), (x, digits)


@pytest.mark.parametrize("digits", [0, 1, 2, 3, 4, 6, 15])
def test_ties_and_near_ties_match_the_decimal_definition(digits):
    for x in TIES + NEAR_TIES + AWKWARD:
        _same(x, digits)


@given(
    x=st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
    digits=st.integers(0, 8),
)
@settings(max_examples=3000, deadline=None)
def test_any_double_matches_the_decimal_definition(x, digits):
    _same(x, digits)


def test_negative_digits_and_non_finite_take_the_decimal_path():
    assert half_up(1234.5, -2) == half_up_decimal(1234.5, -2) == 1200.0
    assert half_up(-0.004, 2) == 0.0 and math.copysign(1, half_up(-0.004, 2)) == -1

"""simpleeval's interpretation of a checked formula: the reference the compiled code is tested
(tests/engine/test_differential*.py) and timed (bench/) against.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from typing import Any

from simpleeval import SimpleEval

from ..functions import FUNCTIONS, rating_mean
from .language import BINARY_OPERATORS, COMPARISONS, UNARY_OPERATORS, Formula


class _ReferenceEval(SimpleEval):
    """simpleeval restricted to our operators and functions, numbers as doubles."""

    def _eval_constant(self, node: ast.Constant) -> Any:
        value = node.value
        return float(value) if type(value) is int else value

    def _eval_subscript(self, node: ast.Subscript) -> float:
        return rating_mean(self._eval(node.value), node.slice.value)


_REFERENCE_OPERATORS = {
    **{op: fn for op, (_, fn) in BINARY_OPERATORS.items()},
    **{op: fn for op, (_, fn) in UNARY_OPERATORS.items()},
    **{op: fn for op, (_, fn) in COMPARISONS.items()},
}


def reference_eval(formula: Formula, values: Mapping[str, Any], rated: Callable) -> Any:
    """Evaluate with simpleeval's interpreter instead of the compiled code."""
    functions = {**FUNCTIONS, "rated": rated}
    evaluator = _ReferenceEval(operators=_REFERENCE_OPERATORS, functions=functions, names=values)
    return evaluator.eval(formula.text, previously_parsed=formula.tree)


def interpreter(
    formula: Formula, rated: Callable, reparse: bool = False
) -> Callable[[Mapping[str, Any]], Any]:
    """A drop-in for the compiled function that interprets the formula with simpleeval: its
    tree parsed once (or, with `reparse`, its text parsed on every call). Not thread-safe."""
    functions = {**FUNCTIONS, "rated": rated}
    evaluator = _ReferenceEval(operators=_REFERENCE_OPERATORS, functions=functions, names={})
    tree = None if reparse else formula.tree

    def interpret(values: Mapping[str, Any]) -> Any:
        evaluator.names = values
        return evaluator.eval(formula.text, previously_parsed=tree)

    return interpret

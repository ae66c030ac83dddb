"""A checked formula as Python source: names read as the caller says, calls to our functions only.

The source is compiled once (Formula.bind) into a lambda of the values mapping, or written into
the generated evaluator (generated_source.py) reading local variables instead.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from ..functions import FUNCTIONS, rating_mean, safe_pow
from .language import BINARY_OPERATORS, COMPARISONS, SIGNATURES, UNARY_OPERATORS, Formula

RUNTIME_NAMES = {name: "_" + name for name in SIGNATURES}


def _from_names(name: str) -> str:
    return f"n[{name!r}]"


def python_expression(formula: Formula, read: Callable[[str], str]) -> str:
    """The checked formula as a Python expression whose names are read by `read(name)` (the
    source of a Python expression, e.g. a local variable); calls go to the runtime functions."""
    return python_source(formula.tree, read)


def python_source(node: ast.AST, read: Callable[[str], str] = _from_names) -> str:
    """Python source for a checked tree: names read from `n`, calls to our functions only."""
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or isinstance(value, str):
            return repr(value)
        return repr(float(value))
    if isinstance(node, ast.Name):
        return read(node.id)
    if isinstance(node, ast.BinOp):
        left, right = python_source(node.left, read), python_source(node.right, read)
        if isinstance(node.op, ast.Pow):
            return f"_pow({left}, {right})"
        return f"({left} {BINARY_OPERATORS[type(node.op)][0]} {right})"
    if isinstance(node, ast.UnaryOp):
        return f"({UNARY_OPERATORS[type(node.op)][0]}{python_source(node.operand, read)})"
    if isinstance(node, ast.BoolOp):
        word = " and " if isinstance(node.op, ast.And) else " or "
        return "(" + word.join(python_source(v, read) for v in node.values) + ")"
    if isinstance(node, ast.IfExp):
        body, test = python_source(node.body, read), python_source(node.test, read)
        return f"({body} if {test} else {python_source(node.orelse, read)})"
    if isinstance(node, ast.Compare):
        parts = [python_source(node.left, read)]
        for op, comparator in zip(node.ops, node.comparators):
            parts += [COMPARISONS[type(op)][0], python_source(comparator, read)]
        return "(" + " ".join(parts) + ")"
    if isinstance(node, ast.Subscript):
        return f"_rk({read(node.value.id)}, {node.slice.value!r})"
    if isinstance(node, ast.Call):
        args = ", ".join(python_source(a, read) for a in node.args)
        return f"{RUNTIME_NAMES[node.func.id]}({args})"
    raise AssertionError(f"unchecked node {type(node).__name__}")  # check() rejects it first


def runtime(rated: Callable) -> dict[str, Callable]:
    """The functions a compiled formula calls, for one ruleset (rated() knows its raters)."""
    table = {RUNTIME_NAMES[name]: fn for name, fn in FUNCTIONS.items()}
    table.update({"_rated": rated, "_rk": rating_mean, "_pow": safe_pow})
    return table

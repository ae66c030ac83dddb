"""A formula with the values it read substituted, for explanation lines.

check() splits the formula's text once into literal pieces around each name (`template`);
render() then only joins pieces and formatted values. render_by_substitution() is the slow,
obvious way (substituting in the tree) that render() is tested against.
"""

from __future__ import annotations

import ast
import copy
import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from ..functions import rating_mean
from .language import Formula


def format_number(x: Any) -> str:
    """A number as a person reads it: thousands separators, no needless decimals."""
    if type(x) is float and x - x == 0.0:  # a finite double, the common case: as below
        if x.is_integer() and abs(x) < 1e15:
            return f"{x:,.0f}"
        if abs(x) >= 1e-4:
            return f"{x:,.6f}".rstrip("0").rstrip(".")
        return repr(x)
    if isinstance(x, bool):
        return "True" if x else "False"
    if isinstance(x, date):
        return x.isoformat()
    if isinstance(x, (int, float)):
        if not math.isfinite(x):
            return str(x)
        if float(x).is_integer() and abs(x) < 1e15:
            return f"{x:,.0f}"
        if abs(x) >= 1e-4:
            return f"{x:,.6f}".rstrip("0").rstrip(".")
        return repr(x)
    return str(x)


class _Substitute(ast.NodeTransformer):
    """Replaces names (and r['kind']) with their values, printed as bare words."""

    def __init__(self, values: Mapping[str, Any]):
        self.values = values

    def visit_Name(self, node: ast.Name) -> ast.AST:
        value = self.values.get(node.id)
        if isinstance(value, (int, float, date)) and not isinstance(value, bool):
            return ast.Name(id=format_number(value), ctx=ast.Load())
        return node

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        ratings = self.values.get(node.value.id) if isinstance(node.value, ast.Name) else None
        try:
            return ast.Name(
                id=format_number(rating_mean(ratings, node.slice.value)), ctx=ast.Load()
            )
        except (ArithmeticError, AttributeError, TypeError):
            return node


def render_by_substitution(formula: Formula, values: Mapping[str, Any]) -> str:
    """render() the slow way, substituting in a copy of the tree: the reference for render()."""
    tree = _Substitute(values).visit(copy.deepcopy(formula.tree))
    return ast.unparse(tree).replace(" * ", " × ")


_SLOT = "\x00"  # cannot occur in unparsed text: a NUL inside a string literal is escaped


class _Slots(ast.NodeTransformer):
    """Replaces every name and r['kind'] with a numbered placeholder, remembering each."""

    def __init__(self) -> None:
        self.slots: list[tuple[str, ...]] = []

    def _slot(self, slot: tuple[str, ...]) -> ast.Name:
        self.slots.append(slot)
        return ast.Name(id=f"{_SLOT}{len(self.slots) - 1}{_SLOT}", ctx=ast.Load())

    def visit_Name(self, node: ast.Name) -> ast.AST:
        return self._slot((node.id,))

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        if isinstance(node.value, ast.Name) and isinstance(node.slice, ast.Constant):
            return self._slot((node.value.id, node.slice.value, ast.unparse(node)))
        return node


def template(tree: ast.expr) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """The formula's text as literal pieces around slots, unparsed once at compile time.

    A placeholder is a name to ast.unparse, as the value substituted for it is, so both print
    with the same parentheses; values never contain spaces, so replacing " * " first is the same.
    """
    slots = _Slots()
    text = ast.unparse(slots.visit(copy.deepcopy(tree))).replace(" * ", " × ")
    pieces = text.split(_SLOT)
    return tuple(pieces[0::2]), tuple(slots.slots[int(i)] for i in pieces[1::2])


def render(formula: Formula, values: Mapping[str, Any]) -> str:
    """The formula with the values it read substituted: `1,200,000 / 1,000,000 × 100`."""
    literals, slots = formula.template
    out = [literals[0]]
    for slot, literal in zip(slots, literals[1:]):
        out.append(_slot_text(slot, values))
        out.append(literal)
    return "".join(out)


def value_text(value: Any, name: str) -> str:
    """What a name prints as in a rendered formula: its value when a number or a date."""
    if isinstance(value, (int, float, date)) and not isinstance(value, bool):
        return format_number(value)
    return name


def rating_text(ratings: Any, kind: str, text: str) -> str:
    """What r['kind'] prints as: the mean rating of that kind, or the subscript's own text."""
    try:
        return format_number(rating_mean(ratings, kind))
    except (ArithmeticError, AttributeError, TypeError):
        return text


def _slot_text(slot: tuple[str, ...], values: Mapping[str, Any]) -> str:
    """What _Substitute would print for one name or r['kind']."""
    if len(slot) == 1:
        return value_text(values.get(slot[0]), slot[0])
    name, kind, text = slot
    return rating_text(values.get(name), kind, text)

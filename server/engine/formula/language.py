"""The formula language of SPEC §3.2: its limits, types, operators and functions, and the
checked Formula that the other formula modules (checking, emitting, rendering, interpreting) share.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..functions import safe_pow
from ..language import T, Text

MAX_FORMULA_LENGTH = 1000
MAX_STRING_LENGTH = 200
MAX_DEPTH = 40  # nesting of the syntax tree; Python's own compiler recurses on it
MAX_NODES = 400
# The cost of a formula (`Formula.cost`) bounds the work of one evaluation of it: a unit for each
# part of its tree, plus the items a function reads from a list input (at most LIST_ITEMS, as
# model.MAX_LIST_ITEMS caps a submitted list) or from ratings (at most RATINGS_ITEMS a kind).
LIST_ITEMS = 10_000
RATINGS_ITEMS = 1_000
ITEM_READERS = {"min", "max", "sum", "mean"}

NUMBER, BOOLEAN, STRING, DATE, RATINGS, LIST, ANY = (
    "number", "boolean", "string", "date", "ratings", "list", "any",
)  # fmt: skip
INVALID = "invalid"  # a part already reported: accepted everywhere so one mistake is one message
NUMERIC = {NUMBER, BOOLEAN}
TYPE_WORDS: dict[str, Text] = {
    NUMBER: T("a number"), BOOLEAN: T("a yes/no value"),
    STRING: T("a string"), DATE: T("a date"),
    RATINGS: T("a set of ratings"), LIST: T("a list"),
    ANY: T("of mixed type"), INVALID: T("invalid"),
}  # fmt: skip

BINARY_OPERATORS: dict[type, tuple[str, Callable]] = {
    ast.Add: ("+", operator.add),
    ast.Sub: ("-", operator.sub),
    ast.Mult: ("*", operator.mul),
    ast.Div: ("/", operator.truediv),
    ast.FloorDiv: ("//", operator.floordiv),
    ast.Mod: ("%", operator.mod),
    ast.Pow: ("**", safe_pow),
}
UNARY_OPERATORS: dict[type, tuple[str, Callable]] = {
    ast.USub: ("-", operator.neg),
    ast.UAdd: ("+", operator.pos),
    ast.Not: ("not ", operator.not_),
}
COMPARISONS: dict[type, tuple[str, Callable]] = {
    ast.Eq: ("==", operator.eq),
    ast.NotEq: ("!=", operator.ne),
    ast.Lt: ("<", operator.lt),
    ast.LtE: ("<=", operator.le),
    ast.Gt: (">", operator.gt),
    ast.GtE: (">=", operator.ge),
}
ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)

# Function name -> the argument shapes it accepts (checked statically).
VARIADIC = "numbers or one list"
SIGNATURES: dict[str, Any] = {
    "min": VARIADIC,
    "max": VARIADIC,
    "sum": VARIADIC,
    "mean": VARIADIC,
    "abs": [(NUMBER,)],
    "len": [({LIST, STRING},)],
    "round": [(NUMBER,), (NUMBER, NUMBER)],
    "clamp": [(NUMBER, NUMBER, NUMBER)],
    "div": [(NUMBER, NUMBER, NUMBER)],
    "months_between": [(DATE, DATE)],
    "days_between": [(DATE, DATE)],
    "rated": [(RATINGS,)],
}
FUNCTION_NAMES = tuple(SIGNATURES)

FORBIDDEN: dict[type, Text] = {
    ast.Attribute: T("attributes (a.b) are not allowed"),
    ast.List: T("list literals are not allowed"),
    ast.Tuple: T("tuples are not allowed"),
    ast.Dict: T("dict literals are not allowed"),
    ast.Set: T("set literals are not allowed"),
    ast.ListComp: T("comprehensions are not allowed"),
    ast.SetComp: T("comprehensions are not allowed"),
    ast.DictComp: T("comprehensions are not allowed"),
    ast.GeneratorExp: T("generator expressions are not allowed"),
    ast.Lambda: T("lambdas are not allowed"),
    ast.JoinedStr: T("f-strings are not allowed"),
    ast.NamedExpr: T("assignment (:=) is not allowed"),
    ast.Await: T("await is not allowed"),
    ast.Yield: T("yield is not allowed"),
    ast.YieldFrom: T("yield is not allowed"),
    ast.Starred: T("* arguments are not allowed"),
    ast.Slice: T("slices are not allowed"),
}


class FormulaError(ValueError):
    """A formula that is not allowed; `messages` lists every problem found."""

    def __init__(self, messages: list[Text], expression: str = ""):
        self.messages = messages
        self.expression = expression
        super().__init__("; ".join(str(m) for m in messages))


@dataclass(frozen=True)
class Scope:
    """What a formula may read: names with their types, and each ratings input's kinds."""

    names: Mapping[str, str]
    rating_kinds: Mapping[str, tuple[str, ...]]
    functions: tuple[str, ...] = FUNCTION_NAMES


@dataclass(frozen=True)
class Formula:
    """A checked formula: its text, tree, the names it reads, its type and compiled code."""

    text: str
    tree: ast.expr
    names: frozenset[str]
    type: str
    source: str
    # the unparsed text split around each name and r['kind'], for render(); see rendering.template()
    template: tuple[tuple[str, ...], tuple[tuple[str, ...], ...]] = field(
        default=((), ()), compare=False, repr=False
    )
    cost: int = field(default=0, compare=False)  # bound on one evaluation's work (see LIST_ITEMS)

    def bind(self, runtime: Mapping[str, Callable]) -> Callable[[Mapping[str, Any]], Any]:
        """The compiled function of the values mapping, with the ruleset's runtime functions."""
        namespace = {"__builtins__": {}, **runtime}
        return eval(compile(self.source, "<formula>", "eval"), namespace)  # noqa: S307

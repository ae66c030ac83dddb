"""Formulas: parsed with simpleeval's parser, checked against the SPEC §3.2 allowlist, compiled.

A formula that passes the check is compiled once into a Python lambda built only from the
validated constructs: no builtins, every call one of ours, `**` guarded, all numbers doubles.
simpleeval's own interpreter, restricted the same way, is kept as the reference the compiled
path is tested against (`reference_eval`).
"""

from __future__ import annotations

import ast
import difflib
import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from simpleeval import SimpleEval

from .functions import FUNCTIONS, rating_mean, safe_pow

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
TYPE_WORDS = {
    NUMBER: "a number", BOOLEAN: "a yes/no value", STRING: "a string", DATE: "a date",
    RATINGS: "a set of ratings", LIST: "a list", ANY: "of mixed type", INVALID: "invalid",
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

FORBIDDEN = {
    ast.Attribute: "attributes (a.b) are not allowed",
    ast.List: "list literals are not allowed",
    ast.Tuple: "tuples are not allowed",
    ast.Dict: "dict literals are not allowed",
    ast.Set: "set literals are not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "generator expressions are not allowed",
    ast.Lambda: "lambdas are not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.NamedExpr: "assignment (:=) is not allowed",
    ast.Await: "await is not allowed",
    ast.Yield: "yield is not allowed",
    ast.YieldFrom: "yield is not allowed",
    ast.Starred: "* arguments are not allowed",
    ast.Slice: "slices are not allowed",
}


class _TooDeep(Exception):
    """Raised to stop walking a tree nested beyond MAX_DEPTH."""


class FormulaError(ValueError):
    """A formula that is not allowed; `messages` lists every problem found."""

    def __init__(self, messages: list[str], expression: str = ""):
        self.messages = messages
        self.expression = expression
        super().__init__("; ".join(messages))


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
    # the unparsed text split around each name and r['kind'], for render(); see _template()
    template: tuple[tuple[str, ...], tuple[tuple[str, ...], ...]] = field(
        default=((), ()), compare=False, repr=False
    )
    cost: int = field(default=0, compare=False)  # bound on one evaluation's work (see LIST_ITEMS)

    def bind(self, runtime: Mapping[str, Callable]) -> Callable[[Mapping[str, Any]], Any]:
        """The compiled function of the values mapping, with the ruleset's runtime functions."""
        namespace = {"__builtins__": {}, **runtime}
        return eval(compile(self.source, "<formula>", "eval"), namespace)  # noqa: S307


def parse(text: str) -> ast.expr:
    """Parse a formula with simpleeval's parser; one expression only."""
    if not isinstance(text, str):
        raise FormulaError(["a formula must be a string"])
    if len(text) > MAX_FORMULA_LENGTH:
        raise FormulaError([f"a formula is at most {MAX_FORMULA_LENGTH} characters"], text)
    if not text.strip():
        raise FormulaError(["the formula is empty"], text)
    try:
        module = ast.parse(text.strip(), mode="exec")
    except SyntaxError as exc:
        raise FormulaError([f"syntax error: {exc.msg} (column {exc.offset})"], text) from None
    except (MemoryError, RecursionError, ValueError):
        raise FormulaError(["the formula is nested too deeply"], text) from None
    if len(module.body) != 1 or not isinstance(module.body[0], ast.Expr):
        raise FormulaError(["a formula is one expression, not statements or assignments"], text)
    return module.body[0].value


def check(text: str, scope: Scope) -> Formula:
    """Parse and check a formula; FormulaError lists every problem."""
    tree = parse(text)
    checker = _Checker(text, scope)
    try:
        kind = checker.visit(tree, 1)
    except _TooDeep:
        raise FormulaError(
            [f"the formula is nested too deeply (more than {MAX_DEPTH} levels)"], text
        ) from None
    if checker.count > MAX_NODES:
        checker.problems.append(f"the formula is too large (over {MAX_NODES} parts)")
    if not checker.problems:
        checker.problems.extend(_constant_failures(text, tree))
    if checker.problems:
        raise FormulaError(list(dict.fromkeys(checker.problems)), text)
    source = "lambda n: " + _source(tree)
    cost = checker.count + checker.items
    return Formula(text, tree, frozenset(checker.names), kind, source, _template(tree), cost)


class _Checker:
    """Walks a parsed formula: allowed constructs, known names, types of operands."""

    def __init__(self, text: str, scope: Scope):
        self.text = text
        self.scope = scope
        self.problems: list[str] = []
        self.names: set[str] = set()
        self.count = 0
        self.items = 0  # list and ratings items the formula may read, at most

    def fail(self, message: str) -> str:
        self.problems.append(message)
        return INVALID

    def snippet(self, node: ast.AST) -> str:
        text = ast.get_source_segment(self.text, node) or type(node).__name__
        return "'" + (text if len(text) <= 60 else text[:57] + "...") + "'"

    def visit(self, node: ast.AST, depth: int) -> str:
        self.count += 1
        if depth > MAX_DEPTH:
            raise _TooDeep
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            return self.fail(FORBIDDEN.get(type(node), f"{type(node).__name__} is not allowed"))
        return method(node, depth + 1)

    def visit_Constant(self, node: ast.Constant, depth: int) -> str:
        value = node.value
        if isinstance(value, bool):
            return BOOLEAN
        if isinstance(value, int):
            try:
                as_float = float(value)
            except OverflowError:
                as_float = math.inf
            if not math.isfinite(as_float):
                return self.fail(f"the number {self.snippet(node)} is out of range")
            return NUMBER
        if isinstance(value, float):
            if not math.isfinite(value):
                return self.fail(f"the number {self.snippet(node)} is out of range")
            return NUMBER
        if isinstance(value, str):
            if len(value) > MAX_STRING_LENGTH:
                return self.fail(f"a string in a formula is at most {MAX_STRING_LENGTH} characters")
            return STRING
        if isinstance(value, complex):
            return self.fail("complex numbers are not allowed")
        return self.fail(f"{self.snippet(node)} is not allowed")

    def visit_Name(self, node: ast.Name, depth: int) -> str:
        name = node.id
        if name in self.scope.names:
            self.names.add(name)
            return self.scope.names[name]
        if name in self.scope.functions:
            return self.fail(f"{name} is a function: call it as {name}(...)")
        close = difflib.get_close_matches(name, list(self.scope.names), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return self.fail(f"unknown name '{name}'{hint}")

    def visit_BinOp(self, node: ast.BinOp, depth: int) -> str:
        left, right = self.visit(node.left, depth), self.visit(node.right, depth)
        if type(node.op) not in BINARY_OPERATORS:
            return self.fail(f"the operator in {self.snippet(node)} is not allowed")
        symbol = BINARY_OPERATORS[type(node.op)][0]
        for side, kind in ((node.left, left), (node.right, right)):
            if kind not in NUMERIC and kind != INVALID:
                self.fail(
                    f"'{symbol}' needs numbers, but {self.snippet(side)} is {TYPE_WORDS[kind]}"
                )
        return NUMBER

    def visit_UnaryOp(self, node: ast.UnaryOp, depth: int) -> str:
        kind = self.visit(node.operand, depth)
        if type(node.op) not in UNARY_OPERATORS:
            return self.fail("bitwise inversion (~) is not allowed")
        if isinstance(node.op, ast.Not):
            return BOOLEAN
        if kind not in NUMERIC and kind != INVALID:
            return self.fail(
                f"{self.snippet(node.operand)} is {TYPE_WORDS[kind]}, it cannot be negated"
            )
        return NUMBER

    def visit_BoolOp(self, node: ast.BoolOp, depth: int) -> str:
        return _merge([self.visit(value, depth) for value in node.values])

    def visit_IfExp(self, node: ast.IfExp, depth: int) -> str:
        self.visit(node.test, depth)
        return _merge([self.visit(node.body, depth), self.visit(node.orelse, depth)])

    def visit_Compare(self, node: ast.Compare, depth: int) -> str:
        kinds = [self.visit(node.left, depth)] + [self.visit(c, depth) for c in node.comparators]
        operands = [node.left, *node.comparators]
        for i, op in enumerate(node.ops):
            if type(op) not in COMPARISONS:
                word = "in" if isinstance(op, (ast.In, ast.NotIn)) else "is"
                self.fail(f"'{word}' is not allowed; compare with == or !=")
                continue
            left, right = kinds[i], kinds[i + 1]
            if INVALID in (left, right) or ANY in (left, right):
                continue
            same = (left in NUMERIC and right in NUMERIC) or left == right
            if not same:
                self.fail(
                    f"{self.snippet(operands[i])} is {TYPE_WORDS[left]} and "
                    f"{self.snippet(operands[i + 1])} is {TYPE_WORDS[right]}: they cannot be compared"
                )
            elif isinstance(op, ORDERING) and left in (RATINGS, LIST, BOOLEAN) and right == left:
                self.fail(f"{TYPE_WORDS[left]} has no order: {self.snippet(node)}")
        return BOOLEAN

    def visit_Subscript(self, node: ast.Subscript, depth: int) -> str:
        target = node.value
        kinds_allowed = (
            self.scope.rating_kinds.get(target.id) if isinstance(target, ast.Name) else None
        )
        if kinds_allowed is None:
            return self.fail(
                f"{self.snippet(node)}: only a ratings input can be indexed, as r['kind']"
            )
        self.names.add(target.id)
        key = node.slice
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            return self.fail(f"{self.snippet(node)}: the rater kind must be a quoted name")
        if key.value not in kinds_allowed:
            return self.fail(
                f"{target.id} has no rater kind '{key.value}'; its kinds are "
                + ", ".join(kinds_allowed)
            )
        self.items += RATINGS_ITEMS  # the mean of that kind's scores
        return NUMBER

    def visit_Call(self, node: ast.Call, depth: int) -> str:
        func = node.func
        if not isinstance(func, ast.Name):
            for arg in node.args:
                self.visit(arg, depth)
            return self.fail(f"{self.snippet(func)} cannot be called; use one of the functions")
        if func.id not in self.scope.functions:
            close = difflib.get_close_matches(func.id, list(self.scope.functions), n=1)
            hint = f"did you mean {close[0]}()? " if close else ""
            for arg in node.args:
                self.visit(arg, depth)
            return self.fail(
                f"unknown function {func.id}(); {hint}allowed: " + ", ".join(self.scope.functions)
            )
        if node.keywords:
            self.fail(f"{func.id}(): keyword arguments are not allowed")
        kinds = [self.visit(arg, depth) for arg in node.args]
        self._check_arguments(func.id, node, kinds)
        if func.id in ITEM_READERS:
            self.items += LIST_ITEMS * kinds.count(LIST)
        elif func.id == "rated":  # every kind the ratings may hold
            kinds_read = [len(k) for k in self.scope.rating_kinds.values()]
            if node.args and isinstance(node.args[0], ast.Name):
                kinds_read = [len(self.scope.rating_kinds.get(node.args[0].id, ()))]
            self.items += RATINGS_ITEMS * max(kinds_read, default=0)
        return NUMBER

    def _check_arguments(self, name: str, node: ast.Call, kinds: list[str]) -> None:
        signature = SIGNATURES[name]
        if signature == VARIADIC:
            if kinds in ([LIST], [INVALID]) or (
                kinds and all(k in NUMERIC or k == INVALID for k in kinds)
            ):
                return
            self.fail(f"{name}() takes numbers or one list: {self.snippet(node)}")
            return
        for shape in signature:
            if len(shape) == len(kinds) and all(
                _accepts(want, got) for want, got in zip(shape, kinds)
            ):
                return
        words = " or ".join(
            "(" + ", ".join(_shape_word(want) for want in shape) + ")" for shape in signature
        )
        self.fail(f"{name}() takes {words}: {self.snippet(node)}")


def _accepts(want: str | set, got: str) -> bool:
    wanted = want if isinstance(want, set) else {want}
    if NUMBER in wanted:
        wanted = wanted | {BOOLEAN}
    return got in wanted or got == INVALID


def _shape_word(want: str | set) -> str:
    return " or ".join(sorted(want)) if isinstance(want, set) else want


def _merge(kinds: list[str]) -> str:
    """The type of `a or b` / `x if c else y`: common to both, else mixed."""
    if INVALID in kinds:
        return INVALID
    if all(k in NUMERIC for k in kinds):
        return NUMBER if NUMBER in kinds else BOOLEAN
    return kinds[0] if all(k == kinds[0] for k in kinds) else ANY


def _constant_failures(text: str, tree: ast.expr) -> list[str]:
    """Constant parts (no names) are computed now: `9 ** 9 ** 9` fails at validation."""
    for node in ast.walk(tree):  # outermost first: one message says it all
        if not isinstance(node, (ast.BinOp, ast.UnaryOp, ast.Call)):
            continue
        if any(isinstance(n, (ast.Name, ast.Subscript)) for n in ast.walk(node)):
            continue
        code = compile(_source(node), "<constant>", "eval")
        snippet = (ast.get_source_segment(text, node) or "")[:60]
        try:
            value = eval(code, {"__builtins__": {}, **runtime(_no_ratings)})  # noqa: S307
        except (ArithmeticError, ValueError, TypeError) as exc:
            cause = {OverflowError: "a number overflows", ZeroDivisionError: "division by zero"}
            return [f"'{snippet}' cannot be computed ({cause.get(type(exc), str(exc))}); fix it"]
        if isinstance(value, float) and not math.isfinite(value):
            return [f"'{snippet}' is not a finite number; fix it"]
    return []


def _no_ratings(ratings: Mapping) -> float:
    raise AssertionError("a constant part cannot call rated()")


# --- compiling to Python source -------------------------------------------------------------

RUNTIME_NAMES = {name: "_" + name for name in SIGNATURES}


def _from_names(name: str) -> str:
    return f"n[{name!r}]"


def python_expression(formula: Formula, read: Callable[[str], str]) -> str:
    """The checked formula as a Python expression whose names are read by `read(name)` (the
    source of a Python expression, e.g. a local variable); calls go to the runtime functions."""
    return _source(formula.tree, read)


def _source(node: ast.AST, read: Callable[[str], str] = _from_names) -> str:
    """Python source for a checked tree: names read from `n`, calls to our functions only."""
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or isinstance(value, str):
            return repr(value)
        return repr(float(value))
    if isinstance(node, ast.Name):
        return read(node.id)
    if isinstance(node, ast.BinOp):
        left, right = _source(node.left, read), _source(node.right, read)
        if isinstance(node.op, ast.Pow):
            return f"_pow({left}, {right})"
        return f"({left} {BINARY_OPERATORS[type(node.op)][0]} {right})"
    if isinstance(node, ast.UnaryOp):
        return f"({UNARY_OPERATORS[type(node.op)][0]}{_source(node.operand, read)})"
    if isinstance(node, ast.BoolOp):
        word = " and " if isinstance(node.op, ast.And) else " or "
        return "(" + word.join(_source(v, read) for v in node.values) + ")"
    if isinstance(node, ast.IfExp):
        body, test = _source(node.body, read), _source(node.test, read)
        return f"({body} if {test} else {_source(node.orelse, read)})"
    if isinstance(node, ast.Compare):
        parts = [_source(node.left, read)]
        for op, comparator in zip(node.ops, node.comparators):
            parts += [COMPARISONS[type(op)][0], _source(comparator, read)]
        return "(" + " ".join(parts) + ")"
    if isinstance(node, ast.Subscript):
        return f"_rk({read(node.value.id)}, {node.slice.value!r})"
    if isinstance(node, ast.Call):
        args = ", ".join(_source(a, read) for a in node.args)
        return f"{RUNTIME_NAMES[node.func.id]}({args})"
    raise AssertionError(f"unchecked node {type(node).__name__}")  # check() rejects it first


def runtime(rated: Callable) -> dict[str, Callable]:
    """The functions a compiled formula calls, for one ruleset (rated() knows its raters)."""
    table = {RUNTIME_NAMES[name]: fn for name, fn in FUNCTIONS.items()}
    table.update({"_rated": rated, "_rk": rating_mean, "_pow": safe_pow})
    return table


# --- simpleeval's interpretation: the reference ---------------------------------------------


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


# --- rendering with values, for explanation lines --------------------------------------------


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
    import copy

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


def _template(tree: ast.expr) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """The formula's text as literal pieces around slots, unparsed once at compile time.

    A placeholder is a name to ast.unparse, as the value substituted for it is, so both print
    with the same parentheses; values never contain spaces, so replacing " * " first is the same.
    """
    import copy

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


def _slot_text(slot: tuple[str, ...], values: Mapping[str, Any]) -> str:
    """What _Substitute would print for one name or r['kind']."""
    if len(slot) == 1:
        value = values.get(slot[0])
        if isinstance(value, (int, float, date)) and not isinstance(value, bool):
            return format_number(value)
        return slot[0]
    name, kind, text = slot
    try:
        return format_number(rating_mean(values.get(name), kind))
    except (ArithmeticError, AttributeError, TypeError):
        return text

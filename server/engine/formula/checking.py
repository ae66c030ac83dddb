"""Parse a formula with simpleeval's parser and check it against the SPEC §3.2 allowlist.

A formula that passes comes back as a Formula: the names it reads, its type, its cost bound,
the Python source of its lambda (emitting.py) and its rendering template (rendering.py).
"""

from __future__ import annotations

import ast
import difflib
import math
from collections.abc import Mapping

from ..functions import failure_cause
from ..language import T, Text
from .emitting import python_source, runtime
from .language import (
    ANY,
    BINARY_OPERATORS,
    BOOLEAN,
    COMPARISONS,
    FORBIDDEN,
    INVALID,
    ITEM_READERS,
    LIST,
    LIST_ITEMS,
    MAX_DEPTH,
    MAX_FORMULA_LENGTH,
    MAX_NODES,
    MAX_STRING_LENGTH,
    NUMBER,
    NUMERIC,
    ORDERING,
    RATINGS,
    RATINGS_ITEMS,
    SIGNATURES,
    STRING,
    TYPE_WORDS,
    UNARY_OPERATORS,
    VARIADIC,
    Formula,
    FormulaError,
    Scope,
)
from .rendering import template


class _TooDeep(Exception):
    """Raised to stop walking a tree nested beyond MAX_DEPTH."""


def parse(text: str) -> ast.expr:
    """Parse a formula with simpleeval's parser; one expression only."""
    if not isinstance(text, str):
        raise FormulaError([T("a formula must be a string")])
    if len(text) > MAX_FORMULA_LENGTH:
        raise FormulaError([T("a formula is at most %(n)s characters", n=MAX_FORMULA_LENGTH)], text)
    if not text.strip():
        raise FormulaError([T("the formula is empty")], text)
    try:
        module = ast.parse(text.strip(), mode="exec")
    except SyntaxError as exc:
        raise FormulaError(  # Python's own wording of the error is quoted as it is
            [T("syntax error: %(error)s (column %(column)s)", error=exc.msg, column=exc.offset)],
            text,
        ) from None
    except (MemoryError, RecursionError, ValueError):
        raise FormulaError([T("the formula is nested too deeply")], text) from None
    if len(module.body) != 1 or not isinstance(module.body[0], ast.Expr):
        raise FormulaError([T("a formula is one expression, not statements or assignments")], text)
    return module.body[0].value


def check(text: str, scope: Scope) -> Formula:
    """Parse and check a formula; FormulaError lists every problem."""
    tree = parse(text)
    checker = _Checker(text, scope)
    try:
        kind = checker.visit(tree, 1)
    except _TooDeep:
        raise FormulaError(
            [T("the formula is nested too deeply (more than %(n)s levels)", n=MAX_DEPTH)], text
        ) from None
    if checker.count > MAX_NODES:
        checker.problems.append(T("the formula is too large (over %(n)s parts)", n=MAX_NODES))
    if not checker.problems:
        checker.problems.extend(_constant_failures(text, tree) or _zero_divisors(text, tree))
    if checker.problems:
        raise FormulaError(list(dict.fromkeys(checker.problems)), text)
    source = "lambda n: " + python_source(tree)
    cost = checker.count + checker.items
    return Formula(text, tree, frozenset(checker.names), kind, source, template(tree), cost)


class _Checker:
    """Walks a parsed formula: allowed constructs, known names, types of operands."""

    def __init__(self, text: str, scope: Scope):
        self.text = text
        self.scope = scope
        self.problems: list[Text] = []
        self.names: set[str] = set()
        self.count = 0
        self.items = 0  # list and ratings items the formula may read, at most

    def fail(self, message: Text) -> str:
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
            forbidden = FORBIDDEN.get(type(node))
            return self.fail(
                forbidden or T("%(construct)s is not allowed", construct=type(node).__name__)
            )
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
                return self.fail(
                    T("the number %(number)s is out of range", number=self.snippet(node))
                )
            return NUMBER
        if isinstance(value, float):
            if not math.isfinite(value):
                return self.fail(
                    T("the number %(number)s is out of range", number=self.snippet(node))
                )
            return NUMBER
        if isinstance(value, str):
            if len(value) > MAX_STRING_LENGTH:
                return self.fail(
                    T("a string in a formula is at most %(n)s characters", n=MAX_STRING_LENGTH)
                )
            return STRING
        if isinstance(value, complex):
            return self.fail(T("complex numbers are not allowed"))
        return self.fail(T("%(construct)s is not allowed", construct=self.snippet(node)))

    def visit_Name(self, node: ast.Name, depth: int) -> str:
        name = node.id
        if name in self.scope.names:
            self.names.add(name)
            return self.scope.names[name]
        if name in self.scope.functions:
            return self.fail(T("%(name)s is a function: call it as %(name)s(...)", name=name))
        close = difflib.get_close_matches(name, list(self.scope.names), n=1)
        if close:
            return self.fail(
                T("unknown name '%(name)s'; did you mean '%(close)s'?", name=name, close=close[0])
            )
        return self.fail(T("unknown name '%(name)s'", name=name))

    def visit_BinOp(self, node: ast.BinOp, depth: int) -> str:
        left, right = self.visit(node.left, depth), self.visit(node.right, depth)
        if type(node.op) not in BINARY_OPERATORS:
            return self.fail(
                T("the operator in %(formula)s is not allowed", formula=self.snippet(node))
            )
        symbol = BINARY_OPERATORS[type(node.op)][0]
        for side, kind in ((node.left, left), (node.right, right)):
            if kind not in NUMERIC and kind != INVALID:
                self.fail(
                    T(
                        "'%(operator)s' needs numbers, but %(part)s is %(kind)s",
                        operator=symbol,
                        part=self.snippet(side),
                        kind=TYPE_WORDS[kind],
                    )
                )
        return NUMBER

    def visit_UnaryOp(self, node: ast.UnaryOp, depth: int) -> str:
        kind = self.visit(node.operand, depth)
        if type(node.op) not in UNARY_OPERATORS:
            return self.fail(T("bitwise inversion (~) is not allowed"))
        if isinstance(node.op, ast.Not):
            return BOOLEAN
        if kind not in NUMERIC and kind != INVALID:
            return self.fail(
                T(
                    "%(part)s is %(kind)s, it cannot be negated",
                    part=self.snippet(node.operand),
                    kind=TYPE_WORDS[kind],
                )
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
                self.fail(T("'%(word)s' is not allowed; compare with == or !=", word=word))
                continue
            left, right = kinds[i], kinds[i + 1]
            if INVALID in (left, right) or ANY in (left, right):
                continue
            same = (left in NUMERIC and right in NUMERIC) or left == right
            if not same:
                self.fail(
                    T(
                        "%(left)s is %(left_kind)s and %(right)s is %(right_kind)s: "
                        "they cannot be compared",
                        left=self.snippet(operands[i]),
                        left_kind=TYPE_WORDS[left],
                        right=self.snippet(operands[i + 1]),
                        right_kind=TYPE_WORDS[right],
                    )
                )
            elif isinstance(op, ORDERING) and left in (RATINGS, LIST, BOOLEAN) and right == left:
                self.fail(
                    T("%(kind)s has no order: %(formula)s", kind=TYPE_WORDS[left],
                      formula=self.snippet(node))
                )  # fmt: skip
        return BOOLEAN

    def visit_Subscript(self, node: ast.Subscript, depth: int) -> str:
        target = node.value
        kinds_allowed = (
            self.scope.rating_kinds.get(target.id) if isinstance(target, ast.Name) else None
        )
        if kinds_allowed is None:
            return self.fail(
                T(
                    "%(formula)s: only a ratings input can be indexed, as r['kind']",
                    formula=self.snippet(node),
                )
            )
        self.names.add(target.id)
        key = node.slice
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            return self.fail(
                T("%(formula)s: the rater kind must be a quoted name", formula=self.snippet(node))
            )
        if key.value not in kinds_allowed:
            return self.fail(
                T(
                    "%(name)s has no rater kind '%(kind)s'; its kinds are %(kinds)s",
                    name=target.id,
                    kind=key.value,
                    kinds=", ".join(kinds_allowed),
                )
            )
        self.items += RATINGS_ITEMS  # the mean of that kind's scores
        return NUMBER

    def visit_Call(self, node: ast.Call, depth: int) -> str:
        func = node.func
        if not isinstance(func, ast.Name):
            for arg in node.args:
                self.visit(arg, depth)
            return self.fail(
                T("%(part)s cannot be called; use one of the functions", part=self.snippet(func))
            )
        if func.id not in self.scope.functions:
            close = difflib.get_close_matches(func.id, list(self.scope.functions), n=1)
            for arg in node.args:
                self.visit(arg, depth)
            allowed = ", ".join(self.scope.functions)
            if close:
                return self.fail(
                    T(
                        "unknown function %(name)s(); did you mean %(close)s()? allowed: %(allowed)s",
                        name=func.id,
                        close=close[0],
                        allowed=allowed,
                    )
                )
            return self.fail(
                T(
                    "unknown function %(name)s(); allowed: %(allowed)s",
                    name=func.id,
                    allowed=allowed,
                )
            )
        if node.keywords:
            self.fail(T("%(name)s(): keyword arguments are not allowed", name=func.id))
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
            self.fail(
                T("%(name)s() takes numbers or one list: %(formula)s", name=name,
                  formula=self.snippet(node))
            )  # fmt: skip
            return
        for shape in signature:
            if len(shape) == len(kinds) and all(
                _accepts(want, got) for want, got in zip(shape, kinds)
            ):
                return
        words = " or ".join(
            "(" + ", ".join(_shape_word(want) for want in shape) + ")" for shape in signature
        )
        self.fail(
            T("%(name)s() takes %(shapes)s: %(formula)s", name=name, shapes=words,
              formula=self.snippet(node))
        )  # fmt: skip


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


def _constant_failures(text: str, tree: ast.expr) -> list[Text]:
    """Constant parts (no names) are computed now: `9 ** 9 ** 9` fails at validation."""
    for node in ast.walk(tree):  # outermost first: one message says it all
        if not isinstance(node, (ast.BinOp, ast.UnaryOp, ast.Call)):
            continue
        if any(isinstance(n, (ast.Name, ast.Subscript)) for n in ast.walk(node)):
            continue
        code = compile(python_source(node), "<constant>", "eval")
        snippet = (ast.get_source_segment(text, node) or "")[:60]
        try:
            value = eval(code, {"__builtins__": {}, **runtime(_no_ratings)})  # noqa: S307
        except (ArithmeticError, ValueError, TypeError) as exc:
            return [
                T("'%(part)s' cannot be computed (%(cause)s); fix it", part=snippet,
                  cause=failure_cause(exc))
            ]  # fmt: skip
        if isinstance(value, float) and not math.isfinite(value):
            return [T("'%(part)s' is not a finite number; fix it", part=snippet)]
    return []


DIVISIONS = (ast.Div, ast.FloorDiv, ast.Mod)


def _zero_divisors(text: str, tree: ast.expr) -> list[str]:
    """`a / 0`, `a // (2 - 2)`, `a % 0.0`: a divisor that is a constant 0 fails every
    evaluation, so it is an error when the ruleset is validated (SPEC §3.2)."""
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, DIVISIONS)):
            continue
        divisor = node.right
        if any(isinstance(n, (ast.Name, ast.Subscript)) for n in ast.walk(divisor)):
            continue
        code = compile(python_source(divisor), "<constant>", "eval")
        try:
            value = eval(code, {"__builtins__": {}, **runtime(_no_ratings)})  # noqa: S307
        except (ArithmeticError, ValueError, TypeError):
            continue  # reported by _constant_failures
        if isinstance(value, (int, float)) and value == 0:
            snippet = (ast.get_source_segment(text, node) or "")[:60]
            found.append(
                T(
                    "'%(formula)s' divides by a constant 0, so every evaluation would fail; "
                    "change the divisor (or use div(a, b, default))",
                    formula=snippet,
                )
            )
    return found


def _no_ratings(ratings: Mapping) -> float:
    raise AssertionError("a constant part cannot call rated()")

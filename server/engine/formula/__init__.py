"""Formulas (SPEC §3.2): checked against the allowlist, compiled to Python, rendered, interpreted.

    language      the allowlist: limits, types, operators, functions; Formula, Scope, FormulaError
    checking      parse() and check(): a formula's text -> a checked Formula, every problem listed
    emitting      a checked tree as Python source calling our functions; runtime() binds them
    rendering     the formula with its values substituted, for explanation lines
    interpreting  simpleeval's interpretation of the same tree: the reference

A checked formula is compiled once (Formula.bind) into a lambda built only from the validated
constructs: no builtins, every call one of ours, `**` guarded, all numbers doubles.
"""

from .checking import check, parse
from .emitting import RUNTIME_NAMES, python_expression, runtime
from .interpreting import interpreter, reference_eval
from .language import (
    ANY,
    BINARY_OPERATORS,
    BOOLEAN,
    COMPARISONS,
    DATE,
    FORBIDDEN,
    FUNCTION_NAMES,
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
from .rendering import format_number, render, render_by_substitution

__all__ = [
    "ANY",
    "BINARY_OPERATORS",
    "BOOLEAN",
    "COMPARISONS",
    "DATE",
    "FORBIDDEN",
    "FUNCTION_NAMES",
    "INVALID",
    "ITEM_READERS",
    "LIST",
    "LIST_ITEMS",
    "MAX_DEPTH",
    "MAX_FORMULA_LENGTH",
    "MAX_NODES",
    "MAX_STRING_LENGTH",
    "NUMBER",
    "NUMERIC",
    "ORDERING",
    "RATINGS",
    "RATINGS_ITEMS",
    "RUNTIME_NAMES",
    "SIGNATURES",
    "STRING",
    "TYPE_WORDS",
    "UNARY_OPERATORS",
    "VARIADIC",
    "Formula",
    "FormulaError",
    "Scope",
    "check",
    "format_number",
    "interpreter",
    "parse",
    "python_expression",
    "reference_eval",
    "render",
    "render_by_substitution",
    "runtime",
]

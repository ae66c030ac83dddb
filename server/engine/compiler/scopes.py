"""What each formula may read, and checking one formula in its scope, problems at its path."""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping, Set
from typing import Any

from .. import formula as fml
from .. import wording
from ..language import T, Text
from ..model import InputSpec
from ..problems import Problems

PERIOD_NAMES = {"period_start": fml.DATE, "period_end": fml.DATE}


def scope(
    inputs: Mapping[str, InputSpec], indicators: Set[str], extra: Mapping[str, str] | None = None
) -> fml.Scope:
    """The inputs, the period's bounds, the indicators named and `extra`, with their types."""
    names = {
        name: fml.NUMBER if spec.type == "integer" else spec.type for name, spec in inputs.items()
    }
    names.update(PERIOD_NAMES)
    names.update({key: fml.NUMBER for key in indicators})
    names.update(extra or {})
    kinds = {name: spec.raters for name, spec in inputs.items() if spec.type == "ratings"}
    return fml.Scope(names, kinds)


def compile_formula(
    text: Any,
    scope: fml.Scope,
    path: str,
    who: Text,
    problems: Problems,
    want_number: bool,
    runtime: Mapping[str, Callable],
) -> tuple[fml.Formula, Callable] | None:
    """Check and compile one formula, reporting problems at `path`."""
    if not isinstance(text, str):
        return None
    try:
        checked = fml.check(text, scope)
    except fml.FormulaError as exc:
        for message in exc.messages:
            problems.error(path, wording.about(who, message))
        return None
    if want_number and checked.type != fml.NUMBER:
        problems.error(
            path,
            wording.about(
                who,
                T(
                    "the formula gives %(kind)s, not a number (write e.g. `1 if condition else 0`)",
                    kind=fml.TYPE_WORDS[checked.type],
                ),
            ),
        )
        return None
    return checked, checked.bind(runtime)


def names_read(text: Any, candidates: Set[str]) -> set[str]:
    """The names among `candidates` a formula reads (none when it does not parse)."""
    try:
        tree = fml.parse(text)
    except fml.FormulaError:
        return set()
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)} & candidates

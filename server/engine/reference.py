"""The reference evaluation: the same ruleset with every formula interpreted by simpleeval.

The compiled formulas are what production runs; this copy of a CompiledRuleset swaps each
compiled function for simpleeval's interpretation of the same checked tree (formula.interpreting)
and evaluates step by step, so a whole evaluation can be compared result for result
(tests/engine/test_differential_ruleset.py) and timed against the compiled one (bench/).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace
from typing import Any

from .formula import interpreter
from .ruleset import CompiledRuleset


class InterpretedRuleset(CompiledRuleset):
    """A CompiledRuleset whose formulas simpleeval interprets; it always evaluates step by step
    (the generated function would run the compiled code)."""

    def generated_evaluator(self) -> Callable[..., Any] | None:
        return None


def interpreted(ruleset: CompiledRuleset, reparse: bool = False) -> CompiledRuleset:
    """A copy of `ruleset` whose formulas simpleeval interprets (re-parsing each time if asked)."""
    rated = ruleset.rated

    def swap(formula):
        return interpreter(formula, rated, reparse)

    indicators = {}
    for ind in ruleset.indicators:
        scoring = ind.scoring
        if scoring.formula is not None:
            scoring = replace(scoring, fn=swap(scoring.formula))
        indicators[ind.key] = replace(ind, fn=swap(ind.formula), scoring=scoring)
    parts = {f.name: getattr(ruleset, f.name) for f in fields(ruleset) if f.init}
    return InterpretedRuleset(**{
        **parts,
        "indicators": tuple(indicators[ind.key] for ind in ruleset.indicators),
        "order": tuple(indicators[ind.key] for ind in ruleset.order),
        "adjustments": tuple(
            replace(adj, when_fn=swap(adj.when)) if adj.when is not None else adj
            for adj in ruleset.adjustments
        ),
    })  # fmt: skip

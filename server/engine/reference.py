"""The reference evaluation: the same ruleset with every formula interpreted by simpleeval.

The compiled formulas (formula.py) are what production runs; this copy of a CompiledRuleset
swaps each compiled function for simpleeval's interpretation of the same checked tree, so a
whole evaluation can be compared result for result (tests/engine/test_differential_ruleset.py)
and timed against the compiled one (bench/).
"""

from __future__ import annotations

import copy
from dataclasses import replace

from .compiler import CompiledRuleset
from .formula import interpreter


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
    copied = copy.copy(ruleset)
    copied.indicators = [indicators[ind.key] for ind in ruleset.indicators]
    copied.order = [indicators[ind.key] for ind in ruleset.order]
    copied.by_key = indicators
    copied._generated = None  # the generated function runs compiled code: step by step here
    copied.adjustments = [
        replace(adj, when_fn=swap(adj.when)) if adj.when is not None else adj
        for adj in ruleset.adjustments
    ]
    return copied

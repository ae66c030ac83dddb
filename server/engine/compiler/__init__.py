"""Compile a ruleset document once: formulas parsed and checked, names resolved, order fixed.

`build()` is shared by validation (which wants every problem) and `compile_ruleset()` (which
wants a working object or an exception). It reads the document defensively (reading.py), so it
can run on a document that also has schema errors and still report its semantic problems.

    reading       defensive readers of a document's parts
    scopes        what each formula may read; one formula checked and compiled in its scope
    declarations  names, inputs, dimensions, rating bands, streaks, distribution guidelines
    indicators    indicators: formulas, scoring, dependency order
    adjustments   adjustments: `when` and effects
    weights       the weight rules (SPEC §3.5) over every combination of weight adjustments
    build         all of the above in order, into a CompiledRuleset
"""

from .build import MAX_EVALUATION_COST, build

__all__ = ["MAX_EVALUATION_COST", "build"]

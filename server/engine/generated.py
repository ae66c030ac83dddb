"""The generated evaluator: the whole ruleset as one Python function, the fast path of evaluation.

Why it exists: evaluating step by step (stepwise.py) spends most of its time on the walk, not
the arithmetic: loops over indicators and adjustments, dict reads and writes for every weight,
value and score, sets of missing inputs. For one compiled ruleset all of that is known in
advance, so `generate(ruleset)` writes (generated_source.py) a function with every loop unrolled
and every intermediate in a local variable, compiles it once and keeps it with the ruleset: it
evaluates a submission in about half the time of the step-by-step evaluator (bench/, part a).

The step-by-step evaluator stays the reference and the path for every problem: the generated
function returns None whenever the submission has one (an unknown or invalid input, a wrong
period, a missing required input, a failure without fallback, ...), and the caller then runs
the step-by-step evaluator, which lists the problems. What the two paths share they share by
construction: the namespace below binds the step functions of steps.py (and the formula runtime),
and with `explain` the generated function words its lines with explain.py's own functions
(generated_explanation.py).
tests/engine/test_differential_ruleset.py checks that both paths give identical results.

The namespace has no builtins; the source is assembled only from validated parts (see
generated_source.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import explain, steps
from .formula.rendering import format_number, rating_text, value_text
from .functions import half_up
from .generated_report import Unsupported
from .generated_source import GeneratedSource
from .model import MAX_RATINGS_PER_KIND, Ruleset
from .state import LEFT_OUT, SCORED, SKIPPED

PERIOD_CACHE_SIZE = 4096  # distinct period strings remembered per ruleset
DATE_CACHE_SIZE = 4096  # distinct date strings remembered per ruleset


class _Bail(Exception):
    """The submission has a problem: let the step-by-step evaluator report it."""


_ABSENT = object()


def generate(ruleset: Ruleset) -> Callable[..., Any] | None:
    """The generated evaluator of `ruleset`, or None if it cannot be generated.

    Called as `evaluate(raw, period_text, employee_id, history, explain, summary=False)`: the
    result dict (with `summary`, only the reported total and rating key), or None."""
    try:
        source, constants = GeneratedSource(ruleset).build()
        code = compile(source, f"<generated evaluator: {ruleset.role}>", "exec")
    except (Unsupported, KeyError, RecursionError, MemoryError, SyntaxError):
        # whatever the generator cannot handle is evaluated step by step, correctly, only
        # slower (tests/engine/test_differential_ruleset.py requires every default ruleset)
        return None
    namespace = {"__builtins__": {}, **ruleset.runtime, **_namespace(ruleset), **constants}
    exec(code, namespace)  # noqa: S102
    function = namespace["evaluate"]
    function.source = source
    return function


def _namespace(ruleset: Ruleset) -> dict[str, Any]:
    """What the generated source calls besides the formula runtime and its own constants."""
    cache: dict[str, tuple] = {}

    def period_info(text: Any) -> tuple | None:
        if type(text) is not str:
            return None
        found = cache.get(text)
        if found is not None:
            return found
        try:
            period = steps.period_in_kind(text, ruleset.period_kind)
        except ValueError:
            return None
        found = (period, period.start, period.end, tuple(ruleset.history_periods(period.text)))
        if len(cache) < PERIOD_CACHE_SIZE:
            cache[text] = found
        return found

    def coerce(spec, raw):
        try:
            return spec.coerce(raw)
        except ValueError:
            raise _Bail from None

    dates: dict[str, Any] = {}

    def coerce_date(spec, raw):
        """spec.coerce(raw) for a date input; the dates of a period repeat, so remembered (one
        cache for every date input: coercing a date reads nothing of its spec)."""
        found = dates.get(raw) if type(raw) is str else None
        if found is None:
            found = coerce(spec, raw)
            if len(dates) < DATE_CACHE_SIZE:
                dates[raw] = found
        return found

    def coerce_ratings(spec, raw):
        """spec.coerce(raw) for a ratings input: the common shape (known kinds, each a 0-100
        score or a short list of them) checked inline; anything else goes to the model."""
        if type(raw) is not dict:
            return coerce(spec, raw)
        raters, found = spec.raters, {}
        for kind, scores in raw.items():
            if kind not in raters:
                return coerce(spec, raw)
            t = type(scores)
            if t is float and 0.0 <= scores <= 100.0:
                found[kind] = [scores]
            elif t is int and 0 <= scores <= 100:
                found[kind] = [scores + 0.0]  # float(scores), exact
            elif t is list and 0 < len(scores) <= MAX_RATINGS_PER_KIND:
                values = []
                for x in scores:
                    t = type(x)
                    if t is float and 0.0 <= x <= 100.0:
                        values.append(x)
                    elif t is int and 0 <= x <= 100:
                        values.append(x + 0.0)
                    else:
                        return coerce(spec, raw)
                found[kind] = values
            else:
                return coerce(spec, raw)
        return found

    return {
        "_Bail": _Bail, "_ABSENT": _ABSENT, "_NameError": NameError,
        "_sum": sum, "_type": type, "_len": len, "_dict": dict, "_float": float, "_int": int,
        "_period_info": period_info, "_coerce": coerce, "_hu": half_up, "_round": round,
        "_coerce_date": coerce_date, "_coerce_ratings": coerce_ratings,
        "_FAIL": steps.FORMULA_FAILURES, "_numeric": steps.numeric, "_apply": steps.apply_operation,
        "_adjusted_score": steps.adjusted_score, "_adjusted_rating": steps.adjusted_rating,
        "_cause_code": steps.cause_code, "_cause": steps.cause, "_lacking": steps.lacking,
        "_adjusted_by": steps.adjusted_by, "_streak_holds": steps.streak_holds,
        "_ruleset": ruleset, "_adjustments": ruleset.adjustments, "_bands": ruleset.bands,
        "_band_index": ruleset.band_index,
        "_x_words": explain.words(ruleset), "_x_fixed": explain.fixed_format(ruleset),
        "_x_num": format_number, "_x_value": value_text, "_x_rating": rating_text,
        "_x_spread": explain.spread_line, "_x_total": explain.total_line,
        "_x_total_changes": explain.total_change_lines, "_x_ratings": explain.rating_lines,
        "_x_outcomes": explain.outcome_lines, "_x_left_out": explain.left_out_line,
        "_x_fallback": explain.fallback_head, "_x_head": explain.formula_head,
        "_x_score_changes": explain.score_changes, "_x_indicator": explain.indicator_line,
        "SCORED": SCORED, "SKIPPED": SKIPPED, "LEFT_OUT": LEFT_OUT,
    }  # fmt: skip

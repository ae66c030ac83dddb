"""The generated evaluator's explanation lines, written straight from its local variables.

The step-by-step evaluator explains by reading its EvaluationState (explain.explain_result).
The generated function (generated.py) used to build that state at the end, only to have it
read: a dozen dicts per evaluation and a walk over every indicator, about two thirds of an
explained evaluation's time. This writes, for one ruleset, the lines themselves: a line that
never changes (a skipped indicator, a fired weight adjustment) is a constant computed here by
explain.py's own function; every other line calls that same function with the locals it needs,
and a formula's rendering is its template (formula/rendering.py) unrolled, each slot the local
that holds the value. So both paths word every line identically, which
tests/engine/test_differential_ruleset.py checks on every default ruleset.
"""

from __future__ import annotations

from . import explain
from .formula import Formula
from .model import Indicator
from .source_writer import SourceWriter

NUMBERS = ("number", "integer")  # input types whose checked value is an int or a float
_NUMBER_TEXT = set("0123456789,.-+einfaTrueFls")  # every character format_number can print


def _never_a_number(formula: Formula) -> bool:
    """Whether the formula's rendering can never be the text of a number: its literal text
    holds a character no number prints with (a space, an operator, a parenthesis)."""
    literals, _ = formula.template
    return any(ch not in _NUMBER_TEXT for piece in literals for ch in piece)


class ExplanationSource(SourceWriter):
    """`explanation_step()` writes `result['explanation'] = [...lines]` from the locals that
    generated_report.py names (inputs `i{j}`/`m{j}`, values `v{k}`, `c{k}`, statuses `st{k}`, ...).
    Needs `rs`, `inputs`, `indicators` and `may_miss` set by the subclass."""

    def explanation_step(self) -> None:
        rs = self.rs
        w = explain.words(rs)
        p = rs.precision
        self.line("xl = []")
        for a, adj in enumerate(rs.adjustments):
            if adj.weights:
                with self.block(f"if f{a}:"):
                    self.line(f"xl.append({explain.weights_line(w, rs, adj)!r})")
        for k, ind in enumerate(rs.indicators):
            self.indicator_lines(k, ind, w)
        with self.block("if lo:"):
            self.line("xl.append(_x_spread(_x_words, lo))")
        self.line("xt = []")
        for k in range(len(rs.indicators)):
            with self.block(f"if sd{k}:"):
                self.line(f"xt.append({self.fixed(f'ct{k}')})")
        self.line(f"xl.append(_x_total(_x_words, xt, {self.fixed(f'_hu(raw_total, {p})')}))")
        with self.block("if tc:"):
            self.line("xl += _x_total_changes(_x_words, tc, _x_fixed)")
        self.line("xl += _x_ratings(_x_words, rounded, band_by_total, rc, band, _x_fixed)")
        with self.block("if outcomes:"):
            self.line("xl += _x_outcomes(_x_words, _ruleset, outcomes)")
        self.line("result['explanation'] = xl")

    def indicator_lines(self, k: int, ind: Indicator, w: dict) -> None:
        key = repr(ind.key)
        name = self.const("ind", ind)
        with self.block(f"if st{k} == SKIPPED:"):
            self.line(f"xl.append({explain.skipped_line(w, ind)!r})")
        with self.block(f"elif st{k} == LEFT_OUT:"):
            lacking = sorted(ind.all_inputs & self.may_miss)
            pairs = "".join(f"({n!r}, m{self.inputs[n]}), " for n in lacking)
            self.line(
                f"xl.append(_x_left_out(_x_words, {name}, [n for n, m in ({pairs}) if m], "
                f"indicators[{k}]['declared_weight']))"
            )
        with self.block("else:"):
            self.line(f"xv = {self.fixed(f'v{k}')}")
            with self.block(f"if {key} in fu:"):
                self.line(f"xh = _x_fallback(_x_words, _ruleset, {name}, fu[{key}], xv)")
            with self.block("else:"):
                shown = self.rendered(ind.formula)
                if _never_a_number(ind.formula):  # shown != the value's text, known now
                    self.line(f"xh = {ind.name + ' = '!r} + {shown} + ' = ' + xv")
                else:
                    self.line(f"xh = _x_head({ind.name!r}, {shown}, xv, _x_num(v{k}))")
            self.line(f"xs = {w['score'] + ' '!r} + {self.fixed(f'r{k}')}")
            with self.block(f"if {key} in sc:"):
                self.line(f"xs += _x_score_changes(_x_words, sc[{key}], _x_fixed)")
            self.line(
                f"xl.append(_x_indicator(xh, xs, indicators[{k}]['weight'], {self.fixed(f'ct{k}')}))"
            )

    def fixed(self, expression: str) -> str:
        """An f-string expression: `expression` as a reported number (explain.fixed_format)."""
        return f"f'{{{expression}:{explain.number_spec(self.rs)}}}'"

    def rendered(self, formula: Formula) -> str:
        """An expression joining the formula's template with its slots' values."""
        literals, slots = formula.template
        parts = [repr(literals[0])]
        for slot, literal in zip(slots, literals[1:]):
            parts.append(self.slot(slot))
            parts.append(repr(literal))
        return " + ".join(part for part in parts if part != "''") or "''"

    def slot(self, slot: tuple[str, ...]) -> str:
        """What formula.render prints for one name or r['kind'], as an expression."""
        value = self.value_of(slot[0])
        if len(slot) == 1:
            name = slot[0]
            if value is None:
                return repr(name)
            spec = self.rs.inputs.get(name)
            if spec is not None and spec.type in NUMBERS:  # a number, never a bool: as value_text
                j = self.inputs[name]
                if name in self.may_miss:
                    return f"({name!r} if m{j} else _x_num(i{j}))"
                return f"_x_num(i{j})"
            return f"_x_value({value}, {name!r})"
        _, kind, text = slot
        return f"_x_rating({value or 'None'}, {kind!r}, {text!r})"

    def value_of(self, name: str) -> str | None:
        """An expression of the value formulas read for `name` (None when it has none)."""
        if name in ("period_start", "period_end"):
            return name
        if name in self.inputs:
            j = self.inputs[name]
            return f"(None if m{j} else i{j})" if name in self.may_miss else f"i{j}"
        if name in self.indicators:
            k = self.indicators[name]
            return f"(v{k} if c{k} else None)"
        return None

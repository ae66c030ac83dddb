"""The generated function's local variables, and the source that reports from them.

Locals are numbered, never named after the document: input j is `i{j}` (`m{j}` true when it
is missing), indicator k has weight `w{k}`, is needed `n{k}`, has value `v{k}` when computed
`c{k}`, is scored `sd{k}` with status `st{k}`, score `s{k}` (`r{k}` before adjustments), final
weight `fw{k}` and contribution `ct{k}`; adjustment a fired `f{a}`; dimension d sums `dw{d}`
and `dc{d}`. `wc`, `sc`, `tc`, `rc` and `fu` collect weight, score, total and rating changes
and fallbacks as the step-by-step evaluator's EvaluationState does.
"""

from __future__ import annotations

from collections.abc import Iterable

from .formula import Formula, python_expression
from .functions import FAST_LIMIT, FAST_MARGIN, MAX_ROUND_DIGITS, half_up
from .generated_explanation import ExplanationSource
from .model import Ruleset


class Unsupported(Exception):
    """Something the generator does not handle: the ruleset evaluates step by step."""


class ReportSource(ExplanationSource):
    """The generated function's local names, and the source that reports from them."""

    def __init__(self, ruleset: Ruleset):
        super().__init__()
        self.rs = ruleset
        self.inputs = {name: j for j, name in enumerate(ruleset.inputs)}
        self.indicators = {ind.key: k for k, ind in enumerate(ruleset.indicators)}
        # inputs that can be missing: no default (an invalid one makes the generated code bail)
        self.may_miss = {name for name, spec in ruleset.inputs.items() if spec.default is None}

    # --- reading names ---------------------------------------------------------------------
    def read(self, name: str, value_local: str | None = None) -> str:
        """The local variable holding a name a formula reads."""
        if name == "value" and value_local is not None:
            return value_local
        if name in ("period_start", "period_end"):
            return name
        if name in self.inputs:
            return f"i{self.inputs[name]}"
        if name in self.indicators:
            return f"v{self.indicators[name]}"
        raise Unsupported(name)

    def expression(self, formula: Formula, value_local: str | None = None) -> str:
        return python_expression(formula, lambda name: self.read(name, value_local))

    def missing_flags(self, names: Iterable[str]) -> list[str]:
        """`m3`, `m7`: the flags of the inputs among `names` that can be missing."""
        ordered = sorted((n for n in names if n in self.may_miss), key=self.inputs.__getitem__)
        return [f"m{self.inputs[n]}" for n in ordered]

    # --- the result -------------------------------------------------------------------------
    def rounded(self, expression: str) -> str:
        """`_hu(expression, precision)` with functions.half_up's fast path written inline (one
        call fewer for each of the ~90 numbers a result reports); anything the fast path does
        not take (a tie, a large number, zero, a non-finite one) still calls half_up."""
        p = self.rs.precision
        if not 0 <= p <= MAX_ROUND_DIGITS:
            return f"_hu({expression}, {p!r})"
        scale, limit, margin = repr(10.0**p), repr(FAST_LIMIT), repr(FAST_MARGIN)
        return (
            f"(_hk / {scale} if -{limit} < (_ha := (_hx := {expression}) * {scale}) < {limit} "
            f"and -{margin} < _ha - (_hk := _round(_ha)) < {margin} and _hk "
            f"else _hu(_hx, {p}))"
        )

    def report_step(self) -> None:
        rs = self.rs
        p = rs.precision
        hu = self.rounded
        members = rs.dimension_members
        for d, dim in enumerate(rs.dimensions):
            ks = [self.indicators[key] for key in members[dim.key]]
            weights = "".join(f"fw{k}, " for k in ks)
            contributions = "".join(f"ct{k}, " for k in ks)
            self.line(f"dw{d} = _sum(({weights}))")
            self.line(f"dc{d} = _sum(({contributions}))")
        self.line("dimensions = [")
        for d, dim in enumerate(rs.dimensions):
            self.line(
                f"    {{'key': {dim.key!r}, 'name': {dim.name!r}, 'weight': {hu(f'dw{d}')}, "
                f"'score': {hu(f'dc{d} * 100 / dw{d}')} if dw{d} else None, "
                f"'contribution': {hu(f'dc{d}')}}},"
            )
        self.line("]")
        self.line("indicators = [")
        zero = half_up(0.0, p)
        for k, ind in enumerate(rs.indicators):
            self.line(
                f"    {{'key': {ind.key!r}, 'name': {ind.name!r}, 'dimension': {ind.dimension!r}, "
                f"'status': st{k}, 'value': {hu(f'v{k}')} if c{k} else None, "
                f"'score': {hu(f's{k}')} if sd{k} else None, 'weight': {hu(f'fw{k}')}, "
                f"'declared_weight': {hu(f'w{k}')}, "
                f"'contribution': {hu(f'ct{k}')} if sd{k} else {zero!r}, "
                f"'adjustments': _adjusted_by(_adjustments, {ind.key!r}, wc, sc) if wc or sc else []}},"
            )
        self.line("]")
        self.line("result = {")
        self.depth += 1
        self.line(f"'role': {rs.role!r}, 'period': period.text, 'employee_id': employee_id,")
        self.line("'total': rounded, 'rating': {'key': band.key, 'label': band.label},")
        self.line("'bonus_multiplier': band.bonus_multiplier,")
        self.line("'dimensions': dimensions, 'indicators': indicators,")
        fired = ", ".join(f"({adj.key!r}, f{a})" for a, adj in enumerate(rs.adjustments))
        self.line(
            f"'adjustments': [key for key, fired in ({fired},) if fired],".replace("(,)", "()")
        )
        self.line("'outcomes': [{'key': s.key, 'label': s.label} for s in outcomes],")
        self.line("'explanation': [],")
        self.depth -= 1
        self.line("}")
        with self.block("if explain:"):
            self.explanation_step()
        self.line("return result")

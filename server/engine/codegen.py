"""The whole ruleset generated into one Python function: the fast path of evaluation.

`generate(ruleset)` writes the source of one function that runs SPEC §4 for this ruleset with
every loop unrolled: inputs checked inline, weights, values, scores, adjustments, spreading,
total, rating and streaks in local variables, and the result dict built directly. It is
assembled only from validated parts: formula expressions come from checked trees
(formula.python_expression) calling our runtime functions (guarded `**` included); every
other value is a repr() of a number, string or boolean, or a name bound in the namespace
below; the namespace has no builtins. Names in the source are numbered (`i3`, `v5`), never
taken from the document.

The step-by-step evaluator (evaluate.py) stays the reference: the generated function returns
None whenever the submission has a problem (an unknown or invalid input, a wrong period, a
missing required input, a failure without fallback, ...), and the caller then runs the
step-by-step evaluator, which lists the problems. With `explain`, the generated function
hands its state to the same explanation code (explain.py). tests/engine/test_codegen.py and
test_differential_ruleset.py check both paths give identical results.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import evaluate as ev_module
from .explain import explain_result
from .formula import python_expression
from .functions import half_up
from .model import Adjustment, Band, Indicator
from .periods import parse_period

if TYPE_CHECKING:
    from .compiler import CompiledRuleset

PERIOD_CACHE_SIZE = 4096  # distinct period strings remembered per ruleset


class _Bail(Exception):
    """The submission has a problem: let the step-by-step evaluator report it."""


class _Unsupported(Exception):
    """Something the generator does not handle: the ruleset evaluates step by step."""


_ABSENT = object()


def generate(ruleset: CompiledRuleset) -> Callable[..., dict[str, Any] | None] | None:
    """The generated evaluator of `ruleset`, or None if it cannot be generated."""
    try:
        source, constants = _Generator(ruleset).build()
        code = compile(source, f"<generated evaluator: {ruleset.role}>", "exec")
    except (_Unsupported, KeyError, RecursionError, MemoryError, SyntaxError):
        # whatever the generator cannot handle is evaluated step by step, correctly, only
        # slower (tests/engine/test_differential_ruleset.py requires every default ruleset)
        return None
    namespace = {"__builtins__": {}, **ruleset.runtime, **_helpers(ruleset), **constants}
    exec(code, namespace)  # noqa: S102
    function = namespace["evaluate"]
    function.source = source
    return function


def _helpers(ruleset: CompiledRuleset) -> dict[str, Any]:
    cache: dict[str, tuple] = {}

    def period_info(text: Any) -> tuple | None:
        if type(text) is not str:
            return None
        found = cache.get(text)
        if found is not None:
            return found
        try:
            period = parse_period(text)
        except ValueError:
            return None
        if period.kind != ruleset.period_kind:
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

    def lacking(inputs, depends):
        found = {name for name, missing in inputs if missing}
        return sorted(found or {key for key, computed in depends if not computed})

    def adjusted(key, weight_changes, score_changes):
        if key not in weight_changes and key not in score_changes:
            return []
        changed = set(weight_changes.get(key, [])) | {c[0].key for c in score_changes.get(key, [])}
        return [a.key for a in ruleset.adjustments if a.key in changed]

    def streak_holds(previous, history, count, rating):
        earlier = previous[: count - 1]
        return len(earlier) == count - 1 and all(history.get(p) == rating for p in earlier)

    def explained(indicators, **state):
        ev = ev_module._Evaluation.__new__(ev_module._Evaluation)
        ev.rs = ruleset
        ev.invalid = set()
        ev.problems = []
        ev.__dict__.update(state)  # no slots or properties: the same as setattr for each
        return explain_result(ev, indicators)

    return {
        "_Bail": _Bail, "_ABSENT": _ABSENT, "_FAIL": ev_module.FORMULA_FAILURES,
        "_NameError": NameError, "_numeric": ev_module._numeric, "_apply": ev_module._apply,
        "_cause_code": ev_module.cause_code, "_cause": ev_module._cause, "_hu": half_up,
        "_sum": sum, "_type": type, "_len": len, "_dict": dict, "_float": float, "_int": int,
        "_period_info": period_info, "_coerce": coerce, "_lacking": lacking,
        "_adjusted": adjusted, "_streak_holds": streak_holds, "_explained": explained,
        "SCORED": ev_module.SCORED, "SKIPPED": ev_module.SKIPPED, "LEFT_OUT": ev_module.LEFT_OUT,
    }  # fmt: skip


class _Generator:
    """Writes the function's source line by line; `constants` binds the objects it names."""

    def __init__(self, ruleset: CompiledRuleset):
        self.rs = ruleset
        self.lines: list[str] = []
        self.depth = 0
        self.constants: dict[str, Any] = {}
        self.inputs = {name: j for j, name in enumerate(ruleset.inputs)}
        self.indicators = {ind.key: k for k, ind in enumerate(ruleset.indicators)}
        # inputs that can be missing: no default (an invalid one makes the generated code bail)
        self.may_miss = {name for name, spec in ruleset.inputs.items() if spec.default is None}

    # --- writing -------------------------------------------------------------------------
    def line(self, text: str) -> None:
        self.lines.append("    " * self.depth + text)

    def block(self, head: str) -> _Indent:
        self.line(head)
        return _Indent(self)

    def const(self, prefix: str, value: Any) -> str:
        name = f"_{prefix}{len(self.constants)}"
        self.constants[name] = value
        return name

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
        raise _Unsupported(name)

    def expression(self, formula, value_local: str | None = None) -> str:
        return python_expression(formula, lambda name: self.read(name, value_local))

    def missing_flags(self, names) -> list[str]:
        """`m3`, `m7`: the flags of the inputs among `names` that can be missing."""
        ordered = sorted((n for n in names if n in self.may_miss), key=self.inputs.__getitem__)
        return [f"m{self.inputs[n]}" for n in ordered]

    # --- the function --------------------------------------------------------------------
    def build(self) -> tuple[str, dict[str, Any]]:
        head = "def evaluate(raw, period_text, employee_id, history, explain, summary=False):"
        with self.block(head):
            self.line("info = _period_info(period_text)")
            with self.block("if info is None or _type(raw) is not _dict:"):
                self.line("return None")
            self.line("period, period_start, period_end, previous = info")
            with self.block("try:"):
                self.inputs_step()
                self.weights_step()
                self.values_step()
                self.scores_step()
                self.spread_step()
                self.total_step()
                self.report_step()
            with self.block("except (_Bail, _NameError):"):
                self.line("return None")
        return "\n".join(self.lines) + "\n", self.constants

    def inputs_step(self) -> None:
        self.line("get = raw.get")
        self.line("present = 0")
        for name, spec in self.rs.inputs.items():
            j = self.inputs[name]
            self.line(f"x = get({name!r}, _ABSENT)")
            if name in self.may_miss:
                missing = f"m{j} = True"
            else:
                missing = f"i{j} = {self.const('default', spec.default)}"
            with self.block("if x is _ABSENT:"):
                self.line(missing)
            with self.block("elif x is None:"):
                self.line("present += 1")
                self.line(missing)
            with self.block("else:"):
                self.line("present += 1")
                if name in self.may_miss:
                    self.line(f"m{j} = False")
                self.coerce(j, spec)
        with self.block("if present != _len(raw):"):
            self.line("raise _Bail")  # a name the ruleset does not declare

    def coerce(self, j: int, spec) -> None:
        """i{j} = spec.coerce(x), inline for the common cases (the rest: the model's method)."""
        bounds = ""
        if spec.min is not None:
            bounds += f" and x >= {spec.min!r}"
        if spec.max is not None:
            bounds += f" and x <= {spec.max!r}"
        whole = f"_type(x) is _int and -1e15 < x < 1e15{bounds}"  # exact as a double
        if spec.type == "number":
            cases = [(f"_type(x) is _float and x - x == 0.0{bounds}", "x"), (whole, "x + 0.0")]
        elif spec.type == "integer":
            cases = [(whole, "x + 0.0")]  # float(x)
        elif spec.type == "boolean":
            cases = [("x is True or x is False", "x")]
        else:
            cases = []
        for n, (test, value) in enumerate(cases):
            with self.block(f"{'elif' if n else 'if'} {test}:"):
                self.line(f"i{j} = {value}")
        with self.block("else:") if cases else _Indent(self, 0):
            self.line(f"i{j} = _coerce({self.const('spec', spec)}, x)")

    def condition(self, a: int, adj: Adjustment, statuses_known: bool) -> None:
        """f{a}: the adjustment's `when`, false when it reads anything missing."""
        if adj.when is None:
            self.line(f"f{a} = True")
            return
        if adj.indicators and not statuses_known:
            self.line(f"f{a} = False")  # step 2 runs before any indicator has a status
            return
        tests = self.missing_flags(adj.inputs)
        tests += [f"not sd{self.indicators[k]}" for k in sorted(adj.indicators)]
        self.line(f"f{a} = False")
        with self.block(f"if not ({' or '.join(tests)}):" if tests else "if True:"):
            with self.block("try:"):
                self.line(f"f{a} = not not ({self.expression(adj.when)})")  # bool(...)
            with self.block("except _FAIL:"):
                self.line("raise _Bail")

    def weights_step(self) -> None:
        for k, ind in enumerate(self.rs.indicators):
            self.line(f"w{k} = {ind.weight!r}")
        self.line("wc = {}")
        for a, adj in enumerate(self.rs.adjustments):
            if not adj.weights:
                continue
            self.condition(a, adj, statuses_known=False)
            with self.block(f"if f{a}:"):
                for key, weight in adj.weights.items():
                    k = self.indicators[key]
                    with self.block(f"if w{k} != {weight!r}:"):
                        self.line(f"wc.setdefault({key!r}, []).append({adj.key!r})")
                    self.line(f"w{k} = {weight!r}")
        # check_required: a missing required input that something in force reads
        for name, spec in self.rs.inputs.items():
            if name not in self.may_miss or not spec.required:
                continue
            if any(name in adj.inputs for adj in self.rs.adjustments):
                needed = "True"
            else:
                readers = [f"w{k} > 0" for k, ind in enumerate(self.rs.indicators)
                           if name in ind.all_inputs]  # fmt: skip
                if not readers:
                    continue
                needed = " or ".join(readers)
            with self.block(f"if m{self.inputs[name]} and ({needed}):"):
                self.line("raise _Bail")

    def values_step(self) -> None:
        dependents: dict[str, list[int]] = {ind.key: [] for ind in self.rs.indicators}
        for ind in self.rs.indicators:
            for dep in ind.depends:
                if dep in dependents:
                    dependents[dep].append(self.indicators[ind.key])
        for ind in reversed(self.rs.order):
            k = self.indicators[ind.key]
            self.line(
                f"n{k} = " + " or ".join([f"w{k} > 0"] + [f"n{j}" for j in dependents[ind.key]])
            )
        self.line("fu = {}")
        for ind in self.rs.order:
            self.value(self.indicators[ind.key], ind)
        for k, _ind in enumerate(self.rs.indicators):
            self.line(f"sd{k} = w{k} > 0 and c{k}")
            self.line(f"st{k} = SCORED if sd{k} else (SKIPPED if w{k} <= 0 else LEFT_OUT)")

    def value(self, k: int, ind: Indicator) -> None:
        """v{k} and c{k} (computed): _Evaluation._value for one needed indicator."""
        lacking = self.missing_flags(ind.inputs)
        lacking += [f"not c{self.indicators[d]}" for d in sorted(ind.depends)]
        self.line(f"c{k} = False")
        with self.block(f"if n{k} and ({' or '.join(lacking)}):" if lacking else "if False:"):
            if ind.fallback is not None:
                maybe = sorted(n for n in ind.inputs if n in self.may_miss)
                inputs = "".join(f"({n!r}, m{self.inputs[n]}), " for n in maybe)
                deps = "".join(f"({d!r}, c{self.indicators[d]}), " for d in sorted(ind.depends))
                self.line(f"fu[{ind.key!r}] = ('missing', _lacking(({inputs}), ({deps})))")
                self.line(f"v{k} = {ind.fallback!r}")
                self.line(f"c{k} = True")
            elif not ind.optional:
                with self.block(f"if w{k} > 0:"):
                    self.line("raise _Bail")  # data an evaluated indicator needs is missing
            else:
                self.line("pass  # optional: left out")
        with self.block(f"elif n{k}:"):
            with self.block("try:"):
                self.line(f"v{k} = _numeric({self.expression(ind.formula)})")
            with self.block("except _FAIL as exc:"):
                if ind.fallback is None:
                    self.line("raise _Bail")
                else:
                    self.line(f"fu[{ind.key!r}] = (_cause_code(exc), _cause(exc))")
                    self.line(f"v{k} = {ind.fallback!r}")
            self.line(f"c{k} = True")

    def scores_step(self) -> None:
        for k, ind in enumerate(self.rs.indicators):
            with self.block(f"if sd{k}:"):
                self.line(f"x = v{k}")
                self.scoring(ind)
                with self.block("if y - y != 0.0:"):
                    self.line("raise _Bail")  # not finite: a problem
                self.line(f"s{k} = r{k} = y")
        for a, adj in enumerate(self.rs.adjustments):
            if not adj.weights:
                self.condition(a, adj, statuses_known=True)
        self.line("sc = {}")
        for a, adj in enumerate(self.rs.adjustments):
            if not adj.scores:
                continue
            with self.block(f"if f{a}:"):
                name = self.const("adj", adj)
                for key, (op, n) in adj.scores.items():
                    k = self.indicators[key]
                    with self.block(f"if sd{k}:"):
                        self.line(f"y = _apply({op!r}, s{k}, {n!r})")
                        self.line("y = y if y > 0.0 else 0.0")  # max(0.0, y)
                        self.line(
                            f"sc.setdefault({key!r}, []).append(({name}, {op!r}, {n!r}, s{k}, y))"
                        )
                        self.line(f"s{k} = y")

    def scoring(self, ind: Indicator) -> None:
        """y = the score of x, exactly as model.Scoring.score computes it."""
        scoring = ind.scoring
        if scoring.kind == "clamp":
            self.line("y = 0.0 if 0.0 > x else x")  # max(x, 0.0)
            self.line("y = 100.0 if 100.0 < y else y")  # min(y, 100.0)
        elif scoring.kind == "linear":
            xs, ss = scoring.xs, scoring.ss
            with self.block(f"if x <= {xs[0]!r}:"):
                self.line(f"y = {ss[0]!r}")
            with self.block(f"elif x >= {xs[-1]!r}:"):
                self.line(f"y = {ss[-1]!r}")
            for i in range(len(xs) - 1):
                head = "else:" if i == len(xs) - 2 else f"elif x < {xs[i + 1]!r}:"
                with self.block(head):
                    ds, dx = ss[i + 1] - ss[i], xs[i + 1] - xs[i]
                    self.line(f"y = {ss[i]!r} + (x - {xs[i]!r}) * {ds!r} / {dx!r}")
        elif scoring.kind == "bands":
            for i, (minimum, score) in enumerate(scoring.bands):
                with self.block(f"{'if' if i == 0 else 'elif'} {minimum!r} <= x:"):
                    self.line(f"y = {score!r}")
            with self.block("else:"):
                self.line(f"y = {scoring.otherwise!r}")
        else:
            with self.block("try:"):
                self.line(f"y = _numeric({self.expression(scoring.formula, 'x')})")
            with self.block("except _FAIL:"):
                self.line("raise _Bail")

    def spread_step(self) -> None:
        pairs = ", ".join(f"(w{k}, st{k})" for k in range(len(self.rs.indicators)))
        self.line(f"lo = _sum([w for w, st in ({pairs},) if st is LEFT_OUT])")
        with self.block("if lo and lo >= 100:"):
            self.line("raise _Bail")
        self.line("rest = 100 - lo")
        for k in range(len(self.rs.indicators)):
            self.line(f"fw{k} = (w{k} * 100 / rest if lo else w{k}) if sd{k} else 0.0")
            self.line(f"ct{k} = s{k} * fw{k} / 100 if sd{k} else 0.0")

    def total_step(self) -> None:
        self.line("total = 0.0")
        for k in range(len(self.rs.indicators)):
            with self.block(f"if sd{k}:"):
                self.line(f"total += ct{k}")
        self.line("raw_total = total")
        self.line("tc = []")
        for a, adj in enumerate(self.rs.adjustments):
            if adj.total:
                op, n = adj.total
                with self.block(f"if f{a}:"):
                    self.line("before = total")
                    self.line(f"total = _apply({op!r}, total, {n!r})")
                    self.line(
                        f"tc.append(({self.const('adj', adj)}, {op!r}, {n!r}, before, total))"
                    )
        with self.block("if total - total != 0.0:"):
            self.line("raise _Bail")  # not finite: a problem
        self.line(f"rounded = _hu(total, {self.rs.precision!r})")
        bands = self.rs.bands
        for i, band in enumerate(bands):
            with self.block(f"{'if' if i == 0 else 'elif'} {band.min!r} <= rounded:"):
                self.line(f"band = {self.band(band)}")
        with self.block("else:"):
            self.line(f"band = {self.band(bands[-1])}")
        self.line("band_by_total = band")
        self.line("rc = []")
        for a, adj in enumerate(self.rs.adjustments):
            if not adj.rating:
                continue
            op, key = adj.rating
            target = self.rs.band_index[key]
            with self.block(f"if f{a}:"):
                self.line("before = band")
                if op == "set":
                    self.line(f"band = {self.band(bands[target])}")
                else:
                    index = self.const("band_index", self.rs.band_index)
                    with self.block(f"if {index}[band.key] < {target!r}:"):
                        self.line(f"band = {self.band(bands[target])}")
                self.line(f"rc.append(({self.const('adj', adj)}, {op!r}, before, band))")
        with self.block("if summary:"):
            self.line("return rounded, band.key")  # CompiledRuleset.total_and_rating
        self.line("outcomes = []")
        for streak in self.rs.streaks:
            test = f"band.key == {streak.rating!r} and _streak_holds(previous, history, {streak.count!r}, {streak.rating!r})"
            with self.block(f"if {test}:"):
                self.line(f"outcomes.append({self.const('streak', streak)})")

    def band(self, band: Band) -> str:
        return self.const("band", band)

    def report_step(self) -> None:
        rs = self.rs
        p = rs.precision
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
                f"    {{'key': {dim.key!r}, 'name': {dim.name!r}, 'weight': _hu(dw{d}, {p}), "
                f"'score': _hu(dc{d} * 100 / dw{d}, {p}) if dw{d} else None, "
                f"'contribution': _hu(dc{d}, {p})}},"
            )
        self.line("]")
        self.line("indicators = [")
        zero = half_up(0.0, p)
        for k, ind in enumerate(rs.indicators):
            self.line(
                f"    {{'key': {ind.key!r}, 'name': {ind.name!r}, 'dimension': {ind.dimension!r}, "
                f"'status': st{k}, 'value': _hu(v{k}, {p}) if c{k} else None, "
                f"'score': _hu(s{k}, {p}) if sd{k} else None, 'weight': _hu(fw{k}, {p}), "
                f"'declared_weight': _hu(w{k}, {p}), "
                f"'contribution': _hu(ct{k}, {p}) if sd{k} else {zero!r}, "
                f"'adjustments': _adjusted({ind.key!r}, wc, sc) if wc or sc else []}},"
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
            self.explain_state()
        self.line("return result")

    def keyed(self, local: str) -> str:
        """`'key0': w0, 'key1': w1, ...` over the indicators, for a dict literal."""
        return ", ".join(
            f"{ind.key!r}: {local.format(k=k)}" for k, ind in enumerate(self.rs.indicators)
        )

    def scored(self, local: str) -> str:
        """A dict literal of `local` for the scored indicators only."""
        parts = [f"**({{{ind.key!r}: {local.format(k=k)}}} if sd{k} else {{}})"
                 for k, ind in enumerate(self.rs.indicators)]  # fmt: skip
        return "{" + ", ".join(parts) + "}"

    def explain_state(self) -> None:
        """result['explanation'] from the state _Evaluation would hold, by explain.py."""
        rs = self.rs
        self.line("names = {'period_start': period_start, 'period_end': period_end}")
        for name, j in self.inputs.items():
            if name in self.may_miss:
                with self.block(f"if not m{j}:"):
                    self.line(f"names[{name!r}] = i{j}")
            else:
                self.line(f"names[{name!r}] = i{j}")
        for k, ind in enumerate(rs.indicators):
            with self.block(f"if c{k}:"):
                self.line(f"names[{ind.key!r}] = v{k}")
        missing = ", ".join(
            f"({n!r}, m{self.inputs[n]})" for n in self.inputs if n in self.may_miss
        )
        fired = ", ".join(f"{adj.key!r}: f{a}" for a, adj in enumerate(rs.adjustments))
        self.line("result['explanation'] = _explained(")
        self.depth += 1
        self.line("indicators, period=period, names=names,")
        self.line(f"missing={{n for n, m in ({missing},) if m}},".replace("(,)", "()"))
        self.line(f"fired={{{fired}}}, weights={{{self.keyed('w{k}')}}}, weight_changes=wc,")
        self.line(f"status={{{self.keyed('st{k}')}}}, fallback_used=fu,")
        self.line(
            f"scores={self.scored('s{k}')}, raw_scores={self.scored('r{k}')}, score_changes=sc,"
        )
        self.line(f"left_out_weight=lo, final_weights={{{self.keyed('fw{k}')}}},")
        self.line(f"contributions={self.scored('ct{k}')}, raw_total=raw_total, total_changes=tc,")
        self.line("total=rounded, band_by_total=band_by_total, rating_changes=rc, band=band,")
        self.line("outcomes=outcomes,")
        self.depth -= 1
        self.line(")")


class _Indent:
    def __init__(self, generator: _Generator, step: int = 1):
        self.generator = generator
        self.step = step

    def __enter__(self) -> None:
        self.generator.depth += self.step

    def __exit__(self, *exc: object) -> None:
        self.generator.depth -= self.step

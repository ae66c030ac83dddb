"""The source of the generated evaluator (generated.py): SPEC §4 for one ruleset, unrolled.

One function: inputs checked inline, weights, values, scores, adjustments, spreading, total,
rating and streaks in local variables, and the result dict built directly. It is assembled
only from validated parts: formula expressions come from checked trees
(formula.python_expression) calling our runtime functions (guarded `**` included); every
other value is a repr() of a number, string or boolean, or a name bound in the namespace
(generated.py: the shared steps of steps.py, the state, constants). Names in the source are
numbered (`i3`, `v5`; generated_report.py has the legend), never taken from the document.

What the step-by-step evaluator does with a loop this writes once per indicator or adjustment;
what it does with a shared step (steps.py) this calls by the same function.
"""

from __future__ import annotations

from typing import Any

from .generated_report import ReportSource
from .model import Adjustment, Band, Indicator, InputSpec
from .source_writer import Indent


class GeneratedSource(ReportSource):
    """Writes the generated function's source; `constants` binds the objects it names."""

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
        return self.source(), self.constants

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

    def coerce(self, j: int, spec: InputSpec) -> None:
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
        coerce = {"date": "_coerce_date", "ratings": "_coerce_ratings"}.get(spec.type, "_coerce")
        with self.block("else:") if cases else Indent(self, 0):
            self.line(f"i{j} = {coerce}({self.const('spec', spec)}, x)")

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
        self.statuses(self.may_be_left_out())

    def may_be_left_out(self) -> list[int]:
        """The indicators that can end LEFT_OUT: weighted but not computed, which only an
        optional one without a fallback can be (value() bails or computes for the others)."""
        return [
            k for k, ind in enumerate(self.rs.indicators) if ind.optional and ind.fallback is None
        ]

    def statuses(self, ks: list[int]) -> None:
        for k in ks:
            self.line(f"st{k} = SCORED if sd{k} else (SKIPPED if w{k} <= 0 else LEFT_OUT)")

    def value(self, k: int, ind: Indicator) -> None:
        """v{k} and c{k} (computed): stepwise._value for one needed indicator."""
        lacking = self.missing_flags(ind.inputs)
        lacking += [f"not c{self.indicators[d]}" for d in sorted(ind.depends)]
        self.line(f"c{k} = False")
        with self.block(f"if n{k} and ({' or '.join(lacking)}):" if lacking else "if False:"):
            if ind.fallback is not None:
                maybe = sorted(n for n in ind.inputs if n in self.may_miss)
                inputs = "".join(f"({n!r}, m{self.inputs[n]}), " for n in maybe)
                deps = "".join(f"({d!r}, c{self.indicators[d]}), " for d in sorted(ind.depends))
                missing = f"[n for n, m in ({inputs}) if m]"
                uncomputed = f"[d for d, c in ({deps}) if not c]"
                self.line(f"fu[{ind.key!r}] = ('missing', _lacking({missing}, {uncomputed}))")
                self.line(f"v{k} = {ind.fallback!r}")
                self.line(f"c{k} = True")
            elif not ind.optional:
                with self.block(f"if w{k} > 0:"):
                    self.line("raise _Bail")  # data an evaluated indicator needs is missing
            else:
                self.line("pass  # optional: left out")
        with self.block(f"elif n{k}:"):
            with self.block("try:"):
                self.line(f"v{k} = {self.expression(ind.formula)}")
                with self.block(f"if _type(v{k}) is not _float or v{k} - v{k} != 0.0:"):
                    self.line(f"v{k} = _numeric(v{k})")  # steps.numeric, inline when finite
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
                        self.line(f"y = _adjusted_score({op!r}, s{k}, {n!r})")
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
        # the weights left out, in indicator order: only these can be (may_be_left_out)
        pairs = "".join(f"(w{k}, st{k}), " for k in self.may_be_left_out())
        self.line(f"lo = _sum([w for w, st in ({pairs}) if st is LEFT_OUT])")
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
        self.line(f"rounded = {self.rounded('total')}")
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
            with self.block(f"if f{a}:"):
                self.line("before = band")
                self.line(f"band = _adjusted_rating({op!r}, band, {key!r}, _bands, _band_index)")
                self.line(f"rc.append(({self.const('adj', adj)}, {op!r}, before, band))")
        with self.block("if summary:"):
            self.line("return rounded, band.key")  # CompiledRuleset.total_and_rating
        left_out = set(self.may_be_left_out())
        self.statuses([k for k in range(len(self.rs.indicators)) if k not in left_out])
        self.line("outcomes = []")
        for streak in self.rs.streaks:
            test = f"band.key == {streak.rating!r} and _streak_holds(previous, history, {streak.count!r}, {streak.rating!r})"
            with self.block(f"if {test}:"):
                self.line(f"outcomes.append({self.const('streak', streak)})")

    def band(self, band: Band) -> str:
        return self.const("band", band)

"""Part a: in-process evaluations per second of the default regional_sales_manager ruleset.

Every method computes the same numbers for the same synthetic employees and is checked
equal to the engine before anything is timed:
  hand-written       bench/handwritten.py, the full result (and the bare total)
  compiled           CompiledRuleset.evaluate (the generated function of codegen.py),
                     explain=False and explain=True; and the step-by-step evaluator it
                     is tested against (evaluate.py, compiled formulas)
  simpleeval         the step-by-step evaluator with each formula interpreted by simpleeval
                     (server/engine/reference.py), parsed once and re-parsed per call
  zen-engine         the equivalent JDM decision (bench/zen_decision.py), one call per
                     employee and one evaluate_batch call for all of them
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bench.employees import employees, load_ruleset_document
from bench.handwritten import full_result, total_only
from bench.timing import Row, best_of, micros, per_second
from server.engine import SubmissionRejected, compile_ruleset
from server.engine.reference import interpreted
from server.engine.stepwise import evaluate_stepwise
from server.engine.tracking import what_it_takes


class Mismatch(AssertionError):
    """Two methods disagree: nothing is timed until they agree."""


def _engine(ruleset, explain: bool) -> Callable[[dict], dict]:
    def evaluate(sub: dict[str, Any]) -> dict[str, Any]:
        return ruleset.evaluate(
            sub["inputs"],
            sub["period"],
            employee_id=sub["employee_id"],
            history=sub["history"],
            explain=explain,
        )

    return evaluate


def _stepwise(ruleset) -> Callable[[dict], dict]:
    """The step-by-step evaluator (evaluate.py) with compiled formulas, explain=False."""

    def evaluate(sub: dict[str, Any]) -> dict[str, Any]:
        return evaluate_stepwise(ruleset, sub["inputs"], sub["period"], sub["employee_id"],
                                 sub["history"], False)  # fmt: skip

    return evaluate


def _check_same(name: str, got: list, want: list) -> None:
    for sub_got, sub_want in zip(got, want, strict=True):
        # repr also tells 0.0 from -0.0 and 1 from 1.0, which == would not
        if sub_got != sub_want or repr(sub_got) != repr(sub_want):
            raise Mismatch(f"{name} differs from the engine:\n{sub_got!r}\n{sub_want!r}")


def _zen(subs: list[dict], engine_results: list[dict]) -> dict[str, Any] | None:
    """The decision, its two calling modes and how its numbers compare; None without zen."""
    try:
        import zen
    except ImportError:
        return None
    from bench.zen_decision import decision_json, differences

    text = decision_json()
    engine = zen.ZenEngine({"loader": lambda key: text})
    decision = engine.create_decision(text)
    contexts = [sub["inputs"] for sub in subs]
    identical, tie_only, worst = 0, 0, []
    for context, result in zip(contexts, engine_results, strict=True):
        found = differences(decision.evaluate(context)["result"], result)
        if not found:
            identical += 1
        elif all(_one_unit(line) for line in found):
            tie_only += 1
        else:
            worst.append(found)
    if worst:
        raise Mismatch(f"zen-engine differs beyond rounding ties: {worst[:3]}")
    batch = [{"key": "regional_sales_manager", "context": c} for c in contexts]
    return {
        "single": lambda: all(decision.evaluate(c) for c in contexts),
        "batch": lambda: engine.evaluate_batch(batch),
        "identical": identical,
        "tie_only": tie_only,
    }


def _one_unit(line: str) -> bool:
    """A difference of exactly 0.01 in a number (ZEN's decimals vs SPEC's doubles at a tie)."""
    try:
        _, numbers = line.split(": zen ")
        a, b = numbers.split(" engine ")
        return abs(abs(float(a) - float(b)) - 0.01) < 1e-9
    except ValueError:
        return False


def run(count: int = 10_000, repeats: int = 3, with_zen: bool = True) -> list[Row]:
    """Check every method equal, then time each; the rows of part a."""
    subs = employees(count)
    ruleset = compile_ruleset(load_ruleset_document())
    once, reparse = interpreted(ruleset), interpreted(ruleset, reparse=True)
    compiled, compiled_explained = _engine(ruleset, False), _engine(ruleset, True)

    reference = [compiled(sub) for sub in subs]
    stepwise = _stepwise(ruleset)
    _check_same("the step-by-step evaluator", [stepwise(s) for s in subs], reference)
    _check_same("the hand-written function", [full_result(s) for s in subs], reference)
    explained = [compiled_explained(s) for s in subs]
    if not all(r["explanation"] for r in explained):
        raise Mismatch("explain=True gave a result without explanation lines")
    _check_same("explain=True", [{**r, "explanation": []} for r in explained], reference)
    _check_same("simpleeval parsed once", [_engine(once, False)(s) for s in subs], reference)
    _check_same("simpleeval re-parsing", [_engine(reparse, False)(s) for s in subs], reference)
    totals = [(r["total"], r["rating"]["key"]) for r in reference]
    if [total_only(s) for s in subs] != totals:
        raise Mismatch("the hand-written total differs from the engine's")

    def summary(sub: dict[str, Any]) -> tuple[float, str]:
        return ruleset.total_and_rating(
            sub["inputs"], sub["period"], employee_id=sub["employee_id"]
        )

    if [summary(s) for s in subs] != totals:
        raise Mismatch("total_and_rating() differs from the full result's total and rating")
    zen_modes = _zen(subs, reference) if with_zen else None

    def each(fn: Callable[[dict], Any]) -> Callable[[], Any]:
        def run_all() -> None:
            for sub in subs:  # results not kept: 10,000 of them would make the GC the story
                fn(sub)

        return run_all

    methods = [
        ("hand-written function, full result", each(full_result)),
        ("hand-written function, total and rating only", each(total_only)),
        ("engine, compiled, explain=False", each(compiled)),
        ("engine, compiled, explain=True", each(compiled_explained)),
        ("engine, compiled, total_and_rating() only", each(summary)),
        ("engine, step-by-step reference evaluator", each(stepwise)),
        ("engine, simpleeval parsed once", each(_engine(once, False))),
        ("engine, simpleeval re-parsing", each(_engine(reparse, False))),
    ]
    if zen_modes is not None:
        methods.append(("zen-engine JDM, decision.evaluate per employee", zen_modes["single"]))
        methods.append(("zen-engine JDM, evaluate_batch of all", zen_modes["batch"]))
    # round-robin: every method gets a pass in each round, so a burst of load from elsewhere
    # on a shared machine hits them alike; the best pass of each counts
    best: dict[str, tuple[float, float]] = {}
    for _ in range(repeats):
        for what, run_all in methods:
            cpu, wall = best_of(run_all, 1)
            old = best.get(what)
            best[what] = (min(cpu, old[0]), min(wall, old[1])) if old else (cpu, wall)
    timed = [(what, best[what]) for what, _ in methods]
    hand = best["hand-written function, full result"]
    rows = [
        Row(
            "a",
            what,
            per_second(count, cpu),
            f"{micros(cpu / count)} CPU, {micros(wall / count)} wall",
            f"{cpu / hand[0]:.1f}×",
        )  # fmt: skip
        for what, (cpu, wall) in timed
    ]
    checks = f"{count:,} employees; results equal (repr) across hand-written, compiled, simpleeval"
    if zen_modes is not None:
        checks += (
            f"; zen-engine identical on {zen_modes['identical']:,}, the other "
            f"{zen_modes['tie_only']:,} differ only by 0.01 at a decimal-vs-double rounding tie"
        )
    else:
        checks += "; zen-engine not installed (pip install zen-engine==2.1.3): not timed"
    rows.append(Row("a", "checks", "ok", checks))
    rows.append(
        _what_it_takes(
            ruleset,
            subs[:WHAT_IT_TAKES_EMPLOYEES],
            best["engine, compiled, total_and_rating() only"][0] / count,
        )
    )
    return rows


WHAT_IT_TAKES_EMPLOYEES = 500  # a search per lever: each employee costs a few hundred evaluations


def _what_it_takes(ruleset, subs: list[dict[str, Any]], per_total: float) -> Row:
    """SPEC §10's what it takes for every lever of each employee (the search over
    total_and_rating), per employee, against one total_and_rating() call."""
    levers = sum(1 for spec in ruleset.inputs.values() if spec.lever)
    rated = []
    for sub in subs:
        try:
            rated.append((sub, ruleset.total_and_rating(sub["inputs"], sub["period"])[1]))
        except SubmissionRejected:
            continue

    def run_all() -> None:
        for sub, rating in rated:
            period = sub["period"]
            what_it_takes(
                ruleset, lambda i, p=period: ruleset.total_and_rating(i, p), sub["inputs"], rating
            )

    cpu, wall = best_of(run_all, 3)
    n = max(len(rated), 1)
    return Row(
        "a",
        f"what it takes, {levers} levers searched per employee",
        f"{cpu / n * 1000:.2f} ms",
        f"{len(rated)} employees; {micros(wall / n)} wall per employee",
        f"{cpu / n / per_total:.0f}× one total_and_rating()",
    )

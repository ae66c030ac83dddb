"""Random submissions for any compiled ruleset: values inside each input's bounds, bounds
themselves, optional data left out, a rare forgotten required input, a stored history."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from server.engine import CompiledRuleset
from server.engine.model import InputSpec

PERIODS = {"quarter": ["2025-Q3", "2025-Q1"], "month": ["2025-07", "2025-02"],
           "half": ["2025-H2", "2025-H1"], "year": ["2025", "2024"]}  # fmt: skip
RATING_KEYS = ["excellent", "good", "pass", "fail"]


def _number(rnd: random.Random, spec: InputSpec, whole: bool) -> float | int:
    lo = spec.min if spec.min is not None else -50.0
    hi = spec.max if spec.max is not None else max(lo, 0) + rnd.choice([1, 100, 1e4, 1e7])
    pick = rnd.random()
    if pick < 0.04:
        x = lo  # a bound: zero denominators, empty scores
    elif pick < 0.06:
        x = hi
    else:
        x = rnd.uniform(lo, hi)
    if whole:
        return int(min(max(round(x), int(lo) if lo == int(lo) else round(lo + 0.5)), hi))
    return round(x, rnd.choice([0, 1, 2, 6])) if rnd.random() < 0.7 else x


def _value(rnd: random.Random, spec: InputSpec) -> Any:
    if spec.type in ("number", "integer"):
        return _number(rnd, spec, spec.type == "integer")
    if spec.type == "boolean":
        return rnd.random() < 0.5
    if spec.type == "string":
        return rnd.choice(spec.enum) if spec.enum else rnd.choice(["a", "b", ""])
    if spec.type == "date":
        return (date(2015, 1, 1) + timedelta(days=rnd.randint(0, 4000))).isoformat()
    if spec.type == "list":
        return [round(rnd.uniform(0, 100), 1) for _ in range(rnd.randint(0, 4))]
    kinds = list(spec.raters)
    chosen = rnd.sample(kinds, rnd.randint(0 if rnd.random() < 0.05 else 1, len(kinds)))
    return {
        kind: rnd.randint(0, 100) if rnd.random() < 0.5
        else [round(rnd.uniform(0, 100), 1) for _ in range(rnd.randint(1, 3))]
        for kind in chosen
    }  # fmt: skip


def generated_submission(rnd: random.Random, ruleset: CompiledRuleset) -> dict[str, Any]:
    inputs = {}
    for name, spec in ruleset.inputs.items():
        roll = rnd.random()
        if roll < (0.4 if not spec.required else 0.005):
            continue  # missing: optional data not sent, or a required one forgotten
        inputs[name] = None if roll < 0.01 else _value(rnd, spec)
    history = {
        period: rnd.choice(RATING_KEYS)
        for period in ruleset.history_periods(PERIODS[ruleset.period_kind][0])
        if rnd.random() < 0.7
    }
    return {
        "inputs": inputs,
        "period": rnd.choice(PERIODS[ruleset.period_kind]),
        "employee_id": f"E{rnd.randint(1, 99999)}",
        "history": history,
    }

"""Synthetic employees for the default regional_sales_manager ruleset: raw submissions as a
client system would POST them (dates as strings, ratings as a score or a list of scores).

Deterministic for a seed. The mix exercises every path of the ruleset: new hires (weights
adjusted, 团队融入 scored), the two strategy stages (with and without their optional data, so
indicators are scored, left out or fall back), the collection and complaint adjustments, a
training requirement of 0 (fallback), and a stored history that triggers the streaks.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RULESET_PATH = ROOT / "rulesets" / "regional_sales_manager.yaml"
PERIOD = "2025-Q3"
HISTORY_PERIODS = ("2025-Q2", "2025-Q1")
RATING_KEYS = ("excellent", "good", "pass", "fail")


def _money(rng: random.Random, low: float, high: float) -> float | int:
    """An amount in yuan: whole most of the time, with fen otherwise (as clients send them)."""
    x = rng.uniform(low, high)
    return round(x) if rng.random() < 0.7 else round(x, 2)


def _scores(rng: random.Random, n: int, low: float = 50, high: float = 100) -> Any:
    values = [rng.randint(int(low), int(high)) if rng.random() < 0.8 else round(rng.uniform(low, high), 1)
              for _ in range(n)]  # fmt: skip
    return values[0] if n == 1 and rng.random() < 0.7 else values


def employee(rng: random.Random, index: int) -> dict[str, Any]:
    """One submission `{employee_id, period, inputs, history}`."""
    new_hire = rng.random() < 0.12
    if new_hire:
        hire = date(2025, 9, 30) - timedelta(days=rng.randint(10, 175))
    else:
        hire = date(2010, 1, 1) + timedelta(days=rng.randint(0, 5500))
    target = rng.choice([5e6, 8e6, 1e7, 1.2e7, 2e7])
    actual = _money(rng, 0.3 * target, 1.4 * target)
    if rng.random() < 0.01:
        actual = 0  # no sales: 回款率 falls back to 0
    target_profit = target * 0.2
    team_target = target * 3
    staff_start = rng.randint(5, 40)
    inputs: dict[str, Any] = {
        "hire_date": hire.isoformat(),
        "actual_sales": actual,
        "target_sales": target,
        "actual_profit": _money(rng, -0.1 * target_profit, 1.3 * target_profit),
        "target_profit": target_profit,
        "collected_amount": _money(rng, 0.5 * actual, actual) if actual else 0,
        "team_actual_sales": _money(rng, 0.4 * team_target, 1.3 * team_target),
        "team_target_sales": team_target,
        "staff_start": staff_start,
        "staff_end": rng.randint(max(0, staff_start - 8), staff_start + 3),
        "training_done": rng.randint(0, 60),
        "training_required": 0 if rng.random() < 0.05 else rng.randint(20, 60),
        "morale_survey": rng.randint(40, 100),
        "new_customers_start": (start := rng.randint(20, 300)),
        "new_customers_end": start + rng.randint(-5, 40),
        "new_customer_target": rng.randint(5, 30),
        "repeat_purchase_amount": _money(rng, 0.5e6, 4.5e6),
        "old_customer_sales": _money(rng, 4.6e6, 6e6),
        "satisfaction_survey": rng.randint(55, 100) if rng.random() < 0.8 else round(rng.uniform(55, 100), 1),
        "strategy_rating": {"superior": _scores(rng, 1)},
        "coordination_rating": {"peer": _scores(rng, rng.randint(1, 4)), "self": _scores(rng, 1, 60)},
        "problem_solving_rating": {"superior": _scores(rng, 1)},
        "learning_rating": {"self": _scores(rng, 1, 60), "superior": _scores(rng, 1)},
    }  # fmt: skip
    if rng.random() < 0.9:
        inputs["complaint_rate"] = round(rng.uniform(0, 14), 1)
    if new_hire:
        inputs["integration_score"] = rng.randint(50, 100)
    if rng.random() < 0.25:
        inputs["expansion_stage"] = True
        if rng.random() < 0.85:  # otherwise market_share_growth is left out
            inputs["market_share_prev"] = round(rng.uniform(2, 30), 2)
            inputs["market_share"] = round(inputs["market_share_prev"] * rng.uniform(0.7, 1.4), 2)
    elif rng.random() < 0.1:
        inputs["expansion_stage"] = False
    if rng.random() < 0.25:
        inputs["deepening_stage"] = True
        if rng.random() < 0.85 and actual:  # otherwise key_account_share falls back to 0
            inputs["key_account_sales"] = _money(rng, 0.1 * actual, 0.7 * actual)
    history = {}
    if rng.random() < 0.3:
        streak = rng.choice(("excellent", "fail"))
        history = {
            p: streak if rng.random() < 0.8 else rng.choice(RATING_KEYS) for p in HISTORY_PERIODS
        }
    return {"employee_id": f"E{index:06d}", "period": PERIOD, "inputs": inputs, "history": history}


def employees(count: int, seed: int = 20250930) -> list[dict[str, Any]]:
    """`count` synthetic submissions, the same for the same seed."""
    rng = random.Random(seed)
    return [employee(rng, i) for i in range(count)]


def load_ruleset_document() -> dict[str, Any]:
    """The default regional_sales_manager document, as published."""
    from server.engine import load_document

    return load_document(RULESET_PATH.read_text(encoding="utf-8"))

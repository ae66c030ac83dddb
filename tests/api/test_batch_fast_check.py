"""The cheap batch check (schemas.PlainBatch) never passes a body the JSON Schema rejects."""

from __future__ import annotations

import random

from server.schemas import plain_batch, schema_set

GOOD = {"role": "regional_sales_manager", "period": "2025-Q3", "employee_id": "E1", "inputs": {}}
ODD_VALUES = [
    None, True, False, 0, 1, -1, 2**31, 2**31 - 1, 1.0, 2.5, "", "x", "x" * 201, "x" * 2001,
    "a\x00b", "2025", "2025-H1", "2025-H3", "2025-07", "2025-13", "2025\n", "２０２５", [], {},
    {"a": 1}, ["2025"],
]  # fmt: skip
NAMES = ["role", "period", "employee_id", "inputs", "version", "reason", "extra"]


def _schema_ok(body: object) -> bool:
    return schema_set().problems("batch", body) == []


def test_a_plain_batch_passes_the_fast_check() -> None:
    body = {"items": [GOOD, {**GOOD, "version": 2, "reason": "fix"}, {**GOOD, "reason": None}]}
    assert plain_batch().enabled
    assert plain_batch().valid(body) and _schema_ok(body)


def test_the_fast_check_never_passes_what_the_schema_rejects() -> None:
    rng = random.Random(7)
    passed = 0
    for _ in range(3000):
        item = dict(GOOD)
        for _ in range(rng.randint(1, 3)):
            name = rng.choice(NAMES)
            if rng.random() < 0.2:
                item.pop(name, None)
            else:
                item[name] = rng.choice(ODD_VALUES)
        body = {"items": [GOOD, item]}
        if plain_batch().valid(body):
            passed += 1
            assert _schema_ok(body), item
    assert passed > 100  # the valid mutations do take the fast path


def test_envelopes_the_fast_check_leaves_to_the_schema() -> None:
    for body in [
        {}, {"items": []}, {"items": [GOOD], "x": 1}, {"items": GOOD}, [GOOD], {"items": [[]]},
        {"items": [GOOD] * 10001},
    ]:  # fmt: skip
        assert not plain_batch().valid(body)
        assert not _schema_ok(body)


def test_the_evaluate_fast_check_never_passes_what_the_schema_rejects() -> None:
    rng = random.Random(11)
    good = {"role": "r", "period": "2025-Q3", "inputs": {}}
    assert plain_batch().evaluate_enabled
    assert plain_batch().valid_evaluate(good)
    assert plain_batch().valid_evaluate({**good, "employee_id": None, "version": 1})
    assert not plain_batch().valid_evaluate({"period": "2025", "inputs": {}, "document": {}})
    passed = 0
    for _ in range(3000):
        body = dict(good)
        for _ in range(rng.randint(1, 3)):
            name = rng.choice([*NAMES, "document"])
            if rng.random() < 0.2:
                body.pop(name, None)
            else:
                body[name] = rng.choice(ODD_VALUES)
        if plain_batch().valid_evaluate(body):
            passed += 1
            assert schema_set().problems("evaluate", body) == [], body
    assert passed > 100

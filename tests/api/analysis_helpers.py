"""Helpers of the analysis tests: storing a small known set of results through the API."""

from __future__ import annotations

import copy
from typing import Any

from tests.conftest import ruleset_document, submission


def inputs(actual: float, visits: int = 10) -> dict[str, Any]:
    """team_lead inputs: (actual / 100 x 100) x 0.8 + (visits x 5) x 0.2 under version 1."""
    return {"actual_sales": actual, "target_sales": 100, "visits": visits}


def rebalanced(sales: float = 70, visits: float = 30) -> dict[str, Any]:
    """The team_lead ruleset with other weights (its example still scores 100)."""
    document = copy.deepcopy(ruleset_document())
    document["indicators"][0]["weight"] = sales
    document["indicators"][1]["weight"] = visits
    return document


def store_all(client, key, rows: dict[str, dict[str, Any]], period: str = "2025-Q3") -> None:
    """Store each employee's inputs in one batch."""
    items = [submission(employee, period, inputs=values) for employee, values in rows.items()]
    response = client.post("/api/v1/evaluations/batch", json={"items": items}, headers=key)
    assert response.status_code == 201, response.get_json()

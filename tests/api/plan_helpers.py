"""A ruleset whose targets come from the period plan, and helpers for the plan endpoints."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from tests.conftest import ruleset_document


def plan_document(**overrides: Any) -> dict[str, Any]:
    """tests/conftest.py's team_lead ruleset with `target_sales` and `hire_date` set in the plan.

    actual 90 / target 100 with 10 visits -> 82.00 (good), as there.
    """
    document = ruleset_document(**overrides)
    document["inputs"]["target_sales"]["source"] = "plan"
    document["inputs"]["actual_sales"].update(lever="increase", projection="linear")
    document["inputs"]["hire_date"] = {
        "type": "date",
        "label": "入职日期",
        "required": False,
        "source": "plan",
    }
    return document


def plan_url(employee_id: str = "e1", role: str = "team_lead", period: str = "2025-Q3") -> str:
    return f"/api/v1/plans/{role}/{period}/{quote(employee_id, safe='')}"

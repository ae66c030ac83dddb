"""A period plan merged into a submission (SPEC §9): the plan's values fill the `source: plan`
inputs the submission leaves out; a value sent that differs from the plan's is refused.

What is stored as a revision's inputs is the merged set, so replay needs no plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from server.engine import CompiledRuleset, pointer
from server.engine.language import T
from server.services.domain_errors import Invalid, Issue
from server.storage import plan_queries

Key = tuple[str, str, str]  # role, period, employee_id


@dataclass(frozen=True)
class PlanValues:
    """What an evaluation takes from a plan: its latest revision's values."""

    revision: int
    acknowledged: bool
    inputs: dict[str, Any]

    def reference(self) -> dict[str, Any]:
        """The result's `plan` member."""
        return {"revision": self.revision, "acknowledged": self.acknowledged}


def plans_for(keys: Iterable[Key]) -> dict[Key, PlanValues]:
    """The latest plan of each role-period-employee named (those that have one): one query
    per role and period."""
    by_period: dict[tuple[str, str], list[str]] = defaultdict(list)
    for role, period, employee_id in keys:
        if employee_id:
            by_period[(role, period)].append(employee_id)
    found: dict[Key, PlanValues] = {}
    for (role, period), employee_ids in by_period.items():
        among = plan_queries.latest_values_among(role, period, employee_ids)
        for employee_id, (revision, inputs, acknowledged) in among.items():
            found[(role, period, employee_id)] = PlanValues(revision, acknowledged, inputs)
    return found


def plan_for(role: str, period: str, employee_id: str | None) -> PlanValues | None:
    """The latest plan of one employee's period, or None (no employee: no plan)."""
    if not employee_id:
        return None
    found = plan_queries.latest_plan_values(role, period, employee_id)
    if found is None:
        return None
    revision, inputs, acknowledged = found
    return PlanValues(revision, acknowledged, inputs)


def same_value(sent: Any, planned: Any) -> bool:
    """Whether a submitted value is the plan's (1000000 and 1000000.0 are the same number)."""
    numbers = (int, float)
    if isinstance(sent, bool) or isinstance(planned, bool):
        return type(sent) is type(planned) and sent == planned
    if isinstance(sent, numbers) and isinstance(planned, numbers):
        return sent == planned
    return type(sent) is type(planned) and sent == planned


def merge(
    compiled: CompiledRuleset, body: dict[str, Any], plan: PlanValues | None
) -> dict[str, Any]:
    """The submission with the plan's values merged in; Invalid at /inputs/NAME for a value
    that contradicts the plan. Plan values the ruleset does not take from a plan are ignored."""
    if plan is None or not isinstance(body.get("inputs"), dict):
        return body
    sent_inputs = body["inputs"]
    filled: dict[str, Any] = {}
    issues = []
    for name, planned in plan.inputs.items():
        spec = compiled.inputs.get(name)
        if spec is None or spec.source != "plan" or planned is None:
            continue
        sent = sent_inputs.get(name)
        if sent is None:
            filled[name] = planned
        elif not same_value(sent, planned):
            message = T(
                "input %(name)s (%(label)s): the period plan (revision %(revision)s) sets "
                "%(planned)s; send that value or leave it out",
                name=name,
                label=spec.label,
                revision=plan.revision,
                planned=planned,
            )
            issues.append(Issue(message, "inputs", pointer(name)))
    if issues:
        raise Invalid(T("the submission contradicts the employee's period plan"), issues)
    if not filled:  # every plan value sent (or merged already): nothing to copy
        return body
    return {**body, "inputs": {**sent_inputs, **filled}}

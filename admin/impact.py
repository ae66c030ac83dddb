"""Impact analysis: a period's stored inputs re-evaluated with another version or a draft."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from server.engine import CompiledRuleset, SubmissionRejected


@dataclass
class Impact:
    """Per employee before/after, rating transitions, mean change, what could not be evaluated."""

    employees: list[dict[str, Any]] = field(default_factory=list)
    transitions: dict[str, dict[str, int]] = field(default_factory=dict)
    mean_delta: float | None = None
    not_evaluable: list[dict[str, Any]] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(1 for e in self.employees if e["before"]["rating"] != e["after"]["rating"])


def analyse(revisions: list[Any], period: str, compiled: CompiledRuleset) -> Impact:
    """Re-evaluate each stored revision's inputs (with the history it was stored with)."""
    impact = Impact()
    transitions: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    deltas = []
    for row in sorted(revisions, key=lambda r: r.record.employee_id):
        employee = row.record.employee_id
        before = {"total": row.total, "rating": row.rating}
        try:
            result = compiled.evaluate(
                row.inputs, period, employee_id=employee, history=row.history or {}, explain=False
            )
        except SubmissionRejected as exc:
            impact.not_evaluable.append(
                {
                    "employee_id": employee,
                    "record": row.record.id,
                    "errors": [p.as_dict() for p in exc.problems],
                }
            )
            continue
        after = {"total": result["total"], "rating": result["rating"]["key"]}
        impact.employees.append(
            {
                "employee_id": employee,
                "record": row.record.id,
                "before": before,
                "after": after,
                "delta": (after["total"] - before["total"])
                if before["total"] is not None
                else None,
            }
        )
        transitions[before["rating"]][after["rating"]] += 1
        if before["total"] is not None:
            deltas.append(after["total"] - before["total"])
    impact.transitions = {k: dict(v) for k, v in transitions.items()}
    impact.mean_delta = sum(deltas) / len(deltas) if deltas else None
    return impact

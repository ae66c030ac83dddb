"""POST /rulesets/{role}/impact against a straightforward computation of the same answer.

A few hundred stored results of one period — every rating, second revisions, some stored
under another version, some that a ruleset refuses — are read back row by row, each evaluated
in full with `evaluate()`, and the whole answer (totals, ratings, transitions in their order,
mean_delta by repr, largest_changes, not_evaluable with its side) must be what impact says.
"""

from __future__ import annotations

import copy
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest

from server.engine import SubmissionRejected, compile_ruleset
from server.storage import EvaluationRecord, EvaluationRevision, RulesetVersion
from tests.api.analysis_helpers import rebalanced
from tests.conftest import ruleset_document, submission

PERIOD = "2025-Q3"
EMPLOYEES = 300


def _inputs(rnd: random.Random) -> dict[str, Any]:
    target = rnd.choice([100, 100, 100, 250.5, rnd.randint(20, 49)])  # < 50: the draft refuses
    actual = rnd.choice([rnd.randint(0, 9), rnd.uniform(0, 1.3 * target), round(target * 0.8)])
    values = {"actual_sales": round(actual, rnd.choice([0, 2])), "target_sales": target}
    if rnd.random() < 0.8:  # visits is optional (default 0)
        values["visits"] = rnd.randint(0, 25)
    return values


def _draft() -> dict[str, Any]:
    """Other weights, a target of at least 50 and 良好 from 78."""
    draft = rebalanced(60, 40)
    draft["inputs"]["target_sales"]["min"] = 50
    draft["rating"][1]["min"] = 78
    return draft


def _strict() -> dict[str, Any]:
    """Version 3: the ruleset refusing actual sales under 10 (some rows fail on `from`)."""
    document = copy.deepcopy(ruleset_document())
    document["inputs"]["actual_sales"]["min"] = 10
    return document


@pytest.fixture
def stored(client, admin_key, publish) -> None:
    """v1 in force for the period, v2 and v3 later; results under v1 and pinned to v2."""
    publish()
    publish(rebalanced(70, 30), effective_from="2026-Q1")
    publish(_strict(), effective_from="2027-Q1")
    rnd = random.Random("impact-reference")
    items = []
    for n in range(EMPLOYEES):
        item = submission(f"e{n:03d}", PERIOD, inputs=_inputs(rnd))
        if n % 7 == 0:
            item["version"] = 2  # stored under another version than `from`
        items.append(item)
    again = [
        {**submission(f"e{n:03d}", PERIOD, inputs=_inputs(rnd)), "reason": "更正"}
        | ({"version": 2} if n % 2 else {})
        for n in range(0, EMPLOYEES, 11)
    ]  # second revisions: only the latest counts
    for batch in (items, again):
        response = client.post(
            "/api/v1/evaluations/batch", json={"items": batch}, headers=admin_key
        )
        assert response.status_code == 201, response.get_json()


def _latest_rows(app) -> list[tuple[str, str, dict[str, Any], float, str]]:
    """(employee_id, hash, inputs, total, rating) of each record's latest revision, by id."""
    with app.app_context():
        latest: dict[str, EvaluationRevision] = {}
        for rev in EvaluationRevision.select().join(EvaluationRecord):
            key = rev.record.employee_id
            if rev.record.period == PERIOD and (
                key not in latest or rev.revision > latest[key].revision
            ):
                latest[key] = rev
        return [
            (key, rev.hash, rev.inputs, rev.total, rev.rating)
            for key, rev in sorted(latest.items())
        ]


def _version(app, number: int) -> tuple[Any, str]:
    with app.app_context():
        row = RulesetVersion.get(
            (RulesetVersion.role == "team_lead") & (RulesetVersion.version == number)
        )
        return compile_ruleset(row.document), row.hash


def _evaluated(ruleset, digest, row) -> tuple[dict[str, Any] | None, list[dict[str, str]]]:
    employee, stored_hash, inputs, total, rating = row
    if digest == stored_hash:
        return {"total": total, "rating": rating}, []
    try:
        result = ruleset.evaluate(inputs, PERIOD, employee_id=employee, explain=False)
    except SubmissionRejected as exc:
        return None, [p.as_dict() for p in exc.problems]
    return {"total": result["total"], "rating": result["rating"]["key"]}, []


def _reference(app, before: int | None, after: int | dict[str, Any]) -> dict[str, Any]:
    """The impact answer computed the plain way: one full evaluation per row and side."""
    if isinstance(after, dict):
        to_ruleset, to_hash, to = compile_ruleset(after), None, None
    else:
        (to_ruleset, to_hash), to = _version(app, after), after
    from_ruleset, from_hash = _version(app, before) if before is not None else (None, None)
    employees, not_evaluable, deltas = [], [], []
    transitions: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in _latest_rows(app):
        if from_ruleset is None:
            old, errors = {"total": row[3], "rating": row[4]}, []
        else:
            old, errors = _evaluated(from_ruleset, from_hash, row)
        if old is None:
            not_evaluable.append({"employee_id": row[0], "errors": errors, "side": "from"})
            continue
        new, errors = _evaluated(to_ruleset, to_hash, row)
        if new is None:
            not_evaluable.append({"employee_id": row[0], "errors": errors, "side": "to"})
            continue
        delta = Decimal(repr(new["total"])) - Decimal(repr(old["total"]))
        deltas.append(delta)
        employees.append({"employee_id": row[0], "before": old, "after": new, "delta": delta})
        transitions[old["rating"]][new["rating"]] += 1
    rank = {band.key: i for i, band in enumerate(to_ruleset.bands)}
    moved = sorted(
        (e for e in employees if e["delta"]), key=lambda e: (-abs(e["delta"]), e["employee_id"])
    )
    return {
        "from": before,
        "to": to,
        "employees": [{k: e[k] for k in ("employee_id", "before", "after")} for e in employees],
        "transitions": [
            (old, [(new, n) for new, n in sorted(afters.items(), key=lambda i: rank[i[0]])])
            for old, afters in sorted(transitions.items(), key=lambda i: rank[i[0]])
        ],
        "mean_delta": repr(float(sum(deltas) / len(deltas))) if deltas else None,
        "not_evaluable": not_evaluable,
        "count": len(employees),
        "rating_changes": sum(e["before"]["rating"] != e["after"]["rating"] for e in employees),
        "largest_changes": [
            {**{k: e[k] for k in ("employee_id", "before", "after")}, "delta": float(e["delta"])}
            for e in moved[:10]
        ],
    }


@pytest.mark.parametrize(
    ("before", "after"),
    [(1, 2), (2, 1), (None, 2), (1, "draft"), (None, "draft"), (3, 1), (3, "draft")],
)
def test_impact_answers_what_evaluating_each_row_gives(
    app, client, publish_key, stored, before, after
):
    document = _draft() if after == "draft" else None
    body = {"period": PERIOD, "from": before}
    body |= {"document": document} if document else {"to": after}
    response = client.post("/api/v1/rulesets/team_lead/impact", json=body, headers=publish_key)
    assert response.status_code == 200, response.get_json()
    got = response.get_json()
    want = _reference(app, before, document or after)
    assert got["employees"] == want["employees"]
    assert [(old, list(afters.items())) for old, afters in got["transitions"].items()] == want[
        "transitions"
    ]
    mean = got["mean_delta"]
    assert (repr(mean) if mean is not None else None) == want["mean_delta"]
    for name in ("from", "to", "not_evaluable", "count", "rating_changes", "largest_changes"):
        assert got[name] == want[name], name
    # the data really exercises every path
    ratings = {e["after"]["rating"] for e in got["employees"]}
    assert len(ratings) >= 3 and got["count"] > EMPLOYEES // 2
    if after == "draft" or before == 3:
        assert want["not_evaluable"], "some rows must be refused"

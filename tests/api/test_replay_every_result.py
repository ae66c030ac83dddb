"""Every stored result replays to the same numbers (issue 16, point 6): a batch of random
submissions under each default ruleset, stored (first and second revisions, streak history
from an earlier period), then each replayed through the API."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from server.engine import SubmissionRejected, compile_ruleset, load_document
from tests.engine.submissions import generated_submission

RULESETS = sorted((Path(__file__).parents[2] / "rulesets").glob("*.yaml"))
ITEMS = 60  # stored per ruleset and period


def _evaluable(compiled, rnd: random.Random, period: str, prefix: str) -> list[dict]:
    found = []
    while len(found) < ITEMS:
        sub = generated_submission(rnd, compiled)
        sub = {**sub, "period": period, "employee_id": f"{prefix}{len(found) % (ITEMS // 2)}"}
        try:
            compiled.evaluate(sub["inputs"], period, employee_id=sub["employee_id"])
        except SubmissionRejected:
            continue
        found.append(sub)
    return found


@pytest.mark.parametrize("path", RULESETS, ids=lambda p: p.stem)
def test_every_stored_result_replays_identically(client, admin_key, publish, path):
    document = load_document(path.read_text(encoding="utf-8"))
    compiled = compile_ruleset(document)
    document.pop("examples", None)
    publish(document, effective_from={"quarter": "2020-Q1", "month": "2020-01",
                                      "half": "2020-H1", "year": "2020"}[compiled.period_kind])  # fmt: skip
    rnd = random.Random(f"replay:{path.stem}")
    periods = {"quarter": ["2025-Q2", "2025-Q3"], "month": ["2025-06", "2025-07"],
               "half": ["2024-H2", "2025-H1"], "year": ["2024", "2025"]}[compiled.period_kind]  # fmt: skip
    ids = set()
    for period in periods:  # the second period's streaks read the first's ratings
        items = [{"role": compiled.role, "reason": "更正", **{k: s[k] for k in
                  ("period", "employee_id", "inputs")}} for s in _evaluable(compiled, rnd, period, "e")]  # fmt: skip
        # each employee twice in one batch: the second item is revision 2 (other inputs)
        answer = client.post("/api/v1/evaluations/batch", json={"items": items}, headers=admin_key)
        assert answer.status_code == 201, answer.get_json()
        ids |= {item["id"] for item in answer.get_json()["items"]}
    assert len(ids) == ITEMS  # two periods × ITEMS / 2 employees
    for record_id in sorted(ids):
        for revision in (1, 2):
            replay = client.post(
                f"/api/v1/evaluations/{record_id}/replay?revision={revision}", headers=admin_key
            )
            assert replay.status_code == 200
            assert replay.get_json()["identical"] is True, replay.get_json()

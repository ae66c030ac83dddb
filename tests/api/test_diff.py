"""GET /rulesets/{role}/diff: two stored versions compared by key, a sentence per change."""

from __future__ import annotations

import copy

import pytest

from tests.api.analysis_helpers import rebalanced
from tests.conftest import error_paths, problem, ruleset_document

URL = "/api/v1/rulesets/team_lead/diff"


@pytest.fixture
def two_versions(publish):
    publish()
    changed = rebalanced(70, 30)
    changed["indicators"] = list(reversed(changed["indicators"]))  # reordered: no change
    changed["indicators"][1]["formula"] = "actual_sales / target_sales * 100 + 0"
    changed["dimensions"].append({"key": "growth", "name": "成长"})
    publish(changed, effective_from="2026-Q1")


def test_a_diff_names_changes_by_key_with_chinese_sentences(client, read_key, two_versions):
    response = client.get(f"{URL}?from=1&to=2", headers=read_key)
    assert response.status_code == 200
    body = response.get_json()
    assert (body["role"], body["from"], body["to"]) == ("team_lead", 1, 2)
    by_path = {change["path"]: change for change in body["changes"]}
    assert set(by_path) == {
        "dimensions/growth",
        "indicators/sales_attainment/formula",
        "indicators/sales_attainment/weight",
        "indicators/visit_score/weight",
    }
    weight = by_path["indicators/sales_attainment/weight"]
    assert (weight["kind"], weight["from"], weight["to"]) == ("changed", 80, 70)
    assert weight["summary"] == "销售额达成率 权重 80% → 70%"
    formula = by_path["indicators/sales_attainment/formula"]
    assert formula["from"] == "actual_sales / target_sales * 100"
    assert formula["to"] == "actual_sales / target_sales * 100 + 0"
    assert "-actual_sales / target_sales * 100" in formula["diff"]
    assert "+actual_sales / target_sales * 100 + 0" in formula["diff"]
    added = by_path["dimensions/growth"]
    assert (added["kind"], added["from"], added["to"]) == (
        "added",
        None,
        {"key": "growth", "name": "成长"},
    )
    assert body["counts"] == {"added": 1, "removed": 0, "changed": 3}
    assert body["summary"] == "team_lead 版本 1 → 2：新增 1 项，删除 0 项，修改 3 项"


def test_the_reverse_diff_removes_what_was_added(client, read_key, two_versions):
    body = client.get(f"{URL}?from=2&to=1", headers=read_key).get_json()
    removed = next(c for c in body["changes"] if c["path"] == "dimensions/growth")
    assert (removed["kind"], removed["to"]) == ("removed", None)


def test_a_version_against_itself_has_no_changes(client, read_key, publish):
    publish()
    body = client.get(f"{URL}?from=1&to=1", headers=read_key).get_json()
    assert body["changes"] == []


def test_a_reordered_document_is_no_change(client, read_key, publish):
    publish()
    document = copy.deepcopy(ruleset_document())
    document["rating"] = list(reversed(document["rating"]))
    document["rating"] = sorted(document["rating"], key=lambda band: -band["min"])
    document["dimensions"] = list(reversed(document["dimensions"]))
    document["indicators"] = list(reversed(document["indicators"]))
    document["inputs"] = dict(reversed(list(document["inputs"].items())))
    publish(document, effective_from="2026-Q1")
    assert client.get(f"{URL}?from=1&to=2", headers=read_key).get_json()["changes"] == []


def test_unknown_versions_and_roles_are_404(client, read_key, publish):
    publish()
    problem(client.get(f"{URL}?from=1&to=9", headers=read_key), 404)
    problem(client.get(f"{URL}?from=99999999999999&to=1", headers=read_key), 404)
    problem(client.get("/api/v1/rulesets/nobody/diff?from=1&to=1", headers=read_key), 404)


def test_missing_or_malformed_versions_are_422_at_the_parameter(client, read_key, publish):
    publish()
    body = problem(client.get(URL, headers=read_key), 422)
    assert error_paths(body) == ["/from", "/to"]
    body = problem(client.get(f"{URL}?from=one&to=-1", headers=read_key), 422)
    assert error_paths(body) == ["/from", "/to"]


def test_diff_needs_a_read_key(client, evaluate_key, publish):
    publish()
    problem(client.get(f"{URL}?from=1&to=1"), 401)
    problem(client.get(f"{URL}?from=1&to=1", headers=evaluate_key), 403)
    problem(client.post(f"{URL}?from=1&to=1", headers=evaluate_key), 405)

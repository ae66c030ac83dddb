"""GET /reports/distribution and GET /evaluations/export over a small known set of results."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.api.analysis_helpers import inputs, rebalanced, store_all
from tests.conftest import error_paths, problem, ruleset_document

DISTRIBUTION = "/api/v1/reports/distribution"
EXPORT = "/api/v1/evaluations/export"


@pytest.fixture
def stored(client, admin_key, publish):
    """Five results of 2025-Q3 (totals 108, 100, 82, 58.5, 8; e2 corrected from 82 to 100)
    and one of 2025-Q4; at most 20% 优秀 and at least 10% 不合格 as guidelines."""
    publish(ruleset_document(distribution=[
        {"rating": "excellent", "max_share": 0.2},
        {"rating": "fail", "min_share": 0.1},
    ]))  # fmt: skip
    store_all(
        client,
        admin_key,
        {
            "e1": inputs(110, 20),  # 88 + 20 = 108.00 excellent
            "e2": inputs(90),  # 82.00 good, corrected below to 100.00 excellent
            "e3": inputs(90),  # 72 + 10 = 82.00 good
            "e4": inputs(60, 7),  # 48 + 7 = 55.00 fail
            "e5": inputs(10, 0),  # 8.00 fail
        },
    )
    correction = {
        "role": "team_lead",
        "period": "2025-Q3",
        "employee_id": "e2",
        "inputs": inputs(100, 20),
        "reason": "补录回款",
    }
    assert client.post("/api/v1/evaluations", json=correction, headers=admin_key).status_code == 201
    store_all(client, admin_key, {"e9": inputs(100, 20)}, period="2025-Q4")


def test_distribution_counts_shares_and_histogram(client, read_key, stored):
    response = client.get(f"{DISTRIBUTION}?role=team_lead&period=2025-Q3", headers=read_key)
    assert response.status_code == 200
    body = response.get_json()
    assert (body["role"], body["period"], body["count"]) == ("team_lead", "2025-Q3", 5)
    assert body["counts"] == {"excellent": 2, "good": 1, "pass": 0, "fail": 2}
    assert body["shares"] == {"excellent": 0.4, "good": 0.2, "pass": 0.0, "fail": 0.4}
    assert body["mean"] == (108 + 100 + 82 + 55 + 8) / 5
    assert (body["min"], body["max"]) == (8.0, 108.0)
    expected = [0] * 11
    expected[0], expected[5], expected[8], expected[10] = 1, 1, 1, 2
    assert body["histogram"] == [
        {"from": 10 * i, "to": 10 * i + 10 if i < 10 else None, "count": expected[i]}
        for i in range(11)
    ]
    assert body["guidelines"] == [
        {
            "rating": "excellent",
            "label": "优秀",
            "min_share": None,
            "max_share": 0.2,
            "share": 0.4,
            "within": False,
        },
        {
            "rating": "fail",
            "label": "不合格",
            "min_share": 0.1,
            "max_share": None,
            "share": 0.4,
            "within": True,
        },
    ]


def test_bin_edges_and_a_negative_total(client, admin_key, read_key, publish):
    document = ruleset_document(
        adjustments=[
            {"key": "penalty", "name": "处罚", "when": "visits == 1", "total": {"deduct": 100}}
        ]
    )
    publish(document)
    store_all(
        client,
        admin_key,
        {
            "a": inputs(125, 0),  # 96 + 0 = 96.00 (linear clamped at 120: 96)
            "b": inputs(0, 1),  # 0 + 1 - 100 = -99.00, in the first bin
            "c": inputs(100, 20),  # 100.00 exactly: the open bin
            "d": inputs(0, 19),  # 19.00
            "e": inputs(25, 0),  # 20.00 exactly: bin 20-30
        },
    )
    body = client.get(f"{DISTRIBUTION}?role=team_lead&period=2025-Q3", headers=read_key).get_json()
    counts = {(b["from"], b["to"]): b["count"] for b in body["histogram"] if b["count"]}
    assert counts == {(0, 10): 1, (10, 20): 1, (20, 30): 1, (90, 100): 1, (100, None): 1}
    assert body["min"] == -99.0 and body["counts"]["fail"] == 3
    assert body["guidelines"] == []


def test_a_period_without_results(client, read_key, stored):
    body = client.get(f"{DISTRIBUTION}?role=team_lead&period=2024-Q1", headers=read_key).get_json()
    assert body["count"] == 0 and body["mean"] is None and body["min"] is None
    assert body["counts"] == {"excellent": 0, "good": 0, "pass": 0, "fail": 0}
    assert all(b["count"] == 0 for b in body["histogram"])


def test_distribution_errors(client, read_key, evaluate_key, stored):
    problem(client.get(f"{DISTRIBUTION}?role=team_lead&period=2025-Q3"), 401)
    problem(client.get(f"{DISTRIBUTION}?role=team_lead&period=2025-Q3", headers=evaluate_key), 403)
    problem(client.get(f"{DISTRIBUTION}?role=nobody&period=2025-Q3", headers=read_key), 404)
    assert error_paths(problem(client.get(DISTRIBUTION, headers=read_key), 422)) == [
        "/role",
        "/period",
    ]
    for period in ("2025-07", "Q3"):
        body = problem(
            client.get(f"{DISTRIBUTION}?role=team_lead&period={period}", headers=read_key), 422
        )
        assert error_paths(body) == ["/period"]
    problem(client.post(f"{DISTRIBUTION}?role=team_lead&period=2025-Q3", headers=read_key), 405)


HEADER = [
    "员工编号",
    "销售额达成率",
    "拜访",
    "总分",
    "评级",
    "奖金系数",
    "连续考核结果",
    "规则版本",
    "修订号",
]


def test_export_csv_has_chinese_headers_and_one_row_per_employee(client, read_key, stored):
    response = client.get(f"{EXPORT}?role=team_lead&period=2025-Q3&format=csv", headers=read_key)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == HEADER
    assert rows[1:] == [
        ["e1", "110.0", "100.0", "108.0", "优秀", "1.5", "", "1", "1"],
        ["e2", "100.0", "100.0", "100.0", "优秀", "1.5", "", "1", "2"],
        ["e3", "90.0", "50.0", "82.0", "良好", "1.2", "", "1", "1"],
        ["e4", "60.0", "35.0", "55.0", "不合格", "0.5", "", "1", "1"],
        ["e5", "10.0", "0.0", "8.0", "不合格", "0.5", "", "1", "1"],
    ]


def test_export_xlsx_opens_with_openpyxl(client, read_key, stored):
    response = client.get(f"{EXPORT}?role=team_lead&period=2025-Q4&format=xlsx", headers=read_key)
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows == [HEADER, ["e9", 100, 100, 100, "优秀", 1.5, None, 1, 1]]


def test_export_defaults_to_csv_with_names_of_the_version_in_force(
    client, admin_key, read_key, stored, publish
):
    changed = rebalanced(70, 30)
    changed["indicators"][1]["name"] = "客户拜访"
    publish(changed, effective_from="2026-Q1")
    text = client.get(f"{EXPORT}?role=team_lead&period=2025-Q3", headers=read_key).get_data()
    header = next(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert header[:3] == ["员工编号", "销售额达成率", "拜访"]  # 2025-Q3's version names them


def test_export_errors(client, read_key, evaluate_key, stored):
    problem(client.get(f"{EXPORT}?role=team_lead&period=2025-Q3"), 401)
    problem(client.get(f"{EXPORT}?role=team_lead&period=2025-Q3", headers=evaluate_key), 403)
    problem(client.get(f"{EXPORT}?role=team_lead&period=2025-Q3&format=pdf", headers=read_key), 400)
    problem(client.get(f"{EXPORT}?role=nobody&period=2025-Q3", headers=read_key), 404)
    body = problem(client.get(f"{EXPORT}?period=2025-Q3", headers=read_key), 422)
    assert error_paths(body) == ["/role"]


def test_export_has_columns_for_every_version_stored_in_the_period(
    client, admin_key, read_key, publish
):
    publish()
    store_all(client, admin_key, {"e1": inputs(90)})
    renamed = rebalanced(80, 20)
    renamed["indicators"][1].update(key="call_score", name="电话")
    publish(renamed, effective_from="2025-Q3")  # in force for 2025-Q3 from now on
    store_all(client, admin_key, {"e2": inputs(90)})
    text = client.get(f"{EXPORT}?role=team_lead&period=2025-Q3", headers=read_key).get_data()
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert rows[0][:4] == ["员工编号", "销售额达成率", "电话", "拜访"]
    assert [row[:4] + row[-2:] for row in rows[1:]] == [
        ["e1", "90.0", "", "50.0", "1", "1"],
        ["e2", "90.0", "50.0", "", "2", "1"],
    ]

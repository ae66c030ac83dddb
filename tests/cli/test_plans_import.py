"""`scorecard plans import`: a CSV or XLSX of period plans, all rows or none, problems by row
and column, exit 1 on any; the console's template read back as it was written."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from server.engine import compile_ruleset
from server.services import plan_sheets, planning
from tests.api.plan_helpers import plan_document


@pytest.fixture
def published(publish):
    publish(plan_document())


def write(tmp_path, text: str, name: str = "plans.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def plans_of(app, *employees):
    with app.app_context():
        return {e: planning.get_plan("team_lead", "2025-Q3", e)["inputs"] for e in employees}


def test_a_good_file_is_stored_whole(app, runner, published, tmp_path):
    path = write(
        tmp_path,
        '员工编号（必填）,目标销售额（必填）,入职日期（选填）\ne1,"1,000",2024-03-01\n\ne2,200,\n',
    )
    result = runner.invoke(["plans", "import", "--role", "team_lead", "--period", "2025-Q3", path])
    assert result.exit_code == 0, result.output
    assert "stored 2 new plan revisions" in result.output
    assert plans_of(app, "e1", "e2") == {
        "e1": {"target_sales": 1000, "hire_date": "2024-03-01"},
        "e2": {"target_sales": 200},
    }
    again = runner.invoke(["plans", "import", "--role", "team_lead", "--period", "2025-Q3", path])
    assert again.exit_code == 0 and "stored 0 new plan revisions" in again.output


def test_any_problem_stores_nothing_and_names_row_and_column(app, runner, published, tmp_path):
    text = (
        "员工编号,目标销售额,入职日期,实际销售额\ne1,100,2024-02-30,5\ne2,,2024-01-01,\ne1,-5,,\n"
    )
    result = runner.invoke(
        ["plans", "import", "--role", "team_lead", "--period", "2025-Q3", write(tmp_path, text)]
    )
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(line.startswith("row 1, column 实际销售额:") for line in lines)
    assert any(line.startswith("row 2, column 入职日期:") for line in lines)
    assert any(line.startswith("row 3, column 目标销售额:") and "必填" in line for line in lines)
    assert any(line.startswith("row 4, column 员工编号:") for line in lines)
    assert any(line.startswith("row 4, column 目标销售额:") for line in lines)
    assert "nothing was stored" in result.output
    with app.app_context():
        assert planning.list_plans({}, None, 10, None) == ([], None)


def test_an_xlsx_template_is_read_back_and_its_sample_row_is_not_imported(
    app, runner, published, tmp_path
):
    header, sample = plan_sheets.template(compile_ruleset(plan_document()), "2025-Q3", "zh-CN")
    assert header == ["员工编号（必填）", "目标销售额（必填）", "入职日期（选填）", "原因（选填）"]
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    sheet.append(sample)
    sheet.append(["E7", 300, "2025-01-01", ""])
    path = tmp_path / "plans.xlsx"
    book.save(path)
    result = runner.invoke(
        ["plans", "import", "--role", "team_lead", "--period", "2025-Q3", str(path)]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        items, _ = planning.list_plans({}, None, 10, None)
    assert [(i["employee_id"], i["inputs"]) for i in items] == [
        ("E7", {"target_sales": 300, "hire_date": "2025-01-01"})
    ]


def test_an_acknowledged_plan_changes_only_with_a_reason(app, runner, published, tmp_path):
    with app.app_context():
        planning.store_plans(
            [
                {
                    "role": "team_lead",
                    "period": "2025-Q3",
                    "employee_id": "e1",
                    "inputs": {"target_sales": 1},
                }
            ],
            "test",
            batch=False,
        )
        planning.acknowledge("team_lead", "2025-Q3", "e1", "e1", "test")
    path = write(tmp_path, "员工编号,目标销售额\ne1,2\n")
    args = ["plans", "import", "--role", "team_lead", "--period", "2025-Q3", path]
    refused = runner.invoke(args)
    assert refused.exit_code == 1 and "row 2, column reason:" in refused.output
    stored = runner.invoke([*args, "--reason", "年中调整"])
    assert stored.exit_code == 0, stored.output
    assert plans_of(app, "e1") == {"e1": {"target_sales": 2}}


def test_an_unknown_role_names_the_option(runner, published, tmp_path):
    path = write(tmp_path, "员工编号,目标销售额\ne1,2\n")
    result = runner.invoke(["plans", "import", "--role", "nobody", "--period", "2025-Q3", path])
    assert result.exit_code == 1 and "--role" in result.output

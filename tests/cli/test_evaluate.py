"""`scorecard evaluate` on CSV and XLSX files, and `scorecard periods close|reopen`."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from server.storage import AuditEntry, ClosedPeriod, EvaluationRevision

# headers by label (实际销售额, 目标销售额), by name (visits), and 员工编号 for employee_id
GOOD = '员工编号,实际销售额,目标销售额,visits\ne1,90,100,10\n\ne2,"1,200","1,000",20\n'
RESULT_HEADER = [
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


@pytest.fixture
def published(publish):
    publish()


def stored(app) -> list[tuple[str, int, float]]:
    with app.app_context():
        rows = EvaluationRevision.select().order_by(EvaluationRevision.id)
        return [(r.record.employee_id, r.revision, r.total) for r in rows]


def write_csv(tmp_path, text: str, name: str = "q3.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")
    return str(path)


def write_xlsx(tmp_path, rows: list[list], name: str = "q3.xlsx"):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    path = tmp_path / name
    book.save(path)
    return str(path)


def evaluate(runner, *args):
    return runner.invoke(["evaluate", "--role", "team_lead", "--period", "2025-Q3", *args])


def test_a_good_csv_is_evaluated_to_standard_output(app, runner, tmp_path, published):
    result = evaluate(runner, write_csv(tmp_path, GOOD))
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows == [
        RESULT_HEADER,
        ["e1", "90.0", "50.0", "82.0", "良好", "1.2", "", "1", ""],
        ["e2", "120.0", "100.0", "116.0", "优秀", "1.5", "", "1", ""],
    ]
    assert "evaluated 2 rows with team_lead version 1" in result.stderr
    assert stored(app) == []  # without --store nothing is stored


def test_store_and_write_xlsx(app, runner, tmp_path, published):
    out = tmp_path / "results.xlsx"
    result = evaluate(runner, write_csv(tmp_path, GOOD), "--store", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "stored 2 new revisions" in result.stderr
    assert stored(app) == [("e1", 1, 82.0), ("e2", 1, 116.0)]
    sheet = load_workbook(out).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == RESULT_HEADER
    assert rows[1] == ["e1", 90, 50, 82, "良好", 1.2, None, 1, 1]
    with app.app_context():
        actors = {
            e.actor for e in AuditEntry.select().where(AuditEntry.action == "evaluation.store")
        }
    assert len(actors) == 1 and actors.pop().startswith("cli")
    again = evaluate(runner, write_csv(tmp_path, GOOD), "--store")  # the same file: a retry
    assert again.exit_code == 0 and "stored 0 new revisions (2 unchanged)" in again.stderr


def test_a_changed_file_needs_a_reason_to_store(app, runner, tmp_path, published):
    evaluate(runner, write_csv(tmp_path, GOOD), "--store")
    changed = write_csv(tmp_path, GOOD.replace("e1,90", "e1,95"), "changed.csv")
    refused = evaluate(runner, changed, "--store")
    assert refused.exit_code == 1
    assert "row 2, column reason: e1 already has revision 1" in refused.stderr
    assert stored(app) == [("e1", 1, 82.0), ("e2", 1, 116.0)]
    accepted = evaluate(runner, changed, "--store", "--reason", "补录")
    assert accepted.exit_code == 0, accepted.output
    assert stored(app)[-1] == ("e1", 2, 86.0)


def test_bad_csv_rows_are_named_by_row_and_column_and_nothing_is_stored(
    app, runner, tmp_path, published
):
    text = (
        "employee_id,actual_sales,target_sales,visits\ne1,90,100,10\ne2,lots,100,10\n,90,100,-3\n"
    )
    out = tmp_path / "out.csv"
    result = evaluate(runner, write_csv(tmp_path, text), "--store", "--out", str(out))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "row 3, column actual_sales: 'lots' is not a number" in lines
    assert "row 4, column employee_id: is empty" in lines
    assert any(line.startswith("row 4, column visits: ") for line in lines)
    assert stored(app) == [] and not out.exists()


def test_bad_xlsx_rows_and_columns(app, runner, tmp_path, published):
    path = write_xlsx(
        tmp_path,
        [
            ["employee_id", "actual_sales", "target_sales", "visits", "region"],
            ["x1", 90, 100, 10, None],
            ["x2", 90, None, -1, None],
        ],
    )
    result = evaluate(runner, path, "--store")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "row 1, column region: not an input of this ruleset" in lines
    assert any(line.startswith("row 3, column target_sales: ") for line in lines)
    assert any(line.startswith("row 3, column visits: ") for line in lines)
    assert stored(app) == []


def test_a_good_xlsx_is_stored_and_written_as_csv(app, runner, tmp_path, published):
    path = write_xlsx(
        tmp_path,
        [["工号", "actual_sales", "target_sales", "visits"], [1001, 100, 100, 20]],
    )
    out = tmp_path / "out.csv"
    result = evaluate(runner, path, "--store", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert stored(app) == [("1001", 1, 100.0)]
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[1][:5] == ["1001", "100.0", "100.0", "100.0", "优秀"]


def test_file_level_problems(app, runner, tmp_path, published):
    good = write_csv(tmp_path, GOOD)
    unknown = runner.invoke(["evaluate", "--role", "nobody", "--period", "2025-Q3", good])
    assert unknown.exit_code == 1 and "unknown role" in unknown.output
    month = runner.invoke(["evaluate", "--role", "team_lead", "--period", "2025-07", good])
    assert month.exit_code == 1 and "--period" in month.output
    assert evaluate(runner, good, "--out", str(tmp_path / "x.pdf")).exit_code == 2
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    assert evaluate(runner, str(notes)).exit_code == 1
    empty = write_csv(tmp_path, "\n\n", "empty.csv")
    assert "empty" in evaluate(runner, empty).output


def test_periods_close_blocks_storing_until_reopened(app, runner, tmp_path, published):
    closed = runner.invoke(["periods", "close", "team_lead", "2025-Q3", "--reason", "结算"])
    assert closed.exit_code == 0 and "closed" in closed.output
    with app.app_context():
        assert ClosedPeriod.select().count() == 1
    refused = evaluate(runner, write_csv(tmp_path, GOOD), "--store")
    assert refused.exit_code == 1
    assert "file: 2025-Q3 is closed for team_lead" in refused.stderr
    assert stored(app) == []
    assert evaluate(runner, write_csv(tmp_path, GOOD)).exit_code == 0  # evaluating still works
    no_reason = runner.invoke(["periods", "reopen", "team_lead", "2025-Q3"])
    assert no_reason.exit_code == 2  # --reason is required
    reopened = runner.invoke(["periods", "reopen", "team_lead", "2025-Q3", "--reason", "申诉"])
    assert reopened.exit_code == 0 and "open" in reopened.output
    assert evaluate(runner, write_csv(tmp_path, GOOD), "--store").exit_code == 0
    assert len(stored(app)) == 2
    wrong = runner.invoke(["periods", "close", "team_lead", "2025-07"])
    assert wrong.exit_code == 1


def test_a_missing_column_is_reported_once(app, runner, tmp_path, published):
    text = "employee_id,actual_sales\ne1,90\ne2,95\n"
    result = evaluate(runner, write_csv(tmp_path, text))
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if "target_sales" in line]
    assert len(lines) == 1 and lines[0].startswith("row 1, column target_sales: no such column")

"""The console's plans page: the template, an import previewed then stored, one plan edited
with a reason after its acknowledgement, who has not acknowledged, read-only auditors."""

from __future__ import annotations

import html
import io
import re

from openpyxl import load_workbook

from server.services import planning
from tests.admin.conftest import post_form
from tests.api.plan_helpers import plan_document

PAGE = "/admin/plans/?role=team_lead&period=2025-Q3"
FILE = '员工编号（必填）,目标销售额（必填）,入职日期（选填）\n示例（不导入）,100,2025-07-01\ne1,"1,000,000",2024-03-01\ne2,800000,\n'


def upload(client, text: str, filename: str = "plans.csv"):
    return post_form(
        client,
        "/admin/plans/preview",
        {
            "role": "team_lead",
            "period": "2025-Q3",
            "file": (io.BytesIO(text.encode("utf-8-sig")), filename),
        },
        page=PAGE,
        content_type="multipart/form-data",
    )


def payload(page: str) -> str:
    return html.unescape(re.search(r'name="payload" value="([^"]*)"', page).group(1))


def test_the_template_has_the_plan_inputs_labels_marked_and_a_sample_row(login, published):
    published(plan_document())
    response = login("hr").get("/admin/plans/template.xlsx?role=team_lead&period=2025-Q3")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0] == ("员工编号（必填）", "目标销售额（必填）", "入职日期（选填）", "原因（选填）")
    assert rows[1][0] == "示例（不导入）" and rows[1][1] == 100


def test_an_import_is_previewed_then_stored(app, login, published):
    published(plan_document())
    client = login("hr")
    preview = upload(client, FILE)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200, page[:2000]
    assert "1,000,000" in page and "示例（不导入）" not in page.split('id="plan-preview"')[1]
    with app.app_context():
        assert planning.period_plans("team_lead", "2025-Q3") == []  # nothing stored yet
    stored = post_form(
        client,
        "/admin/plans/store",
        {"role": "team_lead", "period": "2025-Q3", "payload": payload(page)},
        page=PAGE,
    )
    assert stored.status_code == 302
    listing = client.get(PAGE).get_data(as_text=True)
    assert "共 2 份目标责任书，2 份尚未签字确认" in listing
    with app.app_context():
        plans = planning.period_plans("team_lead", "2025-Q3")
    assert [(p["employee_id"], p["inputs"]) for p in plans] == [
        ("e1", {"target_sales": 1000000, "hire_date": "2024-03-01"}),
        ("e2", {"target_sales": 800000}),
    ]


def test_every_problem_is_listed_by_row_and_column(app, login, published):
    published(plan_document())
    response = upload(login("hr"), "员工编号,目标销售额,实际销售额\ne1,abc,1\n,5,\n")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    cells = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td>", page.split('id="plan-problems"')[1])
    assert (
        ("1", "实际销售额") in cells and ("2", "目标销售额") in cells and ("3", "员工编号") in cells
    )
    assert 'id="plan-store-form"' not in page


def test_a_plan_is_edited_acknowledged_then_changed_only_with_a_reason(app, login, published):
    published(plan_document())
    client = login("hr")
    edit = "/admin/plans/edit?role=team_lead&period=2025-Q3&employee=e9"
    form = {"role": "team_lead", "period": "2025-Q3", "employee": "e9"}
    saved = post_form(client, "/admin/plans/edit", {**form, "target_sales": "500"}, page=edit)
    assert saved.status_code == 302
    post_form(client, "/admin/plans/acknowledge", {**form, "by": "王五"}, page=edit)
    assert "王五" in client.get(edit).get_data(as_text=True)
    assert 'data-employee="e9"' not in client.get(PAGE + "&pending=1").get_data(as_text=True)
    refused = post_form(client, "/admin/plans/edit", {**form, "target_sales": "600"}, page=edit)
    assert refused.status_code == 422 and 'data-error-for="reason"' in refused.get_data(
        as_text=True
    )
    changed = post_form(
        client,
        "/admin/plans/edit",
        {**form, "target_sales": "600", "reason": "区域调整"},
        page=edit,
    )
    assert changed.status_code == 302
    with app.app_context():
        plan = planning.get_plan("team_lead", "2025-Q3", "e9")
    assert (plan["revision"], plan["inputs"], plan["reason"]) == (
        2,
        {"target_sales": 600},
        "区域调整",
    )
    assert 'data-employee="e9"' in client.get(PAGE + "&pending=1").get_data(as_text=True)


def test_an_auditor_reads_the_page_but_cannot_write(login, published):
    published(plan_document())
    client = login("auditor")
    page = client.get(PAGE).get_data(as_text=True)
    assert 'id="plans-table"' in page and 'id="plan-import-form"' not in page
    edit = "/admin/plans/edit?role=team_lead&period=2025-Q3&employee=e1"
    refused = post_form(
        client,
        "/admin/plans/edit",
        {"role": "team_lead", "period": "2025-Q3", "employee": "e1", "target_sales": "1"},
        page=edit,
    )
    assert refused.status_code == 403

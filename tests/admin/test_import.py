"""Importing a period from CSV or XLSX: every row checked, all stored or none, progress polled."""

from __future__ import annotations

import io
import time

from openpyxl import Workbook

from server.storage import EvaluationRevision
from tests.admin.conftest import post_form


def upload(client, filename: str, data: bytes, period: str = "2025-Q3"):
    page = client.get("/admin/import/").get_data(as_text=True)
    assert 'id="import-form"' in page
    return post_form(
        client,
        "/admin/import/",
        {"role": "team_lead", "period": period, "file": (io.BytesIO(data), filename)},
        page="/admin/import/",
        content_type="multipart/form-data",
    )


def finished(client, response) -> dict:
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    job_url = response.headers["Location"]
    assert 'id="import-progress"' in client.get(job_url).get_data(as_text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status = client.get(job_url + "/status").get_json()
        if status["finished"]:
            return status
        time.sleep(0.05)
    raise AssertionError("the import did not finish")


def stored_count(app) -> int:
    with app.app_context():
        return EvaluationRevision.select().count()


CSV = "employee_id,actual_sales,target_sales,visits\ne1,90,100,10\ne2,120,100,20\n"


def test_a_good_csv_is_stored_like_an_api_batch(app, login, published):
    published()
    client = login("hr")
    status = finished(client, upload(client, "q3.csv", CSV.encode("utf-8-sig")))
    assert (
        status["state"] == "done"
        and status["stored"] == 2
        and status["done"] == status["total"] == 2
    )
    with app.app_context():
        totals = sorted(r.total for r in EvaluationRevision.select())
        assert totals == [82.0, 116.0]
        assert {r.actor for r in EvaluationRevision.select()} == {"user:hr (import)"}
    assert "e2" in client.get("/admin/results/?role=team_lead").get_data(as_text=True)


def test_bad_rows_are_listed_by_row_and_column_and_nothing_is_stored(app, login, published):
    published()
    client = login("hr")
    data = (
        "employee_id,actual_sales,target_sales,visits\ne1,90,100,10\ne2,lots,100,10\n,90,100,-3\n"
    )
    status = finished(client, upload(client, "bad.csv", data.encode()))
    assert status["state"] == "failed" and status["stored"] == 0
    cells = {(e["row"], e["column"]) for e in status["errors"]}
    assert {(3, "actual_sales"), (4, "employee_id"), (4, "visits")} <= cells, status["errors"]
    assert stored_count(app) == 0


def test_an_unknown_column_is_reported_on_the_header_row(app, login, published):
    published()
    client = login("hr")
    status = finished(
        client, upload(client, "x.csv", b"employee_id,actual_sale,target_sales\ne1,1,2\n")
    )
    unknown = {"row": 1, "column": "actual_sale", "message": "不是该规则集的输入项"}  # 中文
    assert unknown in status["errors"]
    assert stored_count(app) == 0


def test_an_xlsx_workbook_is_imported(app, login, published):
    published()
    book = Workbook()
    sheet = book.active
    sheet.append(["employee_id", "actual_sales", "target_sales", "visits"])
    sheet.append(["x1", 90, 100, 10])
    buffer = io.BytesIO()
    book.save(buffer)
    client = login("hr")
    status = finished(client, upload(client, "q3.xlsx", buffer.getvalue()))
    assert status["state"] == "done" and stored_count(app) == 1


def test_a_second_import_without_reasons_stores_nothing(app, login, published):
    published()
    client = login("hr")
    finished(client, upload(client, "q3.csv", CSV.encode()))
    changed = CSV.replace("e1,90", "e1,95")
    status = finished(client, upload(client, "q3.csv", changed.encode()))
    assert status["state"] == "failed" and status["errors"][0]["row"] == 2
    assert status["errors"][0]["column"] == "reason"
    assert stored_count(app) == 2


def test_a_file_that_is_not_a_table_is_refused_at_once(login, published):
    published()
    client = login("hr")
    response = upload(client, "notes.txt", b"hello")
    assert response.status_code == 422 and 'id="import-error"' in response.get_data(as_text=True)
    broken = upload(client, "q3.xlsx", b"not a zip")
    assert broken.status_code == 422


def test_a_template_lists_the_columns_of_the_role(login, published):
    published()
    response = login("hr").get("/admin/import/template.csv?role=team_lead")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert (
        response.get_data(as_text=True).strip()
        == "\ufeffemployee_id,reason,actual_sales,target_sales,visits"
    )

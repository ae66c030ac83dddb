"""The engine's and the services' problems on console pages follow the console's language
switch (中文 by default), not the browser's Accept-Language (SPEC §5, §7)."""

from __future__ import annotations

from tests.admin.conftest import csrf_token
from tests.admin.test_import import finished, upload

UNKNOWN_COLUMN = b"employee_id,actual_sale,target_sales\ne1,1,2\n"


def switch(client, language: str) -> None:
    token = csrf_token(client.get("/admin/").get_data(as_text=True))
    client.post("/admin/language/", data={"csrf_token": token, "language": language})


def header_problem(status: dict) -> str:
    [message] = [e["message"] for e in status["errors"] if e["column"] == "actual_sale"]
    return message


def test_import_problems_are_in_chinese_by_default_whatever_the_browser_asks(login, published):
    published()
    client = login("hr")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"  # the console ignores it
    status = finished(client, upload(client, "x.csv", UNKNOWN_COLUMN))
    assert header_problem(status) == "不是该规则集的输入项"


def test_import_problems_follow_the_language_switch(login, published):
    published()
    client = login("hr")
    switch(client, "en")
    status = finished(client, upload(client, "x.csv", UNKNOWN_COLUMN))
    assert header_problem(status) == "not an input of this ruleset"
    assert "实际销售额 (actual_sales) is required" in [e["message"] for e in status["errors"]]


def test_a_file_refused_at_once_is_refused_in_the_console_language(login, published):
    published()
    client = login("hr")
    html = upload(client, "notes.txt", b"hello").get_data(as_text=True)
    assert "请使用 .csv 或 .xlsx 文件" in html
    switch(client, "en")
    html = upload(client, "notes.txt", b"hello").get_data(as_text=True)
    assert "use a .csv or .xlsx file" in html


def test_the_api_still_follows_accept_language_after_a_console_request(
    login, client, make_key, published
):
    published()
    console = login("hr")
    switch(console, "en")
    console.get("/admin/")
    headers = {**make_key("read"), "Accept-Language": "zh"}
    response = client.get("/api/v1/rulesets/nobody/versions", headers=headers)
    assert response.get_json()["title"] == "未找到"

"""The employee's page in headless Chromium at a phone's width and a desktop's: reading,
acknowledging, appealing; the link after expiry and after a new revision; HR deciding the
appeal with the corrected numbers previewed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import requests

from server.services import sharing
from server.storage import utcnow
from tests.admin.live import LiveServer, chromium, live_server, log_in
from tests.conftest import ruleset_document, submission

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 1000}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    database = tmp_path_factory.mktemp("employee") / "page.db"
    with live_server(database, [(ruleset_document(), "2020-Q1", "初版")]) as live:
        yield live


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as instance:
        yield instance


def new_page(browser: Any, viewport: dict[str, int]) -> Any:
    context = browser.new_context(locale="zh-CN", viewport=viewport, is_mobile=viewport == PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def stored(server: LiveServer, employee_id: str) -> int:
    response = requests.post(
        f"{server.url}/api/v1/evaluations",
        json=submission(employee_id),
        headers={"Authorization": f"Bearer {server.api_key}"},
        timeout=10,
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def link(server: LiveServer, record_id: int, days: int = 14) -> str:
    with server.app.app_context():
        token = sharing.share(record_id, days, server.app.config["SECRET_KEY"], "test")["token"]
    return f"{server.url}/r/{token}"


def test_on_a_phone_the_employee_reads_and_acknowledges(server, browser):
    page = new_page(browser, PHONE)
    page.goto(link(server, stored(server, "phone-1")))
    assert page.inner_text("#total") == "82.0" and page.inner_text("#rating") == "良好"
    assert "1.2" in page.inner_text("#bonus")
    assert page.locator("#dimensions svg .bar").count() == 2
    assert "销售额达成率" in page.inner_text("#explanation")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]  # nothing wider than the phone: no sideways scrolling
    chart = page.locator("#dimensions svg").bounding_box()
    assert chart["width"] <= PHONE["width"]
    assert page.locator("a").count() == 0  # no navigation to anything else
    page.click("#acknowledge-button")
    page.wait_for_selector("#done")
    assert "您的确认已记录" in page.inner_text("#done")
    assert page.locator("#acknowledged").is_visible()
    assert page.locator("#acknowledge-button").count() == 0
    page.context.close()


def test_on_a_desktop_the_employee_appeals_with_a_text(server, browser):
    page = new_page(browser, DESKTOP)
    page.goto(link(server, stored(server, "desk-1")))
    page.click("#appeal-button")  # empty: the browser asks for a text first
    assert page.locator("#done").count() == 0
    page.fill("#appeal-text", "第三季度的拜访记录漏了 8 次")
    page.click("#appeal-button")
    page.wait_for_selector("#done")
    assert "您的申诉已记录" in page.inner_text("#done")
    assert "第三季度的拜访记录漏了 8 次" in page.inner_text("#appeal")
    assert "申诉待处理" in page.inner_text("#appeal")
    page.context.close()


def test_the_link_after_it_expires(server, browser, monkeypatch):
    url = link(server, stored(server, "late-1"), days=1)
    later = utcnow() + timedelta(days=1, minutes=1)
    monkeypatch.setattr(sharing, "utcnow", lambda: later)  # the server runs in this process
    page = new_page(browser, PHONE)
    response = page.goto(url)
    assert response.status == 410
    assert "已过期" in page.inner_text("#message")
    page.context.close()


def test_hr_upholds_the_appeal_and_the_old_link_is_gone(server, browser):
    record_id = stored(server, "appeal-1")
    old_link = link(server, record_id)
    employee = new_page(browser, PHONE)
    employee.goto(old_link)
    employee.fill("#appeal-text", "拜访次数应为 18 次")
    employee.click("#appeal-button")
    employee.wait_for_selector("#done")

    hr = new_page(browser, DESKTOP)
    log_in(hr, server.url, "hr")
    hr.goto(f"{server.url}/admin/appeals/")
    row = hr.locator("#appeals-table tr", has_text="appeal-1")
    assert "申诉待处理" in row.inner_text()
    row.locator("a").first.click()
    hr.wait_for_selector("#resolve-form")
    hr.fill("#inputs-visits", "18")
    hr.fill("#reason", "核实拜访记录后更正")
    hr.click("#preview-correction")
    hr.wait_for_selector("#preview")
    assert hr.inner_text("#preview-total") == "90.0" and hr.inner_text("#preview-rating") == "优秀"
    changes = hr.inner_text("#preview-changes")
    assert "82.0" in changes and "90.0" in changes
    hr.click("#uphold-appeal")
    hr.wait_for_selector("#appeal-resolution")
    assert "申诉成立" in hr.inner_text("#appeal-state")

    response = employee.goto(old_link)
    assert response.status == 410 and "已更正" in employee.inner_text("#message")

    hr.goto(f"{server.url}/admin/results/{record_id}")
    hr.click("#share-link")
    hr.wait_for_selector("#shared-url")
    new_link = hr.input_value("#shared-url")
    hr.click("#copy-link")
    hr.wait_for_function("document.getElementById('copy-link').textContent === '已复制'")
    employee.goto(new_link)
    assert employee.inner_text("#total") == "90.0" and employee.inner_text("#rating") == "优秀"
    hr.context.close()
    employee.context.close()

"""End to end in headless Chromium: HR downloads the plans template, imports a filled-in file,
checks the preview, stores it, records an employee's acknowledgement and sees who is left."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.admin.live import LiveServer, chromium, live_server, log_in
from tests.api.plan_helpers import plan_document


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    database = tmp_path_factory.mktemp("plans") / "console.db"
    with live_server(database, [(plan_document(), "2020-Q1", "初版")]) as live:
        yield live


@pytest.fixture
def page(server: LiveServer) -> Iterator[Any]:
    with chromium() as browser:
        context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        context.close()


def test_hr_imports_plans_previews_stores_and_records_an_acknowledgement(server, page, tmp_path):
    base = server.url
    log_in(page, base, "hr")
    page.goto(f"{base}/admin/plans/?role=team_lead&period=2025-Q3")
    with page.expect_download() as download:
        page.click("#template-csv")
    template = tmp_path / "template.csv"
    download.value.save_as(template)
    lines = template.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "员工编号（必填）,目标销售额（必填）,入职日期（选填）,原因（选填）"
    filled = tmp_path / "plans.csv"
    rows = [*lines, "E1,1200000,2024-01-15,", "E2,900000,,"]
    filled.write_text("\n".join(rows) + "\n", encoding="utf-8-sig")

    page.set_input_files("#plan-file", str(filled))
    with page.expect_navigation():
        page.click("#plan-preview-button")
    preview = page.locator("#plan-preview")
    assert "2 行校验通过" in page.locator("#plan-preview-summary").inner_text()
    assert "1,200,000" in preview.locator('tr[data-employee="E1"]').inner_text()
    assert "新建" in preview.locator('tr[data-employee="E2"] .outcome').inner_text()
    with page.expect_navigation():
        page.click("#plan-store-button")
    assert "共 2 份目标责任书，2 份尚未签字确认" in page.locator("#plan-counts").inner_text()

    with page.expect_navigation():
        page.click('tr[data-employee="E1"] a')
    page.fill("#ack-by", "张三")
    with page.expect_navigation():
        page.click("#plan-ack-button")
    assert "张三" in page.locator("#plan-ack-state").inner_text()

    page.goto(f"{base}/admin/plans/?role=team_lead&period=2025-Q3&pending=1")
    assert "1 份尚未签字确认" in page.locator("#plan-counts").inner_text()
    assert page.locator('#plans-table tr[data-employee="E2"]').count() == 1
    assert page.locator('#plans-table tr[data-employee="E1"]').count() == 0

    broken = tmp_path / "broken.csv"
    broken.write_text("员工编号,目标销售额\nE3,很多\n", encoding="utf-8-sig")
    page.goto(f"{base}/admin/plans/?role=team_lead&period=2025-Q3")
    page.set_input_files("#plan-file", str(broken))
    with page.expect_navigation():
        page.click("#plan-preview-button")
    problems = page.locator("#plan-problems").inner_text()
    assert "目标销售额" in problems and "2" in problems
    assert page.locator("#plan-store-button").count() == 0

"""End to end in headless Chromium (SPEC §12): HR submits a draft for approval, a second
console user (admin) approves it on the proposal's page, HR sees the outcome."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.admin.live import LiveServer, chromium, live_server, log_in
from tests.conftest import ruleset_document


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    database = tmp_path_factory.mktemp("live") / "approvals.db"
    with live_server(database, [(ruleset_document(), "2020-Q1", "初版")]) as live:
        yield live


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as instance:
        yield instance


def new_page(browser: Any) -> Any:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def test_hr_proposes_and_admin_approves(server, browser):
    base = server.url
    hr = new_page(browser)
    log_in(hr, base, "hr")
    hr.goto(f"{base}/admin/versions/team_lead/1")
    hr.click("#draft-from-version")
    hr.wait_for_selector("#draft-form")
    draft_url = hr.url
    hr.fill("#indicators-0-weight", "70")
    hr.fill("#indicators-1-weight", "30")
    with hr.expect_navigation():
        hr.click("#save-draft")

    hr.goto(draft_url + "publish")
    assert hr.locator("#publish-button").count() == 1  # approval is optional here
    assert "优秀: 达标" in hr.locator("#draft-coverage").inner_text()
    hr.fill("#effective_from", "2026-Q1")
    hr.fill("#note", "销售权重下调")
    with hr.expect_navigation():
        hr.click("#propose-button")
    proposal_url = hr.url
    assert "待审批" in hr.locator("#proposal-state").inner_text()
    assert hr.locator("#approve-form").count() == 0

    admin = new_page(browser)
    log_in(admin, base, "admin")
    admin.goto(f"{base}/admin/approvals/")
    with admin.expect_navigation():
        admin.locator("#pending-proposals a").first.click()
    assert admin.url == proposal_url
    assert "销售额达成率 权重 80% → 70%" in admin.locator("#changes").inner_text()
    assert "达标" in admin.locator("#coverage").inner_text()
    admin.fill("#approve-note", "同意下调")
    with admin.expect_navigation():
        admin.click("#approve-button")
    assert "版本 2" in admin.locator("#proposal-outcome").inner_text()

    hr.goto(f"{base}/admin/approvals/")
    mine = hr.locator("#my-proposals").inner_text()
    assert "已批准" in mine and "同意下调" in mine
    hr.goto(f"{base}/admin/versions/team_lead/2")
    assert "销售权重下调" in hr.locator("#version-note").inner_text()

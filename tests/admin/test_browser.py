"""End to end in headless Chromium against a real running server: HR fixes a formula and
publishes, an API result shows up in the console, an auditor compares versions and cannot
publish, the language switch."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.admin.live import LiveServer, chromium, live_server, log_in
from tests.conftest import ruleset_document


def rebalanced() -> dict[str, Any]:
    document = copy.deepcopy(ruleset_document())
    document["indicators"][0]["weight"], document["indicators"][1]["weight"] = 70, 30
    return document


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    database = tmp_path_factory.mktemp("live") / "console.db"
    documents = [(ruleset_document(), "2020-Q1", "初版"), (rebalanced(), "2024-Q1", "调整权重")]
    with live_server(database, documents) as live:
        yield live


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as instance:
        yield instance


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_hr_fixes_an_invalid_formula_and_publishes(server, page):
    base = server.url
    log_in(page, base, "hr")
    page.goto(f"{base}/admin/versions/team_lead/2")
    page.click("#draft-from-version")
    page.wait_for_selector("#draft-form")
    draft_url = page.url

    page.fill("#indicators-0-formula", "actual_sales / target_salez * 100")
    with page.expect_navigation():
        page.click("#save-draft")
    message = page.locator('[data-error-for="indicators-0-formula"]')
    assert "target_salez" in message.inner_text() and "target_sales" in message.inner_text()
    assert "个问题待修正" in page.locator("#problem-count").inner_text()

    page.fill("#indicators-0-weight", "60")  # the sums follow the typing, before any save
    assert page.locator('tr[data-dimension="results"] .wsum').inner_text() == "60"
    assert page.locator("#weight-total").inner_text() == "90"
    assert "table-danger" in (page.locator("#weight-total-row").get_attribute("class") or "")
    page.fill("#indicators-0-weight", "75")
    page.fill("#indicators-1-weight", "25")
    page.fill("#indicators-0-formula", "actual_sales / target_sales * 100")
    with page.expect_navigation():
        page.click("#save-draft")
    assert page.locator('[data-error-for="indicators-0-formula"]').count() == 0
    assert page.locator("#problem-count").inner_text() == "校验通过：可以发布"

    page.goto(draft_url + "publish")
    assert "销售额达成率 权重 70% → 75%" in page.locator("#changes").inner_text()
    page.fill("#effective_from", "2026-Q1")
    page.fill("#note", "销售权重上调")
    page.click("#publish-button")
    page.wait_for_selector("#version-note")
    assert page.url.endswith("/admin/versions/team_lead/3")
    assert page.locator("#version-note").inner_text() == "销售权重上调"


def test_a_result_posted_to_the_api_appears_in_the_console(server, page):
    body = {
        "role": "team_lead",
        "period": "2025-Q3",
        "employee_id": "api-007",
        "inputs": {"actual_sales": 90, "target_sales": 100, "visits": 10},
    }
    response = requests.post(
        f"{server.url}/api/v1/evaluations",
        json=body,
        timeout=10,
        headers={"Authorization": f"Bearer {server.api_key}"},
    )
    assert response.status_code == 201, response.text
    log_in(page, server.url, "auditor")
    page.goto(f"{server.url}/admin/results/?role=team_lead")
    page.click("text=api-007")
    total = response.json()["total"]
    assert page.locator("#result-total").inner_text() == str(total)
    assert page.locator("svg.dimension-chart rect.bar").count() == 2
    assert "销售额达成率" in page.locator("#explanation").inner_text()


def test_an_auditor_compares_two_versions_and_cannot_publish(server, page):
    hr = page.context.browser.new_context().new_page()
    log_in(hr, server.url, "hr")
    hr.goto(f"{server.url}/admin/drafts/")
    hr.select_option("#role", "team_lead")
    hr.select_option("#source", "team_lead:1")
    hr.click("#create-draft")
    hr.wait_for_selector("#draft-form")
    draft_url = hr.url
    hr.context.close()

    log_in(page, server.url, "auditor")
    page.goto(f"{server.url}/admin/versions/compare?role=team_lead&a=1&b=2")
    assert "销售额达成率 权重 80% → 70%" in page.locator("#changes").inner_text()
    assert "weight: 80" in page.locator("#yaml-a").inner_text()
    assert "weight: 70" in page.locator("#yaml-b").inner_text()

    page.goto(draft_url + "publish")
    assert page.locator("#publish-button").count() == 0
    assert page.locator("#save-draft").count() == 0
    token = page.locator('input[name="csrf_token"]').first.get_attribute("value")
    forged = page.request.post(
        draft_url + "publish",
        form={"csrf_token": token, "effective_from": "2026-Q1", "note": "sneaky"},
    )
    assert forged.status == 403
    versions = requests.get(
        f"{server.url}/api/v1/rulesets/team_lead/versions",
        timeout=10,
        headers={"Authorization": f"Bearer {server.api_key}"},
    ).json()["items"]
    assert all(v["note"] != "sneaky" for v in versions)


def test_switching_to_english(server, page):
    log_in(page, server.url, "auditor")
    assert page.locator("#logout").inner_text() == "退出"
    page.click("#lang-en")
    page.wait_for_selector("text=Log out")
    menu = page.locator("#admin-navbar-collapse").inner_text()
    assert "Versions" in menu and "Audit log" in menu and "规则版本" not in menu
    page.goto(f"{server.url}/admin/versions/")
    assert re.search(r"Compare two versions", page.content())

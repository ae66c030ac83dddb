"""The console in 中文, in headless Chromium: no English sentence on the pages HR and auditors
walk (draft editor, try-it, publish, results, import, audit), and the weight-edit flow of
issue 11: live validation, a linked problem list, keeping adjustment differences, taking a
golden example's current result."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from server.engine import load_document
from tests.admin.english import english_sentences
from tests.admin.live import LiveServer, chromium, live_server, log_in
from tests.conftest import ruleset_document

ROOT = Path(__file__).resolve().parents[2]


def regional() -> dict[str, Any]:
    return load_document((ROOT / "rulesets" / "regional_sales_manager.yaml").read_text())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    database = tmp_path_factory.mktemp("zh") / "console.db"
    rebalanced = copy.deepcopy(ruleset_document())
    rebalanced["indicators"][0]["weight"], rebalanced["indicators"][1]["weight"] = 70, 30
    documents = [
        (ruleset_document(), "2020-Q1", "初版"),
        (rebalanced, "2024-Q1", "调整权重"),
        (regional(), "2020-Q1", "初版"),
    ]
    with live_server(database, documents) as live:
        body = {
            "role": "team_lead",
            "period": "2025-Q3",
            "employee_id": "e-9000",
            "inputs": {"actual_sales": 9000000, "target_sales": 10000000, "visits": 12},
        }
        answer = requests.post(
            f"{live.url}/api/v1/evaluations",
            json=body,
            timeout=10,
            headers={"Authorization": f"Bearer {live.api_key}"},
        )
        assert answer.status_code == 201, answer.text
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


def to_chinese(page: Any) -> None:
    """Press the language switch's 中文 (the console's own choice, not the browser's)."""
    with page.expect_navigation():
        page.click("#lang-zh")


def english_on(page: Any) -> list[str]:
    """English sentences on the page; YAML and code blocks (keys and formulas) left out."""
    code = {
        line.strip()
        for block in page.locator("pre, code").all_inner_texts()
        for line in block.splitlines()
    }
    text = page.inner_text("body")
    return english_sentences("\n".join(x for x in text.splitlines() if x.strip() not in code))


def checked(page: Any) -> None:
    """Wait until the live check answered for everything typed so far."""
    page.wait_for_selector("#draft-status[data-checked]", state="attached")


def new_draft(page: Any, base: str, role: str) -> str:
    page.goto(f"{base}/admin/drafts/")
    page.select_option("#role", role)
    with page.expect_navigation():
        page.click("#create-draft")
    page.wait_for_selector("#draft-form")
    return page.url


def test_no_english_sentence_on_the_pages_hr_walks(server, page, tmp_path):
    base = server.url
    log_in(page, base, "admin")
    to_chinese(page)
    english: dict[str, list[str]] = {}

    def look(name: str) -> None:
        found = english_on(page)
        if found:
            english[name] = found

    look("dashboard")
    draft_url = new_draft(page, base, "team_lead")
    look("drafts: the editor")
    page.goto(draft_url + "try?example=0")
    page.fill("#period", "2025-Q3")
    page.fill("#employee_id", "试算-1")
    with page.expect_navigation():
        page.click("#run-try")
    page.wait_for_selector("#result")
    look("try it: a result")
    page.fill("#sample-actual_sales", "6%")
    page.fill("#period", "2026-10")
    with page.expect_navigation():
        page.click("#run-try")
    look("try it: rejected inputs")
    page.goto(draft_url)
    page.fill("#indicators-0-formula", "actual_sales / target_salez * 100")
    page.fill("#indicators-0-weight", "60")
    checked(page)
    look("the editor with live problems")
    with page.expect_navigation():
        page.click("#save-draft")
    look("the editor with saved problems")
    page.goto(draft_url + "yaml")
    look("YAML")
    page.goto(draft_url + "publish")
    look("publish: problems and diff")
    page.goto(f"{base}/admin/drafts/")
    look("drafts")
    page.goto(f"{base}/admin/versions/")
    look("versions")
    page.goto(f"{base}/admin/versions/regional_sales_manager/1")
    look("a version")
    page.goto(f"{base}/admin/versions/compare?role=team_lead&a=1&b=2")
    look("compare")
    page.goto(f"{base}/admin/results/?role=team_lead")
    look("results")
    page.click("text=e-9000")
    page.wait_for_selector("#result-total")
    look("a result")
    page.goto(f"{base}/admin/import/")
    look("import")
    upload = tmp_path / "q3.csv"
    upload.write_text("employee_id,actual_sales,target_sales,visits\ne1,abc,100,10\ne2,90,,5\n")
    page.select_option("#role", "team_lead")
    page.fill("#period", "2025-Q3")
    page.set_input_files("#file", str(upload))
    with page.expect_navigation():
        page.click("#import-button")
    page.wait_for_selector("#import-errors:not(.d-none)")
    look("import: problems by row and column")
    page.goto(f"{base}/admin/audit/")
    look("audit")
    page.goto(f"{base}/admin/users/")
    look("users")
    page.goto(f"{base}/admin/keys/")
    look("keys")
    assert not english, "\n".join(f"{where}: {runs}" for where, runs in english.items())


def test_labels_not_keys_local_times_and_amounts(server, page):
    log_in(page, server.url, "auditor")
    to_chinese(page)
    page.goto(f"{server.url}/admin/versions/regional_sales_manager/1")
    assert page.locator("h4").inner_text() == "区域销售经理 · 第 1 版"
    page.goto(f"{server.url}/admin/results/?role=team_lead")
    page.click("text=e-9000")
    inputs = page.locator("#inputs").inner_text()
    assert "实际销售额" in inputs and "9,000,000" in inputs and "actual_sales" not in inputs
    assert "良好" in page.locator("#revisions").inner_text()
    page.goto(f"{server.url}/admin/audit/")
    table = page.locator("#audit-table").inner_text()
    assert "存储考核结果" in table and "evaluation.store" not in table
    assert "{" not in table  # details are readable, not raw JSON
    when = page.locator("#audit-table tbody tr td").nth(1).inner_text()
    assert len(when) == 19 and "." not in when  # 2026-01-02 10:11:12: to the second


def test_moving_weight_between_two_indicators(server, page):
    base = server.url
    log_in(page, base, "hr")
    to_chinese(page)
    page.goto(f"{base}/admin/drafts/")
    assert page.locator("#role option").all_inner_texts()[:2] == ["区域销售经理", "团队主管"]
    new_draft(page, base, "regional_sales_manager")
    assert page.evaluate("document.body.scrollHeight") < 10000  # was ~13,000 px

    # the seed's table: 指标名称 | 指标定义 | 计算方式 | 权重, per dimension
    results = page.locator('[data-dimension-table="results"] .indicator-table > thead').inner_text()
    for heading in ("指标名称", "指标定义", "计算方式", "权重"):
        assert heading in results
    page.click('[data-details="indicators-0-details"]')
    assert page.locator("#indicators-0-key").is_visible()  # the full form, a click away

    page.fill("#indicators-0-weight", "17")  # 销售额达成率 22 -> 17
    assert page.locator("#problem-count").inner_text() == "正在校验…"  # never "可以发布" unchecked
    page.fill("#indicators-1-weight", "18")  # 利润贡献度 13 -> 18
    checked(page)
    assert page.locator('tr[data-dimension="results"] .wsum').inner_text() == "44"
    assert page.locator("#weight-total").inner_text() == "100"
    count = page.locator("#problem-count").inner_text()
    assert count.startswith("有 ") and "个问题待修正" in count
    assert page.locator('[data-adjusted-total="0"] .atotal').inner_text() == "105"  # 入职未满6个月
    links = page.locator("#problem-list a.problem-link")
    assert links.count() >= 2
    assert (
        page.locator('td[data-adjustment="0"][data-indicator="sales_attainment"]').inner_text()
        == "18"
    )

    page.check("#keep_differences")
    checked(page)
    kept = page.locator("#kept-list").inner_text()
    assert "入职未满6个月：销售额达成率 18 → 13" in kept
    assert "市场扩张阶段：利润贡献度 9 → 14" in kept
    assert page.locator('[data-adjusted-total="0"] .atotal').inner_text() == "100"
    remaining = page.locator("#problem-list a.problem-link")
    fields = [remaining.nth(i).get_attribute("data-field") for i in range(remaining.count())]
    assert fields and all(f.startswith("examples-") for f in fields)  # golden examples only
    remaining.first.click()
    target = fields[0]
    assert page.locator(f"#{target}").is_visible()  # the link opened the example and jumped

    with page.expect_navigation():
        page.click("#save-draft")
    offers = page.locator(".example-offer")
    assert offers.count() == len({f.split("-")[1] for f in fields})
    first = offers.first
    numbers = first.locator(".example-numbers").inner_text()
    old = first.locator(".old-total").inner_text()
    new = first.locator(".new-total").inner_text()
    assert old != new and old in numbers and new in numbers
    while page.locator(".example-offer").count():
        with page.expect_navigation():
            page.locator(".example-offer button").first.click()
    assert page.locator("#problem-count").inner_text() == "校验通过：可以发布"
    assert page.locator("#adjustments-0-weights-0-weight").input_value() == "13"

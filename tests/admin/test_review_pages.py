"""The console's side of SPEC §11: feedback from the suggestion, the sign-off, the employee's
link, the appeals queue (open first, days open) and deciding an appeal after a preview."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from server.services import appeals, reviewing, storing
from server.storage import review_queries, utcnow
from server.storage.models import Appeal
from tests.admin.conftest import post_form
from tests.conftest import submission


@pytest.fixture
def stored(app: Flask, published) -> dict[str, Any]:
    published()
    with app.app_context():
        [(answer, _)] = storing.store([submission()], "test", batch=False)
    return answer


def appeal(app: Flask, record_id: int, text: str = "拜访记录漏记") -> dict[str, Any]:
    with app.app_context():
        body = {"revision": 1, "text": text, "by": "employee"}
        return appeals.open_appeal(record_id, body, "test")


def test_the_feedback_form_starts_from_the_suggestion_and_saves(app, login, stored):
    hr = login("hr")
    page = f"/admin/results/{stored['id']}"
    html = hr.get(page).get_data(as_text=True)
    assert 'id="feedback-suggested"' in html
    assert "销售额达成率 得分 90" in html and "拜访 得分 50" in html
    data = {
        "revision": "1",
        "strengths": "Q3 销售额超额完成 15%\n回款及时",
        "improvements": "拜访次数不足",
        "actions": "每周拜访 2 家客户 | 2025-12-31",
        "by": "王经理",
    }
    response = post_form(hr, f"/admin/review/{stored['id']}/feedback", data, page)
    assert response.status_code == 302
    with app.app_context():
        written = reviewing.get_feedback(stored["id"])
    assert written["strengths"] == ["Q3 销售额超额完成 15%", "回款及时"]
    assert written["actions"] == [{"action": "每周拜访 2 家客户", "due": "2025-12-31"}]
    assert written["by"] == "王经理"
    bad = {**data, "actions": "每周拜访 | 年底前"}
    post_form(hr, f"/admin/review/{stored['id']}/feedback", bad, page)
    with app.app_context():
        assert reviewing.get_feedback(stored["id"])["actions"] == written["actions"]


def test_hr_records_an_acknowledgement_and_shares_the_link(app, login, client, stored):
    hr = login("hr")
    page = f"/admin/results/{stored['id']}"
    data = {"revision": "1", "by": "e1", "comment": "面谈已完成"}
    post_form(hr, f"/admin/review/{stored['id']}/acknowledge", data, page)
    html = hr.get(page).get_data(as_text=True)
    assert 'id="acknowledged"' in html and "面谈已完成" in html
    shared = post_form(hr, f"/admin/review/{stored['id']}/share", {"days": "3"}, page)
    html = shared.get_data(as_text=True)
    assert shared.status_code == 200 and 'id="copy-link"' in html
    url = html.split('id="shared-url" value="', 1)[1].split('"', 1)[0]
    assert client.get(url.split("localhost", 1)[1]).status_code == 200


def test_an_auditor_reads_but_cannot_write(app, login, stored):
    auditor = login("auditor")
    page = f"/admin/results/{stored['id']}"
    html = auditor.get(page).get_data(as_text=True)
    assert 'id="save-feedback"' not in html and 'id="share-link"' not in html
    data = {"revision": "1", "by": "e1"}
    assert (
        post_form(auditor, f"/admin/review/{stored['id']}/acknowledge", data, page).status_code
        == 403
    )


def test_the_queue_lists_open_appeals_first_with_the_days_open(app, login, stored):
    older = appeal(app, stored["id"], "第一条申诉")
    newer = appeal(app, stored["id"], "第二条申诉")
    with app.app_context():
        Appeal.update(opened_at=utcnow() - timedelta(days=6)).where(
            Appeal.id == older["id"]
        ).execute()
        review_queries.resolve_appeal(newer["id"], "rejected", {"decision": "rejected"})
    third = appeal(app, stored["id"], "第三条申诉")
    html = login("hr").get("/admin/appeals/").get_data(as_text=True)
    order = [html.index(text) for text in ("第一条申诉", "第三条申诉", "第二条申诉")]
    assert order == sorted(order)  # open ones first, oldest first; then the decided
    assert "2 项待处理申诉" in html
    row = html.split(f'/admin/appeals/{older["id"]}"', 1)[1].split("</tr>", 1)[0]
    assert '<td class="text-right days-open">6</td>' in row
    assert 'data-state="open"' in html and third["id"]
    filtered = login("hr").get("/admin/appeals/?state=rejected").get_data(as_text=True)
    assert "第二条申诉" in filtered and "第一条申诉" not in filtered


def test_upholding_shows_the_new_numbers_and_the_diff_before_storing(app, login, stored):
    opened = appeal(app, stored["id"])
    hr = login("hr")
    page = f"/admin/appeals/{opened['id']}"
    assert 'id="uphold-appeal"' not in hr.get(page).get_data(as_text=True)
    data = {
        "reason": "补录拜访记录",
        "by": "hr",
        "inputs-actual_sales": "90",
        "inputs-target_sales": "100",
        "inputs-visits": "18",
        "step": "preview",
    }
    preview = post_form(hr, page, data, page)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert '<strong id="preview-total">90.0</strong>' in html and "优秀" in html
    changes = html.split('id="preview-changes"', 1)[1].split("</table>", 1)[0]
    assert "82.0" in changes and "90.0" in changes and "拜访" in changes
    with app.app_context():
        assert reviewing.target(stored["id"]).latest.revision == 1  # nothing stored yet
    assert 'id="uphold-appeal"' in html
    stored_now = post_form(hr, page, {**data, "step": "uphold"}, page)
    assert stored_now.status_code == 302
    with app.app_context():
        latest = reviewing.target(stored["id"]).latest
        decided = appeals.get_appeal(opened["id"])
    assert (latest.revision, latest.total, latest.reason) == (
        2,
        90.0,
        f"申诉 #{opened['id']}: 补录拜访记录",
    )
    assert decided["state"] == "upheld" and decided["resolution"]["revision"] == 2


def test_rejecting_from_the_console_needs_a_reason(app, login, stored):
    opened = appeal(app, stored["id"])
    hr = login("hr")
    page = f"/admin/appeals/{opened['id']}"
    refused = post_form(hr, page, {"reason": "", "step": "reject"}, page)
    assert refused.status_code == 422
    post_form(hr, page, {"reason": "记录无误", "step": "reject"}, page)
    with app.app_context():
        assert appeals.get_appeal(opened["id"])["state"] == "rejected"
    html = hr.get(page).get_data(as_text=True)
    assert "申诉驳回" in html and 'id="resolve-form"' not in html

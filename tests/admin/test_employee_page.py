"""The employee's page /r/<token> (SPEC §11): the revision in the ruleset's language, its two
plain forms, 410 after expiry or a new revision, nothing else of the product, throttled."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from server.services import reviewing, sharing, storing
from server.storage import utcnow
from tests.conftest import ruleset_document, submission

TOKEN = re.compile(r"/r/([^/?\"]+)")


@pytest.fixture
def stored(app: Flask, published) -> dict[str, Any]:
    published()
    with app.app_context():
        [(answer, _)] = storing.store([submission()], "test", batch=False)
    return answer


def share(app: Flask, record_id: int, days: int = 14) -> str:
    with app.app_context():
        return sharing.share(record_id, days, app.config["SECRET_KEY"], "test")["token"]


def test_the_page_shows_the_result_and_feedback_in_the_rulesets_language(app, client, stored):
    with app.app_context():
        body = {
            "revision": 1,
            "strengths": ["Q3 销售额超额完成 15%"],
            "improvements": ["拜访次数不足"],
            "actions": [{"action": "每周拜访 2 家客户", "due": "2025-12-31"}],
            "by": "王经理",
        }
        reviewing.put_feedback(stored["id"], body, "test")
    response = client.get(f"/r/{share(app, stored['id'])}", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "82" in html and "良好" in html and "×1.2" in html
    assert "您的绩效结果" in html and "确认" in html and "申诉" in html  # zh-CN ruleset
    assert "业绩" in html and 'class="bar"' in html  # the dimension chart
    assert "销售额达成率 = 90 / 100 × 100" in html  # the explanation
    assert "Q3 销售额超额完成 15%" in html and "2025-12-31" in html
    assert 'name="viewport"' in html
    assert "/admin" not in html and "/api/" not in html  # nothing else of the product
    assert "<script" not in html  # works without JavaScript
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_an_english_ruleset_gives_an_english_page(app, client, published):
    published(ruleset_document(language="en"))
    with app.app_context():
        [(answer, _)] = storing.store([submission()], "test", batch=False)
    html = client.get(f"/r/{share(app, answer['id'])}").get_data(as_text=True)
    assert "Your performance result" in html and "Acknowledge" in html


def test_acknowledging_from_the_page_records_by_employee(app, client, stored):
    token = share(app, stored["id"])
    response = client.post(f"/r/{token}/acknowledge")
    assert response.status_code == 303 and response.headers["Location"].endswith(
        "done=acknowledged"
    )
    with app.app_context():
        record = reviewing.review_of(stored["id"], 1)
    assert record["acknowledged"]["by"] == "employee"
    html = client.get(f"/r/{token}?done=acknowledged").get_data(as_text=True)
    assert 'id="acknowledged"' in html and 'id="acknowledge-button"' not in html


def test_appealing_from_the_page_opens_an_appeal(app, client, stored):
    token = share(app, stored["id"])
    assert client.post(f"/r/{token}/appeal", data={"text": "  "}).status_code == 422
    response = client.post(f"/r/{token}/appeal", data={"text": "拜访记录漏了 8 次"})
    assert response.status_code == 303
    with app.app_context():
        [appeal] = reviewing.review_of(stored["id"], 1)["appeals"]
    assert (appeal["by"], appeal["text"], appeal["state"]) == (
        "employee",
        "拜访记录漏了 8 次",
        "open",
    )
    assert "申诉待处理" in client.get(f"/r/{token}").get_data(as_text=True)


def test_the_link_is_gone_after_a_new_revision(app, client, stored):
    token = share(app, stored["id"])
    body = submission(reason="更正")
    body["inputs"]["visits"] = 12
    with app.app_context():
        storing.store([body], "test", batch=False)
    response = client.get(f"/r/{token}")
    assert response.status_code == 410 and "已更正" in response.get_data(as_text=True)
    assert client.post(f"/r/{token}/acknowledge").status_code == 410
    assert client.post(f"/r/{token}/appeal", data={"text": "x"}).status_code == 410


def test_the_link_is_gone_once_it_expires(app, client, stored, monkeypatch):
    token = share(app, stored["id"], days=1)
    later = utcnow() + timedelta(days=1, seconds=1)
    monkeypatch.setattr(sharing, "utcnow", lambda: later)
    response = client.get(f"/r/{token}")
    assert response.status_code == 410 and "已过期" in response.get_data(as_text=True)


def test_a_token_opens_nothing_else(app, client, stored):
    token = share(app, stored["id"])
    assert client.get(f"/api/v1/evaluations/{stored['id']}?token={token}").status_code == 401
    console = client.get(f"/admin/results/{stored['id']}", headers={"Cookie": f"session={token}"})
    assert console.status_code == 302 and "/admin/login" in console.headers["Location"]


def test_wrong_tokens_are_throttled_like_logins(app, client, stored):
    token = share(app, stored["id"])
    for _ in range(5):
        assert client.get("/r/not-a-token").status_code == 404
    assert client.get(f"/r/{token}").status_code == 429
    assert client.get(f"/r/{token}", environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 200

"""The auditors' pages over stored data: results with their chart, the distribution, versions
compared, impact analysis, the audit log, users and keys."""

from __future__ import annotations

import copy
import re

from tests.admin.conftest import post_form
from tests.conftest import ruleset_document, submission


def store(client, key, employee_id: str, actual: float, **extra) -> dict:
    body = submission(
        employee_id, inputs={"actual_sales": actual, "target_sales": 100, "visits": 10}, **extra
    )
    response = client.post("/api/v1/evaluations", json=body, headers=key)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_result_stored_through_the_api_appears_with_its_breakdown(
    client, evaluate_key, login, published
):
    published()
    stored = store(client, evaluate_key, "emp-042", 90)
    console = login("auditor")
    listing = console.get("/admin/results/?role=team_lead&period=2025-Q3").get_data(as_text=True)
    assert "emp-042" in listing and "良好" in listing
    page = console.get(f"/admin/results/{stored['id']}").get_data(as_text=True)
    assert 'id="result-total">82.0<' in page
    assert page.count('class="bar" data-key=') == 2  # one bar per dimension, drawn server-side
    assert "销售额达成率" in page and 'id="explanation"' in page


def test_results_are_filtered_by_rating(client, evaluate_key, login, published):
    published()
    store(client, evaluate_key, "good-one", 90)
    store(client, evaluate_key, "excellent-one", 120)
    html = login("auditor").get("/admin/results/?rating=excellent").get_data(as_text=True)
    assert "excellent-one" in html and "good-one" not in html


def test_an_earlier_revision_can_be_shown(client, evaluate_key, login, published):
    published()
    first = store(client, evaluate_key, "e1", 90)
    store(client, evaluate_key, "e1", 120, reason="correction")
    html = login("auditor").get(f"/admin/results/{first['id']}?revision=1").get_data(as_text=True)
    assert 'id="result-total">82.0<' in html and "correction" in html


def test_the_distribution_draws_a_bar_per_rating(client, evaluate_key, login, published):
    published()
    for n, actual in enumerate([120, 90, 90, 50]):
        store(client, evaluate_key, f"e{n}", actual)
    html = (
        login("auditor")
        .get("/admin/results/distribution?role=team_lead&period=2025-Q3")
        .get_data(as_text=True)
    )
    bars = dict(
        re.findall(
            r'data-label="([^"]+)"[^>]*height="([\d.]+)"', html.split('id="histogram-chart"')[0]
        )
    )
    assert set(bars) == {"优秀", "良好", "合格", "不合格"}
    assert float(bars["良好"]) > float(bars["优秀"]) > 0 and float(bars["合格"]) == 0
    assert "4 名员工" in html


def test_two_versions_are_compared_side_by_side(login, published):
    published()
    changed = ruleset_document()
    changed["indicators"][0]["weight"], changed["indicators"][1]["weight"] = 70, 30
    published(changed, "2026-Q1", "rebalance")
    html = (
        login("auditor")
        .get("/admin/versions/compare?role=team_lead&a=1&b=2")
        .get_data(as_text=True)
    )
    assert "销售额达成率 权重 80% → 70%" in html
    assert 'id="yaml-a"' in html and 'id="yaml-b"' in html
    assert re.search(r'class="line removed">\s*weight: 80<', html)  # changed lines are marked
    assert re.search(r'class="line added">\s*weight: 70<', html)


def test_impact_analysis_lists_rating_transitions(client, evaluate_key, login, published):
    published()
    store(client, evaluate_key, "e1", 90)  # 82.00 good
    store(client, evaluate_key, "e2", 110)  # 98.00 excellent
    harsher = copy.deepcopy(ruleset_document())
    harsher["indicators"][0]["scoring"]["points"] = [[0, 0], [120, 100]]
    harsher["examples"][0]["expect"] = {"total": 86.67, "rating": "good"}
    published(harsher, "2026-Q1")
    html = (
        login("auditor")
        .get("/admin/impact/?role=team_lead&period=2025-Q3&target=version:2")
        .get_data(as_text=True)
    )
    assert "2 名员工，其中 2 名评级变化" in html
    assert "良好 → 合格" in html and "优秀 → 良好" in html


def test_impact_of_an_invalid_draft_is_explained(app, login, published):
    published()
    client = login("hr")
    response = post_form(client, "/admin/drafts/new", {"role": "team_lead", "source": "1"})
    draft_id = response.headers["Location"].rstrip("/").rsplit("/", 1)[1]
    from server.storage.console_models import Draft

    with app.app_context():
        draft = Draft.get_by_id(int(draft_id))
        draft.document["indicators"][0]["formula"] = "nope +"
        draft.save()
    html = client.get(
        f"/admin/impact/?role=team_lead&period=2025-Q3&target=draft:{draft_id}"
    ).get_data(as_text=True)
    assert "草稿有 1 个问题" in html or "个问题" in html


def test_the_audit_log_is_newest_first(client, evaluate_key, login, published):
    published()
    store(client, evaluate_key, "e1", 90)
    html = login("auditor").get("/admin/audit/").get_data(as_text=True)
    actions = re.findall(r'<td title="([a-z_.]+)">([^<]+)</td>', html)
    assert actions[0] == ("console.login", "登录控制台")
    keys = [key for key, _ in actions]
    assert keys.index("evaluation.store") < keys.index("ruleset.publish")  # stored after publishing
    assert ("ruleset.publish", "发布规则版本") in actions


def test_administrators_create_users_and_keys(app, login):
    client = login("admin")
    response = post_form(
        client,
        "/admin/users/new",
        {"username": "carol", "role": "auditor", "password": "carol-password-1"},
    )
    assert response.status_code == 302
    short = post_form(
        client, "/admin/users/new", {"username": "dave", "role": "hr", "password": "short"}
    )
    assert short.status_code == 422 and "10" in short.get_data(as_text=True)
    made = post_form(client, "/admin/keys/new", {"name": "crm", "scopes": ["evaluate", "read"]})
    key = re.search(r'id="new-key-value">([^<]+)<', made.get_data(as_text=True)).group(1)
    assert made.status_code == 201
    api = app.test_client()
    assert api.get("/api/v1/roles", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    assert key not in client.get("/admin/keys/").get_data(as_text=True)  # shown once only


def test_the_distribution_flags_a_share_over_its_guideline(client, evaluate_key, login, published):
    document = ruleset_document()
    document["distribution"] = [{"rating": "excellent", "max_share": 0.2}]
    published(document)
    for n, actual in enumerate([120, 120, 90, 90]):
        store(client, evaluate_key, f"e{n}", actual)
    html = (
        login("auditor")
        .get("/admin/results/distribution?role=team_lead&period=2025-Q3")
        .get_data(as_text=True)
    )
    row = re.search(
        r'<tr class="table-danger"><td>([^<]+)</td><td class="text-right">([^<]+)</td>', html
    )
    assert row and row.groups() == ("优秀", "50.0%")

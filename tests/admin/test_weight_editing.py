"""Weight editing in the draft editor without a browser: the check endpoint answers with the
same validation as saving, adjustments keep their differences, an example takes the current
result; and the console's number, time and label formats."""

from __future__ import annotations

import copy
from datetime import datetime

from admin.formatting import amount, local_time
from server.storage.console_models import Draft
from tests.admin.test_drafts import form_values, save, start_draft
from tests.conftest import ruleset_document


def with_new_hire() -> dict:
    """The small ruleset plus a new-hire adjustment setting absolute weights (60 / 40)."""
    document = copy.deepcopy(ruleset_document())
    document["inputs"]["new"] = {"type": "boolean", "required": False, "default": False}
    document["adjustments"] = [
        {
            "key": "new_hire",
            "name": "入职未满6个月",
            "when": "new",
            "weights": {"sales_attainment": 60, "visit_score": 40},
        }
    ]
    return document


def check(client, url: str, **changes: str) -> dict:
    data = form_values(client.get(url).get_data(as_text=True))
    data.update(changes)
    response = client.post(url + "check", data=data)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()


def test_the_check_answers_as_saving_would(login, published):
    published(with_new_hire())
    client = login("hr")
    url = start_draft(client)
    answer = check(client, url, **{"indicators-0-weight": "75"})
    assert answer["total"] == 95 and answer["error_count"] >= 1
    assert answer["status"]["summary"].endswith("个问题待修正")
    assert [p for p in answer["problems"] if p["level"] == "error"]
    saved = save(client, url, **{"indicators-0-weight": "75"})
    html = client.get(saved.headers["Location"]).get_data(as_text=True)
    for problem in answer["problems"]:
        assert f'href="#{problem["anchor"]}"' in html  # the same problems, as links
    assert check(client, url, **{"indicators-0-weight": "75", "indicators-1-weight": "25"})[
        "adjusted"
    ][0]["weights"] == {"sales_attainment": 60, "visit_score": 40}


def test_an_auditor_cannot_use_the_check(login, published):
    published()
    url = start_draft(login("hr"))
    auditor = login("auditor")
    page = auditor.get(url).get_data(as_text=True)
    assert 'data-check-url=""' in page
    assert auditor.post(url + "check", data=form_values(page)).status_code == 403


def test_keeping_differences_moves_the_adjustment_with_its_base_weight(app, login, published):
    published(with_new_hire())
    client = login("hr")
    url = start_draft(client)
    moved = {"indicators-0-weight": "70", "indicators-1-weight": "30"}
    answer = check(client, url, **moved)
    assert answer["kept"] == ["入职未满6个月：销售额达成率 60 → 50", "入职未满6个月：拜访 40 → 50"]
    assert answer["adjusted"][0]["total"] == 100  # 60 + 40: absolute weights, nothing moved yet
    save(client, url, keep_differences="y", **moved)
    with app.app_context():
        document = Draft.get().document
    assert [i["weight"] for i in document["indicators"]] == [70, 30]
    assert document["adjustments"][0]["weights"] == {"sales_attainment": 50, "visit_score": 50}


def test_without_keeping_the_adjustment_stays_as_it_was(app, login, published):
    published(with_new_hire())
    client = login("hr")
    url = start_draft(client)
    save(client, url, **{"indicators-0-weight": "70", "indicators-1-weight": "30"})
    with app.app_context():
        assert Draft.get().document["adjustments"][0]["weights"]["sales_attainment"] == 60


def test_an_example_takes_the_current_result_after_showing_both(app, login, published):
    published()
    client = login("hr")
    url = start_draft(client)
    saved = save(client, url, **{"examples-0-expect_total": "99.5"})
    html = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert 'id="examples-0-offer"' in html
    assert '<td class="old-total">99.5</td><td class="new-total">100.0</td>' in html
    save(client, url, action="accept:examples:0")
    with app.app_context():
        assert Draft.get().document["examples"][0]["expect"]["total"] == 100.0
    html = client.get(url).get_data(as_text=True)
    assert "examples-0-offer" not in html and "校验通过：可以发布" in html


def test_amounts_have_thousands_separators_and_units():
    assert amount(9000000, "元") == "9,000,000 元"
    assert amount(1234567.5) == "1,234,567.5"
    assert amount(85, "%") == "85%"
    assert amount(0.1) == "0.1"


def test_times_are_local_to_the_second(monkeypatch):
    moment = datetime(2026, 1, 2, 3, 4, 5, 678901)  # stored as naive UTC
    assert local_time(moment) == "2026-01-02 11:04:05"
    assert local_time("2026-01-02T03:04:05.678901Z") == "2026-01-02 11:04:05"
    monkeypatch.setenv("SCORECARD_TIMEZONE", "Europe/Berlin")
    assert local_time(moment) == "2026-01-02 04:04:05"


def test_the_new_draft_form_picks_positions_and_versions(login, published):
    published()
    html = login("hr").get("/admin/drafts/").get_data(as_text=True)
    assert '<option value="team_lead">团队主管</option>' in html
    assert (
        '<option value="team_lead:1" data-role="team_lead" selected>团队主管 · 第 1 版</option>'
        in html
    )


def test_a_version_of_another_position_is_refused(app, login, published):
    published()
    published(ruleset_document("other_lead"))
    client = login("hr")
    from tests.admin.conftest import post_form

    response = post_form(
        client, "/admin/drafts/new", {"role": "team_lead", "source": "other_lead:1"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert Draft.select().count() == 0


def test_users_are_given_an_account_role_not_a_position(login):
    html = login("admin").get("/admin/users/").get_data(as_text=True)
    assert "账号角色" in html and "<th>岗位</th>" not in html

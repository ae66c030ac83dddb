"""Drafts through the console: start, edit through the form, problems beside fields, YAML,
try, publish through the API's own publishing path (golden examples, audit entry)."""

from __future__ import annotations

import re

from server.storage import AuditEntry, RulesetVersion
from server.storage.console_models import Draft
from tests.admin.conftest import csrf_token, post_form


def form_values(html: str) -> dict[str, object]:
    """The fields of the draft editor as the browser would post them."""
    data: dict[str, object] = {}
    for name, value in re.findall(
        r'<input[^>]*?type="text" id="[^"]*" name="([^"]+)"\s+value="([^"]*)"', html
    ):
        data[name] = value
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        data[name] = chosen.group(1) if chosen else ""
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = text
    checkboxes = re.findall(r'name="_cb" value="([^"]+)"', html)
    for name in checkboxes:
        if re.search(rf'name="{re.escape(name)}" value="y" checked', html):
            data[name] = "y"
    data["_cb"] = checkboxes
    data["draft_revision"] = re.search(r'name="draft_revision" value="(\d+)"', html).group(1)
    data["csrf_token"] = csrf_token(html)
    return data


def unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<").replace("&gt;", ">").replace("&#39;", "'").replace("&amp;", "&")
    )


def start_draft(client, source: str = "1") -> str:
    response = post_form(client, "/admin/drafts/new", {"role": "team_lead", "source": source})
    assert response.status_code == 302
    return response.headers["Location"]


def save(client, url: str, **changes: str):
    data = form_values(client.get(url).get_data(as_text=True))
    data.update(changes)
    return client.post(url, data=data)


def test_a_draft_starts_as_a_copy_of_a_version(app, login, published):
    published()
    url = start_draft(login("hr"))
    with app.app_context():
        draft = Draft.get()
        assert draft.document == RulesetVersion.get().document
        assert draft.base_version == 1
        assert AuditEntry.get(AuditEntry.action == "draft.create").actor == "user:hr"
    assert url.endswith(f"/admin/drafts/{draft.id}/")


def test_a_draft_can_start_from_nothing_and_is_valid(app, login):
    client = login("hr")
    response = post_form(
        client, "/admin/drafts/new", {"role": "new_role", "source": "", "name": "新岗位"}
    )
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="problem-count"' in html and "校验通过" in html


def test_an_invalid_formula_is_shown_beside_its_field_and_saved(app, login, published):
    published()
    client = login("hr")
    url = start_draft(client)
    assert (
        save(
            client, url, **{"indicators-0-formula": "actual_sales / target_salez * 100"}
        ).status_code
        == 302
    )
    html = client.get(url).get_data(as_text=True)
    message = re.search(r'data-error-for="indicators-0-formula">(.*?)</div>', html, re.S)
    assert (
        message
        and "target_salez" in message.group(1)
        and "target_sales" in unescape(message.group(1))
    )
    with app.app_context():
        assert (
            Draft.get().document["indicators"][0]["formula"] == "actual_sales / target_salez * 100"
        )


def test_weight_sums_per_dimension_are_shown(app, login, published):
    published()
    client = login("hr")
    url = start_draft(client)
    save(client, url, **{"indicators-0-weight": "70"})
    html = client.get(url).get_data(as_text=True)
    row = re.search(r'<tr data-dimension="results".*?</tr>', html, re.S).group(0)
    assert '<td class="text-right wsum">70</td>' in row
    assert 'id="weight-total">90<' in html


def test_editor_buttons_add_rows(app, login, published):
    published()
    client = login("hr")
    url = start_draft(client)
    assert (
        save(client, url, action="add:adjustments").headers["Location"].endswith("#sec-adjustments")
    )
    with app.app_context():
        assert Draft.get().document["adjustments"][-1]["key"] == "adjustment_1"


def test_a_stale_form_does_not_overwrite_a_newer_save(app, login, published):
    published()
    client = login("hr")
    url = start_draft(client)
    stale = form_values(client.get(url).get_data(as_text=True))
    save(client, url, **{"name": "first"})
    stale["name"] = "second"
    assert client.post(url, data=stale).status_code == 409
    with app.app_context():
        assert Draft.get().document["name"] == "first"


def test_the_yaml_view_saves_valid_yaml_and_refuses_broken_yaml(app, login, published):
    published()
    client = login("hr")
    url = start_draft(client)
    html = client.get(url + "yaml").get_data(as_text=True)
    text = unescape(
        re.search(r'<textarea[^>]*name="yaml"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    )
    revision = re.search(r'name="draft_revision" value="(\d+)"', html).group(1)
    broken = client.post(
        url + "yaml",
        data={"csrf_token": csrf_token(html), "yaml": "role: [", "draft_revision": revision},
    )
    assert broken.status_code == 422
    changed = text.replace("name: 团队主管", "name: 团队主管(新)")
    ok = client.post(
        url + "yaml",
        data={"csrf_token": csrf_token(html), "yaml": changed, "draft_revision": revision},
    )
    assert ok.status_code == 302
    with app.app_context():
        assert Draft.get().document["name"] == "团队主管(新)"


def test_trying_a_draft_shows_the_result_and_its_explanation(login, published):
    published()
    client = login("hr")
    url = start_draft(client)
    response = post_form(
        client,
        url + "try",
        {
            "period": "2025-Q3",
            "employee_id": "e1",
            "sample-actual_sales": "90",
            "sample-target_sales": "100",
            "sample-visits": "10",
        },
        page=url + "try",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="result-total">82.0<' in html and "<svg" in html and 'id="explanation"' in html
    bad = post_form(
        client, url + "try", {"period": "2025-Q3", "sample-actual_sales": "x"}, page=url + "try"
    )
    assert bad.status_code == 422 and 'data-error-for="sample-actual_sales"' in bad.get_data(
        as_text=True
    )


def test_publishing_shows_the_diff_and_writes_a_version_with_an_audit_entry(app, login, published):
    published()
    client = login("hr")
    url = start_draft(client)
    save(client, url, **{"name": "团队主管 2026"})
    page = client.get(url + "publish").get_data(as_text=True)
    assert "团队主管 → 团队主管 2026" in page or "团队主管 2026" in page
    assert 'id="publish-button"' in page
    response = post_form(
        client,
        url + "publish",
        {"effective_from": "2026-Q1", "note": "新年度"},
        page=url + "publish",
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/admin/versions/team_lead/2"
    )
    with app.app_context():
        version = RulesetVersion.get(RulesetVersion.version == 2)
        assert (version.created_by, version.note, version.effective_from) == (
            "user:hr",
            "新年度",
            "2026-Q1",
        )
        entry = AuditEntry.get(
            AuditEntry.action == "ruleset.publish", AuditEntry.target == "team_lead/v2"
        )
        assert entry.actor == "user:hr"
        assert Draft.get().published_version == 2


def test_a_golden_example_that_fails_blocks_publishing(app, login, published):
    published()
    client = login("hr")
    url = start_draft(client)
    save(client, url, **{"examples-0-expect_total": "99"})
    response = post_form(
        client, url + "publish", {"effective_from": "2026-Q1", "note": "x"}, page=url + "publish"
    )
    assert response.status_code == 422
    assert "无法复现" in response.get_data(as_text=True)  # the console's language: 中文
    with app.app_context():
        assert RulesetVersion.select().count() == 1


def test_a_wrong_effective_period_is_reported(app, login, published):
    published()
    client = login("hr")
    url = start_draft(client)
    save(client, url, **{"name": "changed"})
    response = post_form(
        client, url + "publish", {"effective_from": "2026-05", "note": "x"}, page=url + "publish"
    )
    assert response.status_code == 422 and "/effective_from" in response.get_data(as_text=True)


def test_auditors_see_drafts_read_only_and_cannot_publish(app, login, published):
    published()
    url = start_draft(login("hr"))
    auditor = login("auditor")
    html = auditor.get(url).get_data(as_text=True)
    assert (
        'id="read-only-badge"' in html
        and 'id="save-draft"' not in html
        and "data-action=" not in html
    )
    publish_page = auditor.get(url + "publish").get_data(as_text=True)
    assert 'id="publish-button"' not in publish_page
    token = csrf_token(auditor.get("/admin/").get_data(as_text=True))
    response = auditor.post(
        url + "publish", data={"csrf_token": token, "effective_from": "2026-Q1", "note": "x"}
    )
    assert response.status_code == 403
    with app.app_context():
        assert RulesetVersion.select().count() == 1


def test_unknown_drafts_are_a_console_404(login):
    response = login("hr").get("/admin/drafts/999/")
    assert response.status_code == 404 and "text/html" in response.content_type


def test_publishing_an_unchanged_draft_publishes_nothing_new(app, login, published):
    published()
    client = login("hr")
    url = start_draft(client)
    response = post_form(
        client, url + "publish", {"effective_from": "2026-Q1", "note": "x"}, page=url + "publish"
    )
    assert response.headers["Location"].endswith("/admin/versions/team_lead/1")
    with app.app_context():
        assert RulesetVersion.select().count() == 1
        assert Draft.get().published_version is None


def test_hr_deletes_a_draft_with_an_audit_entry(app, login, published):
    published()
    client = login("hr")
    url = start_draft(client)
    html = client.get(url).get_data(as_text=True)
    assert 'id="delete-draft"' in html
    response = client.post(url + "delete", data={"csrf_token": csrf_token(html)})
    assert response.status_code == 302
    with app.app_context():
        assert Draft.select().count() == 0
        assert AuditEntry.get(AuditEntry.action == "draft.delete").actor == "user:hr"

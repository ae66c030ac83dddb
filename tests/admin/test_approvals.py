"""Approvals in the console (SPEC §12): HR submits a draft for approval, a second person
approves or rejects it with the diff, impact and coverage in view, the proposer sees the
outcome; where approval is required, the draft page offers only "submit for approval"."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from admin import auth
from server import create_app, storage
from server.config import TestingConfig
from server.services import publishing
from server.storage import AuditEntry, RulesetProposal, RulesetVersion
from tests.admin.conftest import csrf_token, log_in
from tests.admin.test_drafts import save, start_draft
from tests.conftest import ruleset_document

APPROVER_PASSWORD = "approver-password-1"


@pytest.fixture
def approver(app: Flask, users):
    with app.app_context():
        auth.create_user("approver", APPROVER_PASSWORD, "approver", "test")
    client = app.test_client()
    assert log_in(client, "approver", APPROVER_PASSWORD).status_code == 302
    return client


def submit(client, draft_url: str, effective_from: str = "2026-Q1", note: str = "调整权重"):
    page = draft_url.rstrip("/") + "/publish"
    html = client.get(page).get_data(as_text=True)
    assert 'id="propose-button"' in html
    return client.post(
        draft_url.rstrip("/") + "/propose",
        data={"csrf_token": csrf_token(html), "effective_from": effective_from, "note": note},
    )


def proposal_form(client, proposal_url: str, action: str, **data: str):
    html = client.get(proposal_url).get_data(as_text=True)
    return client.post(f"{proposal_url}/{action}", data={"csrf_token": csrf_token(html), **data})


def test_hr_submits_and_a_second_person_approves(app, login, published, approver):
    published()
    hr = login("hr")
    draft = start_draft(hr)
    save(hr, draft, **{"indicators-0-weight": "70", "indicators-1-weight": "30"})
    response = submit(hr, draft)
    assert response.status_code == 302
    proposal_url = response.headers["Location"]
    assert re.search(r"/admin/approvals/\d+$", proposal_url)
    page = approver.get(proposal_url).get_data(as_text=True)
    assert 'id="changes"' in page and "70" in page  # the diff in sentences
    assert 'id="coverage"' in page and "达标" in page  # the example reaching 优秀
    assert 'id="approve-form"' in page
    listing = approver.get("/admin/approvals/").get_data(as_text=True)
    assert proposal_url.rsplit("/", 1)[1] in listing and 'id="no-pending"' not in listing
    # the proposer cannot approve: not an approver role, and it is their own proposal
    own = hr.get(proposal_url).get_data(as_text=True)
    assert 'id="approve-form"' not in own
    done = proposal_form(approver, proposal_url, "approve", note="同意")
    assert done.status_code == 302
    with app.app_context():
        version = RulesetVersion.get(RulesetVersion.version == 2)
        assert version.created_by == "user:approver"
        assert version.document["indicators"][0]["weight"] == 70
        assert RulesetProposal.get().state == "approved"
        assert AuditEntry.select().where(AuditEntry.action == "proposal.approve").count() == 1
    mine = hr.get("/admin/approvals/").get_data(as_text=True)
    assert 'class="proposal-approved"' in mine and "同意" in mine
    outcome = hr.get(proposal_url).get_data(as_text=True)
    assert 'id="proposal-outcome"' in outcome and "approver" in outcome


def test_hr_cannot_approve_and_a_rejection_reason_reaches_the_proposer(
    app, login, published, approver
):
    published()
    hr = login("hr")
    draft = start_draft(hr)
    save(hr, draft, **{"indicators-0-weight": "60", "indicators-1-weight": "40"})
    proposal_url = submit(hr, draft).headers["Location"]
    html = hr.get(proposal_url).get_data(as_text=True)
    forbidden = hr.post(f"{proposal_url}/approve", data={"csrf_token": csrf_token(html)})
    assert forbidden.status_code == 403
    blank = proposal_form(approver, proposal_url, "reject", reason=" ")
    assert blank.status_code == 422
    assert proposal_form(approver, proposal_url, "reject", reason="销售权重过低").status_code == 302
    mine = hr.get("/admin/approvals/").get_data(as_text=True)
    assert 'class="proposal-rejected"' in mine and "销售权重过低" in mine
    again = proposal_form(admin_client := login("admin"), proposal_url, "approve")
    assert again.status_code == 302  # refused with a message, nothing published
    assert "proposal-outcome" in admin_client.get(proposal_url).get_data(as_text=True)
    with app.app_context():
        assert RulesetVersion.select().count() == 1


@pytest.fixture
def approval_app(database_url: str, monkeypatch) -> Flask:
    monkeypatch.setenv("SCORECARD_PUBLISH_APPROVAL", "required")
    app = create_app(TestingConfig(database_url))
    with app.app_context():
        storage.create_tables()
        publishing.publish("team_lead", ruleset_document(), "2020-Q1", "", "test")
        auth.create_user("hr", "hr-password-123", "hr", "test")
    yield app
    storage.dispose()


def test_where_approval_is_required_the_draft_page_only_submits(approval_app):
    hr = approval_app.test_client()
    assert log_in(hr, "hr", "hr-password-123").status_code == 302
    draft = start_draft(hr)
    page = hr.get(draft.rstrip("/") + "/publish").get_data(as_text=True)
    assert 'id="propose-button"' in page and 'id="publish-button"' not in page
    refused = hr.post(
        draft.rstrip("/") + "/publish",
        data={"csrf_token": csrf_token(page), "effective_from": "2026-Q1", "note": "直接发布"},
    )
    assert refused.status_code == 403
    with approval_app.app_context():
        assert RulesetVersion.select().count() == 1
    assert submit(hr, draft).status_code == 302

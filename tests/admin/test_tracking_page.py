"""The console's tracking page (SPEC §10): each employee's latest snapshot, at risk first,
with what it takes; a chart against the band limits; a mid-period import of snapshots."""

from __future__ import annotations

import io
import re

from server.services import tracking
from server.storage import EvaluationRevision
from server.storage.models import TrackingSnapshot
from tests.admin.conftest import post_form
from tests.api.test_tracking import tracked_document

PAGE = "/admin/tracking/?role=team_lead&period=2025-Q3"


def snapshot(app, employee, sales, as_of="2025-08-15"):
    body = {
        "role": "team_lead",
        "period": "2025-Q3",
        "employee_id": employee,
        "as_of": as_of,
        "inputs": {"actual_sales": sales, "target_sales": 100, "visits": 10},
    }
    with app.app_context():
        return tracking.store_snapshot(body, "test")


def upload(client, text, as_of="2025-08-15", name="mid.csv"):
    """Post the mid-period import form with a CSV file."""
    return post_form(
        client,
        "/admin/tracking/import",
        {"role": "team_lead", "period": "2025-Q3", "as_of": as_of,
         "file": (io.BytesIO(text.encode("utf-8")), name)},
        page=PAGE,
        content_type="multipart/form-data",
    )  # fmt: skip


def rows_of(html):
    return re.findall(r'<tr class="[^"]*" data-employee="([^"]+)"', html)


def test_at_risk_employees_come_first_with_what_it_takes(app, login, published):
    published(tracked_document())
    snapshot(app, "e1", 45)  # 45 × 2 = 90 -> 82: 良好
    snapshot(app, "e2", 10)  # 20 -> 26: 不合格, at risk
    snapshot(app, "e3", 40)  # 80 -> 74: 合格
    html = login("auditor").get(PAGE).get_data(as_text=True)
    assert rows_of(html) == ["e2", "e3", "e1"]
    assert "3 名员工，1 名有风险" in html or "3 employees, 1 at risk" in html
    assert "再完成 实际销售额" in html and "即可达到 合格" in html  # e2 needs to reach 合格
    assert html.count('class="band-limit"') == 3  # 优秀 90, 良好 80, 合格 70 (不合格 covers 0)
    assert 'data-employee="e2"' in html and 'id="tracking-import"' not in html  # read-only


def test_a_mid_period_file_is_stored_as_snapshots_all_or_none(app, login, published):
    published(tracked_document())
    client = login("hr")
    good = "employee_id,actual_sales,target_sales,visits\ne1,45,100,10\ne2,10,100,10\n"
    response = upload(client, good, "2025-08-15", "mid.csv")
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert rows_of(html) == ["e2", "e1"] and 'id="tracking-stored"' in html
    bad = "employee_id,actual_sales,target_sales,visits\ne3,45,100,10\ne4,abc,100,10\n"
    refused = upload(client, bad, "2025-08-15", "bad.csv")
    assert refused.status_code == 422
    assert 'id="tracking-errors"' in refused.get_data(as_text=True)
    with app.app_context():
        assert TrackingSnapshot.select().count() == 2  # the bad file stored nothing
        assert EvaluationRevision.select().count() == 0


def test_an_as_of_outside_the_period_stores_nothing(app, login, published):
    published(tracked_document())
    client = login("hr")
    good = "employee_id,actual_sales,target_sales,visits\ne1,45,100,10\n"
    refused = upload(client, good, "2025-10-01", "mid.csv")
    assert refused.status_code == 422
    with app.app_context():
        assert TrackingSnapshot.select().count() == 0

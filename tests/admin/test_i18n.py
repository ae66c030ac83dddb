"""Languages: Simplified Chinese by default (ours and flask-admin's), English on request."""

from __future__ import annotations

import io

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from admin.i18n import TRANSLATIONS
from tests.admin.conftest import csrf_token


def test_the_console_speaks_chinese_by_default(login):
    html = login("hr").get("/admin/").get_data(as_text=True)
    assert "绩效考核控制台" in html and "草稿" in html and "退出" in html


def test_the_language_switch_is_kept_in_the_session(login):
    client = login("hr")
    token = csrf_token(client.get("/admin/").get_data(as_text=True))
    response = client.post(
        "/admin/language/", data={"csrf_token": token, "language": "en", "next": "/admin/drafts/"}
    )
    assert response.headers["Location"] == "/admin/drafts/"
    html = client.get("/admin/").get_data(as_text=True)
    assert (
        "Scorecard console" in html
        and "Drafts" in html
        and "Log out" in html
        and "草稿" not in html
    )


def test_the_login_page_switches_language_too(app):
    client = app.test_client()
    token = csrf_token(client.get("/admin/login/").get_data(as_text=True))
    client.post(
        "/admin/language/", data={"csrf_token": token, "language": "en", "next": "/admin/login/"}
    )
    assert "Username" in client.get("/admin/login/").get_data(as_text=True)


def test_an_unknown_language_is_ignored(app):
    client = app.test_client()
    token = csrf_token(client.get("/admin/login/").get_data(as_text=True))
    client.post("/admin/language/", data={"csrf_token": token, "language": "xx"})
    assert "用户名" in client.get("/admin/login/").get_data(as_text=True)


def test_the_committed_catalog_is_complete_and_compiled():
    po_path = TRANSLATIONS / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as handle:
        po = read_po(handle)
    with po_path.with_suffix(".mo").open("rb") as handle:
        mo = read_mo(io.BytesIO(handle.read()))
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        pot = read_po(handle)
    untranslated = [m.id for m in po if m.id and (not m.string or m.fuzzy)]
    assert not untranslated
    assert {m.id for m in pot if m.id} <= {m.id for m in po if m.id}
    assert {m.id: m.string for m in po if m.id} == {m.id: m.string for m in mo if m.id}

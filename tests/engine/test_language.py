"""Locale negotiation and lazy texts (server/engine/language.py)."""

from __future__ import annotations

import pytest

from server.engine import language
from server.engine.language import T, negotiate, use_locale


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        ("zh", "zh-CN"),
        ("zh-CN", "zh-CN"),
        ("zh-Hans", "zh-CN"),
        ("en", "en"),
        ("en-US", "en"),
        ("fr, en;q=0.5", "en"),
        ("en;q=0.4, zh-CN;q=0.9", "zh-CN"),
        ("zh;q=0.5, en;q=0.5", "zh-CN"),
        ("en;q=0, zh;q=0.1", "zh-CN"),
        ("fr, de", None),
        ("", None),
        (None, None),
        ("en;q=abc", None),
    ],
)
def test_accept_language_is_negotiated_with_q_values(header, locale):
    assert negotiate(header) == locale


def test_a_text_renders_in_the_locale_it_is_read_in(monkeypatch):
    monkeypatch.setattr(
        language,
        "translate",
        lambda t, loc=None: "%(n)s 个问题" if (loc or language.current_locale()) == "zh-CN" else t,
    )
    text = T("%(n)s problems", n=3)
    with use_locale("en"):
        assert str(text) == "3 problems"
    with use_locale("zh"):
        assert str(text) == "3 个问题"
        assert f"[{text}]" == "[3 个问题]"


def test_an_unknown_locale_falls_back_to_the_configured_one(monkeypatch):
    monkeypatch.setenv("SCORECARD_LOCALE", "en")
    with use_locale("fr") as chosen:
        assert chosen == "en"
    monkeypatch.delenv("SCORECARD_LOCALE")
    with use_locale(None) as chosen:
        assert chosen == "zh-CN"

"""The CLI speaks SCORECARD_LOCALE (default zh-CN): its own lines, the engine's problems and
the services' refusals, with paths, keys and numbers as they are."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from server.cli import main
from tests.cli.test_cli import write_yaml
from tests.conftest import ruleset_document


@pytest.fixture
def weights_95(tmp_path):
    document = ruleset_document()
    document["indicators"][0]["weight"] = 75
    return write_yaml(tmp_path / "team_lead.yaml", document)


@pytest.mark.parametrize(
    ("locale", "summary", "problem"),
    [
        (
            None,  # unset: zh-CN
            "：无效（1 个错误，0 个警告）",
            "/indicators: 指标权重合计 95，必须合计为 100（sales_attainment 75, visit_score 20）；"
            "请提高 5",
        ),
        (
            "en",
            ": invalid (1 errors, 0 warnings)",
            "/indicators: indicator weights sum to 95, they must sum to 100 "
            "(sales_attainment 75, visit_score 20); raise them by 5",
        ),
    ],
)
def test_validate_speaks_scorecard_locale(weights_95, monkeypatch, locale, summary, problem):
    if locale is None:
        monkeypatch.delenv("SCORECARD_LOCALE", raising=False)
    else:
        monkeypatch.setenv("SCORECARD_LOCALE", locale)
    result = CliRunner().invoke(main, ["rulesets", "validate", str(weights_95)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f"{weights_95}{summary}"
    assert problem in lines


def test_a_refusal_of_a_service_is_in_chinese(runner, monkeypatch):
    monkeypatch.setenv("SCORECARD_LOCALE", "zh-CN")
    result = runner.invoke(["keys", "revoke", "nobody"])
    assert result.exit_code == 1
    assert "没有名为 'nobody' 的密钥" in result.output
    result = runner.invoke(["periods", "close", "nobody", "2025-Q3"])
    assert "未知岗位 'nobody'" in result.output

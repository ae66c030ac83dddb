"""`scorecard rulesets validate` reports example coverage (SPEC §12); `rulesets publish`
refuses where every change needs approval."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner
from flask import Flask

from server import create_app, storage
from server.cli import main
from server.config import TestingConfig
from server.storage import RulesetVersion
from tests.conftest import ruleset_document

ROOT = Path(__file__).resolve().parents[2]


def test_validate_lists_the_examples_of_each_band_and_adjustment(monkeypatch):
    monkeypatch.setenv("SCORECARD_LOCALE", "en")
    path = ROOT / "rulesets" / "sales_representative.yaml"
    result = CliRunner().invoke(main, ["rulesets", "validate", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "  examples per rating band:" in lines
    assert "    pass: 基本完成目标" in lines
    assert "    phone_sales: 电话销售业绩下滑" in lines


def test_validate_warns_of_a_band_no_example_reaches(tmp_path, monkeypatch):
    monkeypatch.setenv("SCORECARD_LOCALE", "en")
    path = tmp_path / "team_lead.yaml"
    path.write_text(yaml.safe_dump(ruleset_document(), allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["rulesets", "validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "(0 errors, 3 warnings)" in result.output
    assert "    fail: no example" in result.output.splitlines()


def test_publish_is_refused_when_approval_is_required(database_url, monkeypatch, tmp_path):
    monkeypatch.setenv("SCORECARD_PUBLISH_APPROVAL", "required")
    app: Flask = create_app(TestingConfig(database_url))
    with app.app_context():
        storage.create_tables()
    path = tmp_path / "team_lead.yaml"
    path.write_text(yaml.safe_dump(ruleset_document(), allow_unicode=True), encoding="utf-8")
    try:
        result = CliRunner().invoke(
            main, ["rulesets", "publish", str(path), "--effective-from", "2025-Q1"], obj=app
        )
        assert result.exit_code == 1
        assert "/api/v1/rulesets/team_lead/proposals" in result.output
        with app.app_context():
            assert RulesetVersion.select().count() == 0
    finally:
        storage.dispose()

"""The `scorecard` command: init, serve, keys, rulesets validate/publish/export/diff."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from server.cli import instance_commands, main
from server.storage import ApiKey, AuditEntry, RulesetVersion
from tests.conftest import problem, ruleset_document

ROOT = Path(__file__).resolve().parents[2]


def write_yaml(path: Path, document) -> Path:
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def ruleset_file(tmp_path) -> Path:
    return write_yaml(tmp_path / "team_lead.yaml", ruleset_document())


@pytest.fixture
def broken_file(tmp_path) -> Path:
    document = ruleset_document(role="broken")
    document["indicators"][0]["formula"] = "actual_sales / nothing"
    return write_yaml(tmp_path / "broken.yaml", document)


def test_init_publishes_rulesets_of_roles_without_versions(app, runner, tmp_path, monkeypatch):
    folder = tmp_path / "rulesets"
    folder.mkdir()
    write_yaml(folder / "team_lead.yaml", ruleset_document())
    write_yaml(folder / "monthly.yaml", ruleset_document(role="monthly_lead", period="month"))
    monkeypatch.setattr(instance_commands, "RULESET_DIR", folder)
    result = runner.invoke(["init"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        versions = {(v.role, v.version, v.effective_from) for v in RulesetVersion.select()}
    assert versions == {("team_lead", 1, "2020-Q1"), ("monthly_lead", 1, "2020-01")}
    write_yaml(folder / "team_lead.yaml", ruleset_document(name="changed"))
    again = runner.invoke(["init"])
    assert again.exit_code == 0
    with app.app_context():
        assert RulesetVersion.select().count() == 2  # roles with a version are left alone


def test_init_reports_an_invalid_default_and_exits_1(
    app, runner, tmp_path, monkeypatch, broken_file
):
    monkeypatch.setattr(instance_commands, "RULESET_DIR", broken_file.parent)
    write_yaml(broken_file.parent / "team_lead.yaml", ruleset_document())
    result = runner.invoke(["init"])
    assert result.exit_code == 1
    assert "/indicators/0/formula: " in result.output
    with app.app_context():
        assert [v.role for v in RulesetVersion.select()] == ["team_lead"]


def test_init_loads_the_shipped_rulesets(app, runner):
    result = runner.invoke(["init"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        roles = {v.role for v in RulesetVersion.select()}
    shipped = {
        yaml.safe_load(p.read_text(encoding="utf-8"))["role"]
        for p in (ROOT / "rulesets").glob("*.yaml")
    }
    assert roles == shipped


def test_serve_runs_gunicorn_on_wsgi_app(monkeypatch):
    calls = []
    monkeypatch.setattr(os, "execv", lambda path, args: calls.append(args))
    result = CliRunner().invoke(main, ["serve", "--bind", "127.0.0.1:9999", "--workers", "3"])
    assert result.exit_code == 0, result.output
    [command] = calls
    assert command[1:3] == ["-m", "gunicorn"]
    assert command[command.index("--bind") + 1] == "127.0.0.1:9999"
    assert command[command.index("--workers") + 1] == "3"
    assert command[-1] == "wsgi:app"
    assert "http://127.0.0.1:9999/api/v1" in result.output
    assert "http://127.0.0.1:9999/admin" in result.output


def test_keys_create_prints_the_key_last_and_it_works(app, runner, client):
    result = runner.invoke(["keys", "create", "crm", "--scopes", "evaluate,read"])
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    assert key.startswith("sk_")
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get("/api/v1/roles", headers=headers).status_code == 200
    problem(client.post("/api/v1/rulesets/validate", json={}, headers=headers), 403)
    with app.app_context():
        row = ApiKey.get(ApiKey.name == "crm")
        assert key not in row.hash and row.hash.startswith("$argon2")
        assert AuditEntry.get(AuditEntry.action == "key.create").target == "key/crm"


def test_keys_create_rejects_a_duplicate_name_and_unknown_scopes(runner):
    assert runner.invoke(["keys", "create", "crm"]).exit_code == 0
    duplicate = runner.invoke(["keys", "create", "crm"])
    assert duplicate.exit_code == 1
    assert "exists" in duplicate.output
    assert runner.invoke(["keys", "create", "x", "--scopes", "read,admin"]).exit_code == 2


def test_keys_revoke_stops_the_key_at_once(app, runner, client):
    key = (
        runner.invoke(["keys", "create", "crm", "--scopes", "read"]).output.strip().splitlines()[-1]
    )
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get("/api/v1/roles", headers=headers).status_code == 200
    result = runner.invoke(["keys", "revoke", "crm"])
    assert result.exit_code == 0
    problem(client.get("/api/v1/roles", headers=headers), 401)
    assert runner.invoke(["keys", "revoke", "nobody"]).exit_code == 1


def test_rulesets_validate_needs_no_database(ruleset_file, broken_file, monkeypatch):
    monkeypatch.setenv("SCORECARD_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    good = CliRunner().invoke(main, ["rulesets", "validate", str(ruleset_file)])
    assert good.exit_code == 0, good.output
    assert "valid" in good.output
    bad = CliRunner().invoke(main, ["rulesets", "validate", str(ruleset_file), str(broken_file)])
    assert bad.exit_code == 1
    lines = bad.output.splitlines()
    assert any(line.startswith("/indicators/0/formula: ") for line in lines)


def test_rulesets_validate_reports_yaml_errors(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("role: [unclosed\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["rulesets", "validate", str(path)])
    assert result.exit_code == 1
    assert "YAML" in result.output


def test_rulesets_publish_and_export(app, runner, ruleset_file, broken_file):
    result = runner.invoke(
        ["rulesets", "publish", str(ruleset_file), "--effective-from", "2025-Q1", "--note", "首版"]
    )
    assert result.exit_code == 0, result.output
    assert "published team_lead version 1" in result.output
    again = runner.invoke(["rulesets", "publish", str(ruleset_file), "--effective-from", "2025-Q2"])
    assert again.exit_code == 0
    assert "unchanged" in again.output
    with app.app_context():
        row = RulesetVersion.get()
    assert (row.note, row.effective_from, row.created_by.startswith("cli")) == (
        "首版",
        "2025-Q1",
        True,
    )

    exported = runner.invoke(["rulesets", "export", "team_lead"])
    assert exported.exit_code == 0
    assert yaml.safe_load(exported.output) == ruleset_document()
    assert runner.invoke(["rulesets", "export", "team_lead", "--version", "1"]).exit_code == 0
    assert runner.invoke(["rulesets", "export", "team_lead", "--version", "2"]).exit_code == 1
    assert runner.invoke(["rulesets", "export", "nobody"]).exit_code == 1


def test_rulesets_publish_lists_problems(app, runner, ruleset_file, broken_file):
    bad = runner.invoke(["rulesets", "publish", str(broken_file), "--effective-from", "2025-Q1"])
    assert bad.exit_code == 1
    assert "/indicators/0/formula: " in bad.output
    wrong_kind = runner.invoke(
        ["rulesets", "publish", str(ruleset_file), "--effective-from", "2025-07"]
    )
    assert wrong_kind.exit_code == 1
    assert "--effective-from: " in wrong_kind.output
    with app.app_context():
        assert RulesetVersion.select().count() == 0


def test_rulesets_diff_prints_a_summary_per_change(tmp_path, ruleset_file):
    changed = ruleset_document()
    changed["indicators"][0]["weight"] = 70
    changed["indicators"][1]["weight"] = 30
    new = write_yaml(tmp_path / "new.yaml", changed)
    result = CliRunner().invoke(main, ["rulesets", "diff", str(ruleset_file), str(new)])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 2
    assert "销售额达成率" in lines[0] and "80" in lines[0] and "70" in lines[0]
    same = CliRunner().invoke(main, ["rulesets", "diff", str(ruleset_file), str(ruleset_file)])
    assert same.output.strip() == "no changes"

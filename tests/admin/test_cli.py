"""`scorecard users create` and the first administrator written to instance/."""

from __future__ import annotations

import stat

from admin.auth import check_password
from admin.user_commands import ensure_default_admin
from server.storage.console_models import User
from tests.admin.conftest import log_in


def test_users_create_reads_the_password_from_standard_input(app, runner):
    result = runner.invoke(
        ["users", "create", "erin", "--role", "auditor"], input="erin-password-1\n"
    )
    assert result.exit_code == 0, result.output
    assert "created auditor user erin" in result.output
    assert log_in(app.test_client(), "erin", "erin-password-1").status_code == 302


def test_users_create_refuses_a_short_password_and_unknown_roles(app, runner):
    short = runner.invoke(["users", "create", "erin", "--role", "hr"], input="short\n")
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    wrong = runner.invoke(["users", "create", "erin", "--role", "boss"], input="erin-password-1\n")
    assert wrong.exit_code == 2
    with app.app_context():
        assert User.select().count() == 0


def test_the_first_admin_gets_a_random_password_in_a_private_file(app, tmp_path):
    with app.app_context():
        message = ensure_default_admin(tmp_path)
        assert "log in as admin" in message
        path = tmp_path / "admin-password.txt"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        password = path.read_text().strip()
        assert check_password(User.get(User.username == "admin").password_hash, password)
        assert ensure_default_admin(tmp_path) is None  # only when there is no user yet

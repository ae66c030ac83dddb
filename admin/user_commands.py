"""`scorecard users ...` (SPEC §8) and the first administrator created by `make run`."""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import Flask, current_app, has_app_context

from server.engine.language import T
from server.engine.problems import reason
from server.storage.console_models import ROLES

PASSWORD_FILE = "admin-password.txt"
DEFAULT_ADMIN = "admin"


@contextmanager
def _app(ctx: click.Context | None = None) -> Iterator[Flask]:
    """The current app, the one the caller passed as `obj`, or one built from the environment."""
    if has_app_context():
        yield current_app._get_current_object()
        return
    from server import create_app

    obj = ctx.find_object(Flask) if ctx is not None else None
    app = obj if isinstance(obj, Flask) else create_app()
    with app.app_context():
        yield app


def _create_tables() -> None:
    """The API's tables (the audit log) and the console's, if they do not exist yet."""
    from server import storage

    storage.create_tables()
    storage.create_console_tables()


def _read_password() -> str:
    """From standard input when it is not a terminal (one line), else prompted twice, hidden."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@click.group("users")
def users() -> None:
    """Console users (roles: hr, auditor, admin, approver)."""


@users.command("create")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(ROLES),
    required=True,
    help="hr edits and publishes, auditor only reads, approver reads and approves proposals, "
    "admin also approves and manages users and keys",
)
@click.pass_context
def users_create(ctx: click.Context, name: str, role: str) -> None:
    """Create a console user; the password comes from standard input or a prompt."""
    from admin import auth

    password = _read_password()
    with _app(ctx):
        _create_tables()
        try:
            user = auth.create_user(name, password, role, "cli")
        except ValueError as exc:
            raise click.ClickException(str(reason(exc))) from None
    click.echo(T("created %(role)s user %(name)s", role=role, name=user.username))


def ensure_default_admin(instance_dir: Path | None = None) -> str | None:
    """With no console user yet, create `admin` with a random password kept in instance/."""
    from admin import auth
    from server.config import INSTANCE_DIR
    from server.storage import console_queries

    with _app():
        _create_tables()
        if console_queries.any_user():
            return None
        password = secrets.token_urlsafe(18)
        directory = instance_dir or INSTANCE_DIR
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / PASSWORD_FILE
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(password + "\n")
        os.chmod(path, 0o600)  # an existing file keeps its mode through O_CREAT
        try:
            auth.create_user(DEFAULT_ADMIN, password, "admin", "system")
        except Exception:
            path.unlink(missing_ok=True)
            raise
    return str(
        T(
            "console: log in as admin at the address `scorecard serve` prints, with the password "
            "in instance/%(file)s",
            file=PASSWORD_FILE,
        )
    )

"""The `scorecard` command: set up the database, serve, manage API keys and rulesets."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import click
from flask import Flask

from server.config import PROJECT_ROOT

RULESET_DIR = PROJECT_ROOT / "rulesets"
INITIAL_DAY = date(2020, 1, 1)  # `init` publishes the defaults effective from the period holding it
KINDS = ("month", "quarter", "half", "year")
WORKER_TIMEOUT_S = 120  # a batch of 10,000 items must not be cut off by gunicorn's default 30 s


@contextmanager
def app_context(ctx: click.Context) -> Iterator[Flask]:
    """The app given by the caller (tests pass one as `obj`) or one built from the environment."""
    from server import create_app

    app = ctx.obj if isinstance(ctx.obj, Flask) else create_app()
    with app.app_context():
        yield app


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _read_document(path: str) -> Any:
    from server.engine import DocumentInvalid, load_document

    try:
        return load_document(Path(path).read_text(encoding="utf-8"))
    except (DocumentInvalid, UnicodeDecodeError, OSError) as exc:
        problems = getattr(exc, "problems", None)
        message = problems[0].message if problems else str(exc)
        raise click.ClickException(f"{path}: {message}") from None


def _echo_problems(problems: list[Any], warning: bool = False) -> None:
    for problem in problems:
        path = problem.path.removeprefix("/document") or "/"
        if path == "/effective_from":
            path = "--effective-from"
        click.echo(f"{path}: {'warning: ' if warning else ''}{problem.message}")


@click.group()
def main() -> None:
    """Scorecard: a rules-as-configuration server for sales scorecards."""


@main.command()
@click.pass_context
def init(ctx: click.Context) -> None:
    """Create the tables and publish rulesets/*.yaml for roles that have no version yet."""
    from server import rulesets, storage
    from server.engine import current_period
    from server.errors import Unprocessable

    failed = False
    with app_context(ctx) as app:
        storage.create_tables()
        click.echo(f"database ready: {_safe_url(app.config['DATABASE_URL'])}")
        for path in sorted(RULESET_DIR.glob("*.yaml")):
            document = _read_document(str(path))
            role = document.get("role") if isinstance(document, dict) else None
            if not isinstance(role, str) or rulesets.versions_of(role):
                continue
            kind = document.get("period")
            start = current_period(kind if kind in KINDS else "year", INITIAL_DAY)
            try:
                published = rulesets.publish(
                    role, document, start, f"initial version from rulesets/{path.name}", _actor()
                )
            except Unprocessable as exc:
                failed = True
                click.echo(f"{path}: not published")
                _echo_problems(exc.problems)
                continue
            click.echo(f"published {role} version {published.row.version}, effective from {start}")
        _init_console()
    if failed:
        sys.exit(1)


def _init_console() -> None:
    """The console's tables, and a first admin user when there is none (its password is filed)."""
    from admin.cli import ensure_default_admin
    from admin.models import create_tables as create_console_tables

    create_console_tables()
    message = ensure_default_admin()
    if message:
        click.echo(message)


def _safe_url(url: str) -> str:
    """The database URL without its password."""
    scheme, sep, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if at and ":" in credentials:
        credentials = credentials.split(":", 1)[0] + ":***"
    return f"{scheme}{sep}{credentials}{at}{host}"


@main.command()
@click.option("--bind", default="127.0.0.1:8000", show_default=True, help="HOST:PORT to listen on")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
def serve(bind: str, workers: int) -> None:
    """Run the server under gunicorn (wsgi:app)."""
    from server.config import database_url

    base = f"http://{bind}"
    click.echo(f"Scorecard on {base}")
    click.echo(f"  API base   {base}/api/v1")
    click.echo(f"  OpenAPI    {base}/api/v1/openapi.json")
    click.echo(f"  console    {base}/admin")
    click.echo(f"  health     {base}/healthz  {base}/readyz")
    click.echo(f"  database   {_safe_url(database_url())}")
    sys.stdout.flush()
    command = [sys.executable, "-m", "gunicorn", "--bind", bind, "--workers", str(workers)]
    command += ["--timeout", str(WORKER_TIMEOUT_S)]
    command += ["--chdir", str(PROJECT_ROOT), "wsgi:app"]
    os.execv(sys.executable, command)


@main.group()
def keys() -> None:
    """Create and revoke API keys."""


@keys.command("create")
@click.argument("name")
@click.option(
    "--scopes",
    default="evaluate,read",
    show_default=True,
    help="comma-separated: evaluate,read,publish",
)
@click.pass_context
def keys_create(ctx: click.Context, name: str, scopes: str) -> None:
    """Create an API key; the key is the last line printed, shown this once."""
    from server import auth
    from server.storage import ApiKey

    try:
        scope_list = auth.parse_scopes(scopes)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--scopes") from None
    if not name.strip() or len(name) > 200 or "\x00" in name:
        raise click.BadParameter("a key name has 1-200 characters", param_hint="NAME")
    with app_context(ctx):
        if ApiKey.get_or_none(ApiKey.name == name) is not None:
            raise click.ClickException(f"a key named {name!r} exists already")
        _, key = auth.create_key(name, scope_list, _actor())
    click.echo(f"created key {name!r} with scopes {','.join(scope_list)}; it is not shown again:")
    click.echo(key)


@keys.command("revoke")
@click.argument("name")
@click.pass_context
def keys_revoke(ctx: click.Context, name: str) -> None:
    """Revoke an API key at once, in every worker."""
    from server import auth

    with app_context(ctx):
        row = auth.revoke_key(name, _actor())
    if row is None:
        raise click.ClickException(f"no key named {name!r}")
    click.echo(f"revoked key {name!r}")


@main.group("rulesets")
def rulesets_group() -> None:
    """Validate, publish, export and compare rulesets."""


@rulesets_group.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def rulesets_validate(files: tuple[str, ...]) -> None:
    """Validate ruleset files (examples included); no server or database needed."""
    from server.engine import Problem, validate_document

    failed = False
    for path in files:
        document = _read_document(path)
        if not isinstance(document, dict):
            report_errors, report_warnings = [Problem("", "a ruleset document is a mapping")], []
        else:
            report = validate_document(document, check_examples=True)
            report_errors, report_warnings = report.errors, report.warnings
        state = "invalid" if report_errors else "valid"
        click.echo(
            f"{path}: {state} ({len(report_errors)} errors, {len(report_warnings)} warnings)"
        )
        _echo_problems(report_errors)
        _echo_problems(report_warnings, warning=True)
        failed = failed or bool(report_errors)
    if failed:
        sys.exit(1)


@rulesets_group.command("publish")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--effective-from", "effective_from", required=True, help="a period of the ruleset's kind"
)
@click.option("--note", default="", help="what changed and why")
@click.pass_context
def rulesets_publish(ctx: click.Context, file: str, effective_from: str, note: str) -> None:
    """Publish a ruleset file as its role's next version."""
    from server import rulesets
    from server.errors import Unprocessable

    document = _read_document(file)
    if not isinstance(document, dict) or not isinstance(document.get("role"), str):
        raise click.ClickException(f"{file}: a ruleset document is a mapping with a role")
    with app_context(ctx):
        try:
            published = rulesets.publish(document["role"], document, effective_from, note, _actor())
        except Unprocessable as exc:
            click.echo(f"{file}: not published")
            _echo_problems(exc.problems)
            sys.exit(1)
    row = published.row
    if published.created:
        click.echo(
            f"published {row.role} version {row.version} ({row.hash}), effective from {row.effective_from}"
        )
    else:
        click.echo(f"unchanged: {row.role} version {row.version} is this document")
    _echo_problems(published.warnings, warning=True)


@rulesets_group.command("export")
@click.argument("role")
@click.option("--version", "version", type=int, default=None, help="default: the latest")
@click.pass_context
def rulesets_export(ctx: click.Context, role: str, version: int | None) -> None:
    """Print a published version as YAML."""
    from server import rulesets
    from server.engine import dump_yaml

    with app_context(ctx):
        row = (
            rulesets.latest_version(role)
            if version is None
            else rulesets.get_version(role, version)
        )
    if row is None:
        raise click.ClickException(f"{role} has no version {version or ''}".rstrip())
    click.echo(dump_yaml(row.document), nl=False)


@rulesets_group.command("diff")
@click.argument("old", type=click.Path(exists=True, dir_okay=False))
@click.argument("new", type=click.Path(exists=True, dir_okay=False))
def rulesets_diff(old: str, new: str) -> None:
    """Print what changes from OLD to NEW, one sentence per change; no server needed."""
    from server.engine import diff_documents

    changes = diff_documents(_read_document(old), _read_document(new))
    for change in changes:
        click.echo(change["summary"])
    if not changes:
        click.echo("no changes")


def _attach_console_commands() -> None:
    """`scorecard users create ...` comes with the admin console (SPEC §8): it plugs in here."""
    try:
        from admin.cli import users  # type: ignore[import-not-found]
    except ImportError:
        return
    main.add_command(users)


_attach_console_commands()


def _attach_data_commands() -> None:
    """`scorecard evaluate` and `scorecard periods` live in server/cli_evaluate.py."""
    from server.cli_evaluate import attach

    attach(main)


_attach_data_commands()

"""`scorecard init` (tables and the default rulesets) and `scorecard serve` (gunicorn)."""

from __future__ import annotations

import os
import sys
from datetime import date

import click

from server.cli.context import actor, app_context, echo_issues, read_document
from server.config import PROJECT_ROOT
from server.engine.language import T

RULESET_DIR = PROJECT_ROOT / "rulesets"
INITIAL_DAY = date(2020, 1, 1)  # `init` publishes the defaults effective from the period holding it
KINDS = ("month", "quarter", "half", "year")
WORKER_TIMEOUT_S = 120  # a batch of 10,000 items must not be cut off by gunicorn's default 30 s
OPTIONS = {"effective_from": "--effective-from"}  # what `init` chose for a publish's field


@click.command()
@click.pass_context
def init(ctx: click.Context) -> None:
    """Create the tables and publish rulesets/*.yaml for roles that have no version yet."""
    from server import storage
    from server.engine import current_period
    from server.services import publishing
    from server.services.domain_errors import Invalid
    from server.storage import version_queries

    failed = False
    with app_context(ctx) as app:
        storage.create_tables()
        click.echo(T("database ready: %(url)s", url=_safe_url(app.config["DATABASE_URL"])))
        for path in sorted(RULESET_DIR.glob("*.yaml")):
            document = read_document(str(path))
            role = document.get("role") if isinstance(document, dict) else None
            if not isinstance(role, str) or version_queries.versions_of(role):
                continue
            kind = document.get("period")
            start = current_period(kind if kind in KINDS else "year", INITIAL_DAY)
            try:
                published = publishing.publish(
                    role, document, start, f"initial version from rulesets/{path.name}", actor()
                )
            except Invalid as exc:
                failed = True
                click.echo(T("%(file)s: not published", file=path))
                echo_issues(exc.issues, OPTIONS)
                continue
            click.echo(
                T(
                    "published %(role)s version %(version)s, effective from %(start)s",
                    role=role,
                    version=published.row.version,
                    start=start,
                )
            )
        _init_console()
    if failed:
        sys.exit(1)


def _init_console() -> None:
    """The console's tables, and a first admin user when there is none (its password is filed)."""
    from admin.user_commands import ensure_default_admin
    from server.storage import create_console_tables

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


@click.command()
@click.option("--bind", default="127.0.0.1:8000", show_default=True, help="HOST:PORT to listen on")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
def serve(bind: str, workers: int) -> None:
    """Run the server under gunicorn (wsgi:app)."""
    from server.config import database_url

    base = f"http://{bind}"
    click.echo(T("Scorecard on %(url)s", url=base))
    addresses = [
        (T("API base"), f"{base}/api/v1"),
        ("OpenAPI", f"{base}/api/v1/openapi.json"),
        (T("console"), f"{base}/admin"),
        (T("health"), f"{base}/healthz  {base}/readyz"),
        (T("database"), _safe_url(database_url())),
    ]
    for label, address in addresses:
        line = f"  {label!s:<10} {address}"
        click.echo(line)
    sys.stdout.flush()
    command = [sys.executable, "-m", "gunicorn", "--bind", bind, "--workers", str(workers)]
    command += ["--timeout", str(WORKER_TIMEOUT_S)]
    command += ["--chdir", str(PROJECT_ROOT), "wsgi:app"]
    os.execv(sys.executable, command)

"""`scorecard periods close|reopen`: a closed period takes no new revisions."""

from __future__ import annotations

import click

from server.cli.context import actor, app_context
from server.engine.language import T
from server.services.domain_errors import DomainError


@click.group()
def periods() -> None:
    """Close a role's period (no new revisions) or reopen it."""


@periods.command("close")
@click.argument("role")
@click.argument("period")
@click.option("--reason", default=None, help="why the period is closed")
@click.pass_context
def periods_close(ctx: click.Context, role: str, period: str, reason: str | None) -> None:
    """Close ROLE's PERIOD: no new revision is stored until it is reopened."""
    from server.services import period_closing

    with app_context(ctx):
        try:
            period_closing.close(role, period, actor(), reason)
        except DomainError as exc:
            raise click.ClickException(str(exc.detail)) from None
    click.echo(T("%(role)s %(period)s is closed", role=role, period=period))


@periods.command("reopen")
@click.argument("role")
@click.argument("period")
@click.option("--reason", required=True, help="why the period is reopened")
@click.pass_context
def periods_reopen(ctx: click.Context, role: str, period: str, reason: str) -> None:
    """Reopen ROLE's PERIOD, with a reason kept in the audit log."""
    from server.services import period_closing

    with app_context(ctx):
        try:
            period_closing.reopen(role, period, actor(), reason)
        except DomainError as exc:
            message = exc.issues[0].message if exc.issues else exc.detail
            raise click.ClickException(str(message)) from None
    click.echo(T("%(role)s %(period)s is open", role=role, period=period))

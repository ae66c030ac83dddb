"""`scorecard keys create|revoke`: API keys for client systems."""

from __future__ import annotations

import click

from server.cli.context import actor, app_context
from server.engine.language import T
from server.engine.problems import reason


@click.group()
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
    from server.services import api_keys
    from server.storage import key_queries

    try:
        scope_list = api_keys.parse_scopes(scopes)
    except ValueError as exc:
        raise click.BadParameter(str(reason(exc)), param_hint="--scopes") from None
    if not name.strip() or len(name) > 200 or "\x00" in name:
        raise click.BadParameter(T("a key name has 1-200 characters"), param_hint="NAME")
    with app_context(ctx):
        if key_queries.key_named(name) is not None:
            raise click.ClickException(T("a key named %(name)r exists already", name=name))
        _, key = api_keys.create_key(name, scope_list, actor())
    click.echo(
        T(
            "created key %(name)r with scopes %(scopes)s; it is not shown again:",
            name=name,
            scopes=",".join(scope_list),
        )
    )
    click.echo(key)


@keys.command("revoke")
@click.argument("name")
@click.pass_context
def keys_revoke(ctx: click.Context, name: str) -> None:
    """Revoke an API key at once, in every worker."""
    from server.services import api_keys

    with app_context(ctx):
        row = api_keys.revoke_key(name, actor())
    if row is None:
        raise click.ClickException(T("no key named %(name)r", name=name))
    click.echo(T("revoked key %(name)r", name=name))

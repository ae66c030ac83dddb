"""The `scorecard` command: each group of subcommands lives in a module and is attached here."""

from __future__ import annotations

import click

from admin.user_commands import users
from server.cli.evaluate_command import evaluate
from server.cli.instance_commands import init, serve
from server.cli.key_commands import keys
from server.cli.period_commands import periods
from server.cli.plan_commands import plans
from server.cli.ruleset_commands import rulesets_group


@click.group()
def main() -> None:
    """Scorecard: a rules-as-configuration server for sales scorecards."""


for command in (init, serve, keys, rulesets_group, evaluate, periods, plans, users):
    main.add_command(command)

__all__ = ["main"]

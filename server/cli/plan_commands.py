"""`scorecard plans import`: a spreadsheet of period plans stored all or none (SPEC §8, §9).

The file is read and checked by server.services.plan_sheets, as the console's plans page
reads it: every problem is listed by row and column and nothing is stored unless every row
is good.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from server.cli.context import actor, app_context
from server.engine.language import T

OPTIONS = {"role": "--role", "period": "--period"}  # the fields given as options


def echo_rows(problems: list) -> None:
    """One line per problem of the file: its row and column, its message."""
    for problem in problems:
        where = "file" if problem.row == 0 else f"row {problem.row}"
        column = f", column {problem.column}" if problem.column else ""
        click.echo(f"{where}{column}: {problem.message}", err=True)


def refuse(exc: Exception) -> click.ClickException:
    """A ClickException from a refusal, its issues named by the options that gave them."""
    issues = getattr(exc, "issues", [])
    text = "; ".join(f"{OPTIONS.get(i.field, '--file')}: {i.message}" for i in issues)
    return click.ClickException(text or str(exc))


@click.group()
def plans() -> None:
    """Period plans: the targets HR sets before the period (目标责任书)."""


@plans.command("import")
@click.option("--role", required=True, help="the role whose plans the file holds")
@click.option("--period", required=True, help="the period of every row, e.g. 2025-Q3")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--reason", default=None, help="the reason of rows without one (changed plans)")
@click.pass_context
def plans_import(ctx: click.Context, role: str, period: str, file: str, reason: str | None) -> None:
    """Import a CSV or XLSX file of plans: one row per employee, a column per plan input
    (headed by its label or name), an employee ID column and an optional reason column."""
    from tqdm import tqdm

    from server.services import plan_sheets, spreadsheet
    from server.services.domain_errors import DomainError
    from server.services.table_files import TableRefused, read_table

    try:
        sheet = read_table(file, Path(file).read_bytes())
    except TableRefused as exc:
        raise click.ClickException(f"{file}: {exc}") from None
    with app_context(ctx):
        try:
            resolved = spreadsheet.resolve_target(role, period)
        except DomainError as exc:
            raise refuse(exc) from None
        with tqdm(
            total=len(sheet.rows), desc="checking", unit="row", file=sys.stderr, leave=False
        ) as bar:
            rows = plan_sheets.read_plans(
                sheet, role, period, resolved.compiled, reason, lambda n: bar.update(1)
            )
        if rows.problems:
            echo_rows(spreadsheet.ordered(rows.problems))
            click.echo(
                T("%(file)s: %(n)s problems; nothing was stored", file=file, n=len(rows.problems)),
                err=True,
            )
            sys.exit(1)
        try:
            answers = plan_sheets.store_rows(rows, actor())
        except spreadsheet.RowsRejected as exc:
            echo_rows(exc.problems)
            click.echo(T("%(file)s: nothing was stored", file=file), err=True)
            sys.exit(1)
    new = sum(1 for _, created in answers if created)
    click.echo(
        T(
            "stored %(new)s new plan revisions for %(role)s %(period)s (%(same)s unchanged)",
            new=new,
            role=role,
            period=period,
            same=len(answers) - new,
        ),
        err=True,
    )

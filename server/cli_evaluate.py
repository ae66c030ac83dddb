"""`scorecard evaluate` (a spreadsheet of a period evaluated, optionally stored) and
`scorecard periods close|reopen`.

The file is read and checked by server.tabular and server.importing, as the console's
import does: every problem is listed by row and column and nothing is stored unless every
row is good.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from server.cli import _actor, app_context


def _echo_rows(problems: list) -> None:
    for problem in problems:
        where = "file" if problem.row == 0 else f"row {problem.row}"
        column = f", column {problem.column}" if problem.column else ""
        click.echo(f"{where}{column}: {problem.message}", err=True)


def _refuse(exc: Exception) -> click.ClickException:
    """A ClickException from an API error, its problems named like options."""
    problems = getattr(exc, "problems", [])
    text = "; ".join(f"--{p.path.strip('/') or 'file'}: {p.message}" for p in problems)
    return click.ClickException(text or str(exc))


@click.command()
@click.option("--role", required=True, help="the role whose ruleset evaluates the file")
@click.option("--period", required=True, help="the period of every row, e.g. 2025-Q3")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    default=None,
    help="write the results to FILE.csv or FILE.xlsx (default: CSV on standard output)",
)
@click.option(
    "--store", is_flag=True, help="store the results too: every row or, on any problem, none"
)
@click.option("--reason", default=None, help="the reason of rows without one (new revisions)")
@click.pass_context
def evaluate(
    ctx: click.Context,
    role: str,
    period: str,
    file: str,
    out: str | None,
    store: bool,
    reason: str | None,
) -> None:
    """Evaluate a CSV or XLSX file of a period: one row per employee, a column per input
    (headed by the input's name or label), `employee_id` and optional `reason` columns."""
    from tqdm import tqdm

    from server import importing, reports
    from server.errors import ApiError
    from server.tabular import TableRefused, file_format, read_table, table_bytes

    try:
        out_kind = file_format(out) if out else "csv"
    except TableRefused as exc:
        raise click.BadParameter(str(exc), param_hint="--out") from None
    try:
        sheet = read_table(file, Path(file).read_bytes())
    except TableRefused as exc:
        raise click.ClickException(f"{file}: {exc}") from None
    except OSError as exc:
        raise click.ClickException(f"{file}: {exc.strerror}") from None
    with app_context(ctx):
        try:
            resolved = importing.resolve_target(role, period)
        except ApiError as exc:
            raise _refuse(exc) from None
        rows = importing.build_bodies(sheet, role, period, resolved.compiled.document, reason)
        with tqdm(
            total=len(rows.bodies), desc="evaluating", unit="row", file=sys.stderr, leave=False
        ) as bar:
            results = importing.evaluate_rows(rows, resolved, lambda n: bar.update(1))
        if rows.problems:
            _echo_rows(importing.ordered(rows.problems))
            click.echo(f"{file}: {len(rows.problems)} problems; nothing was stored", err=True)
            sys.exit(1)
        new = 0
        if store:
            try:
                answers = importing.store_rows(rows, _actor())
            except importing.RowsRejected as exc:
                _echo_rows(exc.problems)
                click.echo(f"{file}: nothing was stored", err=True)
                sys.exit(1)
            results = [answer for answer, _ in answers]
            new = sum(1 for _, created in answers if created)
        header, table = reports.results_table(results, resolved.compiled)
    if out:
        Path(out).write_bytes(table_bytes(out_kind, header, table, f"{role} {period}"))
    else:
        click.echo(table_bytes("csv", header, table).decode("utf-8-sig"), nl=False)
    done = f"evaluated {len(results)} rows with {role} version {resolved.ruleset['version']}"
    if store:
        done += f"; stored {new} new revisions ({len(results) - new} unchanged)"
    click.echo(done + (f"; wrote {out}" if out else ""), err=True)


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
    from server import periods as service
    from server.errors import ApiError

    with app_context(ctx):
        try:
            service.close(role, period, _actor(), reason)
        except ApiError as exc:
            raise click.ClickException(exc.detail) from None
    click.echo(f"{role} {period} is closed")


@periods.command("reopen")
@click.argument("role")
@click.argument("period")
@click.option("--reason", required=True, help="why the period is reopened")
@click.pass_context
def periods_reopen(ctx: click.Context, role: str, period: str, reason: str) -> None:
    """Reopen ROLE's PERIOD, with a reason kept in the audit log."""
    from server import periods as service
    from server.errors import ApiError

    with app_context(ctx):
        try:
            service.reopen(role, period, _actor(), reason)
        except ApiError as exc:
            problems = getattr(exc, "problems", [])
            raise click.ClickException(problems[0].message if problems else exc.detail) from None
    click.echo(f"{role} {period} is open")


def attach(main: click.Group) -> None:
    """Add `evaluate` and `periods` to the `scorecard` command."""
    main.add_command(evaluate)
    main.add_command(periods)

"""`scorecard evaluate`: a spreadsheet of a period evaluated, optionally stored.

The file is read and checked by server.services.table_files and .spreadsheet, as the
console's import does: every problem is listed by row and column and nothing is stored
unless every row is good.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from server.cli.context import actor, app_context
from server.engine.language import T
from server.services.domain_errors import DomainError

OPTIONS = {"role": "--role", "period": "--period"}  # the fields given as options


def _echo_rows(problems: list) -> None:
    for problem in problems:
        if problem.row == 0:
            where = T("file")
        elif problem.column:
            where = T("row %(row)s, column %(column)s", row=problem.row, column=problem.column)
        else:
            where = T("row %(row)s", row=problem.row)
        click.echo(f"{where}: {problem.message}", err=True)


def _refuse(exc: DomainError) -> click.ClickException:
    """A ClickException from a refusal, its issues named by the options that gave them."""
    text = "; ".join(f"{OPTIONS.get(i.field, '--file')}: {i.message}" for i in exc.issues)
    return click.ClickException(text or str(exc.detail))


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

    from server.services import reports, spreadsheet
    from server.services.table_files import TableRefused, file_format, read_table, table_bytes

    try:
        out_kind = file_format(out) if out else "csv"
    except TableRefused as exc:
        raise click.BadParameter(str(exc.message), param_hint="--out") from None
    try:
        sheet = read_table(file, Path(file).read_bytes())
    except TableRefused as exc:
        raise click.ClickException(f"{file}: {exc.message}") from None
    except OSError as exc:  # the system's own words (No such file or directory, ...)
        raise click.ClickException(f"{file}: {exc.strerror}") from None
    with app_context(ctx):
        try:
            resolved = spreadsheet.resolve_target(role, period)
        except DomainError as exc:
            raise _refuse(exc) from None
        rows = spreadsheet.build_bodies(sheet, role, period, resolved.compiled.document, reason)
        with tqdm(
            total=len(rows.bodies), desc="evaluating", unit="row", file=sys.stderr, leave=False
        ) as bar:
            results = spreadsheet.evaluate_rows(rows, resolved, lambda n: bar.update(1))
        if rows.problems:
            _echo_rows(spreadsheet.ordered(rows.problems))
            click.echo(
                T("%(file)s: %(n)s problems; nothing was stored", file=file, n=len(rows.problems)),
                err=True,
            )
            sys.exit(1)
        new = 0
        if store:
            try:
                answers = spreadsheet.store_rows(rows, actor())
            except spreadsheet.RowsRejected as exc:
                _echo_rows(exc.problems)
                click.echo(T("%(file)s: nothing was stored", file=file), err=True)
                sys.exit(1)
            results = [answer for answer, _ in answers]
            new = sum(1 for _, created in answers if created)
        header, table = reports.results_table(results, resolved.compiled)
    if out:
        Path(out).write_bytes(table_bytes(out_kind, header, table, f"{role} {period}"))
    else:
        click.echo(table_bytes("csv", header, table).decode("utf-8-sig"), nl=False)
    parts = [
        T(
            "evaluated %(n)s rows with %(role)s version %(version)s",
            n=len(results),
            role=role,
            version=resolved.ruleset["version"],
        )
    ]
    if store:
        parts.append(
            T(
                "stored %(new)s new revisions (%(same)s unchanged)",
                new=new,
                same=len(results) - new,
            )
        )
    if out:
        parts.append(T("wrote %(file)s", file=out))
    click.echo("; ".join(str(part) for part in parts), err=True)

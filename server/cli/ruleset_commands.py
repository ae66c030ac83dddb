"""`scorecard rulesets validate|publish|export|diff`."""

from __future__ import annotations

import sys

import click

from server.cli.context import actor, app_context, echo_issues, echo_problems, read_document
from server.engine.language import T

PUBLISH_OPTIONS = {"effective_from": "--effective-from"}  # publish's fields given as options


@click.group("rulesets")
def rulesets_group() -> None:
    """Validate, publish, export and compare rulesets."""


@rulesets_group.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def rulesets_validate(files: tuple[str, ...]) -> None:
    """Validate ruleset files (examples included); no server or database needed."""
    from server.engine import Problem, validate_document

    failed = False
    for path in files:
        document = read_document(path)
        coverage = None
        if not isinstance(document, dict):
            report_errors = [Problem("", T("a ruleset document is a mapping"))]
            report_warnings = []
        else:
            report = validate_document(document, check_examples=True)
            report_errors, report_warnings = report.errors, report.warnings
            coverage = report.coverage
        counts = {"file": path, "errors": len(report_errors), "warnings": len(report_warnings)}
        click.echo(
            T("%(file)s: invalid (%(errors)s errors, %(warnings)s warnings)", **counts)
            if report_errors
            else T("%(file)s: valid (%(errors)s errors, %(warnings)s warnings)", **counts)
        )
        echo_problems(report_errors)
        echo_problems(report_warnings, warning=True)
        echo_coverage(coverage)
        failed = failed or bool(report_errors)
    if failed:
        sys.exit(1)


def echo_coverage(coverage: dict | None) -> None:
    """Which golden examples end in each rating band and fire each adjustment (SPEC §12)."""
    from server.engine.language import T

    if coverage is None:
        return
    none = T("no example")
    for heading, found in (
        (T("examples per rating band"), coverage["ratings"]),
        (T("examples per adjustment"), coverage["adjustments"]),
    ):
        if not found:
            continue
        click.echo(f"  {heading}:")
        for key, names in found.items():
            click.echo(f"    {key}: {', '.join(names) if names else none}")


@rulesets_group.command("publish")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--effective-from", "effective_from", required=True, help="a period of the ruleset's kind"
)
@click.option("--note", default="", help="what changed and why")
@click.pass_context
def rulesets_publish(ctx: click.Context, file: str, effective_from: str, note: str) -> None:
    """Publish a ruleset file as its role's next version."""
    from server.config import approval_required
    from server.services import publishing
    from server.services.domain_errors import Invalid, Refused

    document = read_document(file)
    if not isinstance(document, dict) or not isinstance(document.get("role"), str):
        raise click.ClickException(
            T("%(file)s: a ruleset document is a mapping with a role", file=file)
        )
    with app_context(ctx) as app:
        try:
            published = publishing.publish(
                document["role"],
                document,
                effective_from,
                note,
                actor(),
                approval_required=approval_required(app.config),
            )
        except Refused as exc:
            raise click.ClickException(str(exc.detail)) from None
        except Invalid as exc:
            click.echo(T("%(file)s: not published", file=file))
            echo_issues(exc.issues, PUBLISH_OPTIONS)
            sys.exit(1)
    row = published.row
    if published.created:
        click.echo(
            T(
                "published %(role)s version %(version)s (%(hash)s), effective from %(start)s",
                role=row.role,
                version=row.version,
                hash=row.hash,
                start=row.effective_from,
            )
        )
    else:
        click.echo(
            T(
                "unchanged: %(role)s version %(version)s is this document",
                role=row.role,
                version=row.version,
            )
        )
    echo_problems(published.warnings, warning=True)


@rulesets_group.command("export")
@click.argument("role")
@click.option("--version", "version", type=int, default=None, help="default: the latest")
@click.pass_context
def rulesets_export(ctx: click.Context, role: str, version: int | None) -> None:
    """Print a published version as YAML."""
    from server.engine import dump_yaml
    from server.storage import version_queries

    with app_context(ctx):
        row = (
            version_queries.latest_version(role)
            if version is None
            else version_queries.get_version(role, version)
        )
    if row is None:
        raise click.ClickException(
            str(
                T("%(role)s has no version %(version)s", role=role, version=version)
                if version is not None
                else T("%(role)s has no published version", role=role)
            )
        )
    click.echo(dump_yaml(row.document), nl=False)


@rulesets_group.command("diff")
@click.argument("old", type=click.Path(exists=True, dir_okay=False))
@click.argument("new", type=click.Path(exists=True, dir_okay=False))
def rulesets_diff(old: str, new: str) -> None:
    """Print what changes from OLD to NEW, one sentence per change; no server needed."""
    from server.engine import diff_documents

    changes = diff_documents(read_document(old), read_document(new))
    for change in changes:
        click.echo(change["summary"])
    if not changes:
        click.echo(T("no changes"))

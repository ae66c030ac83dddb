"""What every `scorecard` command shares: the app, the actor, reading files, printing issues."""

from __future__ import annotations

import getpass
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from flask import Flask

from server.engine import Problem
from server.engine.language import T
from server.services.domain_errors import Issue


@contextmanager
def app_context(ctx: click.Context) -> Iterator[Flask]:
    """The app given by the caller (tests pass one as `obj`) or one built from the environment."""
    from server import create_app

    app = ctx.obj if isinstance(ctx.obj, Flask) else create_app()
    with app.app_context():
        yield app


def actor() -> str:
    """Who acts, as the audit log records it: `cli:<user>`."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def read_document(path: str) -> Any:
    """A YAML or JSON ruleset file; a ClickException says why it cannot be read."""
    from server.engine import DocumentInvalid, load_document

    try:
        return load_document(Path(path).read_text(encoding="utf-8"))
    except (DocumentInvalid, UnicodeDecodeError, OSError) as exc:
        problems = getattr(exc, "problems", None)
        if problems:
            message = problems[0].message
        elif isinstance(exc, UnicodeDecodeError):
            message = T("the file is not UTF-8 text")
        else:  # OSError: the system's own words (No such file or directory, ...)
            message = T("cannot be read (%(error)s)", error=getattr(exc, "strerror", None) or exc)
        raise click.ClickException(f"{path}: {message}") from None


def echo_problems(problems: Iterable[Problem], warning: bool = False) -> None:
    """One line per problem of a document: its path in the document, its message."""
    for problem in problems:
        message = T("warning: %(message)s", message=problem.message) if warning else problem.message
        click.echo(f"{problem.path or '/'}: {message}")


def issue_place(issue: Issue, options: dict[str, str]) -> str:
    """Where a command's issue is: the option that gave the field, else its document path."""
    if issue.field in options:
        return options[issue.field] + issue.path
    if issue.field == "document":
        return issue.path or "/"
    return f"/{issue.field}{issue.path}" if issue.field else issue.path or "/"


def echo_issues(issues: Iterable[Issue], options: dict[str, str]) -> None:
    """One line per issue: where it is (an option or a document path), its message."""
    for issue in issues:
        click.echo(f"{issue_place(issue, options)}: {issue.message}")

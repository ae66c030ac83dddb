"""The errors the services raise, and the issue they carry: which part of a call is wrong.

An adapter maps them its own way: the HTTP API to a status and body pointers, the CLI to
its option names, the console to form fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from server.engine import Problem
from server.engine.language import Text
from server.engine.problems import require_text


@dataclass(frozen=True)
class Issue:
    """One problem of a service call.

    `field` names the argument or submission member it is about (document, effective_from,
    period, role, version, reason, from, to; "" for the submission as a whole), `path` is a
    JSON pointer inside that value, `item` the position of the submission in a batch.
    """

    message: Text
    field: str = ""
    path: str = ""
    item: int | None = None

    def __post_init__(self) -> None:
        require_text(self.message, "an issue's message")

    def at_item(self, item: int | None) -> Issue:
        """The same issue, about the submission at `item` of a batch."""
        return Issue(self.message, self.field, self.path, item)


def issues_of(problems: Iterable[Problem], field: str = "") -> list[Issue]:
    """Engine problems (pointers into `field`'s value) as issues."""
    return [Issue(p.message, field, p.path) for p in problems]


class DomainError(Exception):
    """A request the domain refuses: `detail` says why, `issues` say where; both are Texts
    (T(...)), rendered by the adapter in its reader's language."""

    def __init__(self, detail: Text, issues: Iterable[Issue] = ()):
        super().__init__(str(require_text(detail, "a domain error's detail")))
        self.detail = detail
        self.issues = list(issues)


class NotFound(DomainError):
    """An unknown role, version, record or period."""


class Invalid(DomainError):
    """Content that cannot be published, evaluated or stored; `issues` list every problem."""


class PeriodClosed(DomainError):
    """A new revision for a closed period."""


class Conflict(DomainError):
    """A request that contradicts the record's state: an older revision, a decided appeal."""


class Refused(DomainError):
    """A request this actor may not make: approving one's own proposal, or publishing
    directly where every change needs approval (SPEC §12)."""


class NotPending(DomainError):
    """A decision on a proposal that was already approved or rejected (SPEC §12)."""

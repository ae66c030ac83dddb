"""What can be wrong: a Problem at a JSON pointer, the engine's exceptions, the validation report.

The bottom of the engine: every other module reports through these, none is imported here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .language import T, Text


def require_text(message: object, what: str = "a problem's message") -> Text:
    """`message` itself when it is a Text; a plain string is refused (TypeError): every sentence
    a person reads is written through T() so that it has its translation in the catalogue."""
    if type(message) is not Text:
        raise TypeError(f"{what} must be a Text written with T(...), not {message!r}")
    return message


def reason(exc: BaseException) -> Text:
    """What an exception says is wrong: the Text the engine raised it with (ValueError(T(...)));
    any other exception's own wording is not a sentence of the catalogue, so it is not shown."""
    if exc.args and type(exc.args[0]) is Text:
        return exc.args[0]
    return T("the value is not accepted (%(error)s)", error=type(exc).__name__)


@dataclass(frozen=True)
class Problem:
    """One thing wrong: a JSON pointer into the document or submission, and what to change.

    `message` is a Text (T(...)), rendered in the reader's locale by the adapter that shows it.
    """

    path: str
    message: Text

    def __post_init__(self) -> None:
        require_text(self.message)

    def as_dict(self, locale: str | None = None) -> dict[str, str]:
        """`{path, message}` with the message in `locale` (default: the current one)."""
        return {"path": self.path, "message": self.message.render(locale)}

    def under(self, prefix: str) -> Problem:
        """The same problem with its path moved under `prefix` (e.g. "/document")."""
        return Problem(prefix + self.path, self.message)


def pointer(*parts: object) -> str:
    """A JSON pointer from path parts, escaping '~' and '/' as RFC 6901 says."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


@dataclass
class Problems:
    """Errors and warnings collected while validating and compiling a document."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def error(self, path: str, message: Text) -> None:
        self.errors.append(Problem(path, message))

    def warn(self, path: str, message: Text) -> None:
        self.warnings.append(Problem(path, message))


@dataclass
class ValidationReport:
    """The outcome of validating a document; `compiled` is its CompiledRuleset when valid."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    compiled: Any = None  # a CompiledRuleset (ruleset.py), which sits above this module
    # SPEC §12: {ratings: {KEY: [example names]}, adjustments: {KEY: [...]}}; None when the
    # examples were not evaluated (not asked for, or the document does not compile)
    coverage: dict[str, dict[str, list[str]]] | None = None

    @property
    def valid(self) -> bool:
        return not self.errors

    def as_dict(self, prefix: str = "") -> dict[str, Any]:
        """`{valid, errors, warnings}` with paths under `prefix` (e.g. "/document")."""
        return {
            "valid": self.valid,
            "errors": [p.under(prefix).as_dict() for p in self.errors],
            "warnings": [p.under(prefix).as_dict() for p in self.warnings],
            "coverage": self.coverage,
        }


class EngineError(Exception):
    """Base of the engine's exceptions: a list of problems."""

    def __init__(self, problems: list[Problem], detail: Text | None = None):
        self.problems = list(problems)
        self.detail = detail
        super().__init__(
            str(detail) if detail else "; ".join(f"{p.path}: {p.message}" for p in self.problems)
        )


class DocumentInvalid(EngineError):
    """A ruleset document that does not validate; `report` holds errors and warnings."""

    def __init__(self, report: ValidationReport):
        self.report = report
        super().__init__(report.errors, T("ruleset document is invalid"))


class SubmissionRejected(EngineError):
    """A submission the ruleset cannot evaluate; paths point into the submission body."""

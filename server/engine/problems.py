"""What can be wrong: a Problem at a JSON pointer, the engine's exceptions, the validation report.

The bottom of the engine: every other module reports through these, none is imported here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong: a JSON pointer into the document or submission, and what to change."""

    path: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}

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

    def error(self, path: str, message: str) -> None:
        self.errors.append(Problem(path, message))

    def warn(self, path: str, message: str) -> None:
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

    def __init__(self, problems: list[Problem], detail: str = ""):
        self.problems = list(problems)
        super().__init__(detail or "; ".join(f"{p.path}: {p.message}" for p in self.problems))


class DocumentInvalid(EngineError):
    """A ruleset document that does not validate; `report` holds errors and warnings."""

    def __init__(self, report: ValidationReport):
        self.report = report
        super().__init__(report.errors, "ruleset document is invalid")


class SubmissionRejected(EngineError):
    """A submission the ruleset cannot evaluate; paths point into the submission body."""

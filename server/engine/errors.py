"""Domain exceptions of the engine; each carries structured problems with JSON-pointer paths."""

from __future__ import annotations

from dataclasses import dataclass


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


class EngineError(Exception):
    """Base of the engine's exceptions: a list of problems."""

    def __init__(self, problems: list[Problem], detail: str = ""):
        self.problems = list(problems)
        super().__init__(detail or "; ".join(f"{p.path}: {p.message}" for p in self.problems))


class DocumentInvalid(EngineError):
    """A ruleset document that does not validate; `report` holds errors and warnings."""

    def __init__(self, report):
        self.report = report
        super().__init__(report.errors, "ruleset document is invalid")


class SubmissionRejected(EngineError):
    """A submission the ruleset cannot evaluate; paths point into the submission body."""


def pointer(*parts: object) -> str:
    """A JSON pointer from path parts, escaping '~' and '/' as RFC 6901 says."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)

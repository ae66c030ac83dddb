"""The HTTP layer's errors, every exception's status in one table, and the one handler.

Every error answers RFC 7807 `application/problem+json`:
`{type, title, status, detail, errors: [{path, message}]}`. The services' domain errors are
answered here too: each issue becomes a pointer into the request body (`body_pointer`).
Titles, details and messages are Texts, rendered here in the request's language
(server/api/locale.py: Accept-Language, else SCORECARD_LOCALE).
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from typing import Any

from flask import Flask, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from server.engine import Problem, SubmissionRejected
from server.engine.language import T, Text
from server.engine.problems import require_text
from server.services import domain_errors
from server.services.domain_errors import DomainError, Issue
from server.storage import UNAVAILABLE, BadCursor

PROBLEM_TYPE = "urn:scorecard:problem:"
MAX_MESSAGE = (
    500  # characters of one problem message (a jsonschema message may quote a whole value)
)


class ApiError(Exception):
    """An error of the HTTP exchange itself; `problems` point into the request."""

    def __init__(self, detail: Text, problems: Iterable[Problem] = ()):
        super().__init__(str(require_text(detail, "an API error's detail")))
        self.detail = detail
        self.problems = list(problems)


class MalformedRequest(ApiError):
    """Not parseable: malformed JSON, a non-finite number, a body that is not an object."""


class Unauthenticated(ApiError):
    """No API key, or an unknown or revoked one."""


class Forbidden(ApiError):
    """The API key lacks a scope the endpoint needs."""


class TooLarge(ApiError):
    """A body over 16 MiB or a batch over 10,000 items."""


class UnsupportedMediaType(ApiError):
    """A JSON endpoint called without `Content-Type: application/json`."""


class Unprocessable(ApiError):
    """Valid JSON that does not match its schema, or a query parameter that is wrong."""


class DatabaseUnavailable(ApiError):
    """The database cannot be reached."""


UNAVAILABLE_STATUS = (503, "database-unavailable", T("Database unavailable"))
# exception class -> (status, type slug, title); looked up along the exception's MRO
STATUSES: dict[type[BaseException], tuple[int, str, Text]] = {
    MalformedRequest: (400, "malformed-request", T("Malformed request")),
    BadCursor: (400, "malformed-request", T("Malformed request")),
    Unauthenticated: (401, "unauthenticated", T("Authentication required")),
    Forbidden: (403, "forbidden", T("Missing scope")),
    domain_errors.NotFound: (404, "not-found", T("Not found")),
    domain_errors.PeriodClosed: (409, "period-closed", T("Period closed")),
    domain_errors.Conflict: (409, "conflict", T("Conflict")),
    domain_errors.Refused: (403, "forbidden", T("Forbidden")),
    domain_errors.NotPending: (409, "proposal-conflict", T("Conflict")),
    TooLarge: (413, "too-large", T("Request too large")),
    UnsupportedMediaType: (415, "unsupported-media-type", T("Unsupported media type")),
    Unprocessable: (422, "invalid-content", T("Invalid content")),
    domain_errors.Invalid: (422, "invalid-content", T("Invalid content")),
    SubmissionRejected: (422, "invalid-content", T("Invalid content")),
    DatabaseUnavailable: UNAVAILABLE_STATUS,
    **dict.fromkeys(UNAVAILABLE, UNAVAILABLE_STATUS),
}
# werkzeug's own HTTP errors (routing, body size) by status code: type slug, title, detail
HTTP_ERRORS: dict[int, tuple[str, Text, Text]] = {
    400: ("malformed-request", T("Malformed request"), T("the request cannot be read")),
    404: ("not-found", T("Not found"), T("no resource has this URL")),
    405: (
        "method-not-allowed",
        T("Method not allowed"),
        T("this URL does not accept this method; the Allow header lists those it does"),
    ),
    413: ("too-large", T("Request too large"), T("the body is too large")),
    415: (
        "unsupported-media-type",
        T("Unsupported media type"),
        T("send the body as JSON with Content-Type: application/json"),
    ),
}


def body_pointer(issue: Issue) -> str:
    """Where an issue is in the request: each field is the body member of that name (so a
    document's problems go under /document), a batch's submissions are /items/N."""
    base = f"/items/{issue.item}" if issue.item is not None else ""
    return base + (f"/{issue.field}" if issue.field else "") + issue.path


def body_problems(issues: Iterable[Issue]) -> list[Problem]:
    """Issues as problems at their pointers into the request body."""
    return [Problem(body_pointer(issue), issue.message) for issue in issues]


def problem_response(status: int, slug: str, title: Text, detail: Text, problems: list[Problem]):
    """A problem+json response, its texts in the request's language."""
    body = {
        "type": PROBLEM_TYPE + slug,
        "title": title.render(),
        "status": status,
        "detail": detail.render(),
        "errors": [{"path": p.path, "message": p.message.render()[:MAX_MESSAGE]} for p in problems],
    }
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="scorecard"'
    return response


def _classify(exc: BaseException) -> tuple[int, str, str] | None:
    for cls in type(exc).__mro__:
        if cls in STATUSES:
            return STATUSES[cls]
    return None


def _detail_and_problems(exc: Exception) -> tuple[Text, list[Problem]]:
    if isinstance(exc, ApiError):
        return exc.detail, exc.problems
    if isinstance(exc, DomainError):
        return exc.detail, body_problems(exc.issues)
    if isinstance(exc, BadCursor):
        return T("the cursor is not one this server gave out; start again without it"), []
    detail = getattr(exc, "detail", None)
    if type(detail) is not Text:
        detail = T("the submission cannot be evaluated; see errors")
    return detail, list(getattr(exc, "problems", []))


def handle_error(exc: Exception) -> Any:
    """Turn any exception into a problem+json response (the app's only error handler)."""
    if isinstance(exc, HTTPException):
        code = exc.code or 500
        if code < 400:
            return exc  # redirects raised by routing pass through
        slug, title, detail = HTTP_ERRORS.get(
            code,
            (
                "http-error",
                T("HTTP error %(code)s", code=code),
                T("the request cannot be handled (HTTP %(code)s)", code=code),
            ),
        )
        response = problem_response(code, slug, title, detail, [])
        if code == 405 and getattr(exc, "valid_methods", None):
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response
    found = _classify(exc)
    if found is None:
        _log_unhandled(exc)
        return problem_response(500, "internal-error", T("Internal error"), T("internal error"), [])
    status, slug, title = found
    if status == 503:
        current_app.logger.warning("database unavailable: %s", exc)
        detail = T("the database is unavailable; try again later")
        return problem_response(status, slug, title, detail, list(getattr(exc, "problems", [])))
    detail, problems = _detail_and_problems(exc)
    return problem_response(status, slug, title, detail, problems)


def _log_unhandled(exc: BaseException) -> None:
    """Log where an unexpected error happened, not its message: a message can quote submitted
    values (an employee id, an input), which stay out of the logs."""
    rule = request.url_rule.rule if request.url_rule is not None else "(no route)"
    where = "".join(traceback.format_tb(exc.__traceback__))
    current_app.logger.error(
        "unhandled %s in %s %s\n%s", type(exc).__name__, request.method, rule, where.rstrip()
    )


def init_app(app: Flask) -> None:
    """Register the one error handler for every exception."""
    app.register_error_handler(Exception, handle_error)

"""Exceptions the HTTP API raises, their statuses in one table, and the one handler.

Every error answers RFC 7807 `application/problem+json`:
`{type, title, status, detail, errors: [{path, message}]}`.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from typing import Any

import peewee
from flask import Flask, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from server.engine import Problem, SubmissionRejected

PROBLEM_TYPE = "urn:scorecard:problem:"
MAX_MESSAGE = (
    500  # characters of one problem message (a jsonschema message may quote a whole value)
)


class ApiError(Exception):
    """An error answered with a problem document; the status comes from STATUSES."""

    def __init__(self, detail: str, problems: Iterable[Problem] = ()):
        super().__init__(detail)
        self.detail = detail
        self.problems = list(problems)


class MalformedRequest(ApiError):
    """Not parseable: malformed JSON, a non-finite number, a body that is not an object."""


class Unauthenticated(ApiError):
    """No API key, or an unknown or revoked one."""


class Forbidden(ApiError):
    """The API key lacks a scope the endpoint needs."""


class NotFound(ApiError):
    """An unknown role, version or record named in the path or query string."""


class PeriodClosed(ApiError):
    """A new revision for a closed period."""


class TooLarge(ApiError):
    """A body over 16 MiB or a batch over 10,000 items."""


class UnsupportedMediaType(ApiError):
    """A JSON endpoint called without `Content-Type: application/json`."""


class Unprocessable(ApiError):
    """Valid JSON whose content is wrong; `problems` point into the request body."""


class DatabaseUnavailable(ApiError):
    """The database cannot be reached."""


# exception class -> (status, type slug, title); looked up along the exception's MRO
STATUSES: dict[type[BaseException], tuple[int, str, str]] = {
    MalformedRequest: (400, "malformed-request", "Malformed request"),
    Unauthenticated: (401, "unauthenticated", "Authentication required"),
    Forbidden: (403, "forbidden", "Missing scope"),
    NotFound: (404, "not-found", "Not found"),
    PeriodClosed: (409, "period-closed", "Period closed"),
    TooLarge: (413, "too-large", "Request too large"),
    UnsupportedMediaType: (415, "unsupported-media-type", "Unsupported media type"),
    Unprocessable: (422, "invalid-content", "Invalid content"),
    SubmissionRejected: (422, "invalid-content", "Invalid content"),
    DatabaseUnavailable: (503, "database-unavailable", "Database unavailable"),
    peewee.OperationalError: (503, "database-unavailable", "Database unavailable"),
    peewee.InterfaceError: (503, "database-unavailable", "Database unavailable"),
}
# werkzeug's own HTTP errors (routing, body size) by status code
HTTP_TYPES: dict[int, str] = {
    400: "malformed-request",
    404: "not-found",
    405: "method-not-allowed",
    413: "too-large",
    415: "unsupported-media-type",
}


def problem_response(status: int, slug: str, title: str, detail: str, problems: list[Problem]):
    """A problem+json response."""
    body = {
        "type": PROBLEM_TYPE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "errors": [{"path": p.path, "message": p.message[:MAX_MESSAGE]} for p in problems],
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


def handle_error(exc: Exception) -> Any:
    """Turn any exception into a problem+json response (the app's only error handler)."""
    if isinstance(exc, HTTPException):
        code = exc.code or 500
        if code < 400:
            return exc  # redirects raised by routing pass through
        response = problem_response(
            code, HTTP_TYPES.get(code, "http-error"), exc.name, exc.description or exc.name, []
        )
        if code == 405 and getattr(exc, "valid_methods", None):
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response
    found = _classify(exc)
    if found is None:
        _log_unhandled(exc)
        return problem_response(500, "internal-error", "Internal error", "internal error", [])
    status, slug, title = found
    if status == 503:
        current_app.logger.warning("database unavailable: %s", exc)
        detail = "the database is unavailable; try again later"
    elif isinstance(exc, ApiError):
        detail = exc.detail
    else:
        detail = "the submission cannot be evaluated; see errors"
    return problem_response(status, slug, title, detail, list(getattr(exc, "problems", [])))


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

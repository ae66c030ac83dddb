"""Query-string parameters that say what a request is about, checked like a body.

A missing or malformed one is 422 with the pointer `/NAME` (every problem listed at once);
the parameters that only shape the answer (`limit`, `cursor`, `format`) stay 400.
"""

from __future__ import annotations

from flask import request

from server.api.error_handler import MalformedRequest, Unprocessable
from server.engine import Problem
from server.engine.language import T

MAX_DIGITS = 20  # a longer number is not a version number (one that names none is 404)
DEFAULT_LIMIT = 100  # items of a list page (SPEC §5 "Lists")
MAX_LIMIT = 1000


def limit() -> int:
    """The page size asked for: default 100, clamped to 1,000; not a positive integer -> 400."""
    text = request.args.get("limit")
    if text is None or text == "":
        return DEFAULT_LIMIT
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise MalformedRequest(T("limit must be a positive integer, not %(text)r", text=text[:50]))
    return min(int(text), MAX_LIMIT)


def cursor() -> str | None:
    """The opaque cursor of the page asked for (a bad one is 400 when it is decoded)."""
    return request.args.get("cursor")


def required(*names: str) -> dict[str, str]:
    """The named parameters' values; 422 at /NAME for each one missing or empty."""
    missing = [name for name in names if not request.args.get(name, "").strip()]
    if missing:
        problems = [Problem(f"/{name}", T("is required")) for name in missing]
        raise Unprocessable(T("a query parameter is missing"), problems)
    return {name: request.args[name].strip() for name in names}


def versions(*names: str) -> dict[str, int]:
    """Version numbers from the named parameters, every problem at once (an integer that
    names no version is for the caller to answer 404)."""
    problems = []
    values = {}
    for name in names:
        text = request.args.get(name, "").strip()
        if not text:
            problems.append(Problem(f"/{name}", T("is required")))
        elif not (text.isascii() and text.isdigit()) or len(text) > MAX_DIGITS:
            problems.append(
                Problem(f"/{name}", T("must be a version number, not %(text)r", text=text[:50]))
            )
        else:
            values[name] = int(text)
    if problems:
        raise Unprocessable(T("a query parameter is wrong"), problems)
    return values

"""Reading a JSON request body strictly: media type, size, syntax, finite numbers, schema."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from flask import current_app, request

from server import json_codec
from server.api.error_handler import (
    MalformedRequest,
    TooLarge,
    Unprocessable,
    UnsupportedMediaType,
)
from server.engine import Problem, pointer
from server.engine.language import T, Text
from server.schemas import plain_batch, schema_set
from server.services.domain_errors import Issue

MAX_LISTED = 100  # problems listed for one body; a body of a million NaNs gets the first ones


class _Unfit:
    """Stands in, while parsing, for a number JSON cannot carry; `why` says what it was."""

    __slots__ = ("why",)

    def __init__(self, why: Text) -> None:
        self.why = why


def _constant(name: str) -> _Unfit:
    return _Unfit(T("%(name)s is not a JSON number", name=name))


def _float(text: str) -> float | _Unfit:
    value = float(text)
    if math.isfinite(value):
        return value
    return _Unfit(T("the number %(number)s is out of range", number=text[:40]))


def _int(text: str) -> int | _Unfit:
    try:
        value = int(text)
        float(value)  # an integer no double can hold is out of range
    except (ValueError, OverflowError):
        return _Unfit(T("the number %(number)s... is out of range", number=text[:40]))
    return value


def _unfit_parts(value: Any, path: str, found: list[Problem]) -> None:
    """Every number JSON cannot carry and every string no UTF-8 can hold, with its pointer."""
    if len(found) >= MAX_LISTED:
        return
    if isinstance(value, _Unfit):
        found.append(Problem(path, value.why))
    elif isinstance(value, str):
        if not _is_utf8(value):
            found.append(Problem(path, T("contains a lone UTF-16 surrogate (\\ud800-\\udfff)")))
    elif isinstance(value, dict):
        for key, item in value.items():
            if not _is_utf8(key):
                found.append(Problem(path, T("a name contains a lone UTF-16 surrogate")))
                continue
            _unfit_parts(item, path + pointer(key), found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _unfit_parts(item, f"{path}/{index}", found)


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def parse_json(data: bytes) -> Any:
    """Parse JSON text; malformed, NaN/Infinity, out-of-range numbers or bad Unicode -> 400,
    each problem listed at its pointer ("" for the body as a whole)."""
    try:  # the common case, fast: orjson reads only JSON every part of the server can carry
        value = json_codec.fast_loads(data)
        json_codec.orjson_dumps(value)  # ... nested no deeper than orjson writes
        return value
    except (ValueError, TypeError):  # orjson's decode and encode errors
        pass  # the standard library decides, and words what is wrong
    try:
        value = json.loads(data, parse_constant=_constant, parse_float=_float, parse_int=_int)
    except json.JSONDecodeError as exc:
        message = T(  # the JSON parser's own words for what it found
            "malformed JSON: %(error)s (line %(line)s, column %(column)s)",
            error=exc.msg,
            line=exc.lineno,
            column=exc.colno,
        )
        raise MalformedRequest(message, [Problem("", message)]) from None
    except UnicodeError:
        message = T("the body is not valid UTF-8 JSON text")
        raise MalformedRequest(message, [Problem("", message)]) from None
    except RecursionError:
        message = T("the JSON is nested too deeply")
        raise MalformedRequest(message, [Problem("", message)]) from None
    try:  # the common case: everything can be stored and answered (checked in C)
        json.dumps(value, ensure_ascii=False).encode("utf-8")
        return value
    except (TypeError, UnicodeError, RecursionError):
        pass
    problems: list[Problem] = []
    try:
        _unfit_parts(value, "", problems)
    except RecursionError:  # deeper than Python recurses
        problems = problems or [Problem("", T("the JSON is nested too deeply"))]
    if not problems:  # dumps failed for a reason the walk does not know: refuse all the same
        problems = [Problem("", T("the body holds values JSON cannot carry"))]
    raise MalformedRequest(T("the body holds values JSON cannot carry; see errors"), problems)


def json_body(schema: str | None = None) -> dict[str, Any]:
    """The request's JSON object, checked against a request schema (422 lists every problem)."""
    if request.mimetype != "application/json":
        raise UnsupportedMediaType(T("send the body as JSON with Content-Type: application/json"))
    data = request.get_data(cache=True)  # a Content-Length over MAX_CONTENT_LENGTH -> 413
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if len(data) >= limit and request.content_length is None:
        # a streamed (chunked) body is cut at the limit rather than refused: refuse it here
        raise TooLarge(T("the body is larger than %(n)s MiB", n=limit // (1024 * 1024)))
    body = parse_json(data)
    if not isinstance(body, dict):
        message = T("the body must be a JSON object")
        raise MalformedRequest(message, [Problem("", message)])
    if schema == "evaluate" and plain_batch().valid_evaluate(body):
        return body  # certainly valid: the full validator is not needed (schemas.PlainBatch)
    if schema is not None:
        check(schema, body)
    return body


def check(schema: str, body: dict[str, Any]) -> None:
    """Raise Unprocessable with every problem of `body` against a request schema."""
    problems = schema_set().problems(schema, body)
    if problems:
        raise Unprocessable(T("the request body does not match its schema"), problems)


def optional_json_body(schema: str) -> dict[str, Any]:
    """The JSON body; a request without one is checked as the empty object."""
    # a declared length goes to json_body unread, so 415 answers before 413 as for every body
    if not request.content_length and not request.get_data(cache=True):
        check(schema, {})
        return {}
    return json_body(schema)


def batch_body(
    schema: str, plainly_valid: Callable[[Any], bool] | None = None
) -> tuple[list[Any], dict[int, list[Issue]]]:
    """A batch request's items and its schema problems by item (SPEC §5: all stored or
    none): over MAX_BATCH_ITEMS items is 413; a problem of the body itself (not of one item)
    is 422 at once, an item's problems are reported with the other items' problems.
    `plainly_valid(body)` may say cheaply that there is no problem at all."""
    body = json_body()
    limit = current_app.config["MAX_BATCH_ITEMS"]
    if isinstance(body.get("items"), list) and len(body["items"]) > limit:
        raise TooLarge(
            T("a batch holds at most %(limit)s items, not %(n)s", limit=limit, n=len(body["items"]))
        )
    valid = plainly_valid is not None and plainly_valid(body)
    problems = [] if valid else schema_set().problems(schema, body)
    if not all(p.path.startswith("/items/") for p in problems):
        raise Unprocessable(T("the request body does not match its schema"), problems)
    found: dict[int, list[Issue]] = {}
    for problem in problems:
        _, _, index, *rest = problem.path.split("/")
        path = "".join("/" + part for part in rest)
        found.setdefault(int(index), []).append(Issue(problem.message, "", path, int(index)))
    return body["items"], found

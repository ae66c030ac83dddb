"""Reading a JSON request body strictly: media type, size, syntax, finite numbers, schema."""

from __future__ import annotations

import json
import math
from typing import Any

from flask import current_app, request

from server.errors import MalformedRequest, TooLarge, Unprocessable, UnsupportedMediaType
from server.schemas import schema_set


def _reject_constant(name: str) -> Any:
    raise MalformedRequest(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise MalformedRequest(f"the number {text[:40]} is out of range")
    return value


def _bounded_int(text: str) -> int:
    try:
        value = int(text)
        float(value)  # an integer no double can hold is out of range
    except (ValueError, OverflowError):
        raise MalformedRequest(f"the number {text[:40]}... is out of range") from None
    return value


def parse_json(data: bytes) -> Any:
    """Parse JSON text; malformed, NaN/Infinity, out-of-range numbers or bad Unicode -> 400."""
    try:
        value = json.loads(
            data,
            parse_constant=_reject_constant,
            parse_float=_finite_float,
            parse_int=_bounded_int,
        )
        # lone surrogates (\ud800) parse but can never be stored or answered
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except MalformedRequest:
        raise
    except json.JSONDecodeError as exc:
        raise MalformedRequest(
            f"malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except UnicodeError:
        raise MalformedRequest("the body is not valid UTF-8 JSON text") from None
    except RecursionError:
        raise MalformedRequest("the JSON is nested too deeply") from None
    return value


def json_body(schema: str | None = None) -> dict[str, Any]:
    """The request's JSON object, checked against a request schema (422 lists every problem)."""
    if request.mimetype != "application/json":
        raise UnsupportedMediaType("send the body as JSON with Content-Type: application/json")
    data = request.get_data(cache=True)  # a Content-Length over MAX_CONTENT_LENGTH -> 413
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is None and len(data) >= limit:
        # a streamed (chunked) body is cut at the limit rather than refused: refuse it here
        raise TooLarge(f"the body is larger than {limit // (1024 * 1024)} MiB")
    body = parse_json(data)
    if not isinstance(body, dict):
        raise MalformedRequest("the body must be a JSON object")
    if schema is not None:
        check(schema, body)
    return body


def check(schema: str, body: dict[str, Any]) -> None:
    """Raise Unprocessable with every problem of `body` against a request schema."""
    problems = schema_set().problems(schema, body)
    if problems:
        raise Unprocessable("the request body does not match its schema", problems)

"""JSON text in and out: orjson where it gives exactly what the standard library gives, the
standard library for the rest.

orjson parses and writes JSON several times faster than `json` (a 10,000-item batch is
~60 MB of JSON in and out), and what it produces is the same JSON: compact, non-ASCII kept as
UTF-8, keys in insertion order, every double written so that it reads back as the same double
(the shortest form, `1e-7` where `json` writes `1e-07`: the same number). Where the two would
differ, `json` decides:
- integers beyond 64 bits: orjson cannot write them and reads them as doubles, `json` keeps
  them whole; so text holding a run of 19 or more digits is read by `json`, and a value orjson
  refuses to write (such an integer, nesting deeper than 254 levels, a non-string key) is
  written by `json`;
- anything orjson refuses to read, `json` reads (or refuses, with the message our callers
  report): the strict body parser in server/api/body.py relies on that.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

# a run of 19 digits: an integer orjson would read as a double (or a long fraction); found by
# turning every digit into 0 and looking for nineteen of them, as `re` takes longer over a
# body full of numbers than orjson takes to read it
LONG_DIGITS = b"0" * 19
_DIGITS_TO_ZERO = bytes.maketrans(b"0123456789", b"0" * 10)


def has_long_digits(raw: bytes) -> bool:
    """Whether the text holds a run of 19 or more ASCII digits."""
    return LONG_DIGITS in raw.translate(_DIGITS_TO_ZERO)


def orjson_dumps(value: Any) -> bytes:
    """Compact JSON by orjson alone; raises orjson.JSONEncodeError (a TypeError) for a value
    it does not write."""
    return orjson.dumps(value)


def dumps_bytes(value: Any) -> bytes:
    """Compact JSON as UTF-8 bytes."""
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def dumps(value: Any) -> str:
    """Compact JSON text, non-ASCII kept."""
    return dumps_bytes(value).decode("utf-8")


def fast_loads(data: bytes | str) -> Any:
    """The value of JSON text that orjson reads exactly as `json` does; raises ValueError (an
    orjson.JSONDecodeError, or for text with a long run of digits) when `json` must decide."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if has_long_digits(raw):
        raise ValueError("a long run of digits: json decides")
    return orjson.loads(raw)


def loads(data: bytes | str) -> Any:
    """The value of JSON text (as json.loads gives it)."""
    try:
        return fast_loads(data)
    except ValueError:
        return json.loads(data)

"""Reading a document defensively: the compiler also runs on documents with schema errors
(validation reports their semantic problems too), so nothing here assumes a shape."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def mapping(value: Any) -> Mapping[str, Any]:
    """The value if it is a mapping, else an empty one."""
    return value if isinstance(value, dict) else {}


def items(document: Mapping[str, Any], name: str) -> list[tuple[int, dict]]:
    """The mapping items of the list `name`, with their indexes."""
    value = document.get(name)
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def is_number(value: Any) -> bool:
    """An int or a float, not a bool."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def text(value: Any, default: str) -> str:
    """A label as text; anything else (the schema reports it) falls back to `default`."""
    return value if isinstance(value, str) and value else default

"""Text in form fields <-> document values: numbers keep their form, blanks mean absent."""

from __future__ import annotations

import json
import math
import re
from typing import Any

MISSING: Any = object()  # a blank field: the key is left out of the document
INTEGER = re.compile(r"[-+]?\d+")


def number_text(value: Any) -> str:
    """A number as it is written in the document (25, 25.0, 0.1); other values as text."""
    if value is None or value is MISSING:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return str(value)


def parse_number(text: str | None) -> Any:
    """An int or a finite float from text; blank -> MISSING; anything else stays text."""
    text = (text or "").strip()
    if not text:
        return MISSING
    if INTEGER.fullmatch(text) and len(text) < 20:
        return int(text)
    try:
        value = float(text)
    except ValueError:
        return text  # kept: validation reports it at this field
    return value if math.isfinite(value) else text


def list_text(values: Any) -> str:
    """A list as comma-separated text."""
    if isinstance(values, list):
        return ", ".join(number_text(v) if isinstance(v, int | float) else str(v) for v in values)
    return "" if values is None else str(values)


def parse_list(text: str | None, numbers: bool = False) -> Any:
    """Comma-separated text as a list (of numbers when asked); blank -> MISSING."""
    parts = [p.strip() for p in (text or "").replace("，", ",").split(",") if p.strip()]
    if not parts:
        return MISSING
    return [parse_number(p) for p in parts] if numbers else parts


def bool_text(value: Any) -> str:
    """A yes/no value for a select with '', 'true', 'false'."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return "" if value is None or value is MISSING else str(value)


def parse_bool(text: str | None) -> Any:
    """'true'/'false' -> bool; blank -> MISSING; anything else stays text."""
    text = (text or "").strip().lower()
    if not text:
        return MISSING
    return {"true": True, "false": False}.get(text, text)


def mapping_text(values: Any) -> str:
    """{a: x, b: y} as 'a: x, b: y'."""
    if not isinstance(values, dict):
        return "" if values is None else str(values)
    return ", ".join(f"{k}: {v}" for k, v in values.items())


def parse_mapping(text: str | None) -> Any:
    """'a: x, b: y' as {a: x, b: y}; blank -> MISSING; a part without ':' stays text."""
    parts = [p.strip() for p in (text or "").replace("，", ",").split(",") if p.strip()]
    if not parts:
        return MISSING
    result: dict[str, Any] = {}
    for part in parts:
        key, sep, value = part.partition(":")
        if not sep:
            return text
        result[key.strip()] = value.strip()
    return result


def json_text(value: Any) -> str:
    """Any value as JSON text (for values the form has no better field for)."""
    if value is MISSING or value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def parse_json(text: str | None) -> Any:
    """JSON text as a value; blank -> MISSING; not JSON -> the text itself."""
    text = (text or "").strip()
    if not text:
        return MISSING
    try:
        return json.loads(text)
    except ValueError:
        return text


def put(target: dict[str, Any], key: str, value: Any) -> None:
    """Set `key`, or remove it when the value is MISSING."""
    if value is MISSING:
        target.pop(key, None)
    else:
        target[key] = value


def keep_form(new: Any, old: Any) -> Any:
    """The old value when it means the same (so an untouched field changes nothing)."""
    if new is MISSING or old is MISSING:
        return new
    if isinstance(new, bool) or isinstance(old, bool):
        return old if new is old else new
    if isinstance(new, int | float) and isinstance(old, int | float) and new == old:
        return old
    return new

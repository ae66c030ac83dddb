"""The ruleset JSON Schema (schemas/ruleset.schema.json), read once, and its errors as problems
with readable messages: who they are about, what is allowed, the closest name."""

from __future__ import annotations

import difflib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from .problems import Problem, pointer

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schemas" / "ruleset.schema.json"


@lru_cache(maxsize=1)
def ruleset_schema() -> dict[str, Any]:
    """The ruleset JSON Schema, read once."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(ruleset_schema())


def schema_problems(document: Any) -> list[Problem]:
    """Schema errors as problems, one per offending member, with readable messages."""
    found = []
    for error in _validator().iter_errors(document):
        found.extend(_describe(error, document))
    return sorted(found, key=lambda p: p.path)


def _describe(error, document: Any) -> list[Problem]:
    path = pointer(*error.absolute_path)
    where = _where(error.absolute_path, document)
    if error.validator == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extras = [k for k in error.instance if k not in allowed]
        result = []
        for extra in extras:
            close = difflib.get_close_matches(str(extra), allowed, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; allowed: {', '.join(allowed)}"
            result.append(Problem(f"{path}/{extra}", f"{where}unknown field {extra!r}{hint}"))
        return result
    if error.validator == "required":
        missing = [k for k in error.validator_value if k not in error.instance]
        return [Problem(f"{path}/{k}", f"{where}{k!r} is required") for k in missing]
    if error.validator == "oneOf" and isinstance(error.instance, dict) and "type" in error.instance:
        best = min(error.context, key=lambda e: len(list(e.absolute_path)), default=None)
        if best is not None:
            return _describe(best, document)
    return [Problem(path, f"{where}{_message(error)}")]


def _message(error) -> str:
    message = error.message
    if error.validator == "pattern":
        return f"{error.instance!r} is not a valid name: use letters, digits and _"
    if len(message) > 300:
        message = message[:297] + "..."
    return message


ITEM_WORDS = {"indicators": "indicator", "dimensions": "dimension", "adjustments": "adjustment",
              "rating": "rating band", "streaks": "streak", "examples": "example"}  # fmt: skip


def _where(path, document: Any) -> str:
    """Who a schema error is about: `indicator sales_attainment (销售额达成率): ` and the like."""
    parts = list(path)
    if len(parts) >= 2 and parts[0] in ITEM_WORDS and isinstance(parts[1], int):
        item = document.get(parts[0])[parts[1]]
        word = ITEM_WORDS[parts[0]]
        if isinstance(item, dict):
            key = item.get("name" if parts[0] == "examples" else "key")
            label = item.get("label") if parts[0] == "rating" else item.get("name")
            if isinstance(key, str) and key:
                if isinstance(label, str) and label and label != key:
                    return f"{word} {key} ({label}): "
                return f"{word} {key}: "
        return f"{word} #{parts[1] + 1}: "
    if len(parts) >= 2 and parts[0] == "inputs":
        return f"input {parts[1]}: "
    return ""

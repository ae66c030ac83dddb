"""The JSON Schema errors of the product as problems with readable messages: the one formatter
of schema errors (the ruleset schema here, the request schemas in server/schemas.py), saying
who an error is about, what is allowed, the closest name, each sentence a T() text.

The ruleset JSON Schema (schemas/ruleset.schema.json) is read once.
"""

from __future__ import annotations

import difflib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from . import wording
from .language import T, Text
from .problems import Problem, pointer

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schemas" / "ruleset.schema.json"
PERIOD_PATTERN = "^[0-9]{4}(-H[12]|-Q[1-4]|-(0[1-9]|1[0-2]))?$"
KEY_PATTERN = "^[^\\W\\d]\\w*$"
NO_NUL_PATTERN = "^[^\\u0000]*$"
MAX_QUOTED = 40  # characters of an offending value quoted in a message (never a whole body)


@lru_cache(maxsize=1)
def ruleset_schema() -> dict[str, Any]:
    """The ruleset JSON Schema, read once."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(ruleset_schema())


def schema_problems(document: Any) -> list[Problem]:
    """Schema errors of a ruleset document as problems, one per offending member."""
    found = []
    for error in _validator().iter_errors(document):
        found.extend(describe(error, document))
    return sorted(found, key=lambda p: p.path)


def describe(error: ValidationError, document: Any = None) -> list[Problem]:
    """One schema error as problems at JSON pointers into the validated value; with the ruleset
    `document` given, each message also says which indicator, input, ... it is about."""
    path = pointer(*error.absolute_path)
    where = _where(error.absolute_path, document) if document is not None else None

    def problem(at: str, message: Text) -> Problem:
        return Problem(at, wording.about(where, message) if where is not None else message)

    instance = error.instance
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        allowed = list(error.schema.get("properties", {}))
        result = []
        for extra in (k for k in instance if k not in allowed):
            close = difflib.get_close_matches(str(extra), allowed, n=1)
            said = (
                T("unknown field %(name)r; did you mean %(close)r?", name=extra, close=close[0])
                if close
                else T("unknown field %(name)r; allowed: %(allowed)s", name=extra,
                       allowed=wording.keys(allowed))
            )  # fmt: skip
            result.append(problem(path + pointer(extra), said))
        return result
    if error.validator == "required" and isinstance(instance, dict):
        missing = [k for k in error.validator_value if k not in instance]
        # jsonschema reports each missing member in an error of its own, naming it
        name = next((k for k in missing if repr(k) in error.message), missing[0])
        return [problem(path + pointer(name), T("%(name)r is required", name=name))]
    if error.validator == "oneOf" and isinstance(instance, dict) and "type" in instance:
        best = min(error.context, key=lambda e: len(list(e.absolute_path)), default=None)
        if best is not None:
            return describe(best, document)
    return [problem(path, message(error))]


TYPE_NAMES = {
    "object": T("must be an object"),
    "array": T("must be an array"),
    "string": T("must be a string"),
    "integer": T("must be an integer"),
    "number": T("must be a number"),
    "boolean": T("must be true or false"),
    "null": T("must be null"),
}


def message(error: ValidationError) -> Text:
    """A short message for one schema error (never quoting the whole offending value)."""
    kind, expected = error.validator, error.validator_value
    if kind == "type":
        names = expected if isinstance(expected, list) else [expected]
        if len(names) == 1 and names[0] in TYPE_NAMES:
            wanted = TYPE_NAMES[names[0]]
        else:
            wanted = T("must be of type %(types)s", types=" | ".join(map(str, names)))
        given = error.instance
        if isinstance(given, (str, int, float)) and len(repr(given)) <= MAX_QUOTED:
            return T("%(expected)s, not %(value)r", expected=wanted, value=given)
        return wanted
    if kind in ("minLength", "minProperties", "minItems") and expected == 1:
        return T("must not be empty")
    if kind == "minLength":
        return T("must have at least %(n)s characters", n=expected)
    if kind == "maxLength":
        return T("must have at most %(n)s characters", n=expected)
    if kind == "pattern":
        if expected == PERIOD_PATTERN:
            return T(
                "must be a period: 2025 (year), 2025-H1 (half), 2025-Q3 (quarter) or 2025-07 (month)"
            )
        if expected == NO_NUL_PATTERN:
            return T("must not contain NUL characters")
        if expected == KEY_PATTERN:
            return T(
                "%(value)r is not a valid name: use letters, digits and _", value=error.instance
            )
        return T("must match the pattern %(pattern)s", pattern=expected)
    if kind == "minimum":
        return T("must be at least %(n)s", n=expected)
    if kind == "maximum":
        return T("must be at most %(n)s", n=expected)
    if kind == "exclusiveMinimum":
        return T("must be above %(n)s", n=expected)
    if kind == "exclusiveMaximum":
        return T("must be below %(n)s", n=expected)
    if kind == "minItems":
        return T("must have at least %(n)s items", n=expected)
    if kind == "maxItems":
        return T("must have at most %(n)s items", n=expected)
    if kind == "minProperties":
        return T("must have at least %(n)s members", n=expected)
    if kind == "maxProperties":
        return T("must have at most %(n)s members", n=expected)
    if kind == "enum":
        return T("must be one of %(values)s", values=wording.keys(expected))
    if kind == "const":
        return T("must be %(value)s", value=json.dumps(expected, ensure_ascii=False))
    if kind == "uniqueItems":
        return T("must not list the same item twice")
    if kind == "not":
        return T("is not allowed here")
    return T("does not have an allowed form (%(keyword)s)", keyword=kind)


def _where(path, document: Any) -> Text | None:
    """Who a schema error is about: `indicator sales_attainment (销售额达成率)` and the like."""
    parts = list(path)
    if len(parts) >= 2 and isinstance(parts[1], int) and isinstance(document, dict):
        listed = document.get(parts[0])
        item = listed[parts[1]] if isinstance(listed, list) else None
        if parts[0] == "examples":
            name = item.get("name") if isinstance(item, dict) else None
            if isinstance(name, str) and name:
                return wording.example(name)
            return wording.item_number("examples", parts[1] + 1)
        if parts[0] in wording.ITEMS:
            if isinstance(item, dict) and isinstance(item.get("key"), str) and item["key"]:
                label = item.get("label") if parts[0] in ("rating", "streaks") else item.get("name")
                return wording.ITEMS[parts[0]](item["key"], label)
            return wording.item_number(parts[0], parts[1] + 1)
    if len(parts) >= 2 and parts[0] == "inputs":
        return wording.input_named(parts[1])
    return None

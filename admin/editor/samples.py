"""Submission inputs as form fields, one per declared input (one per rater kind for ratings)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from admin.editor.values import (
    MISSING,
    bool_text,
    json_text,
    list_text,
    number_text,
    parse_bool,
    parse_json,
    parse_list,
    parse_number,
)


@dataclass
class InputField:
    """One field of a sample-inputs form."""

    name: str  # the form field name
    input: str  # the input it fills
    kind: str | None  # the rater kind, for ratings inputs
    type: str
    label: str
    unit: str
    required: bool
    default: Any = None  # the input's declared default (MISSING-free: None when none)

    @property
    def widget(self) -> str:
        """The form control: a checkbox for yes/no, a date picker for dates, else text."""
        return {"boolean": "boolean", "date": "date"}.get(self.type, "text")


def _inputs(document: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    inputs = document.get("inputs")
    return (
        {k: v for k, v in inputs.items() if isinstance(v, dict)} if isinstance(inputs, dict) else {}
    )


def rater_kinds(
    document: Mapping[str, Any], spec: Mapping[str, Any], value: Any = None
) -> list[str]:
    """The rater kinds a ratings input takes (its own list, else the document's raters)."""
    kinds = spec.get("raters")
    if not isinstance(kinds, list):
        raters = document.get("raters")
        kinds = list(raters) if isinstance(raters, dict) else []
    kinds = [str(k) for k in kinds]
    if isinstance(value, dict):
        kinds += [str(k) for k in value if str(k) not in kinds]
    return kinds


def input_fields(
    document: Mapping[str, Any], prefix: str, inputs: Mapping[str, Any] | None = None
) -> list[InputField]:
    """The fields for `document`'s inputs (and any other names `inputs` carries)."""
    inputs = inputs or {}
    fields = []
    for name, spec in _inputs(document).items():
        label = str(spec.get("label") or name)
        unit = str(spec.get("unit") or "")
        required = spec.get("required", True) is not False and "default" not in spec
        kind_type = str(spec.get("type"))
        if kind_type == "ratings":
            for kind in rater_kinds(document, spec, inputs.get(name)):
                fields.append(
                    InputField(
                        f"{prefix}-{name}-{kind}", name, kind, "ratings", label, unit, required
                    )
                )
        else:
            fields.append(
                InputField(
                    f"{prefix}-{name}",
                    name,
                    None,
                    kind_type,
                    label,
                    unit,
                    required,
                    spec.get("default"),
                )
            )
    declared = _inputs(document)
    for name in inputs:
        if name not in declared:
            fields.append(
                InputField(f"{prefix}-{name}", str(name), None, "json", str(name), "", False)
            )
    return fields


def _rating_text(value: Any) -> str:
    return list_text(value) if isinstance(value, list) else number_text(value)


def to_values(
    document: Mapping[str, Any], prefix: str, inputs: Mapping[str, Any] | None
) -> dict[str, str]:
    """The form values showing `inputs`."""
    inputs = inputs or {}
    values = {}
    for field in input_fields(document, prefix, inputs):
        value = inputs.get(field.input, MISSING)
        if field.kind is not None:
            value = value.get(field.kind, MISSING) if isinstance(value, dict) else MISSING
            values[field.name] = "" if value is MISSING else _rating_text(value)
        elif field.type in ("number", "integer"):
            values[field.name] = number_text(value)
        elif field.type == "boolean":
            values[field.name] = bool_text(field.default is True if value is MISSING else value)
        elif field.type == "list":
            values[field.name] = list_text(value)
        elif field.type == "json":
            values[field.name] = json_text(value)
        else:
            values[field.name] = "" if value is MISSING or value is None else str(value)
    return values


def _same_rating(new: Any, old: Any) -> bool:
    as_list = lambda v: v if isinstance(v, list) else [v]  # noqa: E731
    return as_list(new) == as_list(old)


def from_form(
    document: Mapping[str, Any],
    prefix: str,
    form: Mapping[str, str],
    base: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The inputs the form's fields describe; unchanged values keep their stored form."""
    base = base or {}
    result: dict[str, Any] = {}
    for field in input_fields(document, prefix, base):
        text = form.get(field.name, "")
        if field.kind is not None:
            value = parse_list(text, numbers=True)
            if value is not MISSING and len(value) == 1:
                value = value[0]
            old = base.get(field.input)
            old = old.get(field.kind, MISSING) if isinstance(old, dict) else MISSING
            if value is not MISSING and old is not MISSING and _same_rating(value, old):
                value = old
            if value is not MISSING:
                result.setdefault(field.input, {})[field.kind] = value
            continue
        if field.type in ("number", "integer"):
            value = parse_number(text)
        elif field.type == "boolean":
            value = parse_bool(text)
            if field.input not in base and value is (field.default is True):
                value = MISSING  # an untouched checkbox shows the default: nothing to store
        elif field.type == "list":
            value = parse_list(text, numbers=True)
        elif field.type == "json":
            value = parse_json(text)
        else:
            value = text if text.strip() else MISSING
        if value is not MISSING:
            result[field.input] = value
    return result

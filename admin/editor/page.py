"""The draft editor page's data: posted values, problems by field, choices, trying a sample."""

from __future__ import annotations

import json
from typing import Any

from flask_babel import gettext
from werkzeug.datastructures import MultiDict

from admin.editor import fields, problems, samples
from server.engine import DocumentInvalid, SubmissionRejected, compile_ruleset, parse_period
from server.services import drafting
from server.storage.console_models import Draft


def plain_json(document: Any) -> None:
    """ValueError unless the document is plain JSON data (no binary, no infinities)."""
    try:
        json.dumps(document, allow_nan=False, ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError, UnicodeError):
        raise ValueError(
            gettext("Only plain values can be stored: text, numbers, yes/no, lists and mappings.")
        ) from None


def posted_values(base: dict[str, Any], form: MultiDict) -> dict[str, str]:
    """The fields as shown for `base`, overridden by what was posted (checkboxes included)."""
    values = fields.to_values(base)
    values.update({k: v for k, v in form.items() if k not in ("_cb", "action", "csrf_token")})
    for name in form.getlist("_cb"):
        values[name] = form.get(name, "")
    return values


def editor_context(draft: Draft, document: dict[str, Any]) -> dict[str, Any]:
    """What the editor template needs: values, problems by field, choices, weight sums."""
    values = fields.to_values(document)
    report = drafting.check(document)
    known = problems.known_names(values)
    errors = problems.by_field(report.errors, document, known)
    warnings = problems.by_field(report.warnings, document, known)
    sums, total = drafting.weight_sums(document)
    dims = [
        (str(d.get("key")), f"{d.get('name')} ({d.get('key')})")
        for d in fields.items(document, "dimensions")
    ]
    inds = [
        (str(i.get("key")), f"{i.get('name')} ({i.get('key')})")
        for i in fields.items(document, "indicators")
    ]
    bands = [
        (str(b.get("key")), f"{b.get('label')} ({b.get('key')})")
        for b in fields.items(document, "rating")
    ]
    return {
        "draft": draft,
        "doc": document,
        "values": values,
        "errors": errors,
        "warnings": warnings,
        "error_count": len(report.errors),
        "warning_count": len(report.warnings),
        "has_problems": lambda prefix: any(
            k == prefix or k.startswith(prefix + "-") for k in errors
        ),
        "sums": sums,
        "total": total,
        "dimension_choices": dims,
        "indicator_choices": inds,
        "band_choices": [("", "")] + bands,
        "period_choices": [(k, gettext(k)) for k in ("month", "quarter", "half", "year")],
        "input_types": [
            (t, t) for t in ("number", "integer", "boolean", "string", "date", "ratings", "list")
        ],
        "scoring_choices": [
            ("", gettext("value as score (0..100)")),
            ("linear", gettext("linear")),
            ("bands", gettext("bands")),
            ("formula", gettext("formula")),
        ],
        "score_ops": [(o, gettext(o)) for o in fields.SCORE_OPS],
        "total_ops": [("", "")] + [(o, gettext(o)) for o in fields.TOTAL_OPS],
        "rating_ops": [("", ""), ("max", gettext("at most")), ("set", gettext("set to"))],
        "sample_fields": lambda prefix, inputs: samples.input_fields(
            document, prefix, inputs if isinstance(inputs, dict) else {}
        ),
    }


def try_sample(
    document: dict[str, Any], sample: dict[str, Any]
) -> tuple[Any, dict[str, list[str]]]:
    """Evaluate a sample submission on a draft: the result, or problems by form field."""
    try:
        compiled = compile_ruleset(document)
    except DocumentInvalid as exc:
        return None, {
            "general": [gettext("The draft has problems; fix them in the form first.")]
            + [f"{p.path}: {p.message}" for p in exc.problems[:10]]
        }
    try:
        parse_period(sample["period"])
        result = compiled.evaluate(
            sample["inputs"], sample["period"], employee_id=sample["employee_id"] or None
        )
    except ValueError as exc:
        return None, {"period": [str(exc)]}
    except SubmissionRejected as exc:
        found: dict[str, list[str]] = {}
        for p in exc.problems:
            parts = problems.split_pointer(p.path)
            name = (
                "sample-" + "-".join(parts[1:3])
                if parts[:1] == ["inputs"] and len(parts) > 1
                else "general"
            )
            if parts[:1] == ["period"]:
                name = "period"
            found.setdefault(name, []).append(p.message)
        return None, found
    return result, {}

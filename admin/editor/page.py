"""The draft editor page's data: posted values, problems by field, choices, trying a sample."""

from __future__ import annotations

import json
from typing import Any

from flask_babel import gettext
from werkzeug.datastructures import MultiDict

from admin import labels
from admin.editor import examples, fields, problems, samples, weights
from admin.i18n import engine_locale
from server.engine import DocumentInvalid, SubmissionRejected, compile_ruleset, parse_period
from server.engine.language import render
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


def _choices(document: dict[str, Any], section: str, label: str) -> list[tuple[str, str]]:
    return [
        (str(i.get("key")), str(i.get(label) or i.get("key")))
        for i in fields.items(document, section)
    ]


def checked(document: dict[str, Any]) -> dict[str, Any]:
    """The validator's verdict on a document, placed beside the form's fields."""
    values = fields.to_values(document)
    report = drafting.check(document)
    known = problems.known_names(values)
    locale = engine_locale()
    listed = [
        {"field": name, "anchor": problems.anchor(name), "message": message, "level": level}
        for level, found in (("error", report.errors), ("warning", report.warnings))
        for name, message in problems.listed(found, document, known, locale)
    ]
    return {
        "values": values,
        "report": report,
        "errors": problems.by_field(report.errors, document, known, locale),
        "warnings": problems.by_field(report.warnings, document, known, locale),
        "problem_list": listed,
    }


def status_text(error_count: int, warning_count: int) -> dict[str, str]:
    """The sidebar's verdict: never "ready to publish" while a problem exists."""
    return {
        "summary": gettext("%(n)s problems to fix", n=error_count)
        if error_count
        else gettext("Valid: ready to publish"),
        "warnings": gettext("%(n)s warnings", n=warning_count) if warning_count else "",
    }


def editor_context(draft: Draft, document: dict[str, Any]) -> dict[str, Any]:
    """What the editor template needs: values, problems by field, choices, weight sums."""
    verdict = checked(document)
    report = verdict["report"]
    errors = verdict["errors"]
    sums, total = drafting.weight_sums(document)
    bands = _choices(document, "rating", "label")
    return {
        "draft": draft,
        "doc": document,
        "values": verdict["values"],
        "errors": errors,
        "warnings": verdict["warnings"],
        "problem_list": verdict["problem_list"],
        "error_count": len(report.errors),
        "warning_count": len(report.warnings),
        "status": status_text(len(report.errors), len(report.warnings)),
        "has_problems": lambda prefix: any(
            k == prefix or k.startswith(prefix + "-") for k in errors
        ),
        "sums": sums,
        "total": total,
        "groups": weights.by_dimension(document),
        "weight_adjustments": weights.weight_adjustments(document),
        "example_outcomes": examples.outcomes(document) if report.errors else {},
        "dimension_choices": _choices(document, "dimensions", "name"),
        "indicator_choices": _choices(document, "indicators", "name"),
        "band_choices": [("", "")] + bands,
        "period_choices": [(k, gettext(k)) for k in ("month", "quarter", "half", "year")],
        "input_types": [(t, labels.input_type(t)) for t in labels.INPUT_TYPES],
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


def live_check(draft: Draft, document: dict[str, Any], keep: bool) -> dict[str, Any]:
    """The editor's answer while HR types: the same validation as on save, as JSON data."""
    kept = weights.kept_differences(draft.document, document)
    if keep:
        weights.keep_differences(draft.document, document)
    verdict = checked(document)
    report = verdict["report"]
    sums, total = drafting.weight_sums(document)
    return {
        "error_count": len(report.errors),
        "warning_count": len(report.warnings),
        "status": status_text(len(report.errors), len(report.warnings)),
        "problems": verdict["problem_list"],
        "sums": [{"key": s.key, "total": s.total, "ok": s.ok} for s in sums],
        "total": total,
        "adjusted": [
            {
                "index": a.index,
                "total": a.total,
                "weights": {k: w for k, w in a.effective.items()},
            }
            for a in weights.weight_adjustments(document)
        ],
        "kept": [
            gettext(
                "%(adjustment)s: %(indicator)s %(before)s → %(after)s",
                adjustment=k.adjustment_name,
                indicator=k.indicator_name,
                before=k.before,
                after=k.after,
            )
            for k in kept
        ],
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
            + [render(p.message, engine_locale()) for p in exc.problems[:10]]
        }
    try:
        parse_period(sample["period"])
        result = compiled.evaluate(
            sample["inputs"], sample["period"], employee_id=sample["employee_id"] or None
        )
    except ValueError as exc:
        return None, {"period": [render(exc.args[0], engine_locale()) if exc.args else str(exc)]}
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
            found.setdefault(name, []).append(render(p.message, engine_locale()))
        return None, found
    return result, {}

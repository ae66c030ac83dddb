"""Stored results: a filtered list, one result with its breakdown chart, a period's distribution."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_admin import expose
from flask_babel import gettext

from admin.labels import role_names
from admin.views.base import ConsoleView, int_arg, not_found
from server.services.domain_errors import Invalid, NotFound
from server.services.reading import get_record, get_revision
from server.services.reports import distribution
from server.services.reviewing import get_feedback
from server.storage import result_queries, version_queries

PAGE_SIZE = 50
FILTERS = {"role": "role", "period": "period", "rating": "rating", "employee": "employee_id"}


def band_labels(role: str) -> dict[str, str]:
    """Rating key -> label from the role's latest version (keys as labels if none)."""
    row = version_queries.latest_version(role) if role else None
    bands = row.document.get("rating", []) if row else []
    return {b["key"]: b.get("label", b["key"]) for b in bands if isinstance(b, dict) and "key" in b}


def all_band_labels(role: str = "") -> dict[str, str]:
    """Rating key -> label for one role, or for every role (the first label of a key wins)."""
    labels: dict[str, str] = {}
    for each in [role] if role else list(role_names()):
        for key, label in band_labels(each).items():
            labels.setdefault(key, label)
    return labels


def adjustment_names(document: dict[str, Any]) -> dict[str, str]:
    """Adjustment key -> name in a ruleset document."""
    found = document.get("adjustments") if isinstance(document, dict) else None
    return {
        str(a["key"]): str(a.get("name") or a["key"])
        for a in (found if isinstance(found, list) else [])
        if isinstance(a, dict) and "key" in a
    }


def filter_choices() -> dict[str, list[str]]:
    """The roles, periods and ratings present in stored results, for the filter selects."""
    return result_queries.stored_choices()


def histogram(report: dict[str, Any]) -> list[tuple[str, float]]:
    """The report's bins as chart bars: 0–10, ..., 90–100, 100+."""
    return [
        (f"{b['from']}–{b['to']}" if b["to"] is not None else f"{b['from']}+", float(b["count"]))
        for b in report["histogram"]
    ]


class ResultView(ConsoleView):
    """Read-only pages over the stored evaluation revisions."""

    @expose("/")
    def index(self) -> Any:
        filters = {
            k: request.args.get(k, "").strip()[:200]
            for k in ("role", "period", "rating", "employee")
        }
        page = int_arg("page", 1, hi=100000) or 1
        given = {FILTERS[k]: v for k, v in filters.items() if v}
        rows, count = result_queries.newest_latest(given, page, PAGE_SIZE)
        return self.render(
            "scorecard/results.html",
            rows=rows,
            filters=filters,
            page=page,
            count=count,
            pages=max(1, -(-count // PAGE_SIZE)),
            choices=filter_choices(),
            role_names=role_names(),
            rating_names=all_band_labels(filters["role"]),
        )

    @expose("/<int:record_id>")
    def show(self, record_id: int) -> Any:
        try:
            record = get_record(record_id)
        except NotFound:
            raise not_found(gettext("No stored result %(id)s.", id=record_id)) from None
        chosen = int_arg("revision")
        result = record
        if chosen and chosen != record["revision"]:
            result = get_revision(record_id, chosen)
            if result is None:
                raise not_found(gettext("No revision %(n)s.", n=chosen))
        row = version_queries.get_version(record["role"], result["ruleset"]["version"])
        document = row.document if row else {}
        return self.render(
            "scorecard/result.html",
            record=record,
            result=result,
            document=document,
            bands=band_labels(record["role"]),
            adjustment_names=adjustment_names(document),
            feedback=get_feedback(record_id),  # the written feedback, or the suggestion
        )

    @expose("/distribution")
    def distribution(self) -> Any:
        choices = filter_choices()
        role = request.args.get("role", "") or (choices["roles"][0] if choices["roles"] else "")
        periods = result_queries.stored_periods(role)
        period = request.args.get("period", "") or (periods[-1] if periods else "")
        report = None
        if role and period:
            try:
                report = distribution(role, period)
            except (NotFound, Invalid):
                report = None
        counts = report["counts"] if report else {}
        labels = report["labels"] if report else {}
        order = list(counts)
        bars = [(labels.get(k, k), float(counts[k])) for k in order]
        guides = {
            g["rating"]: {k: v for k, v in g.items() if v is not None}
            for g in (report["guidelines"] if report else [])
        }
        stats = {k: report[k] if report else None for k in ("mean", "min", "max")}
        stats["count"] = report["count"] if report else 0
        return self.render(
            "scorecard/distribution.html",
            roles=choices["roles"],
            role=role,
            periods=periods,
            period=period,
            bars=bars,
            stats=stats,
            histogram=histogram(report) if report else [],
            shares=[(labels.get(k, k), report["shares"][k], guides.get(k)) for k in order],
        )

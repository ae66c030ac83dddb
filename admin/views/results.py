"""Stored results: a filtered list, one result with its breakdown chart, a period's distribution."""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask import request
from flask_admin import expose
from flask_babel import gettext

from admin.views.base import ConsoleView, int_arg, not_found
from server import rulesets
from server.errors import NotFound
from server.results import get_record
from server.storage import EvaluationRecord, EvaluationRevision
from server.submissions import latest_revision_filter

PAGE_SIZE = 50
HISTOGRAM_WIDTH = 10


def latest_query(role: str = "", period: str = "", rating: str = "", employee: str = ""):
    """Latest revisions, newest records first, filtered by what is given."""
    query = (
        EvaluationRevision.select(EvaluationRevision, EvaluationRecord)
        .join(EvaluationRecord)
        .where(latest_revision_filter())
    )
    if role:
        query = query.where(EvaluationRecord.role == role)
    if period:
        query = query.where(EvaluationRecord.period == period)
    if rating:
        query = query.where(EvaluationRevision.rating == rating)
    if employee:
        query = query.where(EvaluationRecord.employee_id == employee)
    return query


def band_labels(role: str) -> dict[str, str]:
    """Rating key -> label from the role's latest version (keys as labels if none)."""
    row = rulesets.latest_version(role) if role else None
    bands = row.document.get("rating", []) if row else []
    return {b["key"]: b.get("label", b["key"]) for b in bands if isinstance(b, dict) and "key" in b}


def _distinct(query) -> list[str]:
    return sorted({value for (value,) in query.distinct().tuples() if value is not None})


def filter_choices() -> dict[str, list[str]]:
    """The roles, periods and ratings present in stored results, for the filter selects."""
    return {
        "roles": _distinct(EvaluationRecord.select(EvaluationRecord.role)),
        "periods": _distinct(EvaluationRecord.select(EvaluationRecord.period)),
        "ratings": _distinct(EvaluationRevision.select(EvaluationRevision.rating)),
    }


def guidelines(role: str) -> dict[str, dict[str, Any]]:
    """Rating key -> {min_share, max_share} from the latest version's `distribution` guidelines."""
    row = rulesets.latest_version(role) if role else None
    items = row.document.get("distribution", []) if row else []
    return {g["rating"]: g for g in items if isinstance(g, dict) and "rating" in g}


def histogram(totals: list[float]) -> list[tuple[str, float]]:
    """Counts per 10-point bin from 0 to 100+, a negative total in the first bin."""
    bins = Counter(min(max(int(t // HISTOGRAM_WIDTH), 0), 10) for t in totals)
    return [
        (f"{i * 10}–{i * 10 + 10}" if i < 10 else "100+", float(bins.get(i, 0))) for i in range(11)
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
        query = latest_query(**filters).order_by(EvaluationRecord.id.desc())
        count = query.count()
        rows = list(query.paginate(page, PAGE_SIZE))
        return self.render(
            "scorecard/results.html",
            rows=rows,
            filters=filters,
            page=page,
            count=count,
            pages=max(1, -(-count // PAGE_SIZE)),
            choices=filter_choices(),
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
            row = (
                EvaluationRevision.select()
                .where(
                    (EvaluationRevision.record == record_id)
                    & (EvaluationRevision.revision == chosen)
                )
                .first()
            )
            if row is None:
                raise not_found(gettext("No revision %(n)s.", n=chosen))
            result = {
                **row.result,
                "revision": row.revision,
                "reason": row.reason,
                "inputs": row.inputs,
            }
        return self.render("scorecard/result.html", record=record, result=result)

    @expose("/distribution")
    def distribution(self) -> Any:
        choices = filter_choices()
        role = request.args.get("role", "") or (choices["roles"][0] if choices["roles"] else "")
        periods = _distinct(
            EvaluationRecord.select(EvaluationRecord.period).where(EvaluationRecord.role == role)
        )
        period = request.args.get("period", "") or (periods[-1] if periods else "")
        rows = list(latest_query(role=role, period=period)) if role and period else []
        labels = band_labels(role)
        counts = Counter(r.rating for r in rows)
        order = list(labels) + sorted(k for k in counts if k not in labels)
        bars = [(labels.get(k, k), float(counts.get(k, 0))) for k in order]
        totals = [r.total for r in rows if r.total is not None]
        guides = guidelines(role)
        stats = {
            "count": len(rows),
            "mean": sum(totals) / len(totals) if totals else None,
            "min": min(totals, default=None),
            "max": max(totals, default=None),
        }
        return self.render(
            "scorecard/distribution.html",
            roles=choices["roles"],
            role=role,
            periods=periods,
            period=period,
            bars=bars,
            stats=stats,
            histogram=histogram(totals),
            shares=[
                (label, n / len(rows) if rows else 0.0, guides.get(key))
                for key, (label, n) in zip(order, bars)
            ],
        )

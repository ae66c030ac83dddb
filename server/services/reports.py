"""Reports over a role's period: the rating distribution and the results as a table.

Both read the latest revision of each employee. Rating labels, indicator names and the
distribution guidelines come from the version in force for the period (the latest version
when none is). Shared by the API, the console and `scorecard evaluate`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from server.engine import CompiledRuleset, parse_period
from server.engine.language import T
from server.engine.periods import A_PERIOD, PER_PERIOD
from server.engine.problems import reason
from server.engine.wording import either
from server.services import versions
from server.services.domain_errors import Invalid, Issue
from server.storage import result_queries, version_queries
from server.storage.models import RulesetVersion

BIN_WIDTH = 10
TOP_BIN = 100  # totals from 100 up share one open bin {from: 100, to: null}
HEADERS = {  # zh-CN and en headers of the fixed columns of a results table
    "employee_id": ("员工编号", "Employee ID"),
    "total": ("总分", "Total"),
    "rating": ("评级", "Rating"),
    "bonus_multiplier": ("奖金系数", "Bonus multiplier"),
    "outcomes": ("连续考核结果", "Outcomes"),
    "version": ("规则版本", "Ruleset version"),
    "revision": ("修订号", "Revision"),
}
OUTCOME_SEPARATOR = {"zh": "；", "en": "; "}


def ruleset_for(role: str, period: str) -> tuple[RulesetVersion, CompiledRuleset]:
    """The version whose labels and guidelines describe a role's period; NotFound for an
    unknown role, Invalid at `period` for a period that is not one of the role's kind."""
    known = versions.require_role(role)
    try:
        parsed = parse_period(period)
    except ValueError as exc:
        raise Invalid(T("not a period"), [Issue(reason(exc), "period")]) from None
    kinds = {parse_period(v.effective_from).kind for v in known}
    if parsed.kind not in kinds:
        message = T(
            "%(role)s is evaluated %(per)s; %(period)s is %(kind)s",
            role=role,
            per=either(PER_PERIOD[k] for k in sorted(kinds)),
            period=period,
            kind=A_PERIOD[parsed.kind],
        )
        raise Invalid(T("wrong kind of period"), [Issue(message, "period")])
    row = versions.version_in_force(known, parsed.start) or known[-1]
    return row, versions.compiled(row)


def histogram(totals: Iterable[float]) -> list[dict[str, Any]]:
    """Counts in bins of 10 from 0 to 100 and one from 100 up; a negative total in the first."""
    last = TOP_BIN // BIN_WIDTH
    counts = Counter(min(max(int(t // BIN_WIDTH), 0), last) for t in totals)
    return [
        {
            "from": i * BIN_WIDTH,
            "to": (i + 1) * BIN_WIDTH if i < last else None,
            "count": counts.get(i, 0),
        }
        for i in range(last + 1)
    ]


def _guidelines(
    document: dict[str, Any], shares: dict[str, float], labels: dict[str, str]
) -> list[dict[str, Any]]:
    found = []
    for item in document.get("distribution") or []:
        share = shares.get(item["rating"], 0.0)
        low, high = item.get("min_share"), item.get("max_share")
        within = (low is None or share >= low) and (high is None or share <= high)
        found.append(
            {
                "rating": item["rating"],
                "label": item.get("label") or labels.get(item["rating"], item["rating"]),
                "min_share": low,
                "max_share": high,
                "share": share,
                "within": within,
            }
        )
    return found


def distribution(role: str, period: str) -> dict[str, Any]:
    """GET /reports/distribution: counts and shares per rating, mean, min, max, histogram,
    and each distribution guideline of the ruleset with whether the period is within it."""
    row, compiled = ruleset_for(role, period)
    stored = result_queries.period_ratings(role, period)
    labels = {band.key: band.label for band in compiled.bands}
    counts = dict.fromkeys(labels, 0)
    for rating, _ in stored:
        counts[rating] = counts.get(rating, 0) + 1
    count = len(stored)
    shares = {key: (n / count if count else 0.0) for key, n in counts.items()}
    totals = [total for _, total in stored if total is not None]
    mean = float(sum(Decimal(repr(t)) for t in totals) / len(totals)) if totals else None
    return {
        "role": role,
        "period": period,
        "count": count,
        "counts": counts,
        "shares": shares,
        "mean": mean,
        "min": min(totals, default=None),
        "max": max(totals, default=None),
        "histogram": histogram(totals),
        "guidelines": _guidelines(compiled.document, shares, labels),
        "version": row.version,
        "labels": labels,
    }


class Table:
    """Builds a results table: the columns from rulesets' indicators, a row per result."""

    def __init__(self, compiled: CompiledRuleset) -> None:
        self.lang = 1 if compiled.language == "en" else 0
        self.names: dict[str, str] = {}
        self.labels = {band.key: band.label for band in compiled.bands}
        self.add_indicators(compiled.document["indicators"])

    def add_indicators(self, indicators: Iterable[dict[str, Any]]) -> None:
        """Columns for indicators not seen yet (another version's), after the others."""
        for ind in indicators:
            self.names.setdefault(ind["key"], ind.get("name") or ind["key"])

    def header(self) -> list[str]:
        fixed = [HEADERS[k][self.lang] for k in HEADERS if k != "employee_id"]
        return [HEADERS["employee_id"][self.lang], *self.names.values(), *fixed]

    def row(self, result: dict[str, Any], revision: int | None) -> list[Any]:
        scores = {ind["key"]: ind.get("score") for ind in result.get("indicators", [])}
        rating = result["rating"]
        separator = OUTCOME_SEPARATOR["en" if self.lang else "zh"]
        return [
            result.get("employee_id"),
            *(scores.get(key) for key in self.names),
            result["total"],
            self.labels.get(rating["key"]) or rating.get("label") or rating["key"],
            result.get("bonus_multiplier"),
            separator.join(o.get("label") or o["key"] for o in result.get("outcomes", [])),
            (result.get("ruleset") or {}).get("version"),
            revision,
        ]


def results_table(
    results: list[dict[str, Any]], compiled: CompiledRuleset
) -> tuple[list[str], list[list[Any]]]:
    """One row per result: employee, each indicator's score, total, rating (its label),
    bonus multiplier, outcomes, version and revision; headers in the ruleset's language."""
    table = Table(compiled)
    for result in results:
        table.add_indicators(result.get("indicators", []))
    return table.header(), [table.row(result, result.get("revision")) for result in results]


def export(role: str, period: str) -> tuple[list[str], list[list[Any]]]:
    """GET /evaluations/export: the period's latest results as a table, by employee id.

    Stored results are decoded one at a time (a period may hold 100,000 of them); the
    columns come from the versions those results were stored under.
    """
    _, compiled = ruleset_for(role, period)
    table = Table(compiled)
    for number in result_queries.period_versions(role, period):
        version = version_queries.get_version(role, number)
        if version is not None:
            table.add_indicators(versions.compiled(version).document["indicators"])
    rows = [
        table.row(result, revision)
        for result, revision in result_queries.period_results(role, period)
    ]
    return table.header(), rows

"""What auditors and HR read: a diff of two versions, the impact of a change, the rating
distribution of a period, and a period's results as a spreadsheet."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, request

from server.api import query
from server.api.body import json_body
from server.api.error_handler import MalformedRequest
from server.api.key_auth import requires
from server.engine import diff_documents, summarize_changes
from server.engine.language import T
from server.services import impact, reports, table_files, versions
from server.services.domain_errors import NotFound
from server.storage import version_queries

bp = Blueprint("api_analysis", __name__)
SUMMARY = {  # the one-line summary of a diff, in the ruleset's language
    "zh": "{role} 版本 {a} → {b}：新增 {added} 项，删除 {removed} 项，修改 {changed} 项",
    "en": "{role} version {a} → {b}: {added} added, {removed} removed, {changed} changed",
}


@bp.get("/rulesets/<role>/diff")
@requires("read")
def diff(role: str) -> dict[str, Any]:
    """What changes from version `from` to version `to`, matched by key, with a sentence each."""
    versions.require_role(role)
    numbers = query.versions("from", "to")
    rows = {}
    for name, number in numbers.items():
        rows[name] = version_queries.get_version(role, number)
        if rows[name] is None:
            raise NotFound(T("%(role)s has no version %(version)s", role=role, version=number))
    changes = diff_documents(rows["from"].document, rows["to"].document)
    counts = summarize_changes(changes)
    language = "en" if rows["to"].document.get("language") == "en" else "zh"
    summary = SUMMARY[language].format(role=role, a=numbers["from"], b=numbers["to"], **counts)
    return {
        "role": role,
        "from": numbers["from"],
        "to": numbers["to"],
        "changes": changes,
        "counts": counts,
        "summary": summary,
    }


@bp.post("/rulesets/<role>/impact")
@requires("publish")
def impact_of(role: str) -> dict[str, Any]:
    """Version `to` or a draft `document` applied to the inputs stored for `period`."""
    versions.require_role(role)
    body = json_body("impact")
    before, after = impact.rulesets_of(role, body)
    return impact.analyse(role, body["period"], after, before).as_json()


@bp.get("/reports/distribution")
@requires("read")
def distribution() -> dict[str, Any]:
    """Counts and shares per rating, mean, min, max and histogram of a role's period."""
    args = query.required("role", "period")
    return reports.distribution(args["role"], args["period"])


@bp.get("/evaluations/export")
@requires("read")
def export() -> Response:
    """The latest results of a role's period as CSV (default) or XLSX, Chinese headers."""
    kind = request.args.get("format", "csv") or "csv"
    if kind not in table_files.FORMATS:
        raise MalformedRequest(T("format must be csv or xlsx, not %(text)r", text=kind[:50]))
    args = query.required("role", "period")
    header, rows = reports.export(args["role"], args["period"])
    name = f"{args['role']}-{args['period']}.{kind}"
    data = table_files.table_bytes(kind, header, rows, title=f"{args['role']} {args['period']}")
    disposition = f"attachment; filename=\"scorecard-{args['period']}.{kind}\"; filename*=UTF-8''{quote(name)}"
    return Response(
        data, mimetype=table_files.media_type(kind), headers={"Content-Disposition": disposition}
    )

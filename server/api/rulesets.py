"""Ruleset versions: list, read, export, validate, publish."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from server import paging, rulesets
from server.api.body import json_body
from server.auth import actor, requires
from server.engine import dump_yaml, validate_document
from server.errors import MalformedRequest, NotFound
from server.schemas import schema_set
from server.storage import RulesetVersion

bp = Blueprint("rulesets", __name__)


def _version(role: str, version: int) -> RulesetVersion:
    row = rulesets.get_version(role, version)
    if row is None:
        known = bool(rulesets.versions_of(role))
        raise NotFound(f"{role} has no version {version}" if known else f"unknown role {role!r}")
    return row


@bp.get("/rulesets/<role>/versions")
@requires("read")
def list_versions(role: str) -> dict[str, Any]:
    """A role's versions, oldest first (404 for an unknown role)."""
    if not rulesets.versions_of(role):
        raise NotFound(f"unknown role {role!r}")
    query = RulesetVersion.select(*rulesets.META).where(RulesetVersion.role == role)
    limit = paging.parse_limit(request.args.get("limit"))
    rows, after = paging.page(
        query, [RulesetVersion.version], lambda r: [r.version], limit, request.args.get("cursor")
    )
    return {"items": [rulesets.version_meta(r) for r in rows], "next": after}


@bp.get("/rulesets/<role>/versions/<int:version>")
@requires("read")
def get_version(role: str, version: int) -> dict[str, Any]:
    """One version with its document."""
    row = _version(role, version)
    return {**rulesets.version_meta(row), "document": row.document}


@bp.get("/rulesets/<role>/versions/<int:version>/export")
@requires("read")
def export_version(role: str, version: int) -> Response:
    """The version's document as YAML."""
    if request.args.get("format", "yaml") != "yaml":
        raise MalformedRequest("format must be yaml")
    row = _version(role, version)
    return Response(dump_yaml(row.document), mimetype="application/yaml")


@bp.post("/rulesets/validate")
@requires("publish")
def validate() -> dict[str, Any]:
    """Validate a document, examples included; always 200, nothing stored."""
    body = json_body()
    problems = schema_set().problems("validate", body)
    if problems:
        return {"valid": False, "errors": [p.as_dict() for p in problems], "warnings": []}
    report = validate_document(body["document"], check_examples=True)
    return {
        "valid": report.valid,
        "errors": [p.under("/document").as_dict() for p in report.errors],
        "warnings": [p.under("/document").as_dict() for p in report.warnings],
    }


@bp.post("/rulesets/<role>/versions")
@requires("publish")
def publish(role: str) -> tuple[dict[str, Any], int]:
    """Publish the next version (201), or answer the latest when it is the same document (200)."""
    body = json_body("publish")
    published = rulesets.publish(
        role, body["document"], body["effective_from"], body.get("note") or "", actor()
    )
    answer = {
        **rulesets.version_meta(published.row),
        "warnings": [p.as_dict() for p in published.warnings],
    }
    return answer, 201 if published.created else 200

"""Ruleset versions: list, read, export, validate, publish."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, request

from server.api import query
from server.api.body import json_body
from server.api.error_handler import MalformedRequest
from server.api.key_auth import actor, requires
from server.config import approval_required
from server.engine import dump_yaml, validate_document
from server.engine.language import T
from server.schemas import schema_set
from server.services import publishing, versions
from server.storage import version_queries

bp = Blueprint("rulesets", __name__)


@bp.get("/rulesets/<role>/versions")
@requires("read")
def list_versions(role: str) -> dict[str, Any]:
    """A role's versions, oldest first (404 for an unknown role)."""
    versions.require_role(role)
    rows, after = version_queries.versions_page(role, query.limit(), query.cursor())
    return {"items": [versions.version_meta(r) for r in rows], "next": after}


@bp.get("/rulesets/<role>/versions/<int:version>")
@requires("read")
def get_version(role: str, version: int) -> dict[str, Any]:
    """One version with its document."""
    row = versions.require_version(role, version)
    return {**versions.version_meta(row), "document": row.document}


@bp.get("/rulesets/<role>/versions/<int:version>/export")
@requires("read")
def export_version(role: str, version: int) -> Response:
    """The version's document as YAML."""
    if request.args.get("format", "yaml") != "yaml":
        raise MalformedRequest(T("format must be yaml"))
    row = versions.require_version(role, version)
    return Response(dump_yaml(row.document), mimetype="application/yaml")


@bp.post("/rulesets/validate")
@requires("publish")
def validate() -> dict[str, Any]:
    """Validate a document, examples included; always 200, nothing stored."""
    body = json_body()
    problems = schema_set().problems("validate", body)
    if problems:
        errors = [p.as_dict() for p in problems]
        return {"valid": False, "errors": errors, "warnings": [], "coverage": None}
    report = validate_document(body["document"], check_examples=True)
    return {
        "valid": report.valid,
        "errors": [p.under("/document").as_dict() for p in report.errors],
        "warnings": [p.under("/document").as_dict() for p in report.warnings],
        "coverage": report.coverage,
    }


@bp.post("/rulesets/<role>/versions")
@requires("publish")
def publish(role: str) -> tuple[dict[str, Any], int]:
    """Publish the next version (201), or answer the latest when it is the same document (200)."""
    required = approval_required(current_app.config)
    publishing.refuse_when_approval_required(role, required)  # before reading the body
    body = json_body("publish")
    published = publishing.publish(
        role, body["document"], body["effective_from"], body.get("note") or "", actor()
    )
    warnings = [p.under("/document").as_dict() for p in published.warnings]
    answer = {
        **versions.version_meta(published.row),
        "warnings": warnings,
        "coverage": published.coverage,
    }
    return answer, 201 if published.created else 200

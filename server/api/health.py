"""Liveness and readiness, at the root (no authentication)."""

from __future__ import annotations

from flask import Blueprint

from server import storage

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz() -> dict[str, str]:
    """The database answers a query (503 otherwise)."""
    storage.ping()
    return {"status": "ready"}

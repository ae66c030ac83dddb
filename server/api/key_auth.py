"""Authenticating API requests: the `Authorization: Bearer` key, its scopes, the actor."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import g, request

from server.api.error_handler import Forbidden, Unauthenticated
from server.engine.language import T
from server.services import api_keys
from server.storage.key_queries import LiveKey


def authenticate(header: str | None) -> LiveKey:
    """The live key named by an `Authorization: Bearer` header, or Unauthenticated."""
    scheme, _, key = (header or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise Unauthenticated(T("send an API key as Authorization: Bearer <key>"))
    row = api_keys.live_key(key)
    if row is None:
        raise Unauthenticated(T("the API key is unknown or revoked"))
    return row


def actor() -> str:
    """Who is acting in this request, as written to the audit log and `created_by`."""
    key = g.get("api_key")
    return f"key:{key.name}" if key is not None else "anonymous"


def has_scope(scope: str) -> bool:
    """Whether the request's key carries `scope`."""
    key = g.get("api_key")
    return key is not None and scope in key.scopes.split(",")


def require_scope(scope: str) -> None:
    """Raise Forbidden unless the request's key carries `scope`."""
    if not has_scope(scope):
        raise Forbidden(T("this API key lacks the %(scope)s scope", scope=scope), [])


def requires(scope: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a view: authenticate the request (401) and demand `scope` (403)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            g.api_key = authenticate(request.headers.get("Authorization"))
            require_scope(scope)
            return view(*args, **kwargs)

        return wrapped

    return decorate

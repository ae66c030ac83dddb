"""The HTTP API: blueprints under /api/v1, plus /healthz and /readyz at the root."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.routing import PathConverter

from server.api.error_handler import MalformedRequest
from server.engine.language import T

API_PREFIX = "/api/v1"


class TextConverter(PathConverter):
    """Like `path`, newlines included: every employee_id that can be stored can be named."""

    regex = "[^/](?s:.)*?"


def _reject_nul() -> None:
    # no database stores NUL in text; a URL carrying one names nothing that can exist
    environ = request.environ
    query = environ.get("QUERY_STRING", "")
    if "\x00" in request.path or (
        ("%00" in query or "\x00" in query)  # the only ways a NUL gets into the arguments
        and any("\x00" in k + v for k, v in request.args.items(multi=True))
    ):
        raise MalformedRequest(T("the URL contains a NUL character"))


def init_app(app: Flask) -> None:
    """Register the API's blueprints."""
    from server.api import (
        analysis,
        audit,
        closing,
        error_handler,
        evaluations,
        health,
        locale,
        meta,
        plans,
        proposals,
        reviews,
        rulesets,
        tracking,
    )

    error_handler.init_app(app)
    locale.init_app(app)  # first: every later text of the request is in its language
    app.url_map.converters["text"] = TextConverter
    app.before_request(_reject_nul)
    app.register_blueprint(health.bp)
    for module in (
        meta,
        rulesets,
        evaluations,
        tracking,
        analysis,
        closing,
        audit,
        plans,
        proposals,
    ):
        app.register_blueprint(module.bp, url_prefix=API_PREFIX)
    app.register_blueprint(reviews.bp, url_prefix=API_PREFIX)

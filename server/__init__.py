"""The Scorecard server: `create_app()` assembles the Flask app from its subsystems."""

from __future__ import annotations

from typing import Any

from flask import Flask


def create_app(config: Any = None) -> Flask:
    """Build the app; `config` is a Config object (default: read from the environment)."""
    from server import api, storage
    from server.api.json_provider import FastJSONProvider
    from server.config import Config
    from server.services import api_keys

    app = Flask(__name__, static_folder=None)
    app.config.from_object(config if config is not None else Config())
    app.json = FastJSONProvider(app)  # key order kept (the SPEC's field order), UTF-8 kept

    storage.init_app(app)
    api_keys.configure(app.config.get("ARGON2_PARAMETERS", {}))
    api.init_app(app)
    _init_admin(app)
    _trust_proxies(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind PROXY_FIX reverse proxies, take the client's address and scheme (https: Secure
    cookies, HSTS) from their X-Forwarded-* headers; without it those headers are ignored."""
    count = app.config.get("PROXY_FIX", 0)
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def _init_admin(app: Flask) -> None:
    """The admin console (SPEC §7) attaches itself here once it exists."""
    import admin

    if hasattr(admin, "init_app"):
        admin.init_app(app)

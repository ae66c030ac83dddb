"""The admin console (SPEC §7): flask-admin views over the same engine and storage as the API.

`init_app(app)` attaches everything to one app and is safe to call again on the same app;
every app gets its own `Admin()` (none at module level, so tests can build many apps).
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme

from admin import i18n, security
from server.storage import StorageError, create_console_tables
from server.storage.console_models import CONSOLE_MODELS

URL = "/admin"
EXTENSION = "scorecard_admin"
HERE = Path(__file__).resolve().parent


def init_app(app: Flask) -> Admin:
    """Attach the console at /admin (idempotent); create its tables when the database allows."""
    if EXTENSION in app.extensions:
        return app.extensions[EXTENSION]
    from flask_babel import lazy_gettext

    from admin import employee_page, views

    i18n.init_app(app)
    security.init_app(app, URL)
    app.register_blueprint(
        Blueprint(
            "console_assets",
            __name__,
            static_folder=str(HERE / "static"),
            template_folder=str(HERE / "templates"),
            static_url_path=f"{URL}/assets",
        )
    )
    console = Admin(
        app,
        name=lazy_gettext("Scorecard console"),
        url=URL,
        index_view=views.DashboardView(url=URL, name=lazy_gettext("Dashboard")),
        theme=Bootstrap4Theme(base_template="scorecard/layout.html", fluid=True),
        csp_nonce_generator=security.csp_nonce,
    )
    views.register(console)
    views.init_templates(app)
    employee_page.init_app(app)
    app.jinja_env.globals.setdefault("console_url", URL)
    app.extensions[EXTENSION] = console
    if app.config.get("CONSOLE_CREATE_TABLES", True):
        _create_tables(app)
    return console


def _create_tables(app: Flask) -> None:
    """Create the console's tables now; a database that is down is retried by `scorecard init`."""
    try:
        create_console_tables()
    except StorageError as exc:
        app.logger.warning("console tables not created yet: %s", exc)


MODELS = CONSOLE_MODELS
__all__ = ["MODELS", "URL", "init_app"]

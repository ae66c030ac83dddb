"""The language of a request: `Accept-Language` (q-values honoured, SPEC §5), else the
configured LOCALE (SCORECARD_LOCALE, default zh-CN). Chosen at the start of every request and
given back at its end, so each text of the answer (problem titles, details, messages,
validation warnings) is rendered in it; an API answer says which with Content-Language.
The console chooses its own for its pages (admin/i18n.py, its language switch)."""

from __future__ import annotations

from functools import lru_cache

from flask import Flask, Response, current_app, g, request

from server.engine.language import current_locale, enter_locale, leave_locale, negotiate


@lru_cache(maxsize=256)
def _asked(accept_language: str) -> str | None:
    return negotiate(accept_language)  # a handful of headers reach a server again and again


def choose_locale() -> None:
    """Render this request's texts in the language it asks for."""
    header = request.environ.get("HTTP_ACCEPT_LANGUAGE")
    asked = _asked(header) if header else None
    g.locale_token = enter_locale(asked or current_app.config.get("LOCALE"))


def declare_locale(response: Response) -> Response:
    """Say which language the texts are in, and that they depend on Accept-Language."""
    if not request.path.startswith("/admin"):
        headers = response.headers
        headers["Content-Language"] = current_locale()
        if "Vary" in headers:
            response.vary.add("Accept-Language")
        else:
            headers["Vary"] = "Accept-Language"
    return response


def restore_locale(_exc: BaseException | None = None) -> None:
    """The thread's locale as it was before the request (a worker serves many)."""
    token = g.pop("locale_token", None)
    if token is not None:
        leave_locale(token)


def init_app(app: Flask) -> None:
    """Choose each request's language before anything else runs."""
    app.before_request(choose_locale)
    app.after_request(declare_locale)
    app.teardown_request(restore_locale)

"""The employee's page `/r/<token>` (SPEC §11): one revision, read without a login.

It shows the result in the ruleset's language with two plain HTML forms (acknowledge,
appeal), links nowhere else, and answers 410 once the link expired or a newer revision
replaced its revision. Wrong tokens are counted per address like failed logins: past the
limit the address gets 429 until the window passes. The page is not part of the console
(no session, no console CSRF) and its token is no API key: it opens this page only.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale, gettext

from admin.auth import FAILURE_WINDOW, MAX_FAILURES, client_ip
from admin.formatting import local_time
from server.engine.language import EN, normalize, render
from server.services import sharing
from server.services.domain_errors import Conflict, Invalid, NotFound
from server.services.sharing import LinkGone
from server.storage import console_queries, utcnow, write

bp = Blueprint("employee_page", __name__)
THROTTLE_NAME = "employee-page"  # the failure counter's "username" for wrong tokens
MAX_APPEAL = 2000
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "Referrer-Policy": "no-referrer",  # the token is in the URL
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "X-Robots-Tag": "noindex, nofollow",
}


def _babel_locale(language: str) -> str:
    return "en" if language == EN else "zh_Hans_CN"


def _throttled() -> bool:
    since = utcnow() - FAILURE_WINDOW
    return console_queries.failures_since(THROTTLE_NAME, client_ip(), since) >= MAX_FAILURES


def _count_failure() -> None:
    now = utcnow()
    write(
        lambda: console_queries.record_failure(
            THROTTLE_NAME, client_ip(), now, now - FAILURE_WINDOW
        ),
        [f"login:{THROTTLE_NAME}"],
    )


def _message(status: int, title: str, text: Any) -> tuple[str, int]:
    """A page that only says something, in the language its title is in."""
    shown = render(text, normalize(str(get_locale())))
    return render_template("scorecard/employee_message.html", title=title, text=shown), status


def _refusal(exc: Exception) -> tuple[str, int]:
    if isinstance(exc, LinkGone | Conflict):
        return _message(410, gettext("This link no longer works"), exc.detail)
    _count_failure()
    return _message(404, gettext("Not found"), gettext("This link is not valid."))


def _render(token: str, status: int = 200, **extra: Any) -> tuple[str, int]:
    try:
        shown = sharing.page(token, current_app.config["SECRET_KEY"])
    except (NotFound, LinkGone) as exc:
        return _refusal(exc)
    with force_locale(_babel_locale(shown["language"])):
        html = render_template(
            "scorecard/employee_page.html",
            page=shown,
            result=shown["result"],
            token=token,
            done=request.args.get("done", ""),
            local_time=local_time,
            **extra,
        )
    return html, status


@bp.before_request
def throttle() -> Any:
    if _throttled():
        return _message(429, gettext("Too many attempts"), gettext("Try again later."))
    return None


@bp.after_request
def headers(response: Any) -> Any:
    for name, value in HEADERS.items():
        response.headers[name] = value
    return response


@bp.get("/r/<token>")
def show(token: str) -> Any:
    """The employee's result, feedback and the two actions."""
    return _render(token)


@bp.post("/r/<token>/acknowledge")
def acknowledge(token: str) -> Any:
    """The employee acknowledges the result (recorded with by: employee)."""
    try:
        sharing.acknowledge(token, current_app.config["SECRET_KEY"])
    except (NotFound, LinkGone, Conflict) as exc:
        return _refusal(exc)
    return redirect(url_for(".show", token=token, done="acknowledged"), 303)


@bp.post("/r/<token>/appeal")
def appeal(token: str) -> Any:
    """The employee appeals the result with a text."""
    text = request.form.get("text", "").strip()
    if not text or len(text) > MAX_APPEAL:
        problem = gettext("Write what you disagree with (1-2,000 characters).")
        return _render(token, 422, appeal_problem=problem, appeal_text=text[:MAX_APPEAL])
    try:
        sharing.appeal(token, current_app.config["SECRET_KEY"], text)
    except (NotFound, LinkGone, Conflict) as exc:
        return _refusal(exc)
    except Invalid as exc:
        return _render(token, 422, appeal_problem=exc.detail, appeal_text=text)
    return redirect(url_for(".show", token=token, done="appealed"), 303)


def init_app(app: Flask) -> None:
    """Serve the employee's page at /r/<token>; templates get `local_time`."""
    app.register_blueprint(bp)
    app.jinja_env.globals.setdefault("local_time", local_time)

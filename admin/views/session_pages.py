"""Logging in and out, and choosing the console's language (open to everyone)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import flash, redirect, request, session, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from admin import auth, i18n


class LoginForm(FlaskForm):
    username = StringField(lazy_gettext("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(
        lazy_gettext("Password"), validators=[DataRequired(), Length(max=1024)]
    )


def safe_next(target: str | None, fallback: str) -> str:
    """Only a path on this site (no scheme, no host) may be redirected to after login."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else fallback


class LoginView(BaseView):
    """The login page; the only console page besides the language switch open to anyone."""

    def is_visible(self) -> bool:
        return False

    @expose("/", methods=("GET", "POST"))
    def index(self) -> Any:
        home = url_for("admin.index")
        target = safe_next(request.args.get("next"), home)
        if auth.current_user() is not None and request.method == "GET":
            return redirect(target)
        form = LoginForm()
        status = 200
        if form.validate_on_submit():
            outcome = auth.attempt_login(form.username.data, form.password.data)
            if outcome.user is not None:
                auth.start_session(outcome.user)
                return redirect(target)
            if outcome.throttled:
                status = 429
                form.form_errors.append(
                    gettext(
                        "Too many failed logins: wait %(minutes)s minutes and try again.",
                        minutes=int(auth.FAILURE_WINDOW.total_seconds() // 60),
                    )
                )
            else:
                status = 401
                form.form_errors.append(gettext("Wrong username or password."))
        elif request.method == "POST":
            status = 400
        return self.render("scorecard/login.html", form=form, user=None), status

    @expose("/logout", methods=("POST",))
    def logout(self) -> Any:
        auth.end_session()
        flash(gettext("You have logged out."), "info")
        return redirect(url_for(".index"))


class LanguageView(BaseView):
    """Store the chosen language in the session and go back to the page."""

    def is_visible(self) -> bool:
        return False

    @expose("/", methods=("POST",))
    def index(self) -> Any:
        language = i18n.normalize(request.form.get("language"))
        if language:
            session["console_lang"] = language
        return redirect(safe_next(request.form.get("next"), url_for("admin.index")))

"""Users and API keys: for the admin role only."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext

from admin import auth
from admin.views.base import ADMINS, ConsoleView, not_found
from server.services import api_keys
from server.storage import console_queries, key_queries
from server.storage.console_models import ROLES


class UserView(ConsoleView):
    """Create users, change their role or password, disable them."""

    read_roles = ADMINS
    write_roles = ADMINS

    def _page(self, status: int = 200, **extra: Any) -> Any:
        users = console_queries.all_users()
        return self.render("scorecard/users.html", users=users, roles=ROLES, **extra), status

    @expose("/")
    def index(self) -> Any:
        return self._page()

    @expose("/new", methods=("POST",))
    def new(self) -> Any:
        form = request.form
        try:
            auth.create_user(
                form.get("username", ""),
                form.get("password", ""),
                form.get("role", ""),
                auth.actor_name(),
            )
        except ValueError as exc:
            return self._page(422, error=str(exc), form=form)
        flash(gettext("User %(name)s created.", name=form.get("username", "").strip()), "success")
        return redirect(url_for(".index"))

    @expose("/<int:user_id>", methods=("POST",))
    def update(self, user_id: int) -> Any:
        user = console_queries.user_by_id(user_id)
        if user is None:
            raise not_found()
        form = request.form
        me = auth.current_user()
        disabled = {"disable": True, "enable": False}.get(form.get("state", ""))
        if (
            me is not None
            and me.id == user.id
            and (disabled or form.get("role", user.role) != user.role)
        ):
            return self._page(
                422, error=gettext("You cannot disable yourself or change your own role.")
            )
        try:
            auth.update_user(
                user,
                auth.actor_name(),
                password=form.get("password") or None,
                role=form.get("role") or None,
                disabled=disabled,
            )
        except ValueError as exc:
            return self._page(422, error=str(exc))
        flash(gettext("User %(name)s updated.", name=user.username), "success")
        return redirect(url_for(".index"))


class KeyView(ConsoleView):
    """API keys for client systems: created (shown once), listed, revoked."""

    read_roles = ADMINS
    write_roles = ADMINS

    def _page(self, status: int = 200, **extra: Any) -> Any:
        keys = key_queries.all_keys()
        return self.render(
            "scorecard/keys.html", keys=keys, scopes=api_keys.SCOPES, **extra
        ), status

    @expose("/")
    def index(self) -> Any:
        return self._page()

    @expose("/new", methods=("POST",))
    def new(self) -> Any:
        name = request.form.get("name", "").strip()
        scopes = [s for s in request.form.getlist("scopes") if s in api_keys.SCOPES]
        if not name or len(name) > 100 or not name.isprintable():
            return self._page(422, error=gettext("A key needs a name (1-100 characters)."))
        if not scopes:
            return self._page(422, error=gettext("Choose at least one scope."))
        if key_queries.key_named(name) is not None:
            return self._page(422, error=gettext("A key named %(name)s exists already.", name=name))
        _, key = api_keys.create_key(name, scopes, auth.actor_name())
        # shown in this response only: never stored in the (signed, not encrypted) session
        return self._page(201, new_key=key, new_name=name)

    @expose("/<int:key_id>/revoke", methods=("POST",))
    def revoke(self, key_id: int) -> Any:
        row = key_queries.key_by_id(key_id)
        if row is None:
            raise not_found()
        api_keys.revoke_key(row.name, auth.actor_name())
        flash(gettext("Key %(name)s revoked.", name=row.name), "success")
        return redirect(url_for(".index"))

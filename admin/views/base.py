"""What every console view shares: role-based access, refusing writes, rendering helpers."""

from __future__ import annotations

from typing import Any

from flask import redirect, request, url_for
from flask_admin import AdminIndexView, BaseView
from flask_babel import gettext

from admin.auth import current_user
from admin.security import SAFE_METHODS, ConsoleForbidden, ConsoleNotFound

EVERYONE = ("hr", "auditor", "admin", "approver")
EDITORS = ("hr", "admin")
ADMINS = ("admin",)
APPROVERS = ("admin", "approver")  # SPEC §12: who may approve or reject a proposal


class ConsoleMixin:
    """Access control in is_accessible; writes checked again on every non-GET request."""

    read_roles: tuple[str, ...] = EVERYONE
    write_roles: tuple[str, ...] = EDITORS

    def is_accessible(self) -> bool:
        user = current_user()
        return user is not None and user.role in self.read_roles

    def inaccessible_callback(self, name: str, **kwargs: Any) -> Any:
        if current_user() is None:
            return redirect(url_for("console_login.index", next=request.full_path))
        raise ConsoleForbidden(gettext("Your role cannot see this page."))

    def _handle_view(self, name: str, **kwargs: Any) -> Any:
        refused = super()._handle_view(name, **kwargs)  # type: ignore[misc]
        if refused is not None:
            return refused
        if request.method not in SAFE_METHODS and not self.can_write():
            raise ConsoleForbidden(gettext("Your role is read-only: nothing was changed."))
        return None

    def can_write(self) -> bool:
        """Whether the current user may change things through this view."""
        user = current_user()
        return user is not None and user.role in self.write_roles

    def render(self, template: str, **kwargs: Any) -> str:
        kwargs.setdefault("user", current_user())
        kwargs.setdefault("can_write", self.can_write())
        return super().render(template, **kwargs)  # type: ignore[misc]


class ConsoleView(ConsoleMixin, BaseView):
    """A console page."""


class ConsoleIndexView(ConsoleMixin, AdminIndexView):
    """The console's home page."""


def not_found(message: str | None = None) -> ConsoleNotFound:
    """The exception for a console page about something that does not exist."""
    return ConsoleNotFound(message or gettext("There is nothing here."))


def int_arg(name: str, default: int | None = None, lo: int = 1, hi: int = 2**31 - 1) -> int | None:
    """A query-string integer within bounds, or `default` when absent or malformed."""
    text = request.args.get(name, "")
    if text.isascii() and text.isdigit() and lo <= int(text) <= hi:
        return int(text)
    return default

"""The audit log, newest first, a page at a time."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_admin import expose

from admin.views.base import ConsoleView, int_arg
from server.storage import audit_queries

PAGE_SIZE = 50


class AuditView(ConsoleView):
    """Every audit entry (publishes, stored results, keys, users, console logins)."""

    @expose("/")
    def index(self) -> Any:
        page = int_arg("page", 1, hi=10**6) or 1
        action = request.args.get("action", "").strip()[:100]
        rows, count = audit_queries.newest_entries(action, page, PAGE_SIZE)
        actions = audit_queries.actions()
        return self.render(
            "scorecard/audit.html",
            rows=rows,
            page=page,
            pages=max(1, -(-count // PAGE_SIZE)),
            count=count,
            action=action,
            actions=actions,
        )

"""The audit log, newest first, a page at a time."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_admin import expose

from admin.views.base import ConsoleView, int_arg
from server.storage import AuditEntry

PAGE_SIZE = 50


class AuditView(ConsoleView):
    """Every audit entry (publishes, stored results, keys, users, console logins)."""

    @expose("/")
    def index(self) -> Any:
        page = int_arg("page", 1, hi=10**6) or 1
        action = request.args.get("action", "").strip()[:100]
        query = AuditEntry.select()
        if action:
            query = query.where(AuditEntry.action == action)
        count = query.count()
        rows = list(query.order_by(AuditEntry.id.desc()).paginate(page, PAGE_SIZE))
        actions = sorted(a for (a,) in AuditEntry.select(AuditEntry.action).distinct().tuples())
        return self.render(
            "scorecard/audit.html",
            rows=rows,
            page=page,
            pages=max(1, -(-count // PAGE_SIZE)),
            count=count,
            action=action,
            actions=actions,
        )

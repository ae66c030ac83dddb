"""The console's home page: each role's versions, open drafts, recent activity."""

from __future__ import annotations

from typing import Any

from flask_admin import expose

from admin.views.base import ConsoleIndexView
from server.services import versions
from server.storage import audit_queries, console_queries, result_queries, version_queries


class DashboardView(ConsoleIndexView):
    """Roles and their versions in force, open drafts, recent activity."""

    @expose("/")
    def index(self) -> Any:
        summary = []
        for role in version_queries.roles():
            latest = version_queries.latest_version(role)
            current = versions.current_version(role)
            results = result_queries.record_count(role)
            summary.append(
                {
                    "role": role,
                    "name": latest.document.get("name", role),
                    "latest": latest,
                    "current": current,
                    "results": results,
                }
            )
        drafts = console_queries.open_drafts(limit=5)
        recent, _ = audit_queries.newest_entries(size=8)
        return self.render(
            "scorecard/dashboard.html", summary=summary, drafts=drafts, recent=recent
        )

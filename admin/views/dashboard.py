"""The console's home page: each role's versions, open drafts, recent activity."""

from __future__ import annotations

from typing import Any

from flask_admin import expose

from admin.drafts import version_in_force_now
from admin.models import Draft
from admin.views.base import ConsoleIndexView
from admin.views.versions import roles
from server import rulesets
from server.storage import AuditEntry, EvaluationRecord


class DashboardView(ConsoleIndexView):
    """Roles and their versions in force, open drafts, recent activity."""

    @expose("/")
    def index(self) -> Any:
        summary = []
        for role in roles():
            latest = rulesets.latest_version(role)
            current = version_in_force_now(role)
            results = EvaluationRecord.select().where(EvaluationRecord.role == role).count()
            summary.append(
                {
                    "role": role,
                    "name": latest.document.get("name", role),
                    "latest": latest,
                    "current": current,
                    "results": results,
                }
            )
        drafts = list(
            Draft.select()
            .where(Draft.published_version.is_null())
            .order_by(Draft.updated_at.desc())
            .limit(5)
        )
        recent = list(AuditEntry.select().order_by(AuditEntry.id.desc()).limit(8))
        return self.render(
            "scorecard/dashboard.html", summary=summary, drafts=drafts, recent=recent
        )

"""The console's views, registered on each app's own Admin()."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_admin import Admin
from flask_babel import get_locale, lazy_gettext

from admin import charts, formatting, labels
from admin.editor.fields import entries, items
from admin.views.approval_pages import ApprovalView
from admin.views.audit_page import AuditView
from admin.views.dashboard import DashboardView
from admin.views.draft_pages import DraftView
from admin.views.impact_page import ImpactView
from admin.views.import_pages import ImportView
from admin.views.plan_pages import PlanView, shown
from admin.views.result_pages import ResultView
from admin.views.review_pages import AppealView, ReviewView
from admin.views.session_pages import LanguageView, LoginView
from admin.views.tracking_page import TrackingView
from admin.views.user_pages import KeyView, UserView
from admin.views.version_pages import VersionView

__all__ = ["DashboardView", "init_templates", "register"]

ROLE_LABELS = labels.ACCOUNT_ROLES


def _sublist(indicator: Any, kind: str) -> list[Any]:
    scoring = indicator.get("scoring") if isinstance(indicator, dict) else None
    value = scoring.get(kind) if isinstance(scoring, dict) else None
    return value if isinstance(value, list) else []


def _pairs(mapping: Any) -> list[tuple[Any, Any]]:
    return list(mapping.items()) if isinstance(mapping, dict) else []


def template_helpers() -> dict[str, Any]:
    """Functions the console's templates call."""
    return {
        "current_locale": lambda: str(get_locale() or ""),
        "role_label": labels.account_role,
        "account_role": labels.account_role,
        "role_name": labels.role_name,
        "version_title": labels.version_title,
        "rater_kind": labels.rater_kind,
        "input_type": labels.input_type,
        "action_label": labels.action_label,
        "audit_details": labels.audit_details,
        "input_rows": labels.input_rows,
        "local_time": formatting.local_time,
        "amount": formatting.amount,
        "items": items,
        "entries": entries,
        "sublist": _sublist,
        "pairs": _pairs,
        "dimension_chart": charts.dimension_bars,
        "column_chart": charts.column_bars,
        "plan_value": shown,
    }


def register(console: Admin) -> None:
    """Add every console page to this app's Admin()."""
    console.add_view(DraftView(name=lazy_gettext("Drafts"), endpoint="drafts", url="drafts"))
    console.add_view(
        VersionView(name=lazy_gettext("Versions"), endpoint="versions", url="versions")
    )
    console.add_view(ResultView(name=lazy_gettext("Results"), endpoint="results", url="results"))
    console.add_view(
        TrackingView(name=lazy_gettext("Tracking"), endpoint="tracking_board", url="tracking")
    )
    console.add_view(AppealView(name=lazy_gettext("Appeals"), endpoint="appeals", url="appeals"))
    console.add_view(ReviewView(name=lazy_gettext("Review"), endpoint="review", url="review"))
    console.add_view(
        ApprovalView(name=lazy_gettext("Approvals"), endpoint="approvals", url="approvals")
    )
    console.add_view(ImpactView(name=lazy_gettext("Impact"), endpoint="impact", url="impact"))
    console.add_view(ImportView(name=lazy_gettext("Import"), endpoint="imports", url="import"))
    console.add_view(PlanView(name=lazy_gettext("Plans"), endpoint="plans", url="plans"))
    console.add_view(AuditView(name=lazy_gettext("Audit log"), endpoint="audit", url="audit"))
    console.add_view(
        UserView(
            name=lazy_gettext("Users"),
            endpoint="users",
            url="users",
            category=lazy_gettext("Administration"),
        )
    )
    console.add_view(
        KeyView(
            name=lazy_gettext("API keys"),
            endpoint="keys",
            url="keys",
            category=lazy_gettext("Administration"),
        )
    )
    console.add_view(LoginView(name=lazy_gettext("Log in"), endpoint="console_login", url="login"))
    console.add_view(
        LanguageView(name=lazy_gettext("Language"), endpoint="console_language", url="language")
    )


def init_templates(app: Flask) -> None:
    """Make the helpers available to every console template."""
    app.jinja_env.globals.update(template_helpers())
    app.jinja_env.filters.setdefault("local_time", formatting.local_time)
    app.jinja_env.filters.setdefault("amount", formatting.amount)

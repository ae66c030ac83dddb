"""The impact page: version B or a draft applied to a period's stored results."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_admin import expose
from flask_babel import gettext

from admin.views.base import ConsoleView
from admin.views.result_pages import band_labels, filter_choices
from server.engine import DocumentInvalid, parse_period
from server.services.impact import analyse, draft_ruleset, stored_ruleset
from server.storage import console_queries, version_queries


class ImpactView(ConsoleView):
    """A read-only computation: nothing is stored, so it is a GET for every role."""

    @expose("/")
    def index(self) -> Any:
        choices = filter_choices()
        role = request.args.get("role", "") or (choices["roles"][0] if choices["roles"] else "")
        period = request.args.get("period", "").strip()
        versions = [v.version for v in version_queries.versions_of(role)] if role else []
        drafts = console_queries.open_drafts(role) if role else []
        target = request.args.get("target", "")
        impact, error, label = None, None, ""
        if role and period and target:
            applied, label, error = self._ruleset(role, target)
            if applied is not None:
                kind = applied.compiled.period_kind
                try:
                    if parse_period(period).kind != kind:
                        error = gettext("%(p)s is not a %(k)s.", p=period, k=kind)
                except ValueError as exc:
                    error = str(exc)
            if applied is not None and error is None:
                impact = analyse(role, period, applied)
        return self.render(
            "scorecard/impact.html",
            roles=choices["roles"],
            periods=choices["periods"],
            role=role,
            period=period,
            versions=versions,
            drafts=drafts,
            target=target,
            impact=impact,
            error=error,
            label=label,
            bands=band_labels(role),
        )

    def _ruleset(self, role: str, target: str) -> tuple[Any, str, str | None]:
        kind, _, number = target.partition(":")
        if not number.isdigit() or int(number) >= 2**31:
            return None, "", gettext("Choose a version or a draft.")
        if kind == "version":
            row = version_queries.get_version(role, int(number))
            if row is None:
                return None, "", gettext("%(role)s has no version %(n)s.", role=role, n=number)
            return stored_ruleset(row), f"v{row.version}", None
        draft = console_queries.draft_by_id(int(number), role)
        if draft is None:
            return None, "", gettext("No draft %(id)s.", id=number)
        try:
            applied = draft_ruleset(draft.document)
            return applied, gettext("draft #%(id)s", id=draft.id), None
        except DocumentInvalid as exc:
            return (
                None,
                "",
                gettext("The draft has %(n)s problems; fix them first.", n=len(exc.problems)),
            )

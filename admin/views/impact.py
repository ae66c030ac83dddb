"""The impact page: version B or a draft applied to a period's stored results."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_admin import expose
from flask_babel import gettext

from admin.models import Draft
from admin.views.base import ConsoleView
from admin.views.results import band_labels, filter_choices
from server import rulesets
from server.engine import DocumentInvalid, compile_ruleset, document_hash, parse_period
from server.impact import Ruleset, analyse


class ImpactView(ConsoleView):
    """A read-only computation: nothing is stored, so it is a GET for every role."""

    @expose("/")
    def index(self) -> Any:
        choices = filter_choices()
        role = request.args.get("role", "") or (choices["roles"][0] if choices["roles"] else "")
        period = request.args.get("period", "").strip()
        versions = [v.version for v in rulesets.versions_of(role)] if role else []
        drafts = (
            list(Draft.select().where((Draft.role == role) & Draft.published_version.is_null()))
            if role
            else []
        )
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
            row = rulesets.get_version(role, int(number))
            if row is None:
                return None, "", gettext("%(role)s has no version %(n)s.", role=role, n=number)
            return Ruleset(rulesets.compiled(row), row.version, row.hash), f"v{row.version}", None
        draft = Draft.get_or_none((Draft.id == int(number)) & (Draft.role == role))
        if draft is None:
            return None, "", gettext("No draft %(id)s.", id=number)
        try:
            applied = Ruleset(compile_ruleset(draft.document), None, document_hash(draft.document))
            return applied, gettext("draft #%(id)s", id=draft.id), None
        except DocumentInvalid as exc:
            return (
                None,
                "",
                gettext("The draft has %(n)s problems; fix them first.", n=len(exc.problems)),
            )

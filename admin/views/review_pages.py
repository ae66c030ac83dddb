"""After the period in the console (SPEC §11): feedback, sign-off and sharing on a result; the
appeals queue and the decision on an appeal, with the corrected numbers previewed first."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import current_app, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext

from admin.auth import actor_name
from admin.editor import samples
from admin.employee_page import local_time
from admin.views.base import ConsoleView, not_found
from server.engine.language import T
from server.services import appeals, reviewing, sharing
from server.services.domain_errors import Conflict, DomainError, Invalid, NotFound
from server.services.explaining import explained
from server.storage import result_queries, review_queries, utcnow, version_queries

MAX_TEXT = 2000
QUEUE_SIZE = 200
PREFIX = "inputs"


def _lines(name: str) -> list[str]:
    return [
        line.strip()[:MAX_TEXT] for line in request.form.get(name, "").splitlines() if line.strip()
    ]


def _actions() -> list[dict[str, str]]:
    """The improvement plan from `action | YYYY-MM-DD` lines."""
    found = []
    for line in _lines("actions"):
        action, _, due = line.rpartition("|")
        found.append({"action": action.strip() or due.strip(), "due": due.strip()})
    return found


def _problems(exc: DomainError) -> list[str]:
    detail = str(exc.detail)  # rendered in the console's language (set for this request)
    return [detail] + [str(issue.message) for issue in exc.issues if str(issue.message) != detail]


class ReviewView(ConsoleView):
    """The forms of a result's review panel (not in the menu)."""

    def is_visible(self) -> bool:
        return False

    @expose("/")
    def index(self) -> Any:
        return redirect(url_for("results.index"))

    def _back(self, record_id: int) -> Any:
        return redirect(url_for("results.show", record_id=record_id) + "#review")

    @expose("/<int:record_id>/feedback", methods=("POST",))
    def feedback(self, record_id: int) -> Any:
        actions = _actions()
        bad = [a["due"] for a in actions if not _is_date(a["due"]) or not a["action"]]
        body = {
            "revision": _form_int("revision", 0),
            "strengths": _lines("strengths"),
            "improvements": _lines("improvements"),
            "actions": actions,
            "by": request.form.get("by", "").strip()[:200] or actor_name(),
        }
        if bad:
            flash(gettext("Write each action as: action | YYYY-MM-DD"), "error")
            return self._back(record_id)
        return self._act(
            record_id,
            lambda: reviewing.put_feedback(record_id, body, actor_name()),
            gettext("Feedback saved."),
        )

    @expose("/<int:record_id>/acknowledge", methods=("POST",))
    def acknowledge(self, record_id: int) -> Any:
        revision = _form_int("revision", 0)
        by = request.form.get("by", "").strip()[:200]
        comment = request.form.get("comment", "").strip()[:MAX_TEXT] or None
        if not by:
            flash(gettext("Name who acknowledged the result."), "error")
            return self._back(record_id)
        return self._act(
            record_id,
            lambda: reviewing.acknowledge(record_id, revision, by, comment, actor_name()),
            gettext("Acknowledgement recorded."),
        )

    def _act(self, record_id: int, work: Any, done: str) -> Any:
        try:
            work()
        except NotFound:
            raise not_found() from None
        except (Conflict, Invalid) as exc:
            for message in _problems(exc):
                flash(message, "error")
        else:
            flash(done, "success")
        return self._back(record_id)

    @expose("/<int:record_id>/share", methods=("POST",))
    def share(self, record_id: int) -> Any:
        days = min(max(_form_int("days", sharing.DEFAULT_DAYS), 1), sharing.MAX_DAYS)
        try:
            shared = sharing.share(record_id, days, current_app.config["SECRET_KEY"], actor_name())
        except NotFound:
            raise not_found() from None
        url = url_for("employee_page.show", token=shared["token"], _external=True)
        return self.render(
            "scorecard/share_link.html",
            record_id=record_id,
            url=url,
            revision=shared["revision"],
            expires_at=local_time(shared["expires_at"]),
            days=days,
        )


def _form_int(name: str, default: int) -> int:
    text = request.form.get(name, "")
    return int(text) if text.isascii() and text.isdigit() else default


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _days_open(opened_at: Any) -> int:
    """Whole days since an appeal was opened (the seed's deadlines count in days)."""
    return max(0, (utcnow() - opened_at).days)


def _days_open_text(opened_at: str) -> int:
    return _days_open(datetime.fromisoformat(opened_at.removesuffix("Z")))


def _role_names(roles: list[str]) -> dict[str, str]:
    """Role key -> the ruleset's name (岗位名称) from its latest version."""
    names = {}
    for role in roles:
        row = version_queries.latest_version(role)
        names[role] = str(row.document.get("name") or role) if row else role
    return names


class AppealView(ConsoleView):
    """The appeals queue (open first, oldest first) and the decision on one appeal."""

    @expose("/")
    def index(self) -> Any:
        filters = {k: request.args.get(k, "").strip()[:200] for k in ("role", "period", "state")}
        given = {k: v for k, v in filters.items() if v}
        rows = review_queries.appeal_queue(given, QUEUE_SIZE)
        choices = result_queries.stored_choices()
        return self.render(
            "scorecard/appeals.html",
            rows=[(row, _days_open(row.opened_at)) for row in rows],
            filters=filters,
            open_count=review_queries.open_count({k: v for k, v in given.items() if k != "state"}),
            role_names=_role_names(choices["roles"]),
            periods=[(p, p) for p in choices["periods"]],
            local_time=local_time,
        )

    @expose("/<int:appeal_id>", methods=("GET", "POST"))
    def show(self, appeal_id: int) -> Any:
        try:
            appeal = appeals.get_appeal(appeal_id)
        except NotFound:
            raise not_found(gettext("No appeal %(id)s.", id=appeal_id)) from None
        record = reviewing.target(appeal["record_id"])
        version = version_queries.get_version(record.record.role, record.latest.version)
        document = version.document if version else {}
        inputs = record.latest.inputs
        form = {"reason": "", "by": ""}
        preview, errors, status = None, [], 200
        if request.method == "POST":
            form = {k: request.form.get(k, "").strip()[:MAX_TEXT] for k in form}
            inputs = samples.from_form(document, PREFIX, request.form, inputs)
            step = request.form.get("step", "preview")
            try:
                if step in ("uphold", "reject"):
                    decision = "upheld" if step == "uphold" else "rejected"
                    return self._resolve(appeal_id, {**form, "decision": decision}, inputs)
                preview = appeals.preview(appeal_id, inputs)
            except DomainError as exc:
                errors, status = _problems(exc), 409 if isinstance(exc, Conflict) else 422
        return self.render(
            "scorecard/appeal.html",
            appeal=appeal,
            result=explained(record.latest),
            record=record,
            form=form,
            fields=samples.input_fields(document, PREFIX, inputs),
            values=samples.to_values(document, PREFIX, inputs),
            preview=preview,
            errors=errors,
            days_open=_days_open_text(appeal["opened_at"]),
            local_time=local_time,
        ), status

    def _resolve(self, appeal_id: int, form: dict[str, str], inputs: dict[str, Any]) -> Any:
        if not form["reason"]:
            raise Invalid(T("Give the reason for the decision."))
        body = {**form, "by": form["by"] or actor_name()}
        if form["decision"] == "upheld":
            body["inputs"] = inputs
        appeals.resolve(appeal_id, body, actor_name())
        flash(gettext("Appeal decided."), "success")
        return redirect(url_for(".show", appeal_id=appeal_id))

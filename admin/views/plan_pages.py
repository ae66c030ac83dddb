"""Period plans in the console (SPEC §7, §9): per role and period, who has a plan and who has
not acknowledged it; a template to download, an import previewed before it is stored, one
employee's plan edited (with a reason once acknowledged) and acknowledged."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import get_locale, gettext

from admin.auth import actor_name
from admin.views.base import ConsoleView, not_found
from server.config import MAX_BATCH_ITEMS
from server.engine import CompiledRuleset
from server.services import plan_sheets, planning, spreadsheet
from server.services.domain_errors import DomainError
from server.services.table_files import TableRefused, media_type, read_table, table_bytes
from server.storage import version_queries


def shown(value: Any) -> str:
    """A plan value as a person reads it: amounts with thousands separators."""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, int | float):
        return f"{value:,}"
    return "" if value is None else str(value)


def _locale() -> str:
    return str(get_locale() or "")


class PlanView(ConsoleView):
    """HR sets each employee's targets before the period and sees who has acknowledged them."""

    read_roles = ("hr", "auditor", "admin")

    def _target(self, role: str, period: str) -> CompiledRuleset:
        """The version in force for the period (a DomainError says why there is none)."""
        if role not in version_queries.roles():
            raise not_found()
        return spreadsheet.resolve_target(role, period).compiled

    def _roles(self) -> list[tuple[str, str]]:
        found = []
        for role in version_queries.roles():
            latest = version_queries.latest_version(role)
            found.append((role, latest.document.get("name", role) if latest else role))
        return found

    def _columns(self, compiled: CompiledRuleset) -> list[dict[str, Any]]:
        return [
            {"name": n, "label": compiled.inputs[n].label, "spec": compiled.inputs[n]}
            for n in planning.plan_inputs(compiled)
        ]

    @expose("/")
    def index(self) -> Any:
        role = request.args.get("role", "")
        period = request.args.get("period", "").strip()
        pending_only = request.args.get("pending") == "1"
        context: dict[str, Any] = {"roles": self._roles(), "role": role, "period": period}
        context.update(error=None, plans=[], columns=[], pending_only=pending_only)
        if role and period:
            try:
                compiled = self._target(role, period)
            except DomainError as exc:
                context["error"] = "; ".join(str(i.message) for i in exc.issues) or str(exc.detail)
            else:
                plans = planning.period_plans(role, period)
                pending = [p for p in plans if p["acknowledged"] is None]
                context.update(
                    columns=self._columns(compiled),
                    plans=pending if pending_only else plans,
                    total=len(plans),
                    pending=len(pending),
                )
        return self.render("scorecard/plans.html", **context)

    @expose("/template.<kind>")
    def template(self, kind: str) -> Any:
        role, period = request.args.get("role", ""), request.args.get("period", "").strip()
        if kind not in ("csv", "xlsx"):
            raise not_found()
        try:
            compiled = self._target(role, period)
        except DomainError as exc:
            raise not_found(exc.detail) from None
        header, sample = plan_sheets.template(compiled, period, _locale())
        data = table_bytes(kind, header, [sample], f"{role} {period}")
        filename = f"plans-{role}-{period}.{kind}"
        return Response(
            data,
            mimetype=media_type(kind).split(";")[0],
            headers={"Content-Disposition": f"attachment; filename={filename}"},
        )

    def _preview(self, role: str, period: str, rows: plan_sheets.PlanRows, compiled: Any) -> Any:
        payload = json.dumps(
            {"bodies": rows.bodies, "numbers": rows.numbers, "titles": rows.titles},
            ensure_ascii=False,
        )
        problems = spreadsheet.ordered(rows.problems)
        preview = [] if problems else plan_sheets.preview(rows, compiled)
        status = 422 if problems else 200
        return self.render(
            "scorecard/plan_preview.html",
            role=role,
            period=period,
            columns=self._columns(compiled),
            problems=problems,
            preview=preview,
            payload=payload,
        ), status

    @expose("/preview", methods=("POST",))
    def preview(self) -> Any:
        role, period = request.form.get("role", ""), request.form.get("period", "").strip()
        try:
            compiled = self._target(role, period)
        except DomainError as exc:
            flash("; ".join(str(i.message) for i in exc.issues) or str(exc.detail), "error")
            return redirect(url_for(".index", role=role, period=period))
        upload = request.files.get("file")
        if not upload or not upload.filename:
            flash(gettext("Choose a CSV or XLSX file."), "error")
            return redirect(url_for(".index", role=role, period=period))
        try:
            sheet = read_table(upload.filename, upload.read(), MAX_BATCH_ITEMS)
        except TableRefused as exc:
            flash(str(exc), "error")
            return redirect(url_for(".index", role=role, period=period))
        rows = plan_sheets.read_plans(sheet, role, period, compiled, request.form.get("reason"))
        return self._preview(role, period, rows, compiled)

    @expose("/store", methods=("POST",))
    def store(self) -> Any:
        role, period = request.form.get("role", ""), request.form.get("period", "").strip()
        compiled = self._target(role, period)
        try:
            payload = json.loads(request.form.get("payload", ""))
            rows = plan_sheets.PlanRows(
                bodies=list(payload["bodies"]),
                numbers=list(payload["numbers"]),
                titles=dict(payload["titles"]),
            )
        except (ValueError, KeyError, TypeError):
            raise not_found() from None
        if any(b.get("role") != role or b.get("period") != period for b in rows.bodies):
            raise not_found()
        try:
            answers = plan_sheets.store_rows(rows, f"{actor_name()} (import)")
        except spreadsheet.RowsRejected as exc:
            rows.problems = exc.problems
            return self._preview(role, period, rows, compiled)
        new = sum(1 for _, created in answers if created)
        flash(
            gettext(
                "Stored %(n)s new plan revisions (%(same)s unchanged).",
                n=new,
                same=len(answers) - new,
            ),
            "success",
        )
        return redirect(url_for(".index", role=role, period=period))

    @expose("/edit", methods=("GET", "POST"))
    def edit(self) -> Any:
        role, period = request.values.get("role", ""), request.values.get("period", "").strip()
        employee = request.values.get("employee", "").strip()
        compiled = self._target(role, period)
        if not 1 <= len(employee) <= planning.MAX_EMPLOYEE_ID:
            raise not_found()
        columns = self._columns(compiled)
        try:
            current = planning.get_plan(role, period, employee)
        except DomainError:
            current = None
        values = {
            c["name"]: shown_raw((current or {}).get("inputs", {}).get(c["name"])) for c in columns
        }
        errors: dict[str, str] = {}
        status = 200
        if request.method == "POST":
            values = {c["name"]: request.form.get(c["name"], "").strip() for c in columns}
            inputs: dict[str, Any] = {}
            for column in columns:
                text = values[column["name"]]
                if not text:
                    continue
                try:
                    inputs[column["name"]] = spreadsheet.cell_value(text, column["spec"].type)
                except ValueError as exc:
                    errors[column["name"]] = str(exc)
            reason = request.form.get("reason", "").strip() or None
            body = {"role": role, "period": period, "employee_id": employee, "inputs": inputs}
            if reason:
                body["reason"] = reason
            if not errors:
                try:
                    [(_, created)] = planning.store_plans([body], actor_name(), batch=False)
                except DomainError as exc:
                    for issue in exc.issues:
                        key = (
                            issue.path.split("/")[1]
                            if issue.field == "inputs" and issue.path
                            else issue.field or "_"
                        )
                        errors[key] = issue.message
                else:
                    message = (
                        gettext("The plan was saved.") if created else gettext("Nothing changed.")
                    )
                    flash(message, "success")
                    return redirect(url_for(".edit", role=role, period=period, employee=employee))
            status = 422
        return self.render(
            "scorecard/plan_edit.html",
            role=role,
            period=period,
            employee=employee,
            columns=columns,
            values=values,
            errors=errors,
            plan=current,
        ), status

    @expose("/acknowledge", methods=("POST",))
    def acknowledge(self) -> Any:
        role, period = request.form.get("role", ""), request.form.get("period", "").strip()
        employee = request.form.get("employee", "").strip()
        by = request.form.get("by", "").strip()[:200] or employee
        self._target(role, period)
        try:
            planning.acknowledge(role, period, employee, by, actor_name())
        except DomainError as exc:
            flash("; ".join(str(i.message) for i in exc.issues) or str(exc.detail), "error")
        else:
            flash(gettext("The acknowledgement was recorded."), "success")
        return redirect(url_for(".edit", role=role, period=period, employee=employee))


def shown_raw(value: Any) -> str:
    """A plan value as the edit form shows it (no separators: it is typed back in)."""
    return "" if value is None else str(value)

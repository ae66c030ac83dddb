"""Draft pages: the list, the form editor, the YAML view, trying a draft, diff and publish."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app, flash, jsonify, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext

from admin.auth import actor_name
from admin.editor import actions, examples, fields, page, posted, samples, weights
from admin.labels import role_name
from admin.views.base import ConsoleView, not_found
from admin.views.result_pages import adjustment_names
from server.config import approval_required
from server.engine import (
    DocumentInvalid,
    Problem,
    current_period,
    diff_documents,
    dump_yaml,
    load_document,
    parse_period,
)
from server.services import drafting, proposals, versions
from server.services.domain_errors import Invalid, Issue, NotFound, Refused
from server.storage import console_queries, version_queries
from server.storage.console_models import Draft

KEY_PATTERN_HELP = "letters, digits and _ (not starting with a digit)"


def issue_problem(issue: Issue) -> Problem:
    """A refused publish's issue as the page lists it: a document's at its path in the
    document, another field's (effective_from) at the field's name."""
    if issue.field == "document":
        return Problem(issue.path, issue.message)
    return Problem(f"/{issue.field}{issue.path}" if issue.field else issue.path, issue.message)


class DraftView(ConsoleView):
    """Drafts of rulesets: HR edits and publishes them; auditors may read them."""

    def _draft(self, draft_id: int) -> Draft:
        draft = console_queries.draft_by_id(draft_id)
        if draft is None:
            raise not_found(gettext("No draft %(id)s.", id=draft_id))
        return draft

    def _editable(self, draft: Draft) -> bool:
        return self.can_write() and draft.published_version is None

    def _refuse_if_published(self, draft: Draft) -> Any:
        if draft.published_version is not None:
            flash(
                gettext(
                    "This draft was published; start a new draft from its version to change it."
                ),
                "warning",
            )
            return redirect(url_for(".edit", draft_id=draft.id))
        return None

    @expose("/")
    def index(self) -> Any:
        open_drafts = console_queries.open_drafts()
        published = console_queries.published_drafts(20)
        roles = {
            role: [v.version for v in version_queries.versions_of(role)]
            for role in version_queries.roles()
        }
        return self.render(
            "scorecard/drafts.html", open_drafts=open_drafts, published=published, roles=roles
        )

    @expose("/new", methods=("POST",))
    def new(self) -> Any:
        role = request.form.get("role", "").strip() or request.form.get("new_role", "").strip()
        source = request.form.get("source", "").strip()
        name = request.form.get("name", "").strip()[:200]
        if not role.isidentifier() or len(role) > 64:
            flash(gettext("A position key is %(rule)s.", rule=gettext(KEY_PATTERN_HELP)), "error")
            return redirect(url_for(".index"))
        source_role, _, number = source.rpartition(":")
        if source_role and source_role != role:
            flash(gettext("Choose a version of the position the draft is for."), "error")
            return redirect(url_for(".index"))
        base = int(number) if number.isdigit() and int(number) < 2**31 else None
        try:
            blank = actions.blank_document(role, name or role)
            draft = drafting.create_draft(role, actor_name(), blank, base, name)
        except NotFound:
            flash(
                gettext("%(role)s has no version %(n)s.", role=role_name(role), n=number), "error"
            )
            return redirect(url_for(".index"))
        return redirect(url_for(".edit", draft_id=draft.id))

    @expose("/<int:draft_id>/", methods=("GET", "POST"))
    def edit(self, draft_id: int) -> Any:
        draft = self._draft(draft_id)
        if request.method == "GET":
            return self.render(
                "scorecard/draft_edit.html",
                editable=self._editable(draft),
                **page.editor_context(draft, draft.document),
            )
        refused = self._refuse_if_published(draft)
        if refused:
            return refused
        values = page.posted_values(draft.document, request.form)
        document = posted.from_form(values, draft.document)
        if request.form.get("keep_differences"):
            weights.keep_differences(draft.document, document)
        action = request.form.get("action", "save")
        anchor = ""
        verb, _, target = action.partition(":")
        if verb == "accept" and target.startswith("examples:") and target[9:].isdigit():
            if examples.accept(document, int(target[9:])):
                anchor = "examples-" + target[9:]
        elif action != "save" and actions.apply(document, action):
            anchor = "sec-" + action.split(":")[1]
        seen = request.form.get("draft_revision", "")
        if not drafting.save_draft(
            draft, document, actor_name(), int(seen) if seen.isdigit() else -1
        ):
            return self.render(
                "scorecard/draft_edit.html",
                editable=True,
                conflict=True,
                **page.editor_context(draft, document),
            ), 409
        return redirect(url_for(".edit", draft_id=draft.id) + (f"#{anchor}" if anchor else ""))

    @expose("/<int:draft_id>/check", methods=("POST",))
    def check(self, draft_id: int) -> Any:
        """The form as typed so far, validated as on save; JSON for the editor's script."""
        draft = self._draft(draft_id)
        values = page.posted_values(draft.document, request.form)
        document = posted.from_form(values, draft.document)
        return jsonify(page.live_check(draft, document, bool(request.form.get("keep_differences"))))

    @expose("/<int:draft_id>/yaml", methods=("GET", "POST"))
    def yaml(self, draft_id: int) -> Any:
        draft = self._draft(draft_id)
        text, error, status = dump_yaml(draft.document), None, 200
        if request.method == "POST":
            refused = self._refuse_if_published(draft)
            if refused:
                return refused
            text = request.form.get("yaml", "")
            try:
                document = load_document(text)
                if not isinstance(document, dict):
                    raise ValueError(
                        gettext("The YAML must describe a mapping (role: ..., name: ..., ...).")
                    )
                page.plain_json(document)
            except DocumentInvalid as exc:
                error, status = "; ".join(str(p.message) for p in exc.problems), 422
            except ValueError as exc:
                error, status = str(exc), 422
            else:
                seen = request.form.get("draft_revision", "")
                if drafting.save_draft(
                    draft, document, actor_name(), int(seen) if seen.isdigit() else -1
                ):
                    flash(gettext("Draft saved."), "success")
                    return redirect(url_for(".yaml", draft_id=draft.id))
                return self.render(
                    "scorecard/draft_yaml.html",
                    draft=draft,
                    text=text,
                    error=None,
                    conflict=True,
                    editable=True,
                ), 409
        return self.render(
            "scorecard/draft_yaml.html",
            draft=draft,
            text=text,
            error=error,
            editable=self._editable(draft),
        ), status

    @expose("/<int:draft_id>/try", methods=("GET", "POST"))
    def try_draft(self, draft_id: int) -> Any:
        draft = self._draft(draft_id)
        document = draft.document
        sample = draft.sample or {}
        example = request.args.get("example", "")
        golden = fields.items(document, "examples")
        if example.isdigit() and int(example) < len(golden):
            chosen = golden[int(example)]
            sample = {
                "period": chosen.get("period", ""),
                "employee_id": "example",
                "inputs": chosen.get("inputs") or {},
            }
        result, errors, status = None, {}, 200
        if request.method == "POST":
            inputs = samples.from_form(document, "sample", request.form, sample.get("inputs") or {})
            sample = {
                "period": request.form.get("period", "").strip()[:20],
                "employee_id": request.form.get("employee_id", "").strip()[:200],
                "inputs": inputs,
            }
            drafting.save_sample(draft, sample)
            result, errors = page.try_sample(document, sample)
            status = 200 if result else 422
        values = samples.to_values(document, "sample", sample.get("inputs") or {})
        values.update(period=sample.get("period", ""), employee_id=sample.get("employee_id", ""))
        return self.render(
            "scorecard/draft_try.html",
            draft=draft,
            values=values,
            errors=errors,
            result=result,
            fields=samples.input_fields(document, "sample", sample.get("inputs") or {}),
            examples=golden,
            adjustment_names=adjustment_names(document),
            editable=self.can_write(),
        ), status

    @expose("/<int:draft_id>/publish", methods=("GET", "POST"))
    def publish(self, draft_id: int) -> Any:
        draft = self._draft(draft_id)
        current = versions.current_version(draft.role)
        latest = version_queries.latest_version(draft.role)
        changes = diff_documents(current.document, draft.document) if current else None
        report = drafting.check(draft.document)
        errors: list[Any] = list(report.errors)
        form = {
            "note": request.form.get("note", ""),
            "effective_from": request.form.get("effective_from", ""),
        }
        status = 200
        if request.method == "POST":
            refused = self._refuse_if_published(draft)
            if refused:
                return refused
            try:
                published = drafting.publish_draft(
                    draft,
                    form["effective_from"].strip(),
                    form["note"].strip()[:2000],
                    actor_name(),
                    approval_required=approval_required(current_app.config),
                )
            except Refused as exc:
                errors, status = [Problem("", exc.detail)], 403
            except Invalid as exc:
                errors, status = [issue_problem(i) for i in exc.issues], 422
            else:
                if published.created:
                    flash(
                        gettext("Published as version %(n)s.", n=published.row.version), "success"
                    )
                else:
                    flash(
                        gettext(
                            "Identical to version %(n)s: nothing new was published.",
                            n=published.row.version,
                        ),
                        "info",
                    )
                return redirect(
                    url_for("versions.show", role=draft.role, version=published.row.version)
                )
        return self.render(
            "scorecard/draft_publish.html",
            draft=draft,
            current=current,
            latest=latest,
            changes=changes,
            errors=errors,
            warnings=report.warnings,
            form=form,
            editable=self._editable(draft),
            suggested=self._suggest_period(draft),
            coverage=report.coverage,
            approval_required=approval_required(current_app.config),
        ), status

    @expose("/<int:draft_id>/propose", methods=("POST",))
    def propose(self, draft_id: int) -> Any:
        """Submit the draft for approval (SPEC §12): a pending proposal, nothing published."""
        draft = self._draft(draft_id)
        refused = self._refuse_if_published(draft)
        if refused:
            return refused
        try:
            row = proposals.propose(
                draft.role,
                draft.document,
                request.form.get("effective_from", "").strip(),
                request.form.get("note", "").strip()[:2000],
                actor_name(),
            )
        except Invalid as exc:
            flash(
                gettext("Cannot be submitted yet:")
                + " "
                + "; ".join(f"{issue_problem(i).path or '/'} {i.message}" for i in exc.issues),
                "danger",
            )
            return redirect(url_for(".publish", draft_id=draft.id))
        flash(gettext("Submitted for approval as proposal %(id)s.", id=row.id), "success")
        return redirect(url_for("approvals.show", proposal_id=row.id))

    def _suggest_period(self, draft: Draft) -> str:
        kind = draft.document.get("period")
        if kind not in ("month", "quarter", "half", "year"):
            return ""
        return parse_period(current_period(kind, date.today())).shifted(1).text

    @expose("/<int:draft_id>/delete", methods=("POST",))
    def delete(self, draft_id: int) -> Any:
        draft = self._draft(draft_id)
        drafting.delete_draft(draft, actor_name())
        flash(gettext("Draft deleted."), "info")
        return redirect(url_for(".index"))

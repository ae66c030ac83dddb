"""Importing a period's data from CSV/XLSX: the upload, the progress page, its JSON status."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Response, current_app, jsonify, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext

from admin import import_jobs
from admin.auth import actor_name
from admin.views.base import ConsoleView, not_found
from server.storage import console_queries, version_queries
from server.storage.console_models import ImportJob
from server.storage.version_queries import roles


class ImportView(ConsoleView):
    """HR uploads a file; every row is checked, then all rows are stored or none."""

    read_roles = ("hr", "admin")

    @expose("/", methods=("GET", "POST"))
    def index(self) -> Any:
        error, status = None, 200
        form = {
            "role": request.form.get("role", ""),
            "period": request.form.get("period", "").strip(),
        }
        if request.method == "POST":
            upload = request.files.get("file")
            if form["role"] not in roles():
                error = gettext("Choose a role.")
            elif not upload or not upload.filename:
                error = gettext("Choose a CSV or XLSX file.")
            else:
                try:
                    sheet = import_jobs.read_file(upload.filename, upload.read())
                except import_jobs.ImportRefused as exc:
                    error = str(exc)
                else:
                    job = import_jobs.start(
                        current_app._get_current_object(),
                        form["role"],
                        form["period"],
                        upload.filename,
                        sheet,
                        actor_name(),
                    )
                    return redirect(url_for(".job", token=job.token))
            status = 422
        jobs = console_queries.recent_import_jobs(10)
        return self.render(
            "scorecard/import.html", roles=roles(), form=form, error=error, jobs=jobs
        ), status

    @expose("/template.csv")
    def template(self) -> Any:
        role = request.args.get("role", "")
        row = version_queries.latest_version(role) if role in roles() else None
        if row is None:
            raise not_found()
        buffer = io.StringIO()
        csv.writer(buffer).writerow(import_jobs.template_header(row.document))
        return Response(
            "\ufeff" + buffer.getvalue(),
            mimetype="text/csv",
            headers={"Content-Disposition": f"attachment; filename={role}.csv"},
        )

    def _job(self, token: str) -> ImportJob:
        job = console_queries.import_job_by_token(token)
        if job is None:
            raise not_found()
        return job

    @expose("/<token>")
    def job(self, token: str) -> Any:
        return self.render("scorecard/import_job.html", job=self._job(token))

    @expose("/<token>/status")
    def status(self, token: str) -> Any:
        job = self._job(token)
        return jsonify(
            {
                "state": job.state,
                "total": job.total,
                "done": job.done,
                "stored": job.stored,
                "errors": (job.errors or [])[:500],
                "finished": job.finished_at is not None,
            }
        )

"""Importing a period's data from CSV or XLSX: parse, check every row, then store all or none.

The reading, the column mapping and the row checks are server.services.table_files and
.spreadsheet, shared with `scorecard evaluate`; this module runs them as a background job
with progress.
"""

from __future__ import annotations

import secrets
import threading
from typing import Any

from flask import Flask

from server import storage
from server.config import MAX_BATCH_ITEMS
from server.engine import parse_period
from server.engine.language import T, current_locale, use_locale
from server.engine.problems import reason
from server.services import spreadsheet
from server.services.domain_errors import DomainError
from server.services.table_files import Sheet, TableRefused, read_table
from server.storage import console_queries
from server.storage.console_models import ImportJob

MAX_ROWS = MAX_BATCH_ITEMS  # a file holds at most what one batch does
PROGRESS_EVERY = 25  # rows between progress writes
ImportRefused = TableRefused  # a file that cannot be read as a table at all
template_header = spreadsheet.template_header


def read_file(filename: str, data: bytes) -> Sheet:
    """Read a CSV (UTF-8, with or without BOM; GB18030 accepted) or an XLSX upload."""
    return read_table(filename, data, MAX_ROWS)


def start(app: Flask, role: str, period: str, filename: str, sheet: Sheet, actor: str) -> ImportJob:
    """Record a job and check and store it in a background thread; poll the job for progress."""
    job = storage.write(
        lambda: console_queries.add_import_job(
            secrets.token_urlsafe(16), role, period, filename[:200], len(sheet.rows), actor
        )
    )
    locale = current_locale()  # the console's language: the job's problems are written in it
    threading.Thread(
        target=_run, args=(app, job.id, sheet, actor, locale), daemon=True, name=f"import-{job.id}"
    ).start()
    return job


def _update(job_id: int, **fields: Any) -> None:
    storage.write(lambda: console_queries.update_import_job(job_id, **fields))


def _run(app: Flask, job_id: int, sheet: Sheet, actor: str, locale: str | None = None) -> None:
    with app.app_context(), use_locale(locale):
        try:
            _work(job_id, sheet, actor)
        except Exception as exc:  # the job must end in a state the page can show
            app.logger.exception("import %s failed", job_id)
            _update(
                job_id,
                state="failed",
                finished_at=storage.utcnow(),
                errors=[
                    {
                        "row": 0,
                        "column": "",
                        "message": str(T("internal error: %(error)s", error=type(exc).__name__)),
                    }
                ],
            )
        finally:
            storage.close_connection()


def _work(job_id: int, sheet: Sheet, actor: str) -> None:
    job = console_queries.import_job(job_id)
    _update(job_id, state="checking")
    try:
        parse_period(job.period)
        resolved = spreadsheet.resolve_target(job.role, job.period)
    except (DomainError, ValueError) as exc:
        issues = getattr(exc, "issues", [])
        messages = [issue.message for issue in issues] or [reason(exc)]
        _finish(job_id, "failed", [{"row": 0, "column": "", "message": str(m)} for m in messages])
        return
    rows = spreadsheet.build_bodies(sheet, job.role, job.period, resolved.compiled.document)

    def progress(done: int) -> None:
        if done % PROGRESS_EVERY == 0:
            _update(job_id, done=done)

    spreadsheet.evaluate_rows(rows, resolved, progress)
    _update(job_id, done=len(rows.bodies))
    if rows.problems:
        _finish(job_id, "failed", [p.as_dict() for p in spreadsheet.ordered(rows.problems)])
        return
    _update(job_id, state="storing")
    try:
        answers = spreadsheet.store_rows(rows, f"{actor} (import)")
    except spreadsheet.RowsRejected as exc:
        _finish(job_id, "failed", [p.as_dict() for p in exc.problems])
        return
    _finish(job_id, "done", [], stored=sum(1 for _, new in answers if new))


def _finish(job_id: int, state: str, errors: list[dict[str, Any]], stored: int = 0) -> None:
    _update(job_id, state=state, errors=errors, stored=stored, finished_at=storage.utcnow())

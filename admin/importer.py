"""Importing a period's data from CSV or XLSX: parse, check every row, then store all or none.

The reading, the column mapping and the row checks are server.tabular and server.importing,
shared with `scorecard evaluate`; this module runs them as a background job with progress.
"""

from __future__ import annotations

import secrets
import threading
from typing import Any

from flask import Flask

from admin.models import ImportJob
from server import importing, storage
from server.engine import Problem, parse_period
from server.errors import ApiError
from server.tabular import Sheet, TableRefused, read_table

MAX_ROWS = 10_000  # the API's batch limit
PROGRESS_EVERY = 25  # rows between progress writes
ImportRefused = TableRefused  # a file that cannot be read as a table at all
template_header = importing.template_header


def read_file(filename: str, data: bytes) -> Sheet:
    """Read a CSV (UTF-8, with or without BOM; GB18030 accepted) or an XLSX upload."""
    return read_table(filename, data, MAX_ROWS)


def start(app: Flask, role: str, period: str, filename: str, sheet: Sheet, actor: str) -> ImportJob:
    """Record a job and check and store it in a background thread; poll the job for progress."""
    job = storage.write(
        lambda: ImportJob.create(
            token=secrets.token_urlsafe(16),
            role=role,
            period=period,
            filename=filename[:200],
            total=len(sheet.rows),
            created_by=actor,
        )
    )
    threading.Thread(
        target=_run, args=(app, job.id, sheet, actor), daemon=True, name=f"import-{job.id}"
    ).start()
    return job


def _update(job_id: int, **fields: Any) -> None:
    storage.write(lambda: ImportJob.update(**fields).where(ImportJob.id == job_id).execute())


def _run(app: Flask, job_id: int, sheet: Sheet, actor: str) -> None:
    with app.app_context():
        try:
            _work(job_id, sheet, actor)
        except Exception as exc:  # the job must end in a state the page can show
            app.logger.exception("import %s failed", job_id)
            _update(
                job_id,
                state="failed",
                finished_at=storage.utcnow(),
                errors=[
                    {"row": 0, "column": "", "message": f"internal error: {type(exc).__name__}"}
                ],
            )
        finally:
            storage.close_connection()


def _work(job_id: int, sheet: Sheet, actor: str) -> None:
    job = ImportJob.get_by_id(job_id)
    _update(job_id, state="checking")
    try:
        parse_period(job.period)
        resolved = importing.resolve_target(job.role, job.period)
    except (ApiError, ValueError) as exc:
        problems = getattr(exc, "problems", None) or [Problem("/period", str(exc))]
        _finish(
            job_id, "failed", [{"row": 0, "column": "", "message": p.message} for p in problems]
        )
        return
    rows = importing.build_bodies(sheet, job.role, job.period, resolved.compiled.document)

    def progress(done: int) -> None:
        if done % PROGRESS_EVERY == 0:
            _update(job_id, done=done)

    importing.evaluate_rows(rows, resolved, progress)
    _update(job_id, done=len(rows.bodies))
    if rows.problems:
        _finish(job_id, "failed", [p.as_dict() for p in importing.ordered(rows.problems)])
        return
    _update(job_id, state="storing")
    try:
        answers = importing.store_rows(rows, f"{actor} (import)")
    except importing.RowsRejected as exc:
        _finish(job_id, "failed", [p.as_dict() for p in exc.problems])
        return
    _finish(job_id, "done", [], stored=sum(1 for _, new in answers if new))


def _finish(job_id: int, state: str, errors: list[dict[str, Any]], stored: int = 0) -> None:
    _update(job_id, state=state, errors=errors, stored=stored, finished_at=storage.utcnow())

"""Importing a period's data from CSV or XLSX: parse, check every row, then store all or none.

Columns: `employee_id`, optional `reason`, then one per input (`INPUT.KIND` for each rater
kind of a ratings input). Row 1 is the header; a problem names the row and the column.
"""

from __future__ import annotations

import csv
import io
import secrets
import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import Flask

from admin.models import ImportJob
from server import storage
from server.engine import Problem, parse_period
from server.errors import ApiError
from server.evaluations import store
from server.submissions import VersionIndex, evaluate, resolve

MAX_ROWS = 10_000  # the API's batch limit
PROGRESS_EVERY = 25  # rows between progress writes
SPECIAL_COLUMNS = ("employee_id", "reason")


class ImportRefused(ValueError):
    """A file that cannot be read as a table at all."""


@dataclass
class Sheet:
    """The rows of an uploaded file: the header and each data row (as text or native values)."""

    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)


def read_file(filename: str, data: bytes) -> Sheet:
    """Read a CSV (UTF-8, with or without BOM; GB18030 accepted) or an XLSX upload."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(data)
    if name.endswith(".csv"):
        return _read_csv(data)
    raise ImportRefused("upload a .csv or .xlsx file")


def _read_csv(data: bytes) -> Sheet:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRefused("the CSV is neither UTF-8 nor GB18030 text")
    rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    if not rows:
        raise ImportRefused("the file is empty")
    return Sheet([h.strip() for h in rows[0]], rows[1 : MAX_ROWS + 2])


def _read_xlsx(data: bytes) -> Sheet:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportRefused(f"not a readable XLSX workbook ({type(exc).__name__})") from None
    sheet = book.worksheets[0]
    rows = []
    for row in sheet.iter_rows(values_only=True):
        if any(cell not in (None, "") for cell in row):
            rows.append(list(row))
        if len(rows) > MAX_ROWS + 1:
            break
    book.close()
    if not rows:
        raise ImportRefused("the workbook's first sheet is empty")
    return Sheet([str(h or "").strip() for h in rows[0]], rows[1:])


def template_header(document: dict[str, Any]) -> list[str]:
    """The columns a file for this ruleset takes, in document order."""
    columns = list(SPECIAL_COLUMNS)
    raters = list(document.get("raters") or {})
    for name, spec in (document.get("inputs") or {}).items():
        if spec.get("type") == "ratings":
            columns += [f"{name}.{kind}" for kind in (spec.get("raters") or raters)]
        else:
            columns.append(name)
    return columns


def _cell(value: Any, kind: str) -> Any:
    """A cell as the input's JSON value; ValueError says why it cannot be."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip() if not isinstance(value, int | float | bool) else value
    if kind in ("number", "integer", "ratings"):
        if isinstance(text, bool):
            raise ValueError("must be a number")
        if isinstance(text, int | float):
            return int(text) if kind == "integer" and float(text).is_integer() else text
        numbers = [
            p.strip() for p in text.replace("；", ";").replace(";", ",").split(",") if p.strip()
        ]
        try:
            parsed = [float(n) if any(c in n for c in ".eE") else int(n) for n in numbers]
        except ValueError:
            raise ValueError(f"{text!r} is not a number") from None
        return parsed[0] if len(parsed) == 1 else parsed
    if kind == "boolean":
        lowered = str(text).lower()
        if lowered in ("true", "1", "yes", "y", "是"):
            return True
        if lowered in ("false", "0", "no", "n", "否"):
            return False
        raise ValueError(f"{text!r} is not yes/no (true or false)")
    if kind == "list":
        return [float(p) for p in str(text).split(",") if p.strip()]
    return str(text)


def build_bodies(
    sheet: Sheet, role: str, period: str, document: dict[str, Any]
) -> tuple[list[dict], list[dict]]:
    """Submissions from the rows, and every cell problem as {row, column, message}."""
    specs = document.get("inputs") or {}
    errors: list[dict[str, Any]] = []
    columns: list[tuple[str, str | None, str]] = []  # (input, rater kind, type) per column
    for c, title in enumerate(sheet.header):
        name, _, kind = title.partition(".")
        if title in SPECIAL_COLUMNS:
            columns.append((title, None, "special"))
        elif name in specs and (specs[name].get("type") == "ratings") == bool(kind):
            columns.append((name, kind or None, specs[name].get("type", "string")))
        else:
            errors.append(
                {
                    "row": 1,
                    "column": title or f"#{c + 1}",
                    "message": "not an input of this ruleset",
                }
            )
            columns.append((title, None, "unknown"))
    if "employee_id" not in sheet.header:
        errors.append(
            {"row": 1, "column": "employee_id", "message": "the employee_id column is missing"}
        )
    bodies = []
    for r, row in enumerate(sheet.rows, start=2):
        body: dict[str, Any] = {"role": role, "period": period, "employee_id": "", "inputs": {}}
        for (name, kind, type_), value, title in zip(columns, row, sheet.header):
            if (
                value is None
                or (isinstance(value, str) and not value.strip())
                or type_ == "unknown"
            ):
                continue
            if type_ == "special":
                body[name] = str(value).strip()
                continue
            try:
                parsed = _cell(value, type_)
            except ValueError as exc:
                errors.append({"row": r, "column": title, "message": str(exc)})
                continue
            if kind:
                body["inputs"].setdefault(name, {})[kind] = parsed
            else:
                body["inputs"][name] = parsed
        if not body["employee_id"]:
            errors.append({"row": r, "column": "employee_id", "message": "is empty"})
        if not body.get("reason"):
            body.pop("reason", None)
        bodies.append(body)
    if len(sheet.rows) > MAX_ROWS:
        errors.append(
            {"row": MAX_ROWS + 2, "column": "", "message": f"at most {MAX_ROWS} rows per file"}
        )
    return bodies, errors


def column_of(problem: Problem, prefix: str = "") -> str:
    """The column a submission problem points at (`/inputs/x/superior` -> `x.superior`)."""
    parts = problem.path[len(prefix) :].strip("/").split("/")
    if parts[0] == "inputs" and len(parts) > 1:
        return ".".join(parts[1:3])
    return parts[0]


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
    index = VersionIndex()
    try:
        parse_period(job.period)
        first = resolve({"role": job.role, "period": job.period}, index)
    except (ApiError, ValueError) as exc:
        problems = getattr(exc, "problems", None) or [Problem("/period", str(exc))]
        _finish(
            job_id, "failed", [{"row": 0, "column": "", "message": p.message} for p in problems]
        )
        return
    bodies, errors = build_bodies(sheet, job.role, job.period, first.compiled.document)
    for n, body in enumerate(bodies):
        try:
            evaluate(first, {**body, "employee_id": body["employee_id"] or None}, {})
        except ApiError as exc:
            seen = {(e["row"], e["column"]) for e in errors}
            for p in exc.problems:  # a cell that could not be read is reported once
                if (n + 2, column_of(p)) not in seen:
                    errors.append({"row": n + 2, "column": column_of(p), "message": p.message})
        if (n + 1) % PROGRESS_EVERY == 0:
            _update(job_id, done=n + 1)
    _update(job_id, done=len(bodies))
    if errors:
        _finish(job_id, "failed", sorted(errors, key=lambda e: (e["row"], e["column"])))
        return
    _update(job_id, state="storing")
    try:
        answers = store(bodies, f"{actor} (import)", batch=True)
    except ApiError as exc:
        found = []
        for p in exc.problems:
            parts = p.path.split("/")
            row = int(parts[2]) + 2 if len(parts) > 2 and parts[2].isdigit() else 0
            found.append(
                {"row": row, "column": column_of(p, "/".join(parts[:3])), "message": p.message}
            )
        _finish(job_id, "failed", found or [{"row": 0, "column": "", "message": exc.detail}])
        return
    _finish(job_id, "done", [], stored=sum(1 for _, new in answers if new))


def _finish(job_id: int, state: str, errors: list[dict[str, Any]], stored: int = 0) -> None:
    _update(job_id, state=state, errors=errors, stored=stored, finished_at=storage.utcnow())

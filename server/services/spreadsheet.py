"""A spreadsheet's rows as submissions: columns mapped to inputs, cells read as values,
every problem named by its row and column, then evaluated or stored all-or-none.

Shared by the console's import (admin/import_jobs.py) and `scorecard evaluate`. Columns:
`employee_id` (or 员工编号, 工号), optional `reason` (or 原因), then one per input, headed by
the input's name or its label; a ratings input takes one column per rater kind, headed
`NAME.KIND` or `LABEL.KIND`. Row 1 is the header.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from server.engine.language import T, Text
from server.engine.problems import reason as reason_of
from server.engine.problems import require_text
from server.services.domain_errors import DomainError, Invalid, Issue, PeriodClosed
from server.services.evaluating import Resolved, VersionIndex, evaluate, resolve
from server.services.plan_merging import plans_for
from server.services.storing import store
from server.services.table_files import Sheet
from server.storage.result_queries import stored_ratings

SPECIAL_COLUMNS = ("employee_id", "reason")
ALIASES = {  # Chinese (and export) headers of the special columns
    "员工编号": "employee_id",
    "员工ID": "employee_id",
    "工号": "employee_id",
    "Employee ID": "employee_id",
    "原因": "reason",
    "修改原因": "reason",
    "Reason": "reason",
}
UNKNOWN_COLUMN = T("not an input of this ruleset")
THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
WHOLE_FILE = 0  # the row of a problem that is not any one row's


@dataclass(frozen=True)
class RowProblem:
    """A problem of the file: its row (1 the header, 0 the whole file), column and message."""

    row: int
    column: str
    message: Text

    def __post_init__(self) -> None:
        require_text(self.message, "an import problem's message")

    def as_dict(self, locale: str | None = None) -> dict[str, Any]:
        """`{row, column, message}`, the message in `locale` (default: the current one)."""
        return {"row": self.row, "column": self.column, "message": self.message.render(locale)}


class RowsRejected(Exception):
    """Rows that cannot be evaluated or stored; nothing was stored."""

    def __init__(self, problems: list[RowProblem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = ordered(problems)


def ordered(problems: list[RowProblem]) -> list[RowProblem]:
    """Problems by row, then column."""
    return sorted(problems, key=lambda p: (p.row, p.column))


@dataclass(frozen=True)
class Column:
    """What a column of the file holds: a special field, an input (and rater kind), or nothing."""

    title: str
    target: str = ""  # employee_id, reason, an input name, or "" (not used)
    kind: str | None = None  # the rater kind of a ratings input
    type: str = "unknown"  # special, an input type, or unknown


@dataclass
class Rows:
    """The file as submissions: a body per data row, its row number, and the problems found."""

    bodies: list[dict[str, Any]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    titles: dict[tuple[str, str | None], str] = field(default_factory=dict)

    def add(self, row: int, column: str, message: Text) -> None:
        """Record a problem unless that cell already has one (it is reported once)."""
        if all((p.row, p.column) != (row, column) for p in self.problems):
            self.problems.append(RowProblem(row, column, message))

    def column_of(self, issue: Issue) -> str:
        """The file's column an issue of a submission is about (inputs x.superior -> its title)."""
        parts = ([issue.field] if issue.field else []) + issue.path.split("/")[1:] or [""]
        if parts[0] == "inputs" and len(parts) > 1:
            kind = parts[2] if len(parts) > 2 and not parts[2].isdigit() else None
            found = self.titles.get((parts[1], kind)) or self.titles.get((parts[1], None))
            return found or ".".join(p for p in (parts[1], kind) if p)
        if parts[0] == "inputs":
            return ""  # a computation failure: the message names the indicator
        return self.titles.get((parts[0], None), parts[0])


def template_header(document: dict[str, Any]) -> list[str]:
    """The columns a file for this ruleset takes, by input name, in document order."""
    columns = list(SPECIAL_COLUMNS)
    raters = list(document.get("raters") or {})
    for name, spec in (document.get("inputs") or {}).items():
        if spec.get("type") == "ratings":
            columns += [f"{name}.{kind}" for kind in (spec.get("raters") or raters)]
        else:
            columns.append(name)
    return columns


def _targets(document: dict[str, Any]) -> tuple[dict[str, Column], dict[str, list[str]]]:
    """Every header a column may carry -> its Column (names before labels); and the labels
    that several inputs share (they cannot head a column)."""
    raters = list(document.get("raters") or {})
    inputs = document.get("inputs") or {}
    by_title: dict[str, Column] = {}
    owners: dict[str, list[str]] = {}
    for name, spec in inputs.items():
        if isinstance(spec.get("label"), str):
            owners.setdefault(spec["label"], []).append(name)
    for use_label in (False, True):
        for name, spec in inputs.items():
            type_ = spec.get("type", "string")
            head = spec.get("label") if use_label else name
            if not isinstance(head, str) or (use_label and len(owners[head]) > 1):
                continue
            for kind in (spec.get("raters") or raters) if type_ == "ratings" else [None]:
                title = f"{head}.{kind}" if kind else head
                by_title.setdefault(title, Column(title, name, kind, type_))
    return by_title, {label: names for label, names in owners.items() if len(names) > 1}


def map_columns(header: list[str], document: dict[str, Any]) -> tuple[list[Column], Rows]:
    """Each header cell's Column, and the header's problems (on row 1)."""
    by_title, shared = _targets(document)
    rows = Rows()
    columns: list[Column] = []
    for c, title in enumerate(header):
        special = title if title in SPECIAL_COLUMNS else ALIASES.get(title)
        if special:
            column = Column(title, special, None, "special")
        elif title in by_title:
            found = by_title[title]
            column = Column(title, found.target, found.kind, found.type)
        elif title.rsplit(".", 1)[0] in shared or title in shared:
            names = ", ".join(shared.get(title) or shared[title.rsplit(".", 1)[0]])
            rows.add(
                1,
                title,
                T("several inputs have this label (%(names)s): head it by name", names=names),
            )
            column = Column(title)
        else:
            rows.add(1, title or f"#{c + 1}", UNKNOWN_COLUMN)
            column = Column(title)
        if column.target and (column.target, column.kind) in rows.titles:
            other = rows.titles[(column.target, column.kind)]
            rows.add(1, title, T("the same input as column %(column)s", column=other))
            column = Column(title)
        if column.target:
            rows.titles[(column.target, column.kind)] = title
        columns.append(column)
    if ("employee_id", None) not in rows.titles:
        rows.add(1, "employee_id", T("the employee_id column is missing"))
    return columns, rows


def _number(text: str, kind: str) -> Any:
    if kind != "ratings" and THOUSANDS.fullmatch(text):
        text = text.replace(",", "")  # 1,200,000 is one number; in a ratings cell, a list
    parts = [p.strip() for p in text.replace("；", ";").replace(";", ",").split(",") if p.strip()]
    try:
        parsed = [float(p) if any(c in p for c in ".eE") else int(p) for p in parts]
    except ValueError:
        raise ValueError(T("%(text)r is not a number", text=text)) from None
    if not parsed:
        raise ValueError(T("%(text)r is not a number", text=text))
    return parsed[0] if len(parsed) == 1 else parsed


def cell_value(value: Any, kind: str) -> Any:
    """A cell as the input's JSON value; ValueError says why it cannot be."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if kind in ("number", "integer", "ratings"):
        if isinstance(value, bool):
            raise ValueError(T("must be a number"))
        if isinstance(value, int | float):
            return int(value) if kind == "integer" and float(value).is_integer() else value
        return _number(str(value).strip(), kind)
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        lowered = str(value).strip().lower()
        if lowered in ("true", "1", "yes", "y", "是"):
            return True
        if lowered in ("false", "0", "no", "n", "否"):
            return False
        raise ValueError(T("%(value)r is not yes/no (true or false)", value=str(value)))
    if kind == "list":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return [value]
        number = _number(str(value).strip(), "ratings")
        return number if isinstance(number, list) else [number]
    return text_value(value)


def text_value(value: Any) -> str:
    """A cell as text; a whole number typed into a spreadsheet (1001.0) reads as 1001."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def build_bodies(
    sheet: Sheet, role: str, period: str, document: dict[str, Any], reason: str | None = None
) -> Rows:
    """A submission per data row (`reason` for rows without one), with every cell problem."""
    columns, rows = map_columns(sheet.header, document)
    id_column = rows.titles.get(("employee_id", None), "employee_id")
    seen: dict[str, int] = {}
    for number, row in zip(sheet.numbers, sheet.rows):
        body: dict[str, Any] = {"role": role, "period": period, "employee_id": "", "inputs": {}}
        for column, value in zip(columns, row):
            if not column.target or value is None or (isinstance(value, str) and not value.strip()):
                continue
            if column.type == "special":
                body[column.target] = text_value(value)
                continue
            try:
                parsed = cell_value(value, column.type)
            except ValueError as exc:
                rows.add(number, column.title, reason_of(exc))
                continue
            if column.kind:
                body["inputs"].setdefault(column.target, {})[column.kind] = parsed
            else:
                body["inputs"][column.target] = parsed
        note_employee(rows, number, id_column, body["employee_id"], seen)
        if not body.get("reason"):
            body.pop("reason", None)
            if reason:
                body["reason"] = reason
        rows.bodies.append(body)
        rows.numbers.append(number)
    if sheet.truncated:
        limit = len(sheet.rows)
        rows.add(WHOLE_FILE, "", T("at most %(n)s rows per file", n=limit))
    return rows


def note_employee(rows: Any, number: int, column: str, employee: str, seen: dict[str, int]) -> None:
    """An empty employee id, or one an earlier row has, is a problem of that row's id cell."""
    if not employee:
        rows.add(number, column, T("is empty"))
    elif employee in seen:
        message = T("%(employee)s is also on row %(row)s", employee=employee, row=seen[employee])
        rows.add(number, column, message)
    else:
        seen[employee] = number


def resolve_target(role: str, period: str) -> Resolved:
    """The version a file for this role and period is evaluated with (Invalid if none)."""
    return resolve({"role": role, "period": period}, VersionIndex())


def evaluate_rows(
    rows: Rows, resolved: Resolved, progress: Callable[[int], None] | None = None
) -> list[dict[str, Any] | None]:
    """Each row's result (None where it cannot be computed; its problems are added to `rows`).

    Streak history is read from storage as POST /evaluate reads it; `progress(n)` is called
    after each row.
    """
    compiled = resolved.compiled
    periods = {p for body in rows.bodies for p in compiled.history_periods(body["period"])}
    ids = [body["employee_id"] for body in rows.bodies if body["employee_id"]]
    stored = stored_ratings(compiled.role, ids, periods)
    plans = plans_for((compiled.role, body["period"], body["employee_id"]) for body in rows.bodies)
    results: list[dict[str, Any] | None] = []
    for n, (body, number) in enumerate(zip(rows.bodies, rows.numbers), start=1):
        employee = body["employee_id"] or None
        history = {
            p: stored[(employee, p)]
            for p in compiled.history_periods(body["period"])
            if (employee, p) in stored
        }
        try:
            plan = plans.get((compiled.role, body["period"], body["employee_id"]))
            results.append(evaluate(resolved, {**body, "employee_id": employee}, history, plan))
        except Invalid as exc:
            results.append(None)
            for issue in exc.issues:
                rows.add(number, rows.column_of(issue), issue.message)
        if progress is not None:
            progress(n)
    _collapse_missing_columns(rows)
    return results


def _collapse_missing_columns(rows: Rows) -> None:
    """A problem of a column the file lacks, the same on every row, is reported once on row 1."""
    present = set(rows.titles.values())
    every = set(rows.numbers)
    seen: dict[tuple[str, str], set[int]] = {}
    for p in rows.problems:
        if p.column and p.column not in present and p.row > 1:
            seen.setdefault((p.column, p.message), set()).add(p.row)
    for (column, message), numbers in seen.items():
        if len(every) > 1 and numbers == every:
            rows.problems = [
                p for p in rows.problems if (p.column, p.message) != (column, message) or p.row <= 1
            ]
            rows.add(1, column, T("no such column: %(problem)s on every row", problem=message))


def store_rows(rows: Rows, actor: str) -> list[tuple[dict[str, Any], bool]]:
    """Store every row in one transaction (all or none); RowsRejected names the rows."""
    try:
        return store(rows.bodies, actor, batch=True)
    except PeriodClosed as exc:
        raise RowsRejected([RowProblem(WHOLE_FILE, "", exc.issues[0].message)]) from None
    except DomainError as exc:
        found = Rows(titles=rows.titles)
        for issue in exc.issues:
            number = rows.numbers[issue.item] if issue.item is not None else WHOLE_FILE
            found.add(number, found.column_of(issue), issue.message)
        raise RowsRejected(found.problems or [RowProblem(WHOLE_FILE, "", exc.detail)]) from None

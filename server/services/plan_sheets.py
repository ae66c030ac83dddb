"""Period plans in a spreadsheet: the template HR fills in, and a filled-in file read as plans
with every problem by row and column, previewed, then stored all or none.

Shared by the console's plans page and `scorecard plans import`. Columns: the employee id
(员工编号, employee_id, ...), an optional reason (原因), then one per `source: plan` input,
headed by its label (or name), optionally marked （必填） or （选填） as the template marks them.
Row 1 is the header; the template's sample row (its employee id 示例（不导入）) is not imported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from server.engine import CompiledRuleset, parse_period
from server.engine.language import LOCALES, T, normalize
from server.engine.problems import reason as reason_of
from server.services.domain_errors import DomainError, PeriodClosed
from server.services.planning import check_inputs, plan_inputs, store_plans
from server.services.spreadsheet import (
    ALIASES,
    WHOLE_FILE,
    RowProblem,
    RowsRejected,
    cell_value,
    note_employee,
)
from server.services.table_files import Sheet
from server.storage import plan_queries

MARK = re.compile(
    r"\s*[（(]\s*(必填|选填|required to fill|optional to fill|required|optional)\s*[)）]\s*$",
    re.IGNORECASE,
)
REQUIRED, OPTIONAL = T("required to fill"), T("optional to fill")
SAMPLE_ID = T("sample (not imported)")


def _marked(title: str, required: bool, locale: str | None) -> str:
    mark = (REQUIRED if required else OPTIONAL).render(locale)
    return f"{title}（{mark}）" if re.search(r"[^\x00-\x7f]", mark) else f"{title} ({mark})"


def template(
    compiled: CompiledRuleset, period: str, locale: str | None = None
) -> tuple[list[str], list[Any]]:
    """The header (the plan inputs' labels, marked required or optional) and a sample row."""
    locale = normalize(locale)  # a console's zh_Hans_CN is zh-CN
    examples = [e.get("inputs", {}) for e in compiled.document.get("examples") or []]
    header = [_marked(T("Employee ID").render(locale), True, locale)]
    sample: list[Any] = [SAMPLE_ID.render(locale)]
    for name in plan_inputs(compiled):
        spec = compiled.inputs[name]
        header.append(_marked(spec.label, spec.required, locale))
        sample.append(_sample(spec, examples, period))
    header.append(_marked(T("Reason").render(locale), False, locale))
    sample.append("")
    return header, sample


def _sample(spec: Any, examples: list[dict[str, Any]], period: str) -> Any:
    for inputs in examples:
        if inputs.get(spec.name) is not None and not isinstance(inputs[spec.name], dict | list):
            return inputs[spec.name]
    if spec.type in ("number", "integer"):
        return int(spec.min) if spec.min is not None and spec.min.is_integer() else (spec.min or 0)
    if spec.type == "date":
        return parse_period(period).start.isoformat()
    if spec.type == "boolean":
        return "否"
    if spec.type == "string":
        return spec.enum[0] if spec.enum else ""
    return ""


def _sample_ids() -> set[str]:
    return {SAMPLE_ID.render(locale) for locale in LOCALES}


@dataclass
class PlanRows:
    """The file as plans: a body per data row, its row number, and every problem found."""

    bodies: list[dict[str, Any]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)  # employee_id, reason, input -> header

    def add(self, row: int, column: str, message: str) -> None:
        if all((p.row, p.column) != (row, column) for p in self.problems):
            self.problems.append(RowProblem(row, column, message))

    def column_of(self, field_: str, path: str) -> str:
        """The header of the column an issue is about (inputs /target_sales -> its title)."""
        if field_ == "inputs" and path:
            name = path.split("/")[1]
            return self.titles.get(name, name)
        return self.titles.get(field_, field_)


def _columns(header: list[str], compiled: CompiledRuleset, rows: PlanRows) -> list[str]:
    """What each header cell holds: employee_id, reason, a plan input's name, or ""."""
    wanted = plan_inputs(compiled)
    by_title = {name: name for name in wanted}
    for name in wanted:
        by_title.setdefault(compiled.inputs[name].label, name)
    others = {spec.label: name for name, spec in compiled.inputs.items() if name not in wanted}
    others.update({name: name for name in compiled.inputs if name not in wanted})
    english = {"employee id": "employee_id", "reason": "reason"}
    targets = []
    for c, title in enumerate(header):
        bare = MARK.sub("", title)
        target = (
            {"employee_id": "employee_id", "reason": "reason"}.get(bare)
            or ALIASES.get(bare)
            or english.get(bare.lower())
            or by_title.get(bare, "")
        )
        if not target:
            if bare in others:
                message = T(
                    "%(name)s is sent by the client system with the actuals, not set in a plan",
                    name=bare,
                )
            else:
                message = T(
                    "not a plan input of this ruleset; a plan takes %(labels)s",
                    labels=", ".join(compiled.inputs[n].label for n in wanted),
                )
            rows.add(1, title or f"#{c + 1}", message)
        elif target in rows.titles:
            message = T("the same input as column %(other)s", other=rows.titles[target])
            rows.add(1, title, message)
            target = ""
        else:
            rows.titles[target] = title
        targets.append(target)
    if "employee_id" not in rows.titles:
        rows.add(1, "employee_id", T("the employee ID column (员工编号) is missing"))
    return targets


def read_plans(
    sheet: Sheet,
    role: str,
    period: str,
    compiled: CompiledRuleset,
    reason: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> PlanRows:
    """A plan per data row (`reason` for rows without one), each cell checked against the
    version (types, bounds, required columns); `progress(n)` after each row."""
    rows = PlanRows()
    targets = _columns(sheet.header, compiled, rows)
    samples = _sample_ids()
    seen: dict[str, int] = {}
    required = [n for n in plan_inputs(compiled) if compiled.inputs[n].required]
    id_column = rows.titles.get("employee_id", "employee_id")
    for n, (number, row) in enumerate(zip(sheet.numbers, sheet.rows), start=1):
        body: dict[str, Any] = {"role": role, "period": period, "employee_id": "", "inputs": {}}
        for target, title, value in zip(targets, sheet.header, row):
            if not target or value is None or (isinstance(value, str) and not value.strip()):
                continue
            if target in ("employee_id", "reason"):
                body[target] = cell_value(value, "string")
                continue
            try:
                body["inputs"][target] = cell_value(value, compiled.inputs[target].type)
            except ValueError as exc:
                rows.add(number, title, reason_of(exc))
        employee = body["employee_id"]
        if employee in samples:
            continue
        note_employee(rows, number, id_column, employee, seen)
        for name in required:
            if name not in body["inputs"] and name in rows.titles:
                rows.add(number, rows.titles[name], T("is required (必填)"))
        _, issues = check_inputs(compiled, body["inputs"])
        for issue in issues:
            rows.add(number, rows.column_of(issue.field, issue.path), issue.message)
        if not body.get("reason"):
            body.pop("reason", None)
            if reason:
                body["reason"] = reason
        rows.bodies.append(body)
        rows.numbers.append(number)
        if progress is not None:
            progress(n)
    missing = [compiled.inputs[name].label for name in required if name not in rows.titles]
    for label in missing:
        rows.add(1, label, T("the column of a required plan input is missing"))
    if sheet.truncated:
        rows.add(WHOLE_FILE, "", T("at most %(limit)s rows per file", limit=len(sheet.rows)))
    return rows


def preview(rows: PlanRows, compiled: CompiledRuleset) -> list[dict[str, Any]]:
    """What storing would do, row by row: `new`, `changed` (revision n+1) or `unchanged`."""
    keys = [(b["role"], b["period"], b["employee_id"]) for b in rows.bodies]
    latest = plan_queries.latest_plans(keys)
    out = []
    for number, body, key in zip(rows.numbers, rows.bodies, keys):
        found = latest.get(key)
        if found is None:
            state, revision = "new", 1
        elif found.revision.inputs == body["inputs"]:
            state, revision = "unchanged", found.revision.revision
        else:
            state, revision = "changed", found.revision.revision + 1
        out.append(
            {
                "row": number,
                "employee_id": body["employee_id"],
                "values": [body["inputs"].get(name) for name in plan_inputs(compiled)],
                "reason": body.get("reason"),
                "state": state,
                "revision": revision,
                "acknowledged": found is not None and found.acknowledged is not None,
            }
        )
    return out


def store_rows(rows: PlanRows, actor: str) -> list[tuple[dict[str, Any], bool]]:
    """Store every row's plan in one transaction (all or none); RowsRejected names the rows."""
    try:
        return store_plans(rows.bodies, actor, batch=True)
    except PeriodClosed as exc:
        raise RowsRejected([RowProblem(WHOLE_FILE, "", exc.issues[0].message)]) from None
    except DomainError as exc:
        found = PlanRows(titles=rows.titles)
        for issue in exc.issues:
            number = rows.numbers[issue.item] if issue.item is not None else WHOLE_FILE
            found.add(number, found.column_of(issue.field, issue.path), issue.message)
        raise RowsRejected(found.problems or [RowProblem(WHOLE_FILE, "", exc.detail)]) from None

"""Period plans (SPEC §9): HR sets an employee's `source: plan` inputs before the period, the
employee acknowledges them; every change is a new revision, audited in its transaction.

Storing rules, as for evaluations: the first plan of a role-period-employee is revision 1;
the same inputs answer the stored revision; other inputs are revision n+1, which needs a
`reason` once any revision was acknowledged. A closed period takes no plan writes.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from server.engine import CompiledRuleset, canonical_json, parse_period, pointer
from server.engine.language import T
from server.engine.problems import reason
from server.services import versions
from server.services.domain_errors import Invalid, Issue, NotFound, PeriodClosed
from server.services.evaluating import VersionIndex, check_period_kind
from server.services.period_closing import check_period
from server.storage import audit_queries, plan_queries, result_queries, rfc3339, utcnow, write
from server.storage.plan_queries import LatestPlan

Key = tuple[str, str, str]  # role, period, employee_id
MAX_EMPLOYEE_ID = 200


def period_lock(role: str, period: str) -> str:
    """The lock of a role's period: plan writes queue with closing and storing there."""
    return f"evaluations:{role}/{period}"


@dataclass
class PlanItem:
    """One plan on its way to storage."""

    body: dict[str, Any]
    item: int | None  # its position in a batch
    issues: list[Issue] = field(default_factory=list)
    version: int = 0  # the version in force it was checked against
    inputs: dict[str, Any] = field(default_factory=dict)  # checked, nulls left out
    revision: int = 0  # the revision it writes (0: none)
    answer: dict[str, Any] | None = None

    @property
    def key(self) -> Key:
        return (self.body["role"], self.body["period"], self.body["employee_id"])


@dataclass
class State:
    """A plan's latest revision, stored or written earlier in this batch."""

    record_id: int | None
    revision: int
    inputs: str  # canonical JSON
    acknowledged_once: bool  # any revision was acknowledged: a change needs a reason
    answer: dict[str, Any]


def plan_inputs(compiled: CompiledRuleset) -> list[str]:
    """The names of the ruleset's `source: plan` inputs, in document order."""
    return [name for name, spec in compiled.inputs.items() if spec.source == "plan"]


def check_inputs(compiled: CompiledRuleset, inputs: dict[str, Any]) -> tuple[dict, list[Issue]]:
    """The plan's values checked against the version (SPEC §3.1 types and bounds, only
    `source: plan` inputs, any subset); nulls are left out."""
    names = plan_inputs(compiled)
    checked, issues = {}, []
    for name, value in inputs.items():
        spec = compiled.inputs.get(name)
        if value is None:
            continue
        if spec is None:
            close = difflib.get_close_matches(name, names, n=1)
            message = (
                T(
                    "%(name)s is not an input of this ruleset; did you mean %(close)s?",
                    name=name,
                    close=close[0],
                )
                if close
                else T(
                    "%(name)s is not an input of this ruleset; a plan takes %(names)s",
                    name=name,
                    names=", ".join(names),
                )
            )
        elif spec.source != "plan":
            message = T(
                "input %(name)s (%(label)s) is sent by the client system with the actuals, "
                "not set in a plan",
                name=name,
                label=spec.label,
            )
        else:
            try:
                spec.coerce(value)
            except ValueError as exc:
                message = T(
                    "input %(name)s (%(label)s): %(problem)s",
                    name=name,
                    label=spec.label,
                    problem=reason(exc),
                )
            else:
                checked[name] = value
                continue
        issues.append(Issue(message, "inputs", pointer(name)))
    return checked, issues


def _resolve(item: PlanItem, index: VersionIndex) -> CompiledRuleset | None:
    """The version in force for the item's period (its problems added to the item)."""
    role, period, _ = item.key
    known = index.versions(role)
    if not known:
        item.issues.append(
            Issue(
                T("unknown role %(role)s: no ruleset was published for it", role=role),
                "role",
                item=item.item,
            )
        )
        return None
    start = parse_period(period)
    row = versions.version_in_force(known, start.start)
    kind_row = row or known[-1]
    try:
        check_period_kind(versions.compiled(kind_row), start.kind, period)
    except Invalid as exc:
        item.issues += [issue.at_item(item.item) for issue in exc.issues]
        return None
    if row is None:
        first = min(known, key=lambda v: v.effective_start)
        message = T(
            "no version of %(role)s is in force for %(period)s (the earliest takes effect "
            "from %(first)s): a plan is checked against the version in force",
            role=role,
            period=period,
            first=first.effective_from,
        )
        item.issues.append(Issue(message, item=item.item))
        return None
    item.version = row.version
    return versions.compiled(row)


def plan_json(plan: LatestPlan, with_revisions: bool = False) -> dict[str, Any]:
    """A plan as the API answers it: the latest revision; with every revision's summary."""
    record, latest = plan.record, plan.revision
    acknowledged = plan.acknowledged
    out: dict[str, Any] = {
        "role": record.role,
        "period": record.period,
        "employee_id": record.employee_id,
        "revision": latest.revision,
        "inputs": latest.inputs,
        "reason": latest.reason,
        "stored_at": rfc3339(latest.stored_at),
        "acknowledged": None
        if acknowledged is None
        else {
            "revision": acknowledged.revision,
            "by": acknowledged.by,
            "at": rfc3339(acknowledged.at),
        },
    }
    if with_revisions:
        acks = plan.acknowledgements
        out["revisions"] = [
            {
                "revision": row.revision,
                "reason": row.reason,
                "stored_at": rfc3339(row.stored_at),
                "acknowledged": None
                if row.revision not in acks
                else {"by": acks[row.revision].by, "at": rfc3339(acks[row.revision].at)},
            }
            for row in plan_queries.revisions(record.id)
        ]
    return out


def _decide(items: list[PlanItem]) -> list[PlanItem]:
    """Which items write a revision; raises Invalid or PeriodClosed before anything is written."""
    ready = [item for item in items if not item.issues]
    for item in ready:  # a retried transaction decides afresh
        item.revision, item.answer = 0, None
    states = {
        key: State(
            plan.record.id,
            plan.revision.revision,
            canonical_json(plan.revision.inputs),
            bool(plan.acknowledgements),
            plan_json(plan),
        )
        for key, plan in plan_queries.latest_plans({item.key for item in ready}).items()
    }
    closed = result_queries.closed_among({item.key[:2] for item in ready})
    writing, closed_hits, issues = [], [], []
    for item in ready:
        state = states.get(item.key)
        inputs = canonical_json(item.inputs)
        if state is not None and state.inputs == inputs:
            item.answer = state.answer
            continue
        reason = item.body.get("reason")
        if state is not None and state.acknowledged_once and not (reason or "").strip():
            message = T(
                "%(employee)s acknowledged an earlier revision of this plan; a new revision "
                "(%(revision)s) needs a reason",
                employee=item.key[2],
                revision=state.revision + 1,
            )
            issues.append(Issue(message, "reason", item=item.item))
        if item.key[:2] in closed:
            message = T(
                "%(period)s is closed for %(role)s: reopen it before changing plans",
                period=item.key[1],
                role=item.key[0],
            )
            closed_hits.append(Issue(message, "period", item=item.item))
        item.revision = (state.revision if state else 0) + 1
        answer = {
            "role": item.key[0],
            "period": item.key[1],
            "employee_id": item.key[2],
            "revision": item.revision,
            "inputs": item.inputs,
            "reason": reason,
            "stored_at": "",
            "acknowledged": None,
        }
        item.answer = answer
        states[item.key] = State(
            state.record_id if state else None,
            item.revision,
            inputs,
            state.acknowledged_once if state else False,
            answer,
        )
        writing.append(item)
    issues += [issue for item in items for issue in item.issues]
    if issues:
        raise Invalid(T("some plans cannot be stored"), issues)
    if closed_hits:
        raise PeriodClosed(T("a closed period takes no plan changes"), closed_hits)
    return writing


def _write(items: list[PlanItem], actor: str, batch: bool) -> None:
    writing = _decide(items)
    known = {
        key: plan.record.id
        for key, plan in plan_queries.latest_plans({item.key for item in writing}).items()
    }
    new = sorted({item.key for item in writing} - set(known))
    starts = {period: parse_period(period).start for _, period, _ in new}
    now = utcnow()
    known.update(plan_queries.create_records(new, starts, now))
    rows, audit = [], []
    for item in writing:
        role, period, employee_id = item.key
        reason = item.body.get("reason")
        rows.append(
            {
                "record": known[item.key],
                "revision": item.revision,
                "version": item.version,
                "inputs": item.inputs,
                "reason": reason,
                "actor": actor,
                "stored_at": now,
            }
        )
        item.answer["stored_at"] = rfc3339(now)
        details = {
            "employee_id": employee_id,
            "revision": item.revision,
            "version": item.version,
            "reason": reason,
            "batch": batch,
        }
        audit.append(audit_queries.audit(actor, "plan.store", f"{role}/{period}", details))
    plan_queries.insert_revisions(rows)
    audit_queries.insert_audit(audit)


def store_plans(
    bodies: list[dict[str, Any]],
    actor: str,
    batch: bool,
    rejected: dict[int, list[Issue]] | None = None,
) -> list[tuple[dict[str, Any], bool]]:
    """Check and store plans, all or none; each answer (the latest revision) with whether it
    wrote a new revision. `rejected` holds issues already found with some items (by position)."""
    items = [PlanItem(body, i if batch else None) for i, body in enumerate(bodies)]
    for index_, issues in (rejected or {}).items():
        items[index_].issues += issues
    index = VersionIndex()
    for item in items:
        if item.issues:
            continue
        compiled = _resolve(item, index)
        if compiled is not None:
            item.inputs, issues = check_inputs(compiled, item.body.get("inputs") or {})
            item.issues += [issue.at_item(item.item) for issue in issues]
    locks = {period_lock(*item.key[:2]) for item in items if not item.issues}
    write(lambda: _write(items, actor, batch), locks)
    return [(item.answer, item.revision > 0) for item in items]


def check_plan_path(role: str, period: str, employee_id: str) -> None:
    """NotFound unless the role exists, the period is of its kind and the id could be stored."""
    check_period(role, period)
    if not 1 <= len(employee_id) <= MAX_EMPLOYEE_ID:
        raise NotFound(T("an employee_id has 1 to 200 characters"))


def put_plan(
    role: str, period: str, employee_id: str, body: dict[str, Any], actor: str
) -> tuple[dict[str, Any], bool]:
    """PUT /plans/{role}/{period}/{employee_id}: the plan after storing, and whether it wrote."""
    check_plan_path(role, period, employee_id)
    item = {"role": role, "period": period, "employee_id": employee_id, **body}
    [(_, created)] = store_plans([item], actor, batch=False)
    return get_plan(role, period, employee_id), created


def _latest(role: str, period: str, employee_id: str) -> LatestPlan:
    found = plan_queries.latest_plan(role, period, employee_id)
    if found is None:
        raise NotFound(
            T(
                "no plan was set for %(employee)s in %(period)s",
                employee=employee_id,
                period=period,
            )
        )
    return found


def get_plan(role: str, period: str, employee_id: str) -> dict[str, Any]:
    """One plan's latest revision with the list of its revisions."""
    check_plan_path(role, period, employee_id)
    return plan_json(_latest(role, period, employee_id), with_revisions=True)


def acknowledge(role: str, period: str, employee_id: str, by: str, actor: str) -> dict[str, Any]:
    """The employee acknowledges the latest revision (again: unchanged); the plan."""
    check_plan_path(role, period, employee_id)

    def work() -> dict[str, Any]:
        plan = _latest(role, period, employee_id)
        if plan.acknowledged is None:
            if result_queries.closed_among({(role, period)}):
                message = T(
                    "%(period)s is closed for %(role)s: reopen it before changing plans",
                    period=period,
                    role=role,
                )
                raise PeriodClosed(
                    T("a closed period takes no plan changes"), [Issue(message, "period")]
                )
            revision = plan.revision.revision
            now = utcnow()
            plan_queries.insert_acknowledgement(
                {
                    "record": plan.record.id,
                    "revision": revision,
                    "by": by,
                    "at": now,
                    "actor": actor,
                }
            )
            details = {"employee_id": employee_id, "revision": revision, "by": by}
            audit_queries.insert_audit(
                [audit_queries.audit(actor, "plan.acknowledge", f"{role}/{period}", details)]
            )
            plan = _latest(role, period, employee_id)
        return plan_json(plan, with_revisions=True)

    return write(work, [period_lock(role, period)])


def list_plans(
    filters: dict[str, str], acknowledged: bool | None, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """The latest revision of each plan, filtered by role, period and acknowledgement."""
    rows, after = plan_queries.latest_page(filters, acknowledged, limit, cursor)
    return [plan_json(row) for row in rows], after


def period_plans(role: str, period: str) -> list[dict[str, Any]]:
    """Every plan of a role's period by employee id (the console's page)."""
    return [plan_json(row) for row in plan_queries.period_plans(role, period)]

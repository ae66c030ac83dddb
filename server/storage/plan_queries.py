"""Period plans: the latest revision of each plan, its acknowledgements, inserts and pages.

The storing decision, the merge into evaluations, the API's lists and the console's pages
all read plans through these queries.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import peewee

from server.storage import paging
from server.storage.database import Param, bulk_insert, is_postgres, prepared
from server.storage.plan_models import PlanAcknowledgement, PlanRecord, PlanRevision

IN_CHUNK = 500  # values per SQL IN list
Key = tuple[str, str, str]  # role, period, employee_id


@dataclass(frozen=True)
class LatestPlan:
    """A plan's latest revision, with the acknowledgements of all its revisions."""

    record: PlanRecord
    revision: PlanRevision
    acknowledgements: dict[int, PlanAcknowledgement]  # revision -> its acknowledgement

    @property
    def acknowledged(self) -> PlanAcknowledgement | None:
        """The acknowledgement of the latest revision, or None."""
        return self.acknowledgements.get(self.revision.revision)


def _latest_filter() -> peewee.Expression:
    other = PlanRevision.alias()
    newest = other.select(peewee.fn.MAX(other.revision)).where(other.record == PlanRevision.record)
    return PlanRevision.revision == newest


def _acknowledged_filter() -> peewee.Expression:
    """True for a revision that was acknowledged."""
    return peewee.fn.EXISTS(
        PlanAcknowledgement.select(PlanAcknowledgement.id).where(
            (PlanAcknowledgement.record == PlanRevision.record)
            & (PlanAcknowledgement.revision == PlanRevision.revision)
        )
    )


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]


def _acknowledgements(record_ids: list[int]) -> dict[int, dict[int, PlanAcknowledgement]]:
    found: dict[int, dict[int, PlanAcknowledgement]] = defaultdict(dict)
    for start in range(0, len(record_ids), IN_CHUNK):
        chunk = record_ids[start : start + IN_CHUNK]
        for row in PlanAcknowledgement.select().where(PlanAcknowledgement.record.in_(chunk)):
            found[row.record_id][row.revision] = row
    return found


def _with_acknowledgements(rows: list[PlanRevision]) -> list[LatestPlan]:
    acks = _acknowledgements([row.record_id for row in rows])
    return [LatestPlan(row.record, row, acks.get(row.record_id, {})) for row in rows]


def latest_plans(keys: Iterable[Key]) -> dict[Key, LatestPlan]:
    """The latest revision of each plan named (those that exist)."""
    by_period: dict[tuple[str, str], list[str]] = defaultdict(list)
    for role, period, employee_id in sorted(set(keys)):
        by_period[(role, period)].append(employee_id)
    rows: list[PlanRevision] = []
    for (role, period), ids in by_period.items():
        for chunk in _chunks(ids):
            query = (
                PlanRevision.select(PlanRevision, PlanRecord)
                .join(PlanRecord)
                .where(
                    (PlanRecord.role == role)
                    & (PlanRecord.period == period)
                    & PlanRecord.employee_id.in_(chunk)
                    & _latest_filter()
                )
            )
            rows += list(query)
    return {
        (p.record.role, p.record.period, p.record.employee_id): p
        for p in _with_acknowledgements(rows)
    }


def latest_plan_values(role: str, period: str, employee_id: str) -> tuple[int, Any, bool] | None:
    """(revision, inputs, acknowledged) of one plan's latest revision, or None: the lookup
    every evaluation of one employee makes, as SQL text built once (storage.prepared)."""
    rows = prepared(
        "plans.latest_values",
        lambda: (
            PlanRevision.select(PlanRevision.revision, PlanRevision.inputs, _acknowledged_filter())
            .join(PlanRecord)
            .where(
                (PlanRecord.role == Param("role"))
                & (PlanRecord.period == Param("period"))
                & (PlanRecord.employee_id == Param("employee_id"))
                & _latest_filter()
            )
        ),
        {"role": role, "period": period, "employee_id": employee_id},
    )
    if not rows:
        return None
    revision, inputs, acknowledged = rows[0]
    return revision, PlanRevision.inputs.python_value(inputs), bool(acknowledged)


def _among(ids: Param) -> peewee.Expression:
    """The plan's employee among a list passed as one parameter, whatever its length: an
    array on PostgreSQL, a JSON array on SQLite (see `_ids_value`)."""
    if is_postgres():
        return peewee.Expression(PlanRecord.employee_id, "=", peewee.fn.ANY(ids))
    return PlanRecord.employee_id.in_(peewee.SQL("(SELECT value FROM json_each(?))", [ids]))


def _ids_value(employee_ids: list[str]) -> list[str] | str:
    return employee_ids if is_postgres() else json.dumps(employee_ids, ensure_ascii=False)


def _any_plan(role: str, period: str) -> bool:
    rows = prepared(
        "plans.any_in_period",
        lambda: (
            PlanRecord.select(PlanRecord.id)
            .where((PlanRecord.role == Param("role")) & (PlanRecord.period == Param("period")))
            .limit(1)
        ),
        {"role": role, "period": period},
    )
    return bool(rows)


def latest_values_among(
    role: str, period: str, employee_ids: Iterable[str]
) -> dict[str, tuple[int, Any, bool]]:
    """(revision, inputs, acknowledged) of the latest revision of each named employee's plan
    in a role's period (those that have one): the lookup of a batch, one query however many
    employees it names (none when the period has no plan at all), as SQL text built once."""
    wanted = list(dict.fromkeys(employee_ids))
    if not wanted or not _any_plan(role, period):
        return {}
    # an id with a NUL cannot pass through json_each (SQLite: it is looked up alone) and
    # cannot be stored at all on PostgreSQL (no plan has it)
    odd = [employee_id for employee_id in wanted if "\x00" in employee_id]
    if odd:
        wanted = [employee_id for employee_id in wanted if "\x00" not in employee_id]
        odd = [] if is_postgres() else odd
    found: dict[str, tuple[int, Any, bool]] = {}
    if wanted:
        rows = prepared(
            "plans.latest_values_among",
            lambda: (
                PlanRecord.select(
                    PlanRecord.employee_id,
                    PlanRevision.revision,
                    PlanRevision.inputs,
                    _acknowledged_filter(),
                )
                .join(PlanRevision)
                .where(
                    (PlanRecord.role == Param("role"))
                    & (PlanRecord.period == Param("period"))
                    & _among(Param("ids"))
                    & _latest_filter()
                )
            ),
            {"role": role, "period": period, "ids": _ids_value(wanted)},
        )
        decode = PlanRevision.inputs.python_value
        for employee_id, revision, inputs, acknowledged in rows:
            found[employee_id] = (revision, decode(inputs), bool(acknowledged))
    for employee_id in odd:
        one = latest_plan_values(role, period, employee_id)
        if one is not None:
            found[employee_id] = one
    return found


def latest_plan(role: str, period: str, employee_id: str) -> LatestPlan | None:
    """One plan's latest revision, or None when no plan was set."""
    return latest_plans([(role, period, employee_id)]).get((role, period, employee_id))


def create_records(new: list[Key], starts: dict[str, date], now: Any) -> dict[Key, int]:
    """Insert plan records for new keys (inside the plan write); the ids of all of them."""
    rows = [
        {"role": r, "period": p, "period_start": starts[p], "employee_id": e, "created_at": now}
        for r, p, e in new
    ]
    bulk_insert(PlanRecord, rows)
    ids: dict[Key, int] = {}
    by_period: dict[tuple[str, str], list[str]] = defaultdict(list)
    for role, period, employee_id in new:
        by_period[(role, period)].append(employee_id)
    for (role, period), employee_ids in by_period.items():
        for chunk in _chunks(employee_ids):
            query = PlanRecord.select(PlanRecord.id, PlanRecord.employee_id).where(
                (PlanRecord.role == role)
                & (PlanRecord.period == period)
                & PlanRecord.employee_id.in_(chunk)
            )
            for record_id, employee_id in query.tuples():
                ids[(role, period, employee_id)] = record_id
    return ids


def insert_revisions(rows: list[dict[str, Any]]) -> None:
    """Insert plan revisions (inside the plan write)."""
    bulk_insert(PlanRevision, rows)


def insert_acknowledgement(row: dict[str, Any]) -> None:
    """Insert an acknowledgement (inside the acknowledging write)."""
    bulk_insert(PlanAcknowledgement, [row])


def revisions(record_id: int) -> list[PlanRevision]:
    """Every revision of a plan, oldest first."""
    query = PlanRevision.select().where(PlanRevision.record == record_id)
    return list(query.order_by(PlanRevision.revision))


def acknowledgements(record_id: int) -> dict[int, PlanAcknowledgement]:
    """A plan's acknowledgements by the revision they acknowledge."""
    return _acknowledgements([record_id]).get(record_id, {})


def _filtered(filters: dict[str, str], acknowledged: bool | None) -> peewee.ModelSelect:
    query = PlanRevision.select(PlanRevision, PlanRecord).join(PlanRecord).where(_latest_filter())
    for name, value in filters.items():
        query = query.where(getattr(PlanRecord, name) == value)
    if acknowledged is True:
        query = query.where(_acknowledged_filter())
    elif acknowledged is False:
        query = query.where(~_acknowledged_filter())
    return query


def latest_page(
    filters: dict[str, str], acknowledged: bool | None, limit: int, cursor: str | None
) -> tuple[list[LatestPlan], str | None]:
    """Latest plan revisions (filtered by role, period and whether the latest revision was
    acknowledged), in plan order, one page."""
    rows, after = paging.page(
        _filtered(filters, acknowledged),
        [PlanRecord.id],
        lambda row: [row.record.id],
        limit,
        cursor,
    )
    return _with_acknowledgements(rows), after


def period_plans(role: str, period: str) -> list[LatestPlan]:
    """Every plan of a role's period, latest revisions, by employee id (the console's page)."""
    query = _filtered({"role": role, "period": period}, None).order_by(PlanRecord.employee_id)
    return _with_acknowledgements(list(query))

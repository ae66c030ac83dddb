"""Stored results: records (role, period, employee) and their immutable revisions.

Every list reads the latest revision of each record; the streak history, the storing
decision, the API's lists, the console's pages, impact and reports all use these queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

import peewee

from server import json_codec
from server.storage import paging
from server.storage.database import Param, bulk_insert, db, prepared, reserve_ids
from server.storage.models import ClosedPeriod, EvaluationRecord, EvaluationRevision

IN_CHUNK = 500  # values per SQL IN list
FETCH_ROWS = 1000  # stored results decoded at a time by the export
Key = tuple[str, str, str]  # role, period, employee_id
COLUMNS = {
    "role": EvaluationRecord.role,
    "period": EvaluationRecord.period,
    "employee_id": EvaluationRecord.employee_id,
    "rating": EvaluationRevision.rating,
}


def latest_revision_filter() -> peewee.Expression:
    """True for a revision that is its record's latest."""
    other = EvaluationRevision.alias()
    newest = other.select(peewee.fn.MAX(other.revision)).where(
        other.record == EvaluationRevision.record
    )
    return EvaluationRevision.revision == newest


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]


def stored_ratings(
    role: str, employee_ids: Iterable[str], periods: Iterable[str]
) -> dict[tuple[str, str], str]:
    """{(employee_id, period): rating key} of the latest stored revisions (streak history)."""
    ids, wanted = sorted(set(employee_ids)), sorted(set(periods))
    found: dict[tuple[str, str], str] = {}
    if not ids or not wanted:
        return found
    for id_chunk in _chunks(ids):
        for period_chunk in _chunks(wanted):
            query = (
                EvaluationRevision.select(
                    EvaluationRecord.employee_id, EvaluationRecord.period, EvaluationRevision.rating
                )
                .join(EvaluationRecord)
                .where(
                    (EvaluationRecord.role == role)
                    & EvaluationRecord.employee_id.in_(id_chunk)
                    & EvaluationRecord.period.in_(period_chunk)
                    & latest_revision_filter()
                )
                .tuples()
            )
            for employee_id, period, rating in query:
                found[(employee_id, period)] = rating
    return found


def employee_ratings(role: str, employee_id: str, periods: list[str]) -> dict[str, str]:
    """{period: rating key} of one employee's latest revisions (one prepared query)."""
    wanted = sorted(set(periods))
    if len(wanted) > IN_CHUNK:
        ratings = stored_ratings(role, [employee_id], wanted)
        return {period: rating for (_, period), rating in ratings.items()}
    names = [f"p{i}" for i in range(len(wanted))]
    rows = prepared(
        f"submissions.history_for:{len(wanted)}",
        lambda: _history_query([Param(n) for n in names]),
        {"role": role, "employee_id": employee_id, **dict(zip(names, wanted))},
    )
    return dict(rows)


def _history_query(periods: list[Any]) -> peewee.Query:
    """One employee's latest stored ratings for some periods (the template of the above)."""
    return (
        EvaluationRevision.select(EvaluationRecord.period, EvaluationRevision.rating)
        .join(EvaluationRecord)
        .where(
            (EvaluationRecord.role == Param("role"))
            & (EvaluationRecord.employee_id == Param("employee_id"))
            & EvaluationRecord.period.in_(periods)
            & latest_revision_filter()
        )
        .tuples()
    )


def latest_revisions(keys: set[Key]) -> dict[Key, EvaluationRevision]:
    """The latest stored revision (its record joined) of each record named."""
    by_period: dict[tuple[str, str], list[str]] = defaultdict(list)
    for role, period, employee_id in sorted(keys):
        by_period[(role, period)].append(employee_id)
    found: dict[Key, EvaluationRevision] = {}
    for (role, period), ids in by_period.items():
        for chunk in _chunks(ids):
            query = (
                EvaluationRevision.select(EvaluationRevision, EvaluationRecord)
                .join(EvaluationRecord)
                .where(
                    (EvaluationRecord.role == role)
                    & (EvaluationRecord.period == period)
                    & EvaluationRecord.employee_id.in_(chunk)
                    & latest_revision_filter()
                )
            )
            for row in query:
                found[(role, period, row.record.employee_id)] = row
    return found


def closed_among(pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The (role, period) pairs that are closed."""
    found = set()
    for role, period in pairs:
        query = ClosedPeriod.select().where(
            (ClosedPeriod.role == role) & (ClosedPeriod.period == period)
        )
        if query.exists():
            found.add((role, period))
    return found


def create_records(new: list[Key], starts: dict[str, date], now: Any) -> dict[Key, int]:
    """Insert records for new keys (inside the storing write); the ids of all of them."""
    ids = dict(zip(new, reserve_ids(EvaluationRecord, len(new)), strict=True))
    rows = [
        {"id": ids[(r, p, e)], "role": r, "period": p, "period_start": starts[p],
         "employee_id": e, "created_at": now}
        for r, p, e in new
    ]  # fmt: skip
    bulk_insert(EvaluationRecord, rows)
    return ids


def insert_revisions(rows: list[dict[str, Any]]) -> None:
    """Insert revisions (inside the storing write)."""
    bulk_insert(EvaluationRevision, rows)


def _latest() -> Any:
    return (
        EvaluationRevision.select(EvaluationRevision, EvaluationRecord)
        .join(EvaluationRecord)
        .where(latest_revision_filter())
    )


def _filtered(filters: dict[str, str]) -> Any:
    query = _latest()
    for name, value in filters.items():
        query = query.where(COLUMNS[name] == value)
    return query


def latest_page(
    filters: dict[str, str], limit: int, cursor: str | None
) -> tuple[list[EvaluationRevision], str | None]:
    """Latest revisions matching the filters (role, period, employee_id, rating), in record
    order, one page."""
    return paging.page(
        _filtered(filters), [EvaluationRecord.id], lambda row: [row.record.id], limit, cursor
    )


def newest_latest(
    filters: dict[str, str], page: int, size: int
) -> tuple[list[EvaluationRevision], int]:
    """Latest revisions matching the filters, newest records first: a numbered page, the count."""
    query = _filtered(filters).order_by(EvaluationRecord.id.desc())
    return list(query.paginate(page, size)), query.count()


def employee_page(
    employee_id: str, role: str | None, limit: int, cursor: str | None
) -> tuple[list[EvaluationRevision], str | None]:
    """An employee's latest revision per role and period, oldest period first, one page."""
    query = _latest().where(EvaluationRecord.employee_id == employee_id)
    if role:
        query = query.where(EvaluationRecord.role == role)
    keys = [EvaluationRecord.period_start, EvaluationRecord.role, EvaluationRecord.id]
    return paging.page(
        query,
        keys,
        lambda row: [str(row.record.period_start), row.record.role, row.record.id],
        limit,
        cursor,
    )


def record(record_id: int) -> EvaluationRecord | None:
    """A stored record, or None."""
    return EvaluationRecord.get_or_none(EvaluationRecord.id == record_id)


def revisions(record_id: int) -> list[EvaluationRevision]:
    """Every revision of a record, oldest first."""
    query = EvaluationRevision.select().where(EvaluationRevision.record == record_id)
    return list(query.order_by(EvaluationRevision.revision))


def revision(record_id: int, number: int) -> EvaluationRevision | None:
    """One revision of a record, or None."""
    return (
        EvaluationRevision.select()
        .where((EvaluationRevision.record == record_id) & (EvaluationRevision.revision == number))
        .first()
    )


def _period_latest(role: str, period: str, *columns: Any) -> Any:
    return (
        EvaluationRevision.select(*columns)
        .join(EvaluationRecord)
        .where(
            (EvaluationRecord.role == role)
            & (EvaluationRecord.period == period)
            & latest_revision_filter()
        )
    )


def period_inputs(role: str, period: str) -> Iterator[tuple[Any, ...]]:
    """The latest revisions of a role's period: (employee, record, hash, total, rating,
    inputs), by employee id, decoded a thousand at a time.

    Read with one plain cursor (no model rows: a period may hold 100,000 results). The
    streak history is not read: streaks decide outcomes, never a total or a rating.
    """
    query = _period_latest(
        role,
        period,
        EvaluationRecord.employee_id,
        EvaluationRecord.id,
        EvaluationRevision.hash,
        EvaluationRevision.total,
        EvaluationRevision.rating,
        EvaluationRevision.inputs,
    ).order_by(EvaluationRecord.employee_id)
    sql, params = query.sql()
    cursor = db.execute_sql(sql, params)
    while batch := cursor.fetchmany(FETCH_ROWS):
        for employee, record, digest, total, rating, inputs in batch:
            yield employee, record, digest, total, rating, json_codec.loads(inputs)


def period_ratings(role: str, period: str) -> list[tuple[str, float | None]]:
    """(rating, total) of the latest revision of each employee of a role's period."""
    return list(
        _period_latest(role, period, EvaluationRevision.rating, EvaluationRevision.total).tuples()
    )


def period_versions(role: str, period: str) -> list[int]:
    """The version numbers the latest revisions of a role's period were stored under."""
    query = _period_latest(role, period, EvaluationRevision.version).distinct().tuples()
    return sorted(number for (number,) in query)


def period_results(role: str, period: str) -> Iterator[tuple[dict[str, Any], int]]:
    """(result, revision) of each latest revision of a role's period, by employee id, decoded
    a thousand at a time (a period may hold 100,000 of them)."""
    query = _period_latest(role, period, EvaluationRevision.result, EvaluationRevision.revision)
    sql, params = query.order_by(EvaluationRecord.employee_id).sql()
    cursor = db.execute_sql(sql, params)
    while batch := cursor.fetchmany(FETCH_ROWS):
        for text, number in batch:
            yield json_codec.loads(text), number


def _distinct(query: Any) -> list[str]:
    return sorted({value for (value,) in query.distinct().tuples() if value is not None})


def stored_choices() -> dict[str, list[str]]:
    """The roles, periods and ratings present in stored results."""
    return {
        "roles": _distinct(EvaluationRecord.select(EvaluationRecord.role)),
        "periods": _distinct(EvaluationRecord.select(EvaluationRecord.period)),
        "ratings": _distinct(EvaluationRevision.select(EvaluationRevision.rating)),
    }


def stored_periods(role: str) -> list[str]:
    """The periods of a role that hold stored results, sorted."""
    return _distinct(
        EvaluationRecord.select(EvaluationRecord.period).where(EvaluationRecord.role == role)
    )


def record_count(role: str) -> int:
    """How many records a role holds."""
    return EvaluationRecord.select().where(EvaluationRecord.role == role).count()

"""Tracking snapshots (SPEC §10): inserted, never updated; read as each employee's latest."""

from __future__ import annotations

from typing import Any

import peewee

from server.storage import paging
from server.storage.models import TrackingSnapshot


def insert_snapshot(row: dict[str, Any]) -> TrackingSnapshot:
    """Insert one snapshot; call inside the write transaction with its audit entry."""
    return TrackingSnapshot.create(**row)


def _latest(role: str, period: str) -> peewee.ModelSelect:
    """Each employee's latest snapshot of a role's period: latest `as_of`, then latest stored."""
    ranked = (
        TrackingSnapshot.select(
            TrackingSnapshot.id,
            peewee.fn.ROW_NUMBER()
            .over(
                partition_by=[TrackingSnapshot.employee_id],
                order_by=[TrackingSnapshot.as_of.desc(), TrackingSnapshot.id.desc()],
            )
            .alias("position"),
        )
        .where((TrackingSnapshot.role == role) & (TrackingSnapshot.period == period))
        .alias("ranked")
    )
    return (
        TrackingSnapshot.select()
        .join(ranked, on=(TrackingSnapshot.id == ranked.c.id))
        .where(ranked.c.position == 1)
    )


MAX_BOARD = 10_000  # the console's board shows a whole period (a batch's size)


def latest_all(role: str, period: str) -> list[TrackingSnapshot]:
    """Every employee's latest snapshot of the period (at most MAX_BOARD)."""
    return list(_latest(role, period).order_by(TrackingSnapshot.employee_id).limit(MAX_BOARD))


def latest_page(
    role: str, period: str, at_risk: bool | None, limit: int, cursor: str | None
) -> tuple[list[TrackingSnapshot], str | None]:
    """Each employee's latest snapshot of a role's period, by employee_id, one page;
    `at_risk` filters on the latest one's flag."""
    query = _latest(role, period)
    if at_risk is not None:
        query = query.where(TrackingSnapshot.at_risk == at_risk)
    return paging.page(
        query, [TrackingSnapshot.employee_id], lambda row: [row.employee_id], limit, cursor
    )

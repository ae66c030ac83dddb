"""The period plans' tables (SPEC §9): a plan per role, period and employee, its immutable
revisions and the employee's acknowledgements. Rows are only ever inserted."""

from __future__ import annotations

import peewee

from server.storage.database import BaseModel, JSONField


class PlanRecord(BaseModel):
    """A role-period-employee plan; its revisions hold the values."""

    role = peewee.TextField()
    period = peewee.TextField()
    period_start = peewee.DateField()
    employee_id = peewee.TextField()
    created_at = peewee.DateTimeField()

    class Meta:
        table_name = "plan_record"
        indexes = ((("role", "period", "employee_id"), True),)


class PlanRevision(BaseModel):
    """One immutable revision of a plan: the `source: plan` inputs HR set, and why."""

    record = peewee.ForeignKeyField(PlanRecord, backref="revisions", on_delete="RESTRICT")
    revision = peewee.IntegerField()
    version = peewee.IntegerField()  # the version in force it was checked against
    inputs = JSONField()
    reason = peewee.TextField(null=True)
    actor = peewee.TextField()
    stored_at = peewee.DateTimeField()

    class Meta:
        table_name = "plan_revision"
        indexes = ((("record", "revision"), True),)


class PlanAcknowledgement(BaseModel):
    """The employee's acknowledgement (签字确认) of one revision of a plan."""

    record = peewee.ForeignKeyField(PlanRecord, backref="acknowledgements", on_delete="RESTRICT")
    revision = peewee.IntegerField()
    by = peewee.TextField()
    at = peewee.DateTimeField()
    actor = peewee.TextField()

    class Meta:
        table_name = "plan_acknowledgement"
        indexes = ((("record", "revision"), True),)


PLAN_MODELS: list[type[BaseModel]] = [PlanRecord, PlanRevision, PlanAcknowledgement]

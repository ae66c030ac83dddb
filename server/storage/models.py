"""The API's tables: published versions, stored results (with their feedback,
acknowledgements and appeals), API keys, closed periods, audit log.

Published versions and evaluation revisions are only ever inserted.
"""

from __future__ import annotations

import peewee

from server.storage.database import BaseModel, JSONField, db
from server.storage.plan_models import PLAN_MODELS


class RulesetVersion(BaseModel):
    """One published, immutable version of a role's ruleset."""

    role = peewee.TextField()
    version = peewee.IntegerField()
    hash = peewee.TextField()
    effective_from = peewee.TextField()
    effective_start = peewee.DateField()
    note = peewee.TextField(default="")
    created_by = peewee.TextField()
    created_at = peewee.DateTimeField()
    document = JSONField()

    class Meta:
        table_name = "ruleset_version"
        indexes = ((("role", "version"), True),)


class RulesetProposal(BaseModel):
    """A ruleset change waiting for a second person's approval (SPEC §12), and its outcome.

    What the proposer saw (diff, coverage, impact) is kept as it was computed; the decision
    columns are written once, when the proposal leaves `pending`.
    """

    role = peewee.TextField()
    state = peewee.TextField(default="pending")  # pending | approved | rejected
    effective_from = peewee.TextField()
    note = peewee.TextField(default="")
    document = JSONField()
    hash = peewee.TextField()
    base_version = peewee.IntegerField(null=True)  # the role's latest version when proposed
    diff = JSONField()
    coverage = JSONField(null=True)
    impact = JSONField(null=True)
    warnings = JSONField()
    proposed_by = peewee.TextField()
    proposed_at = peewee.DateTimeField()
    decided_by = peewee.TextField(null=True)
    decided_at = peewee.DateTimeField(null=True)
    decision_note = peewee.TextField(null=True)  # the approval's note or the rejection's reason
    version = peewee.IntegerField(null=True)  # the version the approval published

    class Meta:
        table_name = "ruleset_proposal"
        indexes = ((("role", "state"), False),)


class EvaluationRecord(BaseModel):
    """A role-period-employee result; its revisions hold the numbers."""

    role = peewee.TextField()
    period = peewee.TextField()
    period_start = peewee.DateField()
    employee_id = peewee.TextField()
    created_at = peewee.DateTimeField()

    class Meta:
        table_name = "evaluation_record"
        indexes = (
            (("role", "period", "employee_id"), True),
            (("employee_id", "role"), False),
        )


class EvaluationRevision(BaseModel):
    """One immutable revision of a stored result, with what is needed to replay it."""

    record = peewee.ForeignKeyField(EvaluationRecord, backref="revisions", on_delete="RESTRICT")
    revision = peewee.IntegerField()
    version = peewee.IntegerField()
    hash = peewee.TextField()
    total = peewee.DoubleField(null=True)
    rating = peewee.TextField()
    inputs = JSONField()
    result = JSONField()
    history = JSONField()  # {period: rating key} the streaks were decided on
    reason = peewee.TextField(null=True)
    actor = peewee.TextField()
    stored_at = peewee.DateTimeField()

    class Meta:
        table_name = "evaluation_revision"
        indexes = ((("record", "revision"), True),)


class Feedback(BaseModel):
    """The feedback of one revision (绩效反馈表): strengths, improvements, actions; replaceable."""

    record = peewee.ForeignKeyField(EvaluationRecord, on_delete="RESTRICT")
    revision = peewee.IntegerField()
    strengths = JSONField()
    improvements = JSONField()
    actions = JSONField()  # [{action, due}]
    by = peewee.TextField(column_name="written_by")
    at = peewee.DateTimeField()

    class Meta:
        table_name = "evaluation_feedback"
        indexes = ((("record", "revision"), True),)


class Acknowledgement(BaseModel):
    """The employee's sign-off of one revision; a later revision needs its own."""

    record = peewee.ForeignKeyField(EvaluationRecord, on_delete="RESTRICT")
    revision = peewee.IntegerField()
    by = peewee.TextField(column_name="acknowledged_by")
    at = peewee.DateTimeField()
    comment = peewee.TextField(null=True)

    class Meta:
        table_name = "evaluation_acknowledgement"
        indexes = ((("record", "revision"), True),)


class Appeal(BaseModel):
    """An appeal (申诉) against a revision, open until it is upheld or rejected."""

    record = peewee.ForeignKeyField(EvaluationRecord, on_delete="RESTRICT")
    revision = peewee.IntegerField()
    indicator = peewee.TextField(null=True)
    text = peewee.TextField()
    by = peewee.TextField(column_name="opened_by")
    state = peewee.TextField(default="open")  # open, upheld, rejected
    opened_at = peewee.DateTimeField()
    resolution = JSONField(null=True)  # {decision, reason, by, at, revision}

    class Meta:
        table_name = "evaluation_appeal"
        indexes = ((("record",), False), (("state",), False))


class ApiKey(BaseModel):
    """An API key: its public id, an argon2 hash of the whole key, its scopes."""

    name = peewee.TextField(unique=True)
    key_id = peewee.TextField(unique=True)
    hash = peewee.TextField()
    scopes = peewee.TextField()  # comma-separated
    created_at = peewee.DateTimeField()
    revoked_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "api_key"


class ClosedPeriod(BaseModel):
    """A role's period that takes no new revisions."""

    role = peewee.TextField()
    period = peewee.TextField()
    closed_at = peewee.DateTimeField()
    closed_by = peewee.TextField()
    reason = peewee.TextField(null=True)

    class Meta:
        table_name = "closed_period"
        indexes = ((("role", "period"), True),)


class AuditEntry(BaseModel):
    """One line of the append-only audit log, written in the transaction it records."""

    at = peewee.DateTimeField(index=True)
    actor = peewee.TextField()
    action = peewee.TextField()
    target = peewee.TextField()
    details = JSONField()

    class Meta:
        table_name = "audit_entry"


class TrackingSnapshot(BaseModel):
    """A mid-period evaluation of figures to date (SPEC §10): never a revision, insert-only."""

    role = peewee.TextField()
    period = peewee.TextField()
    employee_id = peewee.TextField()
    as_of = peewee.DateField()
    version = peewee.IntegerField()
    hash = peewee.TextField()
    total = peewee.DoubleField(null=True)
    rating = peewee.TextField()
    at_risk = peewee.BooleanField()
    inputs = JSONField()  # as submitted (before projection)
    result = JSONField()
    actor = peewee.TextField()
    stored_at = peewee.DateTimeField()

    class Meta:
        table_name = "tracking_snapshot"
        indexes = ((("role", "period", "employee_id", "as_of"), False),)


MODELS: list[type[BaseModel]] = [
    RulesetVersion,
    RulesetProposal,
    EvaluationRecord,
    EvaluationRevision,
    Feedback,
    Acknowledgement,
    Appeal,
    ApiKey,
    ClosedPeriod,
    AuditEntry,
    *PLAN_MODELS,
    TrackingSnapshot,
]


def create_tables() -> None:
    """Create every table that does not exist yet."""
    with db.connection_context():
        db.create_tables(MODELS, safe=True)


def drop_tables() -> None:
    """Drop every table (tests only)."""
    with db.connection_context():
        db.drop_tables(MODELS, safe=True)

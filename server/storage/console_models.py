"""The console's own tables: users, login failures, drafts and import jobs."""

from __future__ import annotations

import peewee

from server.storage.database import BaseModel, JSONField, db, utcnow

ROLES = ("hr", "auditor", "admin", "approver")


class User(BaseModel):
    """A console user: an argon2 password hash and one role."""

    username = peewee.TextField(unique=True)
    password_hash = peewee.TextField()
    role = peewee.TextField()
    # rotated when the password changes or the user is disabled: old sessions stop working
    session_stamp = peewee.TextField()
    created_at = peewee.DateTimeField(default=utcnow)
    disabled_at = peewee.DateTimeField(null=True)
    last_login_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "console_user"

    @property
    def active(self) -> bool:
        return self.disabled_at is None


class LoginFailure(BaseModel):
    """One failed login, kept in the database so every worker throttles alike."""

    username = peewee.TextField()
    ip = peewee.TextField()
    at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "console_login_failure"
        indexes = ((("username", "ip", "at"), False),)


class Draft(BaseModel):
    """A ruleset HR is editing; mutable, unlike published versions."""

    role = peewee.TextField()
    title = peewee.TextField(default="")
    base_version = peewee.IntegerField(null=True)  # the version it started from, if any
    document = JSONField()
    sample = JSONField(null=True)  # the last sample submission tried on it
    revision = peewee.IntegerField(default=1)  # bumped on every save (optimistic locking)
    created_by = peewee.TextField()
    created_at = peewee.DateTimeField(default=utcnow)
    updated_by = peewee.TextField()
    updated_at = peewee.DateTimeField(default=utcnow)
    published_version = peewee.IntegerField(null=True)  # set once published: then read-only

    class Meta:
        table_name = "console_draft"


class ImportJob(BaseModel):
    """An upload being checked and stored in the background; polled for its progress."""

    token = peewee.TextField(unique=True)
    role = peewee.TextField()
    period = peewee.TextField()
    filename = peewee.TextField()
    state = peewee.TextField(default="queued")  # queued, checking, storing, done, failed
    total = peewee.IntegerField(default=0)
    done = peewee.IntegerField(default=0)
    errors = JSONField(null=True)  # [{row, column, message}]
    stored = peewee.IntegerField(default=0)
    created_by = peewee.TextField()
    created_at = peewee.DateTimeField(default=utcnow)
    finished_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "console_import_job"


CONSOLE_MODELS: list[type[BaseModel]] = [User, LoginFailure, Draft, ImportJob]


def create_console_tables() -> None:
    """Create the console's tables if they do not exist yet."""
    with db.connection_context():
        db.create_tables(CONSOLE_MODELS, safe=True)

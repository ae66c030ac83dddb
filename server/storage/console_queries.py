"""The console's queries: users and login failures, drafts, import jobs."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from server.storage.console_models import Draft, ImportJob, LoginFailure, User
from server.storage.database import utcnow

MAX_ID = 2**31  # row ids are 32-bit integers in every database


def user_named(username: str) -> User | None:
    """The user of that name, or None."""
    return User.get_or_none(User.username == username)


def user_by_id(user_id: int) -> User | None:
    """The user with that id, or None."""
    return User.get_or_none(User.id == user_id) if 0 < user_id < MAX_ID else None


def all_users() -> list[User]:
    """Every user, by name."""
    return list(User.select().order_by(User.username))


def any_user() -> bool:
    """Whether the console has a user at all."""
    return User.select().exists()


def add_user(username: str, digest: str, role: str, stamp: str) -> User:
    """Insert a user (inside the write that audits it)."""
    return User.create(username=username, password_hash=digest, role=role, session_stamp=stamp)


def failures_since(username: str, ip: str, since: datetime) -> int:
    """Failed logins for this username from this address since a moment."""
    return (
        LoginFailure.select()
        .where(
            (LoginFailure.username == username)
            & (LoginFailure.ip == ip)
            & (LoginFailure.at >= since)
        )
        .count()
    )


def record_failure(username: str, ip: str, now: datetime, forget_before: datetime) -> None:
    """Store a failed login and forget those older than `forget_before`."""
    LoginFailure.delete().where(LoginFailure.at < forget_before).execute()
    LoginFailure.create(username=username, ip=ip, at=now)


def record_login(user: User, ip: str) -> None:
    """A successful login: forget its failures, remember when it happened."""
    LoginFailure.delete().where(
        (LoginFailure.username == user.username) & (LoginFailure.ip == ip)
    ).execute()
    User.update(last_login_at=utcnow()).where(User.id == user.id).execute()


def new_stamp() -> str:
    """A fresh session stamp (rotated to end a user's sessions)."""
    return secrets.token_hex(8)


def draft_by_id(draft_id: int, role: str | None = None) -> Draft | None:
    """A draft (of `role`, when given), or None."""
    if not 0 < draft_id < MAX_ID:
        return None
    condition = Draft.id == draft_id
    if role is not None:
        condition &= Draft.role == role
    return Draft.get_or_none(condition)


def open_drafts(role: str | None = None, limit: int | None = None) -> list[Draft]:
    """Drafts not yet published (of one role, if given), last edited first."""
    query = Draft.select().where(Draft.published_version.is_null())
    if role is not None:
        return list(query.where(Draft.role == role))
    query = query.order_by(Draft.updated_at.desc())
    return list(query.limit(limit) if limit else query)


def published_drafts(limit: int) -> list[Draft]:
    """The latest published drafts, last edited first."""
    query = Draft.select().where(Draft.published_version.is_null(False))
    return list(query.order_by(Draft.updated_at.desc()).limit(limit))


def add_draft(
    role: str, title: str, base_version: int | None, document: dict[str, Any], actor: str
) -> Draft:
    """Insert a draft (inside the write that audits it)."""
    return Draft.create(
        role=role,
        title=title,
        base_version=base_version,
        document=document,
        created_by=actor,
        updated_by=actor,
    )


def update_draft_document(draft: Draft, document: dict[str, Any], actor: str) -> bool:
    """Store a new document unless someone saved since `draft.revision` was read."""
    updated = (
        Draft.update(
            document=document,
            revision=Draft.revision + 1,
            updated_by=actor,
            updated_at=utcnow(),
        )
        .where((Draft.id == draft.id) & (Draft.revision == draft.revision))
        .execute()
    )
    return updated == 1


def update_draft(draft_id: int, **fields: Any) -> None:
    """Set some fields of a draft (its sample, its published version)."""
    Draft.update(**fields).where(Draft.id == draft_id).execute()


def add_import_job(
    token: str, role: str, period: str, filename: str, total: int, actor: str
) -> ImportJob:
    """Record a new import job."""
    return ImportJob.create(
        token=token, role=role, period=period, filename=filename, total=total, created_by=actor
    )


def update_import_job(job_id: int, **fields: Any) -> None:
    """Set some fields of an import job (its state, progress, problems)."""
    ImportJob.update(**fields).where(ImportJob.id == job_id).execute()


def import_job(job_id: int) -> ImportJob:
    """An import job by id."""
    return ImportJob.get_by_id(job_id)


def import_job_by_token(token: str) -> ImportJob | None:
    """An import job by its token, or None."""
    return ImportJob.get_or_none(ImportJob.token == token[:64])


def recent_import_jobs(limit: int = 10) -> list[ImportJob]:
    """The latest import jobs, newest first."""
    return list(ImportJob.select().order_by(ImportJob.id.desc()).limit(limit))


def save_user(user: User) -> None:
    """Store a user's changed fields (inside the write that audits them)."""
    user.save()


def delete_draft(draft: Draft) -> None:
    """Remove a draft (inside the write that audits it)."""
    draft.delete_instance()

"""The employee's page (SPEC §11): a signed, expiring link to one revision of a result.

The token is signed with the server's secret under a salt of its own (so no session cookie
or other signed value can stand in for it) and carries the record, the revision and the
expiry; nothing is stored but the audit entry of the sharing. A token opens only its page:
the API authenticates with keys and the console with its session, neither reads tokens.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer

from server.engine.language import T
from server.services import appeals, reviewing
from server.services.domain_errors import DomainError, NotFound
from server.services.explaining import explained
from server.services.reviewing import Target, target
from server.storage import audit_queries, rfc3339, utcnow, write

SALT = "scorecard.employee-page"
DEFAULT_DAYS = 14
MAX_DAYS = 60
EMPLOYEE = "employee"  # the `by` of what the employee does on the page


class LinkGone(DomainError):
    """A link that expired, or whose revision a newer one replaced (410)."""


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=SALT)


def share(record_id: int, days: int, secret: str, actor: str) -> dict[str, Any]:
    """A token for the latest revision, valid `days` days: `{token, revision, expires_at}`."""
    found = target(record_id)
    expires = utcnow().replace(microsecond=0) + timedelta(days=days)
    stamp = int(expires.replace(tzinfo=UTC).timestamp())
    token = _serializer(secret).dumps([found.record.id, found.latest.revision, stamp])
    details = {
        "id": found.record.id,
        "employee_id": found.record.employee_id,
        "revision": found.latest.revision,
        "expires_at": rfc3339(expires),
    }
    audit = audit_queries.audit(actor, "evaluation.share", found.audit_target, details)
    write(lambda: audit_queries.insert_audit([audit]), [found.lock])
    return {"token": token, "revision": found.latest.revision, "expires_at": rfc3339(expires)}


def _opened(token: str, secret: str) -> tuple[Target, int]:
    """The record and revision a live token names; NotFound or LinkGone otherwise."""
    try:
        record_id, revision, stamp = _serializer(secret).loads(token)
        record_id, revision, stamp = int(record_id), int(revision), int(stamp)
    except (BadSignature, TypeError, ValueError):
        raise NotFound(T("this link is not valid")) from None
    if datetime.fromtimestamp(stamp, UTC).replace(tzinfo=None) <= utcnow():
        raise LinkGone(T("this link has expired: ask HR for a new one"))
    try:
        found = target(record_id)
    except NotFound:
        raise NotFound(T("this link is not valid")) from None
    if found.latest.revision != revision:
        raise LinkGone(T("this result was corrected: ask HR for a link to the new one"))
    return found, stamp


def page(token: str, secret: str) -> dict[str, Any]:
    """What the employee's page shows: the result, its feedback, sign-off and appeals."""
    found, stamp = _opened(token, secret)
    revision = found.latest.revision
    review = reviewing.review_of(found.record.id, revision)
    return {
        "result": {**explained(found.latest), "revision": revision},
        "employee_id": found.record.employee_id,
        "period": found.record.period,
        "language": reviewing.record_language(found),
        "expires_at": datetime.fromtimestamp(stamp, UTC),
        "acknowledged": review["acknowledged"],
        "feedback": review["feedback"],
        "appeals": [a for a in review["appeals"] if a["revision"] == revision],
    }


def _actor(found: Target) -> str:
    return f"employee:{found.record.employee_id}"


def acknowledge(token: str, secret: str) -> dict[str, Any]:
    """The employee signs the revision off from the page."""
    found, _ = _opened(token, secret)
    return reviewing.acknowledge(
        found.record.id, found.latest.revision, EMPLOYEE, None, _actor(found)
    )


def appeal(token: str, secret: str, text: str) -> dict[str, Any]:
    """The employee appeals the revision from the page."""
    found, _ = _opened(token, secret)
    body = {"revision": found.latest.revision, "text": text, "by": EMPLOYEE}
    return appeals.open_appeal(found.record.id, body, _actor(found))

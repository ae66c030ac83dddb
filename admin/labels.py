"""Names instead of keys: 岗位 (a ruleset's role) by its name, rater kinds, input types,
console account roles (账号角色), audit actions and their details, a result's inputs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import g, has_app_context
from flask_babel import gettext, lazy_gettext

from admin.formatting import amount, local_time
from server.storage import version_queries

ACCOUNT_ROLES = {
    "hr": lazy_gettext("HR"),
    "auditor": lazy_gettext("Auditor"),
    "admin": lazy_gettext("Administrator"),
    "approver": lazy_gettext("Approver"),
}
RATER_KINDS = {
    "superior": lazy_gettext("Superior"),
    "peer": lazy_gettext("Peer"),
    "customer": lazy_gettext("Customer"),
    "self": lazy_gettext("Self"),
    "subordinate": lazy_gettext("Subordinate"),
    "hr": lazy_gettext("HR"),
}
INPUT_TYPES = {
    "number": lazy_gettext("Number"),
    "integer": lazy_gettext("Whole number"),
    "boolean": lazy_gettext("Yes / no"),
    "string": lazy_gettext("Text"),
    "date": lazy_gettext("Date"),
    "ratings": lazy_gettext("Ratings by rater kind"),
    "list": lazy_gettext("List of numbers"),
}
ACTIONS = {
    "ruleset.publish": lazy_gettext("Published a ruleset version"),
    "evaluation.store": lazy_gettext("Stored a result"),
    "draft.create": lazy_gettext("Started a draft"),
    "draft.delete": lazy_gettext("Deleted a draft"),
    "key.create": lazy_gettext("Created an API key"),
    "key.revoke": lazy_gettext("Revoked an API key"),
    "user.create": lazy_gettext("Created a console account"),
    "user.update": lazy_gettext("Changed a console account"),
    "console.login": lazy_gettext("Logged in to the console"),
    "console.login_failed": lazy_gettext("Failed console login"),
    "console.login_throttled": lazy_gettext("Console login refused: too many failures"),
    "period.close": lazy_gettext("Closed a period"),
    "period.reopen": lazy_gettext("Reopened a period"),
}
DETAILS = {
    "hash": lazy_gettext("Hash"),
    "effective_from": lazy_gettext("Effective from"),
    "note": lazy_gettext("Note"),
    "id": lazy_gettext("Record"),
    "employee_id": lazy_gettext("Employee"),
    "revision": lazy_gettext("Revision"),
    "version": lazy_gettext("Version"),
    "reason": lazy_gettext("Reason"),
    "batch": lazy_gettext("Batch"),
    "ip": lazy_gettext("IP address"),
    "role": lazy_gettext("Account role"),
    "draft": lazy_gettext("Draft"),
    "base_version": lazy_gettext("Started from version"),
    "password": lazy_gettext("Password"),
    "disabled": lazy_gettext("Disabled"),
    "scopes": lazy_gettext("Scopes"),
    "name": lazy_gettext("Name"),
    "closed_at": lazy_gettext("Closed at"),
    "closed_by": lazy_gettext("Closed by"),
}


def role_names() -> dict[str, str]:
    """Each 岗位 key -> its name in the latest version (cached for the request)."""
    if has_app_context() and "scorecard_role_names" in g:
        return g.scorecard_role_names
    names = {}
    for role in version_queries.roles():
        row = version_queries.latest_version(role)
        names[role] = str((row.document.get("name") if row else None) or role)
    if has_app_context():
        g.scorecard_role_names = names
    return names


def role_name(role: str) -> str:
    """A 岗位 by its name (its key when it has no version yet)."""
    return role_names().get(role, role)


def version_title(role: str, version: int) -> str:
    """`区域销售经理 · 第 2 版`."""
    return gettext("%(name)s · version %(n)s", name=role_name(role), n=version)


def account_role(role: str) -> str:
    """A console account role (账号角色) by its label."""
    return str(ACCOUNT_ROLES.get(role, role))


def rater_kind(kind: str) -> str:
    """A rater kind by its label (an unknown kind by its key)."""
    return str(RATER_KINDS.get(kind, kind))


def input_type(kind: str) -> str:
    """An input type by its label."""
    return str(INPUT_TYPES.get(kind, kind))


def action_label(action: str) -> str:
    """An audit action by its label (an unknown action by its key)."""
    return str(ACTIONS.get(action, action))


def _detail_value(key: str, value: Any) -> str:
    if key == "role" and isinstance(value, str):
        return account_role(value)
    if key == "role" and isinstance(value, list):
        return " → ".join(account_role(str(v)) for v in value)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if key == "closed_at":
        return local_time(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return amount(value) if isinstance(value, int | float) and key != "id" else str(value)


def audit_details(details: Any) -> list[tuple[str, str]]:
    """An audit entry's details as (label, value) pairs; empty values are left out."""
    if not isinstance(details, Mapping):
        return [] if details in (None, "") else [("", str(details))]
    shown = []
    for key, value in details.items():
        if value is None or value == "":
            continue
        shown.append((str(DETAILS.get(key, key)), _detail_value(str(key), value)))
    return shown


def input_rows(document: Mapping[str, Any], inputs: Mapping[str, Any]) -> list[tuple[str, str]]:
    """A stored result's inputs as (label, value with unit), in the ruleset's input order."""
    declared = document.get("inputs") if isinstance(document.get("inputs"), dict) else {}
    order = [n for n in declared if n in inputs] + [n for n in inputs if n not in declared]
    rows = []
    for name in order:
        spec = declared.get(name) if isinstance(declared.get(name), dict) else {}
        label = str(spec.get("label") or name)
        rows.append((label, input_value(inputs[name], spec)))
    return rows


def input_value(value: Any, spec: Mapping[str, Any]) -> str:
    """One input value as a person reads it: amounts with separators and unit, yes/no, raters."""
    unit = str(spec.get("unit") or "")
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, int | float):
        return amount(value, unit)
    if isinstance(value, list):
        return ", ".join(amount(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(
            f"{rater_kind(str(k))} {', '.join(amount(x) for x in (v if isinstance(v, list) else [v]))}"
            for k, v in value.items()
        )
    return "" if value is None else str(value)

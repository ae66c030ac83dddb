"""Published versions: the list, one version with its YAML, any two compared side by side."""

from __future__ import annotations

import difflib
from typing import Any

from flask import request
from flask_admin import expose
from flask_babel import gettext

from admin.views.base import ConsoleView, int_arg, not_found
from server.engine import diff_documents, dump_yaml
from server.services import versions
from server.storage import version_queries
from server.storage.version_queries import roles


def marked_lines(left: str, right: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Both texts as (line, mark) pairs: '' unchanged, 'removed' on the left, 'added' on the right."""
    a, b = left.splitlines(), right.splitlines()
    marks_a, marks_b = [""] * len(a), [""] * len(b)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag in ("replace", "delete"):
            marks_a[i1:i2] = ["removed"] * (i2 - i1)
        if tag in ("replace", "insert"):
            marks_b[j1:j2] = ["added"] * (j2 - j1)
    return list(zip(a, marks_a)), list(zip(b, marks_b))


class VersionView(ConsoleView):
    """Every published version, read-only for everyone (versions never change)."""

    @expose("/")
    def index(self) -> Any:
        listing = []
        for role in roles():
            current = versions.current_version(role)
            found = list(reversed(version_queries.versions_of(role)))
            listing.append((role, found, current.version if current else None))
        return self.render("scorecard/versions.html", listing=listing)

    @expose("/<role>/<int:version>")
    def show(self, role: str, version: int) -> Any:
        row = version_queries.get_version(role, version)
        if row is None:
            raise not_found(gettext("%(role)s has no version %(n)s.", role=role, n=version))
        previous = version_queries.get_version(role, version - 1) if version > 1 else None
        changes = diff_documents(previous.document, row.document) if previous else None
        return self.render(
            "scorecard/version.html",
            row=row,
            yaml=dump_yaml(row.document),
            previous=previous,
            changes=changes,
        )

    @expose("/compare")
    def compare(self) -> Any:
        role = request.args.get("role", "")
        all_roles = roles()
        known = version_queries.versions_of(role) if role in all_roles else []
        numbers = [v.version for v in known]
        a = int_arg("a", numbers[-2] if len(numbers) > 1 else None)
        b = int_arg("b", numbers[-1] if numbers else None)
        left = version_queries.get_version(role, a) if role in all_roles and a else None
        right = version_queries.get_version(role, b) if role in all_roles and b else None
        changes = diff_documents(left.document, right.document) if left and right else None
        lines = ([], [])
        if left and right:
            lines = marked_lines(dump_yaml(left.document), dump_yaml(right.document))
        return self.render(
            "scorecard/compare.html",
            roles=all_roles,
            role=role,
            numbers=numbers,
            a=a,
            b=b,
            left=left,
            right=right,
            changes=changes,
            left_lines=lines[0],
            right_lines=lines[1],
        )

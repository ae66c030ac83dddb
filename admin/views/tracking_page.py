"""During the period (SPEC §10): each employee's latest snapshot, at risk first, with what it
takes to reach the next band; a chart against the band limits; a mid-period import."""

from __future__ import annotations

from typing import Any

from flask import redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext

from admin import charts
from admin.auth import actor_name
from admin.import_jobs import ImportRefused, read_file
from admin.views.base import ConsoleView, int_arg
from server.engine import current_period
from server.services import tracking
from server.services.domain_errors import DomainError
from server.services.spreadsheet import RowsRejected
from server.storage import version_queries
from server.storage.version_queries import roles

PAGE_SIZE = 50


class TrackingView(ConsoleView):
    """HR follows a running period: who is at risk and what each one needs."""

    def _chosen(self) -> tuple[str, str, dict[str, Any]]:
        known = roles()
        source = request.form if request.method == "POST" else request.args
        role = source.get("role", "")
        role = role if role in known else (known[0] if known else "")
        latest = version_queries.latest_version(role) if role else None
        document = latest.document if latest else {}
        period = source.get("period", "").strip()[:20]
        if not period and latest:
            period = current_period(document.get("period", "quarter"))
        return role, period, document

    def _page(self, errors: list[dict[str, Any]] | None = None, message: str = "") -> Any:
        role, period, document = self._chosen()
        board = tracking.board(role, period) if role and period else []
        page = int_arg("page", 1, hi=100000) or 1
        shown = board[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        for row in shown:
            row["needs"] = tracking.what_it_takes_lines(role, row, period)
        bands = [b for b in document.get("rating", []) if isinstance(b, dict)]
        return self.render(
            "scorecard/tracking.html",
            roles=roles(),
            role=role,
            period=period,
            rows=shown,
            count=len(board),
            at_risk=sum(1 for r in board if r["at_risk"]),
            page=page,
            pages=max(1, -(-len(board) // PAGE_SIZE)),
            chart=charts.tracking_bars(shown, bands),
            errors=errors or [],
            message=message,
            as_of=request.form.get("as_of", ""),
        ), (422 if errors else 200)

    @expose("/")
    def index(self) -> Any:
        return self._page()

    @expose("/import", methods=("POST",))
    def upload(self) -> Any:
        role, period, _ = self._chosen()
        upload = request.files.get("file")
        as_of = request.form.get("as_of", "").strip()
        if not upload or not upload.filename:
            return self._page(
                [{"row": 0, "column": "", "message": gettext("Choose a CSV or XLSX file.")}]
            )
        try:
            sheet = read_file(upload.filename, upload.read())
            stored = tracking.import_snapshots(sheet, role, period, as_of, actor_name())
        except ImportRefused as exc:
            return self._page([{"row": 0, "column": "", "message": str(exc)}])
        except RowsRejected as exc:
            return self._page([p.as_dict() for p in exc.problems])
        except DomainError as exc:
            problems = [str(issue.message) for issue in exc.issues] or [str(exc.detail)]
            return self._page([{"row": 0, "column": "", "message": m} for m in problems])
        return redirect(url_for(".index", role=role, period=period, stored=stored))

"""Part e: resident memory (RSS) of each gunicorn worker after the HTTP part warmed it up."""

from __future__ import annotations

from collections.abc import Callable

from bench.server import Gunicorn, rss_mib
from bench.timing import Row


def workers(server: Gunicorn) -> list[float]:
    """RSS of each worker of a running server, MiB."""
    return [rss_mib(pid) for pid in server.worker_pids()]


def rows(real: list[float], bare: list[float], median: Callable) -> list[Row]:
    def listing(values: list[float]) -> str:
        return ", ".join(f"{v:.1f}" for v in values) + " MiB"

    return [
        Row(
            "e",
            "RSS per worker, scorecard, after part b",
            f"{max(real):.1f} MiB",
            f"workers: {listing(real)}",
        ),  # fmt: skip
        Row(
            "e",
            "RSS per worker, bare Flask, after part b",
            f"{max(bare):.1f} MiB",
            f"workers: {listing(bare)}",
        ),  # fmt: skip
    ]

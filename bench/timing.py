"""Timing helpers and the rows every part of the bench reports."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Row:
    """One line of the printed table."""

    part: str
    what: str
    figure: str
    detail: str = ""
    ratio: str = ""


def best_of(run: Callable[[], object], repeats: int) -> tuple[float, list[float]]:
    """Seconds of the fastest of `repeats` runs (and all of them); a GC before each run."""
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times), times


def median(values: list[float]) -> float:
    return statistics.median(values)


def per_second(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}/s"


def micros(seconds: float) -> str:
    return f"{seconds * 1e6:,.1f} µs"


def print_table(rows: list[Row]) -> None:
    """The rows as an aligned plain-text table."""
    head = ("part", "measured", "figure", "per item / detail", "ratio")
    cells = [head] + [(r.part, r.what, r.figure, r.detail, r.ratio) for r in rows]
    widths = [max(_width(c[i]) for c in cells) for i in range(len(head))]
    for n, cell in enumerate(cells):
        print("  ".join(_pad(text, widths[i]) for i, text in enumerate(cell)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))

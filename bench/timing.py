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


def best_of(run: Callable[[], object], repeats: int) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of the fastest of `repeats` runs; a GC before each run.

    CPU time (all threads of this process) is the figure the bench reports for in-process
    work: other processes on a shared machine inflate wall time far more than CPU time.
    """
    cpu, wall = [], []
    for _ in range(repeats):
        gc.collect()
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        run()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
    return min(cpu), min(wall)


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

"""`python -m bench` (`make bench`): every part of the benchmark, one table at the end.

  a  in-process evaluations of the default ruleset: engine vs hand-written, simpleeval, zen
  b  HTTP: POST /api/v1/evaluate under gunicorn vs a bare Flask endpoint (wrk)
  c  a 10,000-item batch stored, SQLite and PostgreSQL; again with a plan per employee
  d  impact analysis over 100,000 stored results
  e  memory (RSS) per gunicorn worker after warm-up (measured with b)

`--parts a,b` runs some of them; `--employees N` sizes part a. BENCHMARKS.md has the figures.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from datetime import date

from bench.timing import Row, print_table


def _machine() -> str:
    model = "unknown CPU"
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    return (
        f"{date.today().isoformat()}, {os.cpu_count()} cores ({model}), "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.2f} at start"
    )


def _inprocess(count: int, repeats: int) -> list[Row]:
    from bench import inprocess

    return inprocess.run(count, repeats)


def _http() -> list[Row]:
    from bench import http

    return http.run()


def _batch(with_impact: bool) -> list[Row]:
    from bench import batch

    return batch.run(with_impact=with_impact)


def _run(part: str, run: Callable[[], list[Row]]) -> list[Row]:
    """A part's rows, printed as soon as they are known; a failure is a row, not the end."""
    try:
        rows = run()
    except Exception as exc:  # noqa: BLE001 - report it and go on with the other parts
        traceback.print_exc()
        last = (str(exc).strip().splitlines() or [type(exc).__name__])[-1]
        rows = [Row("!", f"part {part} failed", type(exc).__name__, last[:160])]
    print_table(rows)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default="a,b,c,d,e", help="comma-separated parts to run")
    parser.add_argument("--employees", type=int, default=10_000, help="part a's employees")
    parser.add_argument("--repeats", type=int, default=3, help="part a's timed passes (best)")
    args = parser.parse_args(argv)
    parts = set(args.parts.split(","))
    print(f"machine: {_machine()}", flush=True)
    rows: list[Row] = []
    started = time.perf_counter()
    if "a" in parts:
        print("part a: checking every method equal, then timing ...", flush=True)
        rows += _run("a", lambda: _inprocess(args.employees, args.repeats))
    if parts & {"b", "e"}:
        print("part b/e: gunicorn + wrk ...", flush=True)
        rows += [row for row in _run("b", _http) if row.part in parts | {"!"}]
    if parts & {"c", "d"}:
        print("part c/d: batches (and impact) on SQLite and PostgreSQL ...", flush=True)
        found = _run("c", lambda: _batch(with_impact="d" in parts))
        rows += [row for row in found if row.part in parts | {"!"}]
    print("\nall parts:")
    print_table(rows)
    print(f"\n({time.perf_counter() - started:.0f} s)")
    return 1 if any(row.part == "!" for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())

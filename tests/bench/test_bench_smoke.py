"""The bench's in-process part still runs: every method computes the same numbers.

A few seconds on 100 employees, so the bench cannot rot between runs of `make bench`; the
figures themselves are not asserted (benchmarks print, tests check behaviour).
"""

from __future__ import annotations

import importlib.util

import pytest

from bench import inprocess

HAS_ZEN = importlib.util.find_spec("zen") is not None


def test_in_process_methods_agree_and_are_timed():
    rows = inprocess.run(count=100, repeats=1, with_zen=HAS_ZEN)
    searched = [row for row in rows if row.what.startswith("what it takes")]
    timed = [row for row in rows if row.what != "checks" and row not in searched]
    assert {row.what for row in timed} >= {
        "hand-written function, full result",
        "engine, compiled, explain=False",
        "engine, compiled, explain=True",
        "engine, simpleeval parsed once",
        "engine, simpleeval re-parsing",
    }
    assert all(row.figure.endswith("/s") and row.detail.endswith("µs wall") for row in timed)
    assert len(searched) == 1 and searched[0].figure.endswith(" ms")  # per employee, SPEC §10
    checks = next(row for row in rows if row.what == "checks")
    assert checks.figure == "ok" and "100 employees" in checks.detail


def test_a_mismatch_stops_the_bench_before_timing(monkeypatch):
    from bench import handwritten

    real = handwritten.full_result

    def off_by_a_cent(sub):
        result = real(sub)
        return {**result, "total": result["total"] + 0.01}

    monkeypatch.setattr(inprocess, "full_result", off_by_a_cent)
    with pytest.raises(inprocess.Mismatch, match="hand-written"):
        inprocess.run(count=5, repeats=1, with_zen=False)

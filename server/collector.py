"""Pausing Python's cyclic garbage collector for a bulk job.

A 10,000-item batch allocates millions of objects that live until it answers (bodies,
results, rows). Each allocation counts toward the collector's next pass, and every third-
generation pass walks all of them: a fifth of an evaluation's time in a batch, for nothing,
since what a batch builds is freed by reference counting as usual. Whatever cycles the job
does make (an exception's traceback) are collected once it ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection inside the block (nested blocks leave it to the outermost)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()

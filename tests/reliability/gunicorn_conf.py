"""gunicorn settings for the reliability tests: each worker, once it has loaded the app, leaves
a file named after its pid in SCORECARD_TEST_READY_DIR, so a test knows every worker is up."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def post_worker_init(worker: Any) -> None:
    directory = os.environ.get("SCORECARD_TEST_READY_DIR")
    if directory:
        Path(directory, str(worker.pid)).touch()

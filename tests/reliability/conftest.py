"""Fixtures for the reliability tests: gunicorn serving the app on each backend (the app and
its database come from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from tests.reliability.live import Server, gunicorn


@pytest.fixture
def serve(
    app: Any, database_url: str, tmp_path: Path
) -> Callable[..., AbstractContextManager[Server]]:
    """`with serve(workers=4, ...) as server:` gunicorn on the test's database (tables made)."""

    def start(**kwargs: Any) -> AbstractContextManager[Server]:
        url = kwargs.pop("database_url", database_url)
        return gunicorn(url, tmp_path / "gunicorn.log", **kwargs)

    return start

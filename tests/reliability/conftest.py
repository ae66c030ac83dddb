"""Fixtures for the reliability tests: the app on each backend, with the SQLite file in a
directory of its own (so that a test can take the whole directory away), and gunicorn."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BACKENDS, _pg_empty
from tests.reliability.live import Server, gunicorn


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file in tmp_path/data/, or the session's PostgreSQL schema
    (emptied after the test)."""
    if request.param == "sqlite":
        (tmp_path / "data").mkdir()
        yield f"sqlite:///{tmp_path / 'data' / 'scorecard.db'}"
        return
    url, schema = request.getfixturevalue("pg_schema")
    try:
        yield url
    finally:
        _pg_empty(url, schema)


@pytest.fixture
def serve(
    app: Any, database_url: str, tmp_path: Path
) -> Callable[..., AbstractContextManager[Server]]:
    """`with serve(workers=4, ...) as server:` gunicorn on the test's database (tables made)."""

    def start(**kwargs: Any) -> AbstractContextManager[Server]:
        url = kwargs.pop("database_url", database_url)
        return gunicorn(url, tmp_path / "gunicorn.log", **kwargs)

    return start

"""Fixtures for the API and CLI tests: an app on an empty database per test, on SQLite and,
when SCORECARD_TEST_DATABASE_URL is set, on PostgreSQL too (a schema of the session, emptied
after every test)."""

from __future__ import annotations

import copy
import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg2
import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.testing import FlaskClient

from server import create_app, storage
from server.config import TestingConfig
from server.services import api_keys

# The tests assert English texts: the engine, the services and the CLI render in SCORECARD_LOCALE,
# the API clients below ask for English (tests/api/test_language.py checks zh-CN, the default).
os.environ["SCORECARD_LOCALE"] = "en"

PG_URL = os.environ.get("SCORECARD_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])

RATING = [
    {"key": "excellent", "label": "优秀", "min": 90, "bonus_multiplier": 1.5},
    {"key": "good", "label": "良好", "min": 80, "bonus_multiplier": 1.2},
    {"key": "pass", "label": "合格", "min": 70, "bonus_multiplier": 1.0},
    {"key": "fail", "label": "不合格", "min": 0, "bonus_multiplier": 0.5},
]


def ruleset_document(role: str = "team_lead", **overrides: Any) -> dict[str, Any]:
    """A small valid quarterly ruleset: sales attainment (80%) and visits (20%), one streak.

    actual 90 / target 100 with 10 visits -> 0.8 x 90 + 0.2 x 50 = 82.00 (good).
    """
    document = {
        "role": role,
        "name": "团队主管",
        "period": "quarter",
        "precision": 2,
        "inputs": {
            "actual_sales": {"type": "number", "min": 0, "label": "实际销售额"},
            "target_sales": {"type": "number", "min": 0, "label": "目标销售额"},
            "visits": {"type": "integer", "min": 0, "required": False, "default": 0},
        },
        "dimensions": [{"key": "results", "name": "业绩"}, {"key": "activity", "name": "活动"}],
        "indicators": [
            {
                "key": "sales_attainment",
                "name": "销售额达成率",
                "dimension": "results",
                "formula": "actual_sales / target_sales * 100",
                "scoring": {"type": "linear", "points": [[0, 0], [120, 120]]},
                "weight": 80,
            },
            {
                "key": "visit_score",
                "name": "拜访",
                "dimension": "activity",
                "formula": "visits",
                "scoring": {"type": "linear", "points": [[0, 0], [20, 100]]},
                "weight": 20,
            },
        ],
        "rating": copy.deepcopy(RATING),
        "streaks": [
            {"key": "raise_eligible", "label": "连续2季度优秀", "rating": "excellent", "count": 2}
        ],
        "examples": [
            {
                "name": "达标",
                "inputs": {"actual_sales": 100, "target_sales": 100, "visits": 20},
                "expect": {"total": 100.0, "rating": "excellent"},
            }
        ],
    }
    document.update(overrides)
    return document


def submission(
    employee_id: str = "e1", period: str = "2025-Q3", **overrides: Any
) -> dict[str, Any]:
    """A submission for the team_lead ruleset scoring 82.00 (good) unless inputs are given."""
    body = {
        "role": "team_lead",
        "period": period,
        "employee_id": employee_id,
        "inputs": {"actual_sales": 90, "target_sales": 100, "visits": 10},
    }
    body.update(overrides)
    return body


def _pg_admin_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres", query=""))


@pytest.fixture(scope="session")
def pg_database() -> str:
    """The PostgreSQL test database, created when missing."""
    name = urlsplit(PG_URL).path.lstrip("/")
    with psycopg2.connect(_pg_admin_url(PG_URL)) as conn:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return PG_URL


def with_search_path(url: str, schema: str) -> str:
    """A PostgreSQL URL whose connections use `schema`."""
    parts = urlsplit(url)
    option = "options=" + quote(f"-csearch_path={schema}")
    query = f"{parts.query}&{option}" if parts.query else option
    return urlunsplit(parts._replace(query=query))


@pytest.fixture(scope="session")
def pg_schema(pg_database: str) -> Iterator[tuple[str, str]]:
    """A PostgreSQL schema of this test session (dropped at the end): (its URL, its name)."""
    schema = "t_" + uuid.uuid4().hex[:16]
    _pg_execute(pg_database, f"CREATE SCHEMA {schema}")
    yield with_search_path(pg_database, schema), schema
    _pg_execute(pg_database, f"DROP SCHEMA {schema} CASCADE")


def _pg_execute(url: str, sql: str) -> None:
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute(sql)
    conn.close()


def _pg_empty(url: str, schema: str) -> None:
    """Empty every table of the schema and restart its id sequences."""
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,))
        tables = ", ".join(f'{schema}."{name}"' for (name,) in cursor.fetchall())
        if tables:
            cursor.execute("SET lock_timeout = '20s'")  # fail, rather than hang, on a leak
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    conn.close()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """An empty database for one test: a fresh SQLite file in a directory of its own (a fault
    test can take the whole directory away), or the session's PostgreSQL schema emptied
    after each test."""
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
def app(database_url: str) -> Iterator[Flask]:
    """The app on a fresh database with its tables created."""
    app = create_app(TestingConfig(database_url))
    with app.app_context():
        storage.create_tables()
    yield app
    storage.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client whose API requests ask for English (Accept-Language: en)."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


class Runner:
    """Invokes the `scorecard` command against the test app."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.cli = CliRunner()

    def invoke(self, args: list[str], **kwargs: Any) -> Result:
        from server.cli import main

        return self.cli.invoke(main, args, obj=self.app, catch_exceptions=False, **kwargs)


@pytest.fixture
def runner(app: Flask) -> Runner:
    return Runner(app)


@pytest.fixture
def make_key(app: Flask) -> Callable[..., dict[str, str]]:
    """Create an API key with the given scopes; returns its Authorization header."""
    counter = iter(range(1_000_000))

    def make(*scopes: str, name: str | None = None) -> dict[str, str]:
        with app.app_context():
            _, key = api_keys.create_key(name or f"key{next(counter)}", list(scopes), "test")
        return {"Authorization": f"Bearer {key}"}

    return make


@pytest.fixture
def read_key(make_key: Callable[..., dict[str, str]]) -> dict[str, str]:
    return make_key("read")


@pytest.fixture
def evaluate_key(make_key: Callable[..., dict[str, str]]) -> dict[str, str]:
    return make_key("evaluate")


@pytest.fixture
def publish_key(make_key: Callable[..., dict[str, str]]) -> dict[str, str]:
    return make_key("publish")


@pytest.fixture
def admin_key(make_key: Callable[..., dict[str, str]]) -> dict[str, str]:
    """A key with every scope."""
    return make_key("evaluate", "read", "publish")


@pytest.fixture
def publish(client: FlaskClient, admin_key: dict[str, str]) -> Callable[..., Any]:
    """Publish a document through the API; asserts 201 unless told the status."""

    def do(
        document: dict[str, Any] | None = None,
        effective_from: str = "2020-Q1",
        note: str = "",
        status: int = 201,
    ) -> dict[str, Any]:
        document = document or ruleset_document()
        body = {"document": document, "effective_from": effective_from, "note": note}
        response = client.post(
            f"/api/v1/rulesets/{document['role']}/versions", json=body, headers=admin_key
        )
        assert response.status_code == status, response.get_json()
        return response.get_json()

    return do


def problem(response: Any, status: int) -> dict[str, Any]:
    """The problem+json body of a response, after checking its status and media type."""
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert set(body) == {"type", "title", "status", "detail", "errors"}
    assert body["status"] == status
    return body


def error_paths(body: dict[str, Any]) -> list[str]:
    """The `path` of every listed problem."""
    return [error["path"] for error in body["errors"]]

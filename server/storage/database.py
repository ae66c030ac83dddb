"""The database behind a DatabaseProxy: connections, write transactions, fast inserts.

SQLite by default (WAL, a busy timeout, writes as BEGIN IMMEDIATE so concurrent workers
queue instead of deadlocking); PostgreSQL for a `postgresql://` URL, where writes take
transaction-scoped advisory locks.
"""

from __future__ import annotations

import hashlib
import os
import select
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import peewee
import psycopg2
from playhouse.pool import PooledPostgresqlDatabase
from psycopg2.extras import execute_values

from server import json_codec

if TYPE_CHECKING:
    from flask import Flask

SQLITE_BUSY_TIMEOUT_S = 30
PG_POOL_SIZE = 16
PG_POOL_STALE_S = 300
WRITE_ATTEMPTS = 3  # a unique-key race (should the locks ever miss one) is retried

db = peewee.DatabaseProxy()
T = TypeVar("T")


class FileSqliteDatabase(peewee.SqliteDatabase):
    """SQLite on a file that must stay where it was opened.

    Connections stay open across requests, and an open connection keeps working on a file that
    was moved, deleted or replaced: writes would go where nobody reads them. The first use of
    the database in each request (`check_file_on_next_use`) answers "unavailable" while the
    file is missing, and reconnects when another file took its place.
    """

    def _connect(self) -> Any:
        conn = super()._connect()
        self._state.identity = _file_identity(self.database)
        return conn

    def check_file_on_next_use(self) -> None:
        """Verify the file when the database is next used (in this thread)."""
        self._state.check_file = True

    def _verify_file(self) -> None:
        if not getattr(self._state, "check_file", False):
            return
        identity = _file_identity(self.database)
        if identity != getattr(self._state, "identity", None) and not self.is_closed():
            self.close()
        if identity is None:
            raise peewee.OperationalError("the SQLite database file is unavailable")
        self._state.check_file = False

    def connection(self) -> Any:
        self._verify_file()
        return super().connection()

    def cursor(self, named_cursor: Any = None) -> Any:
        self._verify_file()
        return super().cursor(named_cursor)


def _file_identity(path: str) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


class CheckedPooledPostgresqlDatabase(PooledPostgresqlDatabase):
    """A pool that does not hand out a connection the server closed while it sat idle.

    An idle connection has nothing to read unless the server (or the network in between) ended
    it; such a connection is dropped at check-out instead of failing the request that gets it.
    """

    def _is_closed(self, conn: Any) -> bool:
        if super()._is_closed(conn):
            return True
        try:
            readable, _, _ = select.select([conn.fileno()], [], [], 0)
        except (OSError, ValueError, psycopg2.Error):
            return True
        return bool(readable)


def make_database(url: str) -> peewee.Database:
    """The peewee database for a `sqlite:///PATH` or `postgresql://...` URL."""
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///") :]
        if path != ":memory:":
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            except OSError:
                pass  # connecting will fail and be reported as the database being unavailable
        database_class = peewee.SqliteDatabase if path == ":memory:" else FileSqliteDatabase
        return database_class(
            path,
            timeout=SQLITE_BUSY_TIMEOUT_S,
            lock_type="IMMEDIATE",
            pragmas={
                # a new database's pages hold a whole stored result (~5 KB) without overflow
                # pages: a third less work storing a batch; no effect on an existing database
                "page_size": 16384,
                "journal_mode": "wal",
                "synchronous": "normal",
                "foreign_keys": 1,
                "busy_timeout": SQLITE_BUSY_TIMEOUT_S * 1000,
            },
        )
    if url.startswith(("postgresql://", "postgres://")):
        dsn = "postgresql://" + url.split("://", 1)[1]
        return CheckedPooledPostgresqlDatabase(
            dsn, max_connections=PG_POOL_SIZE, stale_timeout=PG_POOL_STALE_S, timeout=10
        )
    raise ValueError(f"unsupported database URL {url!r}: use sqlite:///PATH or postgresql://...")


def is_postgres() -> bool:
    """Whether the configured database is PostgreSQL."""
    return isinstance(db.obj, peewee.PostgresqlDatabase)


def utcnow() -> datetime:
    """The current UTC time, naive (as stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def rfc3339(moment: datetime | str) -> str:
    """A stored UTC time as RFC 3339 text with a `Z`."""
    if isinstance(moment, str):  # SQLite may hand back text for some column values
        moment = datetime.fromisoformat(moment)
    return moment.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


class JSONField(peewee.TextField):
    """JSON kept as text, identical on SQLite and PostgreSQL (numbers keep their form)."""

    def db_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return json_codec.dumps(value)

    def python_value(self, value: Any) -> Any:
        return None if value is None else json_codec.loads(value)


class BaseModel(peewee.Model):
    class Meta:
        database = db


def lock_id(key: str) -> int:
    """The 64-bit advisory lock id of a lock name (PostgreSQL)."""
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big", signed=True)


def write(work: Callable[[], T], lock_keys: Iterable[str] = ()) -> T:
    """Run `work` in one write transaction holding the named locks (sorted: no deadlock)."""
    keys = sorted(set(lock_keys))
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        try:
            with db.atomic():  # SQLite: BEGIN IMMEDIATE takes the database's write lock
                if is_postgres():
                    for key in keys:
                        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (lock_id(key),))
                return work()
        except peewee.IntegrityError:
            if attempt == WRITE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def bulk_insert(model: type[BaseModel], rows: list[dict[str, Any]]) -> None:
    """Insert many rows with one prepared statement; far cheaper than per-row SQL building."""
    if not rows:
        return
    fields = [model._meta.fields[name] for name in rows[0]]
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    table = f'"{model._meta.table_name}"'
    params = [tuple(field.db_value(row[field.name]) for field in fields) for row in rows]
    with peewee.__exception_wrapper__:  # driver errors -> peewee's (IntegrityError, ...)
        cursor = db.cursor()
        if is_postgres():
            execute_values(
                cursor, f"INSERT INTO {table} ({columns}) VALUES %s", params, page_size=500
            )
        else:
            marks = ", ".join("?" * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", params)


def reserve_ids(model: type[BaseModel], count: int) -> list[int]:
    """`count` new primary keys for `model`'s rows, to insert with them (inside a write).

    So a bulk insert knows its rows' ids without reading them back. PostgreSQL draws them from
    the table's sequence (as an insert without ids would); SQLite's are those after the
    largest id, as SQLite itself would choose: the write transaction holds the database's only
    write lock, so no other insert can take them meanwhile."""
    if count <= 0:
        return []
    table = model._meta.table_name
    if is_postgres():
        cursor = db.execute_sql(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            (f'"{table}"', count),
        )
        return [row[0] for row in cursor.fetchall()]
    if not db.in_transaction():
        raise RuntimeError("reserve_ids outside a write transaction")
    (largest,) = db.execute_sql(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"').fetchone()
    return list(range(largest + 1, largest + 1 + count))


class Param(str):
    """A named placeholder (for a text column) in the template query of a `prepared` statement.

    A str, so a TextField passes it through to the SQL parameters unchanged.
    """

    @property
    def name(self) -> str:
        return str(self)


_prepared: dict[tuple[type, str], tuple[str, list[Any]]] = {}


def prepared(
    name: str, build: Callable[[], peewee.Query], values: dict[str, Any]
) -> list[tuple[Any, ...]]:
    """Rows of a read query whose SQL text is built once per database type, not per call.

    `build()` returns the template query with `Param(name)` where `values[name]` goes; its
    `.sql()` gives the text in the database's own paramstyle, and the parameter list is
    filled in per call (constants of the template stay as they were). Rows are plain tuples.
    """
    database = db.obj
    key = (type(database), name)
    found = _prepared.get(key)
    if found is None:
        sql, params = build().sql()
        found = _prepared[key] = (sql, list(params))
    sql, template = found
    params = [values[p.name] if isinstance(p, Param) else p for p in template]
    return list(db.execute_sql(sql, params).fetchall())


def close_connection(exc: BaseException | None = None) -> None:
    """Give the request's connection back to the pool (PostgreSQL).

    A SQLite connection stays open with its thread: closing the last one checkpoints the
    WAL and syncs the file, which would cost every request tens of milliseconds.
    """
    if is_postgres() and not db.is_closed():
        db.close()


def discard_connection() -> None:
    """Drop a connection that failed, so the next request opens a fresh one."""
    database = db.obj
    if database is None or database.is_closed():
        return
    if isinstance(database, PooledPostgresqlDatabase):
        try:
            database.manual_close()
        except peewee.PeeweeException:
            pass
    else:
        database.close()


def ping() -> None:
    """Raise if the database cannot answer a query."""
    db.execute_sql("SELECT 1").fetchone()


def dispose() -> None:
    """Close every connection of the current database (pooled ones too)."""
    database = db.obj
    if isinstance(database, PooledPostgresqlDatabase):
        database.close_all()
    elif database is not None and not database.is_closed():
        database.close()


def verify_database() -> None:
    """Before a request: a SQLite file that went away is "unavailable" (503), not written past."""
    if isinstance(db.obj, FileSqliteDatabase):
        db.obj.check_file_on_next_use()


def init_app(app: Flask) -> None:
    """Bind the models to the configured database and release connections after requests."""
    dispose()
    db.initialize(make_database(app.config["DATABASE_URL"]))
    app.before_request(verify_database)
    app.teardown_appcontext(close_connection)


# what the database raises when it cannot be reached (the HTTP layer answers 503)
UNAVAILABLE: tuple[type[Exception], ...] = (peewee.OperationalError, peewee.InterfaceError)
StorageError = peewee.PeeweeException  # any failure of the database layer

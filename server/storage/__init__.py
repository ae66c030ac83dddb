"""Storage: the peewee database, its models and every query the app runs.

Nothing outside this package imports peewee. The modules:
    database        the DatabaseProxy, write transactions (with locks), fast inserts
    models          the API's tables;  console_models: the console's tables
    paging          keyset pages with opaque cursors
    version_queries, result_queries, closed_periods, key_queries, audit_queries, plan_queries,
    version_queries, result_queries, closed_periods, key_queries, audit_queries,
    proposal_queries,
    console_queries the queries the services and the views call
"""

from server.storage.console_models import create_console_tables
from server.storage.database import (
    UNAVAILABLE,
    StorageError,
    close_connection,
    db,
    dispose,
    init_app,
    is_postgres,
    ping,
    rfc3339,
    utcnow,
    write,
)
from server.storage.models import (
    ApiKey,
    AuditEntry,
    ClosedPeriod,
    EvaluationRecord,
    EvaluationRevision,
    RulesetProposal,
    RulesetVersion,
    create_tables,
    drop_tables,
)
from server.storage.paging import BadCursor

__all__ = [
    "UNAVAILABLE",
    "ApiKey",
    "AuditEntry",
    "BadCursor",
    "ClosedPeriod",
    "EvaluationRecord",
    "EvaluationRevision",
    "RulesetProposal",
    "RulesetVersion",
    "StorageError",
    "close_connection",
    "create_console_tables",
    "create_tables",
    "db",
    "dispose",
    "drop_tables",
    "init_app",
    "is_postgres",
    "ping",
    "rfc3339",
    "utcnow",
    "write",
]

"""Helpers shared by the guard, flags and health checks: run the SQL kept in ``checks/sql``,
inspect the application tables (``bot_config``, ``audit_log``) and turn server errors into
typed errors that never carry a password."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.rows import dict_row

from ..db.dsn import Dsn
from ..db.sqlfiles import load_sql
from ..errors import CheckFailed, EnvironmentFailure, PgReleaseError, UsageError

SQL_PACKAGE = "pgrelease.checks"
BOT_CONFIG = "bot_config"
AUDIT_LOG = "audit_log"

# SQLSTATEs that mean "the environment got in the way" (exit 3), not "the change was refused".
_ENVIRONMENT_STATES = {
    "55P03": "a lock was not acquired within lock_timeout",
    "57014": "the statement was cancelled (statement_timeout)",
    "40P01": "deadlock detected",
    "40001": "serialization failure",
    "57P01": "the server is shutting down",
    "08006": "the connection was lost",
    "08003": "the connection was lost",
    "25006": "the session is read-only (a standby or a read-only role)",
    "42501": "permission denied",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    not_null: bool
    has_default: bool


def decode_json(value: Any) -> Any:
    """A jsonb value as Python: drivers hand back dicts, but a text or bytes column holding
    JSON is decoded too; text that is not JSON is returned as it is."""
    if isinstance(value, (bytes, bytearray)):
        value = value.decode()
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def sql(name: str) -> str:
    return load_sql(SQL_PACKAGE, name)


def fetch_all(conn: psycopg.Connection, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(sql(name), params or {})
        return list(cur.fetchall()) if cur.description else []


def fetch_one(conn: psycopg.Connection, name: str, params: dict[str, Any] | None = None) -> dict[str, Any] | None:
    rows = fetch_all(conn, name, params)
    return rows[0] if rows else None


def set_timeouts(conn: psycopg.Connection, *, statement_timeout: str = "30s", lock_timeout: str = "10s") -> None:
    fetch_all(conn, "session_timeouts", {"statement_timeout": statement_timeout, "lock_timeout": lock_timeout})


def table_columns(conn: psycopg.Connection, table: str) -> dict[str, Column]:
    """Columns of ``table`` (through search_path); empty when the table does not exist."""
    return {row["name"]: Column(**row) for row in fetch_all(conn, "table_columns", {"table": table})}


def relation_exists(conn: psycopg.Connection, relation: str) -> bool:
    row = fetch_one(conn, "relation_exists", {"relation": relation})
    return bool(row and row["present"])


def require_columns(conn: psycopg.Connection, table: str, required: dict[str, str | None], *,
                    purpose: str) -> dict[str, Column]:
    """Raise UsageError (exit 2) naming what is missing: the table, or some of its columns.

    ``required`` maps a column to the type it must have (``None``: any type). Columns the
    toolkit does not write must be nullable or have a default, or inserts would fail later."""
    columns = table_columns(conn, table)
    if not columns:
        raise UsageError(
            f"table {table} does not exist (needed to {purpose})",
            hint=f"create {table} with a migration first (see docs/operations.md for its shape)",
        )
    missing = [name for name in required if name not in columns]
    if missing:
        raise UsageError(
            f"table {table} lacks column(s) {', '.join(missing)} (needed to {purpose})",
            hint=f"{table} needs the columns {', '.join(required)}; add them with a migration",
        )
    wrong = [f"{name} is {columns[name].type}, expected {want}" for name, want in required.items()
             if want and columns[name].type != want]
    if wrong:
        raise UsageError(f"table {table}: {'; '.join(wrong)}", hint="change the column type with a migration")
    return columns


def unfillable_columns(columns: dict[str, Column], written: set[str]) -> list[str]:
    """NOT NULL columns without a default that an insert of ``written`` would leave empty."""
    return [c.name for c in columns.values() if c.not_null and not c.has_default and c.name not in written]


def db_error(exc: psycopg.Error, dsn: Dsn | None, doing: str, *, unchanged: bool = False) -> PgReleaseError:
    """A typed error for a server error: environment problems exit 3, refusals exit 1."""
    diag = getattr(exc, "diag", None)
    sqlstate = getattr(exc, "sqlstate", None) or (diag.sqlstate if diag else None)
    primary = (diag.message_primary if diag and diag.message_primary else str(exc).strip().splitlines()[0]
               if str(exc).strip() else type(exc).__name__)
    detail = diag.message_detail if diag else None
    server_hint = diag.message_hint if diag else None
    if dsn is not None:
        primary = dsn.scrub(primary)
        detail = dsn.scrub(detail) if detail else detail
        server_hint = dsn.scrub(server_hint) if server_hint else server_hint
    suffix = "; nothing was changed" if unchanged else ""
    if isinstance(exc, psycopg.OperationalError) and not sqlstate:
        return EnvironmentFailure(f"{doing}: the connection failed: {primary}{suffix}",
                                  hint="check the server and the network, then retry")
    if sqlstate in _ENVIRONMENT_STATES:
        return EnvironmentFailure(f"{doing}: {_ENVIRONMENT_STATES[sqlstate]}: {primary}{suffix}", sqlstate=sqlstate,
                                  detail=detail, hint=server_hint or "retry; check locks and permissions")
    return CheckFailed(f"{doing}: {primary}{suffix}", sqlstate=sqlstate, detail=detail,
                       hint=server_hint or "see the server's message; the transaction was rolled back")

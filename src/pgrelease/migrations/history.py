"""The migration history table the Supabase CLI uses:
``supabase_migrations.schema_migrations (version text primary key, statements text[], name text)``."""

from __future__ import annotations

import time
from dataclasses import dataclass

import psycopg
import psycopg.sql

from ..db.dsn import Dsn
from ..db.sqlfiles import load_sql
from ..errors import EnvironmentFailure

_SQL = "pgrelease.migrations"

# pg_advisory_lock(int4, int4) key: 'pgre' and 1 (migrations of this database).
LOCK_CLASSID = 0x70677265
LOCK_OBJID = 1


@dataclass(frozen=True)
class AppliedMigration:
    version: str
    name: str | None
    statements: tuple[str, ...] | None


def history_exists(conn: psycopg.Connection) -> bool:
    return bool(conn.execute(load_sql(_SQL, "history_exists")).fetchone()[0])


def ensure_history_table(conn: psycopg.Connection) -> None:
    """Create the table if missing, with the Supabase CLI's own statements."""
    with conn.transaction():
        conn.execute(load_sql(_SQL, "create_history"))


def read_history(conn: psycopg.Connection) -> list[AppliedMigration]:
    if not history_exists(conn):
        return []
    rows = conn.execute(load_sql(_SQL, "read_history")).fetchall()
    return [AppliedMigration(v, n, tuple(s) if s is not None else None) for v, n, s in rows]


def record(conn: psycopg.Connection, version: str, name: str, statements: list[str]) -> None:
    conn.execute(load_sql(_SQL, "insert_history"), {"version": version, "name": name, "statements": statements})


def record_sql(conn: psycopg.Connection, version: str, name: str, statements: list[str], *,
               literal: "LiteralWriter | None" = None) -> str:
    """The history INSERT as literal SQL, to travel in one batch with a migration's statements."""
    literal = literal or LiteralWriter(conn)
    return literal.insert.format(
        version=literal.text(version), name=literal.text(name), statements=literal.text_array(statements))


class LiteralWriter:
    """SQL literals for the history row, escaped by libpq (``PQescapeLiteral``, for the
    session's encoding and ``standard_conforming_strings``): a few microseconds a statement,
    where composing ``psycopg.sql.Literal`` costs about a hundred."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn
        self.escaping = psycopg.pq.Escaping(conn.pgconn)
        self.encoding = conn.info.encoding
        self.insert = load_sql(_SQL, "insert_history_literal")

    def text(self, value: str | None) -> str:
        if value is None:
            return "NULL"
        if "\x00" in value:  # libpq would stop at the NUL; psycopg refuses it, naming the problem
            return psycopg.sql.Literal(value).as_string(self.conn)
        return self.escaping.escape_literal(value.encode(self.encoding)).decode(self.encoding)

    def text_array(self, values: list[str]) -> str:
        if not values:
            return "'{}'::text[]"
        return "ARRAY[" + ", ".join(self.text(v) for v in values) + "]::text[]"


def forget(conn: psycopg.Connection, version: str) -> int:
    return conn.execute(load_sql(_SQL, "delete_history"), {"version": version}).rowcount


class AdvisoryLock:
    """Session advisory lock that serializes pgrelease runs on one database."""

    def __init__(self, conn: psycopg.Connection, dsn: Dsn, wait_seconds: float) -> None:
        self.conn = conn
        self.dsn = dsn
        self.wait_seconds = wait_seconds
        self.held = False

    def acquire(self) -> None:
        deadline = time.monotonic() + max(0.0, self.wait_seconds)
        delay = 0.05
        while True:
            got = self.conn.execute(
                "select pg_try_advisory_lock(%s, %s)", (LOCK_CLASSID, LOCK_OBJID)
            ).fetchone()[0]
            if got:
                self.held = True
                return
            if time.monotonic() >= deadline:
                raise EnvironmentFailure(
                    f"another run holds the migration lock on {self.dsn.location}/{self.dsn.dbname}"
                    f" ({self._describe_holder()}); waited {self.wait_seconds:g}s",
                    hint="wait for that run to finish, or raise --lock-wait",
                )
            time.sleep(delay)
            delay = min(delay * 2, 1.0)

    def _describe_holder(self) -> str:
        row = self.conn.execute(
            load_sql(_SQL, "lock_holder"), {"classid": LOCK_CLASSID, "objid": LOCK_OBJID}
        ).fetchone()
        if not row:
            return "holder unknown"
        pid, user, app, addr, started, state, age = row
        parts = [f"pid {pid}", f"user {user}"]
        if app:
            parts.append(f"application '{app}'")
        if addr:
            parts.append(f"from {addr}")
        if started:
            parts.append(f"connected since {started:%Y-%m-%d %H:%M:%S %Z}".strip())
        if state:
            parts.append(f"state {state}")
        return ", ".join(parts)

    def release(self) -> None:
        if self.held and not self.conn.closed:
            try:
                self.conn.execute("select pg_advisory_unlock(%s, %s)", (LOCK_CLASSID, LOCK_OBJID))
            except psycopg.Error:
                pass
        self.held = False

    def __enter__(self) -> "AdvisoryLock":
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

"""Run verify and smoke SQL scripts: ``supabase/verify/**/*.sql`` and ``scripts/smoke.sql``.

Each script runs in its own transaction that is always rolled back, so a check can never
change the database it checks. A script fails when any statement raises (a verify script
signals a broken expectation with ``RAISE EXCEPTION`` in a DO block, or any error)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

from ..errors import PgReleaseError
from ..migrations.files import read_sql_text
from ..migrations.split import split_sql
from ..report.model import FAIL, OK, CheckEntry

VERIFY_DIR = Path("supabase") / "verify"
SMOKE_FILE = Path("scripts") / "smoke.sql"


@dataclass(frozen=True)
class Script:
    kind: str  # "smoke" | "verify"
    path: Path
    display: str


def find_scripts(workdir: Path) -> list[Script]:
    workdir = Path(workdir)
    scripts: list[Script] = []
    smoke = workdir / SMOKE_FILE
    if smoke.is_file():
        scripts.append(Script("smoke", smoke, str(SMOKE_FILE)))
    verify = workdir / VERIFY_DIR
    if verify.is_dir():
        for path in sorted(verify.rglob("*.sql")):
            scripts.append(Script("verify", path, str(path.relative_to(workdir))))
    return scripts


def run_script(conn: psycopg.Connection, script: Script, *, statement_timeout: str = "60s") -> CheckEntry:
    started = time.perf_counter()
    name = f"{script.kind} {script.display}"

    def done(status: str, message: str, line: int | None = None, **data: object) -> CheckEntry:
        return CheckEntry(name, status, message, duration_ms=(time.perf_counter() - started) * 1000,
                          file=script.display, line=line, data={k: v for k, v in data.items() if v})

    try:
        statements = split_sql(read_sql_text(script.path, script.display), path=script.display)
    except PgReleaseError as err:
        return done(FAIL, err.message, err.line)
    rows_seen = 0
    try:
        with conn.transaction(force_rollback=True):
            conn.execute("select set_config('statement_timeout', %s, true)", (statement_timeout,))
            with conn.cursor() as cur:
                for stmt in statements:
                    try:
                        cur.execute(stmt.sql)
                    except psycopg.Error as exc:
                        diag = exc.diag
                        message = diag.message_primary or str(exc).strip()
                        return done(FAIL, message, stmt.line, sqlstate=exc.sqlstate, hint=diag.message_hint,
                                    detail=diag.message_detail)
                    if cur.description is not None:
                        rows_seen += len(cur.fetchall())
    except psycopg.OperationalError as exc:
        return done(FAIL, f"connection lost: {str(exc).strip()}")
    count = len(statements)
    return done(OK, f"{count} statement{'s' if count != 1 else ''}", rows=rows_seen)


def run_scripts(conn: psycopg.Connection, workdir: Path) -> list[CheckEntry]:
    return [run_script(conn, script) for script in find_scripts(workdir)]

"""Run verify and smoke SQL scripts: ``supabase/verify/**/*.sql`` and ``scripts/smoke.sql``,
against any database (the shadow after its replay, staging after a push, production).

Each script runs in its own transaction that is always rolled back, so a check can never
change the database it checks. A script fails when

- a statement raises (a verify script signals a broken expectation with ``RAISE EXCEPTION``
  in a DO block, or any error);
- a query returns a row whose single column is a boolean and is false
  (``select count(*) = 0 from orphans``);
- a query returns TAP with a ``not ok`` line (pgTAP's ``ok()``, ``has_table()``,
  ``runtests()``, ...; ``# TODO`` tests excepted).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from ..db.connect import ConnectOptions, connect
from ..db.dsn import Dsn
from ..errors import PgReleaseError
from ..migrations.files import read_sql_text
from ..migrations.split import split_sql

VERIFY_DIR = Path("supabase") / "verify"
SMOKE_FILE = Path("scripts") / "smoke.sql"
_BOOL_OID = 16
_NOT_OK = re.compile(r"^\s*not ok\b(?!.*#\s*todo\b)", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Script:
    kind: str  # "smoke" | "verify"
    path: Path
    display: str


@dataclass
class ScriptResult:
    script: Script
    ok: bool
    message: str
    line: int | None = None
    duration_ms: float = 0.0
    statements: int = 0
    rows: int = 0
    sqlstate: str | None = None
    hint: str | None = None
    detail: str | None = None

    @property
    def name(self) -> str:
        return f"{self.script.kind} {self.script.display}"


@dataclass
class VerifyResult:
    """Every script's outcome, in the order they ran."""

    target: str  # masked URL or label of the database checked
    scripts: list[ScriptResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.scripts)

    @property
    def failures(self) -> list[ScriptResult]:
        return [s for s in self.scripts if not s.ok]


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


def _failed_expectation(cur: psycopg.Cursor, rows: list[tuple[Any, ...]]) -> str | None:
    """Why a query's rows say an expectation failed (false boolean, TAP ``not ok``), or None."""
    description = cur.description or []
    if len(description) != 1:
        return None
    column = description[0]
    if column.type_code == _BOOL_OID:
        if any(row[0] is False for row in rows):
            return f"returned false ({column.name})"
        return None
    for (value,) in rows:
        if isinstance(value, str):
            match = _NOT_OK.search(value)
            if match:
                line_end = value.find("\n", match.start())
                return value[match.start(): line_end if line_end >= 0 else None].strip()
    return None


def run_script(conn: psycopg.Connection, script: Script, *, statement_timeout: str = "60s") -> ScriptResult:
    started = time.perf_counter()

    def done(ok: bool, message: str, line: int | None = None, **extra: Any) -> ScriptResult:
        return ScriptResult(script, ok, message, line, duration_ms=(time.perf_counter() - started) * 1000, **extra)

    try:
        statements = split_sql(read_sql_text(script.path, script.display), path=script.display)
    except PgReleaseError as err:
        return done(False, err.message, err.line)
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
                        return done(False, message, stmt.line, statements=len(statements), sqlstate=exc.sqlstate,
                                    hint=diag.message_hint, detail=diag.message_detail)
                    if cur.description is not None:
                        rows = cur.fetchall()
                        rows_seen += len(rows)
                        why = _failed_expectation(cur, rows)
                        if why:
                            return done(False, why, stmt.line, statements=len(statements), rows=rows_seen)
    except psycopg.OperationalError as exc:
        return done(False, f"connection lost: {str(exc).strip()}")
    count = len(statements)
    return done(True, f"{count} statement{'s' if count != 1 else ''}", statements=count, rows=rows_seen)


def run_scripts(conn: psycopg.Connection, workdir: Path, *, target: str = "") -> VerifyResult:
    return VerifyResult(target, [run_script(conn, script) for script in find_scripts(workdir)])


def verify(dsn: Dsn, workdir: Path, *, connect_options: ConnectOptions | None = None) -> VerifyResult:
    """Run the project's smoke and verify scripts against ``dsn`` (each rolled back)."""
    with connect(dsn, connect_options) as conn:
        return run_scripts(conn, workdir, target=dsn.masked())

"""The audit trail: one table (``public.audit_log`` by default, ``--audit-table``) that
deployments (``pgrelease promote``) and flag changes (``pgrelease flags set``) write to.

The columns pgrelease needs are ``actor``, ``action`` and ``details`` (json or jsonb), plus
``id`` for deployments, whose row is written when they start and updated when they end. It
also fills, when the table has them, ``target``, ``status``, ``environment``, ``commit_sha``
(or ``sha``/``commit``) and ``run_url``. Any other column must be nullable or have a
default. A missing table is created with pgrelease's documented shape (sql/audit_create.sql);
a table pgrelease cannot write is refused before anything changes, naming the columns.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

from ..errors import UsageError
from . import tables

DEFAULT_TABLE = "public.audit_log"
REQUIRED = ("actor", "action", "details")
OPTIONAL = {  # what pgrelease knows -> the column names it writes it to
    "target": ("target",),
    "status": ("status",),
    "environment": ("environment",),
    "commit_sha": ("commit_sha", "sha", "commit"),
    "run_url": ("run_url",),
}
_IDENT = re.compile(r'^(?:"([^"]+)"|([A-Za-z_][A-Za-z0-9_$]*))$')


@dataclass(frozen=True)
class AuditTable:
    schema: str
    name: str
    columns: dict[str, tables.Column] = field(default_factory=dict)
    created: bool = False  # made by this run

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def ident(self) -> sql.Identifier:
        return sql.Identifier(self.schema, self.name)

    def column_for(self, what: str) -> str | None:
        return next((c for c in OPTIONAL.get(what, (what,)) if c in self.columns), None)


def parse_table_name(text: str) -> tuple[str, str]:
    """``public.audit_log``, ``audit_log`` (public) or quoted parts; UsageError otherwise."""
    parts = [p.strip() for p in (text or "").split(".")]
    if not 1 <= len(parts) <= 2 or not all(parts):
        raise UsageError(f"--audit-table {text!r} is not a table name", hint="e.g. public.audit_log")
    names = []
    for part in parts:
        match = _IDENT.match(part)
        if not match:
            raise UsageError(f"--audit-table {text!r} is not a table name", hint="e.g. public.audit_log or ops.audit")
        names.append(match.group(1) if match.group(1) is not None else match.group(2).lower())
    return ("public", names[0]) if len(names) == 1 else (names[0], names[1])


def _columns(conn: psycopg.Connection, schema: str, name: str) -> dict[str, tables.Column]:
    relation = sql.Identifier(schema, name).as_string(conn)
    return {row["name"]: tables.Column(**row) for row in tables.fetch_all(conn, "table_columns", {"table": relation})}


def _problems(columns: dict[str, tables.Column], *, needs_id: bool, fills: tuple[str, ...]) -> list[str]:
    needed = [*REQUIRED, *(("id",) if needs_id else ())]
    problems = [f"column {c} is missing" for c in needed if c not in columns]
    details = columns.get("details")
    if details is not None and details.type not in ("json", "jsonb"):
        problems.append(f"column details is {details.type}, not json or jsonb")
    written = set(needed) | {c for what in fills for c in OPTIONAL.get(what, ()) if c in columns}
    problems += [f"column {c} is NOT NULL without a default" for c in tables.unfillable_columns(columns, written)]
    return problems


def exists(conn: psycopg.Connection, table: str = DEFAULT_TABLE) -> bool:
    schema, name = parse_table_name(table)
    return bool(_columns(conn, schema, name))


DEPLOYMENT_FILLS = ("target", "status", "environment")  # always given for a deployment row
FLAG_FILLS = ("target",)


def ensure(conn: psycopg.Connection, table: str = DEFAULT_TABLE, *, needs_id: bool = True,
           fills: tuple[str, ...] = DEPLOYMENT_FILLS, create: bool = True) -> AuditTable:
    """The audit table, created (in its own committed transaction) when missing; UsageError
    (exit 2) naming the columns when an existing one cannot take pgrelease's rows. ``fills``:
    the optional columns (OPTIONAL's keys) every row of this caller has a value for."""
    schema, name = parse_table_name(table)
    columns = _columns(conn, schema, name)
    created = False
    if not columns:
        if not create:
            raise UsageError(f"audit table {schema}.{name} does not exist",
                             hint="create it with a migration (docs/operations.md has its shape)")
        if not tables.fetch_one(conn, "schema_exists", {"schema": schema})["present"]:
            raise UsageError(f"audit table {schema}.{name}: schema {schema} does not exist",
                             hint="create the schema with a migration, or use --audit-table public.audit_log")
        ident = sql.Identifier(schema, name)
        with conn.transaction():
            conn.execute(sql.SQL(tables.sql("audit_create")).format(table=ident))
            conn.execute(sql.SQL(tables.sql("audit_revoke_api_roles")).format(
                table_text=sql.Literal(ident.as_string(conn))))
        columns, created = _columns(conn, schema, name), True
    problems = _problems(columns, needs_id=needs_id, fills=fills)
    if problems:
        raise UsageError(
            f"audit table {schema}.{name} cannot take pgrelease's rows: {'; '.join(problems)}",
            hint="pgrelease writes actor, action, details (jsonb)" + (" and reads back id" if needs_id else "")
            + "; other columns must be nullable or have a default (docs/operations.md)",
            extra={"audit_table": f"{schema}.{name}", "problems": problems},
        )
    return AuditTable(schema, name, columns, created)


def insert(conn: psycopg.Connection, table: AuditTable, *, actor: str, action: str, details: dict[str, Any],
           target: str | None = None, **known: Any) -> str | None:
    """One row; ``known`` (status, environment, commit_sha, run_url) fills the columns the
    table has. Runs in the caller's transaction (if any). Returns the row's id as text."""
    values: dict[str, Any] = {"actor": actor, "action": action, "details": json.dumps(details, default=str)}
    for what, value in {"target": target, **known}.items():
        column = table.column_for(what)
        if column is not None and value is not None:
            values[column] = value
    names = list(values)
    query = sql.SQL("insert into {table} ({cols}) values ({vals}) returning to_jsonb({alias}) ->> 'id'").format(
        table=table.ident, cols=sql.SQL(", ").join(map(sql.Identifier, names)),
        vals=sql.SQL(", ").join(sql.Placeholder(n) for n in names), alias=sql.Identifier(table.name))
    row = conn.execute(query, values).fetchone()
    return row[0] if row else None


def update(conn: psycopg.Connection, table: AuditTable, row_id: str, details: dict[str, Any], *,
           status: str | None = None) -> None:
    """Merge ``details`` into the row's details (and set ``status`` where there is such a column)."""
    merged = sql.SQL("coalesce(details::jsonb, '{}'::jsonb) || %(details)s::jsonb")  # not formatted: {} is literal
    if table.columns["details"].type == "json":
        merged = sql.SQL("({})::json").format(merged)
    assignments = [sql.SQL("details = {}").format(merged)]
    params: dict[str, Any] = {"details": json.dumps(details, default=str), "id": row_id}
    column = table.column_for("status")
    if status is not None and column is not None:
        assignments.append(sql.SQL("{} = %(status)s").format(sql.Identifier(column)))
        params["status"] = status
    conn.execute(sql.SQL("update {table} set {sets} where id::text = %(id)s").format(
        table=table.ident, sets=sql.SQL(", ").join(assignments)), params)


def session(conn: psycopg.Connection) -> dict[str, Any]:
    """pid and start time of this backend, recorded so a later run can tell it has gone."""
    row = tables.fetch_one(conn, "audit_session") or {}
    return {"backend_pid": row.get("backend_pid"), "backend_start": row.get("backend_start")}


def stale_started(conn: psycopg.Connection, table: AuditTable) -> list[str]:
    """Ids of deployment rows still 'started' whose session no longer exists."""
    query = sql.SQL(tables.sql("audit_stale_started")).format(table=table.ident)
    return [r[0] for r in conn.execute(query).fetchall()]

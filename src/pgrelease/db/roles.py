"""Roles the migrations use but do not create.

Hosted projects have roles that no migration creates: ones made in the dashboard or by hand,
dumped by the Supabase CLI into ``supabase/roles.sql`` (``supabase db dump --role-only``), or
simply present on the target. A shadow without them fails at ``grant ... to my_role``.

``apply_roles_file(conn, path)`` runs a project's ``supabase/roles.sql`` statement by
statement (a role that exists already is left as it is); ``target_roles(conn)`` reads the
non-system roles of a target (names, attributes and memberships, never passwords) and
``create_roles(conn, specs)`` creates them on the shadow.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from ..errors import MigrationFailed
from ..migrations.files import read_sql_text
from ..migrations.split import split_sql
from .sqlfiles import load_sql

ROLES_FILE = Path("supabase") / "roles.sql"  # the Supabase CLI's convention, beside migrations/

# Roles hosted Supabase creates and manages itself (the baseline makes the ones migrations
# refer to); a target's copy of them is not the project's to recreate.
SUPABASE_MANAGED_ROLES = (
    "postgres", "supabase_admin", "anon", "authenticated", "service_role", "authenticator",
    "supabase_auth_admin", "supabase_storage_admin", "supabase_functions_admin", "supabase_realtime_admin",
    "supabase_replication_admin", "supabase_read_only_user", "supabase_etl_admin", "supabase_superuser",
    "supabase_privileged_role", "dashboard_user", "pgbouncer", "pgsodium_keyholder", "pgsodium_keyiduser",
    "pgsodium_keymaker", "pgtle_admin", "cron_job",
)

_ATTRIBUTES = (("superuser", "SUPERUSER", "NOSUPERUSER"), ("inherit", "INHERIT", "NOINHERIT"),
               ("createrole", "CREATEROLE", "NOCREATEROLE"), ("createdb", "CREATEDB", "NOCREATEDB"),
               ("login", "LOGIN", "NOLOGIN"), ("replication", "REPLICATION", "NOREPLICATION"),
               ("bypassrls", "BYPASSRLS", "NOBYPASSRLS"))


@dataclass(frozen=True)
class RoleSpec:
    """A role as the target has it: name, attributes, the roles it is a member of. No password."""

    name: str
    superuser: bool = False
    inherit: bool = True
    createrole: bool = False
    createdb: bool = False
    login: bool = False
    replication: bool = False
    bypassrls: bool = False
    connlimit: int = -1
    member_of: tuple[str, ...] = ()

    def options(self) -> str:
        words = [on if getattr(self, attr) else off for attr, on, off in _ATTRIBUTES]
        if self.connlimit != -1:
            words.append(f"CONNECTION LIMIT {int(self.connlimit)}")
        return " ".join(words)


def target_roles(conn: psycopg.Connection) -> list[RoleSpec]:
    """The target's own roles (not PostgreSQL's, not Supabase's managed ones, not the login role)."""
    rows = conn.execute(load_sql("pgrelease.db", "target_roles"), {"managed": list(SUPABASE_MANAGED_ROLES)}).fetchall()
    return [RoleSpec(name, superuser, inherit, createrole, createdb, login, replication, bypassrls, connlimit,
                     tuple(member_of))
            for name, superuser, inherit, createrole, createdb, login, replication, bypassrls, connlimit, member_of
            in rows]


def create_roles(conn: psycopg.Connection, specs: tuple[RoleSpec, ...] | list[RoleSpec]) -> list[str]:
    """Create the roles that the server lacks (roles are cluster-wide: an existing one is left as
    it is), then their memberships where the granted role exists; the names created, in order."""
    created: list[str] = []
    existing = {r[0] for r in conn.execute("select rolname from pg_catalog.pg_roles").fetchall()}
    with conn.transaction():
        for spec in specs:
            if spec.name in existing:
                continue
            conn.execute(sql.SQL("CREATE ROLE {} WITH " + spec.options()).format(sql.Identifier(spec.name)))
            existing.add(spec.name)
            created.append(spec.name)
        for spec in specs:
            if spec.name not in created:
                continue
            for granted in spec.member_of:
                if granted in existing:
                    conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(granted), sql.Identifier(spec.name)))
    return created


def roles_file(workdir: Path) -> Path | None:
    path = Path(workdir) / ROLES_FILE
    return path if path.is_file() else None


def apply_roles_file(conn: psycopg.Connection, path: Path, display: str | None = None) -> int:
    """Run ``supabase/roles.sql`` statement by statement, each in its own savepoint, as the
    Supabase CLI does before the migrations; ``CREATE ROLE`` of a role the server already has
    is skipped (roles are cluster-wide). Returns how many statements ran; a statement that
    fails is a MigrationFailed naming the file and line."""
    display = display or str(path)
    ran = 0
    with conn.transaction():
        for stmt in split_sql(read_sql_text(path, display), path=display):
            try:
                with conn.transaction():
                    conn.execute(stmt.sql)
                ran += 1
            except psycopg.errors.DuplicateObject:
                continue  # CREATE ROLE x when the server has x
            except psycopg.Error as exc:
                diag = exc.diag
                raise MigrationFailed(f"{display} failed: {diag.message_primary or exc}", file=display,
                                      line=stmt.line, sqlstate=diag.sqlstate, detail=diag.message_detail,
                                      hint=diag.message_hint) from None
    return ran

"""The Supabase baseline: what a hosted Supabase database holds before the first migration.

``apply_supabase_baseline(conn)`` runs ``sql/supabase_baseline.sql`` (roles, schemas, the
extensions present from the start, the database ``search_path``, default privileges,
``auth``/``storage``/``realtime`` objects with their owners, the ``supabase_realtime``
publication) in one transaction on a fresh database, so that real migrations replay on a
shadow database the way they do on a Supabase project.

``missing_extensions(conn, names)`` says which of the extensions a set of migrations needs
the shadow server cannot provide, each with a one-line hint, so that a replay can report
"install X or use another server" up front instead of failing half-way through.
``referenced_extensions(sql)`` finds the extensions migration text needs: its ``CREATE
EXTENSION`` names, plus Supabase extensions used through their schema only (``vault.*``,
``net.http_post``, ``cron.schedule``, ``pgmq.send``, ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import psycopg

from ..migrations.heads import create_extensions, qualified_names
from .sqlfiles import load_sql
from .supabase_extensions import supabase_extensions


# Supabase extensions for which pgrelease ships SQL stand-ins (loadable on PostgreSQL 18+,
# where the embedded server adds them through extension_control_path).
STANDIN_EXTENSIONS = frozenset({
    "pgcrypto", "uuid-ossp", "pg_net", "http", "pgjwt", "supabase_vault", "pgsodium", "pg_cron",
    "pg_graphql", "pg_jsonschema", "hypopg", "index_advisor", "wrappers", "pgmq", "pg_tle", "plpgsql_check",
    "pg_hashids", "timescaledb", "pgroonga", "pgroonga_database", "pgaudit", "pg_repack",
})

# name -> Debian/Ubuntu (PGDG) package, with <major> for the server's major version
_PACKAGES = {
    "postgis": "postgresql-<major>-postgis-3",
    "postgis_topology": "postgresql-<major>-postgis-3",
    "postgis_raster": "postgresql-<major>-postgis-3",
    "postgis_tiger_geocoder": "postgresql-<major>-postgis-3",
    "postgis_sfcgal": "postgresql-<major>-postgis-3",
    "address_standardizer": "postgresql-<major>-postgis-3",
    "address_standardizer_data_us": "postgresql-<major>-postgis-3",
    "plcoffee": "postgresql-<major>-plv8",
    "plls": "postgresql-<major>-plv8",
    "pgrouting": "postgresql-<major>-pgrouting",
    "vector": "postgresql-<major>-pgvector",
    "pg_cron": "postgresql-<major>-cron",
    "http": "postgresql-<major>-http",
    "hypopg": "postgresql-<major>-hypopg",
    "pg_repack": "postgresql-<major>-repack",
    "pg_partman": "postgresql-<major>-partman",
    "pgtap": "postgresql-<major>-pgtap",
    "plpgsql_check": "postgresql-<major>-plpgsql-check",
    "pg_hashids": "postgresql-<major>-hashids",
    "pgaudit": "postgresql-<major>-pgaudit",
    "timescaledb": "timescaledb-2-postgresql-<major>",
    "rum": "postgresql-<major>-rum",
    "pgroonga": "postgresql-<major>-pgdg-pgroonga",
    "pgroonga_database": "postgresql-<major>-pgdg-pgroonga",
    "wal2json": "postgresql-<major>-wal2json",
    "pg_stat_monitor": "percona-pg-stat-monitor<major>",
    "plv8": "postgresql-<major>-plv8",
    "orafce": "postgresql-<major>-orafce",
    "pg_hint_plan": "postgresql-<major>-pg-hint-plan",
}

# PostgreSQL's own contrib modules: Debian ships them in postgresql-<major> itself
_CONTRIB = frozenset({
    "adminpack", "amcheck", "autoinc", "bloom", "btree_gin", "btree_gist", "citext", "cube", "dblink",
    "dict_int", "dict_xsyn", "earthdistance", "file_fdw", "fuzzystrmatch", "hstore", "insert_username",
    "intagg", "intarray", "isn", "lo", "ltree", "moddatetime", "old_snapshot", "pageinspect",
    "pg_buffercache", "pg_freespacemap", "pg_prewarm", "pg_stat_statements", "pg_surgery", "pg_trgm",
    "pg_visibility", "pg_walinspect", "pgcrypto", "pgrowlocks", "pgstattuple", "postgres_fdw", "refint",
    "seg", "sslinfo", "tablefunc", "tcn", "tsm_system_rows", "tsm_system_time", "unaccent", "uuid-ossp",
    "xml2", "pg_logicalinspect",
})

# Extensions that hosted projects of the PostgreSQL 15 generation have installed from the
# start, each in a schema of its own (supabase/postgres: pgsodium and supabase_vault by
# 20221207154255_create_pgsodium_and_vault, pg_graphql on by default). A `supabase db pull`
# dump of such a project re-creates them with `CREATE EXTENSION IF NOT EXISTS "pgsodium" WITH
# SCHEMA "pgsodium"`: a no-op there (it exists), "schema pgsodium does not exist" on a database
# that never had it. The shadow installs them first when the migrations expect them so.
PREINSTALLED_IN_OWN_SCHEMA = {"pgsodium": "pgsodium", "supabase_vault": "vault", "pg_graphql": "graphql"}

# Supabase extensions that projects often enable from the dashboard (or have from the start)
# and then only use through their schema, without a CREATE EXTENSION in the migrations:
# (extension, schema, the names in that schema that show it is used).
_USED_THROUGH_SCHEMA = tuple(
    (extension, schema, re.compile(names))
    for extension, schema, names in (
        ("supabase_vault", "vault", "create_secret|update_secret|decrypted_secrets|secrets"),
        ("pg_net", "net", "http_get|http_post|http_delete|_http_response|http_request_queue"),
        ("pg_cron", "cron", "schedule|schedule_in_database|unschedule|alter_job|job|job_run_details"),
        ("pgsodium", "pgsodium", r"crypto_\w+|create_key|key|valid_key|randombytes_\w+"),
        ("pg_graphql", "graphql", "resolve|comment_directive"),
        ("pgmq", "pgmq", r"create|create_unlogged|send|send_batch|read|read_with_poll|pop|archive|delete|metrics|meta"
                         r"|q_\w+|a_\w+"),
    )
)


def baseline_sql() -> str:
    """The baseline script's text (packaged with pgrelease)."""
    return load_sql("pgrelease.db", "supabase_baseline")


def apply_supabase_baseline(conn: psycopg.Connection) -> None:
    """Make a fresh database look like a Supabase project's before its first migration.

    Runs in one transaction (all or nothing) and needs a superuser. The session's
    search_path is left at ``"$user", public, extensions``, the database default it sets.
    Running it twice on the same database fails (its objects exist); on a second database
    of the same server it works (roles are only created when missing).
    """
    sql = baseline_sql()
    with conn.transaction():
        conn.execute(sql)  # no parameters: simple-query protocol, many statements at once


def _server_major(conn: psycopg.Connection) -> int:
    row = conn.execute("select current_setting('server_version_num')::int").fetchone()
    return int(row[0]) // 10000 if row else 0


def _normalise(name: str) -> str:
    name = name.strip()
    if len(name) >= 2 and name[0] == '"' and name[-1] == '"':
        return name[1:-1].replace('""', '"')
    return name.lower()


def _hint(name: str, major: int) -> str:
    where = f"PostgreSQL {major}" if major else "this server"
    package = _PACKAGES.get(name)
    listed = supabase_extensions().get(name)
    if listed is not None and listed.package and "<major>" not in listed.package:  # gone from newer majors
        on = " and ".join(f"PostgreSQL {m}" for m in listed.majors)
        return (f"{name} is not available on this shadow server; hosted Supabase offers it on {on} projects only: "
                f"use such a server (e.g. apt-get install {listed.package}, then --pg-bin "
                f"/usr/lib/postgresql/{listed.majors[0]}/bin), or --shadow-url")
    if package is None and listed is not None:
        package = listed.package
    if package:
        package = package.replace("<major>", str(major) if major else "<major>")
    if name in _CONTRIB:
        contrib = f"postgresql-{major}" if major else "postgresql-<major>"
        return (
            f"{name} is not available on this shadow server; it is a PostgreSQL contrib module: install the "
            f"server's contrib package (e.g. apt-get install {contrib}) and point PGRELEASE_PG_BIN at it, "
            "or use --shadow-url"
        )
    if name in STANDIN_EXTENSIONS:
        real = f"install the real extension into the server (e.g. apt-get install {package})" if package \
            else "install the real extension into the server"
        if major and major < 18:
            return (
                f"{name} is not available on this shadow server ({where}); pgrelease loads its SQL stand-in on "
                f"PostgreSQL {major} only from an installation with pg_config (it lays out a private tree from it): "
                f"use the embedded server (unset PGRELEASE_PG_BIN), or {real}, or use --shadow-url"
            )
        return (
            f"{name} is not available on this shadow server; pgrelease ships a SQL stand-in for it, which the "
            f"embedded server loads through extension_control_path: use the embedded server, or {real}, "
            "or use --shadow-url"
        )
    if package:
        from .embedded import local_installations_with  # a local installation that has it, named

        local = [str(p) for p in local_installations_with(name) if f"/{major}/" not in str(p)]
        use = f"the local installation {local[0]} has it: pass --pg-bin {local[0]}; or " if local else ""
        return (
            f"{name} is not available on this shadow server ({where}); {use}install it into a server "
            f"(e.g. apt-get install {package}) and point PGRELEASE_PG_BIN at it, or use --shadow-url"
        )
    return (
        f"{name} is not available on this shadow server; install the extension into the server and point "
        "PGRELEASE_PG_BIN at it, or use --shadow-url for a database that has it"
    )


def missing_extensions(conn: psycopg.Connection, names: Iterable[str]) -> list[tuple[str, str]]:
    """For each requested extension the server cannot install: ``(name, one-line hint)``.

    Names are compared as CREATE EXTENSION would see them (quoted names keep their case,
    unquoted ones are folded to lower case); duplicates are reported once, in the order given.
    """
    wanted: list[str] = []
    for raw in names:
        name = _normalise(raw)
        if name and name not in wanted:
            wanted.append(name)
    if not wanted:
        return []
    rows = conn.execute(
        "select name from pg_catalog.pg_available_extensions where name = any(%s)", (wanted,)
    ).fetchall()
    available = {row[0] for row in rows}
    missing = [name for name in wanted if name not in available]
    if not missing:
        return []
    major = _server_major(conn)
    return [(name, _hint(name, major)) for name in missing]


def referenced_extensions(sql: str) -> list[str]:
    """Extensions that ``sql`` needs, in order of first appearance (comments ignored).

    The names in ``CREATE EXTENSION`` statements, then the Supabase extensions that the
    text uses through their schema without creating them (``vault.create_secret``,
    ``net.http_post``, ``cron.schedule``, ``pgsodium.*``, ``graphql.resolve``, ``pgmq.send``): hosted
    projects have those from the start or enable them from the dashboard.
    """
    found: list[str] = []
    for head in create_extensions(sql):
        if head.name not in found:
            found.append(head.name)
    used = {(schema.lower(), name.lower()) for schema, name in qualified_names(sql)}
    for extension, schema, names in _USED_THROUGH_SCHEMA:
        if extension not in found and any(s == schema and names.fullmatch(n) for s, n in used):
            found.append(extension)
    return found

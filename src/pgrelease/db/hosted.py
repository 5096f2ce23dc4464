"""Hosted Supabase's permissions on the shadow.

On a hosted project the migrations run as role ``postgres``, which is not a superuser
(NOSUPERUSER CREATEDB CREATEROLE REPLICATION BYPASSRLS); ``auth.*`` belongs to
``supabase_auth_admin``, ``storage.*`` to ``supabase_storage_admin``, ``realtime.*`` to
``supabase_realtime_admin``. PostgreSQL itself then refuses what only an owner or a superuser may
do; the supautils extension lets ``postgres`` do a few such things all the same (its
``policy_grants``, ``drop_trigger_grants`` and ``privileged_extensions`` in the
``supabase/postgres`` image's ``supautils.conf``).

The shadow reproduces this without supautils, the same way on every PostgreSQL major:

* the cluster's bootstrap superuser is ``supabase_admin`` (on the embedded server the
  bootstrap role is renamed, and a ``postgres`` role with hosted attributes is created:
  :func:`make_hosted_cluster`);
* the replay connects as ``supabase_admin`` and runs ``SET SESSION AUTHORIZATION postgres``
  (:func:`become_postgres`): every statement is checked by PostgreSQL as ``postgres``;
* the statements supautils lets through (:func:`route`, from the parse tree) run, on their
  own, as the superuser, as supautils runs them (it switches to its superuser for them; a policy
  on storage.objects that calls auth.uid() is then checked as supabase_admin, not as
  supabase_storage_admin, which may not use schema auth), and then the session is ``postgres``
  again: the file text is spliced, line numbers unchanged (:func:`hosted_text`);
* a statement the server refuses (42501) in a managed schema is reported as hosted Supabase
  reports it, with why (:func:`explain_refusal`).

No role membership is granted for this (PostgreSQL 15 has no ``SET``-only memberships): the
switch is made by the session's authenticated superuser.
"""

from __future__ import annotations

import json
import secrets as _secrets
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import psycopg
from psycopg import sql

from .dsn import Dsn

HOSTED_ROLE = "postgres"
SUPERUSER_ROLE = "supabase_admin"
HOSTED_ATTRIBUTES = "LOGIN NOSUPERUSER CREATEDB CREATEROLE REPLICATION BYPASSRLS"
REFUSED_PREFIX = "hosted Supabase refuses this: "

# The owners of the schemas Supabase manages (what a hosted project has, and the baseline makes)
MANAGED_SCHEMAS = {"auth": "supabase_auth_admin", "storage": "supabase_storage_admin",
                   "realtime": "supabase_realtime_admin"}

# supautils.policy_grants and supautils.drop_trigger_grants for postgres (supabase/postgres,
# ansible/files/postgresql_config/conf.d/supautils.conf): the same list for both
MANAGED_TABLES_FOR_POLICIES_AND_TRIGGERS = frozenset({
    "auth.audit_log_entries", "auth.flow_state", "auth.identities", "auth.instances", "auth.mfa_amr_claims",
    "auth.mfa_challenges", "auth.mfa_factors", "auth.oauth_clients", "auth.one_time_tokens", "auth.refresh_tokens",
    "auth.saml_providers", "auth.saml_relay_states", "auth.sessions", "auth.sso_domains", "auth.sso_providers",
    "auth.users", "realtime.messages", "realtime.subscription", "storage.buckets", "storage.buckets_analytics",
    "storage.objects", "storage.prefixes", "storage.s3_multipart_uploads", "storage.s3_multipart_uploads_parts",
})

# supautils.privileged_extensions: created by supabase_admin on postgres's behalf
PRIVILEGED_EXTENSIONS = frozenset((
    "address_standardizer, address_standardizer_data_us, autoinc, bloom, btree_gin, btree_gist, citext, cube, dblink,"
    " dict_int, dict_xsyn, earthdistance, fuzzystrmatch, hstore, http, hypopg, index_advisor, insert_username,"
    " intarray, isn, ltree, moddatetime, orioledb, pg_buffercache, pg_cron, pg_graphql, pg_hashids, pg_jsonschema,"
    " pg_net, pg_prewarm, pg_repack, pg_stat_monitor, pg_stat_statements, pg_tle, pg_trgm, pg_walinspect, pgaudit,"
    " pgcrypto, pgjwt, pgroonga, pgroonga_database, pgrouting, pgrowlocks, pgsodium, pgstattuple, pgtap, plcoffee,"
    " pljava, plls, plpgsql_check, plv8, postgis, postgis_raster, postgis_sfcgal, postgis_tiger_geocoder,"
    " postgis_topology, postgres_fdw, refint, rum, seg, sslinfo, supabase_vault, supautils, tablefunc, tcn,"
    " timescaledb, tsm_system_rows, tsm_system_time, unaccent, uuid-ossp, vector, wrappers").split(", "))

# supautils.privileged_role_allowed_configs (conf.d/supautils.conf): settings postgres may SET, and
# ALTER ROLE ... SET, although PostgreSQL reserves them for superusers; a name ending in * is a prefix
PRIVILEGED_ROLE_ALLOWED_CONFIGS = tuple((
    "auto_explain.*, log_lock_waits, log_min_duration_statement, log_min_messages, log_parameter_max_length,"
    " log_replication_commands, log_statement, log_temp_files, pg_net.batch_size, pg_net.ttl, pg_stat_statements.*,"
    " pgaudit.log, pgaudit.log_catalog, pgaudit.log_client, pgaudit.log_level, pgaudit.log_relation, pgaudit.log_rows,"
    " pgaudit.log_statement, pgaudit.log_statement_once, pgaudit.role, pgrst.*, plan_filter.*, safeupdate.enabled,"
    " session_replication_role, track_io_timing, wal_compression").split(", "))

# supautils.reserved_roles (supautils.conf.j2): roles only a superuser may alter. The ones the file
# marks with a trailing * (the API roles and authenticator) may have their settings changed by
# postgres: ALTER ROLE authenticator SET pgrst.db_aggregates_enabled = 'true' (Supabase's docs)
RESERVED_ROLES = frozenset({"supabase_admin", "supabase_auth_admin", "supabase_storage_admin",
                            "supabase_read_only_user", "supabase_replication_admin", "dashboard_user", "pgbouncer"})
CONFIGURABLE_RESERVED_ROLES = frozenset({"service_role", "authenticator", "authenticated", "anon"})


def privileged_config(name: str | None) -> bool:
    """Is ``name`` in supautils' privileged_role_allowed_configs (as supautils matches: exact, or a
    prefix for an entry ending in *)?"""
    if not name:
        return False
    return any(name.startswith(c[:-1]) if c.endswith("*") else name == c for c in PRIVILEGED_ROLE_ALLOWED_CONFIGS)


def reserved_role_message(role: str) -> str:
    """supautils' own error for a change to a reserved role."""
    return f'"{role}" is a reserved role, only superusers can modify it'


@dataclass(frozen=True)
class Route:
    """A statement that runs as the superuser on a hosted shadow, and why it may."""

    why: str  # for the report: "policy on storage.objects"
    extension: str | None = None  # CREATE EXTENSION: afterwards postgres gets what hosted grants it
    after: str | None = None  # SQL the superuser runs right after the statement
    refuse: str | None = None  # supautils refuses it: the shadow raises this (42501) instead of running it


# -- the cluster ------------------------------------------------------------------------------------
def make_hosted_cluster(dsn: Dsn) -> Dsn:
    """On a fresh embedded server whose bootstrap superuser is ``postgres``: rename it to
    ``supabase_admin`` (as on a hosted project, where supabase_admin bootstraps the cluster) and
    create ``postgres`` with hosted attributes. Returns the DSN of supabase_admin (same password).

    The bootstrap role cannot rename itself, so a throwaway superuser with a random password does
    it and is dropped at once."""
    from ..errors import EnvironmentFailure
    from ..secrets import register
    from .connect import connect

    password = _secrets.token_urlsafe(24)
    register(password)
    helper = "pgrelease_setup"
    admin = replace(dsn, user=SUPERUSER_ROLE)
    try:
        with connect(dsn) as conn:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN SUPERUSER PASSWORD {}").format(
                sql.Identifier(helper), sql.Literal(password)))
        with connect(replace(dsn, user=helper, _password=password)) as conn:
            conn.execute(sql.SQL("ALTER ROLE {} RENAME TO {}").format(sql.Identifier(dsn.user),
                                                                     sql.Identifier(SUPERUSER_ROLE)))
            conn.execute(sql.SQL("CREATE ROLE {} " + HOSTED_ATTRIBUTES).format(sql.Identifier(HOSTED_ROLE)))
        with connect(admin) as conn:
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(helper)))
    except psycopg.Error as exc:
        first = (str(exc).strip().splitlines() or ["no detail"])[0]
        raise EnvironmentFailure(f"the embedded shadow could not be set up as a hosted Supabase cluster: {first}",
                                 hint="--superuser replays as a superuser without this step") from None
    return admin


def hosted_possible(conn: psycopg.Connection) -> str | None:
    """None when this connection can replay with hosted permissions (it is a superuser other than
    postgres, and role postgres is not a superuser); else why not, for a warning."""
    row = conn.execute("select current_user, (select rolsuper from pg_catalog.pg_roles where rolname = %s),"
                       " (select rolsuper from pg_catalog.pg_roles where rolname = current_user)",
                       (HOSTED_ROLE,)).fetchone()
    user, postgres_super, self_super = row
    if not self_super:
        return f"the shadow connects as {user}, which is not a superuser"
    if user == HOSTED_ROLE or postgres_super:
        return "role postgres is a superuser on the shadow server"
    return None


def become_postgres(conn: psycopg.Connection) -> None:
    """From here on the session is ``postgres``, checked as hosted Supabase checks it."""
    conn.execute(sql.SQL("SET SESSION AUTHORIZATION {}").format(sql.Identifier(HOSTED_ROLE)))


def extension_grants_sql(name: str) -> str:
    """What postgres has after hosted Supabase creates an extension for it, run by the superuser
    right after CREATE EXTENSION. The schemas the extension made (and what is in them):

    * an extension in supautils' ``privileged_extensions`` is created by supabase_admin, and its
      after-create scripts grant postgres the schema and its objects with grant option;
    * any other (pgmq: "doesn't require superuser") is created by postgres itself: its schemas
      are postgres's, and so is the use of what is in them."""
    literal = name.replace("'", "''")
    if name in PRIVILEGED_EXTENSIONS:
        schema_step = "EXECUTE format('GRANT USAGE, CREATE ON SCHEMA %I TO postgres WITH GRANT OPTION', r.s);"
        owner_step = ""
    else:  # as if postgres had created it (pgmq.create() adds its tables to the extension: owner only)
        schema_step = "EXECUTE format('ALTER SCHEMA %I OWNER TO postgres', r.s);"
        owner_step = (" UPDATE pg_catalog.pg_extension SET extowner = 'postgres'::regrole"
                      f" WHERE extname = '{literal}';")
    members = ("FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid"
               f" WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.deptype = 'e' AND e.extname = '{literal}'")
    return (
        "DO $pgrelease$ DECLARE r record; BEGIN" + owner_step +
        " FOR r IN SELECT n.nspname AS s FROM pg_catalog.pg_namespace n WHERE n.oid IN ("
        f"  SELECT extnamespace FROM pg_catalog.pg_extension WHERE extname = '{literal}'"
        f"  UNION SELECT d.objid {members} AND d.classid = 'pg_catalog.pg_namespace'::regclass)"
        " AND n.nspname NOT IN ('public', 'extensions', 'pg_catalog') AND n.nspowner <> 'postgres'::regrole"
        " LOOP " + schema_step + " END LOOP;"
        " FOR r IN SELECT c.oid::regclass AS o, c.relkind AS k FROM pg_catalog.pg_class c WHERE c.oid IN ("
        f"  SELECT d.objid {members} AND d.classid = 'pg_catalog.pg_class'::regclass)"
        " AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
        " LOOP EXECUTE format('GRANT ALL ON %s %s TO postgres WITH GRANT OPTION',"
        " CASE r.k WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, r.o); END LOOP;"
        " FOR r IN SELECT p.oid::regprocedure AS o FROM pg_catalog.pg_proc p WHERE p.oid IN ("
        f"  SELECT d.objid {members} AND d.classid = 'pg_catalog.pg_proc'::regclass)"
        " LOOP EXECUTE format('GRANT ALL ON ROUTINE %s TO postgres WITH GRANT OPTION', r.o); END LOOP;"
        " END $pgrelease$"
    )


# -- which statements supautils lets through ---------------------------------------------------------
@lru_cache(maxsize=4096)  # route(), the DO-block routing and explain_refusal() read the same statements
def _parse(text: str) -> dict[str, Any] | None:
    """The parse tree of a single statement (read only: it is shared through the cache)."""
    from pglast.parser import parse_sql_json

    try:
        stmts = json.loads(parse_sql_json(text)).get("stmts") or []
    except Exception:  # noqa: BLE001 - not parseable by pglast: the server decides
        return None
    return stmts[0].get("stmt") if len(stmts) == 1 else None


def _names(items: list[dict[str, Any]] | None) -> list[str]:
    return [i["String"].get("sval", "") for i in (items or []) if "String" in i]


def _rangevar(rv: dict[str, Any] | None) -> str | None:
    if not rv or not rv.get("schemaname"):
        return None
    return f"{rv['schemaname']}.{rv.get('relname', '')}"


def _drop_targets(body: dict[str, Any]) -> list[list[str]]:
    out = []
    for obj in body.get("objects") or []:
        if "List" in obj:
            out.append(_names(obj["List"].get("items")))
        elif "String" in obj:
            out.append([obj["String"].get("sval", "")])
    return out


def route(statement: str) -> Route | None:
    """The route of one statement on a hosted shadow: None when it runs as postgres (nearly
    always), a Route when supautils lets postgres do it although PostgreSQL reserves it for the
    table's owner or a superuser."""
    node = _parse(statement)
    if not node:
        return None
    (kind, body), = node.items()
    managed = MANAGED_TABLES_FOR_POLICIES_AND_TRIGGERS

    if kind in ("CreatePolicyStmt", "AlterPolicyStmt"):
        table = _rangevar(body.get("table"))
        return Route(f"policy on {table}") if table in managed else None
    if kind == "RenameStmt" and body.get("renameType") == "OBJECT_POLICY":
        table = _rangevar(body.get("relation"))
        return Route(f"policy on {table}") if table in managed else None
    if kind == "DropStmt":
        remove = body.get("removeType")
        if remove in ("OBJECT_POLICY", "OBJECT_TRIGGER"):
            tables = {".".join(t[:-1]) for t in _drop_targets(body) if len(t) == 3}
            if len(tables) == 1 and tables <= managed:
                what = "policy" if remove == "OBJECT_POLICY" else "trigger"
                return Route(f"drop {what} on {tables.pop()}")
            return None
        if remove == "OBJECT_EXTENSION":
            return Route("drop extension")
        if remove == "OBJECT_EVENT_TRIGGER":
            return Route("event trigger")
        if remove == "OBJECT_FDW":
            return Route("foreign data wrapper")
        return None
    if kind == "CreateExtensionStmt":
        name = body.get("extname", "")
        return Route(f"create extension {name}", extension=name)
    if kind in ("AlterExtensionStmt", "AlterExtensionContentsStmt"):
        return Route(f"alter extension {body.get('extname', '')}")
    if kind in ("CreateEventTrigStmt", "AlterEventTrigStmt"):
        return Route("event trigger")
    if kind in ("CreateFdwStmt", "AlterFdwStmt"):  # a superuser must own it; postgres may use it
        name = '"' + body.get("fdwname", "").replace('"', '""') + '"'
        return Route("foreign data wrapper", after=f"GRANT USAGE ON FOREIGN DATA WRAPPER {name} TO postgres"
                                                   " WITH GRANT OPTION")
    if kind == "CreatePublicationStmt" and body.get("for_all_tables"):  # supautils' privileged role
        return Route("publication for all tables")
    if kind == "VariableSetStmt" and privileged_config(body.get("name")):
        return Route(f"set {body['name']}")
    if kind == "AlterRoleSetStmt":
        role = (body.get("role") or {}).get("rolename") if (body.get("role") or {}).get("roletype") == \
            "ROLESPEC_CSTRING" else None
        if role in RESERVED_ROLES:
            return Route(f"settings of reserved role {role}", refuse=reserved_role_message(role))
        name = (body.get("setstmt") or {}).get("name")
        if role and privileged_config(name):
            return Route(f"alter role {role} set {name}")
    return None


def wrap(statement: str, path: Route) -> str:
    """The statement as the hosted shadow sends it: switched to its route's role, then back to
    postgres. On the statement's own lines, so that an error in it is still at its line."""
    if path.refuse is not None:  # in its place, on its lines: an error as supautils raises it
        message = path.refuse.replace("'", "''")
        return ("DO $pgrelease$ BEGIN RAISE EXCEPTION USING MESSAGE = '" + message + "', ERRCODE = '42501';"
                " END $pgrelease$" + "\n" * statement.count("\n"))
    head = "SET SESSION AUTHORIZATION DEFAULT; "
    tail = "; "
    if path.extension is not None:
        tail += extension_grants_sql(path.extension) + "; "
    if path.after is not None:
        tail += path.after + "; "
    tail += f"SET SESSION AUTHORIZATION {HOSTED_ROLE}"
    return head + statement + tail


# -- files ----------------------------------------------------------------------------------------------
def _offset(text: str, line: int, column: int) -> int:
    pos = 0
    for _ in range(line - 1):
        pos = text.index("\n", pos) + 1
    return pos + column - 1


def hosted_text(text: str, statements: list) -> tuple[str, list[str]]:
    """``text`` with each statement supautils lets through wrapped (see :func:`wrap`), and what was
    wrapped (``"line 12: policy on storage.objects"``). A statement that cannot be found verbatim
    is left as it is (it then runs as postgres)."""
    spliced: list[tuple[int, int, str]] = []
    routed: list[str] = []
    for stmt in statements:
        if getattr(stmt, "copy_data", None) is not None:
            continue
        path = route(stmt.sql)
        inside = _routed_inside_do(stmt.sql) if path is None else None
        if path is None and inside is None:
            continue
        try:
            start = _offset(text, stmt.line, stmt.column)
        except ValueError:
            continue
        if text[start:start + len(stmt.sql)] != stmt.sql:
            continue
        if inside is not None:
            new_sql, whys = inside
            spliced.append((start, start + len(stmt.sql), new_sql))
            routed.extend(f"line {stmt.line}: {why} (in a DO block)" for why in whys)
            continue
        spliced.append((start, start + len(stmt.sql), wrap(stmt.sql, path)))
        routed.append(f"line {stmt.line}: {path.why}")
    for start, end, new in reversed(spliced):
        text = text[:start] + new + text[end:]
    return text, routed


def _routed_inside_do(statement: str) -> tuple[str, list[str]] | None:
    """A ``DO`` block whose PL/pgSQL body runs statements supautils lets through (the common
    ``IF NOT EXISTS (select from pg_policies ...) THEN CREATE POLICY ... ON storage.objects``):
    supautils sees them as it sees top-level ones, so each of them is switched to the superuser
    inside the body, and the rest of the block still runs as postgres. None when there is none."""
    node = _parse(statement)
    if not node or "DoStmt" not in node:
        return None
    from pglast.parser import parse_plpgsql_json

    try:
        tree = json.loads(parse_plpgsql_json(statement))
    except Exception:  # noqa: BLE001 - not PL/pgSQL pglast reads (another language): as written
        return None
    queries: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            execsql = value.get("PLpgSQL_stmt_execsql")
            if execsql is not None:
                query = ((execsql.get("sqlstmt") or {}).get("PLpgSQL_expr") or {}).get("query")
                if query:
                    queries.append(query)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(tree)
    out, whys, pos = [], [], 0
    for query in queries:
        path = route(query)
        if path is None:
            continue
        at = statement.find(query, pos)
        if at < 0:  # not verbatim in the text: left as written (it then runs as postgres)
            continue
        out.append(statement[pos:at])
        out.append(wrap(query, path))
        whys.append(path.why)
        pos = at + len(query)
    if not whys:
        return None
    out.append(statement[pos:])
    return "".join(out), whys


def dynamic_sql_in_do(statement: str) -> bool:
    """Is ``statement`` a DO block that runs SQL built at run time (``EXECUTE format(...)``)?
    What such SQL does cannot be seen before it runs, so the shadow cannot route it as supautils
    would."""
    node = _parse(statement)
    if not node or "DoStmt" not in node:
        return False
    from pglast.parser import parse_plpgsql_json

    try:
        return '"PLpgSQL_stmt_dynexecute"' in parse_plpgsql_json(statement)
    except Exception:  # noqa: BLE001 - another language, or not PL/pgSQL pglast reads
        return False


# -- refusals -------------------------------------------------------------------------------------------
_CREATE_KINDS = {
    "CreateStmt": ("table", lambda b: b.get("relation")),
    "CreateTableAsStmt": ("table", lambda b: (b.get("into") or {}).get("rel")),
    "ViewStmt": ("view", lambda b: b.get("view")),
    "CreateSeqStmt": ("sequence", lambda b: b.get("sequence")),
    "CompositeTypeStmt": ("type", lambda b: b.get("typevar")),
}


def _schema_of_names(names: list[str]) -> str | None:
    return names[0] if len(names) >= 2 else None


def _managed(schema: str | None) -> bool:
    return schema in MANAGED_SCHEMAS


def explain_refusal(statement: str) -> str | None:
    """Why hosted Supabase refuses ``statement`` (which the shadow's server refused with 42501 when
    replaying as postgres), or None when it does not touch a schema Supabase manages."""
    node = _parse(statement)
    if not node:
        return None
    (kind, body), = node.items()
    created = "since 2025-04-21 migrations may not create tables, functions, indexes or other objects in the" \
              " auth, storage and realtime schemas"

    def owned(table: str) -> str:
        schema = table.split(".", 1)[0]
        return f"{table} belongs to {MANAGED_SCHEMAS[schema]}, and migrations run as postgres, which is not a superuser"

    if kind in _CREATE_KINDS:
        what, get = _CREATE_KINDS[kind]
        rv = get(body) or {}
        if _managed(rv.get("schemaname")):
            return f"{created} (create {what} {rv['schemaname']}.{rv.get('relname', '')})"
        return None
    if kind == "CreateFunctionStmt":
        names = _names(body.get("funcname"))
        if _managed(_schema_of_names(names)):
            return f"{created} (create function {'.'.join(names)})"
        return None
    if kind in ("CreateEnumStmt", "CreateDomainStmt", "DefineStmt"):
        names = _names(body.get("typeName") or body.get("domainname") or body.get("defnames"))
        if _managed(_schema_of_names(names)):
            return f"{created} ({'.'.join(names)})"
        return None
    if kind == "IndexStmt":
        table = _rangevar(body.get("relation"))
        if table and _managed(table.split(".")[0]):
            return f"{created} (an index on {table}); {owned(table)}"
        return None
    if kind == "AlterTableStmt":
        table = _rangevar(body.get("relation"))
        if not table or not _managed(table.split(".")[0]):
            return None
        subtypes = {c.get("AlterTableCmd", {}).get("subtype") for c in body.get("cmds") or []}
        if subtypes & {"AT_EnableRowSecurity", "AT_ForceRowSecurity", "AT_DisableRowSecurity",
                       "AT_NoForceRowSecurity"}:
            return (f"row level security on {table} is Supabase's to manage (it is already enabled);"
                    f" {owned(table)}")
        return (f"{owned(table)}: postgres may add policies and triggers to it and reference it in foreign keys,"
                " but not alter it")
    if kind == "CommentStmt":
        obj = body.get("object") or {}
        names = _names(obj.get("List", {}).get("items")) if "List" in obj else []
        if not names and "String" in obj:
            names = [obj["String"].get("sval", "")]
        if names and _managed(names[0]) and len(names) >= 2:
            what = body.get("objtype", "OBJECT_").removeprefix("OBJECT_").lower()
            if what == "trigger" and len(names) == 3:
                return (f"comments on triggers on {names[0]}.{names[1]} belong to its owner;"
                        f" {owned(names[0] + '.' + names[1])}")
            return f"comments on {what} {'.'.join(names)} belong to its owner {MANAGED_SCHEMAS[names[0]]}"
        return None
    if kind == "DropStmt":
        for target in _drop_targets(body):
            if target and _managed(target[0]) and len(target) >= 2:
                table = ".".join(target[:2])
                what = body.get("removeType", "OBJECT_").removeprefix("OBJECT_").lower()
                if what in ("trigger", "policy"):
                    return f"{what}s on {table} may only be dropped as supautils allows, and it does not for this table"
                return f"{owned(table)}: postgres may not drop it"
        return None
    if kind in ("RenameStmt", "AlterOwnerStmt", "AlterObjectSchemaStmt"):
        table = _rangevar(body.get("relation"))
        if table and _managed(table.split(".")[0]):
            return f"{owned(table)}: postgres may not rename it or change its owner or schema"
        return None
    if kind in ("InsertStmt", "UpdateStmt", "DeleteStmt"):
        table = _rangevar(body.get("relation"))
        if table and _managed(table.split(".")[0]):
            return f"postgres may not write to {table}: Supabase's services own it"
        return None
    if kind == "CreateTrigStmt":
        table = _rangevar(body.get("relation"))
        if table and _managed(table.split(".")[0]):
            return f"triggers may only be added to the tables supautils lists; {owned(table)}"
        return None
    if kind == "AlterRoleSetStmt":
        role = (body.get("role") or {}).get("rolename")
        if role in RESERVED_ROLES:
            return (f"{role} is a reserved role (supautils.reserved_roles): only a superuser may change it or its"
                    " settings")
        if role in CONFIGURABLE_RESERVED_ROLES or role == HOSTED_ROLE:
            name = (body.get("setstmt") or {}).get("name") or "all settings"
            return (f"postgres may set on {role} the settings any role may set (as PostgreSQL lets a CREATEROLE"
                    " role) and the ones supautils allows (privileged_role_allowed_configs: pgrst.*,"
                    f" session_replication_role, log_statement, ...), not {name}")
        return None
    if kind == "GrantStmt":
        for obj in body.get("objects") or []:
            table = _rangevar(obj.get("RangeVar"))
            if table and _managed(table.split(".")[0]):
                return f"postgres may not change the privileges on {table}; {owned(table)}"
        return None
    return None

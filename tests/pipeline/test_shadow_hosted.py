"""Shadow replays of hosted Supabase habits: the extensions it offers (and refuses), the roles a
project uses without creating them (supabase/roles.sql, the target's own roles), and the shadow's
major version following the target's."""

from __future__ import annotations

import shutil
import uuid
from dataclasses import replace
from pathlib import Path

import json

import pytest
from click.testing import CliRunner

from pgrelease.cli import main
from pgrelease.errors import MigrationFailed
from pgrelease.db.baseline import apply_supabase_baseline
from pgrelease.db.connect import connect
from pgrelease.db.embedded import find_binaries, local_installation
from pgrelease.db.roles import RoleSpec, create_roles, target_roles
from pgrelease.migrations.apply import PushOptions, push
from pgrelease.migrations.files import discover
from pgrelease.pipeline.drift import DriftOptions, drift
from pgrelease.pipeline.gate import GateOptions, gate
from pgrelease.commands import shadow
from pgrelease.pipeline.shadow import ShadowOptions, replayed_shadow, shadow_binaries_for_target

HOSTED = Path(__file__).resolve().parents[1] / "fixtures" / "hosted"
EMBEDDED_MAJOR = find_binaries(None).major
PG15 = local_installation(15)


@pytest.fixture(autouse=True)
def _no_pg_bin(monkeypatch):
    monkeypatch.delenv("PGRELEASE_PG_BIN", raising=False)


def project(tmp_path: Path, files: dict[str, str], roles_sql: str | None = None) -> Path:
    root = tmp_path / "p"
    (root / "supabase" / "migrations").mkdir(parents=True)
    for name, text in files.items():
        (root / "supabase" / "migrations" / name).write_text(text)
    if roles_sql is not None:
        (root / "supabase" / "roles.sql").write_text(roles_sql)
    return root


# -- item 2: extensions ---------------------------------------------------------------------------
def test_project_with_hosted_extensions_replays_and_sees_pgmq_15():
    report = shadow(HOSTED / "extensions")
    assert report.exit_code == 0, [e.to_dict() for e in report.errors]
    assert [m.status for m in report.migrations] == ["applied"] * 3


def test_timescaledb_project_replays_for_postgresql_15_and_is_refused_for_17(tmp_path):
    report = shadow(HOSTED / "timeseries")
    assert report.exit_code == 0, [e.to_dict() for e in report.errors]
    with pytest.raises(Exception) as info:
        with replayed_shadow(HOSTED / "timeseries", ShadowOptions(target_major=17)):
            pass
    err = info.value
    assert err.sqlstate == "0A000" and err.exit_code == 1
    assert err.message == "extension timescaledb is not available on Supabase (PostgreSQL 17 projects)"
    assert "only on PostgreSQL 15" in err.hint and err.line == 2 and err.file.endswith("_metrics.sql")


def test_extension_supabase_does_not_offer_fails_as_hosted_fails(tmp_path):
    root = project(tmp_path, {"20250101000000_a.sql": "create table public.a (id int);\n",
                              "20250101000001_py.sql": "-- scoring in python\n\ncreate extension plpython3u;\n"})
    res = CliRunner().invoke(main, ["shadow", "--workdir", str(root), "--format", "json"])
    assert res.exit_code == 1, res.output  # a failed migration, as on hosted Supabase; not "install it" (3)
    report = json.loads(res.stdout)
    [err] = report["errors"]
    assert err["sqlstate"] == "0A000" and err["message"] == "extension plpython3u is not available on Supabase"
    assert err["file"].endswith("20250101000001_py.sql") and err["line"] == 3
    assert "does not offer" in err["hint"] and "apt-get" not in err["hint"]
    assert report["applied"] == []  # refused before anything replayed


# -- item 4: roles ----------------------------------------------------------------------------------
def test_roles_sql_is_applied_before_the_replay():
    with replayed_shadow(HOSTED / "roles", ShadowOptions()) as run:
        assert run.ok, run.failure
        assert any("supabase/roles.sql" in n for n in run.notes)
        with connect(run.dsn) as conn:
            assert conn.execute("select has_table_privilege('reporting', 'public.daily_totals', 'select')").fetchone()[0]


def test_without_roles_sql_the_grant_fails(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(HOSTED / "roles", root)
    (root / "supabase" / "roles.sql").unlink()
    report = shadow(root)
    assert report.exit_code == 1 and report.errors[0].sqlstate == "42704"


def test_a_failing_roles_sql_names_its_line(tmp_path):
    root = project(tmp_path, {"20250101000000_a.sql": "select 1;\n"},
                   roles_sql="CREATE ROLE \"x_ok\";\nALTER ROLE \"no_such_role_here\" WITH LOGIN;\n")
    with pytest.raises(MigrationFailed) as info:
        with replayed_shadow(root, ShadowOptions()):
            pass
    err = info.value
    assert err.file == "supabase/roles.sql" and err.line == 2 and err.sqlstate == "42704"


@pytest.fixture
def target_with_role(supabase_db):
    """Staging as hosted Supabase has it, plus a role made in the dashboard (not in any migration)."""
    role = f"analyst_{uuid.uuid4().hex[:8]}"
    with connect(supabase_db) as conn:
        conn.execute(f"create role {role} nologin noinherit bypassrls connection limit 3")
        conn.execute(f"grant authenticated to {role}")
    yield supabase_db, role
    with connect(supabase_db) as conn:
        conn.execute(f"drop owned by {role}")
        conn.execute(f"drop role {role}")


def grant_project(tmp_path: Path, role: str) -> Path:
    return project(tmp_path, {"20250101000000_t.sql": "create table public.t (id int primary key);\n"
                                                      "alter table public.t enable row level security;\n"
                                                      f"grant select on public.t to {role};\n"})


def test_target_roles_reads_names_and_attributes_never_passwords(target_with_role):
    target, role = target_with_role
    with connect(target) as conn:
        specs = {s.name: s for s in target_roles(conn)}
    assert specs[role] == RoleSpec(role, inherit=False, bypassrls=True, connlimit=3, member_of=("authenticated",))
    assert not {"anon", "authenticated", "service_role", "postgres", "supabase_admin", target.user} & set(specs)
    assert all(not name.startswith("pg_") for name in specs)


def test_create_roles_makes_what_the_shadow_lacks(supabase_db, make_db):
    spec = RoleSpec(f"writer_{uuid.uuid4().hex[:8]}", login=True, member_of=("authenticated", "no_such_group"))
    try:
        with connect(supabase_db) as conn:
            assert create_roles(conn, [spec]) == [spec.name]
            assert create_roles(conn, [spec]) == []  # cluster-wide: made once
            row = conn.execute("select rolcanlogin, pg_has_role(%s, 'authenticated', 'member') from pg_roles"
                               " where rolname = %s", (spec.name, spec.name)).fetchone()
            assert row == (True, True)
    finally:
        with connect(supabase_db) as conn:
            conn.execute(f"drop role if exists {spec.name}")


def test_drift_creates_the_targets_roles_on_the_shadow(target_with_role, tmp_path):
    target, role = target_with_role
    root = grant_project(tmp_path, role)
    assert push(target, discover(root), PushOptions(lock_wait=5)).failure is None
    result = drift(root, target, DriftOptions())
    assert result.replay is not None and result.replay.ok, result.replay.failure if result.replay else None
    assert any(role in n and "no passwords" in n for n in result.notes)
    assert result.diff is not None and not result.diff.has_changes, result.diff


def test_gate_creates_the_staging_roles_on_the_shadow(target_with_role, tmp_path):
    target, role = target_with_role
    root = grant_project(tmp_path, role)
    run = gate(root, GateOptions(staging=target, push_options=PushOptions(lock_wait=10, include_all=True)))
    status = {s.name: s.status for s in run.report.steps}
    assert status["shadow"] in ("ok", "warning") and status["push"] == "ok", run.report.to_dict()
    shadow_step = next(s for s in run.report.steps if s.name == "shadow")
    assert any(role in n for n in shadow_step.notes)


# -- item 6: the shadow's major -----------------------------------------------------------------------
def test_target_major_of_the_embedded_server_changes_nothing(tmp_path):
    root = project(tmp_path, {"20250101000000_a.sql": "select 1;\n"})
    options = ShadowOptions(target_major=EMBEDDED_MAJOR)
    assert shadow_binaries_for_target(options, discover(root)) == (options, [])


def test_explicit_pg_bin_wins(tmp_path, monkeypatch):
    root = project(tmp_path, {"20250101000000_a.sql": "select 1;\n"})
    options = ShadowOptions(target_major=15, pg_bin="/somewhere/bin")
    assert shadow_binaries_for_target(options, discover(root)) == (options, [])
    monkeypatch.setenv("PGRELEASE_PG_BIN", "/elsewhere/bin")
    assert shadow_binaries_for_target(ShadowOptions(target_major=15), discover(root))[1] == []


def test_no_local_installation_of_the_targets_major_warns_once(tmp_path):
    root = project(tmp_path, {"20250101000000_a.sql": "create table public.a (id int);\n"})
    with replayed_shadow(root, ShadowOptions(target_major=16)) as run:
        assert run.ok
        warnings = [w for w in run.warnings if "the shadow runs PostgreSQL" in w]
        assert warnings == [f"the shadow runs PostgreSQL {EMBEDDED_MAJOR} and the target 16: no local PostgreSQL 16"
                            " installation was used (install it, e.g. apt-get install postgresql-16, or pass"
                            " --pg-bin /usr/lib/postgresql/16/bin, or --shadow-url with a PostgreSQL 16 server),"
                            f" so syntax only PostgreSQL {EMBEDDED_MAJOR} accepts passes the shadow"]


@pytest.mark.skipif(PG15 is None, reason="no local PostgreSQL 15 installation")
def test_a_local_installation_of_the_targets_major_is_the_default(tmp_path):
    root = project(tmp_path, {"20250101000000_a.sql": "create extension if not exists pg_trgm with schema extensions;\n"
                                                      "create table public.a (id int);\n"})
    with replayed_shadow(root, ShadowOptions(target_major=15)) as run:
        assert run.ok and run.server_version.startswith("15") and "PostgreSQL 15" in run.label
        assert not [w for w in run.warnings if "the shadow runs PostgreSQL" in w]


@pytest.mark.skipif(PG15 is None, reason="no local PostgreSQL 15 installation")
def test_local_installation_lacking_an_extension_keeps_the_embedded_server(tmp_path):
    # pgvector: the embedded 18 has it, Debian's PostgreSQL 15 does not (and no stand-in can be)
    root = project(tmp_path, {"20250101000000_a.sql": "create extension if not exists vector with schema extensions;\n"})
    with replayed_shadow(root, ShadowOptions(target_major=15)) as run:
        assert run.ok and run.server_version.startswith(str(EMBEDDED_MAJOR))
        [warning] = [w for w in run.warnings if "the shadow runs PostgreSQL" in w]
        assert warning.startswith(f"the local PostgreSQL 15 ({PG15}) lacks vector")


@pytest.mark.skipif(PG15 is None, reason="no local PostgreSQL 15 installation")
def test_a_local_installation_of_the_targets_major_gets_the_standins(tmp_path):
    root = project(tmp_path, {"20250101000000_a.sql": "create extension if not exists pg_net with schema extensions;\n"
                                                      "create extension if not exists pg_cron with schema extensions;\n"
                                                      "select cron.schedule('x', '* * * * *', 'select 1');\n"})
    with replayed_shadow(root, ShadowOptions(target_major=15)) as run:
        assert run.ok and run.server_version.startswith("15"), run.failure
        assert not [w for w in run.warnings if "the shadow runs PostgreSQL" in w]


@pytest.mark.skipif(PG15 is None, reason="no local PostgreSQL 15 installation")
def test_drift_against_a_postgresql_15_target_replays_on_15(tmp_path):
    from pgrelease.db.embedded import EmbeddedServer

    root = project(tmp_path, {"20250101000000_a.sql": "create table public.a (id int primary key);\n"})
    with EmbeddedServer(bin_dir=str(PG15)) as server:
        with connect(server.dsn) as conn:
            apply_supabase_baseline(conn)
        assert push(server.dsn, discover(root), PushOptions(lock_wait=5)).failure is None
        result = drift(root, server.dsn, DriftOptions())
    assert result.replay.server_version.startswith("15") and not result.drifted
    assert not any("the shadow runs PostgreSQL" in n for n in result.notes + result.warnings)


# -- item 3: hosted Supabase's permissions ------------------------------------------------------------
# One embedded server for this section, bootstrapped as hosted projects are (supabase_admin the
# superuser, postgres not): each case replays on a database of its own there (--shadow-url), so that
# every rule is proven on its own without a server per case.
@pytest.fixture(scope="module")
def hosted_server():
    import os

    from pgrelease.db.embedded import EmbeddedServer
    from pgrelease.db.hosted import make_hosted_cluster

    server = EmbeddedServer(bin_dir=os.environ.get("PGRELEASE_TEST_PG_BIN") or None)
    dsn = server.start()
    try:
        yield make_hosted_cluster(dsn)
    finally:
        server.stop()


@pytest.fixture
def hosted_db(hosted_server):
    name = f"h_{uuid.uuid4().hex[:12]}"
    with connect(hosted_server) as conn:
        conn.execute(f'create database "{name}"')
    yield hosted_server.with_dbname(name)
    with connect(hosted_server) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')


SIGNUP = ("create table public.profiles (id uuid primary key references auth.users (id) on delete cascade, name text);\n"
          "create function public.handle_new_user() returns trigger language plpgsql security definer"
          " set search_path = '' as $$\nbegin\n  insert into public.profiles (id) values (new.id);\n  return new;\n"
          "end\n$$;\n")

ALLOWED = {
    "policy on auth.users": "create policy \"own row\" on auth.users for select to authenticated using (id = auth.uid());\n"
                            "alter policy \"own row\" on auth.users rename to \"own user row\";\n"
                            "drop policy \"own user row\" on auth.users;\n",
    "policy on auth.identities": "create policy p on auth.identities for select using (user_id = auth.uid());\n",
    "policy on auth.sessions": "create policy p on auth.sessions for select using (user_id = auth.uid());\n",
    "policy on auth.refresh_tokens": "create policy p on auth.refresh_tokens for select using (false);\n",
    "policy on auth.audit_log_entries": "create policy p on auth.audit_log_entries for select using (false);\n",
    "policy on storage.objects": "create policy \"own folder\" on storage.objects for insert to authenticated\n"
                                 "  with check (bucket_id = 'avatars' and (storage.foldername(name))[1] = auth.uid()::text);\n"
                                 "drop policy if exists \"own folder\" on storage.objects;\n",
    # hivecom: the S3 protocol's upload tables (supautils' policy_grants lists them)
    "policy on storage.s3_multipart_uploads": "create policy \"own uploads\" on storage.s3_multipart_uploads for select\n"
                                              "  to authenticated using (owner_id = auth.uid()::text);\n"
                                              "create policy \"own parts\" on storage.s3_multipart_uploads_parts\n"
                                              "  for select to authenticated using (owner_id = auth.uid()::text);\n"
                                              "grant select on storage.s3_multipart_uploads to authenticated;\n",
    "policy on storage.buckets": "create policy \"public buckets\" on storage.buckets for select using (public);\n",
    "policy on realtime.messages": "create policy \"room members\" on realtime.messages for select to authenticated\n"
                                   "  using (realtime.topic() like 'room:%');\n",
    "trigger on auth.users": SIGNUP + "create trigger on_auth_user_created after insert on auth.users\n"
                                      "  for each row execute function public.handle_new_user();\n"
                                      "drop trigger on_auth_user_created on auth.users;\n",
    "foreign key to auth.users": "create table public.notes (id bigint generated always as identity primary key,\n"
                                 "  owner uuid not null references auth.users (id) on delete cascade);\n",
    "create extension": "create extension if not exists pg_trgm with schema extensions;\n"
                        "create table public.docs (body text);\n"
                        "create index docs_body_trgm on public.docs using gin (body extensions.gin_trgm_ops);\n",
    "grant on storage.objects": "grant select on storage.objects to authenticated;\n",
    "publication": "create table public.rooms (id int primary key);\n"
                   "alter publication supabase_realtime add table public.rooms;\n",
    "api role settings": "alter role authenticated set statement_timeout = '10s';\n"
                         "alter role anon set statement_timeout = '5s';\n",
    "schemas and default privileges": "create schema private;\n"
                                      "alter default privileges in schema private grant select on tables to service_role;\n"
                                      "create table private.secrets (id int);\n",
    "session_replication_role": "set session_replication_role = replica;\nset session_replication_role = origin;\n",
    # hivecom: idempotent policies in a DO block (supautils sees the statements a PL/pgSQL body runs)
    "policy on storage.objects in a DO block":
        "do $$\nbegin\n  if not exists (select 1 from pg_policies where schemaname = 'storage'\n"
        "      and tablename = 'objects' and policyname = 'own avatar') then\n"
        "    create policy \"own avatar\" on storage.objects for all to authenticated\n"
        "      using (bucket_id = 'avatars' and (select auth.uid())::text = (storage.foldername(name))[1]);\n"
        "  end if;\n  drop policy if exists \"old avatar\" on storage.objects;\nend\n$$;\n",
    # Supabase's docs (PostgREST aggregate functions): supautils' pgrst.* on the reserved role authenticator*
    "pgrst settings of authenticator": "ALTER ROLE authenticator SET pgrst.db_aggregates_enabled = 'true';\n"
                                       "NOTIFY pgrst, 'reload config';\n"
                                       "alter role anon set pgrst.db_max_rows = '500';\n",
}


@pytest.mark.parametrize("case", sorted(ALLOWED))
def test_what_hosted_supabase_allows_postgres_replays(case, hosted_db, tmp_path):
    root = project(tmp_path, {"20250101000000_case.sql": ALLOWED[case]})
    with replayed_shadow(root, ShadowOptions(shadow_url=hosted_db)) as run:
        assert run.ok, run.failure.to_dict() if run.failure else None
        assert run.hosted and run.notes[0].startswith("replayed as role postgres with hosted Supabase's permissions")


REFUSED = {  # statement -> (what the message says after "hosted Supabase refuses this: ")
    "alter table auth.users add column nickname text":
        "auth.users belongs to supabase_auth_admin, and migrations run as postgres, which is not a superuser:"
        " postgres may add policies and triggers to it and reference it in foreign keys, but not alter it",
    "alter table storage.objects enable row level security":
        "row level security on storage.objects is Supabase's to manage (it is already enabled); storage.objects"
        " belongs to supabase_storage_admin, and migrations run as postgres, which is not a superuser",
    "create table auth.user_flags (user_id uuid primary key)":
        "since 2025-04-21 migrations may not create tables, functions, indexes or other objects in the auth,"
        " storage and realtime schemas (create table auth.user_flags)",
    "create function auth.is_admin() returns boolean language sql as $$ select false $$":
        "since 2025-04-21 migrations may not create tables, functions, indexes or other objects in the auth,"
        " storage and realtime schemas (create function auth.is_admin)",
    "create function storage.owner_of(name text) returns uuid language sql as $$ select null::uuid $$":
        "since 2025-04-21 migrations may not create tables, functions, indexes or other objects in the auth,"
        " storage and realtime schemas (create function storage.owner_of)",
    "create function realtime.room() returns text language sql as $$ select 'lobby' $$":
        "since 2025-04-21 migrations may not create tables, functions, indexes or other objects in the auth,"
        " storage and realtime schemas (create function realtime.room)",
    "create index users_nickname_idx on auth.users (email)":
        "since 2025-04-21 migrations may not create tables, functions, indexes or other objects in the auth,"
        " storage and realtime schemas (an index on auth.users); auth.users belongs to supabase_auth_admin, and"
        " migrations run as postgres, which is not a superuser",
    "comment on table auth.users is 'our users'":
        "comments on table auth.users belong to its owner supabase_auth_admin",
    "drop table storage.migrations":
        "storage.migrations belongs to supabase_storage_admin, and migrations run as postgres, which is not a"
        " superuser: postgres may not drop it",
    "insert into auth.schema_migrations (version) values ('99999999')":
        "postgres may not write to auth.schema_migrations: Supabase's services own it",
    "alter role supabase_auth_admin set search_path = auth, public":
        "supabase_auth_admin is a reserved role (supautils.reserved_roles): only a superuser may change it or its"
        " settings",
    "alter role anon set session_preload_libraries = 'auto_explain'":
        "postgres may set on anon the settings any role may set (as PostgreSQL lets a CREATEROLE role) and the ones"
        " supautils allows (privileged_role_allowed_configs: pgrst.*, session_replication_role, log_statement, ...),"
        " not session_preload_libraries",
}


@pytest.mark.parametrize("statement", sorted(REFUSED))
def test_what_hosted_supabase_refuses_fails_with_its_sqlstate_and_why(statement, hosted_db, tmp_path):
    root = project(tmp_path, {"20250101000000_ok.sql": "create table public.a (id int);\n",
                              "20250101000001_case.sql": f"-- as written by a user\n{statement};\n"})
    with replayed_shadow(root, ShadowOptions(shadow_url=hosted_db)) as run:
        err = run.failure
        assert err is not None and err.sqlstate == "42501" and err.exit_code == 1
        assert err.message.startswith("hosted Supabase refuses this: " + REFUSED[statement] + "; the server said: ")
        assert err.file.endswith("20250101000001_case.sql") and err.line == 2
        assert "--superuser" in err.hint
        assert [e.status for e in run.push.entries] == ["applied", "failed"]


def test_pgrst_setting_lands_on_authenticator(hosted_db, tmp_path):
    root = project(tmp_path, {"20250101000000_aggregates.sql": ALLOWED["pgrst settings of authenticator"]})
    with replayed_shadow(root, ShadowOptions(shadow_url=hosted_db)) as run:
        assert run.ok, run.failure.to_dict() if run.failure else None
        assert any("line 1: alter role authenticator set pgrst.db_aggregates_enabled" in n for n in run.notes)
        with connect(run.dsn) as conn:
            settings = conn.execute("select array_to_string(setconfig, ',') from pg_db_role_setting"
                                    " where setrole = 'authenticator'::regrole and setdatabase = 0").fetchone()[0]
            assert "pgrst.db_aggregates_enabled=true" in settings


def test_reserved_role_refusal_names_the_later_line(hosted_db, tmp_path):
    root = project(tmp_path, {"20250101000000_a.sql": "create table public.a (id int);\n"
                                                      "alter role supabase_storage_admin\n  set log_statement = 'all';\n"
                                                      "create table public.b (id int);\n"})
    with replayed_shadow(root, ShadowOptions(shadow_url=hosted_db)) as run:
        err = run.failure
        assert err is not None and err.sqlstate == "42501" and err.line == 2
        assert err.message.endswith('the server said: "supabase_storage_admin" is a reserved role, only superusers'
                                    ' can modify it (migration 20250101000000_a.sql was rolled back: nothing from it'
                                    ' was applied or recorded)')


def test_comment_on_a_trigger_on_auth_users_is_refused(hosted_db, tmp_path):
    root = project(tmp_path, {"20250101000000_t.sql": ALLOWED["trigger on auth.users"].rsplit("drop trigger", 1)[0]
                              + "comment on trigger on_auth_user_created on auth.users is 'makes the profile';\n"})
    with replayed_shadow(root, ShadowOptions(shadow_url=hosted_db)) as run:
        err = run.failure
        assert err is not None and err.sqlstate == "42501"
        assert err.message.startswith("hosted Supabase refuses this: comments on triggers on auth.users belong to its"
                                      " owner; auth.users belongs to supabase_auth_admin")
        assert err.line == 10


def test_superuser_flag_replays_as_before(tmp_path):
    root = project(tmp_path, {"20250101000000_a.sql": "alter table auth.users add column nickname text;\n"
                                                      "comment on table auth.users is 'ours';\n"})
    assert shadow(root).exit_code == 1
    res = CliRunner().invoke(main, ["shadow", "--workdir", str(root), "--superuser", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert not any("hosted Supabase's permissions" in n for n in json.loads(res.stdout).get("notes", []))


def test_hosted_replay_runs_as_postgres_and_leaves_objects_owned_by_it(tmp_path):
    root = project(tmp_path, {"20250101000000_who.sql":
                              "do $$ begin\n"
                              "  if session_user <> 'postgres' or current_user <> 'postgres'"
                              " or current_setting('is_superuser') <> 'off' then\n"
                              "    raise exception 'replayed as % / %', session_user, current_user;\n"
                              "  end if;\nend $$;\n"
                              "create table public.t (id int);\n"
                              "create extension if not exists pg_trgm with schema extensions;\n"})
    with replayed_shadow(root, ShadowOptions()) as run:
        assert run.ok, run.failure.to_dict() if run.failure else None
        with connect(run.dsn) as conn:
            assert run.dsn.user == "supabase_admin"
            attrs = conn.execute("select rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls"
                                 " from pg_roles where rolname = 'postgres'").fetchone()
            assert attrs == (False, True, True, True, True)
            owners = dict(conn.execute(
                "select c.relnamespace::regnamespace || '.' || c.relname, c.relowner::regrole::text from pg_class c"
                " where c.oid in ('public.t'::regclass, 'auth.users'::regclass, 'storage.objects'::regclass,"
                " 'supabase_migrations.schema_migrations'::regclass)").fetchall())
            assert owners == {"public.t": "postgres", "auth.users": "supabase_auth_admin",
                              "storage.objects": "supabase_storage_admin",
                              "supabase_migrations.schema_migrations": "postgres"}
            # an offered extension is created by supabase_admin, as supautils does on hosted projects
            assert conn.execute("select extowner::regrole::text from pg_extension where extname = 'pg_trgm'"
                                ).fetchone() == ("supabase_admin",)


def test_shadow_url_whose_user_is_the_superuser_postgres_warns_and_replays_as_superuser(fresh_db, tmp_path):
    root = project(tmp_path, {"20250101000000_a.sql": "alter table auth.users add column nickname text;\n"})
    with replayed_shadow(root, ShadowOptions(shadow_url=fresh_db)) as run:
        assert run.ok and not run.hosted
        assert any(w.startswith("replayed as a superuser, not with hosted Supabase's permissions: role postgres is a"
                                " superuser on the shadow server") for w in run.warnings), run.warnings


# -- item 5: --baseline auto|supabase|none --------------------------------------------------------------
PLAIN = {"20250101000000_orders.sql": "create table public.orders (id bigint primary key, total numeric);\n"
                                      "alter table public.orders enable row level security;\n"
                                      "create index orders_total on public.orders (total);\n"}


def test_drift_against_plain_postgresql_does_not_report_the_supabase_baseline(fresh_db, tmp_path):
    root = project(tmp_path, PLAIN)
    assert push(fresh_db, discover(root), PushOptions(lock_wait=5)).failure is None
    res = CliRunner().invoke(main, ["drift", "--workdir", str(root), "--db-url", fresh_db.url(reveal=True),
                                    "--format", "json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["diff"]["changes"] == []
    [note] = [n for n in report.get("notes", []) if n.startswith("baseline: ")]
    # the roles are cluster-wide: whether this test server has Supabase's depends on earlier tests
    assert note.startswith("baseline: none, plain PostgreSQL (--baseline auto: the target does not look like"
                           " Supabase: no auth schema")
    assert note.endswith("); --baseline supabase loads it anyway")


def test_baseline_supabase_against_plain_postgresql_shows_what_auto_avoids(fresh_db, tmp_path):
    root = project(tmp_path, PLAIN)
    assert push(fresh_db, discover(root), PushOptions(lock_wait=5)).failure is None
    result = drift(root, fresh_db, DriftOptions(baseline_auto=False))  # --baseline supabase
    assert result.drifted
    kinds = {c.key[0] for c in result.diff.changes}
    assert {"privilege", "publication"} <= kinds, kinds  # the baseline's grants to the API roles, supabase_realtime


def test_drift_against_a_supabase_target_says_it_chose_the_baseline(supabase_db, tmp_path):
    root = project(tmp_path, PLAIN)
    assert push(supabase_db, discover(root), PushOptions(lock_wait=5)).failure is None
    result = drift(root, supabase_db, DriftOptions())
    assert result.replay.ok and not result.drifted, result.diff
    assert ("baseline: supabase (--baseline auto: the target looks like Supabase: it has the auth schema and"
            " Supabase's roles)") in result.notes


def test_shadow_without_a_target_loads_the_supabase_baseline_by_default(tmp_path):
    root = project(tmp_path, {"20250101000000_p.sql": "create table public.p (id uuid primary key"
                                                      " references auth.users (id));\n"})
    assert CliRunner().invoke(main, ["shadow", "--workdir", str(root), "--format", "json"]).exit_code == 0
    res = CliRunner().invoke(main, ["shadow", "--workdir", str(root), "--baseline", "none", "--format", "json"])
    assert res.exit_code == 1 and json.loads(res.stdout)["errors"][0]["sqlstate"] == "3F000"  # no schema auth


def test_no_baseline_and_baseline_supabase_together_are_a_usage_error(tmp_path):
    root = project(tmp_path, PLAIN)
    res = CliRunner().invoke(main, ["shadow", "--workdir", str(root), "--no-baseline", "--baseline", "supabase"])
    assert res.exit_code == 2
    assert "--no-baseline contradicts --baseline supabase" in res.output and "Traceback" not in res.output


def test_gate_against_plain_postgresql_staging_replays_without_the_baseline_and_finds_no_drift(fresh_db, tmp_path):
    root = project(tmp_path, PLAIN)
    options = GateOptions(staging=fresh_db, push_options=PushOptions(lock_wait=10, include_all=True),
                          shadow=ShadowOptions(baseline_auto=True), drift=DriftOptions())
    run = gate(root, options)
    steps = {s.name: s for s in run.report.steps}
    assert steps["push"].status == "ok" and steps["drift"].status == "ok", run.report.to_dict()
    assert any(n.startswith("baseline: none, plain PostgreSQL") for n in steps["shadow"].notes), steps["shadow"].notes


# -- a syntax error names its file and line (network-flow: `create policy if not exists`) -----------
NETWORK_FLOW = {
    "20240101000000_flows.sql": "create table public.flows (id int primary key);\n",
    "20240101000001_policies.sql": "alter table public.flows enable row level security;\n\n"
                                   "-- not PostgreSQL: CREATE POLICY has no IF NOT EXISTS\n"
                                   "create policy if not exists \"read flows\"\n  on public.flows\n"
                                   "  for select using (true);\n"}


def test_a_syntax_error_stops_the_shadow_before_anything_runs(hosted_db, tmp_path):
    root = project(tmp_path, NETWORK_FLOW)
    with pytest.raises(MigrationFailed) as caught:
        with replayed_shadow(root, ShadowOptions(shadow_url=hosted_db)):
            pass
    err = caught.value
    assert err.sqlstate == "42601" and err.exit_code == 1
    assert err.file.endswith("20240101000001_policies.sql") and err.line == 4
    assert err.message.startswith('syntax error at or near "not" (found before the replay ran anything')
    with connect(hosted_db) as conn:  # not even the first file ran
        assert conn.execute("select to_regclass('public.flows')").fetchone() == (None,)


def test_a_syntax_error_the_server_finds_names_the_file_and_line(hosted_db, tmp_path):
    """push (which does not pre-parse): the server refuses the whole batch, BEGIN included, and
    the error's position names the statement."""
    root = project(tmp_path, NETWORK_FLOW)
    result = push(hosted_db, discover(root), PushOptions())
    err = result.failure
    assert err is not None and err.sqlstate == "42601"
    assert err.file.endswith("20240101000001_policies.sql") and err.line == 4
    assert "writing its history row" not in err.message
    assert [e.status for e in result.entries] == ["applied", "failed"]


# -- supabase_functions (open-bsp-api): new hosted projects have it only once webhooks are enabled ----
def test_a_project_that_creates_supabase_functions_replays_as_on_a_new_project(hosted_db, tmp_path):
    root = project(tmp_path, {"20250821123357_webhooks.sql":
                              "create schema supabase_functions;\n"
                              "grant usage on schema supabase_functions to postgres, anon, authenticated, service_role;\n"
                              "create table supabase_functions.hooks (id bigserial primary key, hook_table_id integer"
                              " not null,\n  hook_name text not null, created_at timestamptz not null default now(),"
                              " request_id bigint);\n"})
    with replayed_shadow(root, ShadowOptions(shadow_url=hosted_db)) as run:
        assert run.ok, run.failure.to_dict() if run.failure else None
        assert any(n.startswith("started without schema supabase_functions") for n in run.notes)
        with connect(run.dsn) as conn:
            assert conn.execute("select nspowner::regrole::text from pg_namespace where nspname = 'supabase_functions'"
                                ).fetchone() == ("postgres",)


def test_a_project_with_webhooks_enabled_keeps_supabase_functions(hosted_db, tmp_path):
    root = project(tmp_path, {"20250101000000_hook.sql":
                              "create table public.orders (id bigint primary key);\n"
                              "create schema if not exists supabase_functions;\n"
                              "create trigger order_created after insert on public.orders for each row\n"
                              "  execute function supabase_functions.http_request('https://example.com/hook', 'POST',"
                              " '{\"Content-Type\":\"application/json\"}', '{}', '5000');\n"})
    with replayed_shadow(root, ShadowOptions(shadow_url=hosted_db)) as run:
        assert run.ok, run.failure.to_dict() if run.failure else None
        assert not any("supabase_functions" in n for n in run.notes)


def test_first_syntax_error_names_the_line_of_the_error_inside_a_statement(tmp_path):
    from pgrelease.migrations.parse import parse_migrations
    from pgrelease.migrations.syntax import first_syntax_error

    root = project(tmp_path, {
        "20240101000000_ok.sql": "create table public.t (id int);\ncopy public.t (id) from stdin;\n1\n2\n\\.\n",
        "20240101000001_bad.sql": "select 1;\ncreate table public.u (\n  id int,\n  name text,,\n  x int\n);\n",
        "20240101000002_worse.sql": "create table public.v (\n"})
    err = first_syntax_error(parse_migrations(discover(root).files))
    assert err is not None and err.file.endswith("20240101000001_bad.sql") and err.line == 4
    assert err.message.startswith('syntax error at or near ","')
    assert first_syntax_error(parse_migrations(discover(root).files[:1])) is None  # COPY data is not SQL


def test_a_do_block_runs_its_other_statements_as_postgres(hosted_db, tmp_path):
    sql = ("do $$\nbegin\n  create policy p on storage.objects for select using (true);\n"
           "  alter table auth.users add column nickname text;\nend\n$$;\n")
    root = project(tmp_path, {"20250101000000_case.sql": sql})
    with replayed_shadow(root, ShadowOptions(shadow_url=hosted_db)) as run:
        assert run.failure is not None and run.failure.sqlstate == "42501"
        assert "must be owner of table users" in run.failure.message


def test_dynamic_sql_in_a_do_block_is_said_to_be_unseen(hosted_db, tmp_path):
    sql = ("create policy p on storage.objects for select using (true);\n"
           "do $$\nbegin\n  execute format('drop policy %I on storage.objects', 'p');\nend\n$$;\n")
    root = project(tmp_path, {"20250101000000_case.sql": sql})
    with replayed_shadow(root, ShadowOptions(shadow_url=hosted_db)) as run:
        failure = run.failure
        assert failure is not None and failure.sqlstate == "42501" and failure.line == 2
        assert failure.message.startswith("the hosted shadow ran SQL built by EXECUTE in a DO block as postgres")
        assert "replay with --superuser" in failure.hint

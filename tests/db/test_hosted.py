"""Which statements hosted Supabase's supautils lets postgres do, found in the parse tree
(db/hosted.py), and how the shadow splices them into a file without moving any line."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("statement, why", [
    ("create policy p on storage.objects for select using (true)", "policy on storage.objects"),
    ("CREATE POLICY \"x\" ON \"auth\".\"users\" USING (true)", "policy on auth.users"),
    ("alter policy p on realtime.messages using (false)", "policy on realtime.messages"),
    ("alter policy p on storage.buckets rename to q", "policy on storage.buckets"),
    ("drop policy if exists p on auth.identities", "drop policy on auth.identities"),
    ("drop trigger if exists on_auth_user_created on auth.users", "drop trigger on auth.users"),
    ("create extension if not exists pg_net with schema extensions", "create extension pg_net"),
    ("drop extension pg_cron", "drop extension"),
    ("alter extension pgmq update", "alter extension pgmq"),
    ("create event trigger ensure_rls on ddl_command_end execute function public.f()", "event trigger"),
    ("create foreign data wrapper stripe_wrapper handler stripe_fdw_handler", "foreign data wrapper"),
    ("set session_replication_role = replica", "set session_replication_role"),
    ("create publication everything for all tables", "publication for all tables"),
    # Supabase's docs: GraphQL-style aggregates in PostgREST (supautils: pgrst.*, and authenticator*)
    ("ALTER ROLE authenticator SET pgrst.db_aggregates_enabled = 'true'",
     "alter role authenticator set pgrst.db_aggregates_enabled"),
    ("alter role anon set pgrst.db_max_rows = '1000'", "alter role anon set pgrst.db_max_rows"),
    ("alter role service_role set log_statement = 'all'", "alter role service_role set log_statement"),
    ("alter role authenticated set auto_explain.log_min_duration = '1s'",
     "alter role authenticated set auto_explain.log_min_duration"),
    ("set pgaudit.log = 'ddl'", "set pgaudit.log"),
])
def test_statements_supautils_allows_run_as_the_superuser(statement, why):
    from pgrelease.db.hosted import route

    path = route(statement)
    assert path is not None and path.why == why


@pytest.mark.parametrize("statement", [
    "create policy p on public.profiles using (true)",  # the project's own table: postgres owns it
    "create policy p on auth.schema_migrations using (true)",  # not in supautils' list
    "create trigger t after insert on auth.users for each row execute function public.f()",  # TRIGGER privilege
    "alter table auth.users add column x int",
    "comment on trigger t on auth.users is 'x'",
    "create table public.t (owner uuid references auth.users (id))",
    "drop trigger t on public.profiles",
    "set search_path = public",
    "create publication some for table public.a",  # postgres may: CREATE on the database
    "alter role authenticated set statement_timeout = '10s'",  # any role may set it: postgres's own right
    "alter role authenticator set session_preload_libraries = 'auto_explain'",  # not allowed: PostgreSQL refuses
    "alter role current_user set pgrst.db_schemas = 'public'",  # not a role name supautils would look up
    "not sql at all",
])
def test_everything_else_runs_as_postgres(statement):
    from pgrelease.db.hosted import route

    assert route(statement) is None


def test_wrapped_statement_stays_on_its_lines():
    from pgrelease.db.hosted import hosted_text
    from pgrelease.migrations.split import split_sql

    text = "create table public.a (id int);\n\ncreate policy p\n  on storage.objects\n  using (true);\nselect 1;\n"
    new, routed = hosted_text(text, split_sql(text))
    assert routed == ["line 3: policy on storage.objects"]
    assert new.splitlines()[2].startswith("SET SESSION AUTHORIZATION DEFAULT; create policy p")
    assert new.splitlines()[4] == "  using (true); SET SESSION AUTHORIZATION postgres;"
    assert new.count("\n") == text.count("\n")


@pytest.mark.parametrize("role", ["supabase_auth_admin", "supabase_storage_admin", "supabase_admin", "pgbouncer",
                                  "dashboard_user"])
def test_settings_of_reserved_roles_are_refused_as_supautils_refuses_them(role):
    from pgrelease.db.hosted import explain_refusal, route, wrap

    statement = f"alter role {role}\n  set search_path = auth, public"
    path = route(statement)
    assert path is not None and path.refuse == f'"{role}" is a reserved role, only superusers can modify it'
    sent = wrap(statement, path)
    assert "RAISE EXCEPTION" in sent and "ERRCODE = '42501'" in sent and role not in sent.split("MESSAGE")[0]
    assert sent.count("\n") == statement.count("\n")  # the next statement keeps its line
    assert explain_refusal(statement).startswith(f"{role} is a reserved role (supautils.reserved_roles)")


def test_allowed_configs_match_as_supautils_matches():
    from pgrelease.db.hosted import privileged_config

    assert privileged_config("pgrst.db_aggregates_enabled") and privileged_config("pg_stat_statements.track")
    assert privileged_config("session_replication_role")
    assert not privileged_config("session_preload_libraries") and not privileged_config("pgrst")
    assert not privileged_config(None)

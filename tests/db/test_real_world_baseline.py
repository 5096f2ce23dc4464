"""What real projects' migrations and hosted databases showed the baseline must have.

- Default privileges: every `supabase db dump` of a hosted project ends with
  ``ALTER DEFAULT PRIVILEGES FOR ROLE "postgres" IN SCHEMA "public" GRANT ALL ON TABLES TO
  "postgres"`` (and anon, authenticated, service_role), for tables, sequences and functions;
  the supabase/postgres init script grants the same for supabase_admin. Without postgres as a
  grantee, drift against any hosted project reports those entries as made by hand.
- GoTrue's MFA, one-time-token, flow-state and SSO tables: migrations read auth.mfa_factors in
  RLS helpers written in SQL (checked when created) and clean up auth.one_time_tokens.
- pgmq (Supabase Queues), enabled the way the dashboard does it.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from pgrelease.db.baseline import STANDIN_EXTENSIONS, apply_supabase_baseline, referenced_extensions
from pgrelease.db.connect import connect


@pytest.fixture
def sb(fresh_db) -> Iterator[psycopg.Connection]:
    with connect(fresh_db) as conn:
        apply_supabase_baseline(conn)
    with connect(fresh_db) as conn:
        yield conn


def _one(conn, sql, params=None):
    row = conn.execute(sql, params).fetchone()
    return row[0] if row else None


API_GRANTEES = {"postgres", "anon", "authenticated", "service_role"}


@pytest.mark.parametrize("creator", ["postgres", "supabase_admin"])
@pytest.mark.parametrize("objtype", ["r", "S", "f"])
def test_default_privileges_in_public_match_hosted_projects(sb, creator, objtype):
    grantees = {r[0] for r in sb.execute(
        """select coalesce(nullif(a.grantee, 0)::regrole::text, 'PUBLIC')
             from pg_default_acl d cross join lateral aclexplode(d.defaclacl) a
            where d.defaclrole = %s::regrole and d.defaclnamespace = 'public'::regnamespace
              and d.defaclobjtype = %s""", (creator, objtype)).fetchall()}
    assert grantees == API_GRANTEES


def test_table_created_by_the_dashboard_is_granted_to_postgres(sb):
    sb.execute("set role supabase_admin")
    sb.execute("create table public.from_dashboard (id int)")
    sb.execute("reset role")
    for role in API_GRANTEES:
        assert _one(sb, "select has_table_privilege(%s, 'public.from_dashboard', 'select, insert, update, delete')",
                    (role,)), role


AUTH_TABLES = ("mfa_factors", "mfa_challenges", "mfa_amr_claims", "one_time_tokens", "flow_state",
               "sso_providers", "sso_domains", "saml_providers", "saml_relay_states")


def test_auth_mfa_token_and_sso_tables(sb):
    for table in AUTH_TABLES:
        owner, rls = sb.execute("select relowner::regrole::text, relrowsecurity from pg_class where oid = %s::regclass",
                                (f"auth.{table}",)).fetchone()
        assert (owner, rls) == ("supabase_auth_admin", True), table
        assert _one(sb, "select has_table_privilege('postgres', %s, 'select')", (f"auth.{table}",)), table
    assert _one(sb, "select enum_range(null::auth.factor_type)::text") == "{totp,webauthn,phone}"
    assert _one(sb, "select enum_range(null::auth.factor_status)::text") == "{unverified,verified}"
    columns = {r[0] for r in sb.execute("select attname from pg_attribute where attrelid = 'auth.sessions'::regclass "
                                        "and attnum > 0").fetchall()}
    assert {"aal", "factor_id", "not_after", "oauth_client_id"} <= columns


def test_migrations_reading_auth_mfa_tables_replay(sb):
    sb.execute("""
      create function public.mfa_satisfied() returns boolean language sql stable security definer
      set search_path = '' as $$
        select coalesce(auth.jwt() ->> 'aal', 'aal1') = 'aal2'
            or not exists (select 1 from auth.mfa_factors f where f.user_id = auth.uid() and f.status = 'verified')
      $$""")
    sb.execute("""
      create function public.purge_orphan_tokens() returns bigint language sql security definer
      set search_path = '' as $$
        with gone as (delete from auth.one_time_tokens t
                       where not exists (select 1 from auth.users u where u.id = t.user_id) returning 1)
        select count(*) from gone
      $$""")
    user_id = _one(sb, "insert into auth.users (id, email) values (gen_random_uuid(), 'a@example.com') returning id")
    sb.execute("""insert into auth.mfa_factors (id, user_id, factor_type, status, created_at, updated_at)
                  values (gen_random_uuid(), %s, 'totp', 'verified', now(), now())""", (user_id,))
    sb.execute("select set_config('request.jwt.claims', %s, false)",
               (f'{{"sub": "{user_id}", "aal": "aal1"}}',))
    assert _one(sb, "select public.mfa_satisfied()") is False
    assert _one(sb, "select public.purge_orphan_tokens()") == 0


def test_queue_usage_is_recognised_as_pgmq():
    assert "pgmq" in STANDIN_EXTENSIONS
    assert referenced_extensions("select pgmq.create('jobs'); select * from pgmq.read('jobs', 30, 5);") == ["pgmq"]
    assert referenced_extensions('alter table "pgmq"."q_jobs" enable row level security;') == ["pgmq"]
    assert referenced_extensions("select pgmq_public.send('jobs', '{}');") == []


def test_pgmq_standin_enabled_like_the_dashboard(sb):
    if not _one(sb, "select count(*) from pg_available_extensions where name = 'pgmq'"):
        pytest.skip("this server has no pgmq (the stand-in loads on PostgreSQL 18+)")
    sb.execute('create schema if not exists "pgmq"')
    sb.execute("""create extension if not exists "pgmq" with schema "pgmq" version '1.4.4'""")
    sb.execute('grant select on table "pgmq"."meta" to "pg_monitor"; grant insert on table "pgmq"."meta" to service_role')
    sb.execute("select pgmq.create('emails')")
    sb.execute("alter table pgmq.q_emails enable row level security")
    assert _one(sb, "select queue_name from pgmq.list_queues()") == "emails"

    ids = [r[0] for r in sb.execute("""select * from pgmq.send('emails', '{"to": "a"}')""").fetchall()]
    ids += [r[0] for r in sb.execute(
        """select * from pgmq.send_batch('emails', array['{"to": "b"}', '{"to": "c"}']::jsonb[])""").fetchall()]
    assert ids == [1, 2, 3]
    delayed = _one(sb, """select * from pgmq.send('emails', '{"to": "later"}', 3600)""")
    read = sb.execute("select msg_id, read_ct, message ->> 'to' from pgmq.read('emails', 30, 2)").fetchall()
    assert read == [(1, 1, "a"), (2, 1, "b")]
    assert sb.execute("select msg_id from pgmq.read('emails', 30, 10)").fetchall() == [(3,)]  # 1, 2 invisible
    assert sb.execute("select msg_id from pgmq.pop('emails')").fetchall() == []  # nothing visible now
    assert _one(sb, "select pgmq.archive('emails', 1::bigint)") is True
    assert _one(sb, "select pgmq.delete('emails', 2::bigint)") is True
    assert _one(sb, "select pgmq.delete('emails', 2::bigint)") is False
    assert _one(sb, "select count(*) from pgmq.a_emails") == 1
    assert sb.execute("select msg_id from pgmq.set_vt('emails', 3, 0)").fetchall() == [(3,)]
    assert sb.execute("select msg_id, message ->> 'to' from pgmq.pop('emails')").fetchall() == [(3, "c")]
    name, length, _newest, _oldest, total, _at = sb.execute("select * from pgmq.metrics('emails')").fetchone()
    assert (name, length, total) == ("emails", 1, 4) and delayed == 4
    assert _one(sb, "select pgmq.purge_queue('emails')") == 1
    # queue tables belong to the extension, like pgmq's: drift leaves them out
    members = {r[0] for r in sb.execute(
        """select c.relname from pg_depend d join pg_class c on c.oid = d.objid
            where d.refobjid = (select oid from pg_extension where extname = 'pgmq')
              and d.classid = 'pg_class'::regclass and d.deptype = 'e'""").fetchall()}
    assert {"meta", "q_emails", "a_emails"} <= members
    with pytest.raises(psycopg.Error, match="invalid characters"):
        sb.execute("select pgmq.create('x; drop table y')")
    with pytest.raises(psycopg.Error, match="pg_partman"):
        sb.execute("select pgmq.create_partitioned('big')")
    assert _one(sb, "select pgmq.drop_queue('emails')") is True
    assert _one(sb, "select to_regclass('pgmq.q_emails')") is None

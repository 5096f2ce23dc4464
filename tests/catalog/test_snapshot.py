"""Snapshot behaviour beyond the corpus: default exclusions, extension-owned objects, the
number of queries on a big schema, JSON, and the database-level entry point."""

from __future__ import annotations

import json

from pgrelease.catalog import (
    DEFAULT_EXCLUDED_SCHEMAS,
    diff,
    diff_databases,
    render_json,
    render_text,
    snapshot,
    to_sql,
)
from pgrelease.catalog.snapshot import QUERIES


def _schemas_of(snap) -> set[str]:
    out = set()
    for obj in snap:
        schema = getattr(obj, "schema", None)
        if obj.kind == "schema":
            schema = obj.name
        if schema:
            out.add(schema)
    return out


SUPABASE_LIKE = """
create schema auth; create schema storage; create schema realtime; create schema extensions;
create schema supabase_functions; create schema supabase_migrations; create schema graphql;
create schema vault; create schema net; create schema cron; create schema _analytics;
create table auth.users (id uuid primary key, email text);
create function auth.uid() returns uuid language sql stable as $$ select null::uuid $$;
create table storage.objects (id uuid primary key, bucket_id text);
alter table storage.objects enable row level security;
create policy "platform" on storage.objects for select using (true);
create table supabase_migrations.schema_migrations (version text primary key);
create type realtime.action as enum ('INSERT', 'UPDATE');
create sequence vault.secret_seq;
create view graphql.v as select 1 as one;
grant usage on schema auth to anon;
create table public.profiles (id uuid primary key references auth.users (id));
"""


def test_platform_schemas_are_excluded_by_default(new_db) -> None:
    conn = new_db()
    conn.execute(SUPABASE_LIKE)
    snap = snapshot(conn)
    assert _schemas_of(snap) == {"public"}
    assert ("table", "public.profiles") in snap
    # the foreign key into auth is part of public.profiles and is kept
    assert ("constraint", "public.profiles.profiles_id_fkey") in snap
    assert not set(DEFAULT_EXCLUDED_SCHEMAS) & _schemas_of(snap)


def test_include_schema_overrides_the_default_exclusion(new_db) -> None:
    conn = new_db()
    conn.execute(SUPABASE_LIKE)
    snap = snapshot(conn, include_schemas=["auth", "public"])
    assert _schemas_of(snap) == {"auth", "public"}
    assert ("table", "auth.users") in snap
    assert ("function", "auth.uid()") in snap
    assert ("privilege", "schema auth to anon") in snap


def test_exclude_schema_adds_to_the_defaults(new_db) -> None:
    conn = new_db()
    conn.execute(SUPABASE_LIKE + "create schema scratch; create table scratch.t (id int);")
    assert ("table", "scratch.t") in snapshot(conn)
    snap = snapshot(conn, exclude_schemas=["scratch"])
    assert ("table", "scratch.t") not in snap
    assert "auth" not in _schemas_of(snap)


def test_platform_differences_are_not_drift(new_db) -> None:
    a, b = new_db(), new_db()
    a.execute(SUPABASE_LIKE)
    b.execute(SUPABASE_LIKE + """
        alter table auth.users add column phone text;
        create table storage.buckets (id text primary key);
        create policy "more platform" on storage.objects for insert with check (true);
        alter type realtime.action add value 'DELETE';
    """)
    assert diff(snapshot(a), snapshot(b)) == []


def test_extension_objects_are_not_listed(new_db) -> None:
    conn = new_db()
    conn.execute("""
        create extension pg_trgm; create extension hstore; create extension citext;
        create extension pg_stat_statements;
        create table public.t (id int primary key, tags public.hstore, email public.citext);
    """)
    snap = snapshot(conn)
    kinds = {obj.kind for obj in snap}
    assert {("extension", n) for n in ("pg_trgm", "hstore", "citext", "pg_stat_statements")} <= set(snap.objects)
    assert "function" not in kinds and "view" not in kinds and "type" not in kinds
    assert not [o for o in snap if o.kind == "privilege" and o.object_type in ("function", "view")]
    # the project's own use of them is listed
    assert snap.get(("column", "public.t.tags")).type == "public.hstore"


def test_extension_in_the_extensions_schema_follows_the_schema_filter(new_db) -> None:
    conn = new_db()
    conn.execute("create schema extensions; create extension pg_trgm schema extensions;")
    assert ("extension", "pg_trgm") not in snapshot(conn)
    snap = snapshot(conn, include_schemas=["extensions", "public"])
    assert ("extension", "pg_trgm") in snap
    assert "function" not in {o.kind for o in snap}  # still not its functions


def test_default_privileges_of_platform_roles_are_left_out(new_db) -> None:
    conn = new_db()
    conn.execute("""
        alter default privileges for role supabase_admin in schema public grant all on tables to anon;
        alter default privileges for role postgres in schema public grant select on tables to anon;
    """)
    names = {o.identity for o in snapshot(conn) if o.kind == "default privilege"}
    assert names == {"tables in schema public for postgres to anon"}
    names = {o.identity for o in snapshot(conn, exclude_roles=()) if o.kind == "default privilege"}
    assert "tables in schema public for supabase_admin to anon" in names


class _Counting:
    """Forwards to a connection and counts the statements sent."""

    def __init__(self, conn) -> None:
        self._conn = conn
        self.count = 0

    def execute(self, *args, **kwargs):
        self.count += 1
        return self._conn.execute(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._conn, name)


def test_a_big_schema_takes_a_fixed_number_of_queries(new_db) -> None:
    conn = new_db()
    conn.execute("""
        create function public.touch() returns trigger language plpgsql as $$ begin return new; end $$;
        do $$ begin
          for i in 1..300 loop
            execute format('create table public.t%s (id bigint primary key, a text, b int, c timestamptz default now())', i);
            execute format('create index t%s_a on public.t%s (a)', i, i);
            execute format('alter table public.t%s enable row level security', i);
            execute format('create policy p on public.t%s for select using (b > 0)', i);
            execute format('create trigger trg before update on public.t%s for each row execute function public.touch()', i);
            execute format('grant select on public.t%s to anon', i);
          end loop;
        end $$;
    """)
    counting = _Counting(conn)
    snap = snapshot(counting)
    assert counting.count <= len(QUERIES) + 2  # + SET TRANSACTION + settings
    assert snap.queries == len(QUERIES)
    counts = snap.counts()
    assert counts["table"] == 300 and counts["column"] == 1200 and counts["index"] == 300
    assert counts["policy"] == 300 and counts["trigger"] == 300 and counts["constraint"] == 300


def test_snapshot_and_diff_are_json(new_db) -> None:
    a, b = new_db(), new_db()
    a.execute("create table public.t (id int primary key, tags text[])")
    b.execute("create table public.t (id bigint primary key, tags text[] default '{}')")
    sa, sb = snapshot(a), snapshot(b)
    doc = json.loads(json.dumps(sa.to_dict()))
    assert doc["objects"]["table"][0]["identity"] == "public.t"
    changes = diff(sa, sb)
    parsed = json.loads(render_json(changes))
    assert parsed["changes"][0] == {
        "kind": "column", "action": "change", "name": "public.t.id", "destructive": True,
        "attributes": {"type": {"old": "integer", "new": "bigint"}},
    }
    assert parsed["changes"][1]["attributes"] == {"default": {"old": None, "new": "'{}'::text[]"}}


def test_destructive_statements_are_marked(new_db) -> None:
    a, b = new_db(), new_db()
    a.execute("create table public.t (id int primary key, gone text, n int); create table public.old (id int);")
    b.execute("create table public.t (id int primary key, n bigint default 0);")
    sa, sb = snapshot(a), snapshot(b)
    changes = diff(sa, sb)
    assert [c.destructive for c in changes] == [True, True, True]
    script = to_sql(changes, sa, sb)
    marked = [s for s in script if s.startswith("-- destructive:")]
    assert len(marked) == 3
    assert any("DROP TABLE IF EXISTS public.old" in s for s in marked)
    assert any("DROP COLUMN IF EXISTS gone" in s for s in marked)
    assert any("TYPE bigint" in s for s in marked)
    assert not any("destructive" in s for s in script if "SET DEFAULT" in s)


def test_diff_databases(server, new_db) -> None:
    a, b = new_db(), new_db()
    a.execute("create table public.posts (id int primary key, title varchar(100))")
    b.execute("create table public.posts (id int primary key, title text)")
    dsn_a = server.dsn.with_dbname(a.info.dbname)
    dsn_b = server.dsn.with_dbname(b.info.dbname)
    result = diff_databases(dsn_a, dsn_b)
    assert result.render_text() == "~ column public.posts.title\n    type: character varying(100) -> text\n"
    assert result.counts() == {"add": 0, "remove": 0, "change": 1}
    doc = result.to_dict(with_sql=True)
    assert server.dsn.password not in json.dumps(doc)
    assert doc["sql"][-1].endswith("ALTER TABLE public.posts ALTER COLUMN title TYPE text USING title::text;")
    same = diff_databases(dsn_a, dsn_a)
    assert not same.has_changes and render_text(same.changes) == ""

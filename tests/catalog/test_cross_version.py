"""Snapshots are comparable across servers: the same schema on PostgreSQL 15 and on the
embedded 18 diffs to nothing (for objects whose printed form did not change between
versions; view definitions and MAINTAIN are known differences, see docs/drift.md)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pgrelease.catalog import diff, render_text, snapshot
from pgrelease.db.connect import connect
from pgrelease.db.embedded import EmbeddedServer

from .conftest import PG15_BIN, SUPABASE_ROLES

pytestmark = pytest.mark.skipif(not (PG15_BIN / "postgres").exists(), reason="PostgreSQL 15 is not installed")

SCHEMA = """
create schema app;
create type app.status as enum ('new', 'done');
create domain app.email as text check (value ~ '@');
create sequence app.ticket_no start 100;
create table app.users (id uuid primary key, email app.email not null unique nulls not distinct);
create table app.tasks (
  id bigint generated always as identity primary key,
  user_id uuid not null references app.users (id) on delete cascade,
  status app.status not null default 'new',
  title varchar(200) collate "C",
  ticket int default nextval('app.ticket_no'),
  price numeric(10, 2) check (price >= 0),
  total numeric generated always as (price * 2) stored,
  created timestamptz default now()
) with (fillfactor = 90);
create index tasks_user_idx on app.tasks (user_id, created desc) where status = 'new';
create function app.touch() returns trigger language plpgsql security definer set search_path = '' as $$
begin new.created := now(); return new; end $$;
create trigger tasks_touch before update on app.tasks for each row execute function app.touch();
alter table app.tasks enable row level security;
create policy own on app.tasks for all to authenticated using (user_id = '00000000-0000-0000-0000-000000000000') with check (status <> 'done');
grant usage on schema app to anon, authenticated;
grant select, insert on app.tasks to authenticated;
grant update (title) on app.tasks to anon;
revoke execute on function app.touch() from public;
alter default privileges in schema app grant select on tables to anon;
comment on table app.tasks is 'work';
create table app.log (id bigint, at date not null) partition by range (at);
create table app.log_2024 partition of app.log for values from ('2024-01-01') to ('2025-01-01');
create publication tasks_pub for table app.tasks (id, status, price) where (price > 0);
"""


@pytest.fixture(scope="module")
def two_servers() -> Iterator[tuple]:
    with EmbeddedServer() as pg18, EmbeddedServer(bin_dir=str(PG15_BIN)) as pg15:
        conns = []
        for srv in (pg18, pg15):
            admin = connect(srv.dsn)
            for role in SUPABASE_ROLES:
                admin.execute(f"CREATE ROLE {role} NOLOGIN")
            admin.execute("CREATE DATABASE xv")
            admin.close()
            conns.append(connect(srv.dsn.with_dbname("xv")))
        yield tuple(conns)
        for conn in conns:
            conn.close()


def test_same_schema_same_snapshot_on_15_and_18(two_servers) -> None:
    c18, c15 = two_servers
    assert c18.info.server_version // 10000 == 18 and c15.info.server_version // 10000 == 15
    c18.execute(SCHEMA)
    c15.execute(SCHEMA)
    s18, s15 = snapshot(c18), snapshot(c15)
    assert len(s18) == len(s15) >= 40
    assert render_text(diff(s15, s18)) == ""

"""The history row commits in its migration's own transaction, never apart from it.

Each test can only pass when the row and the migration's objects are one transaction:
a history row that fails takes the migration with it, a migration that fails at COMMIT
takes the row with it, and the row is written by the very transaction that ran the
migration's statements (same transaction id). Three ways a file runs are covered: one
batch, statement by statement (a file with COPY data), and a file's own BEGIN/COMMIT block.
"""

from __future__ import annotations

import psycopg
import pytest

from pgrelease.db.connect import connect
from pgrelease.errors import MigrationFailed
from pgrelease.migrations import history
from pgrelease.migrations.apply import PushOptions, push
from pgrelease.migrations.files import discover

FAST = PushOptions(lock_wait=5, retry_backoff=0.05, lock_retries=0)

# How each migration runs; every body creates table public.made and writes the id of the
# transaction it ran in (pg_current_xact_id) into it.
BODIES = {
    "batch": "create table made (xid text);\ninsert into made select pg_current_xact_id()::text;\n",
    "statements": ("create table made (xid text);\ncopy made (xid) from stdin;\nplaceholder\n\\.\n"
                   "update made set xid = pg_current_xact_id()::text;\n"),
    # two blocks of its own: they run as written, the history row in the last one's transaction
    "blocks": ("begin;\ncreate table made (xid text);\ncommit;\n"
               "begin;\ninsert into made select pg_current_xact_id()::text;\ncommit;\n"),
}

LOG_TRIGGER = """
create table public.history_log (version text, xid text);
create function public.log_history() returns trigger language plpgsql as $$
begin
  insert into public.history_log values (new.version, pg_current_xact_id()::text);
  return new;
end $$;
create trigger log_history after insert on supabase_migrations.schema_migrations
  for each row execute function public.log_history();
"""

REFUSE_TRIGGER = """
create function public.refuse_history() returns trigger language plpgsql as $$
begin
  if new.version = '20240101000002' then
    raise exception 'history row % refused by a test trigger', new.version;
  end if;
  return new;
end $$;
create trigger refuse_history before insert on supabase_migrations.schema_migrations
  for each row execute function public.refuse_history();
"""


def prepare(dsn, setup_sql: str) -> None:
    with connect(dsn) as conn:
        history.ensure_history_table(conn)
        with conn.transaction():
            conn.execute(setup_sql)


def query(dsn, sql: str):
    with connect(dsn) as conn:
        return conn.execute(sql).fetchall()


def recorded(dsn) -> list[str]:
    return [r[0] for r in query(dsn, "select version from supabase_migrations.schema_migrations order by 1")]


def exists(dsn, name: str) -> bool:
    return query(dsn, f"select to_regclass('public.{name}') is not null")[0][0]


def rows_in_made(dsn) -> int:
    return query(dsn, "select count(*) from public.made")[0][0] if exists(dsn, "made") else 0


def push_project(dsn, project):
    """push()'s result, or the psycopg error that escaped it (reported apart, below)."""
    try:
        return push(dsn, discover(project.root), FAST)
    except psycopg.Error as exc:
        return exc


def refused_history_project(dsn, project, how):
    prepare(dsn, REFUSE_TRIGGER)
    project.add("20240101000001", "before", "create table before_it (id int);")
    project.add("20240101000002", "refused", BODIES[how])
    project.add("20240101000003", "after", "create table after_it (id int);")


def failing_at_commit_project(dsn, project, how):
    body = BODIES[how].replace(
        "create table made (xid text);",
        "create table made (xid text, other int references made_parent deferrable initially deferred);",
    )
    body = body.replace("update made set xid = pg_current_xact_id()::text;",
                        "update made set xid = pg_current_xact_id()::text, other = 42;")
    body = body.replace("insert into made select pg_current_xact_id()::text;",
                        "insert into made select pg_current_xact_id()::text, 42;")
    assert body.count("42") == 1
    prepare(dsn, "create table public.made_parent (id int primary key);")
    project.add("20240101000001", "fails_at_commit", body)


@pytest.mark.parametrize("how", sorted(BODIES))
def test_history_row_is_written_by_the_migrations_own_transaction(fresh_db, project, how):
    prepare(fresh_db, LOG_TRIGGER)
    project.add("20240101000001", "first", BODIES[how])
    result = push(fresh_db, discover(project.root), FAST)
    assert result.failure is None, result.failure
    assert [e.status for e in result.entries] == ["applied"]
    made = query(fresh_db, "select xid from public.made")
    logged = query(fresh_db, "select version, xid from public.history_log")
    assert len(made) == 1 and len(logged) == 1
    assert logged[0] == ("20240101000001", made[0][0]), "history row and migration in different transactions"


@pytest.mark.parametrize("how", sorted(BODIES))
def test_refused_history_row_leaves_nothing_of_its_migration(fresh_db, project, how):
    refused_history_project(fresh_db, project, how)
    push_project(fresh_db, project)
    assert recorded(fresh_db) == ["20240101000001"]
    assert exists(fresh_db, "before_it")
    # the blocks path: the first block has committed by design; the last, with the row, has not
    assert rows_in_made(fresh_db) == 0, "the migration committed although its history row failed"
    assert (how == "blocks") == exists(fresh_db, "made")
    assert not exists(fresh_db, "after_it")


@pytest.mark.parametrize("how", sorted(BODIES))
def test_migration_failing_at_commit_leaves_no_history_row(fresh_db, project, how):
    """A deferred constraint fires at COMMIT, after every statement and the history INSERT
    have run: the row must go with the migration."""
    failing_at_commit_project(fresh_db, project, how)
    push_project(fresh_db, project)
    assert recorded(fresh_db) == [], "history row committed for a migration that rolled back"
    assert rows_in_made(fresh_db) == 0
    assert (how == "blocks") == exists(fresh_db, "made")


# An error from the history INSERT or at COMMIT is the migration's failure, not a raw
# psycopg error escaping push().
@pytest.mark.parametrize("case,how", [(case, how) for case in ("history", "commit") for how in sorted(BODIES)])
def test_failure_is_reported_as_the_migrations(fresh_db, project, case, how):
    if case == "history":
        refused_history_project(fresh_db, project, how)
        version, sqlstate, n = "20240101000002_refused", "P0001", 3
    else:
        failing_at_commit_project(fresh_db, project, how)
        version, sqlstate, n = "20240101000001_fails_at_commit", "23503", 1
    result = push_project(fresh_db, project)
    assert not isinstance(result, psycopg.Error), f"{type(result).__name__} escaped push(): {result}"
    err = result.failure
    assert isinstance(err, MigrationFailed), err
    assert err.file == f"supabase/migrations/{version}.sql" and err.sqlstate == sqlstate
    statuses = [e.status for e in result.entries]
    assert statuses == (["applied", "failed", "not-run"] if n == 3 else ["failed"])

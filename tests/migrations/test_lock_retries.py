"""Short lock waits with patient retries: a migration that hits lock_timeout is retried within
a budget, the session it waits for is named, and it is applied exactly once when that session
ends; when the budget runs out the push fails naming the blocker, with nothing applied."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from click.testing import CliRunner

from pgrelease.cli import main
from pgrelease.db.connect import connect
from pgrelease.migrations.apply import PushOptions, push
from pgrelease.migrations.files import discover

QUICK = dict(lock_wait=5, lock_timeout="100ms", retry_backoff=0.05)


@pytest.fixture
def blocked(fresh_db, project):
    """public.t exists; a report session holds it in an open transaction (ACCESS SHARE)."""
    with connect(fresh_db) as conn:
        conn.execute("create table public.t (id int)")
    project.add("20240101000001", "add_n", "alter table public.t add column n int;\n")
    blocker = psycopg.connect(fresh_db.conninfo(), autocommit=False, application_name="nightly-report")
    blocker.execute("select count(*) from public.t")  # transaction stays open: idle in transaction
    yield fresh_db, project, blocker
    blocker.close()


def _columns(dsn) -> list[str]:
    with connect(dsn) as conn:
        return [r[0] for r in conn.execute(
            "select attname from pg_attribute where attrelid = 'public.t'::regclass and attnum > 0")]


def _history(dsn) -> list[str]:
    with connect(dsn) as conn:
        return [r[0] for r in conn.execute("select version from supabase_migrations.schema_migrations")]


def test_budget_spent_names_the_blocker_and_applies_nothing(blocked):
    dsn, project, blocker = blocked
    result = push(dsn, discover(project.root), PushOptions(**QUICK, lock_retry_budget=1.5))
    err = result.failure
    assert err is not None and err.exit_code == 1
    pid = blocker.info.backend_pid
    assert f"blocked by pid {pid}" in err.message and "application 'nightly-report'" in err.message
    assert "idle in transaction" in err.message
    assert f"pg_terminate_backend({pid})" in err.hint and err.extra["lock_retries"] >= 2
    assert _columns(dsn) == ["id"] and _history(dsn) == []


def test_blocker_that_ends_in_time_lets_the_migration_apply_once(blocked):
    dsn, project, blocker = blocked
    threading.Timer(1.0, blocker.commit).start()
    result = push(dsn, discover(project.root), PushOptions(**QUICK, lock_retry_budget=30))
    assert result.failure is None
    (entry,) = result.entries
    assert entry.status == "applied" and "retried" in (entry.note or "")
    assert any("waited for a lock held by pid" in n and "nightly-report" in n for n in result.notes)
    assert _columns(dsn) == ["id", "n"] and _history(dsn) == ["20240101000001"]


def test_cli_exits_1_naming_the_blocker(blocked):
    dsn, project, blocker = blocked
    started = time.monotonic()
    result = CliRunner().invoke(main, ["push", "--workdir", str(project.root), "--db-url", dsn.url(reveal=True),
                                       "--lock-timeout", "100ms", "--lock-retry-budget", "1"])
    assert result.exit_code == 1, result.output
    assert "nightly-report" in result.output and "pg_terminate_backend" in result.output
    assert time.monotonic() - started < 30
    assert _columns(dsn) == ["id"]


def test_retries_can_be_switched_off(blocked):
    dsn, project, _ = blocked
    result = push(dsn, discover(project.root), PushOptions(**QUICK, lock_retries=0))
    assert result.failure is not None and result.failure.extra["lock_retries"] == 0


# -- --cancel-blockers-after: a session idle in transaction that blocks the push is ended ------------
def _alive(dsn, pid: int) -> bool:
    with connect(dsn) as conn:
        return conn.execute("select count(*) from pg_stat_activity where pid = %s", (pid,)).fetchone()[0] == 1


def test_idle_in_transaction_blocker_is_terminated_and_the_migration_applies_once(blocked):
    dsn, project, blocker = blocked
    pid = blocker.info.backend_pid
    result = push(dsn, discover(project.root), PushOptions(**QUICK, lock_retry_budget=30, cancel_blockers_after=0.3))
    assert result.failure is None, result.failure
    assert [e.status for e in result.entries] == ["applied"]
    assert _columns(dsn) == ["id", "n"] and _history(dsn) == ["20240101000001"]
    (done,) = result.terminated
    assert done["pid"] == pid and done["terminated"] and done["application"] == "nightly-report"
    assert done["idle_seconds"] >= 0.3
    (warning,) = [w for w in result.warnings if "terminated" in w]
    assert f"pid {pid}" in warning and "nightly-report" in warning and "rolled back" in warning
    assert not _alive(dsn, pid)


def test_without_the_flag_an_idle_blocker_is_left_alone(blocked):
    dsn, project, blocker = blocked
    pid = blocker.info.backend_pid
    result = push(dsn, discover(project.root), PushOptions(**QUICK, lock_retry_budget=1.0))
    assert result.failure is not None and result.terminated == []
    assert "--cancel-blockers-after" in result.failure.hint
    assert _alive(dsn, pid) and _columns(dsn) == ["id"] and _history(dsn) == []


def test_a_blocker_running_a_query_is_never_terminated(fresh_db, project):
    with connect(fresh_db) as conn:
        conn.execute("create table public.t (id int)")
    project.add("20240101000001", "add_n", "alter table public.t add column n int;\n")
    busy = psycopg.connect(fresh_db.conninfo(), autocommit=False, application_name="busy-report")
    busy.execute("select count(*) from public.t")
    pid = busy.info.backend_pid
    worker = threading.Thread(target=lambda: _swallow(busy, "select pg_sleep(3)"))  # active, not idle
    worker.start()
    try:
        time.sleep(0.2)
        result = push(fresh_db, discover(project.root), PushOptions(**QUICK, lock_retry_budget=1.0,
                                                                     cancel_blockers_after=0.05))
    finally:
        worker.join()
    assert result.failure is not None and result.terminated == []
    assert _alive(fresh_db, pid)
    busy.close()


def _swallow(conn, query: str) -> None:
    try:
        conn.execute(query)
    except psycopg.Error:
        pass


def test_cli_reports_the_terminated_blocker(blocked):
    dsn, project, blocker = blocked
    pid = blocker.info.backend_pid
    result = CliRunner().invoke(main, ["push", "--workdir", str(project.root), "--db-url", dsn.url(reveal=True),
                                       "--lock-timeout", "100ms", "--cancel-blockers-after", "300ms",
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    import json

    report = json.loads(result.output)  # a single command's report: its step's fields at the top
    assert report["terminated_blockers"][0]["pid"] == pid
    assert any(f"terminated the blocking session pid {pid}" in w for w in report["warnings"])
    assert _columns(dsn) == ["id", "n"] and _history(dsn) == ["20240101000001"]


# -- files outside a transaction: only the statement that hit the lock timeout is retried ------------
def test_no_transaction_file_retries_only_the_timed_out_statement(fresh_db, project):
    with connect(fresh_db) as conn:
        conn.execute("create table public.t (id int); create table public.ran (n int)")
    project.add("20240101000001", "outside",
                "-- pgrelease: no-transaction\n"
                "insert into public.ran values (1);\n"
                "alter table public.t add column n int;\n"
                "insert into public.ran values (3);\n")
    blocker = psycopg.connect(fresh_db.conninfo(), autocommit=False, application_name="nightly-report")
    blocker.execute("select count(*) from public.t")
    threading.Timer(1.0, blocker.commit).start()
    try:
        result = push(fresh_db, discover(project.root), PushOptions(**QUICK, lock_retry_budget=30))
    finally:
        time.sleep(0)  # the timer commits on its own
    assert result.failure is None, result.failure
    (entry,) = result.entries
    assert entry.status == "applied" and "retried" in (entry.note or "")
    with connect(fresh_db) as conn:
        assert [r[0] for r in conn.execute("select n from public.ran order by n")] == [1, 3]  # line 2 once
    assert _columns(fresh_db) == ["id", "n"] and _history(fresh_db) == ["20240101000001"]
    blocker.close()


def test_no_transaction_file_gives_up_naming_the_blocker(fresh_db, project):
    with connect(fresh_db) as conn:
        conn.execute("create table public.t (id int); create table public.ran (n int)")
    project.add("20240101000001", "outside",
                "-- pgrelease: no-transaction\n"
                "insert into public.ran values (1);\n"
                "alter table public.t add column n int;\n")
    blocker = psycopg.connect(fresh_db.conninfo(), autocommit=False, application_name="nightly-report")
    blocker.execute("select count(*) from public.t")
    try:
        result = push(fresh_db, discover(project.root), PushOptions(**QUICK, lock_retry_budget=1.0))
    finally:
        blocker.close()
    err = result.failure
    assert err is not None and err.sqlstate == "55P03" and err.extra["lock_retries"] >= 1
    assert err.line == 3 and "nightly-report" in err.message
    with connect(fresh_db) as conn:
        assert [r[0] for r in conn.execute("select n from public.ran")] == [1]  # ran once, not per attempt
    assert _history(fresh_db) == []


def test_concurrent_index_that_left_an_invalid_index_is_not_retried(fresh_db, project):
    # CREATE INDEX CONCURRENTLY commits its catalog entry, then waits for older transactions:
    # a lock timeout there leaves an invalid index, which a retry would trip over
    with connect(fresh_db) as conn:
        conn.execute("create table public.t (id int)")
    project.add("20240101000001", "cic", "create index concurrently t_id_idx on public.t (id);\n")
    old = psycopg.connect(fresh_db.conninfo(), autocommit=False, application_name="old-snapshot")
    old.execute("set transaction isolation level repeatable read")
    old.execute("select 1")  # an open snapshot (no lock on t): the build waits for it after its first commit
    try:
        result = push(fresh_db, discover(project.root), PushOptions(**QUICK, lock_retry_budget=30))
    finally:
        old.close()
    err = result.failure
    assert err is not None and err.sqlstate == "55P03"
    assert err.extra["left_behind"] == ["invalid index t_id_idx"] and "drop" in err.hint
    assert "lock_retries" not in err.extra  # given up at once, not after the budget
    assert _history(fresh_db) == []

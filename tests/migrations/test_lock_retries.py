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

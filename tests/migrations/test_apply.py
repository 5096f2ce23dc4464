"""The push: ordering, atomicity per migration, failures that leave nothing behind, locks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import psycopg
import pytest
from click.testing import CliRunner

from pgrelease import commands
from pgrelease.cli import main
from pgrelease.db.connect import connect
from pgrelease.errors import CheckFailed, EnvironmentFailure, MigrationFailed, SqlFileError
from pgrelease.migrations import history
from pgrelease.migrations.apply import PushOptions, push
from pgrelease.migrations.files import discover

FAST = PushOptions(lock_wait=5, retry_backoff=0.05)


def recorded(dsn):
    with connect(dsn) as conn:
        if not history.history_exists(conn):
            return None
        return [a.version for a in history.read_history(conn)]


def tables(dsn):
    with connect(dsn) as conn:
        return sorted(r[0] for r in conn.execute(
            "select table_name from information_schema.tables where table_schema = 'public'"))


def run_cli(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result


def test_applies_in_version_order_once(fresh_db, project):
    project.add("20240101000002", "second", "create table b (id int references a(id));")
    project.add("20240101000001", "first", "create table a (id int primary key);\ninsert into a values (1);")
    result = push(fresh_db, discover(project.root), FAST)
    assert [e.version for e in result.entries] == ["20240101000001", "20240101000002"]
    assert all(e.status == "applied" and e.duration_ms is not None for e in result.entries)
    assert result.created_history and result.failure is None
    assert recorded(fresh_db) == ["20240101000001", "20240101000002"]
    again = push(fresh_db, discover(project.root), FAST)
    assert again.entries == [] and recorded(fresh_db) == ["20240101000001", "20240101000002"]
    with connect(fresh_db) as conn:
        name, statements = conn.execute(
            "select name, statements from supabase_migrations.schema_migrations where version = '20240101000001'").fetchone()
    assert name == "first" and statements == ["create table a (id int primary key)", "insert into a values (1)"]


def test_failing_statement_rolls_back_that_migration_only(fresh_db, project):
    project.add("20240101000001", "ok", "create table a (id int primary key);")
    project.add("20240101000002", "broken", "create table b (id int);\n\ninsert into b values (1);\nselect * from\n  missing_table;\n")
    project.add("20240101000003", "later", "create table c (id int);")
    result = push(fresh_db, discover(project.root), FAST)
    err = result.failure
    assert isinstance(err, MigrationFailed) and err.exit_code == 1
    assert err.file == "supabase/migrations/20240101000002_broken.sql"
    assert err.line == 5 and err.sqlstate == "42P01"
    assert "missing_table" in err.message and "rolled back" in err.message
    assert "run pgrelease push again" in err.hint
    assert [e.status for e in result.entries] == ["applied", "failed", "not-run"]
    assert recorded(fresh_db) == ["20240101000001"]
    assert tables(fresh_db) == ["a"]  # b was rolled back, c never ran


def test_cli_failure_exit_code_and_json(fresh_db, project):
    project.add("20240101000001", "broken", "create table a (id int);\ncreate table a (id int);")
    res = run_cli("push", "--workdir", project.root, "--db-url", fresh_db.url(reveal=True), "--format", "json")
    assert res.exit_code == 1
    report = json.loads(res.stdout)
    assert report["status"] == "failed"
    assert report["errors"][0]["file"].endswith("20240101000001_broken.sql")
    assert report["errors"][0]["line"] == 2 and report["errors"][0]["sqlstate"] == "42P07"
    assert fresh_db.password not in res.output
    assert tables(fresh_db) == [] and recorded(fresh_db) == []


@pytest.mark.parametrize("body,line", [
    ("create table a (id int);\nBEGIN;\ncreate table b (id int);\nROLLBACK;\n", 4),
    ("create table a (id int);\n\\i other.sql\n", 2),
    ("create table a (id int);\nstart transaction;\n", 2),
])
def test_unrunnable_files_are_refused_before_anything_runs(fresh_db, project, body, line):
    project.add("20240101000001", "fine", "create table fine (id int);")
    project.add("20240101000002", "bad", body)
    with pytest.raises(SqlFileError) as info:
        push(fresh_db, discover(project.root), FAST)
    assert info.value.line == line and info.value.file.endswith("20240101000002_bad.sql")
    assert info.value.exit_code == 2
    assert tables(fresh_db) == []  # not even the first, valid migration ran


def test_non_transactional_statements_run_outside_a_transaction(fresh_db, project):
    project.add("20240101000001", "t", "create table t (id int, email text);")
    project.add("20240101000002", "idx", "create index concurrently if not exists t_email on t (email);")
    project.add("20240101000003", "directive", "-- pgrelease: no-transaction\ncreate index if not exists t_id on t (id);\n")
    result = push(fresh_db, discover(project.root), FAST)
    assert result.failure is None
    by_version = {e.version: e for e in result.entries}
    assert "CONCURRENTLY" in by_version["20240101000002"].no_transaction.upper()
    assert "no-transaction" in by_version["20240101000003"].no_transaction
    assert by_version["20240101000001"].no_transaction is None
    assert any("outside a transaction" in n for n in result.notes)
    assert recorded(fresh_db) == ["20240101000001", "20240101000002", "20240101000003"]


def test_non_transactional_failure_reports_what_ran(fresh_db, project):
    project.add("20240101000001", "t", "create table t (id int);")
    project.add("20240101000002", "idx", "-- pgrelease: no-transaction\ncreate index concurrently t_id on t (id);\n"
                "create index concurrently t_bad on t (nope);\n")
    result = push(fresh_db, discover(project.root), FAST)
    err = result.failure
    assert isinstance(err, MigrationFailed) and err.line == 3
    assert err.extra["rolled_back"] is False and err.extra["statements_run"] == [2]
    assert "history row was not written" in err.message
    assert recorded(fresh_db) == ["20240101000001"]
    with connect(fresh_db) as conn:
        assert conn.execute("select to_regclass('t_id') is not null").fetchone()[0]


def test_out_of_order_refused_unless_include_all(fresh_db, project):
    project.add("20240101000002", "second", "create table b (id int);")
    push(fresh_db, discover(project.root), FAST)
    project.add("20240101000001", "late_branch", "create table a (id int);")
    with pytest.raises(CheckFailed) as info:
        push(fresh_db, discover(project.root), FAST)
    assert "20240101000001_late_branch.sql" in info.value.message and "--include-all" in info.value.hint
    assert tables(fresh_db) == ["b"]
    result = push(fresh_db, discover(project.root), PushOptions(lock_wait=5, include_all=True))
    assert [e.version for e in result.entries] == ["20240101000001"]
    assert any("out of order" in w for w in result.warnings)


def test_edited_migration_detected_but_not_whitespace(fresh_db, project):
    path = project.add("20240101000001", "a", "create table a (\n  id int\n);\n-- note\n")
    push(fresh_db, discover(project.root), FAST)
    path.write_bytes(b"\xef\xbb\xbfcreate table a (  \r\n    id int\r\n);   \r\n-- a different comment\r\n")
    assert push(fresh_db, discover(project.root), FAST).entries == []  # BOM, CRLF, spaces, comments: not edits
    path.write_text("create table a (\n  id bigint\n);\n")
    with pytest.raises(CheckFailed) as info:
        push(fresh_db, discover(project.root), FAST)
    assert "changed since they were applied" in info.value.message and "--allow-edited" in info.value.hint
    result = push(fresh_db, discover(project.root), PushOptions(lock_wait=5, allow_edited=True))
    assert any("changed after it was applied" in w for w in result.warnings)


def test_recorded_version_without_file_is_reported(fresh_db, project):
    project.add("20240101000001", "a", "create table a (id int);")
    gone = project.add("20240101000002", "b", "create table b (id int);")
    push(fresh_db, discover(project.root), FAST)
    gone.unlink()
    project.add("20240101000003", "c", "create table c (id int);")
    result = push(fresh_db, discover(project.root), FAST)
    assert any("20240101000002" in w and "no local file" in w for w in result.warnings)
    assert [e.version for e in result.entries] == ["20240101000003"]


def test_dry_run_touches_nothing(fresh_db, project):
    project.add("20240101000001", "a", "create table a (id int);")
    res = run_cli("push", "--dry-run", "--workdir", project.root, "--db-url", fresh_db.url(reveal=True))
    assert res.exit_code == 0, res.output
    assert "would-apply" in res.stdout and "20240101000001" in res.stdout
    with connect(fresh_db) as conn:
        assert conn.execute("select count(*) from pg_namespace where nspname = 'supabase_migrations'").fetchone()[0] == 0
    assert tables(fresh_db) == []


def test_lock_held_by_another_run_exits_3_naming_holder(fresh_db, project):
    project.add("20240101000001", "a", "create table a (id int);")
    holder = psycopg.connect(fresh_db.conninfo(), autocommit=True, application_name="other-deploy")
    try:
        holder.execute("select pg_advisory_lock(%s, %s)", (history.LOCK_CLASSID, history.LOCK_OBJID))
        with pytest.raises(EnvironmentFailure) as info:
            push(fresh_db, discover(project.root), PushOptions(lock_wait=0.3))
        assert info.value.exit_code == 3
        assert "other-deploy" in info.value.message and f"pid {holder.info.backend_pid}" in info.value.message
        assert "--lock-wait" in info.value.hint
    finally:
        holder.close()
    assert tables(fresh_db) == [] and recorded(fresh_db) is None


def wait_until(condition, timeout=30.0, what="condition"):
    """Poll ``condition`` until it is true (a wait on state, never a guess at how long)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def waiting_on(dsn, locktype, **where):
    """Backends other than this one waiting for a lock (pg_locks.granted = false)."""
    checks = " ".join(f"and l.{key} = %({key})s" for key in where)
    with connect(dsn) as conn:
        return [r[0] for r in conn.execute(
            f"select l.pid from pg_locks l where not l.granted and l.locktype = %(locktype)s {checks}",
            {"locktype": locktype, **where})]


def _hold_table_lock(dsn, ready, release):
    """Hold ``busy`` until ``release()`` says so."""
    conn = psycopg.connect(dsn.conninfo())
    try:
        conn.execute("lock table busy in access exclusive mode")
        ready.set()
        wait_until(release, what="the release of the table lock")
    finally:
        conn.rollback()
        conn.close()


def test_lock_timeout_is_retried_with_backoff(fresh_db, project):
    with connect(fresh_db) as conn:
        conn.execute("create table busy (id int)")
        busy = conn.execute("select 'busy'::regclass::oid").fetchone()[0]
    project.add("20240101000001", "alter_busy", "create table other (id int);\nalter table busy add column note text;")
    seen_waiting, ready = threading.Event(), threading.Event()

    def after_a_timed_out_wait():  # the push waited on busy, then gave up (lock_timeout): release
        if waiting_on(fresh_db, "relation", relation=busy):
            seen_waiting.set()
            return False
        return seen_waiting.is_set()

    thread = threading.Thread(target=_hold_table_lock, args=(fresh_db, ready, after_a_timed_out_wait))
    thread.start()
    assert ready.wait(10)
    result = push(fresh_db, discover(project.root),
                  PushOptions(lock_wait=5, lock_timeout="200ms", lock_retries=20, retry_backoff=0.3))
    thread.join()
    assert result.failure is None and result.entries[0].note.startswith("retried")
    assert recorded(fresh_db) == ["20240101000001"]


def test_lock_timeout_without_retries_fails_cleanly(fresh_db, project):
    with connect(fresh_db) as conn:
        conn.execute("create table busy (id int)")
    project.add("20240101000001", "alter_busy", "create table other (id int);\nalter table busy add column note text;")
    ready, pushed = threading.Event(), threading.Event()
    thread = threading.Thread(target=_hold_table_lock, args=(fresh_db, ready, pushed.is_set))
    thread.start()
    assert ready.wait(10)
    try:
        result = push(fresh_db, discover(project.root), PushOptions(lock_wait=5, lock_timeout="100ms", lock_retries=0))
    finally:
        pushed.set()  # the lock is held until push has returned, however long that takes
        thread.join()
    assert result.failure.sqlstate == "55P03" and "lock-timeout" in result.failure.hint
    assert tables(fresh_db) == ["busy"] and recorded(fresh_db) == []


def test_statement_timeout(fresh_db, project):
    project.add("20240101000001", "slow", "select pg_sleep(2);")
    result = push(fresh_db, discover(project.root), PushOptions(lock_wait=5, statement_timeout="100ms"))
    assert result.failure.sqlstate == "57014" and "--statement-timeout" in result.failure.hint
    assert recorded(fresh_db) == []


def test_two_pushes_at_once_apply_each_migration_once(fresh_db, project):
    for i in range(1, 6):
        project.add(f"2024010100000{i}", f"m{i}", f"create table t{i} (id int);\nselect pg_sleep(0.05);")
    results, errors = [], []

    def run():
        try:
            results.append(push(fresh_db, discover(project.root), PushOptions(lock_wait=30)))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert not errors
    applied = sorted(e.version for r in results for e in r.entries)
    assert applied == [f"2024010100000{i}" for i in range(1, 6)]
    assert len(tables(fresh_db)) == 5


def test_killed_push_resumes_exactly_once(fresh_db, project):
    # the second migration waits for an advisory lock the test holds: the push is killed while
    # it is known to be inside that migration, with the first one committed
    gate = 424242
    for i in range(1, 5):
        wait = f"select pg_advisory_xact_lock_shared({gate});\n" if i == 2 else ""
        project.add(f"2024010100000{i}", f"m{i}", f"create table t{i} (id int);\n{wait}insert into t{i} values ({i});")
    holder = psycopg.connect(fresh_db.conninfo(), autocommit=True)
    holder.execute("select pg_advisory_lock(%s)", (gate,))
    env = dict(os.environ, PGRELEASE_DB_URL=fresh_db.url(reveal=True))
    proc = subprocess.Popen([sys.executable, "-m", "pgrelease", "push", "--workdir", str(project.root), "-q",
                             "--lock-timeout", "0"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: waiting_on(fresh_db, "advisory", objid=gate) or proc.poll() is not None,
                   what="the push to wait inside the second migration")
        assert proc.poll() is None, "push ended before it reached the second migration"
        backends = waiting_on(fresh_db, "advisory", objid=gate)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finally:
        holder.close()

    def gone():  # the killed push's server backends have ended (their transaction rolled back)
        with connect(fresh_db) as conn:
            return not conn.execute("select 1 from pg_stat_activity where pid = any(%s)", (backends,)).fetchall()

    wait_until(gone, what="the killed push's backend to end")
    partial = recorded(fresh_db)
    assert partial == ["20240101000001"]
    result = push(fresh_db, discover(project.root), FAST)
    assert result.failure is None
    assert recorded(fresh_db) == [f"2024010100000{i}" for i in range(1, 5)]
    with connect(fresh_db) as conn:
        for i in range(1, 5):
            assert conn.execute(f"select count(*) from t{i}").fetchone()[0] == 1


def test_session_settings_do_not_leak_between_migrations(fresh_db, project):
    project.add("20240101000001", "a", "create schema app;\nset search_path = app;\ncreate table inner_t (id int);")
    project.add("20240101000002", "b", "create table outer_t (id int);")
    push(fresh_db, discover(project.root), FAST)
    assert tables(fresh_db) == ["outer_t"]


def test_copy_from_stdin_in_a_migration(fresh_db, project):
    project.add("20240101000001", "seed", "create table c (id int, note text);\n"
                "copy c (id, note) from stdin;\n1\thas ; semicolon\n2\t$$ dollars\n\\.\n"
                "insert into c values (3, 'after');\n")
    result = push(fresh_db, discover(project.root), FAST)
    assert result.failure is None
    with connect(fresh_db) as conn:
        assert conn.execute("select array_agg(note order by id) from c").fetchone()[0] == [
            "has ; semicolon", "$$ dollars", "after"]


def test_status_and_repair(fresh_db, project):
    project.add("20240101000001", "a", "create table a (id int);")
    project.add("20240101000002", "b", "create table b (id int);")
    push(fresh_db, discover(project.root), FAST)
    project.add("20240101000003", "c", "create table c (id int);")
    report = commands.status(project.root, fresh_db)
    assert [r["state"] for r in report.data["rows"]] == ["applied", "applied", "pending"]
    res = run_cli("repair", "--status", "reverted", "20240101000002", "--workdir", project.root,
                  "--db-url", fresh_db.url(reveal=True))
    assert res.exit_code == 0, res.output
    assert recorded(fresh_db) == ["20240101000001"]
    res = run_cli("repair", "--status", "applied", "20240101000002", "20240101000003", "--workdir", project.root,
                  "--db-url", fresh_db.url(reveal=True))
    assert res.exit_code == 0, res.output
    assert recorded(fresh_db) == ["20240101000001", "20240101000002", "20240101000003"]
    assert tables(fresh_db) == ["a", "b"]  # repair runs no migration SQL
    res = run_cli("repair", "--status", "applied", "20990101000000", "--workdir", project.root,
                  "--db-url", fresh_db.url(reveal=True))
    assert res.exit_code == 2 and "no local migration file" in res.output


def test_new_creates_timestamped_file(project):
    res = run_cli("new", "Add Profiles table", "--workdir", project.root)
    assert res.exit_code == 0, res.output
    files = sorted(p.name for p in project.migrations.iterdir())
    assert len(files) == 1 and files[0].endswith("_add_profiles_table.sql") and files[0][:14].isdigit()
    run_cli("new", "second", "--workdir", project.root)
    versions = sorted(p.name[:14] for p in project.migrations.iterdir())
    assert len(set(versions)) == 2


def test_unreachable_target_exit_3(project):
    project.add("20240101000001", "a", "create table a (id int);")
    res = run_cli("push", "--workdir", project.root, "--db-url", "postgresql://postgres:pw-not-shown@127.0.0.1:1/postgres",
                  "--connect-timeout", "1")
    assert res.exit_code == 3
    assert "127.0.0.1:1" in res.output and "pw-not-shown" not in res.output and "hint:" in res.output


def test_missing_migrations_dir_exit_2(tmp_path, fresh_db):
    res = run_cli("push", "--workdir", tmp_path, "--db-url", fresh_db.url(reveal=True))
    assert res.exit_code == 2 and "no migrations directory" in res.output


def test_interrupt_cancels_the_running_statement(fresh_db, project):
    # the runner sends a file through libpq's blocking PQexec: Ctrl-C (SIGINT) must still cancel
    # the statement on the server at once, roll the migration back and exit 130
    project.add("20240101000001", "slow", "create table slow_t (id int);\nselect pg_sleep(600);")
    env = dict(os.environ, PGRELEASE_DB_URL=fresh_db.url(reveal=True))
    proc = subprocess.Popen([sys.executable, "-m", "pgrelease", "push", "--workdir", str(project.root), "-q"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def sleeping():
        with connect(fresh_db) as conn:
            return conn.execute("select count(*) from pg_stat_activity where query like '%pg_sleep(600)%'"
                                " and state = 'active' and pid <> pg_backend_pid()").fetchone()[0] > 0

    try:
        wait_until(lambda: sleeping() or proc.poll() is not None, what="the push to run the slow statement")
        assert proc.poll() is None
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=120)  # far less than the statement's 600 s: it was cancelled
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, output
    assert "interrupted" in output and "Traceback" not in output
    assert not sleeping() and tables(fresh_db) == [] and recorded(fresh_db) == []


def test_characters_the_database_encoding_cannot_hold_fail_cleanly(fresh_db, project):
    name = f"{fresh_db.dbname}_latin1"
    with connect(fresh_db) as conn:
        conn.execute(f'create database "{name}" encoding \'LATIN1\' locale \'C\' template template0')
    try:
        latin1 = fresh_db.with_dbname(name)
        project.add("20240101000001", "fine", "create table fine (note text default 'café');")
        project.add("20240101000002", "emoji", "create table emoji (note text default '😀');")
        result = push(latin1, discover(project.root), PushOptions(lock_wait=5))
        assert [e.status for e in result.entries] == ["applied", "failed"]
        err = result.failure
        assert isinstance(err, MigrationFailed) and err.file == "supabase/migrations/20240101000002_emoji.sql"
        assert "encoding" in err.message and "nothing from it was applied" in err.message
        assert recorded(latin1) == ["20240101000001"] and tables(latin1) == ["fine"]
    finally:
        with connect(fresh_db) as conn:
            conn.execute(f'drop database if exists "{name}" with (force)')

"""Issue 12, item 11: a history row recorded by another process (outside pgrelease's lock, e.g.
``supabase db push``) while a push runs the same migration. The failure says what happened,
blames no line of the file, and the file is not run again to locate an error that is not in it.

The migration waits on an advisory lock the test holds; meanwhile the test records the version
from another session, then lets the migration go on to its history INSERT."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest

from pgrelease.db.connect import connect
from pgrelease.errors import MigrationFailed
from pgrelease.migrations import history
from pgrelease.migrations.apply import PushOptions, push
from pgrelease.migrations.files import discover

GATE = 515151
VERSION = "20240101000001"

# each body counts its runs in a sequence (nextval survives a rollback, so a replay shows)
BODIES = {
    "batch": f"create table made (id int);\nselect nextval('public.runs');\nselect pg_advisory_xact_lock_shared({GATE});\n",
    "statements": (f"create table made (id int);\nselect nextval('public.runs');\n"
                   f"select pg_advisory_xact_lock_shared({GATE});\ncopy made (id) from stdin;\n1\n\\.\n"),
}


def _waiting(dsn) -> bool:
    with connect(dsn) as conn:
        return bool(conn.execute("select 1 from pg_locks where not granted and locktype = 'advisory' and objid = %s",
                                 (GATE,)).fetchall())


@pytest.mark.parametrize("how", sorted(BODIES))
def test_version_recorded_by_another_process_meanwhile(fresh_db, project, how):
    with connect(fresh_db) as conn:
        history.ensure_history_table(conn)
        conn.execute("create sequence public.runs")
    project.add(VERSION, "contended", BODIES[how])
    holder = psycopg.connect(fresh_db.conninfo(), autocommit=True)
    holder.execute("select pg_advisory_lock(%s)", (GATE,))
    outcome: dict = {}

    def run():
        try:
            outcome["result"] = push(fresh_db, discover(project.root), PushOptions(lock_wait=5, lock_timeout="0"))
        except Exception as exc:  # reported below
            outcome["raised"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not _waiting(fresh_db):
            assert time.monotonic() < deadline and thread.is_alive(), outcome
            time.sleep(0.01)
        with connect(fresh_db) as other:  # another tool records the version, outside pgrelease's lock
            other.execute("insert into supabase_migrations.schema_migrations (version, name, statements) "
                          "values (%s, 'contended', '{}')", (VERSION,))
    finally:
        holder.close()
        thread.join(60)
    assert "raised" not in outcome, outcome
    err = outcome["result"].failure
    assert isinstance(err, MigrationFailed), err
    assert err.message.startswith(f"version {VERSION} was recorded by another process while this push ran")
    assert "nothing of this migration was applied" in err.message
    assert err.line is None and "fix " not in (err.hint or ""), err.to_dict()
    assert err.file == f"supabase/migrations/{VERSION}_contended.sql"
    with connect(fresh_db) as conn:
        assert conn.execute("select to_regclass('public.made')").fetchone()[0] is None  # rolled back
        assert conn.execute("select last_value from public.runs").fetchone()[0] == 1, "the file was run again"
        assert conn.execute("select count(*) from supabase_migrations.schema_migrations").fetchone()[0] == 1

"""The audit table shared by promote and flags set: created with pgrelease's shape, mapped onto
an existing table's columns, refused (naming the columns) when it cannot take the rows."""

from __future__ import annotations

import pytest

from pgrelease.checks import audit
from pgrelease.db.connect import connect
from pgrelease.errors import UsageError


def test_created_when_missing_and_round_trip(fresh_db):
    with connect(fresh_db) as conn:
        table = audit.ensure(conn)
        assert table.created and table.qualified == "public.audit_log"
        assert set(table.columns) == {"id", "actor", "action", "target", "details", "created_at"}
        row = audit.insert(conn, table, actor="octocat", action="deployment", target="production",
                           details={"status": "started"}, status="started", commit_sha="abc")
        audit.update(conn, table, row, {"status": "succeeded", "applied": ["1"]}, status="succeeded")
        (details,) = conn.execute("select details from public.audit_log where id = %s", (int(row),)).fetchone()
        assert details == {"status": "succeeded", "applied": ["1"]}
        assert audit.ensure(conn).created is False  # the second time it is found


def test_existing_table_gets_the_columns_it_has(fresh_db):
    with connect(fresh_db) as conn:
        conn.execute("create schema ops")
        conn.execute("create table ops.audit (id uuid primary key default gen_random_uuid(), actor text not null,"
                     " action text not null, details json, status text, sha text, run_url text, environment text,"
                     " note text)")
        table = audit.ensure(conn, "ops.audit")
        assert not table.created and table.column_for("commit_sha") == "sha"
        row = audit.insert(conn, table, actor="a", action="deployment", target="production", details={"x": 1},
                           status="started", commit_sha="f00", run_url="https://example.com/run",
                           environment="production")
        audit.update(conn, table, row, {"y": 2}, status="failed")
        got = conn.execute("select status, sha, run_url, environment, details::jsonb from ops.audit").fetchone()
    assert got == ("failed", "f00", "https://example.com/run", "production", {"x": 1, "y": 2})


def test_unwritable_tables_are_refused_naming_the_columns(fresh_db):
    with connect(fresh_db) as conn:
        conn.execute("create table public.audit_log (actor text, action text, details text, who text not null)")
        with pytest.raises(UsageError) as caught:
            audit.ensure(conn)
        message = caught.value.message
        assert "column id is missing" in message and "column details is text, not json or jsonb" in message
        assert "column who is NOT NULL without a default" in message
        with pytest.raises(UsageError, match="schema nowhere does not exist"):
            audit.ensure(conn, "nowhere.audit")
        with pytest.raises(UsageError, match="does not exist"):
            audit.ensure(conn, "public.other", create=False)


@pytest.mark.parametrize("name", ["", "a.b.c", "1abc", "audit log", "x;drop table y", '"unclosed'])
def test_bad_table_names(name):
    with pytest.raises(UsageError):
        audit.parse_table_name(name)


def test_table_names():
    assert audit.parse_table_name("audit_log") == ("public", "audit_log")
    assert audit.parse_table_name('Ops."Audit Trail"') == ("ops", "Audit Trail")


def test_stale_started_rows(fresh_db):
    with connect(fresh_db) as conn:
        table = audit.ensure(conn)
        mine = audit.insert(conn, table, actor="a", action="deployment", details={"status": "started",
                                                                                  **audit.session(conn)})
        gone = audit.insert(conn, table, actor="a", action="deployment",
                            details={"status": "started", "backend_pid": 1, "backend_start": "2000-01-01"})
        audit.insert(conn, table, actor="a", action="deployment", details={"status": "succeeded"})
        assert audit.stale_started(conn, table) == [gone]
        assert mine not in audit.stale_started(conn, table)

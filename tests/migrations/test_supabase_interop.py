"""pgrelease and the real Supabase CLI take turns on one database's history table."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from pgrelease import commands
from pgrelease.db.connect import connect
from pgrelease.migrations import history
from pgrelease.migrations.apply import PushOptions, push
from pgrelease.migrations.files import discover

REPO = Path(__file__).resolve().parents[2]


def _supabase_cli() -> str | None:
    local = REPO / "node_modules" / ".bin" / "supabase"
    if local.exists():
        return str(local)
    return shutil.which("supabase")


CLI = _supabase_cli()
if CLI is None and os.environ.get("CI"):
    raise RuntimeError("the Supabase CLI is not installed: run `npm install` in the repository (CI must have it)")
pytestmark = [pytest.mark.supabase_cli,
              pytest.mark.skipif(CLI is None, reason="Supabase CLI not installed (npm install)")]


def supabase(project, dsn, *args):
    proc = subprocess.run([CLI, *args, f"--remote={dsn.url(reveal=True)}", "--workdir", str(project.root)],
                          capture_output=True, text=True, timeout=180, env=dict(os.environ, SUPABASE_YES="1"))
    return proc.returncode, dsn.scrub(proc.stdout + proc.stderr)


def write_set(project):
    project.add("20240101000001", "profiles", "-- profiles\ncreate table profiles (id uuid primary key, name text);\n"
                "comment on table profiles is 'user; profiles';\n")
    project.add("20240101000002", "func", "create function hello() returns text language plpgsql as $$\n"
                "begin\n  return 'hi; there';\nend;\n$$;\n")
    project.add("20240101000003", "posts", "create table posts (id bigint generated always as identity primary key,"
                " body text);\n/* block */ create index posts_body on posts (body);\n")


def test_pgrelease_push_then_supabase_sees_everything_applied(fresh_db, project):
    write_set(project)
    assert push(fresh_db, discover(project.root), PushOptions(lock_wait=5)).failure is None
    code, out = supabase(project, fresh_db, "migration", "list")
    assert code == 0, out
    for version in ("20240101000001", "20240101000002", "20240101000003"):
        assert out.count(version) >= 2, out  # local and remote columns
    code, out = supabase(project, fresh_db, "db", "push", "--yes")
    assert code == 0, out
    assert "Applying migration" not in out
    assert fresh_db.password not in out


def test_supabase_push_then_pgrelease_continues(fresh_db, project):
    write_set(project)
    later = project.migrations / "20240101000003_posts.sql"
    held = later.read_text()
    later.unlink()
    code, out = supabase(project, fresh_db, "db", "push", "--yes")
    assert code == 0, out
    later.write_text(held)
    report = commands.status(project.root, fresh_db)
    states = {r["local"]: r["state"] for r in report.data["rows"]}
    # the CLI stores statements split its own way (comments attached): not an edit
    assert states == {"20240101000001": "applied", "20240101000002": "applied", "20240101000003": "pending"}
    result = push(fresh_db, discover(project.root), PushOptions(lock_wait=5))
    assert [e.version for e in result.entries] == ["20240101000003"] and result.failure is None
    with connect(fresh_db) as conn:
        assert [a.version for a in history.read_history(conn)] == ["20240101000001", "20240101000002", "20240101000003"]
    code, out = supabase(project, fresh_db, "migration", "list")
    assert code == 0 and out.count("20240101000003") >= 2, out


def test_history_table_shape_matches_the_cli(make_db, project):
    write_set(project)
    ours, theirs = make_db(), make_db()
    push(ours, discover(project.root), PushOptions(lock_wait=5))
    code, out = supabase(project, theirs, "db", "push", "--yes")
    assert code == 0, out
    query = ("select column_name, data_type, is_nullable, column_default from information_schema.columns "
             "where table_schema = 'supabase_migrations' and table_name = 'schema_migrations' order by ordinal_position")
    pk = ("select pg_get_constraintdef(oid) from pg_constraint "
          "where conrelid = 'supabase_migrations.schema_migrations'::regclass and contype = 'p'")
    shapes = []
    for dsn in (ours, theirs):
        with connect(dsn) as conn:
            shapes.append((conn.execute(query).fetchall(), conn.execute(pk).fetchall()))
    assert shapes[0] == shapes[1]


WRAPPED = ("-- written for psql: one transaction\nBEGIN;\ncreate table boards (id bigint primary key, title text);\n"
           "comment on table boards is 'boards; cards';\nCOMMIT;\n")
BLOCKS = ("begin;\ncreate type ticket_status as enum ('open');\ncommit;\n"
          "begin;\nalter type ticket_status add value 'closed';\ncommit;\n"
          "begin;\ncreate table tickets (id int, status ticket_status default 'closed');\ncommit;\n")


def write_transaction_files(project):
    project.add("20240201000001", "wrapped", WRAPPED)
    project.add("20240201000002", "blocks", BLOCKS)


def recorded_statements(dsn):
    with connect(dsn) as conn:
        return {a.version: list(a.statements) for a in history.read_history(conn)}


def test_supabase_applies_transaction_files_and_pgrelease_reads_them_applied(fresh_db, project):
    write_transaction_files(project)
    code, out = supabase(project, fresh_db, "db", "push", "--yes")
    assert code == 0, out
    theirs = recorded_statements(fresh_db)
    assert theirs["20240201000001"][0].lower().endswith("begin") and theirs["20240201000001"][-1].lower() == "commit"
    report = commands.status(project.root, fresh_db)
    assert {r["local"]: r["state"] for r in report.data["rows"]} == {"20240201000001": "applied",
                                                                     "20240201000002": "applied"}
    result = push(fresh_db, discover(project.root), PushOptions(lock_wait=5))
    assert result.entries == [] and result.failure is None


def test_pgrelease_applies_transaction_files_and_supabase_sees_them_applied(make_db, project):
    write_transaction_files(project)
    ours, theirs = make_db(), make_db()
    result = push(ours, discover(project.root), PushOptions(lock_wait=5))
    assert result.failure is None and [e.status for e in result.entries] == ["applied", "applied"]
    code, out = supabase(project, ours, "migration", "list")
    assert code == 0 and out.count("20240201000001") >= 2 and out.count("20240201000002") >= 2, out
    code, out = supabase(project, ours, "db", "push", "--yes")
    assert code == 0 and "Applying migration" not in out, out
    # both tools record every statement, BEGIN/COMMIT included; only comment attachment differs
    code, out = supabase(project, theirs, "db", "push", "--yes")
    assert code == 0, out
    mine, cli = recorded_statements(ours), recorded_statements(theirs)
    assert mine["20240201000002"] == cli["20240201000002"]
    assert [s.split("\n")[-1] for s in cli["20240201000001"]] == mine["20240201000001"]
    assert mine["20240201000001"][0] == "BEGIN" and mine["20240201000001"][-1] == "COMMIT"

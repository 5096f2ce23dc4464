"""Files with transaction control of their own: a whole-file BEGIN/COMMIT wrapper runs as one
transaction; several blocks run block by block as psql runs them; what cannot run as
written is refused before anything runs, every file and every line at once, by push,
push --dry-run, shadow, the gate and lint alike."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from pgrelease import commands
from pgrelease.cli import main
from pgrelease.db.connect import connect
from pgrelease.errors import MigrationFailed, RefusedFiles, SqlFileError
from pgrelease.lint import lint_project
from pgrelease.migrations.apply import PushOptions, push
from pgrelease.migrations.files import discover
from pgrelease.migrations.parse import WRAPPER_NOTE, parse_migration
from pgrelease.migrations.split import split_sql
from pgrelease.pipeline.gate import GateOptions, gate
from pgrelease.commands import shadow
from pgrelease.pipeline.shadow import ShadowOptions

REPO = Path(__file__).resolve().parents[2]
KANBAN = REPO / "tests" / "fixtures" / "transaction_files" / "kanban"
REFUSED = REPO / "tests" / "fixtures" / "transaction_files" / "refused"
PG_BIN = os.environ.get("PGRELEASE_TEST_PG_BIN") or None
FAST = PushOptions(lock_wait=10, retry_backoff=0.05)
SAVEPOINTS = "savepoints are not supported in a migration file"
TWO_PHASE = "two-phase commit is not supported in a migration file"

# file -> [(line, message)] of every refused line
EXPECTED_REFUSED = {
    "20240402000000_try_and_undo.sql": [(4, "ROLLBACK on line 4: a migration cannot roll back its own work")],
    "20240403000000_savepoints.sql": [(2, f"SAVEPOINT on line 2: {SAVEPOINTS}"),
                                      (4, f"RELEASE SAVEPOINT on line 4: {SAVEPOINTS}")],
    "20240404000000_two_phase.sql": [(3, f"PREPARE TRANSACTION on line 3: {TWO_PHASE}"),
                                     (4, f"COMMIT PREPARED on line 4: {TWO_PHASE}")],
    "20240405000000_nested_begin.sql": [(3, "BEGIN on line 3: inside the transaction block opened on line 1")],
    "20240406000000_stray_commit.sql": [(2, "COMMIT on line 2: no BEGIN opened a transaction block before it")],
    "20240407000000_unclosed.sql": [(1, "START TRANSACTION on line 1: the transaction block it opens has no COMMIT"
                                        " before the end of the file")],
    "20240408000000_psql_script.sql": [(1, "psql meta-command \\set on line 1 cannot run here"),
                                       (3, "psql meta-command \\i on line 3 cannot run here")],
    "20240409000000_concurrent_in_block.sql": [(2, "CREATE INDEX CONCURRENTLY on line 2: cannot run inside the"
                                                   " transaction block opened on line 1")],
}


def run_cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def recorded(dsn) -> dict[str, list[str]]:
    with connect(dsn) as conn:
        if conn.execute("select to_regclass('supabase_migrations.schema_migrations')").fetchone()[0] is None:
            return {}
        return dict(conn.execute("select version, statements from supabase_migrations.schema_migrations order by 1"))


def scalar(dsn, query):
    with connect(dsn) as conn:
        return conn.execute(query).fetchone()[0]


def enum_values(dsn, name):
    return scalar(dsn, f"select array_agg(enumlabel::text order by enumsortorder) from pg_enum"
                       f" where enumtypid = '{name}'::regtype")


@pytest.fixture
def kanban(tmp_path) -> Path:
    dest = tmp_path / "kanban"
    shutil.copytree(KANBAN, dest)
    return dest


# --- the kanban project: wrapped files, several blocks, statements outside blocks ------------------


def test_kanban_pushes_as_written(supabase_db, kanban):
    result = push(supabase_db, discover(kanban), FAST)
    assert result.failure is None, result.failure and result.failure.to_dict()
    entries = {e.name: e for e in result.entries}
    assert [e.status for e in result.entries] == ["applied"] * 5
    # wrapped: one transaction, like any file
    for name in ("boards", "board_positions"):
        assert entries[name].no_transaction is None and entries[name].note == WRAPPER_NOTE
    # several blocks: reported loudly, naming the blocks
    assert entries["card_status_done"].no_transaction == (
        "its own BEGIN/COMMIT blocks run one by one, each committed on its own, as psql runs them: block lines 3-6,"
        " block lines 8-11, block lines 13-17; the history row is written with the last block")
    assert entries["card_events"].no_transaction == (
        "its own BEGIN/COMMIT blocks run one by one, each committed on its own, as psql runs them: line 3 on its own,"
        " line 10 on its own, block lines 12-26, line 28 on its own; the history row is written after the last"
        " statement")
    assert entries["card_priority"].no_transaction.startswith("the file says -- pgrelease: no-transaction; its own")
    assert sum("ran block by block as written" in n for n in result.notes) == 3
    assert enum_values(supabase_db, "public.card_status") == ["todo", "doing", "done"]
    assert enum_values(supabase_db, "public.card_label") == ["bug", "feature", "chore"]
    assert scalar(supabase_db, "select indisvalid from pg_index where indexrelid = 'card_events_card_id_idx'::regclass")
    # the history row records every statement as written, BEGIN/COMMIT included (as the Supabase CLI does)
    rows = recorded(supabase_db)
    for migration in discover(kanban).files:
        assert rows[migration.version] == [s.sql for s in split_sql(migration.text)]
    assert rows["20240301090000"][0] == "BEGIN" and rows["20240301090000"][-1] == "COMMIT"
    # nothing reads as edited, nothing is pending
    states = {r["local"]: r["state"] for r in commands.status(kanban, supabase_db).data["rows"]}
    assert set(states.values()) == {"applied"}, states
    assert push(supabase_db, discover(kanban), FAST).entries == []


def test_kanban_shadow_replays(kanban):
    report = shadow(kanban, ShadowOptions(pg_bin=PG_BIN))
    assert report.exit_code == 0, [e.to_dict() for e in report.errors]
    notes = {m.name: m.note for m in report.migrations}
    assert notes["boards"] == notes["board_positions"] == WRAPPER_NOTE
    assert [m.name for m in report.migrations if m.no_transaction] == ["card_status_done", "card_events",
                                                                       "card_priority"]


def test_blocks_are_needed_the_new_value_must_be_committed(supabase_db, kanban):
    """The same statements as one transaction fail: the blocks are what makes the file work."""
    path = kanban / "supabase" / "migrations" / "20240305100000_card_status_done.sql"
    lines = [line for line in path.read_text().splitlines() if line not in ("begin;", "commit;")]
    path.write_text("\n".join(lines) + "\n")
    result = push(supabase_db, discover(kanban), FAST)
    assert result.failure.sqlstate == "55P04"  # unsafe use of new value
    assert [e.status for e in result.entries] == ["applied", "failed", "not-run", "not-run", "not-run"]


def test_dry_run_says_how_each_file_runs(supabase_db, kanban):
    result = push(supabase_db, discover(kanban), PushOptions(dry_run=True))
    notes = {e.name: e.note for e in result.entries}
    assert notes["boards"] == "9 statements; would run as one transaction: its BEGIN/COMMIT wrapper is dropped"
    assert [e.name for e in result.entries if e.no_transaction] == ["card_status_done", "card_events",
                                                                    "card_priority"]
    assert recorded(supabase_db) == {}


def test_lint_classifies_like_push(kanban):
    selection, result = lint_project(kanban)
    runner = {m.display_path: parse_migration(m).no_transaction for m in discover(kanban).files}
    assert {f.file: f.no_transaction for f in result.files} == runner
    assert not result.by_rule("transaction-control")
    assert [(Path(f.file).name, f.line, f.severity) for f in result.by_rule("transaction-blocks")] == [
        ("20240305100000_card_status_done.sql", 3, "warning"), ("20240310110000_card_events.sql", 12, "warning")]
    [events] = [f for f in result.by_rule("transaction-blocks") if "card_events" in f.file]
    assert events.message == (
        "this file runs block by block as written: 1 BEGIN/COMMIT block(s) and 3 statement(s) outside them each"
        " commit on their own; if a later one fails, the earlier ones stay applied and the history row is not"
        " written, so the next push runs them again")


# --- wrapped files -------------------------------------------------------------------------------------


def test_wrapper_keeps_its_isolation_level(fresh_db, project):
    project.add("20240101000001", "serializable", "-- by hand\nBEGIN ISOLATION LEVEL SERIALIZABLE;\n"
                "create table iso as select current_setting('transaction_isolation') as level;\nCOMMIT;\n")
    project.add("20240101000002", "blocks", "begin isolation level repeatable read;\n"
                "insert into iso select current_setting('transaction_isolation');\ncommit;\n"
                "insert into iso select current_setting('transaction_isolation');\n")
    result = push(fresh_db, discover(project.root), FAST)
    assert result.failure is None
    with connect(fresh_db) as conn:
        assert [r[0] for r in conn.execute("select level from iso")] == ["serializable", "repeatable read",
                                                                          "read committed"]


def test_failing_wrapped_file_is_rolled_back_like_any_file(fresh_db, project):
    project.add("20240101000001", "wrapped", "begin;\ncreate table w (id int);\ninsert into w values (1);\n"
                "insert into missing values (1);\ncommit;\n")
    result = push(fresh_db, discover(project.root), FAST)
    err = result.failure
    assert isinstance(err, MigrationFailed) and err.line == 4 and err.extra["rolled_back"] is True
    assert "was rolled back: nothing from it was applied or recorded" in err.message
    assert scalar(fresh_db, "select to_regclass('w')") is None and recorded(fresh_db) == {}


# --- several blocks: partial application, failures, retries, a kill ------------------------------------

STATUS_FILE = """\
begin;
alter type public.item_status add value if not exists 'archived';
commit;

begin;
update public.items set status = 'archived' where archived_at is not null;
commit;
"""


def test_failing_second_block_leaves_the_first_and_no_history_row_then_rerun_finishes(fresh_db, project):
    project.add("20240101000001", "items", "create type public.item_status as enum ('open');\n"
                "create table public.items (id int primary key, status public.item_status not null default 'open');\n")
    path = project.add("20240101000002", "archive", STATUS_FILE)
    project.add("20240101000003", "later", "create table later (id int);")
    result = push(fresh_db, discover(project.root), FAST)
    err = result.failure
    assert isinstance(err, MigrationFailed) and err.sqlstate == "42703" and err.line == 6
    assert err.message == ('column "archived_at" does not exist (20240101000002_archive.sql runs block by block:'
                           " already committed: block lines 1-3; the history row was not written)")
    assert "run again on the next push" in err.hint
    assert err.extra["rolled_back"] is False and err.extra["statements_run"] == [2]
    assert err.extra["blocks_run"] == ["lines 1-3"]
    assert [e.status for e in result.entries] == ["applied", "failed", "not-run"]
    assert list(recorded(fresh_db)) == ["20240101000001"]
    assert enum_values(fresh_db, "public.item_status") == ["open", "archived"]  # the first block stays
    # fixed: the first block is re-runnable, the second now has its column
    path.write_text(STATUS_FILE.replace("begin;\nupdate", "begin;\nalter table public.items add column archived_at"
                                        " timestamptz;\nupdate"))
    again = push(fresh_db, discover(project.root), FAST)
    assert again.failure is None and [e.status for e in again.entries] == ["applied", "applied"]
    assert list(recorded(fresh_db)) == ["20240101000001", "20240101000002", "20240101000003"]


def test_failing_first_block_left_nothing(fresh_db, project):
    project.add("20240101000001", "two", "begin;\ncreate table a (id int);\nselect 1/0;\ncommit;\n"
                "begin;\ncreate table b (id int);\ncommit;\n")
    err = push(fresh_db, discover(project.root), FAST).failure
    assert err.line == 3 and err.sqlstate == "22012" and err.extra["rolled_back"] is True
    assert "was rolled back: nothing from it was applied or recorded" in err.message
    assert scalar(fresh_db, "select to_regclass('a')") is None and recorded(fresh_db) == {}


def test_failing_statement_after_the_last_block(fresh_db, project):
    project.add("20240101000001", "tail", "begin;\ncreate table a (id int);\ncommit;\n"
                "create index concurrently a_nope on a (nope);\n")
    err = push(fresh_db, discover(project.root), FAST).failure
    assert err.line == 4 and err.sqlstate == "42703"
    assert "already committed: block lines 1-3; the history row was not written" in err.message
    assert scalar(fresh_db, "select to_regclass('a') is not null") and recorded(fresh_db) == {}


def _hold_table_lock(dsn, seconds, ready):
    conn = psycopg.connect(dsn.conninfo())
    conn.execute("lock table busy in access exclusive mode")
    ready.set()
    time.sleep(seconds)
    conn.rollback()
    conn.close()


BUSY_FILE = ("begin;\ninsert into log values ('first block');\ncommit;\n"
             "begin;\nalter table busy add column note text;\ncommit;\n")


@pytest.mark.parametrize("retries", [5, 0])
def test_lock_timeout_retries_only_the_failed_block(fresh_db, project, retries):
    with connect(fresh_db) as conn:
        conn.execute("create table busy (id int); create table log (what text)")
    project.add("20240101000001", "busy", BUSY_FILE)
    ready = threading.Event()
    thread = threading.Thread(target=_hold_table_lock, args=(fresh_db, 1.2, ready))
    thread.start()
    ready.wait(5)
    result = push(fresh_db, discover(project.root),
                  PushOptions(lock_wait=5, lock_timeout="200ms", lock_retries=retries, retry_backoff=0.3))
    thread.join()
    assert scalar(fresh_db, "select count(*) from log") == 1  # the first block ran once
    if retries:
        assert result.failure is None and result.entries[0].note.startswith("retried")
        assert list(recorded(fresh_db)) == ["20240101000001"]
    else:
        assert result.failure.sqlstate == "55P03" and result.failure.line == 5
        assert "already committed: block lines 1-3" in result.failure.message
        assert recorded(fresh_db) == {}


def test_killed_during_a_later_block_then_rerun_finishes(fresh_db, project):
    project.add("20240101000001", "t", "create table t (id int primary key);")
    project.add("20240101000002", "slow", "begin;\ninsert into t values (1) on conflict do nothing;\ncommit;\n"
                "begin;\nselect pg_sleep(2);\ncreate table marker (id int);\ncommit;\n")
    env = dict(os.environ, PGRELEASE_DB_URL=fresh_db.url(reveal=True))
    proc = subprocess.Popen([sys.executable, "-m", "pgrelease", "push", "--workdir", str(project.root), "-q"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline:
        if scalar(fresh_db, "select to_regclass('t') is not null") and scalar(fresh_db, "select count(*) from t"):
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert list(recorded(fresh_db)) == ["20240101000001"]  # the first block committed, no history row
    result = push(fresh_db, discover(project.root), PushOptions(lock_wait=20))
    assert result.failure is None and [e.version for e in result.entries] == ["20240101000002"]
    assert scalar(fresh_db, "select count(*) from t") == 1 and scalar(fresh_db, "select to_regclass('marker') is not null")
    assert list(recorded(fresh_db)) == ["20240101000001", "20240101000002"]


# --- refused files: every file, every line, before anything runs ----------------------------------------


def _by_file(err: SqlFileError) -> dict[str, list[tuple[int, str]]]:
    return {Path(part.file).name: part.refused_lines for part in err.parts()}


def test_push_refuses_every_file_at_once(fresh_db):
    with pytest.raises(RefusedFiles) as info:
        push(fresh_db, discover(REFUSED), FAST)
    err = info.value
    assert _by_file(err) == EXPECTED_REFUSED
    assert err.exit_code == 2 and err.hint
    assert err.message.startswith("8 migration files cannot run as written: "
                                  "supabase/migrations/20240402000000_try_and_undo.sql (line 4), "
                                  "supabase/migrations/20240403000000_savepoints.sql (lines 2, 4), ")
    assert recorded(fresh_db) == {} and scalar(fresh_db, "select to_regclass('public.accounts')") is None
    with pytest.raises(RefusedFiles):
        push(fresh_db, discover(REFUSED), PushOptions(dry_run=True))


@pytest.mark.parametrize("command", ["push", "shadow", "push-dry-run"])
def test_cli_reports_each_refused_file(fresh_db, command):
    args = {"push": ["push", "--db-url", fresh_db.url(reveal=True)],
            "push-dry-run": ["push", "--dry-run", "--db-url", fresh_db.url(reveal=True)],
            "shadow": ["shadow"]}[command]
    res = run_cli(*args, "--workdir", REFUSED, "--format", "json")
    assert res.exit_code == 2, res.output
    errors = json.loads(res.stdout)["errors"]
    assert {Path(e["file"]).name: [(r["line"], r["message"]) for r in e.get("refused", [e])] for e in errors} == {
        name: [(line, message) for line, message in lines] for name, lines in EXPECTED_REFUSED.items()}
    text = run_cli(*args, "--workdir", REFUSED)
    assert text.exit_code == 2
    shown = [line for line in text.stdout.splitlines() if line.startswith("error: ")]
    assert len(shown) == len(EXPECTED_REFUSED)  # one error per file, each naming its first line
    for name, lines in EXPECTED_REFUSED.items():
        assert f"error: supabase/migrations/{name}:{lines[0][0]}: " in text.stdout
    assert ("error: supabase/migrations/20240408000000_psql_script.sql:1: psql meta-commands \\set on line 1,"
            " \\i on line 3 cannot run here") in text.stdout


def test_gate_reports_each_refused_file_as_a_shadow_error(supabase_db, tmp_path):
    workdir = tmp_path / "refused"
    shutil.copytree(REFUSED, workdir)
    run = gate(workdir, GateOptions(staging=supabase_db, shadow=ShadowOptions(pg_bin=PG_BIN),
                                    push_options=PushOptions(lock_wait=10, include_all=True), er_diagram=False))
    shadow_step = run.report.step("shadow")
    assert shadow_step.status == "failed"
    assert _by_file(SqlFileError.combine(shadow_step.errors)) == EXPECTED_REFUSED
    assert shadow_step.summary.startswith("8 migration files cannot run as written")
    assert run.report.step("push").skipped and recorded(supabase_db) == {}
    # lint, earlier in the same gate, finds the same lines
    lint = run.report.step("lint")
    found = sorted((Path(f["file"]).name, f["line"]) for f in lint.data["findings"]
                   if f["rule"] in ("transaction-control", "syntax-error"))
    assert found == sorted((name, line) for name, lines in EXPECTED_REFUSED.items() for line, _ in lines)


def test_lint_errors_on_what_push_refuses_with_message_and_line():
    _, result = lint_project(REFUSED)
    got: dict[str, list[tuple[int, str]]] = {}
    for f in result.findings:
        if f.rule in ("transaction-control", "syntax-error"):
            assert f.severity == "error"
            got.setdefault(Path(f.file).name, []).append((f.line, f.message))
    expected = {}
    for name, lines in EXPECTED_REFUSED.items():
        for line, message in lines:
            suffix = (" (pgrelease sends the file's SQL to the server, not to psql: inline the included file or"
                      " replace the meta-command with plain SQL)" if "meta-command" in message
                      else ": the runner refuses this file before running anything")
            expected.setdefault(name, []).append((line, message + suffix))
    assert got == expected
    assert not result.by_rule("transaction-blocks")

"""Verify and smoke scripts against a real database: errors, false booleans and TAP
``not ok`` fail a script at its line; every script is rolled back."""

from __future__ import annotations

from pathlib import Path

from pgrelease.checks.sqlscripts import find_scripts, verify
from pgrelease.db.connect import connect


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_passing_scripts_and_order(tmp_path, fresh_db):
    workdir = _project(tmp_path, {
        "scripts/smoke.sql": "select 1;\n",
        "supabase/verify/b/02_more.sql": "select true as fine;\nselect 'ok 1 - tap passes';\n",
        "supabase/verify/01_first.sql": "do $$ begin perform 1; end $$;\n",
    })
    result = verify(fresh_db, workdir)
    assert [s.name for s in result.scripts] == [
        "smoke scripts/smoke.sql", "verify supabase/verify/01_first.sql", "verify supabase/verify/b/02_more.sql"]
    assert result.ok and not result.failures
    assert result.scripts[2].statements == 2 and result.scripts[2].rows == 2


def test_false_boolean_fails_at_its_line(tmp_path, fresh_db):
    workdir = _project(tmp_path, {"supabase/verify/rls.sql":
                                  "select true as first;\n\nselect 1 = 2 as every_table_has_rls;\n"})
    (script,) = verify(fresh_db, workdir).scripts
    assert not script.ok
    assert script.line == 3
    assert script.message == "returned false (every_table_has_rls)"


def test_two_columns_or_null_are_not_expectations(tmp_path, fresh_db):
    workdir = _project(tmp_path, {"supabase/verify/x.sql": "select false, 1;\nselect null::boolean as unknown;\n"})
    (script,) = verify(fresh_db, workdir).scripts
    assert script.ok, script.message


def test_tap_not_ok_fails_and_todo_does_not(tmp_path, fresh_db):
    workdir = _project(tmp_path, {
        "supabase/verify/todo.sql": "select 'not ok 1 - later # TODO not yet';\n",
        "supabase/verify/tap.sql": "select * from (values ('1..2'), ('ok 1 - table exists'),"
                                   " ('not ok 2 - policy exists')) as t(tap);\n",
    })
    tap, todo = verify(fresh_db, workdir).scripts
    assert todo.ok
    assert not tap.ok and tap.message == "not ok 2 - policy exists" and tap.line == 1


def test_error_names_line_and_sqlstate(tmp_path, fresh_db):
    workdir = _project(tmp_path, {"supabase/verify/err.sql":
                                  "select 1;\ndo $$ begin raise exception 'bot_config has no schema_version'"
                                  " using hint = 'run the migrations'; end $$;\n"})
    (script,) = verify(fresh_db, workdir).scripts
    assert not script.ok
    assert (script.line, script.sqlstate, script.hint) == (2, "P0001", "run the migrations")
    assert script.message == "bot_config has no schema_version"


def test_scripts_never_change_the_database(tmp_path, fresh_db):
    with connect(fresh_db) as conn:
        conn.execute("create table t (id int)")
    workdir = _project(tmp_path, {"supabase/verify/write.sql": "insert into t values (1);\ncreate table u (id int);\n"})
    assert verify(fresh_db, workdir).ok
    with connect(fresh_db) as conn:
        assert conn.execute("select count(*) from t").fetchone()[0] == 0
        assert conn.execute("select to_regclass('public.u')").fetchone()[0] is None


def test_no_scripts(tmp_path):
    assert find_scripts(tmp_path) == []

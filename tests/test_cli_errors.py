"""Bad input on every engine command: a one-line cause, a hint, the documented exit code,
and nothing changed in the database."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pgrelease.cli import main
from pgrelease.db.connect import connect

UNREACHABLE = "postgresql://postgres:pw-secret-x@127.0.0.1:1/postgres"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def snapshot(dsn):
    with connect(dsn) as conn:
        return conn.execute(
            "select coalesce(string_agg(n.nspname || '.' || c.relname, ',' order by 1), '') from pg_class c "
            "join pg_namespace n on n.oid = c.relnamespace where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')"
        ).fetchone()[0]


def assert_error(res, code, *needles):
    assert res.exit_code == code, res.output
    report = json.loads(res.stdout)
    err = report["errors"][0]
    assert "\n" not in err["message"] and err.get("hint"), err
    for needle in needles:
        assert needle in json.dumps(err), (needle, err)
    assert "pw-secret-x" not in res.output


@pytest.mark.parametrize("command", [["push"], ["status"], ["push", "--dry-run"], ["repair", "--status", "reverted", "1"]])
def test_unreachable_host(project, command):
    project.add("20240101000001", "a", "create table a (id int);")
    res = run(*command, "--workdir", project.root, "--db-url", UNREACHABLE, "--connect-timeout", "1", "--format", "json")
    assert_error(res, 3, "127.0.0.1:1")


@pytest.mark.parametrize("command", [["push"], ["status"], ["shadow"], ["drift"]])
def test_missing_project_directory(tmp_path, fresh_db, command):
    # shadow too is pointed at fresh_db (as its shadow database), so the comparison can fail
    extra = ["--shadow-url" if command == ["shadow"] else "--db-url", fresh_db.url(reveal=True)]
    before = snapshot(fresh_db)
    res = run(*command, "--workdir", tmp_path / "nope", *extra, "--format", "json")
    assert_error(res, 2, "does not exist")
    assert snapshot(fresh_db) == before


@pytest.mark.parametrize("sql,line,needle", [
    ("create table a (id int);\ncreate tabel b (id int);\n", 2, "42601"),  # syntax error: exit 1, rolled back
])
def test_broken_sql_push(fresh_db, project, sql, line, needle):
    project.add("20240101000001", "a", sql)
    res = run("push", "--workdir", project.root, "--db-url", fresh_db.url(reveal=True), "--format", "json")
    assert_error(res, 1, needle)
    assert json.loads(res.stdout)["errors"][0]["line"] == line
    assert "public.a" not in snapshot(fresh_db).split(",")  # rolled back


def test_unterminated_dollar_quote_is_refused(fresh_db, project):
    project.add("20240101000001", "a", "create function f() returns int language sql as $$ select 1;\n")
    before = snapshot(fresh_db)
    res = run("push", "--workdir", project.root, "--db-url", fresh_db.url(reveal=True), "--format", "json")
    assert_error(res, 2, "20240101000001_a.sql")
    assert snapshot(fresh_db) == before


@pytest.mark.parametrize("version", ["abc", "2024-01-01"])
def test_repair_bad_version(fresh_db, project, version):
    project.add("20240101000001", "a", "create table a (id int);")
    before = snapshot(fresh_db)
    res = run("repair", "--status", "applied", version, "--workdir", project.root, "--db-url",
              fresh_db.url(reveal=True), "--format", "json")
    assert_error(res, 2, version)
    assert snapshot(fresh_db) == before


def test_bad_url_scheme_and_both_targets(project):
    res = run("status", "--workdir", project.root, "--db-url", "mysql://u@h/db", "--format", "json")
    assert_error(res, 2, "mysql")
    res = run("status", "--workdir", project.root, "--db-url", UNREACHABLE, "--project-ref", "abcdefghijklmnopqrst",
              "--format", "json")
    assert_error(res, 2, "not both")


def test_new_with_unusable_name(project):
    res = run("new", "!!!", "--workdir", project.root, "--format", "json")
    assert_error(res, 2, "!!!")
    assert list(project.migrations.iterdir()) == []


def test_unknown_directive_is_refused(fresh_db, project):
    project.add("20240101000001", "a", "-- pgrelease: no-transactoin\ncreate table a (id int);\n")
    res = run("push", "--workdir", project.root, "--db-url", fresh_db.url(reveal=True), "--format", "json")
    assert_error(res, 2, "no-transaction")
    assert "public.a" not in snapshot(fresh_db)

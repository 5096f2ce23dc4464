"""Every duration and number option of every command, fed malformed values: exit 2, one
clear line, no traceback, and the database exactly as before (nothing connects)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from pgrelease.cli import main
from pgrelease.db.connect import connect

# (an empty value means the default, as an empty input of an action does)
BAD_NUMBERS = ["nan", "NaN", "inf", "-inf", "-5", "1e999", "abc", "10s'; drop table x; --", "５", "1,5"]
BAD_DURATIONS = ["nan", "inf", "-5s", "abc", "5 parsecs", "1'); drop table x; --", "99999h", "0.0001us",
                 "５s", "5s5s"]
# (command argv before the option, option): each takes a number of seconds or a duration
SECONDS_OPTIONS = [
    (["push"], "--lock-wait"), (["push"], "--connect-timeout"), (["status"], "--connect-timeout"),
    (["shadow"], "--connect-timeout"), (["drift"], "--connect-timeout"), (["gate"], "--lock-wait"),
    (["gate"], "--connect-timeout"), (["promote", "--confirm", "CONFIRM PRODUCTION DEPLOYMENT"], "--lock-wait"),
    (["guard"], "--connect-timeout"), (["health"], "--http-timeout"), (["health"], "--redis-timeout"),
    (["flags", "list"], "--connect-timeout"),
    (["push"], "--lock-retry-budget"), (["gate"], "--lock-retry-budget"),
    (["promote", "--confirm", "CONFIRM PRODUCTION DEPLOYMENT"], "--lock-retry-budget"),
]
DURATION_OPTIONS = [
    (["push"], "--lock-timeout"), (["push"], "--statement-timeout"), (["gate"], "--lock-timeout"),
    (["gate"], "--statement-timeout"), (["promote", "--confirm", "CONFIRM PRODUCTION DEPLOYMENT"], "--lock-timeout"),
    (["health"], "--statement-timeout"), (["flags", "set", "f", "true", "--env", "staging"], "--lock-timeout"),
    (["guard", "set-version", "1.0.0", "--migration", "m"], "--lock-timeout"),
    (["push"], "--cancel-blockers-after"), (["gate"], "--cancel-blockers-after"),
    (["promote", "--confirm", "CONFIRM PRODUCTION DEPLOYMENT"], "--cancel-blockers-after"),
]


@pytest.fixture
def untouched(fresh_db):
    """A database the commands are pointed at; nothing may reach it."""
    with connect(fresh_db) as conn:
        conn.execute("create table canary (id int)")
    yield fresh_db.url(reveal=True)
    with connect(fresh_db) as conn:
        assert conn.execute("select count(*) from pg_stat_activity where datname = current_database()"
                            " and pid <> pg_backend_pid()").fetchone()[0] == 0
        assert conn.execute("select to_regclass('supabase_migrations.schema_migrations')").fetchone()[0] is None


def _run(argv, db_url, project):
    extra = ["--workdir", str(project.root)] if argv[0] in ("push", "status", "shadow", "drift", "gate", "promote") \
        else []
    target = [] if argv[0] == "shadow" else ["--db-url", db_url]
    return CliRunner().invoke(main, [*argv, *extra, *target])


def _assert_usage(result, option):
    assert result.exit_code == 2, (option, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and option in errors[0], result.output


@pytest.mark.parametrize("argv,option", SECONDS_OPTIONS, ids=lambda v: v if isinstance(v, str) else v[0])
def test_bad_seconds(argv, option, untouched, project):
    project.add("20240101000001", "a", "create table a (id int);")
    for value in BAD_NUMBERS:
        _assert_usage(_run([*argv, option, value], untouched, project), option)


@pytest.mark.parametrize("argv,option", DURATION_OPTIONS, ids=lambda v: v if isinstance(v, str) else v[0])
def test_bad_durations(argv, option, untouched, project):
    project.add("20240101000001", "a", "create table a (id int);")
    for value in BAD_DURATIONS:
        _assert_usage(_run([*argv, option, value], untouched, project), option)


@pytest.mark.parametrize("value", ["0", "0s", "0ms", "-1s", "2d"])
def test_cancel_blockers_after_must_be_a_positive_duration(value, untouched, project):
    _assert_usage(_run(["push", "--cancel-blockers-after", value], untouched, project), "--cancel-blockers-after")


@pytest.mark.parametrize("value", ["0", "99999", "-1", "abc", "nan"])
def test_bad_ports(value, untouched, project):
    _assert_usage(_run(["status", "--db-port", value], untouched, project), "--db-port")


def test_bad_connect_timeout_from_the_environment(untouched, project):
    result = CliRunner().invoke(main, ["status", "--workdir", str(project.root), "--db-url", untouched],
                                env={"PGRELEASE_CONNECT_TIMEOUT": "nan"})
    _assert_usage(result, "--connect-timeout")


@pytest.mark.parametrize("value,expected", [("5s", "5s"), ("500ms", "500ms"), ("0", "0"), ("2min", "2min"),
                                            ("1.50s", "1.5s"), ("250", "250"), (" 3 s ", "3s")])
def test_good_durations_reach_the_server_as_written(value, expected):
    from pgrelease.cli.types import DURATION

    assert DURATION.convert(value, None, None) == expected


def test_new_names(project):
    result = CliRunner().invoke(main, ["new", "x" * 300, "--workdir", str(project.root), "--format", "json"])
    assert result.exit_code == 2 and "at most 100" in result.output and "Traceback" not in result.output
    result = CliRunner().invoke(main, ["new", "AddProfilesTable", "--workdir", str(project.root)])
    assert result.exit_code == 0 and list(project.migrations.glob("*_add_profiles_table.sql"))
    result = CliRunner().invoke(main, ["new", "héllo wörld", "--workdir", str(project.root)])
    assert result.exit_code == 0 and list(project.migrations.glob("*_hello_world.sql"))


def test_new_refuses_a_directory_without_a_project(tmp_path):
    where = tmp_path / "nowhere"
    result = CliRunner().invoke(main, ["new", "first", "--workdir", str(where)])
    assert result.exit_code == 2 and "has no supabase/ directory" in result.output and not where.exists()
    result = CliRunner().invoke(main, ["new", "first", "--workdir", str(where), "--create"])
    assert result.exit_code == 0 and list((where / "supabase" / "migrations").glob("*_first.sql"))


def test_repair_takes_ascii_versions_only(untouched, project):
    result = CliRunner().invoke(main, ["repair", "--status", "reverted", "０１", "--workdir", str(project.root),
                                       "--db-url", untouched])
    assert result.exit_code == 2 and "is not a migration version" in result.output

"""Schema guard behaviour that mutation testing (mutmut, issue 12 item 20) found untested:
the exact verdicts of compare(), what raise_if_incompatible() raises, the results for a
missing table, row or version, set_version()'s refusals, its time stamp and the lock
timeout it uses, and how select_row() picks a row."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from pgrelease.checks.guard import GuardResult, check, compare, select_row, set_version
from pgrelease.db.dsn import Dsn
from pgrelease.errors import CheckFailed, UsageError
from tests.checks.conftest import execute


# -- compare: the exact verdicts --------------------------------------------------------------
@pytest.mark.parametrize("db, app, verdict", [
    ("1.0.0", "1.0.0", (True, "database schema 1.0.0 matches the application", "none", "equal")),
    ("1.2.0", "1.1.0", (True, "database schema 1.2.0 is newer than the application's 1.1.0 "
                              "(same major: backward compatible)", "none", "db-newer")),
    ("1.1.0", "1.2.0", (False, "application expects schema 1.2.0 but the database is at 1.1.0",
                        "run migrations (pgrelease push) before starting this application", "app-newer")),
    ("2.0.0", "1.5.0", (False, "version conflict: database schema 2.0.0 is major 2, application expects major 1",
                        "deploy an application built for schema 2.x", "major-conflict")),
    ("1.5.0", "2.0.0", (False, "version conflict: database schema 1.5.0 is major 1, application expects major 2",
                        "migrate the database to schema 2.x before starting this application", "major-conflict")),
])
def test_compare_exactly(db, app, verdict):
    result = compare(db, app)
    assert (result.compatible, result.reason, result.action, result.code) == verdict


def test_compare_build_metadata_is_equal_not_newer():
    assert compare("1.0.0+b.2", "1.0.0+b.1").code == "equal"


# -- GuardResult ------------------------------------------------------------------------------
def test_raise_if_incompatible():
    bad = GuardResult(False, "application expects schema 1.2.0 but the database is at 1.1.0", "run migrations",
                      "app-newer", app_version="1.2.0", db_version="1.1.0")
    with pytest.raises(CheckFailed) as caught:
        bad.raise_if_incompatible()
    err = caught.value
    assert err.message == "schema guard: application expects schema 1.2.0 but the database is at 1.1.0"
    assert err.hint == "run migrations"
    assert err.extra == bad.to_dict() and err.extra["verdict"] == "incompatible" and err.exit_code == 1
    good = GuardResult(True, "ok", "none", "equal", app_version="1.0.0")
    assert good.raise_if_incompatible() is good and good.to_dict()["verdict"] == "compatible"


# -- check() against a database ---------------------------------------------------------------
def _record(dsn: Dsn, value, environment: str | None = None) -> None:  # noqa: ANN001
    execute(dsn, "insert into bot_config (config_key, environment, config_value) values ('schema_version', %s, %s)",
            (environment, value if isinstance(value, str) else json.dumps(value)))


def test_missing_table(fresh_db: Dsn):
    result = check(fresh_db, "1.0.0", environ={})
    assert (result.compatible, result.code, result.app_version, result.environment) == (False, "missing", "1.0.0", None)
    assert result.reason == "table bot_config does not exist: the database declares no schema version"
    assert result.action == ("run migrations (the migration that creates bot_config), "
                             "then record the version with pgrelease guard set-version")


def test_missing_column(fresh_db: Dsn):
    execute(fresh_db, "create table bot_config (id int, config_key text)")
    result = check(fresh_db, "1.0.0", environment="staging", environ={})
    assert (result.compatible, result.code, result.environment) == (False, "missing", "staging")
    assert result.reason == "table bot_config lacks column(s) config_value: the database declares no schema version"
    assert result.action == "fix bot_config with a migration"


def test_missing_row(app_db: Dsn):
    result = check(app_db, "1.0.0", environment="production", environ={})
    assert result.compatible is False and result.code == "missing"
    assert result.reason == ("bot_config has no schema_version row for environment production: "
                             "the database declares no schema version")
    assert result.action == "run migrations, or record the version with pgrelease guard set-version"


@pytest.mark.parametrize("value", [{"migration": "x"}, {"version": ""}, {"version": 1}, "[1, 2]"])
def test_a_row_without_a_version_string(app_db: Dsn, value):
    _record(app_db, value, "staging")
    result = check(app_db, "1.0.0", environment="staging", environ={})
    assert (result.compatible, result.code, result.environment) == (False, "missing", "staging")
    shown = json.dumps(json.loads(value) if isinstance(value, str) else value)
    assert result.reason == (f"bot_config schema_version row for environment staging has no \"version\" string "
                             f"(config_value is {shown})")
    assert result.action == "record the version with pgrelease guard set-version"


def test_found_row_fields(app_db: Dsn):
    _record(app_db, {"version": "1.1.0", "migration": 42, "timestamp": None})
    result = check(app_db, "1.0.0", environ={})
    assert (result.compatible, result.code, result.db_version, result.app_version) == (True, "db-newer", "1.1.0",
                                                                                     "1.0.0")
    assert result.migration == "42" and result.timestamp is None and result.environment is None


def test_a_shared_row_serves_an_environment(app_db: Dsn):
    _record(app_db, {"version": "1.0.0", "migration": "m"})
    result = check(app_db, "1.0.0", environment="production", environ={})
    assert result.compatible and result.environment == "production"


@pytest.mark.parametrize("bad", ["Staging", "prod", ""])
def test_unknown_environment(app_db: Dsn, bad):
    for call in (lambda: check(app_db, "1.0.0", environment=bad, environ={}),
                 lambda: set_version(app_db, "1.0.0", "m", environment=bad)):
        with pytest.raises(UsageError) as caught:
            call()
        assert (caught.value.message, caught.value.hint) == (f"unknown environment {bad!r}",
                                                             "use staging or production")


# -- select_row -------------------------------------------------------------------------------
ROWS = [{"environment": "staging", "v": 1}, {"environment": None, "v": 2}]


def test_select_row():
    assert select_row([], None) is None
    assert select_row(ROWS[1:], None) == ROWS[1]
    assert select_row(ROWS, "staging") == ROWS[0]
    assert select_row(ROWS, "production") == ROWS[1]  # the shared row
    assert select_row(ROWS, "production", for_write=True) is None  # a write makes the environment's own row
    with pytest.raises(UsageError) as caught:
        select_row(ROWS, None)
    assert (caught.value.message, caught.value.hint) == (
        "bot_config holds 2 schema_version rows (environments: None, staging)",
        "pass --env staging|production to choose one")
    with pytest.raises(UsageError) as caught:
        select_row([ROWS[0], dict(ROWS[0])], "staging")
    assert (caught.value.message, caught.value.hint) == (
        "bot_config holds 2 schema_version rows for environment staging",
        "keep one schema_version row per environment (delete the duplicates with a migration)")


# -- set_version ------------------------------------------------------------------------------
def _rows(dsn: Dsn) -> list:
    return execute(dsn, "select environment, config_value from bot_config where config_key = 'schema_version' "
                        "order by environment nulls first")


def test_set_version_stamps_utc_and_reports_the_previous_version(app_db: Dsn):
    local = timezone(timedelta(hours=2))
    first = set_version(app_db, "1.0.0", "0001_a", now=datetime(2025, 3, 4, 7, 8, 9, tzinfo=local))
    assert first.to_dict() == {"version": "1.0.0", "migration": "0001_a", "timestamp": "2025-03-04T05:08:09Z",
                               "previous": None, "environment": None, "inserted": True}
    second = set_version(app_db, "1.1.0", "0002_b", now=datetime(2025, 3, 5, 0, 0, 0, tzinfo=timezone.utc))
    assert (second.previous, second.inserted, second.timestamp) == ("1.0.0", False, "2025-03-05T00:00:00Z")
    [(env, value)] = _rows(app_db)
    assert env is None and value == {"version": "1.1.0", "migration": "0002_b", "timestamp": "2025-03-05T00:00:00Z"}


def test_set_version_stamp_defaults_to_now_in_utc(app_db: Dsn):
    before = datetime.now(timezone.utc).replace(microsecond=0)
    stamp = datetime.strptime(set_version(app_db, "1.0.0", "0001_a").timestamp, "%Y-%m-%dT%H:%M:%SZ")
    after = datetime.now(timezone.utc)
    assert before <= stamp.replace(tzinfo=timezone.utc) <= after


def test_set_version_refuses_a_downgrade_unless_allowed(app_db: Dsn):
    set_version(app_db, "1.2.0", "0002_b")
    with pytest.raises(UsageError) as caught:
        set_version(app_db, "1.1.9", "0003_c")
    assert (caught.value.message, caught.value.hint) == (
        "refusing to lower the recorded schema version from 1.2.0 to 1.1.9",
        "pass --allow-downgrade if the database schema was really rolled back")
    assert _rows(app_db)[0][1]["version"] == "1.2.0"
    assert set_version(app_db, "1.2.0", "0003_c").previous == "1.2.0"  # the same version is no downgrade
    assert set_version(app_db, "1.1.9", "0004_d", allow_downgrade=True).previous == "1.2.0"


def test_set_version_over_an_unparsable_recorded_version(app_db: Dsn):
    _record(app_db, {"version": "not-semver"})
    result = set_version(app_db, "0.0.1", "0001_a")
    assert (result.previous, result.inserted) == ("not-semver", False)


def test_set_version_validates_before_writing(app_db: Dsn):
    with pytest.raises(UsageError) as caught:
        set_version(app_db, "1.2", "0001_a")
    assert caught.value.message == "schema version '1.2' is not a valid semantic version"
    for bad in ("", "bad name;drop", "-leading", "x" * 201):
        with pytest.raises(UsageError) as caught:
            set_version(app_db, "1.0.0", bad)
        assert (caught.value.message, caught.value.hint) == (
            f"migration name {bad!r} is not valid",
            "use the migration's file name without .sql, e.g. 20240101120000_add_posts (letters, digits, _ . -)")
    assert set_version(app_db, "1.0.0", "x" * 200).migration == "x" * 200
    assert _rows(app_db)[0][1]["migration"] == "x" * 200


def test_set_version_env_needs_an_environment_column(fresh_db: Dsn):
    execute(fresh_db, "create table bot_config (id bigint generated always as identity primary key, "
                      "config_key text not null, config_value jsonb not null)")
    with pytest.raises(UsageError) as caught:
        set_version(fresh_db, "1.0.0", "0001_a", environment="staging")
    assert (caught.value.message, caught.value.hint) == (
        "bot_config has no environment column, so --env cannot be used",
        "drop --env: the table holds one schema_version row")
    assert set_version(fresh_db, "1.0.0", "0001_a").inserted is True  # without --env: one shared row


def test_set_version_names_what_the_table_lacks(fresh_db: Dsn):
    with pytest.raises(UsageError) as caught:
        set_version(fresh_db, "1.0.0", "0001_a")
    assert caught.value.message == "table bot_config does not exist (needed to record the schema version)"
    execute(fresh_db, "create table bot_config (id int, config_key text)")
    with pytest.raises(UsageError) as caught:
        set_version(fresh_db, "1.0.0", "0001_a")
    assert caught.value.message == "table bot_config lacks column(s) config_value (needed to record the schema version)"
    execute(fresh_db, "alter table bot_config add column config_value text")
    with pytest.raises(UsageError) as caught:
        set_version(fresh_db, "1.0.0", "0001_a")
    assert caught.value.message == "table bot_config: config_value is text, expected jsonb"


def test_set_version_per_environment_rows(app_db: Dsn):
    _record(app_db, {"version": "1.0.0"})  # a shared row: a write for one environment makes that one's own
    result = set_version(app_db, "1.1.0", "0002_b", environment="staging")
    assert (result.inserted, result.environment, result.previous) == (True, "staging", None)
    assert [env for env, _ in _rows(app_db)] == [None, "staging"]


def test_set_version_waits_for_the_row_lock_no_longer_than_its_lock_timeout(app_db: Dsn):
    import psycopg

    from pgrelease.errors import PgReleaseError

    set_version(app_db, "1.0.0", "0001_a")
    with psycopg.connect(app_db.conninfo(), autocommit=False) as holder:
        holder.execute("lock table bot_config in access exclusive mode")
        with pytest.raises(PgReleaseError) as caught:
            set_version(app_db, "1.1.0", "0002_b", lock_timeout="200ms")
        assert caught.value.sqlstate == "55P03"  # lock_not_available: the timeout given, not a hang
        assert caught.value.message.startswith("writing the schema version: ")
        assert caught.value.message.endswith("; nothing was changed")
    assert _rows(app_db)[0][1]["version"] == "1.0.0"


def test_set_version_over_a_recorded_value_that_is_not_an_object(app_db: Dsn):
    _record(app_db, "[1, 2]")
    result = set_version(app_db, "1.0.0", "0001_a")
    assert (result.previous, result.inserted) == (None, False)
    assert _rows(app_db)[0][1]["version"] == "1.0.0"


def test_set_version_stamps_utc_whatever_the_local_time_zone(app_db: Dsn, monkeypatch):
    import time

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        result = set_version(app_db, "1.0.0", "0001_a", now=datetime(2025, 3, 4, 7, 8, 9, tzinfo=timezone.utc))
    finally:
        monkeypatch.undo()
        time.tzset()
    assert result.timestamp == "2025-03-04T07:08:09Z"


def test_set_version_connects_with_the_given_options_and_lock_timeout(app_db: Dsn):
    from pgrelease.db.options import ConnectOptions

    execute(app_db, "create table seen (app text, lock_timeout text);"
                    "create function note_app() returns trigger language plpgsql as $$ begin "
                    "insert into seen values (current_setting('application_name'), current_setting('lock_timeout'));"
                    " return new; end $$;"
                    "create trigger note_app before insert or update on bot_config for each row "
                    "execute function note_app()")
    set_version(app_db, "1.0.0", "0001_a", connect_options=ConnectOptions(application_name="guard-options-test"),
                lock_timeout="1234ms")
    assert execute(app_db, "select app, lock_timeout from seen") == [("guard-options-test", "1234ms")]


def test_set_version_a_constraint_the_row_breaks_is_a_usage_error(app_db: Dsn):
    """The server's message passes the target's own scrub (a constraint named with the password)."""
    secret = app_db.password or "no-password"
    name = "env_" + secret.replace('"', '""')
    execute(app_db, f'alter table bot_config add constraint "{name}" check (environment is not null)')
    with pytest.raises(UsageError) as caught:
        set_version(app_db, "1.0.0", "0001_a")
    err = caught.value
    assert err.sqlstate == "23514" and err.exit_code == 2
    assert (err.detail or "").startswith("Failing row contains")
    assert err.message.startswith("writing the schema version: new row for relation \"bot_config\" violates check")
    assert err.message.endswith("; nothing was changed")
    assert err.hint == "bot_config has constraints this row does not meet (an environment column that needs --env?)"
    if app_db.password:
        assert app_db.password not in err.message and 'constraint "env_***"' in err.message
    assert _rows(app_db) == []


# -- third round ----------------------------------------------------------------------------
def test_resolve_app_version_reads_the_mapping_it_is_given(monkeypatch):
    from pgrelease.checks.guard import resolve_app_version

    monkeypatch.setenv("APP_SCHEMA_VERSION", "9.9.9")
    assert resolve_app_version(None, {"APP_SCHEMA_VERSION": "1.2.3"}) == "1.2.3"
    assert resolve_app_version("2.0.0", {"APP_SCHEMA_VERSION": "1.2.3"}) == "2.0.0"
    assert resolve_app_version(None) == "9.9.9"
    for given, environ in ((None, {}), ("", {}), (None, {"APP_SCHEMA_VERSION": ""})):
        with pytest.raises(UsageError) as caught:
            resolve_app_version(given, environ)
        assert (caught.value.message, caught.value.hint) == (
            "no application schema version", "set APP_SCHEMA_VERSION (semver, e.g. 1.4.0) or pass --app-version")


def test_bypass_result_and_log(caplog):
    import logging

    with caplog.at_level(logging.WARNING, logger="pgrelease.guard"):
        result = check(None, "1.0.0", environ={"SKIP_SCHEMA_GUARD": "yes"})
    assert (result.reason, result.action) == ("bypassed by SKIP_SCHEMA_GUARD", "unset SKIP_SCHEMA_GUARD after the emergency")
    assert [r.getMessage() for r in caplog.records] == result.warnings
    assert result.warnings[0].startswith("SCHEMA GUARD BYPASSED: SKIP_SCHEMA_GUARD is set")


def test_set_version_a_server_error_is_scrubbed_and_says_nothing_changed(app_db: Dsn):
    secret = app_db.password or "no-password"
    execute(app_db, "create function refuse() returns trigger language plpgsql as $$ begin "
                    f"raise exception 'refused for %', {secret!r}; end $$;"
                    "create trigger refuse before insert on bot_config for each row execute function refuse()")
    with pytest.raises(CheckFailed) as caught:
        set_version(app_db, "1.0.0", "0001_a")
    err = caught.value
    assert err.sqlstate == "P0001" and err.exit_code == 1
    assert err.message.startswith("writing the schema version: refused for ")
    assert err.message.endswith("; nothing was changed")
    if app_db.password:
        assert app_db.password not in err.message and "refused for ***" in err.message


def test_set_version_result_names_the_rows_environment_and_only_a_string_previous(app_db: Dsn):
    _record(app_db, {"version": 5}, "staging")
    result = set_version(app_db, "1.0.0", "0001_a")  # the one row, without --env
    assert (result.environment, result.previous, result.inserted) == ("staging", None, False)


def test_check_reads_the_mapping_it_is_given_and_names_what_is_wrong(app_db: Dsn, make_db, monkeypatch):  # noqa: ANN001
    monkeypatch.delenv("APP_SCHEMA_VERSION", raising=False)
    _record(app_db, {"version": "1.0.0"})
    assert check(app_db, None, environ={"APP_SCHEMA_VERSION": "1.0.0"}).code == "equal"
    with pytest.raises(UsageError) as caught:
        check(app_db, "1.2", environ={})
    assert caught.value.message == "application schema version '1.2' is not a valid semantic version"
    with pytest.raises(UsageError) as caught:
        check(None, "1.0.0", environ={})
    assert (caught.value.message, caught.value.hint) == (
        "no database target", "pass the database URL (pgrelease guard --db-url ...)")
    other = make_db()
    execute(other, "create table bot_config (id int)")
    result = check(other, "1.0.0", environ={})
    assert result.app_version == "1.0.0"
    assert result.reason == ("table bot_config lacks column(s) config_key, config_value: "
                             "the database declares no schema version")

"""Schema guard: the runbook's compatibility rules, the bypass, the missing cases, and
`guard set-version`, against a real database."""

from __future__ import annotations

import json
import re
import secrets

import pytest
from click.testing import CliRunner

import pgrelease.guard
from pgrelease.checks.guard import SemVer, check, compare, parse_semver, set_version, skip_requested
from pgrelease.cli import main
from pgrelease.db.dsn import Dsn
from pgrelease.errors import CheckFailed, EnvironmentFailure, UsageError

from tests.checks.conftest import execute

CLEAN_ENV = {"SKIP_SCHEMA_GUARD": None, "APP_SCHEMA_VERSION": None, "PGRELEASE_DB_URL": None, "PGRELEASE_ENV": None,
             "PGRELEASE_DB_PASSWORD": None, "PGRELEASE_FORMAT": None}

# (database version, application version, compatible, code)
PAIRS = [
    ("1.0.0", "1.0.0", True, "equal"),
    ("2.3.4", "2.3.4", True, "equal"),
    ("1.0.0+build.7", "1.0.0+other", True, "equal"),          # build metadata has no precedence
    ("1.1.0", "1.0.0", True, "db-newer"),                     # newer minor
    ("1.0.1", "1.0.0", True, "db-newer"),                     # newer patch
    ("1.10.0", "1.9.9", True, "db-newer"),                    # numeric, not lexical
    ("1.2.10", "1.2.9", True, "db-newer"),
    ("1.5.0", "1.4.99", True, "db-newer"),
    ("1.0.0", "1.0.0-rc.1", True, "db-newer"),                # a release is newer than its pre-release
    ("1.0.0-rc.2", "1.0.0-rc.1", True, "db-newer"),
    ("1.0.0-beta.11", "1.0.0-beta.2", True, "db-newer"),      # numeric identifiers compare as numbers
    ("1.0.0-beta", "1.0.0-alpha.1", True, "db-newer"),
    ("1.0.0-alpha.1", "1.0.0-alpha", True, "db-newer"),       # more identifiers wins
    ("1.0.0-alpha.beta", "1.0.0-alpha.1", True, "db-newer"),  # alphanumeric beats numeric
    ("1.0.0", "1.1.0", False, "app-newer"),                   # app newer minor: run migrations
    ("1.0.0", "1.0.1", False, "app-newer"),                   # app newer patch
    ("1.9.9", "1.10.0", False, "app-newer"),
    ("1.0.0-rc.1", "1.0.0", False, "app-newer"),
    ("1.0.0-alpha", "1.0.0-alpha.1", False, "app-newer"),
    ("2.0.0-rc.1", "2.0.0-rc.2", False, "app-newer"),
    ("2.0.0", "1.0.0", False, "major-conflict"),              # database a major ahead
    ("1.0.0", "2.0.0", False, "major-conflict"),              # application a major ahead
    ("2.0.0", "1.99.99", False, "major-conflict"),
    ("0.9.0", "1.0.0", False, "major-conflict"),
    ("1.9.0", "2.0.0-alpha", False, "major-conflict"),        # pre-release of the next major
    ("10.0.0", "9.0.0", False, "major-conflict"),
]

INVALID = ["1.0", "1", "v1.0.0", "1.0.0.0", "01.0.0", "1.02.0", "1.0.0-", "1.0.0-01", "1.0.0+", "latest", "",
           " 1.0.0", "1.0.0 ", "1.0.0\n", "1.0.x", "-1.0.0", "1..0", "1.0.0-rc..1", "١.٠.٠", "1.0.0-rc.١"]


@pytest.mark.parametrize(("db", "app", "compatible", "code"), PAIRS)
def test_compare_table(db: str, app: str, compatible: bool, code: str) -> None:
    verdict = compare(db, app)
    assert (verdict.compatible, verdict.code) == (compatible, code), verdict
    if code == "app-newer":
        assert "run migrations" in verdict.action
    if code == "major-conflict":
        assert verdict.reason.startswith("version conflict")


@pytest.mark.parametrize("value", INVALID)
def test_invalid_versions_are_usage_errors(value: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_semver(value, what="application schema version")
    assert repr(value) in info.value.message
    assert info.value.exit_code == 2
    # each side is named as what it is: the database's version is the first argument
    with pytest.raises(UsageError, match=f"^application schema version {re.escape(repr(value))} is not"):
        compare("1.0.0", value)
    with pytest.raises(UsageError, match=f"^database schema version {re.escape(repr(value))} is not"):
        compare(value, "1.0.0")


def test_semver_precedence_chain_from_the_spec() -> None:
    chain = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
             "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0"]
    parsed = [parse_semver(v) for v in chain]
    assert sorted(reversed(parsed)) == parsed
    assert parse_semver("1.2.3-rc.1+b.5") == SemVer(1, 2, 3, "rc.1", "b.5")
    assert str(parse_semver("1.2.3-rc.1+b.5")) == "1.2.3-rc.1+b.5"
    assert "drop the leading 'v'" in (_usage(lambda: parse_semver("v1.2.3")).hint or "")


def _usage(fn) -> UsageError:  # noqa: ANN001
    with pytest.raises(UsageError) as info:
        fn()
    return info.value


# -- SKIP_SCHEMA_GUARD ----------------------------------------------------------------
@pytest.mark.parametrize("value", ["true", "TRUE", "True", "1", "yes", "YES", " yes "])
def test_bypass_values(value: str) -> None:
    assert skip_requested({"SKIP_SCHEMA_GUARD": value}) is True


@pytest.mark.parametrize("value", ["false", "0", "no", "NO", ""])
def test_explicit_no_runs_the_guard(value: str) -> None:
    assert skip_requested({"SKIP_SCHEMA_GUARD": value}) is False
    assert skip_requested({}) is False


@pytest.mark.parametrize("value", ["on", "y", "2", "tru", "enable", "true!", "skip", "nope"])
def test_unclear_bypass_values_are_errors(value: str) -> None:
    err = _usage(lambda: skip_requested({"SKIP_SCHEMA_GUARD": value}))
    assert repr(value) in err.message and "not bypassed" in err.message


def test_cli_bypass_is_loud_and_exits_0_without_touching_the_database() -> None:
    runner = CliRunner()
    unreachable = "postgresql://nobody:secret-not-used@127.0.0.1:1/none"
    result = runner.invoke(main, ["guard", "--db-url", unreachable, "--app-version", "9.9.9"],
                           env={**CLEAN_ENV, "SKIP_SCHEMA_GUARD": "yes"})
    assert result.exit_code == 0, result.output
    assert "SCHEMA GUARD BYPASSED" in result.stderr
    assert "warning: SCHEMA GUARD BYPASSED" in result.stdout
    # no target at all is fine in an emergency
    result = runner.invoke(main, ["guard"], env={**CLEAN_ENV, "SKIP_SCHEMA_GUARD": "true"})
    assert result.exit_code == 0, result.output


def test_cli_unclear_bypass_value_exits_2(app_db: Dsn) -> None:
    result = CliRunner().invoke(main, ["guard", "--db-url", app_db.url(reveal=True), "--app-version", "1.0.0"],
                                env={**CLEAN_ENV, "SKIP_SCHEMA_GUARD": "on"})
    assert result.exit_code == 2, result.output
    assert "SKIP_SCHEMA_GUARD='on'" in result.stdout and "hint:" in result.stdout


# -- against a database ---------------------------------------------------------------
def _record(dsn: Dsn, value: dict | str, environment: str | None = None) -> None:
    execute(dsn, "insert into bot_config (config_key, environment, config_value) values ('schema_version', %s, %s)",
            (environment, value if isinstance(value, str) else json.dumps(value)))


def _guard(dsn: Dsn, *args: str, env: dict | None = None):  # noqa: ANN202
    return CliRunner().invoke(main, ["guard", "--db-url", dsn.url(reveal=True), *args],
                              env={**CLEAN_ENV, **(env or {})})


def test_compatible_equal_and_db_newer(app_db: Dsn) -> None:
    _record(app_db, {"version": "1.4.0", "migration": "0004_posts", "timestamp": "2024-05-01T10:00:00Z"})
    result = _guard(app_db, "--app-version", "1.4.0")
    assert result.exit_code == 0, result.output
    assert "database schema:    1.4.0 (migration 0004_posts, recorded 2024-05-01T10:00:00Z)" in result.stdout
    result = _guard(app_db, env={"APP_SCHEMA_VERSION": "1.2.7"})
    assert result.exit_code == 0, result.output
    assert "newer than the application's 1.2.7" in result.stdout
    # the library, with a URL string as the issue names it
    res = pgrelease.guard.check(app_db.url(reveal=True), "1.3.0", environ={})
    assert (res.compatible, res.db_version, res.app_version, res.migration) == (True, "1.4.0", "1.3.0", "0004_posts")
    assert res.raise_if_incompatible() is res


def test_incompatible_app_newer_and_major_conflict(app_db: Dsn) -> None:
    _record(app_db, {"version": "1.4.0", "migration": "0004_posts", "timestamp": "2024-05-01T10:00:00Z"})
    result = _guard(app_db, "--app-version", "1.5.0")
    assert result.exit_code == 1, result.output
    assert "run migrations" in result.stdout and "1.5.0" in result.stdout
    result = _guard(app_db, "--app-version", "2.0.0", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["guard"]["code"] == "major-conflict" and data["guard"]["db_version"] == "1.4.0"
    assert data["guard"]["reason"].startswith("version conflict")
    res = check(app_db, "1.5.0", environ={})
    with pytest.raises(CheckFailed):
        res.raise_if_incompatible()


def test_invalid_versions_exit_2_with_the_value(app_db: Dsn) -> None:
    _record(app_db, {"version": "1.4", "migration": "m"})
    result = _guard(app_db, "--app-version", "1.4.0")
    assert result.exit_code == 2, result.output
    assert "'1.4' is not a valid semantic version" in result.stdout
    execute(app_db, "delete from bot_config")
    _record(app_db, {"version": "1.4.0"})
    result = _guard(app_db, "--app-version", "v1.4.0")
    assert result.exit_code == 2
    assert "'v1.4.0'" in result.stdout and "drop the leading 'v'" in result.stdout
    result = _guard(app_db)  # no app version at all
    assert result.exit_code == 2 and "APP_SCHEMA_VERSION" in result.stdout


def test_missing_table_row_and_version(make_db, app_db: Dsn) -> None:  # noqa: ANN001
    fresh_db = make_db()
    res = check(fresh_db, "1.0.0", environ={})
    assert not res.compatible and res.code == "missing" and "table bot_config does not exist" in res.reason
    result = _guard(fresh_db, "--app-version", "1.0.0")
    assert result.exit_code == 1 and "bot_config does not exist" in result.stdout

    result = _guard(app_db, "--app-version", "1.0.0")
    assert result.exit_code == 1 and "bot_config has no schema_version row" in result.stdout

    _record(app_db, {"migration": "0001"})
    result = _guard(app_db, "--app-version", "1.0.0")
    assert result.exit_code == 1 and 'has no "version" string' in result.stdout

    execute(fresh_db, "create table bot_config (config_key text)")
    res = check(fresh_db, "1.0.0", environ={})
    assert not res.compatible and "lacks column(s) config_value" in res.reason


def test_rows_per_environment(app_db: Dsn) -> None:
    _record(app_db, {"version": "1.2.0"}, "staging")
    _record(app_db, {"version": "1.1.0"}, "production")
    result = _guard(app_db, "--app-version", "1.2.0")
    assert result.exit_code == 2 and "pass --env" in result.stdout
    assert _guard(app_db, "--app-version", "1.2.0", "--env", "staging").exit_code == 0
    result = _guard(app_db, "--app-version", "1.2.0", "--env", "production")
    assert result.exit_code == 1 and "run migrations" in result.stdout
    # a shared row (environment NULL) serves an environment without its own row
    execute(app_db, "delete from bot_config where environment = 'production'")
    _record(app_db, {"version": "1.3.0"}, None)
    res = check(app_db, "1.2.0", environment="production", environ={})
    assert res.compatible and res.db_version == "1.3.0"
    res = check(app_db, "1.2.0", environment="staging", environ={})
    assert res.db_version == "1.2.0"


def test_cannot_connect_exits_3_without_the_password(app_db: Dsn) -> None:
    password = secrets.token_urlsafe(16)
    bad = app_db.with_password(password)
    result = CliRunner().invoke(main, ["guard", "--db-url", bad.url(reveal=True), "--app-version", "1.0.0",
                                       "--connect-timeout", "2"], env=CLEAN_ENV)
    assert result.exit_code == 3, result.output
    assert "password authentication failed" in result.stdout
    assert password not in result.output + (result.stderr or "")
    with pytest.raises(EnvironmentFailure):
        check(bad, "1.0.0", environ={})


# -- set-version ----------------------------------------------------------------------
def _version_rows(dsn: Dsn) -> list[tuple]:
    return execute(dsn, "select environment, config_value from bot_config where config_key = 'schema_version' "
                        "order by environment nulls first")


def test_set_version_inserts_updates_and_validates(app_db: Dsn) -> None:
    url = app_db.url(reveal=True)
    runner = CliRunner()
    result = runner.invoke(main, ["guard", "set-version", "1.0.0", "--migration", "0001_baseline", "--db-url", url],
                           env=CLEAN_ENV)
    assert result.exit_code == 0, result.output
    [(env, value)] = _version_rows(app_db)
    assert env is None and value["version"] == "1.0.0" and value["migration"] == "0001_baseline"
    assert value["timestamp"].endswith("Z")
    # group-level target, subcommand after it
    result = runner.invoke(main, ["guard", "--db-url", url, "set-version", "1.1.0", "--migration", "0002_more"],
                           env=CLEAN_ENV)
    assert result.exit_code == 0, result.output
    assert "1.0.0 -> 1.1.0" in result.stdout
    assert _version_rows(app_db)[0][1]["version"] == "1.1.0"
    assert _guard(app_db, "--app-version", "1.1.0").exit_code == 0

    before = _version_rows(app_db)
    for args, needle in [
        (["1.2", "--migration", "x"], "'1.2' is not a valid semantic version"),
        (["1.2.0", "--migration", "bad name;drop"], "migration name"),
        (["1.0.5", "--migration", "0003_old"], "refusing to lower"),
    ]:
        result = runner.invoke(main, ["guard", "set-version", *args, "--db-url", url], env=CLEAN_ENV)
        assert result.exit_code == 2, result.output
        assert needle in result.stdout and "hint:" in result.stdout
    assert _version_rows(app_db) == before
    result = runner.invoke(main, ["guard", "set-version", "1.0.5", "--migration", "0003_rollback",
                                  "--allow-downgrade", "--db-url", url], env=CLEAN_ENV)
    assert result.exit_code == 0 and _version_rows(app_db)[0][1]["version"] == "1.0.5"


def test_set_version_per_environment_and_missing_table(app_db: Dsn, make_db) -> None:  # noqa: ANN001
    fresh_db = make_db()
    set_version(app_db, "1.0.0", "0001_baseline", environment="staging")
    set_version(app_db, "1.1.0", "0002_x", environment="staging")
    set_version(app_db, "1.0.0", "0001_baseline", environment="production")
    rows = _version_rows(app_db)
    assert [(env, v["version"]) for env, v in rows] == [("production", "1.0.0"), ("staging", "1.1.0")]
    # a second, unselected write without --env is ambiguous
    err = _usage(lambda: set_version(app_db, "1.2.0", "0003_y"))
    assert "2 schema_version rows" in err.message and "pass --env" in (err.hint or "")
    assert _version_rows(app_db) == rows

    result = CliRunner().invoke(main, ["guard", "set-version", "1.0.0", "--migration", "0001_baseline",
                                       "--db-url", fresh_db.url(reveal=True)], env=CLEAN_ENV)
    assert result.exit_code == 2, result.output
    assert "table bot_config does not exist" in result.stdout
    assert execute(fresh_db, "select to_regclass('bot_config')") == [(None,)]


def test_example_project_rows_per_environment(acme_db: Dsn) -> None:
    """examples/acme keeps one schema_version row per environment (environment NOT NULL)."""
    result = _guard(acme_db, "--app-version", "1.0.0")
    assert result.exit_code == 2 and "pass --env" in result.stdout
    result = _guard(acme_db, env={"APP_SCHEMA_VERSION": "1.0.0", "PGRELEASE_ENV": "production"})
    assert result.exit_code == 0, result.output
    assert "migration 0001_baseline" in result.stdout
    result = _guard(acme_db, "--env", "staging", "set-version", "1.1.0", "--migration",
                    "20250210090000_schema_version_1_1_0")
    assert result.exit_code == 0, result.output
    assert _guard(acme_db, "--env", "staging", "--app-version", "1.1.0").exit_code == 0
    assert _guard(acme_db, "--env", "production", "--app-version", "1.1.0").exit_code == 1
    # without --env there is no shared row to write, and environment is NOT NULL
    rows = _version_rows(acme_db)
    result = CliRunner().invoke(main, ["guard", "set-version", "1.2.0", "--migration", "x",
                                       "--db-url", acme_db.url(reveal=True)], env=CLEAN_ENV)
    assert result.exit_code == 2 and "pass --env" in result.stdout
    assert _version_rows(acme_db) == rows


def test_bypass_and_missing_results_carry_their_fields(make_db) -> None:  # noqa: ANN001
    """mutmut survivors: the bypass result's code, app version (given, else from the
    environment) and environment; the missing result's app version and environment."""
    res = check(None, "2.0.0", environment="staging", environ={"SKIP_SCHEMA_GUARD": "true", "APP_SCHEMA_VERSION": "9.9.9"})
    assert (res.compatible, res.code, res.app_version, res.environment, res.bypassed) == (
        True, "bypassed", "2.0.0", "staging", True)
    assert res.action == "unset SKIP_SCHEMA_GUARD after the emergency" and res.warnings[0].startswith("SCHEMA GUARD BYPASSED")
    res = check(None, environ={"SKIP_SCHEMA_GUARD": "true", "APP_SCHEMA_VERSION": "9.9.9"})
    assert res.app_version == "9.9.9"
    res = check(make_db(), "1.0.0", environment="production", environ={})
    assert (res.code, res.app_version, res.environment) == ("missing", "1.0.0", "production")
    assert res.action.startswith("run migrations") or "set-version" in res.action
    with pytest.raises(UsageError, match="^unknown environment 'prod'$"):
        check(None, "1.0.0", environment="prod", environ={})

"""Feature flags: jsonb_set on bot_config plus an audit_log row, in one transaction."""

from __future__ import annotations

import json
import threading
import time

import pytest
from click.testing import CliRunner

from pgrelease.checks.flags import get_flag, list_flags, set_flag
from pgrelease.cli import main
from pgrelease.db.connect import connect
from pgrelease.db.dsn import Dsn
from pgrelease.errors import EnvironmentFailure, UsageError
from tests.checks.conftest import execute

CLEAN_ENV = {"PGRELEASE_DB_URL": None, "PGRELEASE_DB_PASSWORD": None, "PGRELEASE_FORMAT": None,
             "GITHUB_ACTOR": None}


@pytest.fixture
def flags_db(app_db: Dsn) -> Dsn:
    execute(app_db, """
        insert into bot_config (config_key, environment, config_value) values
          ('feature_flags', 'staging', '{"autonomous_posting": true, "new_editor": false}'),
          ('feature_flags', 'production', '{"autonomous_posting": true, "new_editor": false, "limit": 5}'),
          ('schema_version', null, '{"version": "1.0.0"}')
    """)
    return app_db


def _flags(dsn: Dsn, env: str) -> dict:
    [(value,)] = execute(dsn, "select config_value from bot_config where config_key = 'feature_flags' "
                              "and environment = %s", (env,))
    return value


def _audit(dsn: Dsn) -> list[tuple]:
    return execute(dsn, "select actor, action, target, details from audit_log order by id")


def _run(dsn: Dsn, *args: str, env: dict | None = None):  # noqa: ANN202
    return CliRunner().invoke(main, ["flags", *args, "--db-url", dsn.url(reveal=True)],
                              env={**CLEAN_ENV, **(env or {})})


def test_set_get_round_trip_with_audit_row(flags_db: Dsn) -> None:
    result = _run(flags_db, "set", "autonomous_posting", "false", "--env", "staging", env={"GITHUB_ACTOR": "octocat"})
    assert result.exit_code == 0, result.output
    assert "true -> false in staging by octocat, audit_log id 1" in result.stdout
    assert _flags(flags_db, "staging") == {"autonomous_posting": False, "new_editor": False}
    assert _flags(flags_db, "production")["autonomous_posting"] is True  # other environment untouched
    [(actor, action, target, details)] = _audit(flags_db)
    assert (actor, action, target) == ("octocat", "feature_flag.set", "feature_flags.autonomous_posting")
    assert details == {"environment": "staging", "flag": "autonomous_posting", "old": True, "new": False,
                       "reason": None, "created": False, "tool": "pgrelease flags set"}

    result = _run(flags_db, "get", "autonomous_posting", "--env", "staging")
    assert result.exit_code == 0 and "autonomous_posting = false (staging)" in result.stdout
    result = _run(flags_db, "get", "autonomous_posting", "--env", "staging", "--format", "json")
    assert json.loads(result.stdout)["flag"] == {"name": "autonomous_posting", "environment": "staging",
                                                 "value": False}
    result = _run(flags_db, "list")
    assert result.exit_code == 0
    assert "production  limit" in result.stdout and "staging     autonomous_posting               false" \
        in result.stdout
    assert list_flags(flags_db, "production")["production"]["limit"] == 5

    # setting the value it already has changes nothing and writes no audit row
    result = _run(flags_db, "set", "autonomous_posting", "FALSE", "--env", "staging")
    assert result.exit_code == 0 and "nothing changed" in result.stdout
    assert len(_audit(flags_db)) == 1


def test_production_needs_a_reason(flags_db: Dsn) -> None:
    before = _flags(flags_db, "production")
    for extra in ([], ["--reason", "   "]):
        result = _run(flags_db, "set", "autonomous_posting", "false", "--env", "production", *extra)
        assert result.exit_code == 2, result.output
        assert "needs a reason" in result.stdout and "--reason" in result.stdout
    assert _flags(flags_db, "production") == before and _audit(flags_db) == []
    result = _run(flags_db, "set", "autonomous_posting", "false", "--env", "production",
                  "--reason", "incident 42: runaway posts", "--actor", "oncall")
    assert result.exit_code == 0, result.output
    assert _flags(flags_db, "production")["autonomous_posting"] is False
    [(actor, _, _, details)] = _audit(flags_db)
    assert actor == "oncall" and details["reason"] == "incident 42: runaway posts"


def test_unknown_flags_need_create(flags_db: Dsn) -> None:
    result = _run(flags_db, "set", "autonomus_posting", "false", "--env", "staging")
    assert result.exit_code == 2, result.output
    assert "unknown flag 'autonomus_posting' in staging (known: autonomous_posting, new_editor)" in result.stdout
    assert "--create" in result.stdout
    result = _run(flags_db, "get", "nope", "--env", "staging")
    assert result.exit_code == 2 and "unknown flag 'nope'" in result.stdout
    result = _run(flags_db, "set", "Bad Name", "true", "--env", "staging", "--create")
    assert result.exit_code == 2 and "not valid" in result.stdout
    assert _audit(flags_db) == []
    result = _run(flags_db, "set", "dark_mode", "true", "--env", "staging", "--create")
    assert result.exit_code == 0, result.output
    assert "(new) -> true" in result.stdout
    assert _flags(flags_db, "staging")["dark_mode"] is True
    assert _audit(flags_db)[0][3]["created"] is True


def test_refusals_leave_the_database_unchanged(flags_db: Dsn) -> None:
    before = execute(flags_db, "select * from bot_config order by id")
    # a non-boolean value is not overwritten
    result = _run(flags_db, "set", "limit", "true", "--env", "production", "--reason", "x")
    assert result.exit_code == 2 and "holds 5, not a boolean" in result.stdout
    # no --env, a bad value
    result = _run(flags_db, "set", "new_editor", "true")
    assert result.exit_code == 2 and "--env" in result.stdout
    result = _run(flags_db, "set", "new_editor", "yes", "--env", "staging")
    assert result.exit_code == 2
    assert execute(flags_db, "select * from bot_config order by id") == before and _audit(flags_db) == []
    # a missing feature_flags row
    execute(flags_db, "delete from bot_config where config_key = 'feature_flags' and environment = 'staging'")
    result = _run(flags_db, "set", "new_editor", "true", "--env", "staging")
    assert result.exit_code == 2 and "no feature_flags row for environment staging" in result.stdout
    result = _run(flags_db, "list", "--env", "staging")
    assert result.exit_code == 2


def test_audit_log_missing_is_created(flags_db: Dsn) -> None:
    execute(flags_db, "drop table audit_log")
    result = _run(flags_db, "set", "new_editor", "true", "--env", "staging")
    assert result.exit_code == 0, result.output
    assert "created the audit table public.audit_log" in result.stdout
    [(actor, action, target, details)] = _audit(flags_db)
    assert (action, target, details["new"]) == ("feature_flag.set", "feature_flags.new_editor", True)
    assert execute(flags_db, "select relrowsecurity from pg_class where oid = 'public.audit_log'::regclass") == [(True,)]


def test_audit_log_incompatible(flags_db: Dsn) -> None:
    before = _flags(flags_db, "staging")
    execute(flags_db, "drop table audit_log")
    execute(flags_db, "create table audit_log (id bigint generated always as identity, actor text, action text)")
    result = _run(flags_db, "set", "new_editor", "true", "--env", "staging")
    assert result.exit_code == 2, result.output
    assert "audit table public.audit_log cannot take pgrelease's rows: column details is missing" in result.stdout
    assert "hint:" in result.stdout
    execute(flags_db, "alter table audit_log add column target text, add column details jsonb, "
                      "add column commit_sha text not null")
    result = _run(flags_db, "set", "new_editor", "true", "--env", "staging")
    assert result.exit_code == 2 and "column commit_sha is NOT NULL without a default" in result.stdout
    assert _flags(flags_db, "staging") == before
    assert execute(flags_db, "select count(*) from audit_log") == [(0,)]


def test_failure_after_the_update_leaves_neither(flags_db: Dsn) -> None:
    """The audit insert fails after the flag UPDATE ran: the whole transaction rolls back."""
    execute(flags_db, """
        create function refuse_audit() returns trigger language plpgsql as $$
        begin raise exception 'audit_log is read-only today' using hint = 'ask the DBA'; end $$;
        create trigger refuse_audit before insert on audit_log for each row execute function refuse_audit();
    """)
    before = _flags(flags_db, "staging")
    result = _run(flags_db, "set", "new_editor", "true", "--env", "staging")
    assert result.exit_code == 1, result.output
    assert "audit_log is read-only today" in result.stdout and "nothing was changed" in result.stdout
    assert "SQLSTATE P0001" in result.stdout and "hint: ask the DBA" in result.stdout
    assert _flags(flags_db, "staging") == before
    assert execute(flags_db, "select count(*) from audit_log") == [(0,)]


def test_concurrent_sets_of_different_flags_both_survive(flags_db: Dsn) -> None:
    """Two sets wait on the same row lock, then apply one after the other: no lost update."""
    errors: list[BaseException] = []

    def worker(flag: str) -> None:
        try:
            set_flag(flags_db, flag, False if flag == "autonomous_posting" else True, "staging",
                     actor=f"thread-{flag}", lock_timeout="20s")
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    holder = connect(flags_db, autocommit=False)
    try:
        holder.execute("select 1 from bot_config where config_key = 'feature_flags' and environment = 'staging' "
                       "for update")
        threads = [threading.Thread(target=worker, args=(f,)) for f in ("autonomous_posting", "new_editor")]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 20
        while True:  # both writers are now blocked on the row lock
            [(waiting,)] = execute(flags_db, "select count(*) from pg_stat_activity where datname = %s "
                                             "and wait_event_type = 'Lock'", (flags_db.dbname,))
            if waiting >= 2 or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert waiting == 2
        holder.rollback()
    finally:
        holder.close()
    for t in threads:
        t.join(30)
    assert errors == []
    assert _flags(flags_db, "staging") == {"autonomous_posting": False, "new_editor": True}
    assert sorted(row[0] for row in _audit(flags_db)) == ["thread-autonomous_posting", "thread-new_editor"]


def test_lock_timeout_exits_3_unchanged(flags_db: Dsn) -> None:
    holder = connect(flags_db, autocommit=False)
    try:
        holder.execute("select 1 from bot_config where config_key = 'feature_flags' for update")
        result = _run(flags_db, "set", "new_editor", "true", "--env", "staging", "--lock-timeout", "300ms")
        assert result.exit_code == 3, result.output
        assert "lock" in result.stdout and "nothing was changed" in result.stdout
        with pytest.raises(EnvironmentFailure, match="lock") as info:
            set_flag(flags_db, "new_editor", True, "staging", lock_timeout="100ms")
        assert info.value.exit_code == 3
    finally:
        holder.rollback()
        holder.close()
    assert _flags(flags_db, "staging")["new_editor"] is False and _audit(flags_db) == []


def test_library_get_and_validation(flags_db: Dsn) -> None:
    assert get_flag(flags_db.url(reveal=True), "new_editor", "production") is False
    with pytest.raises(UsageError, match="'prod'"):
        get_flag(flags_db, "new_editor", "prod")
    with pytest.raises(UsageError, match="needs a reason"):
        set_flag(flags_db, "new_editor", True, "production")


def test_example_project_flags(acme_db: Dsn) -> None:
    """The example project's own tables (NOT NULL actor/details, an updated_at trigger, RLS)."""
    # an old updated_at, set with triggers off, so only the table's own trigger can move it on
    execute(acme_db, "set session_replication_role = replica; update bot_config set updated_at = '2000-01-01' "
                     "where config_key = 'feature_flags' and environment = 'production'")
    [(updated_before,)] = execute(acme_db, "select updated_at from bot_config where config_key = 'feature_flags' "
                                           "and environment = 'production'")
    assert updated_before.year == 2000
    result = _run(acme_db, "set", "autonomous_posting", "true", "--env", "production",
                  "--reason", "launch", "--actor", "release-bot")
    assert result.exit_code == 0, result.output
    assert "false -> true in production by release-bot" in result.stdout
    assert _flags(acme_db, "production")["autonomous_posting"] is True
    [(updated_after,)] = execute(acme_db, "select updated_at from bot_config where config_key = 'feature_flags' "
                                          "and environment = 'production'")
    assert updated_after > updated_before and updated_after.year > 2000
    [(actor, action, target, details)] = _audit(acme_db)
    assert (actor, action, target) == ("release-bot", "feature_flag.set", "feature_flags.autonomous_posting")
    assert details["old"] is False and details["new"] is True and details["reason"] == "launch"
    result = _run(acme_db, "list", "--env", "staging")
    assert result.exit_code == 0 and "image_uploads" in result.stdout

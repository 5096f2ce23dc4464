"""`pgrelease health` against the embedded PostgreSQL, a local HTTP server and a real
redis-server."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys

import pytest
from click.testing import CliRunner

from pgrelease.checks.health import HealthOptions, health
from pgrelease.checks.http_check import check_http, parse_url
from pgrelease.checks.redis_check import RedisTarget, check_redis
from pgrelease.cli import main
from pgrelease.db.dsn import Dsn
from pgrelease.errors import UsageError
from tests.checks.conftest import execute, free_port

CLEAN_ENV = {"PGRELEASE_DB_URL": None, "PGRELEASE_DB_PASSWORD": None, "PGRELEASE_FORMAT": None,
             "REDIS_URL": None, "REDIS_PREFIX": None, "PGRELEASE_HEALTH_URL": None}


def _health(*args: str, env: dict | None = None):  # noqa: ANN202
    return CliRunner().invoke(main, ["health", *args], env={**CLEAN_ENV, **(env or {})})


def _json(result) -> dict:  # noqa: ANN001
    return json.loads(result.stdout)


def _checks(result) -> dict[str, dict]:  # noqa: ANN001
    return {c["name"]: c for c in _json(result)["checks"]}


# -- database -------------------------------------------------------------------------
def test_database_checks_each_with_a_line_and_timing(fresh_db: Dsn) -> None:
    result = _health("--db-url", fresh_db.url(reveal=True))
    assert result.exit_code == 0, result.output
    for line in ("[ok] database: round trip", "[ok] database server: PostgreSQL", "[ok] database connections: ",
                 "[warn] migration history: supabase_migrations.schema_migrations does not exist",
                 "[skip] schema version: no bot_config table"):
        assert line in result.stdout
    result = _health("--db-url", fresh_db.url(reveal=True), "--format", "json")
    checks = _checks(result)
    assert all(c.get("duration_ms") is not None for c in checks.values())
    assert checks["database connections"]["data"]["used"] >= 1
    assert checks["database server"]["data"]["server_version_num"] >= 100000


def test_history_newest_version_and_schema_version(app_db: Dsn) -> None:
    execute(app_db, """
        create schema supabase_migrations;
        create table supabase_migrations.schema_migrations (version text primary key, statements text[], name text);
    """)
    result = _health("--db-url", app_db.url(reveal=True))
    assert result.exit_code == 0 and "[warn] migration history: supabase_migrations.schema_migrations is empty" \
        in result.stdout
    execute(app_db, """
        insert into supabase_migrations.schema_migrations (version, name) values
          ('20240301000000', 'posts'), ('20240101000000', 'init'), ('9', 'odd_short_version');
        insert into bot_config (config_key, environment, config_value) values
          ('schema_version', 'staging', '{"version": "1.2.0"}'),
          ('schema_version', 'production', '{"version": "1.1.0"}');
    """)
    result = _health("--db-url", app_db.url(reveal=True))
    assert result.exit_code == 0, result.output
    assert "[ok] migration history: newest 20240301000000 posts (3 applied)" in result.stdout
    assert "[ok] schema version: production 1.1.0, staging 1.2.0" in result.stdout


def test_connection_thresholds(fresh_db: Dsn) -> None:
    report = health(fresh_db, HealthOptions(connections_warn=0.0))
    assert {c.name: c.status for c in report.checks}["database connections"] == "warning"
    assert report.exit_code == 0
    report = health(fresh_db, HealthOptions(connections_fail=0.0))
    assert {c.name: c.status for c in report.checks}["database connections"] == "failed"
    assert report.exit_code == 1


def test_unreachable_database_exits_3_and_still_checks_http(http_server) -> None:  # noqa: ANN001
    url = f"postgresql://app:{secrets.token_hex(8)}@127.0.0.1:{free_port()}/app"
    result = _health("--db-url", url, "--connect-timeout", "1", "--url", http_server.url("/ok"))
    assert result.exit_code == 3, result.output
    assert "[FAIL] database: cannot connect to 127.0.0.1" in result.stdout
    assert "[skip] database server: skipped: no database connection" in result.stdout
    assert "[ok] http: HTTP 200" in result.stdout


def test_nothing_to_check_is_a_usage_error() -> None:
    result = _health()
    assert result.exit_code == 2 and "nothing to check" in result.stdout


# -- http -----------------------------------------------------------------------------
def test_http_ok_plain_and_json_status(http_server) -> None:  # noqa: ANN001
    result = _health("--url", http_server.url("/ok"))
    assert result.exit_code == 0, result.output
    assert '[ok] http: HTTP 200, status "ok"' in result.stdout
    assert check_http(http_server.url("/plain")).status == "ok"
    entry = check_http(http_server.url("/degraded"))
    assert entry.status == "warning" and "degraded" in entry.message
    result = _health("--url", http_server.url("/down"), "--format", "json")
    assert result.exit_code == 1
    assert _checks(result)["http"]["data"]["json_status"] == "fail"


def test_http_500_is_retried_then_fails(http_server) -> None:  # noqa: ANN001
    result = _health("--url", http_server.url("/fail"), "--http-retries", "2")
    assert result.exit_code == 1, result.output
    assert "HTTP 500" in result.stdout and "(after 3 attempts)" in result.stdout
    assert http_server.hits["/fail"] == 3
    entry = check_http(http_server.url("/notfound"), retries=3)
    assert entry.status == "failed" and http_server.hits["/notfound"] == 1  # a 404 is not retried


def test_http_retry_recovers(http_server) -> None:  # noqa: ANN001
    entry = check_http(http_server.url("/flaky"), retries=2, backoff=0.01)
    assert entry.status == "ok", entry.message
    assert entry.data["attempts"] == 2


def test_http_slow_times_out(http_server) -> None:  # noqa: ANN001
    result = _health("--url", http_server.url("/slow"), "--http-timeout", "0.5", "--http-retries", "0")
    assert result.exit_code == 1, result.output
    assert "no answer within 0.5s" in result.stdout


def test_http_invalid_json_is_a_warning(http_server) -> None:  # noqa: ANN001
    result = _health("--url", http_server.url("/badjson"))
    assert result.exit_code == 0, result.output
    assert "[warn] http: HTTP 200, but the body is not valid JSON" in result.stdout


def test_http_url_credentials_are_sent_but_never_shown(http_server) -> None:  # noqa: ANN001
    password, token = secrets.token_hex(8), secrets.token_hex(8)
    url = http_server.url("/ok").replace("http://", f"http://probe:{password}@") + f"?token={token}&v=1"
    result = _health("--url", url, "--format", "json")
    assert result.exit_code == 0, result.output
    assert password not in result.output and token not in result.output
    assert _checks(result)["http"]["data"]["url"].startswith("http://probe:***@127.0.0.1")
    assert http_server.auth_headers[-1] and http_server.auth_headers[-1].startswith("Basic ")
    with pytest.raises(UsageError, match=r"must be http:// or https:// with a host \(got scheme 'ftp'\)"):
        parse_url("ftp://example.com/health")
    assert _health("--url", "file:///etc/passwd").exit_code == 2


# -- redis ----------------------------------------------------------------------------
def test_redis_up(redis_clean) -> None:  # noqa: ANN001
    result = _health("--redis-url", redis_clean.url(), "--redis-prefix", "stg:")
    assert result.exit_code == 0, result.output
    assert "[ok] redis ping: redis://:***@127.0.0.1" in result.stdout
    assert "[ok] redis write/read/delete: SET/GET/DEL under prefix 'stg:'" in result.stdout
    assert "[ok] redis memory: used " in result.stdout and "of 64.0MiB" in result.stdout
    assert redis_clean.password not in result.output
    assert redis_clean.admin().dbsize() == 0  # the probe key was deleted


def test_redis_prefix_isolation(redis_clean) -> None:  # noqa: ANN001
    """A Redis user allowed only stg:* keys passes the whole check: nothing is touched outside the prefix."""
    admin = redis_clean.admin()
    user_password = secrets.token_hex(12)
    admin.acl_setuser("stg_app", enabled=True, passwords=[f"+{user_password}"], keys=["stg:*"],
                      commands=["+@all"])
    admin.set("prod:session:1", "keep", ex=3600)
    admin.set("stg:session:1", "keep")
    url = f"redis://stg_app:{user_password}@{redis_clean.host}:{redis_clean.port}/0"
    result = _health("--redis-url", url, "--require-redis", env={"REDIS_PREFIX": "stg:"})
    assert result.exit_code == 0, result.output
    assert "redis://stg_app:***@" in result.stdout and user_password not in result.output
    assert sorted(admin.keys("*")) == ["prod:session:1", "stg:session:1"]
    assert admin.get("prod:session:1") == "keep" and admin.ttl("prod:session:1") > 3500
    # control: the same user may not write under prod:, so the ACL really confines the check
    result = _health("--redis-url", url, "--redis-prefix", "prod:", "--require-redis")
    assert result.exit_code == 1, result.output
    assert "[FAIL] redis write/read/delete" in result.stdout and "permission denied" in result.stdout


def test_redis_down_is_a_warning_unless_required() -> None:
    url = f"redis://:{secrets.token_hex(8)}@127.0.0.1:{free_port()}/0"
    result = _health("--redis-url", url, "--redis-prefix", "stg:", "--redis-timeout", "1")
    assert result.exit_code == 0, result.output
    assert "[warn] redis ping: redis://:***@127.0.0.1" in result.stdout and "connection refused" in result.stdout
    assert "[skip] redis write/read/delete: skipped: Redis did not answer PING" in result.stdout
    assert "--require-redis" in result.stdout  # the note says how to make it fatal
    result = _health("--redis-url", url, "--redis-prefix", "stg:", "--redis-timeout", "1", "--require-redis")
    assert result.exit_code == 1
    assert "[FAIL] redis ping" in result.stdout


def test_redis_wrong_or_missing_password(redis_clean) -> None:  # noqa: ANN001
    wrong = secrets.token_hex(10)
    entries = check_redis(redis_clean.url(wrong), "stg:")
    assert [e.status for e in entries] == ["warning", "skipped", "skipped"]
    assert "authentication failed" in entries[0].message
    assert all(wrong not in e.message for e in entries)
    entries = check_redis(redis_clean.url(None), "stg:", required=True)
    assert entries[0].status == "failed" and "requires a password" in entries[0].message


def test_redis_out_of_memory_warns(redis_clean) -> None:  # noqa: ANN001
    admin = redis_clean.admin()
    admin.config_set("maxmemory", "1")
    try:
        entries = {e.name: e for e in check_redis(redis_clean.url(), "stg:")}
    finally:
        admin.config_set("maxmemory", str(64 * 1024 * 1024))
    assert entries["redis ping"].status == "ok"
    assert entries["redis write/read/delete"].status == "warning"
    assert entries["redis memory"].status == "warning"


@pytest.mark.parametrize(("prefix", "needle"), [("", "prefix is empty"), ("stg", "does not end in ':'"),
                                                ("prod", "does not end in ':'")])
def test_bad_prefix_is_a_configuration_error(prefix: str, needle: str, fresh_db: Dsn) -> None:
    result = _health("--db-url", fresh_db.url(reveal=True), "--redis-url", "redis://127.0.0.1:6379/0",
                     env={"REDIS_PREFIX": prefix})
    assert result.exit_code == 2, result.output
    assert needle in result.stdout and "hint:" in result.stdout
    assert "[ok]" not in result.stdout  # found before any check ran
    result = _health("--redis-url", "redis://127.0.0.1:6379/0")  # no prefix at all
    assert result.exit_code == 2 and "prefix is empty" in result.stdout


def test_redis_url_validation() -> None:
    for url, needle in [("http://x:6379", "scheme"), ("redis://:pw@:6379", "no host"), ("redis://h:70000", "port"),
                        ("redis://h:6379/abc", "not a number")]:
        with pytest.raises(UsageError, match=needle):
            RedisTarget.parse(url)
    target = RedisTarget.parse("rediss://user:p%40ss@cache.example.com:6380/2")
    assert target.masked() == "rediss://user:***@cache.example.com:6380/2"
    assert "p@ss" not in repr(target) and "p@ss" not in str(target)
    assert target.scrub("oops p@ss") == "oops ***"


# -- secrets --------------------------------------------------------------------------
def test_no_password_in_any_output(fresh_db: Dsn, redis_clean) -> None:  # noqa: ANN001
    db_password = secrets.token_urlsafe(16)
    redis_password = secrets.token_urlsafe(16)
    bad_db = fresh_db.with_password(db_password).url(reveal=True)
    bad_redis = redis_clean.url(redis_password)
    down_redis = f"redis://admin:{redis_password}@127.0.0.1:{free_port()}/0"
    outputs = []
    for fmt in ("text", "json"):
        for redis_url in (bad_redis, down_redis):
            result = _health("--db-url", bad_db, "--redis-url", redis_url, "--redis-prefix", "stg:",
                             "--connect-timeout", "2", "--redis-timeout", "1", "--format", fmt)
            assert result.exit_code == 3, result.output
            outputs.append(result.stdout + (result.stderr or ""))
    # and once as a real process, so that anything written straight to the file descriptors counts too
    env = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV}
    env.update(PGRELEASE_DB_URL=bad_db, REDIS_URL=bad_redis, REDIS_PREFIX="stg:")
    proc = subprocess.run([sys.executable, "-m", "pgrelease", "health", "--connect-timeout", "2", "--require-redis"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 3, proc.stdout + proc.stderr
    outputs.append(proc.stdout + proc.stderr)
    combined = "\n".join(outputs)
    # both failures are there, each named by its check (not one message matching both needles)
    assert "password authentication failed" in combined  # the database's
    assert re.search(r"redis ping: redis://:\*\*\*@[^ ]+: authentication failed", combined)  # wrong password
    assert re.search(r"redis ping: redis://admin:\*\*\*@[^ ]+: connection refused", combined)  # the one that is down
    assert db_password not in combined and redis_password not in combined
    # percent-encoded forms too
    from urllib.parse import quote

    assert quote(db_password, safe="") not in combined and quote(redis_password, safe="") not in combined

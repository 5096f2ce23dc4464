"""``pgrelease health``: one line per check, each with its timing; the exit code is the
worst verdict.

Database (when a target is given): round trip latency, server version, client
connections used against ``max_connections`` (warning from 80%, failed from 95% of the
slots open to ordinary users), the newest entry of ``supabase_migrations.schema_migrations``
(absent table: a warning), and the recorded schema version when ``bot_config`` has one.
HTTP (``--url``) and Redis (``--redis-url``) are optional; see ``http_check`` and
``redis_check``. Configuration errors (bad URL, bad Redis prefix) are found before any
check runs (exit 2); a database that cannot be reached exits 3.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, Callable

import psycopg

from ..db.connect import ConnectOptions, connect
from ..db.dsn import Dsn
from ..errors import EnvironmentFailure, PgReleaseError, UsageError
from ..report.model import FAIL, OK, SKIP, WARN, CheckEntry, Report
from . import tables
from .http_check import check_http, parse_url
from .redis_check import RedisTarget, check_redis, validate_prefix

HISTORY_TABLE = "supabase_migrations.schema_migrations"


@dataclass(frozen=True)
class HealthOptions:
    url: str | None = None
    http_timeout: float = 10.0
    http_retries: int = 2
    redis_url: str | None = None
    redis_prefix: str | None = None
    require_redis: bool = False
    redis_timeout: float = 5.0
    statement_timeout: str = "10s"
    connections_warn: float = 0.80
    connections_fail: float = 0.95


def validate(dsn: Dsn | None, options: HealthOptions) -> None:
    """Configuration errors, raised before any check runs."""
    if dsn is None and not options.url and not options.redis_url:
        raise UsageError("nothing to check",
                         hint="pass --db-url (or PGRELEASE_DB_URL), --url, and/or --redis-url (or REDIS_URL)")
    if options.url:
        parse_url(options.url)
    if options.redis_url:
        RedisTarget.parse(options.redis_url)
        validate_prefix(options.redis_prefix)
    if options.http_timeout <= 0 or options.redis_timeout <= 0:
        raise UsageError("timeouts must be positive", hint="e.g. --http-timeout 10 --redis-timeout 5")


def health(dsn: Dsn | None, options: HealthOptions = HealthOptions(), *,
           connect_options: ConnectOptions | None = None) -> Report:
    validate(dsn, options)
    report = Report(command="health", target=dsn.masked() if dsn is not None else None)
    if dsn is not None:
        database_checks(report, dsn, options, connect_options)
    if options.url:
        report.checks.append(check_http(options.url, timeout=options.http_timeout, retries=options.http_retries))
    if options.redis_url:
        entries = check_redis(options.redis_url, options.redis_prefix, required=options.require_redis,
                              timeout=options.redis_timeout)
        report.checks.extend(entries)
        if any(e.status == WARN for e in entries if e.name == "redis ping") and not options.require_redis:
            report.notes.append("Redis problems are warnings (the application runs without its cache); "
                                "pass --require-redis to make them failures")
    return report


def _timed(report: Report, name: str, fn: Callable[[], tuple[str, str, dict[str, Any]]], dsn: Dsn) -> CheckEntry:
    started = time.perf_counter()
    try:
        status, message, data = fn()
    except psycopg.Error as exc:
        err = tables.db_error(exc, dsn, name)
        status, message = FAIL, err.message + (f" (hint: {err.hint})" if err.hint else "")
        data = {k: v for k, v in (("sqlstate", err.sqlstate), ("hint", err.hint)) if v}
    entry = CheckEntry(name, status, dsn.scrub(message), duration_ms=(time.perf_counter() - started) * 1000,
                       data=data)
    report.checks.append(entry)
    return entry


def database_checks(report: Report, dsn: Dsn, options: HealthOptions,
                    connect_options: ConnectOptions | None) -> None:
    names = ("database server", "database connections", "migration history", "schema version")
    started = time.perf_counter()
    try:
        conn = connect(dsn, connect_options)
    except PgReleaseError as err:
        report.checks.append(CheckEntry("database", FAIL, err.message, data={"hint": err.hint} if err.hint else {},
                                        duration_ms=(time.perf_counter() - started) * 1000))
        report.errors.append(err if isinstance(err, EnvironmentFailure)
                             else EnvironmentFailure(err.message, hint=err.hint))
        report.checks.extend(CheckEntry(n, SKIP, "skipped: no database connection") for n in names)
        return
    connect_ms = (time.perf_counter() - started) * 1000
    with conn:
        def roundtrip() -> tuple[str, str, dict[str, Any]]:
            tables.set_timeouts(conn, statement_timeout=options.statement_timeout)
            t0 = time.perf_counter()
            tables.fetch_all(conn, "health_roundtrip")
            rtt = (time.perf_counter() - t0) * 1000
            return OK, f"round trip {rtt:.1f}ms, connect {connect_ms:.0f}ms", {
                "round_trip_ms": round(rtt, 2), "connect_ms": round(connect_ms, 1)}

        def server() -> tuple[str, str, dict[str, Any]]:
            row = tables.fetch_one(conn, "health_server") or {}
            return OK, f"PostgreSQL {row.get('server_version')}", dict(row)

        def connections() -> tuple[str, str, dict[str, Any]]:
            row = tables.fetch_one(conn, "health_connections") or {}
            used, total, reserved = int(row["used"]), int(row["max_connections"]), int(row["reserved"])
            available = max(1, total - reserved)
            ratio = used / available
            data = {"used": used, "max_connections": total, "reserved": reserved, "used_ratio": round(ratio, 3)}
            message = f"{used} of {available} used ({ratio:.0%}; max_connections {total}, {reserved} reserved)"
            if ratio >= options.connections_fail:
                return FAIL, message + " - nearly exhausted", data
            if ratio >= options.connections_warn:
                return WARN, message + " - running high", data
            return OK, message, data

        def history() -> tuple[str, str, dict[str, Any]]:
            if not tables.relation_exists(conn, HISTORY_TABLE):
                return WARN, f"{HISTORY_TABLE} does not exist (no migration applied by pgrelease or the " \
                             f"Supabase CLI yet)", {"table": False}
            row = tables.fetch_one(conn, "health_history")
            if row is None:
                return WARN, f"{HISTORY_TABLE} is empty", {"table": True, "total": 0}
            name = f" {row['name']}" if row.get("name") else ""
            return OK, f"newest {row['version']}{name} ({row['total']} applied)", {
                "table": True, "newest": row["version"], "name": row.get("name"), "total": row["total"]}

        def schema_version() -> tuple[str, str, dict[str, Any]]:
            if not tables.relation_exists(conn, "bot_config"):
                return SKIP, "no bot_config table", {}
            columns = tables.table_columns(conn, "bot_config")
            if not {"config_key", "config_value"} <= set(columns):
                return SKIP, "bot_config has no config_key/config_value columns", {}
            rows = tables.fetch_all(conn, "schema_version_read")
            if not rows:
                return SKIP, "no schema_version row in bot_config", {}
            found = {}
            for r in rows:
                value = r["config_value"]
                if isinstance(value, str):
                    try:
                        value = json.loads(value)
                    except ValueError:
                        pass
                version = value.get("version") if isinstance(value, dict) else None
                found[r["environment"] or "all"] = str(version) if version is not None else None
            text = ", ".join(f"{v}" if env == "all" else f"{env} {v}" for env, v in found.items())
            return OK, text, {"versions": found}

        first = _timed(report, "database", roundtrip, dsn)
        if first.status == FAIL:
            report.checks.extend(CheckEntry(n, SKIP, "skipped: the round trip failed") for n in names)
            return
        for name, fn in zip(names, (server, connections, history, schema_version)):
            _timed(report, name, fn, dsn)

"""Schema guard: may this application version start against this database?

The application declares ``APP_SCHEMA_VERSION`` (semver); the database holds ``bot_config``
row ``config_key = 'schema_version'`` whose ``config_value`` is
``{"version": "1.0.0", "migration": "0001_baseline", "timestamp": "..."}``. The runbook's
rules, with semver precedence (pre-releases sort before their release, build metadata is
ignored):

==========================================  ============  =========================
database vs application                     verdict       reason / action
==========================================  ============  =========================
equal                                       compatible    versions match
same major, database newer                  compatible    database is ahead
same major, application newer               incompatible  run migrations
different major                             incompatible  version conflict
table or row missing                        incompatible  names what is missing
==========================================  ============  =========================

``SKIP_SCHEMA_GUARD`` set to ``true``, ``1`` or ``yes`` (any case) bypasses the check with a
loud warning. ``false``, ``0``, ``no`` or an empty value mean "do not skip"; any other
value is a configuration error (exit 2), never a silent bypass.

Library use (the CLI is ``pgrelease guard``)::

    from pgrelease import guard
    result = guard.check(os.environ["DATABASE_URL"], "1.4.0")
    if not result.compatible:
        sys.exit(f"schema guard: {result.reason}; {result.action}")
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

import psycopg
import semver

from ..db.connect import ConnectOptions, connect
from ..db.dsn import Dsn
from ..errors import CheckFailed, UsageError
from ..secrets import shorten
from . import tables

log = logging.getLogger("pgrelease.guard")

APP_VERSION_ENV = "APP_SCHEMA_VERSION"
SKIP_ENV = "SKIP_SCHEMA_GUARD"
SKIP_YES = frozenset({"true", "1", "yes"})
SKIP_NO = frozenset({"false", "0", "no", ""})
ENVIRONMENTS = ("staging", "production")
SCHEMA_VERSION_KEY = "schema_version"

_MIGRATION_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,199}\Z")

# Versions are the ``semver`` package's: it parses semver.org 2.0.0 strictly and orders by
# its precedence rules (pre-releases before their release, build metadata ignored), which
# are exactly the runbook's.
SemVer = semver.Version


# -- versions -------------------------------------------------------------------------
def parse_semver(value: str | SemVer, *, what: str = "version") -> SemVer:
    """Parse ``MAJOR.MINOR.PATCH[-pre][+build]``; anything else raises UsageError (exit 2)."""
    if isinstance(value, SemVer):
        return value
    text = value if isinstance(value, str) else str(value)
    try:
        return SemVer.parse(text)
    except (ValueError, TypeError):
        hint = "use semver MAJOR.MINOR.PATCH, e.g. 1.4.0 or 2.0.0-rc.1"
        if text.strip() != text:
            hint = "remove the surrounding spaces; " + hint
        elif text[:1] in ("v", "V") and SemVer.is_valid(text[1:]):
            hint = f"drop the leading '{text[0]}': {text[1:]}"
        raise UsageError(f"{what} {text!r} is not a valid semantic version", hint=hint,
                         extra={"value": text}) from None


# -- verdicts -------------------------------------------------------------------------
@dataclass(frozen=True)
class GuardVerdict:
    compatible: bool
    reason: str
    action: str
    code: str  # equal | db-newer | app-newer | major-conflict | missing | bypassed


def compare(db_version: str | SemVer, app_version: str | SemVer) -> GuardVerdict:
    """The runbook's compatibility rules. Invalid versions raise UsageError."""
    db = parse_semver(db_version, what="database schema version")
    app = parse_semver(app_version, what="application schema version")
    if db.major != app.major:
        return GuardVerdict(
            False,
            f"version conflict: database schema {db} is major {db.major}, application expects major {app.major}",
            (f"deploy an application built for schema {db.major}.x" if db.major > app.major
             else f"migrate the database to schema {app.major}.x before starting this application"),
            "major-conflict",
        )
    if db == app:
        return GuardVerdict(True, f"database schema {db} matches the application", "none", "equal")
    if db > app:
        return GuardVerdict(True, f"database schema {db} is newer than the application's {app} "
                                  f"(same major: backward compatible)", "none", "db-newer")
    return GuardVerdict(False, f"application expects schema {app} but the database is at {db}",
                        "run migrations (pgrelease push) before starting this application", "app-newer")


# -- checking a database --------------------------------------------------------------
@dataclass
class GuardResult:
    compatible: bool
    reason: str
    action: str
    code: str
    app_version: str | None
    db_version: str | None = None
    migration: str | None = None
    timestamp: str | None = None
    environment: str | None = None
    bypassed: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        return "compatible" if self.compatible else "incompatible"

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["verdict"] = self.verdict
        return out

    def raise_if_incompatible(self) -> "GuardResult":
        """For Python applications: raise CheckFailed (exit 1) unless compatible."""
        if not self.compatible:
            raise CheckFailed(f"schema guard: {self.reason}", hint=self.action, extra=self.to_dict())
        return self


def skip_requested(environ: Mapping[str, str] | None = None) -> bool:
    """True when SKIP_SCHEMA_GUARD asks for a bypass; UsageError for an unclear value."""
    env = os.environ if environ is None else environ
    if SKIP_ENV not in env:
        return False
    raw = env[SKIP_ENV]
    value = raw.strip().lower()
    if value in SKIP_YES:
        return True
    if value in SKIP_NO:
        return False
    raise UsageError(
        f"{SKIP_ENV}={raw!r} is not understood; the schema guard was not bypassed",
        hint=f"set {SKIP_ENV}=true (or 1, yes) to bypass in an emergency; unset it (or false/0/no) to check",
        extra={"value": raw},
    )


def resolve_app_version(app_version: str | None, environ: Mapping[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    value = app_version if app_version is not None else env.get(APP_VERSION_ENV)
    if value is None or value == "":
        raise UsageError(
            "no application schema version",
            hint=f"set {APP_VERSION_ENV} (semver, e.g. 1.4.0) or pass --app-version",
        )
    return value


def _as_dsn(dsn: Dsn | str) -> Dsn:
    return dsn if isinstance(dsn, Dsn) else Dsn.parse(dsn)


def _missing(app: str, what: str, action: str, environment: str | None) -> GuardResult:
    return GuardResult(False, f"{what}: the database declares no schema version", action, "missing",
                       app_version=app, environment=environment)


def select_row(rows: list[dict[str, Any]], environment: str | None, *, for_write: bool = False
               ) -> dict[str, Any] | None:
    """Pick the schema_version row for ``environment``: the environment's own row, else a
    shared row (environment NULL). Several candidates without ``--env`` is a usage error."""
    if environment is None:
        if len(rows) > 1:
            envs = ", ".join(sorted(str(r["environment"]) for r in rows))
            raise UsageError(
                f"bot_config holds {len(rows)} schema_version rows (environments: {envs})",
                hint="pass --env staging|production to choose one",
            )
        return rows[0] if rows else None
    own = [r for r in rows if r["environment"] == environment]
    shared = [r for r in rows if r["environment"] is None]
    candidates = own or ([] if for_write else shared)
    if len(candidates) > 1:
        raise UsageError(
            f"bot_config holds {len(candidates)} schema_version rows for environment {environment}",
            hint="keep one schema_version row per environment (delete the duplicates with a migration)",
        )
    return candidates[0] if candidates else None


def check(dsn: Dsn | str | None, app_version: str | None = None, *, environment: str | None = None,
          connect_options: ConnectOptions | None = None, environ: Mapping[str, str] | None = None,
          statement_timeout: str = "10s") -> GuardResult:
    """Compare the database's schema version with the application's.

    ``app_version`` defaults to ``$APP_SCHEMA_VERSION``; ``dsn`` is a ``Dsn`` or a URL (``None``
    is accepted only when SKIP_SCHEMA_GUARD bypasses the check).
    Returns a GuardResult (compatible, or incompatible with a reason and an action);
    raises UsageError (exit 2) for an invalid version or SKIP_SCHEMA_GUARD value and
    EnvironmentFailure (exit 3) when the database cannot be reached."""
    if environment is not None and environment not in ENVIRONMENTS:
        raise UsageError(f"unknown environment {environment!r}", hint="use staging or production")
    if skip_requested(environ):
        app = (app_version if app_version is not None
               else (os.environ if environ is None else environ).get(APP_VERSION_ENV))
        message = (f"SCHEMA GUARD BYPASSED: {SKIP_ENV} is set; the application starts without checking "
                   f"the database schema version (emergency use only; unset it once the emergency is over)")
        log.warning(message)
        return GuardResult(True, "bypassed by " + SKIP_ENV, "unset " + SKIP_ENV + " after the emergency",
                           "bypassed", app_version=app, environment=environment, bypassed=True, warnings=[message])
    app_text = resolve_app_version(app_version, environ)
    app = parse_semver(app_text, what="application schema version")
    if dsn is None:
        raise UsageError("no database target", hint="pass the database URL (pgrelease guard --db-url ...)")
    target = _as_dsn(dsn)
    with connect(target, connect_options) as conn:
        try:
            tables.set_timeouts(conn, statement_timeout=statement_timeout)
            columns = tables.table_columns(conn, tables.BOT_CONFIG)
            if not columns:
                return _missing(str(app), "table bot_config does not exist",
                                "run migrations (the migration that creates bot_config), "
                                "then record the version with pgrelease guard set-version", environment)
            absent = [c for c in ("config_key", "config_value") if c not in columns]
            if absent:
                return _missing(str(app), f"table bot_config lacks column(s) {', '.join(absent)}",
                                "fix bot_config with a migration", environment)
            rows = tables.fetch_all(conn, "schema_version_read")
        except psycopg.Error as exc:
            raise tables.db_error(exc, target, "reading the schema version") from None
    row = select_row(rows, environment)
    where = f" for environment {environment}" if environment else ""
    if row is None:
        return _missing(str(app), f"bot_config has no schema_version row{where}",
                        "run migrations, or record the version with pgrelease guard set-version", environment)
    value = tables.decode_json(row["config_value"])
    if not isinstance(value, dict) or not isinstance(value.get("version"), str) or not value["version"]:
        shown = shorten(json.dumps(value, default=str), 200)  # scrubbed before the cut
        return GuardResult(False, f"bot_config schema_version row{where} has no \"version\" string "
                                  f"(config_value is {shown})",
                           "record the version with pgrelease guard set-version", "missing",
                           app_version=str(app), environment=row["environment"] or environment)
    db = parse_semver(value["version"], what="database schema version (bot_config schema_version)")
    verdict = compare(db, app)
    return GuardResult(verdict.compatible, verdict.reason, verdict.action, verdict.code,
                       app_version=str(app), db_version=str(db),
                       migration=_str_or_none(value.get("migration")),
                       timestamp=_str_or_none(value.get("timestamp")),
                       environment=row["environment"] or environment)


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


# -- recording a version --------------------------------------------------------------
@dataclass
class SetVersionResult:
    version: str
    migration: str
    timestamp: str
    previous: str | None
    environment: str | None
    inserted: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def set_version(dsn: Dsn | str, version: str, migration: str, *, environment: str | None = None,
                allow_downgrade: bool = False, connect_options: ConnectOptions | None = None,
                lock_timeout: str = "10s", now: datetime | None = None) -> SetVersionResult:
    """Write bot_config's schema_version row (insert or update) in one transaction.

    Validates the version (semver) and the migration name first; refuses to lower the
    recorded version unless ``allow_downgrade``. Raises UsageError (exit 2) for bad input
    or a missing table/column, leaving the database unchanged."""
    parsed = parse_semver(version, what="schema version")
    if environment is not None and environment not in ENVIRONMENTS:
        raise UsageError(f"unknown environment {environment!r}", hint="use staging or production")
    if not migration or not _MIGRATION_NAME.match(migration):
        raise UsageError(
            f"migration name {migration!r} is not valid",
            hint="use the migration's file name without .sql, e.g. 20240101120000_add_posts "
                 "(letters, digits, _ . -)",
        )
    stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    value = {"version": str(parsed), "migration": migration, "timestamp": stamp}
    target = _as_dsn(dsn)
    with connect(target, connect_options) as conn:
        try:
            tables.set_timeouts(conn, lock_timeout=lock_timeout)
            columns = tables.require_columns(conn, tables.BOT_CONFIG, {"config_key": None, "config_value": "jsonb"},
                                             purpose="record the schema version")
            if environment is not None and "environment" not in columns:
                raise UsageError("bot_config has no environment column, so --env cannot be used",
                                 hint="drop --env: the table holds one schema_version row")
            with conn.transaction():
                tables.fetch_all(conn, "schema_version_lock")
                rows = tables.fetch_all(conn, "schema_version_lock_rows")
                row = select_row(rows, environment, for_write=True)
                previous = None
                if row is not None:
                    old = tables.decode_json(row["config_value"])
                    previous = old.get("version") if isinstance(old, dict) else None
                    if isinstance(previous, str) and not allow_downgrade:
                        try:
                            old_version = parse_semver(previous)
                        except UsageError:
                            old_version = None
                        if old_version is not None and parsed < old_version:
                            raise UsageError(
                                f"refusing to lower the recorded schema version from {previous} to {parsed}",
                                hint="pass --allow-downgrade if the database schema was really rolled back",
                            )
                    tables.fetch_all(conn, "schema_version_update",
                                     {"value": json.dumps(value), "row_id": row["row_id"]})
                elif environment is not None:
                    tables.fetch_all(conn, "schema_version_insert_env",
                                     {"value": json.dumps(value), "environment": environment})
                else:
                    tables.fetch_all(conn, "schema_version_insert", {"value": json.dumps(value)})
        except psycopg.errors.IntegrityError as exc:
            err = tables.db_error(exc, target, "writing the schema version", unchanged=True)
            raise UsageError(err.message, sqlstate=err.sqlstate, detail=err.detail,
                             hint="bot_config has constraints this row does not meet "
                                  "(an environment column that needs --env?)") from None
        except psycopg.Error as exc:
            raise tables.db_error(exc, target, "writing the schema version", unchanged=True) from None
    return SetVersionResult(str(parsed), migration, stamp, previous if isinstance(previous, str) else None,
                            environment if environment is not None else (row["environment"] if row else None),
                            inserted=row is None)


__all__ = [
    "APP_VERSION_ENV", "SKIP_ENV", "GuardResult", "GuardVerdict", "SemVer", "SetVersionResult", "check", "compare",
    "parse_semver", "set_version", "skip_requested",
]

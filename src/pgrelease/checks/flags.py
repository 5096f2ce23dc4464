"""Feature flags in ``bot_config`` (row ``config_key = 'feature_flags'`` per ``environment``,
``config_value`` a jsonb object of flag -> boolean), changed the way the runbook's
emergency SQL does (``jsonb_set``) and audited in the same transaction.

A set locks the environment's row (``SELECT ... FOR UPDATE``), then updates it with
``jsonb_set`` on the row's current value, then inserts the ``audit_log`` row, then
commits: a concurrent set of another flag waits for the lock and applies its change on
top, so both survive; a failure anywhere leaves neither the flag change nor the audit row.
"""

from __future__ import annotations

import getpass
import json
import os
import re
from dataclasses import asdict, dataclass
from typing import Any

import psycopg

from ..db.connect import ConnectOptions, connect
from ..db.dsn import Dsn
from ..errors import UsageError
from ..secrets import shorten
from . import audit, tables
from .guard import ENVIRONMENTS

FLAGS_KEY = "feature_flags"
AUDIT_ACTION = "feature_flag.set"
ACTOR_ENV = "GITHUB_ACTOR"
NEW_FLAG_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}\Z")
BOT_CONFIG_COLUMNS: dict[str, str | None] = {"config_key": None, "environment": None, "config_value": "jsonb"}


@dataclass
class FlagChange:
    flag: str
    environment: str
    old: Any
    new: bool
    changed: bool
    created: bool
    actor: str
    reason: str | None
    audit_id: str | None = None
    audit_table: str | None = None
    audit_created: bool = False  # the audit table was missing and was created for this change

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _as_dsn(dsn: Dsn | str) -> Dsn:
    return dsn if isinstance(dsn, Dsn) else Dsn.parse(dsn)


def check_environment(environment: str | None) -> str:
    if environment not in ENVIRONMENTS:
        raise UsageError(f"unknown environment {environment!r}" if environment else "no environment given",
                         hint="pass --env staging or --env production")
    return environment


def resolve_actor(actor: str | None = None) -> str:
    """--actor, else $GITHUB_ACTOR, else the OS user."""
    for candidate in (actor, os.environ.get(ACTOR_ENV)):
        if candidate and candidate.strip():
            return candidate.strip()
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry (some containers)
        return f"uid:{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def parse_bool(value: str | bool) -> bool:
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    raise UsageError(f"flag value {value!r} is not true or false", hint="flags are booleans: true or false")


def _flags_of(environment: str, value: Any) -> dict[str, Any]:
    value = tables.decode_json(value)
    if not isinstance(value, dict):
        raise UsageError(
            f"bot_config feature_flags for {environment} is not a JSON object (it is {shorten(json.dumps(value), 80)})",
            hint="fix the row with a migration: config_value must be an object of flag -> boolean",
        )
    return value


def _read(dsn: Dsn, environment: str | None, connect_options: ConnectOptions | None) -> list[dict[str, Any]]:
    with connect(dsn, connect_options) as conn:
        try:
            tables.set_timeouts(conn, statement_timeout="30s")
            tables.require_columns(conn, tables.BOT_CONFIG, BOT_CONFIG_COLUMNS, purpose="read feature flags")
            return tables.fetch_all(conn, "flags_read", {"environment": environment})
        except psycopg.Error as exc:
            raise tables.db_error(exc, dsn, "reading feature flags") from None


def list_flags(dsn: Dsn | str, environment: str | None = None, *,
               connect_options: ConnectOptions | None = None) -> dict[str, dict[str, Any]]:
    """{environment: {flag: value}} for one environment, or every environment with a row."""
    if environment is not None:
        check_environment(environment)
    target = _as_dsn(dsn)
    rows = _read(target, environment, connect_options)
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        env = row["environment"]
        if env in out:
            raise UsageError(f"bot_config holds several feature_flags rows for {env}",
                             hint="keep one feature_flags row per environment")
        out[env] = dict(sorted(_flags_of(env, row["config_value"]).items()))
    if environment is not None and environment not in out:
        raise _no_row(environment)
    return out


def get_flag(dsn: Dsn | str, name: str, environment: str, *,
             connect_options: ConnectOptions | None = None) -> Any:
    check_environment(environment)
    flags = list_flags(dsn, environment, connect_options=connect_options)[environment]
    if name not in flags:
        raise _unknown(name, environment, flags)
    return flags[name]


def _no_row(environment: str) -> UsageError:
    return UsageError(
        f"bot_config has no feature_flags row for environment {environment}",
        hint="create it with a migration: insert into bot_config (config_key, environment, config_value) "
             f"values ('feature_flags', '{environment}', '{{}}')",
    )


def _unknown(name: str, environment: str, flags: dict[str, Any]) -> UsageError:
    known = ", ".join(sorted(flags)) or "none"
    return UsageError(f"unknown flag {name!r} in {environment} (known: {known})",
                      hint="check the spelling; pass --create to add a new flag")


def validate_set_request(name: str, value: bool | str, environment: str | None,
                         reason: str | None) -> tuple[bool, str | None]:
    """Checks that need no database: environment, value, name, production reason."""
    check_environment(environment)
    new = parse_bool(value)
    reason = reason.strip() if reason else None
    if environment == "production" and not reason:
        raise UsageError("changing a production flag needs a reason",
                         hint="pass --reason 'why' (it is written to audit_log)")
    if not name:
        raise UsageError("empty flag name", hint="name the flag, e.g. autonomous_posting")
    return new, reason


def set_flag(dsn: Dsn | str, name: str, value: bool | str, environment: str, *, reason: str | None = None,
             actor: str | None = None, create: bool = False, connect_options: ConnectOptions | None = None,
             lock_timeout: str = "10s", audit_table: str = "public.audit_log") -> FlagChange:
    """Set one flag and write its audit_log row in one transaction.

    Refuses (UsageError, exit 2, nothing changed): an unknown environment; production
    without a reason; an unknown flag without ``create``; a flag holding a non-boolean;
    a missing feature_flags row; a missing or incompatible bot_config; an audit table it cannot
    write (a missing one is created with pgrelease's shape, see checks/audit.py)."""
    new, reason = validate_set_request(name, value, environment, reason)
    who = resolve_actor(actor)
    target = _as_dsn(dsn)
    if reason:
        reason = target.scrub(reason)
    with connect(target, connect_options) as conn:
        try:
            tables.set_timeouts(conn, lock_timeout=lock_timeout, statement_timeout="30s")
            tables.require_columns(conn, tables.BOT_CONFIG, BOT_CONFIG_COLUMNS, purpose="set feature flags")
            trail = audit.ensure(conn, audit_table, needs_id=False, fills=audit.FLAG_FILLS)  # created when missing
            with conn.transaction():
                rows = tables.fetch_all(conn, "flags_lock_row", {"environment": environment})
                if not rows:
                    raise _no_row(environment)
                if len(rows) > 1:
                    raise UsageError(f"bot_config holds {len(rows)} feature_flags rows for {environment}",
                                     hint="keep one feature_flags row per environment")
                row = rows[0]
                flags = _flags_of(environment, row["config_value"])
                created = name not in flags
                if created and not create:
                    raise _unknown(name, environment, flags)
                if created and not NEW_FLAG_NAME.match(name):
                    raise UsageError(f"new flag name {name!r} is not valid",
                                     hint="use lowercase letters, digits and _, starting with a letter")
                old = flags.get(name)
                if not created and not isinstance(old, bool):
                    raise UsageError(
                        f"flag {name!r} in {environment} holds {shorten(json.dumps(old), 80)}, not a boolean",
                        hint="fix the value with a migration; pgrelease sets boolean flags only",
                    )
                change = FlagChange(name, environment, old, new, changed=old is not new, created=created,
                                    actor=who, reason=reason)
                if not change.changed:
                    return change
                tables.fetch_all(conn, "flags_update",
                                 {"flag": name, "value": new, "row_id": row["row_id"]})
                details = {"environment": environment, "flag": name, "old": old, "new": new,
                           "reason": reason, "created": created, "tool": "pgrelease flags set"}
                change.audit_id = audit.insert(conn, trail, actor=who, action=AUDIT_ACTION,
                                               target=f"feature_flags.{name}", details=details,
                                               environment=environment)
                change.audit_table = trail.qualified
                change.audit_created = trail.created
        except psycopg.Error as exc:
            raise tables.db_error(exc, target, f"setting flag {name} in {environment}", unchanged=True) from None
    return change


__all__ = ["FlagChange", "get_flag", "list_flags", "parse_bool", "resolve_actor", "set_flag", "validate_set_request"]

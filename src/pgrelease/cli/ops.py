"""Operations commands from the runbook: ``guard``, ``flags``, ``health``.

Thin click layer: parse options, call one function of ``pgrelease.checks``, return a
Report (``@reporting`` renders it and exits with its code). Imported at the end of
``cli.py`` so that the commands register on ``main``.

Exit codes: 0 passed; 1 a check failed (guard incompatible, health check failed, a flag
change refused by the server); 2 usage or configuration (invalid version, bad
SKIP_SCHEMA_GUARD, unknown flag, missing --reason, bad Redis prefix, missing table);
3 the environment failed (database unreachable, lock timeout).
"""

from __future__ import annotations

import json
from typing import Any

import click

from ..checks import flags as flag_ops
from ..checks import guard as guard_ops
from ..checks.guard import ENVIRONMENTS
from ..checks.health import HealthOptions, health as run_health
from . import main
from .types import DURATION, POSITIVE_SECONDS
from .options import dsn_from, output_options, reporting, target_options
from ..report.model import OK, Report
from ..report.steps import guard_step
from ..settings import TargetSpec

ENV_CHOICE = click.Choice(ENVIRONMENTS)


# -- guard ----------------------------------------------------------------------------
@main.group(invoke_without_command=True)
@click.option("--app-version", envvar=guard_ops.APP_VERSION_ENV,
              help="The application's schema version (semver; env APP_SCHEMA_VERSION).")
@click.option("--env", "environment", type=ENV_CHOICE, envvar="PGRELEASE_ENV",
              help="Which environment's schema_version row, when bot_config holds one per environment "
                   "(env PGRELEASE_ENV).")
@target_options
@output_options
@click.pass_context
def guard(ctx: click.Context, app_version: str | None, environment: str | None, target: TargetSpec,
          connect_options: Any, fmt: str, quiet: bool) -> None:
    """Schema guard: exit 0 when the app may start against this database.

    \b
    pgrelease guard && exec my-app
    compatible 0, incompatible 1, invalid version or SKIP_SCHEMA_GUARD value 2, cannot connect 3.
    SKIP_SCHEMA_GUARD=true (or 1, yes) bypasses the check with a loud warning (emergencies only).
    """
    ctx.ensure_object(dict)
    ctx.obj["guard_target"] = target
    ctx.obj["guard_environment"] = environment
    if ctx.invoked_subcommand is not None:
        return
    _guard_check(app_version=app_version, environment=environment, target=target,
                 connect_options=connect_options, fmt=fmt, quiet=quiet)


@reporting("guard")
def _guard_check(*, app_version: str | None, environment: str | None, target: TargetSpec, connect_options: Any,
                 fmt: str, quiet: bool) -> Report:
    bypass = guard_ops.skip_requested()
    if not bypass:  # a bad version is reported before anything else is resolved
        guard_ops.parse_semver(guard_ops.resolve_app_version(app_version), what="application schema version")
    dsn = dsn_from(target, required=not bypass)
    result = guard_ops.check(dsn, app_version, environment=environment, connect_options=connect_options)
    if result.bypassed:
        banner = "!" * 72
        click.echo(f"{banner}\n!! {result.warnings[0]}\n{banner}", err=True)
    return Report.of("guard", guard_step(result, name="guard"), target=dsn.masked() if dsn is not None else None)




@guard.command("set-version")
@click.argument("version")
@click.option("--migration", required=True, help="The migration that brought the schema to VERSION.")
@click.option("--env", "environment", type=ENV_CHOICE,
              help="Write the row of this environment (bot_config with an environment column).")
@click.option("--allow-downgrade", is_flag=True, help="Allow recording a lower version than the current one.")
@click.option("--lock-timeout", type=DURATION, default="10s", show_default=True, help="lock_timeout for the write.")
@target_options
@output_options
@reporting("guard set-version")
def guard_set_version(version: str, migration: str, environment: str | None, allow_downgrade: bool,
                      lock_timeout: str, target: TargetSpec, connect_options: Any, fmt: str, quiet: bool) -> Report:
    """Record VERSION in bot_config's schema_version row (validated, in one transaction)."""
    guard_ops.parse_semver(version, what="schema version")
    ctx = click.get_current_context()
    parent = ctx.obj if isinstance(ctx.obj, dict) else {}
    if not target.given and parent.get("guard_target") is not None:
        target = parent["guard_target"]
    environment = environment or parent.get("guard_environment")
    dsn = dsn_from(target)
    report = Report(command="guard set-version", target=dsn.masked())
    result = guard_ops.set_version(dsn, version, migration, environment=environment, allow_downgrade=allow_downgrade,
                                   connect_options=connect_options, lock_timeout=lock_timeout)
    report.data["schema_version"] = result.to_dict()
    previous = f"{result.previous} -> " if result.previous else ""
    where = f" ({result.environment})" if result.environment else ""
    report.add_check("schema version", OK,
                     f"{previous}{result.version}{where}, migration {result.migration}"
                     + (" (new row)" if result.inserted else ""))
    return report


# -- flags ----------------------------------------------------------------------------
@main.group()
def flags() -> None:
    """Feature flags in bot_config (row 'feature_flags' per environment).

    \b
    pgrelease flags list --env production
    pgrelease flags get autonomous_posting --env production
    pgrelease flags set autonomous_posting false --env production --reason "incident 42"
    """


@flags.command("list")
@click.option("--env", "environment", type=ENV_CHOICE, help="One environment (default: every environment).")
@target_options
@output_options
@reporting("flags list")
def flags_list(environment: str | None, target: TargetSpec, connect_options: Any, fmt: str, quiet: bool) -> Report:
    """List the flags of one or every environment."""
    dsn = dsn_from(target)
    report = Report(command="flags list", target=dsn.masked())
    report.data["flags"] = flag_ops.list_flags(dsn, environment, connect_options=connect_options)
    return report




@flags.command("get")
@click.argument("name")
@click.option("--env", "environment", type=ENV_CHOICE, help="staging or production (required).")
@target_options
@output_options
@reporting("flags get")
def flags_get(name: str, environment: str | None, target: TargetSpec, connect_options: Any, fmt: str,
              quiet: bool) -> Report:
    """Print one flag's value (exit 2 when the flag does not exist)."""
    flag_ops.check_environment(environment)
    dsn = dsn_from(target)
    report = Report(command="flags get", target=dsn.masked())
    value = flag_ops.get_flag(dsn, name, environment, connect_options=connect_options)  # type: ignore[arg-type]
    report.data["flag"] = {"name": name, "environment": environment, "value": value}
    return report




@flags.command("set")
@click.argument("name")
@click.argument("value", type=click.Choice(["true", "false"], case_sensitive=False))
@click.option("--env", "environment", type=ENV_CHOICE, help="staging or production (required).")
@click.option("--reason", help="Why (written to audit_log; required for production).")
@click.option("--actor", help="Who (default: $GITHUB_ACTOR, else the OS user).")
@click.option("--create", is_flag=True, help="Allow creating a flag that does not exist yet.")
@click.option("--lock-timeout", type=DURATION, default="10s", show_default=True,
              help="How long to wait for the row lock.")
@click.option("--audit-table", default="public.audit_log", show_default=True,
              help="Audit table (created with pgrelease's shape when missing).")
@target_options
@output_options
@reporting("flags set")
def flags_set(name: str, value: str, environment: str | None, reason: str | None, actor: str | None, create: bool,
              lock_timeout: str, audit_table: str, target: TargetSpec, connect_options: Any, fmt: str,
              quiet: bool) -> Report:
    """Set flag NAME to true or false, with an audit_log row, in one transaction."""
    flag_ops.validate_set_request(name, value, environment, reason)
    dsn = dsn_from(target)
    report = Report(command="flags set", target=dsn.masked())
    change = flag_ops.set_flag(dsn, name, value, environment, reason=reason, actor=actor,  # type: ignore[arg-type]
                               create=create, connect_options=connect_options, lock_timeout=lock_timeout,
                               audit_table=audit_table)
    report.data["flag"] = change.to_dict()
    if change.changed:
        old = "(new)" if change.created else json.dumps(change.old)
        report.add_check(f"flag {name}", OK, f"{old} -> {json.dumps(change.new)} in {environment}"
                         f" by {change.actor}, audit_log id {change.audit_id}")
        if change.audit_created:
            report.notes.append(f"created the audit table {change.audit_table} (pgrelease's shape, docs/operations.md)")
    else:
        report.add_check(f"flag {name}", OK, f"already {json.dumps(change.new)} in {environment}; nothing changed")
    return report


# -- health ---------------------------------------------------------------------------
@main.command()
@target_options
@click.option("--url", envvar="PGRELEASE_HEALTH_URL", help="HTTP health endpoint to GET (expects 2xx).")
@click.option("--http-timeout", type=POSITIVE_SECONDS, default=10.0, show_default=True, help="Seconds per HTTP attempt.")
@click.option("--http-retries", type=click.IntRange(0, 10), default=2, show_default=True,
              help="Retries on connection errors, timeouts, 429 and 5xx.")
@click.option("--redis-url", envvar="REDIS_URL", help="redis://:<password>@host:6379/0 (env REDIS_URL).")
@click.option("--redis-prefix", envvar="REDIS_PREFIX",
              help="This deployment's key prefix, e.g. stg: (env REDIS_PREFIX).")
@click.option("--require-redis", is_flag=True, help="Redis problems fail the check instead of warning.")
@click.option("--redis-timeout", type=POSITIVE_SECONDS, default=5.0, show_default=True, help="Seconds per Redis operation.")
@click.option("--statement-timeout", type=DURATION, default="10s", show_default=True,
              help="statement_timeout for the queries.")
@output_options
@reporting("health")
def health(target: TargetSpec, connect_options: Any, url: str | None, http_timeout: float, http_retries: int,
           redis_url: str | None, redis_prefix: str | None, require_redis: bool, redis_timeout: float,
           statement_timeout: str, fmt: str, quiet: bool) -> Report:
    """Database, HTTP and Redis health: one line per check; exit code = worst verdict."""
    dsn = dsn_from(target, required=False)
    options = HealthOptions(url=url or None, http_timeout=http_timeout, http_retries=http_retries,
                            redis_url=redis_url or None, redis_prefix=redis_prefix, require_redis=require_redis,
                            redis_timeout=redis_timeout, statement_timeout=statement_timeout)
    return run_health(dsn, options, connect_options=connect_options)

"""The production promotion: confirmed, pre-flighted, audited, applied, verified.

1. The typed confirmation must equal the expected text exactly, before anything connects.
2. Pre-flight, all before anything is applied: production reachable; the commit passed the
   gate (its commit status); the ref is the default branch; the GitHub environment has
   required reviewers; no other deployment holds the migration lock (taken here and held
   through the apply); the plan (nothing out of order or edited) and lint of what is pending;
   the audit table can take the deployment's row.
3. The impact step: each pending migration's locks and rewrites, measured on a shadow, with
   production's table sizes; a failed ``[impact]`` policy check stops the promotion here.
   Then an audit row ``started`` in its own committed transaction.
4. The engine's push, on the same session, so the lock is never let go in between.
5. Verify scripts, drift against a shadow replay, the schema guard, health.
6. The audit row updated to ``succeeded`` or ``failed``; a run that dies after step 3 leaves
   its row ``started``, and the next promotion marks it ``abandoned`` once it holds the lock.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import psycopg

from ..checks import audit
from ..checks import guard as guard_ops
from ..checks.health import HealthOptions, health
from ..checks.sqlscripts import verify
from ..db.connect import ConnectOptions, connect
from ..db.dsn import Dsn
from ..errors import EnvironmentFailure, PgReleaseError, UsageError
from ..migrations import history
from ..migrations.apply import ProgressFn, PushOptions, PushResult, load_plan, push
from ..migrations.files import MigrationSet, discover
from ..migrations.outcome import labelled
from ..report.model import FAIL, OK, SKIP, WARN, Report, Step
from ..secrets import scrub
from ..report.steps import drift_step, guard_step, lint_step, push_step, skipped_step, verify_step
from .drift import DriftOptions, drift
from .shadow import ShadowOptions

CONFIRM_TEXT = "CONFIRM PRODUCTION DEPLOYMENT"


def check_confirmation(typed: str | None, expected: str = CONFIRM_TEXT) -> None:
    """UsageError (exit 2) unless ``typed`` is exactly ``expected``: case, inner spaces, no
    leading or trailing whitespace."""
    if not expected or expected != expected.strip():
        raise UsageError("--expect-confirm must be a non-empty text without leading or trailing spaces")
    if typed == expected:
        return
    if not typed:
        why = "no confirmation was typed"
    elif typed.strip() != typed:
        why = "the typed text has leading or trailing whitespace"
    elif typed.lower() == expected.lower():
        why = "the typed text differs in case"
    elif " ".join(typed.split()) == expected:
        why = "the typed text has extra spaces between the words"
    else:
        why = "the typed text is different"
    raise UsageError(f"confirmation refused: {why}; nothing was touched",
                     hint=f"type exactly {expected} (the workflow's confirm input, or --confirm)")


@dataclass(frozen=True)
class GitHubFacts:
    """What the promotion knows about its run from GitHub Actions."""

    repository: str | None = None
    sha: str | None = None
    ref: str | None = None
    actor: str = "unknown"
    run_url: str | None = None


@dataclass(frozen=True)
class PromoteOptions:
    production: Dsn
    confirm: str | None
    expect_confirm: str = CONFIRM_TEXT
    environment: str = "production"
    require_reviewers: bool = False
    skip_gate_check: bool = False
    skip_reason: str | None = None
    gate_context: str = "pgrelease/gate"
    allow_refs: tuple[str, ...] = ()
    audit_table: str = audit.DEFAULT_TABLE
    app_version: str | None = None
    health: HealthOptions = HealthOptions()
    push_options: PushOptions = PushOptions()
    impact_max: int = 50  # measure locks and rewrites for at most this many pending migrations (0: never)
    shadow: ShadowOptions = ShadowOptions()
    drift: DriftOptions = DriftOptions()
    facts: GitHubFacts = GitHubFacts()


@dataclass
class PromoteRun:
    report: Report
    audit_id: str | None = None
    applied: list[str] = field(default_factory=list)  # versions
    applied_files: list[str] = field(default_factory=list)  # paths relative to the workdir
    abandoned: list[str] = field(default_factory=list)  # audit ids marked abandoned
    audit_table: audit.AuditTable | None = None
    audit_creator: Any = None  # the pending migration that creates the audit table, when one does
    terminated: list[dict[str, Any]] = field(default_factory=list)  # sessions --cancel-blockers-after ended


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _github_checks(step: Step, options: PromoteOptions, reader: Any) -> None:
    """Gate status, default branch, environment reviewers. ``reader`` is a GitHubReader or None."""
    facts = options.facts
    if options.skip_gate_check:
        step.add_check("gate passed", WARN, f"not checked (--skip-gate-check): {options.skip_reason}")
    elif reader is None or not facts.sha:
        step.add_check("gate passed", FAIL, "cannot check the gate's commit status: no repository, commit or token",
                       data={"hint": "run in GitHub Actions (GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_TOKEN), or pass"
                                     " --skip-gate-check --reason TEXT"})
    else:
        state = reader.commit_status(facts.sha, options.gate_context)
        if state == "success":
            step.add_check("gate passed", OK, f"{options.gate_context} is success on {facts.sha[:12]}")
        else:
            shown = "missing" if state is None else state
            step.add_check("gate passed", FAIL, f"{options.gate_context} is {shown} on {facts.sha[:12]}: the commit"
                           " did not pass the PR gate", data={"hint": "promote a commit whose pull request passed the"
                                                                      " gate, or --skip-gate-check --reason TEXT"})
    if reader is None:
        step.add_check("default branch", SKIP, "not checked: no GitHub repository")
        step.add_check("environment reviewers", SKIP, "not checked: no GitHub repository")
        return
    default = reader.default_branch()
    ref = facts.ref or ""
    allowed = {f"refs/heads/{default}", *options.allow_refs, *(f"refs/heads/{r}" for r in options.allow_refs)}
    if ref in allowed:
        step.add_check("default branch", OK, f"{ref} is " + ("the default branch" if ref.endswith("/" + default)
                                                           else "allowed by --allow-ref"))
    else:
        step.add_check("default branch", FAIL, f"{ref or 'no ref'} is not the default branch {default}",
                       data={"hint": "promote from the default branch, or pass --allow-ref"})
    protection = reader.environment(options.environment)
    level = FAIL if options.require_reviewers else WARN
    if not protection.exists:
        step.add_check("environment reviewers", level, f"GitHub environment {options.environment} does not exist:"
                       " nobody approves this deployment")
    elif not protection.reviewers:
        step.add_check("environment reviewers", level, f"environment {options.environment} has no required"
                       " reviewers: add them in Settings > Environments")
    else:
        step.add_check("environment reviewers", OK, f"environment {options.environment} requires"
                       f" {', '.join(protection.reviewers)}")


def _fail(step: Step, name: str, err: PgReleaseError) -> None:
    step.add_check(name, FAIL, err.message, data={"hint": err.hint} if err.hint else {})
    step.errors.extend(err.parts())


def promote(workdir: Path, options: PromoteOptions, *, reader: Any = None,
            connect_options: ConnectOptions | None = None, progress: ProgressFn | None = None) -> PromoteRun:
    check_confirmation(options.confirm, options.expect_confirm)
    if options.skip_gate_check and not (options.skip_reason or "").strip():
        raise UsageError("--skip-gate-check needs --reason TEXT", hint="the reason is written to the audit row")
    workdir = Path(workdir)
    report = Report("promote", target=options.production.masked(), steps=[])
    run = PromoteRun(report)
    migrations = discover(workdir)
    started = time.perf_counter()
    preflight = report.add_step(Step("preflight"))
    try:
        conn = connect(options.production, connect_options)
    except PgReleaseError as err:
        _fail(preflight, "production reachable", err)
        preflight.summary = err.message
        return run
    with conn:
        version = conn.execute("show server_version").fetchone()[0]
        preflight.add_check("production reachable", OK, f"{options.production.location}: PostgreSQL {version.split()[0]}")
        try:  # a killed deployment's backend notices it is alone within 2 s (PostgreSQL 14+)
            conn.execute("set client_connection_check_interval = '2s'")
        except psycopg.Error:
            pass
        lock = history.AdvisoryLock(conn, options.production, options.push_options.lock_wait)
        try:
            _preflight(preflight, run, options, workdir, migrations, conn, lock, reader, connect_options)
            preflight.duration_ms = (time.perf_counter() - started) * 1000
            failed = [c.name for c in preflight.checks if c.status == FAIL]
            preflight.summary = f"failed: {', '.join(failed)}" if failed else f"{len(preflight.checks)} checks passed"
            if failed or preflight.errors:
                if not preflight.errors:
                    preflight.failed = True
                report.add_step(skipped_step("impact", "pre-flight failed"))
                report.add_step(skipped_step("apply", "pre-flight failed: nothing was applied or audited"))
                return run
            impact = report.add_step(_impact(workdir, options, preflight.data["plan"]["pending"], connect_options))
            if impact.status == FAIL:
                why = "the [impact] policy failed" if impact.checks else "the impact step failed"
                report.add_step(skipped_step("apply", f"{why}: nothing was applied or audited"))
                return run
            _deploy(run, options, workdir, migrations, conn, connect_options, progress)
        finally:
            lock.release()
    return run


def _preflight(step: Step, run: PromoteRun, options: PromoteOptions, workdir: Path, migrations: Any,
               conn: psycopg.Connection, lock: history.AdvisoryLock, reader: Any,
               connect_options: ConnectOptions | None) -> None:
    from ..lint import LintRun, lint_files, select
    from ..lint.config import load_lint_config

    try:
        _github_checks(step, options, reader)
    except PgReleaseError as err:
        _fail(step, "github", err)
        return
    try:
        lock.acquire()
        step.add_check("migration lock", OK, "no other deployment is running (lock held until the end)")
    except EnvironmentFailure as err:
        _fail(step, "migration lock", err)
        return
    plan = load_plan(conn, migrations)
    step.data["plan"] = {"pending": [m.version for m in plan.pending],
                         "out_of_order": [m.version for m in plan.out_of_order],
                         "edited": [m.version for m, _ in plan.edited],
                         "missing_local": [a.version for a in plan.missing_local]}
    step.migrations.extend(_pending_entries(plan))
    try:  # every pending file runnable as written (all refused files at once), before the audit row
        from ..migrations.parse import parse_migrations

        parse_migrations(plan.pending)
    except PgReleaseError as err:
        _fail(step, "runnable files", err)
    problems = []
    if plan.edited:
        problems.append(f"{len(plan.edited)} applied migration(s) edited: {', '.join(m.filename for m, _ in plan.edited)}")
    if plan.out_of_order and not options.push_options.include_all:
        problems.append(f"{len(plan.out_of_order)} pending migration(s) out of order: "
                        f"{', '.join(m.filename for m in plan.out_of_order)}")
    if problems:
        step.add_check("plan", FAIL, "; ".join(problems), data={"hint": "fix the history first (pgrelease status)"})
    else:
        step.add_check("plan", OK, f"{len(plan.pending)} pending" + (
            f": {', '.join(m.version for m in plan.pending[:10])}" + ("..." if len(plan.pending) > 10 else "")
            if plan.pending else ": production is up to date"))
    for applied in plan.missing_local:
        step.warnings.append(f"production has version {applied.version} with no local file")
    try:
        selection = select(workdir, dsn=options.production, connect_options=connect_options)
        result = lint_files(selection.sources, config=load_lint_config(workdir), others=selection.others,
                            applied=selection.applied, pending=True)
    except PgReleaseError as err:
        _fail(step, "lint", err)
    else:
        lint = lint_step(LintRun(selection, result))
        step.data["lint"] = lint.data
        errors = [f for f in lint.data["findings"] if f["severity"] == "error"]
        first = f"; first: {errors[0]['rule']} at {errors[0]['file']}:{errors[0]['line']}: {errors[0]['message']}" \
            if errors else ""
        step.add_check("lint", FAIL if lint.failed else (WARN if lint.warned else OK), lint.summary + first,
                       file=errors[0]["file"] if errors else None, line=errors[0]["line"] if errors else None)
    creator = _creates_audit_table(plan.pending, options.audit_table)  # creating it first would fail that one
    if creator is not None and not audit.exists(conn, options.audit_table):
        run.audit_creator = creator
        step.add_check("audit table", OK, f"{options.audit_table} is created by pending migration {creator.filename};"
                       " the deployment's row is written as soon as that migration is applied")
        return
    try:
        table = audit.ensure(conn, options.audit_table)
    except UsageError as err:
        _fail(step, "audit table", err)
    else:
        run.audit_table = table
        step.data["audit_table"] = table.qualified
        step.add_check("audit table", OK, f"{table.qualified}" + (" created (pgrelease's documented shape)"
                                                                 if table.created else ""))


def _impact(workdir: Path, options: PromoteOptions, pending: list[str],
            connect_options: ConnectOptions | None) -> Step:
    """The locks and rewrites of what production has pending, measured on a shadow that holds
    what production applied, with production's table sizes; the ``[impact]`` policy of
    pgrelease.toml turns them into checks, and a failed check stops the promotion before the
    audit row. A probe that cannot run (no shadow server) warns and lets the promotion go on."""
    from .impact import ImpactOptions, evaluate, load_impact_policy, measure, not_measured
    from ..report.steps import impact_step

    why = not_measured(pending, options.impact_max)
    if why:
        return skipped_step("impact", why)
    started = time.perf_counter()
    try:
        policy = load_impact_policy(workdir)
        result = measure(workdir, options.production,
                         ImpactOptions(shadow=options.shadow, statement_timeout=options.push_options.statement_timeout),
                         connect_options=connect_options, own_database=options.shadow.shadow_url is not None)
    except UsageError as err:
        step = Step("impact", errors=err.parts(), summary=err.message)
    except PgReleaseError as err:
        step = skipped_step("impact", f"not measured: {err.message}")
        step.warnings.append(f"the lock and rewrite report could not be measured: {err.message}")
    else:
        evaluate(result, policy)
        step = impact_step(result, probe_failure_warns=True)
    step.duration_ms = (time.perf_counter() - started) * 1000
    return step


def _creates_audit_table(files: Any, table_name: str) -> Any:
    """The migration among ``files`` that creates the audit table, if one does."""
    from ..migrations.parse import parse_migration
    from ..report.erd import table_changes

    key = audit.parse_table_name(table_name)
    for migration in files:
        changes = table_changes(stmt.sql for stmt in parse_migration(migration).statements)
        if key in changes and changes[key].created:
            return migration
    return None


def _pending_entries(plan: Any) -> list:
    from ..migrations.outcome import MigrationEntry

    return [MigrationEntry(m.version, m.name, "pending", file=m.display_path) for m in plan.pending]


def _deploy(run: PromoteRun, options: PromoteOptions, workdir: Path, migrations: Any, conn: psycopg.Connection,
            connect_options: ConnectOptions | None, progress: ProgressFn | None) -> None:
    report, preflight = run.report, run.report.steps[0]
    facts = options.facts
    first: PushResult | None = None
    if run.audit_table is None:  # the audit table comes with a pending migration: apply up to it first
        started = time.perf_counter()
        upto = MigrationSet(migrations.directory, [m for m in migrations.files
                                                   if m.sort_key <= run.audit_creator.sort_key])
        first = push(options.production, upto, options.push_options, conn=conn,
                     progress=labelled(progress, f"{options.environment} (up to the audit table)"))
        if first.failure is not None:
            step = report.add_step(push_step(first, name="apply"))
            step.duration_ms = (time.perf_counter() - started) * 1000
            step.notes.append(f"no audit row: {run.audit_creator.filename}, which creates the audit table, did not"
                              " apply")
            run.applied = [m.version for m in first.entries if m.status == "applied"]
            return
        try:
            run.audit_table = audit.ensure(conn, options.audit_table, create=False)
        except UsageError as err:
            report.add_step(Step("audit", errors=err.parts(), summary=err.message))
            return
    table = run.audit_table
    run.abandoned = audit.stale_started(conn, table)
    for row_id in run.abandoned:
        audit.update(conn, table, row_id, {"status": "abandoned", "abandoned_at": _now(),
                                           "abandoned_by": facts.run_url or facts.actor}, status="abandoned")
    pending = preflight.data["plan"]["pending"]
    started_at, started = _now(), time.perf_counter()
    details: dict[str, Any] = {
        "event": "deployment", "status": "started", "environment": options.environment, "actor": facts.actor,
        "commit": facts.sha, "ref": facts.ref, "run_url": facts.run_url, "confirmation": options.confirm,
        "versions": pending, "preflight": {c.name: {"status": c.status, "message": c.message}
                                           for c in preflight.checks},
        "started_at": started_at, "tool": "pgrelease promote", **audit.session(conn)}
    if options.skip_gate_check:
        details["gate_check_skipped"] = options.skip_reason
    run.audit_id = audit.insert(conn, table, actor=facts.actor, action="deployment", target=options.environment,
                                details=_scrubbed(details), status="started", environment=options.environment,
                                commit_sha=facts.sha, run_url=facts.run_url)
    audit_step = report.add_step(Step("audit", summary=f"row {run.audit_id} in {table.qualified}: started"))
    audit_step.data["audit_id"] = run.audit_id
    if run.abandoned:
        audit_step.notes.append(f"marked {len(run.abandoned)} earlier deployment row(s) abandoned (their session"
                                f" is gone): {', '.join(run.abandoned)}")
    failing: Step | None = None
    try:
        failing = _apply_and_verify(run, options, workdir, migrations, conn, connect_options, progress, first)
    except BaseException as exc:  # record what happened, then let it go on
        _finish(conn, table, run, started, status="failed", failing="crash",
                error=f"{type(exc).__name__}: {exc}")
        raise
    status = "failed" if failing is not None else "succeeded"
    error = None
    if failing is not None:
        first = failing.errors[0].message if failing.errors else failing.summary
        error = first
    _finish(conn, table, run, started, status=status, failing=failing.name if failing else None, error=error)
    audit_step.summary = f"row {run.audit_id} in {table.qualified}: {status}"


def _scrubbed(details: dict[str, Any]) -> dict[str, Any]:
    import json

    return json.loads(scrub(json.dumps(details, default=str)))


def _finish(conn: psycopg.Connection, table: audit.AuditTable, run: PromoteRun, started: float, *, status: str,
            failing: str | None, error: str | None) -> None:
    details = {"status": status, "finished_at": _now(), "duration_ms": round((time.perf_counter() - started) * 1000),
               "applied": run.applied, "failed_step": failing, "error": scrub(error) if error else None}
    if run.terminated:  # production sessions this deployment ended: part of its record
        details["terminated_blockers"] = run.terminated
    try:
        audit.update(conn, table, run.audit_id, _scrubbed(details), status=status)
    except psycopg.Error:  # the connection is gone: the next promotion marks the row abandoned
        pass


def _apply_and_verify(run: PromoteRun, options: PromoteOptions, workdir: Path, migrations: Any,
                      conn: psycopg.Connection, connect_options: ConnectOptions | None,
                      progress: ProgressFn | None, first: PushResult | None = None) -> Step | None:
    """Apply (after ``first``, what was applied before the audit row could be written), then
    verify; the first failed step (or None)."""
    report = run.report
    started = time.perf_counter()
    try:
        result = push(options.production, migrations, options.push_options, conn=conn,
                      progress=labelled(progress, options.environment))
    except PgReleaseError as err:
        step = report.add_step(Step("apply", errors=err.parts(), summary=err.message))
        return step
    if first is not None:
        result.entries[:0] = first.entries
        result.notes[:0] = first.notes
        result.warnings[:0] = first.warnings
        result.terminated[:0] = first.terminated
    step = push_step(result, name="apply")
    step.duration_ms = (time.perf_counter() - started) * 1000
    report.add_step(step)
    run.applied = [m.version for m in result.entries if m.status == "applied"]
    run.applied_files = [m.file for m in result.entries if m.status == "applied" and m.file]
    run.terminated = list(result.terminated)
    failing: Step | None = step if step.status == FAIL else None
    if failing is not None:
        for name in ("verify", "drift", "guard", "health"):
            report.add_step(skipped_step(name, "a migration failed"))
        return failing
    prod = options.production
    drift_options = options.drift
    if run.audit_table is not None and _creates_audit_table(migrations.files, options.audit_table) is None:
        # pgrelease's own audit table (made by a promotion, not by a migration) is not drift
        from dataclasses import replace

        drift_options = replace(drift_options, ignore_relations=(*drift_options.ignore_relations,
                                                                 run.audit_table.qualified))
    for name, make in (("verify", lambda: verify_step(verify(prod, workdir, connect_options=connect_options))),
                       ("drift", lambda: drift_step(drift(workdir, prod, drift_options, connect_options=connect_options,
                                                          progress=labelled(progress, "drift shadow")))),
                       ("guard", lambda: _guard(options, connect_options)),
                       ("health", lambda: _health(options, connect_options))):
        started = time.perf_counter()
        try:
            step = make()
        except PgReleaseError as err:
            step = Step(name, errors=err.parts(), summary=err.message)
        if step.duration_ms is None:
            step.duration_ms = (time.perf_counter() - started) * 1000
        report.add_step(step)
        if failing is None and step.status == FAIL:
            failing = step
    return failing


def _guard(options: PromoteOptions, connect_options: ConnectOptions | None) -> Step:
    import os

    app_version = options.app_version or os.environ.get(guard_ops.APP_VERSION_ENV)
    if not app_version:
        return skipped_step("guard", f"no application schema version ({guard_ops.APP_VERSION_ENV} / --app-version)")
    result = guard_ops.check(options.production, app_version, environment=options.environment
                             if options.environment in guard_ops.ENVIRONMENTS else None,
                             connect_options=connect_options)
    return guard_step(result)


def _health(options: PromoteOptions, connect_options: ConnectOptions | None) -> Step:
    checked = health(options.production, options.health, connect_options=connect_options)
    step = Step("health", checks=list(checked.checks), notes=list(checked.notes), errors=list(checked.errors))
    bad = [c.name for c in step.checks if c.status == FAIL]
    step.summary = f"failed: {', '.join(bad)}" if bad else f"{len(step.checks)} checks passed"
    return step


__all__ = ["CONFIRM_TEXT", "GitHubFacts", "PromoteOptions", "PromoteRun", "check_confirmation",
           "promote"]

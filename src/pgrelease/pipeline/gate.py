"""The PR gate: lint, replay on a shadow, push to staging, verify, drift, guard, one Report.

Each stage is a step that returns its typed result; ``report/steps.py`` turns it into a
report step. A failed check does not stop the later read-only steps, so the report is
complete, but nothing is pushed after a failed plan, a lint error, a failed replay or a
lock the ``[impact]`` policy fails.

Staging is shared by the open pull requests: a version staging has recorded without a
local file (another branch's) is a note; a pending migration older than one applied from
another branch is applied anyway on staging (production keeps refusing out-of-order);
drift replays another branch's versions from their history rows.
"""

from __future__ import annotations

import os
import subprocess
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from ..checks import guard as guard_ops
from ..checks.sqlscripts import verify
from ..db.connect import ConnectOptions, connect
from ..db.dsn import Dsn
from ..errors import CheckFailed, PgReleaseError
from ..migrations import history
from ..migrations.apply import ProgressFn, PushOptions, load_plan, push
from ..migrations.files import MigrationSet, discover
from ..migrations.outcome import MigrationEntry, labelled
from ..migrations.parse import ParsedMigration
from ..migrations.plan import Plan
from ..report.model import Report, Step
from ..report.steps import (
    drift_step,
    guard_step,
    impact_step,
    lint_step,
    push_step,
    shadow_step,
    skipped_step,
    verify_step,
)
from .drift import DriftOptions, DriftResult, compare_with_shadow, drift
from .shadow import ShadowOptions, ShadowRun, for_target, replayed_shadow, shadow_major_warning


@dataclass(frozen=True)
class GateOptions:
    staging: Dsn | None = None  # None: staging is skipped (no secret, e.g. a fork's pull request)
    staging_skipped: str = "no staging target given (--db-url / --project-ref)"
    shadow: ShadowOptions = ShadowOptions()
    base: str | None = None  # lint what changed since this ref
    base_is_default: bool = False  # the base came from the event, not from --base
    push: bool = True
    push_options: PushOptions = PushOptions(include_all=True)
    app_version: str | None = None
    guard_environment: str | None = "staging"
    drift: DriftOptions = DriftOptions()
    er_diagram: bool = True
    impact_max: int = 50  # measure locks and rewrites for at most this many pending migrations (0: never)


@dataclass
class GateRun:
    """The Report plus what the PR comment draws beyond it."""

    report: Report
    er_diagram: str | None = None
    pending: list[str] = field(default_factory=list)  # versions the pull request brings to staging


def _timed(step: Step, started: float) -> Step:
    step.duration_ms = (time.perf_counter() - started) * 1000
    return step


def _error_step(name: str, err: PgReleaseError, started: float) -> Step:
    return _timed(Step(name, errors=err.parts(), summary=err.message), started)


# -- 1. link ---------------------------------------------------------------------------------
def _link(options: GateOptions, connect_options: ConnectOptions | None) -> tuple[Step, int | None]:
    started = time.perf_counter()
    if options.staging is None:
        return skipped_step("link", options.staging_skipped), None
    step = Step("link")
    try:
        with connect(options.staging, connect_options) as conn:
            version = conn.execute("show server_version").fetchone()[0]
            num = int(conn.execute("show server_version_num").fetchone()[0])
    except PgReleaseError as err:
        step.errors.append(err)
        step.summary = err.message
        return _timed(step, started), None
    step.data["staging"] = {"target": options.staging.masked(), "server_version": version}
    step.summary = f"staging {options.staging.location}: PostgreSQL {version.split()[0]}"
    return _timed(step, started), num


# -- 2. plan -----------------------------------------------------------------------------------
def _plan(options: GateOptions, migrations: MigrationSet,
          connect_options: ConnectOptions | None) -> tuple[Step, Plan | None]:
    started = time.perf_counter()
    step = Step("plan")
    try:
        with connect(options.staging, connect_options) as conn:  # type: ignore[arg-type]
            plan = load_plan(conn, migrations)
    except PgReleaseError as err:
        return _error_step("plan", err, started), None
    out_of_order = {m.version for m in plan.out_of_order}
    for m in plan.pending:
        state = "out-of-order" if m.version in out_of_order else "pending"
        step.migrations.append(MigrationEntry(m.version, m.name, state, file=m.display_path))
    for applied in plan.missing_local:
        step.notes.append(f"staging has version {applied.version} ({applied.name or 'no name'}) with no local file:"
                          " another branch's migration, left as it is")
    for m in plan.out_of_order:
        step.notes.append(f"{m.filename} is older than a migration another branch applied to staging; the gate applies"
                          " it there anyway (production refuses out-of-order migrations unless --include-all)")
    if plan.edited:
        names = ", ".join(m.filename for m, _ in plan.edited)
        step.errors.append(CheckFailed(
            f"{len(plan.edited)} applied migration(s) changed since staging applied them: {names}",
            file=plan.edited[0][0].display_path,
            hint="restore the applied file and put the change in a new migration (pgrelease new NAME)",
            extra={"edited": [m.version for m, _ in plan.edited]}))
    step.data["plan"] = {"pending": [m.version for m in plan.pending], "out_of_order": sorted(out_of_order),
                         "missing_local": [a.version for a in plan.missing_local],
                         "edited": [m.version for m, _ in plan.edited], "applied": len(plan.applied)}
    step.summary = (f"{len(plan.pending)} pending on staging" + (f", {len(out_of_order)} out of order" if out_of_order else "")
                    + (f", {len(plan.missing_local)} from other branches" if plan.missing_local else ""))
    return _timed(step, started), plan


# -- 3. lint -------------------------------------------------------------------------------------
def _ref_exists(workdir: Path, ref: str) -> bool:
    try:
        proc = subprocess.run(["git", "-C", str(workdir), "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0


def _lint(workdir: Path, options: GateOptions, plan: Plan | None, connect_options: ConnectOptions | None) -> Step:
    """Lint what the pull request changes (since the base ref); without a base, what is
    pending on staging; without staging, every migration. Versions other branches applied
    to the shared staging do not make this branch's files out of order."""
    from ..lint import LintRun, lint_files, select
    from ..lint.config import load_lint_config

    started = time.perf_counter()
    base, notes = options.base, []
    if base and options.base_is_default and not _ref_exists(workdir, base):
        notes.append(f"the pull request's base {base} is not in this checkout (fetch it, e.g. actions/checkout with"
                     " fetch-depth: 0); linting " + ("what is pending on staging" if plan else "every migration"))
        base = None
    dsn = options.staging if base is None and plan is not None else None
    try:
        selection = select(workdir, base=base, dsn=dsn, connect_options=connect_options)
        if plan is not None:
            selection.applied -= {a.version for a in plan.missing_local}
        result = lint_files(selection.sources, config=load_lint_config(workdir), others=selection.others,
                            applied=selection.applied, pending=selection.pending)
    except PgReleaseError as err:
        return _error_step("lint", err, started)
    step = lint_step(LintRun(selection, result))
    step.notes[:0] = notes
    return _timed(step, started)


# -- 4. shadow ---------------------------------------------------------------------------------------
def _er_diagram(run: ShadowRun, pending: list[ParsedMigration], connect_options: ConnectOptions | None,
                notes: list[str]) -> str | None:
    from ..report.erd import er_diagram, table_changes

    changes = table_changes(stmt.sql for item in pending for stmt in item.statements)
    if not changes:
        return None
    try:
        from ..catalog import snapshot_database

        snapshot = snapshot_database(run.dsn, options=connect_options)
    except PgReleaseError as err:
        notes.append(f"no ER diagram: the shadow's catalog could not be read ({err.message})")
        return None
    return er_diagram(snapshot, changes)


# -- 4b. impact ---------------------------------------------------------------------------------------
def _impact(workdir: Path, options: GateOptions, run: ShadowRun, shadow_options: ShadowOptions, pending: list[str],
            staging_reachable: bool, connect_options: ConnectOptions | None) -> Step:
    """The locks and rewrites of the pending migrations, measured on a database of the shadow's
    server (the shadow itself is left as drift and the ER diagram read it), sized on staging."""
    from ..errors import UsageError
    from .impact import ImpactOptions, evaluate, load_impact_policy, measure, not_measured

    if not run.ok:
        return skipped_step("impact", "the shadow replay failed")
    why = not_measured(pending, options.impact_max)
    if why:
        return skipped_step("impact", why)
    started = time.perf_counter()
    try:
        policy = load_impact_policy(workdir)
        result = measure(workdir, options.staging if staging_reachable else None,
                         ImpactOptions(shadow=shadow_options, statement_timeout=options.push_options.statement_timeout),
                         pending=pending, shadow_run=run, connect_options=connect_options)
    except UsageError as err:
        return _error_step("impact", err, started)
    except PgReleaseError as err:
        step = skipped_step("impact", f"not measured: {err.message}")
        step.warnings.append(f"the lock and rewrite report could not be measured: {err.message}")
        return _timed(step, started)
    evaluate(result, policy)
    return _timed(impact_step(result, probe_failure_warns=True), started)


# -- the pipeline -------------------------------------------------------------------------------------
def gate(workdir: Path, options: GateOptions = GateOptions(), *, connect_options: ConnectOptions | None = None,
         progress: ProgressFn | None = None) -> GateRun:
    workdir = Path(workdir)
    report = Report("gate", target=options.staging.masked() if options.staging else None, steps=[])
    run_result = GateRun(report)
    migrations = discover(workdir)

    link, staging_num = _link(options, connect_options)
    report.add_step(link)
    reachable = staging_num is not None

    plan: Plan | None = None
    if reachable:
        plan_step, plan = _plan(options, migrations, connect_options)
        report.add_step(plan_step)
    else:
        report.add_step(skipped_step("plan", link.skipped or "staging is not reachable"))

    lint = report.add_step(_lint(workdir, options, plan, connect_options))

    with ExitStack() as stack:
        started = time.perf_counter()
        run: ShadowRun | None = None
        try:
            shadow_options = (for_target(options.shadow, options.staging, connect_options)  # type: ignore[arg-type]
                              if staging_num is not None else options.shadow)
            run = stack.enter_context(replayed_shadow(workdir, shadow_options, connect_options=connect_options,
                                                      progress=labelled(progress, "shadow")))
        except PgReleaseError as err:
            shadow = report.add_step(_error_step("shadow", err, started))
            report.add_step(skipped_step("impact", "the shadow replay could not start"))
        else:
            shadow = report.add_step(shadow_step(run))
            if staging_num is not None and run.server_version:
                shadow_major, staging_major = int(run.server_version.split(".")[0]), staging_num // 10000
                if shadow_major != staging_major and not any("the shadow runs PostgreSQL" in w for w in run.warnings):
                    link.warnings.append(shadow_major_warning(shadow_major, staging_major, "staging"))
            pending_versions = ({m.version for m in plan.pending} if plan is not None
                                else {s.version for s in _changed_versions(lint, migrations)})
            run_result.pending = sorted(pending_versions, key=lambda v: (int(v), v))
            if options.er_diagram and run.ok:
                pending = [p for p in run.parsed if p.file.version in pending_versions]
                run_result.er_diagram = _er_diagram(run, pending, connect_options, shadow.notes)
            report.add_step(_impact(workdir, options, run, shadow_options, run_result.pending,
                                    staging_num is not None, connect_options))

        # 5. push
        pushed_ok = _push(report, options, plan, lint, shadow, migrations, connect_options, progress)
        staging_current = pushed_ok or (plan is not None and not plan.pending and not plan.edited)
        why_not = _why_not_current(options, reachable, plan, pushed_ok)

        # 6. verify on staging
        if staging_current:
            started = time.perf_counter()
            try:
                report.add_step(_timed(verify_step(verify(options.staging, workdir,  # type: ignore[arg-type]
                                                          connect_options=connect_options)), started))
            except PgReleaseError as err:
                report.add_step(_error_step("verify", err, started))
        else:
            report.add_step(skipped_step("verify", why_not))

        # 7. drift: the shadow after its replay against staging after the push
        if staging_current and run is not None and run.ok:
            report.add_step(_drift(workdir, options, run, connect_options, progress))
        elif staging_current:
            report.add_step(skipped_step("drift", "the shadow replay failed"))
        else:
            report.add_step(skipped_step("drift", why_not))

    # 8. guard
    app_version = options.app_version or os.environ.get(guard_ops.APP_VERSION_ENV) or None
    if not app_version:
        report.add_step(skipped_step("guard", f"no application schema version ({guard_ops.APP_VERSION_ENV} /"
                                              " --app-version)"))
    elif not staging_current:
        report.add_step(skipped_step("guard", why_not))
    else:
        started = time.perf_counter()
        try:
            result = guard_ops.check(options.staging, app_version, environment=options.guard_environment,
                                     connect_options=connect_options)
            report.add_step(_timed(guard_step(result), started))
        except PgReleaseError as err:
            report.add_step(_error_step("guard", err, started))
    return run_result


def _changed_versions(lint: Step, migrations: MigrationSet) -> list:
    files = {f["file"] for f in lint.data.get("files", ())}
    return [m for m in migrations.files if m.display_path in files]


def _why_not_current(options: GateOptions, reachable: bool, plan: Plan | None, pushed_ok: bool) -> str:
    if options.staging is None:
        return options.staging_skipped
    if not reachable:
        return "staging is not reachable"
    if not options.push and plan is not None and plan.pending:
        return "--no-push: staging does not have the pending migrations"
    return "staging does not have the pending migrations: nothing was pushed"


def _push(report: Report, options: GateOptions, plan: Plan | None, lint: Step, shadow: Step,
          migrations: MigrationSet, connect_options: ConnectOptions | None, progress: ProgressFn | None) -> bool:
    """Push the pending migrations to staging when everything before allows it; True when
    staging then has every local migration."""
    if options.staging is None:
        report.add_step(skipped_step("push", options.staging_skipped))
        return False
    if plan is None:
        report.add_step(skipped_step("push", "staging is not reachable"))
        return False
    if not plan.pending:
        step = skipped_step("push", "nothing pending: staging is up to date")
        report.add_step(step)
        return not plan.edited
    blockers = [name for name, failed in (("plan", bool(plan.edited)), ("lint", lint.status == "failed"),
                                          ("shadow replay", bool(shadow.errors)),
                                          ("impact policy", getattr(report.step("impact"), "status", "") == "failed"))
                if failed]
    if blockers:
        report.add_step(skipped_step("push", f"not pushed: {', '.join(blockers)} failed"))
        return False
    if not options.push:
        report.add_step(skipped_step("push", "--no-push"))
        return False
    started = time.perf_counter()
    try:
        result = push(options.staging, migrations, options.push_options, connect_options=connect_options,
                      progress=labelled(progress, "staging"))
    except PgReleaseError as err:
        report.add_step(_error_step("push", err, started))
        return False
    step = report.add_step(_timed(push_step(result), started))
    return result.failure is None and step.status != "failed"


def _drift(workdir: Path, options: GateOptions, run: ShadowRun, connect_options: ConnectOptions | None,
           progress: ProgressFn | None) -> Step:
    started = time.perf_counter()
    try:
        with connect(options.staging, connect_options) as conn:  # type: ignore[arg-type]
            recorded = {a.version for a in history.read_history(conn)}
        replayed = {p.file.version for p in run.parsed}
        if recorded == replayed:  # the gate's shadow is exactly what staging applied: compare with it
            result = compare_with_shadow(run, options.staging, DriftResult(target=options.staging.masked()),  # type: ignore[arg-type,union-attr]
                                         options.drift, connect_options)
        else:  # other branches' versions on staging, or files staging lacks: replay what staging has
            result = drift(workdir, options.staging, options.drift, connect_options=connect_options,  # type: ignore[arg-type]
                           progress=labelled(progress, "drift shadow"), history_fallback=True)
    except PgReleaseError as err:
        return _error_step("drift", err, started)
    return _timed(drift_step(result, with_sql=options.drift.with_sql), started)

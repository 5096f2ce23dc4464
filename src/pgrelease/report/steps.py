"""The one place where typed step results become report steps.

Every step of every command returns its own typed result (``PushResult``, ``ShadowRun``,
``VerifyResult``, ``DriftResult``, ``LintRun``, ``GuardResult``, ...); the functions here turn
each into a :class:`~pgrelease.report.model.Step` with its entries, checks, errors, warnings,
notes and data. Commands and pipelines call them; renderers only ever see steps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .model import FAIL, OK, WARN, CheckEntry, Step

if TYPE_CHECKING:  # results are imported for their types only: this module stays light
    from ..catalog import DiffResult
    from ..checks.guard import GuardResult
    from ..checks.sqlscripts import VerifyResult
    from ..lint.selection import LintRun
    from ..migrations.apply import PushResult
    from ..pipeline.drift import DriftResult
    from ..pipeline.impact import ImpactResult
    from ..pipeline.shadow import ShadowRun


def verify_checks(result: VerifyResult) -> list[CheckEntry]:
    out = []
    for s in result.scripts:
        data = {k: v for k, v in (("sqlstate", s.sqlstate), ("hint", s.hint), ("detail", s.detail),
                                  ("rows", s.rows)) if v}
        out.append(CheckEntry(s.name, OK if s.ok else FAIL, s.message, duration_ms=s.duration_ms,
                              file=s.script.display, line=s.line, data=data))
    return out


def verify_step(result: VerifyResult, *, name: str = "verify") -> Step:
    step = Step(name, kind="verify", checks=verify_checks(result))
    failed = len(result.failures)
    total = len(result.scripts)
    if not total:
        step.notes.append("no smoke or verify scripts (scripts/smoke.sql, supabase/verify/**/*.sql)")
        step.summary = "no scripts"
    else:
        step.summary = f"{total - failed} of {total} script(s) passed" + (f", {failed} failed" if failed else "")
    step.duration_ms = sum(s.duration_ms for s in result.scripts)
    return step


def push_step(result: PushResult, *, name: str = "push", skipped: list[str] = (), dry_run: bool = False) -> Step:
    step = Step(name, kind="push", migrations=list(result.entries), warnings=list(skipped) + list(result.warnings),
                notes=list(result.notes))
    if result.failure is not None:
        step.errors.append(result.failure)
    if result.terminated:
        step.data["terminated_blockers"] = list(result.terminated)
    if dry_run:
        step.data["dry_run"] = True
    elif not result.entries and result.failure is None:
        step.notes.append("nothing to apply: the database is up to date")
    applied = sum(1 for m in result.entries if m.status == "applied")
    step.summary = f"{applied} applied" if not dry_run else f"{len(result.entries)} would apply"
    if result.failure is not None:
        step.summary += f", failed at {result.failure.file or 'a migration'}"
    step.duration_ms = sum(m.duration_ms or 0.0 for m in result.entries)
    return step


def shadow_step(run: ShadowRun, *, name: str = "shadow") -> Step:
    step = Step(name, kind="shadow", warnings=list(run.warnings), notes=list(run.notes))
    if run.push is not None:
        step.migrations.extend(run.push.entries)
        step.notes.extend(run.push.notes)
        if run.push.failure is not None:
            step.errors.append(run.push.failure)
    if run.verify is not None:
        step.checks.extend(verify_checks(run.verify))
    if run.ok:
        step.data["server_version"] = run.server_version
        step.data["baseline"] = "supabase" if run.baseline else "none"
    replayed = sum(1 for m in step.migrations if m.status == "applied")
    step.summary = f"{replayed} migration(s) replayed on {run.label}"
    if run.failure is not None:
        step.summary = f"replay failed at {run.failure.file or 'a migration'}"
    step.duration_ms = run.duration_ms
    return step


def diff_checks(step: Step, result: DiffResult, *, check_name: str, with_sql: bool) -> None:
    """The diff's data, text lines and one check (failed when the schemas differ)."""
    from ..catalog.render import render_text

    step.data["diff"] = result.to_dict(with_sql=with_sql)
    step.details.extend(f"  {line}" for line in render_text(result.changes).splitlines())
    if with_sql:
        step.details.append("  -- SQL that would turn the first side into the second (best effort):")
        step.details.extend(f"  {line}" for stmt in result.to_sql() for line in stmt.splitlines())
    counts = result.counts()
    if result.has_changes:
        summary = (f"{len(result.changes)} difference(s): {counts['add']} added, {counts['remove']} removed,"
                   f" {counts['change']} changed")
        if result.destructive:
            summary += f"; {len(result.destructive)} would need destructive SQL to reconcile"
        step.add_check(check_name, FAIL, summary)
    else:
        summary = "no differences"
        step.add_check(check_name, OK, summary)
    step.summary = summary


def drift_step(result: DriftResult, *, name: str = "drift", with_sql: bool = False) -> Step:
    step = Step(name, kind="drift", warnings=list(result.warnings), notes=list(result.notes))
    if result.replay is not None and result.replay.failure is not None:
        step.migrations.extend(result.replay.push.entries if result.replay.push else [])
        step.errors.append(result.replay.failure)
        step.summary = "the replay for the comparison failed"
        return step
    step.data["replayed"] = result.replayed
    step.data["shadow"] = result.shadow
    if result.diff is not None:
        diff_checks(step, result.diff, check_name="drift", with_sql=with_sql)
    step.duration_ms = result.duration_ms
    return step


def lint_step(run: LintRun, *, name: str = "lint") -> Step:
    result, selection = run.result, run.selection
    step = Step(name, kind="lint", notes=list(selection.notes))
    step.data["mode"] = selection.mode
    step.data["findings"] = [f.to_dict() for f in result.findings]
    step.data["files"] = [f.to_dict() for f in result.files]
    step.data["summary"] = {"files": len(result.files), "statements": result.statements,
                            "errors": len(result.errors), "warnings": len(result.warnings)}
    step.data["rules"] = result.counts_by_rule()
    step.failed = not result.ok
    step.warned = bool(result.warnings)
    if not result.files:
        step.notes.append({"pending": "nothing pending: no migration to lint",
                           "changed": "no migration changed since the base ref"}.get(selection.mode,
                                                                                     "no migration to lint"))
    step.summary = (f"{len(result.errors)} error(s), {len(result.warnings)} warning(s) in {len(result.files)} file(s)")
    return step


def guard_step(result: GuardResult, *, name: str = "guard") -> Step:
    step = Step(name, kind="guard")
    step.data["guard"] = result.to_dict()
    if result.bypassed:
        step.warnings.extend(result.warnings)
        step.add_check("schema guard", WARN, "BYPASSED by SKIP_SCHEMA_GUARD")
        step.summary = "bypassed"
    else:
        step.add_check("schema guard", OK if result.compatible else FAIL, result.reason)
        step.summary = result.reason
    return step


def impact_step(result: ImpactResult, *, name: str = "impact", probe_failure_warns: bool = False) -> Step:
    """Per migration and statement, the locks on existing relations, rewrites and full scans
    (``data["impact"]``), and one check per lock the ``[impact]`` policy fails or flags.
    ``probe_failure_warns``: a migration the probe could not run is a warning, not an error
    (the gate, whose shadow step already judges the replay)."""
    from .locks import BLOCKS

    step = Step(name, kind="impact", warnings=list(result.warnings), notes=list(result.notes))
    step.data["impact"] = result.to_dict()
    if result.error is not None and probe_failure_warns:
        step.warnings.append(f"not measured past {result.error.file}: {result.error.message}")
    elif result.error is not None:
        step.errors.append(result.error)
    for verdict in result.verdicts:
        step.add_check("impact policy", FAIL if verdict.level == "error" else WARN, verdict.message,
                       file=verdict.file, line=verdict.line, data={"rule": verdict.rule, "relation": verdict.relation})
    locks = [lock for m in result.migrations for _, lock in m.locks]
    blocking = sum(1 for lock in locks if lock.mode in BLOCKS and not lock.held)
    rewrites = sum(1 for lock in locks if lock.rewrite)
    parts = [f"{blocking} lock(s) blocking reads or writes" if blocking else "no lock blocking reads or writes"]
    if rewrites:
        parts.append(f"{rewrites} rewrite(s)")
    step.summary = f"{len(result.migrations)} migration(s): " + ", ".join(parts)
    if not result.migrations:
        step.summary = "nothing pending"
    step.duration_ms = result.duration_ms
    return step


def skipped_step(name: str, why: str, *, kind: str | None = None, **data: Any) -> Step:
    step = Step(name, kind=kind or name, skipped=why, summary=f"skipped: {why}")
    step.data.update(data)
    return step

"""Drift: is this database's schema what its migrations say it should be?

The migrations the target has applied are replayed on a shadow (embedded by default), both
schemas are snapshotted with the same filter, and the difference shadow -> target is the
drift: objects someone created by hand, changed in the dashboard, or that a migration
should have produced and did not."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..catalog import DiffResult, diff_databases
from ..catalog.render import render_text
from ..db.connect import ConnectOptions, connect
from ..db.dsn import Dsn
from ..migrations import history
from ..migrations.files import discover
from ..report.model import FAIL, OK, Report
from .shadow import ProgressFn, ShadowOptions, replayed_shadow


@dataclass(frozen=True)
class DriftOptions:
    schemas: tuple[str, ...] | None = None
    exclude_schemas: tuple[str, ...] = ()
    with_sql: bool = False
    shadow_url: Dsn | None = None
    pg_bin: str | None = None
    baseline: bool = True


def _add_diff(report: Report, result: DiffResult, options: DriftOptions, check_name: str) -> None:
    report.data["diff"] = result.to_dict(with_sql=options.with_sql)
    report.details.extend(f"  {line}" for line in render_text(result.changes).splitlines())
    if options.with_sql:
        report.details.append("  -- SQL that would turn the first side into the second (best effort):")
        report.details.extend(f"  {line}" for stmt in result.to_sql() for line in stmt.splitlines())
    counts = result.counts()
    if result.has_changes:
        summary = f"{len(result.changes)} difference(s): {counts['add']} added, {counts['remove']} removed, {counts['change']} changed"
        if result.destructive:
            summary += f"; {len(result.destructive)} would need destructive SQL to reconcile"
        report.add_check(check_name, FAIL, summary)
    else:
        report.add_check(check_name, OK, "no differences")


def diff_report(from_dsn: Dsn, to_dsn: Dsn, options: DriftOptions = DriftOptions(), *,
                connect_options: ConnectOptions | None = None) -> Report:
    report = Report(command="diff", target=f"{from_dsn.masked()} -> {to_dsn.masked()}")
    result = diff_databases(from_dsn, to_dsn, include_schemas=options.schemas,
                            exclude_schemas=options.exclude_schemas, options=connect_options)
    _add_diff(report, result, options, "schema diff")
    return report


def drift_report(workdir: Path, target: Dsn, options: DriftOptions = DriftOptions(), *,
                 connect_options: ConnectOptions | None = None, progress: ProgressFn | None = None) -> Report:
    report = Report(command="drift", target=target.masked())
    local = discover(Path(workdir)).by_version()
    with connect(target, connect_options) as conn:
        recorded = [a.version for a in history.read_history(conn)]
    applied = frozenset(v for v in recorded if v in local)
    unknown = [v for v in recorded if v not in local]
    pending = [v for v in local if v not in applied]
    if unknown:
        report.warnings.append(f"{len(unknown)} applied version(s) have no local file ({', '.join(unknown[:5])}):"
                               " what they created shows as drift")
    if pending:
        report.notes.append(f"{len(pending)} local migration(s) not applied on the target are not part of the comparison")
    shadow_options = ShadowOptions(shadow_url=options.shadow_url, baseline=options.baseline, pg_bin=options.pg_bin,
                                   run_checks=False, only_versions=applied)
    with replayed_shadow(workdir, shadow_options, report, connect_options=connect_options, progress=progress) as run:
        if run is None:
            return report
        report.data["replayed"] = len(report.migrations)
        report.data["shadow"] = run.label
        report.migrations = []
        result = diff_databases(run.dsn, target, include_schemas=options.schemas,
                                exclude_schemas=options.exclude_schemas, options=connect_options)
    report.target = target.masked()
    shadow_major, target_major = result.source.server_version_num // 10000, result.target.server_version_num // 10000
    if shadow_major != target_major:
        report.notes.append(
            f"the shadow runs PostgreSQL {shadow_major} and the target {target_major}: privileges that only one major"
            " knows and view-definition formatting are compared loosely; --pg-bin or --shadow-url with a"
            f" PostgreSQL {target_major} server gives an exact comparison")
    _add_diff(report, result, options, "drift")
    return report

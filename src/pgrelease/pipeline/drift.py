"""Drift: is this database's schema what its migrations say it should be?

The migrations the target has applied are replayed on a shadow (embedded by default), both
schemas are snapshotted with the same filter, and the difference shadow -> target is the
drift: objects someone created by hand, changed in the dashboard, or that a migration
should have produced and did not."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from ..catalog import DiffResult, diff_databases
from ..db.connect import ConnectOptions, connect
from ..db.dsn import Dsn
from ..migrations import history
from ..migrations.files import discover
from .shadow import ProgressFn, ShadowOptions, ShadowRun, for_target, replayed_shadow


@dataclass(frozen=True)
class DriftOptions:
    schemas: tuple[str, ...] | None = None
    exclude_schemas: tuple[str, ...] = ()
    with_sql: bool = False
    shadow_url: Dsn | None = None
    pg_bin: str | None = None
    baseline: bool = True  # False: --baseline none
    baseline_auto: bool = True  # with baseline: load it only when the target looks like Supabase (--baseline auto)
    superuser: bool = False  # replay as a superuser, not as hosted Supabase's postgres (--superuser)
    ignore_relations: tuple[str, ...] = ()  # schema.table: tables (with what hangs off them) kept out of drift


@dataclass
class DriftResult:
    target: str  # masked
    diff: DiffResult | None = None  # None when the replay failed
    replay: ShadowRun | None = None
    replayed: int = 0
    shadow: str = ""
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    duration_ms: float = 0.0

    @property
    def drifted(self) -> bool:
        return self.diff is not None and self.diff.has_changes


def compare_with_shadow(run: ShadowRun, target: Dsn, result: DriftResult, options: DriftOptions,
                        connect_options: ConnectOptions | None = None) -> DriftResult:
    """Diff a replayed shadow (still running) against the target into ``result``."""
    result.replayed = sum(1 for m in (run.push.entries if run.push else []) if m.status == "applied")
    result.shadow = run.label
    result.diff = _without(diff_databases(run.dsn, target, include_schemas=options.schemas,
                                          exclude_schemas=options.exclude_schemas, options=connect_options),
                           options.ignore_relations)
    shadow_major = result.diff.source.server_version_num // 10000
    target_major = result.diff.target.server_version_num // 10000
    if shadow_major != target_major:
        result.notes.append(
            f"the shadow runs PostgreSQL {shadow_major} and the target {target_major}: privileges that only one major"
            " knows and view-definition formatting are compared loosely; --pg-bin or --shadow-url with a"
            f" PostgreSQL {target_major} server gives an exact comparison")
    return result


def _without(result: DiffResult, relations: tuple[str, ...]) -> DiffResult:
    """``result`` less the changes to ``relations`` and to what hangs off them (indexes,
    constraints, privileges, policies, ...): tables pgrelease itself made (the audit table)."""
    if not relations:
        return result
    wanted = set(relations)

    def ours(change) -> bool:  # noqa: ANN001
        obj = result.source.get(change.key) or result.target.get(change.key)
        if obj is None:
            return False
        return obj.identity in wanted or obj.relation in wanted

    from dataclasses import replace

    return replace(result, changes=[c for c in result.changes if not ours(c)])


def drift(workdir: Path, target: Dsn, options: DriftOptions = DriftOptions(), *,
          connect_options: ConnectOptions | None = None, progress: ProgressFn | None = None,
          history_fallback: bool = False) -> DriftResult:
    """Replay what ``target`` has applied on a fresh shadow and diff the two.

    ``history_fallback``: a version the target recorded without a local file (another
    branch's, on a shared staging database) is replayed from the statements its history row
    recorded, so what it created is not drift; otherwise it is reported as a warning."""
    started = time.perf_counter()
    result = DriftResult(target=target.masked())
    local = discover(Path(workdir)).by_version()
    with connect(target, connect_options) as conn:
        recorded = history.read_history(conn)
    applied = frozenset(a.version for a in recorded if a.version in local)
    unknown = [a for a in recorded if a.version not in local]
    pending = [v for v in local if v not in applied]
    extra = ()
    if unknown and history_fallback:
        extra = tuple(a for a in unknown if a.statements is not None)
        result.notes.append(f"{len(extra)} version(s) recorded on the target with no local file were replayed from"
                            f" their history rows ({', '.join(a.version for a in extra[:5])})")
    elif unknown:
        result.warnings.append(f"{len(unknown)} applied version(s) have no local file"
                               f" ({', '.join(a.version for a in unknown[:5])}): what they created shows as drift")
    if pending:
        result.notes.append(f"{len(pending)} local migration(s) not applied on the target are not part of the comparison")
    shadow_options = ShadowOptions(shadow_url=options.shadow_url, baseline=options.baseline, pg_bin=options.pg_bin,
                                   run_checks=False, only_versions=applied, history_rows=extra,
                                   baseline_auto=options.baseline and options.baseline_auto,
                                   superuser=options.superuser)
    shadow_options = for_target(shadow_options, target, connect_options)  # its major and its own roles
    with replayed_shadow(workdir, shadow_options, connect_options=connect_options, progress=progress) as run:
        result.replay = run
        result.warnings.extend(run.warnings)
        result.notes.extend(run.notes)
        if run.ok:
            compare_with_shadow(run, target, result, options, connect_options)
    result.duration_ms = (time.perf_counter() - started) * 1000
    return result

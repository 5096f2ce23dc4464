"""Public command functions: each takes plain values and returns a Report. The click CLI
is a thin layer over these; Python callers can use them directly:

    from pgrelease import commands
    report = commands.push(Path("."), Dsn.parse(url))          # push, status, new, repair
    report = commands.shadow(Path("."))                        # replay on an embedded shadow
    report = commands.lint(Path("."), base="origin/main")      # pgrelease lint
    report = commands.drift(Path("."), Dsn.parse(url))         # also diff(from, to), impact(...)
    run = commands.gate(Path("."), GateOptions(staging=...))   # the PR gate: run.report
    result = commands.verify(Dsn.parse(url), Path("."))        # smoke + verify scripts anywhere

Functions that live in other modules are loaded when first used, so importing this module
stays cheap."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from .db.connect import ConnectOptions, connect
from .db.dsn import Dsn
from .errors import UsageError
from .migrations import history
from .migrations.apply import ProgressFn, PushOptions, load_plan, push as apply_push, statements_of
from .migrations.files import MIGRATIONS_DIR, MigrationSet, discover
from .migrations.outcome import MigrationEntry
from .report.model import Report
from .report.steps import push_step

if TYPE_CHECKING:
    from .pipeline.drift import DriftOptions
    from .pipeline.impact import ImpactOptions, ImpactPolicy
    from .pipeline.shadow import ShadowOptions


def push(workdir: Path, dsn: Dsn, options: PushOptions = PushOptions(), *,
         connect_options: ConnectOptions | None = None, progress: ProgressFn | None = None) -> Report:
    migrations = discover(workdir)
    result = apply_push(dsn, migrations, options, connect_options=connect_options, progress=progress)
    step = push_step(result, skipped=skipped_warnings(migrations), dry_run=options.dry_run)
    return Report.of("push", step, target=dsn.masked())


def skipped_warnings(migrations: MigrationSet) -> list[str]:
    return [f"skipped {p}: {why}" for p, why in migrations.skipped]


def status(workdir: Path, dsn: Dsn, *, connect_options: ConnectOptions | None = None) -> Report:
    """Local and recorded versions side by side, like `supabase migration list`."""
    report = Report(command="status", target=dsn.masked())
    migrations = discover(workdir)
    report.warnings.extend(skipped_warnings(migrations))
    with connect(dsn, connect_options) as conn:
        exists = history.history_exists(conn)
        plan = load_plan(conn, migrations)
    edited = {m.version for m, _ in plan.edited}
    out_of_order = {m.version for m in plan.out_of_order}
    rows = []
    for migration in migrations.files:
        state = "pending"
        if migration.version in {m.version for m, _ in plan.applied}:
            state = "edited" if migration.version in edited else "applied"
        elif migration.version in out_of_order:
            state = "out-of-order"
        rows.append({"local": migration.version, "remote": migration.version if state in ("applied", "edited") else None,
                     "name": migration.name, "state": state})
        report.migrations.append(MigrationEntry(migration.version, migration.name, state, file=migration.display_path))
    for applied in plan.missing_local:
        rows.append({"local": None, "remote": applied.version, "name": applied.name, "state": "missing-local"})
        report.migrations.append(MigrationEntry(applied.version, applied.name or "", "missing-local"))
    rows.sort(key=lambda r: (int(r["local"] or r["remote"]), r["local"] or r["remote"]))
    report.data["history_table"] = exists
    report.data["rows"] = rows
    report.migrations.sort(key=lambda e: (int(e.version), e.version))
    if not exists:
        report.notes.append("no history table yet: nothing has been applied by pgrelease or the Supabase CLI")
    if edited:
        report.warnings.append(f"applied migration(s) edited since: {', '.join(sorted(edited))}")
    return report


_NAME = re.compile(r"[^a-z0-9_]+")


MAX_NAME = 100  # characters of the name part: file systems allow 255 bytes for the whole file name


def migration_slug(name: str) -> str:
    """``AddProfilesTable`` / ``add profiles table`` / ``héllo wörld`` -> ``add_profiles_table``,
    ``hello_world``: snake_case, accents dropped, other characters become ``_``."""
    import unicodedata

    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name.strip())
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NAME.sub("_", text.lower()).strip("_")


def new(workdir: Path, name: str, *, now: datetime | None = None, create: bool = False) -> Report:
    """Create ``supabase/migrations/<UTC timestamp>_<name>.sql``. The project must exist
    (``supabase/`` in ``workdir``) unless ``create``."""
    slug = re.sub(r"_+", "_", migration_slug(name))
    if not slug:
        raise UsageError(f"'{name}' is not a usable migration name", hint="use words like add_profiles_table")
    if len(slug) > MAX_NAME:
        raise UsageError(f"the migration name is {len(slug)} characters long; at most {MAX_NAME}",
                         hint="say what the migration does in a few words")
    if not (Path(workdir) / "supabase").is_dir() and not create:
        raise UsageError(f"{workdir} has no supabase/ directory", hint="run from your project root, pass --workdir,"
                         " or pass --create to start a new project there")
    directory = Path(workdir) / MIGRATIONS_DIR
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create {directory}: {exc.strerror}", hint="check the path and permissions") from None
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%d%H%M%S")
    versions = [p.name.split("_", 1)[0] for p in directory.glob("*.sql")]
    newest = max((int(v) for v in versions if v.isdigit()), default=0)
    if newest >= int(stamp):  # keep versions increasing even within one second
        stamp = str(newest + 1)
    path = directory / f"{stamp}_{slug}.sql"
    path.write_text(f"-- {slug.replace('_', ' ')}\n")
    report = Report(command="new")
    report.data["path"] = str(path)
    report.notes.append(f"created {path}")
    return report


def repair(workdir: Path, dsn: Dsn, status_value: str, versions: list[str], *,
           connect_options: ConnectOptions | None = None, lock_wait: float = 60.0) -> Report:
    """Mark versions applied (record them, from the local file) or reverted (forget them),
    like `supabase migration repair`. Nothing is executed; only the history changes."""
    if status_value not in ("applied", "reverted"):
        raise UsageError(f"--status must be applied or reverted, not '{status_value}'", hint="--status applied|reverted")
    if not versions:
        raise UsageError("no versions given", hint="pgrelease repair --status applied 20240101000000")
    bad = [v for v in versions if not re.fullmatch(r"[0-9]+", v)]  # ASCII digits only, as in file names
    if bad:
        raise UsageError(f"'{bad[0]}' is not a migration version", hint="a version is the leading digits of the file name")
    report = Report(command="repair", target=dsn.masked())
    migrations = discover(workdir)
    local = migrations.by_version()
    if status_value == "applied":
        missing = [v for v in versions if v not in local]
        if missing:
            raise UsageError(f"no local migration file for version {missing[0]}",
                             hint="repair --status applied records a local file; check the version")
    with connect(dsn, connect_options) as conn:
        with history.AdvisoryLock(conn, dsn, lock_wait):
            history.ensure_history_table(conn)
            recorded = {a.version for a in history.read_history(conn)}
            with conn.transaction():
                for version in versions:
                    if status_value == "applied":
                        migration = local[version]
                        if version in recorded:
                            history.forget(conn, version)
                        history.record(conn, version, migration.name, statements_of(migration))
                        report.migrations.append(MigrationEntry(version, migration.name, "recorded"))
                    else:
                        if version not in recorded:
                            report.warnings.append(f"version {version} was not recorded; nothing to revert")
                            continue
                        history.forget(conn, version)
                        name = local[version].name if version in local else ""
                        report.migrations.append(MigrationEntry(version, name, "reverted"))
    return report


# The commands over a shadow replay import their pipeline modules when called (``pgrelease
# push`` need not import pglast). They live here, not beside their results: report.steps
# knows the results' types, so a results module that built its own Report would import it back.


def shadow(workdir: Path, options: ShadowOptions | None = None, *, connect_options: ConnectOptions | None = None,
           progress: ProgressFn | None = None) -> Report:
    """``pgrelease shadow``: a report of one step."""
    from .pipeline.shadow import ShadowOptions, replayed_shadow
    from .report.steps import shadow_step

    options = options if options is not None else ShadowOptions()
    with replayed_shadow(workdir, options, connect_options=connect_options, progress=progress) as run:
        return Report.of("shadow", shadow_step(run), target=run.label)


def drift(workdir: Path, target: Dsn, options: DriftOptions | None = None, *,
          connect_options: ConnectOptions | None = None, progress: ProgressFn | None = None) -> Report:
    """``pgrelease drift``: the target against a shadow replay of what it applied."""
    from .pipeline.drift import DriftOptions, drift as measure_drift
    from .report.steps import drift_step

    options = options if options is not None else DriftOptions()
    result = measure_drift(workdir, target, options, connect_options=connect_options, progress=progress)
    return Report.of("drift", drift_step(result, with_sql=options.with_sql), target=target.masked())


def diff(from_dsn: Dsn, to_dsn: Dsn, options: DriftOptions | None = None, *,
         connect_options: ConnectOptions | None = None) -> Report:
    """``pgrelease diff``: how the schema of ``to_dsn`` differs from ``from_dsn``."""
    from .catalog import diff_databases
    from .pipeline.drift import DriftOptions
    from .report.model import Step
    from .report.steps import diff_checks

    options = options if options is not None else DriftOptions()
    result = diff_databases(from_dsn, to_dsn, include_schemas=options.schemas,
                            exclude_schemas=options.exclude_schemas, options=connect_options)
    step = Step("diff")
    diff_checks(step, result, check_name="schema diff", with_sql=options.with_sql)
    return Report.of("diff", step, target=f"{from_dsn.masked()} -> {to_dsn.masked()}")


def impact(workdir: Path, target: Dsn | None = None, options: ImpactOptions | None = None, *,
           policy: ImpactPolicy | None = None, connect_options: ConnectOptions | None = None,
           progress: ProgressFn | None = None) -> Report:
    """``pgrelease impact``: a report of one step (exit 1 when the policy fails a lock)."""
    from .pipeline.impact import ImpactOptions, evaluate, load_impact_policy, measure
    from .report.steps import impact_step

    options = options if options is not None else ImpactOptions()
    policy = policy if policy is not None else load_impact_policy(Path(workdir))
    result = measure(workdir, target, options, connect_options=connect_options, progress=progress)
    evaluate(result, policy)
    return Report.of("impact", impact_step(result), target=result.target)


# The other commands, loaded on first use.
_ELSEWHERE = {
    "ShadowOptions": ("pgrelease.pipeline.shadow", "ShadowOptions"),
    "lint": ("pgrelease.lint", "lint_report"),
    "DriftOptions": ("pgrelease.pipeline.drift", "DriftOptions"),
    "gate": ("pgrelease.pipeline.gate", "gate"),
    "GateOptions": ("pgrelease.pipeline.gate", "GateOptions"),
    "promote": ("pgrelease.pipeline.promote", "promote"),
    "PromoteOptions": ("pgrelease.pipeline.promote", "PromoteOptions"),
    "ImpactOptions": ("pgrelease.pipeline.impact", "ImpactOptions"),
    "verify": ("pgrelease.checks.sqlscripts", "verify"),
    "guard": ("pgrelease.checks.guard", "check"),
    "health": ("pgrelease.checks.health", "health"),
}

__all__ = ["PushOptions", "diff", "drift", "impact", "new", "push", "repair", "shadow", "status", *_ELSEWHERE]


def __getattr__(name: str):  # noqa: ANN202 - PEP 562 lazy attributes
    if name in _ELSEWHERE:
        import importlib

        module, attr = _ELSEWHERE[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'pgrelease.commands' has no attribute {name!r}")

"""Lint migrations before they reach a database.

Library entry points (the CLI is a thin layer over them):

* :func:`lint_files` - lint given files or sources, optionally knowing the rest of the
  project (``others``), the versions applied to the target (``applied``) and whether the
  linted files are exactly the pending set (``pending``);
* :func:`lint_project` - choose the files like ``pgrelease lint`` does (explicit files,
  pending against a database, changed since a git ref, or all) and lint them;
* :func:`lint_report` - the same, as a :class:`~pgrelease.report.model.Report`.

Findings carry rule id, severity, file, line, column, statement excerpt, message and help.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SqlFileError, UsageError
from ..migrations.files import MIGRATIONS_DIR, MigrationFile, discover, read_sql_text
from ..report.model import Report
from .config import LintConfig, load_lint_config
from .engine import Engine, FileSummary, Finding, LintResult, Source

__all__ = [
    "FileSummary", "Finding", "LintConfig", "LintResult", "LintRun", "Selection", "Source", "lint_example", "lint_files", "lint_project",
    "lint_report", "lint_sql",
]

EXAMPLE_FILE = "supabase/migrations/20240101000000_example.sql"


def _as_source(item: Source | MigrationFile | Path | str) -> Source:
    if isinstance(item, Source):
        return item
    if isinstance(item, MigrationFile):
        return Source.from_migration(item)
    path = Path(item)
    return _read(path, str(path))


def _read(path: Path, display: str, *, in_migrations: bool | None = None) -> Source:
    """The file as a Source; one that cannot be decoded is linted as empty, with its error."""
    try:
        return Source.from_text(display, read_sql_text(path, display), in_migrations=in_migrations)
    except SqlFileError as err:
        return Source.from_text(display, "", in_migrations=in_migrations, read_error=err)


def lint_files(files: Iterable[Source | MigrationFile | Path | str], *, config: LintConfig | None = None,
               others: Iterable[Source | MigrationFile] = (), applied: Iterable[str] = (),
               pending: bool = False) -> LintResult:
    """Lint ``files`` (in version order).

    ``others``: the project's migrations that are not being linted (what they validate is
    known, their versions count for ``out-of-order``); ``applied``: versions recorded in
    the target; ``pending``: the linted files are not applied yet, so a table one of them
    creates is new to the later ones."""
    engine = Engine(config)
    return engine.run([_as_source(f) for f in files], others=[_as_source(o) for o in others],
                      applied=set(applied), pending=pending)


def lint_sql(sql: str, *, name: str = EXAMPLE_FILE, config: LintConfig | None = None) -> LintResult:
    """Lint one migration given as text."""
    return lint_files([Source.from_text(name, sql)], config=config)


def lint_example(example: str | Mapping[str, Any], *, config: LintConfig | None = None) -> LintResult:
    """Lint a rule's BAD/GOOD example.

    A string is one migration file. A dict describes a project: ``files`` (name -> SQL,
    linted; a bare name lands in supabase/migrations), ``others`` (name -> SQL, present but
    not linted), ``applied`` (versions), ``pending`` (bool), ``sql`` (one file) and
    ``config`` (a ``[lint]`` table)."""
    if isinstance(example, str):
        return lint_sql(example, config=config)
    if "config" in example:
        base = LintConfig.from_mapping(example["config"], source="example")
        config = base if config is None else LintConfig(
            postgres_version=base.postgres_version, disable=config.disable, enable=config.enable,
            severity=config.severity, exposed_schemas=base.exposed_schemas)
    files = dict(example.get("files", {}))
    if "sql" in example:
        files[EXAMPLE_FILE] = example["sql"]

    def source(name: str, sql: str) -> Source:
        display = name if "/" in name else f"{MIGRATIONS_DIR.as_posix()}/{name}"
        return Source.from_text(display, sql)

    return lint_files([source(n, s) for n, s in files.items()], config=config,
                      others=[source(n, s) for n, s in example.get("others", {}).items()],
                      applied=example.get("applied", ()), pending=bool(example.get("pending", False)))


# --- choosing the files, as `pgrelease lint` does --------------------------------------------


@dataclass
class Selection:
    mode: str  # files | pending | changed | all
    sources: list[Source] = field(default_factory=list)
    others: list[Source] = field(default_factory=list)
    applied: set[str] = field(default_factory=set)
    pending: bool = False
    notes: list[str] = field(default_factory=list)
    target: str | None = None


def _display(path: Path, workdir: Path) -> str:
    try:
        return path.resolve().relative_to(workdir.resolve()).as_posix()
    except ValueError:
        return str(path)


def _all_sources(workdir: Path) -> tuple[list[Source], list[Source]]:
    """(named migrations, badly named .sql files) of the project."""
    migrations = discover(workdir)
    named = [Source.from_migration(m) for m in migrations.files]
    odd = []
    for display, _reason in migrations.skipped:
        if display.endswith(".sql"):
            path = Path(workdir) / display
            odd.append(_read(path, Path(display).as_posix(), in_migrations=True))
    return named, odd


def _git(workdir: Path, *args: str) -> list[str]:
    try:
        proc = subprocess.run(["git", "-C", str(workdir), *args], capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        raise UsageError("--base needs git, which is not installed", hint="install git, or pass the files to lint") from None
    except subprocess.TimeoutExpired:
        raise UsageError(f"git {' '.join(args[:2])} took longer than 60s", hint="pass the files to lint instead") from None
    if proc.returncode != 0:
        message = (proc.stderr.strip().splitlines() or ["git failed"])[-1]
        raise UsageError(f"git {' '.join(args[:3])}: {message}",
                         hint="check that --base names a ref that exists here (in CI fetch it first, e.g. "
                              "actions/checkout with fetch-depth: 0)")
    return [line for line in proc.stdout.splitlines() if line.strip()]


def changed_since(workdir: Path, base: str) -> set[str]:
    """Migration paths (relative to ``workdir``) added or changed since ``base``: committed
    on this branch (``git diff REF...``), modified in the work tree, or untracked."""
    where = MIGRATIONS_DIR.as_posix()
    changed = set(_git(workdir, "diff", "--name-only", "--relative", "--diff-filter=d", f"{base}...", "--", where))
    changed |= set(_git(workdir, "diff", "--name-only", "--relative", "--diff-filter=d", "HEAD", "--", where))
    changed |= set(_git(workdir, "ls-files", "--others", "--exclude-standard", "--", where))
    return changed


def select(workdir: Path, *, files: Iterable[Path | str] = (), dsn: Any = None, base: str | None = None,
           connect_options: Any = None) -> Selection:
    """Which files ``pgrelease lint`` checks: FILES; else pending against ``dsn``; else
    changed since ``base``; else every migration."""
    workdir = Path(workdir)
    files = [Path(f) for f in files]
    if files:
        selection = Selection("files")
        for path in files:
            display = _display(path, workdir)
            selection.sources.append(_read(path, display))
        if (workdir / MIGRATIONS_DIR).is_dir():
            chosen = {s.display for s in selection.sources}
            try:
                named, _ = _all_sources(workdir)
            except SqlFileError as err:  # an unreadable migration: lint the given files without the others
                named = []
                selection.notes.append(f"the other migrations were not read: {err.message}")
            selection.others = [s for s in named if s.display not in chosen]
        if dsn is not None or base:
            selection.notes.append("files given: --db-url / --base do not choose the files")
        return selection
    if dsn is not None:
        from ..db.connect import connect
        from ..migrations.apply import load_plan

        migrations = discover(workdir)
        with connect(dsn, connect_options) as conn:
            plan = load_plan(conn, migrations)
        selection = Selection("pending", pending=True, target=dsn.masked())
        selection.sources = [Source.from_migration(m) for m in plan.pending]
        selection.others = [Source.from_migration(m) for m, _ in plan.applied]
        selection.applied = {a.version for _, a in plan.applied} | {a.version for a in plan.missing_local}
        if base:
            selection.notes.append("--db-url given: linting what is pending there, not what changed since --base")
        return selection
    named, odd = _all_sources(workdir)
    if base:
        changed = changed_since(workdir, base)
        selection = Selection("changed", pending=True)
        selection.sources = [s for s in named + odd if s.display in changed]
        selection.others = [s for s in named if s.display not in changed]
        return selection
    return Selection("all", sources=named + odd)


@dataclass
class LintRun:
    """What ``pgrelease lint`` checked (the selection) and found (the result)."""

    selection: Selection
    result: LintResult


def lint_project(workdir: Path, *, files: Iterable[Path | str] = (), dsn: Any = None, base: str | None = None,
                 config: LintConfig | None = None, connect_options: Any = None) -> tuple[Selection, LintResult]:
    selection = select(workdir, files=files, dsn=dsn, base=base, connect_options=connect_options)
    config = config if config is not None else load_lint_config(workdir)
    result = lint_files(selection.sources, config=config, others=selection.others, applied=selection.applied,
                        pending=selection.pending)
    return selection, result


def lint_report(workdir: Path, *, files: Iterable[Path | str] = (), dsn: Any = None, base: str | None = None,
                config: LintConfig | None = None, connect_options: Any = None) -> Report:
    """``pgrelease lint`` as a Report: ``data["findings"]``; failed when any finding is an error."""
    from ..report.steps import lint_step

    selection, result = lint_project(workdir, files=files, dsn=dsn, base=base, config=config,
                                     connect_options=connect_options)
    return Report.of("lint", lint_step(LintRun(selection, result)), target=selection.target)

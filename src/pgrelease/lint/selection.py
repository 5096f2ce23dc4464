"""Which files ``pgrelease lint`` checks (:func:`select`), and linting them
(:func:`lint_project`)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SqlFileError, UsageError
from ..migrations.files import MIGRATIONS_DIR, discover
from .api import lint_files, read_source
from .config import LintConfig, load_lint_config
from .engine import LintResult
from .source import Source

__all__ = ["LintRun", "Selection", "changed_since", "lint_project", "select"]


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
            odd.append(read_source(path, Path(display).as_posix(), in_migrations=True))
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
            selection.sources.append(read_source(path, display))
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

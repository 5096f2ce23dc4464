"""Lint given files or text: :func:`lint_files`, :func:`lint_sql`, and :func:`lint_example`
for a rule's examples."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..errors import SqlFileError
from ..migrations.files import MIGRATIONS_DIR, MigrationFile, read_sql_text
from .config import LintConfig
from .engine import Engine, LintResult
from .source import Source

__all__ = ["EXAMPLE_FILE", "lint_example", "lint_files", "lint_sql", "read_source"]

EXAMPLE_FILE = "supabase/migrations/20240101000000_example.sql"


def _as_source(item: Source | MigrationFile | Path | str) -> Source:
    if isinstance(item, Source):
        return item
    if isinstance(item, MigrationFile):
        return Source.from_migration(item)
    path = Path(item)
    return read_source(path, str(path))


def read_source(path: Path, display: str, *, in_migrations: bool | None = None) -> Source:
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

"""Discover migration files: ``<workdir>/supabase/migrations/<version>_<name>.sql``.

The version is the leading digits, as the Supabase CLI reads it (``^([0-9]+)_(.*)\\.sql$``).
Files that do not match are reported and skipped; two files with one version are an error.
"""

from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..errors import SqlFileError, UsageError

MIGRATIONS_DIR = Path("supabase") / "migrations"
FILE_PATTERN = re.compile(r"^([0-9]+)_(.*)\.sql$")


@dataclass(frozen=True)
class MigrationFile:
    version: str
    name: str
    path: Path
    display_path: str  # relative to the workdir, as shown in messages and annotations

    @property
    def filename(self) -> str:
        return self.path.name

    @cached_property
    def text(self) -> str:
        return read_sql_text(self.path, self.display_path)

    @property
    def sort_key(self) -> tuple[int, str]:
        return (int(self.version), self.version)

    @classmethod
    def from_history(cls, version: str, name: str | None, statements: tuple[str, ...]) -> "MigrationFile":
        """A migration known only from its history row (another branch's, on a shared staging
        database): its recorded statements stand in for the file."""
        display = f"history row {version}_{name or 'unnamed'} (no local file)"
        migration = cls(version, name or "", Path(f"{version}_{name or 'unnamed'}.sql"), display)
        migration.__dict__["text"] = "".join(f"{stmt}\n;\n" for stmt in statements)  # fills the cached text
        return migration


@dataclass
class MigrationSet:
    directory: Path
    files: list[MigrationFile] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)

    def by_version(self) -> dict[str, MigrationFile]:
        return {f.version: f for f in self.files}


def read_sql_text(path: Path, display: str | None = None) -> str:
    """Read a SQL file as UTF-8 (a byte-order mark is dropped); a clear error otherwise.

    The error carries the file as its location, so its message names only the cause."""
    display = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        message, hint = _unreadable(path, exc)
        raise UsageError(message, file=display, hint=hint) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SqlFileError(
            f"not valid UTF-8: byte 0x{raw[exc.start]:02x} at line {line}, column {column} (offset {exc.start})",
            file=display, line=line,
            hint="save the file as UTF-8 (it may have been written as Latin-1 or Windows-1252)",
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def _unreadable(path: Path, exc: OSError) -> tuple[str, str | None]:
    """What is wrong with a path that cannot be read, and what to do: (message, hint)."""
    if exc.errno == errno.ELOOP:
        return ("is a symbolic link loop (it resolves back to itself)",
                "point the link at a real file or directory, or remove it")
    if exc.errno == errno.ENOENT:
        if path.is_symlink():
            return (f"is a symbolic link to {os.readlink(path)}, which does not exist",
                    "point the link at something that exists, or remove it")
        return ("does not exist", "check the path")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return ("cannot be read: permission denied", "check the file's permissions")
    if exc.errno == errno.EISDIR:
        return ("is a directory, not a file", None)
    return (f"cannot be read: {exc.strerror or exc}", None)


def discover(workdir: Path) -> MigrationSet:
    """List the project's migrations in version order."""
    workdir = Path(workdir)
    directory = workdir / MIGRATIONS_DIR
    if not workdir.is_dir():
        raise UsageError(f"project directory {workdir} does not exist", hint="pass --workdir pointing at your project")
    if not directory.is_dir():
        _no_directory(directory)
    result = MigrationSet(directory=directory)
    seen: dict[str, MigrationFile] = {}
    try:
        entries = sorted(directory.iterdir())
    except OSError as exc:
        message, hint = _unreadable(directory, exc)
        raise UsageError(f"migrations directory {directory} {message}", hint=hint) from None
    for path in entries:
        if path.name.startswith(".") or path.is_dir():
            continue
        display = str(MIGRATIONS_DIR / path.name)
        match = FILE_PATTERN.match(path.name)
        if not match:
            result.skipped.append((display, "name is not <version>_<name>.sql"))
            continue
        version, name = match.group(1), match.group(2)
        migration = MigrationFile(version=version, name=name, path=path, display_path=display)
        if version in seen:
            raise UsageError(
                f"two migrations have version {version}: {seen[version].filename} and {path.name}",
                file=display,
                hint="give one of them a new version (pgrelease new NAME makes a fresh timestamp)",
            )
        seen[version] = migration
        result.files.append(migration)
    result.files.sort(key=lambda f: f.sort_key)
    return result


def _no_directory(directory: Path) -> None:
    """Raise the error saying why ``directory`` is not a usable migrations directory."""
    try:
        directory.stat()
    except OSError as exc:
        if exc.errno == errno.ENOENT and not directory.is_symlink():
            raise UsageError(
                f"no migrations directory at {directory}",
                hint="run from your project root or pass --workdir; migrations live in supabase/migrations/",
            ) from None
        if exc.errno == errno.ELOOP:
            raise UsageError(
                f"migrations directory {directory} is a symbolic link loop (it resolves back to itself)",
                hint="point supabase/migrations at a real directory, or make it one",
            ) from None
        message, hint = _unreadable(directory, exc)
        raise UsageError(f"migrations directory {directory} {message}", hint=hint) from None
    raise UsageError(
        f"{directory} is not a directory",
        hint="migrations live in the directory supabase/migrations/, one .sql file per migration",
    )


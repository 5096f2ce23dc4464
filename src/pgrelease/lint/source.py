"""A file to lint (or to know about): its text, its name and version, where it lives."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import SqlFileError
from ..migrations.files import FILE_PATTERN, MIGRATIONS_DIR, MigrationFile

__all__ = ["Source"]


@dataclass(frozen=True)
class Source:
    """One file to lint (or to know about)."""

    display: str  # as shown in findings and annotations, relative to the project
    text: str
    name: str  # file name
    version: str | None = None  # leading digits when the name is <digits>_<name>.sql
    in_migrations: bool = True  # lives in supabase/migrations (file-name rules apply)
    read_error: SqlFileError | None = None  # the file could not be read as SQL text (e.g. not UTF-8)

    @classmethod
    def from_migration(cls, migration: MigrationFile) -> "Source":
        return cls(migration.display_path, migration.text, migration.filename, migration.version, True)

    @classmethod
    def from_text(cls, display: str, text: str, *, in_migrations: bool | None = None,
                  read_error: SqlFileError | None = None) -> "Source":
        name = Path(display).name
        m = FILE_PATTERN.match(name)
        if in_migrations is None:
            in_migrations = Path(display).parent.name == MIGRATIONS_DIR.name
        return cls(display, text, name, m.group(1) if m else None, in_migrations, read_error)

    @property
    def sort_key(self) -> tuple[int, int, str]:
        return (0, int(self.version), self.name) if self.version else (1, 0, self.name)
